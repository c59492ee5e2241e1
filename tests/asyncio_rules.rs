//! Tier 1: asyncio's loop rules that the catalog's scenarios cannot tell apart, each in a small
//! program on the virtual clock. Every expected order is what CPython 3.12 prints for the same
//! program (its Python listing) on the conformance tier's virtual clock.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use interleave::engine::exec::sim::{simulate, Settled};
use interleave::engine::lang::program::build::*;
use interleave::engine::lang::program::{OnMainReturn, Program};
use interleave::engine::record::trace::{Outcome, TaskId, Trace};

fn run(p: Program) -> Trace {
    let (trace, settled) = simulate(Rc::new(p));
    assert_eq!(settled, Settled::Idle);
    trace
}

fn lines(t: &Trace) -> Vec<(f64, u32, String)> {
    t.lines()
        .iter()
        .map(|l| (l.at, l.task.0, l.text.to_string()))
        .collect()
}

fn line(at: f64, task: u32, text: &str) -> (f64, u32, String) {
    (at, task, text.to_string())
}

/// ```python
/// async def a():
///     await asyncio.sleep(1); print('a')
/// async def b():
///     await asyncio.sleep(1); print('b1')
///     await asyncio.sleep(0); print('b2')
///     await asyncio.sleep(0); print('b3')
/// async def main():
///     t = asyncio.create_task(b())
///     await asyncio.gather(a())
///     print('main')
/// ```
/// `a`'s end runs the gather's done callback one turn later, which wakes main one turn after
/// that: `b` prints twice in between.
#[test]
fn a_gather_wakes_its_waiter_two_turns_after_its_last_task_ends() {
    let mut s = Steps::default();
    let a = func("a", &[], vec![s.sleep(int(1)), s.say("a")]);
    let b = func(
        "b",
        &[],
        vec![
            s.sleep(int(1)),
            s.say("b1"),
            s.sleep(int(0)),
            s.say("b2"),
            s.sleep(int(0)),
            s.say("b3"),
        ],
    );
    let main = func(
        "main",
        &[],
        vec![
            s.spawn(Some("t"), call("b", vec![])),
            s.gather(None, list(vec![call("a", vec![])])),
            s.say("main"),
        ],
    );
    let t = run(program(vec![a, b, main], OnMainReturn::CancelPending));
    assert_eq!(
        lines(&t),
        [
            line(1.0, 1, "b1"),
            line(1.0, 2, "a"),
            line(1.0, 1, "b2"),
            line(1.0, 1, "b3"),
            line(1.0, 0, "main"),
        ]
    );
    let polls: Vec<u32> = t.all_stats(1.0).iter().map(|s| s.polls).collect();
    assert_eq!(polls, [2, 4, 2]);
}

/// ```python
/// async def t3(): print('t3')
/// async def t1():
///     await asyncio.sleep(0); print('t1 after yield')
/// async def t2(): asyncio.create_task(t3())
/// async def main():
///     asyncio.create_task(t1()); asyncio.create_task(t2())
///     await asyncio.sleep(1)
/// ```
/// `sleep(0)` queues `t1`'s next step at once, ahead of `t3`'s first, which `t2` queued later
/// in the same turn. (A zero-delay timer would only join the ready queue behind `t3`.)
#[test]
fn sleep_zero_is_a_bare_yield_not_a_timer() {
    let mut s = Steps::default();
    let t3 = func("t3", &[], vec![s.say("t3")]);
    let t1 = func("t1", &[], vec![s.sleep(int(0)), s.say("t1 after yield")]);
    let t2 = func("t2", &[], vec![s.spawn(None, call("t3", vec![]))]);
    let main = func(
        "main",
        &[],
        vec![
            s.spawn(None, call("t1", vec![])),
            s.spawn(None, call("t2", vec![])),
            s.sleep(int(1)),
        ],
    );
    let t = run(program(vec![t3, t1, t2, main], OnMainReturn::CancelPending));
    assert_eq!(
        lines(&t),
        [line(0.0, 1, "t1 after yield"), line(0.0, 3, "t3")]
    );
    assert_eq!(t.tasks[3].parent, Some(TaskId(2)));
    assert_eq!(t.lateness(), [0.0], "main's sleep is the only timer");
}

/// ```python
/// async def inner():
///     await asyncio.sleep(5); print('inner done')
/// async def waiter():
///     t = asyncio.create_task(inner())
///     await t; print('waiter done')
/// async def main():
///     w = asyncio.create_task(waiter())
///     await asyncio.sleep(1)
///     w.cancel()
///     await asyncio.sleep(1); print('main done')
/// ```
/// Cancelling a task that awaits another cancels the one it awaits; its `CancelledError`
/// comes back through the await.
#[test]
fn cancelling_a_task_that_awaits_a_task_cancels_both() {
    let mut s = Steps::default();
    let inner = func("inner", &[], vec![s.sleep(int(5)), s.say("inner done")]);
    let waiter = func(
        "waiter",
        &[],
        vec![
            s.spawn(Some("t"), call("inner", vec![])),
            s.await_(None, var("t")),
            s.say("waiter done"),
        ],
    );
    let main = func(
        "main",
        &[],
        vec![
            s.spawn(Some("w"), call("waiter", vec![])),
            s.sleep(int(1)),
            s.cancel(var("w")),
            s.sleep(int(1)),
            s.say("main done"),
        ],
    );
    let t = run(program(
        vec![inner, waiter, main],
        OnMainReturn::CancelPending,
    ));
    assert_eq!(lines(&t), [line(2.0, 0, "main done")]);
    let stats = t.all_stats(t.elapsed());
    for task in [1, 2] {
        assert_eq!(stats[task].outcome, Outcome::Cancelled, "task {task}");
        assert_eq!(stats[task].ended, Some(1.0), "task {task}");
        assert_eq!(stats[task].polls, 2, "task {task}");
    }
    assert_eq!(stats[0].polls, 3);
    assert_eq!(t.elapsed(), 2.0);
}

/// With `keep_running` the loop goes on until every task is done; with `cancel_pending`
/// (`asyncio.run`) the task still sleeping when main returns is cancelled where it sleeps.
#[test]
fn what_is_left_when_main_returns_runs_on_or_is_cancelled() {
    for (rule, outcome, elapsed) in [
        (OnMainReturn::KeepRunning, "finished", 3.0),
        (OnMainReturn::CancelPending, "cancelled", 1.0),
    ] {
        let mut s = Steps::default();
        let slow = func("slow", &[], vec![s.sleep(int(3)), s.say("slow done")]);
        let main = func(
            "main",
            &[],
            vec![s.spawn(Some("t"), call("slow", vec![])), s.sleep(int(1))],
        );
        let t = run(program(vec![slow, main], rule));
        let stats = t.all_stats(t.elapsed());
        let got = match stats[1].outcome {
            Outcome::Finished(_) => "finished",
            Outcome::Cancelled => "cancelled",
            _ => "other",
        };
        assert_eq!((got, t.elapsed()), (outcome, elapsed), "{rule:?}");
    }
}
