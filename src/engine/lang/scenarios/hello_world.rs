//! `hello-world`: one coroutine, one pause.

use crate::engine::lang::params::{seconds_param, Spec, Values};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{OnMainReturn, Program};

pub(super) const EXPLAIN: &str =
    "main prints, then awaits a sleep. While it sleeps the event loop \
has nothing else to run, so the lane shows one pause from the first line to the second.";

pub(super) const PARAMS: &[Spec] = &[seconds_param(
    "sleep_s",
    "Sleep",
    "2",
    60.0,
    "How long main sleeps between its two lines.",
)];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let main = func(
        "main",
        &[],
        vec![
            s.say("Hello,"),
            s.sleep(lit(v.number("sleep_s"))),
            s.say("World!"),
        ],
    );
    program(vec![main], OnMainReturn::CancelPending)
}
