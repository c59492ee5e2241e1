//! What a screen reader hears of a run, through one polite live region: the run's state when it
//! starts, stops or finishes, and, while it goes on, what was printed and which tasks ended, told
//! at most once every [`GAP_MS`] and a few items at a time, so that speech never falls behind
//! the run. Pure: the page hands it each frame's lines and lane ends with the real time.

use std::rc::Rc;

use crate::engine::lang::value::seconds_ms;
use crate::engine::record::trace::Outcome;
use crate::engine::view::app::RunState;
use crate::engine::view::figures::Figures;
use crate::engine::view::presenter::ConsoleLine;

/// The least time between two announcements while a run goes on (real ms).
pub const GAP_MS: f64 = 2500.0;
/// Items told in one announcement at most; the rest are counted.
const MOST_ITEMS: usize = 3;

/// What a frame shows that an announcement may tell.
pub struct Heard<'a> {
    /// Which run of the page it is.
    pub run: u64,
    /// What is running (the scenario's title, or "your program").
    pub title: &'a str,
    /// The run's state.
    pub state: RunState,
    /// The newest printed lines.
    pub lines: &'a [ConsoleLine],
    /// Lines printed in all (those not drawn included).
    pub printed: u64,
    /// How each task drawn ended so far: task, name, when, how. Asked for only when news is
    /// due (every few seconds), not on every frame.
    pub ends: &'a dyn Fn() -> Vec<(u32, Rc<str>, f64, Outcome)>,
    /// The headline figures.
    pub figures: &'a Figures,
}

/// Remembers what was told of the current run.
#[derive(Default)]
pub struct Announcer {
    run: Option<u64>,
    /// Printed lines already told (or passed over).
    printed: u64,
    /// Tasks whose end was told (the lanes drawn: a few hundred at most).
    ended: Vec<u32>,
    /// When the last announcement was made (real ms).
    said_at: f64,
    /// The run's end was told.
    closed: bool,
}

impl Announcer {
    /// What to announce now (`wall_ms` real milliseconds), if anything.
    pub fn hear(&mut self, heard: &Heard, wall_ms: f64) -> Option<String> {
        if self.run != Some(heard.run) {
            *self = Announcer {
                run: Some(heard.run),
                said_at: wall_ms,
                ..Announcer::default()
            };
            if heard.state == RunState::Running {
                return Some(format!("Running {}.", heard.title));
            }
        }
        if self.closed {
            return None;
        }
        match heard.state {
            RunState::Finished | RunState::Stopped => {
                self.closed = true;
                Some(ending(heard))
            }
            RunState::Idle => None,
            RunState::Running if wall_ms - self.said_at < GAP_MS => None,
            RunState::Running => {
                let news = self.news(heard);
                if news.is_empty() {
                    return None;
                }
                self.said_at = wall_ms;
                Some(news)
            }
        }
    }

    /// The lines printed and the tasks ended since the last announcement, oldest first, in a
    /// sentence; all of them count as told.
    fn news(&mut self, heard: &Heard) -> String {
        let fresh = heard.printed.saturating_sub(self.printed) as usize;
        self.printed = heard.printed;
        let drawn = heard.lines.len().saturating_sub(fresh);
        let mut items: Vec<(f64, String)> = heard.lines[drawn..]
            .iter()
            .map(|l| (l.at, format!("{} printed {}", l.task_name, l.text)))
            .collect();
        let unseen = fresh - (heard.lines.len() - drawn);
        for (task, name, at, how) in (heard.ends)() {
            if matches!(how, Outcome::Live) || self.ended.contains(&task) {
                continue;
            }
            self.ended.push(task);
            // The lines are in time order; each end goes in among them where it belongs.
            let place = items
                .iter()
                .position(|(t, _)| *t > at)
                .unwrap_or(items.len());
            items.insert(place, (at, format!("{name} {}", ended_words(&how))));
        }
        if items.is_empty() && unseen == 0 {
            return String::new();
        }
        let more = items.len().saturating_sub(MOST_ITEMS) + unseen;
        let mut words: Vec<String> = items.into_iter().take(MOST_ITEMS).map(|(_, w)| w).collect();
        if more > 0 {
            words.push(format!("and {more} more"));
        }
        format!("{}.", words.join("; "))
    }
}

/// How a task ended, after its name.
fn ended_words(how: &Outcome) -> String {
    match how {
        Outcome::Live => "is running".to_string(),
        Outcome::Finished(v) => format!("returned {v}"),
        Outcome::Cancelled => "was cancelled".to_string(),
        Outcome::Failed(m) => format!("failed: {m}"),
    }
}

/// The sentence at the end of a run.
fn ending(heard: &Heard) -> String {
    let f = heard.figures;
    let how = if heard.state == RunState::Stopped {
        "Stopped"
    } else {
        "Finished"
    };
    let lines = match heard.printed {
        1 => "1 line printed".to_string(),
        n => format!("{n} lines printed"),
    };
    let tasks = match f.tasks {
        1 => "1 task".to_string(),
        n => format!("{n} tasks"),
    };
    format!(
        "{how} at {} s (the ideal schedule takes {} s): {tasks}, {lines}.",
        seconds_ms(f.elapsed),
        seconds_ms(f.ideal)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(at: f64, task: &str, text: &str) -> ConsoleLine {
        ConsoleLine {
            at,
            task: 0,
            task_name: Rc::from(task),
            text: Rc::from(text),
            open: false,
        }
    }

    fn figures(elapsed: f64, tasks: usize) -> Figures {
        Figures {
            elapsed,
            ideal: 6.0,
            waits: 0.0,
            blocking: 0.0,
            tasks,
            polls: 0,
            lateness_p50: 0.0,
            lateness_max: 0.0,
            timers: 0,
        }
    }

    fn heard<'a>(
        state: RunState,
        lines: &'a [ConsoleLine],
        ends: &'a dyn Fn() -> Vec<(u32, Rc<str>, f64, Outcome)>,
        figures: &'a Figures,
    ) -> Heard<'a> {
        Heard {
            run: 1,
            title: "Cooking",
            state,
            lines,
            printed: lines.len() as u64,
            ends,
            figures,
        }
    }

    #[test]
    fn a_run_is_announced_when_it_starts_and_when_it_ends() {
        let f = figures(0.0, 0);
        let mut a = Announcer::default();
        let said = a.hear(&heard(RunState::Running, &[], &Vec::new, &f), 0.0);
        assert_eq!(said.as_deref(), Some("Running Cooking."));
        let f = figures(6.001, 3);
        let lines = [line(1.0, "main", "a"), line(2.0, "main", "b")];
        let said = a.hear(&heard(RunState::Finished, &lines, &Vec::new, &f), 10.0);
        assert_eq!(
            said.as_deref(),
            Some("Finished at 6.001 s (the ideal schedule takes 6 s): 3 tasks, 2 lines printed.")
        );
        // Told once.
        assert_eq!(
            a.hear(&heard(RunState::Finished, &lines, &Vec::new, &f), 20.0),
            None
        );
    }

    #[test]
    fn a_stop_is_announced() {
        let f = figures(2.5, 2);
        let mut a = Announcer::default();
        a.hear(&heard(RunState::Running, &[], &Vec::new, &f), 0.0);
        let said = a.hear(&heard(RunState::Stopped, &[], &Vec::new, &f), 100.0);
        assert!(said.is_some_and(|s| s.starts_with("Stopped at 2.5 s")));
    }

    #[test]
    fn news_waits_for_the_gap_and_is_told_in_time_order_a_few_at_a_time() {
        let f = figures(1.0, 2);
        let mut a = Announcer::default();
        a.hear(&heard(RunState::Running, &[], &Vec::new, &f), 0.0);
        let lines = [
            line(1.0, "boil()", "Water on"),
            line(3.0, "chop()", "Chopped"),
        ];
        let ends = || {
            vec![(
                2,
                Rc::from("chop()"),
                2.5,
                Outcome::Finished(Rc::from("None")),
            )]
        };
        // Too soon: nothing, and nothing is lost.
        let h = heard(RunState::Running, &lines, &ends, &f);
        assert_eq!(a.hear(&h, GAP_MS - 1.0), None);
        assert_eq!(
            a.hear(&h, GAP_MS).as_deref(),
            Some("boil() printed Water on; chop() returned None; chop() printed Chopped.")
        );
        // Nothing new: nothing said, however long after.
        assert_eq!(a.hear(&h, 10.0 * GAP_MS), None);
        // Many at once: three told, the rest counted.
        let many: Vec<ConsoleLine> = (0..7)
            .map(|i| line(4.0 + f64::from(i), "main", &i.to_string()))
            .collect();
        let mut all = lines.to_vec();
        all.extend(many);
        let h = heard(RunState::Running, &all, &ends, &f);
        assert_eq!(
            a.hear(&h, 20.0 * GAP_MS).as_deref(),
            Some("main printed 0; main printed 1; main printed 2; and 4 more.")
        );
    }

    #[test]
    fn lines_no_longer_drawn_are_counted() {
        let f = figures(1.0, 1);
        let mut a = Announcer::default();
        a.hear(&heard(RunState::Running, &[], &Vec::new, &f), 0.0);
        let lines = [line(9.0, "main", "last")];
        let mut h = heard(RunState::Running, &lines, &Vec::new, &f);
        h.printed = 600;
        assert_eq!(
            a.hear(&h, GAP_MS).as_deref(),
            Some("main printed last; and 599 more.")
        );
    }

    #[test]
    fn a_new_run_starts_afresh() {
        let f = figures(1.0, 1);
        let mut a = Announcer::default();
        a.hear(&heard(RunState::Running, &[], &Vec::new, &f), 0.0);
        a.hear(&heard(RunState::Finished, &[], &Vec::new, &f), 1.0);
        let mut h = heard(RunState::Running, &[], &Vec::new, &f);
        h.run = 2;
        assert_eq!(a.hear(&h, 2.0).as_deref(), Some("Running Cooking."));
    }
}
