//! The timer queue both runtimes keep: a heap ordered by (deadline, start order) over a slab of
//! slots reused as timers come and go. A sleeping task costs one heap entry and one slot, with
//! no allocation of its own: the queue is what makes a hundred thousand sleeps cheap.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::task::{Poll, Waker};

/// A started timer, as its waiting future holds it: a slot and the start number of the timer
/// the slot held then (a later timer in the same slot has another).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerId {
    slot: u32,
    seq: u32,
}

enum SlotState {
    /// Waiting to fall due; the waker of the future awaiting it, once polled.
    Pending(Option<Waker>),
    /// Fired; freed once its future has seen it (or is dropped).
    Fired,
    /// Unused; the next free slot.
    Free(u32),
}

struct Slot {
    /// The start number of the timer it holds (or last held).
    seq: u32,
    /// Whatever the runtime's owner tagged the timer with (the task it wakes).
    tag: u32,
    state: SlotState,
}

const NONE: u32 = u32::MAX;

/// Timers ordered by deadline, then start order.
///
/// A heap entry is 16 bytes, a deadline and [`key`] (start number and slot in one word), as a
/// sleeping task pays for one. Start numbers are 32 bits: they wrap after four billion timers,
/// which a run would take hours of nothing but timers to start; past that, two timers due at
/// the very same nanosecond across the wrap could fire in the other order.
pub struct TimerQueue {
    /// (deadline, [`key`]): entries of dropped timers stay until popped.
    heap: BinaryHeap<Reverse<(u64, u64)>>,
    slots: Vec<Slot>,
    free: u32,
    next_seq: u32,
    pending: usize,
}

/// A heap entry's order within a deadline: the start number, then the slot.
fn key(seq: u32, slot: u32) -> u64 {
    (u64::from(seq) << 32) | u64::from(slot)
}

/// The start number and slot of a [`key`].
fn unkey(key: u64) -> (u32, u32) {
    ((key >> 32) as u32, key as u32)
}

impl Default for TimerQueue {
    fn default() -> Self {
        TimerQueue {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: NONE,
            next_seq: 0,
            pending: 0,
        }
    }
}

impl TimerQueue {
    /// Starts a timer due at `due`.
    pub fn add(&mut self, due: u64, tag: u32) -> TimerId {
        let seq = self.next_seq;
        self.next_seq = seq.wrapping_add(1);
        let slot = if self.free != NONE {
            let i = self.free;
            let s = &mut self.slots[i as usize];
            if let SlotState::Free(next) = s.state {
                self.free = next;
            }
            s.seq = seq;
            s.tag = tag;
            s.state = SlotState::Pending(None);
            i
        } else {
            self.slots.push(Slot {
                seq,
                tag,
                state: SlotState::Pending(None),
            });
            (self.slots.len() - 1) as u32
        };
        self.heap.push(Reverse((due, key(seq, slot))));
        self.pending += 1;
        TimerId { slot, seq }
    }

    fn slot_mut(&mut self, id: TimerId) -> Option<&mut Slot> {
        self.slots
            .get_mut(id.slot as usize)
            .filter(|s| s.seq == id.seq && !matches!(s.state, SlotState::Free(_)))
    }

    fn release(&mut self, slot: u32) {
        if let Some(s) = self.slots.get_mut(slot as usize) {
            s.state = SlotState::Free(self.free);
            self.free = slot;
        }
    }

    /// Ready once the timer fired (and then forgets it); otherwise remembers `waker`.
    pub fn poll(&mut self, id: TimerId, waker: &Waker) -> Poll<()> {
        let Some(s) = self.slot_mut(id) else {
            return Poll::Ready(());
        };
        match &mut s.state {
            SlotState::Pending(w) => {
                if !w.as_ref().is_some_and(|w| w.will_wake(waker)) {
                    *w = Some(waker.clone());
                }
                Poll::Pending
            }
            _ => {
                self.release(id.slot);
                Poll::Ready(())
            }
        }
    }

    /// Forgets a timer whose future is gone; true if it was still pending.
    pub fn cancel(&mut self, id: TimerId) -> bool {
        let Some(s) = self.slot_mut(id) else {
            return false;
        };
        let was_pending = matches!(s.state, SlotState::Pending(_));
        if was_pending {
            self.pending -= 1;
        }
        self.release(id.slot);
        was_pending
    }

    fn live(&self, key: u64) -> bool {
        let (seq, slot) = unkey(key);
        self.slots
            .get(slot as usize)
            .is_some_and(|s| s.seq == seq && matches!(s.state, SlotState::Pending(_)))
    }

    /// The earliest deadline of a pending timer.
    pub fn next_due(&mut self) -> Option<u64> {
        while let Some(&Reverse((due, key))) = self.heap.peek() {
            if self.live(key) {
                return Some(due);
            }
            self.heap.pop();
        }
        None
    }

    /// Takes the earliest pending timer out of the heap if it is due at `now`: it joins the
    /// loop's ready queue, and fires when its turn comes ([`TimerQueue::fire`]); until then it can
    /// still be dropped.
    pub fn take_due(&mut self, now: u64) -> Option<(TimerId, u64)> {
        let due = self.next_due()?;
        if due > now {
            return None;
        }
        let Reverse((due, key)) = self.heap.pop()?;
        let (seq, slot) = unkey(key);
        Some((TimerId { slot, seq }, due))
    }

    /// Fires a timer taken by [`TimerQueue::take_due`], unless it was dropped meanwhile: gives
    /// its tag and the waker of the future awaiting it.
    pub fn fire(&mut self, id: TimerId) -> Option<(u32, Option<Waker>)> {
        let s = self.slot_mut(id)?;
        let waker = match std::mem::replace(&mut s.state, SlotState::Fired) {
            SlotState::Pending(w) => w,
            other => {
                s.state = other;
                return None;
            }
        };
        let tag = s.tag;
        self.pending -= 1;
        Some((tag, waker))
    }

    /// Timers started and neither fired nor dropped.
    pub fn pending(&self) -> usize {
        self.pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Waker;

    #[test]
    fn due_order_then_start_order_and_slots_are_reused() {
        let mut q = TimerQueue::default();
        let a = q.add(20, 1);
        let b = q.add(10, 2);
        let c = q.add(20, 3);
        assert_eq!(q.pending(), 3);
        assert!(q.take_due(5).is_none());
        let mut tags = Vec::new();
        while let Some((id, _)) = q.take_due(100) {
            tags.extend(q.fire(id).map(|(tag, _)| tag));
        }
        assert_eq!(tags, [2, 1, 3]);
        assert_eq!(q.pending(), 0);
        // Fired timers are ready once, then their slots go back to the pool.
        let w = Waker::noop();
        for id in [a, b, c] {
            assert!(q.poll(id, w).is_ready());
        }
        let d = q.add(1, 4);
        assert!(d.slot <= 2, "a freed slot is reused");
        assert!(q.poll(d, w).is_pending());
    }

    #[test]
    fn a_cancelled_timer_never_fires_and_a_stale_id_does_not_touch_its_slot() {
        let mut q = TimerQueue::default();
        let a = q.add(10, 1);
        assert!(q.cancel(a));
        assert!(!q.cancel(a));
        let b = q.add(30, 2);
        assert_eq!(q.next_due(), Some(30));
        // `a`'s slot now holds `b`: the old id sees nothing of it.
        assert!(!q.cancel(a));
        let (id, due) = q.take_due(100).expect("b is due");
        assert_eq!((id, due), (b, 30));
        assert_eq!(q.fire(id).map(|(tag, _)| tag), Some(2));
        assert!(q.fire(id).is_none(), "a timer fires once");
        assert!(q.poll(b, Waker::noop()).is_ready());
        assert!(q.take_due(100).is_none());
    }
}
