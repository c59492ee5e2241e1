//! The timeline's layout, as pure data: which lanes to draw in which order, their segments
//! (real and ideal), markers, the event-loop lane, and the time axis. The page only draws it.

use std::rc::Rc;

use super::trace::{EventKind, Outcome, Segment, SegmentKind, TaskId, Trace};

/// How a lane ends.
#[derive(Clone, Debug, PartialEq)]
pub enum End {
    /// Finished (with its value shown as Python does).
    Finished(Rc<str>),
    /// Cancelled.
    Cancelled,
    /// Failed with a message.
    Failed(Rc<str>),
}

/// One task's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// The task.
    pub task: TaskId,
    /// Its name.
    pub name: Rc<str>,
    /// How deep it is in the tree of who created whom (main is 0).
    pub depth: usize,
    /// What it did, as recorded in this run.
    pub segments: Vec<Segment>,
    /// Words for each segment, in the same order.
    pub labels: Vec<String>,
    /// A few words for each segment, to write on its bar where it is wide enough.
    pub shorts: Vec<String>,
    /// What it did on the virtual clock (the ideal schedule), if known.
    pub ideal: Vec<Segment>,
    /// When it printed, and what.
    pub prints: Vec<(f64, Rc<str>)>,
    /// When and how it ended, if it has.
    pub end: Option<(f64, End)>,
}

/// A stretch during which one task's blocking work held the thread.
#[derive(Clone, Debug, PartialEq)]
pub struct Hold {
    /// Start.
    pub from: f64,
    /// End.
    pub to: f64,
    /// Whose work it was.
    pub task: TaskId,
    /// The largest lateness it caused to a timer that fell due during it.
    pub caused_lateness: f64,
}

/// Everything the timeline draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The lanes drawn, in tree order: each task under the task that created it.
    pub lanes: Vec<Lane>,
    /// Tasks not drawn one by one (beyond the lane limit).
    pub hidden: usize,
    /// For the hidden tasks: how many were alive in each of `DENSITY_BUCKETS` equal slices of
    /// the axis.
    pub density: Vec<u32>,
    /// When the main thread was busy running some task (merged intervals).
    pub busy: Vec<(f64, f64)>,
    /// When blocking work held it, and what that cost.
    pub holds: Vec<Hold>,
    /// The axis runs from 0 to this, in scenario seconds.
    pub span: f64,
    /// Where to put tick marks.
    pub ticks: Vec<f64>,
    /// The current time.
    pub now: f64,
    /// When the page was hidden, so the browser throttled its timers (filled in by the shell,
    /// which alone can see visibility).
    pub throttled: Vec<(f64, f64)>,
}

/// The finest detail a lane keeps: stretches shorter than the span divided by this are merged,
/// so a lane of a long run never has more than about this many bars.
pub const LANE_DETAIL: f64 = 1000.0;

/// Merges runs of stretches shorter than `res` into one, of the kind that took longest among
/// them; longer stretches are kept as they are.
pub fn decimate(segments: Vec<Segment>, res: f64) -> Vec<Segment> {
    if segments.len() < 2 || res.is_nan() || res <= 0.0 {
        return segments;
    }
    let mut out: Vec<Segment> = Vec::new();
    let mut bucket: Vec<Segment> = Vec::new();
    fn flush(bucket: &mut Vec<Segment>, out: &mut Vec<Segment>) {
        let (Some(first), Some(last)) = (bucket.first(), bucket.last()) else {
            return;
        };
        let (from, to) = (first.from, last.to);
        let mut best: Option<(f64, &Segment)> = None;
        for s in bucket.iter() {
            let total: f64 = bucket
                .iter()
                .filter(|o| o.kind == s.kind)
                .map(|o| o.to - o.from)
                .sum();
            if best.is_none_or(|(t, _)| total > t) {
                best = Some((total, s));
            }
        }
        if let Some((_, s)) = best {
            out.push(Segment {
                from,
                to,
                kind: s.kind.clone(),
            });
        }
        bucket.clear();
    }
    for s in segments {
        if s.to - s.from >= res {
            flush(&mut bucket, &mut out);
            out.push(s);
        } else {
            bucket.push(s);
            let width = bucket.last().map(|l| l.to).unwrap_or(0.0) - bucket[0].from;
            if width >= res {
                flush(&mut bucket, &mut out);
            }
        }
    }
    flush(&mut bucket, &mut out);
    out
}

/// How many slices the density band of hidden tasks has.
pub const DENSITY_BUCKETS: usize = 120;

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

impl Timeline {
    /// Marks when the page was hidden, and explains the late timers that fell due then.
    pub fn mark_throttled(&mut self, spans: Vec<(f64, f64)>) {
        for lane in &mut self.lanes {
            for (seg, label) in lane.segments.iter().zip(lane.labels.iter_mut()) {
                let hidden = spans.iter().any(|&(a, b)| seg.from < b && seg.to > a);
                if seg.kind == SegmentKind::Delayed && hidden {
                    *label = "timer late: the tab was hidden, and the browser throttles the timers of hidden tabs".into();
                }
            }
        }
        self.throttled = spans;
    }
}

/// Tasks in tree order (depth-first, children in creation order), with their depths.
pub fn tree_order(trace: &Trace) -> Vec<(TaskId, usize)> {
    let n = trace.tasks.len();
    let mut children: Vec<Vec<TaskId>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for t in &trace.tasks {
        match t.parent {
            Some(p) if (p.0 as usize) < n && p != t.id => children[p.0 as usize].push(t.id),
            _ => roots.push(t.id),
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut stack: Vec<(TaskId, usize)> = roots.into_iter().rev().map(|r| (r, 0)).collect();
    let mut seen = vec![false; n];
    while let Some((t, depth)) = stack.pop() {
        let i = t.0 as usize;
        if seen[i] {
            continue;
        }
        seen[i] = true;
        out.push((t, depth));
        for c in children[i].iter().rev() {
            stack.push((*c, depth + 1));
        }
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

fn merge(mut spans: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Lays out `real` (and `ideal`, drawn faintly under it) at time `now`, drawing at most
/// `max_lanes` lanes one by one and summarising the rest as a density band.
pub fn layout(real: &Trace, ideal: Option<&Trace>, now: f64, max_lanes: usize) -> Timeline {
    let lanes = real.lanes(now);
    let stats = real.all_stats_from(&lanes);
    let ideal = Ideal::of(ideal);
    layout_from(real, &lanes, &stats, &ideal, now, max_lanes)
}

/// The ideal schedule's lanes and length: fixed for a run, so computed once, not every frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ideal {
    /// Every task's lane on the virtual clock.
    pub lanes: Vec<Vec<Segment>>,
    /// When the ideal run ends.
    pub end: f64,
}

impl Ideal {
    /// Folds an ideal trace (or nothing) once.
    pub fn of(trace: Option<&Trace>) -> Ideal {
        trace
            .map(|t| Ideal {
                lanes: t.lanes(t.elapsed()),
                end: t.elapsed(),
            })
            .unwrap_or_default()
    }
}

/// As [`layout`], from lanes and figures the caller has already computed for this frame.
pub fn layout_from(
    real: &Trace,
    lanes: &[Vec<Segment>],
    stats: &[super::trace::TaskStats],
    ideal: &Ideal,
    now: f64,
    max_lanes: usize,
) -> Timeline {
    let ideal_end = ideal.end;
    let ideal_lanes = &ideal.lanes;
    let span = (now.max(ideal_end).max(real.elapsed()) * 1.04).max(0.1);

    let mut prints: Vec<Vec<(f64, Rc<str>)>> = vec![Vec::new(); real.tasks.len()];
    for e in &real.events {
        if let (EventKind::Printed(text), Some(p)) = (&e.kind, prints.get_mut(e.task.0 as usize)) {
            p.push((e.at, text.clone()));
        }
    }

    let order = tree_order(real);
    let mut drawn = Vec::new();
    let mut density_diff = vec![0i64; DENSITY_BUCKETS + 1];
    let bucket = |t: f64| {
        ((t / span * DENSITY_BUCKETS as f64).floor().max(0.0) as usize).min(DENSITY_BUCKETS)
    };
    for (k, (task, depth)) in order.iter().enumerate() {
        let i = task.0 as usize;
        let st = &stats[i];
        if k >= max_lanes {
            density_diff[bucket(real.tasks[i].spawned)] += 1;
            density_diff[bucket(st.ended.unwrap_or(now))] -= 1;
            continue;
        }
        let end = st.ended.and_then(|at| {
            let how = match &st.outcome {
                Outcome::Finished(v) => End::Finished(v.clone()),
                Outcome::Cancelled => End::Cancelled,
                Outcome::Failed(m) => End::Failed(m.clone()),
                Outcome::Live => return None,
            };
            Some((at, how))
        });
        let res = span / LANE_DETAIL;
        let segments = decimate(lanes[i].clone(), res);
        let mut lane_prints = std::mem::take(&mut prints[i]);
        // At most one print mark per detail step.
        let mut last_mark = f64::NEG_INFINITY;
        lane_prints.retain(|(at, _)| {
            let keep = *at - last_mark >= res;
            if keep {
                last_mark = *at;
            }
            keep
        });
        drawn.push(Lane {
            task: *task,
            name: real.tasks[i].name.clone(),
            depth: *depth,
            labels: segments.iter().map(|s| real.describe(&s.kind)).collect(),
            shorts: segments.iter().map(|s| real.short(&s.kind)).collect(),
            segments,
            ideal: decimate(ideal_lanes.get(i).cloned().unwrap_or_default(), res),
            prints: lane_prints,
            end,
        });
    }
    let mut density = Vec::with_capacity(DENSITY_BUCKETS);
    let mut alive = 0i64;
    for d in density_diff.iter().take(DENSITY_BUCKETS) {
        alive += d;
        density.push(alive.max(0) as u32);
    }

    let busy = merge(
        lanes
            .iter()
            .flatten()
            .filter(|s| matches!(s.kind, SegmentKind::Running | SegmentKind::Blocking))
            .map(|s| (s.from, s.to))
            .collect(),
    );
    let mut holds: Vec<Hold> = real
        .blocks()
        .into_iter()
        .map(|(from, to, task)| Hold {
            from,
            to,
            task,
            caused_lateness: 0.0,
        })
        .collect();
    for e in &real.events {
        if let EventKind::TimerFired { due } = e.kind {
            if let Some(h) = holds.iter_mut().find(|h| h.from <= due && due < h.to) {
                h.caused_lateness = h.caused_lateness.max(e.at - due);
            }
        }
    }
    Timeline {
        lanes: drawn,
        hidden: order.len().saturating_sub(max_lanes),
        density: if order.len() > max_lanes {
            density
        } else {
            Vec::new()
        },
        busy,
        holds,
        span,
        ticks: ticks(span),
        now,
        throttled: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenarios::find;

    fn sim(id: &str, params: &[(&str, &str)]) -> Trace {
        let s = find(id).unwrap();
        let (v, e) = s.parse(|n| params.iter().find(|(k, _)| *k == n).map(|(_, v)| *v));
        assert!(e.is_empty());
        s.simulate(&v).0
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
        let order: Vec<(u32, usize)> = tree_order(&t).iter().map(|(t, d)| (t.0, *d)).collect();
        assert_eq!(order, [(0, 0), (1, 1), (2, 1)]);
        let tl = layout(&t, Some(&t), t.elapsed(), 100);
        assert_eq!(tl.lanes.len(), 3);
        assert_eq!(&*tl.lanes[1].name, "fetch()");
        assert_eq!(tl.lanes[2].prints.len(), 10);
        assert_eq!(
            tl.lanes[1].end,
            Some((2.0, End::Finished("{'data': 1}".into())))
        );
        assert_eq!(tl.hidden, 0);
        assert!(tl.span >= 2.25);
    }

    #[test]
    fn blocking_work_shows_on_the_loop_lane_with_the_lateness_it_caused() {
        let t = sim("cpu-vs-io", &[("salads", "2")]);
        let tl = layout(&t, None, t.elapsed(), 100);
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
        let tl = layout(&t, Some(&t), t.elapsed(), 10);
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
        let tl = layout(&t, None, t.elapsed(), 50);
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
