use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::edges::export::{chrome_trace, timeline_svg};
use crate::engine::edges::url;
use crate::engine::lang::listing::Listing;
use crate::engine::lang::params::Spec;
use crate::engine::lang::scenarios::{find, ScenarioInfo, CATALOG};
use crate::engine::view::layout::layout;
use crate::web::components::code::Code;
use crate::web::components::console::Console;
use crate::web::components::figures::{figures_view, TaskTable};
use crate::web::components::params::{field, param_form, FieldProps};
use crate::web::components::timeline::TimelineView;
use crate::web::dom;
use crate::web::events::input_value;
use crate::web::hooks::use_animation_frame;
use crate::web::session::{listings, LiveRun, Session, MAX_LANES};
use crate::web::state::{Action, RunState, State};

/// Starts a run of what `state` describes, replacing any run in `session`. False if a field is
/// invalid (then nothing runs).
fn start(session: &Session, state: &State) -> bool {
    let (values, errors) = state.parse();
    if !errors.is_empty() {
        return false;
    }
    if let Some(old) = session.borrow_mut().take() {
        old.stop();
    }
    let live = LiveRun::start(state.scenario, &values);
    *session.borrow_mut() = Some(live);
    true
}

fn stop(session: &Session) {
    if let Some(live) = session.borrow().as_ref() {
        live.stop();
    }
}

fn discard(session: &Session) {
    if let Some(old) = session.borrow_mut().take() {
        old.stop();
    }
}

/// The root component.
#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let session: Session = use_mut_ref(|| None);
    let copied = use_state(|| false);

    // Open the share link the page was loaded with, and run it if it asks to.
    {
        let state = state.clone();
        let session = session.clone();
        use_effect_with((), move |_| {
            let link = url::decode(&dom::hash());
            let autorun = link.autorun;
            let loaded = State::default().reduce_to(Action::Load(Box::new(link.clone())));
            state.dispatch(Action::Load(Box::new(link)));
            if autorun && start(&session, &loaded) {
                state.dispatch(Action::Started);
            }
        });
    }

    // Keep the address in step with the scenario and its values.
    {
        let fragment = url::encode(
            state.scenario,
            state.texts.iter().map(|(n, t)| (*n, t.as_str())),
            false,
        );
        use_effect_with(fragment, |fragment| dom::replace_hash(fragment));
    }

    // The run area redraws every frame while running, and says when the run ends by itself.
    let on_finished = {
        let state = state.clone();
        Callback::from(move |_: ()| {
            if state.run == RunState::Running {
                state.dispatch(Action::Finished);
            }
        })
    };

    let (values, errors) = state.parse();
    let valid = errors.is_empty();
    let errors = Rc::new(errors);
    let running = state.run == RunState::Running;

    let on_run = {
        let state = state.clone();
        let session = session.clone();
        Callback::from(move |_: ()| {
            if start(&session, &state) {
                state.dispatch(Action::Started);
            }
        })
    };
    let on_stop = {
        let state = state.clone();
        let session = session.clone();
        Callback::from(move |_: ()| {
            stop(&session);
            state.dispatch(Action::Stopped);
        })
    };
    let on_reset = {
        let state = state.clone();
        let session = session.clone();
        Callback::from(move |_: MouseEvent| {
            discard(&session);
            state.dispatch(Action::Reset);
        })
    };
    let on_pick = {
        let state = state.clone();
        let session = session.clone();
        Callback::from(move |s: &'static ScenarioInfo| {
            discard(&session);
            state.dispatch(Action::Pick(s));
        })
    };
    let on_edit = {
        let state = state.clone();
        let session = session.clone();
        Callback::from(move |(name, text): (&'static str, String)| {
            stop(&session);
            state.dispatch(Action::Edit(name, text));
        })
    };
    let on_select = {
        let on_pick = on_pick.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = input_value(&e).and_then(|id| find(&id)) {
                on_pick.emit(s);
            }
        })
    };

    // Space runs or stops, unless a field or a button has the focus.
    let toggle = {
        let on_run = on_run.clone();
        let on_stop = on_stop.clone();
        Callback::from(move |_: ()| {
            if running {
                on_stop.emit(())
            } else if valid {
                on_run.emit(())
            }
        })
    };
    use_space_key(toggle);

    // Whether a run is shown, and the program's listings for when none is.
    let has_run = state.run != RunState::Idle && session.borrow().is_some();
    let (python, rust) = if has_run {
        (Rc::new(Listing::default()), Rc::new(Listing::default()))
    } else {
        let (py, rs) = if valid {
            listings(&(state.scenario.build)(&values))
        } else {
            Default::default()
        };
        (Rc::new(py), Rc::new(rs))
    };

    let share = format!(
        "{}#{}",
        dom::base_url(),
        url::encode(
            state.scenario,
            state.texts.iter().map(|(n, t)| (*n, t.as_str())),
            false
        )
    );
    let on_copy = {
        let copied = copied.clone();
        let share = share.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            let share = share.clone();
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(dom::copy(&share).await);
            });
        })
    };
    let on_export_trace = {
        let session = session.clone();
        let id = state.scenario.id;
        Callback::from(move |_: MouseEvent| {
            if let Some(l) = session.borrow().as_ref() {
                let json =
                    l.view(|trace, now| chrome_trace(trace, &format!("Interleave: {id}"), now));
                dom::download(&format!("interleave-{id}.json"), "application/json", &json);
            }
        })
    };
    let on_export_svg = {
        let session = session.clone();
        let id = state.scenario.id;
        Callback::from(move |_: MouseEvent| {
            if let Some(l) = session.borrow().as_ref() {
                let tl =
                    l.view(|trace, now| layout(trace, &l.ideal_lanes, now, MAX_LANES, Vec::new()));
                dom::download(
                    &format!("interleave-{id}.svg"),
                    "image/svg+xml",
                    &timeline_svg(&tl, id),
                );
            }
        })
    };

    let specs: Rc<Vec<Spec>> = Rc::new(state.scenario.specs());
    let speed_spec = specs.iter().find(|s| s.name == "speed").copied();
    let current = state.scenario;

    html! {
        <div class="app">
            <header class="masthead">
                <div class="brand">
                    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
                        <rect x="3" y="6" width="14" height="5" rx="2.5" class="logo-a" />
                        <rect x="12" y="13.5" width="17" height="5" rx="2.5" class="logo-b" />
                        <rect x="6" y="21" width="10" height="5" rx="2.5" class="logo-a" />
                    </svg>
                    <h1>{ "Interleave" }</h1>
                </div>
                <p class="tagline">
                    { "Watch asynchronous programs run for real on your browser's event loop, task by task." }
                </p>
            </header>
            <main class="layout">
                <nav class="catalog" aria-label="Scenarios">
                    <h2 class="section-title">{ format!("{} scenarios", CATALOG.len()) }</h2>
                    <ul data-testid="scenario-list">
                        { for CATALOG.iter().map(|s| scenario_item(s, s == current, &on_pick)) }
                    </ul>
                </nav>
                <section class="stage" aria-labelledby="stage-title">
                    <div class="stage-head">
                        <div class="picker">
                            <label for="scenario-select">{ "Scenario" }</label>
                            <select id="scenario-select" data-testid="scenario-select" onchange={on_select}>
                                { for CATALOG.iter().map(|s| html! {
                                    <option value={s.id} selected={s == current}>{ format!("{} ({})", s.title, s.id) }</option>
                                }) }
                            </select>
                        </div>
                        <p class="eyebrow">
                            <code>{ current.id }</code>
                            { for current.seeds.iter().map(|seed| html! {
                                <span class="seed" title={seed.title()}>{ seed.to_string() }</span>
                            }) }
                        </p>
                        <h2 id="stage-title">{ current.title }</h2>
                        <p class="summary">{ current.summary }</p>
                        <p class="explain">{ current.explain }</p>
                    </div>
                    if !state.notices.is_empty() {
                        <div class="notice" role="alert" data-testid="link-notice">
                            <p>{ "The link could not be followed entirely:" }</p>
                            <ul>{ for state.notices.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
                            <button type="button" class="ghost" onclick={
                                let state = state.clone();
                                Callback::from(move |_| state.dispatch(Action::Dismiss))
                            }>{ "Dismiss" }</button>
                        </div>
                    }
                    { param_form(&specs, &state.texts, &errors, &on_edit) }
                    <div class="toolbar">
                        <div class="buttons">
                            <button type="button" class="primary" data-testid="run" disabled={!valid || running}
                                onclick={let on_run = on_run.clone(); Callback::from(move |_| on_run.emit(()))}
                                title="Run (Space)">
                                { if matches!(state.run, RunState::Finished | RunState::Stopped) { "▶ Run again" } else { "▶ Run" } }
                            </button>
                            <button type="button" data-testid="stop" disabled={!running}
                                onclick={let on_stop = on_stop.clone(); Callback::from(move |_| on_stop.emit(()))}
                                title="Stop (Space)">{ "■ Stop" }</button>
                            <button type="button" data-testid="reset" disabled={state.run == RunState::Idle} onclick={on_reset}>{ "Reset" }</button>
                        </div>
                        if let Some(spec) = speed_spec {
                            <div class="speed">
                                { field(&FieldProps {
                                    spec,
                                    text: state.text("speed").to_string().into(),
                                    error: errors.iter().find(|(n, _)| *n == "speed").map(|(_, m)| AttrValue::from(m.clone())),
                                    on_edit: on_edit.clone(),
                                }) }
                            </div>
                        }
                        <span class={classes!("run-state", state.run.word())} data-testid="run-state" data-state={state.run.word()} role="status">
                            { match state.run {
                                RunState::Idle => if valid { "ready" } else { "fix the fields above" },
                                RunState::Running => "running",
                                RunState::Finished => "finished",
                                RunState::Stopped => "stopped",
                            } }
                        </span>
                        <div class="share">
                            <button type="button" class="ghost" data-testid="copy-link" onclick={on_copy} title={share.clone()}>
                                { if *copied { "Link copied" } else { "Copy link" } }
                            </button>
                            <button type="button" class="ghost" data-testid="export-trace" disabled={!has_run} onclick={on_export_trace}
                                title="Chrome trace-event JSON: opens in Perfetto and chrome://tracing">{ "Export trace" }</button>
                            <button type="button" class="ghost" data-testid="export-svg" disabled={!has_run} onclick={on_export_svg}>{ "Export SVG" }</button>
                        </div>
                    </div>
                    <RunArea session={SessionRef(session.clone())} run={state.run} {python} {rust} {on_finished} />
                </section>
            </main>
            <footer class="foot">
                { "Scenarios are built from five short explanations of async programming (seeds 000 to 004). Times are scenario seconds; at speed 10 one scenario second takes 0.1 s." }
            </footer>
        </div>
    }
}

/// The session, compared by identity (it is one cell for the page's whole life).
#[derive(Clone)]
struct SessionRef(Session);

impl PartialEq for SessionRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct RunAreaProps {
    session: SessionRef,
    run: RunState,
    /// The listings shown when no run is.
    python: Rc<Listing>,
    rust: Rc<Listing>,
    /// Called when the run ends by itself.
    on_finished: Callback<()>,
}

/// What a run shows (figures, timeline, console, code, task table): redrawn every animation
/// frame while it runs, apart from the rest of the page.
#[component]
fn RunArea(props: &RunAreaProps) -> Html {
    let running = props.run == RunState::Running;
    let frame = use_animation_frame(running);
    {
        let session = props.session.0.clone();
        let on_finished = props.on_finished.clone();
        use_effect_with(frame, move |_| {
            let done = session
                .borrow()
                .as_ref()
                .map(LiveRun::finished)
                .unwrap_or(false);
            if done && running {
                on_finished.emit(());
            }
        });
    }
    let view = if props.run == RunState::Idle {
        None
    } else {
        props.session.0.borrow().as_ref().map(LiveRun::frame)
    };
    let (python, rust, here) = match &view {
        Some(v) => (v.python.clone(), v.rust.clone(), v.current.clone()),
        None => (
            props.python.clone(),
            props.rust.clone(),
            Rc::new((Vec::new(), Vec::new())),
        ),
    };
    html! {
        <>
            if let Some(v) = &view {
                { for v.notes.iter().map(|n| html! { <p class="run-note" role="note" data-testid="run-note">{ n.clone() }</p> }) }
                { figures_view(&v.figures, running) }
                <TimelineView timeline={v.timeline.clone()} show_ideal={true} live={running} run={v.run} />
                <p class="legend" aria-hidden="true">
                    <span class="key running">{ "running" }</span>
                    <span class="key waiting">{ "waiting" }</span>
                    <span class="key ready">{ "ready" }</span>
                    <span class="key blocking">{ "blocking" }</span>
                    <span class="key blocked">{ "blocked by other work" }</span>
                    <span class="key delayed">{ "timer late" }</span>
                    <span class="key ideal">{ "ideal schedule (thin)" }</span>
                </p>
            } else {
                <div class="timeline-empty" data-testid="timeline-empty" role="status">
                    <svg viewBox="0 0 240 72" aria-hidden="true" class="ghost-lanes">
                        <rect x="8" y="8" width="70" height="12" rx="3" />
                        <rect x="120" y="8" width="40" height="12" rx="3" />
                        <rect x="40" y="30" width="110" height="12" rx="3" />
                        <rect x="70" y="52" width="60" height="12" rx="3" />
                        <rect x="170" y="52" width="60" height="12" rx="3" />
                    </svg>
                    <p class="empty-title">{ "Nothing has run yet" }</p>
                    <p class="empty-body">
                        { "Press Run (or Space): each task gets a lane showing when it runs, when it pauses and what it waits on, and when it finishes, with the ideal schedule faint beneath." }
                    </p>
                </div>
            }
            <div class="panels">
                <Console lines={view.as_ref().map(|v| v.lines.clone()).unwrap_or_default()}
                         hidden={view.as_ref().map(|v| v.hidden_lines).unwrap_or(0)}
                         warnings={view.as_ref().map(|v| v.warnings.clone()).unwrap_or_default()} />
                <Code {python} {rust} current={here} />
            </div>
            if let Some(v) = &view {
                <TaskTable stats={v.stats.clone()} more={v.more} />
            }
        </>
    }
}

fn scenario_item(
    s: &'static ScenarioInfo,
    active: bool,
    on_pick: &Callback<&'static ScenarioInfo>,
) -> Html {
    let onclick = {
        let on_pick = on_pick.clone();
        Callback::from(move |_: MouseEvent| on_pick.emit(s))
    };
    html! {
        <li>
            <button
                type="button"
                class={classes!("scenario", active.then_some("active"))}
                aria-current={active.then_some("true")}
                data-testid="scenario-item"
                data-id={s.id}
                {onclick}
            >
                <span class="scenario-title">{ s.title }</span>
                <span class="scenario-summary">{ s.summary }</span>
                <span class="scenario-meta">
                    <code>{ s.id }</code>
                    { for s.seeds.iter().map(|seed| html! { <span class="seed">{ seed.to_string() }</span> }) }
                </span>
            </button>
        </li>
    }
}

type KeyListener = Closure<dyn FnMut(web_sys::KeyboardEvent)>;

/// Calls `toggle` when Space is pressed and no field, button or link has the focus.
#[hook]
fn use_space_key(toggle: Callback<()>) {
    let latest = use_mut_ref(|| toggle.clone());
    *latest.borrow_mut() = toggle;
    use_effect_with((), move |_| {
        let listener: Rc<RefCell<Option<KeyListener>>> = Rc::new(RefCell::new(None));
        let document = web_sys::window().and_then(|w| w.document());
        let closure =
            Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                if e.key() != " " || e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                let busy_target = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .map(|el| {
                        let tag = el.tag_name().to_ascii_lowercase();
                        matches!(
                            tag.as_str(),
                            "input" | "select" | "textarea" | "button" | "a" | "summary"
                        ) || el.get_attribute("role").is_some_and(|r| r == "tab")
                    })
                    .unwrap_or(false);
                if busy_target {
                    return;
                }
                e.prevent_default();
                latest.borrow().emit(());
            });
        if let Some(d) = &document {
            let _ = d.add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref());
        }
        *listener.borrow_mut() = Some(closure);
        move || {
            if let (Some(d), Some(c)) = (document, listener.borrow_mut().take()) {
                let _ =
                    d.remove_event_listener_with_callback("keydown", c.as_ref().unchecked_ref());
            }
        }
    });
}
