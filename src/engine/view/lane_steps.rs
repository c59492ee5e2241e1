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

/// The lane's stretches as `timeline` draws them: blocking work, then the other work (see
/// [`lane_step`] for their order on the lane).
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
    let all: Vec<Stretch> = timeline
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
    all
}

// The stretches are not sorted: a sort would cost the page a copy of the sorting code, and
// stepping needs only the next and the previous. Their order is by start, then by place in the
// list (blocking work first).

/// Whether stretch `a` comes before stretch `b` on the lane.
fn before(all: &[Stretch], a: usize, b: usize) -> bool {
    all[a].from.total_cmp(&all[b].from).then(a.cmp(&b)).is_lt()
}

/// The first of the stretches `among`, in lane order.
fn first(all: &[Stretch], among: impl Iterator<Item = usize>) -> Option<usize> {
    among.reduce(|a, b| if before(all, b, a) { b } else { a })
}

/// The last of the stretches `among`, in lane order.
fn last(all: &[Stretch], among: impl Iterator<Item = usize>) -> Option<usize> {
    among.reduce(|a, b| if before(all, a, b) { b } else { a })
}

/// Where `how` takes a cursor on the lane: from stretch `current` (or, when it is on none yet,
/// from time `at`). `None` when the lane has no stretch. Prints are not the lane's: the print
/// steps move by a stretch, as the event steps do.
pub fn lane_step(all: &[Stretch], current: Option<usize>, at: f64, how: Step) -> Option<usize> {
    // The lane is drawn afresh each frame and may have fewer stretches than when the cursor
    // stepped onto one: a place past its end is no place.
    let current = current.filter(|&k| k < all.len());
    let every = 0..all.len();
    let next = match (how, current) {
        (Step::Start, _) => first(all, every.clone()),
        (Step::End, _) => last(all, every.clone()),
        (Step::Forward | Step::NextPrint, Some(k)) => {
            first(all, every.clone().filter(|&i| before(all, k, i))).or(Some(k))
        }
        (Step::Back | Step::PreviousPrint, Some(k)) => {
            last(all, every.clone().filter(|&i| before(all, i, k))).or(Some(k))
        }
        (Step::Forward | Step::NextPrint, None) => {
            first(all, every.clone().filter(|&i| all[i].from > at))
        }
        (Step::Back | Step::PreviousPrint, None) => {
            last(all, every.clone().filter(|&i| all[i].from < at))
        }
    };
    next.or_else(|| match how {
        Step::Back | Step::PreviousPrint | Step::Start => first(all, every.clone()),
        _ => last(all, every),
    })
}

/// The stretch a cursor at `at` stands on, or the next one after it (or the last).
pub fn lane_at(all: &[Stretch], at: f64) -> Option<usize> {
    first(all, (0..all.len()).filter(|&i| all[i].to >= at)).or_else(|| last(all, 0..all.len()))
}

/// Where stretch `k` is on the lane, from 1 (as in "stretch 3 of 12").
pub fn lane_rank(all: &[Stretch], k: usize) -> usize {
    if k >= all.len() {
        return 0;
    }
    (0..all.len()).filter(|&i| before(all, i, k)).count() + 1
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

    /// The stretches in lane order.
    fn in_order(all: &[Stretch]) -> Vec<usize> {
        let mut k = lane_step(all, None, 0.0, Step::Start);
        let mut seen = Vec::new();
        while let Some(i) = k.filter(|i| !seen.contains(i)) {
            seen.push(i);
            k = lane_step(all, Some(i), 0.0, Step::Forward);
        }
        seen
    }

    #[test]
    fn the_lane_is_its_blocking_work_and_other_work_in_time_order_in_words() {
        let (all, _) = lane();
        let words: Vec<&str> = in_order(&all)
            .into_iter()
            .map(|i| all[i].words.as_str())
            .collect();
        assert_eq!(
            words,
            [
                "t = 0–2 s (2000 ms): chop_salad(1) held the thread with blocking work",
                "t = 0.5–0.504 s (4 ms): Interleave drawing the page",
                "t = 2–4 s (2000 ms): chop_salad(2) held the thread with blocking work; a timer fired 1 s late",
                "t = 5–5.1 s (100 ms): a long task of the browser's",
            ]
        );
        let ranks: Vec<usize> = in_order(&all)
            .into_iter()
            .map(|i| lane_rank(&all, i))
            .collect();
        assert_eq!(ranks, [1, 2, 3, 4]);
    }

    #[test]
    fn stepping_walks_the_lane_and_stops_at_its_ends() {
        let (all, _) = lane();
        let order = in_order(&all);
        let at = |r: usize| Some(order[r]);
        assert_eq!(lane_step(&all, None, 0.0, Step::Forward), at(1));
        assert_eq!(lane_step(&all, at(1), 0.0, Step::Forward), at(2));
        assert_eq!(lane_step(&all, at(3), 0.0, Step::Forward), at(3));
        assert_eq!(lane_step(&all, at(0), 0.0, Step::Back), at(0));
        assert_eq!(lane_step(&all, None, 3.0, Step::Back), at(2));
        assert_eq!(lane_step(&all, at(2), 0.0, Step::End), at(3));
        assert_eq!(lane_step(&all, at(2), 0.0, Step::Start), at(0));
        assert_eq!(
            lane_step(&all, None, 9.0, Step::Forward),
            at(3),
            "past the end: the last"
        );
        assert_eq!(lane_at(&all, 3.0), at(2), "the stretch going on at 3 s");
        assert_eq!(lane_at(&all, 4.5), at(3));
        assert_eq!(lane_at(&all, 9.0), at(3));
        assert_eq!(lane_step(&[], None, 0.0, Step::Forward), None);
        // A place past the lane's end (it was drawn shorter since) steps from the time.
        assert_eq!(lane_step(&all, Some(99), 3.0, Step::Back), at(2));
        assert_eq!(lane_rank(&all, 99), 0);
        assert_eq!(lane_at(&[], 0.0), None);
    }
}
