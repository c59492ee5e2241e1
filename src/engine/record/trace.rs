//! What every task did and when: the events recorded by the instrumentation, and the pure
//! functions that fold them into timeline segments and statistics (the folding itself is in
//! [`crate::engine::record::fold`], which the page also runs frame by frame).
//!
//! Every time is in scenario seconds since the run started, whichever runtime recorded it.

use std::rc::Rc;

use crate::engine::lang::program::StepId;

pub use crate::engine::lang::ids::TaskId;

/// What a paused task waits on.
#[derive(Clone, Debug, PartialEq)]
pub enum WaitOn {
    /// A sleep of `secs` that falls due at `due`.
    Sleep {
        /// When the timer falls due, in scenario seconds.
        due: f64,
        /// How long the sleep is.
        secs: f64,
    },
    /// Another task's end.
    Task(TaskId),
    /// The end of all these tasks (`gather`); with none, a future of its own (a queue's, a
    /// lock's, an event's, one a program made).
    Gather(Rc<[TaskId]>),
}

/// One thing that happened, to one task.
#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    /// A poll began: the task runs. Not recorded for a poll that paused or ended at the very
    /// instant it began (as read by the clock, which most polls are): a [`EventKind::Paused`],
    /// [`EventKind::Finished`] or [`EventKind::Failed`] of a task that is not running implies
    /// its poll's start at the same time (see [`EventKind::ends_poll`]). A sleeping task then
    /// costs one event, not two.
    PollStart,
    /// A poll ended with the task paused, waiting on something.
    Paused {
        /// What it waits on.
        on: WaitOn,
        /// The chain of coroutines awaiting it, outermost first (`foo → bar`), as an index
        /// into [`Trace::chains`].
        chain: u32,
        /// The statement it paused at (for highlighting its line).
        step: StepId,
    },
    /// A poll ended with the task finished; `value` is what it returned, as Python shows it.
    Finished {
        /// The returned value, Python's `repr`.
        value: Rc<str>,
    },
    /// The task was woken (by the end of a task or a gather it awaited): it is ready and will
    /// be polled.
    Woken,
    /// A sleep's timer fired, waking its task; `due` is when it should have fired.
    TimerFired {
        /// When it was due; the event's time minus this is its lateness.
        due: f64,
    },
    /// The task printed a line.
    Printed {
        /// The line, as the console shows it.
        text: Rc<str>,
        /// The print statement (for its line in the listing).
        step: StepId,
        /// It left its line open (`print(x, end="")`): the next print goes on with it.
        open: bool,
    },
    /// The task held the thread with blocking work from the event's time to `until`.
    Blocked {
        /// When the work ended.
        until: f64,
        /// How many rounds a busy loop made (0 on the virtual clock).
        spins: u64,
    },
    /// The task made a coroutine and dropped it without awaiting it.
    NeverAwaited(Rc<str>),
    /// The task was cancelled before it finished.
    Cancelled,
    /// The program did something impossible (a type error, say); the task ended there.
    Failed(Rc<str>),
}

impl EventKind {
    /// True for the events a poll ends with; one of a task that is not running implies that a
    /// poll began at the same time (see [`EventKind::PollStart`]).
    pub fn ends_poll(&self) -> bool {
        matches!(
            self,
            EventKind::Paused { .. } | EventKind::Finished { .. } | EventKind::Failed(_)
        )
    }
}

/// One event: when, which task, what.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Scenario seconds since the start of the run.
    pub at: f64,
    /// The task it happened to.
    pub task: TaskId,
    /// What happened.
    pub kind: EventKind,
}

/// A task as the timeline names it. Its id is its index in [`Trace::tasks`] (every task
/// created is there, in creation order, for as long as the trace lasts), so it is not kept:
/// the table is a fixed cost of every task.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskInfo {
    /// A readable name: `main`, `foo('I am foo')`, `minimum(2)`.
    pub name: Rc<str>,
    /// The task that created it.
    pub parent: Option<TaskId>,
    /// When it was created, in scenario seconds.
    pub spawned: f64,
}

/// Events per chunk of [`Events`].
const CHUNK: usize = 1024;

/// The events of a run, in order, stored in fixed-size chunks: appending never copies what is
/// already there (a run of a million tasks would otherwise briefly hold two copies while a
/// single vector doubled), and the oldest chunks can be dropped whole.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Events {
    chunks: std::collections::VecDeque<Vec<Event>>,
    len: usize,
}

impl Events {
    /// Appends one event.
    pub fn push(&mut self, e: Event) {
        match self.chunks.back_mut() {
            Some(c) if c.len() < CHUNK => c.push(e),
            _ => {
                let mut c = Vec::with_capacity(CHUNK);
                c.push(e);
                self.chunks.push_back(c);
            }
        }
        self.len += 1;
    }

    /// How many events are kept.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when none are kept.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every event kept, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Event> + '_ {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// The events from the `from`-th kept one on.
    pub fn iter_from(&self, from: usize) -> impl Iterator<Item = &Event> + '_ {
        let skip_chunks = (from / CHUNK).min(self.chunks.len());
        let first_chunk_len = self.chunks.front().map(Vec::len).unwrap_or(0);
        // Every chunk but the last is full, except possibly the first after a partial drop.
        let (chunk, offset) = if first_chunk_len == CHUNK || skip_chunks == 0 {
            (skip_chunks, from - skip_chunks * CHUNK)
        } else {
            (0, from)
        };
        self.chunks
            .iter()
            .skip(chunk)
            .flat_map(|c| c.iter())
            .skip(offset)
    }

    /// The newest event.
    pub fn last(&self) -> Option<&Event> {
        self.chunks.back().and_then(|c| c.last())
    }

    /// Drops about the oldest `n` events (whole chunks, at least one); returns what went.
    fn drop_front(&mut self, n: usize) -> Vec<Vec<Event>> {
        let mut gone = Vec::new();
        let mut dropped = 0;
        while dropped < n && self.chunks.len() > 1 {
            if let Some(c) = self.chunks.pop_front() {
                dropped += c.len();
                gone.push(c);
            }
        }
        self.len -= dropped;
        gone
    }
}

impl<'a> IntoIterator for &'a Events {
    type Item = &'a Event;
    type IntoIter = std::iter::FlatMap<
        std::collections::vec_deque::Iter<'a, Vec<Event>>,
        std::slice::Iter<'a, Event>,
        fn(&'a Vec<Event>) -> std::slice::Iter<'a, Event>,
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.chunks.iter().flat_map(|c| c.iter())
    }
}

/// Everything a run recorded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    /// Every task, indexed by its id.
    pub tasks: Vec<TaskInfo>,
    /// Every event kept, in the order it happened.
    pub events: Events,
    /// The await chains paused tasks were in (`foo → bar`), each once; events index them.
    pub chains: Vec<Rc<str>>,
    /// What was dropped to keep a long run's memory bounded.
    pub dropped: Dropped,
}

/// Events dropped from the start of a long run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dropped {
    /// How many events.
    pub events: u64,
    /// How many of them were printed lines.
    pub lines: u64,
    /// Everything before this time is gone (0 when nothing was dropped).
    pub before: f64,
}

impl Trace {
    /// Keeps memory bounded: once there are more than `limit` events, drops about the oldest
    /// half and counts what went. (Tasks themselves, with their creation, are always kept.)
    pub fn compact(&mut self, limit: usize) {
        if self.events.len() <= limit {
            return;
        }
        let gone = self.events.drop_front(self.events.len() / 2);
        for e in gone.iter().flatten() {
            self.dropped.events += 1;
            if matches!(e.kind, EventKind::Printed { .. }) {
                self.dropped.lines += 1;
            }
        }
        if let Some(e) = self.events.iter().next() {
            self.dropped.before = self.dropped.before.max(e.at);
        }
    }

    /// The chain of awaits an event's pause was in, as words.
    pub fn chain(&self, chain: u32) -> &str {
        self.chains.get(chain as usize).map(|c| &**c).unwrap_or("")
    }
}

/// A printed line, as the console shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// When it was printed.
    pub at: f64,
    /// Which task printed it.
    pub task: TaskId,
    /// The text.
    pub text: Rc<str>,
    /// It left its line open: the next one goes on with it (see [`EventKind::Printed`]).
    pub open: bool,
}

/// What a stretch of a task's lane shows.
#[derive(Clone, Debug, PartialEq)]
pub enum SegmentKind {
    /// Being polled: its code runs.
    Running,
    /// Holding the thread with blocking work.
    Blocking,
    /// Paused, waiting on something.
    Waiting(WaitOn),
    /// Woken, waiting for its turn to be polled.
    Ready,
    /// Its timer was due, but the thread was held by other work: it fired late.
    Delayed,
    /// Ready to run, but another task's blocking work held the thread.
    BlockedBy(TaskId),
}

impl SegmentKind {
    /// Whether two kinds are the same, cheaply: a gather's list of tasks is compared by identity
    /// first (one gather of a million tasks would otherwise be a million comparisons).
    pub fn same(&self, other: &SegmentKind) -> bool {
        match (self, other) {
            (SegmentKind::Waiting(WaitOn::Gather(a)), SegmentKind::Waiting(WaitOn::Gather(b))) => {
                Rc::ptr_eq(a, b) || a == b
            }
            _ => self == other,
        }
    }

    /// A stable one-word name, as in `data-kind`.
    pub fn name(&self) -> &'static str {
        match self {
            SegmentKind::Running => "running",
            SegmentKind::Blocking => "blocking",
            SegmentKind::Waiting(_) => "waiting",
            SegmentKind::Ready => "ready",
            SegmentKind::Delayed => "delayed",
            SegmentKind::BlockedBy(_) => "blocked",
        }
    }
}

/// A stretch of time in one task's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Start, scenario seconds.
    pub from: f64,
    /// End, scenario seconds.
    pub to: f64,
    /// What the task was doing.
    pub kind: SegmentKind,
}

/// How a task's life ended (or not yet).
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Still alive at the time asked about.
    Live,
    /// Finished with this value.
    Finished(Rc<str>),
    /// Cancelled.
    Cancelled,
    /// Failed with this message.
    Failed(Rc<str>),
}

/// Figures for one task.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskStats {
    /// Which task.
    pub task: TaskId,
    /// How many times it was polled.
    pub polls: u32,
    /// Seconds spent running or blocking.
    pub busy: f64,
    /// Seconds spent paused.
    pub waiting: f64,
    /// When its first poll began (None if it never ran).
    pub started: Option<f64>,
    /// When it finished or was cancelled.
    pub ended: Option<f64>,
    /// The largest lateness of any of its timers.
    pub max_lateness: f64,
    /// Rounds its busy loops made checking the clock (0 on the virtual clock).
    pub spins: u64,
    /// How it ended.
    pub outcome: Outcome,
}

impl Trace {
    /// The printed lines, in order.
    pub fn lines(&self) -> Vec<Line> {
        self.events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Printed { text, open, .. } => Some(Line {
                    at: e.at,
                    task: e.task,
                    text: text.clone(),
                    open: *open,
                }),
                _ => None,
            })
            .collect()
    }

    /// The name of a task, or `?` for an unknown id.
    pub fn name(&self, task: TaskId) -> &str {
        self.tasks
            .get(task.0 as usize)
            .map(|t| &*t.name)
            .unwrap_or("?")
    }

    /// When each task held the thread with blocking work: (from, to, task), in order.
    pub fn blocks(&self) -> Vec<(f64, f64, TaskId)> {
        self.events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Blocked { until, .. } => Some((e.at, until, e.task)),
                _ => None,
            })
            .collect()
    }

    /// A few words for a segment, short enough to sit on its bar: `sleep 2 s`, `await fetch()`.
    pub fn short(&self, kind: &SegmentKind) -> String {
        match kind {
            SegmentKind::Running => "running".into(),
            SegmentKind::Blocking => "blocking".into(),
            SegmentKind::Waiting(WaitOn::Sleep { secs, .. }) => {
                format!(
                    "sleep {} s",
                    crate::engine::lang::value::seconds(round_us(*secs))
                )
            }
            SegmentKind::Waiting(WaitOn::Task(t)) => format!("await {}", self.name(*t)),
            // No tasks: a future of its own (a queue's, a lock's, an event's, a program's).
            SegmentKind::Waiting(WaitOn::Gather(ts)) if ts.is_empty() => "await future".into(),
            SegmentKind::Waiting(WaitOn::Gather(ts)) => format!("gather ×{}", ts.len()),
            SegmentKind::Ready => "ready".into(),
            SegmentKind::Delayed => "late".into(),
            SegmentKind::BlockedBy(t) => format!("blocked by {}", self.name(*t)),
        }
    }

    /// Words for what a segment shows, naming the tasks involved.
    pub fn describe(&self, kind: &SegmentKind) -> String {
        match kind {
            SegmentKind::Running => "running".into(),
            SegmentKind::Blocking => "blocking the thread".into(),
            SegmentKind::Waiting(WaitOn::Sleep { due, .. }) => {
                format!(
                    "waiting on a sleep due at {} s",
                    crate::engine::lang::value::seconds(round_us(*due))
                )
            }
            SegmentKind::Waiting(WaitOn::Task(t)) => format!("waiting on task {}", self.name(*t)),
            SegmentKind::Waiting(WaitOn::Gather(ts)) if ts.is_empty() => {
                "waiting on a future".into()
            }
            SegmentKind::Waiting(WaitOn::Gather(ts)) => {
                format!(
                    "waiting on gather of {} task{}",
                    ts.len(),
                    if ts.len() == 1 { "" } else { "s" }
                )
            }
            SegmentKind::Ready => "ready, waiting for its turn".into(),
            SegmentKind::Delayed => "timer due, but the thread was busy".into(),
            SegmentKind::BlockedBy(t) => format!("ready, blocked by {}'s work", self.name(*t)),
        }
    }

    /// When the last task ended, or the last event if some are still live.
    pub fn elapsed(&self) -> f64 {
        // Events are kept in the order they happened, which is also time order.
        let event = self.events.last().map(|e| e.at).unwrap_or(0.0);
        let spawned = self.tasks.last().map(|t| t.spawned).unwrap_or(0.0);
        event.max(spawned)
    }

    /// The sum of every sleep's length: what the run would take if nothing overlapped.
    pub fn total_sleep(&self) -> f64 {
        self.events
            .iter()
            .map(|e| match e.kind {
                EventKind::Paused {
                    on: WaitOn::Sleep { secs, .. },
                    ..
                } => secs,
                _ => 0.0,
            })
            .sum()
    }

    /// Timer lateness of every fired timer (fired minus due), in firing order.
    pub fn lateness(&self) -> Vec<f64> {
        self.events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::TimerFired { due } => Some((e.at - due).max(0.0)),
                _ => None,
            })
            .collect()
    }

    /// The warnings a run produced: coroutines never awaited, failures.
    pub fn warnings(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::NeverAwaited(what) => Some(format!(
                    "{}: coroutine {what} was created but never awaited, so it never ran",
                    self.name(e.task)
                )),
                EventKind::Failed(m) => Some(format!("{}: {m}", self.name(e.task))),
                _ => None,
            })
            .collect()
    }
}

/// Rounds to the microsecond, for display.
pub fn round_us(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
