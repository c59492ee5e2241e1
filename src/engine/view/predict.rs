//! Predict, then run: the lines a program will print, offered in the order their print
//! statements appear in the code (never in the order they will come), and once the run is over,
//! the first line where a prediction left what the run printed, with why in one sentence.

use std::rc::Rc;

use crate::engine::lang::listing::Listing;
use crate::engine::lang::value::seconds_ms;
use crate::engine::record::trace::{Event, EventKind, Trace};
use crate::engine::view::moment::event_words;

/// The most lines offered: a prediction is for programs that print a few.
pub const MAX_LINES: usize = 40;

/// The lines `trace` printed, offered in the order of their print statements in `listing`
/// (lines printed by one statement in the order of their text), at most [`MAX_LINES`]; `None`
/// when there are more (too many to order by hand) or none.
pub fn offered(trace: &Trace, listing: &Listing) -> Option<Vec<Rc<str>>> {
    let mut lines: Vec<(usize, Rc<str>)> = trace
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Printed { text, step, .. } => {
                Some((listing.line_of(*step).unwrap_or(usize::MAX), text.clone()))
            }
            _ => None,
        })
        .collect();
    if lines.is_empty() || lines.len() > MAX_LINES {
        return None;
    }
    lines.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    Some(lines.into_iter().map(|(_, t)| t).collect())
}

/// Where a prediction first left the run: the position (from 0) and the sentence that says what
/// happened instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Miss {
    /// The first line predicted wrong, from 0.
    pub index: usize,
    /// When the run printed the line that came there, in scenario seconds (where the timeline
    /// marks it).
    pub at: f64,
    /// What happened, in one sentence.
    pub why: String,
}

/// The first line where `predicted` leaves what `trace` printed, or `None` when every line is
/// where it was predicted.
pub fn first_miss(predicted: &[Rc<str>], trace: &Trace) -> Option<Miss> {
    let prints: Vec<&Event> = trace
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Printed { .. }))
        .collect();
    let text = |e: &Event| match &e.kind {
        EventKind::Printed { text, .. } => text.clone(),
        _ => Rc::from(""),
    };
    let index = (0..predicted.len().max(prints.len()))
        .find(|&i| predicted.get(i).map(|p| &**p) != prints.get(i).map(|e| text(e)).as_deref())?;
    let nth = match index + 1 {
        1 => "1st".to_string(),
        2 => "2nd".to_string(),
        3 => "3rd".to_string(),
        n => format!("{n}th"),
    };
    let Some(&came) = prints.get(index) else {
        return Some(Miss {
            index,
            at: trace.elapsed(),
            why: format!(
                "The run printed only {} lines; you expected a {nth}, \u{201c}{}\u{201d}.",
                prints.len(),
                predicted.get(index).map_or("", |p| &**p)
            ),
        });
    };
    let expected = predicted.get(index).map_or_else(
        || "nothing more".to_string(),
        |p| format!("\u{201c}{p}\u{201d}"),
    );
    // What made the printing task run then: its last wake before the print (a timer, or the
    // end of what it awaited), or its first step.
    let before = trace.events.iter().take_while(|e| !std::ptr::eq(*e, came));
    let cause = before
        .filter(|e| {
            e.task == came.task && matches!(e.kind, EventKind::TimerFired { .. } | EventKind::Woken)
        })
        .last()
        .map_or_else(
            || {
                format!(
                    "{} was ready first, as the loop runs new tasks in the order they were created",
                    trace.name(came.task)
                )
            },
            |e| event_words(trace, e),
        );
    Some(Miss {
        index,
        at: came.at,
        why: format!(
            "The {nth} line was \u{201c}{}\u{201d}, printed by {} at {} s, not {expected}: {cause}.",
            text(came),
            trace.name(came.task),
            seconds_ms(came.at)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::exec::sim::ideal;
    use crate::engine::lang::listing::{render, Style};
    use crate::engine::lang::scenarios::find;

    fn run(link: &[(&'static str, &str)], id: &str) -> (Trace, Listing) {
        let s = find(id).expect("a scenario");
        let (values, errors) =
            s.parse(|name| link.iter().find(|(n, _)| *n == name).map(|(_, t)| *t));
        assert!(errors.is_empty(), "{errors:?}");
        let (trace, _) = ideal(s, &values);
        (trace, render(&(s.build)(&values), Style::Python))
    }

    fn texts(lines: &[Rc<str>]) -> Vec<&str> {
        lines.iter().map(|l| &**l).collect()
    }

    #[test]
    fn lines_are_offered_in_code_order_not_in_time_order() {
        let (trace, listing) = run(&[("mode", "gather"), ("durations", "6,3")], "cooking");
        let offered = offered(&trace, &listing).expect("lines");
        // In time, 3 finishes before 6; in the code, each print statement's lines by text.
        assert_eq!(
            texts(&offered),
            [
                "starting 3 sleep",
                "starting 6 sleep",
                "finished 3 sleep",
                "finished 6 sleep",
                "[6, 3]"
            ]
        );
        let printed: Vec<&str> = trace
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Printed { text, .. } => Some(&**text),
                _ => None,
            })
            .collect();
        assert_eq!(
            printed,
            [
                "starting 6 sleep",
                "starting 3 sleep",
                "finished 3 sleep",
                "finished 6 sleep",
                "[6, 3]"
            ]
        );
    }

    #[test]
    fn a_right_prediction_has_no_miss_and_a_wrong_one_is_caught_at_its_first_wrong_line() {
        let (trace, _) = run(&[("mode", "gather")], "cooking");
        let right: Vec<Rc<str>> = [
            "starting 3 sleep",
            "starting 6 sleep",
            "finished 3 sleep",
            "finished 6 sleep",
            "[3, 6]",
        ]
        .iter()
        .map(|s| Rc::from(*s))
        .collect();
        assert_eq!(first_miss(&right, &trace), None);
        let mut wrong = right.clone();
        wrong.swap(2, 3);
        let miss = first_miss(&wrong, &trace).expect("a miss");
        assert_eq!(miss.index, 2);
        assert_eq!(miss.at, 3.0);
        assert_eq!(
            miss.why,
            "The 3rd line was \u{201c}finished 3 sleep\u{201d}, printed by sleep_and_print(3) at 3 s, not \u{201c}finished 6 sleep\u{201d}: t = 3 s: the timer of sleep_and_print(3) fired; sleep_and_print(3) is ready."
        );
        // Nothing woke the task that printed first: it was simply created first.
        let (six_first, _) = run(&[("mode", "gather"), ("durations", "6,3")], "cooking");
        assert_eq!(
            first_miss(&right, &six_first).map(|m| m.why),
            Some("The 1st line was \u{201c}starting 6 sleep\u{201d}, printed by sleep_and_print(6) at 0 s, not \u{201c}starting 3 sleep\u{201d}: sleep_and_print(6) was ready first, as the loop runs new tasks in the order they were created.".into())
        );
        // Too few lines predicted, or too many.
        assert_eq!(first_miss(&right[..4], &trace).map(|m| m.index), Some(4));
        let mut more = right.clone();
        more.push(Rc::from("extra"));
        let miss = first_miss(&more, &trace).expect("a miss");
        assert_eq!(miss.index, 5);
        assert!(
            miss.why.starts_with("The run printed only 5 lines"),
            "{}",
            miss.why
        );
    }

    #[test]
    fn a_run_with_too_many_lines_or_none_offers_nothing() {
        let (trace, listing) = run(&[("count", "100")], "fetch-and-count");
        assert_eq!(offered(&trace, &listing), None);
        let (trace, listing) = run(&[], "fetch-and-count");
        assert!(offered(&trace, &listing).is_some_and(|l| l.len() <= MAX_LINES));
    }
}
