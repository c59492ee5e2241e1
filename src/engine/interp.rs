//! The interpreter: runs a [`Program`] on any [`Runtime`], each task wrapped in one
//! instrumenting future that records its polls, pauses, wakes, prints and end.

use std::cell::{Cell, Ref, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::program::{BinOp, BlockKind, Expr, FnId, OnMainReturn, Program, StepId, Stmt, StmtKind};
use super::rng::Rng;
use super::runtime::{LocalBoxFuture, Runtime, TimerId};
use super::trace::{Event, EventKind, TaskId, TaskInfo, Trace, WaitOn};
use super::value::{seconds, Coroutine, Value};

/// Lists longer than this (from `range`, say) are refused rather than exhausting memory.
pub const MAX_LIST: usize = 10_000_000;

type Outcome = Result<Value, Rc<str>>;

/// Who is told when a task ends.
enum Listener {
    /// A task awaiting this one.
    Join(TaskId, Waker),
    /// A `gather` that waits for several.
    Gather(Rc<GatherState>),
}

struct GatherState {
    waiter: TaskId,
    remaining: Cell<usize>,
    waker: RefCell<Option<Waker>>,
}

#[derive(Default)]
struct TaskCell {
    /// The task's program future; out while it is being polled, gone once it ended.
    body: Option<LocalBoxFuture<'static, Outcome>>,
    /// The waker of its last poll, to wake it for cancellation.
    waker: Option<Waker>,
    /// What it returned, once finished.
    result: Option<Value>,
    ended: bool,
    /// The statement it is at.
    step: StepId,
    /// The coroutines it is inside, outermost first (its own function, then inline awaits),
    /// as an index into the chains of [`Ctx`].
    chain: u32,
    listeners: Listeners,
}

/// Who waits on a task: usually one waiter (a `gather` or an `await`), kept without a vector.
#[derive(Default)]
struct Listeners {
    first: Option<Listener>,
    rest: Vec<Listener>,
}

impl Listeners {
    fn push(&mut self, l: Listener) {
        match self.first {
            None => self.first = Some(l),
            Some(_) => self.rest.push(l),
        }
    }

    /// Forgets an earlier `await` of `waiter` (it polls again with a new waker).
    fn forget_join(&mut self, waiter: TaskId) {
        let is_it = |l: &Listener| matches!(l, Listener::Join(w, _) if *w == waiter);
        if self.first.as_ref().is_some_and(is_it) {
            self.first = None;
        }
        self.rest.retain(|l| !is_it(l));
    }

    fn drain_all(self) -> impl Iterator<Item = Listener> {
        self.first.into_iter().chain(self.rest)
    }
}

/// Await chains as a tree: each one is its parent chain plus a function.
#[derive(Default)]
struct Chains {
    /// Per chain: its parent and the function it adds (the root, 0, is the empty chain). A
    /// program has a handful, so a scan beats a hash map (and keeps its code out of the module).
    links: Vec<(u32, FnId)>,
}

/// One interpreter for every runtime: the runtime is a trait object, so the interpreter is
/// compiled once, not once per runtime (it is most of the engine's code in the shipped module).
struct Ctx {
    rt: Rc<dyn Runtime>,
    program: Rc<Program>,
    trace: RefCell<Trace>,
    tasks: RefCell<Vec<TaskCell>>,
    rng: RefCell<Rng>,
    stopped: Cell<bool>,
    live: Cell<usize>,
    event_limit: Cell<usize>,
    /// Tasks the run may create; past it, creating one does nothing (see [`Run::set_task_limit`]).
    task_limit: Cell<usize>,
    /// Set once a task was not created for the limit.
    over_limit: Cell<bool>,
    /// Each await chain seen; the same index in [`Trace::chains`] gives its words.
    chains: RefCell<Chains>,
    /// During a poll, the last reading of the clock and the work done when it was taken (see
    /// [`Ctx::now`]).
    clock: Cell<Option<(f64, u64)>>,
    /// Units of interpreter work done so far (statements, tasks created, list items made).
    work: Cell<u64>,
    /// What the task being polled waits on, set just before it returns `Pending`.
    wait: RefCell<Option<(TaskId, WaitOn)>>,
    /// The `repr` of `None`, shared by every task that returns nothing.
    none: Rc<str>,
    /// The names of tasks made from calls without arguments, by function: shared, not copied.
    names: RefCell<Vec<Option<Rc<str>>>>,
}

/// Units of interpreter work (see [`Ctx::now`]) one reading of the clock serves for.
const WORK_PER_READ: u64 = 32;

/// Events a run keeps before it drops its oldest half: about 50 MB at most.
pub const DEFAULT_EVENT_LIMIT: usize = 1_000_000;

/// A run in progress (or over): its trace, and the handle to stop it.
pub struct Run<R: Runtime> {
    ctx: Rc<Ctx>,
    runtime: R,
}

impl<R: Runtime> Run<R> {
    /// Starts `program` on `rt`: the main task is spawned at once.
    pub fn start(program: Rc<Program>, rt: R, seed: u64) -> Run<R>
    where
        R: Clone,
    {
        let ctx = Rc::new(Ctx {
            rt: Rc::new(rt.clone()),
            program,
            trace: RefCell::new(Trace::default()),
            tasks: RefCell::new(Vec::new()),
            rng: RefCell::new(Rng::new(seed)),
            stopped: Cell::new(false),
            event_limit: Cell::new(DEFAULT_EVENT_LIMIT),
            task_limit: Cell::new(usize::MAX),
            over_limit: Cell::new(false),
            live: Cell::new(0),
            chains: RefCell::new(Chains {
                links: vec![(0, FnId(u32::MAX))],
            }),
            clock: Cell::new(None),
            work: Cell::new(0),
            wait: RefCell::new(None),
            none: Rc::from("None"),
            names: RefCell::new(Vec::new()),
        });
        ctx.trace.borrow_mut().chains.push(Rc::from(""));
        let weak = Rc::downgrade(&ctx);
        ctx.rt.set_fire_hook(Rc::new(move |task, due, fired_at| {
            if let Some(ctx) = weak.upgrade() {
                ctx.record_at(fired_at, TaskId(task), EventKind::TimerFired { due });
            }
        }));
        let main = ctx.program.main;
        let coro = Coroutine::Call {
            func: main,
            name: ctx
                .program
                .functions
                .get(main.0 as usize)
                .map(|f| f.name.clone())
                .unwrap_or_else(|| Rc::from("main")),
            args: Vec::new(),
        };
        ctx.spawn(None, coro, Some(Rc::from("main")));
        Run { ctx, runtime: rt }
    }

    /// Everything recorded so far.
    pub fn trace(&self) -> Ref<'_, Trace> {
        self.ctx.trace.borrow()
    }

    /// Sets how many events the run keeps before dropping its oldest half (at least 1,000).
    pub fn set_event_limit(&self, limit: usize) {
        self.ctx.event_limit.set(limit.max(1000));
    }

    /// Caps how many tasks the run creates: past the cap, `create_task` and `gather` make no
    /// task (the handle they give refers to none). For the ideal schedule of a huge run, which
    /// is then a partial one; a real run has no cap.
    pub fn set_task_limit(&self, limit: usize) {
        self.ctx.task_limit.set(limit);
    }

    /// True if the task cap left some task uncreated.
    pub fn hit_task_limit(&self) -> bool {
        self.ctx.over_limit.get()
    }

    /// What a task's parts cost, in bytes on this target: for the benchmark's account of the
    /// memory per task.
    pub fn footprint(&self) -> Footprint {
        use std::mem::{size_of, size_of_val};
        // Futures are lazy: making them runs nothing, and they are dropped at once.
        let body = self
            .ctx
            .clone()
            .run_coroutine(TaskId(u32::MAX), Coroutine::Sleep(0.0));
        let mut env = Env(Vec::new());
        let step = self.ctx.exec(TaskId(u32::MAX), &mut env, &[]);
        Footprint {
            task_record: size_of::<TaskCell>(),
            task_info: size_of::<TaskInfo>(),
            event: size_of::<Event>(),
            task_future: size_of_val(&*body),
            step_future: size_of_val(&*step),
        }
    }

    /// True once every task has finished or been cancelled.
    pub fn is_finished(&self) -> bool {
        self.ctx.live.get() == 0
    }

    /// True once [`Run::stop`] was called.
    pub fn is_stopped(&self) -> bool {
        self.ctx.stopped.get()
    }

    /// The runtime the run uses.
    pub fn runtime(&self) -> &R {
        &self.runtime
    }

    /// Cancels every task and drops its timers at once; nothing is recorded after this.
    pub fn stop(&self) {
        if self.ctx.stopped.get() {
            return;
        }
        let ids: Vec<TaskId> = (0..self.ctx.tasks.borrow().len() as u32)
            .map(TaskId)
            .collect();
        for id in ids {
            self.ctx.cancel(id);
        }
        self.ctx.stopped.set(true);
        self.ctx.rt.stopped();
    }
}

/// Sizes, in bytes, of what every task keeps (see [`Run::footprint`]).
#[derive(Clone, Copy, Debug)]
pub struct Footprint {
    /// The interpreter's record of a task (its body, waker, result, listeners).
    pub task_record: usize,
    /// Its entry in the trace's task table.
    pub task_info: usize,
    /// One recorded event.
    pub event: usize,
    /// The future that runs the task's coroutine (boxed once per task).
    pub task_future: usize,
    /// The future that runs a function's statements (boxed once per call).
    pub step_future: usize,
}

impl<R: Runtime> Drop for Run<R> {
    /// A run that nobody holds any more leaves nothing behind.
    fn drop(&mut self) {
        self.stop();
    }
}

impl Ctx {
    fn record(&self, task: TaskId, kind: EventKind) {
        if self.stopped.get() {
            return;
        }
        let at = self.now();
        self.record_at(at, task, kind);
    }

    /// The current time, for the record. Reading the browser's clock costs a call out of the
    /// module, and most of a poll is a few microseconds of work, far below the clock's own
    /// resolution (100 µs in a page without cross-origin isolation): within a poll, a reading
    /// serves until [`WORK_PER_READ`] units of work have been done since.
    fn now(&self) -> f64 {
        let work = self.work.get();
        match self.clock.get() {
            Some((at, read)) if work - read < WORK_PER_READ => at,
            Some(_) => {
                let at = self.rt.now();
                self.clock.set(Some((at, work)));
                at
            }
            None => self.rt.now(),
        }
    }

    fn add_work(&self, units: usize) {
        self.work.set(self.work.get() + units as u64);
    }

    fn record_at(&self, at: f64, task: TaskId, kind: EventKind) {
        if !self.stopped.get() {
            let mut trace = self.trace.borrow_mut();
            trace.events.push(Event { at, task, kind });
            let limit = self.event_limit.get();
            if trace.events.len() > limit {
                trace.compact(limit);
            }
        }
    }

    fn with_cell(&self, task: TaskId, f: impl FnOnce(&mut TaskCell)) {
        if let Some(cell) = self.tasks.borrow_mut().get_mut(task.0 as usize) {
            f(cell);
        }
    }

    /// Told by the awaited future just before it returns `Pending`. Only one task is polled at
    /// a time, so one place serves them all.
    fn set_wait(&self, task: TaskId, wait: WaitOn) {
        *self.wait.borrow_mut() = Some((task, wait));
    }

    /// Creates a task running `coro`; returns its id.
    fn spawn(
        self: &Rc<Self>,
        parent: Option<TaskId>,
        coro: Coroutine,
        name: Option<Rc<str>>,
    ) -> TaskId {
        let count = self.tasks.borrow().len();
        if count >= self.task_limit.get() {
            self.over_limit.set(true);
            return TaskId(u32::MAX);
        }
        let id = TaskId(count as u32);
        let name = name.unwrap_or_else(|| self.task_name(&coro));
        self.add_work(1);
        let spawned = self.now();
        if !self.stopped.get() {
            self.trace.borrow_mut().tasks.push(TaskInfo {
                id,
                name,
                parent,
                spawned,
            });
        }
        let body = self.clone().run_coroutine(id, coro);
        self.tasks.borrow_mut().push(TaskCell {
            body: Some(body),
            ..TaskCell::default()
        });
        self.live.set(self.live.get() + 1);
        self.rt.spawn(Box::pin(Driver {
            ctx: self.clone(),
            id,
        }));
        id
    }

    /// The name of a task running `coro`: `foo('I am foo')`; shared between the tasks of a
    /// function called without arguments.
    fn task_name(&self, coro: &Coroutine) -> Rc<str> {
        if let Coroutine::Call { func, args, .. } = coro {
            if args.is_empty() {
                let i = func.0 as usize;
                let mut names = self.names.borrow_mut();
                if names.len() <= i {
                    names.resize(i + 1, None);
                }
                return names[i]
                    .get_or_insert_with(|| Rc::from(coro_name(coro)))
                    .clone();
            }
        }
        Rc::from(coro_name(coro))
    }

    /// The chain `parent` followed by a call of `func`, adding it the first time.
    fn chain_push(&self, parent: u32, func: FnId) -> u32 {
        let known = self
            .chains
            .borrow()
            .links
            .iter()
            .skip(1)
            .position(|l| *l == (parent, func));
        if let Some(i) = known {
            return i as u32 + 1;
        }
        let name = self
            .program
            .functions
            .get(func.0 as usize)
            .map(|f| &*f.name)
            .unwrap_or("?");
        let mut trace = self.trace.borrow_mut();
        let words = match trace.chains.get(parent as usize) {
            Some(p) if !p.is_empty() => format!("{p} → {name}"),
            _ => name.to_string(),
        };
        let mut chains = self.chains.borrow_mut();
        let i = chains.links.len() as u32;
        chains.links.push((parent, func));
        trace.chains.push(Rc::from(words));
        i
    }

    /// The chain `chain` without its innermost call.
    fn chain_pop(&self, chain: u32) -> u32 {
        self.chains
            .borrow()
            .links
            .get(chain as usize)
            .map(|l| l.0)
            .unwrap_or(0)
    }

    /// Ends a task: records how, tells whoever waits on it.
    fn end(&self, id: TaskId, how: EventKind, result: Value) {
        let (listeners, body) = {
            let mut tasks = self.tasks.borrow_mut();
            let Some(cell) = tasks.get_mut(id.0 as usize) else {
                return;
            };
            if cell.ended {
                return;
            }
            cell.ended = true;
            cell.result = Some(result);
            (std::mem::take(&mut cell.listeners), cell.body.take())
        };
        // Dropping the body drops its timers; do it with no borrow held.
        drop(body);
        self.live.set(self.live.get().saturating_sub(1));
        self.record(id, how);
        for l in listeners.drain_all() {
            match l {
                Listener::Join(waiter, waker) => {
                    self.record(waiter, EventKind::Woken);
                    self.rt.wake(waker);
                }
                Listener::Gather(g) => {
                    let left = g.remaining.get().saturating_sub(1);
                    g.remaining.set(left);
                    if left == 0 {
                        self.record(g.waiter, EventKind::Woken);
                        if let Some(w) = g.waker.borrow_mut().take() {
                            self.rt.wake(w);
                        }
                    }
                }
            }
        }
    }

    /// Cancels a task that has not ended; its driver finishes on its next poll.
    fn cancel(&self, id: TaskId) {
        let waker = {
            let tasks = self.tasks.borrow();
            match tasks.get(id.0 as usize) {
                Some(cell) if !cell.ended => cell.waker.clone(),
                _ => return,
            }
        };
        self.end(id, EventKind::Cancelled, Value::None);
        if let Some(w) = waker {
            self.rt.wake(w);
        }
    }

    fn run_coroutine(
        self: Rc<Self>,
        task: TaskId,
        coro: Coroutine,
    ) -> LocalBoxFuture<'static, Outcome> {
        Box::pin(async move { self.coroutine_inline(task, &coro).await })
    }

    /// Runs a coroutine within the current future (no box of its own).
    async fn coroutine_inline(self: &Rc<Self>, task: TaskId, coro: &Coroutine) -> Outcome {
        match coro {
            Coroutine::Sleep(secs) => {
                self.sleep(task, *secs).await;
                Ok(Value::None)
            }
            Coroutine::Call { func, args, .. } => {
                let outer = self.tasks.borrow().get(task.0 as usize).map(|c| c.chain);
                let inner = self.chain_push(outer.unwrap_or(0), *func);
                self.with_cell(task, |c| c.chain = inner);
                let out = self.call(task, *func, args).await;
                let outer = self.chain_pop(inner);
                self.with_cell(task, |c| c.chain = outer);
                out
            }
        }
    }

    /// Awaits a coroutine in line, in `task` (boxed: calls may nest).
    fn await_coroutine<'a>(
        self: &'a Rc<Self>,
        task: TaskId,
        coro: &'a Coroutine,
    ) -> LocalBoxFuture<'a, Outcome> {
        Box::pin(self.coroutine_inline(task, coro))
    }

    async fn sleep(self: &Rc<Self>, task: TaskId, secs: f64) {
        let secs = if secs.is_finite() { secs.max(0.0) } else { 0.0 };
        let timer = self.rt.timer(self.now(), secs, task.0);
        Waiting {
            ctx: self,
            task,
            due: timer.due,
            secs,
            id: timer.id,
            done: false,
        }
        .await
    }

    async fn call(self: &Rc<Self>, task: TaskId, func: FnId, args: &[Value]) -> Outcome {
        let Some(f) = self.program.functions.get(func.0 as usize) else {
            return Err(Rc::from("call of an unknown function"));
        };
        if f.params.len() != args.len() {
            return Err(Rc::from(format!(
                "{}() takes {} argument(s) but {} were given",
                f.name,
                f.params.len(),
                args.len()
            )));
        }
        let mut env = Env(f.params.iter().cloned().zip(args.iter().cloned()).collect());
        match self.exec(task, &mut env, &f.body).await? {
            Flow::Return(v) => Ok(v),
            Flow::Next => Ok(Value::None),
        }
    }

    fn exec<'a>(
        self: &'a Rc<Self>,
        task: TaskId,
        env: &'a mut Env,
        body: &'a [Stmt],
    ) -> LocalBoxFuture<'a, Result<Flow, Rc<str>>> {
        Box::pin(async move {
            for stmt in body {
                self.add_work(1);
                self.with_cell(task, |c| c.step = stmt.id);
                match &stmt.kind {
                    StmtKind::Let { var, value } => {
                        let v = self.eval(env, value)?;
                        env.insert(var.clone(), v);
                    }
                    StmtKind::Print(parts) => {
                        let mut line = String::new();
                        for (i, p) in parts.iter().enumerate() {
                            if i > 0 {
                                line.push(' ');
                            }
                            line.push_str(&self.eval(env, p)?.to_string());
                        }
                        self.record(task, EventKind::Printed(Rc::from(line)));
                    }
                    StmtKind::Await { var, target } => {
                        let target = self.eval(env, target)?;
                        // A sleep needs no future of its own (and nothing else is kept
                        // across it); anything else is boxed, as the gather below, so that a
                        // statement's future stays as small as a sleep's while every task
                        // keeps one alive.
                        let secs = match &target {
                            Value::Coroutine(c) => match **c {
                                Coroutine::Sleep(secs) => Some(secs),
                                _ => None,
                            },
                            _ => None,
                        };
                        let v = match secs {
                            Some(secs) => {
                                drop(target);
                                self.sleep(task, secs).await;
                                Value::None
                            }
                            None => Box::pin(self.await_value(task, target)).await?,
                        };
                        assign(env, var, v);
                    }
                    StmtKind::Spawn { var, coro } => {
                        let Value::Coroutine(c) = self.eval(env, coro)? else {
                            return Err(Rc::from("create_task() needs a coroutine"));
                        };
                        let id = self.spawn(Some(task), (*c).clone(), None);
                        assign(env, var, Value::Task(id));
                    }
                    StmtKind::Gather { var, items } => {
                        let items = self.eval(env, items)?;
                        let v = Box::pin(self.gather(task, items)).await?;
                        assign(env, var, v);
                    }
                    StmtKind::Discard(e) => {
                        if let Value::Coroutine(c) = self.eval(env, e)? {
                            self.record(task, EventKind::NeverAwaited(Rc::from(coro_name(&c))));
                        }
                    }
                    StmtKind::Block { secs, kind } => {
                        let secs = number(&self.eval(env, secs)?, "blocking work")?.max(0.0);
                        let from = self.rt.now();
                        let rounds = self.rt.block(secs);
                        // Only a busy polling loop's rounds are polls; other work just spins.
                        let spins = if *kind == BlockKind::Spin { rounds } else { 0 };
                        let until = self.rt.now();
                        if self.clock.get().is_some() {
                            self.clock.set(Some((until, self.work.get())));
                        }
                        self.record_at(from, task, EventKind::Blocked { until, spins });
                    }
                    StmtKind::For { var, iter, body } => {
                        let items = list(self.eval(env, iter)?)?;
                        for item in items.iter() {
                            env.insert(var.clone(), item.clone());
                            if let Flow::Return(v) = self.exec(task, env, body).await? {
                                return Ok(Flow::Return(v));
                            }
                        }
                    }
                    StmtKind::If {
                        cond,
                        then,
                        otherwise,
                    } => {
                        let branch = if self.eval(env, cond)?.truthy() {
                            then
                        } else {
                            otherwise
                        };
                        if let Flow::Return(v) = self.exec(task, env, branch).await? {
                            return Ok(Flow::Return(v));
                        }
                    }
                    StmtKind::While { cond, body } => {
                        while self.eval(env, cond)?.truthy() {
                            if let Flow::Return(v) = self.exec(task, env, body).await? {
                                return Ok(Flow::Return(v));
                            }
                        }
                    }
                    StmtKind::Cancel(e) => match self.eval(env, e)? {
                        Value::Task(id) if id == task => {
                            return Err(Rc::from("a task cannot cancel itself here"))
                        }
                        Value::Task(id) => self.cancel(id),
                        other => {
                            return Err(Rc::from(format!(
                                "'{}' object has no method cancel()",
                                other.type_name()
                            )))
                        }
                    },
                    StmtKind::Return(e) => return Ok(Flow::Return(self.eval(env, e)?)),
                }
            }
            Ok(Flow::Next)
        })
    }

    async fn await_value(self: &Rc<Self>, task: TaskId, target: Value) -> Outcome {
        match target {
            Value::Coroutine(c) => self.await_coroutine(task, &c).await,
            Value::Task(id) if id == task => Err(Rc::from("a task cannot await itself")),
            Value::Task(id) => {
                Join {
                    ctx: self,
                    target: id,
                    waiter: task,
                }
                .await
            }
            other => Err(Rc::from(format!(
                "object {} can't be used in 'await' expression",
                other.type_name()
            ))),
        }
    }

    async fn gather(self: &Rc<Self>, task: TaskId, items: Value) -> Outcome {
        let items = list(items)?;
        let mut ids = Vec::with_capacity(items.len());
        // A gather of many coroutines makes many tasks: room for them all at once, not doubled.
        let new = items
            .iter()
            .filter(|i| matches!(i, Value::Coroutine(_)))
            .count();
        self.tasks.borrow_mut().reserve_exact(new);
        self.trace.borrow_mut().tasks.reserve_exact(new);
        for item in items.iter() {
            match item {
                Value::Coroutine(c) => ids.push(self.spawn(Some(task), (**c).clone(), None)),
                Value::Task(id) => ids.push(*id),
                other => {
                    return Err(Rc::from(format!(
                        "gather() takes coroutines and tasks, not {}",
                        other.type_name()
                    )))
                }
            }
        }
        // The coroutines are in their tasks now: the list goes before the wait.
        drop(items);
        let state = Rc::new(GatherState {
            waiter: task,
            remaining: Cell::new(0),
            waker: RefCell::new(None),
        });
        {
            let mut tasks = self.tasks.borrow_mut();
            for id in &ids {
                if let Some(cell) = tasks.get_mut(id.0 as usize) {
                    if !cell.ended {
                        state.remaining.set(state.remaining.get() + 1);
                        cell.listeners.push(Listener::Gather(state.clone()));
                    }
                }
            }
        }
        let all: Rc<[TaskId]> = ids.clone().into();
        GatherWait {
            ctx: self,
            state,
            wait: WaitOn::Gather(all),
        }
        .await;
        let tasks = self.tasks.borrow();
        let results = ids
            .iter()
            .map(|id| {
                tasks
                    .get(id.0 as usize)
                    .and_then(|c| c.result.clone())
                    .unwrap_or_default()
            })
            .collect();
        Ok(Value::List(Rc::new(results)))
    }

    fn eval(&self, env: &mut Env, e: &Expr) -> Result<Value, Rc<str>> {
        Ok(match e {
            Expr::Lit(v) => v.clone(),
            Expr::Var(name) => env
                .get(name)
                .cloned()
                .ok_or_else(|| Rc::from(format!("name '{name}' is not defined")))?,
            Expr::Bin(op, a, b) => {
                let v = binary(*op, self.eval(env, a)?, self.eval(env, b)?)?;
                if let Value::List(items) = &v {
                    self.add_work(items.len());
                }
                v
            }
            Expr::List(items) => {
                self.add_work(items.len());
                Value::List(Rc::new(
                    items
                        .iter()
                        .map(|i| self.eval(env, i))
                        .collect::<Result<_, _>>()?,
                ))
            }
            Expr::Dict(entries) => Value::Dict(Rc::new(
                entries
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.eval(env, v)?)))
                    .collect::<Result<_, Rc<str>>>()?,
            )),
            Expr::Index(a, i) => index(self.eval(env, a)?, self.eval(env, i)?)?,
            Expr::Range(n) => {
                let n = number(&self.eval(env, n)?, "range()")?;
                if n > MAX_LIST as f64 {
                    return Err(Rc::from(format!("range({n}) is longer than {MAX_LIST}")));
                }
                let n = n.max(0.0) as i64;
                self.add_work(n as usize);
                Value::List(Rc::new((0..n).map(Value::Int).collect()))
            }
            Expr::Comprehension { elem, var, iter } => {
                let items = list(self.eval(env, iter)?)?;
                self.add_work(items.len());
                let saved = env.get(var).cloned();
                let mut out = Vec::with_capacity(items.len());
                for item in items.iter() {
                    env.insert(var.clone(), item.clone());
                    out.push(self.eval(env, elem)?);
                }
                match saved {
                    Some(v) => env.insert(var.clone(), v),
                    None => env.remove(var),
                };
                Value::List(Rc::new(out))
            }
            Expr::Call(name, args) => {
                let func = self
                    .program
                    .function(name)
                    .ok_or_else(|| Rc::from(format!("name '{name}' is not defined")))?;
                let args = args
                    .iter()
                    .map(|a| self.eval(env, a))
                    .collect::<Result<_, _>>()?;
                Value::Coroutine(Rc::new(Coroutine::Call {
                    func,
                    name: name.clone(),
                    args,
                }))
            }
            Expr::Sleep(secs) => {
                let secs = number(&self.eval(env, secs)?, "asyncio.sleep()")?;
                Value::Coroutine(Rc::new(Coroutine::Sleep(secs)))
            }
            Expr::Choice(options) => {
                if options.is_empty() {
                    return Err(Rc::from("random.choice() of an empty list"));
                }
                let k = self.rng.borrow_mut().below(options.len() as u64) as usize;
                self.eval(env, &options[k])?
            }
            Expr::RandInt(lo, hi) => {
                let lo = number(&self.eval(env, lo)?, "randint()")? as i64;
                let hi = number(&self.eval(env, hi)?, "randint()")? as i64;
                if hi < lo {
                    return Err(Rc::from(format!("randint({lo}, {hi}): empty range")));
                }
                let span = (hi - lo) as u64 + 1;
                Value::Int(lo + self.rng.borrow_mut().below(span) as i64)
            }
            Expr::Now => Value::Float(self.rt.now()),
            Expr::Format(parts) => {
                let mut s = String::new();
                for p in parts {
                    s.push_str(&self.eval(env, p)?.to_string());
                }
                Value::Str(Rc::from(s))
            }
        })
    }
}

/// A function's variables. Functions have a handful, so a short list beats a hash map (and
/// keeps hashing code out of the shipped module).
struct Env(Vec<(Rc<str>, Value)>);

impl Env {
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| &**n == name).map(|(_, v)| v)
    }

    fn insert(&mut self, name: Rc<str>, value: Value) -> Option<Value> {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => Some(std::mem::replace(v, value)),
            None => {
                self.0.push((name, value));
                None
            }
        }
    }

    fn remove(&mut self, name: &str) -> Option<Value> {
        let i = self.0.iter().position(|(n, _)| &**n == name)?;
        Some(self.0.swap_remove(i).1)
    }
}

enum Flow {
    Next,
    Return(Value),
}

fn assign(env: &mut Env, var: &Option<Rc<str>>, v: Value) {
    if let Some(var) = var {
        env.insert(var.clone(), v);
    }
}

fn coro_name(c: &Coroutine) -> String {
    match c {
        Coroutine::Sleep(s) => format!("sleep({})", seconds(*s)),
        Coroutine::Call { name, args, .. } => {
            let args: Vec<String> = args.iter().map(Value::repr).collect();
            format!("{name}({})", args.join(", "))
        }
    }
}

fn number(v: &Value, what: &str) -> Result<f64, Rc<str>> {
    v.as_f64()
        .ok_or_else(|| Rc::from(format!("{what} needs a number, not {}", v.type_name())))
}

fn list(v: Value) -> Result<Rc<Vec<Value>>, Rc<str>> {
    match v {
        Value::List(items) => Ok(items),
        other => Err(Rc::from(format!(
            "'{}' object is not iterable",
            other.type_name()
        ))),
    }
}

fn index(v: Value, i: Value) -> Result<Value, Rc<str>> {
    match (&v, &i) {
        (Value::List(items), Value::Int(k)) => {
            let k = if *k < 0 { items.len() as i64 + k } else { *k };
            usize::try_from(k)
                .ok()
                .and_then(|k| items.get(k).cloned())
                .ok_or_else(|| Rc::from("list index out of range"))
        }
        (Value::Dict(entries), Value::Str(key)) => entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| Rc::from(format!("KeyError: {}", i.repr()))),
        _ => Err(Rc::from(format!(
            "cannot index {} with {}",
            v.type_name(),
            i.type_name()
        ))),
    }
}

fn binary(op: BinOp, a: Value, b: Value) -> Result<Value, Rc<str>> {
    use Value::{Float, Int, Str};
    Ok(match (op, &a, &b) {
        (BinOp::Eq, _, _) => Value::Bool(match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        }),
        (BinOp::Add, Str(x), Str(y)) => Value::Str(Rc::from(format!("{x}{y}"))),
        (BinOp::Add, Value::List(x), Value::List(y)) => {
            Value::List(Rc::new(x.iter().chain(y.iter()).cloned().collect()))
        }
        (BinOp::Add, Int(x), Int(y)) => Int(x.saturating_add(*y)),
        (BinOp::Sub, Int(x), Int(y)) => Int(x.saturating_sub(*y)),
        (BinOp::Mul, Int(x), Int(y)) => Int(x.saturating_mul(*y)),
        _ => {
            let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) else {
                return Err(Rc::from(format!(
                    "unsupported operand types: {} and {}",
                    a.type_name(),
                    b.type_name()
                )));
            };
            match op {
                BinOp::Add => Float(x + y),
                BinOp::Sub => Float(x - y),
                BinOp::Mul => Float(x * y),
                BinOp::Div if y == 0.0 => return Err(Rc::from("division by zero")),
                BinOp::Div => Float(x / y),
                BinOp::Lt => Value::Bool(x < y),
                BinOp::Eq => Value::Bool(x == y),
            }
        }
    })
}

/// The instrumenting future: one per task, the only thing a runtime ever polls.
struct Driver {
    ctx: Rc<Ctx>,
    id: TaskId,
}

impl Future for Driver {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let ctx = &self.ctx;
        let id = self.id;
        let body = {
            let mut tasks = ctx.tasks.borrow_mut();
            let Some(cell) = tasks.get_mut(id.0 as usize) else {
                return Poll::Ready(());
            };
            if cell.ended {
                return Poll::Ready(());
            }
            cell.waker = Some(cx.waker().clone());
            cell.body.take()
        };
        let Some(mut body) = body else {
            return Poll::Ready(());
        };
        let ctx = &**ctx;
        // One reading of the clock for the start of the poll, reused while little work is done.
        ctx.clock.set(Some((ctx.rt.now(), ctx.work.get())));
        ctx.record(id, EventKind::PollStart);
        ctx.wait.borrow_mut().take();
        let polled = body.as_mut().poll(cx);
        let out = ctx.after_poll(id, body, polled);
        ctx.clock.set(None);
        out
    }
}

impl Ctx {
    /// Records how a poll of task `id` ended, and keeps or drops its body.
    fn after_poll(
        &self,
        id: TaskId,
        body: LocalBoxFuture<'static, Outcome>,
        polled: Poll<Outcome>,
    ) -> Poll<()> {
        let ctx = self;
        match polled {
            Poll::Pending => {
                let wait = {
                    let mut tasks = ctx.tasks.borrow_mut();
                    let cell = &mut tasks[id.0 as usize];
                    if cell.ended {
                        // Cancelled while it ran (it stopped the run, say): drop it now.
                        None
                    } else {
                        cell.body = Some(body);
                        let wait = ctx.wait.borrow_mut().take();
                        let wait = wait.filter(|(t, _)| *t == id).map(|(_, w)| w);
                        Some((wait, cell.chain, cell.step))
                    }
                };
                match wait {
                    Some((wait, chain, step)) => {
                        let on = wait.unwrap_or(WaitOn::Sleep {
                            due: ctx.now(),
                            secs: 0.0,
                        });
                        ctx.record(id, EventKind::Paused { on, chain, step });
                        Poll::Pending
                    }
                    None => Poll::Ready(()),
                }
            }
            Poll::Ready(outcome) => {
                drop(body);
                match outcome {
                    Ok(v) => {
                        let value = match v {
                            Value::None => ctx.none.clone(),
                            _ => Rc::from(v.repr()),
                        };
                        ctx.end(id, EventKind::Finished { value }, v);
                    }
                    Err(msg) => ctx.end(id, EventKind::Failed(msg), Value::None),
                }
                if id == TaskId(0) && ctx.program.on_main_return == OnMainReturn::CancelPending {
                    let n = ctx.tasks.borrow().len() as u32;
                    for other in 1..n {
                        ctx.cancel(TaskId(other));
                    }
                }
                Poll::Ready(())
            }
        }
    }
}

/// Awaits a sleep, telling the task's driver what it waits on while pending.
struct Waiting<'a> {
    ctx: &'a Ctx,
    task: TaskId,
    due: f64,
    secs: f64,
    id: TimerId,
    done: bool,
}

impl Future for Waiting<'_> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done {
            return Poll::Ready(());
        }
        match self.ctx.rt.poll_timer(self.id, cx) {
            Poll::Ready(()) => {
                self.done = true;
                Poll::Ready(())
            }
            Poll::Pending => {
                let wait = WaitOn::Sleep {
                    due: self.due,
                    secs: self.secs,
                };
                self.ctx.set_wait(self.task, wait);
                Poll::Pending
            }
        }
    }
}

impl Drop for Waiting<'_> {
    /// A sleep dropped before it fired (its task cancelled) takes its timer with it.
    fn drop(&mut self) {
        if !self.done {
            self.ctx.rt.cancel_timer(self.id);
        }
    }
}

/// Awaits another task's end.
struct Join<'a> {
    ctx: &'a Ctx,
    target: TaskId,
    waiter: TaskId,
}

impl Future for Join<'_> {
    type Output = Outcome;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome> {
        let mut tasks = self.ctx.tasks.borrow_mut();
        let Some(cell) = tasks.get_mut(self.target.0 as usize) else {
            return Poll::Ready(Err(Rc::from("await of an unknown task")));
        };
        if cell.ended {
            return Poll::Ready(Ok(cell.result.clone().unwrap_or_default()));
        }
        let waiter = self.waiter;
        cell.listeners.forget_join(waiter);
        cell.listeners
            .push(Listener::Join(waiter, cx.waker().clone()));
        drop(tasks);
        self.ctx.set_wait(waiter, WaitOn::Task(self.target));
        Poll::Pending
    }
}

/// Awaits the end of every task of a `gather`.
struct GatherWait<'a> {
    ctx: &'a Ctx,
    state: Rc<GatherState>,
    wait: WaitOn,
}

impl Future for GatherWait<'_> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.state.remaining.get() == 0 {
            return Poll::Ready(());
        }
        *self.state.waker.borrow_mut() = Some(cx.waker().clone());
        self.ctx.set_wait(self.state.waiter, self.wait.clone());
        Poll::Pending
    }
}
