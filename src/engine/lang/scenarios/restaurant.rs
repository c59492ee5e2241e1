//! `restaurant`: waiting for an order three ways.

use crate::engine::lang::params::{choice_param, seconds_param, Spec, Values, ON_MAIN_RETURN};
use crate::engine::lang::program::build::*;
use crate::engine::lang::program::Program;

use super::on_main_return;

pub(super) const EXPLAIN: &str = "At the table you can await the order itself (nothing else \
happens until it comes), order a second dish as a task and eat meanwhile (then wait for it), or \
order it as a task and never wait: you are done at once, and the dish still arrives on time.";

pub(super) const PARAMS: &[Spec] = &[
    choice_param(
        "variant",
        "Variant",
        &["wait_at_table", "eat_while_waiting", "dont_wait"],
        "wait_at_table",
        "How you wait for the order.",
    ),
    seconds_param(
        "cook_s",
        "Cooking takes",
        "5",
        60.0,
        "How long the kitchen needs.",
    ),
    ON_MAIN_RETURN,
];

pub(super) fn build(v: &Values) -> Program {
    let mut s = Steps::default();
    let cook = lit(v.number("cook_s"));
    let (order, main_body) = match v.choice("variant") {
        "eat_while_waiting" | "dont_wait" => {
            let order = func(
                "order",
                &["dish"],
                vec![s.sleep(cook), s.print(vec![text("Served:"), var("dish")])],
            );
            let dish = || call("order", vec![text("naan with paneer butter masala")]);
            let body = if v.choice("variant") == "dont_wait" {
                vec![
                    s.say("You order a naan, to come after the biryani"),
                    s.spawn(Some("task"), dish()),
                    s.say("You eat the biryani"),
                    s.say("The biryani is finished"),
                ]
            } else {
                vec![
                    s.say("You order a naan right away"),
                    s.spawn(Some("task"), dish()),
                    s.say("You start on the biryani"),
                    s.await_(None, var("task")),
                    s.say("The biryani is finished"),
                ]
            };
            (order, body)
        }
        _ => {
            let order = func(
                "order",
                &["dish"],
                vec![s.print(vec![text("You order"), var("dish")]), s.sleep(cook)],
            );
            let body = vec![
                s.say("The waiter comes to the table"),
                s.await_(None, call("order", vec![text("biryani")])),
                s.say("The biryani arrives at the table"),
            ];
            (order, body)
        }
    };
    program(vec![order, func("main", &[], main_body)], on_main_return(v))
}
