//! Entry points for the browser benchmark (`make bench`): the same sleeping tasks run through the
//! interpreter with every poll recorded, or as bare futures on the same runtime.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::engine::exec::interp::Run;
use crate::engine::exec::runtime::{Runtime, Sleep};
use crate::engine::lang::scenarios::find;
use crate::engine::record::trace::EventKind;
use crate::web::runtime::BrowserRuntime;

fn set(obj: &Object, key: &str, value: f64) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &JsValue::from_f64(value));
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn memory() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}

/// Runs `many-tasks` with `n` tasks sleeping `sleep_s` at speed 1, instrumented (through the
/// interpreter, every poll recorded) or bare (plain futures on the same runtime). Resolves to
/// `{elapsed_ms, overhead_ms, late_p50_ms, late_p99_ms, memory_growth, memory_sleeping, polls,
/// setup_ms, firing_ms, tail_ms}`: memory growth at its peak and once every task sleeps; the
/// time to start every sleep, to fire them all, and from the last fire to the end.
#[wasm_bindgen]
pub async fn interleave_bench(n: u32, sleep_s: f64, instrumented: bool) -> JsValue {
    let before = memory();
    let runtime = BrowserRuntime::new(1.0);
    let start = runtime.now();
    let mut phases = (0.0, 0.0, 0.0);
    // Memory once every task sleeps (what a live sleeping task costs), before any wakes.
    let mut sleeping: Option<f64> = None;
    let mut parts = [0usize; 5];
    let (elapsed, mut late, polls, peak) = if instrumented {
        let Some(s) = find("many-tasks") else {
            return JsValue::NULL;
        };
        let n_text = n.to_string();
        let s_text = sleep_s.to_string();
        let (values, errors) = s.parse(|name| match name {
            "tasks" => Some(n_text.as_str()),
            "sleep_s" => Some(s_text.as_str()),
            _ => None,
        });
        if !errors.is_empty() {
            return JsValue::NULL;
        }
        let run = Run::start(Rc::new((s.build)(&values)), runtime.clone());
        let mut peak = memory();
        while !run.is_finished() {
            TimeoutFuture::new(10).await;
            peak = peak.max(memory());
            if sleeping.is_none() && runtime.live_timers() == n as usize {
                sleeping = Some(memory());
            }
        }
        let f = run.footprint();
        parts = [f.task_record, f.task_info, f.event, f.driver, f.level];
        let trace = run.trace();
        let mut polls = 0;
        let (mut slept, mut first_fire, mut last_fire) = (0.0f64, f64::INFINITY, 0.0f64);
        for e in &trace.events {
            // Every poll ends with one event (its start may be implied by it).
            if e.kind.ends_poll() {
                polls += 1;
            }
            match e.kind {
                EventKind::Paused { .. } => slept = slept.max(e.at),
                EventKind::TimerFired { .. } => {
                    first_fire = first_fire.min(e.at);
                    last_fire = last_fire.max(e.at);
                }
                _ => {}
            }
        }
        // Where the time went: starting every sleep, then firing them, then the rest.
        phases = (
            slept - start,
            last_fire - first_fire,
            trace.elapsed() - last_fire,
        );
        (
            trace.elapsed() - start,
            trace.lateness(),
            polls as f64,
            peak,
        )
    } else {
        let late = Rc::new(RefCell::new(Vec::with_capacity(n as usize)));
        let left = Rc::new(RefCell::new(n));
        let last = Rc::new(RefCell::new(start));
        for _ in 0..n {
            let rt = runtime.clone();
            let late = late.clone();
            let left = left.clone();
            let last = last.clone();
            let timer = runtime.timer(runtime.now(), sleep_s, 0);
            let due = timer.due;
            runtime.spawn(Box::pin(async move {
                Sleep::new(&rt, timer).await;
                let now = rt.now();
                late.borrow_mut().push(now - due);
                let mut last = last.borrow_mut();
                *last = last.max(now);
                *left.borrow_mut() -= 1;
            }));
        }
        let mut peak = memory();
        while *left.borrow() > 0 {
            if sleeping.is_none() && runtime.live_timers() == n as usize {
                sleeping = Some(memory());
            }
            TimeoutFuture::new(10).await;
            peak = peak.max(memory());
        }
        let late = late.borrow().clone();
        let end = *last.borrow();
        (end - start, late, 2.0 * n as f64, peak)
    };
    late.sort_by(f64::total_cmp);
    let out = Object::new();
    set(&out, "elapsed_ms", elapsed * 1000.0);
    set(&out, "overhead_ms", (elapsed - sleep_s) * 1000.0);
    set(&out, "late_p50_ms", percentile(&late, 0.5) * 1000.0);
    set(&out, "late_p99_ms", percentile(&late, 0.99) * 1000.0);
    set(&out, "memory_growth", peak - before);
    set(
        &out,
        "memory_sleeping",
        sleeping.map(|m| m - before).unwrap_or(f64::NAN),
    );
    set(&out, "polls", polls);
    for (name, bytes) in ["task_record", "task_info", "event", "driver", "level"]
        .iter()
        .zip(parts)
    {
        set(&out, name, bytes as f64);
    }
    set(&out, "setup_ms", phases.0 * 1000.0);
    set(&out, "firing_ms", phases.1 * 1000.0);
    set(&out, "tail_ms", phases.2 * 1000.0);
    out.into()
}

/// Runs a Python program of code mode's on the virtual clock, in this page's module; resolves
/// to the milliseconds it took (compiling included), or -1 if it cannot be read.
#[wasm_bindgen]
pub fn interleave_python(source: &str) -> f64 {
    use crate::engine::lang::python::{compile::compile, parse};
    let performance = web_sys::window().and_then(|w| w.performance());
    let now = || performance.as_ref().map_or(0.0, |p| p.now());
    let start = now();
    let Ok(module) = parse(source).and_then(|tree| compile(&tree)) else {
        return -1.0;
    };
    let (trace, _, _) = crate::engine::exec::python::simulate(module, 1_000_000);
    let ms = now() - start;
    drop(trace);
    ms
}
