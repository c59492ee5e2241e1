//! The virtual-clock runtime: asyncio's loop ([`LoopCore`]) on a clock that only moves when
//! nothing is ready and the next timer falls due, or when blocking work holds the thread.
//! Instant and deterministic, it gives the ideal schedule of a run and makes the engine testable
//! natively.
//!
//! Time is kept in whole nanoseconds so that sums like ten sleeps of 0.1 s land exactly on 1 s,
//! and deadlines that are equal on a perfect clock are equal here: they fire in start order.

use std::cell::Cell;
use std::rc::Rc;

use crate::engine::exec::event_loop::LoopCore;
use crate::engine::exec::runtime::{Runtime, Timer};

const NANOS: f64 = 1e9;

/// Seconds to whole nanoseconds, rounded half away from zero; negative and NaN are 0.
pub fn to_nanos(secs: f64) -> u64 {
    if secs.is_finite() && secs > 0.0 {
        (secs * NANOS).round().min(u64::MAX as f64 / 2.0) as u64
    } else {
        0
    }
}

struct ClockState {
    now: Cell<u64>,
    core: LoopCore,
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
    state: Rc<ClockState>,
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
            state: Rc::new(ClockState {
                now: Cell::new(0),
                core: LoopCore::new(NANOS, 1.0),
            }),
        }
    }

    /// Runs turns of the loop until nothing is left to do, or `max_polls` task polls have been
    /// made in all; called again with a higher limit, it goes on where it stopped.
    pub fn run(&self, max_polls: u64) -> Settled {
        let s = &self.state;
        let core = &s.core;
        loop {
            if !core.in_turn() {
                if !core.has_ready() {
                    // Nothing to run: the clock jumps to the next deadline.
                    match core.next_due() {
                        Some(due) => s.now.set(s.now.get().max(due)),
                        None => return Settled::Idle,
                    }
                }
                core.begin_turn(s.now.get());
            }
            if core.next_is_step() && core.polls() >= max_polls {
                // Stop before the step: a later call goes on from here.
                return Settled::OutOfBudget;
            }
            core.run_next(s.now.get());
        }
    }

    /// How many task polls the clock has made.
    pub fn polls(&self) -> u64 {
        self.state.core.polls()
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
        let id = s.core.add_timer(due, tag);
        Timer {
            due: due as f64 / NANOS,
            id,
        }
    }

    fn block(&self, secs: f64) -> u64 {
        let s = &self.state;
        s.now.set(s.now.get().saturating_add(to_nanos(secs)));
        0
    }

    fn core(&self) -> &LoopCore {
        &self.state.core
    }
}

/// The most task polls a virtual-clock run may make before it is called off: far above what any
/// catalog scenario needs at its largest values, and a guard against programs that never settle.
pub const POLL_BUDGET: u64 = 50_000_000;

/// The ideal schedule of a catalog scenario with `values`.
pub fn ideal(
    scenario: &crate::engine::lang::scenarios::ScenarioInfo,
    values: &crate::engine::lang::params::Values,
) -> (crate::engine::record::trace::Trace, Settled) {
    simulate(Rc::new((scenario.build)(values)))
}

/// Runs `program` on a fresh virtual clock to the end: the ideal schedule, at once.
pub fn simulate(
    program: Rc<crate::engine::lang::program::Program>,
) -> (crate::engine::record::trace::Trace, Settled) {
    simulate_within(program, POLL_BUDGET)
}

/// As [`simulate`], but gives up after `max_polls` polls, and creates at most half as many tasks:
/// the trace then stops there, or covers only the tasks created.
pub fn simulate_within(
    program: Rc<crate::engine::lang::program::Program>,
    max_polls: u64,
) -> (crate::engine::record::trace::Trace, Settled) {
    let clock = VirtualClock::new();
    let run = crate::engine::exec::interp::Run::start(program, clock.clone());
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
    use crate::engine::exec::runtime::Sleep;

    use std::cell::RefCell;

    #[test]
    fn timers_due_together_fire_in_start_order() {
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
        let s = crate::engine::lang::scenarios::find("many-tasks").expect("in the catalog");
        let (v, e) = s.parse(|n| (n == "tasks").then_some("1000000"));
        assert!(e.is_empty());
        let (trace, settled) = simulate_within(Rc::new((s.build)(&v)), 400);
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
