//! The live run: started by the Run button, owned here so that Stop, Reset and every change of
//! scenario or values can reach it. Dropping a [`LiveRun`] stops it.
//!
//! The real run starts its clock once the page has drawn the run's first frame (the stage with
//! its empty timeline), so that drawing does not count against the run's first steps. While it
//! runs, the page's own frames and the browser's reports of long work are recorded, so the event
//! loop's lane can show what held the thread when a timer fired late.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;

use crate::engine::edges::runfile::{RunParts, SavedRun};
use crate::engine::edges::url::encode_values;
use crate::engine::exec::interp::Run;
use crate::engine::exec::runtime::Runtime;
use crate::engine::lang::listing::{render, Listing, Style};
use crate::engine::lang::params::Values;
use crate::engine::lang::program::Program;
use crate::engine::lang::scenarios::ScenarioInfo;
use crate::engine::record::trace::Trace;
use crate::engine::view::lane_steps::{stretches, Stretch};
use crate::engine::view::lateness::{waiting, Work, WorkKind};
use crate::engine::view::moment::{event_words, index_at, moment, step, time_of, Moment, Step};
use crate::engine::view::presenter::{Presenter, RunFacts, RunView, IDEAL_POLL_BUDGET};
use crate::engine::view::timeline::{Ideal, Timeline};
use crate::web::frames::{AfterPaint, FrameMeter, LongKind, LongWork};
use crate::web::runtime::BrowserRuntime;

/// A run started: a scenario's (and, in the studio, code mode's program's too).
#[cfg(not(feature = "studio"))]
type Started = Run<BrowserRuntime>;
#[cfg(feature = "studio")]
type Started = crate::web::code_mode::Started;

type RunSlot = Rc<RefCell<Option<Started>>>;

/// What watches the main thread while a run goes on: the browser's reports of long work, and
/// the page's own frames.
struct Watch {
    _long_work: LongWork,
    frames: FrameMeter,
}

/// A run on the browser's loop, with its ideal schedule and listings.
pub struct LiveRun {
    /// Which run of the page this is.
    pub id: u64,
    /// The scenario it runs.
    pub scenario: &'static ScenarioInfo,
    /// The share-link fragment of what it runs (scenario and values).
    pub link: String,
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
    /// What starts the run, until it is started ([`LiveRun::begin`]).
    start: RefCell<Option<Box<dyn FnOnce()>>>,
    /// What starts the run once a frame is drawn; dropping it before then cancels the start.
    pending: Rc<RefCell<Vec<AfterPaint>>>,
    /// Work that held the main thread besides the scenario's own, in scenario seconds: the
    /// browser's long frames and tasks as reported, and the page's frames once the run is over
    /// (while it goes on they are read from the meter; the loop's own come from the runtime).
    work: Rc<RefCell<Vec<Work>>>,
    /// What watches the main thread while the run goes on.
    watch: RefCell<Option<Watch>>,
    speed: f64,
    stopped_at: Cell<Option<f64>>,
    /// A run opened from a file: what it recorded, in place of a run of its own.
    recorded: Option<SavedRun>,
    /// What frames have read of the trace, and what they drew.
    presenter: RefCell<Presenter>,
}

impl LiveRun {
    /// Run `id` (as the page's state numbers it): builds the program for `values`, computes its
    /// ideal schedule, and starts it for real on the next turn of the event loop.
    pub fn start(id: u64, scenario: &'static ScenarioInfo, values: &Values) -> LiveRun {
        let program = Rc::new((scenario.build)(values));
        let (ideal, settled) =
            crate::engine::exec::sim::simulate_within(program.clone(), IDEAL_POLL_BUDGET);
        let (python, rust) = listings(&program);
        let run: RunSlot = Rc::new(RefCell::new(None));
        let slot = run.clone();
        let speed = values.num("speed");
        let start: Box<dyn FnOnce()> = Box::new(move || {
            let runtime = BrowserRuntime::new(speed);
            let started = Run::start(program, runtime.clone());
            // The first load's runs are all a scenario's; the studio's are one kind of two.
            #[allow(clippy::useless_conversion)]
            let started = Started::from(started);
            *slot.borrow_mut() = Some(started);
            runtime.turn_now();
        });
        let work: Rc<RefCell<Vec<Work>>> = Rc::new(RefCell::new(Vec::new()));
        let long_work = long_work(&run, &work);
        let visibility = Rc::new(RefCell::new(Vec::new()));
        let listener = VisibilityListener::attach(run.clone(), visibility.clone());
        let ideal = Rc::new(ideal);
        LiveRun {
            id,
            scenario,
            link: encode_values(scenario, values, false),
            visibility,
            listener: RefCell::new(listener),
            ideal_lanes: Rc::new(Ideal::of(Some(ideal.clone()))),
            ideal,
            ideal_complete: settled == crate::engine::exec::sim::Settled::Idle,
            python: Rc::new(python),
            rust: Rc::new(rust),
            run,
            start: RefCell::new(Some(start)),
            pending: Rc::new(RefCell::new(Vec::new())),
            work,
            watch: RefCell::new(Some(Watch {
                _long_work: long_work,
                frames: FrameMeter::start(),
            })),
            speed,
            stopped_at: Cell::new(None),
            recorded: None,
            presenter: RefCell::new(Presenter::default()),
        }
    }

    /// Run `id` of a program of code mode's (the scenario shown stays the page's): its ideal
    /// schedule on the virtual clock, its source as the listing, and the program started for
    /// real as a scenario's run is, stopped with a message if one step holds the thread for
    /// [`crate::web::code_mode::GUARD_SECS`].
    #[cfg(feature = "studio")]
    pub fn code(
        id: u64,
        scenario: &'static ScenarioInfo,
        module: crate::engine::lang::python::code::Module,
        source: &str,
        speed: f64,
        lints: Rc<Vec<crate::engine::lang::python::lint::Lint>>,
    ) -> LiveRun {
        // The lines of awaits that could have been gathered: the run notes when each began.
        let watched = lints
            .iter()
            .filter(|l| l.kind == "sequential-awaits")
            .map(|l| l.line as u32)
            .collect();
        let (ideal, _, settled) =
            crate::engine::exec::python::simulate(module.clone(), IDEAL_POLL_BUDGET);
        let ideal = Rc::new(ideal);
        let listing = Rc::new(crate::web::code_mode::listing(source));
        let run: RunSlot = Rc::new(RefCell::new(None));
        let slot = run.clone();
        let start: Box<dyn FnOnce()> = Box::new(move || {
            let runtime = BrowserRuntime::new(speed);
            let vm =
                crate::engine::exec::python::Vm::start_watching(module, runtime.clone(), watched);
            vm.set_guard(crate::web::code_mode::GUARD_SECS * speed);
            *slot.borrow_mut() = Some(Started::Code(vm, runtime.clone(), lints));
            runtime.turn_now();
        });
        let work: Rc<RefCell<Vec<Work>>> = Rc::new(RefCell::new(Vec::new()));
        let visibility = Rc::new(RefCell::new(Vec::new()));
        LiveRun {
            id,
            scenario,
            link: crate::web::code_mode::link_of(source, speed),
            listener: RefCell::new(VisibilityListener::attach(run.clone(), visibility.clone())),
            visibility,
            ideal_lanes: Rc::new(Ideal::of(Some(ideal.clone()))),
            ideal,
            ideal_complete: settled == crate::engine::exec::sim::Settled::Idle,
            python: listing.clone(),
            rust: listing,
            watch: RefCell::new(Some(Watch {
                _long_work: long_work(&run, &work),
                frames: FrameMeter::start(),
            })),
            run,
            start: RefCell::new(Some(start)),
            pending: Rc::new(RefCell::new(Vec::new())),
            work,
            speed,
            stopped_at: Cell::new(None),
            recorded: None,
            presenter: RefCell::new(Presenter::default()),
        }
    }

    /// A run saved before, shown as run `id` exactly as it was recorded: its program's ideal
    /// schedule and listings computed again from `values`, nothing run.
    pub fn reopen(
        id: u64,
        scenario: &'static ScenarioInfo,
        values: &Values,
        saved: SavedRun,
    ) -> LiveRun {
        let mut live = LiveRun::quiet(id, scenario, values);
        live.show(saved);
        live
    }

    /// The ideal schedule of `values` shown as if it were a run (a share link cannot carry a
    /// real one).
    pub fn ideal_only(id: u64, scenario: &'static ScenarioInfo, values: &Values) -> LiveRun {
        let mut live = LiveRun::quiet(id, scenario, values);
        let trace = (*live.ideal).clone();
        live.show(SavedRun {
            link: live.link.clone(),
            now: trace.elapsed(),
            stopped: false,
            trace,
            work: Vec::new(),
            visibility: Vec::new(),
        });
        live
    }

    /// Run `id` of `values` with its ideal schedule and listings, that will never run itself.
    fn quiet(id: u64, scenario: &'static ScenarioInfo, values: &Values) -> LiveRun {
        let live = LiveRun::start(id, scenario, values);
        live.quieten();
        live
    }

    /// Never starts, nor watches the page: it shows a run recorded before.
    pub(crate) fn quieten(&self) {
        self.start.borrow_mut().take();
        self.listener.borrow_mut().take();
        self.watch.borrow_mut().take();
    }

    /// Shows `saved` in place of a run of its own.
    pub(crate) fn show(&mut self, saved: SavedRun) {
        if saved.stopped {
            self.stopped_at.set(Some(saved.now));
        }
        self.link = saved.link.clone();
        self.recorded = Some(saved);
    }

    /// Starts the run once the page has drawn what it just rendered for it: to be called after
    /// the run's first render (its clock then starts with the thread free). Once only.
    pub fn begin(&self) {
        let Some(start) = self.start.borrow_mut().take() else {
            return;
        };
        // Two frames: the first lays out and paints what was rendered for the run, the second
        // is the first the page draws with the run's stage in place (measured: starting after
        // the first alone, a run's first steps met that stage's layout).
        let pending = Rc::downgrade(&self.pending);
        let first = AfterPaint::new(move |_| {
            if let Some(slot) = pending.upgrade() {
                slot.borrow_mut().push(AfterPaint::new(move |_| start()));
            }
        });
        self.pending.borrow_mut().push(first);
    }

    /// Stops it (once) and remembers when; before it started, it never will.
    pub fn stop(&self) {
        self.start.borrow_mut().take();
        self.pending.borrow_mut().clear();
        self.listener.borrow_mut().take();
        self.end_watch();
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

    /// The page's frames measured so far, in scenario seconds (those before the run began left
    /// out).
    fn drawing(&self, meter: &FrameMeter) -> Vec<Work> {
        let run = self.run.borrow();
        let Some(r) = run.as_ref() else {
            return Vec::new();
        };
        let rt = r.runtime();
        meter
            .frames()
            .into_iter()
            .map(|(from, to)| (rt.scenario_at(from), rt.scenario_at(to)))
            .filter(|&(_, to)| to > 0.0)
            .map(|(from, to)| Work {
                from: from.max(0.0),
                to,
                kind: WorkKind::Drawing,
            })
            .collect()
    }

    /// Stops watching the main thread (the run is over: later work is none of its business),
    /// keeping the frames measured.
    fn end_watch(&self) {
        let watch = self.watch.borrow_mut().take();
        if let Some(w) = watch {
            let frames = self.drawing(&w.frames);
            self.work.borrow_mut().extend(frames);
        }
    }

    /// How long the run's loop will have nothing to do, in real milliseconds (see
    /// [`BrowserRuntime::idle_ms`]); infinite before it starts and once it is over.
    pub fn idle_ms(&self) -> f64 {
        match self.run.borrow().as_ref() {
            Some(r) if !r.is_finished() => r.runtime().idle_ms(),
            _ => f64::INFINITY,
        }
    }

    /// The current scenario time of a run going on (for the moving "now" line).
    pub fn now(&self) -> Option<f64> {
        self.run.borrow().as_ref().map(|r| r.runtime().now())
    }

    /// True while the run goes on (not yet ended, not stopped).
    pub fn running(&self) -> bool {
        self.recorded.is_none()
            && self.stopped_at.get().is_none()
            && !self.run.borrow().as_ref().is_some_and(|r| r.is_finished())
    }

    /// True once the run ended by itself.
    pub fn finished(&self) -> bool {
        if let Some(saved) = &self.recorded {
            return !saved.stopped;
        }
        self.stopped_at.get().is_none()
            && self.run.borrow().as_ref().is_some_and(|r| r.is_finished())
    }

    /// What the lessons' marks of a program of code mode are found from (see
    /// [`crate::web::code_mode::Started::lessons_basis`]).
    #[cfg(feature = "studio")]
    pub fn lessons_basis(&self) -> (usize, usize, bool) {
        self.run
            .borrow()
            .as_ref()
            .map_or((0, 0, false), |r| r.lessons_basis())
    }

    /// Where the lessons of a program of code mode show on its timeline, so far.
    #[cfg(feature = "studio")]
    pub fn lessons(&self) -> Vec<crate::engine::exec::python::lessons::LessonMark> {
        self.run
            .borrow()
            .as_ref()
            .map(|r| r.lessons())
            .unwrap_or_default()
    }

    /// How a program of code mode ended, once it did.
    #[cfg(feature = "studio")]
    pub fn ending(&self) -> Option<crate::engine::exec::python::Ending> {
        self.run.borrow().as_ref().and_then(|r| r.ending())
    }

    /// The visibility changes seen so far: (scenario time, hidden).
    pub fn visibility(&self) -> Vec<(f64, bool)> {
        match &self.recorded {
            Some(saved) => saved.visibility.clone(),
            None => self.visibility.borrow().clone(),
        }
    }

    /// Calls `f` with the trace so far and the time to draw it up to.
    pub fn view<T>(&self, f: impl FnOnce(&Trace, f64) -> T) -> T {
        if let Some(saved) = &self.recorded {
            return f(&saved.trace, saved.now);
        }
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

/// The browser's reports of long work during the run in `run`, kept in `work` in scenario time.
fn long_work(run: &RunSlot, work: &Rc<RefCell<Vec<Work>>>) -> LongWork {
    let (run, work) = (run.clone(), work.clone());
    LongWork::observe(Rc::new(move |from, to, kind| {
        if let Some(r) = run.borrow().as_ref() {
            let rt = r.runtime();
            let kind = match kind {
                LongKind::Frame => WorkKind::LongFrame,
                LongKind::Task => WorkKind::LongTask,
            };
            let (from, to) = (rt.scenario_at(from), rt.scenario_at(to));
            if to > 0.0 {
                work.borrow_mut().push(Work {
                    from: from.max(0.0),
                    to,
                    kind,
                });
            }
        }
    }))
}

/// Where the time cursor stands: after event `index` of the real run (or of the ideal schedule,
/// `ideal`), at time `at`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cursor {
    /// Events happened by then.
    pub index: usize,
    /// The time, in scenario seconds.
    pub at: f64,
    /// Whether the ideal schedule is studied rather than the real run.
    pub ideal: bool,
    /// Which stretch of the event loop's lane it stands on, when it steps along the lane.
    pub lane: Option<usize>,
}

impl LiveRun {
    /// Reads the real run's trace (or the ideal one's) with the time it reaches.
    pub fn studied<T>(&self, ideal: bool, f: impl FnOnce(&Trace, f64) -> T) -> T {
        if ideal {
            f(&self.ideal, self.ideal.elapsed())
        } else {
            self.view(f)
        }
    }

    /// The cursor at the end of the run studied.
    pub fn end_cursor(&self, ideal: bool) -> Cursor {
        self.studied(ideal, |trace, now| Cursor {
            index: trace.events.len(),
            at: now,
            ideal,
            lane: None,
        })
    }

    /// The cursor moved to time `at`.
    pub fn seek(&self, ideal: bool, at: f64) -> Cursor {
        self.studied(ideal, |trace, now| {
            let at = at.clamp(0.0, now.max(0.0));
            Cursor {
                index: index_at(trace, at),
                at,
                ideal,
                lane: None,
            }
        })
    }

    /// The cursor moved by `how` from `from`.
    pub fn step(&self, from: Cursor, how: Step) -> Cursor {
        self.studied(from.ideal, |trace, now| {
            let index = step(trace, from.index, how);
            let at = if index == trace.events.len() && how == Step::End {
                now
            } else {
                time_of(trace, index)
            };
            Cursor {
                index,
                at,
                ideal: from.ideal,
                lane: None,
            }
        })
    }

    /// The event loop's lane of the real run as `timeline` draws it, stretch by stretch.
    pub fn lane(&self, timeline: &Timeline) -> Vec<Stretch> {
        self.view(|trace, _| stretches(timeline, trace))
    }

    /// The cursor on stretch `k` of the lane `all` (at its start), or where `from` was when
    /// there is no such stretch.
    pub fn on_lane(&self, all: &[Stretch], k: Option<usize>, from: Cursor) -> Cursor {
        match k.and_then(|k| Some((k, all.get(k)?))) {
            Some((k, s)) => Cursor {
                lane: Some(k),
                ..self.seek(false, s.from)
            },
            None => from,
        }
    }

    /// The run studied at the cursor, with how many events it has so far.
    pub fn moment(&self, c: Cursor) -> Moment {
        let ideal = self.ideal.elapsed();
        self.studied(c.ideal, |trace, _| {
            moment(trace, c.index, c.at, ideal, &self.python, &self.rust)
        })
    }

    /// Where the real run stands so far: its time, how many events it has, and its last event
    /// in a sentence.
    pub fn last_event(&self) -> (f64, usize, String) {
        self.view(|trace, now| {
            let text = trace
                .events
                .last()
                .map_or_else(String::new, |e| event_words(trace, e));
            (now, trace.events.len(), text)
        })
    }

    /// How many events the run studied has so far.
    pub fn event_count(&self, ideal: bool) -> usize {
        self.studied(ideal, |trace, _| trace.events.len())
    }
}

impl LiveRun {
    /// What the page draws of the run now. Each call reads only what was recorded since the
    /// last one (at most [`READ_BUDGET_MS`] of it), so it costs the same however long the run.
    pub fn frame(&self) -> RunView {
        let running = self.running();
        let visibility = self.visibility();
        if self.finished() {
            self.end_watch();
        }
        let work = self.work();
        let facts = RunFacts {
            id: self.id,
            ideal: &self.ideal,
            ideal_lanes: &self.ideal_lanes,
            ideal_complete: self.ideal_complete,
            python: &self.python,
            rust: &self.rust,
            speed: self.speed,
            work: &work,
        };
        self.view(|trace, now| {
            self.presenter
                .borrow_mut()
                .frame(&facts, trace, now, running, &visibility, &clock_ms)
        })
    }
}

impl LiveRun {
    /// Everything besides the run's own steps that held the thread so far: the browser's long
    /// work, the page's frames, the loop's own work and the browser's lateness to run it.
    fn work(&self) -> Vec<Work> {
        if let Some(saved) = &self.recorded {
            return saved.work.clone();
        }
        let mut work = self.work.borrow().clone();
        if let Some(w) = self.watch.borrow().as_ref() {
            work.extend(self.drawing(&w.frames));
        }
        if let Some(r) = self.run.borrow().as_ref() {
            let rt = r.runtime();
            work.extend(rt.loop_work().into_iter().map(|(from, to)| Work {
                from,
                to,
                kind: WorkKind::Loop,
            }));
            let waits = waiting(&rt.waits(), &work);
            work.extend(waits);
        }
        work
    }

    /// Calls `f` with the run as it stands, to be saved: what ran, its trace, and what the
    /// browser recorded beside it.
    pub fn saved<T>(&self, f: impl FnOnce(&RunParts<'_>) -> T) -> T {
        // As a file holds them: from the run's start on (the loop's first turn may begin a
        // hair before it), none ending before it starts, so the file reads back.
        let work: Vec<Work> = self
            .work()
            .into_iter()
            .filter(|w| w.from.is_finite() && w.to.is_finite() && w.to >= 0.0)
            .map(|w| Work {
                from: w.from.max(0.0),
                to: w.to.max(w.from.max(0.0)),
                kind: w.kind,
            })
            .collect();
        let visibility: Vec<(f64, bool)> = self
            .visibility()
            .into_iter()
            .map(|(at, hidden)| (at.max(0.0), hidden))
            .collect();
        self.view(|trace, now| {
            f(&RunParts {
                link: &self.link,
                now,
                stopped: self.stopped_at.get().is_some(),
                trace,
                work: &work,
                visibility: &visibility,
            })
        })
    }
}

fn clock_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Both listings of a program.
pub fn listings(program: &Program) -> (Listing, Listing) {
    (render(program, Style::Python), render(program, Style::Rust))
}

/// Where the live run lives.
pub type Session = Rc<RefCell<Option<LiveRun>>>;

/// Records when the page is hidden or shown while a run goes on: browsers throttle the timers of
/// hidden tabs (to about one wake a second, and to one a minute after five minutes in Chrome),
/// and the timeline must be able to say why a timer was late. The listener goes when this does.
pub struct VisibilityListener {
    _listener: EventListener,
}

impl VisibilityListener {
    fn attach(run: RunSlot, log: Rc<RefCell<Vec<(f64, bool)>>>) -> Option<VisibilityListener> {
        let document = web_sys::window()?.document()?;
        if document.hidden() {
            log.borrow_mut().push((0.0, true));
        }
        let doc = document.clone();
        let listener = EventListener::new(&document, "visibilitychange", move |_| {
            let now = run
                .borrow()
                .as_ref()
                .map(|r| r.runtime().now())
                .unwrap_or(0.0);
            log.borrow_mut().push((now, doc.hidden()));
        });
        Some(VisibilityListener {
            _listener: listener,
        })
    }
}
