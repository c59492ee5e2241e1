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
    /// The run as a file.
    Save,
    /// The timeline as an SVG picture.
    Svg,
    /// A file's text, to be opened as a run.
    Open(String),
}

impl Intent {
    /// The word that names it across the modules.
    #[cfg_attr(feature = "studio", allow(dead_code))]
    fn word(&self) -> &'static str {
        match self {
            Intent::Save => "save",
            Intent::Svg => "svg",
            Intent::Open(_) => "open",
        }
    }
}

#[cfg(not(feature = "studio"))]
pub use first_load::{act, resume};
#[cfg(feature = "studio")]
pub use on_demand::{act, resume, take_over};

/// The page's half: it loads the studio and hands over.
#[cfg(not(feature = "studio"))]
mod first_load {
    use js_sys::{Array, Function, Promise, Reflect};
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use yew::Callback;

    use super::Intent;
    use crate::engine::edges::runfile;
    use crate::web::hooks::AppHandle;

    // The script's name is resolved against the page (`import` alone would resolve it against
    // this snippet's own address); `fetch` resolves the module's against the page already.
    #[wasm_bindgen(
        inline_js = "export const load_studio=(j,w)=>import(new URL(j,document.baseURI).href).then(m=>m.default({module_or_path:w}).then(()=>m))"
    )]
    extern "C" {
        fn load_studio(js: &str, wasm: &str) -> Promise;
    }

    /// What the page says while the studio loads.
    const LOADING: &str = "Loading the studio…";

    /// The page is never handed anything: it is the first to load.
    pub fn resume(_app: &AppHandle, _say: Callback<String>) {}

    /// What the page says when the studio cannot be had.
    const UNAVAILABLE: &str =
        "The studio could not be loaded (is the network down?); the page goes on without it.";

    /// Loads the studio, then hands it the page and `intent`; says through `say` what it is
    /// doing and, if the studio cannot be had, so (the page then goes on as it was).
    pub fn act(app: &AppHandle, at: Option<f64>, intent: Intent, say: Callback<String>) {
        let Some((js, wasm)) = files() else {
            say.emit(UNAVAILABLE.into());
            return;
        };
        say.emit(LOADING.into());
        let app = app.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let handed = match JsFuture::from(load_studio(&js, &wasm)).await {
                Ok(module) => hand_over(&app, at, &intent, &module),
                Err(_) => None,
            };
            if handed.is_none() {
                say.emit(UNAVAILABLE.into());
            }
        });
    }

    /// The studio's script and module, as the build names them in the page's
    /// `<meta name="interleave-studio">`.
    fn files() -> Option<(String, String)> {
        let meta = web_sys::window()?
            .document()?
            .query_selector("meta[name=interleave-studio]")
            .ok()??;
        let content = meta.get_attribute("content")?;
        let (js, wasm) = content.split_once(' ')?;
        Some((js.to_string(), wasm.to_string()))
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
        let file = match intent {
            Intent::Open(text) => JsValue::from_str(text),
            _ => JsValue::UNDEFINED,
        };
        let args = Array::of4(
            &run.map_or(JsValue::UNDEFINED, |r| JsValue::from_str(&r)),
            &JsValue::from_f64(at.unwrap_or(f64::NAN)),
            &intent.word().into(),
            &file,
        );
        crate::web::unmount();
        take_over.apply(&JsValue::NULL, &args).ok().map(|_| ())
    }
}

/// The studio's half: it takes over and does what was asked.
#[cfg(feature = "studio")]
mod on_demand {
    use std::cell::RefCell;

    use wasm_bindgen::prelude::wasm_bindgen;
    use yew::Callback;

    use super::Intent;
    use crate::engine::edges::export::timeline_svg;
    use crate::engine::edges::{runfile, url};
    use crate::engine::view::app::Action;
    use crate::engine::view::layout::layout;
    use crate::engine::view::presenter::MAX_LANES;
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
        let intent = match (intent.as_str(), file) {
            ("save", _) => Some(Intent::Save),
            ("svg", _) => Some(Intent::Svg),
            ("open", Some(text)) => Some(Intent::Open(text)),
            _ => None,
        };
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
        if let Some(record) = handover.run {
            let shown =
                runfile::read_record(&record).and_then(|saved| reopen(app, saved, handover.at));
            if let Err(why) = shown {
                say.emit(why);
                return;
            }
        }
        say.emit(String::new());
        if let Some(intent) = handover.intent {
            act(app, handover.at, intent, say);
        }
    }

    /// Does what the user asked for.
    pub fn act(app: &AppHandle, _at: Option<f64>, intent: Intent, say: Callback<String>) {
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
            (Intent::Open(text), _) => {
                drop(session);
                let opened = runfile::read(&text).and_then(|saved| reopen(app, saved, None));
                say.emit(opened.err().unwrap_or_default());
            }
            _ => {}
        }
    }

    /// Shows `saved` as the page's run with the time cursor at `at` (at its end when `None`),
    /// or says why it cannot be shown (and changes nothing).
    fn reopen(app: &AppHandle, saved: runfile::SavedRun, at: Option<f64>) -> Result<(), String> {
        let refuse = |why: String| format!("This run cannot be shown: {why}.");
        let mut link = url::decode(&saved.link);
        link.at = at;
        if let Some(problem) = link.problems.first() {
            return Err(refuse(format!(
                "its link is not one Interleave made ({problem})"
            )));
        }
        let scenario = link.scenario;
        let (values, errors) = scenario.parse(|name| {
            link.texts
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.as_str())
        });
        if let Some((name, why)) = errors.first() {
            return Err(refuse(format!("its value of {name} is refused ({why})")));
        }
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
