//! The trace folded as it grows: each [`Fold::update`] reads only the tasks and events recorded
//! since the last one, so what a frame costs does not grow with the length of the run.
//!
//! A fold keeps, for every task, only the stretch in progress and whether it ended (16 bytes);
//! full figures for the first rows of the task table; and lanes only for the tasks the timeline
//! draws one by one (the first in tree order), merged down to what a screen can show as they
//! grow. For the whole run it keeps running sums (polls, sleeps, blocking work), the timer
//! lateness (for its median), the blocking work itself, the newest console lines, the warnings,
//! and which live tasks are paused at which step.
//!
//! [`Fold::full`] keeps every lane, unmerged: the batch functions of [`Trace`] are built on it, so
//! the page, the exports and the tests all fold events the same way.
//!
//! A long run drops its oldest events ([`Trace::compact`]); the fold counts events by their
//! absolute position, so it never reads one twice, and counts the ones dropped before it could
//! read them.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::rc::Rc;

use super::listing::Listing;
use super::program::StepId;
use super::report::Figures;
use super::timeline::{
    ticks, Decimator, End, Hold, Ideal, Lane, Open, Timeline, DENSITY_BUCKETS, LANE_DETAIL,
};
use super::trace::{
    Event, EventKind, Line, Outcome, Segment, SegmentKind, TaskId, TaskStats, Trace, WaitOn,
};

/// What a task is doing between two of its events, in a byte (the lanes kept one by one keep
/// the whole [`SegmentKind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Nothing in progress: the task ended.
    Gone,
    /// Woken, waiting for its turn.
    Ready,
    /// Being polled.
    Running,
    /// Paused on something.
    Waiting,
    /// Its timer was due but the thread was held.
    Delayed,
}

/// No step recorded yet.
const NO_STEP: u32 = u32::MAX;

/// Every task's state: the stretch in progress and its step.
#[derive(Clone, Copy, Debug)]
struct TaskState {
    /// When the stretch in progress began.
    from: f64,
    /// What it is.
    phase: Phase,
    /// Whether the task finished, was cancelled or failed.
    ended: bool,
    /// Whether its lane is kept (drawn one by one).
    kept: bool,
    /// The step of its latest pause, or [`NO_STEP`].
    step: u32,
}

/// One change to a task's stretch in progress.
enum Step {
    /// The stretch in progress ends here.
    Close(f64),
    /// A stretch of this phase begins here.
    Open(f64, Phase),
    /// Blocking work held the thread over this span.
    Blocking(f64, f64),
}

/// How one event changes its task's stretches, given the stretch in progress.
fn steps(phase: Phase, e: &Event, mut f: impl FnMut(Step)) {
    match &e.kind {
        EventKind::Woken => {
            // A wake ends a wait (or a delay) and starts the wait for a turn.
            if phase != Phase::Ready {
                f(Step::Close(e.at));
                f(Step::Open(e.at, Phase::Ready));
            }
        }
        EventKind::TimerFired { due } => {
            // A late timer: from its due time to now, other work held the thread.
            if e.at > *due {
                f(Step::Close(*due));
                f(Step::Open(*due, Phase::Delayed));
            }
            // Firing wakes the task: from here it waits for its turn.
            f(Step::Close(e.at));
            f(Step::Open(e.at, Phase::Ready));
        }
        EventKind::PollStart => {
            f(Step::Close(e.at));
            f(Step::Open(e.at, Phase::Running));
        }
        EventKind::Blocked { until, .. } => {
            f(Step::Close(e.at));
            f(Step::Blocking(e.at, *until));
            f(Step::Open(*until, Phase::Running));
        }
        EventKind::Paused { .. } => {
            f(Step::Close(e.at));
            f(Step::Open(e.at, Phase::Waiting));
        }
        EventKind::Finished { .. } | EventKind::Cancelled | EventKind::Failed(_) => {
            f(Step::Close(e.at))
        }
        EventKind::Printed(_) | EventKind::NeverAwaited(_) => {}
    }
}

/// The full kind of a stretch of `phase` opened by `e`.
fn kind_of(phase: Phase, e: &Event) -> SegmentKind {
    match (phase, &e.kind) {
        (Phase::Waiting, EventKind::Paused { on, .. }) => SegmentKind::Waiting(on.clone()),
        (Phase::Running, _) => SegmentKind::Running,
        (Phase::Delayed, _) => SegmentKind::Delayed,
        _ => SegmentKind::Ready,
    }
}

/// The blocking work of a run: (from, to, whose), in order.
#[derive(Clone, Debug, Default)]
struct Blocks {
    spans: Vec<(f64, f64, TaskId)>,
    /// True while each span starts at or after the end of the one before (as on one thread),
    /// so searches may bisect.
    ordered: bool,
}

impl Blocks {
    fn new() -> Blocks {
        Blocks {
            spans: Vec::new(),
            ordered: true,
        }
    }

    fn push(&mut self, from: f64, to: f64, task: TaskId) {
        if let Some(last) = self.spans.last() {
            if from < last.1 || to < from {
                self.ordered = false;
            }
        }
        self.spans.push((from, to, task));
    }

    /// The index of the first span that may overlap a stretch starting at `from`.
    fn first_after(&self, from: f64) -> usize {
        if self.ordered {
            self.spans.partition_point(|b| b.1 <= from)
        } else {
            0
        }
    }

    /// Splits a `Ready` stretch of `task` where another task's blocking work held the thread.
    fn split_ready(&self, seg_from: f64, seg_to: f64, task: TaskId, mut out: impl FnMut(Segment)) {
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
    fn pieces(&self, seg: Segment, task: TaskId, out: &mut Vec<Segment>) {
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
            Step::Close(to) => close(&mut open, to, &mut out),
            Step::Open(at, phase) => open = Some((at, kind_of(phase, e))),
            Step::Blocking(from, to) => out.push(Segment {
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
    starts: Vec<u32>,
    /// Positions among the trace's kept events, grouped by task, in order.
    events: Vec<u32>,
    blocks: Blocks,
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

/// The median and largest of a growing list of non-negative numbers.
#[derive(Clone, Debug, Default)]
struct Median {
    /// The smaller half (as bits: for non-negative floats their order is the numbers' order).
    low: BinaryHeap<u64>,
    /// The larger half; its least is the median.
    high: BinaryHeap<Reverse<u64>>,
    max: f64,
}

impl Median {
    fn push(&mut self, x: f64) {
        let x = if x > 0.0 { x } else { 0.0 };
        self.max = self.max.max(x);
        let k = x.to_bits();
        if self.high.peek().is_some_and(|Reverse(m)| k >= *m) {
            self.high.push(Reverse(k));
        } else {
            self.low.push(k);
        }
        let want = (self.low.len() + self.high.len()) / 2;
        while self.low.len() > want {
            if let Some(v) = self.low.pop() {
                self.high.push(Reverse(v));
            }
        }
        while self.low.len() < want {
            if let Some(Reverse(v)) = self.high.pop() {
                self.low.push(v);
            }
        }
    }

    /// The element at index `len / 2` of the sorted list (0 when empty).
    fn median(&self) -> f64 {
        self.high
            .peek()
            .map(|Reverse(v)| f64::from_bits(*v))
            .unwrap_or(0.0)
    }

    fn len(&self) -> usize {
        self.low.len() + self.high.len()
    }
}

/// Adds `(a, b)` to sorted, merged spans, merging any that touch. With a `width` (the least
/// width a span is drawn at), spans that overlap as drawn merge too, into one that ends where
/// the last of them is drawn to: so there are at most one per `width` of the axis, and together
/// they cover what each would.
fn merge_into(spans: &mut Vec<(f64, f64)>, a: f64, b: f64, width: f64) {
    let join = |last: &mut (f64, f64), a: f64, b: f64| -> bool {
        let drawn = last.1.max(last.0 + width);
        if a > drawn.max(last.1) {
            return false;
        }
        last.1 = if width > 0.0 {
            drawn.max(b).max(a + width)
        } else {
            last.1.max(b)
        };
        true
    };
    match spans.last_mut() {
        None => spans.push((a, b)),
        Some(last) if a >= last.0 => {
            if !join(last, a, b) {
                spans.push((a, b));
            }
        }
        Some(_) => {
            // Out of order (not on one thread): insert, then merge everything again.
            let i = spans.partition_point(|s| s.0 <= a);
            spans.insert(i, (a, b));
            let all = std::mem::take(spans);
            for (a, b) in all {
                let joined = spans.last_mut().is_some_and(|last| join(last, a, b));
                if !joined {
                    spans.push((a, b));
                }
            }
        }
    }
}

/// Busy spans kept exactly, merged only where they touch, up to this many; past it, spans that
/// overlap as drawn are merged too (a long run's loop lane would otherwise hold a bar per poll).
const BUSY_EXACT: usize = 600;

/// When the main thread was busy, merged as it grows.
#[derive(Clone, Debug, Default)]
struct Busy {
    /// Merged spans.
    spans: Vec<(f64, f64)>,
    /// Past [`BUSY_EXACT`] spans, those closer than this are merged too.
    gap: f64,
    /// Whether that has happened.
    coarse: bool,
    /// The exact length of the union of every span added (in order of their starts).
    total: f64,
    last_to: f64,
}

impl Busy {
    fn add(&mut self, a: f64, b: f64) {
        if a >= self.last_to {
            self.total += b - a;
            self.last_to = b;
        } else if b > self.last_to {
            self.total += b - self.last_to;
            self.last_to = b;
        }
        let gap = self.gap();
        merge_into(&mut self.spans, a, b, gap);
        if !self.coarse && self.gap > 0.0 && self.spans.len() > BUSY_EXACT {
            self.coarse = true;
            self.remerge();
        }
    }

    /// The gap merged across now.
    fn gap(&self) -> f64 {
        if self.coarse {
            self.gap
        } else {
            0.0
        }
    }

    fn set_gap(&mut self, gap: f64) {
        if gap == self.gap {
            return;
        }
        self.gap = gap;
        if gap <= 0.0 {
            self.coarse = false;
        }
        if self.coarse || self.spans.len() > BUSY_EXACT {
            self.coarse = gap > 0.0;
            self.remerge();
        }
    }

    fn remerge(&mut self) {
        let gap = self.gap();
        let all = std::mem::take(&mut self.spans);
        for (a, b) in all {
            merge_into(&mut self.spans, a, b, gap);
        }
    }
}

/// The first tasks in tree order (depth-first, children in creation order): the lanes drawn.
#[derive(Clone, Debug, Default)]
struct Prefix {
    max: usize,
    /// The tasks drawn, in tree order, with their depths.
    order: Vec<(TaskId, usize)>,
    /// For each of them, the position just past its subtree within `order`.
    ends: Vec<usize>,
    /// The task last looked for, and where it was.
    last: std::cell::Cell<Option<(u32, usize)>>,
    /// Every task placed, drawn or not.
    total: usize,
}

impl Prefix {
    /// Places a new task (tasks come in creation order); returns whether it is drawn and which
    /// task, if any, it pushed past the limit. `drawn` says which tasks are drawn now (it spares
    /// looking for a parent that is not).
    fn insert(
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

    fn reindex(&mut self) {
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
    fn index_of(&self, task: TaskId) -> Option<usize> {
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

/// The live tasks paused at one step: how many, and their ids, smallest first. Ids are not
/// taken out when a task moves on or ends (a program has a handful of steps and a run up to a
/// million tasks): they are skipped when read, and dropped then.
#[derive(Clone, Debug)]
struct StepTasks {
    step: u32,
    count: usize,
    /// Task ids as `u64`: the same heap type as [`Median`]'s, so its code is in the module once.
    ids: BinaryHeap<Reverse<u64>>,
}

impl StepTasks {
    /// The first `n` ids for which `live` holds, smallest first; the others met on the way are
    /// dropped.
    fn first(&mut self, n: usize, live: impl Fn(u64) -> bool) -> Vec<TaskId> {
        if self.ids.len() > 2 * self.count + 64 {
            let mut all = std::mem::take(&mut self.ids).into_vec();
            all.retain(|&Reverse(id)| live(id));
            self.ids = BinaryHeap::from(all);
        }
        let mut out: Vec<u64> = Vec::with_capacity(n);
        while out.len() < n {
            let Some(Reverse(id)) = self.ids.pop() else {
                break;
            };
            if live(id) && out.last() != Some(&id) {
                out.push(id);
            }
        }
        for &id in &out {
            self.ids.push(Reverse(id));
        }
        out.into_iter().map(|id| TaskId(id as u32)).collect()
    }
}

/// The lane of one task kept one by one.
#[derive(Clone, Debug)]
struct LaneState {
    /// The kind of the stretch in progress (its start is in the task's state).
    kind: SegmentKind,
    /// Its closed stretches, merged down to the fold's detail.
    dec: Decimator,
    /// When it printed, and what (at most one mark per detail step).
    prints: Vec<(f64, Rc<str>)>,
    /// How it ended.
    end: Option<(f64, End)>,
    /// Its depth in the tree of who created whom.
    depth: usize,
    /// Set whenever what is drawn of it may have changed.
    changed: bool,
    /// Words for the first closed stretches (filled in as the lane is drawn).
    labels: Vec<String>,
    shorts: Vec<String>,
    /// Its ideal schedule, merged down to the detail.
    ideal: Option<Vec<Segment>>,
    /// The lane as last laid out, with the stretches since its last closed one.
    built: Option<(Rc<Lane>, Vec<Segment>)>,
}

impl LaneState {
    fn new(depth: usize, res: f64) -> LaneState {
        LaneState {
            kind: SegmentKind::Ready,
            dec: Decimator::new(res),
            prints: Vec::new(),
            end: None,
            depth,
            changed: true,
            labels: Vec::new(),
            shorts: Vec::new(),
            ideal: None,
            built: None,
        }
    }

    fn print(&mut self, at: f64, text: &Rc<str>) {
        let res = self.dec.res();
        let keep = match self.prints.last() {
            None => true,
            Some((last, _)) => res.is_nan() || res <= 0.0 || at - last >= res,
        };
        if keep {
            self.prints.push((at, text.clone()));
            self.changed = true;
        }
    }

    fn rescale(&mut self, res: f64) {
        self.dec.rescale(res);
        let all = std::mem::take(&mut self.prints);
        for (at, text) in all {
            self.print(at, &text);
        }
        self.labels.clear();
        self.shorts.clear();
        self.ideal = None;
        self.changed = true;
    }
}

/// The lanes kept, by task id: slots reused as lanes come and go, and each task's slot found
/// through a vector indexed by its id (ids are dense; a hash map's code would cost more of the
/// shipped module than this saves anywhere).
#[derive(Clone, Debug, Default)]
struct Lanes {
    /// Per task id, its slot plus one (0: none).
    slot_of: Vec<u32>,
    slots: Vec<Option<LaneState>>,
    free: Vec<u32>,
}

impl Lanes {
    fn slot(&self, task: u32) -> Option<usize> {
        match self.slot_of.get(task as usize) {
            Some(&s) if s > 0 => Some(s as usize - 1),
            _ => None,
        }
    }

    fn get(&self, task: u32) -> Option<&LaneState> {
        self.slots.get(self.slot(task)?)?.as_ref()
    }

    fn get_mut(&mut self, task: u32) -> Option<&mut LaneState> {
        let s = self.slot(task)?;
        self.slots.get_mut(s)?.as_mut()
    }

    fn insert(&mut self, task: u32, lane: LaneState) {
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

    fn remove(&mut self, task: u32) -> Option<LaneState> {
        let s = self.slot(task)?;
        self.slot_of[task as usize] = 0;
        self.free.push(s as u32);
        self.slots[s].take()
    }

    fn values_mut(&mut self) -> impl Iterator<Item = &mut LaneState> {
        self.slots.iter_mut().flatten()
    }
}

/// The incremental fold of one run's trace. See the module documentation.
#[derive(Clone, Debug)]
pub struct Fold {
    /// Absolute position (counting dropped events) of the next event to read.
    next: u64,
    /// Events dropped before the fold could read them.
    missed: u64,
    tasks: Vec<TaskState>,
    /// Every lane kept, unmerged (see [`Fold::full`]); otherwise only the drawn ones.
    keep_all: bool,
    prefix: Prefix,
    lanes: Lanes,
    /// Figures for the first `rows` tasks; busy and waiting count closed stretches only.
    stats: Vec<TaskStats>,
    rows: usize,
    blocks: Blocks,
    /// The largest lateness each block caused to a timer due during it.
    caused: Vec<f64>,
    busy: Busy,
    /// Tasks being polled (their open stretch counts as busy): one at a time, on one thread.
    running: Vec<u32>,
    polls: u64,
    waits: f64,
    blocking: f64,
    late: Median,
    lines: VecDeque<Line>,
    max_lines: usize,
    lines_total: u64,
    warnings: Vec<String>,
    warnings_total: u64,
    /// The live tasks paused at each step.
    at_step: Vec<StepTasks>,
    /// When each task that ended did, in order.
    ends: Vec<f64>,
    ends_ordered: bool,
    spawns_ordered: bool,
    last_spawn: f64,
    /// The detail lanes are merged to (0: keep every stretch).
    res: f64,
    /// The timeline's axis, as last laid out.
    span: f64,
    /// The hidden-tab stretches the lanes' words were written with.
    throttled: Vec<(f64, f64)>,
}

/// Figures for a task, at `now`, from what the fold keeps.
fn stats_at(s: &TaskStats, st: &TaskState, now: f64) -> TaskStats {
    let mut s = s.clone();
    if now > st.from {
        match st.phase {
            Phase::Running => s.busy += now - st.from,
            Phase::Waiting => s.waiting += now - st.from,
            _ => {}
        }
    }
    s
}

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

impl Fold {
    fn with(keep_all: bool, max_lanes: usize, rows: usize, max_lines: usize) -> Fold {
        Fold {
            next: 0,
            missed: 0,
            tasks: Vec::new(),
            keep_all,
            prefix: Prefix {
                max: max_lanes,
                ..Prefix::default()
            },
            lanes: Lanes::default(),
            stats: Vec::new(),
            rows,
            blocks: Blocks::new(),
            caused: Vec::new(),
            busy: Busy::default(),
            running: Vec::new(),
            polls: 0,
            waits: 0.0,
            blocking: 0.0,
            late: Median::default(),
            lines: VecDeque::new(),
            max_lines,
            lines_total: 0,
            warnings: Vec::new(),
            warnings_total: 0,
            at_step: Vec::new(),
            ends: Vec::new(),
            ends_ordered: true,
            spawns_ordered: true,
            last_spawn: f64::NEG_INFINITY,
            res: 0.0,
            span: 0.0,
            throttled: Vec::new(),
        }
    }

    /// A fold that keeps every task's lane, unmerged, figures for every task and every line.
    pub fn full() -> Fold {
        Fold::with(true, usize::MAX, usize::MAX, usize::MAX)
    }

    /// A fold for a live view: lanes for the first `max_lanes` tasks in tree order, figures for
    /// the first `rows` task ids, the newest `max_lines` printed lines.
    pub fn live(max_lanes: usize, rows: usize, max_lines: usize) -> Fold {
        Fold::with(false, max_lanes, rows, max_lines)
    }

    /// Merges lanes kept from now on to stretches of at least `res` seconds (see
    /// [`super::timeline::decimate`]), and, once there are many, busy spans that overlap when
    /// drawn at least `busy_gap` wide; what is already kept is merged again.
    pub fn set_detail(&mut self, res: f64, busy_gap: f64) {
        self.busy.set_gap(busy_gap);
        if res == self.res {
            return;
        }
        self.res = res;
        for lane in self.lanes.values_mut() {
            lane.rescale(res);
        }
    }

    /// Reads everything recorded since the last call.
    pub fn update(&mut self, trace: &Trace) {
        self.update_within(trace, usize::MAX);
    }

    /// Reads at most `max` new tasks and `max` new events (no event of a task not read yet);
    /// true when it has caught up.
    pub fn update_within(&mut self, trace: &Trace, max: usize) -> bool {
        let known = self.tasks.len();
        for (i, t) in trace.tasks.iter().enumerate().skip(known).take(max) {
            self.add_task(TaskId(i as u32), t.parent, t.spawned);
        }
        let all_tasks = self.tasks.len() == trace.tasks.len();
        let first = trace.dropped.events;
        if self.next < first {
            // Dropped before we read them: their lines are counted by the trace.
            self.missed += first - self.next;
            self.lines_total = trace.dropped.lines;
            self.next = first;
        }
        let skip = (self.next - first) as usize;
        let mut read = 0usize;
        let mut done = true;
        for e in trace.events.iter_from(skip) {
            let waits = !all_tasks && e.task.0 as usize >= self.tasks.len();
            if read == max || waits {
                done = false;
                break;
            }
            self.event(trace, e);
            read += 1;
        }
        self.next += read as u64;
        done && all_tasks
    }

    fn add_task(&mut self, id: TaskId, parent: Option<TaskId>, spawned: f64) {
        // The density band bisects spawn times in id order: they must not go back.
        if spawned < self.last_spawn {
            self.spawns_ordered = false;
        }
        self.last_spawn = spawned;
        let i = self.tasks.len();
        let kept = if self.keep_all {
            self.lanes.insert(id.0, LaneState::new(0, self.res));
            true
        } else {
            let tasks = &self.tasks;
            let (drawn, evicted) = self.prefix.insert(id, parent, |p| {
                tasks.get(p.0 as usize).is_some_and(|st| st.kept)
            });
            if let Some(gone) = evicted {
                self.lanes.remove(gone.0);
                if let Some(st) = self.tasks.get_mut(gone.0 as usize) {
                    st.kept = false;
                }
            }
            if drawn {
                let depth = self
                    .prefix
                    .index_of(id)
                    .and_then(|k| self.prefix.order.get(k))
                    .map(|(_, d)| *d)
                    .unwrap_or(0);
                self.lanes.insert(id.0, LaneState::new(depth, self.res));
            }
            drawn
        };
        self.tasks.push(TaskState {
            from: spawned,
            phase: Phase::Ready,
            ended: false,
            kept,
            step: NO_STEP,
        });
        if i < self.rows {
            self.stats.push(TaskStats::new(id));
        }
    }

    /// Closes `t`'s stretch in progress at `to`.
    fn close(&mut self, t: usize, to: f64) {
        let Some(st) = self.tasks.get_mut(t) else {
            return;
        };
        let phase = std::mem::replace(&mut st.phase, Phase::Gone);
        let from = st.from;
        if phase == Phase::Running {
            self.running.retain(|&r| r != t as u32);
        }
        if phase == Phase::Gone || to <= from {
            return;
        }
        if let Some(s) = self.stats.get_mut(t) {
            match phase {
                Phase::Running => s.busy += to - from,
                Phase::Waiting => s.waiting += to - from,
                _ => {}
            }
        }
        if phase == Phase::Running {
            self.busy.add(from, to);
        }
        if st.kept {
            if let Some(lane) = self.lanes.get_mut(t as u32) {
                let kind = std::mem::replace(&mut lane.kind, SegmentKind::Ready);
                let seg = Segment { from, to, kind };
                if seg.kind == SegmentKind::Ready {
                    let dec = &mut lane.dec;
                    self.blocks
                        .split_ready(from, to, TaskId(t as u32), |s| dec.push(s));
                } else {
                    lane.dec.push(seg);
                }
                lane.changed = true;
            }
        }
    }

    fn open(&mut self, t: usize, at: f64, phase: Phase, e: &Event) {
        let Some(st) = self.tasks.get_mut(t) else {
            return;
        };
        st.from = at;
        st.phase = phase;
        if phase == Phase::Running && !self.running.contains(&(t as u32)) {
            self.running.push(t as u32);
        }
        if st.kept {
            if let Some(lane) = self.lanes.get_mut(t as u32) {
                lane.kind = kind_of(phase, e);
                lane.changed = true;
            }
        }
    }

    fn event(&mut self, trace: &Trace, e: &Event) {
        let t = e.task.0 as usize;
        let known = t < self.tasks.len();
        // A poll that paused or ended at the instant it began has no start of its own.
        if known && e.kind.ends_poll() && self.tasks[t].phase != Phase::Running {
            let start = Event {
                at: e.at,
                task: e.task,
                kind: EventKind::PollStart,
            };
            self.event(trace, &start);
        }
        if known {
            let phase = self.tasks[t].phase;
            let mut todo: [Option<Step>; 5] = [None, None, None, None, None];
            let mut n = 0;
            steps(phase, e, |s| {
                todo[n] = Some(s);
                n += 1;
            });
            for s in todo.into_iter().flatten() {
                match s {
                    Step::Close(to) => self.close(t, to),
                    Step::Open(at, phase) => self.open(t, at, phase, e),
                    Step::Blocking(from, to) => {
                        if let Some(s) = self.stats.get_mut(t) {
                            s.busy += to - from;
                        }
                        self.busy.add(from, to);
                        if self.tasks[t].kept {
                            if let Some(lane) = self.lanes.get_mut(t as u32) {
                                lane.dec.push(Segment {
                                    from,
                                    to,
                                    kind: SegmentKind::Blocking,
                                });
                                lane.changed = true;
                            }
                        }
                    }
                }
            }
        }
        match &e.kind {
            EventKind::PollStart => {
                if let Some(s) = self.stats.get_mut(t) {
                    s.polls += 1;
                    s.started.get_or_insert(e.at);
                }
                if known {
                    self.polls += 1;
                }
            }
            EventKind::Paused { on, step, .. } => {
                if let WaitOn::Sleep { secs, .. } = on {
                    self.waits += secs;
                }
                if let Some(st) = self.tasks.get_mut(t) {
                    let (was, live) = (st.step, !st.ended);
                    st.step = step.0;
                    if live && was != step.0 {
                        self.step_tasks(was, |s| s.count -= 1);
                        self.step_tasks(step.0, |s| {
                            s.count += 1;
                            s.ids.push(Reverse(t as u64));
                        });
                    }
                }
            }
            EventKind::TimerFired { due } => {
                self.late.push(e.at - due);
                if let Some(s) = self.stats.get_mut(t) {
                    s.max_lateness = s.max_lateness.max(e.at - due);
                }
                let b = &self.blocks.spans;
                let i = if self.blocks.ordered {
                    b.partition_point(|h| h.1 <= *due)
                } else {
                    0
                };
                if let Some(k) = (i..b.len()).find(|&k| b[k].0 <= *due && *due < b[k].1) {
                    self.caused[k] = self.caused[k].max(e.at - due);
                }
            }
            EventKind::Blocked { until, spins } => {
                self.blocks.push(e.at, *until, e.task);
                self.caused.push(0.0);
                self.blocking += until - e.at;
                if let Some(s) = self.stats.get_mut(t) {
                    s.spins += spins;
                }
            }
            EventKind::Finished { .. } | EventKind::Cancelled | EventKind::Failed(_) => {
                if let Some(s) = self.stats.get_mut(t) {
                    s.ended = Some(e.at);
                    s.outcome = match &e.kind {
                        EventKind::Finished { value } => Outcome::Finished(value.clone()),
                        EventKind::Failed(m) => Outcome::Failed(m.clone()),
                        _ => Outcome::Cancelled,
                    };
                }
                let first_end = self.tasks.get_mut(t).and_then(|st| {
                    let first = !st.ended;
                    st.ended = true;
                    first.then_some(st.step)
                });
                if let Some(step) = first_end {
                    self.step_tasks(step, |s| s.count -= 1);
                    if self.ends.last().is_some_and(|&last| e.at < last) {
                        self.ends_ordered = false;
                    }
                    self.ends.push(e.at);
                }
                if let Some(st) = self.tasks.get(t) {
                    if st.kept {
                        if let Some(lane) = self.lanes.get_mut(t as u32) {
                            lane.end = Some((
                                e.at,
                                match &e.kind {
                                    EventKind::Finished { value } => End::Finished(value.clone()),
                                    EventKind::Failed(m) => End::Failed(m.clone()),
                                    _ => End::Cancelled,
                                },
                            ));
                            lane.changed = true;
                        }
                    }
                }
                if let EventKind::Failed(m) = &e.kind {
                    self.warn(format!("{}: {m}", trace.name(e.task)));
                }
            }
            EventKind::Printed(text) => {
                self.lines_total += 1;
                if self.max_lines > 0 {
                    if self.lines.len() == self.max_lines {
                        self.lines.pop_front();
                    }
                    self.lines.push_back(Line {
                        at: e.at,
                        task: e.task,
                        text: text.clone(),
                    });
                }
                if known && self.tasks[t].kept {
                    if let Some(lane) = self.lanes.get_mut(t as u32) {
                        lane.print(e.at, text);
                    }
                }
            }
            EventKind::NeverAwaited(what) => self.warn(format!(
                "{}: coroutine {what} was created but never awaited, so it never ran",
                trace.name(e.task)
            )),
            EventKind::Woken => {}
        }
    }

    /// Calls `f` with the tasks paused at `step` (made on first use).
    fn step_tasks(&mut self, step: u32, f: impl FnOnce(&mut StepTasks)) {
        if step == NO_STEP {
            return;
        }
        let i = match self.at_step.iter().position(|s| s.step == step) {
            Some(i) => i,
            None => {
                self.at_step.push(StepTasks {
                    step,
                    count: 0,
                    ids: BinaryHeap::new(),
                });
                self.at_step.len() - 1
            }
        };
        if let Some(s) = self.at_step.get_mut(i) {
            f(s);
        }
    }

    fn warn(&mut self, w: String) {
        self.warnings_total += 1;
        if self.warnings.len() < self.max_lines {
            self.warnings.push(w);
        }
    }

    /// Events dropped by the trace before the fold could read them.
    pub fn missed(&self) -> u64 {
        self.missed
    }

    /// How many tasks the fold has seen.
    pub fn task_count(&self) -> usize {
        self.tasks.len()
    }

    /// Every task's lane up to `now`, indexed by task id (empty for lanes not kept): with
    /// [`Fold::full`], what [`Trace::lanes`] gives.
    pub fn lanes(&self, now: f64) -> Vec<Vec<Segment>> {
        (0..self.tasks.len())
            .map(|t| {
                let Some(lane) = self.lanes.get(t as u32) else {
                    return Vec::new();
                };
                let mut out = lane.dec.committed().to_vec();
                out.extend(lane.dec.tail(self.open_pieces(t, lane, now)));
                out
            })
            .collect()
    }

    /// The stretch in progress of kept task `t`, closed at `now`, as drawn.
    fn open_pieces(&self, t: usize, lane: &LaneState, now: f64) -> Vec<Segment> {
        let mut out = Vec::new();
        if let Some(st) = self.tasks.get(t) {
            if st.phase != Phase::Gone && now > st.from {
                let seg = Segment {
                    from: st.from,
                    to: now,
                    kind: lane.kind.clone(),
                };
                self.blocks.pieces(seg, TaskId(t as u32), &mut out);
            }
        }
        out
    }

    /// Figures for the first tasks (as many as the fold keeps rows for), up to `now`.
    pub fn stats(&self, now: f64) -> Vec<TaskStats> {
        self.stats
            .iter()
            .zip(&self.tasks)
            .map(|(s, st)| stats_at(s, st, now))
            .collect()
    }

    /// Figures for task `t`, if the fold keeps a row for it.
    pub fn stats_of(&self, t: TaskId, now: f64) -> Option<TaskStats> {
        let i = t.0 as usize;
        Some(stats_at(self.stats.get(i)?, self.tasks.get(i)?, now))
    }

    /// The run's headline figures at `now`, next to an ideal run of `ideal` seconds.
    pub fn figures(&self, ideal: f64, now: f64) -> Figures {
        Figures {
            elapsed: now,
            ideal,
            waits: self.waits,
            blocking: self.blocking,
            tasks: self.tasks.len(),
            polls: self.polls,
            lateness_p50: self.late.median(),
            lateness_max: self.late.max,
            timers: self.late.len(),
        }
    }

    /// The newest printed lines (at most as many as the fold keeps), oldest first.
    pub fn lines(&self) -> &VecDeque<Line> {
        &self.lines
    }

    /// Every line printed, including those no longer kept (by the fold or the trace).
    pub fn lines_total(&self) -> u64 {
        self.lines_total
    }

    /// The warnings (the first ones, as many as lines are kept) and how many there were.
    pub fn warnings(&self) -> (&[String], u64) {
        (&self.warnings, self.warnings_total)
    }

    /// For each line of `listing` with live tasks paused on it: the line, the first three of
    /// those tasks by id, and how many there are.
    pub fn marks(&mut self, listing: &Listing) -> Vec<(usize, Vec<TaskId>, usize)> {
        let mut by_line: Vec<(usize, Vec<TaskId>, usize)> = Vec::new();
        let tasks = &self.tasks;
        for s in &mut self.at_step {
            if s.count == 0 {
                continue;
            }
            let Some(line) = listing.line_of(StepId(s.step)) else {
                continue;
            };
            let step = s.step;
            let first = s.first(3, |id| {
                tasks
                    .get(id as usize)
                    .is_some_and(|st| st.step == step && !st.ended)
            });
            match by_line.iter_mut().find(|(l, _, _)| *l == line) {
                Some((_, ids, n)) => {
                    for id in first {
                        let at = ids.iter().position(|x| *x > id).unwrap_or(ids.len());
                        ids.insert(at, id);
                    }
                    ids.truncate(3);
                    *n += s.count;
                }
                None => {
                    let at = by_line
                        .iter()
                        .position(|(l, _, _)| *l > line)
                        .unwrap_or(by_line.len());
                    by_line.insert(at, (line, first, s.count));
                }
            }
        }
        by_line
    }

    /// The timeline at `now`: lanes kept (in tree order) merged to the detail, the density band
    /// of the rest, the event-loop lane, the axis (see [`Axis`]).
    pub fn timeline(
        &mut self,
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
        self.set_detail(res, if steady { span / 400.0 } else { 0.0 });
        if throttled != self.throttled {
            self.throttled = throttled;
            for lane in self.lanes.values_mut() {
                lane.labels.clear();
                lane.shorts.clear();
                lane.changed = true;
            }
        }

        let order = self.prefix.order.clone();
        let mut drawn = Vec::with_capacity(order.len());
        for (task, _) in &order {
            let t = task.0 as usize;
            let Some(mut lane) = self.lanes.remove(task.0) else {
                continue;
            };
            let tail = lane.dec.tail(self.open_pieces(t, &lane, now));
            let live = self
                .tasks
                .get(t)
                .is_some_and(|st| st.phase != Phase::Gone && now > st.from);
            let reuse = match &lane.built {
                Some((built, key)) if !lane.changed && same_tail(key, &tail, live) => {
                    Some(built.clone())
                }
                _ => None,
            };
            let built = match reuse {
                Some(b) => b,
                None => {
                    let b = Rc::new(self.build_lane(trace, ideal, *task, &mut lane, &tail, live));
                    lane.built = Some((b.clone(), tail));
                    lane.changed = false;
                    b
                }
            };
            drawn.push(built);
            self.lanes.insert(task.0, lane);
        }

        let hidden = self.prefix.total - self.prefix.order.len();
        let density = if hidden > 0 {
            self.density(trace, span, now)
        } else {
            Vec::new()
        };
        let mut busy = self.busy.spans.clone();
        let mut busy_total = self.busy.total;
        for &t in &self.running {
            if let Some(st) = self.tasks.get(t as usize) {
                if now > st.from {
                    merge_into(&mut busy, st.from, now, self.busy.gap());
                    busy_total += now - st.from.max(self.busy.last_to);
                }
            }
        }
        let holds = self
            .blocks
            .spans
            .iter()
            .zip(&self.caused)
            .map(|(&(from, to, task), &caused)| Hold {
                from,
                to,
                task,
                caused_lateness: caused,
            })
            .collect();
        Timeline {
            lanes: drawn,
            hidden,
            density,
            busy,
            busy_total,
            holds,
            span,
            ticks: ticks(span),
            now,
            throttled: self.throttled.clone(),
            divergence: None,
        }
    }

    fn build_lane(
        &self,
        trace: &Trace,
        ideal: &Ideal,
        task: TaskId,
        lane: &mut LaneState,
        tail: &[Segment],
        live: bool,
    ) -> Lane {
        let committed = lane.dec.committed();
        while lane.labels.len() < committed.len() {
            let seg = &committed[lane.labels.len()];
            lane.labels.push(label(trace, seg, &self.throttled));
            lane.shorts.push(trace.short(&seg.kind));
        }
        let mut segments = committed.to_vec();
        let mut labels = lane.labels.clone();
        let mut shorts = lane.shorts.clone();
        let (closed, open) = match (live, tail.split_last()) {
            (true, Some((last, rest))) => (rest, Some(last)),
            _ => (tail, None),
        };
        for seg in closed {
            labels.push(label(trace, seg, &self.throttled));
            shorts.push(trace.short(&seg.kind));
            segments.push(seg.clone());
        }
        let ideal_lane = lane
            .ideal
            .get_or_insert_with(|| super::timeline::decimate(ideal.lane(task), self.res))
            .clone();
        Lane {
            task,
            name: trace
                .tasks
                .get(task.0 as usize)
                .map(|t| t.name.clone())
                .unwrap_or_else(|| Rc::from("?")),
            depth: lane.depth,
            segments,
            labels,
            shorts,
            open: open.map(|s| Open {
                from: s.from,
                kind: s.kind.clone(),
                label: label(trace, s, &self.throttled),
                short: trace.short(&s.kind),
            }),
            ideal: ideal_lane,
            prints: lane.prints.clone(),
            end: lane.end.clone(),
        }
    }

    /// How many tasks not drawn one by one were alive in each slice of the axis.
    fn density(&self, trace: &Trace, span: f64, now: f64) -> Vec<u32> {
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

impl TaskStats {
    /// Figures for a task that has not done anything yet.
    pub fn new(task: TaskId) -> TaskStats {
        TaskStats {
            task,
            polls: 0,
            busy: 0.0,
            waiting: 0.0,
            started: None,
            ended: None,
            max_lateness: 0.0,
            spins: 0,
            outcome: Outcome::Live,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::rng::Rng;
    use crate::engine::scenarios::{find, CATALOG};
    use crate::engine::timeline::{decimate, layout, tree_order};
    use crate::engine::trace::TaskInfo;

    /// The lanes as the trace folded them before the fold existed, kept as the reference.
    fn reference_lanes(trace: &Trace, now: f64) -> Vec<Vec<Segment>> {
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
                EventKind::Printed(_) | EventKind::NeverAwaited(_) => {}
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

    fn reference_split(
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

    fn reference_stats(trace: &Trace, lanes: &[Vec<Segment>]) -> Vec<TaskStats> {
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
    fn reference_layout(
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
                .filter(|e| e.task == *task && matches!(e.kind, EventKind::Printed(_)))
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
    fn traces() -> Vec<(String, Trace)> {
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
            out.push((s.id.to_string(), s.simulate(&v).0));
        }
        for (id, params) in extra {
            let s = find(id).unwrap();
            let (v, e) = s.parse(|n| params.iter().find(|(k, _)| *k == n).map(|(_, v)| *v));
            assert!(e.is_empty(), "{id}: {e:?}");
            out.push((format!("{id} {params:?}"), s.simulate(&v).0));
        }
        out
    }

    /// Moments to look at a trace: its start, middle, end and a little past it.
    fn moments(t: &Trace) -> Vec<f64> {
        let end = t.elapsed();
        vec![0.0, end * 0.3, end * 0.5, end, end + 0.5]
    }

    /// The trace as it was after `k` events: the tasks created by then, and those events.
    fn prefix_of(t: &Trace, k: usize) -> Trace {
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

    #[test]
    fn the_full_fold_gives_the_reference_lanes_and_figures() {
        for (name, t) in traces() {
            for now in moments(&t) {
                let want = reference_lanes(&t, now);
                assert_eq!(t.lanes(now), want, "{name} at {now}");
                assert_eq!(
                    t.all_stats(now),
                    reference_stats(&t, &want),
                    "{name} at {now}"
                );
            }
        }
    }

    #[test]
    fn folding_in_pieces_gives_what_folding_at_once_gives() {
        let mut rng = Rng::new(7);
        for (name, t) in traces() {
            let n = t.events.len();
            let mut fold = Fold::full();
            let mut k = 0;
            while k < n {
                k = (k + 1 + rng.below(n as u64 / 5 + 1) as usize).min(n);
                fold.update(&prefix_of(&t, k));
            }
            fold.update(&t);
            let now = t.elapsed();
            assert_eq!(fold.lanes(now), t.lanes(now), "{name}");
            assert_eq!(fold.stats(now), t.all_stats(now), "{name}");
        }
    }

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
            let mut k = 0;
            let mut shown = Vec::new();
            while k < n {
                k = (k + 1 + rng.below(n as u64 / 4 + 1) as usize).min(n);
                let part = prefix_of(&t, k);
                fold.update(&part);
                let now = part.elapsed();
                shown.push(fold.timeline(&part, &ideal, now, Vec::new(), Axis::Steady));
            }
            // Exact again at the end, however it was merged on the way.
            let span = (end.max(ideal.end) * 1.04).max(0.1);
            fold.set_detail(span / LANE_DETAIL, 0.0);
            let got = fold.timeline(&t, &ideal, end, Vec::new(), Axis::Exact);
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
                fold.figures(ideal.end, end),
                crate::engine::report::figures(&t, &t, &t.all_stats(end), end),
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
        let t = s.simulate(&v).0;
        let ideal = Ideal::of(Some(Rc::new(t.clone())));
        // Every sleeper has started its sleep by 0.001 s.
        let k = t.events.iter().take_while(|e| e.at <= 0.001).count();
        let part = prefix_of(&t, k);
        let mut fold = Fold::live(200, 0, 0);
        fold.update(&part);
        let a = fold.timeline(&part, &ideal, 1.0, Vec::new(), Axis::Steady);
        let b = fold.timeline(&part, &ideal, 2.0, Vec::new(), Axis::Held);
        assert_eq!(a.span, b.span, "the ideal run's end sets the axis");
        assert_eq!(a.lanes.len(), 200);
        assert!(a.lanes.iter().zip(&b.lanes).all(|(x, y)| Rc::ptr_eq(x, y)));
        let open = b.lanes[1].open.as_ref().map(|o| o.kind.name());
        assert_eq!(open, Some("waiting"));
        assert_eq!(b.hidden, 301);
        assert_eq!(b.density[0], 301);
    }

    #[test]
    fn code_marks_are_the_lines_current_lines_gives() {
        use crate::engine::listing::{render, Style};
        use crate::engine::report::current_lines;
        for (name, t) in traces() {
            let id = name.split(' ').next().unwrap_or("");
            let s = find(id).unwrap();
            let program = (s.build)(&s.defaults());
            if name.contains('[') {
                continue;
            }
            let listing = render(&program, Style::Python);
            let n = t.events.len();
            for k in [n / 4, n / 2, n] {
                let part = prefix_of(&t, k);
                let mut fold = Fold::live(10, 0, 0);
                fold.update(&part);
                let want: Vec<(usize, Vec<TaskId>, usize)> = current_lines(&part, &listing)
                    .into_iter()
                    .map(|(l, ids)| (l, ids.iter().take(3).copied().collect(), ids.len()))
                    .collect();
                assert_eq!(fold.marks(&listing), want, "{name} after {k} events");
            }
        }
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

    #[test]
    fn busy_spans_merged_as_drawn_cover_what_each_would() {
        let w = 0.25;
        let mut rng = Rng::new(9);
        let mut spans = Vec::new();
        let mut all = Vec::new();
        let mut t = 0.0;
        for _ in 0..500 {
            t += rng.below(40) as f64 / 100.0;
            let len = rng.below(30) as f64 / 100.0;
            merge_into(&mut spans, t, t + len, w);
            all.push((t, t + len));
            t += len;
        }
        let drawn = |(a, b): (f64, f64)| (a, b.max(a + w));
        // The union of what each span would draw, merged where it overlaps.
        let mut want: Vec<(f64, f64)> = Vec::new();
        for s in all.into_iter().map(drawn) {
            match want.last_mut() {
                Some(last) if s.0 <= last.1 => last.1 = last.1.max(s.1),
                _ => want.push(s),
            }
        }
        let got: Vec<(f64, f64)> = spans.into_iter().map(drawn).collect();
        assert_eq!(got, want);
        for w2 in got.windows(2) {
            assert!(w2[1].0 > w2[0].1, "drawn spans do not overlap");
        }
    }

    #[test]
    fn the_median_is_the_sorted_middle() {
        let mut rng = Rng::new(3);
        let mut m = Median::default();
        let mut all = Vec::new();
        for i in 0..2000 {
            let x = rng.below(1000) as f64 / 7.0 - 10.0;
            m.push(x);
            all.push(x.max(0.0));
            if i % 97 == 0 {
                let mut sorted = all.clone();
                sorted.sort_by(f64::total_cmp);
                assert_eq!(m.median(), sorted[sorted.len() / 2]);
                assert_eq!(m.max, *sorted.last().unwrap());
                assert_eq!(m.len(), sorted.len());
            }
        }
    }

    #[test]
    fn the_drawn_tasks_are_the_first_in_tree_order() {
        let mut rng = Rng::new(5);
        for round in 0..200 {
            let n = 1 + rng.below(60) as usize;
            let max = 1 + rng.below(20) as usize;
            let mut t = Trace::default();
            let mut prefix = Prefix {
                max,
                ..Prefix::default()
            };
            for i in 0..n as u32 {
                let parent = match rng.below(4) {
                    0 => None,
                    _ if i == 0 => None,
                    _ => Some(TaskId(rng.below(i as u64) as u32)),
                };
                t.tasks.push(TaskInfo {
                    name: Rc::from("t"),
                    parent,
                    spawned: 0.0,
                });
                let shown: Vec<TaskId> = prefix.order.iter().map(|(t, _)| *t).collect();
                prefix.insert(TaskId(i), parent, |p| shown.contains(&p));
                let want: Vec<(TaskId, usize)> = tree_order(&t).into_iter().take(max).collect();
                assert_eq!(prefix.order, want, "round {round}, task {i}");
            }
        }
    }

    #[test]
    fn events_dropped_before_they_were_read_are_counted() {
        let s = find("coroutine-send").unwrap();
        let (v, _) = s.parse(|n| match n {
            "first_s" => Some("60"),
            "second_s" => Some("60"),
            "tick_s" => Some("0.05"),
            "waiting" => Some("non_blocking"),
            _ => None,
        });
        let mut t = s.simulate(&v).0;
        let mut fold = Fold::live(10, 10, 5);
        fold.update(&prefix_of(&t, 100));
        let total_lines = t.lines().len() as u64;
        t.compact(2000);
        assert!(t.dropped.events > 100);
        fold.update(&t);
        assert_eq!(fold.missed(), t.dropped.events - 100);
        assert_eq!(fold.lines_total(), total_lines);
        assert_eq!(fold.lines().len(), 5);
        assert_eq!(
            fold.lines().back().map(|l| l.text.clone()),
            t.lines().last().map(|l| l.text.clone())
        );
    }

    #[test]
    fn a_budget_reads_events_over_several_updates() {
        let s = find("many-tasks").unwrap();
        let (v, _) = s.parse(|n| (n == "tasks").then_some("1000"));
        let t = s.simulate(&v).0;
        let mut fold = Fold::live(20, 5, 5);
        let mut rounds = 0;
        while !fold.update_within(&t, 500) {
            assert!(fold.task_count() <= 500 * (rounds + 1));
            rounds += 1;
        }
        assert!(rounds >= 5, "{rounds}");
        assert_eq!(fold.task_count(), t.tasks.len());
        assert_eq!(
            fold.stats(t.elapsed()),
            t.all_stats(t.elapsed())[..5].to_vec()
        );
        let end = t.elapsed();
        assert_eq!(
            fold.figures(end, end),
            crate::engine::report::figures(&t, &t, &t.all_stats(end), end)
        );
    }
}
