//! `fetch-and-count`: two tasks interleaving on one thread.

use crate::engine::lang::params::{count_param, seconds_param, Spec, Values, ON_MAIN_RETURN};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::Program;

use super::on_main_return;

pub(super) const EXPLAIN: &str = "fetch sleeps once for a long time; count prints a number and \
sleeps a little, again and again. Both are tasks, so while fetch waits, count gets the thread. \
When fetch's timer and one of count's fall due at the same instant, both tasks become ready in \
the same turn: fetch ends first, and main, woken by its end, queues up behind count. On the \
real clock count's sleeps drift a little late each time, so there the tie may break the other \
way.";

pub(super) const PARAMS: &[Spec] = &[
    seconds_param(
        "fetch_s",
        "Fetch takes",
        "2",
        60.0,
        "How long fetch waits for its data.",
    ),
    count_param(
        "count",
        "Count to",
        "10",
        0,
        1000,
        "How many numbers count prints.",
    ),
    seconds_param(
        "interval_s",
        "Count interval",
        "0.25",
        10.0,
        "How long count sleeps after each number.",
    ),
    ON_MAIN_RETURN,
];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let fetch = func(
        "fetch",
        &[],
        vec![
            s.say("Start fetching"),
            s.sleep(lit(v.number("fetch_s"))),
            s.say("Done fetching"),
            s.ret(Expr::Dict(vec![("data".into(), int(1))])),
        ],
    );
    let loop_body = vec![
        s.print(vec![var("i")]),
        s.sleep(lit(v.number("interval_s"))),
    ];
    let count = func(
        "count",
        &[],
        vec![s.for_("i", range(int(v.int("count") as i64)), loop_body)],
    );
    let main = func(
        "main",
        &[],
        vec![
            s.spawn(Some("task1"), call("fetch", vec![])),
            s.spawn(Some("task2"), call("count", vec![])),
            s.await_(Some("value"), var("task1")),
            s.print(vec![var("value")]),
        ],
    );
    program(vec![fetch, count, main], on_main_return(v))
}

use crate::engine::lang::program::Expr;
