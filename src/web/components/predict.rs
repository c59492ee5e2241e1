//! Predict, then run (the studio's): before the run the learner puts the lines the program will
//! print in the order they expect (offered in the order of their print statements in the code),
//! with the timeline and the console hidden; committing starts the run; once it is over, the
//! first line where the prediction left the run is marked, the time cursor stands on it, and one
//! sentence says why.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::edges::url;
use crate::engine::exec::sim::simulate_within;
use crate::engine::lang::listing::{render, Style};
use crate::engine::lang::value::seconds_ms;
use crate::engine::view::app::{Action, AppState, RunState};
use crate::engine::view::predict::{first_miss, offered, Miss, MAX_LINES};
use crate::engine::view::presenter::IDEAL_POLL_BUDGET;
use crate::web::events::input_value;
use crate::web::hooks::AppHandle;

/// A prediction being made, or made.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// The lines, in the order the learner expects them.
    pub lines: Vec<Rc<str>>,
    /// The total time they expect, as typed (may be empty).
    pub time: String,
    /// The run it was committed for, once committed.
    pub committed: Option<u64>,
    /// How long the ideal schedule takes (to compare a guessed time with).
    pub ideal: f64,
    /// The scenario and values it was offered for (a share-link fragment): other values
    /// print other lines, which are offered afresh.
    pub made_for: String,
}

thread_local! {
    static PREDICTION: RefCell<Option<Prediction>> = const { RefCell::new(None) };
    /// The line being dragged.
    static DRAGGED: Cell<Option<usize>> = const { Cell::new(None) };
}

/// The prediction, if the mode is on.
pub fn prediction() -> Option<Prediction> {
    PREDICTION.with(|p| p.borrow().clone())
}

fn update(f: impl FnOnce(&mut Prediction)) {
    PREDICTION.with(|p| {
        if let Some(p) = p.borrow_mut().as_mut() {
            f(p);
        }
    });
}

/// Hides or shows what would give the answer away (the timeline and the console), with a class
/// on the page's body.
fn hide_the_run(hidden: bool) {
    crate::web::dom::set_body_class("predicting", hidden);
}

/// Turns the mode on for what `state` would run (the run shown is cleared), or says why it
/// cannot be; or turns it off.
pub fn toggle(state: &AppState) -> Result<bool, String> {
    if prediction().is_some() {
        PREDICTION.with(|p| *p.borrow_mut() = None);
        hide_the_run(false);
        return Ok(false);
    }
    let prediction = offer(state)?;
    PREDICTION.with(|p| *p.borrow_mut() = Some(prediction));
    hide_the_run(true);
    Ok(true)
}

/// The lines `state`'s values will print, to be put in order.
fn offer(state: &AppState) -> Result<Prediction, String> {
    // Code mode's program, if it is on.
    if let Some(basis) = crate::web::code_mode::prediction_basis(state) {
        let (trace, listing) = basis?;
        let lines = offered(&trace, &listing).ok_or_else(|| {
            format!(
                "This program prints no line, or more than {MAX_LINES}: there is no order to predict."
            )
        })?;
        return Ok(Prediction {
            lines,
            time: String::new(),
            committed: None,
            ideal: trace.elapsed(),
            made_for: made_for(state),
        });
    }
    let (values, errors) = state.parse();
    if !errors.is_empty() {
        return Err(
            "Fix the values above first: a prediction is made for a program that runs.".into(),
        );
    }
    let program = Rc::new((state.scenario.build)(&values));
    let (trace, _) = simulate_within(program.clone(), IDEAL_POLL_BUDGET);
    let listing = render(&program, Style::Python);
    let lines = offered(&trace, &listing).ok_or_else(|| {
        format!(
            "This program prints no line, or more than {MAX_LINES}: there is no order to predict."
        )
    })?;
    Ok(Prediction {
        lines,
        time: String::new(),
        committed: None,
        ideal: trace.elapsed(),
        made_for: made_for(state),
    })
}

/// What a prediction is made for: the scenario and the fields' texts, or code mode's program.
fn made_for(state: &AppState) -> String {
    let link = url::encode(
        state.scenario,
        state.texts.iter().map(|(n, t)| (*n, t.as_str())),
        false,
    );
    crate::web::code_mode::share(&link).unwrap_or(link)
}

#[derive(Properties, PartialEq)]
pub struct PredictProps {
    pub app: AppHandle,
    /// The run's state and id, so the panel follows the run.
    pub run: RunState,
    pub run_id: u64,
    /// The studio's revision (the prediction changed).
    pub revision: u64,
    /// Tells the page that the prediction changed.
    pub changed: Callback<()>,
}

/// The prediction: its lines to order and commit, then how it went.
#[component]
pub fn PredictPanel(props: &PredictProps) -> Html {
    // Hooks first, whether or not the mode is on: Yew needs them called in the same order on
    // every render.
    let prediction = prediction();
    let app = props.app.clone();
    let ours = prediction
        .as_ref()
        .is_some_and(|p| p.committed == Some(props.run_id));
    let over = ours && matches!(props.run, RunState::Finished | RunState::Stopped);
    let miss: Option<Miss> = prediction.as_ref().filter(|_| over).and_then(|p| {
        let session = app.session().borrow();
        session
            .as_ref()
            .and_then(|live| live.view(|trace, _| first_miss(&p.lines, trace)))
    });
    // Once the run is over, the cursor goes to the first line that left the prediction.
    {
        let (app, changed) = (app.clone(), props.changed.clone());
        let at = miss.as_ref().map(|m| m.at);
        use_effect_with((props.run_id, over, at.map(f64::to_bits)), move |_| {
            if let Some(t) = at {
                app.dispatch(Action::Seek(t));
                // The run area draws the cursor from the page's state: it is told to look again.
                changed.emit(());
            }
        });
    }
    let Some(mut p) = prediction else {
        return Html::default();
    };
    // Other values print other lines: an order not yet committed is offered afresh for them
    // (while the fields do not make a program, the last lines stay).
    let state = app.state();
    if p.committed.is_none() && p.made_for != made_for(&state) {
        if let Ok(fresh) = offer(&state) {
            PREDICTION.with(|slot| *slot.borrow_mut() = Some(fresh.clone()));
            p = fresh;
        }
    }
    // A run after the one the prediction was for: the prediction is over.
    let outrun = p.committed.is_some_and(|c| c < props.run_id);
    let elapsed = over.then(|| {
        app.session()
            .borrow()
            .as_ref()
            .map_or(0.0, |live| live.view(|_, now| now))
    });
    let changed = props.changed.clone();
    let moved = move |from: usize, to: usize| {
        let changed = changed.clone();
        Callback::from(move |_: MouseEvent| {
            update(|p| {
                if from < p.lines.len() && to < p.lines.len() {
                    let line = p.lines.remove(from);
                    p.lines.insert(to, line);
                }
            });
            changed.emit(());
        })
    };
    let on_drop = |to: usize| {
        let changed = props.changed.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            e.stop_propagation();
            if let Some(from) = DRAGGED.take() {
                update(|p| {
                    if from < p.lines.len() && to < p.lines.len() {
                        let line = p.lines.remove(from);
                        p.lines.insert(to, line);
                    }
                });
                changed.emit(());
            }
        })
    };
    let on_time = Callback::from(|e: InputEvent| {
        let text = input_value(&e).unwrap_or_default();
        update(|p| p.time = text);
    });
    let commit = {
        let (app, changed) = (app.clone(), props.changed.clone());
        Callback::from(move |_: MouseEvent| {
            let id = app.state().run_id + 1;
            update(|p| p.committed = Some(id));
            hide_the_run(false);
            app.dispatch(Action::Run);
            if app.state().run_id != id {
                // The run did not start (a field is wrong): the prediction waits.
                update(|p| p.committed = None);
                hide_the_run(true);
            }
            changed.emit(());
        })
    };
    let again = {
        let (app, changed) = (app.clone(), props.changed.clone());
        Callback::from(move |_: MouseEvent| {
            update(|p| p.committed = None);
            hide_the_run(true);
            app.dispatch(Action::Reset);
            changed.emit(());
        })
    };
    let n = p.lines.len();
    let locked = p.committed.is_some();
    html! {
        <section class="predict" data-testid="prediction" aria-labelledby="predict-title">
            <h3 id="predict-title">{ "Predict, then run" }</h3>
            if !locked {
                <p class="predict-help">{ "Put the lines in the order you expect the program to print them: drag them, or move them with their arrows. The timeline and the console stay hidden until you commit; committing runs the program." }</p>
            }
            <ol class="predict-lines">
                { for p.lines.iter().enumerate().map(|(i, line)| {
                    let wrong = miss.as_ref().is_some_and(|m| i >= m.index);
                    let first_wrong = miss.as_ref().is_some_and(|m| i == m.index);
                    html! {
                        <li class={classes!("predict-line", over.then_some(if wrong { "wrong" } else { "right" }), first_wrong.then_some("first-wrong"))}
                            data-testid="prediction-line" draggable={(!locked).to_string()}
                            ondragstart={Callback::from(move |_: DragEvent| DRAGGED.set(Some(i)))}
                            ondragover={Callback::from(|e: DragEvent| e.prevent_default())}
                            ondrop={on_drop(i)}>
                            <code class="predict-text">{ line.to_string() }</code>
                            if !locked {
                                <button type="button" class="ghost icon" disabled={i == 0} onclick={moved(i, i.saturating_sub(1))}
                                    aria-label={format!("Move \u{201c}{line}\u{201d} up")}>{ "↑" }</button>
                                <button type="button" class="ghost icon" disabled={i + 1 == n} onclick={moved(i, i + 1)}
                                    aria-label={format!("Move \u{201c}{line}\u{201d} down")}>{ "↓" }</button>
                            }
                        </li>
                    }
                }) }
            </ol>
            if !locked {
                <div class="predict-commit">
                    <label for="prediction-time">{ "Total time (optional), s" }</label>
                    <input id="prediction-time" type="text" inputmode="decimal" data-testid="prediction-time"
                        value={p.time.clone()} oninput={on_time} />
                    <button type="button" class="primary" data-testid="commit-prediction" onclick={commit}>{ "Commit and run" }</button>
                </div>
            } else if outrun {
                <p class="predict-help">{ "This prediction was for an earlier run." }</p>
                <button type="button" class="ghost" data-testid="predict-again" onclick={again.clone()}>{ "Predict again" }</button>
            } else if !over {
                <p class="predict-help">{ "Committed: the run is going." }</p>
            } else {
                if let Some(m) = &miss {
                    <p class="predict-verdict miss" data-testid="prediction-diverges" data-index={(m.index + 1).to_string()} role="status">
                        { m.why.clone() }{ " The cursor stands on it." }
                    </p>
                } else {
                    <p class="predict-verdict" data-testid="prediction-right" role="status">{ "Every line came where you put it." }</p>
                }
                if let (Some(e), Ok(guess)) = (elapsed, p.time.trim().parse::<f64>()) {
                    <p class="predict-help">{ format!("You expected {} s; it took {} s (the ideal schedule {} s).", seconds_ms(guess), seconds_ms(e), seconds_ms(p.ideal)) }</p>
                }
                <button type="button" class="ghost" data-testid="predict-again" onclick={again}>{ "Predict again" }</button>
            }
        </section>
    }
}
