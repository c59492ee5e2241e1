//! Two runs on one time axis (the studio's): the pinned run above, this run below, each labelled
//! with what tells it apart and its elapsed time, and the difference in one sentence. The cursor
//! and stepping of the study view move both (the pinned run shows the cursor's time).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::edges::url;
use crate::engine::lang::scenarios::ScenarioInfo;
use crate::engine::view::compare::{labels, program_labels, verdict_of, Side};
use crate::engine::view::timeline::Timeline;
use crate::web::components::console::secs;
use crate::web::components::timeline::TimelineView;
use crate::web::session::{LiveRun, Session};

/// The run id the pinned run is drawn under (never one of the page's own runs).
const PINNED_RUN: u64 = u64::MAX;

/// A run kept for comparison while the page goes on.
pub struct Pinned {
    /// The run, as recorded (or the ideal schedule of a linked run).
    live: LiveRun,
    /// Its timeline, laid out once: a pinned run never changes.
    timeline: Rc<Timeline>,
    /// What ran.
    scenario: &'static ScenarioInfo,
    /// With these field texts.
    texts: Vec<(&'static str, String)>,
    /// Whether it is a link's ideal schedule rather than a run the learner saw.
    ideal_only: bool,
}

impl Pinned {
    /// `live` (of `scenario` with `texts`) kept for comparison; `ideal_only` when it is a
    /// link's ideal schedule.
    pub fn new(
        live: LiveRun,
        scenario: &'static ScenarioInfo,
        texts: Vec<(&'static str, String)>,
        ideal_only: bool,
    ) -> Pinned {
        let timeline = live.frame().timeline;
        Pinned {
            live,
            timeline,
            scenario,
            texts,
            ideal_only,
        }
    }

    /// Its elapsed time, in scenario seconds.
    fn elapsed(&self) -> f64 {
        self.live.view(|_, now| now)
    }

    fn side(&self) -> Side<'_> {
        Side {
            scenario: self.scenario,
            texts: &self.texts,
            elapsed: self.elapsed(),
        }
    }
}

thread_local! {
    static PINNED: RefCell<Option<Rc<Pinned>>> = const { RefCell::new(None) };
}

/// The run pinned, if any.
pub fn pinned() -> Option<Rc<Pinned>> {
    PINNED.with(|p| p.borrow().clone())
}

/// Pins `run` (or unpins, with `None`).
pub fn pin(run: Option<Pinned>) {
    PINNED.with(|p| *p.borrow_mut() = run.map(Rc::new));
}

/// The run `id` of the pinned run's own ids (its lanes are drawn apart from the page's).
pub fn pinned_id() -> u64 {
    PINNED_RUN
}

/// `link` with the pinned run's link as `compare=`, so a shared link carries both.
pub fn with_compare(link: String) -> String {
    // In code mode the link is the program's.
    if let Some(code) = crate::web::code_mode::share(&link) {
        return code;
    }
    match pinned() {
        Some(p) => {
            let other = url::encode(
                p.scenario,
                p.texts.iter().map(|(n, t)| (*n, t.as_str())),
                false,
            );
            url::with(&link, &format!("compare={}", url::percent_encode(&other)))
        }
        None => link,
    }
}

/// This run's timeline on the axis it shares with the pinned run.
pub fn on_axis(timeline: &Rc<Timeline>) -> Rc<Timeline> {
    match pinned() {
        Some(p) => Rc::new(timeline.on_axis(p.timeline.span)),
        None => timeline.clone(),
    }
}

/// `current` (the timeline of the run in `session`, `running` or not, drawn on an axis `span`
/// long: see [`on_axis`]) beside the
/// pinned run, when there is one: both on one axis, each labelled, the difference in a sentence
/// above.
pub fn compared(
    session: &Session,
    running: bool,
    current: Html,
    cursor: Option<f64>,
    elapsed: f64,
    span: f64,
) -> Html {
    let Some(p) = pinned() else {
        return current;
    };
    // What this run ran (not the fields, which may have been edited since).
    let link = session
        .borrow()
        .as_ref()
        .map(|l| l.link.clone())
        .unwrap_or_default();
    let ran = url::decode(&link);
    let this = Side {
        scenario: ran.scenario,
        texts: &ran.texts,
        elapsed,
    };
    // Two programs of code mode's are told apart by where they differ.
    let program = |link: &str| {
        link.starts_with("code?")
            .then(|| url::code_link_parts(link).source.and_then(Result::ok))
            .flatten()
    };
    let (was, is) = match (program(&p.live.link), program(&link)) {
        (Some(a), Some(b)) => program_labels(&a, &b),
        _ => None,
    }
    .unwrap_or_else(|| labels(&p.side(), &this));
    let sentence = verdict_of(&was, &is, p.elapsed(), elapsed);
    let was = if p.ideal_only {
        format!("{was} (its ideal schedule: a link cannot carry a real run)")
    } else {
        was
    };
    let timeline = Rc::new(p.timeline.on_axis(span));
    html! {
        <section class="compare" data-testid="compare" aria-label="two runs on one time axis">
            <p class="compare-verdict" data-testid="compare-verdict">
                { if running { "This run goes on beside the pinned one: the difference comes when it ends.".to_string() } else { sentence } }
            </p>
            <div class="compare-run pinned" data-testid="compare-run" data-elapsed={p.elapsed().to_string()}>
                <p class="compare-label"><span class="compare-tag">{ "pinned" }</span>{ format!("{was} · {}", secs(p.elapsed())) }</p>
                <TimelineView {timeline} show_ideal={true} live={false} run={PINNED_RUN} clock={None} {cursor} />
            </div>
            <div class="compare-run" data-testid="compare-run" data-elapsed={elapsed.to_string()}>
                <p class="compare-label"><span class="compare-tag">{ "this run" }</span>{ format!("{is} · {}", secs(elapsed)) }</p>
                { current }
            </div>
        </section>
    }
}
