//! The trace folded as it grows: each [`Fold::update`] reads only the tasks and events recorded
//! since the last one, so what a frame costs does not grow with the length of the run.
//!
//! The core here is a phase machine: each event moves its task from one stretch to the next
//! (ready, running, waiting, delayed), and every change feeds the parts that need it, each in a
//! file of its own: the figures per task and the lateness median (`stats`), the lanes of the
//! tasks drawn one by one and which tasks those are (`lanes`), the blocking work (`blocks`), the
//! busy spans of the event loop (`busy`) and which line each task is at (`marks`); the console
//! lines and the warnings are kept here.
//!
//! A fold keeps, for every task, only the stretch in progress and whether it ended (16 bytes);
//! full figures for the first rows of the task table; and lanes only for the tasks the timeline
//! draws one by one (the first in tree order), merged down to what a screen can show as they
//! grow. [`Fold::full`] keeps every lane, unmerged: the batch functions of [`Trace`] are built on
//! it, so the page, the exports and the tests all fold events the same way.
//!
//! A long run drops its oldest events ([`Trace::compact`]); the fold counts events by their
//! absolute position, so it never reads one twice, and counts the ones dropped before it could
//! read them.

mod blocks;
mod busy;
mod lanes;
mod marks;
mod stats;

#[cfg(test)]
pub(crate) mod reference;
#[cfg(test)]
mod tests;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

pub use blocks::{Hold, TaskIndex};
use busy::merge_into;
pub use lanes::{decimate, Decimator, LaneState, DENSITY_BUCKETS};

use blocks::Blocks;
use busy::Busy;
use lanes::{Lanes, Prefix};
use marks::StepTasks;
use stats::{stats_at, Median};

use crate::engine::record::trace::{
    Event, EventKind, Line, Outcome, Segment, SegmentKind, TaskId, TaskStats, Trace, WaitOn,
};

/// What a task is doing between two of its events, in a byte (the lanes kept one by one keep
/// the whole [`SegmentKind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
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
pub(crate) struct TaskState {
    /// When the stretch in progress began.
    pub(crate) from: f64,
    /// What it is.
    pub(crate) phase: Phase,
    /// Whether the task finished, was cancelled or failed.
    pub(crate) ended: bool,
    /// Whether its lane is kept (drawn one by one).
    pub(crate) kept: bool,
    /// The step of its latest pause, or [`NO_STEP`].
    pub(crate) step: u32,
}

/// One change to a task's stretch in progress.
pub(crate) enum Change {
    /// The stretch in progress ends here.
    Close(f64),
    /// A stretch of this phase begins here.
    Open(f64, Phase),
    /// Blocking work held the thread over this span.
    Blocking(f64, f64),
}

/// How one event changes its task's stretches, given the stretch in progress.
pub(crate) fn steps(phase: Phase, e: &Event, mut f: impl FnMut(Change)) {
    match &e.kind {
        EventKind::Woken => {
            // A wake ends a wait (or a delay) and starts the wait for a turn.
            if phase != Phase::Ready {
                f(Change::Close(e.at));
                f(Change::Open(e.at, Phase::Ready));
            }
        }
        EventKind::TimerFired { due } => {
            // A late timer: from its due time to now, other work held the thread.
            if e.at > *due {
                f(Change::Close(*due));
                f(Change::Open(*due, Phase::Delayed));
            }
            // Firing wakes the task: from here it waits for its turn.
            f(Change::Close(e.at));
            f(Change::Open(e.at, Phase::Ready));
        }
        EventKind::PollStart => {
            f(Change::Close(e.at));
            f(Change::Open(e.at, Phase::Running));
        }
        EventKind::Blocked { until, .. } => {
            f(Change::Close(e.at));
            f(Change::Blocking(e.at, *until));
            f(Change::Open(*until, Phase::Running));
        }
        EventKind::Paused { .. } => {
            f(Change::Close(e.at));
            f(Change::Open(e.at, Phase::Waiting));
        }
        EventKind::Finished { .. } | EventKind::Cancelled | EventKind::Failed(_) => {
            f(Change::Close(e.at))
        }
        EventKind::Printed { .. } | EventKind::NeverAwaited(_) => {}
    }
}

/// The full kind of a stretch of `phase` opened by `e`.
pub(crate) fn kind_of(phase: Phase, e: &Event) -> SegmentKind {
    match (phase, &e.kind) {
        (Phase::Waiting, EventKind::Paused { on, .. }) => SegmentKind::Waiting(on.clone()),
        (Phase::Running, _) => SegmentKind::Running,
        (Phase::Delayed, _) => SegmentKind::Delayed,
        _ => SegmentKind::Ready,
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
    /// [`decimate`]), and, once there are many, busy spans that overlap when
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
        self.read(trace, max, max)
    }

    /// Reads every task and the events kept up to `end` (an index into `trace.events`): the
    /// run as it stood after its `end`th event.
    pub fn update_to(&mut self, trace: &Trace, end: usize) {
        let read = self.next.saturating_sub(trace.dropped.events) as usize;
        self.read(trace, usize::MAX, end.saturating_sub(read));
    }

    fn read(&mut self, trace: &Trace, max_tasks: usize, max: usize) -> bool {
        let known = self.tasks.len();
        for (i, t) in trace.tasks.iter().enumerate().skip(known).take(max_tasks) {
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
                lane.touch();
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
                lane.touch();
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
            let mut todo: [Option<Change>; 5] = [None, None, None, None, None];
            let mut n = 0;
            steps(phase, e, |s| {
                todo[n] = Some(s);
                n += 1;
            });
            for s in todo.into_iter().flatten() {
                match s {
                    Change::Close(to) => self.close(t, to),
                    Change::Open(at, phase) => self.open(t, at, phase, e),
                    Change::Blocking(from, to) => {
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
                                lane.touch();
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
                                    EventKind::Finished { value } => {
                                        Outcome::Finished(value.clone())
                                    }
                                    EventKind::Failed(m) => Outcome::Failed(m.clone()),
                                    _ => Outcome::Cancelled,
                                },
                            ));
                            lane.touch();
                        }
                    }
                }
                if let EventKind::Failed(m) = &e.kind {
                    self.warn(format!("{}: {m}", trace.name(e.task)));
                }
            }
            EventKind::Printed { text, open, .. } => {
                self.lines_total += 1;
                if self.max_lines > 0 {
                    if self.lines.len() == self.max_lines {
                        self.lines.pop_front();
                    }
                    self.lines.push_back(Line {
                        at: e.at,
                        task: e.task,
                        text: text.clone(),
                        open: *open,
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

    /// The detail lanes are merged to now.
    pub fn detail(&self) -> f64 {
        self.res
    }

    /// The tasks drawn one by one, in tree order, with their depths.
    pub fn drawn(&self) -> &[(TaskId, usize)] {
        &self.prefix.order
    }

    /// How many tasks are not drawn one by one.
    pub fn hidden(&self) -> usize {
        self.prefix.total - self.prefix.order.len()
    }

    /// The lane kept for `task`, if it is drawn one by one.
    pub fn lane(&self, task: TaskId) -> Option<&LaneState> {
        self.lanes.get(task.0)
    }

    /// What follows a kept lane's committed stretches if the run stopped at `now`: the run
    /// still being merged and the stretch in progress, merged.
    pub fn lane_tail(&self, task: TaskId, now: f64) -> Vec<Segment> {
        match self.lanes.get(task.0) {
            Some(lane) => lane.dec.tail(self.open_pieces(task.0 as usize, lane, now)),
            None => Vec::new(),
        }
    }

    /// Whether `task` is in a stretch that runs on to `now`.
    pub fn in_progress(&self, task: TaskId, now: f64) -> bool {
        self.tasks
            .get(task.0 as usize)
            .is_some_and(|st| st.phase != Phase::Gone && now > st.from)
    }

    /// When the main thread was busy up to `now` (the polls in progress run on to it), merged
    /// as drawn, and for how long in all.
    pub fn busy_until(&self, now: f64) -> (Vec<(f64, f64)>, f64) {
        let mut busy = self.busy.spans.clone();
        let mut total = self.busy.total;
        for &t in &self.running {
            if let Some(st) = self.tasks.get(t as usize) {
                if now > st.from {
                    merge_into(&mut busy, st.from, now, self.busy.gap());
                    total += now - st.from.max(self.busy.last_to);
                }
            }
        }
        (busy, total)
    }

    /// Every stretch of blocking work, with the largest lateness it caused.
    pub fn holds(&self) -> Vec<Hold> {
        self.blocks
            .spans
            .iter()
            .zip(&self.caused)
            .map(|(&(from, to, task), &caused)| Hold {
                from,
                to,
                task,
                caused_lateness: caused,
            })
            .collect()
    }

    /// The sum of every sleep the tasks paused on.
    pub fn total_sleep(&self) -> f64 {
        self.waits
    }

    /// The sum of every task's blocking work.
    pub fn total_blocking(&self) -> f64 {
        self.blocking
    }

    /// Polls in all.
    pub fn polls(&self) -> u64 {
        self.polls
    }

    /// Timer lateness: the median, the largest, and how many timers fired.
    pub fn lateness(&self) -> (f64, f64, usize) {
        (self.late.median(), self.late.max, self.late.len())
    }
}

/// The batch views of a whole trace, built on [`Fold::full`].
impl Trace {
    /// The lane of one task, up to `now`. See [`Trace::lanes`].
    pub fn segments(&self, task: TaskId, now: f64) -> Vec<Segment> {
        self.lanes(now)
            .into_iter()
            .nth(task.0 as usize)
            .unwrap_or_default()
    }

    /// Every task's lane, indexed by task id, up to `now` (a live task's open stretch ends at
    /// `now`), in one pass over the events. Where a task was ready while another task's blocking
    /// work held the thread, its lane says so.
    pub fn lanes(&self, now: f64) -> Vec<Vec<Segment>> {
        let mut fold = Fold::full();
        fold.update(self);
        fold.lanes(now)
    }

    /// Figures for one task, up to `now`. See [`Trace::all_stats`].
    pub fn stats(&self, task: TaskId, now: f64) -> TaskStats {
        self.all_stats(now)
            .into_iter()
            .nth(task.0 as usize)
            .unwrap_or_else(|| TaskStats::new(task))
    }

    /// Figures for every task, indexed by task id, up to `now`.
    pub fn all_stats(&self, now: f64) -> Vec<TaskStats> {
        let mut fold = Fold::full();
        fold.update(self);
        fold.stats(now)
    }
}
