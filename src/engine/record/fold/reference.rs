//! Reference implementations, kept as test oracles: the lanes, figures and layout as they were
//! computed before the incremental fold existed, straight from a whole trace. The differential
//! tests compare the fold (and the view's layout) with them.

use crate::engine::lang::ids::TaskId;
use crate::engine::lang::listing::Listing;
use crate::engine::lang::scenarios::{find, CATALOG};
use crate::engine::record::fold::{decimate, DENSITY_BUCKETS};
use crate::engine::record::trace::{
    Event, EventKind, Outcome, Segment, SegmentKind, TaskStats, Trace,
};
use crate::engine::view::figures::Figures;

/// The finest detail a lane keeps, as the view lays it out (see `view::timeline`).
const LANE_DETAIL: f64 = 1000.0;

/// The lanes as the trace folded them before the fold existed, kept as the reference.
pub(crate) fn reference_lanes(trace: &Trace, now: f64) -> Vec<Vec<Segment>> {
    let n = trace.tasks.len();
    let mut out: Vec<Vec<Segment>> = vec![Vec::new(); n];
    let mut open: Vec<Option<(f64, SegmentKind)>> = trace
        .tasks
        .iter()
        .map(|t| Some((t.spawned, SegmentKind::Ready)))
        .collect();
    fn close(open: &mut Option<(f64, SegmentKind)>, to: f64, out: &mut Vec<Segment>) {
        if let Some((from, kind)) = open.take() {
            if to > from {
                out.push(Segment { from, to, kind });
            }
        }
    }
    for e in &trace.events {
        let t = e.task.0 as usize;
        let (Some(open), Some(out)) = (open.get_mut(t), out.get_mut(t)) else {
            continue;
        };
        match &e.kind {
            EventKind::Woken => {
                if !matches!(open, Some((_, SegmentKind::Ready))) {
                    close(open, e.at, out);
                    *open = Some((e.at, SegmentKind::Ready));
                }
            }
            EventKind::TimerFired { due } => {
                if e.at > *due {
                    close(open, *due, out);
                    *open = Some((*due, SegmentKind::Delayed));
                }
                close(open, e.at, out);
                *open = Some((e.at, SegmentKind::Ready));
            }
            EventKind::PollStart => {
                close(open, e.at, out);
                *open = Some((e.at, SegmentKind::Running));
            }
            EventKind::Blocked { until, .. } => {
                close(open, e.at, out);
                out.push(Segment {
                    from: e.at,
                    to: *until,
                    kind: SegmentKind::Blocking,
                });
                *open = Some((*until, SegmentKind::Running));
            }
            EventKind::Paused { on, .. } => {
                close(open, e.at, out);
                *open = Some((e.at, SegmentKind::Waiting(on.clone())));
            }
            EventKind::Finished { .. } | EventKind::Cancelled | EventKind::Failed(_) => {
                close(open, e.at, out);
            }
            EventKind::Printed { .. } | EventKind::NeverAwaited(_) => {}
        }
    }
    for (open, out) in open.iter_mut().zip(out.iter_mut()) {
        close(open, now, out);
    }
    let blocks = trace.blocks();
    if blocks.is_empty() {
        return out;
    }
    out.into_iter()
        .enumerate()
        .map(|(t, lane)| reference_split(lane, &blocks, TaskId(t as u32)))
        .collect()
}

pub(crate) fn reference_split(
    lane: Vec<Segment>,
    blocks: &[(f64, f64, TaskId)],
    task: TaskId,
) -> Vec<Segment> {
    let mut out = Vec::new();
    for seg in lane {
        if seg.kind != SegmentKind::Ready {
            out.push(seg);
            continue;
        }
        let mut at = seg.from;
        for &(from, to, by) in blocks {
            if by == task {
                continue;
            }
            let (from, to) = (from.max(seg.from), to.min(seg.to));
            if to <= from || to <= at {
                continue;
            }
            if from > at {
                out.push(Segment {
                    from: at,
                    to: from,
                    kind: SegmentKind::Ready,
                });
            }
            out.push(Segment {
                from: from.max(at),
                to,
                kind: SegmentKind::BlockedBy(by),
            });
            at = to;
        }
        if seg.to > at {
            out.push(Segment {
                from: at,
                to: seg.to,
                kind: SegmentKind::Ready,
            });
        }
    }
    out
}

pub(crate) fn reference_stats(trace: &Trace, lanes: &[Vec<Segment>]) -> Vec<TaskStats> {
    let mut all: Vec<TaskStats> = (0..trace.tasks.len() as u32)
        .map(|t| TaskStats::new(TaskId(t)))
        .collect();
    // Which tasks are in a poll: an end of a poll outside one implies its start.
    let mut polling = vec![false; trace.tasks.len()];
    for e in &trace.events {
        let Some(s) = all.get_mut(e.task.0 as usize) else {
            continue;
        };
        let t = e.task.0 as usize;
        if matches!(e.kind, EventKind::PollStart) || (e.kind.ends_poll() && !polling[t]) {
            s.polls += 1;
            s.started.get_or_insert(e.at);
        }
        if matches!(e.kind, EventKind::PollStart) {
            polling[t] = true;
        } else if e.kind.ends_poll() {
            polling[t] = false;
        }
        match &e.kind {
            EventKind::TimerFired { due } => s.max_lateness = s.max_lateness.max(e.at - due),
            EventKind::Blocked { spins, .. } => s.spins += spins,
            EventKind::Finished { value } => {
                s.ended = Some(e.at);
                s.outcome = Outcome::Finished(value.clone());
            }
            EventKind::Cancelled => {
                s.ended = Some(e.at);
                s.outcome = Outcome::Cancelled;
            }
            EventKind::Failed(m) => {
                s.ended = Some(e.at);
                s.outcome = Outcome::Failed(m.clone());
            }
            _ => {}
        }
    }
    for (s, lane) in all.iter_mut().zip(lanes) {
        for seg in lane {
            let d = seg.to - seg.from;
            match seg.kind {
                SegmentKind::Running | SegmentKind::Blocking => s.busy += d,
                SegmentKind::Waiting(_) => s.waiting += d,
                _ => {}
            }
        }
    }
    all
}

/// The whole timeline as it was laid out before, as (lanes with every stretch, hidden,
/// density, busy, holds).
#[allow(clippy::type_complexity)]
pub(crate) fn reference_layout(
    real: &Trace,
    ideal: Option<&Trace>,
    now: f64,
    max_lanes: usize,
) -> (
    Vec<(
        TaskId,
        usize,
        Vec<Segment>,
        Vec<String>,
        Vec<Segment>,
        Vec<f64>,
        Option<f64>,
    )>,
    usize,
    Vec<u32>,
    Vec<(f64, f64)>,
    Vec<(f64, f64, f64)>,
) {
    let lanes = reference_lanes(real, now);
    let stats = reference_stats(real, &lanes);
    let ideal_lanes = ideal.map(|t| reference_lanes(t, t.elapsed()));
    let ideal_end = ideal.map(|t| t.elapsed()).unwrap_or(0.0);
    let span = (now.max(ideal_end).max(real.elapsed()) * 1.04).max(0.1);
    let res = span / LANE_DETAIL;
    let bucket = |t: f64| {
        ((t / span * DENSITY_BUCKETS as f64).floor().max(0.0) as usize).min(DENSITY_BUCKETS)
    };
    let mut density_diff = vec![0i64; DENSITY_BUCKETS + 1];
    let mut drawn = Vec::new();
    let order = tree_order(real);
    for (k, (task, depth)) in order.iter().enumerate() {
        let i = task.0 as usize;
        let st = &stats[i];
        if k >= max_lanes {
            density_diff[bucket(real.tasks[i].spawned)] += 1;
            density_diff[bucket(st.ended.unwrap_or(now))] -= 1;
            continue;
        }
        let segments = decimate(lanes[i].clone(), res);
        let mut last = f64::NEG_INFINITY;
        let prints: Vec<f64> = real
            .events
            .iter()
            .filter(|e| e.task == *task && matches!(e.kind, EventKind::Printed { .. }))
            .map(|e| e.at)
            .filter(|at| {
                let keep = at - last >= res;
                if keep {
                    last = *at;
                }
                keep
            })
            .collect();
        let labels = segments.iter().map(|s| real.describe(&s.kind)).collect();
        let ideal_lane = ideal_lanes
            .as_ref()
            .and_then(|l| l.get(i).cloned())
            .unwrap_or_default();
        drawn.push((
            *task,
            *depth,
            segments,
            labels,
            decimate(ideal_lane, res),
            prints,
            st.ended,
        ));
    }
    let mut density = Vec::new();
    let mut alive = 0i64;
    for d in density_diff.iter().take(DENSITY_BUCKETS) {
        alive += d;
        density.push(alive.max(0) as u32);
    }
    let mut spans: Vec<(f64, f64)> = lanes
        .iter()
        .flatten()
        .filter(|s| matches!(s.kind, SegmentKind::Running | SegmentKind::Blocking))
        .map(|s| (s.from, s.to))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut busy: Vec<(f64, f64)> = Vec::new();
    for (a, b) in spans {
        match busy.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => busy.push((a, b)),
        }
    }
    let mut holds: Vec<(f64, f64, f64)> =
        real.blocks().iter().map(|&(a, b, _)| (a, b, 0.0)).collect();
    for e in &real.events {
        if let EventKind::TimerFired { due } = e.kind {
            if let Some(h) = holds.iter_mut().find(|h| h.0 <= due && due < h.1) {
                h.2 = h.2.max(e.at - due);
            }
        }
    }
    (
        drawn,
        order.len().saturating_sub(max_lanes),
        if order.len() > max_lanes {
            density
        } else {
            Vec::new()
        },
        busy,
        holds,
    )
}

/// Every catalog scenario with its defaults, and a few with other values.
pub(crate) fn traces() -> Vec<(String, Trace)> {
    let mut out = Vec::new();
    let extra: &[(&str, &[(&str, &str)])] = &[
        ("many-tasks", &[("tasks", "300")]),
        ("cpu-vs-io", &[("salads", "3")]),
        ("cooking", &[("mode", "gather")]),
        (
            "coroutine-send",
            &[
                ("first_s", "6"),
                ("second_s", "6"),
                ("tick_s", "0.05"),
                ("waiting", "non_blocking"),
            ],
        ),
    ];
    for s in CATALOG.iter() {
        let v = if s.id == "many-tasks" {
            s.parse(|n| (n == "tasks").then_some("40")).0
        } else {
            s.defaults()
        };
        out.push((s.id.to_string(), crate::engine::exec::sim::ideal(s, &v).0));
    }
    for (id, params) in extra {
        let s = find(id).unwrap();
        let (v, e) = s.parse(|n| params.iter().find(|(k, _)| *k == n).map(|(_, v)| *v));
        assert!(e.is_empty(), "{id}: {e:?}");
        out.push((
            format!("{id} {params:?}"),
            crate::engine::exec::sim::ideal(s, &v).0,
        ));
    }
    out
}

/// Moments to look at a trace: its start, middle, end and a little past it.
pub(crate) fn moments(t: &Trace) -> Vec<f64> {
    let end = t.elapsed();
    vec![0.0, end * 0.3, end * 0.5, end, end + 0.5]
}

/// The trace as it was after `k` events: the tasks created by then, and those events.
pub(crate) fn prefix_of(t: &Trace, k: usize) -> Trace {
    let mut out = Trace {
        chains: t.chains.clone(),
        ..Trace::default()
    };
    let events: Vec<&Event> = t.events.iter().take(k).collect();
    let until = events.last().map(|e| e.at).unwrap_or(0.0);
    let mut highest = events
        .iter()
        .map(|e| e.task.0 as usize + 1)
        .max()
        .unwrap_or(0);
    highest = highest.max(t.tasks.iter().take_while(|i| i.spawned <= until).count());
    out.tasks = t.tasks.iter().take(highest).cloned().collect();
    for e in events {
        out.events.push(e.clone());
    }
    out
}

/// Tasks in tree order (depth-first, children in creation order), with their depths.
pub(crate) fn tree_order(trace: &Trace) -> Vec<(TaskId, usize)> {
    let n = trace.tasks.len();
    let mut children: Vec<Vec<TaskId>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, t) in trace.tasks.iter().enumerate() {
        let id = TaskId(i as u32);
        match t.parent {
            Some(p) if (p.0 as usize) < n && p != id => children[p.0 as usize].push(id),
            _ => roots.push(id),
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

/// Figures of `trace` up to `now`, next to `ideal`.
pub(crate) fn figures(trace: &Trace, ideal: &Trace, stats: &[TaskStats], now: f64) -> Figures {
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
pub(crate) fn current_lines(trace: &Trace, listing: &Listing) -> Vec<(usize, Vec<TaskId>)> {
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
