//! asyncio as CPython 3.12 writes it, in Rust: futures and their done callbacks (each queued
//! with `call_soon`), tasks stepped as `Task.__step` steps them, and the coroutines and objects
//! of the library (`sleep`, `gather`, `wait_for`, `timeout`, `wait`, `as_completed`, `Queue`,
//! `Lock`, `Event`, `Semaphore`, `TaskGroup`) following its Python source line for line, so that
//! every callback joins the ready queue when CPython's would.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::Waker;

use crate::engine::exec::timers::TimerId;
use crate::engine::record::trace::TaskId;

use super::frame::{Resume, Stack};
use super::object::{ExcKind, Exception, Obj};
use super::ops::{self, Exc, Res};
use super::Vm;

/// A future's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FutState {
    /// Not done.
    Pending,
    /// Cancelled.
    Cancelled,
    /// Done with a result or an exception.
    Finished,
}

/// What a future tells when it is done.
#[derive(Debug, Clone)]
pub enum Callback {
    /// A task's `__wakeup`: its next step.
    Wake(Rc<FutureObj>),
    /// `gather`'s `_done_callback`.
    Gather(Rc<GatherState>),
    /// `wait`'s `_on_completion`.
    Wait(Rc<WaitState>),
    /// `_release_waiter`: sets the waiter's result if it is not done.
    Release(Rc<FutureObj>),
    /// `as_completed`'s `_on_completion`.
    AsCompleted(Rc<AsCompletedState>),
    /// A task group's `_on_task_done`.
    TaskGroup(Rc<NativeObj>),
    /// `shield`'s `_inner_done_callback`: the inner's outcome passed to the outer future.
    ShieldInner(Rc<FutureObj>),
    /// `shield`'s `_outer_done_callback`: the outer done first, the inner forgets it.
    ShieldOuter(Rc<FutureObj>),
    /// `run_until_complete`'s callback: the loop stops after this turn.
    StopLoop,
}

/// The task part of a future.
#[derive(Debug)]
pub struct TaskPart {
    /// Its id in the trace.
    pub id: TaskId,
    /// `Task-N`.
    pub name: RefCell<Rc<str>>,
    /// Its coroutine's qualified name.
    pub coro_name: Rc<str>,
    /// Its coroutine's frames.
    pub stack: RefCell<Stack>,
    /// `_must_cancel`.
    pub must_cancel: Cell<bool>,
    /// `_num_cancels_requested`.
    pub num_cancels: Cell<u32>,
    /// `_fut_waiter`.
    pub waiter: RefCell<Option<Rc<FutureObj>>>,
    /// How to queue its next step.
    pub waker: RefCell<Option<Waker>>,
    /// The timer of the sleep it is in, for the trace.
    pub sleeping: Cell<Option<(f64, f64)>>,
    /// An exception its next step throws in (it awaited itself).
    pub throw_next: RefCell<Option<Exc>>,
}

/// An asyncio future, or a task (a future with a coroutine).
#[derive(Debug)]
pub struct FutureObj {
    /// Pending, cancelled or finished.
    pub state: Cell<FutState>,
    /// Its result.
    pub result: RefCell<Obj>,
    /// Its exception.
    pub exception: RefCell<Option<Exc>>,
    /// Its done callbacks.
    pub callbacks: RefCell<Vec<Callback>>,
    /// For a task.
    pub task: Option<TaskPart>,
    /// For `gather`'s future: its children (cancelling it cancels them).
    pub children: RefCell<Vec<Rc<FutureObj>>>,
    /// `_cancel_requested` of a gathering future.
    pub cancel_requested: Cell<bool>,
    /// `_cancel_message`: what `cancel(msg)` said.
    pub cancel_message: RefCell<Option<Obj>>,
    /// `_cancelled_exc`: the `CancelledError` a task's coroutine raised, given (once) to the
    /// first that asks for the task's result.
    pub cancelled_exc: RefCell<Option<Exc>>,
}

impl FutureObj {
    /// A plain pending future.
    pub fn new() -> Rc<FutureObj> {
        Rc::new(FutureObj::with_task(None))
    }

    /// A pending future, a task if `task` is given.
    pub fn with_task(task: Option<TaskPart>) -> FutureObj {
        FutureObj {
            state: Cell::new(FutState::Pending),
            result: RefCell::new(Obj::None),
            exception: RefCell::new(None),
            callbacks: RefCell::new(Vec::new()),
            task,
            children: RefCell::new(Vec::new()),
            cancel_requested: Cell::new(false),
            cancel_message: RefCell::new(None),
            cancelled_exc: RefCell::new(None),
        }
    }

    /// `done()`.
    pub fn is_done(&self) -> bool {
        self.state.get() != FutState::Pending
    }

    /// `cancelled()`.
    pub fn is_cancelled(&self) -> bool {
        self.state.get() == FutState::Cancelled
    }

    /// `_make_cancelled_error()`: the error its coroutine raised if that is not yet given,
    /// else a new one with the message it was cancelled with.
    pub fn cancelled_error(&self) -> Exc {
        if let Some(e) = self.cancelled_exc.borrow_mut().take() {
            return e;
        }
        let args = self.cancel_message.borrow().iter().cloned().collect();
        Exception::new(ExcKind::CancelledError, args)
    }

    /// `result()` of a done future: its value, its exception, or `CancelledError`.
    pub fn outcome(&self) -> Res {
        match self.state.get() {
            FutState::Cancelled => Err(self.cancelled_error()),
            FutState::Pending => Err(Exception::msg(
                ExcKind::InvalidStateError,
                "Result is not set.",
            )),
            FutState::Finished => match self.exception.borrow().clone() {
                Some(e) => Err(e),
                None => Ok(self.result.borrow().clone()),
            },
        }
    }

    /// Its repr, as far as it can be told without addresses.
    pub fn describe(&self) -> String {
        let state = match self.state.get() {
            FutState::Pending => "pending",
            FutState::Cancelled => "cancelled",
            FutState::Finished => "finished",
        };
        match &self.task {
            Some(t) => format!(
                "<Task {state} name='{}' coro=<{}()>>",
                t.name.borrow(),
                t.coro_name
            ),
            None => match (self.state.get(), &*self.exception.borrow()) {
                (FutState::Finished, Some(e)) => {
                    format!(
                        "<Future finished exception={}>",
                        ops::repr(&Obj::Exception(e.clone()))
                    )
                }
                (FutState::Finished, None) => {
                    format!(
                        "<Future finished result={}>",
                        super::format::short_repr(&self.result.borrow())
                    )
                }
                // Awaited by tasks: CPython names each one's wakeup (three or more shortened).
                _ => {
                    let cbs = self.callbacks.borrow();
                    let wakeups = cbs
                        .iter()
                        .filter(|c| matches!(c, Callback::Wake(_)))
                        .count();
                    match wakeups {
                        n if n == 0 || n != cbs.len() => format!("<Future {state}>"),
                        1 => format!("<Future {state} cb=[Task.task_wakeup()]>"),
                        2 => format!("<Future {state} cb=[Task.task_wakeup(), Task.task_wakeup()]>"),
                        n => format!(
                            "<Future {state} cb=[Task.task_wakeup(), <{} more>, Task.task_wakeup()]>",
                            n - 2
                        ),
                    }
                }
            },
        }
    }
}

/// `gather`'s state: its children and the outer future.
#[derive(Debug)]
pub struct GatherState {
    /// The outer future.
    pub outer: Rc<FutureObj>,
    /// Children, in the order given (repeats included).
    pub children: Vec<Rc<FutureObj>>,
    /// Distinct children.
    pub count: usize,
    /// How many have finished.
    pub finished: Cell<usize>,
    /// `return_exceptions`.
    pub return_exceptions: bool,
}

/// `asyncio.wait`'s state.
#[derive(Debug)]
pub struct WaitState {
    /// What the waiting coroutine awaits.
    pub waiter: Rc<FutureObj>,
    /// Futures not yet counted.
    pub counter: Cell<usize>,
    /// `return_when`: `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`.
    pub return_when: Rc<str>,
    /// The timeout's timer, if any.
    pub timer: Cell<Option<TimerId>>,
}

/// `as_completed`'s state.
#[derive(Debug)]
pub struct AsCompletedState {
    /// Futures not yet done.
    pub todo: RefCell<Vec<Rc<FutureObj>>>,
    /// Done futures (or `None` for a timeout), as a queue.
    pub done: Rc<NativeObj>,
    /// The timeout's timer.
    pub timer: Cell<Option<TimerId>>,
}

/// A queue's state.
#[derive(Debug, Default)]
pub struct QueueState {
    /// `maxsize`.
    pub maxsize: i64,
    /// Items.
    pub items: VecDeque<Obj>,
    /// Waiting getters and putters.
    pub getters: VecDeque<Rc<FutureObj>>,
    /// Waiting putters.
    pub putters: VecDeque<Rc<FutureObj>>,
    /// `_unfinished_tasks`.
    pub unfinished: i64,
    /// `_finished`: an event.
    pub finished: Option<Rc<NativeObj>>,
}

/// A task group's state.
#[derive(Debug, Default)]
pub struct GroupState {
    /// `_entered`, `_exiting`, `_aborting`, `_parent_cancel_requested`.
    pub entered: bool,
    /// `_exiting`.
    pub exiting: bool,
    /// `_aborting`.
    pub aborting: bool,
    /// `_parent_cancel_requested`.
    pub parent_cancel_requested: bool,
    /// `_parent_task`.
    pub parent: Option<Rc<FutureObj>>,
    /// `_tasks`.
    pub tasks: Vec<Rc<FutureObj>>,
    /// `_errors`.
    pub errors: Vec<Exc>,
    /// `_base_error`.
    pub base_error: Option<Exc>,
    /// `_on_completed_fut`.
    pub on_completed: Option<Rc<FutureObj>>,
}

/// A timeout's state (`asyncio.timeout`).
#[derive(Debug, Default)]
pub struct TimeoutState {
    /// When it expires (loop time), if ever.
    pub when: Option<f64>,
    /// `created`, `entered`, `expiring`, `expired`, `exited`.
    pub state: &'static str,
    /// The timer.
    pub timer: Option<TimerId>,
    /// The task it cancels.
    pub task: Option<Rc<FutureObj>>,
    /// `_cancelling` at entry.
    pub cancelling: u32,
}

/// An asyncio object with state.
#[derive(Debug)]
pub enum NativeObj {
    /// `asyncio.Event()`: is it set, and its waiters.
    Event(Cell<bool>, RefCell<Vec<Rc<FutureObj>>>),
    /// `asyncio.Lock()`: locked, waiters.
    Lock(Cell<bool>, RefCell<VecDeque<Rc<FutureObj>>>),
    /// `asyncio.Semaphore(n)`: value, waiters, and for a `BoundedSemaphore` its bound.
    Semaphore(Cell<i64>, RefCell<VecDeque<Rc<FutureObj>>>, Option<i64>),
    /// `asyncio.Queue(maxsize)`.
    Queue(RefCell<QueueState>),
    /// `asyncio.TaskGroup()`.
    TaskGroup(RefCell<GroupState>),
    /// `asyncio.timeout(delay)`.
    Timeout(RefCell<TimeoutState>),
    /// `asyncio.get_running_loop()`.
    Loop,
}

impl NativeObj {
    /// Its type's name.
    pub fn type_name(&self) -> &'static str {
        match self {
            NativeObj::Event(..) => "Event",
            NativeObj::Lock(..) => "Lock",
            NativeObj::Semaphore(_, _, None) => "Semaphore",
            NativeObj::Semaphore(..) => "BoundedSemaphore",
            NativeObj::Queue(_) => "Queue",
            NativeObj::TaskGroup(_) => "TaskGroup",
            NativeObj::Timeout(_) => "Timeout",
            NativeObj::Loop => "_UnixSelectorEventLoop",
        }
    }
}

/// What a step of one of asyncio's coroutines does.
pub enum NStep {
    /// Awaits this (a future, or a coroutine run in line).
    Await(Obj),
    /// A bare yield.
    Yield,
    /// Returns.
    Return(Obj),
    /// Raises.
    Raise(Exc),
}

/// One of asyncio's coroutines, as a state machine: `at` counts the awaits passed.
#[derive(Debug)]
pub struct NativeCoro {
    /// Which coroutine, and its arguments.
    pub kind: NativeKind,
    /// Where it is.
    pub at: u8,
    /// The future it waits on, if any.
    pub fut: Option<Rc<FutureObj>>,
    /// Its timer, if any.
    pub timer: Option<TimerId>,
    /// Returns `None` whatever it computes (an `__aenter__` that acquires).
    pub quiet: bool,
}

/// asyncio's coroutines.
#[derive(Debug)]
pub enum NativeKind {
    /// `sleep(secs, result)`.
    Sleep(f64, Obj),
    /// `Event.wait()`.
    EventWait(Rc<NativeObj>),
    /// `Lock.acquire()` (and `__aenter__`).
    LockAcquire(Rc<NativeObj>),
    /// `Semaphore.acquire()`.
    SemAcquire(Rc<NativeObj>),
    /// A coroutine that returns (or raises) at once: `__aexit__` of a lock, `Queue.put` with room.
    Ready(Result<Obj, Exc>),
    /// `Queue.get()`.
    QueueGet(Rc<NativeObj>),
    /// `Queue.put(item)`.
    QueuePut(Rc<NativeObj>, Obj),
    /// `wait_for(aw, timeout)`.
    WaitFor(Obj, Option<f64>, Option<Rc<NativeObj>>),
    /// A timeout's `__aenter__`.
    TimeoutEnter(Rc<NativeObj>),
    /// A timeout's `__aexit__(exc)`.
    TimeoutExit(Rc<NativeObj>, Option<Exc>),
    /// A task group's `__aexit__(exc)`.
    GroupExit(Rc<NativeObj>, Option<Exc>, Option<Exc>),
    /// `wait(fs, timeout, return_when)`.
    Wait(
        Vec<Rc<FutureObj>>,
        Option<f64>,
        Rc<str>,
        Option<Rc<WaitState>>,
    ),
    /// One awaitable of `as_completed`.
    AsCompletedOne(Rc<AsCompletedState>),
    /// `Queue.join()`.
    QueueJoin(Rc<NativeObj>),
}

impl NativeCoro {
    /// A coroutine of this kind, not yet started.
    pub fn new(kind: NativeKind) -> NativeCoro {
        NativeCoro {
            kind,
            at: 0,
            fut: None,
            timer: None,
            quiet: false,
        }
    }

    /// Its name, as a task or a warning names it.
    pub fn name(&self) -> &'static str {
        match &self.kind {
            NativeKind::Sleep(..) => "sleep",
            NativeKind::EventWait(_) => "Event.wait",
            NativeKind::LockAcquire(_) => "Lock.acquire",
            NativeKind::SemAcquire(_) => "Semaphore.acquire",
            NativeKind::Ready(_) => "coroutine",
            NativeKind::QueueGet(_) => "Queue.get",
            NativeKind::QueuePut(..) => "Queue.put",
            NativeKind::WaitFor(..) => "wait_for",
            NativeKind::TimeoutEnter(_) => "Timeout.__aenter__",
            NativeKind::TimeoutExit(..) => "Timeout.__aexit__",
            NativeKind::GroupExit(..) => "TaskGroup.__aexit__",
            NativeKind::Wait(..) => "wait",
            NativeKind::AsCompletedOne(_) => "_wait_for_one",
            NativeKind::QueueJoin(_) => "Queue.join",
        }
    }

    /// Runs it from where it is, resumed with `r`, to its next await, return or raise.
    pub fn resume(&mut self, vm: &Vm, r: Resume) -> NStep {
        match self.step(vm, r) {
            NStep::Return(_) if self.quiet => NStep::Return(Obj::None),
            other => other,
        }
    }

    pub(super) fn step(&mut self, vm: &Vm, r: Resume) -> NStep {
        let (value, thrown) = match r {
            Resume::Throw(e) => (None, Some(e)),
            Resume::Value(v) => (Some(v), None),
            Resume::Nothing => (None, None),
        };
        let at = self.at;
        self.at = self.at.saturating_add(1);
        match &mut self.kind {
            NativeKind::Sleep(secs, result) => match (at, thrown) {
                (_, Some(e)) => {
                    if let Some(t) = self.timer.take() {
                        vm.cancel_timer(t);
                    }
                    NStep::Raise(e)
                }
                (0, None) => {
                    if *secs <= 0.0 {
                        return NStep::Yield;
                    }
                    let fut = FutureObj::new();
                    let f = fut.clone();
                    let value = result.clone();
                    self.timer = Some(vm.call_later(*secs, move |vm| {
                        if !f.is_done() {
                            vm.set_result(&f, value);
                        }
                    }));
                    vm.note_sleep(*secs);
                    NStep::Await(Obj::Future(fut))
                }
                (_, None) => {
                    self.timer = None;
                    NStep::Return(result.clone())
                }
            },
            NativeKind::Ready(r) => match (at, thrown) {
                (_, Some(e)) => NStep::Raise(e),
                _ => match std::mem::replace(r, Ok(Obj::None)) {
                    Ok(v) => NStep::Return(v),
                    Err(e) => NStep::Raise(e),
                },
            },
            NativeKind::EventWait(ev) => {
                let NativeObj::Event(set, waiters) = &**ev else {
                    return NStep::Return(Obj::None);
                };
                match at {
                    0 => {
                        if set.get() {
                            return NStep::Return(Obj::Bool(true));
                        }
                        wait_new(&mut self.fut, |f| waiters.borrow_mut().push(f))
                    }
                    _ => {
                        if let Some(f) = self.fut.take() {
                            waiters.borrow_mut().retain(|w| !Rc::ptr_eq(w, &f));
                        }
                        match thrown {
                            Some(e) => NStep::Raise(e),
                            None => NStep::Return(Obj::Bool(true)),
                        }
                    }
                }
            }
            NativeKind::LockAcquire(lock) => {
                let NativeObj::Lock(locked, waiters) = &**lock else {
                    return NStep::Return(Obj::None);
                };
                match at {
                    0 => {
                        if !locked.get() && waiters.borrow().iter().all(|w| w.is_cancelled()) {
                            locked.set(true);
                            return NStep::Return(Obj::Bool(true));
                        }
                        wait_new(&mut self.fut, |f| waiters.borrow_mut().push_back(f))
                    }
                    _ => {
                        if let Some(f) = self.fut.take() {
                            waiters.borrow_mut().retain(|w| !Rc::ptr_eq(w, &f));
                        }
                        match thrown {
                            Some(e) => {
                                if e.kind == ExcKind::CancelledError && !locked.get() {
                                    lock_wake_first(vm, waiters);
                                }
                                NStep::Raise(e)
                            }
                            None => {
                                locked.set(true);
                                NStep::Return(Obj::Bool(true))
                            }
                        }
                    }
                }
            }
            NativeKind::SemAcquire(sem) => {
                let NativeObj::Semaphore(value, waiters, _) = &**sem else {
                    return NStep::Return(Obj::None);
                };
                match at {
                    0 => {
                        let locked =
                            value.get() == 0 || waiters.borrow().iter().any(|w| !w.is_cancelled());
                        if !locked {
                            value.set(value.get() - 1);
                            return NStep::Return(Obj::Bool(true));
                        }
                        wait_new(&mut self.fut, |f| waiters.borrow_mut().push_back(f))
                    }
                    _ => {
                        let fut = self.fut.take();
                        if let Some(f) = &fut {
                            waiters.borrow_mut().retain(|w| !Rc::ptr_eq(w, f));
                        }
                        match thrown {
                            Some(e) => {
                                if e.kind == ExcKind::CancelledError
                                    && fut.as_ref().is_some_and(|f| !f.is_cancelled())
                                {
                                    value.set(value.get() + 1);
                                    sem_wake_next(vm, value, waiters);
                                }
                                NStep::Raise(e)
                            }
                            None => {
                                if value.get() > 0 {
                                    sem_wake_next(vm, value, waiters);
                                }
                                NStep::Return(Obj::Bool(true))
                            }
                        }
                    }
                }
            }
            NativeKind::QueueGet(q) => {
                let NativeObj::Queue(state) = &**q else {
                    return NStep::Return(Obj::None);
                };
                if let Some(e) = thrown {
                    let fut = self.fut.take();
                    if let Some(f) = &fut {
                        vm.cancel_future(f);
                        state.borrow_mut().getters.retain(|w| !Rc::ptr_eq(w, f));
                        let nonempty = !state.borrow().items.is_empty();
                        if nonempty && !f.is_cancelled() {
                            queue_wake(vm, state, true);
                        }
                    }
                    return NStep::Raise(e);
                }
                if state.borrow().items.is_empty() {
                    return wait_new(&mut self.fut, |f| state.borrow_mut().getters.push_back(f));
                }
                let item = state.borrow_mut().items.pop_front().unwrap_or_default();
                queue_wake(vm, state, false);
                NStep::Return(item)
            }
            NativeKind::QueuePut(q, item) => {
                let NativeObj::Queue(state) = &**q else {
                    return NStep::Return(Obj::None);
                };
                if let Some(e) = thrown {
                    let fut = self.fut.take();
                    if let Some(f) = &fut {
                        vm.cancel_future(f);
                        state.borrow_mut().putters.retain(|w| !Rc::ptr_eq(w, f));
                        if !queue_full(&state.borrow()) && !f.is_cancelled() {
                            queue_wake(vm, state, false);
                        }
                    }
                    return NStep::Raise(e);
                }
                if queue_full(&state.borrow()) {
                    return wait_new(&mut self.fut, |f| state.borrow_mut().putters.push_back(f));
                }
                match queue_put_nowait(vm, q, item.clone()) {
                    Ok(()) => NStep::Return(Obj::None),
                    Err(e) => NStep::Raise(e),
                }
            }
            NativeKind::QueueJoin(q) => {
                let NativeObj::Queue(state) = &**q else {
                    return NStep::Return(Obj::None);
                };
                if let Some(e) = thrown {
                    return NStep::Raise(e);
                }
                match at {
                    0 => {
                        let (unfinished, finished) = {
                            let s = state.borrow();
                            (s.unfinished, s.finished.clone())
                        };
                        match finished {
                            Some(ev) if unfinished > 0 => NStep::Await(Obj::Coroutine(
                                vm.native_coro(NativeCoro::new(NativeKind::EventWait(ev))),
                            )),
                            _ => NStep::Return(Obj::None),
                        }
                    }
                    _ => NStep::Return(Obj::None),
                }
            }
            NativeKind::WaitFor(aw, timeout, tm) => {
                match at {
                    0 => {
                        if let Some(e) = thrown {
                            return NStep::Raise(e);
                        }
                        if let Some(t) = *timeout {
                            if t <= 0.0 {
                                // ensure_future, then cancel and wait unless already done.
                                let fut = match vm.ensure_future(aw.clone()) {
                                    Ok(f) => f,
                                    Err(e) => return NStep::Raise(e),
                                };
                                if fut.is_done() {
                                    return match fut.outcome() {
                                        Ok(v) => NStep::Return(v),
                                        Err(e) => NStep::Raise(e),
                                    };
                                }
                                let waiter = FutureObj::new();
                                vm.add_done_callback(&fut, Callback::Release(waiter.clone()));
                                vm.cancel_future(&fut);
                                self.fut = Some(fut);
                                self.at = 10;
                                return NStep::Await(Obj::Future(waiter));
                            }
                        }
                        let when = timeout.map(|t| vm.loop_time() + t);
                        let t = Rc::new(NativeObj::Timeout(RefCell::new(TimeoutState {
                            when,
                            state: "created",
                            ..TimeoutState::default()
                        })));
                        *tm = Some(t.clone());
                        NStep::Await(Obj::Coroutine(
                            vm.native_coro(NativeCoro::new(NativeKind::TimeoutEnter(t))),
                        ))
                    }
                    1 => {
                        if let Some(e) = thrown {
                            return NStep::Raise(e);
                        }
                        NStep::Await(aw.clone())
                    }
                    2 => {
                        // The awaitable is over: leave the timeout with its outcome.
                        let Some(t) = tm.clone() else {
                            return NStep::Return(Obj::None);
                        };
                        match thrown {
                            Some(e) => {
                                self.fut = None;
                                *aw = Obj::Exception(e.clone());
                                NStep::Await(Obj::Coroutine(vm.native_coro(NativeCoro::new(
                                    NativeKind::TimeoutExit(t, Some(e)),
                                ))))
                            }
                            None => {
                                // Keep the value while the exit runs.
                                *aw = Obj::tuple(vec![value.unwrap_or_default()]);
                                NStep::Await(Obj::Coroutine(vm.native_coro(NativeCoro::new(
                                    NativeKind::TimeoutExit(t, None),
                                ))))
                            }
                        }
                    }
                    3 => match thrown {
                        Some(e) => NStep::Raise(e),
                        None => match aw {
                            Obj::Exception(e) => NStep::Raise(e.clone()),
                            Obj::Tuple(v) => NStep::Return(v.first().cloned().unwrap_or_default()),
                            _ => NStep::Return(Obj::None),
                        },
                    },
                    _ => {
                        // After cancel-and-wait (timeout <= 0): the future's result or a timeout.
                        let Some(fut) = self.fut.take() else {
                            return NStep::Return(Obj::None);
                        };
                        fut.callbacks
                            .borrow_mut()
                            .retain(|c| !matches!(c, Callback::Release(_)));
                        if let Some(e) = thrown {
                            return NStep::Raise(e);
                        }
                        match fut.outcome() {
                            Ok(v) => NStep::Return(v),
                            Err(e) if e.kind == ExcKind::CancelledError => {
                                let t = Exception::new(ExcKind::TimeoutError, vec![]);
                                *t.cause.borrow_mut() = Some(e);
                                NStep::Raise(t)
                            }
                            Err(e) => NStep::Raise(e),
                        }
                    }
                }
            }
            NativeKind::TimeoutEnter(t) => {
                if let Some(e) = thrown {
                    return NStep::Raise(e);
                }
                match vm.timeout_enter(t) {
                    Ok(()) => NStep::Return(Obj::Native(t.clone())),
                    Err(e) => NStep::Raise(e),
                }
            }
            NativeKind::TimeoutExit(t, exc) => {
                if let Some(e) = thrown {
                    return NStep::Raise(e);
                }
                match vm.timeout_exit(t, exc.clone()) {
                    Ok(v) => NStep::Return(v),
                    Err(e) => NStep::Raise(e),
                }
            }
            NativeKind::GroupExit(tg, exc, propagate) => {
                vm.group_exit(tg, exc, propagate, at, thrown)
            }
            NativeKind::Wait(fs, timeout, return_when, st) => match at {
                0 => {
                    if let Some(e) = thrown {
                        return NStep::Raise(e);
                    }
                    let waiter = FutureObj::new();
                    let state = Rc::new(WaitState {
                        waiter: waiter.clone(),
                        counter: Cell::new(fs.len()),
                        return_when: return_when.clone(),
                        timer: Cell::new(None),
                    });
                    if let Some(t) = *timeout {
                        let w = waiter.clone();
                        state.timer.set(Some(vm.call_later(t, move |vm| {
                            if !w.is_done() {
                                vm.set_result(&w, Obj::None);
                            }
                        })));
                    }
                    for f in fs.iter() {
                        vm.add_done_callback(f, Callback::Wait(state.clone()));
                    }
                    *st = Some(state);
                    NStep::Await(Obj::Future(waiter))
                }
                _ => {
                    if let Some(state) = st.take() {
                        if let Some(t) = state.timer.take() {
                            vm.cancel_timer(t);
                        }
                        for f in fs.iter() {
                            f.callbacks.borrow_mut().retain(
                                |c| !matches!(c, Callback::Wait(s) if Rc::ptr_eq(s, &state)),
                            );
                        }
                    }
                    if let Some(e) = thrown {
                        return NStep::Raise(e);
                    }
                    let (done, pending): (Vec<_>, Vec<_>) =
                        fs.iter().cloned().partition(|f| f.is_done());
                    let set = |v: Vec<Rc<FutureObj>>| vm.set_of(v.into_iter().map(Obj::Future));
                    NStep::Return(Obj::tuple(vec![set(done), set(pending)]))
                }
            },
            NativeKind::AsCompletedOne(state) => match at {
                0 => {
                    if let Some(e) = thrown {
                        return NStep::Raise(e);
                    }
                    NStep::Await(Obj::Coroutine(vm.native_coro(NativeCoro::new(
                        NativeKind::QueueGet(state.done.clone()),
                    ))))
                }
                _ => {
                    if let Some(e) = thrown {
                        return NStep::Raise(e);
                    }
                    match value {
                        Some(Obj::Future(f)) => match f.outcome() {
                            Ok(v) => NStep::Return(v),
                            Err(e) => NStep::Raise(e),
                        },
                        _ => NStep::Raise(Exception::new(ExcKind::TimeoutError, vec![])),
                    }
                }
            },
        }
    }
}

/// Awaits a new future, handed to `add` first (a waiter list): `create_future()`, appended,
/// `await fut`.
fn wait_new(slot: &mut Option<Rc<FutureObj>>, add: impl FnOnce(Rc<FutureObj>)) -> NStep {
    let fut = FutureObj::new();
    add(fut.clone());
    *slot = Some(fut.clone());
    NStep::Await(Obj::Future(fut))
}

/// `Lock._wake_up_first`.
pub fn lock_wake_first(vm: &Vm, waiters: &RefCell<VecDeque<Rc<FutureObj>>>) {
    let first = waiters.borrow().front().cloned();
    if let Some(f) = first {
        if !f.is_done() {
            vm.set_result(&f, Obj::Bool(true));
        }
    }
}

/// `Semaphore._wake_up_next`.
pub fn sem_wake_next(vm: &Vm, value: &Cell<i64>, waiters: &RefCell<VecDeque<Rc<FutureObj>>>) {
    let next = waiters.borrow().iter().find(|f| !f.is_done()).cloned();
    if let Some(f) = next {
        value.set(value.get() - 1);
        vm.set_result(&f, Obj::Bool(true));
    }
}

/// `Queue.full()`.
pub fn queue_full(s: &QueueState) -> bool {
    s.maxsize > 0 && s.items.len() as i64 >= s.maxsize
}

/// `Queue._wakeup_next` of its getters (`true`) or putters.
pub fn queue_wake(vm: &Vm, state: &RefCell<QueueState>, getters: bool) {
    loop {
        let next = {
            let mut s = state.borrow_mut();
            if getters {
                s.getters.pop_front()
            } else {
                s.putters.pop_front()
            }
        };
        let Some(w) = next else { return };
        if !w.is_done() {
            vm.set_result(&w, Obj::None);
            return;
        }
    }
}

/// `Queue.put_nowait`.
pub fn queue_put_nowait(vm: &Vm, q: &Rc<NativeObj>, item: Obj) -> Res<()> {
    let NativeObj::Queue(state) = &**q else {
        return Ok(());
    };
    if queue_full(&state.borrow()) {
        return Err(Exception::new(ExcKind::QueueFull, vec![]));
    }
    let finished = {
        let mut s = state.borrow_mut();
        s.items.push_back(item);
        s.unfinished += 1;
        s.finished.clone()
    };
    if let Some(ev) = finished {
        if let NativeObj::Event(set, _) = &*ev {
            set.set(false);
        }
    }
    queue_wake(vm, state, true);
    Ok(())
}

/// `Queue.get_nowait`.
pub fn queue_get_nowait(vm: &Vm, q: &Rc<NativeObj>) -> Res {
    let NativeObj::Queue(state) = &**q else {
        return Ok(Obj::None);
    };
    let item = state.borrow_mut().items.pop_front();
    match item {
        Some(v) => {
            queue_wake(vm, state, false);
            Ok(v)
        }
        None => Err(Exception::new(ExcKind::QueueEmpty, vec![])),
    }
}

/// `Event.set()`.
pub fn event_set(vm: &Vm, ev: &NativeObj) {
    if let NativeObj::Event(set, waiters) = ev {
        if !set.get() {
            set.set(true);
            let ws: Vec<Rc<FutureObj>> = waiters.borrow().clone();
            for f in ws {
                if !f.is_done() {
                    vm.set_result(&f, Obj::Bool(true));
                }
            }
        }
    }
}

/// `Semaphore.release()`; a `BoundedSemaphore` refuses to go past its bound.
pub fn sem_release(
    vm: &Vm,
    value: &Cell<i64>,
    waiters: &RefCell<VecDeque<Rc<FutureObj>>>,
    bound: Option<i64>,
) -> Res<()> {
    if bound.is_some_and(|b| value.get() >= b) {
        return Err(super::ops::value_error(
            "BoundedSemaphore released too many times",
        ));
    }
    value.set(value.get() + 1);
    sem_wake_next(vm, value, waiters);
    Ok(())
}
