//! `blocking-sleep`: the wrong sleep makes every task wait its turn.

use crate::engine::lang::params::{choice_param, count_param, seconds_param, Spec, Values};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{BlockKind, OnMainReturn, Program};

pub(super) const EXPLAIN: &str = "An awaited sleep gives the thread back, so every task sleeps at \
the same time. A blocking sleep (Python's time.sleep) keeps the thread: the other tasks cannot \
even start until it ends, and the total grows with every task.";

pub(super) const PARAMS: &[Spec] = &[
    count_param("tasks", "Tasks", "3", 1, 100, "How many tasks sleep."),
    seconds_param(
        "sleep_s",
        "Each sleeps",
        "1",
        60.0,
        "How long each task sleeps.",
    ),
    choice_param(
        "sleep",
        "Sleep",
        &["awaited", "blocking"],
        "blocking",
        "awaited: asyncio.sleep. blocking: time.sleep.",
    ),
];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let secs = lit(v.number("sleep_s"));
    let nap = if v.choice("sleep") == "awaited" {
        s.sleep(secs)
    } else {
        s.block(secs, BlockKind::Sleep)
    };
    let task = func(
        "nap",
        &["n"],
        vec![
            s.print(vec![fmt(vec![
                text("task "),
                var("n"),
                text(" goes to sleep"),
            ])]),
            nap,
            s.print(vec![fmt(vec![text("task "), var("n"), text(" wakes up")])]),
        ],
    );
    let main = func(
        "main",
        &[],
        vec![s.gather(
            None,
            comprehension(
                call("nap", vec![var("n")]),
                "n",
                range(int(v.int("tasks") as i64)),
            ),
        )],
    );
    program(vec![task, main], OnMainReturn::CancelPending)
}
