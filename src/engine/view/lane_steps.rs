//! Stepping along the event loop's lane: its stretches (the loop's own work, the page drawing,
//! the browser's long work and its lateness, blocking work) in time order, as the lane draws
//! them, each in a sentence.

use crate::engine::lang::value::seconds_ms;
use crate::engine::record::trace::Trace;
use crate::engine::view::moment::Step;
use crate::engine::view::timeline::Timeline;

/// One stretch of the event loop's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Stretch {
    /// Its start, in scenario seconds.
    pub from: f64,
    /// Its end.
    pub to: f64,
    /// What it was, in a sentence with its times.
    pub words: String,
}

/// The lane's stretches as `timeline` draws them, in time order (blocking work first among
/// stretches that start together).
pub fn stretches(timeline: &Timeline, trace: &Trace) -> Vec<Stretch> {
    let span = |from: f64, to: f64, what: String| Stretch {
        from,
        to,
        words: format!(
            "t = {}–{} s ({} ms): {what}",
            seconds_ms(from),
            seconds_ms(to),
            seconds_ms((to - from) * 1000.0)
        ),
    };
    let mut all: Vec<Stretch> = timeline
        .holds
        .iter()
        .map(|h| {
            let late = if h.caused_lateness > 0.0005 {
                format!("; a timer fired {} s late", seconds_ms(h.caused_lateness))
            } else {
                String::new()
            };
            span(
                h.from,
                h.to,
                format!(
                    "{} held the thread with blocking work{late}",
                    trace.name(h.task)
                ),
            )
        })
        .chain(
            timeline
                .work
                .iter()
                .map(|w| span(w.from, w.to, w.kind.describe().to_string())),
        )
        .collect();
    // Stable: blocking work stays ahead of other work that starts with it.
    all.sort_by(|a, b| a.from.total_cmp(&b.from));
    all
}

/// Where `how` takes a cursor on the lane: from stretch `current` (or, when it is on none yet,
/// from time `at`). `None` when the lane has no stretch. Prints are not the lane's: they step
/// as events do.
pub fn lane_step(all: &[Stretch], current: Option<usize>, at: f64, how: Step) -> Option<usize> {
    let last = all.len().checked_sub(1)?;
    Some(match (how, current) {
        (Step::Start, _) => 0,
        (Step::End, _) => last,
        (Step::Forward | Step::NextPrint, Some(k)) => (k + 1).min(last),
        (Step::Back | Step::PreviousPrint, Some(k)) => k.saturating_sub(1),
        (Step::Forward | Step::NextPrint, None) => {
            all.iter().position(|s| s.from > at).unwrap_or(last)
        }
        (Step::Back | Step::PreviousPrint, None) => {
            all.iter().rposition(|s| s.from < at).unwrap_or(0)
        }
    })
}

/// The stretch a cursor at `at` stands on, or the next one after it (or the last).
pub fn lane_at(all: &[Stretch], at: f64) -> Option<usize> {
    let last = all.len().checked_sub(1)?;
    Some(all.iter().position(|s| s.to >= at).unwrap_or(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::exec::sim::ideal;
    use crate::engine::lang::scenarios::find;
    use crate::engine::view::lateness::{Work, WorkKind};
    use crate::engine::view::layout::layout;
    use crate::engine::view::timeline::Ideal;

    fn lane() -> (Vec<Stretch>, Trace) {
        let s = find("cpu-vs-io").expect("cpu-vs-io");
        let (values, _) = s.parse(|n| (n == "salads").then_some("2"));
        let (trace, _) = ideal(s, &values);
        let mut tl = layout(&trace, &Ideal::of(None), trace.elapsed(), 10, Vec::new());
        tl.work = vec![
            Work {
                from: 0.5,
                to: 0.504,
                kind: WorkKind::Drawing,
            },
            Work {
                from: 5.0,
                to: 5.1,
                kind: WorkKind::LongTask,
            },
        ];
        (stretches(&tl, &trace), trace)
    }

    #[test]
    fn the_lane_is_its_blocking_work_and_other_work_in_time_order_in_words() {
        let (all, _) = lane();
        let words: Vec<&str> = all.iter().map(|s| s.words.as_str()).collect();
        assert_eq!(
            words,
            [
                "t = 0–2 s (2000 ms): chop_salad(1) held the thread with blocking work",
                "t = 0.5–0.504 s (4 ms): Interleave drawing the page",
                "t = 2–4 s (2000 ms): chop_salad(2) held the thread with blocking work; a timer fired 1 s late",
                "t = 5–5.1 s (100 ms): a long task of the browser's",
            ]
        );
    }

    #[test]
    fn stepping_walks_the_lane_and_stops_at_its_ends() {
        let (all, _) = lane();
        assert_eq!(lane_step(&all, None, 0.0, Step::Forward), Some(1));
        assert_eq!(lane_step(&all, Some(1), 0.0, Step::Forward), Some(2));
        assert_eq!(lane_step(&all, Some(3), 0.0, Step::Forward), Some(3));
        assert_eq!(lane_step(&all, Some(0), 0.0, Step::Back), Some(0));
        assert_eq!(lane_step(&all, None, 3.0, Step::Back), Some(2));
        assert_eq!(lane_step(&all, Some(2), 0.0, Step::End), Some(3));
        assert_eq!(lane_step(&all, Some(2), 0.0, Step::Start), Some(0));
        assert_eq!(lane_at(&all, 3.0), Some(2));
        assert_eq!(lane_at(&all, 9.0), Some(3));
        assert_eq!(lane_step(&[], None, 0.0, Step::Forward), None);
        assert_eq!(lane_at(&[], 0.0), None);
    }
}
