//! The numbers that explain a run, and where each task is in the listing: pure functions of a
//! trace, its ideal schedule and the current time.

use std::rc::Rc;

use super::listing::Listing;
use super::trace::{EventKind, Outcome, TaskId, TaskStats, Trace};

/// The run's headline figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// Scenario seconds from the start to now (or to the end).
    pub elapsed: f64,
    /// How long the ideal schedule takes.
    pub ideal: f64,
    /// The sum of every sleep: how long the run would take if no wait overlapped another.
    pub waits: f64,
    /// The sum of every task's blocking work.
    pub blocking: f64,
    /// How many tasks ran.
    pub tasks: usize,
    /// Polls in all.
    pub polls: u64,
    /// Timer lateness: the median and the largest, in scenario seconds.
    pub lateness_p50: f64,
    /// The largest lateness.
    pub lateness_max: f64,
    /// How many timers fired.
    pub timers: usize,
}

/// Figures of `trace` up to `now`, next to `ideal`.
pub fn figures(trace: &Trace, ideal: &Trace, stats: &[TaskStats], now: f64) -> Figures {
    let mut late = trace.lateness();
    late.sort_by(f64::total_cmp);
    let blocking = trace.blocks().iter().map(|(a, b, _)| b - a).sum();
    Figures {
        elapsed: now,
        ideal: ideal.elapsed(),
        waits: trace.total_sleep(),
        blocking,
        tasks: trace.tasks.len(),
        polls: stats.iter().map(|s| s.polls as u64).sum(),
        lateness_p50: late.get(late.len() / 2).copied().unwrap_or(0.0),
        lateness_max: late.last().copied().unwrap_or(0.0),
        timers: late.len(),
    }
}

/// For each line of `listing`, the live tasks whose current step is on it.
pub fn current_lines(trace: &Trace, listing: &Listing) -> Vec<(usize, Vec<TaskId>)> {
    let n = trace.tasks.len();
    let mut step = vec![None; n];
    let mut live = vec![true; n];
    for e in &trace.events {
        let i = e.task.0 as usize;
        if i >= n {
            continue;
        }
        match &e.kind {
            EventKind::Paused { step: s, .. } => step[i] = Some(*s),
            EventKind::Finished { .. } | EventKind::Cancelled | EventKind::Failed(_) => {
                live[i] = false
            }
            _ => {}
        }
    }
    let mut by_line: Vec<(usize, Vec<TaskId>)> = Vec::new();
    for (i, s) in step.iter().enumerate() {
        let (Some(s), true) = (s, live[i]) else {
            continue;
        };
        let Some(line) = listing.line_of(*s) else {
            continue;
        };
        match by_line.iter_mut().find(|(l, _)| *l == line) {
            Some((_, tasks)) => tasks.push(TaskId(i as u32)),
            None => by_line.push((line, vec![TaskId(i as u32)])),
        }
    }
    by_line.sort_by_key(|(l, _)| *l);
    by_line
}

/// A short word for how a task ended.
pub fn outcome_word(o: &Outcome) -> Rc<str> {
    match o {
        Outcome::Live => "running".into(),
        Outcome::Finished(v) => format!("returned {v}").into(),
        Outcome::Cancelled => "cancelled".into(),
        Outcome::Failed(m) => format!("failed: {m}").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::listing::{render, Style};
    use crate::engine::scenarios::find;

    #[test]
    fn cooking_explains_nine_against_six() {
        let s = find("cooking").unwrap();
        let (v, _) = s.parse(|n| (n == "mode").then_some("gather"));
        let (t, _) = s.simulate(&v);
        let stats = t.all_stats(t.elapsed());
        let f = figures(&t, &t, &stats, t.elapsed());
        assert_eq!((f.elapsed, f.ideal, f.waits), (6.0, 6.0, 9.0));
        assert_eq!(f.tasks, 3);
        assert_eq!(f.lateness_max, 0.0);
    }

    #[test]
    fn current_lines_point_at_each_live_tasks_step() {
        let s = find("fetch-and-count").unwrap();
        let values = s.defaults();
        let program = std::rc::Rc::new((s.build)(&values));
        let clock = crate::engine::sim::VirtualClock::new();
        let run = crate::engine::interp::Run::start(program.clone(), clock.clone());
        // Run only the first turn: every task is paused at its first sleep or await.
        clock.run(3);
        let listing = render(&program, Style::Python);
        let lines = current_lines(&run.trace(), &listing);
        let texts: Vec<(String, usize)> = lines
            .iter()
            .map(|(l, ts)| (listing.lines[*l].trim().to_string(), ts.len()))
            .collect();
        assert_eq!(
            texts,
            [
                ("await asyncio.sleep(2)".to_string(), 1),
                ("await asyncio.sleep(0.25)".to_string(), 1),
                ("value = await task1".to_string(), 1),
            ]
        );
    }
}
