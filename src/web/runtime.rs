//! The browser runtime: asyncio's loop ([`LoopCore`], the same one the virtual clock turns) on
//! the browser's own event loop. The clock is `performance.now()` scaled by the speed; blocking
//! work really spins the main thread; the loop sleeps on one gloo timer armed for the earliest
//! deadline and hops from turn to turn through a `MessageChannel` message.
//!
//! Each of the browser's macrotasks runs at most one turn of the loop, or part of one: a turn
//! that runs for longer than [`SLICE_MS`] (a million first steps, say) goes on in the next
//! macrotask, so the page can draw in between; which handles belong to the turn never changes.
//! The browser's own task queue cannot keep asyncio's discipline by itself: `spawn_local` runs
//! every future woken in one microtask checkpoint before anything else, and separate JS timers
//! are not moved to the ready queue together; so the tasks' futures are polled by the loop.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::engine::exec::event_loop::LoopCore;
use crate::engine::exec::runtime::{Runtime, Timer};
use crate::engine::record::stretches::Stretches;

/// How long one macrotask may go on running the handles of a turn before it lets the browser
/// breathe (real milliseconds).
const SLICE_MS: f64 = 8.0;

/// The last stretch before a deadline is waited out with message hops, not a JS timer (real
/// milliseconds): browsers fire timers late, never early, and to the millisecond at best, so a
/// timer is armed to wake this much early and hops cover the rest.
const HOP_WITHIN_MS: f64 = 2.0;

/// A timer or message of the loop's that comes later than this (wall nanoseconds) is recorded
/// as a wait: the browser was late to run the loop.
const WAIT_NOTED_NS: u64 = 250_000;

/// Stretches of the loop's own work closer than this are kept as one (wall nanoseconds).
const SLICE_JOIN_NS: u64 = 250_000;
/// Past this many stretches kept, they are joined twice as coarsely, and so on: the record's
/// memory is set aside once, and does not grow with the run.
const MAX_SLICES: usize = 1_024;

thread_local! {
    /// Every browser runtime of the page, for the leak checks.
    static RUNTIMES: RefCell<Vec<Weak<Inner>>> = const { RefCell::new(Vec::new()) };
}

fn each_runtime(f: impl Fn(&Inner) -> usize) -> usize {
    RUNTIMES.with(|r| {
        let mut r = r.borrow_mut();
        r.retain(|w| w.strong_count() > 0);
        r.iter().filter_map(Weak::upgrade).map(|i| f(&i)).sum()
    })
}

/// Sleeps pending across every browser runtime of the page: zero when nothing runs.
pub fn live_timers_everywhere() -> usize {
    each_runtime(|i| i.core.pending_timers())
}

/// Browser runtimes still alive on the page: zero once no run is held.
pub fn live_runtimes() -> usize {
    each_runtime(|_| 1)
}

/// Tasks alive across every browser runtime of the page: zero when nothing runs.
pub fn live_tasks_everywhere() -> usize {
    each_runtime(|i| i.core.live_tasks())
}

struct Inner {
    performance: Option<web_sys::Performance>,
    /// `performance.now()` at the start of the run, in ms.
    origin_ms: f64,
    /// Scenario seconds per wall second.
    speed: f64,
    /// The loop; its timer deadlines are wall nanoseconds since the origin.
    core: LoopCore,
    /// The one armed JS timer, with the deadline it is armed for.
    armed: RefCell<Option<(u64, Timeout)>>,
    /// A message is on its way to run the next turn.
    posted: Cell<bool>,
    /// A turn's handles are being run (what they start is scheduled when they are done).
    pumping: Cell<bool>,
    stopped: Cell<bool>,
    /// Turns that went on in a later macrotask, for tests.
    cut_turns: Cell<u64>,
    /// When the loop ran handles (wall nanoseconds since the origin): its own work, for the
    /// event loop's lane.
    slices: RefCell<Stretches>,
    /// When the browser ran the loop late: from when its timer or message was due to come to
    /// when it came (wall nanoseconds since the origin).
    waits: RefCell<Stretches>,
    /// When the armed JS timer should call (wall nanoseconds since the origin).
    wake_at: Cell<Option<u64>>,
    /// When the message on its way was posted.
    posted_at: Cell<u64>,
    /// When the macrotask that is scheduling the next one ended its work.
    pump_end: Cell<Option<u64>>,
    channel: Option<web_sys::MessageChannel>,
    on_message: RefCell<Option<Closure<dyn FnMut()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(ch) = &self.channel {
            ch.port1().set_onmessage(None);
            ch.port1().close();
            ch.port2().close();
        }
    }
}

/// The runtime of real runs. Cloning gives another handle to the same clock.
#[derive(Clone)]
pub struct BrowserRuntime {
    inner: Rc<Inner>,
}

impl BrowserRuntime {
    /// A clock starting now, running `speed` scenario seconds per wall second.
    pub fn new(speed: f64) -> BrowserRuntime {
        let performance = web_sys::window().and_then(|w| w.performance());
        let origin_ms = performance.as_ref().map(|p| p.now()).unwrap_or(0.0);
        let speed = if speed.is_finite() && speed > 0.0 {
            speed
        } else {
            1.0
        };
        let inner = Rc::new(Inner {
            performance,
            origin_ms,
            speed,
            core: LoopCore::new(1e9, speed),
            armed: RefCell::new(None),
            posted: Cell::new(false),
            pumping: Cell::new(false),
            stopped: Cell::new(false),
            cut_turns: Cell::new(0),
            slices: RefCell::new(Stretches::new(SLICE_JOIN_NS, MAX_SLICES)),
            waits: RefCell::new(Stretches::new(SLICE_JOIN_NS, MAX_SLICES)),
            wake_at: Cell::new(None),
            posted_at: Cell::new(0),
            pump_end: Cell::new(None),
            channel: web_sys::MessageChannel::new().ok(),
            on_message: RefCell::new(None),
        });
        if let Some(ch) = &inner.channel {
            let weak = Rc::downgrade(&inner);
            let on_message = Closure::<dyn FnMut()>::new(move || pump(&weak, false));
            ch.port1()
                .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            *inner.on_message.borrow_mut() = Some(on_message);
        }
        RUNTIMES.with(|r| {
            // A dead runtime's entry would keep its allocation: drop those first.
            let mut r = r.borrow_mut();
            r.retain(|w| w.strong_count() > 0);
            r.push(Rc::downgrade(&inner));
        });
        BrowserRuntime { inner }
    }

    /// How many sleeps are pending: started, not fired, not dropped.
    pub fn live_timers(&self) -> usize {
        self.inner.core.pending_timers()
    }

    /// How many tasks are alive: spawned, not finished.
    pub fn live_tasks(&self) -> usize {
        self.inner.core.live_tasks()
    }

    /// Whether a JS timer is armed (false once nothing is pending).
    pub fn timer_armed(&self) -> bool {
        self.inner.armed.borrow().is_some()
    }

    /// How many times a turn was cut short and went on in a later macrotask.
    pub fn cut_turns(&self) -> u64 {
        self.inner.cut_turns.get()
    }

    /// The speed of this run.
    pub fn speed(&self) -> f64 {
        self.inner.speed
    }

    /// When the loop itself ran (turns: timers firing, callbacks, task steps), in scenario
    /// seconds, close stretches joined.
    pub fn loop_work(&self) -> Vec<(f64, f64)> {
        self.in_scenario_time(&self.inner.slices.borrow())
    }

    /// When the browser ran the loop late (its timer or message came more than a quarter
    /// millisecond after it was due), in scenario seconds.
    pub fn waits(&self) -> Vec<(f64, f64)> {
        self.in_scenario_time(&self.inner.waits.borrow())
    }

    fn in_scenario_time(&self, stretches: &Stretches) -> Vec<(f64, f64)> {
        let to_s = |ns: u64| ns as f64 * self.inner.speed / 1e9;
        stretches
            .spans()
            .iter()
            .map(|&(a, b)| (to_s(a), to_s(b)))
            .collect()
    }

    /// How long the loop will have nothing to do (real milliseconds): 0 while something is
    /// ready or a turn is under way; until the next deadline otherwise; infinite with nothing
    /// pending. The page schedules its own work into such gaps.
    pub fn idle_ms(&self) -> f64 {
        let inner = &self.inner;
        if inner.stopped.get() {
            return f64::INFINITY;
        }
        if inner.core.in_turn() || inner.core.has_ready() {
            return 0.0;
        }
        match inner.core.next_due() {
            Some(due) => due.saturating_sub(inner.wall_ns()) as f64 / 1e6,
            None => f64::INFINITY,
        }
    }

    /// Runs the loop's first turn now, in the caller's macrotask, instead of waiting for the
    /// message already posted for it: a run started right after the page painted begins before
    /// the browser gets to its next frame. (The message, when it comes, finds its turn done.)
    pub fn turn_now(&self) {
        if self.inner.posted.get() && !self.inner.pumping.get() {
            pump(&Rc::downgrade(&self.inner), false);
        }
    }

    /// Scenario seconds at `performance.now()` reading `wall_ms`.
    pub fn scenario_at(&self, wall_ms: f64) -> f64 {
        (wall_ms - self.inner.origin_ms) * self.inner.speed / 1000.0
    }
}

impl Inner {
    fn wall_ms(&self) -> f64 {
        self.performance
            .as_ref()
            .map(|p| p.now())
            .unwrap_or(self.origin_ms)
    }

    fn wall_ns(&self) -> u64 {
        ((self.wall_ms() - self.origin_ms).max(0.0) * 1e6) as u64
    }

    fn scenario_now(&self) -> f64 {
        (self.wall_ms() - self.origin_ms) * self.speed / 1000.0
    }
}

/// One macrotask of the loop: begins a turn if one is due (what is ready, and the timers due
/// now) and runs its handles, for at most [`SLICE_MS`]; then arranges the next.
fn pump(weak: &Weak<Inner>, from_timer: bool) {
    let Some(inner) = weak.upgrade() else { return };
    let came = inner.wall_ns();
    let expected = if from_timer {
        inner.armed.borrow_mut().take();
        inner.wake_at.take()
    } else if inner.posted.replace(false) {
        Some(inner.posted_at.get())
    } else {
        None
    };
    if let Some(at) = expected.filter(|at| came > at + WAIT_NOTED_NS) {
        inner.waits.borrow_mut().add(at, came);
    }
    if inner.stopped.get() {
        return;
    }
    inner.pumping.set(true);
    let core = &inner.core;
    let mut now = came;
    let mut began = false;
    let mut ran = false;
    let mut since_read = 0u32;
    loop {
        if !core.in_turn() {
            // One turn per macrotask: the next begins in the next one.
            if began {
                break;
            }
            if !core.has_ready() && core.next_due().is_none_or(|due| due > now) {
                break;
            }
            core.begin_turn(now);
            began = true;
            continue;
        }
        // A timer's lateness is read when its handle runs; other handles share a reading.
        if core.next_is_timer() || since_read >= 16 {
            now = inner.wall_ns();
            since_read = 0;
            if now.saturating_sub(came) as f64 / 1e6 > SLICE_MS {
                inner.cut_turns.set(inner.cut_turns.get() + 1);
                break;
            }
        }
        core.run_next(now);
        ran = true;
        since_read += 1;
        if inner.stopped.get() {
            break;
        }
    }
    inner.pumping.set(false);
    let end = inner.wall_ns();
    if ran {
        inner.slices.borrow_mut().add(came, end);
    } else if end > came + WAIT_NOTED_NS {
        // Nothing ran, which takes microseconds: the thread was held up in between (the
        // processor taken away from it), as good as a late start.
        inner.waits.borrow_mut().add(came, end);
    }
    // What is scheduled next is timed from this end, so no moment goes unaccounted for.
    inner.pump_end.set(Some(end));
    schedule(&inner, from_timer);
    inner.pump_end.set(None);
}

/// Arranges the next macrotask of the loop: a message if something is ready (or a turn is
/// unfinished), else a timer for the earliest deadline. A timer is never armed from inside a
/// timer's callback, where browsers clamp it to 4 ms once such timers nest: a message goes
/// first.
fn schedule(inner: &Rc<Inner>, from_timer: bool) {
    if inner.stopped.get() {
        inner.armed.borrow_mut().take();
        return;
    }
    let core = &inner.core;
    if core.in_turn() || core.has_ready() {
        post(inner);
        return;
    }
    let Some(due) = core.next_due() else {
        inner.armed.borrow_mut().take(); // nothing pending: clear the JS timer
        return;
    };
    let now = inner.pump_end.get().unwrap_or_else(|| inner.wall_ns());
    let wait_ms = due.saturating_sub(now) as f64 / 1e6;
    if due <= now || from_timer || wait_ms <= HOP_WITHIN_MS {
        post(inner);
        return;
    }
    let mut armed = inner.armed.borrow_mut();
    if matches!(*armed, Some((armed_due, _)) if armed_due <= due) {
        return;
    }
    // Wake a little early: hops wait out the rest, so the deadline is met to a fraction of a
    // millisecond instead of whenever the browser's timer comes.
    let ms = (wait_ms - HOP_WITHIN_MS)
        .floor()
        .clamp(0.0, i32::MAX as f64) as u32;
    let weak = Rc::downgrade(inner);
    *armed = Some((due, Timeout::new(ms, move || pump(&weak, true))));
    inner
        .wake_at
        .set(Some(now.saturating_add(u64::from(ms) * 1_000_000)));
}

/// Posts the message that runs the next macrotask of the loop, unless one is on its way.
fn post(inner: &Rc<Inner>) {
    if inner.posted.get() {
        return;
    }
    // Read first: posting can itself be held up, and that counts as the message's wait.
    let at = inner.pump_end.get().unwrap_or_else(|| inner.wall_ns());
    let sent = inner.channel.as_ref().is_some_and(|ch| {
        ch.port2()
            .post_message(&wasm_bindgen::JsValue::NULL)
            .is_ok()
    });
    if sent {
        inner.posted.set(true);
        inner.posted_at.set(at);
    } else {
        // No channel: a zero-delay timer does the same, clamped.
        let weak = Rc::downgrade(inner);
        *inner.armed.borrow_mut() = Some((0, Timeout::new(0, move || pump(&weak, false))));
    }
}

impl Runtime for BrowserRuntime {
    fn now(&self) -> f64 {
        self.inner.scenario_now()
    }

    fn timer(&self, now: f64, secs: f64, tag: u32) -> Timer {
        let secs = if secs.is_finite() { secs.max(0.0) } else { 0.0 };
        let inner = &self.inner;
        // The caller's reading of the clock, unless it makes no sense.
        let start_ns = if now.is_finite() && now >= 0.0 {
            (now * 1e9 / inner.speed) as u64
        } else {
            inner.wall_ns()
        };
        let wall_ns = (secs * 1e9 / inner.speed).min(u64::MAX as f64 / 4.0) as u64;
        let id = inner.core.add_timer(start_ns.saturating_add(wall_ns), tag);
        self.kick();
        Timer {
            due: start_ns as f64 * inner.speed / 1e9 + secs,
            id,
        }
    }

    fn block(&self, secs: f64) -> u64 {
        if !(secs.is_finite() && secs > 0.0) {
            return 0;
        }
        // Really hold the main thread: nothing else runs, timers fall late, nothing repaints.
        let end = self.inner.wall_ms() + secs * 1000.0 / self.inner.speed;
        let mut rounds = 0u64;
        while self.inner.wall_ms() < end {
            rounds += 1;
        }
        rounds
    }

    fn core(&self) -> &LoopCore {
        &self.inner.core
    }

    fn kick(&self) {
        // Within a turn, what it starts is scheduled once its handles are done.
        if !self.inner.pumping.get() {
            schedule(&self.inner, false);
        }
    }

    fn stopped(&self) {
        self.inner.stopped.set(true);
        self.inner.armed.borrow_mut().take();
        self.inner.core.clear();
    }
}
