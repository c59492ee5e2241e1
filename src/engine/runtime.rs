//! The one trait both runtimes implement: the browser's event loop and the virtual clock.
//!
//! The interpreter only ever talks to a [`Runtime`], so the very same instrumented tasks run on
//! either, and the ideal schedule and the real run are recorded alike.

use std::future::Future;
use std::pin::Pin;

/// A boxed future that need not be `Send` (everything here runs on one thread).
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Called when a timer fires, with the scenario time it fired at.
pub type OnFire = Box<dyn FnOnce(f64)>;

/// A started timer: when it falls due, and the future that completes when it fires.
/// Dropping the future cancels the timer.
pub struct Timer {
    /// Scenario seconds at which it falls due.
    pub due: f64,
    /// Completes once the timer has fired.
    pub fired: LocalBoxFuture<'static, ()>,
}

/// What a runtime offers the interpreter. All times are scenario seconds since the run began.
pub trait Runtime: 'static {
    /// The current scenario time.
    fn now(&self) -> f64;
    /// Starts a timer of `secs`. `on_fire` runs the moment it fires (before the waiting task is
    /// polled), so the fire time is recorded exactly; timers due together fire in start order.
    fn timer(&self, secs: f64, on_fire: OnFire) -> Timer;
    /// Holds the thread for `secs`: nothing else runs meanwhile. Returns how many rounds a
    /// busy loop made checking the clock (0 where time is virtual and nothing spins).
    fn block(&self, secs: f64) -> u64;
    /// Starts a task; it is first polled after the current one yields.
    fn spawn(&self, task: LocalBoxFuture<'static, ()>);
}
