//! The interpreter: runs a [`Program`] on any [`Runtime`]. Each task is an explicit state
//! machine, kept in the task's record: the calls it is inside, the block and statement it is
//! at within each, and what it waits on. One instrumenting future per task, its [`Task`],
//! steps it on every poll and records the polls, pauses, wakes, prints and end. A sleeping task
//! thus keeps no compiler-made future at all: a hundred thousand of them cost their records
//! (one vector for all), their events and the runtime's own share, and little else.
//!
//! Here: a run ([`Run`]) and the context its tasks share (the recorder, the clock's readings,
//! task creation, await chains). Apart: the task's record and state machine (`machine`), how
//! tasks end, wait and are cancelled as asyncio does it (`tasks`), statements (`statements`),
//! expressions (`expressions`), and the errors a task can raise (`errors`).

mod errors;
mod expressions;
mod machine;
mod statements;
mod tasks;

use std::cell::{Cell, Ref, RefCell};
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

pub use errors::{Error, Raised};
use machine::{Chains, Level, Life, Listeners, Machine, Start, TaskCell};

use crate::engine::exec::interp::expressions::coro_name;
use crate::engine::exec::runtime::Runtime;
use crate::engine::exec::task::{Stepper, Task};
use crate::engine::lang::program::{FnId, Program};
use crate::engine::lang::rng::Rng;
use crate::engine::lang::value::Coroutine;
use crate::engine::record::trace::{Event, EventKind, TaskId, TaskInfo, Trace};

/// Lists longer than this (from `range`, say) are refused rather than exhausting memory.
pub const MAX_LIST: usize = 10_000_000;

/// One interpreter for every runtime: the runtime is a trait object, so the interpreter is
/// compiled once, not once per runtime (it is most of the engine's code in the shipped module).
struct Ctx {
    /// Itself, for the tasks it hands the loop.
    me: Weak<Ctx>,
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
        let ctx = Rc::new_cyclic(|me| Ctx {
            me: me.clone(),
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
            driver: size_of::<Task>(),
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
            // Events are kept in the order they happened, in time order: a timer's handle runs
            // after the handles queued before it in the same turn, so it fires no earlier than
            // what they recorded (the loop hands it the turn's start time).
            let at = trace.events.last().map_or(at, |e| at.max(e.at));
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
            state: Life::Start(start),
            waker: None,
            listeners: Listeners::default(),
        });
        self.live.set(self.live.get() + 1);
        let stepper: Rc<dyn Stepper> = self.clone();
        self.rt.spawn_task(Task::new(stepper, id.0));
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
}

/// The instrumentation: each poll of a task's [`Task`] steps it here and records the poll,
/// pause, wake, prints and end.
impl Stepper for Ctx {
    fn step(&self, id: u32, cx: &mut Context<'_>) -> Poll<()> {
        let id = TaskId(id);
        let Some(ctx) = self.me.upgrade() else {
            return Poll::Ready(());
        };
        let ctx = &ctx;
        let state = {
            let mut tasks = ctx.tasks.borrow_mut();
            let Some(cell) = tasks.get_mut(id.0 as usize) else {
                return Poll::Ready(());
            };
            if matches!(cell.state, Life::Ended(_) | Life::Polling) {
                return Poll::Ready(());
            }
            cell.waker = Some(cx.waker().clone());
            std::mem::replace(&mut cell.state, Life::Polling)
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
