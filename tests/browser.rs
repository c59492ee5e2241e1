//! Tier 2: tests that run inside headless Chromium through wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .expect("performance.now is available in a browser")
}

#[wasm_bindgen_test]
async fn a_timer_really_fires_on_the_browsers_event_loop() {
    let start = now_ms();
    TimeoutFuture::new(60).await;
    let waited = now_ms() - start;
    // A real setTimeout never fires early; late is allowed on a loaded machine.
    assert!(
        waited >= 59.0,
        "timer fired after {waited} ms, before its 60 ms"
    );
}

#[wasm_bindgen_test]
async fn timers_due_in_order_fire_in_order() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let order = Rc::new(RefCell::new(Vec::new()));
    for (label, delay) in [("c", 30u32), ("a", 10), ("b", 20)] {
        let order = order.clone();
        wasm_bindgen_futures::spawn_local(async move {
            TimeoutFuture::new(delay).await;
            order.borrow_mut().push(label);
        });
    }
    TimeoutFuture::new(80).await;
    assert_eq!(*order.borrow(), ["a", "b", "c"]);
}

async fn settle() {
    for _ in 0..3 {
        TimeoutFuture::new(0).await;
    }
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_lists_every_scenario() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<interleave::web::App>::with_root(root.clone()).render();
    // Yew renders on its own scheduler; a few turns of the event loop let it settle.
    settle().await;

    let items = root
        .query_selector_all("[data-testid=scenario-item]")
        .unwrap();
    assert_eq!(
        items.length() as usize,
        interleave::engine::lang::scenarios::CATALOG.len()
    );
    let item = |id: &str| {
        root.query_selector(&format!("[data-testid=scenario-item][data-id={id}]"))
            .unwrap()
            .unwrap()
            .dyn_into::<web_sys::HtmlElement>()
            .unwrap()
    };
    assert_eq!(
        item("hello-world").get_attribute("aria-current").as_deref(),
        Some("true")
    );

    // Picking another scenario moves the selection and retitles the stage.
    item("fetch-and-count").click();
    settle().await;
    assert_eq!(
        item("fetch-and-count")
            .get_attribute("aria-current")
            .as_deref(),
        Some("true")
    );
    assert_eq!(item("hello-world").get_attribute("aria-current"), None);
    let title = root.query_selector("#stage-title").unwrap().unwrap();
    assert_eq!(
        title.text_content().as_deref(),
        Some("Two tasks interleaving")
    );
    let select = root
        .query_selector("[data-testid=scenario-select]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap();
    assert_eq!(select.value(), "fetch-and-count");
    // Its parameters have fields, and Run is enabled.
    assert!(root
        .query_selector("[data-testid=param-interval_s]")
        .unwrap()
        .is_some());
    let run = root.query_selector("[data-testid=run]").unwrap().unwrap();
    assert_eq!(run.get_attribute("disabled"), None);
    root.remove();
}

mod real_runs {
    //! Scenarios on the real event loop, compared with the virtual clock's ideal schedule.
    use super::*;
    use interleave::engine::exec::interp::Run;
    use interleave::engine::exec::runtime::Runtime;
    use interleave::engine::lang::scenarios::find;
    use interleave::engine::record::trace::{EventKind, TaskId, Trace};
    use interleave::web::runtime::BrowserRuntime;
    use std::rc::Rc;

    thread_local! {
        static BUSY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// The test runner runs async tests side by side on one thread; a run that blocks would make
    /// another's timers late. Each real run holds this for its duration.
    struct Exclusive;

    async fn exclusive() -> Exclusive {
        while BUSY.with(|b| b.replace(true)) {
            TimeoutFuture::new(5).await;
        }
        Exclusive
    }

    impl Drop for Exclusive {
        fn drop(&mut self) {
            BUSY.with(|b| b.set(false));
        }
    }

    struct Outcome {
        real: Trace,
        ideal: Trace,
        runtime: BrowserRuntime,
    }

    async fn run_real(id: &str, params: &[(&str, &str)]) -> Outcome {
        let _turn = exclusive().await;
        let s = find(id).unwrap();
        let (values, errors) = s.parse(|n| params.iter().find(|(k, _)| *k == n).map(|(_, v)| *v));
        assert!(errors.is_empty(), "{errors:?}");
        let (ideal, _) = interleave::engine::exec::sim::ideal(s, &values);
        let runtime = BrowserRuntime::new(values.num("speed"));
        let run = Run::start(Rc::new((s.build)(&values)), runtime.clone());
        let started = now_ms();
        while !run.is_finished() {
            TimeoutFuture::new(5).await;
            assert!(now_ms() - started < 20_000.0, "{id} did not finish");
        }
        let real = run.trace().clone();
        // Every real run's record is in time order (a saved run is refused otherwise).
        let times: Vec<f64> = real.events.iter().map(|e| e.at).collect();
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "{id}: events out of time order"
        );
        Outcome {
            real,
            ideal,
            runtime,
        }
    }

    fn texts(t: &Trace) -> Vec<String> {
        t.lines().iter().map(|l| l.text.to_string()).collect()
    }

    /// Same lines in the same order, each within `tol` scenario seconds of the ideal time
    /// (late, never early).
    fn same_as_ideal(o: &Outcome, tol: f64) {
        assert_eq!(texts(&o.real), texts(&o.ideal));
        for (r, i) in o.real.lines().iter().zip(o.ideal.lines().iter()) {
            assert!(
                r.at >= i.at - 1e-6 && r.at <= i.at + tol,
                "{:?} at {} real vs {} ideal",
                r.text,
                r.at,
                i.at
            );
            assert_eq!(r.task, i.task, "{:?} printed by another task", r.text);
        }
    }

    #[wasm_bindgen_test]
    async fn fetch_and_count_interleaves_as_on_the_virtual_clock_but_for_the_tie() {
        let o = run_real("fetch-and-count", &[("speed", "5")]).await;
        // At 5x, the counter's quarter-second ticks are 50 ms apart: a machine busy with other
        // work may stall the page a few ms per timer, and the counter's lateness adds up tick
        // after tick (each sleep starts when the last ended), so at 20x a loaded machine could
        // push its "7" past the fetch's end. At 2 s the ideal has count's timer and fetch's due
        // together; on the real clock count's has drifted late, so main may print before "8".
        same_as_ideal_but_ties(&o, 1.0);
        assert_eq!(o.runtime.live_timers(), 0);
    }

    /// As [`same_as_ideal`], except that lines the ideal prints at the very same time may come
    /// in another order: on a real clock, timers due together on a perfect one are not.
    fn same_as_ideal_but_ties(o: &Outcome, tol: f64) {
        let (real, ideal) = (o.real.lines(), o.ideal.lines());
        assert_eq!(real.len(), ideal.len());
        let mut i = 0;
        while i < ideal.len() {
            let j = (i..ideal.len())
                .find(|&j| ideal[j].at != ideal[i].at)
                .unwrap_or(ideal.len());
            let mut want: Vec<(String, TaskId)> = ideal[i..j]
                .iter()
                .map(|l| (l.text.to_string(), l.task))
                .collect();
            let mut got: Vec<(String, TaskId)> = real[i..j]
                .iter()
                .map(|l| (l.text.to_string(), l.task))
                .collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "the lines due at {} s", ideal[i].at);
            for r in &real[i..j] {
                assert!(
                    r.at >= ideal[i].at - 1e-6 && r.at <= ideal[i].at + tol,
                    "{:?} at {} real vs {} ideal",
                    r.text,
                    r.at,
                    ideal[i].at
                );
            }
            i = j;
        }
    }

    #[wasm_bindgen_test]
    async fn gather_countdown_finishes_in_reverse_for_real() {
        let o = run_real("gather-countdown", &[("speed", "25")]).await;
        same_as_ideal(&o, 1.0);
    }

    #[wasm_bindgen_test]
    async fn cooking_gathered_takes_the_longest_step() {
        let o = run_real("cooking", &[("mode", "gather"), ("speed", "30")]).await;
        same_as_ideal(&o, 1.5);
        let elapsed = o.real.elapsed();
        assert!((6.0..7.5).contains(&elapsed), "took {elapsed}");
    }

    #[wasm_bindgen_test]
    async fn cancel_pending_runs_what_is_queued_then_cancels_the_rest() {
        let o = run_real(
            "main-and-foo",
            &[
                ("variant", "task_not_awaited"),
                ("on_main_return", "cancel_pending"),
                ("speed", "50"),
            ],
        )
        .await;
        // foo's first step was queued before asyncio.run's stop: it runs, then foo is
        // cancelled in its sleep.
        assert_eq!(texts(&o.real), ["I am Main", "finished", "I am foo"]);
        let foo_events: Vec<&EventKind> = o
            .real
            .events
            .iter()
            .filter(|e| e.task == TaskId(1))
            .map(|e| &e.kind)
            .collect();
        assert!(
            matches!(foo_events.last(), Some(EventKind::Cancelled)),
            "{foo_events:?}"
        );
        // Had the sleep run out, the run would have lasted 2 s at least.
        assert!(o.real.elapsed() < 2.0, "foo's 2 s sleep ran out");
        assert_eq!(o.runtime.live_timers(), 0);
    }

    #[wasm_bindgen_test]
    async fn blocking_work_really_holds_the_thread_and_makes_the_timer_late() {
        // Two salads of 2 s at 10x: 400 ms of real spinning, the 3 s boil due at 300 ms.
        let o = run_real("cpu-vs-io", &[("salads", "2"), ("speed", "10")]).await;
        same_as_ideal(&o, 1.0);
        let late = o.real.lateness().into_iter().fold(0.0, f64::max);
        assert!(late >= 0.9, "the water timer was only {late} s late");
        let blocks = o
            .real
            .events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Blocked { until, .. } => Some(until - e.at),
                _ => None,
            })
            .collect::<Vec<_>>();
        assert_eq!(blocks.len(), 2);
        assert!(blocks.iter().all(|b| *b >= 2.0 - 1e-6), "{blocks:?}");
    }

    #[wasm_bindgen_test]
    async fn a_blocking_receiver_freezes_the_ticker() {
        let o = run_real(
            "coroutine-send",
            &[("speed", "20"), ("first_s", "1"), ("second_s", "1")],
        )
        .await;
        same_as_ideal(&o, 1.0);
        assert!(texts(&o.real).iter().all(|l| !l.starts_with("tick")));
    }

    #[wasm_bindgen_test]
    async fn stop_cancels_everything_and_records_nothing_after() {
        let _turn = exclusive().await;
        let s = find("fetch-and-count").unwrap();
        let values = s.defaults();
        let runtime = BrowserRuntime::new(10.0);
        let run = Run::start(Rc::new((s.build)(&values)), runtime.clone());
        TimeoutFuture::new(60).await; // 0.6 s of scenario time: a few numbers printed
        assert!(runtime.live_timers() >= 2, "fetch and count are sleeping");
        run.stop();
        assert_eq!(runtime.live_timers(), 0, "stop leaves no timer behind");
        assert!(!runtime.timer_armed(), "and no JS timer armed");
        let events = run.trace().events.len();
        let lines = run.trace().lines().len();
        assert!((2..=6).contains(&lines), "{lines} lines before the stop");
        TimeoutFuture::new(300).await; // past the fetch's 2 s (200 ms) and more counts
        assert_eq!(
            run.trace().events.len(),
            events,
            "nothing recorded after stop"
        );
        assert!(run.is_finished());
        assert!(run.is_stopped());
    }

    #[wasm_bindgen_test]
    async fn a_busy_loop_spins_thousands_of_rounds_where_a_waker_polls_twice() {
        let o = run_real(
            "polling-scheduler",
            &[
                ("strategy", "busy_loop"),
                ("sleep_s", "1"),
                ("speed", "10"),
                ("tasks", "10"),
            ],
        )
        .await;
        same_as_ideal(&o, 1.0);
        let spins = o.real.stats(TaskId(0), o.real.elapsed()).spins;
        assert!(
            spins >= 1_000,
            "the busy loop made only {spins} rounds in 100 ms"
        );

        let o = run_real(
            "polling-scheduler",
            &[("speed", "10"), ("tasks", "10"), ("sleep_s", "1")],
        )
        .await;
        same_as_ideal(&o, 1.0);
        for st in &o.real.all_stats(2.0)[1..] {
            assert_eq!(st.polls, 2);
        }
    }

    #[wasm_bindgen_test]
    async fn thousands_of_tasks_created_at_once_start_in_one_turn_in_order() {
        // 5,000 bots invited at once: their first steps are one turn of the loop, and no sleep
        // fires before every task has started. Every reply takes the same 100 ms, so the timers
        // fire in start order, as ideally.
        let o = run_real(
            "bot-invitations",
            &[
                ("bots", "5000"),
                ("mode", "all_at_once"),
                ("reply_ms", "100"),
                ("own_ms", "0"),
                ("busy_extra_ms", "0"),
            ],
        )
        .await;
        same_as_ideal(&o, 1.0);
        let stats = o.real.all_stats(o.real.elapsed());
        assert_eq!(stats.len(), 5001);
        // Each bot: a first poll, one after its own 0 ms sleep, one after the reply.
        assert!(stats[1..].iter().all(|s| s.polls == 3), "{:?}", &stats[1]);
        assert_eq!(o.runtime.live_timers(), 0);
        assert_eq!(interleave::web::interleave_live_tasks(), 0.0);
    }

    #[wasm_bindgen_test]
    async fn a_long_turn_goes_on_over_several_macrotasks_and_keeps_its_order() {
        // 50,000 first steps are one turn of the loop, far longer than one macrotask may run:
        // it is cut into slices, the page gets the thread between them, and the order is the
        // ideal one all the same.
        let o = run_real(
            "many-tasks",
            &[("tasks", "50000"), ("sleep_s", "0.5"), ("speed", "1")],
        )
        .await;
        same_as_ideal(&o, 1.0);
        assert!(
            o.runtime.cut_turns() >= 1,
            "the first-step turn ran in one macrotask"
        );
        let started: Vec<f64> = o.real.all_stats(10.0)[1..]
            .iter()
            .map(|s| s.started.unwrap_or(f64::NAN))
            .collect();
        assert!(
            started.windows(2).all(|w| w[0] <= w[1]),
            "tasks start in creation order"
        );
        assert_eq!(o.runtime.live_timers(), 0);
    }

    #[wasm_bindgen_test]
    async fn an_hour_long_real_run_keeps_memory_bounded() {
        let _turn = exclusive().await;
        // The ticker for an hour of scenario time, run at 200x: 18 s of real time. Browser
        // timers wake at most about once a millisecond, so the ticker falls behind its 0.05 s at
        // this speed; it still ticks thousands of times, and the trace is capped at 20,000 events.
        let runtime = BrowserRuntime::new(200.0);
        let run = Run::start(Rc::new(crate::common::an_hour_of_ticks()), runtime.clone());
        run.set_event_limit(20_000);
        let started = now_ms();
        let mut most = 0;
        // The module's heap in use, largest seen in each quarter of the hour.
        let mut heap = [0.0f64; 4];
        while !run.is_finished() {
            TimeoutFuture::new(50).await;
            most = most.max(run.trace().events.len());
            let quarter = ((runtime.now() / 900.0) as usize).min(3);
            heap[quarter] = heap[quarter].max(interleave::web::interleave_heap_in_use());
            assert!(now_ms() - started < 60_000.0, "did not finish");
        }
        let t = run.trace();
        assert!(most <= 20_000, "{most} events held at once");
        assert!(t.dropped.events > 20_000, "{:?}", t.dropped);
        let ticks = t.dropped.lines + t.lines().len() as u64 - 4;
        assert!(ticks > 5_000, "only {ticks} ticks in an hour");
        assert_eq!(
            t.lines().last().map(|l| l.text.to_string()).as_deref(),
            Some("Received: Second")
        );
        assert!(
            (t.elapsed() - 3600.0).abs() < 10.0,
            "ended at {}",
            t.elapsed()
        );
        // Bounded: the last quarter holds no more than the second did, give or take 10%.
        assert!(
            heap[3] <= heap[1] * 1.1,
            "heap in use by quarter of the hour: {heap:?}"
        );
        assert_eq!(runtime.live_timers(), 0);
        web_sys::console::log_1(
            &format!(
                "an hour at 200x: {ticks} ticks, {} events dropped, {most} held at most, heap in use by quarter {heap:?}",
                t.dropped.events
            )
            .into(),
        );
    }
}
