//! `forgot-await`: a sleep that is made but never awaited.

use crate::engine::lang::params::{choice_param, Spec, Values};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{OnMainReturn, Program};

use super::cooking::{gathered_main, sleep_and_print, DURATIONS};

pub(super) const EXPLAIN: &str = "Calling asyncio.sleep(t) without await only makes a coroutine \
object; nothing runs it, so nothing waits, and every step finishes at once. Python warns that \
the coroutine was never awaited; in Rust a future that is never awaited never runs either.";

pub(super) const PARAMS: &[Spec] = &[
    DURATIONS,
    choice_param(
        "awaited",
        "Sleep awaited",
        &["yes", "no"],
        "no",
        "no reproduces the slip: the sleep is called but not awaited.",
    ),
];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let step = sleep_and_print(&mut s, v.choice("awaited") == "yes");
    let main = gathered_main(&mut s, v);
    program(vec![step, main], OnMainReturn::CancelPending)
}
