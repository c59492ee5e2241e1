//! The interpreter: runs a [`Program`] on any [`Runtime`]. Each task is an explicit state
//! machine, kept in the task's record: the calls it is inside, the block and statement it is
//! at within each, and what it waits on. One instrumenting future per task, the [`Driver`],
//! steps it on every poll and records the polls, pauses, wakes, prints and end. A sleeping task
//! thus keeps no compiler-made future at all: a hundred thousand of them cost their records
//! (one vector for all), their events and the runtime's own share, and little else.

use std::cell::{Cell, Ref, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::program::{BinOp, BlockKind, Expr, FnId, OnMainReturn, Program, StepId, Stmt, StmtKind};
use super::rng::Rng;
use super::runtime::{Runtime, TimerId};
use super::trace::{Event, EventKind, TaskId, TaskInfo, Trace, WaitOn};
use super::value::{seconds, Coroutine, Value};

/// Lists longer than this (from `range`, say) are refused rather than exhausting memory.
pub const MAX_LIST: usize = 10_000_000;

/// Who is told when a task ends.
enum Listener {
    /// A task awaiting this one; it is woken through the waker of its last poll.
    Join(TaskId),
    /// A `gather` that waits for several.
    Gather(Rc<GatherState>),
}

struct GatherState {
    waiter: TaskId,
    /// How many of its tasks' ends it has not yet been told of.
    remaining: Cell<usize>,
    /// Set once it is over: all its tasks finished, or one of them raised (asyncio's gather
    /// gives the first error to its waiter at once; the other tasks run on).
    over: Cell<bool>,
    /// What its first task to fail or be cancelled raised.
    raised: RefCell<Option<Raised>>,
    /// Its tasks, in the order given: what the waiter's pauses record, and whose results it
    /// returns.
    ids: Rc<[TaskId]>,
}

/// The interpreter's record of a task. Every task has one, in one vector, for as long as the
/// run lasts: its size is most of what a sleeping task costs the interpreter.
struct TaskCell {
    /// What it is doing.
    state: State,
    /// The waker of its last poll: to wake it when what it awaits ends, or to cancel it.
    waker: Option<Waker>,
    listeners: Listeners,
}

/// Where a task is in its life.
enum State {
    /// Created, not yet polled: what it will run.
    Start(Start),
    /// Started: its machine, between two polls.
    Run(Machine),
    /// Being polled: its machine is out of the record meanwhile.
    Polling,
    /// Cancelled, not yet told (asyncio's `_must_cancel`): its next step raises
    /// `CancelledError` where it is, and nothing in the subset catches it, so its machine is
    /// already gone.
    Cancelling,
    /// Finished (with what it returned), failed or cancelled.
    Ended(Result<Value, Raised>),
}

/// What a task raised instead of returning: the ways a task can end other than finishing.
#[derive(Clone, Debug, PartialEq)]
pub enum Raised {
    /// `CancelledError`: it was cancelled where it waited.
    Cancelled,
    /// Any other error, as its message.
    Error(Rc<str>),
}

impl From<Rc<str>> for Raised {
    fn from(message: Rc<str>) -> Raised {
        Raised::Error(message)
    }
}

/// The coroutine a task was created with (its name went into the task's).
enum Start {
    /// A call of one of the program's functions.
    Call { func: FnId, args: Vec<Value> },
    /// `asyncio.sleep(secs)` as a task of its own.
    Sleep(f64),
}

/// A started task: the calls it is inside, outermost first, the block it is in within each, and
/// what it waits on. The task's own call is kept in line, and anything deeper behind one
/// pointer: most tasks never go deeper, and every task has a record for as long as the run lasts.
struct Machine {
    /// What it waits on, if anything; while it waits, it is at the statement that awaits.
    wait: Wait,
    /// While it waits on a sleep, when the sleep falls due and how long it is, for the record
    /// of its pauses (kept here, not in [`Wait`], so that the enum needs no 8-byte tag).
    due: f64,
    secs: f64,
    /// The task's own call; none for a task that is a bare `asyncio.sleep`.
    base: Option<Frame>,
    /// Deeper levels, if any.
    deep: Option<Box<Deep>>,
}

/// The levels of a task deeper than its own call's body, innermost last: blocks entered (loop
/// and `if` bodies) and calls awaited in line (an awaited coroutine runs inside the awaiting
/// task). Never empty: a machine with no deeper level has none of these.
struct Deep(Vec<Level>);

/// What a task waits on.
enum Wait {
    None,
    /// A bare yield (`asyncio.sleep(0)`), in the step that yields: its next step is queued.
    Yield,
    /// A bare yield, past the step that yielded: done.
    Yielded,
    /// A sleep's timer (see [`Machine::due`]).
    Sleep(TimerId),
    /// Another task's end.
    Join(TaskId),
    /// The end of every task of a `gather`.
    Gather(Rc<GatherState>),
}

/// A call being run: its function, its variables, and the statement of its body it is at.
struct Frame {
    func: FnId,
    env: Env,
    at: usize,
}

/// A level of a task deeper than its own call's body.
enum Level {
    /// A call awaited in line: its body is what runs.
    Call(Frame),
    /// A block of the statement the level below is at: which one, and the statement it is at.
    Block { how: Enter, at: usize },
}

/// Which block of its statement a [`Level::Block`] runs.
enum Enter {
    /// An `if`'s first branch.
    Then,
    /// An `if`'s `else` branch.
    Else,
    /// A `while` body; its condition is checked again at its end.
    While,
    /// A `for` body: the items, and the index of the next one.
    For { items: Rc<Vec<Value>>, next: usize },
}

/// The innermost block a machine is in.
struct Cursor<'p> {
    /// Its statements.
    stmts: &'p [Stmt],
    /// The statement it is at (`stmts.len()` once past the last).
    at: usize,
    /// The statement whose block it is; none for a function's body.
    owner: Option<&'p Stmt>,
}

impl Machine {
    fn new() -> Machine {
        Machine {
            wait: Wait::None,
            due: 0.0,
            secs: 0.0,
            base: None,
            deep: None,
        }
    }

    /// The levels deeper than the task's own call's body, innermost last.
    fn levels(&self) -> &[Level] {
        self.deep.as_ref().map_or(&[], |d| &d.0)
    }

    fn levels_mut(&mut self) -> &mut [Level] {
        self.deep.as_mut().map_or(&mut [], |d| &mut d.0)
    }

    /// Goes one level deeper.
    fn push(&mut self, level: Level) {
        match &mut self.deep {
            Some(d) => d.0.push(level),
            None => self.deep = Some(Box::new(Deep(vec![level]))),
        }
    }

    /// Keeps the outermost `n` deeper levels only.
    fn truncate(&mut self, n: usize) {
        if n == 0 {
            self.deep = None;
        } else if let Some(d) = &mut self.deep {
            d.0.truncate(n);
        }
    }

    /// The calls it is inside, outermost first: its await chain is their functions.
    fn calls(&self) -> impl Iterator<Item = &Frame> {
        let inline = self.levels().iter().filter_map(|l| match l {
            Level::Call(frame) => Some(frame),
            Level::Block { .. } => None,
        });
        self.base.iter().chain(inline)
    }

    /// The innermost call, with the levels of blocks entered within it.
    fn call(&self) -> Option<(&Frame, &[Level])> {
        let levels = self.levels();
        for (i, level) in levels.iter().enumerate().rev() {
            if let Level::Call(frame) = level {
                return Some((frame, &levels[i + 1..]));
            }
        }
        self.base.as_ref().map(|frame| (frame, levels))
    }

    /// The variables of the innermost call.
    fn env(&mut self) -> Result<&mut Env, Rc<str>> {
        // The field, not `levels_mut`: the borrow checker then sees it apart from `base`.
        let levels = self.deep.as_mut().map_or(&mut [][..], |d| &mut d.0[..]);
        for level in levels.iter_mut().rev() {
            if let Level::Call(frame) = level {
                return Ok(&mut frame.env);
            }
        }
        self.base.as_mut().map(|f| &mut f.env).ok_or_else(lost)
    }

    /// Where the innermost block is: its statements are found from the function's body down,
    /// one level at a time (levels keep indices, not references into the program).
    fn cursor<'p>(&self, program: &'p Program) -> Option<Cursor<'p>> {
        let (frame, blocks) = self.call()?;
        let mut cursor = Cursor {
            stmts: &program.functions.get(frame.func.0 as usize)?.body,
            at: frame.at,
            owner: None,
        };
        for level in blocks {
            let Level::Block { how, at } = level else {
                return None;
            };
            let owner = cursor.stmts.get(cursor.at)?;
            let stmts = match (&owner.kind, how) {
                (StmtKind::If { then, .. }, Enter::Then) => then,
                (StmtKind::If { otherwise, .. }, Enter::Else) => otherwise,
                (StmtKind::While { body, .. }, Enter::While)
                | (StmtKind::For { body, .. }, Enter::For { .. }) => body,
                _ => return None,
            };
            cursor = Cursor {
                stmts,
                at: *at,
                owner: Some(owner),
            };
        }
        Some(cursor)
    }

    /// The statement it is at, as its pauses record it (none for a bare sleep).
    fn step(&self, program: &Program) -> StepId {
        self.cursor(program)
            .and_then(|c| c.stmts.get(c.at))
            .map(|s| s.id)
            .unwrap_or_default()
    }

    /// Moves the innermost block on to its next statement.
    fn advance(&mut self) {
        let levels = self.deep.as_mut().map_or(&mut [][..], |d| &mut d.0[..]);
        let at = match levels.last_mut() {
            Some(Level::Call(frame)) => &mut frame.at,
            Some(Level::Block { at, .. }) => at,
            None => match &mut self.base {
                Some(frame) => &mut frame.at,
                None => return,
            },
        };
        *at += 1;
    }
}

/// The message of a machine that does not match its program (a bug, never a program's fault).
fn lost() -> Rc<str> {
    Rc::from("the interpreter lost its place in the program")
}

/// Who waits on a task: usually one waiter (a `gather` or an `await`), kept without a vector;
/// several (two tasks awaiting one, say) behind one pointer.
#[derive(Default)]
enum Listeners {
    #[default]
    None,
    One(Listener),
    Many(Box<More>),
}

/// Several listeners, in the order they came.
struct More(Vec<Listener>);

impl Listeners {
    fn push(&mut self, l: Listener) {
        match std::mem::take(self) {
            Listeners::None => *self = Listeners::One(l),
            Listeners::One(first) => *self = Listeners::Many(Box::new(More(vec![first, l]))),
            Listeners::Many(mut more) => {
                more.0.push(l);
                *self = Listeners::Many(more);
            }
        }
    }

    /// Registers an `await` of `waiter` (it registers on every poll while it waits): an earlier
    /// one is forgotten, and the waiter goes last, unless it was first already.
    fn join(&mut self, waiter: TaskId) {
        let is_it = |l: &Listener| matches!(l, Listener::Join(w) if *w == waiter);
        match self {
            Listeners::One(first) if is_it(first) => return,
            Listeners::Many(more) => {
                if more.0.first().is_some_and(is_it) {
                    return;
                }
                more.0.retain(|l| !is_it(l));
            }
            _ => {}
        }
        self.push(Listener::Join(waiter));
    }

    fn drain_all(self) -> impl Iterator<Item = Listener> {
        let (one, many) = match self {
            Listeners::None => (None, Vec::new()),
            Listeners::One(l) => (Some(l), Vec::new()),
            Listeners::Many(more) => (None, more.0),
        };
        one.into_iter().chain(many)
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
    /// The task being polled and when its poll began, until that start is recorded: it is
    /// left out when the poll pauses or ends at the same instant (see [`EventKind::PollStart`]).
    poll_start: Cell<Option<(TaskId, f64)>>,
    /// Units of interpreter work done so far (statements, tasks created, list items made).
    work: Cell<u64>,
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
    /// Starts `program` on `rt`: the main task is spawned at once (its first step is queued).
    pub fn start(program: Rc<Program>, rt: R) -> Run<R>
    where
        R: Clone,
    {
        let seed = program.seed.unwrap_or(0);
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
            poll_start: Cell::new(None),
            work: Cell::new(0),
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
        ctx.spawn(None, &coro, Some(Rc::from("main")));
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
        use std::mem::size_of;
        Footprint {
            task_record: size_of::<TaskCell>(),
            task_info: size_of::<TaskInfo>(),
            event: size_of::<Event>(),
            driver: size_of::<Driver>(),
            level: size_of::<Level>(),
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
            self.ctx.terminate(id);
        }
        self.ctx.stopped.set(true);
        self.ctx.rt.stopped();
    }
}

/// Sizes, in bytes, of what every task keeps (see [`Run::footprint`]).
#[derive(Clone, Copy, Debug)]
pub struct Footprint {
    /// The interpreter's record of a task: its state machine (its own call's variables and
    /// place, what it waits on), waker and listeners. One vector holds every task's.
    pub task_record: usize,
    /// Its entry in the trace's task table.
    pub task_info: usize,
    /// One recorded event.
    pub event: usize,
    /// The future the runtime polls for it (the runtime keeps it in a task of its own).
    pub driver: usize,
    /// One level deeper than a task's own call (a loop or `if` body, a call awaited in line),
    /// in a vector of the task's own: a task that sleeps at the top of its function has none.
    pub level: usize,
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

    /// Records the start of the poll in progress if nothing has yet (see
    /// [`EventKind::PollStart`]).
    fn flush_poll_start(&self) {
        if let Some((task, at)) = self.poll_start.take() {
            self.record_at(at, task, EventKind::PollStart);
        }
    }

    fn add_work(&self, units: usize) {
        self.work.set(self.work.get() + units as u64);
    }

    fn record_at(&self, at: f64, task: TaskId, kind: EventKind) {
        if let Some((polled, from)) = self.poll_start.take() {
            // The start of the poll in progress goes first, unless this event implies it.
            if !(polled == task && from == at && kind.ends_poll()) {
                self.record_at(from, polled, EventKind::PollStart);
            }
        }
        if !self.stopped.get() {
            let mut trace = self.trace.borrow_mut();
            trace.events.push(Event { at, task, kind });
            let limit = self.event_limit.get();
            if trace.events.len() > limit {
                trace.compact(limit);
            }
        }
    }

    /// Creates a task running `coro`; returns its id.
    fn spawn(
        self: &Rc<Self>,
        parent: Option<TaskId>,
        coro: &Coroutine,
        name: Option<Rc<str>>,
    ) -> TaskId {
        let count = self.tasks.borrow().len();
        if count >= self.task_limit.get() {
            self.over_limit.set(true);
            return TaskId(u32::MAX);
        }
        let id = TaskId(count as u32);
        let name = name.unwrap_or_else(|| self.task_name(coro));
        self.add_work(1);
        let spawned = self.now();
        if !self.stopped.get() {
            self.trace.borrow_mut().tasks.push(TaskInfo {
                name,
                parent,
                spawned,
            });
        }
        let start = match coro {
            Coroutine::Call { func, args, .. } => Start::Call {
                func: *func,
                args: args.clone(),
            },
            Coroutine::Sleep(secs) => Start::Sleep(*secs),
        };
        self.tasks.borrow_mut().push(TaskCell {
            state: State::Start(start),
            waker: None,
            listeners: Listeners::default(),
        });
        self.live.set(self.live.get() + 1);
        self.rt.spawn_driver(Driver {
            ctx: self.clone(),
            id,
        });
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

    /// The await chain of the calls machine `m` is inside (`foo → bar`), as an index into the
    /// chains. Found, not kept: it costs a task's record nothing, and the program's handful of
    /// chains are known by the time a task pauses in one.
    fn chain_of(&self, m: &Machine) -> u32 {
        m.calls().fold(0, |chain, f| self.chain_push(chain, f.func))
    }

    /// Ends a task: records how, and tells whoever waits on it, as asyncio schedules a
    /// future's done callbacks: each at the back of the ready queue, in the order they came.
    fn end(self: &Rc<Self>, id: TaskId, result: Result<Value, Raised>) {
        let (listeners, before) = {
            let mut tasks = self.tasks.borrow_mut();
            let Some(cell) = tasks.get_mut(id.0 as usize) else {
                return;
            };
            if matches!(cell.state, State::Ended(_)) {
                return;
            }
            let how = result.clone();
            let before = std::mem::replace(&mut cell.state, State::Ended(how));
            (std::mem::take(&mut cell.listeners), before)
        };
        // Its machine goes with its timer; with no borrow held.
        if let State::Run(m) = before {
            self.discard(m);
        }
        self.live.set(self.live.get().saturating_sub(1));
        let how = match &result {
            Ok(Value::None) => EventKind::Finished {
                value: self.none.clone(),
            },
            Ok(v) => EventKind::Finished {
                value: Rc::from(v.repr()),
            },
            Err(Raised::Cancelled) => EventKind::Cancelled,
            Err(Raised::Error(msg)) => EventKind::Failed(msg.clone()),
        };
        self.record(id, how);
        for l in listeners.drain_all() {
            match l {
                Listener::Join(waiter) => {
                    self.record(waiter, EventKind::Woken);
                    self.wake(waiter);
                }
                Listener::Gather(g) => {
                    // The gather's own done callback runs in the next turn; it wakes the waiter
                    // (in the turn after) once the gather is over.
                    let ctx = self.clone();
                    let outcome = result.clone().err();
                    self.rt
                        .call_soon(Box::new(move || ctx.gather_told(&g, outcome)));
                }
            }
        }
    }

    /// A gather's done callback: one of its tasks ended (with `raised` if it did not finish).
    fn gather_told(&self, g: &GatherState, raised: Option<Raised>) {
        if g.over.get() {
            return;
        }
        let left = g.remaining.get().saturating_sub(1);
        g.remaining.set(left);
        if let Some(r) = raised {
            *g.raised.borrow_mut() = Some(r);
        } else if left > 0 {
            return;
        }
        g.over.set(true);
        self.record(g.waiter, EventKind::Woken);
        self.wake(g.waiter);
    }

    /// Wakes a task through the waker of its last poll.
    fn wake(&self, task: TaskId) {
        let waker = self
            .tasks
            .borrow()
            .get(task.0 as usize)
            .and_then(|c| c.waker.clone());
        if let Some(w) = waker {
            self.rt.wake(w);
        }
    }

    /// Drops the machine of a task that will not run again, and the timer of its sleep (a
    /// sleep cancelled before it fired must not fire).
    fn discard(&self, m: Machine) {
        if let Wait::Sleep(timer) = m.wait {
            self.rt.cancel_timer(timer);
        }
    }

    /// `task.cancel()`, as asyncio does it: the task raises `CancelledError` at its next step.
    /// If it waits on a sleep, the sleep is cancelled and the task woken; if it awaits a task or
    /// a gather, the cancellation goes to what it awaits (the error then comes back through
    /// it). False if the task is over already.
    fn request_cancel(self: &Rc<Self>, id: TaskId) -> bool {
        enum Then {
            Nothing,
            Wake,
            Cancel(Vec<TaskId>),
        }
        let then = {
            let mut tasks = self.tasks.borrow_mut();
            let Some(cell) = tasks.get_mut(id.0 as usize) else {
                return false;
            };
            let then = match &cell.state {
                State::Ended(_) => return false,
                State::Polling | State::Cancelling => return true,
                State::Run(m) => match &m.wait {
                    // The sleep is cancelled, which wakes the task (unless its timer already
                    // fired and woke it).
                    Wait::Sleep(timer) if self.rt.cancel_timer(*timer) => Then::Wake,
                    Wait::Join(target) => Then::Cancel(vec![*target]),
                    Wait::Gather(g) if !g.over.get() => Then::Cancel(g.ids.to_vec()),
                    _ => Then::Nothing,
                },
                State::Start(_) => Then::Nothing,
            };
            if !matches!(then, Then::Cancel(_)) {
                cell.state = State::Cancelling;
            }
            then
        };
        match then {
            Then::Nothing => {}
            Then::Wake => self.wake(id),
            Then::Cancel(targets) => {
                let mut any = false;
                for t in targets {
                    any |= self.request_cancel(t);
                }
                if !any {
                    // What it awaits is over already (its wake is queued): it is told itself.
                    if let Some(cell) = self.tasks.borrow_mut().get_mut(id.0 as usize) {
                        if let State::Run(m) = std::mem::replace(&mut cell.state, State::Cancelling)
                        {
                            drop(m);
                        }
                    }
                }
            }
        }
        true
    }

    /// Ends a task at once, wherever it is: the page's Stop, not asyncio's cancellation.
    fn terminate(self: &Rc<Self>, id: TaskId) {
        self.end(id, Err(Raised::Cancelled));
    }

    /// What `asyncio.run` does once its main task is over and the loop has stopped (the turn
    /// that ran its done callback has ended): cancels every task still unfinished, each where it
    /// waits, and lets them end.
    fn shut_down(self: &Rc<Self>) {
        let n = self.tasks.borrow().len() as u32;
        for id in 1..n {
            self.request_cancel(TaskId(id));
        }
    }

    /// One poll of task `id`, whose state was taken out of its record: starts it if it is new,
    /// runs it until it waits or ends, and records how the poll ended.
    fn poll_task(self: &Rc<Self>, id: TaskId, state: State, cx: &mut Context<'_>) -> Poll<()> {
        let mut m = Machine::new();
        let started = match state {
            State::Start(Start::Sleep(secs)) => {
                self.sleep(id, &mut m, secs);
                Ok(())
            }
            State::Start(Start::Call { func, args }) => self.enter(&mut m, func, args),
            State::Run(run) => {
                m = run;
                Ok(())
            }
            State::Cancelling => {
                // `CancelledError` is raised where the task is: nothing in the subset catches it.
                return self.after_poll(id, m, Err(Raised::Cancelled));
            }
            State::Polling | State::Ended(_) => return Poll::Ready(()),
        };
        let step = started
            .map_err(Raised::from)
            .and_then(|()| self.drive(id, &mut m, cx));
        self.after_poll(id, m, step)
    }

    /// Records how a poll of task `id` ended, and keeps or drops its machine.
    fn after_poll(self: &Rc<Self>, id: TaskId, m: Machine, step: Result<Step, Raised>) -> Poll<()> {
        let outcome = match step {
            Ok(Step::Pause(on)) => {
                let (chain, step) = (self.chain_of(&m), m.step(&self.program));
                let gone = {
                    let mut tasks = self.tasks.borrow_mut();
                    match tasks.get_mut(id.0 as usize) {
                        Some(cell) if matches!(cell.state, State::Polling) => {
                            cell.state = State::Run(m);
                            None
                        }
                        // Ended while it ran (it stopped the run, say): drop it now.
                        _ => Some(m),
                    }
                };
                if let Some(m) = gone {
                    self.discard(m);
                    return Poll::Ready(());
                }
                self.record(id, EventKind::Paused { on, chain, step });
                return Poll::Pending;
            }
            Ok(Step::Done(v)) => Ok(v),
            Err(raised) => Err(raised),
        };
        self.discard(m);
        self.end(id, outcome);
        if id == TaskId(0) && self.program.on_main_return == OnMainReturn::CancelPending {
            // asyncio.run's done callback on the main task stops the loop: the turn that runs
            // it is finished, then every other task is cancelled.
            let ctx = self.clone();
            let rt = self.rt.clone();
            self.rt.call_soon(Box::new(move || {
                rt.after_turn(Box::new(move || ctx.shut_down()));
            }));
        }
        Poll::Ready(())
    }

    /// Runs task `task` from where it is until it waits on something or returns.
    fn drive(
        self: &Rc<Self>,
        task: TaskId,
        m: &mut Machine,
        cx: &mut Context<'_>,
    ) -> Result<Step, Raised> {
        loop {
            match self.poll_wait(task, m, cx)? {
                Waited::Pending(on) => return Ok(Step::Pause(on)),
                Waited::Ready(v) => {
                    if let Some(v) = self.resume(m, v) {
                        return Ok(Step::Done(v));
                    }
                }
                Waited::Nothing => {}
            }
            if let Some(v) = self.next(task, m)? {
                return Ok(Step::Done(v));
            }
        }
    }

    /// Looks at what the machine waits on: still pending (what to record), over (its value), or
    /// nothing to wait for. What an awaited task or gather raised is raised here in turn.
    fn poll_wait(
        &self,
        task: TaskId,
        m: &mut Machine,
        cx: &mut Context<'_>,
    ) -> Result<Waited, Raised> {
        let value = match &m.wait {
            Wait::None => return Ok(Waited::Nothing),
            Wait::Yield => {
                m.wait = Wait::Yielded;
                return Ok(Waited::Pending(WaitOn::Sleep {
                    due: m.due,
                    secs: 0.0,
                }));
            }
            Wait::Yielded => Value::None,
            Wait::Sleep(timer) => match self.rt.poll_timer(*timer, cx) {
                Poll::Pending => {
                    return Ok(Waited::Pending(WaitOn::Sleep {
                        due: m.due,
                        secs: m.secs,
                    }))
                }
                Poll::Ready(()) => Value::None,
            },
            Wait::Join(target) => {
                let mut tasks = self.tasks.borrow_mut();
                let Some(cell) = tasks.get_mut(target.0 as usize) else {
                    return Err(Raised::Error(Rc::from("await of an unknown task")));
                };
                match &cell.state {
                    State::Ended(result) => result.clone()?,
                    _ => {
                        cell.listeners.join(task);
                        return Ok(Waited::Pending(WaitOn::Task(*target)));
                    }
                }
            }
            Wait::Gather(g) => {
                if !g.over.get() {
                    return Ok(Waited::Pending(WaitOn::Gather(g.ids.clone())));
                }
                if let Some(raised) = g.raised.borrow().clone() {
                    return Err(raised);
                }
                let tasks = self.tasks.borrow();
                let results = g
                    .ids
                    .iter()
                    .map(|id| match tasks.get(id.0 as usize).map(|c| &c.state) {
                        Some(State::Ended(Ok(v))) => v.clone(),
                        _ => Value::None,
                    })
                    .collect();
                Value::List(Rc::new(results))
            }
        };
        m.wait = Wait::None;
        Ok(Waited::Ready(value))
    }

    /// Gives `v`, what was awaited, to the statement that awaited it, which is then done; or,
    /// in a task that is a bare sleep, returns it as the task's result.
    fn resume(&self, m: &mut Machine, v: Value) -> Option<Value> {
        if m.base.is_none() {
            return Some(v);
        }
        let awaiting = m
            .cursor(&self.program)
            .and_then(|c| c.stmts.get(c.at))
            .map(|s| &s.kind);
        if let Some(StmtKind::Await { var, .. } | StmtKind::Gather { var, .. }) = awaiting {
            if let (Some(var), Ok(env)) = (var, m.env()) {
                env.insert(var.clone(), v);
            }
        }
        m.advance();
        None
    }

    /// Returns `v` from the innermost call: to the statement that awaited it, or, from the
    /// task's own call, as the task's result.
    fn ret(&self, m: &mut Machine, v: Value) -> Option<Value> {
        let inner = m.levels().iter().rposition(|l| matches!(l, Level::Call(_)));
        match inner {
            Some(i) => {
                m.truncate(i);
                self.resume(m, v)
            }
            None => Some(v),
        }
    }

    /// Enters a call of `func` with `args`: its body runs next, in this task.
    fn enter(&self, m: &mut Machine, func: FnId, args: Vec<Value>) -> Result<(), Rc<str>> {
        // A chain is added when a call in it first begins, before the call is checked: chains
        // are numbered in the order they are first seen.
        self.chain_push(self.chain_of(m), func);
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
        let frame = Frame {
            func,
            env: Env(f.params.iter().cloned().zip(args).collect()),
            at: 0,
        };
        match m.base {
            None => m.base = Some(frame),
            Some(_) => m.push(Level::Call(frame)),
        }
        Ok(())
    }

    /// Starts a sleep: the machine waits on its timer. A sleep of 0 (or less) is asyncio's bare
    /// yield: no timer, the task's next step goes to the back of the ready queue.
    fn sleep(&self, task: TaskId, m: &mut Machine, secs: f64) {
        let secs = if secs.is_finite() { secs.max(0.0) } else { 0.0 };
        if secs == 0.0 {
            m.wait = Wait::Yield;
            m.due = self.now();
            m.secs = 0.0;
            self.wake(task);
            return;
        }
        let timer = self.rt.timer(self.now(), secs, task.0);
        m.wait = Wait::Sleep(timer.id);
        m.due = timer.due;
        m.secs = secs;
    }

    /// Runs the statement the machine is at, or leaves the block it is past the end of. Gives
    /// the task's result once its own call returns.
    fn next(self: &Rc<Self>, task: TaskId, m: &mut Machine) -> Result<Option<Value>, Rc<str>> {
        let program = &*self.program;
        let cursor = m.cursor(program).ok_or_else(lost)?;
        match cursor.stmts.get(cursor.at) {
            Some(stmt) => self.exec(task, m, stmt),
            None => self.leave(m, cursor.owner),
        }
    }

    /// Past the end of a block: a loop goes round again, anything else is done with; the end of
    /// a function's body returns `None`.
    fn leave(&self, m: &mut Machine, owner: Option<&Stmt>) -> Result<Option<Value>, Rc<str>> {
        let again = match owner.map(|s| &s.kind) {
            None => return Ok(self.ret(m, Value::None)),
            Some(StmtKind::For { var, .. }) => {
                let item = match m.levels_mut().last_mut() {
                    Some(Level::Block {
                        how: Enter::For { items, next },
                        ..
                    }) => {
                        let item = items.get(*next).cloned();
                        *next += 1;
                        item
                    }
                    _ => None,
                };
                match item {
                    Some(item) => {
                        m.env()?.insert(var.clone(), item);
                        true
                    }
                    None => false,
                }
            }
            Some(StmtKind::While { cond, .. }) => self.eval(m.env()?, cond)?.truthy(),
            Some(_) => false,
        };
        if again {
            if let Some(Level::Block { at, .. }) = m.levels_mut().last_mut() {
                *at = 0;
            }
        } else {
            m.truncate(m.levels().len().saturating_sub(1));
            m.advance();
        }
        Ok(None)
    }

    /// Runs one statement: at once, or up to what it awaits (the machine then waits on it, or
    /// is in the awaited call). Gives the task's result if it returned from its own call.
    fn exec(
        self: &Rc<Self>,
        task: TaskId,
        m: &mut Machine,
        stmt: &Stmt,
    ) -> Result<Option<Value>, Rc<str>> {
        self.add_work(1);
        let env = m.env()?;
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
            StmtKind::Await { target, .. } => {
                let target = self.eval(env, target)?;
                self.await_value(task, m, target)?;
                return Ok(None);
            }
            StmtKind::Spawn { var, coro } => {
                let Value::Coroutine(c) = self.eval(env, coro)? else {
                    return Err(Rc::from("create_task() needs a coroutine"));
                };
                let id = self.spawn(Some(task), &c, None);
                assign(env, var, Value::Task(id));
            }
            StmtKind::Gather { items, .. } => {
                let items = self.eval(env, items)?;
                self.gather(task, m, items)?;
                return Ok(None);
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
            StmtKind::For { var, iter, .. } => {
                let items = list(self.eval(env, iter)?)?;
                if let Some(first) = items.first() {
                    env.insert(var.clone(), first.clone());
                    let how = Enter::For { items, next: 1 };
                    m.push(Level::Block { how, at: 0 });
                    return Ok(None);
                }
            }
            StmtKind::If { cond, .. } => {
                let how = if self.eval(env, cond)?.truthy() {
                    Enter::Then
                } else {
                    Enter::Else
                };
                m.push(Level::Block { how, at: 0 });
                return Ok(None);
            }
            StmtKind::While { cond, .. } => {
                if self.eval(env, cond)?.truthy() {
                    m.push(Level::Block {
                        how: Enter::While,
                        at: 0,
                    });
                    return Ok(None);
                }
            }
            StmtKind::Cancel(e) => match self.eval(env, e)? {
                Value::Task(id) if id == task => {
                    return Err(Rc::from("a task cannot cancel itself here"))
                }
                Value::Task(id) => {
                    self.request_cancel(id);
                }
                other => {
                    return Err(Rc::from(format!(
                        "'{}' object has no method cancel()",
                        other.type_name()
                    )))
                }
            },
            StmtKind::Return(e) => {
                let v = self.eval(env, e)?;
                return Ok(self.ret(m, v));
            }
        }
        m.advance();
        Ok(None)
    }

    /// Awaits `target` at the statement the machine is at: a sleep starts its timer, a call is
    /// entered (it runs in line, in this task), a task is joined.
    fn await_value(&self, task: TaskId, m: &mut Machine, target: Value) -> Result<(), Rc<str>> {
        match target {
            Value::Coroutine(c) => match &*c {
                Coroutine::Sleep(secs) => self.sleep(task, m, *secs),
                Coroutine::Call { func, args, .. } => self.enter(m, *func, args.clone())?,
            },
            Value::Task(id) if id == task => return Err(Rc::from("a task cannot await itself")),
            Value::Task(id) => m.wait = Wait::Join(id),
            other => {
                return Err(Rc::from(format!(
                    "object {} can't be used in 'await' expression",
                    other.type_name()
                )))
            }
        }
        Ok(())
    }

    /// Starts a `gather`: its coroutines become tasks, and the machine waits on them all.
    fn gather(self: &Rc<Self>, task: TaskId, m: &mut Machine, items: Value) -> Result<(), Rc<str>> {
        let items = list(items)?;
        let mut ids = Vec::with_capacity(items.len());
        // A gather of many coroutines makes many tasks: room for them all at once, not doubled.
        let new = items
            .iter()
            .filter(|i| matches!(i, Value::Coroutine(_)))
            .count();
        self.tasks.borrow_mut().reserve_exact(new);
        self.trace.borrow_mut().tasks.reserve_exact(new);
        self.rt.reserve(new);
        // Tasks given more than once are waited on once (coroutines all become new tasks).
        let mut repeated = Vec::new();
        let mut seen: Vec<u64> = Vec::new();
        for item in items.iter() {
            match item {
                Value::Coroutine(c) => ids.push(self.spawn(Some(task), c, None)),
                Value::Task(id) if (id.0 as usize) < self.tasks.borrow().len() => {
                    let (word, bit) = (id.0 as usize / 64, 1u64 << (id.0 % 64));
                    if seen.len() <= word {
                        seen.resize(word + 1, 0);
                    }
                    if seen[word] & bit != 0 {
                        repeated.push(ids.len());
                    }
                    seen[word] |= bit;
                    ids.push(*id);
                }
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
            over: Cell::new(false),
            raised: RefCell::new(None),
            ids: ids.into(),
        });
        // One done callback per distinct task, as asyncio adds it; a task already over has its
        // callback queued at once.
        let mut told_now = Vec::new();
        {
            let mut tasks = self.tasks.borrow_mut();
            for (i, id) in state.ids.iter().enumerate() {
                if repeated.contains(&i) {
                    continue;
                }
                if let Some(cell) = tasks.get_mut(id.0 as usize) {
                    state.remaining.set(state.remaining.get() + 1);
                    match &cell.state {
                        State::Ended(result) => told_now.push(result.clone().err()),
                        _ => cell.listeners.push(Listener::Gather(state.clone())),
                    }
                }
            }
        }
        if state.remaining.get() == 0 {
            // Nothing to wait for: `await asyncio.gather()` gives `[]` without yielding.
            state.over.set(true);
        }
        for raised in told_now {
            let (ctx, g) = (self.clone(), state.clone());
            self.rt
                .call_soon(Box::new(move || ctx.gather_told(&g, raised)));
        }
        m.wait = Wait::Gather(state);
        Ok(())
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
/// keeps hashing code out of the shipped module); a boxed slice, not a vector, since every
/// task's record holds its own call's (8 bytes, not 12, and nothing allocated for none).
/// Adding a variable copies the list, which is rare: assignments to a known one do not.
struct Env(Box<[(Rc<str>, Value)]>);

impl Env {
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| &**n == name).map(|(_, v)| v)
    }

    fn insert(&mut self, name: Rc<str>, value: Value) -> Option<Value> {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => Some(std::mem::replace(v, value)),
            None => {
                let mut vars = std::mem::take(&mut self.0).into_vec();
                vars.push((name, value));
                self.0 = vars.into_boxed_slice();
                None
            }
        }
    }

    fn remove(&mut self, name: &str) -> Option<Value> {
        let i = self.0.iter().position(|(n, _)| &**n == name)?;
        let mut vars = std::mem::take(&mut self.0).into_vec();
        let (_, value) = vars.swap_remove(i);
        self.0 = vars.into_boxed_slice();
        Some(value)
    }
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

/// What a poll of a task came to, short of an error.
enum Step {
    /// It waits on this.
    Pause(WaitOn),
    /// Its own call returned this.
    Done(Value),
}

/// What a machine's wait came to.
enum Waited {
    /// It waits on nothing.
    Nothing,
    /// It still waits, on this.
    Pending(WaitOn),
    /// The wait is over, with this value.
    Ready(Value),
}

/// The instrumenting future: one per task, the only thing a runtime ever polls. It holds only
/// the way to its task's record, where the task's machine is kept between polls.
pub struct Driver {
    ctx: Rc<Ctx>,
    id: TaskId,
}

impl Driver {
    /// The driver of the task created `n` after this one's, in the same run: so that a
    /// runtime can keep consecutive tasks (a gather's) as one entry rather than one each.
    pub fn nth_after(&self, n: u32) -> Driver {
        Driver {
            ctx: self.ctx.clone(),
            id: TaskId(self.id.0.saturating_add(n)),
        }
    }

    /// True if this drives the task created `n` after `first`'s, in the same run.
    pub fn is_nth_after(&self, first: &Driver, n: u32) -> bool {
        Rc::ptr_eq(&self.ctx, &first.ctx) && first.id.0.checked_add(n) == Some(self.id.0)
    }
}

impl Future for Driver {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let ctx = &self.ctx;
        let id = self.id;
        let state = {
            let mut tasks = ctx.tasks.borrow_mut();
            let Some(cell) = tasks.get_mut(id.0 as usize) else {
                return Poll::Ready(());
            };
            if matches!(cell.state, State::Ended(_) | State::Polling) {
                return Poll::Ready(());
            }
            cell.waker = Some(cx.waker().clone());
            std::mem::replace(&mut cell.state, State::Polling)
        };
        // One reading of the clock for the start of the poll, reused while little work is done.
        let at = ctx.rt.now();
        ctx.clock.set(Some((at, ctx.work.get())));
        ctx.poll_start.set(Some((id, at)));
        let out = ctx.poll_task(id, state, cx);
        ctx.flush_poll_start();
        ctx.clock.set(None);
        out
    }
}
