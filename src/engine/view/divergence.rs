//! Where a real run's order left the ideal one, and why.
//!
//! The real run keeps asyncio's loop rules on the browser's clock, so it prints what the ideal
//! run prints, in the same order, as long as lateness does not change which tasks are ready
//! together. When it does (timers that fall due together on a perfect clock no longer do), the
//! first line printed out of the ideal order is found here, with the timers that explain it.

use std::rc::Rc;

use crate::engine::lang::value::{seconds_ms, Value};
use crate::engine::record::trace::{EventKind, TaskId, Trace};

/// The first printed line where a real run left the ideal order.
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// Its position among the printed lines, from 0.
    pub index: usize,
    /// When the real run printed it, in scenario seconds.
    pub at: f64,
    /// Who printed it in the real run, and what.
    pub real: (TaskId, Rc<str>),
    /// What the ideal run printed at that position, and who.
    pub ideal: (TaskId, Rc<str>),
    /// One sentence on why.
    pub why: String,
}

/// The timer that last woke `task` at or before `at`: when it was due and when it fired.
fn last_timer(trace: &Trace, task: TaskId, at: f64) -> Option<(f64, f64)> {
    trace
        .events
        .iter()
        .take_while(|e| e.at <= at + 1e-9)
        .filter(|e| e.task == task)
        .filter_map(|e| match e.kind {
            EventKind::TimerFired { due } => Some((due, e.at)),
            _ => None,
        })
        .last()
}

/// How far a real deadline may sit after the ideal one and still count as the same (seconds).
const DRIFT: f64 = 1e-6;

/// When `task` printed `text` for the `nth` time (from 0), if it did.
fn printed_at(trace: &Trace, task: TaskId, text: &str, nth: usize) -> Option<f64> {
    trace
        .events
        .iter()
        .filter(|e| {
            e.task == task && matches!(&e.kind, EventKind::Printed { text: t, .. } if &**t == text)
        })
        .nth(nth)
        .map(|e| e.at)
}

/// Finds the first printed line of `real` that is not the ideal run's line at the same
/// position (comparing who printed and what), over the lines both have.
pub fn first_divergence(real: &Trace, ideal: &Trace) -> Option<Divergence> {
    let (r, i) = (real.lines(), ideal.lines());
    let index = r
        .iter()
        .zip(i.iter())
        .position(|(a, b)| a.task != b.task || a.text != b.text)?;
    let (got, want) = (&r[index], &i[index]);
    // How many times the expected task printed this very text before: the same line in both.
    let nth = i[..index]
        .iter()
        .filter(|l| l.task == want.task && l.text == want.text)
        .count();
    let expected = real.name(want.task).to_string();
    let first = real.name(got.task).to_string();
    let ideal_timer = last_timer(ideal, want.task, want.at);
    let real_line_at = printed_at(real, want.task, &want.text, nth).unwrap_or(got.at);
    let real_timer = last_timer(real, want.task, real_line_at);
    let quoted = |text: &Rc<str>| Value::Str(text.clone()).repr();
    let lead = format!(
        "Ideally {expected} printed {} here, at {} s; on the real clock {first} printed {} first.",
        quoted(&want.text),
        seconds_ms(want.at),
        quoted(&got.text),
    );
    let why = match (ideal_timer, real_timer) {
        (Some((ideal_due, _)), Some((real_due, _))) if real_due > got.at => format!(
            "{lead} {expected}'s timer fell due only at {} s, after {first} printed at {} s: each \
             of its sleeps starts when the one before ended, so their lateness adds up ({} ms by \
             then, against a due time of {} s on the perfect clock).",
            seconds_ms(real_due),
            seconds_ms(got.at),
            seconds_ms((real_due - ideal_due).max(0.0) * 1000.0),
            seconds_ms(ideal_due),
        ),
        (Some(_), Some((due, fired))) if fired > got.at => format!(
            "{lead} {expected}'s timer, due at {} s, fired only at {} s ({} ms late), after \
             {first} printed at {} s.",
            seconds_ms(due),
            seconds_ms(fired),
            seconds_ms((fired - due) * 1000.0),
            seconds_ms(got.at),
        ),
        (Some((ideal_due, _)), Some((real_due, _))) if real_due > ideal_due + DRIFT => format!(
            "{lead} {expected}'s timer fell due at {} s, {} ms after its due time on the perfect \
             clock ({} s): each of its sleeps starts when the one before ended, so their lateness \
             adds up, and the loop runs the timers due in a turn in the order of their deadlines.",
            seconds_ms(real_due),
            seconds_ms((real_due - ideal_due) * 1000.0),
            seconds_ms(ideal_due),
        ),
        _ => format!(
            "{lead} Lateness on the real clock changed which tasks were ready in the same turn of \
             the loop."
        ),
    };
    Some(Divergence {
        index,
        at: got.at,
        real: (got.task, got.text.clone()),
        ideal: (want.task, want.text.clone()),
        why,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::record::trace::{Event, TaskInfo};

    fn trace(events: &[(f64, u32, EventKind)]) -> Trace {
        let mut t = Trace::default();
        for (name, parent) in [
            ("main", None),
            ("fetch()", Some(TaskId(0))),
            ("count()", Some(TaskId(0))),
        ] {
            t.tasks.push(TaskInfo {
                name: Rc::from(name),
                parent,
                spawned: 0.0,
            });
        }
        for (at, task, kind) in events {
            t.events.push(Event {
                at: *at,
                task: TaskId(*task),
                kind: kind.clone(),
            });
        }
        t
    }

    fn print(text: &str) -> EventKind {
        EventKind::Printed {
            text: Rc::from(text),
            step: crate::engine::lang::ids::StepId(0),
            open: false,
        }
    }

    #[test]
    fn the_same_order_has_no_divergence() {
        let ideal = trace(&[(0.0, 1, print("a")), (1.0, 2, print("b"))]);
        assert_eq!(first_divergence(&ideal.clone(), &ideal), None);
    }

    #[test]
    fn a_drifted_timer_is_named_as_the_reason() {
        // fetch-and-count's tie at 2 s: ideally count's timer is due with fetch's, so "8"
        // comes before main's line; on the real clock count's drifted to 2.008 s.
        let ideal = trace(&[
            (2.0, 1, EventKind::TimerFired { due: 2.0 }),
            (2.0, 2, EventKind::TimerFired { due: 2.0 }),
            (2.0, 1, print("Done fetching")),
            (2.0, 2, print("8")),
            (2.0, 0, print("{'data': 1}")),
        ]);
        let real = trace(&[
            (2.0004, 1, EventKind::TimerFired { due: 2.0 }),
            (2.0005, 1, print("Done fetching")),
            (2.0006, 0, print("{'data': 1}")),
            (2.0081, 2, EventKind::TimerFired { due: 2.008 }),
            (2.0082, 2, print("8")),
        ]);
        let d = first_divergence(&real, &ideal).expect("the order differs");
        assert_eq!(d.index, 1);
        assert_eq!(d.real, (TaskId(0), Rc::from("{'data': 1}")));
        assert_eq!(d.ideal, (TaskId(2), Rc::from("8")));
        assert!(
            d.why.contains(
                "count()'s timer fell due only at 2.008 s, after main printed at 2.001 s"
            ),
            "{}",
            d.why
        );
        assert!(d.why.contains("(8 ms by then"), "{}", d.why);
    }

    #[test]
    fn a_deadline_drifted_behind_another_in_the_same_turn_is_named() {
        // count's timer drifted to 2.0015 s, after fetch's (2 s), and both fired in one turn:
        // fetch's came first, so main printed before count.
        let ideal = trace(&[
            (2.0, 2, EventKind::TimerFired { due: 2.0 }),
            (2.0, 1, EventKind::TimerFired { due: 2.0 }),
            (2.0, 2, print("8")),
            (2.0, 0, print("{'data': 1}")),
        ]);
        let real = trace(&[
            (2.002, 1, EventKind::TimerFired { due: 2.0 }),
            (2.002, 2, EventKind::TimerFired { due: 2.0015 }),
            (2.0021, 0, print("{'data': 1}")),
            (2.0022, 2, print("8")),
        ]);
        let d = first_divergence(&real, &ideal).expect("the order differs");
        assert!(
            d.why
                .contains("count()'s timer fell due at 2.002 s, 1.5 ms after its due time"),
            "{}",
            d.why
        );
    }
}
