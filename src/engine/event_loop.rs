//! asyncio's loop discipline, written once and kept by both runtimes (the virtual clock and the
//! browser's): the ready queue, the timers, and what one turn of the loop runs.
//!
//! It follows CPython's `BaseEventLoop._run_once`:
//!
//! - ready callbacks run first in, first out. A task woken by anything (a timer's callback, the
//!   end of a task it awaits, a gather) is queued at the back, as `call_soon` queues it;
//! - at the start of a turn every timer whose deadline has passed moves to the ready queue at
//!   once, in deadline order (equal deadlines in start order); a timer's callback is a handle of
//!   its own, which wakes its task: the task itself runs in the next turn;
//! - a turn runs only the handles queued when it began; whatever they queue runs in the next.
//!
//! The runtimes differ only in their clock and in how they wait for the next turn: the virtual
//! clock jumps to the next deadline, the browser arms a timer or posts a message. A turn may be
//! spread over several of the browser's macrotasks (a million first steps at once, say); that
//! never changes which handles belong to it.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use super::interp::Driver;
use super::runtime::{FireHook, LocalBoxFuture};
use super::timers::{TimerId, TimerQueue};

/// One entry of the ready queue.
#[derive(Clone, Copy, Debug)]
enum Handle {
    /// One step (poll) of a task, by its slot.
    Step(u32),
    /// A timer's callback: it fires the timer, which wakes its task. `due` is in the queue's
    /// time unit.
    Timer { id: TimerId, due: u64 },
    /// A callback queued with `call_soon`, by its slot.
    Call(u32),
}

/// A task as the loop keeps it: an interpreter task as it is, anything else (a benchmark's bare
/// future) boxed.
pub enum Spawned {
    /// An interpreter task.
    Driver(Driver),
    /// Any other future.
    Boxed(LocalBoxFuture<'static, ()>),
}

impl Future for Spawned {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match self.get_mut() {
            Spawned::Driver(d) => Pin::new(d).poll(cx),
            Spawned::Boxed(f) => f.as_mut().poll(cx),
        }
    }
}

type Ready = Arc<Mutex<VecDeque<Handle>>>;

/// A task's waker: waking it queues one step of the task at the back of the ready queue
/// (`call_soon`), unless a step is queued already.
struct TaskWaker {
    slot: u32,
    queued: AtomicBool,
    ready: Ready,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        if !self.queued.swap(true, Ordering::Relaxed) {
            if let Ok(mut q) = self.ready.lock() {
                q.push_back(Handle::Step(self.slot));
            }
        }
    }
}

/// A callback for [`LoopCore::call_soon`] or [`LoopCore::after_turn`].
pub type Callback = Box<dyn FnOnce()>;

/// The state of one event loop: what is ready, what is timed, and the turn in progress.
pub struct LoopCore {
    ready: Ready,
    tasks: RefCell<Vec<Option<Spawned>>>,
    wakers: RefCell<Vec<Option<Arc<TaskWaker>>>>,
    callbacks: RefCell<Vec<Option<Callback>>>,
    free_callbacks: RefCell<Vec<u32>>,
    timers: RefCell<TimerQueue>,
    hook: RefCell<Option<FireHook>>,
    /// Scenario seconds are the timer queue's units times `speed`, over `units_per_second`.
    speed: f64,
    units_per_second: f64,
    /// Handles of the turn in progress not yet run.
    turn_left: Cell<usize>,
    after_turn: RefCell<Vec<Callback>>,
    polls: Cell<u64>,
    live: Cell<usize>,
}

impl LoopCore {
    /// An empty loop whose timer deadlines are counted in units of which `units_per_second`
    /// make a second of the loop's clock, running `speed` scenario seconds per such second.
    pub fn new(units_per_second: f64, speed: f64) -> LoopCore {
        LoopCore {
            ready: Arc::new(Mutex::new(VecDeque::new())),
            tasks: RefCell::new(Vec::new()),
            wakers: RefCell::new(Vec::new()),
            callbacks: RefCell::new(Vec::new()),
            free_callbacks: RefCell::new(Vec::new()),
            timers: RefCell::new(TimerQueue::default()),
            hook: RefCell::new(None),
            speed,
            units_per_second,
            turn_left: Cell::new(0),
            after_turn: RefCell::new(Vec::new()),
            polls: Cell::new(0),
            live: Cell::new(0),
        }
    }

    fn push(&self, h: Handle) {
        if let Ok(mut q) = self.ready.lock() {
            q.push_back(h);
        }
    }

    /// Starts a task: its first step is queued at the back (`create_task` does `call_soon`).
    pub fn spawn(&self, task: Spawned) {
        let slot = {
            let mut tasks = self.tasks.borrow_mut();
            tasks.push(Some(task));
            (tasks.len() - 1) as u32
        };
        let waker = Arc::new(TaskWaker {
            slot,
            queued: AtomicBool::new(false),
            ready: self.ready.clone(),
        });
        waker.wake_by_ref();
        self.wakers.borrow_mut().push(Some(waker));
        self.live.set(self.live.get() + 1);
    }

    /// Makes room for `n` more tasks at once (a gather of many).
    pub fn reserve(&self, n: usize) {
        self.tasks.borrow_mut().reserve_exact(n);
        self.wakers.borrow_mut().reserve_exact(n);
    }

    /// Queues `f` at the back of the ready queue: it runs in the next turn.
    pub fn call_soon(&self, f: Callback) {
        let slot = match self.free_callbacks.borrow_mut().pop() {
            Some(i) => {
                if let Some(c) = self.callbacks.borrow_mut().get_mut(i as usize) {
                    *c = Some(f);
                }
                i
            }
            None => {
                let mut cbs = self.callbacks.borrow_mut();
                cbs.push(Some(f));
                (cbs.len() - 1) as u32
            }
        };
        self.push(Handle::Call(slot));
    }

    /// Runs `f` once the turn in progress has run all its handles (as `loop.stop()` takes effect).
    pub fn after_turn(&self, f: Callback) {
        self.after_turn.borrow_mut().push(f);
    }

    /// Starts a timer due at `due` (in the queue's unit), tagged for the fire hook.
    pub fn add_timer(&self, due: u64, tag: u32) -> TimerId {
        self.timers.borrow_mut().add(due, tag)
    }

    /// Ready once the timer has fired; otherwise remembers the task to wake when it does.
    pub fn poll_timer(&self, id: TimerId, cx: &mut Context<'_>) -> Poll<()> {
        self.timers.borrow_mut().poll(id, cx.waker())
    }

    /// Drops a timer; true if it had not fired yet (it never will now).
    pub fn cancel_timer(&self, id: TimerId) -> bool {
        match self.timers.try_borrow_mut() {
            Ok(mut q) => q.cancel(id),
            Err(_) => false,
        }
    }

    /// Sets what is told when a timer fires: its tag, when it was due and when it fired.
    pub fn set_fire_hook(&self, hook: FireHook) {
        *self.hook.borrow_mut() = Some(hook);
    }

    /// True if a turn has begun and still has handles to run.
    pub fn in_turn(&self) -> bool {
        self.turn_left.get() > 0
    }

    /// True if something waits in the ready queue.
    pub fn has_ready(&self) -> bool {
        self.ready.lock().map(|q| !q.is_empty()).unwrap_or(false)
    }

    /// The earliest deadline of a pending timer (not yet moved to the ready queue).
    pub fn next_due(&self) -> Option<u64> {
        self.timers.borrow_mut().next_due()
    }

    /// Timers started and neither fired nor dropped.
    pub fn pending_timers(&self) -> usize {
        self.timers.borrow().pending()
    }

    /// Tasks spawned and not finished.
    pub fn live_tasks(&self) -> usize {
        self.live.get()
    }

    /// Task steps run so far.
    pub fn polls(&self) -> u64 {
        self.polls.get()
    }

    /// Begins a turn at `now`: every timer due by then joins the ready queue, in deadline order,
    /// and the turn is everything now queued.
    pub fn begin_turn(&self, now: u64) {
        let mut timers = self.timers.borrow_mut();
        let Ok(mut q) = self.ready.lock() else { return };
        while let Some((id, due)) = timers.take_due(now) {
            q.push_back(Handle::Timer { id, due });
        }
        self.turn_left.set(q.len());
    }

    /// True if the next handle of the turn is a task's step (what a poll budget counts).
    pub fn next_is_step(&self) -> bool {
        self.ready
            .lock()
            .ok()
            .and_then(|q| q.front().copied())
            .is_some_and(|h| matches!(h, Handle::Step(_)))
    }

    /// True if the next handle of the turn is a timer's callback (whose firing is recorded).
    pub fn next_is_timer(&self) -> bool {
        self.ready
            .lock()
            .ok()
            .and_then(|q| q.front().copied())
            .is_some_and(|h| matches!(h, Handle::Timer { .. }))
    }

    /// Runs the next handle of the turn in progress (`now` is when, for a timer that fires); at
    /// the end of the turn, runs what was asked to run after it.
    pub fn run_next(&self, now: u64) {
        if self.turn_left.get() == 0 {
            return;
        }
        self.turn_left.set(self.turn_left.get() - 1);
        let next = self.ready.lock().ok().and_then(|mut q| q.pop_front());
        match next {
            Some(Handle::Step(slot)) => self.step(slot),
            Some(Handle::Timer { id, due }) => self.fire(id, due, now),
            Some(Handle::Call(slot)) => {
                let f = self
                    .callbacks
                    .borrow_mut()
                    .get_mut(slot as usize)
                    .and_then(Option::take);
                if f.is_some() {
                    self.free_callbacks.borrow_mut().push(slot);
                }
                if let Some(f) = f {
                    f();
                }
            }
            None => self.turn_left.set(0),
        }
        if self.turn_left.get() == 0 {
            let after = std::mem::take(&mut *self.after_turn.borrow_mut());
            for f in after {
                f();
            }
        }
    }

    fn step(&self, slot: u32) {
        let waker = match self.wakers.borrow().get(slot as usize) {
            Some(Some(w)) => {
                w.queued.store(false, Ordering::Relaxed);
                Waker::from(w.clone())
            }
            _ => return,
        };
        let task = self
            .tasks
            .borrow_mut()
            .get_mut(slot as usize)
            .and_then(Option::take);
        let Some(mut task) = task else { return };
        self.polls.set(self.polls.get() + 1);
        let mut cx = Context::from_waker(&waker);
        if Pin::new(&mut task).poll(&mut cx).is_pending() {
            if let Some(entry) = self.tasks.borrow_mut().get_mut(slot as usize) {
                *entry = Some(task);
            }
        } else {
            if let Some(w) = self.wakers.borrow_mut().get_mut(slot as usize) {
                *w = None;
            }
            self.live.set(self.live.get().saturating_sub(1));
        }
    }

    fn fire(&self, id: TimerId, due: u64, now: u64) {
        // A timer dropped after it joined the ready queue does nothing (asyncio skips a
        // cancelled handle).
        let fired = self.timers.borrow_mut().fire(id);
        let Some((tag, waker)) = fired else { return };
        let hook = self.hook.borrow().clone();
        if let Some(hook) = hook {
            let secs = |units: u64| units as f64 * self.speed / self.units_per_second;
            hook(tag, secs(due), secs(now.max(due)));
        }
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Drops every task, timer and callback at once: the run was stopped.
    pub fn clear(&self) {
        let tasks = std::mem::take(&mut *self.tasks.borrow_mut());
        let callbacks = std::mem::take(&mut *self.callbacks.borrow_mut());
        self.wakers.borrow_mut().clear();
        self.free_callbacks.borrow_mut().clear();
        self.after_turn.borrow_mut().clear();
        if let Ok(mut q) = self.ready.lock() {
            q.clear();
        }
        *self.timers.borrow_mut() = TimerQueue::default();
        self.turn_left.set(0);
        self.live.set(0);
        // Dropped with no borrow held: a task's drop may reach back into the loop.
        drop(tasks);
        drop(callbacks);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    /// Runs turns on a clock that jumps to the next deadline, logging what ran.
    fn run_all(core: &LoopCore) {
        let mut now = 0;
        loop {
            if !core.in_turn() {
                if !core.has_ready() {
                    match core.next_due() {
                        Some(d) => now = d,
                        None => return,
                    }
                }
                core.begin_turn(now);
            }
            core.run_next(now);
        }
    }

    #[test]
    fn a_turn_runs_only_what_was_queued_when_it_began() {
        let core = Rc::new(LoopCore::new(1e9, 1.0));
        let log = Rc::new(RefCell::new(Vec::new()));
        let (c, l) = (core.clone(), log.clone());
        core.call_soon(Box::new(move || {
            l.borrow_mut().push("a");
            let l2 = l.clone();
            c.call_soon(Box::new(move || l2.borrow_mut().push("c")));
            let l3 = l.clone();
            c.after_turn(Box::new(move || l3.borrow_mut().push("end of turn 1")));
        }));
        let l = log.clone();
        core.call_soon(Box::new(move || l.borrow_mut().push("b")));
        run_all(&core);
        assert_eq!(*log.borrow(), ["a", "b", "end of turn 1", "c"]);
    }

    #[test]
    fn due_timers_join_the_queue_together_behind_what_is_ready() {
        let core = Rc::new(LoopCore::new(1e9, 1.0));
        let log = Rc::new(RefCell::new(Vec::new()));
        let l = log.clone();
        core.set_fire_hook(Rc::new(move |tag, _, at| l.borrow_mut().push((tag, at))));
        core.add_timer(20, 2);
        core.add_timer(10, 1);
        core.add_timer(20, 3);
        run_all(&core);
        let fired: Vec<u32> = log.borrow().iter().map(|(t, _)| *t).collect();
        assert_eq!(fired, [1, 2, 3]);
        assert_eq!(core.pending_timers(), 0);
    }

    #[test]
    fn a_timer_dropped_after_it_fell_due_does_nothing() {
        let core = Rc::new(LoopCore::new(1e9, 1.0));
        let fired = Rc::new(Cell::new(0));
        let f = fired.clone();
        core.set_fire_hook(Rc::new(move |_, _, _| f.set(f.get() + 1)));
        let a = core.add_timer(5, 1);
        core.add_timer(5, 2);
        core.begin_turn(5);
        assert!(core.cancel_timer(a), "still pending while queued");
        while core.in_turn() {
            core.run_next(5);
        }
        assert_eq!(fired.get(), 1);
    }
}
