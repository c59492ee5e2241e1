//! The page: its parts laid out, each event turned into an action for the engine's reducer (see
//! [`crate::web::hooks::use_app`]), and the run area redrawn every frame while a run goes on.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::edges::runfile;
use crate::engine::edges::url;
use crate::engine::lang::listing::Listing;
use crate::engine::lang::params::Spec;
use crate::engine::lang::scenarios::{find, ScenarioInfo, CATALOG};
use crate::engine::record::trace::Outcome;
use crate::engine::view::announce::{Announcer, Heard};
use crate::engine::view::app::{Action, AppState, RunState};
use crate::engine::view::lane_steps::{lane_at, lane_rank, lane_step};
use crate::engine::view::moment::{Moment, Step};
use crate::engine::view::presenter::RunView;
use crate::web::code_mode;
use crate::web::components::console::Console;
use crate::web::components::cursor::{cursor_bar, CursorMsg, CursorProps, Studied};
use crate::web::components::figures::{figures_view, TaskTable};
use crate::web::components::params::{field, param_form, FieldProps};
use crate::web::components::timeline::{Clock, TimelineProps, TimelineView};
use crate::web::dom;
use crate::web::events::input_value;
use crate::web::hooks::{use_animation_frame, use_app, use_space_key, AppHandle};
use crate::web::session::{listings, Cursor, LiveRun, Session};
use crate::web::studio::{self, Intent};
use wasm_bindgen::JsCast;

/// The root component.
#[component]
pub fn App() -> Html {
    let app = use_app();
    let copied = use_state(|| false);
    // The time cursor, once the user takes it: kept here, as the share link carries it too.
    let cursor = use_state(|| None::<(u64, Cursor)>);

    // What the page has to say about saving, opening and loading the studio.
    let note = use_state(String::new);
    let say = {
        let note = note.clone();
        Callback::from(move |words: String| note.set(words))
    };

    // Open the share link the page was loaded with (it may ask to run at once), and in the
    // studio, what the page handed over.
    {
        let (app, say) = (app.clone(), say.clone());
        use_effect_with((), move |_| {
            let mut link = url::decode(&dom::hash());
            // A link with a run to compare with runs once the studio has pinned that run.
            let compare = link.compare.take().map(|other| (other, link.autorun));
            link.autorun &= compare.is_none();
            let at = link.at;
            app.dispatch(Action::Load(Box::new(link)));
            studio::resume(&app, say.clone());
            if let Some((other, run)) = compare {
                studio::act(&app, at, Intent::Compare(other, run), say);
            }
        });
    }

    let state = app.state();
    // Keep the address in step with the scenario and its values.
    {
        let mut fragment = url::encode(
            state.scenario,
            state.texts.iter().map(|(n, t)| (*n, t.as_str())),
            false,
        );
        if state.embed {
            fragment = url::with(&fragment, "embed=1");
        }
        let fragment = studio::with_compare(fragment);
        use_effect_with(fragment, |fragment| dom::replace_hash(fragment));
    }
    use_space_key(app.callback(|_: ()| Action::Toggle));

    let (values, errors) = state.parse();
    let valid = errors.is_empty();
    let errors = Rc::new(errors);

    // Whether a run is shown, and the program's listings for when none is.
    let has_run = state.run != RunState::Idle && app.session().borrow().is_some();
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

    let on_pick = app.callback(Action::Pick);
    let on_edit = app.callback(|(name, text): (&'static str, String)| Action::Edit(name, text));
    let on_select = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = input_value(&e).and_then(|id| find(&id)) {
                app.dispatch(Action::Pick(s));
            }
        })
    };
    let specs: Rc<Vec<Spec>> = Rc::new(state.scenario.specs());
    // While a run is shown the stage is the page: the catalog steps aside and the scenario's
    // text and values fold into one line that opens on a click.
    let staged = state.run != RunState::Idle;
    let values_line = state
        .texts
        .iter()
        .filter(|(n, _)| *n != "speed")
        .map(|(n, t)| format!("{} {t}", n.replace('_', " ")))
        .collect::<Vec<_>>()
        .join(" · ");
    let current = state.scenario;

    // A saved run dropped anywhere on the page is opened.
    let on_drag_over = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = {
        let (app, say) = (app.clone(), say.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let file = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0));
            if let Some(file) = file {
                open_file(&app, file, say.clone());
            }
        })
    };

    html! {
        <div class={classes!("app", staged.then_some("staged"), state.embed.then_some("embedded"))}
            data-testid={state.embed.then_some("embed")} ondragover={on_drag_over} ondrop={on_drop}>
            { Html::from_html_unchecked(AttrValue::Static(MASTHEAD)) }
            <main class="layout">
                <nav class="catalog" aria-label="Scenarios">
                    <h2 class="section-title">{ format!("{} scenarios", CATALOG.len()) }</h2>
                    <ul data-testid="scenario-list">
                        { for CATALOG.iter().map(|s| scenario_item(s, s == current, &on_pick)) }
                    </ul>
                </nav>
                <section class="stage" aria-labelledby="stage-title">
                    { stage_head(current, on_select) }
                    if !state.notices.is_empty() {
                        <div class="notice" role="alert" data-testid="link-notice">
                            <p>{ "The link could not be followed entirely:" }</p>
                            <ul>{ for state.notices.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
                            <button type="button" class="ghost" onclick={app.callback(|_: MouseEvent| Action::Dismiss)}>{ "Dismiss" }</button>
                        </div>
                    }
                    <details class="about" data-testid="about" open={!staged}>
                        <summary>
                            <span class="about-title">{ "About this scenario and its values" }</span>
                            <span class="values-line">{ values_line }</span>
                        </summary>
                        <p class="summary">{ current.summary }</p>
                        <p class="explain">{ current.explain }</p>
                        { param_form(&specs, &state.texts, &errors, &on_edit) }
                    </details>
                    { toolbar(&app, &state, &errors, &on_edit, &copied, &cursor, &say) }
                    if !note.is_empty() {
                        <p class="run-message" role="status" data-testid="run-message">{ (*note).clone() }</p>
                    }
                    <RunArea app={app.clone()} run={state.run} {python} {rust} cursor={cursor.clone()} studio={studio::revision()} />
                </section>
            </main>
            { Html::from_html_unchecked(AttrValue::Static(FOOTER)) }
        </div>
    }
}

fn stage_head(current: &'static ScenarioInfo, on_select: Callback<Event>) -> Html {
    html! {
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
        </div>
    }
}

/// Run, Stop, Reset, the speed, the run's state, and sharing and exports.
fn toolbar(
    app: &AppHandle,
    state: &AppState,
    errors: &[(&'static str, String)],
    on_edit: &Callback<(&'static str, String)>,
    copied: &UseStateHandle<bool>,
    cursor: &UseStateHandle<Option<(u64, Cursor)>>,
    say: &Callback<String>,
) -> Html {
    let has_run = state.run != RunState::Idle && app.session().borrow().is_some();
    let valid = errors.is_empty();
    let running = state.run == RunState::Running;
    let speed_spec = state
        .scenario
        .specs()
        .into_iter()
        .find(|s| s.name == "speed");
    let mut link = url::encode(
        state.scenario,
        state.texts.iter().map(|(n, t)| (*n, t.as_str())),
        false,
    );
    // The cursor goes with the link, wherever the user left it.
    let at = (**cursor)
        .filter(|(id, _)| *id == state.run_id)
        .map(|(_, c)| c.at)
        .or(state.seek);
    if let Some(t) = at.filter(|_| has_run) {
        link = url::with_cursor(&link, t);
    }
    let share = format!("{}#{}", dom::base_url(), studio::with_compare(link));
    let on_copy = {
        let copied = copied.clone();
        let share = share.clone();
        #[cfg(feature = "studio")]
        let say = say.clone();
        Callback::from(move |_: MouseEvent| {
            #[cfg(feature = "studio")]
            if code_mode::share_as_file(&share, &say) {
                return;
            }
            let copied = copied.clone();
            let share = share.clone();
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(dom::copy(&share).await);
            });
        })
    };
    html! {
        <div class="toolbar">
            <div class="buttons">
                <button type="button" class="primary" data-testid="run" disabled={!valid || running || !code_mode::can_run()}
                    onclick={app.callback(|_: MouseEvent| Action::Run)} title="Run (Space)">
                    { if matches!(state.run, RunState::Finished | RunState::Stopped) { "▶ Run again" } else { "▶ Run" } }
                </button>
                <button type="button" data-testid="stop" disabled={!running}
                    onclick={app.callback(|_: MouseEvent| Action::Stop)} title="Stop (Space)">{ "■ Stop" }</button>
                <button type="button" data-testid="reset" disabled={state.run == RunState::Idle}
                    onclick={app.callback(|_: MouseEvent| Action::Reset)}>{ "Reset" }</button>
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
            // The announcer (see `RunArea`) tells the run's state, in words a listener can follow.
            <span class={classes!("run-state", state.run.word())} data-testid="run-state" data-state={state.run.word()}>
                { match state.run {
                    RunState::Idle => if valid { "ready" } else { "fix the fields above" },
                    RunState::Running => "running",
                    RunState::Finished => "finished",
                    RunState::Stopped => "stopped",
                } }
            </span>
            <div class="share">
                // Embedded, the page offers itself whole in place of sharing and exports.
                <a class="button ghost open-full" href={share.clone()} target="_blank" rel="noopener" data-testid="open-full">
                    { "Open in Interleave ↗" }
                </a>
                <button type="button" class="ghost" data-testid="copy-link" onclick={on_copy} title={share.clone()}>
                    { if **copied { "Link copied" } else { "Copy link" } }
                </button>
                // Saving, opening, exporting and comparing are the studio's (see `web::studio`).
                { studio::tools(app, at, say) }
            </div>
            { studio::tools_row(app, at, say) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RunAreaProps {
    app: AppHandle,
    run: RunState,
    /// What the studio draws in the run area changed this many times (a run pinned, say).
    studio: u64,
    /// The time cursor, once taken: the run it was taken on, and where it stands.
    cursor: UseStateHandle<Option<(u64, Cursor)>>,
    /// The listings shown when no run is.
    python: Rc<Listing>,
    rust: Rc<Listing>,
}

/// What a run shows (figures, timeline, console, code, task table): redrawn every animation
/// frame while it runs, apart from the rest of the page. It tells the page's state when the run
/// ends by itself.
#[component]
fn RunArea(props: &RunAreaProps) -> Html {
    let running = props.run == RunState::Running;
    let idle: Rc<dyn Fn() -> f64> = {
        let session = props.app.session().clone();
        Rc::new(move || {
            session
                .borrow()
                .as_ref()
                .map_or(f64::INFINITY, LiveRun::idle_ms)
        })
    };
    let frame = use_animation_frame(running, idle);
    // A run starts once what was just rendered for it has been drawn.
    {
        let app = props.app.clone();
        let id = props.app.state().run_id;
        use_effect_with((id, props.run), move |_| {
            if let Some(live) = app.session().borrow().as_ref() {
                live.begin();
            }
        });
    }
    // The moving parts of the timeline follow the run's clock between redraws.
    let clock = {
        let session = props.app.session().clone();
        use_memo(props.app.clone(), move |_| {
            Clock(Rc::new(move || {
                let live = session.borrow();
                let live = live.as_ref()?;
                Some((live.now()?, live.idle_ms()))
            }))
        })
    };
    {
        let app = props.app.clone();
        use_effect_with(frame, move |_| {
            let ended = app
                .session()
                .borrow()
                .as_ref()
                .filter(|live| live.finished())
                .map(|live| live.id);
            if let (Some(id), true) = (ended, running) {
                app.dispatch(Action::Ended(id));
            }
        });
    }
    let view = if props.run == RunState::Idle {
        None
    } else {
        props.app.session().borrow().as_ref().map(LiveRun::frame)
    };
    // What a screen reader is told of the run, in one polite live region.
    let announcer = use_mut_ref(Announcer::default);
    let said = use_mut_ref(String::new);
    if let Some(v) = &view {
        let title = props.app.state().scenario.title;
        let ends = || lane_ends(v);
        if let Some(words) = announcer.borrow_mut().hear(
            &heard(v, title, props.run, &ends),
            crate::web::frames::now_ms(),
        ) {
            *said.borrow_mut() = words;
        }
    }
    let stage_ref = use_node_ref();
    // The time cursor: it follows the run as it goes until the user takes it; taken, it stays
    // (and goes with the run it was taken on).
    let cursor = props.cursor.clone();
    let run_id = view.as_ref().map(|v| v.run);
    let session = props.app.session().clone();
    // Once the run is over, a link's `t` places the cursor until the user moves it.
    let from_link = props
        .app
        .state()
        .seek
        .filter(|_| !running)
        .and_then(|t| Some(session.borrow().as_ref()?.seek(false, t)));
    let taken = (*cursor)
        .filter(|(id, _)| Some(*id) == run_id)
        .map(|(_, c)| c)
        .or(from_link);
    let moment_cache = use_mut_ref(|| None::<(u64, Cursor, Rc<Moment>)>);
    let moment: Option<Rc<Moment>> = taken.and_then(|c| {
        let mut cache = moment_cache.borrow_mut();
        if let Some((id, at, m)) = cache.as_ref() {
            if Some(*id) == run_id && *at == c {
                return Some(m.clone());
            }
        }
        let m = Rc::new(session.borrow().as_ref()?.moment(c));
        *cache = Some((run_id?, c, m.clone()));
        Some(m)
    });
    // Stepping along the event loop's lane: its stretches, as drawn.
    let lane_of = {
        let timeline = view.as_ref().map(|v| v.timeline.clone());
        move |l: &LiveRun| timeline.as_ref().map(|t| l.lane(t)).unwrap_or_default()
    };
    let lane = taken.and_then(|c| {
        let k = c.lane?;
        let all = lane_of(session.borrow().as_ref()?);
        let words = all.get(k)?.words.clone();
        Some((lane_rank(&all, k), words, all.len()))
    });
    // Where the bar stands when the cursor follows the run: at its end, so far.
    let (bar_at, bar_index, bar_text, ideal) = match (&moment, taken, &lane) {
        (Some(m), Some(_), Some((rank, words, _))) => (m.at, *rank, words.clone(), false),
        (Some(m), Some(c), None) => (m.at, m.index, m.text.clone(), c.ideal),
        _ => session
            .borrow()
            .as_ref()
            .map(|l| {
                let (at, index, text) = l.last_event();
                (at, index, text, false)
            })
            .unwrap_or((0.0, 0, String::new(), false)),
    };
    let count = match &lane {
        Some((_, _, n)) => *n,
        None => session
            .borrow()
            .as_ref()
            .map_or(0, |l| l.event_count(ideal)),
    };
    // Every move of the cursor, in one place.
    let on_cursor = {
        let (session, cursor) = (session.clone(), cursor.clone());
        Callback::from(move |msg: CursorMsg| {
            let live = session.borrow();
            let (Some(l), Some(id)) = (live.as_ref(), run_id) else {
                return;
            };
            let on_lane = taken.and_then(|c| c.lane);
            let next = match msg {
                CursorMsg::Follow => None,
                CursorMsg::Seek(t) if on_lane.is_some() => {
                    let all = lane_of(l);
                    Some(Cursor {
                        lane: lane_at(&all, t),
                        ..l.seek(false, t)
                    })
                }
                CursorMsg::Seek(t) => Some(l.seek(ideal, t)),
                CursorMsg::Study(Studied::Run) => Some(l.seek(false, bar_at)),
                CursorMsg::Study(Studied::Ideal) => Some(l.seek(true, bar_at)),
                CursorMsg::Study(Studied::Lane) => {
                    let all = lane_of(l);
                    Some(l.on_lane(&all, lane_at(&all, bar_at), l.seek(false, bar_at)))
                }
                CursorMsg::Step(how) if on_lane.is_some() => {
                    let all = lane_of(l);
                    let from = taken.unwrap_or_else(|| l.end_cursor(false));
                    Some(l.on_lane(&all, lane_step(&all, on_lane, bar_at, how), from))
                }
                CursorMsg::Step(how) => {
                    Some(l.step(taken.unwrap_or_else(|| l.end_cursor(false)), how))
                }
            };
            cursor.set(next.map(|c| (id, c)));
        })
    };
    let on_key = {
        let on_cursor = on_cursor.clone();
        Callback::from(move |e: KeyboardEvent| {
            if let Some(how) = step_key(&e) {
                e.prevent_default();
                on_cursor.emit(CursorMsg::Step(how));
            }
        })
    };
    // A run's stage is brought into view when it starts.
    {
        let stage = stage_ref.clone();
        use_effect_with((run_id, running), move |(id, running)| {
            if id.is_some() && *running {
                dom::bring_into_view(&stage);
            }
        });
    }
    let (python, rust, here) = match &view {
        Some(v) => (
            v.python.clone(),
            v.rust.clone(),
            moment
                .as_ref()
                .map_or_else(|| v.current.clone(), |m| m.marks.clone()),
        ),
        None => (
            props.python.clone(),
            props.rust.clone(),
            Rc::new((Vec::new(), Vec::new())),
        ),
    };
    html! {
        <>
            <div class="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
                { said.borrow().clone() }
            </div>
            if let Some(v) = &view {
                { for v.notes.iter().map(|n| html! { <p class="run-note" role="note" data-testid="run-note">{ n.clone() }</p> }) }
                { figures_view(moment.as_ref().map_or(&v.figures, |m| &m.figures), running, moment.as_ref().map(|m| m.at)) }
            }
            <div class="study" data-testid="stage" ref={stage_ref} onkeydown={on_key}>
                if let Some(v) = &view {
                    { timeline(&session, v, running, &clock, moment.as_ref().map(|m| m.at), &on_cursor) }
                    { cursor_bar(CursorProps { at: bar_at, span: v.timeline.span, index: bar_index, count, text: bar_text,
                        following: taken.is_none(), running, ideal, lane: lane.is_some(), on_cursor }) }
                } else {
                    <div class="timeline-empty" data-testid="timeline-empty" role="status">
                        { Html::from_html_unchecked(AttrValue::Static(EMPTY_TIMELINE)) }
                    </div>
                }
                <div class="panels">
                    <Console lines={moment.as_ref().map(|m| m.lines.clone()).or_else(|| view.as_ref().map(|v| v.lines.clone())).unwrap_or_default()}
                             hidden={moment.as_ref().map(|m| m.hidden_lines).or_else(|| view.as_ref().map(|v| v.hidden_lines)).unwrap_or(0)}
                             next={moment.as_ref().and_then(|m| m.next.clone())}
                             warnings={view.as_ref().map(|v| v.warnings.clone()).unwrap_or_default()} />
                    { code_mode::code_panel(&props.app, python, rust, here, running) }
                </div>
            </div>
            if let Some(v) = &view {
                { Html::from_html_unchecked(AttrValue::Static(LEGENDS)) }
                <TaskTable stats={moment.as_ref().map_or_else(|| v.stats.clone(), |m| m.table.clone())}
                    more={moment.as_ref().map_or(v.more, |m| m.more)} />
            }
        </>
    }
}

/// The run's timeline, beside the pinned run on one axis when the studio has one.
fn timeline(
    session: &Session,
    v: &RunView,
    running: bool,
    clock: &Clock,
    cursor: Option<f64>,
    on_cursor: &Callback<CursorMsg>,
) -> Html {
    let timeline = studio::on_axis(&v.timeline);
    let span = timeline.span;
    #[allow(unused_mut)]
    let mut props = yew::props!(TimelineProps {
        timeline,
        show_ideal: true,
        live: running,
        run: v.run,
        clock: Some(clock.clone()),
        cursor,
        on_seek: Some(on_cursor.reform(CursorMsg::Seek)),
    });
    #[cfg(feature = "studio")]
    if let Some(live) = session.borrow().as_ref() {
        props.lessons = code_mode::timeline_lessons(live);
    }
    let current = html! { <TimelineView ..props /> };
    studio::compared(session, running, current, cursor, v.figures.elapsed, span)
}

/// Reads a file the user picked or dropped and opens it as a run (in the studio).
pub(crate) fn open_file(app: &AppHandle, file: web_sys::File, say: Callback<String>) {
    let app = app.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if file.size() > runfile::MAX_BYTES as f64 {
            say.emit(runfile::TOO_LARGE.into());
            return;
        }
        match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(text) => {
                let text = text.as_string().unwrap_or_default();
                studio::act(&app, None, Intent::Open(text), say);
            }
            Err(_) => say.emit("This file could not be read.".into()),
        }
    });
}

/// Static markup, kept as text: it costs the page far less than the code that would build it.
const MASTHEAD: &str = r#"<header class="masthead"><div class="brand"><svg class="logo" viewBox="0 0 32 32" aria-hidden="true"><rect x="3" y="6" width="14" height="5" rx="2.5" class="logo-a"/><rect x="12" y="13.5" width="17" height="5" rx="2.5" class="logo-b"/><rect x="6" y="21" width="10" height="5" rx="2.5" class="logo-a"/></svg><h1>Interleave</h1></div><p class="tagline">Watch asynchronous programs run for real on your browser's event loop, task by task.</p></header>"#;

/// The page's foot.
const FOOTER: &str = r#"<footer class="foot">Scenarios are built from five short explanations of async programming (seeds 000 to 004). Times are scenario seconds; at speed 10 one scenario second takes 0.1 s.</footer>"#;

/// The timeline's legends: the states of a task's lane, and what the event loop's lane shows.
const LEGENDS: &str = r#"<p class="legend" aria-hidden="true"><span class="key running">running</span><span class="key waiting">waiting</span><span class="key ready">ready</span><span class="key blocking">blocking</span><span class="key blocked">blocked by other work</span><span class="key delayed">timer late</span><span class="key ideal">ideal schedule (thin)</span></p><p class="legend legend-loop" aria-hidden="true"><span class="legend-title">event loop:</span><span class="key loop-busy">tasks running</span><span class="key loop-work">loop at work</span><span class="key loop-drawing">page drawing</span><span class="key loop-long">browser's long work</span><span class="key loop-waiting">browser late, thread free</span><span class="key loop-unexplained">late timer, cause unseen</span></p>"#;

/// What the stage shows before anything has run.
const EMPTY_TIMELINE: &str = r#"<svg viewBox="0 0 240 72" aria-hidden="true" class="ghost-lanes"><rect x="8" y="8" width="70" height="12" rx="3"/><rect x="120" y="8" width="40" height="12" rx="3"/><rect x="40" y="30" width="110" height="12" rx="3"/><rect x="70" y="52" width="60" height="12" rx="3"/><rect x="170" y="52" width="60" height="12" rx="3"/></svg><p class="empty-title">Nothing has run yet</p><p class="empty-body">Press Run (or Space): each task gets a lane showing when it runs, when it pauses and what it waits on, and when it finishes, with the ideal schedule faint beneath.</p>"#;

/// The move of the time cursor a key asks for on the stage: Left and Right by an event, with
/// Shift by a printed line, Home and End. Keys meant for a field, a list or a lane stay theirs.
fn step_key(e: &KeyboardEvent) -> Option<Step> {
    let target = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())?;
    let own = target.get_attribute("data-testid").as_deref() == Some("cursor");
    let tag = target.tag_name().to_ascii_lowercase();
    let keeps = matches!(tag.as_str(), "input" | "select" | "textarea")
        || target.get_attribute("data-testid").as_deref() == Some("segment");
    if (keeps && !own) || e.default_prevented() || e.ctrl_key() || e.alt_key() || e.meta_key() {
        return None;
    }
    Some(match (e.key().as_str(), e.shift_key()) {
        ("ArrowLeft", false) => Step::Back,
        ("ArrowRight", false) => Step::Forward,
        ("ArrowLeft", true) => Step::PreviousPrint,
        ("ArrowRight", true) => Step::NextPrint,
        ("Home", _) => Step::Start,
        ("End", _) => Step::End,
        _ => return None,
    })
}

/// What a frame of run `v` in state `run` shows that the announcer may tell.
fn heard<'a>(
    v: &'a RunView,
    title: &'a str,
    run: RunState,
    ends: &'a dyn Fn() -> Vec<(u32, Rc<str>, f64, Outcome)>,
) -> Heard<'a> {
    Heard {
        run: v.run,
        title,
        state: run,
        lines: &v.lines,
        printed: v.hidden_lines + v.lines.len() as u64,
        ends,
        figures: &v.figures,
    }
}

/// How each task drawn ended so far: task, name, when, how.
fn lane_ends(v: &RunView) -> Vec<(u32, Rc<str>, f64, Outcome)> {
    v.timeline
        .lanes
        .iter()
        .filter_map(|l| {
            let (at, how) = l.end.clone()?;
            Some((l.task.0, l.name.clone(), at, how))
        })
        .collect()
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
