//! The live run: started by the Run button, owned here so that Stop, Reset and every change of
//! scenario or values can reach it. Dropping a [`LiveRun`] stops it.
//!
//! The real run starts in a fresh macrotask (a zero-delay timer) after the button's handler, so
//! the page's own first render of the run does not count against the run's first steps.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::engine::exec::interp::Run;
use crate::engine::exec::runtime::Runtime;
use crate::engine::lang::listing::{render, Listing, Style};
use crate::engine::lang::params::Values;
use crate::engine::lang::program::Program;
use crate::engine::lang::scenarios::ScenarioInfo;
use crate::engine::record::fold::Fold;
use crate::engine::record::trace::{TaskId, TaskStats, Trace};
use crate::engine::view::divergence::{first_divergence, Divergence};
use crate::engine::view::figures::Figures;
use crate::engine::view::layout::{Axis, Layout};
use crate::engine::view::timeline::{hidden_spans, Ideal, Timeline};
use crate::web::components::code::Marks;
use crate::web::components::console::ConsoleLine;
use crate::web::runtime::BrowserRuntime;

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

type RunSlot = Rc<RefCell<Option<Run<BrowserRuntime>>>>;

thread_local! {
    /// Runs started on this page, to tell one from the next.
    static RUNS: Cell<u64> = const { Cell::new(0) };
}

/// A run on the browser's loop, with its ideal schedule and listings.
pub struct LiveRun {
    /// Which run of the page this is.
    pub id: u64,
    /// The scenario it runs.
    pub scenario: &'static ScenarioInfo,
    /// The same program on the virtual clock.
    pub ideal: Rc<Trace>,
    /// The ideal schedule indexed once, so each lane drawn folds only its own task's events.
    pub ideal_lanes: Rc<Ideal>,
    /// False when the virtual clock gave up before the end (see [`IDEAL_POLL_BUDGET`]).
    pub ideal_complete: bool,
    /// The Python-style listing of the program run.
    pub python: Rc<Listing>,
    /// The Rust-style listing.
    pub rust: Rc<Listing>,
    run: RunSlot,
    /// Every change of the page's visibility during the run: (scenario time, hidden).
    visibility: Rc<RefCell<Vec<(f64, bool)>>>,
    /// The `visibilitychange` listener, removed when the run stops or goes away.
    listener: RefCell<Option<VisibilityListener>>,
    /// The timer that starts the run; dropping it before it fires cancels the start.
    pending: RefCell<Option<Timeout>>,
    stopped_at: Cell<Option<f64>>,
    /// What frames have read of the trace, and what they drew.
    cache: RefCell<ViewCache>,
}

impl LiveRun {
    /// Builds the program for `values`, computes its ideal schedule, and starts it for real on
    /// the next turn of the event loop.
    pub fn start(scenario: &'static ScenarioInfo, values: &Values) -> LiveRun {
        let program = Rc::new((scenario.build)(values));
        let (ideal, settled) =
            crate::engine::exec::sim::simulate_within(program.clone(), IDEAL_POLL_BUDGET);
        let (python, rust) = listings(&program);
        let run: RunSlot = Rc::new(RefCell::new(None));
        let slot = run.clone();
        let speed = values.num("speed");
        let pending = Timeout::new(0, move || {
            let started = Run::start(program, BrowserRuntime::new(speed));
            *slot.borrow_mut() = Some(started);
        });
        let visibility = Rc::new(RefCell::new(Vec::new()));
        let listener = VisibilityListener::attach(run.clone(), visibility.clone());
        let ideal = Rc::new(ideal);
        let id = RUNS.with(|r| {
            r.set(r.get() + 1);
            r.get()
        });
        LiveRun {
            id,
            scenario,
            visibility,
            listener: RefCell::new(listener),
            ideal_lanes: Rc::new(Ideal::of(Some(ideal.clone()))),
            ideal,
            ideal_complete: settled == crate::engine::exec::sim::Settled::Idle,
            python: Rc::new(python),
            rust: Rc::new(rust),
            run,
            pending: RefCell::new(Some(pending)),
            stopped_at: Cell::new(None),
            cache: RefCell::new(ViewCache::new()),
        }
    }

    /// Stops it (once) and remembers when; before it started, it never will.
    pub fn stop(&self) {
        self.pending.borrow_mut().take();
        self.listener.borrow_mut().take();
        if self.stopped_at.get().is_some() {
            return;
        }
        let run = self.run.borrow();
        let at = match run.as_ref() {
            Some(r) if r.is_finished() => return,
            Some(r) => r.runtime().now(),
            None => 0.0,
        };
        self.stopped_at.set(Some(at));
        if let Some(r) = run.as_ref() {
            r.stop();
        }
    }

    /// True while the run goes on (not yet ended, not stopped).
    pub fn running(&self) -> bool {
        self.stopped_at.get().is_none()
            && !self.run.borrow().as_ref().is_some_and(|r| r.is_finished())
    }

    /// True once the run ended by itself.
    pub fn finished(&self) -> bool {
        self.stopped_at.get().is_none()
            && self.run.borrow().as_ref().is_some_and(|r| r.is_finished())
    }

    /// The visibility changes seen so far: (scenario time, hidden).
    pub fn visibility(&self) -> Vec<(f64, bool)> {
        self.visibility.borrow().clone()
    }

    /// Calls `f` with the trace so far and the time to draw it up to.
    pub fn view<T>(&self, f: impl FnOnce(&Trace, f64) -> T) -> T {
        let run = self.run.borrow();
        match run.as_ref() {
            None => f(&Trace::default(), self.stopped_at.get().unwrap_or(0.0)),
            Some(r) => {
                let trace = r.trace();
                let now = match self.stopped_at.get() {
                    Some(at) => at,
                    None if r.is_finished() => trace.elapsed(),
                    None => r.runtime().now(),
                };
                f(&trace, now)
            }
        }
    }
}

impl LiveRun {
    /// What the page draws of the run now. Each call reads only what was recorded since the
    /// last one (at most [`READ_BUDGET_MS`] of it), so it costs the same however long the run.
    pub fn frame(&self) -> RunView {
        let running = self.running();
        let visibility = self.visibility();
        self.view(|trace, now| {
            let mut c = self.cache.borrow_mut();
            c.frame(self, trace, now, running, &visibility)
        })
    }
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
    pub stats: Rc<Vec<(Rc<str>, TaskStats)>>,
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

/// The fold of the live run's trace and the parts of the last frame that did not change.
struct ViewCache {
    fold: Fold,
    layout: Layout,
    /// Set once the run ended and its trace was read to the end.
    settled: bool,
    lines_seen: Option<u64>,
    lines: Rc<Vec<ConsoleLine>>,
    warnings_seen: Option<u64>,
    warnings: Rc<Vec<String>>,
    marks: Rc<Marks>,
    table: Rc<Vec<(Rc<str>, TaskStats)>>,
    /// When the table was last refreshed, in real milliseconds (none yet: negative).
    table_at: f64,
    /// When the timeline's axis last changed, in real milliseconds.
    axis_at: f64,
    span: f64,
    notes: Rc<Vec<String>>,
    /// Where the real order left the ideal one, found once the run is over.
    divergence: Option<Option<Rc<Divergence>>>,
}

fn clock_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

impl ViewCache {
    fn new() -> ViewCache {
        ViewCache {
            fold: Fold::live(MAX_LANES, MAX_ROWS, MAX_LINES),
            layout: Layout::default(),
            settled: false,
            lines_seen: None,
            lines: Rc::new(Vec::new()),
            warnings_seen: None,
            warnings: Rc::new(Vec::new()),
            marks: Rc::new((Vec::new(), Vec::new())),
            table: Rc::new(Vec::new()),
            table_at: f64::NEG_INFINITY,
            axis_at: f64::NEG_INFINITY,
            span: 0.0,
            notes: Rc::new(Vec::new()),
            divergence: None,
        }
    }

    fn frame(
        &mut self,
        live: &LiveRun,
        trace: &Trace,
        now: f64,
        running: bool,
        visibility: &[(f64, bool)],
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
            &live.ideal_lanes,
            now,
            throttled,
            axis,
        );
        if !running {
            let divergence = self
                .divergence
                .get_or_insert_with(|| first_divergence(trace, &live.ideal).map(Rc::new));
            timeline.divergence = divergence.clone();
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
                    .map(|l| ConsoleLine {
                        at: l.at,
                        task: l.task.0,
                        task_name: trace
                            .tasks
                            .get(l.task.0 as usize)
                            .map(|t| t.name.clone())
                            .unwrap_or_else(|| Rc::from("?")),
                        text: l.text.clone(),
                    })
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
            self.fold
                .marks(listing)
                .into_iter()
                .map(|(l, ids, n)| (l, names(&ids, n)))
                .collect()
        };
        let marks = (mark(&live.python), mark(&live.rust));
        if *self.marks != marks {
            self.marks = Rc::new(marks);
        }

        // The table is read, not watched: while running it is refreshed twice a second.
        if !running || clock - self.table_at >= TABLE_EVERY_MS {
            self.table_at = clock;
            let rows: Vec<(Rc<str>, TaskStats)> = self
                .fold
                .stats(now)
                .into_iter()
                .map(|s| (Rc::from(trace.name(s.task)), s))
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
                "This run is long: to keep memory bounded, its {} earliest events (before {:.1} s, {} printed lines among them) were dropped. The timeline and figures still include what the page had read of them{}; exports cover what is kept.",
                trace.dropped.events,
                trace.dropped.before,
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
                "The ideal schedule was cut short: the virtual clock stops at {} polls or {} tasks, so it covers {} tasks, up to {:.2} s.",
                IDEAL_POLL_BUDGET,
                IDEAL_POLL_BUDGET / 2,
                live.ideal.tasks.len(),
                live.ideal.elapsed()
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

/// Both listings of a program.
pub fn listings(program: &Program) -> (Listing, Listing) {
    (render(program, Style::Python), render(program, Style::Rust))
}

/// Where the live run lives.
pub type Session = Rc<RefCell<Option<LiveRun>>>;

/// Records when the page is hidden or shown while a run goes on: browsers throttle the timers of
/// hidden tabs (to about one wake a second, and to one a minute after five minutes in Chrome),
/// and the timeline must be able to say why a timer was late.
pub struct VisibilityListener {
    document: web_sys::Document,
    closure: Closure<dyn FnMut()>,
}

impl VisibilityListener {
    fn attach(run: RunSlot, log: Rc<RefCell<Vec<(f64, bool)>>>) -> Option<VisibilityListener> {
        let document = web_sys::window()?.document()?;
        if document.hidden() {
            log.borrow_mut().push((0.0, true));
        }
        let doc = document.clone();
        let closure = Closure::<dyn FnMut()>::new(move || {
            let now = run
                .borrow()
                .as_ref()
                .map(|r| r.runtime().now())
                .unwrap_or(0.0);
            log.borrow_mut().push((now, doc.hidden()));
        });
        document
            .add_event_listener_with_callback("visibilitychange", closure.as_ref().unchecked_ref())
            .ok()?;
        Some(VisibilityListener { document, closure })
    }
}

impl Drop for VisibilityListener {
    fn drop(&mut self) {
        let _ = self.document.remove_event_listener_with_callback(
            "visibilitychange",
            self.closure.as_ref().unchecked_ref(),
        );
    }
}
