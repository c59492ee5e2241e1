use std::rc::Rc;

use yew::prelude::*;

use crate::engine::timeline::{End, Lane, Timeline};
use crate::engine::trace::{round_us, Segment};
use crate::engine::value::seconds_ms;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub timeline: Rc<Timeline>,
    /// Whether an ideal schedule is drawn under each lane.
    pub show_ideal: bool,
}

fn pct(t: f64, span: f64) -> String {
    format!("{:.4}%", (t / span * 100.0).clamp(0.0, 100.0))
}

fn segment(s: &Segment, label: &str, lane: &str, span: f64) -> Html {
    // Polls take microseconds: keep a running stretch visible as a thin mark.
    let min = if s.kind.name() == "running" {
        0.25
    } else {
        0.0
    };
    let width = ((s.to - s.from) / span * 100.0).max(min);
    let text = format!(
        "{lane}: {label}, {}–{} s ({} s)",
        seconds_ms(s.from),
        seconds_ms(s.to),
        seconds_ms(s.to - s.from)
    );
    html! {
        <rect
            class={classes!("seg", s.kind.name())}
            data-testid="segment"
            data-kind={s.kind.name()}
            data-from={round_us(s.from).to_string()}
            data-to={round_us(s.to).to_string()}
            x={pct(s.from, span)}
            width={format!("{width:.4}%")}
            y="3" height="14" rx="2"
            tabindex="0"
            aria-label={text.clone()}
        >
            <title>{ text }</title>
        </rect>
    }
}

fn lane_row(lane: &Lane, span: f64, show_ideal: bool) -> Html {
    let name = &*lane.name;
    let status = match &lane.end {
        None => html! { <span class="lane-status live" title="running">{ "●" }</span> },
        Some((at, End::Finished(v))) => html! {
            <span class="lane-status done" title={format!("returned {v} at {} s", seconds_ms(*at))}>{ "✓" }</span>
        },
        Some((at, End::Cancelled)) => html! {
            <span class="lane-status cancelled" title={format!("cancelled at {} s", seconds_ms(*at))}>{ "✕" }</span>
        },
        Some((_, End::Failed(m))) => html! {
            <span class="lane-status failed" title={m.to_string()}>{ "!" }</span>
        },
    };
    html! {
        <div class="tl-row" data-testid="lane" data-task={lane.task.0.to_string()} role="listitem">
            <div class={classes!("tl-label", format!("depth-{}", lane.depth.min(6)))} title={name.to_string()}>
                { status }<span class="lane-name">{ name }</span>
            </div>
            <svg class="tl-track" width="100%" height="24" aria-label={format!("lane of {name}")}>
                if show_ideal {
                    { for lane.ideal.iter().map(|s| html! {
                        <rect class={classes!("ideal", s.kind.name())} x={pct(s.from, span)}
                            width={pct(s.to - s.from, span)} y="19" height="3" />
                    }) }
                }
                { for lane.segments.iter().zip(&lane.labels).map(|(s, l)| segment(s, l, name, span)) }
                { for lane.segments.iter().zip(&lane.shorts).filter(|(s, short)| fits(s.to - s.from, span, short)).map(|(s, short)| html! {
                    <text class={classes!("seg-label", s.kind.name())} x={pct(s.from, span)} dx="4" y="14" aria-hidden="true">{ short.clone() }</text>
                }) }
                { for lane.prints.iter().map(|(at, text)| html! {
                    <rect class="mark print" x={pct(*at, span)} y="0" width="2" height="20">
                        <title>{ format!("{name} printed at {} s: {text}", seconds_ms(*at)) }</title>
                    </rect>
                }) }
                if let Some((at, how)) = &lane.end {
                    <rect class={classes!("mark", if matches!(how, End::Cancelled) { "cancel" } else { "end" })}
                        x={pct(*at, span)} y="1" width="4" height="18" />
                }
            </svg>
        </div>
    }
}

/// The animated timeline: the event loop on top, one lane per task under it, the ideal schedule
/// faint under each lane, a time axis and a moving "now" line.
#[component]
pub fn TimelineView(props: &TimelineProps) -> Html {
    let tl = &props.timeline;
    let span = tl.span;
    let focused = use_state(|| None::<String>);
    let onfocusin = {
        let focused = focused.clone();
        Callback::from(move |e: FocusEvent| {
            let label = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .and_then(|el| el.get_attribute("aria-label"));
            focused.set(label);
        })
    };
    let busy_total: f64 = tl.busy.iter().map(|(a, b)| b - a).sum();
    html! {
        <figure class="timeline" data-testid="timeline" {onfocusin}>
            <svg class="defs" width="0" height="0" aria-hidden="true">
                <defs>
                    <pattern id="p-blocking" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect class="pat-bg blocking" width="6" height="6" /><rect class="pat-fg blocking" width="3" height="6" />
                    </pattern>
                    <pattern id="p-ready" width="5" height="5" patternUnits="userSpaceOnUse">
                        <rect class="pat-bg ready" width="5" height="5" /><circle class="pat-fg ready" cx="2.5" cy="2.5" r="1.1" />
                    </pattern>
                    <pattern id="p-blocked" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
                        <rect class="pat-bg blocked" width="6" height="6" /><rect class="pat-fg blocked" width="2" height="6" />
                    </pattern>
                    <pattern id="p-delayed" width="4" height="4" patternUnits="userSpaceOnUse">
                        <rect class="pat-bg delayed" width="4" height="4" /><rect class="pat-fg delayed" width="2" height="2" />
                    </pattern>
                </defs>
            </svg>
            <div class="tl-row tl-axis" aria-hidden="true">
                <div class="tl-label">{ "scenario time" }</div>
                <svg class="tl-track" width="100%" height="18">
                    { for tl.ticks.iter().map(|t| html! {
                        <>
                            <rect class="tick" x={pct(*t, span)} y="12" width="1" height="6" />
                            <text x={pct(*t, span)} y="10" class="tick-label">{ format!("{} s", seconds_ms(*t)) }</text>
                        </>
                    }) }
                </svg>
            </div>
            <div class="tl-row tl-loop" data-testid="loop-lane">
                <div class="tl-label" title="when the main thread was busy">{ "event loop" }</div>
                <svg class="tl-track" width="100%" height="24" aria-label={format!("the main thread was busy {} s in all", seconds_ms(busy_total))}>
                    { for tl.throttled.iter().map(|(a, b)| html! {
                        <rect class="throttled" data-testid="throttled" data-from={round_us(*a).to_string()} data-to={round_us(*b).to_string()}
                            x={pct(*a, span)} width={pct(b - a, span)} y="0" height="24" tabindex="0"
                            aria-label={throttled_text(*a, *b)}>
                            <title>{ throttled_text(*a, *b) }</title>
                        </rect>
                    }) }
                    { for tl.busy.iter().map(|(a, b)| html! {
                        <rect class="busy" x={pct(*a, span)} width={format!("{:.4}%", ((b - a) / span * 100.0).max(0.25))} y="5" height="10">
                            <title>{ format!("busy {}–{} s", seconds_ms(*a), seconds_ms(*b)) }</title>
                        </rect>
                    }) }
                    { for tl.holds.iter().map(|h| html! {
                        <rect class="hold" x={pct(h.from, span)} width={pct(h.to - h.from, span)} y="2" height="16" tabindex="0"
                            aria-label={hold_text(h.from, h.to, h.caused_lateness)}>
                            <title>{ hold_text(h.from, h.to, h.caused_lateness) }</title>
                        </rect>
                    }) }
                    { for tl.holds.iter().filter(|h| h.caused_lateness > 0.0).map(|h| {
                        let short = format!("held {} s · a timer {} s late", seconds_ms(h.to - h.from), seconds_ms(h.caused_lateness));
                        html! {
                            if fits(h.to - h.from, span, &short) {
                                <text class="seg-label hold-label" x={pct(h.from, span)} dx="4" y="14" aria-hidden="true">{ short }</text>
                            }
                        }
                    }) }
                    <rect class="now" x={pct(tl.now, span)} y="0" width="1.5" height="24" />
                </svg>
            </div>
            <div class="tl-lanes" role="list">
                { for tl.lanes.iter().map(|l| lane_row(l, span, props.show_ideal)) }
                // One "now" line over every lane, instead of one per lane.
                <svg class="tl-now" aria-hidden="true">
                    <rect class="now" x={pct(tl.now, span)} y="0" width="1.5" height="100%" />
                </svg>
            </div>
            if tl.hidden > 0 {
                <div class="tl-row tl-density">
                    <div class="tl-label">{ format!("+ {} more tasks", tl.hidden) }</div>
                    <svg class="tl-track" width="100%" height="24" aria-label={format!("{} more tasks, drawn as how many were alive over time", tl.hidden)}>
                        { density(&tl.density, tl.hidden, span) }
                        <rect class="now" x={pct(tl.now, span)} y="0" width="1.5" height="24" />
                    </svg>
                </div>
            }
            <figcaption class="tl-focus" aria-live="polite">
                { focused.as_ref().cloned().unwrap_or_else(|| "Hover or focus (Tab) a segment to read it.".to_string()) }
            </figcaption>
        </figure>
    }
}

/// Whether `text` fits on a bar `len` long: a generous 7 px a character on a track of about
/// 700 px, narrower on a phone, where labels simply show less often.
fn fits(len: f64, span: f64, text: &str) -> bool {
    len / span * 700.0 >= text.chars().count() as f64 * 7.0 + 8.0
}

fn throttled_text(from: f64, to: f64) -> String {
    format!(
        "the tab was hidden {}–{} s: browsers throttle hidden tabs' timers (to about one wake a second, one a minute after five minutes), so timers fell late",
        seconds_ms(from),
        seconds_ms(to)
    )
}

fn hold_text(from: f64, to: f64, late: f64) -> String {
    let mut s = format!(
        "blocking work held the thread {}–{} s",
        seconds_ms(from),
        seconds_ms(to)
    );
    if late > 0.0 {
        s.push_str(&format!("; a timer fired {} s late", seconds_ms(late)));
    }
    s
}

fn density(buckets: &[u32], total: usize, span: f64) -> Html {
    let n = buckets.len().max(1) as f64;
    let w = span / n;
    html! {
        { for buckets.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, c)| {
            let h = (*c as f64 / total.max(1) as f64 * 20.0).max(1.0);
            html! {
                <rect class="density" x={pct(i as f64 * w, span)} width={pct(w, span)} y={format!("{:.1}", 22.0 - h)} height={format!("{h:.1}")} />
            }
        }) }
    }
}
