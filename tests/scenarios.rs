//! Tier 1 golden tests: every catalog scenario on the virtual clock, with its defaults and with
//! other values, against the print order and times the catalog expects.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use interleave::engine::exec::sim::Settled;
use interleave::engine::lang::scenarios::{find, ScenarioInfo};
use interleave::engine::record::trace::{EventKind, Outcome, SegmentKind, TaskId, Trace};

fn scenario(id: &str) -> &'static ScenarioInfo {
    find(id).unwrap_or_else(|| panic!("no scenario {id}"))
}

/// Runs `id` with `params` (the rest default) and returns its trace.
fn run(id: &str, params: &[(&str, &str)]) -> Trace {
    let s = scenario(id);
    let (values, errors) = s.parse(|name| params.iter().find(|(n, _)| *n == name).map(|(_, v)| *v));
    assert!(errors.is_empty(), "{id} {params:?}: {errors:?}");
    let (trace, settled) = interleave::engine::exec::sim::ideal(s, &values);
    assert_eq!(settled, Settled::Idle, "{id} did not settle");
    trace
}

/// The printed lines as (time, text).
fn lines(trace: &Trace) -> Vec<(f64, String)> {
    trace
        .lines()
        .iter()
        .map(|l| (l.at, l.text.to_string()))
        .collect()
}

fn expect(trace: &Trace, expected: &[(f64, &str)]) {
    let got = lines(trace);
    let want: Vec<(f64, String)> = expected.iter().map(|(t, s)| (*t, s.to_string())).collect();
    assert_eq!(got, want);
}

fn outcome(trace: &Trace, task: u32) -> Outcome {
    trace.stats(TaskId(task), trace.elapsed()).outcome
}

fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn hello_world() {
    let t = run("hello-world", &[]);
    expect(&t, &[(0.0, "Hello,"), (2.0, "World!")]);
    assert_eq!(t.tasks.len(), 1);
    let segs = t.segments(TaskId(0), t.elapsed());
    let waiting: Vec<_> = segs.iter().filter(|s| s.kind.name() == "waiting").collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0].from, waiting[0].to), (0.0, 2.0));

    expect(
        &run("hello-world", &[("sleep_s", "0.5")]),
        &[(0.0, "Hello,"), (0.5, "World!")],
    );
    expect(
        &run("hello-world", &[("sleep_s", "0")]),
        &[(0.0, "Hello,"), (0.0, "World!")],
    );
}

#[test]
fn main_and_foo_every_variant() {
    expect(
        &run("main-and-foo", &[]),
        &[(0.0, "I am Main"), (0.0, "I am foo"), (2.0, "finished")],
    );
    let t = run("main-and-foo", &[("variant", "task_not_awaited")]);
    expect(
        &t,
        &[(0.0, "I am Main"), (0.0, "finished"), (0.0, "I am foo")],
    );
    assert!(matches!(outcome(&t, 1), Outcome::Finished(_)));
    assert_eq!(
        t.stats(TaskId(1), 10.0).ended,
        Some(2.0),
        "foo keeps running after main"
    );

    let t = run(
        "main-and-foo",
        &[
            ("variant", "task_not_awaited"),
            ("on_main_return", "cancel_pending"),
        ],
    );
    // foo's first step is queued before asyncio.run's stop, so it runs (in the turn that
    // stops the loop) before foo is cancelled in its sleep.
    expect(
        &t,
        &[(0.0, "I am Main"), (0.0, "finished"), (0.0, "I am foo")],
    );
    assert_eq!(outcome(&t, 1), Outcome::Cancelled);
    assert_eq!(
        t.stats(TaskId(1), 1.0).polls,
        2,
        "a step, then the cancellation"
    );

    expect(
        &run(
            "main-and-foo",
            &[("variant", "task_awaited"), ("foo_s", "3")],
        ),
        &[(0.0, "I am Main"), (0.0, "I am foo"), (3.0, "finished")],
    );
    let t = run(
        "main-and-foo",
        &[
            ("variant", "task_and_sleep"),
            ("main_s", "0.5"),
            ("foo_s", "10"),
        ],
    );
    expect(
        &t,
        &[(0.0, "I am Main"), (0.0, "I am foo"), (0.5, "finished")],
    );
    assert_eq!(t.stats(TaskId(1), 20.0).ended, Some(10.0));
    let t = run(
        "main-and-foo",
        &[
            ("variant", "task_and_sleep"),
            ("main_s", "0.5"),
            ("foo_s", "10"),
            ("on_main_return", "cancel_pending"),
        ],
    );
    assert_eq!(outcome(&t, 1), Outcome::Cancelled);
    assert_eq!(t.stats(TaskId(1), 20.0).ended, Some(0.5));
}

#[test]
fn fetch_and_count_interleave_with_the_tie_at_two_seconds() {
    let t = run("fetch-and-count", &[]);
    let mut want: Vec<(f64, String)> = vec![(0.0, "Start fetching".into())];
    for i in 0..8 {
        want.push((i as f64 * 0.25, i.to_string()));
    }
    // At 2 s fetch's timer and count's fall due together and both join the ready queue; fetch,
    // started first, ends, which queues main behind count: `8` comes before main's print.
    want.push((2.0, "Done fetching".into()));
    want.push((2.0, "8".into()));
    want.push((2.0, "{'data': 1}".into()));
    want.push((2.25, "9".into()));
    assert_eq!(lines(&t), want);
    // Main awaited fetch and got its value.
    assert_eq!(outcome(&t, 1), Outcome::Finished("{'data': 1}".into()));

    let t = run(
        "fetch-and-count",
        &[("fetch_s", "1"), ("count", "3"), ("interval_s", "0.1")],
    );
    expect(
        &t,
        &[
            (0.0, "Start fetching"),
            (0.0, "0"),
            (0.1, "1"),
            (0.2, "2"),
            (1.0, "Done fetching"),
            (1.0, "{'data': 1}"),
        ],
    );
    let t = run(
        "fetch-and-count",
        &[("count", "20"), ("on_main_return", "cancel_pending")],
    );
    let last = lines(&t).last().cloned().unwrap();
    assert_eq!(
        last,
        (2.0, "{'data': 1}".to_string()),
        "count is cancelled when main returns"
    );
    assert_eq!(outcome(&t, 2), Outcome::Cancelled);
    assert_eq!(t.stats(TaskId(2), 3.0).ended, Some(2.0));

    // A sleep of 0 is a bare yield to the back of the ready queue, not a timer: count's `1`
    // comes before main, which fetch's end queued behind it.
    expect(
        &run(
            "fetch-and-count",
            &[("fetch_s", "0"), ("count", "2"), ("interval_s", "0")],
        ),
        &[
            (0.0, "Start fetching"),
            (0.0, "0"),
            (0.0, "Done fetching"),
            (0.0, "1"),
            (0.0, "{'data': 1}"),
        ],
    );
}

#[test]
fn restaurant_three_ways() {
    expect(
        &run("restaurant", &[]),
        &[
            (0.0, "The waiter comes to the table"),
            (0.0, "You order biryani"),
            (5.0, "The biryani arrives at the table"),
        ],
    );
    expect(
        &run(
            "restaurant",
            &[("variant", "eat_while_waiting"), ("cook_s", "3")],
        ),
        &[
            (0.0, "You order a naan right away"),
            (0.0, "You start on the biryani"),
            (3.0, "Served: naan with paneer butter masala"),
            (3.0, "The biryani is finished"),
        ],
    );
    let t = run("restaurant", &[("variant", "dont_wait")]);
    expect(
        &t,
        &[
            (0.0, "You order a naan, to come after the biryani"),
            (0.0, "You eat the biryani"),
            (0.0, "The biryani is finished"),
            (5.0, "Served: naan with paneer butter masala"),
        ],
    );
    assert_eq!(
        t.stats(TaskId(0), 5.0).ended,
        Some(0.0),
        "you are done at once"
    );
}

#[test]
fn bot_invitations_one_by_one_sums_and_all_at_once_takes_the_longest() {
    // The seed's own figures: 100 bots, 30 ms replies and 0.5 ms own work, nobody slower.
    let one = run(
        "bot-invitations",
        &[
            ("bots", "100"),
            ("busy_extra_ms", "0"),
            ("mode", "one_by_one"),
        ],
    );
    assert!(
        approx(one.elapsed(), 3.05),
        "one by one took {}",
        one.elapsed()
    );
    let all = run(
        "bot-invitations",
        &[
            ("bots", "100"),
            ("busy_extra_ms", "0"),
            ("mode", "all_at_once"),
        ],
    );
    assert!(
        approx(all.elapsed(), 0.0305),
        "all at once took {}",
        all.elapsed()
    );

    // Defaults: five named friends, some busy; get-well messages end the run, Pretbot first.
    let t = run("bot-invitations", &[]);
    let texts: Vec<String> = lines(&t).into_iter().map(|(_, s)| s).collect();
    let names = [
        "Smart Bot",
        "Volter Bot",
        "Fintech Bot",
        "Pepper Bot",
        "CloudBot",
    ];
    for (line, name) in texts.iter().zip(names) {
        assert!(line.starts_with(name), "{line} should be {name}'s reply");
    }
    assert_eq!(texts[5], "Hi Pretbot, get well soon!");
    let sick: Vec<&str> = names
        .iter()
        .zip(&texts)
        .filter(|(_, l)| l.contains("on sick leave"))
        .map(|(n, _)| *n)
        .collect();
    let wished: Vec<String> = texts[6..].to_vec();
    assert_eq!(
        wished,
        sick.iter()
            .map(|n| format!("Hi {n}, get well soon!"))
            .collect::<Vec<_>>()
    );
    // One by one, the total is the sum of each reply's delay plus own work.
    let mut sum = 0.0;
    for l in &texts[..5] {
        let ms: f64 = l
            .rsplit(" after ")
            .next()
            .unwrap()
            .trim_end_matches(" ms")
            .parse()
            .unwrap();
        assert!((30.0..=35.0).contains(&ms), "{l}");
        sum += ms + 0.5;
    }
    assert!(approx(t.elapsed(), sum / 1000.0));

    // The same seed gives the same run; another seed gives another.
    assert_eq!(
        lines(&run("bot-invitations", &[("seed", "9")])),
        lines(&run("bot-invitations", &[("seed", "9")]))
    );
    let many: Vec<_> = (0..6)
        .map(|s| lines(&run("bot-invitations", &[("seed", &s.to_string())])))
        .collect();
    assert!(
        many.windows(2).any(|w| w[0] != w[1]),
        "seeds change the draws"
    );

    // Names past the fifth.
    let t = run("bot-invitations", &[("bots", "7"), ("mode", "all_at_once")]);
    let texts: Vec<String> = lines(&t).into_iter().map(|(_, s)| s).collect();
    assert!(texts.iter().any(|l| l.starts_with("Bot 6:")));
    assert!(texts.iter().any(|l| l.starts_with("Bot 7:")));
    assert!(t.elapsed() <= 0.0355 + 1e-9);
}

#[test]
fn polling_scheduler_strategies_all_finish_on_time_with_very_different_poll_counts() {
    for strategy in ["waker", "every_turn", "busy_loop"] {
        let t = run(
            "polling-scheduler",
            &[("strategy", strategy), ("tasks", "10")],
        );
        assert!(approx(t.elapsed(), 3.0), "{strategy} took {}", t.elapsed());
        let last = lines(&t).last().cloned().unwrap();
        assert_eq!(
            last,
            (3.0, "all 10 sleeps are ready".to_string()),
            "{strategy}"
        );
    }
    let t = run("polling-scheduler", &[]);
    let stats = t.all_stats(3.0);
    assert_eq!(stats.len(), 101);
    for st in &stats[1..] {
        assert_eq!(st.polls, 2, "waker polls each sleep twice");
    }
    let t = run("polling-scheduler", &[("strategy", "every_turn")]);
    let polls: u32 = t.all_stats(3.0)[1..].iter().map(|s| s.polls).sum();
    assert!(polls >= 100 * 700, "every turn polled only {polls} times");
    let t = run(
        "polling-scheduler",
        &[("strategy", "busy_loop"), ("sleep_s", "1")],
    );
    let blocked = t.segments(TaskId(0), 1.0);
    assert!(blocked
        .iter()
        .any(|s| s.kind.name() == "blocking" && approx(s.to - s.from, 1.0)));
}

#[test]
fn generator_chain_every_copy_returns_123_after_one_sleep() {
    for (tasks, secs) in [("100", "2"), ("3", "0.5"), ("1000", "1")] {
        let t = run("generator-chain", &[("tasks", tasks), ("sleep_s", secs)]);
        let secs: f64 = secs.parse().unwrap();
        assert!(approx(t.elapsed(), secs));
        let n: usize = tasks.parse().unwrap();
        let stats = t.all_stats(secs);
        assert_eq!(stats.len(), n + 1);
        for st in &stats[1..] {
            assert_eq!(st.outcome, Outcome::Finished("123".into()));
            assert_eq!(st.ended, Some(secs));
        }
        expect(&t, &[(secs, "every foo returned 123")]);
    }
    // Each lane's pause names its chain of awaits.
    let t = run("generator-chain", &[("tasks", "2")]);
    let chains: Vec<String> = t
        .events
        .iter()
        .filter(|e| e.task == TaskId(1))
        .filter_map(|e| match &e.kind {
            EventKind::Paused { chain, .. } => Some(t.chain(*chain).to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(chains, ["foo → bar"]);
}

#[test]
fn coroutine_send_blocking_freezes_the_ticker() {
    let t = run("coroutine-send", &[]);
    expect(
        &t,
        &[
            (0.0, "the receiver is primed"),
            (0.0, "waiting for First"),
            (4.0, "Received: First"),
            (4.0, "waiting for Second"),
            (6.0, "Received: Second"),
        ],
    );
    assert_eq!(
        outcome(&t, 1),
        Outcome::Cancelled,
        "the ticker is stopped at 6"
    );

    let t = run("coroutine-send", &[("waiting", "non_blocking")]);
    let got = lines(&t);
    let ticks: Vec<f64> = got
        .iter()
        .filter(|(_, s)| s.starts_with("tick"))
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(ticks, (1..=11).map(|i| i as f64 * 0.5).collect::<Vec<_>>());
    assert_eq!(got.last().unwrap(), &(6.0, "Received: Second".to_string()));

    let t = run(
        "coroutine-send",
        &[
            ("first_s", "1"),
            ("second_s", "1"),
            ("tick_s", "0.3"),
            ("waiting", "non_blocking"),
        ],
    );
    let ticks = lines(&t)
        .iter()
        .filter(|(_, s)| s.starts_with("tick"))
        .count();
    assert_eq!(
        ticks, 6,
        "ticks at 0.3 .. 1.8 before the receiver ends at 2"
    );
}

#[test]
fn gather_countdown_finishes_in_reverse() {
    expect(
        &run("gather-countdown", &[]),
        &[
            (0.0, "0 started"),
            (0.0, "1 started"),
            (0.0, "2 started"),
            (3.0, "Received: 2"),
            (4.0, "Received: 1"),
            (5.0, "Received: 0"),
        ],
    );
    let t = run("gather-countdown", &[("tasks", "5"), ("base_s", "4")]);
    let received: Vec<(f64, String)> = lines(&t).into_iter().skip(5).collect();
    assert_eq!(
        received,
        (0..5)
            .rev()
            .map(|x| (4.0 - x as f64, format!("Received: {x}")))
            .collect::<Vec<_>>()
    );
    let (_, errors) = find("gather-countdown").unwrap().parse(|n| match n {
        "tasks" => Some("10"),
        "base_s" => Some("5"),
        _ => None,
    });
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, "base_s");
    assert!(
        errors[0].1.contains("at least tasks - 1 = 9"),
        "{}",
        errors[0].1
    );
}

#[test]
fn cooking_sums_in_turn_and_takes_the_longest_gathered() {
    let t = run("cooking", &[]);
    expect(
        &t,
        &[
            (0.0, "starting 3 sleep"),
            (3.0, "finished 3 sleep"),
            (3.0, "starting 6 sleep"),
            (9.0, "finished 6 sleep"),
            (9.0, "[3, 6]"),
        ],
    );
    let t = run("cooking", &[("mode", "gather")]);
    expect(
        &t,
        &[
            (0.0, "starting 3 sleep"),
            (0.0, "starting 6 sleep"),
            (3.0, "finished 3 sleep"),
            (6.0, "finished 6 sleep"),
            (6.0, "[3, 6]"),
        ],
    );
    assert!(
        approx(t.total_sleep(), 9.0),
        "the waits add up to 9 even when gathered"
    );
    let t = run("cooking", &[("mode", "gather"), ("durations", "2,0.5,1")]);
    assert!(approx(t.elapsed(), 2.0));
    assert_eq!(lines(&t).last().unwrap().1, "[2, 0.5, 1]");
    assert!(approx(
        run("cooking", &[("durations", "2,0.5,1")]).elapsed(),
        3.5
    ));
}

#[test]
fn forgot_await_finishes_at_once_and_warns() {
    let t = run("forgot-await", &[]);
    assert_eq!(t.elapsed(), 0.0);
    assert_eq!(lines(&t).last().unwrap(), &(0.0, "[3, 6]".to_string()));
    let warnings = t.warnings();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("sleep(3) was created but never awaited"),
        "{}",
        warnings[0]
    );
    let t = run("forgot-await", &[("awaited", "yes")]);
    assert!(approx(t.elapsed(), 6.0));
    assert!(t.warnings().is_empty());
}

#[test]
fn cpu_vs_io_overlaps_waiting_not_work() {
    let t = run("cpu-vs-io", &[]);
    assert!(approx(t.elapsed(), 3.0));
    assert_eq!(t.lateness().iter().cloned().fold(0.0, f64::max), 0.0);
    for (boil, chop, salads) in [
        (3.0f64, 2.0f64, 2u32),
        (1.0, 2.0, 3),
        (10.0, 1.0, 4),
        (3.0, 2.0, 0),
    ] {
        let t = run(
            "cpu-vs-io",
            &[
                ("boil_s", &boil.to_string()),
                ("chop_s", &chop.to_string()),
                ("salads", &salads.to_string()),
            ],
        );
        let work = salads as f64 * chop;
        assert!(
            approx(t.elapsed(), boil.max(work)),
            "{boil} {chop} {salads}: {}",
            t.elapsed()
        );
        let late = t.lateness().iter().cloned().fold(0.0, f64::max);
        assert!(approx(late, (work - boil).max(0.0)), "late by {late}");
        // The water goes on before any chopping starts.
        let got = lines(&t);
        assert_eq!(got[0], (0.0, "The water goes on the stove".to_string()));
    }
    // With two salads the boiling timer is delayed from 3 to 4, and the lane says so.
    let t = run("cpu-vs-io", &[("salads", "2")]);
    let water = t.segments(TaskId(1), t.elapsed());
    assert!(water
        .iter()
        .any(|s| s.kind.name() == "delayed" && approx(s.from, 3.0) && approx(s.to, 4.0)));
}

#[test]
fn blocking_sleep_serialises_every_task() {
    let t = run("blocking-sleep", &[]);
    expect(
        &t,
        &[
            (0.0, "task 0 goes to sleep"),
            (1.0, "task 0 wakes up"),
            (1.0, "task 1 goes to sleep"),
            (2.0, "task 1 wakes up"),
            (2.0, "task 2 goes to sleep"),
            (3.0, "task 2 wakes up"),
        ],
    );
    // Task 2 was ready from the start, held up first by task 0's sleep, then by task 1's.
    let lane = t.segments(TaskId(3), 3.0);
    let kinds: Vec<(f64, f64, &str)> = lane.iter().map(|s| (s.from, s.to, s.kind.name())).collect();
    assert_eq!(
        kinds,
        [
            (0.0, 1.0, "blocked"),
            (1.0, 2.0, "blocked"),
            (2.0, 3.0, "blocking")
        ]
    );
    assert_eq!(lane[0].kind, SegmentKind::BlockedBy(TaskId(1)));
    assert_eq!(lane[1].kind, SegmentKind::BlockedBy(TaskId(2)));
    assert!(approx(
        run("blocking-sleep", &[("sleep", "awaited")]).elapsed(),
        1.0
    ));
    assert!(approx(
        run("blocking-sleep", &[("tasks", "10"), ("sleep_s", "0.5")]).elapsed(),
        5.0
    ));
}

#[test]
fn many_tasks_take_one_sleep() {
    let t = run("many-tasks", &[("tasks", "1000")]);
    assert!(approx(t.elapsed(), 1.0));
    assert_eq!(t.tasks.len(), 1001);
    expect(&t, &[(1.0, "all 1000 tasks are done")]);
    let t = run("many-tasks", &[("tasks", "5"), ("sleep_s", "2.5")]);
    assert!(approx(t.elapsed(), 2.5));
}

#[test]
fn every_scenario_runs_with_its_defaults_and_settles() {
    for s in &interleave::engine::lang::scenarios::CATALOG {
        let (trace, settled) = interleave::engine::exec::sim::ideal(s, &s.defaults());
        assert_eq!(settled, Settled::Idle, "{}", s.id);
        assert!(!trace.events.is_empty(), "{}", s.id);
        assert!(
            trace.warnings().iter().all(|w| w.contains("never awaited")),
            "{}: {:?}",
            s.id,
            trace.warnings()
        );
    }
}

#[test]
fn invalid_values_of_every_parameter_are_rejected_with_the_range_named() {
    for s in &interleave::engine::lang::scenarios::CATALOG {
        for spec in s.specs() {
            for bad in ["", "abc", "-1", "NaN", "99999999", "1e9"] {
                if spec.parse(bad).is_ok() {
                    continue; // e.g. "99999999" for seed is valid
                }
                let (_, errors) = s.parse(|n| (n == spec.name).then_some(bad));
                let msg = errors
                    .iter()
                    .find(|(n, _)| *n == spec.name)
                    .map(|(_, m)| m.clone())
                    .unwrap_or_else(|| panic!("{} {}={bad:?} accepted", s.id, spec.name));
                assert!(msg.contains(&spec.range()), "{} {}: {msg}", s.id, spec.name);
            }
            assert!(
                spec.parse(spec.default).is_ok(),
                "{} {} default",
                s.id,
                spec.name
            );
        }
    }
}

#[test]
fn a_long_run_keeps_its_memory_bounded_and_says_what_it_dropped() {
    use interleave::engine::exec::interp::Run;
    use interleave::engine::exec::sim::VirtualClock;
    use std::rc::Rc;
    // The ticker at 0.05 s for two minutes: 2,400 ticks, about 10,000 events.
    let s = find("coroutine-send").unwrap();
    let (values, errors) = s.parse(|n| match n {
        "first_s" | "second_s" => Some("60"),
        "tick_s" => Some("0.05"),
        "waiting" => Some("non_blocking"),
        _ => None,
    });
    assert!(errors.is_empty());
    let clock = VirtualClock::new();
    let run = Run::start(Rc::new((s.build)(&values)), clock.clone());
    run.set_event_limit(2_000);
    assert_eq!(clock.run(10_000_000), Settled::Idle);
    let t = run.trace();
    assert!(t.events.len() <= 2_000, "{} events kept", t.events.len());
    assert!(t.dropped.events > 7_000, "{:?}", t.dropped);
    assert!(t.dropped.lines > 2_000, "{:?}", t.dropped);
    assert!(t.dropped.before > 100.0 && t.dropped.before < 120.0);
    // The end of the run is all there, and every task is still known.
    assert_eq!(t.tasks.len(), 2);
    assert_eq!(
        lines(&t).last().unwrap(),
        &(120.0, "Received: Second".to_string())
    );
    let all = t.all_stats(120.0);
    assert_eq!(all[1].outcome, Outcome::Cancelled);
    // Kept lines plus dropped lines are every line: 3 of the receiver's, 2,399 ticks, primed.
    assert_eq!(lines(&t).len() as u64 + t.dropped.lines, 2 + 2 + 1 + 2_399);
}

#[test]
fn an_hour_of_ticks_keeps_the_trace_bounded() {
    use interleave::engine::exec::interp::Run;
    use interleave::engine::exec::sim::VirtualClock;
    use std::rc::Rc;
    // The ticker for a whole hour: 72,000 ticks, some 290,000 events, a trace capped at 20,000.
    let clock = VirtualClock::new();
    let run = Run::start(Rc::new(common::an_hour_of_ticks()), clock.clone());
    run.set_event_limit(20_000);
    let mut most = 0;
    while clock.run(clock.polls() + 10_000) == Settled::OutOfBudget {
        most = most.max(run.trace().events.len());
    }
    let t = run.trace();
    assert!(most <= 20_000, "{most} events held at once");
    assert!(t.dropped.events > 250_000, "{:?}", t.dropped);
    assert!(t.dropped.before > 3_000.0, "{:?}", t.dropped);
    assert_eq!(
        lines(&t).last().unwrap(),
        &(3600.0, "Received: Second".to_string())
    );
    // Every tick is accounted for, kept or dropped: the receiver's lines, the ticks until it is
    // done (its last at 3,599.95), and the priming.
    assert_eq!(lines(&t).len() as u64 + t.dropped.lines, 2 + 2 + 1 + 71_999);
}

#[test]
fn a_poll_that_pauses_the_instant_it_began_records_one_event_not_two() {
    let kind = |k: &EventKind| match k {
        EventKind::PollStart => "start",
        EventKind::Paused { .. } => "paused",
        EventKind::TimerFired { .. } => "fired",
        EventKind::Finished { .. } => "finished",
        _ => "other",
    };
    // Each sleeper's polls pause or end where they began: their starts are implied.
    let t = run("many-tasks", &[("tasks", "3")]);
    for task in 1..=3 {
        let kinds: Vec<&str> = t
            .events
            .iter()
            .filter(|e| e.task == TaskId(task))
            .map(|e| kind(&e.kind))
            .collect();
        assert_eq!(kinds, ["paused", "fired", "finished"], "task {task}");
    }
    // The fold counts them as polls all the same.
    let stats = t.all_stats(t.elapsed());
    for s in &stats[1..] {
        assert_eq!((s.polls, s.started), (2, Some(0.0)), "{s:?}");
    }
    // A poll that holds the thread ends later than it began: its start is recorded, before
    // what it prints and the blocking work.
    let t = run("cpu-vs-io", &[]);
    let first_block = t
        .events
        .iter()
        .position(|e| matches!(e.kind, EventKind::Blocked { .. }))
        .expect("cpu-vs-io blocks");
    let who = t.events.iter().nth(first_block).map(|e| e.task);
    let before: Vec<&str> = t
        .events
        .iter()
        .take(first_block)
        .filter(|e| Some(e.task) == who)
        .map(|e| kind(&e.kind))
        .collect();
    let mut this_poll = before
        .iter()
        .rev()
        .take_while(|k| !matches!(**k, "paused" | "fired"));
    assert!(this_poll.any(|k| *k == "start"), "{before:?}");
}
