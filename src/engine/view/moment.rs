//! A run studied at one moment: where a time cursor stands, what the console had printed by
//! then, the line each task was at, each task's state and counters, the figures, and a sentence
//! for the event the cursor is on. A moment is "after the `index`th event": stepping moves
//! event by event, even among events at the same instant. Pure: it reads a recorded trace.

use std::rc::Rc;

use crate::engine::lang::listing::Listing;
use crate::engine::lang::value::seconds_ms;
use crate::engine::record::fold::Fold;
use crate::engine::record::trace::{Event, EventKind, Line, SegmentKind, Trace};
use crate::engine::view::figures::Figures;
use crate::engine::view::presenter::{
    marks_of, ConsoleLine, Marks, Row, MAX_LANES, MAX_LINES, MAX_ROWS,
};
use crate::engine::view::states::StateReader;

/// The run at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct Moment {
    /// How many events had happened (0: the start).
    pub index: usize,
    /// How many events the run has.
    pub count: usize,
    /// The time, in scenario seconds.
    pub at: f64,
    /// The event the cursor is on, in a sentence.
    pub text: String,
    /// The lines printed by then (the newest [`MAX_LINES`]).
    pub lines: Rc<Vec<ConsoleLine>>,
    /// The next line to be printed, if any.
    pub next: Option<ConsoleLine>,
    /// Lines printed by then and not in `lines`.
    pub hidden_lines: u64,
    /// The line each task was at, in both listings.
    pub marks: Rc<Marks>,
    /// The task table's rows: name, counters so far, state.
    pub table: Rc<Vec<Row>>,
    /// Tasks not in the table.
    pub more: usize,
    /// The headline figures so far.
    pub figures: Figures,
}

/// A move of the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The start, before any event.
    Start,
    /// The previous event.
    Back,
    /// The next event.
    Forward,
    /// The event of the previous printed line.
    PreviousPrint,
    /// The event of the next printed line.
    NextPrint,
    /// The end, after the last event.
    End,
}

/// Where `step` takes a cursor after event `index` of `trace`.
pub fn step(trace: &Trace, index: usize, step: Step) -> usize {
    let count = trace.events.len();
    let index = index.min(count);
    let prints = |e: &Event| matches!(e.kind, EventKind::Printed { .. });
    match step {
        Step::Start => 0,
        Step::End => count,
        Step::Back => index.saturating_sub(1),
        Step::Forward => (index + 1).min(count),
        // Event `i` (from 0) is the `i + 1`th: a cursor on it stands at `i + 1`.
        Step::PreviousPrint => trace
            .events
            .iter()
            .take(index.saturating_sub(1))
            .enumerate()
            .filter(|(_, e)| prints(e))
            .last()
            .map_or(0, |(i, _)| i + 1),
        Step::NextPrint => trace
            .events
            .iter_from(index)
            .position(prints)
            .map_or(count, |i| index + i + 1),
    }
}

/// The cursor for a time: after every event at or before `at`.
pub fn index_at(trace: &Trace, at: f64) -> usize {
    trace.events.iter().take_while(|e| e.at <= at).count()
}

/// When the moment after event `index` is: that event's time (0 at the start).
pub fn time_of(trace: &Trace, index: usize) -> f64 {
    index
        .checked_sub(1)
        .and_then(|i| trace.events.iter_from(i).next())
        .map_or(0.0, |e| e.at)
}

/// The run `trace` after its `index`th event, at time `at` (the time of that event, or any time
/// before the next), next to an ideal schedule `ideal` seconds long.
pub fn moment(
    trace: &Trace,
    index: usize,
    at: f64,
    ideal: f64,
    python: &Listing,
    rust: &Listing,
) -> Moment {
    let count = trace.events.len();
    let index = index.min(count);
    let mut fold = Fold::live(MAX_LANES, MAX_ROWS, MAX_LINES);
    fold.update_to(trace, index);
    let lines: Vec<ConsoleLine> = fold
        .lines()
        .iter()
        .map(|l| ConsoleLine::of(trace, l))
        .collect();
    let hidden_lines = fold.lines_total().saturating_sub(lines.len() as u64);
    let next = trace.events.iter_from(index).find_map(|e| match &e.kind {
        EventKind::Printed { text, open, .. } => Some(ConsoleLine::of(
            trace,
            &Line {
                at: e.at,
                task: e.task,
                text: text.clone(),
                open: *open,
            },
        )),
        _ => None,
    });
    let mut reader = StateReader::default();
    reader.update_to(trace, index);
    let states = reader.at(trace, at);
    let table = fold
        .stats(at)
        .into_iter()
        .map(|s| {
            let state = states.get(s.task.0 as usize).cloned();
            (Rc::from(trace.name(s.task)), s, state)
        })
        .collect::<Vec<Row>>();
    let event = index
        .checked_sub(1)
        .and_then(|i| trace.events.iter_from(i).next());
    Moment {
        index,
        count,
        at,
        text: event.map_or_else(
            || "t = 0 s: the start; nothing has run yet.".to_string(),
            |e| event_words(trace, e),
        ),
        lines: Rc::new(lines),
        next,
        hidden_lines,
        marks: Rc::new(marks_of(&mut fold, trace, python, rust)),
        table: Rc::new(table),
        more: fold.task_count().saturating_sub(MAX_ROWS),
        figures: Figures::of(&fold, ideal, at),
    }
}

/// One event in a sentence: "t = 2 s: the timer of fetch() fired; fetch() is ready".
pub fn event_words(trace: &Trace, e: &Event) -> String {
    let task = trace.name(e.task);
    let what = match &e.kind {
        EventKind::PollStart => format!("the loop runs {task}"),
        EventKind::Paused { on, .. } => format!(
            "{task} pauses, {}",
            trace.describe(&SegmentKind::Waiting(on.clone()))
        ),
        EventKind::Finished { value } => format!("{task} returns {value}; it is done"),
        EventKind::Woken => format!("{task} is woken; it is ready"),
        EventKind::TimerFired { due } => {
            let late = e.at - due;
            let late = if late >= 0.0005 {
                format!(" {} ms late", seconds_ms(late * 1000.0))
            } else {
                String::new()
            };
            format!("the timer of {task} fired{late}; {task} is ready")
        }
        EventKind::Printed { text, .. } => format!("{task} prints {text}"),
        EventKind::Blocked { until, .. } => format!(
            "{task} holds the thread with blocking work until {} s",
            seconds_ms(*until)
        ),
        EventKind::NeverAwaited(what) => {
            format!("{task} makes the coroutine {what} and never awaits it")
        }
        EventKind::Cancelled => format!("{task} is cancelled"),
        EventKind::Failed(m) => format!("{task} fails: {m}"),
    };
    format!("t = {} s: {what}", seconds_ms(e.at))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::exec::sim::ideal;
    use crate::engine::lang::listing::{render, Style};
    use crate::engine::lang::scenarios::find;

    /// fetch-and-count on the virtual clock, and its Python and Rust listings.
    fn fetch_and_count() -> (Trace, Listing, Listing) {
        scenario(find("fetch-and-count").expect("in the catalog"))
    }

    /// A scenario's defaults on the virtual clock, and its Python and Rust listings.
    fn scenario(s: &crate::engine::lang::scenarios::ScenarioInfo) -> (Trace, Listing, Listing) {
        let values = s.defaults();
        let (trace, _) = ideal(s, &values);
        let program = (s.build)(&values);
        let (py, rs) = (
            render(&program, Style::Python),
            render(&program, Style::Rust),
        );
        (trace, py, rs)
    }

    fn at(trace: &Trace, index: usize, py: &Listing, rs: &Listing) -> Moment {
        moment(trace, index, time_of(trace, index), 2.5, py, rs)
    }

    #[test]
    fn the_start_has_nothing_printed_and_every_task_not_yet_run() {
        let (trace, py, rs) = fetch_and_count();
        let m = at(&trace, 0, &py, &rs);
        assert_eq!((m.index, m.count), (0, trace.events.len()));
        assert!(m.lines.is_empty());
        assert_eq!(m.next.map(|l| l.text), Some(Rc::from("Start fetching")));
        assert_eq!(m.text, "t = 0 s: the start; nothing has run yet.");
        assert_eq!(m.figures.polls, 0);
    }

    #[test]
    fn at_two_seconds_the_lines_states_and_counters_are_those_of_that_moment() {
        let (trace, py, rs) = fetch_and_count();
        // Just before 2 s: count has printed 0 to 7, fetch waits on its sleep.
        let before = index_at(&trace, 1.999);
        let m = moment(&trace, before, 1.999, 2.5, &py, &rs);
        let texts: Vec<&str> = m.lines.iter().map(|l| &*l.text).collect();
        assert_eq!(
            texts,
            ["Start fetching", "0", "1", "2", "3", "4", "5", "6", "7"]
        );
        assert_eq!(m.next.as_ref().map(|l| &*l.text), Some("Done fetching"));
        let state = |m: &Moment, name: &str| {
            m.table
                .iter()
                .find(|(n, _, _)| &**n == name)
                .map(|(_, s, st)| (st.clone().expect("a state"), s.polls))
                .expect("a row")
        };
        let (fetch, polls) = state(&m, "fetch()");
        assert_eq!(fetch.word, "waiting");
        assert_eq!(&*fetch.detail, "waiting on a sleep due at 2 s");
        assert_eq!(polls, 1);
        assert_eq!(&*state(&m, "main").0.detail, "waiting on task fetch()");
        // The end: everyone done, every line printed.
        let end = at(&trace, trace.events.len(), &py, &rs);
        assert_eq!(end.lines.len(), 13);
        assert_eq!(end.next, None);
        assert!(end
            .table
            .iter()
            .all(|(_, _, st)| st.as_ref().is_some_and(|st| st.word == "done")));
        assert_eq!(&*state(&end, "fetch()").0.detail, "returned {'data': 1}");
    }

    #[test]
    fn steps_go_event_by_event_and_print_by_print() {
        let (trace, _, _) = fetch_and_count();
        let n = trace.events.len();
        assert_eq!(step(&trace, 5, Step::Start), 0);
        assert_eq!(step(&trace, 5, Step::End), n);
        assert_eq!(step(&trace, 0, Step::Back), 0);
        assert_eq!(step(&trace, n, Step::Forward), n);
        assert_eq!(step(&trace, 5, Step::Forward), 6);
        assert_eq!(step(&trace, 5, Step::Back), 4);
        // Print by print, forward from the start, visits every line in order (the last event
        // is count()'s end, not a print, so the end means no print is left).
        let mut i = 0;
        let mut seen = Vec::new();
        loop {
            let next = step(&trace, i, Step::NextPrint);
            if next == n {
                break;
            }
            let e = trace.events.iter_from(next - 1).next().expect("an event");
            match &e.kind {
                EventKind::Printed { text: t, .. } => seen.push(t.to_string()),
                other => panic!("stopped on {other:?}"),
            }
            i = next;
        }
        assert_eq!(seen.len(), 13);
        assert_eq!(seen[9], "Done fetching");
        // And back again, to the start.
        let mut back = Vec::new();
        while i > 0 {
            i = step(&trace, i, Step::PreviousPrint);
            if i > 0 {
                back.push(i);
            }
        }
        assert_eq!(back.len(), 12);
    }

    #[test]
    fn each_event_has_its_sentence() {
        let (trace, _, _) = fetch_and_count();
        let words: Vec<String> = trace
            .events
            .iter()
            .map(|e| event_words(&trace, e))
            .collect();
        assert!(words.contains(&"t = 2 s: the timer of fetch() fired; fetch() is ready".into()));
        assert!(words.contains(&"t = 0 s: fetch() prints Start fetching".into()));
        assert!(words
            .iter()
            .any(|w| w.starts_with("t = 2 s: fetch() returns {'data': 1}")));
        assert!(words
            .iter()
            .any(|w| w == "t = 0 s: count() pauses, waiting on a sleep due at 0.25 s"));
    }

    #[test]
    fn in_every_scenario_the_end_is_the_whole_run_and_each_step_one_event() {
        for s in &crate::engine::lang::scenarios::CATALOG {
            let (trace, py, rs) = scenario(s);
            let n = trace.events.len();
            let end = at(&trace, n, &py, &rs);
            let printed: Vec<Rc<str>> = trace.lines().into_iter().map(|l| l.text).collect();
            let shown: Vec<Rc<str>> = end.lines.iter().map(|l| l.text.clone()).collect();
            assert_eq!(shown, printed, "{}", s.id);
            assert_eq!(end.next, None, "{}", s.id);
            assert!(
                end.table.iter().all(|(_, _, st)| st
                    .as_ref()
                    .is_some_and(|st| matches!(st.word, "done" | "cancelled" | "failed"))),
                "{}: every task has ended",
                s.id
            );
            // Forward from the start visits every event once, in order, and the lines grow
            // by one exactly at each print (over the first 300 events: each moment is a fold
            // from the start).
            let (mut i, mut lines) = (0, 0);
            while i < n.min(300) {
                let next = step(&trace, i, Step::Forward);
                assert_eq!(next, i + 1, "{}", s.id);
                let m = at(&trace, next, &py, &rs);
                let printed = trace
                    .events
                    .iter_from(i)
                    .next()
                    .is_some_and(|e| matches!(e.kind, EventKind::Printed { .. }));
                lines += usize::from(printed);
                assert_eq!(m.lines.len(), lines.min(MAX_LINES), "{} at {next}", s.id);
                i = next;
            }
        }
    }
}
