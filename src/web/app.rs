use yew::prelude::*;

use crate::engine::scenarios::{ScenarioInfo, CATALOG};

/// The root component: the header, the scenario list and the stage where a run is drawn.
#[component]
pub fn App() -> Html {
    let selected = use_state(|| CATALOG[0].id);
    let current = CATALOG
        .iter()
        .find(|s| s.id == *selected)
        .unwrap_or(&CATALOG[0]);

    let on_pick = {
        let selected = selected.clone();
        Callback::from(move |id: &'static str| selected.set(id))
    };

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
                        { for CATALOG.iter().map(|s| scenario_item(s, s.id == current.id, &on_pick)) }
                    </ul>
                </nav>
                <section class="stage" aria-labelledby="stage-title">
                    <div class="stage-head">
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
                            { "A run of this scenario will be drawn here: one lane per task, showing when it starts, \
                               when it pauses and what it waits on, and when it finishes." }
                        </p>
                    </div>
                </section>
            </main>
            <footer class="foot">
                { "Scenarios are built from five short explanations of async programming (seeds 000 to 004)." }
            </footer>
        </div>
    }
}

fn scenario_item(s: &'static ScenarioInfo, active: bool, on_pick: &Callback<&'static str>) -> Html {
    let onclick = {
        let on_pick = on_pick.clone();
        let id = s.id;
        Callback::from(move |_: MouseEvent| on_pick.emit(id))
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
