//! `many-tasks`: thousands of sleeping tasks, and what each one costs.

use crate::engine::lang::params::{count_param, seconds_param, Spec, Values};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{OnMainReturn, Program};

pub(super) const EXPLAIN: &str = "Every task sleeps at once and they are awaited together, so the \
run takes about one sleep however many there are; what grows is the overhead and the memory. A \
thread reserves about 8 MB of stack; a coroutine costs about 1 KB in Python, and a Rust future \
far less.";

pub(super) const PARAMS: &[Spec] = &[
    count_param(
        "tasks",
        "Tasks",
        "10000",
        1,
        1_000_000,
        "How many tasks sleep at once.",
    ),
    seconds_param(
        "sleep_s",
        "Each sleeps",
        "1",
        60.0,
        "How long each task sleeps.",
    ),
];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let sleeper = func("sleeper", &[], vec![s.sleep(lit(v.number("sleep_s")))]);
    let main = func(
        "main",
        &[],
        vec![
            s.gather(
                None,
                comprehension(
                    call("sleeper", vec![]),
                    "_",
                    range(int(v.int("tasks") as i64)),
                ),
            ),
            s.print(vec![fmt(vec![
                text("all "),
                int(v.int("tasks") as i64),
                text(" tasks are done"),
            ])]),
        ],
    );
    program(vec![sleeper, main], OnMainReturn::CancelPending)
}
