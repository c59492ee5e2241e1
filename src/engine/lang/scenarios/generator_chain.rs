//! `generator-chain`: nested awaits.

use crate::engine::lang::params::{count_param, seconds_param, Spec, Values};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{OnMainReturn, Program};

pub(super) const EXPLAIN: &str = "foo awaits bar, bar awaits a sleep and returns 123. Awaiting \
passes the pause straight up the chain, so each task is one lane paused inside foo → bar, and \
every copy finishes after one sleep, however many run.";

pub(super) const PARAMS: &[Spec] = &[
    count_param(
        "tasks",
        "Tasks",
        "100",
        1,
        100_000,
        "How many copies of foo run together.",
    ),
    seconds_param("sleep_s", "Sleep", "2", 60.0, "How long bar sleeps."),
];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let bar = func(
        "bar",
        &[],
        vec![s.sleep(lit(v.number("sleep_s"))), s.ret(int(123))],
    );
    let foo_fn = func(
        "foo",
        &[],
        vec![
            s.await_(Some("value"), call("bar", vec![])),
            s.ret(var("value")),
        ],
    );
    let main = func(
        "main",
        &[],
        vec![
            s.gather(
                Some("values"),
                comprehension(call("foo", vec![]), "_", range(int(v.int("tasks") as i64))),
            ),
            s.print(vec![
                text("every foo returned"),
                index(var("values"), int(0)),
            ]),
        ],
    );
    program(vec![bar, foo_fn, main], OnMainReturn::CancelPending)
}
