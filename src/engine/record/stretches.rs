//! Stretches of busy time recorded as they come (the loop's turns, the page's frames), in
//! memory set aside once: close stretches are joined, and when too many are kept they are
//! joined twice as coarsely, so an hour-long run keeps as much as a short one.

/// Stretches `(from, to)` on one clock (any unit: nanoseconds, say), in the order they came.
#[derive(Clone, Debug)]
pub struct Stretches {
    spans: Vec<(u64, u64)>,
    /// Stretches closer than this are kept as one; doubles each time the record is full.
    join: u64,
    /// How many stretches are kept at most.
    most: usize,
}

impl Stretches {
    /// An empty record that joins stretches closer than `join` and keeps at most `most`.
    pub fn new(join: u64, most: usize) -> Stretches {
        Stretches {
            spans: Vec::new(),
            join: join.max(1),
            most: most.max(1),
        }
    }

    /// Adds the stretch from `from` to `to` (from no earlier than the last one began).
    pub fn add(&mut self, from: u64, to: u64) {
        if self.spans.capacity() == 0 {
            // All the room it will ever take, at once.
            self.spans.reserve_exact(self.most + 1);
        }
        let to = to.max(from);
        match self.spans.last_mut() {
            Some(last) if from <= last.1.saturating_add(self.join) => last.1 = last.1.max(to),
            _ => self.spans.push((from, to)),
        }
        // Coarser until it fits again (one doubling may join nothing).
        while self.spans.len() > self.most {
            self.join = self.join.saturating_mul(2);
            // Joined in place: the vector keeps its room.
            let mut kept = 0;
            for i in 0..self.spans.len() {
                let (a, b) = self.spans[i];
                if kept > 0 && a <= self.spans[kept - 1].1.saturating_add(self.join) {
                    self.spans[kept - 1].1 = self.spans[kept - 1].1.max(b);
                } else {
                    self.spans[kept] = (a, b);
                    kept += 1;
                }
            }
            self.spans.truncate(kept);
        }
    }

    /// The stretches kept, in order.
    pub fn spans(&self) -> &[(u64, u64)] {
        &self.spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_stretches_are_joined_and_far_ones_kept_apart() {
        let mut s = Stretches::new(10, 100);
        s.add(0, 5);
        s.add(12, 20); // 7 after the last: joined
        s.add(50, 60);
        s.add(55, 58); // inside the last
        assert_eq!(s.spans(), &[(0, 20), (50, 60)]);
    }

    #[test]
    fn a_full_record_joins_coarser_and_never_grows_past_its_room() {
        let mut s = Stretches::new(1, 8);
        for i in 0..10_000u64 {
            s.add(i * 10, i * 10 + 2);
            assert!(s.spans().len() <= 8);
        }
        let spans = s.spans();
        // Everything is still covered, from the first start to the last end.
        assert_eq!(spans.first().map(|s| s.0), Some(0));
        assert_eq!(spans.last().map(|s| s.1), Some(99_992));
        assert!(spans.windows(2).all(|w| w[0].1 < w[1].0));
        assert!(s.spans.capacity() <= 9);
    }
}
