//! The virtual-clock runtime: a single-threaded executor whose clock only moves when every ready
//! task has run and the next timer fires, or when blocking work holds the thread. Instant and
//! deterministic, it gives the ideal schedule of a run and makes the engine testable natively.
//!
//! It follows the catalog's timer-order rule: timers due at the same instant fire in the order
//! they were started, and after each one fires, every task it made ready runs before the next.
//! Time is kept in whole nanoseconds so that sums like ten sleeps of 0.1 s land exactly on 1 s.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use super::runtime::{FireHook, LocalBoxFuture, Runtime, Timer, TimerId};
use super::timers::TimerQueue;

const NANOS: f64 = 1e9;

fn to_nanos(secs: f64) -> u64 {
    if secs.is_finite() && secs > 0.0 {
        (secs * NANOS).round().min(u64::MAX as f64 / 2.0) as u64
    } else {
        0
    }
}

struct State {
    now: Cell<u64>,
    timers: RefCell<TimerQueue>,
    hook: RefCell<Option<FireHook>>,
    tasks: RefCell<Vec<Option<LocalBoxFuture<'static, ()>>>>,
    wakers: RefCell<Vec<Arc<TaskWaker>>>,
    ready: Arc<Mutex<VecDeque<usize>>>,
    polls: Cell<u64>,
}

struct TaskWaker {
    id: usize,
    scheduled: AtomicBool,
    ready: Arc<Mutex<VecDeque<usize>>>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        if !self.scheduled.swap(true, Ordering::Relaxed) {
            if let Ok(mut q) = self.ready.lock() {
                q.push_back(self.id);
            }
        }
    }
}

/// How a virtual-clock run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// No task is ready and no timer is pending: the run is over.
    Idle,
    /// The poll budget ran out first (a program that never settles, say).
    OutOfBudget,
}

/// The virtual-clock runtime. Cloning gives another handle to the same clock.
#[derive(Clone)]
pub struct VirtualClock {
    state: Rc<State>,
}

impl Default for VirtualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl VirtualClock {
    /// A clock at time zero, with nothing scheduled.
    pub fn new() -> VirtualClock {
        VirtualClock {
            state: Rc::new(State {
                now: Cell::new(0),
                timers: RefCell::new(TimerQueue::default()),
                hook: RefCell::new(None),
                tasks: RefCell::new(Vec::new()),
                wakers: RefCell::new(Vec::new()),
                ready: Arc::new(Mutex::new(VecDeque::new())),
                polls: Cell::new(0),
            }),
        }
    }

    /// Polls ready tasks and fires timers until nothing is left to do, or `max_polls` task polls
    /// have been made in all; called again with a higher limit, it goes on where it stopped.
    pub fn run(&self, max_polls: u64) -> Settled {
        let s = &self.state;
        loop {
            // Run every ready task, including those that become ready meanwhile.
            loop {
                let ready = s.ready.lock().map(|q| !q.is_empty()).unwrap_or(false);
                if ready && s.polls.get() >= max_polls {
                    // Stop before taking the task: a later call goes on from here.
                    return Settled::OutOfBudget;
                }
                let next = s.ready.lock().ok().and_then(|mut q| q.pop_front());
                let Some(id) = next else { break };
                s.polls.set(s.polls.get() + 1);
                self.poll_task(id);
            }
            // Then fire the next timer, and go round again.
            if !self.fire_next_timer() {
                return Settled::Idle;
            }
        }
    }

    /// How many task polls the clock has made.
    pub fn polls(&self) -> u64 {
        self.state.polls.get()
    }

    fn poll_task(&self, id: usize) {
        let s = &self.state;
        let waker = match s.wakers.borrow().get(id) {
            Some(w) => {
                w.scheduled.store(false, Ordering::Relaxed);
                Waker::from(w.clone())
            }
            None => return,
        };
        let fut = s.tasks.borrow_mut().get_mut(id).and_then(Option::take);
        let Some(mut fut) = fut else { return };
        let mut cx = Context::from_waker(&waker);
        if fut.as_mut().poll(&mut cx).is_pending() {
            if let Some(slot) = s.tasks.borrow_mut().get_mut(id) {
                *slot = Some(fut);
            }
        }
    }

    fn fire_next_timer(&self) -> bool {
        let s = &self.state;
        let next = s.timers.borrow_mut().pop_due(u64::MAX);
        let Some(fired) = next else {
            return false;
        };
        s.now.set(s.now.get().max(fired.due));
        let fired_at = s.now.get() as f64 / NANOS;
        let hook = s.hook.borrow().clone();
        if let Some(hook) = hook {
            hook(fired.tag, fired.due as f64 / NANOS, fired_at);
        }
        if let Some(w) = fired.waker {
            w.wake();
        }
        true
    }
}

impl Runtime for VirtualClock {
    fn now(&self) -> f64 {
        self.state.now.get() as f64 / NANOS
    }

    fn timer(&self, _now: f64, secs: f64, tag: u32) -> Timer {
        // Virtual time is exact and free to read: the caller's reading is not needed.
        let s = &self.state;
        let due = s.now.get().saturating_add(to_nanos(secs));
        let id = s.timers.borrow_mut().add(due, tag);
        Timer {
            due: due as f64 / NANOS,
            id,
        }
    }

    fn poll_timer(&self, id: TimerId, cx: &mut Context<'_>) -> Poll<()> {
        self.state.timers.borrow_mut().poll(id, cx.waker())
    }

    fn cancel_timer(&self, id: TimerId) {
        if let Ok(mut q) = self.state.timers.try_borrow_mut() {
            q.cancel(id);
        }
    }

    fn set_fire_hook(&self, hook: FireHook) {
        *self.state.hook.borrow_mut() = Some(hook);
    }

    fn block(&self, secs: f64) -> u64 {
        let s = &self.state;
        s.now.set(s.now.get().saturating_add(to_nanos(secs)));
        0
    }

    fn spawn(&self, task: LocalBoxFuture<'static, ()>) {
        let s = &self.state;
        let id = {
            let mut tasks = s.tasks.borrow_mut();
            tasks.push(Some(task));
            tasks.len() - 1
        };
        let waker = Arc::new(TaskWaker {
            id,
            scheduled: AtomicBool::new(false),
            ready: s.ready.clone(),
        });
        waker.wake_by_ref();
        s.wakers.borrow_mut().push(waker);
    }
}

/// The most task polls a virtual-clock run may make before it is called off: far above what any
/// catalog scenario needs at its largest values, and a guard against programs that never settle.
pub const POLL_BUDGET: u64 = 50_000_000;

/// Runs `program` on a fresh virtual clock to the end: the ideal schedule, at once.
pub fn simulate(
    program: std::rc::Rc<super::program::Program>,
    seed: u64,
) -> (super::trace::Trace, Settled) {
    simulate_within(program, seed, POLL_BUDGET)
}

/// As [`simulate`], but gives up after `max_polls` polls, and creates at most half as many tasks:
/// the trace then stops there, or covers only the tasks created.
pub fn simulate_within(
    program: std::rc::Rc<super::program::Program>,
    seed: u64,
    max_polls: u64,
) -> (super::trace::Trace, Settled) {
    let clock = VirtualClock::new();
    let run = super::interp::Run::start(program, clock.clone(), seed);
    // Tasks cost memory before they cost polls: a run that would create more tasks than it may
    // poll twice is cut there too.
    run.set_task_limit(max_polls.saturating_div(2).min(u32::MAX as u64 - 1) as usize);
    let mut settled = clock.run(max_polls);
    if run.hit_task_limit() {
        settled = Settled::OutOfBudget;
    }
    let trace = run.trace().clone();
    (trace, settled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::runtime::Sleep;

    #[test]
    fn timers_due_together_fire_in_start_order_and_tasks_run_between() {
        let clock = VirtualClock::new();
        let log = Rc::new(RefCell::new(Vec::new()));
        for (name, secs) in [("b", 2.0), ("a", 1.0), ("c", 2.0)] {
            let log = log.clone();
            let timer = clock.timer(0.0, secs, 0);
            let c = clock.clone();
            clock.spawn(Box::pin(async move {
                Sleep::new(&c, timer).await;
                log.borrow_mut().push((name, c.now()));
            }));
        }
        assert_eq!(clock.run(1000), Settled::Idle);
        assert_eq!(*log.borrow(), [("a", 1.0), ("b", 2.0), ("c", 2.0)]);
    }

    #[test]
    fn blocking_moves_the_clock_and_makes_timers_late() {
        let clock = VirtualClock::new();
        let fired = Rc::new(Cell::new(0.0));
        let f = fired.clone();
        clock.set_fire_hook(Rc::new(move |_, _, at| f.set(at)));
        let timer = clock.timer(0.0, 1.0, 0);
        let c = clock.clone();
        clock.spawn(Box::pin(async move {
            c.block(3.0);
        }));
        let c = clock.clone();
        clock.spawn(Box::pin(async move { Sleep::new(&c, timer).await }));
        clock.run(100);
        assert_eq!(
            fired.get(),
            3.0,
            "the 1 s timer fires only when the 3 s block ends"
        );
    }

    #[test]
    fn dropped_timers_never_fire() {
        let clock = VirtualClock::new();
        let fired = Rc::new(Cell::new(false));
        let f = fired.clone();
        clock.set_fire_hook(Rc::new(move |_, _, _| f.set(true)));
        drop(Sleep::new(&clock, clock.timer(0.0, 1.0, 0)));
        clock.run(100);
        assert!(!fired.get());
        assert_eq!(clock.now(), 0.0);
    }

    #[test]
    fn a_huge_run_is_cut_at_half_its_poll_budget_in_tasks() {
        let s = crate::engine::scenarios::find("many-tasks").expect("in the catalog");
        let (v, e) = s.parse(|n| (n == "tasks").then_some("1000000"));
        assert!(e.is_empty());
        let (trace, settled) = simulate_within(Rc::new((s.build)(&v)), 1, 400);
        assert_eq!(settled, Settled::OutOfBudget);
        assert_eq!(trace.tasks.len(), 200, "main and 199 sleepers");
        // The tasks it made still run: every sleeper it has finishes at 1 s.
        let stats = trace.all_stats(trace.elapsed());
        assert!(stats[1..].iter().all(|s| s.ended == Some(1.0)));
    }

    #[test]
    fn tenths_add_up_exactly() {
        let clock = VirtualClock::new();
        let c = clock.clone();
        clock.spawn(Box::pin(async move {
            for _ in 0..10 {
                Sleep::new(&c, c.timer(c.now(), 0.1, 0)).await;
            }
        }));
        clock.run(100);
        assert_eq!(clock.now(), 1.0);
    }
}
