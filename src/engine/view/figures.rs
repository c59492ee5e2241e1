//! The numbers that explain a run, as the page shows them: elapsed against the ideal, the sum
//! of the sleeps (and what overlapping saved), blocking work, timer lateness, tasks and polls.

use std::rc::Rc;

use crate::engine::lang::value::seconds_ms;
use crate::engine::record::fold::Fold;
use crate::engine::record::trace::Outcome;

/// The run's headline figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    /// Scenario seconds from the start to now (or to the end).
    pub elapsed: f64,
    /// How long the ideal schedule takes.
    pub ideal: f64,
    /// The sum of every sleep: how long the run would take if no wait overlapped another.
    pub waits: f64,
    /// The sum of every task's blocking work.
    pub blocking: f64,
    /// How many tasks ran.
    pub tasks: usize,
    /// Polls in all.
    pub polls: u64,
    /// Timer lateness: the median and the largest, in scenario seconds.
    pub lateness_p50: f64,
    /// The largest lateness.
    pub lateness_max: f64,
    /// How many timers fired.
    pub timers: usize,
}

impl Figures {
    /// The figures of the run `fold` has read, at `now`, next to an ideal run of `ideal`
    /// seconds.
    pub fn of(fold: &Fold, ideal: f64, now: f64) -> Figures {
        let (lateness_p50, lateness_max, timers) = fold.lateness();
        Figures {
            elapsed: now,
            ideal,
            waits: fold.total_sleep(),
            blocking: fold.total_blocking(),
            tasks: fold.task_count(),
            polls: fold.polls(),
            lateness_p50,
            lateness_max,
            timers,
        }
    }

    /// What overlapping saved: the sleeps and blocking work that would have run one after the
    /// other, minus the time the run took.
    pub fn saved(&self) -> f64 {
        self.waits + self.blocking - self.elapsed
    }

    /// The few words under the figures, as the page writes them.
    pub fn notes(&self, running: bool) -> FigureNotes {
        let saved = self.saved();
        let overlap = if running {
            "of the sleeps started so far".to_string()
        } else if saved > 0.0005 {
            format!("{} s saved by overlapping", seconds_ms(saved))
        } else {
            "nothing overlapped".to_string()
        };
        let diff = self.elapsed - self.ideal;
        let vs_ideal = if running {
            "still running".to_string()
        } else if diff.abs() < 0.0005 {
            "same as ideal".to_string()
        } else {
            format!(
                "{}{} s vs ideal",
                if diff > 0.0 { "+" } else { "−" },
                seconds_ms(diff.abs())
            )
        };
        let ms = |s: f64| (s * 1000.0).round() as i64;
        FigureNotes {
            vs_ideal,
            overlap,
            lateness: format!("{} ms", ms(self.lateness_max)),
            lateness_note: format!(
                "max; median {} ms, {} timer{}",
                ms(self.lateness_p50),
                self.timers,
                if self.timers == 1 { "" } else { "s" }
            ),
        }
    }
}

/// The words the page writes with the figures.
#[derive(Clone, Debug, PartialEq)]
pub struct FigureNotes {
    /// Under the elapsed time: how it compares with the ideal.
    pub vs_ideal: String,
    /// Under the sum of the sleeps: what overlapping saved.
    pub overlap: String,
    /// The largest timer lateness, in ms.
    pub lateness: String,
    /// Under it: the median and how many timers fired.
    pub lateness_note: String,
}

/// A short word for how a task ended.
pub fn outcome_word(o: &Outcome) -> Rc<str> {
    match o {
        Outcome::Live => "running".into(),
        Outcome::Finished(v) => format!("returned {v}").into(),
        Outcome::Cancelled => "cancelled".into(),
        Outcome::Failed(m) => format!("failed: {m}").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::exec::sim::ideal;
    use crate::engine::lang::scenarios::find;
    use crate::engine::record::fold::reference::figures;

    fn gathered_cooking() -> (Figures, Figures) {
        let s = find("cooking").expect("in the catalog");
        let (v, _) = s.parse(|n| (n == "mode").then_some("gather"));
        let (t, _) = ideal(s, &v);
        let mut fold = Fold::full();
        fold.update(&t);
        let end = t.elapsed();
        (
            Figures::of(&fold, end, end),
            figures(&t, &t, &t.all_stats(end), end),
        )
    }

    #[test]
    fn cooking_explains_nine_against_six() {
        let (f, reference) = gathered_cooking();
        assert_eq!(f, reference);
        assert_eq!((f.elapsed, f.ideal, f.waits), (6.0, 6.0, 9.0));
        assert_eq!(f.tasks, 3);
        assert_eq!(f.lateness_max, 0.0);
        assert_eq!(f.saved(), 3.0);
    }

    #[test]
    fn the_notes_say_what_overlapping_saved_and_how_far_from_ideal() {
        let (f, _) = gathered_cooking();
        let done = f.notes(false);
        assert_eq!(done.overlap, "3 s saved by overlapping");
        assert_eq!(done.vs_ideal, "same as ideal");
        assert_eq!(done.lateness, "0 ms");
        assert_eq!(done.lateness_note, "max; median 0 ms, 2 timers");
        let running = f.notes(true);
        assert_eq!(running.vs_ideal, "still running");
        let late = Figures {
            elapsed: 6.25,
            timers: 1,
            ..f
        };
        assert_eq!(late.notes(false).vs_ideal, "+0.25 s vs ideal");
        assert_eq!(late.notes(false).lateness_note, "max; median 0 ms, 1 timer");
        let none = Figures {
            waits: 1.0,
            elapsed: 1.0,
            ..late
        };
        assert_eq!(none.notes(false).overlap, "nothing overlapped");
    }

    #[test]
    fn outcomes_in_a_word() {
        assert_eq!(&*outcome_word(&Outcome::Live), "running");
        assert_eq!(
            &*outcome_word(&Outcome::Finished(Rc::from("3"))),
            "returned 3"
        );
        assert_eq!(&*outcome_word(&Outcome::Cancelled), "cancelled");
    }
}
