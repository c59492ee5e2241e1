//! The time cursor's bar: step buttons, a slider and a typed time, "event k of n" and the
//! current event in a sentence.

use yew::prelude::*;

use crate::engine::lang::value::{fixed, seconds_ms};
use crate::engine::record::trace::round_us;
use crate::engine::view::moment::Step;
use crate::web::events::input_value;

/// What the cursor's bar shows and whom it tells.
pub struct CursorProps {
    /// The cursor's time, in scenario seconds.
    pub at: f64,
    /// The end of the axis.
    pub span: f64,
    /// Events happened by the cursor.
    pub index: usize,
    /// Events in all, so far.
    pub count: usize,
    /// The current event, in a sentence.
    pub text: String,
    /// Whether the cursor follows the run as it goes (no moment is being studied).
    pub following: bool,
    /// Whether the run goes on.
    pub running: bool,
    /// Whether the ideal schedule is studied rather than the real run.
    pub ideal: bool,
    /// Whether the cursor steps along the event loop's lane (then `index` and `count` are its
    /// stretches, and `text` the current one).
    pub lane: bool,
    /// Where the bar's moves go.
    pub on_cursor: Callback<CursorMsg>,
}

/// A move of the cursor the bar asks for.
pub enum CursorMsg {
    /// To a time, in scenario seconds.
    Seek(f64),
    /// By a step.
    Step(Step),
    /// Back to the run as it goes.
    Follow,
    /// To the same time on the run, the ideal schedule or the event loop's lane.
    Study(Studied),
}

/// What the cursor steps through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Studied {
    /// The real run, event by event.
    Run,
    /// The ideal schedule, event by event.
    Ideal,
    /// The real run's event-loop lane, stretch by stretch.
    Lane,
}

/// The bar under the timeline that moves the time cursor. A plain function: it is drawn again
/// with the view around it.
pub fn cursor_bar(props: CursorProps) -> Html {
    let step = |how: Step| {
        props
            .on_cursor
            .reform(move |_: MouseEvent| CursorMsg::Step(how))
    };
    fn seek(e: &Event, cb: &Callback<CursorMsg>) {
        let time = input_value(e).and_then(|v| v.trim().parse::<f64>().ok());
        if let Some(t) = time.filter(|t| t.is_finite()) {
            cb.emit(CursorMsg::Seek(t));
        }
    }
    let on_slide = {
        let cb = props.on_cursor.clone();
        Callback::from(move |e: InputEvent| seek(&e, &cb))
    };
    let on_typed = {
        let cb = props.on_cursor.clone();
        Callback::from(move |e: Event| seek(&e, &cb))
    };
    let on_which = props.on_cursor.reform(|e: Event| {
        CursorMsg::Study(match input_value(&e).as_deref() {
            Some("ideal") => Studied::Ideal,
            Some("lane") => Studied::Lane,
            _ => Studied::Run,
        })
    });
    let at = fixed(props.at, 3);
    let span = fixed(props.span.max(props.at), 3);
    let (start, end) = (props.index == 0, props.index >= props.count);
    // Each button: its move, test hook, tooltip, name, glyph, and whether it is disabled.
    let buttons = [
        (
            Step::Start,
            "step-start",
            "Start (Home)",
            "start",
            "⇤",
            start,
        ),
        (
            Step::PreviousPrint,
            "step-print-back",
            "Previous print (Shift+←)",
            "previous print",
            "«",
            start,
        ),
        (
            Step::Back,
            "step-back",
            "Previous event (←)",
            "previous event",
            "◀",
            start,
        ),
        (
            Step::Forward,
            "step-forward",
            "Next event (→)",
            "next event",
            "▶",
            end,
        ),
        (
            Step::NextPrint,
            "step-print-forward",
            "Next print (Shift+→)",
            "next print",
            "»",
            end,
        ),
        (
            Step::End,
            "step-end",
            "End (End)",
            "end",
            "⇥",
            end && !props.running,
        ),
    ];
    html! {
        <div class="cursor-bar" data-testid="cursor-bar">
            <div class="step-buttons" role="group" aria-label="step through the run">
                { for buttons.into_iter().map(|(how, testid, title, label, glyph, disabled)| html! {
                    <button type="button" class="ghost" data-testid={testid} {disabled} onclick={step(how)}
                        {title} aria-label={label}>{ glyph }</button>
                }) }
            </div>
            <input type="range" class="cursor-slider" data-testid="cursor" min="0" max={span.clone()} step="0.001"
                value={at.clone()} data-seconds={round_us(props.at).to_string()}
                aria-label="time cursor, in scenario seconds" aria-valuetext={format!("{} s", seconds_ms(props.at))}
                oninput={on_slide} />
            <label class="cursor-time">
                <span>{ "t =" }</span>
                <input type="number" data-testid="cursor-time" min="0" max={span} step="0.001" value={at}
                    aria-label="cursor time, in scenario seconds" onchange={on_typed} />
                <span>{ "s" }</span>
            </label>
            <span class="event-index" data-testid="event-index" data-index={props.index.to_string()} data-count={props.count.to_string()}>
                { format!("{} {} of {}", if props.lane { "stretch" } else { "event" }, props.index, props.count) }
            </span>
            <select class="study-which" data-testid="study-which" aria-label="what to step through" onchange={on_which}>
                <option value="real" selected={!props.ideal && !props.lane}>{ "real run" }</option>
                <option value="ideal" selected={props.ideal}>{ "ideal schedule" }</option>
                <option value="lane" selected={props.lane}>{ "event loop's lane" }</option>
            </select>
            if props.running && !props.following {
                <button type="button" class="ghost" data-testid="follow-now"
                    onclick={props.on_cursor.reform(|_: MouseEvent| CursorMsg::Follow)}>{ "Follow now" }</button>
            }
            <p class="event-text" data-testid="event-text" aria-live="polite">{ props.text }</p>
        </div>
    }
}
