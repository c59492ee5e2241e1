//! What each task is doing (running, ready, waiting and on what, done, cancelled, failed), read
//! from a trace's events as they come, so a live run's table costs only its new events.

use std::rc::Rc;

use crate::engine::lang::value::seconds_ms;
use crate::engine::record::trace::{EventKind, SegmentKind, Trace};

/// What a task was doing at a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskState {
    /// One of `not-started`, `running`, `ready`, `waiting`, `done`, `cancelled`, `failed`.
    pub word: &'static str,
    /// In words, with what it waits on or what it returned.
    pub detail: Rc<str>,
}

impl TaskState {
    fn new(word: &'static str, detail: impl Into<Rc<str>>) -> TaskState {
        TaskState {
            word,
            detail: detail.into(),
        }
    }

    /// A task created but not polled yet: asyncio has scheduled it, so it is ready.
    fn created() -> TaskState {
        TaskState::new("ready", "created, ready to run")
    }
}

/// Reads tasks' states from a trace's events, each event once.
#[derive(Default)]
pub struct StateReader {
    states: Vec<TaskState>,
    /// Events read, counting those the trace dropped.
    next: u64,
}

impl StateReader {
    /// Reads every event recorded since the last call.
    pub fn update(&mut self, trace: &Trace) {
        self.update_to(trace, trace.events.len());
    }

    /// Reads the events kept up to `end` (an index into `trace.events`).
    pub fn update_to(&mut self, trace: &Trace, end: usize) {
        self.states
            .resize_with(trace.tasks.len(), TaskState::created);
        let first = trace.dropped.events;
        let from = self.next.saturating_sub(first) as usize;
        for e in trace.events.iter_from(from).take(end.saturating_sub(from)) {
            if let Some(state) = self.states.get_mut(e.task.0 as usize) {
                *state = after(trace, &e.kind);
            }
        }
        self.next = first + end.max(from) as u64;
    }

    /// Every task's state at time `at` (a task created later has not started).
    pub fn at(&self, trace: &Trace, at: f64) -> Vec<TaskState> {
        self.states
            .iter()
            .zip(&trace.tasks)
            .map(|(s, t)| {
                if t.spawned > at {
                    TaskState::new("not-started", "not created yet")
                } else {
                    s.clone()
                }
            })
            .collect()
    }

    /// The state of task `i` as read so far.
    pub fn of(&self, i: usize) -> Option<&TaskState> {
        self.states.get(i)
    }
}

/// A task's state after an event of its own.
fn after(trace: &Trace, kind: &EventKind) -> TaskState {
    match kind {
        EventKind::PollStart | EventKind::Printed { .. } | EventKind::NeverAwaited(_) => {
            TaskState::new("running", "running")
        }
        EventKind::Blocked { until, .. } => TaskState::new(
            "running",
            format!("blocking the thread until {} s", seconds_ms(*until)),
        ),
        EventKind::Paused { on, .. } => {
            TaskState::new("waiting", trace.describe(&SegmentKind::Waiting(on.clone())))
        }
        EventKind::Woken | EventKind::TimerFired { .. } => {
            TaskState::new("ready", "ready, waiting for its turn")
        }
        EventKind::Finished { value } => TaskState::new("done", format!("returned {value}")),
        EventKind::Cancelled => TaskState::new("cancelled", "cancelled"),
        EventKind::Failed(m) => TaskState::new("failed", format!("failed: {m}")),
    }
}
