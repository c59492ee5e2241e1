//! Why timers were late on the real clock. A timer fires late when the main thread is busy at
//! its deadline: with the scenario's own work (tasks running, blocking work), with the loop's
//! own work (a turn firing thousands of timers), with the page's (Interleave drawing a frame),
//! with other long work the browser reports, because the tab was hidden and the browser
//! throttled it, or because the browser ran the loop late with the thread free of the page's
//! work (its other processes, or other programs, had the processor). Every stretch of that kind is shown on the event loop's lane; here each late
//! timer is matched with the stretches that account for it.

use crate::engine::record::trace::{EventKind, Trace};

/// Lateness beyond this (real seconds) must be accounted for; below it a timer is on time as
/// far as a browser's timers go (they fire to the millisecond, and nested ones every 4 ms).
pub const EXPLAINED_BEYOND: f64 = 0.004;

/// What kind of work held the main thread, besides the scenario's own tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkKind {
    /// The loop's own work: a turn firing timers, running callbacks and steps.
    Loop,
    /// Interleave drawing a frame of the page (the frame callback, layout and paint).
    Drawing,
    /// A long animation frame the browser reported (over 50 ms).
    LongFrame,
    /// A long task the browser reported (over 50 ms).
    LongTask,
    /// The browser late to run the loop (its timer or message came late) with nothing of the
    /// page's on the thread meanwhile: the browser's other work, or other programs, had the
    /// processor.
    Waiting,
}

impl WorkKind {
    /// Every kind, in the order the lane lists them.
    pub const ALL: [WorkKind; 5] = [
        WorkKind::Loop,
        WorkKind::Drawing,
        WorkKind::LongFrame,
        WorkKind::LongTask,
        WorkKind::Waiting,
    ];

    /// A stable word, as in `data-kind`.
    pub fn word(self) -> &'static str {
        match self {
            WorkKind::Loop => "loop",
            WorkKind::Drawing => "drawing",
            WorkKind::LongFrame => "long-frame",
            WorkKind::LongTask => "long-task",
            WorkKind::Waiting => "waiting",
        }
    }

    /// What it was, in words.
    pub fn describe(self) -> &'static str {
        match self {
            WorkKind::Loop => "the event loop at work (firing timers, running tasks)",
            WorkKind::Drawing => "Interleave drawing the page",
            WorkKind::LongFrame => "a long animation frame of the browser's",
            WorkKind::LongTask => "a long task of the browser's",
            WorkKind::Waiting => {
                "the browser late to run the loop, with nothing of the page's on the thread \
                 (the browser's other work or other programs had the processor)"
            }
        }
    }
}

/// A stretch during which the main thread was busy with work of some kind, in scenario seconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Work {
    /// Start.
    pub from: f64,
    /// End.
    pub to: f64,
    /// What it was.
    pub kind: WorkKind,
}

/// How the late timers of a run are accounted for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lateness {
    /// Timers later than [`EXPLAINED_BEYOND`] (real time).
    pub late: usize,
    /// Of those, how many no stretch on the event loop's lane accounts for: when each fired,
    /// and how late (scenario seconds).
    pub unexplained: Vec<(f64, f64)>,
}

/// The stretches when the browser was late to run the loop (`waits`), less the parts that
/// `others` already account for: what is left is time the page's thread had nothing of the
/// page's to do, and still did not run the loop.
pub fn waiting(waits: &[(f64, f64)], others: &[Work]) -> Vec<Work> {
    let mut busy: Vec<(f64, f64)> = others.iter().map(|w| (w.from, w.to)).collect();
    busy.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::new();
    for &(from, to) in waits {
        let mut at = from;
        for &(a, b) in busy.iter().skip(busy.partition_point(|s| s.1 <= from)) {
            if a >= to {
                break;
            }
            if a > at {
                out.push(Work {
                    from: at,
                    to: a,
                    kind: WorkKind::Waiting,
                });
            }
            at = at.max(b);
        }
        if at < to {
            out.push(Work {
                from: at,
                to,
                kind: WorkKind::Waiting,
            });
        }
    }
    out
}

/// Matches every timer of `trace` that fired more than [`EXPLAINED_BEYOND`] real seconds late
/// (at `speed` scenario seconds per real second) with what kept the thread busy between its
/// deadline and its firing: `work`, the run's blocking work and task polls, or a hidden-tab
/// stretch (`hidden`). A timer is accounted for when such stretches cover all but the
/// allowance of its lateness.
pub fn account(trace: &Trace, work: &[Work], hidden: &[(f64, f64)], speed: f64) -> Lateness {
    let allowance = EXPLAINED_BEYOND * speed;
    // Everything that held the thread, as scenario-time spans: given work, blocking work, and
    // tasks' polls (from a poll's start to the end of that poll).
    let mut busy: Vec<(f64, f64)> = work.iter().map(|w| (w.from, w.to)).collect();
    busy.extend(hidden.iter().copied());
    let mut polling: Vec<Option<f64>> = vec![None; trace.tasks.len()];
    for e in &trace.events {
        let t = e.task.0 as usize;
        match &e.kind {
            EventKind::Blocked { until, .. } => busy.push((e.at, *until)),
            EventKind::PollStart => {
                if let Some(p) = polling.get_mut(t) {
                    *p = Some(e.at);
                }
            }
            k if k.ends_poll() => {
                if let Some(from) = polling.get_mut(t).and_then(Option::take) {
                    busy.push((from, e.at));
                }
            }
            _ => {}
        }
    }
    busy.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Merged, so coverage is a sum of disjoint pieces.
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(busy.len());
    for (a, b) in busy {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let mut out = Lateness::default();
    for e in &trace.events {
        let EventKind::TimerFired { due } = e.kind else {
            continue;
        };
        let late = e.at - due;
        if late <= allowance {
            continue;
        }
        out.late += 1;
        let first = merged.partition_point(|s| s.1 <= due);
        let covered: f64 = merged[first..]
            .iter()
            .take_while(|s| s.0 < e.at)
            .map(|s| s.1.min(e.at) - s.0.max(due))
            .filter(|d| *d > 0.0)
            .sum();
        if late - covered > allowance {
            out.unexplained.push((e.at, late));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::ids::TaskId;
    use crate::engine::record::trace::{Event, TaskInfo};
    use std::rc::Rc;

    fn trace(events: &[(f64, EventKind)]) -> Trace {
        let mut t = Trace::default();
        t.tasks.push(TaskInfo {
            name: Rc::from("main"),
            parent: None,
            spawned: 0.0,
        });
        for (at, kind) in events {
            t.events.push(Event {
                at: *at,
                task: TaskId(0),
                kind: kind.clone(),
            });
        }
        t
    }

    #[test]
    fn a_late_timer_is_explained_by_what_covers_its_lateness() {
        let t = trace(&[
            (0.010, EventKind::TimerFired { due: 0.0 }),
            (0.5, EventKind::TimerFired { due: 0.499 }),
            (1.030, EventKind::TimerFired { due: 1.0 }),
        ]);
        // Nothing on the lane: the two late ones are unexplained; 1 ms late is on time.
        let none = account(&t, &[], &[], 1.0);
        assert_eq!(none.late, 2);
        assert_eq!(none.unexplained.len(), 2);
        // A frame drawn over the first, a hidden tab over the second.
        let work = [Work {
            from: 0.0005,
            to: 0.0095,
            kind: WorkKind::Drawing,
        }];
        let all = account(&t, &work, &[(0.99, 1.04)], 1.0);
        assert_eq!((all.late, all.unexplained.len()), (2, 0));
        // At speed 10 the allowance is 40 ms of scenario time: only the 30 ms one is late... not.
        assert_eq!(account(&t, &[], &[], 10.0).late, 0);
    }

    #[test]
    fn waiting_is_what_nothing_else_accounts_for() {
        let work = |from, to| Work {
            from,
            to,
            kind: WorkKind::Drawing,
        };
        let others = [
            work(0.2, 0.3),
            work(0.25, 0.4),
            work(0.6, 0.7),
            work(2.0, 3.0),
        ];
        let w = waiting(&[(0.1, 0.8), (0.9, 1.0), (0.32, 0.35)], &others);
        let spans: Vec<(f64, f64)> = w.iter().map(|w| (w.from, w.to)).collect();
        assert_eq!(spans, [(0.1, 0.2), (0.4, 0.6), (0.7, 0.8), (0.9, 1.0)]);
        assert!(w.iter().all(|w| w.kind == WorkKind::Waiting));
        // A timer late across the whole wait is accounted for by the drawing and the waits.
        let t = trace(&[(0.8, EventKind::TimerFired { due: 0.1 })]);
        let mut all = others.to_vec();
        all.extend(w);
        assert_eq!(account(&t, &all, &[], 1.0).unexplained.len(), 0);
        assert_eq!(account(&t, &others, &[], 1.0).unexplained.len(), 1);
    }

    #[test]
    fn blocking_work_and_polls_count_as_busy() {
        let t = trace(&[
            (0.0, EventKind::PollStart),
            (
                0.0,
                EventKind::Blocked {
                    until: 2.0,
                    spins: 0,
                },
            ),
            (
                2.0,
                EventKind::Paused {
                    on: crate::engine::record::trace::WaitOn::Task(TaskId(0)),
                    chain: 0,
                    step: Default::default(),
                },
            ),
            (2.001, EventKind::TimerFired { due: 1.0 }),
        ]);
        let l = account(&t, &[], &[], 1.0);
        assert_eq!((l.late, l.unexplained.len()), (1, 0));
    }
}
