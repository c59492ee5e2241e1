//! Figures per task and for the whole run: a task's counters at a moment, and the median of
//! the timer lateness as it grows.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::engine::record::fold::{Phase, TaskState};
use crate::engine::record::trace::{Outcome, TaskId, TaskStats};

/// The median and largest of a growing list of non-negative numbers.
#[derive(Clone, Debug, Default)]
pub(super) struct Median {
    /// The smaller half (as bits: for non-negative floats their order is the numbers' order).
    pub(super) low: BinaryHeap<u64>,
    /// The larger half; its least is the median.
    pub(super) high: BinaryHeap<Reverse<u64>>,
    pub(super) max: f64,
}

impl Median {
    pub(super) fn push(&mut self, x: f64) {
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
    pub(super) fn median(&self) -> f64 {
        self.high
            .peek()
            .map(|Reverse(v)| f64::from_bits(*v))
            .unwrap_or(0.0)
    }

    pub(super) fn len(&self) -> usize {
        self.low.len() + self.high.len()
    }
}

/// Figures for a task, at `now`, from what the fold keeps.
pub(super) fn stats_at(s: &TaskStats, st: &TaskState, now: f64) -> TaskStats {
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
