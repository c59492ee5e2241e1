use std::cell::RefCell;
use std::rc::Rc;

use gloo_render::{request_animation_frame, AnimationFrame};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::lang::value::{fixed, seconds_ms};
use crate::engine::record::trace::Outcome;
use crate::engine::record::trace::{round_us, Segment, SegmentKind};
use crate::engine::view::divergence::Divergence;
use crate::engine::view::lateness::{Lateness, Work, WorkKind};
use crate::engine::view::timeline::{Hold, Lane, Open, Timeline};

/// Height of a lane's row, in pixels (the stylesheet fixes it): the overlay of stretches in
/// progress places each lane's by it.
const ROW: usize = 24;
/// While a run goes on, a lane on screen (or near it) redraws as soon as it or the axis changes;
/// one further off redraws every this many frames, a few lanes each frame; so a frame redraws
/// about as many lanes as a screen shows, however many there are. The words of a lane's
/// stretch in progress (its label for assistive technology) are refreshed at that pace too, and
/// every frame, with its tooltip, while the pointer or the focus is on the lane; the stretch
/// itself is drawn by the overlay, whose window follows the time.
const REFRESH_FRAMES: u64 = 20;
/// Print marks this close before a stretch in progress (a share of the axis) may overlap it:
/// the overlay draws them over it, as a lane draws marks over its bars.
const MARK_REACH: f64 = 0.01;

#[derive(Properties)]
pub struct TimelineProps {
    pub timeline: Rc<Timeline>,
    /// Whether an ideal schedule is drawn under each lane.
    pub show_ideal: bool,
    /// Whether the run goes on (lanes off screen may then lag a few frames behind).
    pub live: bool,
    /// Which run it is (what was drawn of another run is forgotten).
    pub run: u64,
    /// Reads the run's time now, while it goes on: the "now" lines and the window over the
    /// stretches in progress follow it every animation frame, between redraws of the rest.
    pub clock: Option<Clock>,
    /// Where the time cursor stands, in scenario seconds (a line across every lane).
    #[prop_or_default]
    pub cursor: Option<f64>,
    /// Called with a time when the user presses or drags on the time axis.
    #[prop_or_default]
    pub on_seek: Option<Callback<f64>>,
    /// The lessons of a program of code mode, where they fall in the run.
    #[cfg(feature = "studio")]
    #[prop_or_default]
    pub lessons: Rc<Vec<crate::engine::exec::python::lessons::LessonMark>>,
}

/// A reading of a live run's scenario time, and how long (real ms) its loop has nothing to do.
#[derive(Clone)]
pub struct Clock(pub Rc<dyn Fn() -> Option<(f64, f64)>>);

/// The "now" lines move only in frames where the loop has at least this long (ms) before its
/// next deadline: a frame that moves them costs the thread a little, and a timer due meanwhile
/// would pay for it.
const FOLLOW_MIN_IDLE_MS: f64 = 6.0;

impl PartialEq for Clock {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl PartialEq for TimelineProps {
    fn eq(&self, other: &Self) -> bool {
        // A timeline is laid out afresh each frame: comparing it would walk every lane.
        Rc::ptr_eq(&self.timeline, &other.timeline)
            && self.show_ideal == other.show_ideal
            && self.live == other.live
            && self.run == other.run
            && self.clock == other.clock
            && self.cursor == other.cursor
    }
}

/// What a lane was last drawn with.
struct Shown {
    lane: Rc<Lane>,
    span: f64,
    now: f64,
}

/// The rows of the lanes' list that are on screen, give or take a screen, if the page can say.
fn rows_on_screen(lanes: &NodeRef) -> Option<(f64, f64)> {
    let el = lanes.get()?;
    let rect = js_sys::Reflect::get(&el, &"getBoundingClientRect".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?
        .call0(&el)
        .ok()?;
    let top = js_sys::Reflect::get(&rect, &"top".into()).ok()?.as_f64()?;
    let height = web_sys::window()?.inner_height().ok()?.as_f64()?;
    let row = ROW as f64;
    Some(((-top - height) / row, (2.0 * height - top) / row))
}

fn pct(t: f64, span: f64) -> String {
    format!("{}%", fixed((t / span * 100.0).clamp(0.0, 100.0), 4))
}

/// What hovering or focusing a stretch reads.
fn segment_text(lane: &str, label: &str, from: f64, to: f64) -> String {
    format!(
        "{lane}: {label} from {} to {} s ({} s)",
        seconds_ms(from),
        seconds_ms(to),
        seconds_ms(to - from)
    )
}

/// What a lane's list is called for a screen reader: the task, how it ended and when the ideal
/// schedule had it end.
fn lane_words(lane: &Lane) -> String {
    let name = &*lane.name;
    let mut words = match &lane.end {
        None | Some((_, Outcome::Live)) => format!("{name}, still running"),
        Some((at, Outcome::Finished(v))) => {
            format!("{name}, returned {v} at {} s", seconds_ms(*at))
        }
        Some((at, Outcome::Cancelled)) => format!("{name}, cancelled at {} s", seconds_ms(*at)),
        Some((at, Outcome::Failed(m))) => format!("{name}, failed at {} s: {m}", seconds_ms(*at)),
    };
    if let Some(last) = lane.ideal.last() {
        words.push_str(&format!(
            "; on the ideal schedule it ends at {} s",
            seconds_ms(last.to)
        ));
    }
    words
}

/// Closed stretches and print marks are drawn in chunks of this many, each a component that
/// redraws only when its own stretches change: a lane that grows redraws its last chunk.
const CHUNK: usize = 64;

/// Which of a lane's parts a chunk draws.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    /// The ideal schedule, faintly under the lane.
    Ideal,
    /// The closed stretches.
    Stretches,
    /// The words on the closed stretches, where they fit.
    Labels,
    /// The print marks.
    Prints,
}

#[derive(Properties)]
struct ChunkProps {
    part: Part,
    lane: Rc<Lane>,
    from: usize,
    span: f64,
    /// Print marks from here on lie under the stretch in progress (see [`near_open`]).
    #[prop_or_default]
    under_from: Option<f64>,
}

impl PartialEq for ChunkProps {
    fn eq(&self, other: &Self) -> bool {
        let range = |len: usize| self.from.min(len)..(self.from + CHUNK).min(len);
        let (a, b) = (&self.lane, &other.lane);
        self.part == other.part
            && self.from == other.from
            && self.span == other.span
            && self.under_from == other.under_from
            && (Rc::ptr_eq(a, b)
                || (a.name == b.name
                    && a.segments.get(range(a.segments.len()))
                        == b.segments.get(range(b.segments.len()))
                    && a.labels.get(range(a.labels.len())) == b.labels.get(range(b.labels.len()))
                    && a.shorts.get(range(a.shorts.len())) == b.shorts.get(range(b.shorts.len()))
                    && a.ideal.get(range(a.ideal.len())) == b.ideal.get(range(b.ideal.len()))
                    && a.prints.get(range(a.prints.len())) == b.prints.get(range(b.prints.len()))))
    }
}

/// A chunk of one of a lane's parts: one component for all parts, as each costs the page the
/// code of a component of its own.
#[component]
fn Chunk(props: &ChunkProps) -> Html {
    match props.part {
        Part::Ideal => ideal_chunk(props),
        Part::Stretches => stretch_chunk(props),
        Part::Labels => label_chunk(props),
        Part::Prints => print_chunk(props),
    }
}

/// A chunk of a lane's ideal schedule, drawn faintly under it.
fn ideal_chunk(props: &ChunkProps) -> Html {
    let span = props.span;
    let to = (props.from + CHUNK).min(props.lane.ideal.len());
    html! {
        { for props.lane.ideal[props.from..to].iter().map(|s| html! {
            <rect class={classes!("ideal", s.kind.name())} x={pct(s.from, span)}
                width={pct(s.to - s.from, span)} y="19" height="3" aria-hidden="true" />
        }) }
    }
}

/// A chunk of the words written on a lane's closed stretches, where they fit.
fn label_chunk(props: &ChunkProps) -> Html {
    let span = props.span;
    let lane = &props.lane;
    let to = (props.from + CHUNK)
        .min(lane.segments.len())
        .min(lane.shorts.len());
    html! {
        { for lane.segments[props.from..to].iter().zip(&lane.shorts[props.from..to]).filter(|(s, short)| fits(s.to - s.from, span, short)).map(|(s, short)| html! {
            <text class={classes!("seg-label", s.kind.name())} x={pct(s.from, span)} dx="4" y="14" aria-hidden="true">{ short.clone() }</text>
        }) }
    }
}

/// A chunk of a lane's closed stretches.
fn stretch_chunk(props: &ChunkProps) -> Html {
    let lane = &props.lane;
    let to = (props.from + CHUNK).min(lane.segments.len());
    html! {
        { for lane.segments[props.from..to].iter().zip(&lane.labels[props.from..to]).enumerate().map(|(i, (s, l))| {
            segment(s, l, &lane.name, props.span, props.from + i == 0)
        }) }
    }
}

/// A chunk of a lane's print marks.
fn print_chunk(props: &ChunkProps) -> Html {
    let lane = &props.lane;
    let span = props.span;
    let to = (props.from + CHUNK).min(lane.prints.len());
    html! {
        { for lane.prints[props.from..to].iter().map(|(at, text)| {
            let under = props.under_from.is_some_and(|from| near(*at, from, span));
            html! {
                <rect class={classes!("mark", "print", under.then_some("under-open"))} x={pct(*at, span)} y="0" width="2" height="20"
                    role="listitem" aria-label={format!("{} printed at {} s: {text}", lane.name, seconds_ms(*at))}>
                    <title>{ format!("{} printed at {} s: {text}", lane.name, seconds_ms(*at)) }</title>
                </rect>
            }
        }) }
    }
}

/// A closed stretch. Only a lane's first stretch is in the Tab order (`first`); the arrow keys
/// move along the lane and between lanes (see [`on_lane_key`]).
fn segment(s: &Segment, label: &str, lane: &str, span: f64, first: bool) -> Html {
    // Polls take microseconds: keep a running stretch visible as a thin mark.
    let min = if s.kind.name() == "running" {
        0.25
    } else {
        0.0
    };
    let width = ((s.to - s.from) / span * 100.0).max(min);
    let text = segment_text(lane, label, s.from, s.to);
    html! {
        <rect
            class={classes!("seg", s.kind.name())}
            data-testid="segment"
            data-kind={s.kind.name()}
            data-from={round_us(s.from).to_string()}
            data-to={round_us(s.to).to_string()}
            x={pct(s.from, span)}
            width={format!("{}%", fixed(width, 4))}
            y="3" height="14" rx="2"
            tabindex={if first { "0" } else { "-1" }}
            role="listitem" aria-label={text.clone()}
        >
            <title>{ text }</title>
        </rect>
    }
}

/// A lane's stretch in progress, `from` its start to `to`. While the pointer or the focus is on
/// the lane (`engaged`) it is drawn as any stretch; otherwise the overlay draws it, so here it
/// is only what Tab and the pointer reach: invisible, and reaching to the end of the axis (the
/// overlay's clip shows where it ends). One element either way, so the focus stays on it.
fn open_rect(o: &Open, to: f64, lane: &str, span: f64, engaged: bool, first: bool) -> Html {
    let min = if o.kind.name() == "running" {
        0.25
    } else {
        0.0
    };
    let width = if engaged {
        ((to - o.from) / span * 100.0).max(min)
    } else {
        ((span - o.from) / span * 100.0).clamp(0.0, 100.0)
    };
    let text = segment_text(lane, &o.label, o.from, to);
    // The tooltip is only needed under the pointer, which engages the lane.
    let title = engaged.then(|| html! { <title>{ text.clone() }</title> });
    html! {
        <rect
            class={classes!("seg", o.kind.name(), (!engaged).then_some("idle"))}
            data-testid="segment"
            data-kind={o.kind.name()}
            data-open="true"
            data-from={round_us(o.from).to_string()}
            data-to={round_us(to).to_string()}
            x={pct(o.from, span)}
            width={format!("{}%", fixed(width, 4))}
            y="3" height="14" rx="2"
            tabindex={if first { "0" } else { "-1" }}
            role="listitem" aria-label={text}
        >
            { title.unwrap_or_default() }
        </rect>
    }
}

/// Whether a print mark at `at` may overlap the stretch in progress `o`.
fn near_open(at: f64, o: Option<&Open>, span: f64) -> bool {
    o.is_some_and(|o| near(at, o.from, span))
}

/// Whether a mark at `at` lies under a stretch in progress from `from`.
fn near(at: f64, from: f64, span: f64) -> bool {
    at >= from - MARK_REACH * span
}

#[derive(Properties)]
struct LaneProps {
    lane: Rc<Lane>,
    span: f64,
    show_ideal: bool,
    /// The pointer or the focus is on this lane: it draws its stretch in progress itself, to
    /// `now`, every frame.
    engaged: bool,
    /// The time its stretch in progress runs to (every frame when engaged; otherwise when its
    /// words were last refreshed).
    now: f64,
}

impl PartialEq for LaneProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.lane, &other.lane)
            && self.span == other.span
            && self.show_ideal == other.show_ideal
            && self.engaged == other.engaged
            && self.now == other.now
    }
}

/// One task's lane. It redraws only when its lane, the axis, or (while it has a stretch in
/// progress) its time changes.
#[component]
fn LaneRow(props: &LaneProps) -> Html {
    let lane = &props.lane;
    let span = props.span;
    let name = &*lane.name;
    let open = lane.open.as_ref();
    let (class, title, glyph) = match &lane.end {
        None | Some((_, Outcome::Live)) => ("live", "running".to_string(), "●"),
        Some((at, Outcome::Finished(v))) => (
            "done",
            format!("returned {v} at {} s", seconds_ms(*at)),
            "✓",
        ),
        Some((at, Outcome::Cancelled)) => (
            "cancelled",
            format!("cancelled at {} s", seconds_ms(*at)),
            "✕",
        ),
        Some((_, Outcome::Failed(m))) => ("failed", m.to_string(), "!"),
    };
    let status = html! { <span class={classes!("lane-status", class)} {title}>{ glyph }</span> };
    let open_seg = open.map(|o| Segment {
        from: o.from,
        to: props.now.max(o.from),
        kind: o.kind.clone(),
    });
    html! {
        <div class="tl-row" data-testid="lane" data-task={lane.task.0.to_string()} role="listitem">
            <div class={classes!("tl-label", format!("depth-{}", lane.depth.min(6)))} title={name.to_string()} aria-hidden="true">
                { status }<span class="lane-name">{ name }</span>
            </div>
            <svg class="tl-track" width="100%" height="24" role="list" aria-label={lane_words(lane)}>
                if props.show_ideal {
                    { for (0..lane.ideal.len()).step_by(CHUNK).map(|from| html! {
                        <Chunk part={Part::Ideal} key={from} lane={lane.clone()} {from} {span} />
                    }) }
                }
                { for (0..lane.segments.len()).step_by(CHUNK).map(|from| html! {
                    <Chunk part={Part::Stretches} key={from} lane={lane.clone()} {from} {span} />
                }) }
                if let (Some(o), Some(s)) = (open, &open_seg) {
                    { open_rect(o, s.to, name, span, props.engaged, lane.segments.is_empty()) }
                }
                { for (0..lane.segments.len()).step_by(CHUNK).map(|from| html! {
                    <Chunk part={Part::Labels} key={from} lane={lane.clone()} {from} {span} />
                }) }
                if let (Some(o), Some(s), true) = (open, &open_seg, props.engaged) {
                    if fits(s.to - s.from, span, &o.short) {
                        <text class={classes!("seg-label", s.kind.name())} x={pct(s.from, span)} dx="4" y="14" aria-hidden="true">{ o.short.clone() }</text>
                    }
                }
                { for (0..lane.prints.len()).step_by(CHUNK).map(|from| {
                    // Marks under the stretch in progress are drawn faintly (it shows them).
                    let under_from = open.map(|o| o.from).filter(|_| !props.engaged);
                    html! { <Chunk part={Part::Prints} key={from} lane={lane.clone()} {from} {span} {under_from} /> }
                }) }
                if let Some((at, how)) = &lane.end {
                    <rect class={classes!("mark", if matches!(how, Outcome::Cancelled) { "cancel" } else { "end" })}
                        x={pct(*at, span)} y="1" width="4" height="18" aria-hidden="true" />
                }
            </svg>
        </div>
    }
}

/// A lane's stretch in progress, as the overlay draws it.
#[derive(Clone)]
struct Tail {
    /// The lane's row.
    row: usize,
    from: f64,
    kind: SegmentKind,
    /// Its few words, when they fit on it.
    short: Option<String>,
    /// Print marks that may overlap it.
    prints: Vec<f64>,
}

impl PartialEq for Tail {
    fn eq(&self, other: &Self) -> bool {
        self.row == other.row
            && self.from == other.from
            && self.kind.same(&other.kind)
            && self.short == other.short
            && self.prints == other.prints
    }
}

/// Every stretch in progress, each drawn to the end of the axis: the overlay's window, which
/// follows the time, shows each up to where it has got. So a frame moves one window, not every
/// lane.
fn tails(tails: &[Tail], span: f64) -> Html {
    html! {
        { for tails.iter().map(|t| {
            let y = t.row * ROW;
            html! {
                <>
                    <rect class={classes!("seg", t.kind.name())} x={pct(t.from, span)} width={pct(span - t.from, span)}
                        y={(y + 3).to_string()} height="14" rx="2" />
                    if let Some(short) = &t.short {
                        <text class={classes!("seg-label", t.kind.name())} x={pct(t.from, span)} dx="4" y={(y + 14).to_string()}>{ short.clone() }</text>
                    }
                    { for t.prints.iter().map(|at| html! {
                        <rect class="mark print" x={pct(*at, span)} y={y.to_string()} width="2" height="20" />
                    }) }
                </>
            }
        }) }
    }
}

/// Html drawn from `key`, kept while `key` stays the same: a part that rarely changes is then
/// neither built again nor compared element by element (much as a component of its own, at a
/// fraction of the code).
fn kept<K: PartialEq>(
    cell: &RefCell<Option<(K, Html)>>,
    key: K,
    draw: impl FnOnce(&K) -> Html,
) -> Html {
    let mut cell = cell.borrow_mut();
    match cell.as_ref() {
        Some((k, html)) if *k == key => html.clone(),
        _ => {
            let html = draw(&key);
            *cell = Some((key, html.clone()));
            html
        }
    }
}

/// The time axis.
fn axis(ticks: &[f64], span: f64) -> Html {
    html! {
        <div class="tl-row tl-axis" aria-hidden="true">
            <div class="tl-label">{ "scenario time" }</div>
            <svg class="tl-track" width="100%" height="18">
                { for ticks.iter().map(|t| html! {
                    <>
                        <rect class="tick" x={pct(*t, span)} y="12" width="1" height="6" />
                        <text x={pct(*t, span)} y="10" class="tick-label">{ format!("{} s", seconds_ms(*t)) }</text>
                    </>
                }) }
            </svg>
        </div>
    }
}

/// What the event loop's lane shows, as a key for [`kept`]: hidden-tab stretches, busy spans,
/// holds, where the real order left the ideal, and the axis.
type LoopKey = (
    Vec<(f64, f64)>,
    Vec<(f64, f64)>,
    Vec<Hold>,
    Option<Rc<Divergence>>,
    Vec<Work>,
    Vec<(f64, f64)>,
    f64,
);

/// The event loop's marks: hidden-tab stretches, busy spans, holds, where the real order left
/// the ideal one, and late timers nothing recorded accounts for.
fn loop_marks((throttled, busy, holds, divergence, work, unexplained, span): &LoopKey) -> Html {
    let span = *span;
    let mut words = Vec::new();
    let busy_path = spans_path(
        "busy",
        "the main thread was busy running tasks",
        busy.iter().copied(),
        span,
        5.0,
        10.0,
        &mut words,
    );
    let work_paths: Vec<Html> = WorkKind::ALL
        .into_iter()
        .map(|kind| {
            let of_kind = work
                .iter()
                .filter(|w| w.kind == kind)
                .map(|w| (w.from, w.to));
            let y = if kind == WorkKind::Loop { 17.0 } else { 1.0 };
            let path = spans_path("", kind.describe(), of_kind, span, y, 6.0, &mut words);
            html! {
                <g class={classes!("work", kind.word())} data-kind={kind.word()}>{ path }</g>
            }
        })
        .collect();
    let spans_words = if words.is_empty() {
        "nothing held the thread yet".to_string()
    } else {
        words.join("; ")
    };
    html! {
        <>
            // Busy spans and other work are many small stretches: each kind is one path, in a
            // box of its own scaled to the axis, so a redraw changes one attribute per kind.
            <svg class="tl-spans" viewBox={format!("0 0 {SPAN_UNITS} 24")} preserveAspectRatio="none" width="100%" height="24"
                role="img" aria-label={spans_words}>
                { busy_path }
                { for work_paths }
            </svg>
            if let Some(d) = divergence {
                <g class="divergence-mark" data-testid="divergence-mark" data-at={round_us(d.at).to_string()}
                    tabindex="0" role="img" aria-label={d.why.clone()}>
                    <title>{ d.why.clone() }</title>
                    <rect class="divergence" x={pct(d.at, span)} width="3" y="0" height="24" />
                    <text class="seg-label divergence-label" x={pct(d.at, span)} dx="6" y="15" aria-hidden="true">
                        { "order left the ideal" }
                    </text>
                </g>
            }
            { for throttled.iter().map(|(a, b)| html! {
                <rect class="throttled" data-testid="throttled" data-from={round_us(*a).to_string()} data-to={round_us(*b).to_string()}
                    x={pct(*a, span)} width={pct(b - a, span)} y="0" height="24" tabindex="0"
                    role="img" aria-label={throttled_text(*a, *b)}>
                    <title>{ throttled_text(*a, *b) }</title>
                </rect>
            }) }

            { for holds.iter().map(|h| html! {
                <rect class="hold" x={pct(h.from, span)} width={pct(h.to - h.from, span)} y="2" height="16" tabindex="0"
                    role="img" aria-label={hold_text(h.from, h.to, h.caused_lateness)}>
                    <title>{ hold_text(h.from, h.to, h.caused_lateness) }</title>
                </rect>
            }) }
            { for unexplained.iter().map(|(at, late)| {
                let words = format!(
                    "a timer fired {} s late at {} s, and nothing recorded held the thread then",
                    seconds_ms(*late),
                    seconds_ms(*at)
                );
                html! {
                    <rect class="unexplained" data-testid="unexplained" data-at={round_us(*at).to_string()}
                        x={pct(at - late, span)} width={pct(*late, span)} y="20" height="4" tabindex="0"
                        role="img" aria-label={words.clone()}>
                        <title>{ words }</title>
                    </rect>
                }
            }) }
            { for holds.iter().filter(|h| h.caused_lateness > 0.0).map(|h| {
                let short = format!("held {} s · a timer {} s late", seconds_ms(h.to - h.from), seconds_ms(h.caused_lateness));
                html! {
                    if fits(h.to - h.from, span, &short) {
                        <text class="seg-label hold-label" x={pct(h.from, span)} dx="4" y="14" aria-hidden="true">{ short }</text>
                    }
                }
            }) }
        </>
    }
}

/// How many new lanes a redraw builds at most while a run goes on.
const LANES_PER_REDRAW: usize = 8;

/// The width of the box the event loop's spans are drawn in (it is stretched to the axis).
const SPAN_UNITS: f64 = 1000.0;

/// Stretches `spans` of an axis `span` long as one path of rectangles `height` high at `y`, each
/// at least two thousandths of the axis wide, with words for all of them on hover (and added to
/// `words`).
fn spans_path(
    class: &'static str,
    what: &str,
    spans: impl Iterator<Item = (f64, f64)>,
    span: f64,
    y: f64,
    height: f64,
    words: &mut Vec<String>,
) -> Html {
    let mut d = String::new();
    let (mut count, mut total) = (0usize, 0.0f64);
    for (a, b) in spans {
        let x = (a / span * SPAN_UNITS).clamp(0.0, SPAN_UNITS);
        let w = ((b - a) / span * SPAN_UNITS).max(2.0);
        let w = fixed(w, 2);
        d.push_str(&format!("M{} {y}h{w}v{height}h-{w}z", fixed(x, 2)));
        count += 1;
        total += b - a;
    }
    if count == 0 {
        return Html::default();
    }
    let said = format!(
        "{what}: {count} stretch{}, {} s in all",
        if count == 1 { "" } else { "es" },
        seconds_ms(total)
    );
    words.push(said.clone());
    html! {
        <path class={class} {d}><title>{ said }</title></path>
    }
}

/// A handler that forgets the lane `lane` names (the pointer or the focus left the lanes).
fn forget_lane<E: 'static>(lane: &UseStateHandle<Option<u32>>) -> Callback<E> {
    let lane = lane.clone();
    Callback::from(move |_: E| {
        if lane.is_some() {
            lane.set(None);
        }
    })
}

/// The arrow keys on a lane's stretch: Left and Right move along the lane, Home and End to its
/// first and last stretch, Up and Down to the stretch of the lane above or below at the same
/// time. Each lane keeps one stretch in the Tab order: the one last reached.
fn on_lane_key(e: KeyboardEvent) {
    let Some(at) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .filter(|el| el.get_attribute("data-testid").as_deref() == Some("segment"))
    else {
        return;
    };
    // A lane's stretches are children of its track, in time order.
    let stretches = |row: &web_sys::Element| -> Vec<web_sys::Element> {
        let mut out = Vec::new();
        let track = row.query_selector("svg.tl-track").ok().flatten();
        let mut child = track.and_then(|t| t.first_element_child());
        while let Some(el) = child {
            child = el.next_element_sibling();
            if el.get_attribute("data-testid").as_deref() == Some("segment") {
                out.push(el);
            }
        }
        out
    };
    let Some(row) = at.closest("[data-testid=lane]").ok().flatten() else {
        return;
    };
    let here = stretches(&row);
    let index = here.iter().position(|el| *el == at).unwrap_or(0);
    let from = |el: &web_sys::Element| {
        el.get_attribute("data-from")
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let (row, next) = match e.key().as_str() {
        "ArrowLeft" => (row, index.checked_sub(1)),
        "ArrowRight" => (row, Some(index + 1)),
        "Home" => (row, Some(0)),
        "End" => (row, here.len().checked_sub(1)),
        key @ ("ArrowUp" | "ArrowDown") => {
            let mut other = row.clone();
            // The next row that is a lane (the overlay and the "now" line are not).
            loop {
                let sibling = if key == "ArrowUp" {
                    other.previous_element_sibling()
                } else {
                    other.next_element_sibling()
                };
                match sibling {
                    Some(s) if s.get_attribute("data-testid").as_deref() == Some("lane") => {
                        other = s;
                        break;
                    }
                    Some(s) => other = s,
                    None => return,
                }
            }
            let t = from(&at);
            let there = stretches(&other);
            let pick = there.iter().rposition(|el| from(el) <= t).unwrap_or(0);
            (other, Some(pick))
        }
        _ => return,
    };
    e.prevent_default();
    let items = stretches(&row);
    let Some(target) = next.and_then(|i| items.get(i)) else {
        return;
    };
    for el in items.iter().chain(std::iter::once(&at)) {
        let _ = el.set_attribute("tabindex", "-1");
    }
    let _ = target.set_attribute("tabindex", "0");
    if let Ok(focus) = js_sys::Reflect::get(target, &"focus".into()) {
        if let Ok(focus) = focus.dyn_into::<js_sys::Function>() {
            let _ = focus.call0(target);
        }
    }
}

/// The task of the lane an element is in, if any.
fn lane_of(target: Option<web_sys::EventTarget>) -> Option<u32> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    let row = el.closest("[data-testid=lane]").ok()??;
    row.get_attribute("data-task")?.parse().ok()
}

/// The animated timeline: the event loop on top, one lane per task under it, the ideal schedule
/// faint under each lane, a time axis and a moving "now" line.
///
/// A frame changes little: lanes are components that redraw only when their lane changed, and
/// the stretches in progress, which grow with the time, are drawn by one overlay under a clip
/// that follows it.
#[component]
pub fn TimelineView(props: &TimelineProps) -> Html {
    let tl = &props.timeline;
    let span = tl.span;
    let now = tl.now;
    let focused = use_state(|| None::<String>);
    let hovered = use_state(|| None::<u32>);
    let focus_lane = use_state(|| None::<u32>);
    // What each lane was last drawn with, by row, and a frame count to stagger redraws.
    let shown = use_mut_ref(Vec::<Option<Shown>>::new);
    // Parts that change now and then, kept as drawn until they do.
    let axis_html = use_mut_ref(|| None::<((Vec<f64>, f64), Html)>);
    let loop_html = use_mut_ref(|| None::<(LoopKey, Html)>);
    let tails_html = use_mut_ref(|| None::<((Vec<Tail>, f64), Html)>);
    let density_html = use_mut_ref(|| None::<((Vec<u32>, usize, f64), Html)>);
    let lanes_ref = use_node_ref();
    let frame = use_mut_ref(|| 0u64);
    // The moving parts: the window over the stretches in progress, and the "now" lines.
    let window = use_node_ref();
    let window_inner = use_node_ref();
    let now_lanes = use_node_ref();
    let now_loop = use_node_ref();
    let now_density = use_node_ref();
    {
        let refs = (
            window.clone(),
            window_inner.clone(),
            now_lanes.clone(),
            now_loop.clone(),
            now_density.clone(),
        );
        let at = (now / span).clamp(0.0, 1.0) * 100.0;
        let moving = refs.clone();
        let pace = (*use_memo((), |_| Pace::new())).clone();
        let live = props.live;
        {
            let pace = pace.clone();
            use_effect_with((at.to_bits(), tl.hidden > 0), move |_| {
                if pace.may_move(live) {
                    slide_to(&refs, at);
                }
            });
        }
        // Between redraws, the moving parts follow the run's clock every animation frame.
        let span_now = use_mut_ref(|| span);
        *span_now.borrow_mut() = span;
        let clock = props.clock.clone().filter(|_| props.live);
        use_effect_with((clock.is_some(), props.run), move |_| {
            let pending: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
            if let Some(clock) = clock {
                follow(pending.clone(), clock, span_now, moving, pace);
            }
            move || drop(pending.borrow_mut().take())
        });
    }
    let frame_no = {
        let mut f = frame.borrow_mut();
        *f += 1;
        *f
    };

    let onfocusin = {
        let focused = focused.clone();
        let focus_lane = focus_lane.clone();
        let tl = tl.clone();
        Callback::from(move |e: FocusEvent| {
            let el = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let lane = lane_of(e.target());
            // A stretch in progress reads to the current time, whenever its words were written.
            let open_text = el
                .as_ref()
                .filter(|el| el.has_attribute("data-open"))
                .and_then(|_| {
                    let l = tl.lanes.iter().find(|l| Some(l.task.0) == lane)?;
                    let o = l.open.as_ref()?;
                    Some(segment_text(&l.name, &o.label, o.from, tl.now.max(o.from)))
                });
            let label = open_text.or_else(|| el.and_then(|el| el.get_attribute("aria-label")));
            focused.set(label);
            if *focus_lane != lane {
                focus_lane.set(lane);
            }
        })
    };
    let onfocusout = forget_lane::<FocusEvent>(&focus_lane);
    let onpointerover = {
        let hovered = hovered.clone();
        Callback::from(move |e: PointerEvent| {
            let lane = lane_of(e.target());
            if *hovered != lane {
                hovered.set(lane);
            }
        })
    };
    let onpointerleave = forget_lane::<PointerEvent>(&hovered);

    let engaged = |task: u32| Some(task) == *hovered || Some(task) == *focus_lane;
    // Which rows are on screen. Measuring lays the page out, so it is done where the layout is
    // already up to date: when the page scrolls or resizes (those events come before a frame's
    // changes), and otherwise only now and then, for whatever moved the timeline itself.
    let on_screen_at = use_mut_ref(|| None::<(f64, f64)>);
    {
        let lanes_ref = lanes_ref.clone();
        let on_screen_at = on_screen_at.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let listener = Closure::<dyn FnMut()>::new(move || {
                *on_screen_at.borrow_mut() = rows_on_screen(&lanes_ref);
            });
            if let Some(w) = &window {
                for kind in ["scroll", "resize"] {
                    let _ =
                        w.add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
                }
            }
            move || {
                if let Some(w) = &window {
                    for kind in ["scroll", "resize"] {
                        let _ = w.remove_event_listener_with_callback(
                            kind,
                            listener.as_ref().unchecked_ref(),
                        );
                    }
                }
            }
        });
    }
    {
        let lanes_ref = lanes_ref.clone();
        let on_screen_at = on_screen_at.clone();
        let live = props.live;
        use_effect(move || {
            if live && (on_screen_at.borrow().is_none() || frame_no % (3 * REFRESH_FRAMES) == 0) {
                *on_screen_at.borrow_mut() = rows_on_screen(&lanes_ref);
            }
        });
    }
    let on_screen = if props.live {
        *on_screen_at.borrow()
    } else {
        None
    };
    let mut tails = Vec::new();
    let shown_run = use_mut_ref(|| props.run);
    // While a run goes on, lanes are built a few per redraw, so that a redraw never holds the
    // thread for long when many tasks start at once; once it is over, all are drawn.
    let built = use_mut_ref(|| 0usize);
    let lanes: Html = {
        let mut shown = shown.borrow_mut();
        if *shown_run.borrow() != props.run {
            shown.clear();
            *shown_run.borrow_mut() = props.run;
            *built.borrow_mut() = 0;
        }
        let mut built = built.borrow_mut();
        *built = if props.live {
            tl.lanes.len().min(*built + LANES_PER_REDRAW)
        } else {
            tl.lanes.len()
        };
        shown.resize_with(tl.lanes.len(), || None);
        tl.lanes
            .iter()
            .take(*built)
            .enumerate()
            .map(|(row, lane)| {
                let task = lane.task.0;
                let on = engaged(task);
                let slot = (frame_no + row as u64) % REFRESH_FRAMES == 0;
                let near = on_screen.is_none_or(|(a, b)| (row as f64) >= a && (row as f64) <= b);
                let fresh = !props.live || on || slot;
                let slot = &mut shown[row];
                if slot.as_ref().is_none_or(|s| s.lane.task != lane.task) {
                    *slot = None;
                }
                let entry = slot.get_or_insert_with(|| Shown {
                    lane: lane.clone(),
                    span,
                    now,
                });
                if fresh || near {
                    entry.lane = lane.clone();
                    entry.span = span;
                }
                if fresh || entry.now > now {
                    entry.now = now;
                }
                if let (Some(o), false) = (&lane.open, on) {
                    tails.push(Tail {
                        row,
                        from: o.from,
                        kind: o.kind.clone(),
                        short: fits(now - o.from, span, &o.short).then(|| o.short.clone()),
                        prints: lane
                            .prints
                            .iter()
                            .map(|(at, _)| *at)
                            .filter(|at| near_open(*at, Some(o), span))
                            .collect(),
                    });
                }
                let lane_now = if entry.lane.open.is_some() {
                    entry.now
                } else {
                    0.0
                };
                html! {
                    <LaneRow key={task} lane={entry.lane.clone()} span={entry.span} show_ideal={props.show_ideal}
                        engaged={on} now={lane_now} />
                }
            })
            .collect()
    };
    let unexplained = tl
        .lateness
        .as_ref()
        .map(|l| l.unexplained.clone())
        .unwrap_or_default();
    let (axis_html, loop_html, tails_html, density_html) =
        (&*axis_html, &*loop_html, &*tails_html, &*density_html);
    html! {
        <figure class="timeline" data-testid="timeline" aria-label="timeline: the event loop, then one lane per task" {onfocusin} {onfocusout}>
            { Html::from_html_unchecked(AttrValue::Static(PATTERNS)) }
            <div class={classes!("tl-scrub", props.on_seek.is_some().then_some("seekable"))}
                onpointerdown={seek_handler(&props.on_seek, span, true)}
                onpointermove={seek_handler(&props.on_seek, span, false)}>
                { kept(axis_html, (tl.ticks.clone(), span), |(t, s)| axis(t, *s)) }
            </div>
            <div class="tl-row tl-loop" data-testid="loop-lane"
                data-late={tl.lateness.as_ref().map(|l| l.late.to_string())}
                data-unexplained={tl.lateness.as_ref().map(|l| l.unexplained.len().to_string())}>
                <div class="tl-label" title="when the main thread was busy">{ "event loop" }</div>
                <div class="tl-cell">
                    <svg class="tl-track" width="100%" height="24" role="group" aria-label={loop_words(tl)}>
                        { kept(loop_html, (tl.throttled.clone(), tl.busy.clone(), tl.holds.clone(), tl.divergence.clone(), tl.work.clone(), unexplained, span), loop_marks) }
                    </svg>
                    { now_line(&now_loop) }
                    { cursor_line(props.cursor, span) }
                </div>
            </div>
            <div class="tl-lanes" role="list" aria-label="tasks" ref={lanes_ref} {onpointerover} {onpointerleave}
                onkeydown={Callback::from(on_lane_key)}>
                { lanes }
                { lessons(props, span) }
                // The stretches in progress, seen through a window that ends at the time, and
                // one "now" line over every lane.
                <div class="tl-window" aria-hidden="true" ref={window}>
                    <div class="tl-window-inner" ref={window_inner}>
                        <svg class="tl-overlay" width="100%" height="100%">
                            { kept(tails_html, (tails, span), |(t, s)| self::tails(t, *s)) }
                        </svg>
                    </div>
                </div>
                { now_line(&now_lanes) }
                { cursor_line(props.cursor, span) }
            </div>
            if tl.hidden > 0 {
                <div class="tl-row tl-density">
                    <div class="tl-label">{ format!("+ {} more tasks", tl.hidden) }</div>
                    <div class="tl-cell">
                        <svg class="tl-track" width="100%" height="24" role="group" aria-label={format!("{} more tasks, drawn as how many were alive over time", tl.hidden)}>
                            { kept(density_html, (tl.density.clone(), tl.hidden, span), |(d, n, s)| density(d, *n, *s)) }
                        </svg>
                        { now_line(&now_density) }
                    </div>
                </div>
            }
            if let Some(l) = tl.lateness.as_ref().filter(|l| l.late > 0) {
                <p class="tl-lateness" data-testid="lateness">{ lateness_words(l) }</p>
            }
            if let Some(d) = &tl.divergence {
                <p class="tl-divergence" data-testid="divergence" data-at={round_us(d.at).to_string()} data-index={(d.index + 1).to_string()}>
                    <strong>{ format!("At {} s the real run left the ideal order. ", seconds_ms(d.at)) }</strong>
                    { d.why.clone() }
                </p>
            }
            <figcaption class="tl-focus">
                { focused.as_ref().cloned().unwrap_or_else(|| "Hover a stretch, or Tab to a lane and move with the arrow keys, to read it.".to_string()) }
            </figcaption>
        </figure>
    }
}

/// The lessons of a program of code mode, over the lanes: a badge with the line's number
/// where each happened (a bracket over what took time), in amber; pressed (or Enter on it), it
/// takes the time cursor there.
#[cfg(feature = "studio")]
fn lessons(props: &TimelineProps, span: f64) -> Html {
    let tl = &props.timeline;
    let mut placed: Vec<(usize, f64, usize)> = Vec::new();
    let marks: Vec<Html> = props
        .lessons
        .iter()
        .filter_map(|m| {
            let row = tl.lanes.iter().position(|l| l.task == m.task)?;
            // Badges close together on a row stand side by side.
            let beside = placed
                .iter()
                .filter(|(r, at, _)| *r == row && (at - m.at).abs() < span * 0.06)
                .count();
            placed.push((row, m.at, beside));
            let y = (row * ROW) as f64;
            let at = m.at;
            // A badge stands right of its moment, or left of it near the axis' end.
            let side = 9 + beside as i32 * 17;
            let shift = if m.at > span * 0.9 { -side } else { side };
            let seek = props.on_seek.clone();
            let onclick = seek.clone().map(|s| s.reform(move |_: MouseEvent| at));
            let onkeydown = seek.map(|s| {
                Callback::from(move |e: KeyboardEvent| {
                    if e.key() == "Enter" || e.key() == " " {
                        e.prevent_default();
                        s.emit(at);
                    }
                })
            });
            Some(html! {
                <g class="lesson" data-testid="timeline-lesson" data-kind={m.kind} data-line={m.line.to_string()}
                    data-task={m.task.0.to_string()} data-at={round_us(m.at).to_string()}
                    role="listitem" tabindex="0" aria-label={m.words.to_string()} {onclick} {onkeydown}>
                    <title>{ m.words.to_string() }</title>
                    if let Some(until) = m.until {
                        <rect class="lesson-span" x={pct(m.at, span)} width={pct((until - m.at).max(0.0), span)}
                            y={(y + 1.0).to_string()} height="22" rx="3" />
                    }
                    <rect class="lesson-tick" x={pct(m.at, span)} width="2" y={(y + 2.0).to_string()} height="20" />
                    <g transform={format!("translate({}, 0)", shift)}>
                        <circle class="lesson-badge" cx={pct(m.at, span)} cy={(y + 12.0).to_string()} r="8" />
                        <text class="lesson-line" x={pct(m.at, span)} y={(y + 15.5).to_string()}>{ m.line.to_string() }</text>
                    </g>
                </g>
            })
        })
        .collect();
    if marks.is_empty() {
        return Html::default();
    }
    html! {
        <div class="tl-lessons" role="listitem">
            <svg class="tl-overlay" width="100%" height="100%" role="list" aria-label="Lessons of this run, where they happened">
                { for marks }
            </svg>
        </div>
    }
}

/// Before the studio, no run has lessons.
#[cfg(not(feature = "studio"))]
fn lessons(_: &TimelineProps, _: f64) -> Html {
    Html::default()
}

/// What the event loop's lane says to a screen reader: how busy the thread was, and how late
/// timers were accounted for.
fn loop_words(tl: &Timeline) -> String {
    let mut words = format!(
        "the main thread was busy {} s in all",
        seconds_ms(tl.busy_total)
    );
    if let Some(l) = &tl.lateness {
        words.push_str("; ");
        words.push_str(&lateness_words(l));
    }
    words
}

/// How the late timers are accounted for, in a sentence.
fn lateness_words(l: &Lateness) -> String {
    let many = |n: usize| if n == 1 { "timer" } else { "timers" };
    match l.unexplained.len() {
        _ if l.late == 0 => "no timer fired more than 4 ms late".to_string(),
        0 => format!(
            "{} {} fired more than 4 ms late; the event loop's lane shows what held the thread for each (hover or Tab to its marks)",
            l.late,
            many(l.late)
        ),
        n => format!(
            "{} {} fired more than 4 ms late; for {n} of them nothing recorded held the thread",
            l.late,
            many(l.late)
        ),
    }
}

/// The patterns that tell states apart besides colour, drawn once as markup (static markup costs
/// the page far less as text than as code).
const PATTERNS: &str = r#"<svg class="defs" width="0" height="0" aria-hidden="true"><defs><pattern id="p-blocking" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="pat-bg blocking" width="6" height="6"/><rect class="pat-fg blocking" width="3" height="6"/></pattern><pattern id="p-ready" width="5" height="5" patternUnits="userSpaceOnUse"><rect class="pat-bg ready" width="5" height="5"/><circle class="pat-fg ready" cx="2.5" cy="2.5" r="1.1"/></pattern><pattern id="p-blocked" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect class="pat-bg blocked" width="6" height="6"/><rect class="pat-fg blocked" width="2" height="6"/></pattern><pattern id="p-delayed" width="4" height="4" patternUnits="userSpaceOnUse"><rect class="pat-bg delayed" width="4" height="4"/><rect class="pat-fg delayed" width="2" height="2"/></pattern></defs></svg>"#;

/// The parts that move with the time: the window over the stretches in progress (and its
/// inner part), and the "now" lines of the lanes, the loop and the density band.
type Moving = (NodeRef, NodeRef, NodeRef, NodeRef, NodeRef);

/// Moves the moving parts to `at` percent of the axis.
fn slide_to((window, inner, lanes, lp, density): &Moving, at: f64) {
    slide(window, &format!("translateX({}%)", fixed(at - 100.0, 4)));
    slide(inner, &format!("translateX({}%)", fixed(100.0 - at, 4)));
    for line in [lanes, lp, density] {
        slide(line, &format!("translateX({}%)", fixed(at, 4)));
    }
}

/// Every animation frame, moves the moving parts to where `clock` says the run is.
fn follow(
    pending: Rc<RefCell<Option<AnimationFrame>>>,
    clock: Clock,
    span: Rc<RefCell<f64>>,
    moving: Moving,
    pace: Pace,
) {
    let next = pending.clone();
    let handle = request_animation_frame(move |_| {
        if let Some((now, idle)) = (clock.0)() {
            let span = *span.borrow();
            if span > 0.0 && idle >= FOLLOW_MIN_IDLE_MS && pace.may_move(true) {
                slide_to(&moving, (now / span).clamp(0.0, 1.0) * 100.0);
            }
        }
        follow(next, clock, span, moving, pace);
    });
    *pending.borrow_mut() = Some(handle);
}

/// How often the "now" line moves while a run goes on. It slides with every frame, unless the
/// user asked for reduced motion: then it steps once a second (and to the end when the run is
/// over).
#[derive(Clone)]
struct Pace {
    reduced: bool,
    /// When it last moved (`performance.now()`, ms).
    moved_at: Rc<std::cell::Cell<f64>>,
}

/// How long the "now" line stays put between steps under reduced motion (real ms).
const STEP_MS: f64 = 1000.0;

impl Pace {
    fn new() -> Pace {
        let reduced = web_sys::window()
            .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok())
            .flatten()
            .is_some_and(|m| m.matches());
        Pace {
            reduced,
            moved_at: Rc::new(std::cell::Cell::new(f64::NEG_INFINITY)),
        }
    }

    /// Whether the moving parts may move now; if so, it counts as a move.
    fn may_move(&self, live: bool) -> bool {
        let now = crate::web::frames::now_ms();
        if self.reduced && live && now - self.moved_at.get() < STEP_MS {
            return false;
        }
        self.moved_at.set(now);
        true
    }
}

/// The time cursor's line, at `at` on an axis `span` long.
fn cursor_line(at: Option<f64>, span: f64) -> Html {
    let Some(at) = at else {
        return Html::default();
    };
    html! {
        <div class="tl-cursorline" aria-hidden="true" data-testid="cursor-line">
            <svg width="100%" height="100%">
                <rect class="cursor" x={pct(at.clamp(0.0, span), span)} y="0" width="2" height="100%" />
            </svg>
        </div>
    }
}

/// Seeks to the time under the pointer on the axis: on a press (`press`, which also captures
/// the pointer, so a drag goes on past the axis) or on a move with a button down.
fn seek_handler(on_seek: &Option<Callback<f64>>, span: f64, press: bool) -> Callback<PointerEvent> {
    let on_seek = on_seek.clone();
    Callback::from(move |e: PointerEvent| {
        let Some(on_seek) = &on_seek else {
            return;
        };
        if !press && e.buttons() & 1 == 0 {
            return;
        }
        let Some(area) = e
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        if press {
            let _ = area.set_pointer_capture(e.pointer_id());
        }
        let Some(track) = area.query_selector("svg.tl-track").ok().flatten() else {
            return;
        };
        let r = track.get_bounding_client_rect();
        if r.width() > 0.0 {
            let share = ((f64::from(e.client_x()) - r.left()) / r.width()).clamp(0.0, 1.0);
            on_seek.emit(share * span);
        }
    })
}

/// A "now" line: drawn at the start of the axis, and moved to the time by [`slide`].
fn now_line(node: &NodeRef) -> Html {
    html! {
        <div class="tl-nowline" aria-hidden="true" ref={node.clone()}>
            <svg width="100%" height="100%">
                <rect class="now" x="0" y="0" width="1.5" height="100%" />
            </svg>
        </div>
    }
}

/// Moves an element by a CSS transform, through the CSS object model. The parts that move every
/// frame are layers of their own (see the stylesheet), so moving them repaints nothing; the
/// object model, unlike a `style` attribute, is outside what the Content-Security-Policy
/// restricts.
fn slide(node: &NodeRef, transform: &str) {
    let Some(el) = node.get() else {
        return;
    };
    if let Ok(style) = js_sys::Reflect::get(&el, &"style".into()) {
        let _ = js_sys::Reflect::set(&style, &"transform".into(), &transform.into());
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
                <rect class="density" x={pct(i as f64 * w, span)} width={pct(w, span)} y={fixed(22.0 - h, 1)} height={fixed(h, 1)} />
            }
        }) }
    }
}
