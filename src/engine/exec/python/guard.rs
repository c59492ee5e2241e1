//! The guards against a program that would hold the thread or the memory: work counted by
//! instructions and by the items an operation goes over, a real-time deadline read every
//! 4,096 units, a budget of work per step on a clock that cannot tell time, and the caps on a
//! value's size and on the memory in use.

use crate::engine::exec::memory;

use super::object::{ExcKind, Exception, Obj};
use super::ops::{Exc, Res};
use super::{Vm, MAX_ITEMS};

/// The most bytes the process may hold (read from [`memory::in_use`]) when a program makes
/// another big value: past it, `MemoryError`. Each value is at most [`MAX_ITEMS`] items, so the
/// heap stays well within the 4 GB a page's memory can grow to.
pub const MAX_MEMORY: usize = 1 << 30;

/// Values of at least this many items look at the memory in use.
const BIG_VALUE: usize = 1 << 16;

/// Items an operation goes over per unit of work (an instruction's worth).
const ITEMS_PER_UNIT: usize = 256;

impl Vm {
    /// Counts one instruction (see [`Vm::spend`]).
    #[inline(always)]
    pub(super) fn tick(&self) -> Res<()> {
        self.spend(1)
    }

    /// Counts `n` units of work: an instruction is one, an operation over many items one per
    /// [`ITEMS_PER_UNIT`] of them (a list of ten million made at once costs as much as the
    /// instructions of a long loop). Past the step's budget, or past the real-time deadline
    /// (read every 4,096 units), the step is called off.
    #[inline(always)]
    pub(super) fn spend(&self, n: u64) -> Res<()> {
        let w = self.work.get() + n;
        self.work.set(w);
        if w >= self.work_limit.get() {
            return Err(self.hung());
        }
        if w >= self.next_check.get() {
            self.next_check.set(w + 4096);
            if let Some(deadline) = self.deadline.get() {
                if self.rt.now() > deadline {
                    return Err(self.hung());
                }
            }
        }
        Ok(())
    }

    /// Counts the work of an operation over `items` items (see [`Vm::spend`]).
    pub(super) fn spend_items(&self, items: usize) -> Res<()> {
        self.spend((items / ITEMS_PER_UNIT) as u64)
    }

    pub(super) fn hung(&self) -> Exc {
        // Every later instruction fails too, so nothing can catch it for long.
        self.work_limit.set(0);
        Exception::msg(
            ExcKind::KeyboardInterrupt,
            "the program held the thread too long without an await; Interleave stopped it",
        )
    }

    pub(super) fn arm_guard(&self) {
        self.work.set(0);
        self.next_check.set(4096);
        let secs = self.guard_secs.get();
        if secs > 0.0 {
            self.deadline.set(Some(self.rt.now() + secs));
        }
    }

    pub(super) fn disarm_guard(&self) {
        self.deadline.set(None);
        if self.work_limit.get() != 0 {
            self.work.set(0);
            self.next_check.set(4096);
        }
    }

    pub(super) fn too_deep(&self) -> bool {
        self.nesting.get() > 150
    }

    /// A value just made: too big is `MemoryError`; a big one counts as the work it was.
    pub(super) fn check_size(&self, v: &Obj) -> Res<()> {
        let len = match v {
            Obj::Str(s) => s.len(),
            Obj::List(l) => l.borrow().len(),
            Obj::Tuple(t) => t.len(),
            _ => return Ok(()),
        };
        if len > MAX_ITEMS || (len >= BIG_VALUE && memory::in_use() > MAX_MEMORY) {
            return Err(Exception::new(ExcKind::MemoryError, vec![]));
        }
        self.spend_items(len)
    }
}
