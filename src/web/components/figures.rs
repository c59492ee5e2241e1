use std::rc::Rc;

use yew::prelude::*;

use crate::engine::lang::value::seconds_ms;
use crate::engine::record::trace::round_us;
use crate::engine::view::figures::{outcome_word, Figures};
use crate::engine::view::presenter::Row;

use super::console::secs;

/// The numbers that explain the run: elapsed against ideal, and the waits that overlapped; `at`
/// the time cursor's time when they are read there. A plain function: its figures change
/// whenever the view around it is drawn again.
pub fn figures_view(f: &Figures, running: bool, at: Option<f64>) -> Html {
    let notes = f.notes(running);
    let (vs_ideal, overlap) = (notes.vs_ideal, notes.overlap);
    let title = match at {
        Some(t) => format!("Figures at t = {} s", seconds_ms(t)),
        None => "Figures".to_string(),
    };
    html! {
        <div class={classes!("figures", at.is_some().then_some("at-cursor"))} role="group" aria-label={title.clone()}
            data-testid="figures" data-at={at.map(|t| round_us(t).to_string())}>
            if at.is_some() {
                <p class="figures-at">{ title }</p>
            }
            { figure("Elapsed", secs(f.elapsed), vs_ideal, Some(("elapsed", f.elapsed))) }
            { figure("Ideal", secs(f.ideal), "on the virtual clock".into(), Some(("ideal-elapsed", f.ideal))) }
            { figure("Sum of all sleeps", secs(f.waits), overlap, Some(("waits", f.waits))) }
            { figure("Blocking work", secs(f.blocking), "held the thread".into(), None) }
            { figure("Timer lateness", notes.lateness, notes.lateness_note, None) }
            { figure("Tasks, polls", format!("{}, {}", f.tasks, f.polls), "polls in all".into(), None) }
        </div>
    }
}

/// One figure: its label, value and note, and (for the tests) a hook with the value in seconds.
#[inline(never)]
fn figure(
    label: &'static str,
    value: String,
    note: String,
    hook: Option<(&'static str, f64)>,
) -> Html {
    html! {
        <div class="figure">
            <span class="figure-label">{ label }</span>
            <span class="figure-value" data-testid={hook.map(|h| h.0)} data-seconds={hook.map(|h| round_us(h.1).to_string())}>{ value }</span>
            <span class="figure-note">{ note }</span>
        </div>
    }
}

#[derive(Properties)]
pub struct TaskTableProps {
    pub stats: Rc<Vec<Row>>,
    pub more: usize,
}

impl PartialEq for TaskTableProps {
    fn eq(&self, other: &Self) -> bool {
        // The table is the same `Rc` until it is refreshed: no need to read every row.
        (Rc::ptr_eq(&self.stats, &other.stats) || self.stats == other.stats)
            && self.more == other.more
    }
}

/// Per task: polls, busy and waiting time, lateness, outcome. Also the timeline's text
/// alternative.
#[component]
pub fn TaskTable(props: &TaskTableProps) -> Html {
    html! {
        <section class="panel tasks-panel" aria-labelledby="tasks-title">
            <h3 id="tasks-title">{ "Tasks" }</h3>
            <div class="table-wrap" role="region" tabindex="0" aria-label="task table (scrolls)">
                <table class="tasks" data-testid="task-table">
                    <thead><tr>
                        { for ["Task", "Started", "Ended", "Polls", "Busy", "Waiting", "Late", "State"].map(|h| html! { <th scope="col">{ h }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for props.stats.iter().map(|(name, s, state)| html! {
                            <tr data-testid="task-row" data-state={state.as_ref().map(|st| st.word)}>
                                <th scope="row">{ name.to_string() }</th>
                                <td>{ s.started.map(secs).unwrap_or_else(|| "–".into()) }</td>
                                <td>{ s.ended.map(secs).unwrap_or_else(|| "–".into()) }</td>
                                <td>{ if s.spins > 0 { format!("{} (+{} spins)", s.polls, s.spins) } else { s.polls.to_string() } }</td>
                                <td>{ secs(s.busy) }</td>
                                <td>{ secs(s.waiting) }</td>
                                <td>{ format!("{} ms", (s.max_lateness * 1000.0).round() as i64) }</td>
                                <td>{ state.as_ref().map_or_else(|| outcome_word(&s.outcome).to_string(), |st| st.detail.to_string()) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            if props.more > 0 {
                <p class="more">{ format!("… and {} more tasks, not listed one by one.", props.more) }</p>
            }
        </section>
    }
}
