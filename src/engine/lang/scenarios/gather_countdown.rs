//! `gather-countdown`: started in order, finished in reverse.

use crate::engine::lang::params::{count_param, seconds_param, Spec, Values};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{OnMainReturn, Program};
use crate::engine::lang::value::seconds;

pub(super) const EXPLAIN: &str = "gather starts one task per coroutine, in order, and waits for \
all of them. Task x sleeps base_s - x, so the last one started wakes first.";

pub(super) const PARAMS: &[Spec] = &[
    count_param(
        "tasks",
        "Tasks",
        "3",
        1,
        1000,
        "How many copies of minimum(x) run.",
    ),
    seconds_param(
        "base_s",
        "Base sleep",
        "5",
        600.0,
        "Task x sleeps base_s - x.",
    ),
];

pub(super) fn check(v: &Values) -> Vec<(&'static str, String)> {
    let tasks = v.int("tasks");
    let base = v.num("base_s");
    if base < tasks.saturating_sub(1) as f64 {
        vec![(
            "base_s",
            format!(
                "Must be at least tasks - 1 = {}: task x sleeps base_s - x, and no sleep may be negative (now {}).",
                tasks - 1,
                seconds(base)
            ),
        )]
    } else {
        Vec::new()
    }
}

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let minimum = func(
        "minimum",
        &["x"],
        vec![
            s.print(vec![var("x"), text("started")]),
            s.sleep(sub(lit(v.number("base_s")), var("x"))),
            s.print(vec![text("Received:"), var("x")]),
        ],
    );
    let main = func(
        "main",
        &[],
        vec![
            s.let_(
                "tasks",
                comprehension(
                    call("minimum", vec![var("x")]),
                    "x",
                    range(int(v.int("tasks") as i64)),
                ),
            ),
            s.gather(None, var("tasks")),
        ],
    );
    program(vec![minimum, main], OnMainReturn::CancelPending)
}
