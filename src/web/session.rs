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

use crate::engine::interp::Run;
use crate::engine::listing::{render, Listing, Style};
use crate::engine::params::Values;
use crate::engine::program::Program;
use crate::engine::runtime::Runtime;
use crate::engine::scenarios::ScenarioInfo;
use crate::engine::trace::Trace;
use crate::web::runtime::BrowserRuntime;

/// Polls the virtual clock may spend on the ideal schedule when Run is pressed: about a second
/// of work at most, so the page never freezes computing it.
pub const IDEAL_POLL_BUDGET: u64 = 400_000;

type RunSlot = Rc<RefCell<Option<Run<BrowserRuntime>>>>;

/// A run on the browser's loop, with its ideal schedule and listings.
pub struct LiveRun {
    /// The scenario it runs.
    pub scenario: &'static ScenarioInfo,
    /// The same program on the virtual clock.
    pub ideal: Rc<Trace>,
    /// The ideal schedule folded into lanes once, for every frame to draw.
    pub ideal_lanes: Rc<crate::engine::timeline::Ideal>,
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
}

impl LiveRun {
    /// Builds the program for `values`, computes its ideal schedule, and starts it for real on
    /// the next turn of the event loop.
    pub fn start(scenario: &'static ScenarioInfo, values: &Values) -> LiveRun {
        let program = Rc::new((scenario.build)(values));
        let seed = if values.get("seed").is_some() {
            values.int("seed")
        } else {
            1
        };
        let (ideal, settled) =
            crate::engine::sim::simulate_within(program.clone(), seed, IDEAL_POLL_BUDGET);
        let (python, rust) = listings(&program);
        let run: RunSlot = Rc::new(RefCell::new(None));
        let slot = run.clone();
        let speed = values.num("speed");
        let pending = Timeout::new(0, move || {
            let started = Run::start(program, BrowserRuntime::new(speed), seed);
            *slot.borrow_mut() = Some(started);
        });
        let visibility = Rc::new(RefCell::new(Vec::new()));
        let listener = VisibilityListener::attach(run.clone(), visibility.clone());
        LiveRun {
            scenario,
            visibility,
            listener: RefCell::new(listener),
            ideal_lanes: Rc::new(crate::engine::timeline::Ideal::of(Some(&ideal))),
            ideal: Rc::new(ideal),
            ideal_complete: settled == crate::engine::sim::Settled::Idle,
            python: Rc::new(python),
            rust: Rc::new(rust),
            run,
            pending: RefCell::new(Some(pending)),
            stopped_at: Cell::new(None),
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
