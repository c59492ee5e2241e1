//! Which line of a listing each live task is at: the tasks paused at each step, counted as they
//! move.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::engine::lang::ids::{StepId, TaskId};
use crate::engine::lang::listing::Listing;
use crate::engine::record::fold::Fold;

/// The live tasks paused at one step: how many, and their ids, smallest first. Ids are not
/// taken out when a task moves on or ends (a program has a handful of steps and a run up to a
/// million tasks): they are skipped when read, and dropped then.
#[derive(Clone, Debug)]
pub(super) struct StepTasks {
    pub(super) step: u32,
    pub(super) count: usize,
    /// Task ids as `u64`: the same heap type as [`Median`]'s, so its code is in the module once.
    pub(super) ids: BinaryHeap<Reverse<u64>>,
}

impl StepTasks {
    /// The first `n` ids for which `live` holds, smallest first; the others met on the way are
    /// dropped.
    pub(super) fn first(&mut self, n: usize, live: impl Fn(u64) -> bool) -> Vec<TaskId> {
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

impl Fold {
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
}
