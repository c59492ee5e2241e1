//! What a frame draws of a run: the presenter reads only what the run recorded since the last
//! frame (within a time budget), and keeps every part of the last frame that did not change as
//! the same `Rc`, so the page redraws only what changed and a frame costs the same however long
//! the run. Pure: the shell hands it the trace, the time, and a clock for its budget.

use std::rc::Rc;

use crate::engine::lang::listing::Listing;
use crate::engine::lang::value::fixed;
use crate::engine::record::fold::Fold;
use crate::engine::record::trace::{Line, TaskId, TaskStats, Trace};
use crate::engine::view::divergence::{first_divergence, Divergence};
use crate::engine::view::figures::Figures;
use crate::engine::view::lateness::{account, Lateness, Work, WorkKind};
use crate::engine::view::layout::{Axis, Layout};
use crate::engine::view::states::{StateReader, TaskState};
use crate::engine::view::timeline::{hidden_spans, Ideal, Timeline};

/// Lanes drawn one by one; past this the rest become a density band.
pub const MAX_LANES: usize = 200;
/// Rows of the task table.
pub const MAX_ROWS: usize = 200;
/// Console lines drawn (the newest).
pub const MAX_LINES: usize = 500;
/// While a run goes on, the task table is refreshed at most this often (real milliseconds): it is
/// read, not watched, and hundreds of cells changing at once cost a frame.
const TABLE_EVERY_MS: f64 = 500.0;
/// How long a frame may spend reading new events (real milliseconds); what is left is read on
/// the next frames.
const READ_BUDGET_MS: f64 = 6.0;
/// With more tasks than this, the timeline's axis grows at most every [`AXIS_EVERY_MS`] while it
/// still reaches the time: growing it moves every bar drawn.
const AXIS_HOLD_TASKS: usize = 50;
/// See [`AXIS_HOLD_TASKS`].
const AXIS_EVERY_MS: f64 = 100.0;
/// Tasks and events read between two looks at the clock.
const READ_SLICE: usize = 20_000;
/// A run that ends with at most this many events (none dropped) is folded once more from the
/// start at the exact detail, so its final picture does not depend on how frames fell.
const REFOLD_MAX_EVENTS: usize = 200_000;

/// Polls the virtual clock may spend on the ideal schedule when Run is pressed: about a second
/// of work at most, so the page never freezes computing it.
pub const IDEAL_POLL_BUDGET: u64 = 400_000;

/// A row of the task table: the task's name, its counters and what it is doing (when known).
pub type Row = (Rc<str>, TaskStats, Option<TaskState>);

/// One line of the console.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsoleLine {
    /// When it was printed.
    pub at: f64,
    /// Which task printed it.
    pub task: u32,
    /// That task's name.
    pub task_name: Rc<str>,
    /// The text.
    pub text: Rc<str>,
    /// It left its line open: the next line goes on with it.
    pub open: bool,
}

/// The console's rows, as a terminal shows the lines: one left open (`print(x, end="")`) and
/// those after it, up to one that ends its line, make one row, which keeps the first one's time
/// and task; with each row, the index of its first line (its place, for a stable key).
pub fn console_rows(lines: &[ConsoleLine]) -> Vec<(usize, ConsoleLine)> {
    let mut rows: Vec<(usize, ConsoleLine)> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        match rows.last_mut() {
            Some((_, row)) if row.open => {
                row.text = Rc::from(format!("{}{}", row.text, l.text));
                row.open = l.open;
            }
            _ => rows.push((i, l.clone())),
        }
    }
    rows
}

/// Per style (Python, Rust): each highlighted line with the names of the tasks on it.
pub type Marks = (Vec<(usize, String)>, Vec<(usize, String)>);

impl ConsoleLine {
    /// A line of `trace` as the console shows it.
    pub fn of(trace: &Trace, l: &Line) -> ConsoleLine {
        ConsoleLine {
            at: l.at,
            task: l.task.0,
            task_name: trace
                .tasks
                .get(l.task.0 as usize)
                .map(|t| t.name.clone())
                .unwrap_or_else(|| Rc::from("?")),
            text: l.text.clone(),
            open: l.open,
        }
    }
}

/// The lines the tasks `fold` has read are at, in both listings, with the tasks' names.
pub fn marks_of(fold: &mut Fold, trace: &Trace, python: &Listing, rust: &Listing) -> Marks {
    let names = |ids: &[TaskId], n: usize| -> String {
        let mut names: Vec<&str> = ids.iter().take(3).map(|t| trace.name(*t)).collect();
        if n > 3 {
            names.push("…");
        }
        let count = if n > 3 {
            format!(" ({n} tasks)")
        } else {
            String::new()
        };
        format!("{}{count}", names.join(", "))
    };
    let mut mark = |listing: &Listing| -> Vec<(usize, String)> {
        fold.marks(listing)
            .into_iter()
            .map(|(l, ids, n)| (l, names(&ids, n)))
            .collect()
    };
    (mark(python), mark(rust))
}

/// What the presenter needs to know of a run besides its trace.
pub struct RunFacts<'a> {
    /// Which run of the page it is.
    pub id: u64,
    /// Its ideal schedule.
    pub ideal: &'a Trace,
    /// The ideal schedule indexed, for the lanes drawn.
    pub ideal_lanes: &'a Ideal,
    /// False when the virtual clock gave up before the end.
    pub ideal_complete: bool,
    /// The program as Python.
    pub python: &'a Rc<Listing>,
    /// The program as Rust.
    pub rust: &'a Rc<Listing>,
    /// Scenario seconds per real second.
    pub speed: f64,
    /// Other work that held the main thread so far (see [`Work`]).
    pub work: &'a [Work],
}

/// Everything the page draws of a run at one moment.
pub struct RunView {
    /// Which run of the page it is.
    pub run: u64,
    /// The timeline.
    pub timeline: Rc<Timeline>,
    /// The headline figures.
    pub figures: Rc<Figures>,
    /// The newest printed lines.
    pub lines: Rc<Vec<ConsoleLine>>,
    /// Printed lines not drawn (older than the newest [`MAX_LINES`], or dropped).
    pub hidden_lines: u64,
    /// Coroutines never awaited, failures.
    pub warnings: Rc<Vec<String>>,
    /// The task table's rows.
    pub stats: Rc<Vec<Row>>,
    /// Tasks not in the table.
    pub more: usize,
    /// The program as Python.
    pub python: Rc<Listing>,
    /// The program as Rust.
    pub rust: Rc<Listing>,
    /// The lines live tasks are at, in both listings.
    pub current: Rc<Marks>,
    /// What the page should say about this run's completeness.
    pub notes: Rc<Vec<String>>,
}

/// The fold of a run's trace and the parts of the last frame that did not change.
pub struct Presenter {
    fold: Fold,
    layout: Layout,
    /// Set once the run ended and its trace was read to the end.
    settled: bool,
    lines_seen: Option<u64>,
    lines: Rc<Vec<ConsoleLine>>,
    warnings_seen: Option<u64>,
    warnings: Rc<Vec<String>>,
    marks: Rc<Marks>,
    table: Rc<Vec<Row>>,
    /// Each task's state, read as events come.
    states: StateReader,
    /// When the table was last refreshed, in real milliseconds (none yet: negative).
    table_at: f64,
    /// When the timeline's axis last changed, in real milliseconds.
    axis_at: f64,
    span: f64,
    notes: Rc<Vec<String>>,
    /// Where the real order left the ideal one, found once the run is over.
    divergence: Option<Option<Rc<Divergence>>>,
    /// How its late timers are accounted for, found once the run is over.
    lateness: Option<Rc<Lateness>>,
}

impl Default for Presenter {
    fn default() -> Presenter {
        Presenter {
            fold: Fold::live(MAX_LANES, MAX_ROWS, MAX_LINES),
            layout: Layout::default(),
            settled: false,
            lines_seen: None,
            lines: Rc::new(Vec::new()),
            warnings_seen: None,
            warnings: Rc::new(Vec::new()),
            marks: Rc::new((Vec::new(), Vec::new())),
            table: Rc::new(Vec::new()),
            states: StateReader::default(),
            table_at: f64::NEG_INFINITY,
            axis_at: f64::NEG_INFINITY,
            span: 0.0,
            notes: Rc::new(Vec::new()),
            divergence: None,
            lateness: None,
        }
    }
}

/// The event loop's lane shows other work merged to this fraction of the axis.
const WORK_DETAIL: f64 = 600.0;

/// Work of each kind, stretches closer than `gap` joined: so the lane holds a few hundred
/// stretches however long the run, and each kind still shows where it was.
fn merge_work(work: &[Work], gap: f64) -> Vec<Work> {
    let mut out: Vec<Work> = Vec::new();
    for kind in WorkKind::ALL {
        let start = out.len();
        for w in work.iter().filter(|w| w.kind == kind) {
            match out[start..].last_mut() {
                Some(last) if w.from <= last.to + gap => last.to = last.to.max(w.to),
                _ => out.push(*w),
            }
        }
    }
    out
}

impl Presenter {
    /// What the page draws of run `live` now: `trace` up to `now`, `running` or over, with the
    /// page's visibility changes; `clock_ms` reads real milliseconds, for the frame's budget.
    pub fn frame(
        &mut self,
        live: &RunFacts<'_>,
        trace: &Trace,
        now: f64,
        running: bool,
        visibility: &[(f64, bool)],
        clock_ms: &dyn Fn() -> f64,
    ) -> RunView {
        let started = clock_ms();
        if running || self.settled {
            while !self.fold.update_within(trace, READ_SLICE) {
                if clock_ms() - started > READ_BUDGET_MS {
                    break;
                }
            }
        } else {
            // The run is over: read it to the end, from the start if it is small and whole.
            if trace.dropped.events == 0
                && self.fold.missed() == 0
                && trace.events.len() <= REFOLD_MAX_EVENTS
            {
                self.fold = Fold::live(MAX_LANES, MAX_ROWS, MAX_LINES);
                self.lines_seen = None;
                self.warnings_seen = None;
            }
            self.fold.update(trace);
            self.settled = true;
        }
        let throttled = hidden_spans(visibility, now);
        let clock = clock_ms();
        let axis = if !running {
            Axis::Exact
        } else if self.fold.task_count() > AXIS_HOLD_TASKS && clock - self.axis_at < AXIS_EVERY_MS {
            Axis::Held
        } else {
            Axis::Steady
        };
        let mut timeline = self.layout.timeline(
            &mut self.fold,
            trace,
            live.ideal_lanes,
            now,
            throttled,
            axis,
        );
        timeline.work = merge_work(live.work, timeline.span / WORK_DETAIL);
        if !running {
            let divergence = self
                .divergence
                .get_or_insert_with(|| first_divergence(trace, live.ideal).map(Rc::new));
            timeline.divergence = divergence.clone();
            let hidden = &timeline.throttled;
            let lateness = self
                .lateness
                .get_or_insert_with(|| Rc::new(account(trace, live.work, hidden, live.speed)));
            timeline.lateness = Some(lateness.clone());
        }
        if timeline.span != self.span {
            self.span = timeline.span;
            self.axis_at = clock;
        }
        let figures = Figures::of(&self.fold, live.ideal.elapsed(), now);

        let total = self.fold.lines_total();
        if self.lines_seen != Some(total) {
            self.lines_seen = Some(total);
            self.lines = Rc::new(
                self.fold
                    .lines()
                    .iter()
                    .map(|l| ConsoleLine::of(trace, l))
                    .collect(),
            );
        }
        let hidden_lines = total.saturating_sub(self.lines.len() as u64);

        let (warnings, all_warnings) = self.fold.warnings();
        if self.warnings_seen != Some(all_warnings) {
            self.warnings_seen = Some(all_warnings);
            let mut w = warnings.to_vec();
            let more = all_warnings.saturating_sub(w.len() as u64);
            if more > 0 {
                w.push(format!("… and {more} more warnings like these"));
            }
            self.warnings = Rc::new(w);
        }

        let marks = marks_of(&mut self.fold, trace, live.python, live.rust);
        if *self.marks != marks {
            self.marks = Rc::new(marks);
        }

        // The table is read, not watched: while running it is refreshed twice a second.
        if !running || clock - self.table_at >= TABLE_EVERY_MS {
            self.table_at = clock;
            self.states.update(trace);
            let states = &self.states;
            let rows: Vec<Row> = self
                .fold
                .stats(now)
                .into_iter()
                .map(|s| {
                    let state = states.of(s.task.0 as usize).cloned();
                    (Rc::from(trace.name(s.task)), s, state)
                })
                .collect();
            if *self.table != rows {
                self.table = Rc::new(rows);
            }
        }
        let more = self.fold.task_count().saturating_sub(MAX_ROWS);

        let mut notes = Vec::new();
        if trace.dropped.events > 0 {
            let missed = self.fold.missed();
            notes.push(format!(
                "This run is long: to keep memory bounded, its {} earliest events (before {} s, {} printed lines among them) were dropped. The timeline and figures still include what the page had read of them{}; exports cover what is kept.",
                trace.dropped.events,
                fixed(trace.dropped.before, 1),
                trace.dropped.lines,
                if missed > 0 {
                    format!(" ({missed} went before it could)")
                } else {
                    String::new()
                }
            ));
        }
        if !live.ideal_complete {
            notes.push(format!(
                "The ideal schedule was cut short: the virtual clock stops at {} polls or {} tasks, so it covers {} tasks, up to {} s.",
                IDEAL_POLL_BUDGET,
                IDEAL_POLL_BUDGET / 2,
                live.ideal.tasks.len(),
                fixed(live.ideal.elapsed(), 2)
            ));
        }
        if *self.notes != notes {
            self.notes = Rc::new(notes);
        }

        RunView {
            run: live.id,
            timeline: Rc::new(timeline),
            figures: Rc::new(figures),
            lines: self.lines.clone(),
            hidden_lines,
            warnings: self.warnings.clone(),
            stats: self.table.clone(),
            more,
            python: live.python.clone(),
            rust: live.rust.clone(),
            current: self.marks.clone(),
            notes: self.notes.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_left_open_share_a_row_with_the_line_that_ends_it() {
        let line = |at: f64, task: u32, text: &str, open: bool| ConsoleLine {
            at,
            task,
            task_name: Rc::from("t"),
            text: Rc::from(text),
            open,
        };
        let lines = [
            line(0.0, 0, "0 ", true),
            line(0.0, 0, "1 ", true),
            line(0.5, 1, "done", false),
            line(1.0, 0, "next", false),
            line(2.0, 0, ".", true),
        ];
        let rows: Vec<(usize, f64, u32, String, bool)> = console_rows(&lines)
            .into_iter()
            .map(|(i, l)| (i, l.at, l.task, l.text.to_string(), l.open))
            .collect();
        assert_eq!(
            rows,
            [
                (0, 0.0, 0, "0 1 done".to_string(), false),
                (3, 1.0, 0, "next".to_string(), false),
                (4, 2.0, 0, ".".to_string(), true),
            ]
        );
    }
    use crate::engine::exec::sim::ideal;
    use crate::engine::lang::listing::{render, Style};
    use crate::engine::lang::scenarios::find;
    use crate::engine::record::fold::reference::prefix_of;

    struct Run {
        trace: Trace,
        ideal_lanes: Ideal,
        python: Rc<Listing>,
        rust: Rc<Listing>,
    }

    fn run(id: &str, params: &[(&str, &str)]) -> Run {
        let s = find(id).expect("in the catalog");
        let (v, e) = s.parse(|n| params.iter().find(|(k, _)| *k == n).map(|(_, v)| *v));
        assert!(e.is_empty());
        let (trace, _) = ideal(s, &v);
        let program = (s.build)(&v);
        Run {
            ideal_lanes: Ideal::of(Some(Rc::new(trace.clone()))),
            python: Rc::new(render(&program, Style::Python)),
            rust: Rc::new(render(&program, Style::Rust)),
            trace,
        }
    }

    fn facts<'a>(r: &'a Run, complete: bool) -> RunFacts<'a> {
        RunFacts {
            id: 7,
            ideal: &r.trace,
            ideal_lanes: &r.ideal_lanes,
            ideal_complete: complete,
            python: &r.python,
            rust: &r.rust,
            speed: 1.0,
            work: &[],
        }
    }

    #[test]
    fn frames_read_in_pieces_end_where_one_frame_at_the_end_does() {
        let r = run("fetch-and-count", &[]);
        let end = r.trace.elapsed();
        let mut p = Presenter::default();
        let n = r.trace.events.len();
        for k in [3, n / 3, n / 2, n] {
            let part = prefix_of(&r.trace, k);
            let v = p.frame(&facts(&r, true), &part, part.elapsed(), true, &[], &|| 0.0);
            assert_eq!(v.run, 7);
            assert_eq!(v.lines.len(), part.lines().len());
        }
        let last = p.frame(&facts(&r, true), &r.trace, end, false, &[], &|| 0.0);
        let once = Presenter::default().frame(&facts(&r, true), &r.trace, end, false, &[], &|| 0.0);
        assert_eq!(last.timeline, once.timeline);
        assert_eq!(last.figures, once.figures);
        assert_eq!(last.lines, once.lines);
        assert_eq!(last.stats, once.stats);
        assert_eq!(last.lines.len(), 13);
        assert_eq!(&*last.lines[10].text, "8");
        assert_eq!(&*last.lines[10].task_name, "count()");
        assert_eq!(last.figures.ideal, end);
        assert!(last.notes.is_empty());
        // The real run here is the ideal itself: nothing left the ideal order.
        assert_eq!(last.timeline.divergence, None);
    }

    #[test]
    fn a_frame_with_nothing_new_reuses_what_it_drew() {
        let r = run("cooking", &[("mode", "gather")]);
        let mut p = Presenter::default();
        let part = prefix_of(&r.trace, r.trace.events.len() / 2);
        let a = p.frame(&facts(&r, true), &part, 1.0, true, &[], &|| 0.0);
        let b = p.frame(&facts(&r, true), &part, 1.0, true, &[], &|| 0.0);
        assert!(Rc::ptr_eq(&a.lines, &b.lines));
        assert!(Rc::ptr_eq(&a.warnings, &b.warnings));
        assert!(Rc::ptr_eq(&a.current, &b.current));
        assert!(a
            .timeline
            .lanes
            .iter()
            .zip(&b.timeline.lanes)
            .all(|(x, y)| Rc::ptr_eq(x, y)));
        // The code marks point at the line each live task waits on.
        let (py, _) = &*b.current;
        assert!(!py.is_empty());
    }

    #[test]
    fn the_page_says_when_the_ideal_schedule_was_cut_short() {
        let r = run("hello-world", &[]);
        let mut p = Presenter::default();
        let v = p.frame(&facts(&r, false), &r.trace, 2.0, false, &[], &|| 0.0);
        assert_eq!(v.notes.len(), 1);
        assert!(
            v.notes[0].starts_with("The ideal schedule was cut short"),
            "{}",
            v.notes[0]
        );
    }

    #[test]
    fn a_frame_reads_no_more_than_its_budget() {
        let r = run("many-tasks", &[("tasks", "50000")]);
        let mut p = Presenter::default();
        // A clock that moves 10 ms per look: every frame is over budget after one slice.
        let t = std::cell::Cell::new(0.0);
        let clock = || {
            t.set(t.get() + 10.0);
            t.get()
        };
        let first = p.frame(&facts(&r, true), &r.trace, 0.5, true, &[], &clock);
        assert!(
            first.figures.tasks < 50_001,
            "{} tasks read",
            first.figures.tasks
        );
        let mut frames = 1;
        loop {
            let v = p.frame(&facts(&r, true), &r.trace, 0.5, true, &[], &clock);
            frames += 1;
            if v.figures.tasks == 50_001 && v.figures.polls == 100_002 {
                break;
            }
            assert!(frames < 100, "the fold never caught up");
        }
        assert!(frames > 2, "{frames}");
    }
}
