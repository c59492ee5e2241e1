//! The studio: what a learner reaches for once a run is on the page (saving it as a file, opening
//! a saved one, the timeline as SVG) lives in a second module, the page with these tools built
//! in, loaded the first time one of them is asked for. The first load stays small, and the
//! second costs nothing until it is wanted.
//!
//! The page loads the studio's module, hands it what it shows (the share link is in the address
//! already; the run goes as a record, see `edges::runfile::record`, with the time cursor), and
//! steps aside; the studio's page opens the run exactly as it was and carries out what was asked.
//! Both halves are here: the page's (`first_load`, `cfg(not(feature = "studio"))`) and the studio's
//! (`on_demand`, `cfg(feature = "studio")`); everything else is the same code in both.

/// What the user asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    /// The studio's tools, shown.
    Tools,
    /// The run as a file.
    Save,
    /// The timeline as an SVG picture.
    Svg,
    /// A file's text, to be opened as a run.
    Open(String),
    /// This run kept, to compare the next with.
    Pin,
    /// The pinned run let go.
    Unpin,
    /// This run pinned, then the scenario's contrast run beside it.
    Contrast,
    /// Predict, then run: the mode on, or off.
    Predict,
    /// A link's other run (`compare=`, its fragment) pinned beside this one, and whether this
    /// one then runs (the link said `autorun=1`).
    Compare(String, bool),
    /// Code mode, on (with this program, or the scenario's listing) or off.
    Code(Option<String>),
}

impl Intent {
    /// The word that names it across the modules, and the text it carries.
    #[cfg_attr(feature = "studio", allow(dead_code))]
    fn word(&self) -> (&'static str, Option<&str>) {
        match self {
            Intent::Tools => ("tools", None),
            Intent::Save => ("save", None),
            Intent::Svg => ("svg", None),
            Intent::Open(text) => ("open", Some(text)),
            Intent::Pin => ("pin", None),
            Intent::Unpin => ("unpin", None),
            Intent::Contrast => ("contrast", None),
            Intent::Predict => ("predict", None),
            Intent::Compare(link, false) => ("compare", Some(link)),
            Intent::Compare(link, true) => ("compare-run", Some(link)),
            Intent::Code(source) => ("code", source.as_deref()),
        }
    }

    /// The intent a word and its text name (see [`Intent::word`]).
    #[cfg_attr(not(feature = "studio"), allow(dead_code))]
    fn from_word(word: &str, text: Option<String>) -> Option<Intent> {
        Some(match (word, text) {
            ("tools", _) => Intent::Tools,
            ("save", _) => Intent::Save,
            ("svg", _) => Intent::Svg,
            ("open", Some(text)) => Intent::Open(text),
            ("pin", _) => Intent::Pin,
            ("unpin", _) => Intent::Unpin,
            ("contrast", _) => Intent::Contrast,
            ("predict", _) => Intent::Predict,
            ("compare", Some(link)) => Intent::Compare(link, false),
            ("compare-run", Some(link)) => Intent::Compare(link, true),
            ("code", source) => Intent::Code(source),
            _ => return None,
        })
    }
}

#[cfg(feature = "studio")]
pub use crate::web::components::compare::{compared, on_axis, with_compare};
#[cfg(not(feature = "studio"))]
pub use first_load::{act, compared, on_axis, resume, revision, tools, tools_row, with_compare};
#[cfg(feature = "studio")]
pub use on_demand::{act, changed, resume, revision, take_over, tools, tools_row};

/// The page's half: it loads the studio and hands over.
#[cfg(not(feature = "studio"))]
mod first_load {
    use js_sys::{Array, Function, Promise, Reflect};
    use std::rc::Rc;
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::{JsCast, JsValue};

    use wasm_bindgen_futures::JsFuture;
    use yew::prelude::*;

    use super::Intent;
    use crate::engine::edges::runfile;
    use crate::engine::view::app::RunState;
    use crate::engine::view::timeline::Timeline;
    use crate::web::hooks::AppHandle;
    use crate::web::session::Session;

    // The script's name is resolved against the page (`import` alone would resolve it against
    // this snippet's own address); `fetch` resolves the module's against the page already. The
    // studio's styles load beside it, and the studio starts once both are there.
    #[wasm_bindgen(
        inline_js = "export const load_studio=(j,w,c)=>Promise.all([import(new URL(j,document.baseURI).href).then(m=>m.default({module_or_path:w}).then(()=>m)),new Promise(r=>{const l=document.createElement('link');l.rel='stylesheet';l.href=c;l.onload=l.onerror=r;document.head.append(l)})]).then(a=>a[0])"
    )]
    extern "C" {
        fn load_studio(js: &str, wasm: &str, css: &str) -> Promise;
    }

    /// What the page says while the studio loads.
    const LOADING: &str = "Loading the studio…";

    /// The page is never handed anything (it is the first to load); a link to a program opens
    /// code mode, which is the studio's.
    pub fn resume(app: &AppHandle, say: Callback<String>) {
        let link = crate::web::dom::hash();
        if link.starts_with("#code") {
            act(app, None, Intent::Code(Some(link)), say);
        }
    }

    /// The button that opens the studio's tools (loading it).
    /// While a run goes on it waits: loading the studio would stop the run.
    pub fn tools(app: &AppHandle, at: Option<f64>, say: &Callback<String>) -> Html {
        let running = app.state().run == RunState::Running;
        let intent = |intent: Intent| {
            let (app, say) = (app.clone(), say.clone());
            Callback::from(move |_: MouseEvent| act(&app, at, intent.clone(), say.clone()))
        };
        let onclick = intent(Intent::Tools);
        let code = intent(Intent::Code(None));
        let title = if running {
            "Tools open once the run is over"
        } else {
            "Save, open, export, compare, predict"
        };
        html! {
            <>
                <button type="button" class="ghost" data-testid="edit-as-code" disabled={running} onclick={code}
                    title="This scenario's program in an editor: change it and run it">{ "Edit as code" }</button>
                <button type="button" class="ghost" data-testid="tools" aria-expanded="false" disabled={running} {onclick}
                    {title}>{ "Tools ▾" }</button>
            </>
        }
    }

    /// The studio's tools are not on the page yet.
    pub fn tools_row(_: &AppHandle, _: Option<f64>, _: &Callback<String>) -> Html {
        Html::default()
    }

    /// Nothing of the studio's is drawn before it loads.
    pub fn revision() -> u64 {
        0
    }

    /// No run is pinned before the studio loads: the timeline as it is.
    pub fn on_axis(timeline: &Rc<Timeline>) -> Rc<Timeline> {
        timeline.clone()
    }

    /// No run is pinned before the studio loads: this run alone.
    pub fn compared(_: &Session, _: bool, current: Html, _: Option<f64>, _: f64, _: f64) -> Html {
        current
    }

    /// No run is pinned before the studio loads: the link as it is.
    pub fn with_compare(link: String) -> String {
        link
    }

    /// What the page says when the studio cannot be had.
    const UNAVAILABLE: &str =
        "The studio could not be loaded (is the network down?); the page goes on without it.";

    /// Loads the studio, then hands it the page and `intent`; says through `say` what it is
    /// doing and, if the studio cannot be had, so (the page then goes on as it was).
    pub fn act(app: &AppHandle, at: Option<f64>, intent: Intent, say: Callback<String>) {
        // One hand-over at a time: a second ask while the studio loads is the same ask.
        if LOADING_NOW.get() {
            return;
        }
        let Some([js, wasm, css]) = files() else {
            say.emit(UNAVAILABLE.into());
            return;
        };
        LOADING_NOW.set(true);
        say.emit(LOADING.into());
        let app = app.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let handed = match JsFuture::from(load_studio(&js, &wasm, &css)).await {
                Ok(module) => hand_over(&app, at, &intent, &module),
                Err(_) => None,
            };
            if handed.is_none() {
                LOADING_NOW.set(false);
                say.emit(UNAVAILABLE.into());
                // A link that asked to run does, if without its other run.
                if matches!(intent, Intent::Compare(_, true)) {
                    app.dispatch(crate::engine::view::app::Action::Run);
                }
            }
        });
    }

    thread_local! {
        /// Whether the studio is being loaded.
        static LOADING_NOW: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// The studio's script, module and styles, as the build names them in the page's
    /// `<meta name="interleave-studio">`.
    fn files() -> Option<[String; 3]> {
        let meta = web_sys::window()?
            .document()?
            .query_selector("meta[name=interleave-studio]")
            .ok()??;
        let content = meta.get_attribute("content")?;
        let mut names = content.split(' ').map(str::to_string);
        Some([names.next()?, names.next()?, names.next()?])
    }

    /// Gives the studio the run shown and steps aside.
    fn hand_over(
        app: &AppHandle,
        at: Option<f64>,
        intent: &Intent,
        module: &JsValue,
    ) -> Option<()> {
        let take_over = Reflect::get(module, &"take_over".into())
            .ok()?
            .dyn_into::<Function>()
            .ok()?;
        let run = app.session().borrow().as_ref().map(|live| {
            live.stop();
            live.saved(runfile::record)
        });
        let (word, text) = intent.word();
        let args = Array::of4(
            &run.map_or(JsValue::UNDEFINED, |r| JsValue::from_str(&r)),
            &JsValue::from_f64(at.unwrap_or(f64::NAN)),
            &word.into(),
            &text.map_or(JsValue::UNDEFINED, JsValue::from_str),
        );
        crate::web::unmount();
        take_over.apply(&JsValue::NULL, &args).ok().map(|_| ())
    }
}

/// The studio's half: it takes over and does what was asked.
#[cfg(feature = "studio")]
mod on_demand {
    use std::cell::{Cell, RefCell};

    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::JsCast;
    use yew::prelude::*;

    use super::Intent;
    use crate::engine::edges::export::timeline_svg;
    use crate::engine::edges::{runfile, url};
    use crate::engine::lang::params::Values;
    use crate::engine::view::app::{Action, Opened, RunState};
    use crate::engine::view::compare::contrast;
    use crate::engine::view::layout::layout;
    use crate::engine::view::presenter::MAX_LANES;
    use crate::web::app::open_file;
    use crate::web::components::compare::{pin, pinned, pinned_id, Pinned};
    use crate::web::components::predict::{prediction, toggle, PredictPanel};
    use crate::web::dom;
    use crate::web::hooks::AppHandle;
    use crate::web::session::LiveRun;

    /// What the page handed over, until the studio's page has mounted and reads it.
    struct Handover {
        run: Option<String>,
        at: Option<f64>,
        intent: Option<Intent>,
    }

    thread_local! {
        static HANDOVER: RefCell<Option<Handover>> = const { RefCell::new(None) };
    }

    /// Called by the page once it has loaded this module: the run it showed (as a record), the
    /// time cursor (`NaN` when the cursor followed the run), what the user asked for, and the
    /// text of the file to open if that was it. Mounts the studio's page in its place.
    #[wasm_bindgen]
    pub fn take_over(run: Option<String>, at: f64, intent: String, file: Option<String>) {
        let intent = Intent::from_word(&intent, file);
        let at = (!at.is_nan()).then_some(at);
        HANDOVER.with(|h| *h.borrow_mut() = Some(Handover { run, at, intent }));
        crate::web::start();
    }

    /// Once the studio's page has opened its link: shows the run the page handed over, then
    /// does what the user asked for. Nothing when the studio was not handed anything.
    pub fn resume(app: &AppHandle, say: Callback<String>) {
        let Some(handover) = HANDOVER.with(|h| h.borrow_mut().take()) else {
            return;
        };
        // The run shown, again; if it cannot be (it never should), the page says so and does
        // what was asked all the same.
        let shown = handover.run.map_or(Ok(()), |record| {
            runfile::read_record(&record).and_then(|saved| reopen(app, saved, handover.at))
        });
        say.emit(shown.err().unwrap_or_default());
        if let Some(intent) = handover.intent {
            act(app, handover.at, intent, say);
        }
    }

    thread_local! {
        /// Whether the tools are shown.
        static TOOLS_OPEN: Cell<bool> = const { Cell::new(false) };
        /// What the studio drew changed: a run pinned or let go.
        static REVISION: Cell<u64> = const { Cell::new(0) };
    }

    /// How many times what the studio draws in the run area changed.
    pub fn revision() -> u64 {
        REVISION.get()
    }

    /// Redraws `app` with what the studio draws changed.
    pub fn changed(app: &AppHandle) {
        REVISION.set(REVISION.get() + 1);
        app.redraw();
    }

    /// The button that shows or hides the studio's tools.
    pub fn tools(app: &AppHandle, _: Option<f64>, _: &Callback<String>) -> Html {
        let open = TOOLS_OPEN.get();
        let toggle = {
            let app = app.clone();
            Callback::from(move |_: MouseEvent| {
                TOOLS_OPEN.set(!TOOLS_OPEN.get());
                app.redraw();
            })
        };
        let coding = crate::web::code_mode::active();
        let code = {
            let app = app.clone();
            Callback::from(move |_: MouseEvent| {
                if crate::web::code_mode::active() {
                    crate::web::code_mode::leave();
                } else {
                    crate::web::code_mode::enter(&app, None);
                }
                changed(&app);
            })
        };
        let running = app.state().run == RunState::Running;
        html! {
            <>
                <button type="button" class="ghost" data-testid="edit-as-code" aria-pressed={coding.to_string()} disabled={running}
                    onclick={code}>{ "Edit as code" }</button>
                <button type="button" class="ghost" data-testid="tools" aria-expanded={open.to_string()}
                    aria-controls="tools-row" onclick={toggle}>{ if open { "Tools ▴" } else { "Tools ▾" } }</button>
            </>
        }
    }

    /// The studio's tools, when shown: a row under the toolbar.
    pub fn tools_row(app: &AppHandle, at: Option<f64>, say: &Callback<String>) -> Html {
        let open = TOOLS_OPEN.get();
        let state = app.state();
        let has_run = state.run != RunState::Idle && app.session().borrow().is_some();
        let done = has_run && state.run != RunState::Running;
        let intent = |i: Intent| {
            let (app, say) = (app.clone(), say.clone());
            Callback::from(move |_: MouseEvent| act(&app, at, i.clone(), say.clone()))
        };
        let on_open = {
            let (app, say) = (app.clone(), say.clone());
            Callback::from(move |e: Event| {
                let input = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                if let Some(input) = input {
                    if let Some(file) = input.files().and_then(|f| f.get(0)) {
                        open_file(&app, file, say.clone());
                    }
                    // The same file picked again is news too.
                    input.set_value("");
                }
            })
        };
        let changed = {
            let app = app.clone();
            Callback::from(move |()| changed(&app))
        };
        if let Some(news) = crate::web::code_mode::ending_news(app) {
            say.emit(news);
        }
        let again = contrast(state.scenario, &state.texts)
            .map_or_else(|| "Compare with another run".to_string(), |c| c.2);
        html! {
            <>
                if open {
                    <div class="tools-row" id="tools-row" data-testid="tools-menu" role="group" aria-label="Tools">
                        <button type="button" class="ghost" data-testid="save-run" disabled={!done} onclick={intent(Intent::Save)}
                            title="The run as a file: open it here again to study it, or in Perfetto">{ "Save run" }</button>
                        <label class="button ghost open-run" title="Open a run saved before, or a Python program (or drop its file on the page)">
                            { "Open…" }
                            <input type="file" class="sr-only" accept=".json,application/json,.py,text/x-python" data-testid="open-run" onchange={on_open} />
                        </label>
                        <button type="button" class="ghost" data-testid="export-svg" disabled={!done} onclick={intent(Intent::Svg)}>{ "Export SVG" }</button>
                        if pinned().is_some() {
                            <button type="button" class="ghost" data-testid="unpin" onclick={intent(Intent::Unpin)}>{ "Unpin" }</button>
                        } else {
                            <button type="button" class="ghost" data-testid="pin-run" disabled={!done} onclick={intent(Intent::Pin)}
                                title="Keep this run on the timeline while you change things and run again">{ "Pin this run" }</button>
                        }
                        <button type="button" class="ghost" data-testid="compare-contrast" disabled={!done} onclick={intent(Intent::Contrast)}
                            title="Pin this run, then run the other way beside it">{ again }</button>
                        <button type="button" class="ghost" data-testid="predict" aria-pressed={prediction().is_some().to_string()}
                            disabled={state.run == RunState::Running} onclick={intent(Intent::Predict)}
                            title="Order the lines the program will print before it runs">{ "Predict, then run" }</button>
                    </div>
                }
                <PredictPanel app={app.clone()} run={state.run} run_id={state.run_id} revision={revision()} {changed} />
            </>
        }
    }

    /// Does what the user asked for.
    pub fn act(app: &AppHandle, at: Option<f64>, intent: Intent, say: Callback<String>) {
        let id = app.state().scenario.id;
        let session = app.session().borrow();
        match (intent, session.as_ref()) {
            (Intent::Save, Some(live)) => {
                let file = live.saved(|run| runfile::write(run, &format!("Interleave: {id}")));
                dom::download(&format!("interleave-{id}.json"), "application/json", &file);
            }
            (Intent::Svg, Some(live)) => {
                let tl = live.view(|trace, now| {
                    layout(trace, &live.ideal_lanes, now, MAX_LANES, Vec::new())
                });
                let svg = timeline_svg(&tl, id);
                dom::download(&format!("interleave-{id}.svg"), "image/svg+xml", &svg);
            }
            // A saved run, or a program (a file a link was too long for, say): it opens in
            // code mode.
            (Intent::Open(text), _) if crate::web::code_mode::looks_like_a_program(&text) => {
                drop(session);
                crate::web::code_mode::enter(app, Some(text));
                changed(app);
                say.emit(String::new());
            }
            (Intent::Open(text), _) => {
                drop(session);
                let opened = runfile::read(&text).and_then(|saved| reopen(app, saved, None));
                say.emit(opened.err().unwrap_or_default());
            }
            (Intent::Predict, _) => {
                drop(session);
                match toggle(&app.state()) {
                    Ok(true) => {
                        say.emit(String::new());
                        app.dispatch(Action::Reset);
                    }
                    Ok(false) => say.emit(String::new()),
                    Err(why) => say.emit(why),
                }
                changed(app);
            }
            (Intent::Tools, _) => {
                TOOLS_OPEN.set(true);
                app.redraw();
            }
            (Intent::Code(None), _) => {
                drop(session);
                crate::web::code_mode::enter(app, None);
                changed(app);
            }
            (Intent::Code(Some(link)), _) => {
                drop(session);
                match crate::web::code_mode::open_link(app, &link) {
                    Ok(autorun) => {
                        changed(app);
                        if autorun {
                            app.dispatch(Action::Run);
                        }
                    }
                    Err(why) => say.emit(why),
                }
            }
            (Intent::Pin, Some(live)) => {
                let pinned = pin_run(live);
                drop(session);
                say.emit(pinned.err().unwrap_or_default());
                changed(app);
            }
            (Intent::Unpin, _) => {
                pin(None);
                changed(app);
            }
            (Intent::Contrast, live) => {
                let pinned = live.map(pin_run).unwrap_or(Ok(()));
                drop(session);
                if let Err(why) = pinned {
                    say.emit(why);
                    return;
                }
                REVISION.set(REVISION.get() + 1);
                let state = app.state();
                if let Some((name, text, _)) = contrast(state.scenario, &state.texts) {
                    app.dispatch(Action::Edit(name, text));
                }
                app.dispatch(Action::Run);
            }
            (Intent::Compare(fragment, run), _) => {
                let pinned = values_of(&fragment).map(|(link, values)| {
                    let live = LiveRun::ideal_only(pinned_id(), link.scenario, &values);
                    pin(Some(Pinned::new(live, link.scenario, link.texts, true)));
                });
                drop(session);
                if let Err(why) = pinned {
                    say.emit(format!(
                        "The link's run to compare with is not shown: {why}"
                    ));
                }
                changed(app);
                if run {
                    app.dispatch(Action::Run);
                }
                // The link's cursor, for when this run is over.
                if let Some(t) = at {
                    app.dispatch(Action::Seek(t));
                }
            }
            _ => {}
        }
    }

    /// Pins `live` as it stands.
    fn pin_run(live: &LiveRun) -> Result<(), String> {
        if live.link.starts_with("code") {
            // A program's run: its own ideal schedule and listing come with it.
            let saved = live.saved(|run| run.to_saved());
            let reopened = crate::web::code_mode::reopen(pinned_id(), live.scenario, saved)?;
            pin(Some(Pinned::new(
                reopened,
                live.scenario,
                Vec::new(),
                false,
            )));
            return Ok(());
        }
        let saved = live.saved(|run| run.to_saved());
        let (link, values) = values_of(&saved.link)?;
        let live = LiveRun::reopen(pinned_id(), link.scenario, &values, saved);
        pin(Some(Pinned::new(live, link.scenario, link.texts, false)));
        Ok(())
    }

    /// What `fragment` runs, or why it cannot be run.
    fn values_of(fragment: &str) -> Result<(Opened, Values), String> {
        let link = url::decode(fragment);
        if let Some(problem) = link.problems.first() {
            return Err(format!("its link is not one Interleave made ({problem})"));
        }
        let (values, errors) = link.scenario.parse(|name| {
            link.texts
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.as_str())
        });
        if let Some((name, why)) = errors.first() {
            return Err(format!("its value of {name} is refused ({why})"));
        }
        Ok((link, values))
    }

    /// Shows `saved` as the page's run with the time cursor at `at` (at its end when `None`),
    /// or says why it cannot be shown (and changes nothing).
    fn reopen(app: &AppHandle, saved: runfile::SavedRun, at: Option<f64>) -> Result<(), String> {
        let refuse = |why: String| format!("This run cannot be shown: {why}.");
        let (mut link, values) = values_of(&saved.link).map_err(refuse)?;
        link.at = at;
        let scenario = link.scenario;
        if saved.trace.tasks.is_empty() && !saved.trace.events.is_empty() {
            return Err(refuse("it has events but no task".into()));
        }
        let stopped = saved.stopped;
        app.show(Action::Reopen(Box::new(link), stopped), |id| {
            LiveRun::reopen(id, scenario, &values, saved)
        });
        Ok(())
    }
}
