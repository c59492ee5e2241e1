//! `cpu-vs-io`: boiling water while chopping salads.

use crate::engine::lang::params::{count_param, seconds_param, Spec, Values};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{BlockKind, OnMainReturn, Program};

pub(super) const EXPLAIN: &str = "Boiling is waiting: the stove works while you do something \
else. Chopping is work: it holds your hands, and the thread. Concurrency overlaps the wait with \
the work, but two salads still take twice as long, and a pot that boils during the chopping is \
noticed late.";

pub(super) const PARAMS: &[Spec] = &[
    seconds_param("boil_s", "Water boils in", "3", 60.0, "An awaited wait."),
    seconds_param(
        "chop_s",
        "Chopping a salad",
        "2",
        60.0,
        "CPU work that holds the thread.",
    ),
    count_param("salads", "Salads", "1", 0, 100, "How many salads to chop."),
];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let boil = func(
        "boil_water",
        &[],
        vec![
            s.say("The water goes on the stove"),
            s.sleep(lit(v.number("boil_s"))),
            s.say("The water boils"),
        ],
    );
    let chop = func(
        "chop_salad",
        &["n"],
        vec![
            s.print(vec![fmt(vec![text("Chopping salad "), var("n")])]),
            s.block(lit(v.number("chop_s")), BlockKind::Cpu),
            s.print(vec![fmt(vec![text("Salad "), var("n"), text(" is ready")])]),
        ],
    );
    let salads = comprehension(
        call("chop_salad", vec![add(var("i"), int(1))]),
        "i",
        range(int(v.int("salads") as i64)),
    );
    let main = func(
        "main",
        &[],
        vec![s.gather(None, add(list(vec![call("boil_water", vec![])]), salads))],
    );
    program(vec![boil, chop, main], OnMainReturn::CancelPending)
}
