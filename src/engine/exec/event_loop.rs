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
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use crate::engine::exec::task::{Futures, LocalBoxFuture, Task};
use crate::engine::exec::timers::{TimerId, TimerQueue};

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

/// The ready queue, and which tasks have a step in it.
#[derive(Default)]
struct Ready {
    queue: RefCell<VecDeque<Handle>>,
    /// One bit per task slot: a step of it is queued (a task is queued once, however often it
    /// is woken before its step runs).
    queued: RefCell<Vec<u64>>,
}

impl Ready {
    fn push(&self, h: Handle) {
        self.queue.borrow_mut().push_back(h);
    }

    /// Queues a step of the task in `slot`, unless one is queued already (`call_soon` of its
    /// `__step`).
    fn wake(&self, slot: u32) {
        let (word, bit) = (slot as usize / 64, 1u64 << (slot % 64));
        {
            let mut queued = self.queued.borrow_mut();
            if queued.len() <= word {
                queued.resize(word + 1, 0);
            }
            if queued[word] & bit != 0 {
                return;
            }
            queued[word] |= bit;
        }
        self.push(Handle::Step(slot));
    }

    fn unqueue(&self, slot: u32) {
        if let Some(w) = self.queued.borrow_mut().get_mut(slot as usize / 64) {
            *w &= !(1u64 << (slot % 64));
        }
    }
}

// A task's waker costs nothing: its data is not a pointer but a number, the loop's place in a
// per-thread table and the task's slot, so waking looks the loop up instead of holding it.
// Waking from another thread finds no loop (or not this one) and does nothing.

/// Bits of a waker's number that say which loop of the thread it belongs to.
const LOOP_BITS: u32 = 8;
/// Tasks a loop can wake this way; those past it get a waker that holds its loop.
const MAX_SLOT: usize = (1 << (usize::BITS - LOOP_BITS)) - 1;

thread_local! {
    /// The ready queues of this thread's loops, by their place in a waker's number.
    static LOOPS: RefCell<Vec<Weak<Ready>>> = const { RefCell::new(Vec::new()) };
}

fn register(ready: &Rc<Ready>) -> Option<usize> {
    LOOPS.with(|l| {
        let mut l = l.borrow_mut();
        let weak = Rc::downgrade(ready);
        if let Some(i) = l.iter().position(|w| w.strong_count() == 0) {
            l[i] = weak;
            return Some(i);
        }
        if l.len() < 1 << LOOP_BITS {
            l.push(weak);
            Some(l.len() - 1)
        } else {
            None
        }
    })
}

fn wake_number(n: usize) {
    let (place, slot) = (n >> (usize::BITS - LOOP_BITS), n & MAX_SLOT);
    let ready = LOOPS.with(|l| l.borrow().get(place).and_then(Weak::upgrade));
    if let Some(ready) = ready {
        ready.wake(slot as u32);
    }
}

const VTABLE: RawWakerVTable = RawWakerVTable::new(
    |data| RawWaker::new(data, &VTABLE),
    |data| wake_number(data as usize),
    |data| wake_number(data as usize),
    |_| {},
);

/// The waker of the task in `slot` of the loop at `place`.
fn task_waker(place: usize, slot: u32) -> Waker {
    let n = (place << (usize::BITS - LOOP_BITS)) | slot as usize;
    // SAFETY: the data is a number, never dereferenced; every function of the table only
    // reads it as one, so the waker is sound on any thread and after its loop is gone.
    unsafe { Waker::from_raw(RawWaker::new(n as *const (), &VTABLE)) }
}

/// A waker that holds its loop: for the rare task beyond what a number can name.
struct HeldWaker {
    ready: Weak<Ready>,
    slot: u32,
}

fn held_waker(ready: &Rc<Ready>, slot: u32) -> Waker {
    // Boxed, leaked never: a `Waker` built from a raw pointer to an `Rc`.
    let held = Rc::new(HeldWaker {
        ready: Rc::downgrade(ready),
        slot,
    });
    const HELD: RawWakerVTable = RawWakerVTable::new(
        |data| {
            // SAFETY: `data` came from `Rc::into_raw` of a `HeldWaker`; cloning adds a count.
            unsafe { Rc::increment_strong_count(data as *const HeldWaker) };
            RawWaker::new(data, &HELD)
        },
        |data| {
            // SAFETY: as above; waking by value consumes this waker's count.
            let held = unsafe { Rc::from_raw(data as *const HeldWaker) };
            if let Some(r) = held.ready.upgrade() {
                r.wake(held.slot);
            }
        },
        |data| {
            // SAFETY: as above; borrowed, so the count is left as it is.
            let held = unsafe { &*(data as *const HeldWaker) };
            if let Some(r) = held.ready.upgrade() {
                r.wake(held.slot);
            }
        },
        |data| {
            // SAFETY: as above; dropping this waker gives back its count.
            drop(unsafe { Rc::from_raw(data as *const HeldWaker) })
        },
    );
    // SAFETY: the table's functions keep the `Rc`'s count balanced. Such a waker must stay
    // on its thread, which every runtime here keeps (they are single-threaded).
    unsafe { Waker::from_raw(RawWaker::new(Rc::into_raw(held) as *const (), &HELD)) }
}

/// Told the moment a timer fires (before the task it wakes is polled), with the timer's tag,
/// when it was due and when it fired, in scenario seconds: so the fire time is recorded exactly.
pub type FireHook = Rc<dyn Fn(u32, f64, f64)>;

/// A callback for [`LoopCore::call_soon`] or [`LoopCore::after_turn`].
pub type Callback = Box<dyn FnOnce()>;

/// The state of one event loop: what is ready, what is timed, and the turn in progress.
pub struct LoopCore {
    ready: Rc<Ready>,
    /// This loop's place in the thread's table of loops, which its tasks' wakers name.
    place: Option<usize>,
    tasks: RefCell<Vec<Option<Task>>>,
    /// The plain futures spawned on this loop, made the first time one is.
    futures: RefCell<Option<Rc<Futures>>>,
    callbacks: RefCell<Vec<Option<Callback>>>,
    free_callbacks: RefCell<Vec<u32>>,
    timers: RefCell<TimerQueue>,
    /// Callbacks to run when a timer fires, in its handle (asyncio's `call_later`): code mode's.
    #[cfg(any(feature = "studio", feature = "bench", not(target_arch = "wasm32")))]
    timer_calls: RefCell<Vec<(TimerId, Callback)>>,
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
        let ready = Rc::new(Ready::default());
        LoopCore {
            place: register(&ready),
            ready,
            tasks: RefCell::new(Vec::new()),
            futures: RefCell::new(None),
            callbacks: RefCell::new(Vec::new()),
            free_callbacks: RefCell::new(Vec::new()),
            timers: RefCell::new(TimerQueue::default()),
            #[cfg(any(feature = "studio", feature = "bench", not(target_arch = "wasm32")))]
            timer_calls: RefCell::new(Vec::new()),
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
        self.ready.push(h);
    }

    /// Starts a plain future as a task.
    pub fn spawn_future(&self, future: LocalBoxFuture<'static, ()>) {
        let futures = self
            .futures
            .borrow_mut()
            .get_or_insert_with(|| Rc::new(Futures::default()))
            .clone();
        let id = futures.add(future);
        self.spawn(Task::new(futures, id));
    }

    /// Starts a task: its first step is queued at the back (`create_task` does `call_soon`).
    pub fn spawn(&self, task: Task) {
        let slot = {
            let mut tasks = self.tasks.borrow_mut();
            tasks.push(Some(task));
            (tasks.len() - 1) as u32
        };
        self.ready.wake(slot);
        self.live.set(self.live.get() + 1);
    }

    /// Makes room for `n` more tasks at once (a gather of many).
    pub fn reserve(&self, n: usize) {
        self.tasks.borrow_mut().reserve_exact(n);
    }

    /// The waker of the task in `slot`.
    fn waker(&self, slot: u32) -> Waker {
        match self.place {
            Some(place) if slot as usize <= MAX_SLOT => task_waker(place, slot),
            _ => held_waker(&self.ready, slot),
        }
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
        #[cfg(any(feature = "studio", feature = "bench", not(target_arch = "wasm32")))]
        drop(self.take_timer_call(id));
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
        !self.ready.queue.borrow().is_empty()
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
        let mut q = self.ready.queue.borrow_mut();
        while let Some((id, due)) = timers.take_due(now) {
            q.push_back(Handle::Timer { id, due });
        }
        self.turn_left.set(q.len());
    }

    /// True if the next handle of the turn is a task's step (what a poll budget counts).
    pub fn next_is_step(&self) -> bool {
        matches!(self.ready.queue.borrow().front(), Some(Handle::Step(_)))
    }

    /// True if the next handle of the turn is a timer's callback (whose firing is recorded).
    pub fn next_is_timer(&self) -> bool {
        matches!(
            self.ready.queue.borrow().front(),
            Some(Handle::Timer { .. })
        )
    }

    /// Runs the next handle of the turn in progress (`now` is when, for a timer that fires); at
    /// the end of the turn, runs what was asked to run after it.
    pub fn run_next(&self, now: u64) {
        if self.turn_left.get() == 0 {
            return;
        }
        self.turn_left.set(self.turn_left.get() - 1);
        let next = self.ready.queue.borrow_mut().pop_front();
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
        self.ready.unqueue(slot);
        let task = self
            .tasks
            .borrow_mut()
            .get_mut(slot as usize)
            .and_then(Option::take);
        let Some(mut task) = task else { return };
        self.polls.set(self.polls.get() + 1);
        let waker = self.waker(slot);
        let mut cx = Context::from_waker(&waker);
        if Pin::new(&mut task).poll(&mut cx).is_pending() {
            if let Some(entry) = self.tasks.borrow_mut().get_mut(slot as usize) {
                *entry = Some(task);
            }
        } else {
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
        #[cfg(any(feature = "studio", feature = "bench", not(target_arch = "wasm32")))]
        if let Some(f) = self.take_timer_call(id) {
            f();
        }
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Runs `f` in the handle of timer `id` when it fires (asyncio's `call_later`); dropped
    /// with the timer if it is cancelled.
    #[cfg(any(feature = "studio", feature = "bench", not(target_arch = "wasm32")))]
    pub fn on_fire(&self, id: TimerId, f: Callback) {
        self.timer_calls.borrow_mut().push((id, f));
    }

    #[cfg(any(feature = "studio", feature = "bench", not(target_arch = "wasm32")))]
    fn take_timer_call(&self, id: TimerId) -> Option<Callback> {
        let mut calls = self.timer_calls.try_borrow_mut().ok()?;
        let at = calls.iter().position(|(t, _)| *t == id)?;
        Some(calls.swap_remove(at).1)
    }

    /// Drops every task, timer and callback at once: the run was stopped.
    pub fn clear(&self) {
        let tasks = std::mem::take(&mut *self.tasks.borrow_mut());
        let futures = self.futures.borrow_mut().take();
        let callbacks = std::mem::take(&mut *self.callbacks.borrow_mut());
        #[cfg(any(feature = "studio", feature = "bench", not(target_arch = "wasm32")))]
        let timer_calls = std::mem::take(&mut *self.timer_calls.borrow_mut());
        self.free_callbacks.borrow_mut().clear();
        self.after_turn.borrow_mut().clear();
        self.ready.queue.borrow_mut().clear();
        self.ready.queued.borrow_mut().clear();
        *self.timers.borrow_mut() = TimerQueue::default();
        self.turn_left.set(0);
        self.live.set(0);
        // Dropped with no borrow held: a task's drop may reach back into the loop.
        drop(tasks);
        drop(futures);
        drop(callbacks);
        #[cfg(any(feature = "studio", feature = "bench", not(target_arch = "wasm32")))]
        drop(timer_calls);
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
    fn both_kinds_of_waker_queue_a_task_once_and_a_stale_one_does_nothing() {
        let core = LoopCore::new(1e9, 1.0);
        core.spawn_future(Box::pin(std::future::pending()));
        core.begin_turn(0);
        core.run_next(0);
        assert!(!core.has_ready());
        for waker in [core.waker(0), held_waker(&core.ready, 0)] {
            let again = waker.clone();
            waker.wake_by_ref();
            again.wake();
            waker.wake();
            assert_eq!(core.ready.queue.borrow().len(), 1, "queued once");
            core.begin_turn(0);
            core.run_next(0);
        }
        assert_eq!(
            Rc::strong_count(&core.ready),
            1,
            "held wakers gave their counts back"
        );
        let stale = core.waker(0);
        drop(core);
        stale.wake();
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
