//! The teaching lints with what the ideal run says of them: how much sooner two awaits in a row
//! would end gathered (the program run on the virtual clock both ways), and which tasks were
//! still waiting when `asyncio.run` cancelled them. Both the editor and `interleave check` show
//! these; [`on_timeline`] finds the moments of a run each one points to, for the timeline.

use std::rc::Rc;

use crate::engine::exec::sim::Settled;
use crate::engine::lang::python::ast::{At, Expr, ExprKind, Stmt, StmtKind};
use crate::engine::lang::python::compile::compile;
use crate::engine::lang::python::lint::{lint, Lint};
use crate::engine::lang::value::seconds;
use crate::engine::record::trace::{Outcome, TaskId, Trace};

use super::simulate_within;

/// Polls and instructions a lesson's run may take: enough for a learner's program, little
/// enough to run at every key typed.
const POLLS: u64 = 20_000;
const WORK: u64 = 5_000_000;

/// The most spots a run notes (see [`Seen`]): a lesson's marks are its first few anyway.
pub const MOST_SPOTS: usize = 1_000;

/// The most marks one lesson puts on the timeline.
const MARKS_PER_LESSON: usize = 20;

/// Something a run did at a line, noted for the lessons.
#[derive(Clone, Debug, PartialEq)]
pub struct Spot {
    /// `blocking-call` (a `time.sleep`), `never-awaited` (a coroutine dropped), `await` (at a
    /// line watched).
    pub kind: &'static str,
    /// The task it happened in.
    pub task: TaskId,
    /// When.
    pub at: f64,
    /// When it ended, for what takes time (a blocking call).
    pub until: Option<f64>,
    /// The line, from 1.
    pub line: u32,
}

/// What a run noted for its lessons.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Seen {
    /// The first [`MOST_SPOTS`] spots, in order.
    pub spots: Vec<Spot>,
    /// For each task, by id: the line that made it and the line of its coroutine's `def` (0
    /// for one of asyncio's own).
    pub tasks: Vec<(u32, u32)>,
}

/// A lesson on a run's timeline: on `task`'s lane, at `at` (to `until`, if it took time).
#[derive(Clone, Debug, PartialEq)]
pub struct LessonMark {
    /// The lane.
    pub task: TaskId,
    /// When, in scenario seconds.
    pub at: f64,
    /// To when, for a stretch (a blocking call).
    pub until: Option<f64>,
    /// The lint's kind.
    pub kind: &'static str,
    /// The lint's line.
    pub line: usize,
    /// What it says: the line and the lesson.
    pub words: Rc<str>,
}

/// The moments of a run that its lessons point to: where each blocking call held the loop,
/// where a coroutine was dropped unawaited, where a dropped task was made, where an await
/// that could have been gathered began, where `asyncio.run` cancelled a task at its exit
/// (once the run is `over`).
pub fn on_timeline(lints: &[Lint], trace: &Trace, seen: &Seen, over: bool) -> Vec<LessonMark> {
    let mut out = Vec::new();
    for l in lints {
        let line = l.line as u32;
        let found: Vec<(TaskId, f64, Option<f64>)> = match l.kind {
            "blocking-call" | "never-awaited" | "sequential-awaits" => {
                let kind = if l.kind == "sequential-awaits" {
                    "await"
                } else {
                    l.kind
                };
                seen.spots
                    .iter()
                    .filter(|s| s.kind == kind && s.line == line)
                    .map(|s| (s.task, s.at, s.until))
                    .collect()
            }
            "dropped-task" => made_at(trace, seen, |(made, _)| made == line)
                .map(|(task, spawned)| (task, spawned, None))
                .collect(),
            "cancelled-at-exit" if over => cancelled_late(trace)
                .into_iter()
                .filter(|(task, _)| seen.tasks.get(task.0 as usize).is_some_and(|t| t.1 == line))
                .map(|(task, at)| (task, at, None))
                .collect(),
            _ => Vec::new(),
        };
        let words: Rc<str> = Rc::from(format!("Line {}: {}", l.line, l.message));
        out.extend(
            found
                .into_iter()
                .take(MARKS_PER_LESSON)
                .map(|(task, at, until)| LessonMark {
                    task,
                    at,
                    until,
                    kind: l.kind,
                    line: l.line,
                    words: words.clone(),
                }),
        );
    }
    out
}

/// The tasks whose lines (made at, `def`) pass `test`, with when each was made.
fn made_at<'a>(
    trace: &'a Trace,
    seen: &'a Seen,
    test: impl Fn((u32, u32)) -> bool + 'a,
) -> impl Iterator<Item = (TaskId, f64)> + 'a {
    seen.tasks
        .iter()
        .zip(&trace.tasks)
        .enumerate()
        .filter(move |(_, (lines, _))| test(**lines))
        .map(|(i, (_, info))| (TaskId(i as u32), info.spawned))
}

/// The tasks cancelled at or after the end of the first (`asyncio.run`'s main), with when.
fn cancelled_late(trace: &Trace) -> Vec<(TaskId, f64)> {
    let stats = trace.all_stats(trace.elapsed());
    let Some(main_end) = stats.first().and_then(|s| s.ended) else {
        return Vec::new();
    };
    stats
        .iter()
        .skip(1)
        .filter(|s| s.outcome == Outcome::Cancelled)
        .filter_map(|s| s.ended.filter(|e| *e >= main_end).map(|e| (s.task, e)))
        .collect()
}

/// The lints of `tree`, with their figures.
pub fn lessons(tree: &[Stmt]) -> Vec<Lint> {
    let mut lints = lint(tree);
    let Some(elapsed) = ideal_elapsed(tree) else {
        return lints;
    };
    for l in lints.iter_mut().filter(|l| l.kind == "sequential-awaits") {
        let mut gathered = tree.to_vec();
        if !gather_pair(&mut gathered, l.line) {
            continue;
        }
        if let Some(faster) = ideal_elapsed(&gathered).filter(|f| *f < elapsed - 1e-9) {
            l.message.push_str(&format!(
                " Gathered, the program would take {} s, not {} s.",
                seconds(round_ms(faster)),
                seconds(round_ms(elapsed))
            ));
        }
    }
    lints.extend(cancelled_at_exit(tree));
    lints.sort_by_key(|l| l.line);
    lints
}

fn round_ms(t: f64) -> f64 {
    (t * 1000.0).round() / 1000.0
}

/// How long the program takes on the virtual clock, if it ends without an error in budget.
fn ideal_elapsed(tree: &[Stmt]) -> Option<f64> {
    let module = compile(tree).ok()?;
    let (trace, ending, settled) = simulate_within(module, POLLS, WORK);
    (settled == Settled::Idle && ending.is_some_and(|e| e.error.is_none())).then(|| trace.elapsed())
}

/// Replaces the awaited call at `line` and the one before it with one `gather` of both.
fn gather_pair(body: &mut Vec<Stmt>, line: usize) -> bool {
    if let Some(i) = body.iter().position(|s| s.at.line == line) {
        if i == 0 {
            return false;
        }
        let (Some((c1, t1)), Some((c2, t2))) = (awaited(&body[i - 1]), awaited(&body[i])) else {
            return false;
        };
        let at = body[i - 1].at;
        let blank = |at: At| Expr {
            at,
            kind: ExprKind::Name(Rc::from("_")),
        };
        let target = Expr {
            at,
            kind: ExprKind::Tuple(vec![
                t1.unwrap_or_else(|| blank(at)),
                t2.unwrap_or_else(|| blank(at)),
            ]),
        };
        let gather = Expr {
            at,
            kind: ExprKind::Attr(
                Box::new(Expr {
                    at,
                    kind: ExprKind::Name(Rc::from("asyncio")),
                }),
                Rc::from("gather"),
            ),
        };
        let value = Expr {
            at,
            kind: ExprKind::Await(Box::new(Expr {
                at,
                kind: ExprKind::Call(Box::new(gather), vec![c1, c2], Vec::new()),
            })),
        };
        body[i - 1] = Stmt {
            at,
            kind: StmtKind::Assign(vec![target], value),
        };
        body.remove(i);
        return true;
    }
    body.iter_mut().any(|s| match &mut s.kind {
        StmtKind::Def { body, .. } | StmtKind::With(_, _, body) => gather_pair(body, line),
        StmtKind::If(_, a, b) | StmtKind::While(_, a, b) | StmtKind::For(_, _, a, b) => {
            gather_pair(a, line) || gather_pair(b, line)
        }
        StmtKind::Try(a, hs, b, c) => {
            gather_pair(a, line)
                || hs.iter_mut().any(|h| gather_pair(&mut h.body, line))
                || gather_pair(b, line)
                || gather_pair(c, line)
        }
        _ => false,
    })
}

/// `[target =] await call`: the call and the target.
fn awaited(s: &Stmt) -> Option<(Expr, Option<Expr>)> {
    let (value, target) = match &s.kind {
        StmtKind::Expr(e) => (e, None),
        StmtKind::Assign(targets, e) if targets.len() == 1 => (e, targets.first().cloned()),
        _ => return None,
    };
    match &value.kind {
        ExprKind::Await(inner) if matches!(inner.kind, ExprKind::Call(..)) => {
            Some(((**inner).clone(), target))
        }
        _ => None,
    }
}

/// Tasks still waiting when the main task returned, which `asyncio.run` then cancelled.
fn cancelled_at_exit(tree: &[Stmt]) -> Vec<Lint> {
    let Some(module) = compile(tree).ok() else {
        return Vec::new();
    };
    let (trace, _, settled) = simulate_within(module, POLLS, WORK);
    if settled != Settled::Idle {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (task, at) in cancelled_late(&trace) {
        let name = trace.name(task);
        let function = name.split('(').next().unwrap_or(name);
        let Some(line) = def_line(tree, function) else {
            continue;
        };
        out.push(Lint {
            kind: "cancelled-at-exit",
            line,
            message: format!(
                "{name} was still waiting when {} returned, so asyncio.run cancelled it (at {} s): \
                 await it, or gather it, before the end if its work matters.",
                trace.name(TaskId(0)),
                seconds(round_ms(at))
            ),
        });
    }
    out
}

/// The line of `def name` (or `async def`), anywhere in the program.
fn def_line(body: &[Stmt], name: &str) -> Option<usize> {
    body.iter().find_map(|s| match &s.kind {
        StmtKind::Def { name: n, body, .. } => {
            if &**n == name {
                Some(s.at.line)
            } else {
                def_line(body, name)
            }
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::python::parse;

    #[test]
    fn the_saving_of_gathering_and_the_tasks_cancelled_at_exit_are_told() {
        let src = "import asyncio\n\
                   async def fetch(n):\n    await asyncio.sleep(n)\n    return n\n\
                   async def forever():\n    await asyncio.sleep(100)\n\
                   async def main():\n    bg = asyncio.create_task(forever())\n    a = await fetch(1)\n    b = await fetch(2)\n    print(a + b)\n\
                   asyncio.run(main())\n";
        let lints = lessons(&parse(src).expect("parses"));
        let kinds: Vec<(&str, usize)> = lints.iter().map(|l| (l.kind, l.line)).collect();
        assert_eq!(kinds, [("cancelled-at-exit", 5), ("sequential-awaits", 10)]);
        assert!(
            lints[1]
                .message
                .ends_with("Gathered, the program would take 2 s, not 3 s."),
            "{}",
            lints[1].message
        );
        assert!(lints[0]
            .message
            .starts_with("forever() was still waiting when main() returned"));
    }

    #[test]
    fn each_lesson_is_marked_where_the_run_did_it() {
        let src = "import asyncio, time\n\
                   async def fetch(n):\n    await asyncio.sleep(n)\n    return n\n\
                   async def forever():\n    await asyncio.sleep(100)\n\
                   async def main():\n    asyncio.create_task(forever())\n    fetch(9)\n    time.sleep(0.5)\n\
                   \x20   a = await fetch(1)\n    b = await fetch(2)\n    print(a + b)\n\
                   asyncio.run(main())\n";
        let tree = parse(src).expect("parses");
        let lints = lessons(&tree);
        let kinds: Vec<(&str, usize)> = lints.iter().map(|l| (l.kind, l.line)).collect();
        assert_eq!(
            kinds,
            [
                ("cancelled-at-exit", 5),
                ("dropped-task", 8),
                ("never-awaited", 9),
                ("blocking-call", 10),
                ("sequential-awaits", 12)
            ]
        );
        let watched = lints
            .iter()
            .filter(|l| l.kind == "sequential-awaits")
            .map(|l| l.line as u32)
            .collect();
        let clock = crate::engine::exec::sim::VirtualClock::new();
        let vm = super::super::Vm::start_watching(
            compile(&tree).expect("compiles"),
            clock.clone(),
            watched,
        );
        clock.run(10_000);
        let marks = on_timeline(&lints, &vm.trace(), &vm.seen(), true);
        let got: Vec<(&str, usize, u32, f64, Option<f64>)> = marks
            .iter()
            .map(|m| (m.kind, m.line, m.task.0, m.at, m.until))
            .collect();
        assert_eq!(
            got,
            [
                ("cancelled-at-exit", 5, 1, 3.5, None),
                ("dropped-task", 8, 1, 0.0, None),
                ("never-awaited", 9, 0, 0.0, None),
                ("blocking-call", 10, 0, 0.0, Some(0.5)),
                ("sequential-awaits", 12, 0, 1.5, None),
            ]
        );
        assert!(
            marks[3].words.starts_with("Line 10: "),
            "{}",
            marks[3].words
        );
        vm.stop();
    }
}
