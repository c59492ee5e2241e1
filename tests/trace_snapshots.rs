//! Tier 1: every recorded event of every scenario (with its defaults and other values) and of
//! every error path, hashed and compared with `tests/golden/traces.txt`. A refactoring must leave
//! each trace identical, byte for byte; a change of behaviour shows here first, by name.
//!
//! After a change meant to alter traces, `UPDATE_GOLDEN=1 cargo test --test trace_snapshots`
//! writes the file anew (review its diff).
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use interleave::engine::exec::sim::simulate;
use interleave::engine::lang::program::build::*;
use interleave::engine::lang::program::{Expr, OnMainReturn, Program};
use interleave::engine::lang::scenarios::CATALOG;
use interleave::engine::lang::value::Value;
use interleave::engine::record::trace::{EventKind, Trace};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/traces.txt");

/// FNV-1a, 64 bits: stable across platforms and Rust versions (unlike `DefaultHasher`).
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn digest(trace: &Trace) -> String {
    let mut text = format!("{:?}\n{:?}\n", trace.tasks, trace.chains);
    for e in &trace.events {
        text.push_str(&format!("{e:?}\n"));
    }
    format!("{} {:016x}", trace.events.len(), fnv(&text))
}

/// Programs that go wrong, one per error the interpreter raises.
fn error_programs() -> Vec<(&'static str, Program)> {
    let one = |name: &'static str,
               body: fn(&mut Steps) -> Vec<interleave::engine::lang::program::Stmt>| {
        let mut s = Steps::default();
        let body = body(&mut s);
        (
            name,
            program(vec![func("main", &[], body)], OnMainReturn::CancelPending),
        )
    };
    let mut out = vec![
        one(
            "error: undefined name",
            |s| vec![s.print(vec![var("nope")])],
        ),
        one("error: await of a number", |s| vec![s.await_(None, int(3))]),
        one("error: call of an unknown function", |s| {
            vec![s.await_(None, call("nowhere", vec![]))]
        }),
        one("error: division by zero", |s| {
            vec![s.print(vec![div(int(1), int(0))])]
        }),
        one("error: list index out of range", |s| {
            vec![s.print(vec![index(list(vec![int(1)]), int(5))])]
        }),
        one("error: missing key", |s| {
            vec![s.print(vec![index(
                Expr::Dict(vec![("a".into(), int(1))]),
                text("b"),
            )])]
        }),
        one("error: gather of a number", |s| {
            vec![s.gather(None, list(vec![int(1)]))]
        }),
        one("error: cancel of a number", |s| vec![s.cancel(int(1))]),
        one("error: range too long", |s| {
            vec![s.let_("r", range(int(100_000_000)))]
        }),
        one("error: iterating a number", |s| {
            vec![s.for_("i", int(3), vec![])]
        }),
        one("error: adding text to a number", |s| {
            vec![s.print(vec![add(text("a"), int(1))])]
        }),
        one("error: create_task of a number", |s| {
            vec![s.spawn(None, int(1))]
        }),
        one("error: sleep of text", |s| vec![s.sleep(text("soon"))]),
        one("error: empty choice", |s| {
            vec![s.let_("c", Expr::Choice(vec![]))]
        }),
        one("error: randint of an empty range", |s| {
            vec![s.let_("r", Expr::RandInt(Box::new(int(5)), Box::new(int(1))))]
        }),
    ];
    // A call with the wrong number of arguments, and a task that awaits itself, and an error
    // that comes back to the task awaiting the one that raised it.
    let mut s = Steps::default();
    let f = func("f", &["a"], vec![s.ret(var("a"))]);
    let main = func("main", &[], vec![s.await_(None, call("f", vec![]))]);
    out.push((
        "error: wrong number of arguments",
        program(vec![f, main], OnMainReturn::CancelPending),
    ));
    let mut s = Steps::default();
    let main = func(
        "main",
        &[],
        vec![
            s.spawn(Some("t"), call("bad", vec![])),
            s.await_(Some("v"), var("t")),
            s.say("not reached"),
        ],
    );
    let bad = func("bad", &[], vec![s.print(vec![var("missing")])]);
    out.push((
        "error: raised through an await",
        program(vec![bad, main], OnMainReturn::CancelPending),
    ));
    let mut s = Steps::default();
    let main = func(
        "main",
        &[],
        vec![
            s.spawn(Some("t"), call("bad", vec![])),
            s.gather(Some("all"), list(vec![var("t"), call("ok", vec![])])),
            s.say("not reached"),
        ],
    );
    let bad = func(
        "bad",
        &[],
        vec![s.sleep(int(1)), s.print(vec![var("missing")])],
    );
    let ok = func(
        "ok",
        &[],
        vec![s.sleep(int(2)), s.ret(Expr::Lit(Value::Int(7)))],
    );
    out.push((
        "error: raised through a gather",
        program(vec![bad, ok, main], OnMainReturn::KeepRunning),
    ));
    out
}

/// Every trace checked: each scenario's defaults, then a few other values.
fn traces() -> Vec<(String, Trace)> {
    const OTHERS: &[(&str, &[(&str, &str)])] = &[
        (
            "main-and-foo",
            &[
                ("variant", "task_not_awaited"),
                ("on_main_return", "cancel_pending"),
            ],
        ),
        (
            "main-and-foo",
            &[
                ("variant", "task_and_sleep"),
                ("main_s", "0.5"),
                ("foo_s", "10"),
            ],
        ),
        (
            "fetch-and-count",
            &[("fetch_s", "0"), ("count", "9"), ("interval_s", "0")],
        ),
        (
            "fetch-and-count",
            &[("count", "20"), ("on_main_return", "cancel_pending")],
        ),
        ("restaurant", &[("variant", "dont_wait"), ("cook_s", "2")]),
        ("restaurant", &[("variant", "eat_while_waiting")]),
        (
            "bot-invitations",
            &[("bots", "30"), ("mode", "all_at_once"), ("seed", "7")],
        ),
        (
            "polling-scheduler",
            &[
                ("strategy", "every_turn"),
                ("tasks", "5"),
                ("sleep_s", "0.1"),
            ],
        ),
        ("polling-scheduler", &[("strategy", "busy_loop")]),
        ("coroutine-send", &[("waiting", "non_blocking")]),
        (
            "cooking",
            &[("mode", "gather"), ("durations", "0.00001,598,26.576661")],
        ),
        ("forgot-await", &[("awaited", "yes")]),
        ("cpu-vs-io", &[("salads", "3")]),
        ("blocking-sleep", &[("sleep", "awaited")]),
    ];
    let mut out = Vec::new();
    for s in &CATALOG {
        let program = (s.build)(&s.defaults());
        out.push((s.id.to_string(), simulate(Rc::new(program)).0));
    }
    for (id, params) in OTHERS {
        let Some(s) = CATALOG.iter().find(|s| s.id == *id) else {
            panic!("no scenario {id}");
        };
        let (values, errors) = s.parse(|n| params.iter().find(|(k, _)| *k == n).map(|(_, v)| *v));
        assert!(errors.is_empty(), "{id} {params:?}: {errors:?}");
        let name = format!(
            "{id}?{}",
            params
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        );
        out.push((name, simulate(Rc::new((s.build)(&values))).0));
    }
    for (name, program) in error_programs() {
        out.push((name.to_string(), simulate(Rc::new(program)).0));
    }
    out
}

#[test]
fn every_trace_is_the_recorded_one() {
    let now: Vec<(String, String)> = traces()
        .into_iter()
        .map(|(name, t)| (name, digest(&t)))
        .collect();
    let text: String = now.iter().map(|(n, d)| format!("{n}\t{d}\n")).collect();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(GOLDEN, &text).expect("the golden file is writable");
        return;
    }
    let golden = std::fs::read_to_string(GOLDEN).expect("tests/golden/traces.txt exists");
    let mut differ = Vec::new();
    for (line, (name, d)) in golden.lines().zip(&now) {
        let want = line.split_once('\t');
        if want != Some((name.as_str(), d.as_str())) {
            differ.push(format!("{name}: now {d}, recorded {line:?}"));
        }
    }
    if golden.lines().count() != now.len() {
        differ.push(format!(
            "{} traces now, {} recorded",
            now.len(),
            golden.lines().count()
        ));
    }
    assert!(differ.is_empty(), "traces changed:\n{}", differ.join("\n"));
}

#[test]
fn every_error_path_ends_its_task_with_what_cpython_says() {
    // The last line of CPython 3.12's traceback for the same statement.
    const SAID: &[(&str, &str)] = &[
        (
            "error: undefined name",
            "NameError: name 'nope' is not defined",
        ),
        (
            "error: await of a number",
            "TypeError: object int can't be used in 'await' expression",
        ),
        (
            "error: call of an unknown function",
            "NameError: name 'nowhere' is not defined",
        ),
        (
            "error: division by zero",
            "ZeroDivisionError: division by zero",
        ),
        (
            "error: list index out of range",
            "IndexError: list index out of range",
        ),
        ("error: missing key", "KeyError: 'b'"),
        (
            "error: gather of a number",
            "TypeError: An asyncio.Future, a coroutine or an awaitable is required",
        ),
        (
            "error: cancel of a number",
            "AttributeError: 'int' object has no attribute 'cancel'",
        ),
        (
            "error: range too long",
            "MemoryError: range(100000000) is longer than the 10000000 items a list may hold here",
        ),
        (
            "error: iterating a number",
            "TypeError: 'int' object is not iterable",
        ),
        (
            "error: adding text to a number",
            "TypeError: can only concatenate str (not \"int\") to str",
        ),
        (
            "error: create_task of a number",
            "TypeError: a coroutine was expected, got 1",
        ),
        (
            "error: sleep of text",
            "TypeError: '<=' not supported between instances of 'str' and 'int'",
        ),
        (
            "error: empty choice",
            "IndexError: Cannot choose from an empty sequence",
        ),
        (
            "error: randint of an empty range",
            "ValueError: empty range in randrange(5, 2)",
        ),
        (
            "error: wrong number of arguments",
            "TypeError: f() missing 1 required positional argument: 'a'",
        ),
        (
            "error: raised through an await",
            "NameError: name 'missing' is not defined",
        ),
        (
            "error: raised through a gather",
            "NameError: name 'missing' is not defined",
        ),
    ];
    let programs = error_programs();
    assert_eq!(programs.len(), SAID.len());
    for ((name, program), (said_name, said)) in programs.into_iter().zip(SAID) {
        assert_eq!(name, *said_name);
        let (trace, _) = simulate(Rc::new(program));
        let failed: Vec<String> = trace
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Failed(m) => Some(m.to_string()),
                _ => None,
            })
            .collect();
        assert!(failed.iter().all(|m| m == said), "{name}: {failed:?}");
        // The task that raised fails; through an await or a gather, so does the one waiting.
        let want = if name.contains("through") { 2 } else { 1 };
        assert_eq!(failed.len(), want, "{name}: {failed:?}");
        assert!(
            !trace.lines().iter().any(|l| &*l.text == "not reached"),
            "{name}: ran past the error"
        );
    }
}
