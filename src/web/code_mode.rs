//! Code mode, the studio's: the scenario's listing (or a program of the learner's own) in an
//! editor, compiled as it is typed, and run for real on the browser's loop by code mode's
//! interpreter in place of the scenario's program; the timeline, console, figures and task
//! table read the run as they read any.
//!
//! The page's half (`cfg(not(feature = "studio"))`) is what the first load needs of it: no
//! editor, every run a scenario's.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::lang::listing::Listing;
use crate::engine::lang::params::Values;
use crate::engine::lang::scenarios::ScenarioInfo;
use crate::engine::view::presenter::Marks;
use crate::web::components::code::Code;
use crate::web::hooks::AppHandle;
use crate::web::session::LiveRun;

#[cfg(not(feature = "studio"))]
pub use first_load::*;
#[cfg(feature = "studio")]
pub use on_demand::*;

#[cfg(not(feature = "studio"))]
mod first_load {
    use super::*;

    /// Every run is a scenario's before the studio loads.
    pub fn start_run(id: u64, scenario: &'static ScenarioInfo, values: &Values) -> LiveRun {
        LiveRun::start(id, scenario, values)
    }

    /// Nothing stands in the way of a run but its fields.
    pub fn can_run() -> bool {
        true
    }

    /// The listing, as Python and as Rust.
    pub fn code_panel(
        _: &AppHandle,
        python: Rc<Listing>,
        rust: Rc<Listing>,
        here: Rc<Marks>,
        _: bool,
    ) -> Html {
        html! { <Code {python} {rust} current={here} /> }
    }
}

#[cfg(feature = "studio")]
mod on_demand {
    use std::cell::RefCell;

    use super::*;
    use crate::engine::exec::interp::Run;
    use crate::engine::exec::python::lessons::{lessons, on_timeline, LessonMark};
    use crate::engine::exec::python::{Ending, Vm};
    use crate::engine::lang::listing::{render, Style};
    use crate::engine::lang::python::code::Module;
    use crate::engine::lang::python::lint::Lint;
    use crate::engine::lang::python::{compile::compile, parse_program, SyntaxError};
    use crate::engine::record::trace::Trace;
    use crate::web::components::editor::Editor;
    use crate::web::dom;
    use crate::web::runtime::BrowserRuntime;

    /// What "Start blank" opens: a short program that shows the point.
    pub const EXAMPLE: &str = "import asyncio


async def brew(drink, minutes):
    print(f\"{drink}: started\")
    await asyncio.sleep(minutes)
    print(f\"{drink}: ready after {minutes} min\")
    return drink


async def main():
    # Both brew at once: the whole takes as long as the longest.
    ready = await asyncio.gather(brew(\"tea\", 3), brew(\"coffee\", 2))
    print(\"served:\", ready)


asyncio.run(main())
";

    /// How long one step of a program may hold the thread before it is stopped, in seconds of
    /// the wall clock.
    pub const GUARD_SECS: f64 = 5.0;

    /// A run started on the browser's loop: a scenario's, or a program's of code mode.
    pub enum Started {
        /// A scenario's program.
        Scenario(Run<BrowserRuntime>),
        /// Code mode's program, the runtime it runs on, and its lessons.
        Code(Rc<Vm>, BrowserRuntime, Rc<Vec<Lint>>),
    }

    impl From<Run<BrowserRuntime>> for Started {
        fn from(run: Run<BrowserRuntime>) -> Started {
            Started::Scenario(run)
        }
    }

    impl Started {
        /// The runtime it runs on.
        pub fn runtime(&self) -> &BrowserRuntime {
            match self {
                Started::Scenario(r) => r.runtime(),
                Started::Code(_, rt, _) => rt,
            }
        }

        /// What it recorded so far.
        pub fn trace(&self) -> std::cell::Ref<'_, Trace> {
            match self {
                Started::Scenario(r) => r.trace(),
                Started::Code(vm, ..) => vm.trace(),
            }
        }

        /// Stops it.
        pub fn stop(&self) {
            match self {
                Started::Scenario(r) => r.stop(),
                Started::Code(vm, ..) => vm.stop(),
            }
        }

        /// True once it is over by itself (a program: once its module's code has ended).
        pub fn is_finished(&self) -> bool {
            match self {
                Started::Scenario(r) => r.is_finished(),
                Started::Code(vm, ..) => vm.ending().is_some(),
            }
        }

        /// How the program ended, for a program that did.
        pub fn ending(&self) -> Option<Ending> {
            match self {
                Started::Scenario(_) => None,
                Started::Code(vm, ..) => vm.ending(),
            }
        }

        /// What the lessons' marks are found from, in short: how much the run noted, and
        /// whether it is over (the marks change only with these, not with every event).
        pub fn lessons_basis(&self) -> (usize, usize, bool) {
            match self {
                Started::Scenario(_) => (0, 0, false),
                Started::Code(vm, ..) => {
                    let seen = vm.seen();
                    (seen.spots.len(), seen.tasks.len(), self.is_finished())
                }
            }
        }

        /// Where a program's lessons show on its timeline, so far.
        pub fn lessons(&self) -> Vec<LessonMark> {
            match self {
                Started::Scenario(_) => Vec::new(),
                Started::Code(vm, _, lints) => {
                    on_timeline(lints, &vm.trace(), &vm.seen(), self.is_finished())
                }
            }
        }
    }

    /// Lessons' marks found for a run (its id) from what it had noted (see
    /// [`Started::lessons_basis`]).
    type FoundMarks = ((u64, (usize, usize, bool)), Rc<Vec<LessonMark>>);

    thread_local! {
        /// The lessons' marks last found.
        static MARKS: RefCell<Option<FoundMarks>> = const { RefCell::new(None) };
    }

    /// Where the lessons of the run shown fall on its timeline (found again only when the run
    /// noted more, or ended: not at every frame).
    pub fn timeline_lessons(live: &LiveRun) -> Rc<Vec<LessonMark>> {
        let key = (live.id, live.lessons_basis());
        MARKS.with(|m| {
            let mut m = m.borrow_mut();
            match m.as_ref() {
                Some((k, marks)) if *k == key => marks.clone(),
                _ => {
                    let marks = Rc::new(live.lessons());
                    *m = Some((key, marks.clone()));
                    marks
                }
            }
        })
    }

    /// The listing of a program: its lines, each its own step (the interpreter names a pause
    /// or a print by its line).
    pub fn listing(source: &str) -> Listing {
        let lines: Vec<String> = source.lines().map(str::to_string).collect();
        let mut step_lines = vec![None];
        step_lines.extend((0..lines.len()).map(Some));
        Listing { lines, step_lines }
    }

    /// The share-link fragment of a program at `speed`.
    pub fn link_of(source: &str, speed: f64) -> String {
        crate::engine::edges::url::code_link(source, speed)
    }

    /// The program being edited.
    struct Program {
        source: Rc<str>,
        generation: u64,
        lints: Rc<Vec<Lint>>,
        compiled: Result<Module, SyntaxError>,
    }

    thread_local! {
        static PROGRAM: RefCell<Option<Program>> = const { RefCell::new(None) };
    }

    /// Sets the program: typed (`replaced` false) or put in its place.
    fn set(source: String, replaced: bool) {
        let tree = parse_program(&source);
        let lints = Rc::new(tree.as_ref().map(|t| lessons(t)).unwrap_or_default());
        let compiled = tree.and_then(|tree| compile(&tree));
        PROGRAM.with(|p| {
            let mut p = p.borrow_mut();
            let generation = p.as_ref().map_or(0, |p| p.generation) + u64::from(replaced);
            *p = Some(Program {
                source: Rc::from(source),
                generation,
                lints,
                compiled,
            })
        });
    }

    /// True while code mode is on.
    pub fn active() -> bool {
        PROGRAM.with(|p| p.borrow().is_some())
    }

    /// Turns code mode on with `source`, or the listing of the scenario shown when `None`.
    pub fn enter(app: &AppHandle, source: Option<String>) {
        let source = source.unwrap_or_else(|| {
            let state = app.state();
            let (values, _) = state.scenario.parse(|name| {
                state
                    .texts
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, t)| t.as_str())
            });
            render(&(state.scenario.build)(&values), Style::Python).text()
        });
        set(source, true);
        dom::set_body_class("coding", true);
    }

    /// Opens a link to a program (`#code?z=...&speed=...&autorun=1`): code mode with its
    /// program and speed; true if it asks to run.
    pub fn open_link(app: &AppHandle, link: &str) -> Result<bool, String> {
        let parts = crate::engine::edges::url::code_link_parts(link);
        if let Some(speed) = parts.speed {
            app.dispatch(crate::engine::view::app::Action::Edit("speed", speed));
        }
        let source = match parts.source {
            Some(Ok(s)) => s,
            Some(Err(why)) => return Err(format!("The link's program cannot be read: {why}.")),
            None => EXAMPLE.to_string(),
        };
        enter(app, Some(source));
        Ok(parts.autorun)
    }

    /// The share link of the program being edited, at the speed `link` (the scenario's) has.
    pub fn share(link: &str) -> Option<String> {
        let source = PROGRAM.with(|p| p.borrow().as_ref().map(|p| p.source.clone()))?;
        let opened = crate::engine::edges::url::decode(link);
        let speed = opened
            .texts
            .iter()
            .find(|(n, _)| *n == "speed")
            .and_then(|(_, t)| t.parse::<f64>().ok())
            .unwrap_or(1.0);
        Some(link_of(&source, speed))
    }

    /// Whether a file's text is a program rather than a run that was saved (or something
    /// else, to be refused as one): not JSON, and Python code mode reads, or lines that begin
    /// as a program's do.
    pub fn looks_like_a_program(text: &str) -> bool {
        if text.trim_start().starts_with('{') {
            return false;
        }
        let begins = |l: &str| {
            ["import ", "from ", "def ", "async def ", "#"]
                .iter()
                .any(|start| l.starts_with(start))
        };
        parse_program(text).is_ok_and(|tree| !tree.is_empty()) || text.lines().any(begins)
    }

    /// A program whose `link` would be too long to share (see
    /// [`crate::engine::edges::url::MAX_SHARED_LINK`]) is saved as a file instead, and `say`
    /// tells why; true if it was.
    pub fn share_as_file(link: &str, say: &Callback<String>) -> bool {
        use crate::engine::edges::url::MAX_SHARED_LINK;
        if link.len() <= MAX_SHARED_LINK {
            return false;
        }
        let Some(source) = PROGRAM.with(|p| p.borrow().as_ref().map(|p| p.source.clone())) else {
            return false;
        };
        dom::download("program.py", "text/x-python", &source);
        say.emit(format!(
            "This program is too long for a link ({} characters; a link holds {MAX_SHARED_LINK}), \
             so it was saved as program.py: share the file; Tools → Open… (or a drop on the page) opens it.",
            link.len()
        ));
        true
    }

    /// What a prediction of code mode's program is made from: its ideal run and its listing,
    /// or why there is none; `None` when code mode is off.
    pub fn prediction_basis(
        _: &crate::engine::view::app::AppState,
    ) -> Option<Result<(Trace, Listing), String>> {
        PROGRAM.with(|p| {
            let p = p.borrow();
            let p = p.as_ref()?;
            Some(match &p.compiled {
                Ok(module) => {
                    let (trace, _, _) = crate::engine::exec::python::simulate(
                        module.clone(),
                        crate::engine::view::presenter::IDEAL_POLL_BUDGET,
                    );
                    Ok((trace, listing(&p.source)))
                }
                Err(_) => Err(
                    "Fix the program first: a prediction is made for a program that runs.".into(),
                ),
            })
        })
    }

    /// A program's run saved before (`saved`, whose link holds the program), shown as run
    /// `id` with the program's own ideal schedule and listing, nothing run.
    pub fn reopen(
        id: u64,
        scenario: &'static ScenarioInfo,
        saved: crate::engine::edges::runfile::SavedRun,
    ) -> Result<LiveRun, String> {
        let parts = crate::engine::edges::url::code_link_parts(&saved.link);
        let source = parts
            .source
            .unwrap_or_else(|| Err("its link holds no program".to_string()))?;
        let speed = parts.speed.and_then(|s| s.parse().ok()).unwrap_or(1.0);
        let module = parse_program(&source)
            .and_then(|tree| compile(&tree))
            .map_err(|e| e.to_string())?;
        let mut live = LiveRun::code(id, scenario, module, &source, speed, Rc::default());
        live.quieten();
        live.show(saved);
        Ok(live)
    }

    /// Turns code mode off: runs are the scenario's again.
    pub fn leave() {
        PROGRAM.with(|p| p.borrow_mut().take());
        dom::set_body_class("coding", false);
    }

    /// A run can start: code mode is off, or its program compiles.
    pub fn can_run() -> bool {
        PROGRAM.with(|p| p.borrow().as_ref().is_none_or(|p| p.compiled.is_ok()))
    }

    /// The run the Run button starts: the program's in code mode, else the scenario's.
    pub fn start_run(id: u64, scenario: &'static ScenarioInfo, values: &Values) -> LiveRun {
        let program = PROGRAM.with(|p| {
            p.borrow().as_ref().and_then(|p| {
                let m = p.compiled.clone().ok()?;
                Some((m, p.source.clone(), p.lints.clone()))
            })
        });
        match program {
            Some((module, source, lints)) => {
                LiveRun::code(id, scenario, module, &source, values.num("speed"), lints)
            }
            // A program that does not compile runs nothing (Run is held for it; Space, away
            // from the editor, is not): its error stays under the editor.
            None if active() => {
                let nothing = Module::empty();
                LiveRun::code(
                    id,
                    scenario,
                    nothing,
                    "",
                    values.num("speed"),
                    Rc::default(),
                )
            }
            None => LiveRun::start(id, scenario, values),
        }
    }

    thread_local! {
        /// The run whose ending was told.
        static TOLD: std::cell::Cell<u64> = const { std::cell::Cell::new(u64::MAX) };
    }

    /// Once a program's run is over: why it ended early (an uncaught exception, with its
    /// traceback, or the guard), once per run.
    pub fn ending_news(app: &AppHandle) -> Option<String> {
        let state = app.state();
        if state.run == crate::engine::view::app::RunState::Running {
            return None;
        }
        let session = app.session().borrow();
        let live = session.as_ref()?;
        let ending = live.ending()?;
        if TOLD.get() == live.id {
            return None;
        }
        TOLD.set(live.id);
        let error = ending.error?;
        Some(match ending.traceback {
            Some(tb) if !error.starts_with("KeyboardInterrupt") => {
                format!("The program ended with an uncaught exception:\n{tb}")
            }
            tb => {
                // The guard: where the program was when it was stopped.
                let at = tb
                    .as_deref()
                    .and_then(|t| t.lines().rev().find(|l| l.trim_start().starts_with("File")))
                    .and_then(|l| l.split_once(", line "))
                    .map(|(_, rest)| format!(" (at line {rest})"))
                    .unwrap_or_default();
                format!(
                    "Stopped{at}: {}.",
                    error.trim_start_matches("KeyboardInterrupt: ")
                )
            }
        })
    }

    /// The editor in code mode, else the listing.
    pub fn code_panel(
        app: &AppHandle,
        python: Rc<Listing>,
        rust: Rc<Listing>,
        here: Rc<Marks>,
        running: bool,
    ) -> Html {
        let shown = PROGRAM.with(|p| {
            p.borrow().as_ref().map(|p| {
                (
                    p.source.clone(),
                    p.generation,
                    p.compiled.as_ref().err().cloned(),
                    p.lints.clone(),
                )
            })
        });
        let Some((source, generation, error, lints)) = shown else {
            return html! { <Code {python} {rust} current={here} /> };
        };
        let redraw = {
            let app = app.clone();
            move || {
                crate::web::studio::changed(&app);
            }
        };
        let on_change = {
            let redraw = redraw.clone();
            Callback::from(move |text: String| {
                set(text, false);
                redraw();
            })
        };
        let on_blank = {
            let redraw = redraw.clone();
            Callback::from(move |()| {
                set(EXAMPLE.to_string(), true);
                redraw();
            })
        };
        let on_leave = Callback::from(move |()| {
            leave();
            redraw();
        });
        html! {
            <Editor source={AttrValue::from(source.to_string())} {generation} {error} {lints} marks={Rc::new(here.0.clone())}
                {on_change} {on_blank} {on_leave} {running} />
        }
    }
}
