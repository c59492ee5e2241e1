//! The app's state and its pure reducer. The live run itself (tasks, timers) is not in here: it
//! is owned by the [`crate::web::session::Session`], which the event handlers drive.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::edges::url::Link;
use crate::engine::lang::params::Values;
use crate::engine::lang::scenarios::{ScenarioInfo, CATALOG};

/// Where the run is, as `data-state` on `run-state` says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    /// Nothing has run since the scenario or its values changed.
    Idle,
    /// A run is going on.
    Running,
    /// The run ended by itself.
    Finished,
    /// The run was stopped.
    Stopped,
}

impl RunState {
    /// The word used in `data-state`.
    pub fn word(self) -> &'static str {
        match self {
            RunState::Idle => "idle",
            RunState::Running => "running",
            RunState::Finished => "finished",
            RunState::Stopped => "stopped",
        }
    }
}

/// Everything the page shows that is not the run's own trace.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The scenario picked.
    pub scenario: &'static ScenarioInfo,
    /// The text of every field, valid or not, in schema order (`speed` last).
    pub texts: Rc<Vec<(&'static str, String)>>,
    /// The run's state.
    pub run: RunState,
    /// Messages about the link the page was opened with.
    pub notices: Rc<Vec<String>>,
}

/// What can happen to the state.
pub enum Action {
    /// Another scenario was picked.
    Pick(&'static ScenarioInfo),
    /// A field was edited.
    Edit(&'static str, String),
    /// A share link was opened.
    Load(Box<Link>),
    /// A run started.
    Started,
    /// The run ended by itself.
    Finished,
    /// The run was stopped.
    Stopped,
    /// Back to no run.
    Reset,
    /// The link notices were read.
    Dismiss,
}

fn default_texts(scenario: &ScenarioInfo) -> Vec<(&'static str, String)> {
    scenario
        .specs()
        .iter()
        .map(|s| (s.name, s.default.to_string()))
        .collect()
}

impl Default for State {
    fn default() -> Self {
        State {
            scenario: &CATALOG[0],
            texts: Rc::new(default_texts(&CATALOG[0])),
            run: RunState::Idle,
            notices: Rc::new(Vec::new()),
        }
    }
}

impl State {
    /// The text of one field.
    pub fn text(&self, name: &str) -> &str {
        self.texts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.as_str())
            .unwrap_or("")
    }

    /// The values and, per invalid field, its message.
    pub fn parse(&self) -> (Values, Vec<(&'static str, String)>) {
        self.scenario.parse(|name| {
            self.texts
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.as_str())
        })
    }
}

impl State {
    /// The state `action` leads to from this one (the reducer, outside a hook).
    pub fn reduce_to(self, action: Action) -> State {
        (*Rc::new(self).reduce(action)).clone()
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Pick(scenario) => {
                if scenario == self.scenario {
                    return self;
                }
                let speed = self.text("speed").to_string();
                let mut texts = default_texts(scenario);
                if let Some(t) = texts.iter_mut().find(|(n, _)| *n == "speed") {
                    t.1 = speed;
                }
                next.scenario = scenario;
                next.texts = Rc::new(texts);
                next.run = RunState::Idle;
            }
            Action::Edit(name, text) => {
                if self.text(name) == text {
                    return self;
                }
                let mut texts = (*self.texts).clone();
                if let Some(t) = texts.iter_mut().find(|(n, _)| *n == name) {
                    t.1 = text;
                }
                next.texts = Rc::new(texts);
                if next.run == RunState::Running {
                    next.run = RunState::Stopped;
                }
            }
            Action::Load(link) => {
                let mut texts = default_texts(link.scenario);
                for (name, text) in &link.texts {
                    if let Some(t) = texts.iter_mut().find(|(n, _)| n == name) {
                        t.1 = text.clone();
                    }
                }
                next.scenario = link.scenario;
                next.texts = Rc::new(texts);
                next.run = RunState::Idle;
                next.notices = Rc::new(link.problems);
            }
            Action::Started => next.run = RunState::Running,
            Action::Finished => {
                if self.run != RunState::Running {
                    return self;
                }
                next.run = RunState::Finished;
            }
            Action::Stopped => {
                if self.run != RunState::Running {
                    return self;
                }
                next.run = RunState::Stopped;
            }
            Action::Reset => {
                if self.run == RunState::Idle {
                    return self;
                }
                next.run = RunState::Idle;
            }
            Action::Dismiss => next.notices = Rc::new(Vec::new()),
        }
        Rc::new(next)
    }
}
