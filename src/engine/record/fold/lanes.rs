//! The lanes a fold keeps: which tasks get one (the first in tree order), what each did merged
//! down to a detail, and how it ended.

use std::rc::Rc;

use crate::engine::record::fold::Fold;
use crate::engine::record::trace::{Outcome, Segment, SegmentKind, TaskId, Trace};

/// A run of short stretches being merged: its extent and each kind's total, in order of first
/// appearance.
#[derive(Clone, Debug, PartialEq)]
struct Bucket {
    from: f64,
    to: f64,
    totals: Vec<(SegmentKind, f64)>,
}

/// [`decimate`] as a stream: stretches pushed one at a time, in order, merge exactly as
/// `decimate` merges the whole list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Decimator {
    res: f64,
    out: Vec<Segment>,
    bucket: Option<Bucket>,
}

impl Decimator {
    /// Merges stretches shorter than `res` (0, or not a number: keeps every stretch).
    pub fn new(res: f64) -> Decimator {
        Decimator {
            res,
            out: Vec::new(),
            bucket: None,
        }
    }

    /// The detail it merges to.
    pub fn res(&self) -> f64 {
        self.res
    }

    /// Adds the next stretch.
    pub fn push(&mut self, s: Segment) {
        push_into(&mut self.bucket, &mut self.out, self.res, s);
    }

    /// The merged stretches so far, without the run still being merged.
    pub fn committed(&self) -> &[Segment] {
        &self.out
    }

    /// What follows [`Decimator::committed`] if `more` came next and nothing after: the run
    /// being merged and `more`, merged. The decimator itself does not change.
    pub fn tail(&self, more: impl IntoIterator<Item = Segment>) -> Vec<Segment> {
        let mut bucket = self.bucket.clone();
        let mut out = Vec::new();
        for s in more {
            push_into(&mut bucket, &mut out, self.res, s);
        }
        flush(&mut bucket, &mut out);
        out
    }

    /// Merges what it holds again to a new detail.
    pub fn rescale(&mut self, res: f64) {
        let mut all = std::mem::take(&mut self.out);
        flush(&mut self.bucket, &mut all);
        self.res = res;
        for s in all {
            self.push(s);
        }
    }
}

fn push_into(bucket: &mut Option<Bucket>, out: &mut Vec<Segment>, res: f64, s: Segment) {
    if res.is_nan() || res <= 0.0 || s.to - s.from >= res {
        flush(bucket, out);
        out.push(s);
        return;
    }
    let d = s.to - s.from;
    let b = bucket.get_or_insert_with(|| Bucket {
        from: s.from,
        to: s.to,
        totals: Vec::new(),
    });
    b.to = s.to;
    match b.totals.iter_mut().find(|(k, _)| k.same(&s.kind)) {
        Some((_, total)) => *total += d,
        None => b.totals.push((s.kind, d)),
    }
    if b.to - b.from >= res {
        flush(bucket, out);
    }
}

/// Ends the run being merged: one stretch over all of it, of the kind that took longest (the
/// first such, on a tie).
fn flush(bucket: &mut Option<Bucket>, out: &mut Vec<Segment>) {
    let Some(b) = bucket.take() else {
        return;
    };
    let mut best: Option<(f64, &SegmentKind)> = None;
    for (kind, total) in &b.totals {
        if best.is_none_or(|(t, _)| *total > t) {
            best = Some((*total, kind));
        }
    }
    if let Some((_, kind)) = best {
        out.push(Segment {
            from: b.from,
            to: b.to,
            kind: kind.clone(),
        });
    }
}

/// Merges runs of stretches shorter than `res` into one, of the kind that took longest among
/// them; longer stretches are kept as they are.
pub fn decimate(segments: Vec<Segment>, res: f64) -> Vec<Segment> {
    if segments.len() < 2 || res.is_nan() || res <= 0.0 {
        return segments;
    }
    let mut out = Vec::new();
    let mut bucket = None;
    for s in segments {
        push_into(&mut bucket, &mut out, res, s);
    }
    flush(&mut bucket, &mut out);
    out
}

/// How many slices the density band of hidden tasks has.
pub const DENSITY_BUCKETS: usize = 120;

/// The first tasks in tree order (depth-first, children in creation order): the lanes drawn.
#[derive(Clone, Debug, Default)]
pub(super) struct Prefix {
    pub(super) max: usize,
    /// The tasks drawn, in tree order, with their depths.
    pub(super) order: Vec<(TaskId, usize)>,
    /// For each of them, the position just past its subtree within `order`.
    pub(super) ends: Vec<usize>,
    /// The task last looked for, and where it was.
    pub(super) last: std::cell::Cell<Option<(u32, usize)>>,
    /// Every task placed, drawn or not.
    pub(super) total: usize,
}

impl Prefix {
    /// Places a new task (tasks come in creation order); returns whether it is drawn and which
    /// task, if any, it pushed past the limit. `drawn` says which tasks are drawn now (it spares
    /// looking for a parent that is not).
    pub(super) fn insert(
        &mut self,
        task: TaskId,
        parent: Option<TaskId>,
        drawn: impl Fn(TaskId) -> bool,
    ) -> (bool, Option<TaskId>) {
        self.total += 1;
        let place = match parent {
            Some(p) if p.0 < task.0 && !drawn(p) => None,
            Some(p) if p.0 < task.0 => match self.index_of(p) {
                // Under a task not drawn: not drawn either.
                None => None,
                Some(ip) => {
                    let depth = self.order[ip].1 + 1;
                    let j = self.ends[ip];
                    if j < self.order.len() || self.order.len() < self.max {
                        Some((j, depth))
                    } else {
                        None
                    }
                }
            },
            // A root comes after everything.
            _ if self.total - 1 == self.order.len() && self.order.len() < self.max => {
                Some((self.order.len(), 0))
            }
            _ => None,
        };
        let Some((j, depth)) = place else {
            return (false, None);
        };
        self.order.insert(j, (task, depth));
        let evicted = if self.order.len() > self.max {
            self.order.pop().map(|(t, _)| t)
        } else {
            None
        };
        self.reindex();
        (true, evicted)
    }

    pub(super) fn reindex(&mut self) {
        let n = self.order.len();
        self.ends = vec![n; n];
        let mut stack: Vec<usize> = Vec::new();
        for (k, (_, depth)) in self.order.iter().enumerate() {
            while let Some(&top) = stack.last() {
                if self.order[top].1 >= *depth {
                    self.ends[top] = k;
                    stack.pop();
                } else {
                    break;
                }
            }
            stack.push(k);
        }
    }

    /// Where `task` is in `order`, if it is drawn (a few hundred at most; the task asked for
    /// last is remembered, as a run's tasks often share a parent).
    pub(super) fn index_of(&self, task: TaskId) -> Option<usize> {
        if let Some((t, k)) = self.last.get() {
            if t == task.0 && self.order.get(k).is_some_and(|(o, _)| *o == task) {
                return Some(k);
            }
        }
        let k = self.order.iter().position(|(t, _)| *t == task)?;
        self.last.set(Some((task.0, k)));
        Some(k)
    }
}

/// The lane of one task kept one by one: what it did, merged down to the fold's detail.
#[derive(Clone, Debug)]
pub struct LaneState {
    /// The kind of the stretch in progress (its start is in the task's state).
    pub(super) kind: SegmentKind,
    /// Its closed stretches, merged down to the fold's detail.
    pub(super) dec: Decimator,
    /// When it printed, and what (at most one mark per detail step).
    pub(super) prints: Vec<(f64, Rc<str>)>,
    /// How it ended.
    pub(super) end: Option<(f64, Outcome)>,
    /// Its depth in the tree of who created whom.
    pub(super) depth: usize,
    /// Changes whenever what is drawn of it may have changed.
    pub(super) version: u64,
}

impl LaneState {
    pub(super) fn new(depth: usize, res: f64) -> LaneState {
        LaneState {
            kind: SegmentKind::Ready,
            dec: Decimator::new(res),
            prints: Vec::new(),
            end: None,
            depth,
            version: 0,
        }
    }

    /// Its closed stretches, merged, without the run still being merged.
    pub fn committed(&self) -> &[Segment] {
        self.dec.committed()
    }

    /// When it printed, and what.
    pub fn prints(&self) -> &[(f64, Rc<str>)] {
        &self.prints
    }

    /// When and how it ended, if it has.
    pub fn end(&self) -> Option<&(f64, Outcome)> {
        self.end.as_ref()
    }

    /// Its depth in the tree of who created whom (main is 0).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Changes whenever what is drawn of it may have changed: a view keeps what it built of
    /// the lane for as long as this stays the same.
    pub fn version(&self) -> u64 {
        self.version
    }

    pub(super) fn touch(&mut self) {
        self.version += 1;
    }

    pub(super) fn print(&mut self, at: f64, text: &Rc<str>) {
        let res = self.dec.res();
        let keep = match self.prints.last() {
            None => true,
            Some((last, _)) => res.is_nan() || res <= 0.0 || at - last >= res,
        };
        if keep {
            self.prints.push((at, text.clone()));
            self.touch();
        }
    }

    pub(super) fn rescale(&mut self, res: f64) {
        self.dec.rescale(res);
        let all = std::mem::take(&mut self.prints);
        for (at, text) in all {
            self.print(at, &text);
        }
        self.touch();
    }
}

/// The lanes kept, by task id: slots reused as lanes come and go, and each task's slot found
/// through a vector indexed by its id (ids are dense; a hash map's code would cost more of the
/// shipped module than this saves anywhere).
#[derive(Clone, Debug, Default)]
pub(super) struct Lanes {
    /// Per task id, its slot plus one (0: none).
    pub(super) slot_of: Vec<u32>,
    pub(super) slots: Vec<Option<LaneState>>,
    pub(super) free: Vec<u32>,
}

impl Lanes {
    pub(super) fn slot(&self, task: u32) -> Option<usize> {
        match self.slot_of.get(task as usize) {
            Some(&s) if s > 0 => Some(s as usize - 1),
            _ => None,
        }
    }

    pub(super) fn get(&self, task: u32) -> Option<&LaneState> {
        self.slots.get(self.slot(task)?)?.as_ref()
    }

    pub(super) fn get_mut(&mut self, task: u32) -> Option<&mut LaneState> {
        let s = self.slot(task)?;
        self.slots.get_mut(s)?.as_mut()
    }

    pub(super) fn insert(&mut self, task: u32, lane: LaneState) {
        if let Some(s) = self.slot(task) {
            self.slots[s] = Some(lane);
            return;
        }
        let s = match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(lane);
                s
            }
            None => {
                self.slots.push(Some(lane));
                self.slots.len() as u32 - 1
            }
        };
        let t = task as usize;
        if self.slot_of.len() <= t {
            self.slot_of.resize(t + 1, 0);
        }
        self.slot_of[t] = s + 1;
    }

    pub(super) fn remove(&mut self, task: u32) -> Option<LaneState> {
        let s = self.slot(task)?;
        self.slot_of[task as usize] = 0;
        self.free.push(s as u32);
        self.slots[s].take()
    }

    pub(super) fn values_mut(&mut self) -> impl Iterator<Item = &mut LaneState> {
        self.slots.iter_mut().flatten()
    }
}

impl Fold {
    /// How many tasks not drawn one by one were alive in each of [`DENSITY_BUCKETS`] equal
    /// slices of an axis of `span` seconds, up to `now`.
    pub fn density(&self, trace: &Trace, span: f64, now: f64) -> Vec<u32> {
        let bucket = |t: f64| {
            ((t / span * DENSITY_BUCKETS as f64).floor().max(0.0) as usize).min(DENSITY_BUCKETS)
        };
        // Per slice, how many tasks started and ended by its end: all tasks, minus those drawn.
        let mut diff = vec![0i64; DENSITY_BUCKETS + 1];
        let tasks = &trace.tasks[..self.tasks.len().min(trace.tasks.len())];
        let spawns_ordered = self.spawns_ordered;
        let live = (self.tasks.len() - self.ends.len()) as i64;
        if spawns_ordered && self.ends_ordered {
            let mut prev_s = 0usize;
            let mut prev_e = 0usize;
            for (b, d) in diff.iter_mut().enumerate() {
                let s = tasks.partition_point(|t| bucket(t.spawned) <= b);
                let e = self.ends.partition_point(|&t| bucket(t) <= b);
                *d += (s - prev_s) as i64 - (e - prev_e) as i64;
                prev_s = s;
                prev_e = e;
            }
        } else {
            for t in tasks {
                diff[bucket(t.spawned)] += 1;
            }
            for &e in &self.ends {
                diff[bucket(e)] -= 1;
            }
        }
        diff[bucket(now)] -= live;
        for (task, _) in &self.prefix.order {
            let i = task.0 as usize;
            let (Some(info), Some(st)) = (trace.tasks.get(i), self.tasks.get(i)) else {
                continue;
            };
            diff[bucket(info.spawned)] -= 1;
            let ended = self
                .lanes
                .get(task.0)
                .and_then(|l| l.end.as_ref().map(|(at, _)| *at));
            match (st.ended, ended) {
                (true, Some(at)) => diff[bucket(at)] += 1,
                (true, None) => {}
                (false, _) => diff[bucket(now)] += 1,
            }
        }
        let mut out = Vec::with_capacity(DENSITY_BUCKETS);
        let mut alive = 0i64;
        for d in diff.iter().take(DENSITY_BUCKETS) {
            alive += d;
            out.push(alive.max(0) as u32);
        }
        out
    }
}
