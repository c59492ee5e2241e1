//! The timeline laid out from a fold: which lanes are drawn and in what order (the fold's
//! choice), each lane's stretches with their words, its ideal schedule beneath, the density band
//! of the tasks not drawn, the event loop's lane, and the axis.
//!
//! A lane that did not change since the last layout is the very same `Rc`, so the page redraws
//! only what changed: the words of a lane's stretches and its ideal schedule are kept here, per
//! lane, for as long as the fold's lane keeps its version.

use std::rc::Rc;

use crate::engine::lang::ids::TaskId;
use crate::engine::record::fold::{decimate, Fold, LaneState};
use crate::engine::record::trace::{Segment, SegmentKind, Trace};
use crate::engine::view::timeline::{ticks, Ideal, Lane, Open, Timeline, LANE_DETAIL};

/// Words for a stretch, as the timeline writes them (a late timer in a hidden tab says why).
fn label(trace: &Trace, seg: &Segment, throttled: &[(f64, f64)]) -> String {
    let hidden = throttled.iter().any(|&(a, b)| seg.from < b && seg.to > a);
    if seg.kind == SegmentKind::Delayed && hidden {
        "timer late: the tab was hidden, and the browser throttles the timers of hidden tabs".into()
    } else {
        trace.describe(&seg.kind)
    }
}

/// How a timeline's axis follows the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Exactly: it runs to a little past the time (or the ideal run's end), and lanes are merged
    /// to a thousandth of it.
    Exact,
    /// For a live view: it changes only when that would move something by a thousandth of its
    /// length, and lanes are merged to a detail that changes only by quarter octaves.
    Steady,
    /// As `Steady`, but it also stays as it is while it still reaches the time: a live view of
    /// many lanes lets it grow only now and then.
    Held,
}

/// The detail a live timeline merges lanes to for an axis of `span`: the span divided by
/// [`LANE_DETAIL`], rounded down to a quarter octave, so it changes only when the axis has grown
/// by a fifth.
pub fn live_detail(span: f64) -> f64 {
    let exact = span / LANE_DETAIL;
    if exact.is_nan() || exact <= 0.0 || !exact.is_finite() {
        return 0.0;
    }
    // The power of two at or below, then the largest quarter octave above it that fits.
    let mut r = 1.0f64;
    while r > exact {
        r /= 2.0;
    }
    while r * 2.0 <= exact {
        r *= 2.0;
    }
    for q in [
        1.681_792_830_507_429,
        std::f64::consts::SQRT_2,
        1.189_207_115_002_721,
    ] {
        if r * q <= exact {
            return r * q;
        }
    }
    r
}

/// What the layout keeps of one drawn lane between two layouts.
#[derive(Clone, Debug, Default)]
struct LaneCache {
    task: u32,
    /// The version of the fold's lane it was built from, and at what detail.
    version: u64,
    res: f64,
    /// Words for the lane's first closed stretches (filled in as it is drawn).
    labels: Vec<String>,
    shorts: Vec<String>,
    /// Its ideal schedule, merged down to the detail.
    ideal: Option<Vec<Segment>>,
    /// The lane as last laid out, with the stretches since its last closed one.
    built: Option<(Rc<Lane>, Vec<Segment>)>,
}

/// Lays out timelines of one run, frame after frame (see the module documentation).
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// The axis, as last laid out.
    span: f64,
    /// The hidden-tab stretches the lanes' words were written with.
    throttled: Vec<(f64, f64)>,
    /// Per lane drawn, what was built of it.
    lanes: Vec<LaneCache>,
}

impl Layout {
    /// The timeline of `fold` at `now`: lanes kept (in tree order) merged to the detail, the
    /// density band of the rest, the event-loop lane, the axis (see [`Axis`]).
    pub fn timeline(
        &mut self,
        fold: &mut Fold,
        trace: &Trace,
        ideal: &Ideal,
        now: f64,
        throttled: Vec<(f64, f64)>,
        axis: Axis,
    ) -> Timeline {
        let steady = axis != Axis::Exact;
        let span = (now.max(ideal.end).max(trace.elapsed()) * 1.04).max(0.1);
        let covers = self.span >= now.max(trace.elapsed()) && self.span > 0.0;
        let span = match axis {
            Axis::Steady if span >= self.span && span <= self.span * 1.001 => self.span,
            Axis::Held if covers && span >= self.span => self.span,
            _ => span,
        };
        self.span = span;
        let res = if steady {
            live_detail(span)
        } else {
            span / LANE_DETAIL
        };
        // A busy span is drawn at least a four-hundredth of the axis wide: a live view merges
        // (once there are many) those that overlap as drawn.
        fold.set_detail(res, if steady { span / 400.0 } else { 0.0 });
        if throttled != self.throttled {
            self.throttled = throttled;
            for cache in &mut self.lanes {
                cache.labels.clear();
                cache.shorts.clear();
                cache.built = None;
            }
        }

        // What was built of lanes no longer drawn goes; a lane newly drawn starts afresh.
        let drawn_order = fold.drawn();
        self.lanes
            .retain(|c| drawn_order.iter().any(|(t, _)| t.0 == c.task));
        let mut drawn = Vec::with_capacity(drawn_order.len());
        for (task, _) in drawn_order {
            let Some(lane) = fold.lane(*task) else {
                continue;
            };
            let i = match self.lanes.iter().position(|c| c.task == task.0) {
                Some(i) => i,
                None => {
                    self.lanes.push(LaneCache {
                        task: task.0,
                        ..LaneCache::default()
                    });
                    self.lanes.len() - 1
                }
            };
            let cache = &mut self.lanes[i];
            if cache.res != fold.detail() {
                // Merged to another detail: its stretches are not those the words were for.
                cache.res = fold.detail();
                cache.labels.clear();
                cache.shorts.clear();
                cache.ideal = None;
                cache.built = None;
            }
            let tail = fold.lane_tail(*task, now);
            let live = fold.in_progress(*task, now);
            let reuse = match &cache.built {
                Some((built, key))
                    if cache.version == lane.version() && same_tail(key, &tail, live) =>
                {
                    Some(built.clone())
                }
                _ => None,
            };
            let built = match reuse {
                Some(b) => b,
                None => {
                    let b = Rc::new(build_lane(
                        trace,
                        ideal,
                        *task,
                        lane,
                        cache,
                        &self.throttled,
                        &tail,
                        live,
                    ));
                    cache.built = Some((b.clone(), tail));
                    cache.version = lane.version();
                    b
                }
            };
            drawn.push(built);
        }

        let hidden = fold.hidden();
        let density = if hidden > 0 {
            fold.density(trace, span, now)
        } else {
            Vec::new()
        };
        let (busy, busy_total) = fold.busy_until(now);
        Timeline {
            lanes: drawn,
            hidden,
            density,
            busy,
            busy_total,
            holds: fold.holds(),
            span,
            ticks: ticks(span),
            now,
            throttled: self.throttled.clone(),
            divergence: None,
            work: Vec::new(),
            lateness: None,
        }
    }
}

/// Builds what a drawn lane shows: its stretches with their words (the words of its closed
/// stretches kept in `cache` as they come), the one in progress, its ideal schedule, its prints
/// and its end.
#[allow(clippy::too_many_arguments)]
fn build_lane(
    trace: &Trace,
    ideal: &Ideal,
    task: TaskId,
    lane: &LaneState,
    cache: &mut LaneCache,
    throttled: &[(f64, f64)],
    tail: &[Segment],
    live: bool,
) -> Lane {
    let committed = lane.committed();
    while cache.labels.len() < committed.len() {
        let seg = &committed[cache.labels.len()];
        cache.labels.push(label(trace, seg, throttled));
        cache.shorts.push(trace.short(&seg.kind));
    }
    let mut segments = committed.to_vec();
    let mut labels = cache.labels.clone();
    let mut shorts = cache.shorts.clone();
    let (closed, open) = match (live, tail.split_last()) {
        (true, Some((last, rest))) => (rest, Some(last)),
        _ => (tail, None),
    };
    for seg in closed {
        labels.push(label(trace, seg, throttled));
        shorts.push(trace.short(&seg.kind));
        segments.push(seg.clone());
    }
    let res = cache.res;
    let ideal_lane = cache
        .ideal
        .get_or_insert_with(|| decimate(ideal.lane(task), res))
        .clone();
    Lane {
        task,
        name: trace
            .tasks
            .get(task.0 as usize)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| Rc::from("?")),
        depth: lane.depth(),
        segments,
        labels,
        shorts,
        open: open.map(|s| Open {
            from: s.from,
            kind: s.kind.clone(),
            label: label(trace, s, throttled),
            short: trace.short(&s.kind),
        }),
        ideal: ideal_lane,
        prints: lane.prints().to_vec(),
        end: lane.end().cloned(),
    }
}

/// Whether the stretches since a lane's last closed one are drawn as before: the same, but for
/// the end of the one in progress, which follows the current time.
fn same_tail(old: &[Segment], new: &[Segment], live: bool) -> bool {
    if old.len() != new.len() {
        return false;
    }
    let n = new.len();
    old.iter().zip(new).enumerate().all(|(i, (a, b))| {
        a.from == b.from && a.kind.same(&b.kind) && (a.to == b.to || (live && i + 1 == n))
    })
}

/// Lays out `real` (and `ideal`, drawn faintly under it) at time `now`, drawing at most
/// `max_lanes` lanes one by one and summarising the rest as a density band; `throttled` are
/// the stretches the page was hidden.
pub fn layout(
    real: &Trace,
    ideal: &Ideal,
    now: f64,
    max_lanes: usize,
    throttled: Vec<(f64, f64)>,
) -> Timeline {
    let span = (now.max(ideal.end).max(real.elapsed()) * 1.04).max(0.1);
    let mut fold = Fold::live(max_lanes, 0, 0);
    fold.set_detail(span / LANE_DETAIL, 0.0);
    fold.update(real);
    Layout::default().timeline(&mut fold, real, ideal, now, throttled, Axis::Exact)
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::engine::lang::rng::Rng;
    use crate::engine::lang::scenarios::find;
    use crate::engine::record::fold::reference::*;
    use crate::engine::record::trace::Line;
    use crate::engine::view::figures::Figures;

    #[test]
    fn the_layout_is_the_reference_layout() {
        for (name, t) in traces() {
            let ideal = Ideal::of(Some(Rc::new(t.clone())));
            for max in [3, 50, 200] {
                for now in moments(&t) {
                    let got = layout(&t, &ideal, now, max, Vec::new());
                    let (lanes, hidden, density, busy, holds) =
                        reference_layout(&t, Some(&t), now, max);
                    let ctx = format!("{name}, {max} lanes, at {now}");
                    assert_eq!(got.hidden, hidden, "{ctx}");
                    assert_eq!(got.density, density, "{ctx}");
                    assert_eq!(got.busy, busy, "{ctx}");
                    assert!(
                        (got.busy_total - busy.iter().map(|(a, b)| b - a).sum::<f64>()).abs()
                            < 1e-9,
                        "{ctx}"
                    );
                    let h: Vec<(f64, f64, f64)> = got
                        .holds
                        .iter()
                        .map(|h| (h.from, h.to, h.caused_lateness))
                        .collect();
                    assert_eq!(h, holds, "{ctx}");
                    assert_eq!(got.lanes.len(), lanes.len(), "{ctx}");
                    for (lane, (task, depth, segs, labels, ideal, prints, ended)) in
                        got.lanes.iter().zip(lanes)
                    {
                        assert_eq!((lane.task, lane.depth), (task, depth), "{ctx}");
                        let all: Vec<Segment> =
                            lane.all(now).into_iter().map(|(s, _, _)| s).collect();
                        assert_eq!(all, segs, "{ctx}, task {task:?}");
                        let words: Vec<String> = lane
                            .all(now)
                            .into_iter()
                            .map(|(_, l, _)| l.to_string())
                            .collect();
                        assert_eq!(words, labels, "{ctx}");
                        assert_eq!(lane.ideal, ideal, "{ctx}");
                        let at: Vec<f64> = lane.prints.iter().map(|(a, _)| *a).collect();
                        assert_eq!(at, prints, "{ctx}");
                        assert_eq!(lane.end.as_ref().map(|(a, _)| *a), ended, "{ctx}");
                        if lane.end.is_some() {
                            assert!(lane.open.is_none(), "{ctx}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_live_fold_read_in_pieces_lays_out_what_the_batch_layout_does() {
        let mut rng = Rng::new(11);
        for (name, t) in traces() {
            let ideal = Ideal::of(Some(Rc::new(t.clone())));
            let n = t.events.len();
            let end = t.elapsed();
            let mut fold = Fold::live(50, 20, 30);
            let mut lay = Layout::default();
            let mut k = 0;
            let mut shown = Vec::new();
            while k < n {
                k = (k + 1 + rng.below(n as u64 / 4 + 1) as usize).min(n);
                let part = prefix_of(&t, k);
                fold.update(&part);
                let now = part.elapsed();
                shown.push(lay.timeline(&mut fold, &part, &ideal, now, Vec::new(), Axis::Steady));
            }
            // Exact again at the end, however it was merged on the way.
            let span = (end.max(ideal.end) * 1.04).max(0.1);
            fold.set_detail(span / LANE_DETAIL, 0.0);
            let got = lay.timeline(&mut fold, &t, &ideal, end, Vec::new(), Axis::Exact);
            let want = layout(&t, &ideal, end, 50, Vec::new());
            assert_eq!(got.hidden, want.hidden, "{name}");
            assert_eq!(got.density, want.density, "{name}");
            assert_eq!(got.busy, want.busy, "{name}");
            assert_eq!(got.holds, want.holds, "{name}");
            assert_eq!(got.lanes.len(), want.lanes.len(), "{name}");
            for (g, w) in got.lanes.iter().zip(&want.lanes) {
                assert_eq!(
                    (g.task, g.depth, &g.end),
                    (w.task, w.depth, &w.end),
                    "{name}"
                );
                assert_eq!(g.ideal, w.ideal, "{name}");
                // Lanes merged on the way may keep a few more, finer bars; they cover the same
                // time, and anything as long as the detail is kept as it is.
                let (gs, ws) = (g.all(end), w.all(end));
                assert_eq!(gs.first().map(|s| s.0.from), ws.first().map(|s| s.0.from));
                assert_eq!(gs.last().map(|s| s.0.to), ws.last().map(|s| s.0.to));
                let long = |v: &Vec<(Segment, &str, &str)>| -> Vec<Segment> {
                    v.iter()
                        .filter(|(s, _, _)| s.to - s.from >= 2.0 * want.span / LANE_DETAIL)
                        .map(|(s, _, _)| s.clone())
                        .collect()
                };
                assert_eq!(long(&gs), long(&ws), "{name}, task {:?}", g.task);
            }
            assert_eq!(
                Figures::of(&fold, ideal.end, end),
                figures(&t, &t, &t.all_stats(end), end),
                "{name}"
            );
            let stats = t.all_stats(end);
            assert_eq!(
                fold.stats(end),
                stats[..stats.len().min(20)].to_vec(),
                "{name}"
            );
            let lines = t.lines();
            let kept: Vec<Line> = fold.lines().iter().cloned().collect();
            assert_eq!(
                kept,
                lines[lines.len().saturating_sub(30)..].to_vec(),
                "{name}"
            );
            assert_eq!(fold.lines_total(), lines.len() as u64, "{name}");
            assert_eq!(fold.warnings().0, t.warnings(), "{name}");
        }
    }

    #[test]
    fn a_lane_that_did_not_change_is_the_same_lane() {
        let s = find("many-tasks").unwrap();
        let (v, _) = s.parse(|n| match n {
            "tasks" => Some("500"),
            "sleep_s" => Some("4"),
            _ => None,
        });
        let t = crate::engine::exec::sim::ideal(s, &v).0;
        let ideal = Ideal::of(Some(Rc::new(t.clone())));
        // Every sleeper has started its sleep by 0.001 s.
        let k = t.events.iter().take_while(|e| e.at <= 0.001).count();
        let part = prefix_of(&t, k);
        let mut fold = Fold::live(200, 0, 0);
        fold.update(&part);
        let mut lay = Layout::default();
        let a = lay.timeline(&mut fold, &part, &ideal, 1.0, Vec::new(), Axis::Steady);
        let b = lay.timeline(&mut fold, &part, &ideal, 2.0, Vec::new(), Axis::Held);
        assert_eq!(a.span, b.span, "the ideal run's end sets the axis");
        assert_eq!(a.lanes.len(), 200);
        assert!(a.lanes.iter().zip(&b.lanes).all(|(x, y)| Rc::ptr_eq(x, y)));
        let open = b.lanes[1].open.as_ref().map(|o| o.kind.name());
        assert_eq!(open, Some("waiting"));
        assert_eq!(b.hidden, 301);
        assert_eq!(b.density[0], 301);
    }

    #[test]
    fn the_live_detail_is_a_quarter_octave_at_most_the_exact_one() {
        for span in [0.1, 1.0, 4.16, 10.4, 123.0, 5000.0] {
            let exact = span / LANE_DETAIL;
            let got = live_detail(span);
            assert!(
                got <= exact && got > exact / 2f64.powf(0.25) * 0.999,
                "{span}: {got}"
            );
            let quarters = got.log2() * 4.0;
            assert!((quarters - quarters.round()).abs() < 1e-9, "{span}: {got}");
        }
        assert_eq!(live_detail(0.0), 0.0);
    }
}
