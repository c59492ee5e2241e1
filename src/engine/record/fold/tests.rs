//! The fold against the reference implementations, and its parts on their own.

use std::rc::Rc;

use super::busy::merge_into;
use super::lanes::Prefix;
use super::reference::*;
use super::stats::Median;
use super::*;
use crate::engine::lang::rng::Rng;
use crate::engine::lang::scenarios::find;
use crate::engine::record::trace::TaskInfo;
use crate::engine::view::figures::Figures;

#[test]
fn the_full_fold_gives_the_reference_lanes_and_figures() {
    for (name, t) in traces() {
        for now in moments(&t) {
            let want = reference_lanes(&t, now);
            assert_eq!(t.lanes(now), want, "{name} at {now}");
            assert_eq!(
                t.all_stats(now),
                reference_stats(&t, &want),
                "{name} at {now}"
            );
        }
    }
}

#[test]
fn folding_in_pieces_gives_what_folding_at_once_gives() {
    let mut rng = Rng::new(7);
    for (name, t) in traces() {
        let n = t.events.len();
        let mut fold = Fold::full();
        let mut k = 0;
        while k < n {
            k = (k + 1 + rng.below(n as u64 / 5 + 1) as usize).min(n);
            fold.update(&prefix_of(&t, k));
        }
        fold.update(&t);
        let now = t.elapsed();
        assert_eq!(fold.lanes(now), t.lanes(now), "{name}");
        assert_eq!(fold.stats(now), t.all_stats(now), "{name}");
    }
}

#[test]
fn code_marks_are_the_lines_current_lines_gives() {
    use crate::engine::lang::listing::{render, Style};
    for (name, t) in traces() {
        let id = name.split(' ').next().unwrap_or("");
        let s = find(id).unwrap();
        let program = (s.build)(&s.defaults());
        if name.contains('[') {
            continue;
        }
        let listing = render(&program, Style::Python);
        let n = t.events.len();
        for k in [n / 4, n / 2, n] {
            let part = prefix_of(&t, k);
            let mut fold = Fold::live(10, 0, 0);
            fold.update(&part);
            let want: Vec<(usize, Vec<TaskId>, usize)> = current_lines(&part, &listing)
                .into_iter()
                .map(|(l, ids)| (l, ids.iter().take(3).copied().collect(), ids.len()))
                .collect();
            assert_eq!(fold.marks(&listing), want, "{name} after {k} events");
        }
    }
}

#[test]
fn busy_spans_merged_as_drawn_cover_what_each_would() {
    let w = 0.25;
    let mut rng = Rng::new(9);
    let mut spans = Vec::new();
    let mut all = Vec::new();
    let mut t = 0.0;
    for _ in 0..500 {
        t += rng.below(40) as f64 / 100.0;
        let len = rng.below(30) as f64 / 100.0;
        merge_into(&mut spans, t, t + len, w);
        all.push((t, t + len));
        t += len;
    }
    let drawn = |(a, b): (f64, f64)| (a, b.max(a + w));
    // The union of what each span would draw, merged where it overlaps.
    let mut want: Vec<(f64, f64)> = Vec::new();
    for s in all.into_iter().map(drawn) {
        match want.last_mut() {
            Some(last) if s.0 <= last.1 => last.1 = last.1.max(s.1),
            _ => want.push(s),
        }
    }
    let got: Vec<(f64, f64)> = spans.into_iter().map(drawn).collect();
    assert_eq!(got, want);
    for w2 in got.windows(2) {
        assert!(w2[1].0 > w2[0].1, "drawn spans do not overlap");
    }
}

#[test]
fn the_median_is_the_sorted_middle() {
    let mut rng = Rng::new(3);
    let mut m = Median::default();
    let mut all = Vec::new();
    for i in 0..2000 {
        let x = rng.below(1000) as f64 / 7.0 - 10.0;
        m.push(x);
        all.push(x.max(0.0));
        if i % 97 == 0 {
            let mut sorted = all.clone();
            sorted.sort_by(f64::total_cmp);
            assert_eq!(m.median(), sorted[sorted.len() / 2]);
            assert_eq!(m.max, *sorted.last().unwrap());
            assert_eq!(m.len(), sorted.len());
        }
    }
}

#[test]
fn the_drawn_tasks_are_the_first_in_tree_order() {
    let mut rng = Rng::new(5);
    for round in 0..200 {
        let n = 1 + rng.below(60) as usize;
        let max = 1 + rng.below(20) as usize;
        let mut t = Trace::default();
        let mut prefix = Prefix {
            max,
            ..Prefix::default()
        };
        for i in 0..n as u32 {
            let parent = match rng.below(4) {
                0 => None,
                _ if i == 0 => None,
                _ => Some(TaskId(rng.below(i as u64) as u32)),
            };
            t.tasks.push(TaskInfo {
                name: Rc::from("t"),
                parent,
                spawned: 0.0,
            });
            let shown: Vec<TaskId> = prefix.order.iter().map(|(t, _)| *t).collect();
            prefix.insert(TaskId(i), parent, |p| shown.contains(&p));
            let want: Vec<(TaskId, usize)> = tree_order(&t).into_iter().take(max).collect();
            assert_eq!(prefix.order, want, "round {round}, task {i}");
        }
    }
}

#[test]
fn events_dropped_before_they_were_read_are_counted() {
    let s = find("coroutine-send").unwrap();
    let (v, _) = s.parse(|n| match n {
        "first_s" => Some("60"),
        "second_s" => Some("60"),
        "tick_s" => Some("0.05"),
        "waiting" => Some("non_blocking"),
        _ => None,
    });
    let mut t = crate::engine::exec::sim::ideal(s, &v).0;
    let mut fold = Fold::live(10, 10, 5);
    fold.update(&prefix_of(&t, 100));
    let total_lines = t.lines().len() as u64;
    t.compact(2000);
    assert!(t.dropped.events > 100);
    fold.update(&t);
    assert_eq!(fold.missed(), t.dropped.events - 100);
    assert_eq!(fold.lines_total(), total_lines);
    assert_eq!(fold.lines().len(), 5);
    assert_eq!(
        fold.lines().back().map(|l| l.text.clone()),
        t.lines().last().map(|l| l.text.clone())
    );
}

#[test]
fn a_budget_reads_events_over_several_updates() {
    let s = find("many-tasks").unwrap();
    let (v, _) = s.parse(|n| (n == "tasks").then_some("1000"));
    let t = crate::engine::exec::sim::ideal(s, &v).0;
    let mut fold = Fold::live(20, 5, 5);
    let mut rounds = 0;
    while !fold.update_within(&t, 500) {
        assert!(fold.task_count() <= 500 * (rounds + 1));
        rounds += 1;
    }
    assert!(rounds >= 5, "{rounds}");
    assert_eq!(fold.task_count(), t.tasks.len());
    assert_eq!(
        fold.stats(t.elapsed()),
        t.all_stats(t.elapsed())[..5].to_vec()
    );
    let end = t.elapsed();
    assert_eq!(
        Figures::of(&fold, end, end),
        figures(&t, &t, &t.all_stats(end), end)
    );
}
