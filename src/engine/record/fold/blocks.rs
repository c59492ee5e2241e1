//! The blocking work of a run (when a task held the thread), the lane of one task folded from
//! its own events, and an index of a trace's events by task.

use crate::engine::record::fold::{kind_of, steps, Change, Phase};
use crate::engine::record::trace::{Event, EventKind, Segment, SegmentKind, TaskId, Trace};

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

/// The blocking work of a run: (from, to, whose), in order.
#[derive(Clone, Debug, Default)]
pub(super) struct Blocks {
    pub(super) spans: Vec<(f64, f64, TaskId)>,
    /// True while each span starts at or after the end of the one before (as on one thread),
    /// so searches may bisect.
    pub(super) ordered: bool,
}

impl Blocks {
    pub(super) fn new() -> Blocks {
        Blocks {
            spans: Vec::new(),
            ordered: true,
        }
    }

    pub(super) fn push(&mut self, from: f64, to: f64, task: TaskId) {
        if let Some(last) = self.spans.last() {
            if from < last.1 || to < from {
                self.ordered = false;
            }
        }
        self.spans.push((from, to, task));
    }

    /// The index of the first span that may overlap a stretch starting at `from`.
    pub(super) fn first_after(&self, from: f64) -> usize {
        if self.ordered {
            self.spans.partition_point(|b| b.1 <= from)
        } else {
            0
        }
    }

    /// Splits a `Ready` stretch of `task` where another task's blocking work held the thread.
    pub(super) fn split_ready(
        &self,
        seg_from: f64,
        seg_to: f64,
        task: TaskId,
        mut out: impl FnMut(Segment),
    ) {
        let mut at = seg_from;
        for &(from, to, by) in &self.spans[self.first_after(seg_from)..] {
            if self.ordered && from >= seg_to {
                break;
            }
            if by == task {
                continue;
            }
            let (from, to) = (from.max(seg_from), to.min(seg_to));
            if to <= from || to <= at {
                continue;
            }
            if from > at {
                out(Segment {
                    from: at,
                    to: from,
                    kind: SegmentKind::Ready,
                });
            }
            out(Segment {
                from: from.max(at),
                to,
                kind: SegmentKind::BlockedBy(by),
            });
            at = to;
        }
        if seg_to > at {
            out(Segment {
                from: at,
                to: seg_to,
                kind: SegmentKind::Ready,
            });
        }
    }

    /// The stretch as drawn: split if it is a `Ready` one.
    pub(super) fn pieces(&self, seg: Segment, task: TaskId, out: &mut Vec<Segment>) {
        if seg.kind == SegmentKind::Ready {
            self.split_ready(seg.from, seg.to, task, |s| out.push(s));
        } else {
            out.push(seg);
        }
    }
}

/// The lane of one task alone, up to `now`, from its own events (in order) and the run's
/// blocking work: what [`Trace::lanes`] gives for it.
fn lane_alone<'a>(
    task: TaskId,
    spawned: f64,
    events: impl Iterator<Item = &'a Event>,
    blocks: &Blocks,
    now: f64,
) -> Vec<Segment> {
    let mut open: Option<(f64, SegmentKind)> = Some((spawned, SegmentKind::Ready));
    let mut out = Vec::new();
    let close = |open: &mut Option<(f64, SegmentKind)>, to: f64, out: &mut Vec<Segment>| {
        if let Some((from, kind)) = open.take() {
            if to > from {
                blocks.pieces(Segment { from, to, kind }, task, out);
            }
        }
    };
    for e in events {
        let phase = match &open {
            None => Phase::Gone,
            Some((_, SegmentKind::Ready)) => Phase::Ready,
            Some(_) => Phase::Running,
        };
        steps(phase, e, |step| match step {
            Change::Close(to) => close(&mut open, to, &mut out),
            Change::Open(at, phase) => open = Some((at, kind_of(phase, e))),
            Change::Blocking(from, to) => out.push(Segment {
                from,
                to,
                kind: SegmentKind::Blocking,
            }),
        });
    }
    close(&mut open, now, &mut out);
    out
}

/// For each task of a trace, where its events are: built once, so the lane of any one task can
/// be folded from its own events alone (see [`Ideal`]).
#[derive(Clone, Debug, Default)]
pub struct TaskIndex {
    /// Task `t`'s events are `events[starts[t]..starts[t + 1]]`.
    pub(super) starts: Vec<u32>,
    /// Positions among the trace's kept events, grouped by task, in order.
    pub(super) events: Vec<u32>,
    pub(super) blocks: Blocks,
}

impl TaskIndex {
    /// Indexes `trace`'s kept events by task.
    pub fn of(trace: &Trace) -> TaskIndex {
        let n = trace.tasks.len();
        let mut counts = vec![0u32; n + 1];
        let mut blocks = Blocks::new();
        for e in &trace.events {
            if let Some(c) = counts.get_mut(e.task.0 as usize) {
                *c += 1;
            }
            if let EventKind::Blocked { until, .. } = e.kind {
                blocks.push(e.at, until, e.task);
            }
        }
        let mut starts = Vec::with_capacity(n + 1);
        let mut sum = 0u32;
        for c in counts.iter().take(n) {
            starts.push(sum);
            sum += c;
        }
        starts.push(sum);
        let mut fill: Vec<u32> = starts.clone();
        let mut events = vec![0u32; sum as usize];
        for (i, e) in trace.events.iter().enumerate() {
            if let Some(slot) = fill
                .get_mut(e.task.0 as usize)
                .filter(|_| (e.task.0 as usize) < n)
            {
                if let Some(x) = events.get_mut(*slot as usize) {
                    *x = i as u32;
                }
                *slot += 1;
            }
        }
        TaskIndex {
            starts,
            events,
            blocks,
        }
    }

    /// The lane of `task` in `trace` (the trace this index was built from), up to `now`.
    pub fn lane(&self, trace: &Trace, task: TaskId, now: f64) -> Vec<Segment> {
        let t = task.0 as usize;
        let (Some(info), Some(&a), Some(&b)) = (
            trace.tasks.get(t),
            self.starts.get(t),
            self.starts.get(t + 1),
        ) else {
            return Vec::new();
        };
        let positions = self.events.get(a as usize..b as usize).unwrap_or(&[]);
        let events = positions
            .iter()
            .filter_map(|&i| trace.events.iter_from(i as usize).next());
        lane_alone(task, info.spawned, events, &self.blocks, now)
    }
}
