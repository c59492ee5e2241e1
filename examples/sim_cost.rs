//! Measures, natively, what the interpreter and its instrumentation cost per poll on the virtual
//! clock: N tasks that each sleep 1 s, run bare (plain futures on the same executor) and as the
//! `many-tasks` scenario (interpreted, every poll recorded). Run with
//! `cargo run --release --example sim_cost [N]`.

use std::rc::Rc;
use std::time::Instant;

use interleave::engine::exec::runtime::{Runtime, Sleep};
use interleave::engine::exec::sim::{VirtualClock, POLL_BUDGET};
use interleave::engine::lang::scenarios::find;

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);

    let clock = VirtualClock::new();
    let start = Instant::now();
    for _ in 0..n {
        let timer = clock.timer(0.0, 1.0, 0);
        let c = clock.clone();
        clock.spawn(Box::pin(async move { Sleep::new(&c, timer).await }));
    }
    clock.run(POLL_BUDGET);
    let bare = start.elapsed().as_secs_f64();
    let bare_polls = clock.polls();

    let s = find("many-tasks").expect("many-tasks is in the catalog");
    let (values, errors) = s.parse(|name| {
        (name == "tasks").then_some(Box::leak(n.to_string().into_boxed_str()) as &str)
    });
    assert!(errors.is_empty(), "{errors:?}");
    let program = Rc::new((s.build)(&values));
    let f = interleave::engine::exec::interp::Run::start(program.clone(), VirtualClock::new())
        .footprint();
    let start = Instant::now();
    let (trace, _) = interleave::engine::exec::sim::simulate(program);
    let full = start.elapsed().as_secs_f64();
    let polls = trace
        .events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                interleave::engine::record::trace::EventKind::PollStart
            )
        })
        .count() as f64;

    println!("tasks                      {n}");
    println!(
        "bare futures               {:>8.1} ms  {:>7.0} ns/poll ({bare_polls} polls)",
        bare * 1e3,
        bare * 1e9 / bare_polls as f64
    );
    println!(
        "interpreted + instrumented {:>8.1} ms  {:>7.0} ns/poll ({polls} polls, {} events)",
        full * 1e3,
        full * 1e9 / polls,
        trace.events.len()
    );
    println!("ratio                      {:>8.1}x", full / bare);
    println!("sizes (this target)        {f:?}");
}
