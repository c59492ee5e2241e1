//! Code mode's interpreter: a program compiled from Python (see `lang::python::compile`) run
//! on any [`Runtime`], its tasks recorded as the catalog's are, so the timeline, console and
//! figures show it alike.
//!
//! The module's code runs first, outside any task, as CPython runs a script; `asyncio.run`
//! suspends it while the loop runs the main task and shuts down, then it goes on. Each task is
//! a stack of frames stepped by the loop (one [`Task`] of the runtime each); asyncio itself is
//! in `aio`, instructions in `vm`, objects in `object`, operators in `ops`, builtins in
//! `builtins`, the guards against a program that holds the thread or the memory in `guard`.

mod access;
pub mod aio;
mod builtins;
mod callbacks;
mod calls;
mod format;
pub mod frame;
pub mod guard;
mod iteration;
pub mod lessons;
mod library;
mod methods;
mod numbers;
pub mod object;
pub mod ops;
mod random;
mod step;
mod strings;
mod vm;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use crate::engine::exec::runtime::Runtime;
use crate::engine::exec::task::{Stepper, Task};
use crate::engine::exec::timers::TimerId;
use crate::engine::lang::python::code::Module;
use crate::engine::lang::rng::Rng;
use crate::engine::record::trace::{Event, EventKind, TaskId, TaskInfo, Trace};

use aio::{Callback, FutState, FutureObj, NativeCoro, TaskPart};
use frame::{Frame, FrameKind, Resume, Stack};
use lessons::{Seen, Spot, MOST_SPOTS};
use object::{CoroState, Coroutine, ExcKind, Exception, Obj, NEVER_AWAITED};
use ops::{exception_line, traceback, Exc, Res};
use vm::Outcome;

/// The most items one list, str or dict may hold before `MemoryError`.
pub const MAX_ITEMS: usize = 10_000_000;

/// Instructions one step may run before the run is called off as an endless loop, on a clock
/// that cannot tell (the virtual one); a real run is cut by time instead (see [`Vm::set_guard`]).
pub const MAX_STEP_WORK: u64 = 200_000_000;

/// How many frames of finished calls a run keeps for its next calls.
const SPARE_FRAMES: usize = 32;

/// The task id of what runs outside any task (the module's own code).
pub const NO_TASK: TaskId = TaskId(u32::MAX);

/// Where the program is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    /// The module's code runs, or is over.
    Script,
    /// `asyncio.run` runs its main task.
    Running,
    /// `asyncio.run` cancels what is left and waits for it.
    ShuttingDown,
}

/// How a program run ended, when it did.
#[derive(Clone, Debug, PartialEq)]
pub struct Ending {
    /// The last line of an uncaught exception's traceback (`ValueError: bad`), if one ended it.
    pub error: Option<String>,
    /// The whole traceback, as CPython prints it.
    pub traceback: Option<String>,
}

/// A program being run.
pub struct Vm {
    me: Weak<Vm>,
    rt: Rc<dyn Runtime>,
    module: Module,
    globals: RefCell<Vec<Option<Obj>>>,
    pub(crate) rng: RefCell<Rng>,
    trace: RefCell<Trace>,
    tasks: RefCell<Vec<Rc<FutureObj>>>,
    current: RefCell<Option<Rc<FutureObj>>>,
    script: RefCell<Option<Stack>>,
    phase: Cell<Phase>,
    main: RefCell<Option<Rc<FutureObj>>>,
    /// Set by a bare `raise`: the exception goes on without a new traceback entry.
    reraising: Cell<bool>,
    /// Nested calls from builtins into Python (a `key=` function).
    nesting: Cell<usize>,
    work: Cell<u64>,
    work_limit: Cell<u64>,
    /// When `work` reaches this, the real-time deadline is read.
    next_check: Cell<u64>,
    ending: RefCell<Option<Ending>>,
    stopped: Cell<bool>,
    poll_start: Cell<Option<(TaskId, f64)>>,
    task_count: Cell<u64>,
    /// Real-time guard: when the step in progress must end by (the runtime's clock), if set.
    deadline: Cell<Option<f64>>,
    guard_secs: Cell<f64>,
    /// The line of the call in progress (a print's, a sleep's).
    line: Cell<u32>,
    /// The module's own task, when it awaits at its top level.
    notebook: RefCell<Option<Rc<FutureObj>>>,
    /// What the run did at the lines its lessons point to.
    seen: RefCell<Seen>,
    /// The lines whose awaits are noted in `seen` (see [`Vm::start_watching`]).
    watched: Vec<u32>,
    /// `watched` is not empty.
    watching: Cell<bool>,
    /// A `cancel()` went too deep through gathers (see [`Vm::cancel`]).
    cancel_too_deep: Cell<bool>,
    /// What `asyncio.run`'s shutdown raised, to raise from it.
    shutdown_error: RefCell<Option<Exc>>,
    /// Frames of calls that returned, kept to be used again (see [`Vm::recycle`]): boxed, as
    /// a task's stack holds them, so the box is used again too.
    #[allow(clippy::vec_box)]
    spare_frames: RefCell<Vec<Box<Frame>>>,
}

impl Vm {
    /// A Vm for `module` on `rt`, not yet started.
    fn prepare<R: Runtime>(module: Module, rt: R, watched: Vec<u32>) -> Rc<Vm> {
        let n = module.globals.len();
        let vm = Rc::new_cyclic(|me| Vm {
            me: me.clone(),
            rt: Rc::new(rt),
            module,
            globals: RefCell::new(vec![None; n]),
            rng: RefCell::new(Rng::new(0)),
            trace: RefCell::new(Trace::default()),
            tasks: RefCell::new(Vec::new()),
            current: RefCell::new(None),
            script: RefCell::new(None),
            phase: Cell::new(Phase::Script),
            main: RefCell::new(None),
            reraising: Cell::new(false),
            nesting: Cell::new(0),
            work: Cell::new(0),
            work_limit: Cell::new(MAX_STEP_WORK),
            next_check: Cell::new(4096),
            ending: RefCell::new(None),
            stopped: Cell::new(false),
            poll_start: Cell::new(None),
            task_count: Cell::new(0),
            deadline: Cell::new(None),
            guard_secs: Cell::new(0.0),
            line: Cell::new(0),
            notebook: RefCell::new(None),
            seen: RefCell::new(Seen::default()),
            watching: Cell::new(!watched.is_empty()),
            watched,
            spare_frames: RefCell::new(Vec::new()),
            cancel_too_deep: Cell::new(false),
            shutdown_error: RefCell::new(None),
        });
        vm.trace.borrow_mut().chains.push(Rc::from(""));
        let weak = Rc::downgrade(&vm);
        vm.rt.set_fire_hook(Rc::new(move |task, due, fired_at| {
            if let Some(vm) = weak.upgrade() {
                vm.record_at(fired_at, TaskId(task), EventKind::TimerFired { due });
            }
        }));
        vm
    }

    /// Starts `module` on `rt`: its code runs now, up to the first `asyncio.run` (whose main
    /// task is then queued) or to its end. A module that awaits at its top level (as in a
    /// notebook) runs as a task of its own instead, on a loop that keeps running: the program
    /// is over when nothing is left to run.
    pub fn start<R: Runtime>(module: Module, rt: R) -> Rc<Vm> {
        Vm::start_watching(module, rt, Vec::new())
    }

    /// As [`Vm::start`], noting when each task awaits at one of the lines `watched` (where a
    /// lesson points), for the lessons' marks on the timeline (see [`Vm::seen`]).
    pub fn start_watching<R: Runtime>(module: Module, rt: R, watched: Vec<u32>) -> Rc<Vm> {
        let vm = Vm::prepare(module, rt, watched);
        vm.begin();
        vm
    }

    /// What the run did at the lines its lessons point to: blocking calls, coroutines never
    /// awaited, awaits at the lines watched, and where each task was made.
    pub fn seen(&self) -> std::cell::Ref<'_, Seen> {
        self.seen.borrow()
    }

    fn begin(&self) {
        let frame = Frame::new(self.module.code.clone(), &[]);
        if self
            .module
            .code
            .ops
            .contains(&crate::engine::lang::python::code::Op::Await)
        {
            let coro = Obj::Coroutine(Rc::new(Coroutine {
                name: Rc::from("<module>"),
                call: Rc::from("<module>"),
                line: 0,
                state: RefCell::new(CoroState::Fresh(Box::new(frame))),
            }));
            match self.create_task(coro, None) {
                Ok(task) => *self.notebook.borrow_mut() = Some(task),
                Err(e) => self.finish(Some(e)),
            }
            return;
        }
        let stack = Stack {
            frames: vec![FrameKind::Py(Box::new(frame))],
            handled: None,
        };
        *self.script.borrow_mut() = Some(stack);
        self.resume_script(Resume::Nothing);
    }

    /// Everything recorded so far.
    pub fn trace(&self) -> std::cell::Ref<'_, Trace> {
        self.trace.borrow()
    }

    /// How the program ended, once it has (a notebook's, once its last task is done too).
    pub fn ending(&self) -> Option<Ending> {
        if self.notebook.borrow().is_some() && self.rt.core().live_tasks() > 0 {
            return None;
        }
        self.ending.borrow().clone()
    }

    /// Stops one step that runs longer than `secs` of the runtime's clock (a real run's guard
    /// against a loop that never awaits).
    pub fn set_guard(&self, secs: f64) {
        self.guard_secs.set(secs);
    }

    /// Stops the run: every task is dropped; nothing more is recorded.
    pub fn stop(&self) {
        if self.stopped.replace(true) {
            return;
        }
        self.script.borrow_mut().take();
        let tasks = std::mem::take(&mut *self.tasks.borrow_mut());
        for t in &tasks {
            if let Some(tp) = &t.task {
                let stack = std::mem::take(&mut *tp.stack.borrow_mut());
                drop(stack);
            }
        }
        self.rt.stopped();
        drop(tasks);
        NEVER_AWAITED.with(|n| n.borrow_mut().clear());
    }

    /// The runtime's `now`, in scenario seconds.
    fn now(&self) -> f64 {
        self.rt.now()
    }

    /// `loop.time()`.
    pub fn loop_time(&self) -> f64 {
        self.now()
    }

    fn me(&self) -> Rc<Vm> {
        // A Vm is only ever used through its Rc.
        self.me.upgrade().unwrap_or_else(unreachable_vm)
    }

    // --- the module's code -------------------------------------------------------------

    fn resume_script(&self, resume: Resume) {
        let Some(mut stack) = self.script.borrow_mut().take() else {
            return;
        };
        self.arm_guard();
        let out = self.run(&mut stack, resume);
        self.disarm_guard();
        self.flush_never_awaited();
        match out {
            Outcome::Suspend(_) => {
                *self.script.borrow_mut() = Some(stack);
            }
            Outcome::Yield | Outcome::Yielded(_) => {}
            Outcome::Return(_) => {
                self.finish(None);
            }
            Outcome::Raise(e) => self.finish(Some(e)),
        }
    }

    fn finish(&self, e: Option<Exc>) {
        let ending = match e {
            None => Ending {
                error: None,
                traceback: None,
            },
            Some(e) => Ending {
                error: Some(exception_line(&e) + e.hint.borrow().as_deref().unwrap_or("")),
                traceback: Some(traceback(&e)),
            },
        };
        *self.ending.borrow_mut() = Some(ending);
    }

    /// The module's own task is over: so is its code (the loop runs on while tasks are left).
    fn notebook_over(&self, task: &Rc<FutureObj>, e: Option<Exc>) {
        let is_module = self
            .notebook
            .borrow()
            .as_ref()
            .is_some_and(|m| Rc::ptr_eq(m, task));
        if is_module {
            self.finish(e);
        }
    }

    /// `asyncio.run(coro)`: the main task, and a future the module's code awaits until the loop
    /// has run it and shut down.
    fn asyncio_run(&self, coro: Obj) -> Res<Rc<FutureObj>> {
        if self.current.borrow().is_some() || self.phase.get() != Phase::Script {
            return Err(Exception::msg(
                ExcKind::RuntimeError,
                "asyncio.run() cannot be called from a running event loop",
            ));
        }
        if !matches!(coro, Obj::Coroutine(_)) {
            return Err(ops::value_error(format!(
                "a coroutine was expected, got {}",
                ops::repr(&coro)
            )));
        }
        let main = self.create_task(coro, None)?;
        self.add_done_callback(&main, Callback::StopLoop);
        *self.main.borrow_mut() = Some(main);
        self.phase.set(Phase::Running);
        Ok(FutureObj::new())
    }

    /// The loop stopped (the turn in which `run_until_complete`'s callback ran is over).
    fn loop_stopped(&self) {
        match self.phase.get() {
            Phase::Running => {
                let pending: Vec<Rc<FutureObj>> = self
                    .tasks
                    .borrow()
                    .iter()
                    .filter(|t| !t.is_done())
                    .cloned()
                    .collect();
                if pending.is_empty() {
                    self.run_over();
                    return;
                }
                for t in &pending {
                    if let Err(e) = self.cancel(t, Obj::None) {
                        // As CPython's `_cancel_all_tasks`: the error ends `asyncio.run`, the
                        // tasks left as they are.
                        *self.shutdown_error.borrow_mut() = Some(e);
                        self.run_over();
                        return;
                    }
                }
                self.phase.set(Phase::ShuttingDown);
                match self.gather(pending.into_iter().map(Obj::Future).collect(), true) {
                    Ok(outer) => self.add_done_callback(&outer, Callback::StopLoop),
                    Err(_) => self.run_over(),
                }
            }
            Phase::ShuttingDown => self.run_over(),
            Phase::Script => {}
        }
    }

    /// `asyncio.run` returns (or raises what the main task raised).
    fn run_over(&self) {
        self.phase.set(Phase::Script);
        // `Runner.close()` runs two coroutines as tasks (`shutdown_asyncgens`,
        // `shutdown_default_executor`): the next task made is named two further on.
        self.task_count.set(self.task_count.get() + 2);
        let main = self.main.borrow_mut().take();
        let failed = self.shutdown_error.borrow_mut().take();
        let resume = match failed.map(Err).or_else(|| main.map(|m| m.outcome())) {
            Some(Ok(v)) => Resume::Value(v),
            Some(Err(e)) => Resume::Throw(e),
            None => Resume::Value(Obj::None),
        };
        self.resume_script(resume);
    }

    // --- tasks ---------------------------------------------------------------------------

    /// `asyncio.create_task(coro)`.
    pub fn create_task(&self, coro: Obj, name: Option<Rc<str>>) -> Res<Rc<FutureObj>> {
        let Obj::Coroutine(c) = &coro else {
            return Err(ops::type_error(format!(
                "a coroutine was expected, got {}",
                ops::repr(&coro)
            )));
        };
        let state = std::mem::replace(&mut *c.state.borrow_mut(), CoroState::Taken);
        let first = match state {
            CoroState::Fresh(f) => FrameKind::Py(f),
            CoroState::FreshNative(n) => FrameKind::Native(n),
            CoroState::Taken => {
                return Err(Exception::msg(
                    ExcKind::RuntimeError,
                    "cannot reuse already awaited coroutine",
                ))
            }
        };
        let id = TaskId(self.tasks.borrow().len() as u32);
        let count = self.task_count.get() + 1;
        self.task_count.set(count);
        let parent = self
            .current
            .borrow()
            .as_ref()
            .and_then(|t| t.task.as_ref().map(|tp| tp.id));
        let spawned = self.now();
        if !self.stopped.get() {
            self.trace.borrow_mut().tasks.push(TaskInfo {
                name: c.call.clone(),
                parent,
                spawned,
            });
            let def = match &first {
                FrameKind::Py(f) => f.code.line,
                FrameKind::Native(_) => 0,
            };
            self.seen.borrow_mut().tasks.push((self.line.get(), def));
        }
        let task = Rc::new(FutureObj::with_task(Some(TaskPart {
            id,
            name: RefCell::new(name.unwrap_or_else(|| Rc::from(format!("Task-{count}")))),
            coro_name: c.name.clone(),
            stack: RefCell::new(Stack {
                frames: vec![first],
                handled: None,
            }),
            must_cancel: Cell::new(false),
            num_cancels: Cell::new(0),
            waiter: RefCell::new(None),
            waker: RefCell::new(None),
            sleeping: Cell::new(None),
            throw_next: RefCell::new(None),
        })));
        self.tasks.borrow_mut().push(task.clone());
        let stepper: Rc<dyn Stepper> = self.me();
        self.rt.spawn_task(Task::new(stepper, id.0));
        Ok(task)
    }

    /// A coroutine or future as a future (`ensure_future`).
    pub fn ensure_future(&self, aw: Obj) -> Res<Rc<FutureObj>> {
        match aw {
            Obj::Future(f) => Ok(f),
            Obj::Coroutine(_) => self.create_task(aw, None),
            _ => Err(ops::type_error(
                "An asyncio.Future, a coroutine or an awaitable is required",
            )),
        }
    }

    /// The task running now.
    pub fn current_task(&self) -> Option<Rc<FutureObj>> {
        self.current.borrow().clone()
    }

    /// `Future.set_result`.
    pub fn set_result(&self, f: &Rc<FutureObj>, v: Obj) {
        if f.is_done() {
            return;
        }
        *f.result.borrow_mut() = v;
        f.state.set(FutState::Finished);
        self.schedule_callbacks(f);
    }

    /// `Future.set_exception`.
    pub fn set_exception(&self, f: &Rc<FutureObj>, e: Exc) {
        if f.is_done() {
            return;
        }
        *f.exception.borrow_mut() = Some(e);
        f.state.set(FutState::Finished);
        self.schedule_callbacks(f);
    }

    /// `cancel()` of a future, a task, or `gather`'s future; true if it will be cancelled.
    ///
    /// A task cancels what it awaits, which may be a task awaiting another: the chain is walked,
    /// not recursed (it can be as long as the program makes it, and a task that awaits one
    /// awaiting it makes a circle), and the innermost task whose waiter could not be cancelled
    /// is marked to be cancelled at its next step.
    /// `cancel()` as a program calls it: gathers that wait on each other in a cycle make
    /// CPython's recursion through them end in `RecursionError`, and so here.
    pub fn cancel(&self, f: &Rc<FutureObj>, msg: Obj) -> Res<bool> {
        self.cancel_too_deep.set(false);
        let msg = (!matches!(msg, Obj::None)).then_some(msg);
        let cancelled = self.cancel_with(f, msg);
        if self.cancel_too_deep.replace(false) {
            return Err(Exception::msg(
                ExcKind::RecursionError,
                "maximum recursion depth exceeded",
            ));
        }
        Ok(cancelled)
    }

    /// `cancel()` within asyncio (a timeout, a task group, `wait_for`): as [`Vm::cancel`], a
    /// cycle of gathers ending the walk.
    pub fn cancel_future(&self, f: &Rc<FutureObj>) -> bool {
        self.cancel_with(f, None)
    }

    /// `cancel(msg)`: each task of a chain of tasks awaiting tasks counts the request, and the
    /// future at its bottom is cancelled with the message, or else the innermost task is
    /// marked to be cancelled at its next step, the message kept for that.
    pub fn cancel_with(&self, f: &Rc<FutureObj>, msg: Option<Obj>) -> bool {
        if self.nesting.get() == 0 {
            // An outermost cancel starts with the walk not called off.
            self.cancel_too_deep.set(false);
        }
        let mut chain: Vec<Rc<FutureObj>> = Vec::new();
        let mut cur = f.clone();
        let bottom = loop {
            if cur.is_done() || chain.iter().any(|c| Rc::ptr_eq(c, &cur)) {
                break false;
            }
            let Some(tp) = &cur.task else {
                break self.cancel_plain(&cur, msg.clone());
            };
            tp.num_cancels.set(tp.num_cancels.get() + 1);
            let waiter = tp.waiter.borrow().clone();
            chain.push(cur.clone());
            match waiter {
                Some(w) => cur = w,
                None => break false,
            }
        };
        if let Some(innermost) = chain.last() {
            if let (Some(tp), false) = (&innermost.task, bottom) {
                tp.must_cancel.set(true);
                *innermost.cancel_message.borrow_mut() = msg;
            }
            return true;
        }
        bottom
    }

    /// `cancel()` of a future that is not a task: `gather`'s cancels its children.
    fn cancel_plain(&self, f: &Rc<FutureObj>, msg: Option<Obj>) -> bool {
        let children = f.children.borrow().clone();
        if !children.is_empty() {
            // Gathers within gathers recurse, as CPython's do; past a depth no program means
            // (gathers that wait on each other in a cycle), the walk is called off, every
            // branch at once (each gather has many children: left to run, the walk would take
            // exponential time).
            if self.cancel_too_deep.get() {
                return false;
            }
            if self.nesting.get() > 150 {
                self.cancel_too_deep.set(true);
                return false;
            }
            self.nesting.set(self.nesting.get() + 1);
            let mut any = false;
            for c in &children {
                if self.cancel_with(c, msg.clone()) {
                    any = true;
                }
            }
            self.nesting.set(self.nesting.get() - 1);
            if any {
                f.cancel_requested.set(true);
            }
            return any;
        }
        f.state.set(FutState::Cancelled);
        *f.cancel_message.borrow_mut() = msg;
        self.schedule_callbacks(f);
        true
    }

    // --- timers and time -----------------------------------------------------------------

    /// `loop.call_later(secs, f)`.
    pub fn call_later(&self, secs: f64, f: impl FnOnce(&Vm) + 'static) -> TimerId {
        let tag = self
            .current
            .borrow()
            .as_ref()
            .and_then(|t| t.task.as_ref().map(|tp| tp.id.0))
            .unwrap_or(u32::MAX);
        let timer = self.rt.timer(self.now(), secs, tag);
        let vm = self.me.clone();
        self.rt.core().on_fire(
            timer.id,
            Box::new(move || {
                if let Some(vm) = vm.upgrade() {
                    f(&vm);
                }
            }),
        );
        timer.id
    }

    /// `TimerHandle.cancel()`.
    pub fn cancel_timer(&self, t: TimerId) {
        self.rt.cancel_timer(t);
    }

    /// Notes that the task running now sleeps `secs` (for its pause's record).
    pub fn note_sleep(&self, secs: f64) {
        if let Some(t) = self.current.borrow().as_ref() {
            if let Some(tp) = &t.task {
                let now = self.now();
                tp.sleeping.set(Some((now + secs, secs)));
            }
        }
    }

    /// `time.sleep(secs)`: the thread is held.
    pub fn block(&self, secs: f64) {
        // A coroutine dropped before the thread is held was dropped before it (CPython warns
        // at once).
        self.flush_never_awaited();
        let task = self.current_id();
        let from = self.now();
        let spins = self.rt.block(secs);
        let until = self.now();
        self.record_at(from, task, EventKind::Blocked { until, spins });
        self.note(Spot {
            kind: "blocking-call",
            task,
            at: from,
            until: Some(until),
            line: self.line.get(),
        });
    }

    fn current_id(&self) -> TaskId {
        self.current
            .borrow()
            .as_ref()
            .and_then(|t| t.task.as_ref().map(|tp| tp.id))
            .unwrap_or(NO_TASK)
    }

    // --- recording ----------------------------------------------------------------------

    fn record(&self, task: TaskId, kind: EventKind) {
        let at = self.now();
        self.record_at(at, task, kind);
    }

    fn record_at(&self, at: f64, task: TaskId, kind: EventKind) {
        if self.stopped.get() {
            return;
        }
        if let Some((polled, from)) = self.poll_start.take() {
            if !(polled == task && from == at && kind.ends_poll()) {
                self.record_at(from, polled, EventKind::PollStart);
            }
        }
        let mut trace = self.trace.borrow_mut();
        let at = trace.events.last().map_or(at, |e| at.max(e.at));
        trace.events.push(Event { at, task, kind });
    }

    /// A printed line, from the task running now.
    pub fn print(&self, text: String, open: bool) {
        let line = self.line_now();
        let task = self.current_id();
        self.record(
            task,
            EventKind::Printed {
                text: Rc::from(text),
                step: crate::engine::lang::ids::StepId(line),
                open,
            },
        );
    }

    fn line_now(&self) -> u32 {
        self.line.get()
    }

    fn flush_never_awaited(&self) {
        let names: Vec<(Rc<str>, u32)> =
            NEVER_AWAITED.with(|n| std::mem::take(&mut *n.borrow_mut()));
        let task = self.current_id();
        for (n, line) in names {
            self.record(task, EventKind::NeverAwaited(n));
            let at = self.now();
            self.note(Spot {
                kind: "never-awaited",
                task,
                at,
                until: None,
                line,
            });
        }
    }

    /// Notes what a lesson may point to (not after the run was stopped, and not past
    /// [`MOST_SPOTS`]).
    fn note(&self, spot: Spot) {
        let mut seen = self.seen.borrow_mut();
        if !self.stopped.get() && seen.spots.len() < MOST_SPOTS {
            seen.spots.push(spot);
        }
    }

    /// An await at `line`, if it is one of the lines watched.
    fn note_await(&self, line: u32) {
        if self.watched.contains(&line) {
            let task = self.current_id();
            let at = self.now();
            self.note(Spot {
                kind: "await",
                task,
                at,
                until: None,
                line,
            });
        }
    }

    fn chain_of(&self, stack: &Stack) -> u32 {
        let words: Vec<&str> = stack
            .frames
            .iter()
            .map(|f| match f {
                FrameKind::Py(f) => &*f.code.name,
                FrameKind::Native(n) => n.name(),
            })
            .collect();
        let words = words.join(" → ");
        let mut trace = self.trace.borrow_mut();
        if let Some(i) = trace.chains.iter().position(|c| **c == *words) {
            return i as u32;
        }
        trace.chains.push(Rc::from(words));
        (trace.chains.len() - 1) as u32
    }

    /// Makes a coroutine object of one of asyncio's coroutines.
    pub fn native_coro(&self, n: NativeCoro) -> Rc<Coroutine> {
        let name: Rc<str> = Rc::from(n.name());
        Rc::new(Coroutine {
            call: name.clone(),
            name,
            line: self.line.get(),
            state: RefCell::new(CoroState::FreshNative(Box::new(n))),
        })
    }

    /// A set of objects (`wait`'s result).
    pub fn set_of(&self, items: impl Iterator<Item = Obj>) -> Obj {
        let mut d = object::Dict::default();
        for i in items {
            if let Some(k) = i.key() {
                d.insert(k, i, Obj::None);
            }
        }
        Obj::Set(Rc::new(RefCell::new(d)))
    }
}

fn unreachable_vm() -> Rc<Vm> {
    // Only reachable if a Vm were used after its last Rc went, which the runtime's weak
    // references prevent.
    std::process::abort()
}

/// A whole program run on the virtual clock: its trace and how it ended.
pub fn simulate(
    module: Module,
    max_polls: u64,
) -> (Trace, Option<Ending>, crate::engine::exec::sim::Settled) {
    simulate_within(module, max_polls, MAX_STEP_WORK)
}

/// As [`simulate`], with a step called off past `max_work` instructions (see
/// [`MAX_STEP_WORK`]).
pub fn simulate_within(
    module: Module,
    max_polls: u64,
    max_work: u64,
) -> (Trace, Option<Ending>, crate::engine::exec::sim::Settled) {
    let clock = crate::engine::exec::sim::VirtualClock::new();
    let vm = Vm::prepare(module, clock.clone(), Vec::new());
    vm.work_limit.set(max_work);
    vm.begin();
    let settled = clock.run(max_polls);
    let trace = vm.trace().clone();
    let ending = vm.ending();
    vm.stop();
    (trace, ending, settled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::python::{compile::compile, parse};

    fn run(src: &str) -> (Vec<(f64, u32, String)>, Option<String>) {
        let module = compile(&parse(src).expect("parses")).expect("compiles");
        let (trace, ending, _) = simulate(module, 1_000_000);
        let lines = trace
            .lines()
            .into_iter()
            .map(|l| (l.at, l.task.0, l.text.to_string()))
            .collect();
        (lines, ending.and_then(|e| e.error))
    }

    #[test]
    fn every_name_a_module_offers_runs_and_no_other_is_read() {
        use crate::engine::lang::python::modules::{names, MODULES};
        for m in MODULES {
            for n in names(m) {
                assert!(library::module_attr(m, n).is_some(), "{m}.{n}");
            }
        }
        let refused = |src: &str| {
            compile(&parse(src).expect("parses"))
                .expect_err(src)
                .to_string()
        };
        assert_eq!(
            refused("import asyncio\nasync def main():\n    await asyncio.to_thread(print)\n"),
            "The name asyncio.to_thread is not supported in Interleave yet (line 3)."
        );
        assert_eq!(
            refused("from random import gauss\n"),
            "The name random.gauss is not supported in Interleave yet (line 1)."
        );
        // typing's names serve annotations only.
        assert_eq!(
            refused("from typing import Optional\nx = Optional[int]\n"),
            "Typing's names outside annotations (Optional) are not supported in Interleave yet (line 2)."
        );
        assert_eq!(
            refused("import typing\nprint(typing.Any)\n"),
            "Typing's names outside annotations (typing) are not supported in Interleave yet (line 2)."
        );
        assert_eq!(
            refused("from typing import TypedDict\n"),
            "The name typing.TypedDict is not supported in Interleave yet (line 1)."
        );
        // Callbacks on the loop, whatever the object is called.
        assert_eq!(
            refused("import asyncio\nasync def main():\n    t = asyncio.create_task(main())\n    t.add_done_callback(print)\n"),
            "Callbacks on the loop and running it by hand (add_done_callback) are not supported in Interleave yet (line 4)."
        );
        assert_eq!(
            refused("import asyncio\nloop = asyncio.get_event_loop()\nloop.run_until_complete(main())\n"),
            "Callbacks on the loop and running it by hand (run_until_complete) are not supported in Interleave yet (line 3)."
        );
        assert_eq!(
            refused("import math\n"),
            "The module math (only asyncio, time and random, and typing for annotations) is not supported in Interleave yet (line 1)."
        );
    }

    #[test]
    fn tasks_interleave_as_asyncio_runs_them() {
        let (lines, error) = run(
            "import asyncio\n\
             async def tick(name, n, d):\n    for i in range(n):\n        print(name, i)\n        await asyncio.sleep(d)\n    return name\n\
             async def main():\n    r = await asyncio.gather(tick('a', 2, 1), tick('b', 2, 0.5))\n    print(r)\n\
             asyncio.run(main())\n",
        );
        assert_eq!(error, None);
        let want = [
            (0.0, 1, "a 0"),
            (0.0, 2, "b 0"),
            (0.5, 2, "b 1"),
            (1.0, 1, "a 1"),
            (2.0, 0, "['a', 'b']"),
        ];
        let got: Vec<(f64, u32, &str)> =
            lines.iter().map(|(t, k, s)| (*t, *k, s.as_str())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn an_uncaught_exception_ends_the_program_with_its_last_line() {
        let (lines, error) = run(
            "import asyncio\nasync def main():\n    d = {}\n    try:\n        d['x']\n    except KeyError as e:\n        print('missing', e)\n    return 1 / 0\nasyncio.run(main())\nprint('never')\n",
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].2, "missing 'x'");
        assert_eq!(
            error.as_deref(),
            Some("ZeroDivisionError: division by zero")
        );
    }

    #[test]
    fn a_module_that_awaits_runs_as_a_notebook_cell_and_the_loop_keeps_running() {
        let (lines, error) = run(
            "import asyncio\nasync def tick(n):\n    await asyncio.sleep(n)\n    print('tick', n)\nasyncio.create_task(tick(2))\nawait tick(1)\nprint('cell done')\n",
        );
        assert_eq!(error, None);
        let got: Vec<(f64, u32, &str)> =
            lines.iter().map(|(t, k, s)| (*t, *k, s.as_str())).collect();
        assert_eq!(
            got,
            [
                (1.0, 0, "tick 1"),
                (1.0, 0, "cell done"),
                (2.0, 1, "tick 2")
            ]
        );
    }

    #[test]
    fn a_task_awaiting_itself_or_a_long_chain_of_tasks_is_cancelled_without_recursing() {
        let (lines, error) = run(
            "import asyncio\nasync def me():\n    await asyncio.current_task()\nasync def main():\n    t = asyncio.create_task(me())\n    await asyncio.sleep(0)\n    try:\n        await t\n    except RuntimeError as e:\n        print(str(e)[:28])\nasyncio.run(main())\n",
        );
        assert_eq!(error, None);
        assert_eq!(
            lines.iter().map(|l| l.2.as_str()).collect::<Vec<_>>(),
            ["Task cannot await on itself:"]
        );
        // 20,000 tasks, each awaiting the one before; the last is cancelled.
        let (lines, error) = run(
            "import asyncio\nasync def wait_on(t):\n    try:\n        await t\n    except asyncio.CancelledError:\n        return 'x'\nasync def main():\n    t = asyncio.create_task(asyncio.sleep(10))\n    for i in range(20000):\n        t = asyncio.create_task(wait_on(t))\n    await asyncio.sleep(1)\n    t.cancel()\n    print(await t)\nasyncio.run(main())\n",
        );
        assert_eq!(error, None);
        // As CPython: only the innermost wait is cancelled; the task above it returns 'x', and
        // every one above that returns None.
        assert_eq!(
            lines.iter().map(|l| l.2.as_str()).collect::<Vec<_>>(),
            ["None"]
        );
    }

    #[test]
    fn operations_over_many_items_count_as_the_work_they_are() {
        // A few instructions a round (6,000 in all, within the budget of 20,000), each round
        // a list of 100,000 made: stopped as a loop of as many instructions would be.
        let src = "n = 0\nfor i in range(1000):\n    x = [0] * 100000\n    n += 1\nprint(n)\n";
        let module = compile(&parse(src).expect("parses")).expect("compiles");
        let (trace, ending, _) = simulate_within(module, 1_000, 20_000);
        assert!(trace.lines().is_empty());
        assert!(ending
            .and_then(|e| e.error)
            .is_some_and(|e| e.contains("held the thread")));
        // Within the budget, the same program runs to its end.
        let module =
            compile(&parse(&src.replace("100000", "100")).expect("parses")).expect("compiles");
        let (trace, _, _) = simulate_within(module, 1_000, 20_000);
        assert_eq!(trace.lines()[0].text.as_ref(), "1000");
    }

    #[test]
    fn a_loop_that_never_awaits_is_stopped_and_pending_tasks_are_cancelled() {
        let (lines, error) = run(
            "import asyncio\nasync def bg():\n    try:\n        await asyncio.sleep(10)\n    finally:\n        print('bg cleaned up')\nasync def main():\n    asyncio.create_task(bg())\n    await asyncio.sleep(0)\nasyncio.run(main())\nwhile True:\n    pass\n",
        );
        assert_eq!(
            lines.iter().map(|l| l.2.as_str()).collect::<Vec<_>>(),
            ["bg cleaned up"]
        );
        assert!(error.is_some_and(|e| e.contains("held the thread")));
    }
}
