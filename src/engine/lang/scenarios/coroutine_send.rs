//! `coroutine-send`: a coroutine that blocks, beside a ticker that should keep time.

use crate::engine::lang::params::{choice_param, seconds_param, Kind, Spec, Unit, Values};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{BlockKind, OnMainReturn, Program};

pub(super) const EXPLAIN: &str = "The receiver is sent two values and waits a while for each. \
With a blocking wait it keeps the thread, so the ticker beside it cannot print a single tick \
until the receiver is done. With an awaited wait the ticks stay on time.";

pub(super) const PARAMS: &[Spec] = &[
    seconds_param(
        "first_s",
        "Wait for First",
        "4",
        60.0,
        "How long the receiver waits on First.",
    ),
    seconds_param(
        "second_s",
        "Wait for Second",
        "2",
        60.0,
        "How long it waits on Second.",
    ),
    Spec {
        name: "tick_s",
        label: "Tick every",
        kind: Kind::Number {
            min: 0.05,
            max: 10.0,
            unit: Unit::Seconds,
        },
        default: "0.5",
        help: "The ticker's period; its first tick is due after one period.",
    },
    choice_param(
        "waiting",
        "The receiver's wait",
        &["blocking", "non_blocking"],
        "blocking",
        "blocking: time.sleep. non_blocking: await asyncio.sleep.",
    ),
];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let tick_body = vec![
        s.sleep(lit(v.number("tick_s"))),
        s.let_("n", add(var("n"), int(1))),
        s.print(vec![fmt(vec![text("tick "), var("n")])]),
    ];
    let ticker = func(
        "ticker",
        &[],
        vec![s.let_("n", int(0)), s.while_(yes(), tick_body)],
    );
    let wait = if v.choice("waiting") == "non_blocking" {
        s.sleep(var("secs"))
    } else {
        s.block(var("secs"), BlockKind::Sleep)
    };
    let receive = func(
        "receive",
        &["value", "secs"],
        vec![
            s.print(vec![fmt(vec![text("waiting for "), var("value")])]),
            wait,
            s.print(vec![text("Received:"), var("value")]),
        ],
    );
    let main = func(
        "main",
        &[],
        vec![
            s.spawn(Some("ticks"), call("ticker", vec![])),
            s.say("the receiver is primed"),
            s.await_(
                None,
                call("receive", vec![text("First"), lit(v.number("first_s"))]),
            ),
            s.await_(
                None,
                call("receive", vec![text("Second"), lit(v.number("second_s"))]),
            ),
            s.cancel(var("ticks")),
        ],
    );
    program(vec![ticker, receive, main], OnMainReturn::CancelPending)
}
