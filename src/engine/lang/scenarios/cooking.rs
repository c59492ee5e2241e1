//! `cooking`: one dish after another, or all gathered.

use crate::engine::lang::params::{choice_param, Kind, Spec, Unit, Values};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{Function, OnMainReturn, Program, Stmt};

pub(super) const EXPLAIN: &str = "Each step announces itself, waits its time and says it is done. \
Awaited one after another the waits add up; gathered they overlap, so the whole meal takes as \
long as its longest step.";

/// The `durations` list, shared with `forgot-await`.
pub(super) const DURATIONS: Spec = Spec {
    name: "durations",
    label: "Durations",
    kind: Kind::NumberList {
        min_len: 1,
        max_len: 1000,
        min: 0.0,
        max: 600.0,
        unit: Unit::Seconds,
    },
    default: "3,6",
    help: "How long each step sleeps, separated by commas.",
};

pub(super) const PARAMS: &[Spec] = &[
    DURATIONS,
    choice_param(
        "mode",
        "Mode",
        &["one_after_another", "gather"],
        "one_after_another",
        "Await each step in turn, or gather them.",
    ),
];

/// `sleep_and_print(t)`: announce, sleep (awaited or not), announce, return `t`.
pub(super) fn sleep_and_print(s: &mut Steps, awaited: bool) -> Function {
    let nap: Stmt = if awaited {
        s.sleep(var("t"))
    } else {
        s.discard(sleep_coro(var("t")))
    };
    func(
        "sleep_and_print",
        &["t"],
        vec![
            s.print(vec![fmt(vec![text("starting "), var("t"), text(" sleep")])]),
            nap,
            s.print(vec![fmt(vec![text("finished "), var("t"), text(" sleep")])]),
            s.ret(var("t")),
        ],
    )
}

/// The list literal of the durations, each shown as the user wrote it.
pub(super) fn durations(v: &Values) -> crate::engine::lang::program::Expr {
    list(v.list("durations").iter().map(|d| lit(*d)).collect())
}

/// `results = await asyncio.gather(*[sleep_and_print(t) for t in durations])`, then print.
pub(super) fn gathered_main(s: &mut Steps, v: &Values) -> Function {
    func(
        "main",
        &[],
        vec![
            s.gather(
                Some("results"),
                comprehension(call("sleep_and_print", vec![var("t")]), "t", durations(v)),
            ),
            s.print(vec![var("results")]),
        ],
    )
}

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let step = sleep_and_print(&mut s, true);
    let main = if v.choice("mode") == "gather" {
        gathered_main(&mut s, v)
    } else {
        let body = vec![
            s.await_(Some("r"), call("sleep_and_print", vec![var("t")])),
            s.let_("results", add(var("results"), list(vec![var("r")]))),
        ];
        func(
            "main",
            &[],
            vec![
                s.let_("results", list(vec![])),
                s.for_("t", durations(v), body),
                s.print(vec![var("results")]),
            ],
        )
    };
    program(vec![step, main], OnMainReturn::CancelPending)
}
