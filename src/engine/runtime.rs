//! The one trait both runtimes implement: the browser's event loop and the virtual clock.
//!
//! The interpreter only ever talks to a [`Runtime`], so the very same instrumented tasks run on
//! either, and the ideal schedule and the real run are recorded alike.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::interp::Driver;
pub use super::timers::TimerId;

/// A boxed future that need not be `Send` (everything here runs on one thread).
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Told the moment a timer fires (before the task it wakes is polled), with the timer's tag,
/// when it was due and when it fired, in scenario seconds: so the fire time is recorded exactly.
pub type FireHook = Rc<dyn Fn(u32, f64, f64)>;

/// A started timer: when it falls due, and the handle to await or drop it.
#[derive(Clone, Copy, Debug)]
pub struct Timer {
    /// Scenario seconds at which it falls due.
    pub due: f64,
    /// Its handle, for [`Runtime::poll_timer`] and [`Runtime::cancel_timer`].
    pub id: TimerId,
}

/// What a runtime offers the interpreter. All times are scenario seconds since the run began.
pub trait Runtime: 'static {
    /// The current scenario time.
    fn now(&self) -> f64;
    /// Starts a timer of `secs` from `now` (the caller's recent reading of [`Runtime::now`]:
    /// clocks are not free to read), tagged `tag` for the fire hook; timers due together fire
    /// in start order.
    fn timer(&self, now: f64, secs: f64, tag: u32) -> Timer;
    /// Ready once the timer has fired; otherwise the task is woken when it does.
    fn poll_timer(&self, id: TimerId, cx: &mut Context<'_>) -> Poll<()>;
    /// Drops a timer: it will not fire.
    fn cancel_timer(&self, id: TimerId);
    /// Sets what is told when a timer fires.
    fn set_fire_hook(&self, hook: FireHook);
    /// Holds the thread for `secs`: nothing else runs meanwhile. Returns how many rounds a
    /// busy loop made checking the clock (0 where time is virtual and nothing spins).
    fn block(&self, secs: f64) -> u64;
    /// Starts a task; it is first polled after the current one yields.
    fn spawn(&self, task: LocalBoxFuture<'static, ()>);
    /// Starts an interpreter task, as [`Runtime::spawn`] does. By default it is boxed for
    /// `spawn`; a runtime that wraps every task in a future of its own anyway can take it as it
    /// is, and save a box per task.
    fn spawn_driver(&self, task: Driver) {
        self.spawn(Box::pin(task));
    }
    /// Told once the run is stopped: every task has been cancelled.
    fn stopped(&self) {}
    /// Wakes a task (one that awaited a task that ended, say), so the runtime can count it.
    fn wake(&self, waker: Waker) {
        waker.wake();
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
