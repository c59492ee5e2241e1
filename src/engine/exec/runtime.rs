//! The one trait both runtimes implement: the browser's event loop and the virtual clock.
//!
//! The interpreter only ever talks to a [`Runtime`], so the very same instrumented tasks run on
//! either, and the ideal schedule and the real run are recorded alike.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

pub use crate::engine::exec::event_loop::FireHook;
use crate::engine::exec::event_loop::{Callback, LoopCore};
pub use crate::engine::exec::task::LocalBoxFuture;
use crate::engine::exec::task::Task;
pub use crate::engine::exec::timers::TimerId;

/// A started timer: when it falls due, and the handle to await or drop it.
#[derive(Clone, Copy, Debug)]
pub struct Timer {
    /// Scenario seconds at which it falls due.
    pub due: f64,
    /// Its handle, for [`Runtime::poll_timer`] and [`Runtime::cancel_timer`].
    pub id: TimerId,
}

/// What a runtime offers the interpreter. All times are scenario seconds since the run began.
///
/// Both runtimes keep asyncio's loop discipline through the same [`LoopCore`]; they differ in
/// their clock ([`Runtime::now`], [`Runtime::timer`], [`Runtime::block`]) and in how they wait
/// for the next turn ([`Runtime::kick`]).
pub trait Runtime: 'static {
    /// The current scenario time.
    fn now(&self) -> f64;
    /// Starts a timer of `secs` from `now` (the caller's recent reading of [`Runtime::now`]:
    /// clocks are not free to read), tagged `tag` for the fire hook; timers due together fire
    /// in start order.
    fn timer(&self, now: f64, secs: f64, tag: u32) -> Timer;
    /// Holds the thread for `secs`: nothing else runs meanwhile. Returns how many rounds a
    /// busy loop made checking the clock (0 where time is virtual and nothing spins).
    fn block(&self, secs: f64) -> u64;
    /// The loop the runtime turns.
    fn core(&self) -> &LoopCore;
    /// Told that something joined the ready queue: a runtime that waits for its next turn
    /// arranges one.
    fn kick(&self) {}
    /// Told once the run is stopped: every task has been ended; drop everything.
    fn stopped(&self) {
        self.core().clear();
    }

    /// Ready once the timer has fired; otherwise the task is woken when it does.
    fn poll_timer(&self, id: TimerId, cx: &mut Context<'_>) -> Poll<()> {
        self.core().poll_timer(id, cx)
    }
    /// Drops a timer: it will not fire. True if it had not fired yet.
    fn cancel_timer(&self, id: TimerId) -> bool {
        self.core().cancel_timer(id)
    }
    /// Sets what is told when a timer fires.
    fn set_fire_hook(&self, hook: FireHook) {
        self.core().set_fire_hook(hook);
    }
    /// Starts a task; its first step runs in the next turn (`create_task` does `call_soon`).
    fn spawn(&self, future: LocalBoxFuture<'static, ()>) {
        self.core().spawn_future(future);
        self.kick();
    }
    /// Starts a task stepped by its [`crate::engine::exec::task::Stepper`] (an interpreter's
    /// task), as [`Runtime::spawn`] does, without a box of its own.
    fn spawn_task(&self, task: Task) {
        self.core().spawn(task);
        self.kick();
    }
    /// Makes room for `n` tasks about to be spawned at once.
    fn reserve(&self, n: usize) {
        self.core().reserve(n);
    }
    /// Queues a callback at the back of the ready queue: it runs in the next turn.
    fn call_soon(&self, f: Callback) {
        self.core().call_soon(f);
        self.kick();
    }
    /// Runs `f` once the turn in progress is over.
    fn after_turn(&self, f: Callback) {
        self.core().after_turn(f);
    }
    /// Wakes a task: its next step joins the back of the ready queue.
    fn wake(&self, waker: Waker) {
        waker.wake();
        self.kick();
    }
}

/// Awaits a timer of a runtime; dropping it drops the timer.
pub struct Sleep<'a> {
    rt: &'a dyn Runtime,
    id: TimerId,
    done: bool,
}

impl<'a> Sleep<'a> {
    /// Awaits `timer`, started on `rt`.
    pub fn new(rt: &'a dyn Runtime, timer: Timer) -> Sleep<'a> {
        Sleep {
            rt,
            id: timer.id,
            done: false,
        }
    }
}

impl Future for Sleep<'_> {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done {
            return Poll::Ready(());
        }
        let p = self.rt.poll_timer(self.id, cx);
        if p.is_ready() {
            self.done = true;
        }
        p
    }
}

impl Drop for Sleep<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.rt.cancel_timer(self.id);
        }
    }
}
