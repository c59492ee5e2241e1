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
            <div class="figure">
                <span class="figure-label">{ "Elapsed" }</span>
                <span class="figure-value" data-testid="elapsed" data-seconds={round_us(f.elapsed).to_string()}>{ secs(f.elapsed) }</span>
                <span class="figure-note">{ vs_ideal }</span>
            </div>
            <div class="figure">
                <span class="figure-label">{ "Ideal" }</span>
                <span class="figure-value" data-testid="ideal-elapsed" data-seconds={round_us(f.ideal).to_string()}>{ secs(f.ideal) }</span>
                <span class="figure-note">{ "on the virtual clock" }</span>
            </div>
            <div class="figure">
                <span class="figure-label">{ "Sum of all sleeps" }</span>
                <span class="figure-value" data-testid="waits" data-seconds={round_us(f.waits).to_string()}>{ secs(f.waits) }</span>
                <span class="figure-note">{ overlap }</span>
            </div>
            <div class="figure">
                <span class="figure-label">{ "Blocking work" }</span>
                <span class="figure-value">{ secs(f.blocking) }</span>
                <span class="figure-note">{ "held the thread" }</span>
            </div>
            <div class="figure">
                <span class="figure-label">{ "Timer lateness" }</span>
                <span class="figure-value">{ notes.lateness }</span>
                <span class="figure-note">{ notes.lateness_note }</span>
            </div>
            <div class="figure">
                <span class="figure-label">{ "Tasks, polls" }</span>
                <span class="figure-value">{ format!("{}, {}", f.tasks, f.polls) }</span>
                <span class="figure-note">{ "polls in all" }</span>
            </div>
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
                        <th scope="col">{ "Task" }</th>
                        <th scope="col">{ "Started" }</th>
                        <th scope="col">{ "Ended" }</th>
                        <th scope="col">{ "Polls" }</th>
                        <th scope="col">{ "Busy" }</th>
                        <th scope="col">{ "Waiting" }</th>
                        <th scope="col">{ "Late" }</th>
                        <th scope="col">{ "State" }</th>
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
