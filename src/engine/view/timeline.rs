//! The timeline's layout, as pure data: which lanes to draw in which order, their segments
//! (real and ideal), markers, the event-loop lane, and the time axis. The page only draws it.

use std::rc::Rc;

use crate::engine::record::fold::TaskIndex;
pub use crate::engine::record::fold::{Hold, DENSITY_BUCKETS};
use crate::engine::record::trace::Outcome;
use crate::engine::record::trace::{Segment, SegmentKind, TaskId, Trace};
use crate::engine::view::divergence::Divergence;
use crate::engine::view::lateness::{Lateness, Work};

/// One task's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// The task.
    pub task: TaskId,
    /// Its name.
    pub name: Rc<str>,
    /// How deep it is in the tree of who created whom (main is 0).
    pub depth: usize,
    /// What it did, as recorded in this run: the stretches that have ended.
    pub segments: Vec<Segment>,
    /// Words for each segment, in the same order.
    pub labels: Vec<String>,
    /// A few words for each segment, to write on its bar where it is wide enough.
    pub shorts: Vec<String>,
    /// The stretch in progress, if the task is alive: it runs on to the timeline's `now`.
    pub open: Option<Open>,
    /// What it did on the virtual clock (the ideal schedule), if known.
    pub ideal: Vec<Segment>,
    /// When it printed, and what.
    pub prints: Vec<(f64, Rc<str>)>,
    /// When and how it ended, if it has.
    pub end: Option<(f64, Outcome)>,
}

/// The stretch a live task is in: from `from` to the timeline's `now`.
#[derive(Clone, Debug, PartialEq)]
pub struct Open {
    /// When it began.
    pub from: f64,
    /// What the task is doing.
    pub kind: SegmentKind,
    /// Words for it.
    pub label: String,
    /// A few words for it, to write on its bar where it is wide enough.
    pub short: String,
}

impl Lane {
    /// Every stretch drawn, the one in progress ending at `now`, each with its words.
    pub fn all(&self, now: f64) -> Vec<(Segment, &str, &str)> {
        let mut out: Vec<(Segment, &str, &str)> = self
            .segments
            .iter()
            .zip(self.labels.iter().zip(&self.shorts))
            .map(|(s, (l, sh))| (s.clone(), l.as_str(), sh.as_str()))
            .collect();
        if let Some(o) = &self.open {
            out.push((
                Segment {
                    from: o.from,
                    to: now,
                    kind: o.kind.clone(),
                },
                &o.label,
                &o.short,
            ));
        }
        out
    }
}

/// Everything the timeline draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The lanes drawn, in tree order: each task under the task that created it. A lane that
    /// did not change since the last layout is the same `Rc`.
    pub lanes: Vec<Rc<Lane>>,
    /// Tasks not drawn one by one (beyond the lane limit).
    pub hidden: usize,
    /// For the hidden tasks: how many were alive in each of `DENSITY_BUCKETS` equal slices of
    /// the axis.
    pub density: Vec<u32>,
    /// When the main thread was busy running some task (merged intervals; a live view also
    /// merges those closer than its detail).
    pub busy: Vec<(f64, f64)>,
    /// How long the main thread was busy in all.
    pub busy_total: f64,
    /// When blocking work held it, and what that cost.
    pub holds: Vec<Hold>,
    /// The axis runs from 0 to this, in scenario seconds.
    pub span: f64,
    /// Where to put tick marks.
    pub ticks: Vec<f64>,
    /// The current time.
    pub now: f64,
    /// When the page was hidden, so the browser throttled its timers (given by the shell,
    /// which alone can see visibility).
    pub throttled: Vec<(f64, f64)>,
    /// Where the real run's printed order first left the ideal one, once the run is over.
    pub divergence: Option<Rc<Divergence>>,
    /// Other work that held the main thread (the loop's own, the page's drawing, long frames
    /// the browser reported), merged to what the axis can show.
    pub work: Vec<Work>,
    /// How the late timers are accounted for, once the run is over.
    pub lateness: Option<Rc<Lateness>>,
}

/// The finest detail a lane keeps: stretches shorter than the span divided by this are merged,
/// so a lane of a long run never has more than about this many bars.
pub const LANE_DETAIL: f64 = 1000.0;

/// Stretches during which the page was hidden, from visibility changes `(time, hidden)` in
/// order, up to `now`.
pub fn hidden_spans(changes: &[(f64, bool)], now: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut since: Option<f64> = None;
    for &(at, hidden) in changes {
        match (hidden, since) {
            (true, None) => since = Some(at),
            (false, Some(from)) => {
                out.push((from, at));
                since = None;
            }
            _ => {}
        }
    }
    if let Some(from) = since {
        out.push((from, now.max(from)));
    }
    out
}

/// Round tick positions for an axis from 0 to `span`: steps of 1, 2 or 5 times a power of ten,
/// about six of them.
pub fn ticks(span: f64) -> Vec<f64> {
    if !(span.is_finite() && span > 0.0) {
        return vec![0.0];
    }
    let raw = span / 6.0;
    let pow = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * pow)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * pow);
    let count = (span / step).floor() as usize;
    (0..=count.min(100)).map(|i| i as f64 * step).collect()
}

/// The ideal schedule of a run: how long it takes, and each task's lane on the virtual clock,
/// folded when asked for (a lane drawn needs only its own task's events).
#[derive(Clone, Debug, Default)]
pub struct Ideal {
    /// When the ideal run ends.
    pub end: f64,
    trace: Option<Rc<Trace>>,
    index: TaskIndex,
}

impl Ideal {
    /// Indexes an ideal trace (or nothing) once.
    pub fn of(trace: Option<Rc<Trace>>) -> Ideal {
        match trace {
            None => Ideal::default(),
            Some(t) => Ideal {
                end: t.elapsed(),
                index: TaskIndex::of(&t),
                trace: Some(t),
            },
        }
    }

    /// The lane of `task` on the virtual clock, to the end of the ideal run (empty if unknown).
    pub fn lane(&self, task: TaskId) -> Vec<Segment> {
        match &self.trace {
            Some(t) => self.index.lane(t, task, self.end),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::scenarios::find;
    use crate::engine::view::layout::layout;

    fn ideal(t: &Trace) -> Ideal {
        Ideal::of(Some(Rc::new(t.clone())))
    }

    fn sim(id: &str, params: &[(&str, &str)]) -> Trace {
        let s = find(id).unwrap();
        let (v, e) = s.parse(|n| params.iter().find(|(k, _)| *k == n).map(|(_, v)| *v));
        assert!(e.is_empty());
        crate::engine::exec::sim::ideal(s, &v).0
    }

    #[test]
    fn visibility_changes_become_hidden_spans() {
        assert_eq!(hidden_spans(&[], 5.0), []);
        assert_eq!(
            hidden_spans(&[(1.0, true), (2.0, false), (3.0, true)], 5.0),
            [(1.0, 2.0), (3.0, 5.0)]
        );
        assert_eq!(
            hidden_spans(&[(1.0, false), (2.0, true), (2.5, true)], 4.0),
            [(2.0, 4.0)]
        );
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(9.0), [0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(2.2), [0.0, 0.5, 1.0, 1.5, 2.0]);
        assert_eq!(ticks(0.0), [0.0]);
        assert_eq!(ticks(f64::NAN), [0.0]);
    }

    #[test]
    fn lanes_nest_under_their_creators() {
        let t = sim("fetch-and-count", &[]);
        let order: Vec<(u32, usize)> = crate::engine::record::fold::reference::tree_order(&t)
            .iter()
            .map(|(t, d)| (t.0, *d))
            .collect();
        assert_eq!(order, [(0, 0), (1, 1), (2, 1)]);
        let tl = layout(&t, &ideal(&t), t.elapsed(), 100, Vec::new());
        assert_eq!(tl.lanes.len(), 3);
        assert_eq!(&*tl.lanes[1].name, "fetch()");
        assert_eq!(tl.lanes[2].prints.len(), 10);
        assert_eq!(
            tl.lanes[1].end,
            Some((2.0, Outcome::Finished("{'data': 1}".into())))
        );
        assert_eq!(tl.hidden, 0);
        assert!(tl.span >= 2.25);
    }

    #[test]
    fn blocking_work_shows_on_the_loop_lane_with_the_lateness_it_caused() {
        let t = sim("cpu-vs-io", &[("salads", "2")]);
        let tl = layout(&t, &Ideal::default(), t.elapsed(), 100, Vec::new());
        assert_eq!(tl.holds.len(), 2);
        assert_eq!((tl.holds[1].from, tl.holds[1].to), (2.0, 4.0));
        assert!((tl.holds[1].caused_lateness - 1.0).abs() < 1e-9);
        assert_eq!(tl.busy, [(0.0, 4.0)]);
    }

    #[test]
    fn a_long_lane_is_merged_down_to_what_can_be_seen() {
        let t = sim(
            "coroutine-send",
            &[
                ("first_s", "60"),
                ("second_s", "60"),
                ("tick_s", "0.05"),
                ("waiting", "non_blocking"),
            ],
        );
        let raw = t.lanes(t.elapsed())[1].len();
        let tl = layout(&t, &ideal(&t), t.elapsed(), 10, Vec::new());
        let ticker = &tl.lanes[1];
        assert!(raw >= 2_400, "{raw} raw segments");
        assert!(
            ticker.segments.len() <= 1_100,
            "{} bars",
            ticker.segments.len()
        );
        assert!(ticker.prints.len() <= 1_001);
        // Merging keeps the lane continuous from its first to its last moment.
        for w in ticker.segments.windows(2) {
            assert!(w[1].from >= w[0].to - 1e-9);
        }
        assert_eq!(ticker.segments.last().map(|s| s.to), Some(120.0));
    }

    #[test]
    fn past_the_lane_limit_tasks_become_a_density_band() {
        let t = sim("many-tasks", &[("tasks", "500")]);
        let tl = layout(&t, &Ideal::default(), t.elapsed(), 50, Vec::new());
        assert_eq!(tl.lanes.len(), 50);
        assert_eq!(tl.hidden, 451);
        assert_eq!(tl.density.len(), DENSITY_BUCKETS);
        assert_eq!(
            tl.density[0], 451,
            "all hidden sleepers are alive at the start"
        );
        assert_eq!(*tl.density.last().unwrap(), 0, "and gone at the end");
    }
}
