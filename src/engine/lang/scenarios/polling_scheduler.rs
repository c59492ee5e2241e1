//! `polling-scheduler`: what an event loop does underneath.

use crate::engine::lang::params::{choice_param, count_param, seconds_param, Spec, Values};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{BlockKind, Expr, OnMainReturn, Program};

pub(super) const EXPLAIN: &str = "A scheduler has to find out when each sleep is over. Spinning \
over every pending sleep until all are ready finishes on time but holds the thread the whole \
while. Polling every sleep once per turn of the loop frees the thread between turns but polls \
thousands of times. Polling each sleep once and then only when its timer wakes it is what \
asyncio and Rust futures do: two polls per task.";

/// One turn of a browser's event loop when zero-delay timers nest: they are clamped to 4 ms.
pub(super) const TURN_S: f64 = 0.004;

pub(super) const PARAMS: &[Spec] = &[
    count_param("tasks", "Sleeps", "100", 1, 100_000, "How many sleeps the scheduler drives."),
    seconds_param("sleep_s", "Each sleeps", "3", 60.0, "How long each sleep lasts."),
    choice_param(
        "strategy",
        "Strategy",
        &["busy_loop", "every_turn", "waker"],
        "waker",
        "busy_loop: spin until all are ready. every_turn: poll each once per loop turn. waker: poll when woken.",
    ),
];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let n = int(v.int("tasks") as i64);
    let secs = lit(v.number("sleep_s"));
    match v.choice("strategy") {
        "busy_loop" => {
            let main = func(
                "main",
                &[],
                vec![
                    s.print(vec![fmt(vec![
                        text("spinning over "),
                        n.clone(),
                        text(" sleeps"),
                    ])]),
                    s.block(secs, BlockKind::Spin),
                    s.print(vec![fmt(vec![text("all "), n, text(" sleeps are ready")])]),
                ],
            );
            program(vec![main], OnMainReturn::CancelPending)
        }
        "every_turn" => {
            let turn = vec![s.sleep(num(TURN_S))];
            let sleeper = func(
                "polled_sleep",
                &["secs"],
                vec![
                    s.let_("deadline", add(Expr::Now, var("secs"))),
                    s.while_(lt(Expr::Now, var("deadline")), turn),
                ],
            );
            let main = func(
                "main",
                &[],
                vec![
                    s.gather(
                        None,
                        comprehension(call("polled_sleep", vec![secs]), "_", range(n.clone())),
                    ),
                    s.print(vec![fmt(vec![text("all "), n, text(" sleeps are ready")])]),
                ],
            );
            program(vec![sleeper, main], OnMainReturn::CancelPending)
        }
        _ => {
            let main = func(
                "main",
                &[],
                vec![
                    s.gather(None, comprehension(sleep_coro(secs), "_", range(n.clone()))),
                    s.print(vec![fmt(vec![text("all "), n, text(" sleeps are ready")])]),
                ],
            );
            program(vec![main], OnMainReturn::CancelPending)
        }
    }
}
