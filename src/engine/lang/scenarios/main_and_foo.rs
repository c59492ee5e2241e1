//! `main-and-foo`: awaiting a coroutine against creating a task for it.

use crate::engine::lang::params::{choice_param, seconds_param, Spec, Values, ON_MAIN_RETURN};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::{Program, Stmt};

use super::on_main_return;

pub(super) const EXPLAIN: &str = "Awaiting foo() runs it right there, inside main: nothing is \
concurrent. create_task(foo()) hands foo to the event loop instead; it first runs when main \
pauses or returns, and it keeps running after main is done unless pending tasks are cancelled.";

pub(super) const PARAMS: &[Spec] = &[
    choice_param(
        "variant",
        "Variant",
        &[
            "await_foo",
            "task_not_awaited",
            "task_awaited",
            "task_and_sleep",
        ],
        "await_foo",
        "How main calls foo.",
    ),
    seconds_param(
        "foo_s",
        "foo sleeps",
        "2",
        60.0,
        "How long foo sleeps after printing.",
    ),
    seconds_param(
        "main_s",
        "main sleeps",
        "2",
        60.0,
        "How long main sleeps in task_and_sleep.",
    ),
    ON_MAIN_RETURN,
];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let foo_body = vec![s.print(vec![var("text")]), s.sleep(lit(v.number("foo_s")))];
    let foo_fn = func("foo", &["text"], foo_body);
    let foo_call = || call("foo", vec![text("I am foo")]);
    let mut body: Vec<Stmt> = vec![s.say("I am Main")];
    match v.choice("variant") {
        "task_not_awaited" => {
            body.push(s.spawn(Some("task"), foo_call()));
        }
        "task_awaited" => {
            body.push(s.spawn(Some("task"), foo_call()));
            body.push(s.await_(None, var("task")));
        }
        "task_and_sleep" => {
            body.push(s.spawn(Some("task"), foo_call()));
            body.push(s.sleep(lit(v.number("main_s"))));
        }
        _ => body.push(s.await_(None, foo_call())),
    }
    body.push(s.say("finished"));
    program(vec![foo_fn, func("main", &[], body)], on_main_return(v))
}
