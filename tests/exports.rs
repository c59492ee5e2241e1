//! Tier 1: what leaves the engine is what it claims to be, read back with a real JSON parser:
//! the Chrome trace export and the command line's JSON.
#![cfg(not(target_arch = "wasm32"))]

use interleave::engine::edges::cli;
use interleave::engine::edges::export::chrome_trace;
use interleave::engine::exec::sim::ideal;
use interleave::engine::lang::scenarios::{find, CATALOG};
use serde_json::Value;

fn cli(args: &[&str]) -> cli::Output {
    cli::run(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
}

#[test]
fn the_chrome_trace_is_json_with_balanced_async_tracks_and_every_print() {
    for s in &CATALOG {
        let (trace, _) = ideal(s, &s.defaults());
        let json = chrome_trace(&trace, &format!("Interleave: {}", s.id), trace.elapsed());
        let v: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{}: {e}", s.id));
        let events = v["traceEvents"].as_array().expect("an array of events");
        let count = |ph: &str| events.iter().filter(|e| e["ph"] == ph).count();
        assert_eq!(
            count("b"),
            count("e"),
            "{}: async begins and ends balance",
            s.id
        );
        let prints = events.iter().filter(|e| e["name"] == "print").count();
        assert_eq!(prints, trace.lines().len(), "{}", s.id);
        for e in events {
            if e["ph"] != "M" {
                assert!(e["ts"].as_i64().is_some_and(|t| t >= 0), "{}: {e}", s.id);
            }
        }
    }
}

#[test]
fn the_command_line_speaks_json() {
    let o = cli(&["catalog", "--json"]);
    let catalog: Value = serde_json::from_str(&o.out).expect("catalog is JSON");
    let scenarios = catalog.as_array().expect("an array");
    assert_eq!(scenarios.len(), CATALOG.len());
    for s in scenarios {
        for p in s["params"].as_array().expect("params") {
            let kind = p["kind"].as_str().expect("a kind");
            assert!(
                ["number", "integer", "choice", "list"].contains(&kind),
                "{p}"
            );
            assert!(p["default"].is_string(), "{p}");
            if kind == "choice" {
                assert!(p["choices"].as_array().is_some_and(|c| !c.is_empty()));
            } else {
                assert!(p["min"].is_number() && p["max"].is_number(), "{p}");
            }
        }
    }
    let o = cli(&[
        "run",
        "fetch-and-count",
        "cooking?mode=gather",
        "nope?x=1",
        "--json",
    ]);
    assert_eq!(o.status, 2);
    let runs: Vec<Value> = o
        .out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(runs.len(), 3);
    let texts: Vec<&str> = runs[0]["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["text"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(&texts[9..12], ["Done fetching", "8", "{'data': 1}"]);
    assert_eq!(runs[1]["elapsed"], 6);
    let tasks = runs[1]["tasks"].as_array().expect("tasks");
    assert_eq!(tasks[1]["outcome"], "finished");
    assert_eq!(tasks[1]["result"], "3");
    assert_eq!(tasks[1]["parent"], 0);
    assert!(runs[2]["errors"].as_array().is_some_and(|e| !e.is_empty()));
    assert!(find("cooking").is_some());
}
