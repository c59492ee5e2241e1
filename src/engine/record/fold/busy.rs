//! When the main thread was busy: spans merged as they come, coarser past a few hundred.

/// Adds `(a, b)` to sorted, merged spans, merging any that touch. With a `width` (the least
/// width a span is drawn at), spans that overlap as drawn merge too, into one that ends where
/// the last of them is drawn to: so there are at most one per `width` of the axis, and together
/// they cover what each would.
pub(crate) fn merge_into(spans: &mut Vec<(f64, f64)>, a: f64, b: f64, width: f64) {
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
pub(super) struct Busy {
    /// Merged spans.
    pub(super) spans: Vec<(f64, f64)>,
    /// Past [`BUSY_EXACT`] spans, those closer than this are merged too.
    pub(super) gap: f64,
    /// Whether that has happened.
    pub(super) coarse: bool,
    /// The exact length of the union of every span added (in order of their starts).
    pub(super) total: f64,
    pub(super) last_to: f64,
}

impl Busy {
    pub(super) fn add(&mut self, a: f64, b: f64) {
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
    pub(super) fn gap(&self) -> f64 {
        if self.coarse {
            self.gap
        } else {
            0.0
        }
    }

    pub(super) fn set_gap(&mut self, gap: f64) {
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

    pub(super) fn remerge(&mut self) {
        let gap = self.gap();
        let all = std::mem::take(&mut self.spans);
        for (a, b) in all {
            merge_into(&mut self.spans, a, b, gap);
        }
    }
}
