//! The browser runtime: scenario tasks are Rust futures spawned with
//! `wasm_bindgen_futures::spawn_local`; sleeps are real `setTimeout` timers (gloo-timers) scaled
//! by the speed; the clock is `performance.now()`; blocking work really spins the main thread.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use gloo_timers::callback::Timeout;

use crate::engine::runtime::{LocalBoxFuture, OnFire, Runtime, Timer};

struct Inner {
    performance: Option<web_sys::Performance>,
    /// `performance.now()` at the start of the run, in ms.
    origin_ms: f64,
    /// Scenario seconds per wall second.
    speed: f64,
    /// Timers started and neither fired nor dropped: zero after a stop.
    live_timers: Cell<usize>,
}

/// The runtime of real runs. Cloning gives another handle to the same clock.
#[derive(Clone)]
pub struct BrowserRuntime {
    inner: Rc<Inner>,
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|w| w.performance())
}

impl BrowserRuntime {
    /// A clock starting now, running `speed` scenario seconds per wall second.
    pub fn new(speed: f64) -> BrowserRuntime {
        let performance = performance();
        let origin_ms = performance.as_ref().map(|p| p.now()).unwrap_or(0.0);
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            1.0
        };
        BrowserRuntime {
            inner: Rc::new(Inner {
                performance,
                origin_ms,
                speed,
                live_timers: Cell::new(0),
            }),
        }
    }

    fn wall_ms(&self) -> f64 {
        self.inner
            .performance
            .as_ref()
            .map(|p| p.now())
            .unwrap_or(self.inner.origin_ms)
    }

    /// How many timers are pending: started, not fired, not dropped.
    pub fn live_timers(&self) -> usize {
        self.inner.live_timers.get()
    }

    /// The speed of this run.
    pub fn speed(&self) -> f64 {
        self.inner.speed
    }
}

struct SleepState {
    fired: bool,
    waker: Option<Waker>,
}

struct BrowserSleep {
    state: Rc<RefCell<SleepState>>,
    /// Dropping it clears the JS timeout, so a cancelled sleep leaves nothing behind.
    timeout: Option<Timeout>,
    runtime: BrowserRuntime,
}

impl Future for BrowserSleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.borrow_mut();
        if state.fired {
            Poll::Ready(())
        } else {
            state.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl Drop for BrowserSleep {
    fn drop(&mut self) {
        if let Some(timeout) = self.timeout.take() {
            if !self.state.borrow().fired {
                let live = &self.runtime.inner.live_timers;
                live.set(live.get().saturating_sub(1));
            }
            drop(timeout);
        }
    }
}

impl Runtime for BrowserRuntime {
    fn now(&self) -> f64 {
        (self.wall_ms() - self.inner.origin_ms) * self.inner.speed / 1000.0
    }

    fn timer(&self, secs: f64, on_fire: OnFire) -> Timer {
        let secs = if secs.is_finite() { secs.max(0.0) } else { 0.0 };
        let due = self.now() + secs;
        // Round up: a timer may fire late, never early.
        let ms = (secs * 1000.0 / self.inner.speed)
            .ceil()
            .min(i32::MAX as f64) as u32;
        let state = Rc::new(RefCell::new(SleepState {
            fired: false,
            waker: None,
        }));
        let fire_state = state.clone();
        let runtime = self.clone();
        self.inner.live_timers.set(self.inner.live_timers.get() + 1);
        let timeout = Timeout::new(ms, move || {
            let live = &runtime.inner.live_timers;
            live.set(live.get().saturating_sub(1));
            let waker = {
                let mut s = fire_state.borrow_mut();
                s.fired = true;
                s.waker.take()
            };
            on_fire(runtime.now());
            if let Some(w) = waker {
                w.wake();
            }
        });
        Timer {
            due,
            fired: Box::pin(BrowserSleep {
                state,
                timeout: Some(timeout),
                runtime: self.clone(),
            }),
        }
    }

    fn block(&self, secs: f64) {
        if !(secs.is_finite() && secs > 0.0) {
            return;
        }
        // Really hold the main thread: nothing else runs, timers fall late, nothing repaints.
        let end = self.wall_ms() + secs * 1000.0 / self.inner.speed;
        while self.wall_ms() < end {
            std::hint::spin_loop();
        }
    }

    fn spawn(&self, task: LocalBoxFuture<'static, ()>) {
        wasm_bindgen_futures::spawn_local(task);
    }
}
