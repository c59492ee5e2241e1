//! The browser runtime: scenario tasks are Rust futures spawned with
//! `wasm_bindgen_futures::spawn_local`; sleeps are real browser timers (gloo-timers) scaled by the
//! speed; the clock is `performance.now()`; blocking work really spins the main thread.
//!
//! Sleeps share one timer queue: a heap ordered by (deadline, start order) with a single
//! `setTimeout` armed for the earliest deadline. When it fires, the runtime fires one sleep, then
//! waits on the task queue itself until every task that sleep woke (and every task those woke) has
//! run, then fires the next due sleep, and so on: the catalog's timer-order rule, kept on the real
//! loop. Several due sleeps are handled within one macrotask (up to a few milliseconds, then a
//! `MessageChannel` message lets the browser breathe), which is what makes thousands of sleeps due
//! together cheap.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::engine::interp::Driver;
use crate::engine::runtime::{FireHook, LocalBoxFuture, Runtime, Timer, TimerId};
use crate::engine::timers::{Fired, TimerQueue};

thread_local! {
    /// Sleeps pending across every runtime of the page.
    static PENDING: Cell<usize> = const { Cell::new(0) };
    /// Wakes of scenario tasks so far (spawns, fired sleeps, tasks and gathers that ended),
    /// across the page.
    static WAKES: Cell<u64> = const { Cell::new(0) };
    /// Polls of scenario tasks so far, across the page.
    static POLLS: Cell<u64> = const { Cell::new(0) };
    /// Wakes minus polls when the task queue was last known to hold no scenario task: a task
    /// woken twice before its poll counts twice, so the difference need not come back to zero.
    static SETTLED: Cell<u64> = const { Cell::new(0) };
}

thread_local! {
    /// Tasks created in the current turn of the event loop (reset by each of the runtime's own
    /// macrotasks).
    static BURST: Cell<usize> = const { Cell::new(0) };
}

/// Tasks one turn may hand to the task queue: a gather of a million coroutines creates its tasks
/// at once, as asyncio does, but their first polls are spread over turns of the event loop,
/// [`BURST`] at a time, so the page can still draw and answer in between.
const BURST_LIMIT: usize = 2_000;

fn count_wake() {
    WAKES.with(|w| w.set(w.get() + 1));
}

/// Scenario tasks woken and not yet polled, by the counts (see [`SETTLED`]).
fn unsettled() -> u64 {
    WAKES.with(Cell::get).wrapping_sub(POLLS.with(Cell::get))
}

/// The task queue holds no scenario task now: remember the counts' difference.
fn settle() {
    SETTLED.with(|s| s.set(unsettled()));
}

/// Sleeps pending across every browser runtime of the page: zero when nothing runs.
pub fn live_timers_everywhere() -> usize {
    PENDING.with(Cell::get)
}

#[derive(Default)]
struct Queue {
    /// Deadlines in wall nanoseconds since the origin.
    timers: TimerQueue,
    /// The one armed JS timer, with the deadline it is armed for.
    armed: Option<(u64, Timeout)>,
    /// A `MessageChannel` message is on its way to fire the next due sleep.
    pumping: bool,
}

struct Inner {
    performance: Option<web_sys::Performance>,
    /// `performance.now()` at the start of the run, in ms.
    origin_ms: f64,
    /// Scenario seconds per wall second.
    speed: f64,
    queue: RefCell<Queue>,
    channel: Option<web_sys::MessageChannel>,
    on_message: RefCell<Option<Closure<dyn FnMut()>>>,
    /// Told of every sleep that fires.
    hook: RefCell<Option<FireHook>>,
    /// Tasks created past [`BURST`] in one turn, waiting to be handed to the task queue a
    /// chunk per turn (see [`feed`]).
    deferred: RefCell<Deferred>,
    /// The channel whose messages feed the deferred tasks, and whether one is on its way.
    feed_channel: Option<web_sys::MessageChannel>,
    on_feed: RefCell<Option<Closure<dyn FnMut()>>>,
    feeding: Cell<bool>,
    /// How many tasks were deferred so far.
    deferred_total: Cell<usize>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Sleeps that outlive their runtime can no longer fire: stop counting them.
        let left = self.queue.borrow().timers.pending();
        PENDING.with(|p| p.set(p.get().saturating_sub(left)));
        crate::web::count_task(-(self.deferred.borrow().tasks as i64));
        for ch in [&self.channel, &self.feed_channel].into_iter().flatten() {
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
        BURST.with(|b| b.set(0));
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
            queue: RefCell::new(Queue::default()),
            channel: web_sys::MessageChannel::new().ok(),
            on_message: RefCell::new(None),
            hook: RefCell::new(None),
            deferred: RefCell::new(Deferred::default()),
            feed_channel: web_sys::MessageChannel::new().ok(),
            on_feed: RefCell::new(None),
            feeding: Cell::new(false),
            deferred_total: Cell::new(0),
        });
        if let Some(ch) = &inner.feed_channel {
            let weak = Rc::downgrade(&inner);
            let on_feed = Closure::<dyn FnMut()>::new(move || feed(&weak));
            ch.port1()
                .set_onmessage(Some(on_feed.as_ref().unchecked_ref()));
            *inner.on_feed.borrow_mut() = Some(on_feed);
        }
        if let Some(ch) = &inner.channel {
            let weak = Rc::downgrade(&inner);
            let on_message = Closure::<dyn FnMut()>::new(move || pump(&weak, false));
            ch.port1()
                .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            *inner.on_message.borrow_mut() = Some(on_message);
        }
        BrowserRuntime { inner }
    }

    /// How many sleeps are pending: started, not fired, not dropped.
    pub fn live_timers(&self) -> usize {
        self.inner.queue.borrow().timers.pending()
    }

    /// Whether a JS timer is armed (false once nothing is pending).
    pub fn timer_armed(&self) -> bool {
        self.inner.queue.borrow().armed.is_some()
    }

    /// How many tasks started in a later turn than the one that created them (see
    /// [`BURST_LIMIT`]).
    pub fn deferred_tasks(&self) -> usize {
        self.inner.deferred_total.get()
    }

    /// The speed of this run.
    pub fn speed(&self) -> f64 {
        self.inner.speed
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

/// Takes the earliest sleep out of the queue if it is due at `now` (wall nanoseconds).
fn take_due(inner: &Inner, now: u64) -> Option<Fired> {
    inner.queue.borrow_mut().timers.pop_due(now)
}

/// Fires one sleep at `now` (wall nanoseconds, one reading of the clock for the whole step):
/// records it and wakes its task.
fn fire(inner: &Inner, fired: Fired, now: u64) {
    PENDING.with(|p| p.set(p.get().saturating_sub(1)));
    let hook = inner.hook.borrow().clone();
    if let Some(hook) = hook {
        let due = fired.due as f64 * inner.speed / 1e9;
        hook(fired.tag, due, now as f64 * inner.speed / 1e9);
    }
    if let Some(w) = fired.waker {
        count_wake();
        w.wake();
    }
}

/// How long one macrotask may go on firing sleeps before it lets the browser breathe.
const DRAIN_BUDGET_MS: f64 = 8.0;

/// Fires the earliest sleep if it is due, then goes on firing the sleeps that are due, each only
/// once every task the previous one woke (and every task those woke) has run: the catalog's
/// timer-order rule, kept within one macrotask for as long as [`DRAIN_BUDGET_MS`] allows.
fn pump(weak: &Weak<Inner>, from_timer: bool) {
    let Some(inner) = weak.upgrade() else { return };
    {
        let mut q = inner.queue.borrow_mut();
        q.pumping = true;
        q.armed = None;
    }
    BURST.with(|b| b.set(0));
    // Tasks created and not yet handed to the queue run before any sleep fires: the feeder
    // re-arms when it is done.
    if !inner.deferred.borrow().is_empty() {
        inner.queue.borrow_mut().pumping = false;
        return;
    }
    // A macrotask starts with the task queue empty.
    settle();
    let now = inner.wall_ns();
    match take_due(&inner, now) {
        Some(fired) => {
            fire(&inner, fired, now);
            wasm_bindgen_futures::spawn_local(drain(weak.clone(), from_timer, now));
        }
        None => finish(&inner, from_timer),
    }
}

/// The rest of a [`pump`]: runs as a task on the same queue as the scenario's tasks, after them.
async fn drain(weak: Weak<Inner>, from_timer: bool, started: u64) {
    loop {
        // Every woken scenario task runs before the next sleep fires. Usually one turn of the
        // task queue does it: the woken task runs, and the counts of wakes and polls agree
        // again. Otherwise (a task woken twice, say), the queue is first in, first out: once a
        // turn of it (from this task's yield back to it) polls no scenario task, none is left.
        while unsettled() != SETTLED.with(Cell::get) {
            let before = POLLS.with(Cell::get);
            YieldNow(false).await;
            if weak.strong_count() == 0 {
                return;
            }
            if POLLS.with(Cell::get) == before {
                settle();
                break;
            }
        }
        let Some(inner) = weak.upgrade() else { return };
        if !inner.deferred.borrow().is_empty() {
            // Tasks created meanwhile wait for the feeder, which re-arms after them.
            inner.queue.borrow_mut().pumping = false;
            return;
        }
        let now = inner.wall_ns();
        if now.saturating_sub(started) as f64 > DRAIN_BUDGET_MS * 1e6 {
            inner.queue.borrow_mut().pumping = false;
            if !post(&inner) {
                schedule(&inner);
            }
            return;
        }
        match take_due(&inner, now) {
            Some(fired) => fire(&inner, fired, now),
            None => return finish(&inner, from_timer),
        }
    }
}

/// Ends a pump: re-arms for the next sleep (through a message when inside a timer callback,
/// where a new timer would count as nested and be clamped to 4 ms).
fn finish(inner: &Rc<Inner>, from_timer: bool) {
    inner.queue.borrow_mut().pumping = false;
    if !(from_timer && post(inner)) {
        schedule(inner);
    }
}

/// Hands the next chunk of deferred tasks to the task queue (their first polls run right after
/// this macrotask), then asks for another turn while some are left; once none is, re-arms the
/// sleeps, which were held meanwhile.
fn feed(weak: &Weak<Inner>) {
    let Some(inner) = weak.upgrade() else { return };
    BURST.with(|b| b.set(0));
    let chunk = inner.deferred.borrow_mut().take(BURST_LIMIT);
    for task in chunk {
        wasm_bindgen_futures::spawn_local(Counted(task));
    }
    inner.feeding.set(false);
    if inner.deferred.borrow().is_empty() {
        schedule(&inner);
    } else {
        post_feed(&inner);
    }
}

/// Asks for a [`feed`] turn, unless one is on its way.
fn post_feed(inner: &Inner) {
    if inner.feeding.get() {
        return;
    }
    let posted = inner.feed_channel.as_ref().is_some_and(|ch| {
        ch.port2()
            .post_message(&wasm_bindgen::JsValue::NULL)
            .is_ok()
    });
    if posted {
        inner.feeding.set(true);
    } else {
        // No channel to spread them over: hand them all over now.
        let all = inner.deferred.borrow_mut().take(usize::MAX);
        for task in all {
            wasm_bindgen_futures::spawn_local(Counted(task));
        }
    }
}

/// Returns `Pending` once, waking itself: the rest of the queue runs first.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// Posts the message that continues the queue in a task of its own; false if it cannot.
fn post(inner: &Rc<Inner>) -> bool {
    let Some(ch) = &inner.channel else {
        return false;
    };
    let mut q = inner.queue.borrow_mut();
    if q.pumping {
        return true;
    }
    if ch
        .port2()
        .post_message(&wasm_bindgen::JsValue::NULL)
        .is_err()
    {
        return false;
    }
    q.pumping = true;
    q.armed = None;
    true
}

/// Arranges the next pump: a message if a sleep is already due, else a timer for the earliest.
fn schedule(inner: &Rc<Inner>) {
    let mut q = inner.queue.borrow_mut();
    let Some(due) = q.timers.next_due() else {
        q.armed = None; // nothing pending: drop (and clear) the JS timer
        return;
    };
    if q.pumping {
        return;
    }
    let now = inner.wall_ns();
    if due <= now {
        drop(q);
        if post(inner) {
            return;
        }
        q = inner.queue.borrow_mut();
    }
    if matches!(q.armed, Some((armed_due, _)) if armed_due <= due) {
        return;
    }
    // Round up: a sleep may fire late, never early.
    let ms = (due.saturating_sub(now) as f64 / 1e6)
        .ceil()
        .min(i32::MAX as f64) as u32;
    let weak = Rc::downgrade(inner);
    q.armed = Some((due, Timeout::new(ms, move || pump(&weak, true))));
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
        let due_ns = start_ns.saturating_add(wall_ns);
        let id = inner.queue.borrow_mut().timers.add(due_ns, tag);
        PENDING.with(|p| p.set(p.get() + 1));
        schedule(inner);
        Timer {
            due: start_ns as f64 * inner.speed / 1e9 + secs,
            id,
        }
    }

    fn poll_timer(&self, id: TimerId, cx: &mut Context<'_>) -> Poll<()> {
        self.inner.queue.borrow_mut().timers.poll(id, cx.waker())
    }

    fn cancel_timer(&self, id: TimerId) {
        let Ok(mut q) = self.inner.queue.try_borrow_mut() else {
            return;
        };
        if q.timers.cancel(id) {
            PENDING.with(|p| p.set(p.get().saturating_sub(1)));
            // If it was the earliest, re-arm for the next one (or clear the JS timer).
            let earliest = q.armed.as_ref().map(|(due, _)| *due);
            drop(q);
            if earliest.is_some() {
                schedule(&self.inner);
            }
        }
    }

    fn set_fire_hook(&self, hook: FireHook) {
        *self.inner.hook.borrow_mut() = Some(hook);
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

    fn spawn(&self, task: LocalBoxFuture<'static, ()>) {
        self.start(Spawned::Boxed(task));
    }

    fn spawn_driver(&self, task: Driver) {
        self.start(Spawned::Driver(task));
    }

    fn stopped(&self) {
        // Tasks never handed over are dropped now, not fed after the stop.
        let gone = std::mem::take(&mut *self.inner.deferred.borrow_mut());
        crate::web::count_task(-(gone.tasks as i64));
        drop(gone);
    }

    fn wake(&self, waker: std::task::Waker) {
        count_wake();
        waker.wake();
    }
}

impl BrowserRuntime {
    /// Hands a new task to the task queue, or defers it past [`BURST_LIMIT`] in one turn.
    fn start(&self, task: Spawned) {
        crate::web::count_task(1);
        count_wake();
        let burst = BURST.with(|b| {
            b.set(b.get() + 1);
            b.get()
        });
        let inner = &self.inner;
        if burst <= BURST_LIMIT && inner.deferred.borrow().is_empty() {
            wasm_bindgen_futures::spawn_local(Counted(task));
        } else {
            inner.deferred.borrow_mut().push(task);
            inner.deferred_total.set(inner.deferred_total.get() + 1);
            post_feed(inner);
        }
    }
}

/// A scenario task as the runtime keeps it: an interpreter task as it is, anything else (the
/// benchmark's bare futures) boxed. `spawn_local` boxes what it is given once more, so an
/// interpreter task costs that one box, not two.
enum Spawned {
    Driver(Driver),
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

/// Tasks created and not yet handed to the task queue, first in, first out. Consecutive
/// interpreter tasks of one run (a gather's hundred thousand, say) wait as one entry: the queue
/// costs nothing per task, where an entry each would stay allocated for as long as the runtime.
#[derive(Default)]
struct Deferred {
    entries: VecDeque<Entry>,
    /// How many tasks the entries hold.
    tasks: usize,
}

enum Entry {
    One(Spawned),
    /// The interpreter tasks made right after `first`'s, in the same run, `count` in all.
    Drivers {
        first: Driver,
        count: u32,
    },
}

impl Deferred {
    fn is_empty(&self) -> bool {
        self.tasks == 0
    }

    fn push(&mut self, task: Spawned) {
        self.tasks += 1;
        if let (Spawned::Driver(d), Some(Entry::Drivers { first, count })) =
            (&task, self.entries.back_mut())
        {
            if d.is_nth_after(first, *count) {
                *count += 1;
                return;
            }
        }
        self.entries.push_back(match task {
            Spawned::Driver(first) => Entry::Drivers { first, count: 1 },
            other => Entry::One(other),
        });
    }

    /// Takes the first `n` tasks (or all there are).
    fn take(&mut self, n: usize) -> Vec<Spawned> {
        let mut out = Vec::with_capacity(n.min(self.tasks));
        while out.len() < n {
            let room = n - out.len();
            match self.entries.front_mut() {
                None => break,
                Some(Entry::Drivers { first, count }) if (*count as usize) > room => {
                    out.extend((0..room as u32).map(|i| Spawned::Driver(first.nth_after(i))));
                    *first = first.nth_after(room as u32);
                    *count -= room as u32;
                }
                Some(_) => match self.entries.pop_front() {
                    Some(Entry::One(task)) => out.push(task),
                    Some(Entry::Drivers { first, count }) => {
                        out.extend((0..count).map(|i| Spawned::Driver(first.nth_after(i))));
                    }
                    None => break,
                },
            }
        }
        self.tasks -= out.len();
        out
    }
}

/// A spawned scenario task: counted while it exists, and each of its polls counted.
struct Counted(Spawned);

impl Future for Counted {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        POLLS.with(|p| p.set(p.get() + 1));
        Pin::new(&mut self.0).poll(cx)
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        crate::web::count_task(-1);
    }
}
