//! The page's state and its reducer: pure, tested natively. The reducer alone decides where the
//! run is; what must happen in the browser because of it (start a run, stop it, drop it) comes
//! back as [`Command`]s, which the shell carries out in one place.

use std::rc::Rc;

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

/// Everything the page shows that is not the run's own record.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// The scenario picked.
    pub scenario: &'static ScenarioInfo,
    /// The text of every field, valid or not, in schema order (`speed` last).
    pub texts: Rc<Vec<(&'static str, String)>>,
    /// The run's state.
    pub run: RunState,
    /// Which run it is (each start counts one), so that news of an older run is ignored.
    pub run_id: u64,
    /// Messages about the link the page was opened with.
    pub notices: Rc<Vec<String>>,
    /// Where the link asked the time cursor to stand once its run is over; forgotten when
    /// another run starts or the scenario or its values change.
    pub seek: Option<f64>,
    /// Whether the page is embedded in another (its link said `embed=1`).
    pub embed: bool,
}

/// What can happen to the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Another scenario was picked.
    Pick(&'static ScenarioInfo),
    /// A field was edited.
    Edit(&'static str, String),
    /// A share link was opened.
    Load(Box<Opened>),
    /// Run was pressed.
    Run,
    /// Stop was pressed.
    Stop,
    /// Space was pressed: run, or stop a run that goes on.
    Toggle,
    /// Reset was pressed: back to no run.
    Reset,
    /// The run with this id ended by itself.
    Ended(u64),
    /// The link notices were read.
    Dismiss,
    /// The time cursor is to stand at this time once the run is over (until the user moves it).
    Seek(f64),
    /// A saved run was opened: the link it ran, and whether it had been stopped. The shell
    /// shows the run itself as the new run id once the state is reduced.
    Reopen(Box<Opened>, bool),
}

/// What a share link asks for (see `edges::url`, which reads one).
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    /// The scenario.
    pub scenario: &'static ScenarioInfo,
    /// The text of each parameter it sets.
    pub texts: Vec<(&'static str, String)>,
    /// Whether it runs at once.
    pub autorun: bool,
    /// Where the time cursor stands once the run is over.
    pub at: Option<f64>,
    /// Whether the page is embedded in another: a compact view.
    pub embed: bool,
    /// The fragment of another run to compare this one with (`compare=`), as given.
    pub compare: Option<String>,
    /// What it got wrong that is not about a field.
    pub problems: Vec<String>,
}

/// What the shell must do in the browser.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Start run `id` of `scenario` with `values`, in place of any run there is.
    Start {
        /// The run's id.
        id: u64,
        /// What to run.
        scenario: &'static ScenarioInfo,
        /// With these values.
        values: Values,
    },
    /// Stop the run there is (it stays on the page).
    Stop,
    /// Stop and drop the run there is.
    Discard,
}

fn default_texts(scenario: &ScenarioInfo) -> Vec<(&'static str, String)> {
    scenario
        .specs()
        .iter()
        .map(|s| (s.name, s.default.to_string()))
        .collect()
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            scenario: &CATALOG[0],
            texts: Rc::new(default_texts(&CATALOG[0])),
            run: RunState::Idle,
            run_id: 0,
            notices: Rc::new(Vec::new()),
            seek: None,
            embed: false,
        }
    }
}

impl AppState {
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

    /// Whether every field is valid, so Run can be pressed.
    pub fn valid(&self) -> bool {
        self.parse().1.is_empty()
    }

    /// The state `action` leads to, and what the shell must do for it.
    pub fn reduce(&self, action: Action) -> (AppState, Vec<Command>) {
        let mut next = self.clone();
        let mut commands = Vec::new();
        match action {
            Action::Pick(scenario) => {
                if scenario == self.scenario {
                    return (next, commands);
                }
                let speed = self.text("speed").to_string();
                let mut texts = default_texts(scenario);
                if let Some(t) = texts.iter_mut().find(|(n, _)| *n == "speed") {
                    t.1 = speed;
                }
                next.scenario = scenario;
                next.texts = Rc::new(texts);
                next.discard(&mut commands);
            }
            Action::Edit(name, text) => {
                if self.text(name) == text {
                    return (next, commands);
                }
                let mut texts = (*self.texts).clone();
                if let Some(t) = texts.iter_mut().find(|(n, _)| *n == name) {
                    t.1 = text;
                }
                next.texts = Rc::new(texts);
                next.seek = None;
                // A run of other values would no longer be what the fields say.
                next.stop(&mut commands);
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
                next.notices = Rc::new(link.problems);
                next.discard(&mut commands);
                if link.autorun {
                    next.start(&mut commands);
                }
                next.seek = link.at;
                next.embed = link.embed;
            }
            Action::Run => next.start(&mut commands),
            Action::Stop => next.stop(&mut commands),
            Action::Toggle => {
                if self.run == RunState::Running {
                    next.stop(&mut commands);
                } else {
                    next.start(&mut commands);
                }
            }
            Action::Reset => next.discard(&mut commands),
            Action::Ended(id) => {
                if self.run == RunState::Running && id == self.run_id {
                    next.run = RunState::Finished;
                }
            }
            Action::Dismiss => next.notices = Rc::new(Vec::new()),
            Action::Seek(t) => next.seek = Some(t),
            Action::Reopen(mut link, stopped) => {
                // As its link opens, never running, then shown as a run of its own.
                link.autorun = false;
                link.embed = self.embed;
                (next, commands) = self.reduce(Action::Load(link));
                next.run_id += 1;
                next.run = if stopped {
                    RunState::Stopped
                } else {
                    RunState::Finished
                };
            }
        }
        (next, commands)
    }

    fn start(&mut self, commands: &mut Vec<Command>) {
        let (values, errors) = self.parse();
        if !errors.is_empty() || self.run == RunState::Running {
            return;
        }
        self.run_id += 1;
        self.run = RunState::Running;
        self.seek = None;
        commands.push(Command::Start {
            id: self.run_id,
            scenario: self.scenario,
            values,
        });
    }

    fn stop(&mut self, commands: &mut Vec<Command>) {
        if self.run == RunState::Running {
            self.run = RunState::Stopped;
            commands.push(Command::Stop);
        }
    }

    fn discard(&mut self, commands: &mut Vec<Command>) {
        self.seek = None;
        if self.run != RunState::Idle {
            self.run = RunState::Idle;
            commands.push(Command::Discard);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::scenarios::find;

    fn decode(fragment: &str) -> Opened {
        crate::engine::edges::url::decode(fragment)
    }

    fn after(state: &AppState, actions: Vec<Action>) -> (AppState, Vec<Command>) {
        let mut s = state.clone();
        let mut all = Vec::new();
        for a in actions {
            let (next, commands) = s.reduce(a);
            s = next;
            all.extend(commands);
        }
        (s, all)
    }

    fn kinds(commands: &[Command]) -> Vec<&'static str> {
        commands
            .iter()
            .map(|c| match c {
                Command::Start { .. } => "start",
                Command::Stop => "stop",
                Command::Discard => "discard",
            })
            .collect()
    }

    #[test]
    fn run_starts_a_numbered_run_and_only_with_valid_fields() {
        let (s, c) = after(&AppState::default(), vec![Action::Run]);
        assert_eq!((s.run, s.run_id), (RunState::Running, 1));
        assert!(matches!(&c[..], [Command::Start { id: 1, .. }]));
        let (s, c) = after(
            &AppState::default(),
            vec![Action::Edit("sleep_s", "x".into()), Action::Run],
        );
        assert_eq!(s.run, RunState::Idle);
        assert!(c.is_empty());
        assert!(!s.valid());
    }

    #[test]
    fn a_reopened_run_takes_its_links_values_and_a_new_run_id_without_running() {
        let (s, c) = after(
            &AppState::default(),
            vec![
                Action::Run,
                Action::Reopen(Box::new(decode("cooking?mode=gather&speed=5&t=2.5")), true),
            ],
        );
        assert_eq!(s.scenario.id, "cooking");
        assert_eq!(s.text("mode"), "gather");
        assert_eq!(s.text("speed"), "5");
        assert_eq!(s.run, RunState::Stopped);
        assert_eq!(s.run_id, 2);
        assert_eq!(s.seek, Some(2.5));
        // The run going on is dropped; nothing starts.
        assert_eq!(kinds(&c), ["start", "discard"]);
        // News of the dropped run changes nothing; Run starts a fresh one.
        let (s2, _) = after(&s, vec![Action::Ended(1)]);
        assert_eq!(s2.run, RunState::Stopped);
        let (s3, c3) = after(&s, vec![Action::Run]);
        assert_eq!((s3.run, s3.run_id), (RunState::Running, 3));
        assert_eq!(kinds(&c3), ["start"]);
        let (finished, _) = after(
            &AppState::default(),
            vec![Action::Reopen(Box::new(decode("cooking")), false)],
        );
        assert_eq!(finished.run, RunState::Finished);
    }

    #[test]
    fn editing_while_running_stops_the_run_and_nothing_else_does_by_itself() {
        let (s, c) = after(
            &AppState::default(),
            vec![Action::Run, Action::Edit("sleep_s", "3".into())],
        );
        assert_eq!(s.run, RunState::Stopped);
        assert_eq!(kinds(&c), ["start", "stop"]);
        // An edit that changes nothing is nothing.
        let (s2, c2) = after(&s, vec![Action::Edit("sleep_s", "3".into())]);
        assert_eq!(s2, s);
        assert!(c2.is_empty());
    }

    #[test]
    fn news_of_an_older_run_is_ignored() {
        let (s, _) = after(
            &AppState::default(),
            vec![Action::Run, Action::Stop, Action::Run],
        );
        assert_eq!(s.run_id, 2);
        let (s, _) = after(&s, vec![Action::Ended(1)]);
        assert_eq!(s.run, RunState::Running);
        let (s, c) = after(&s, vec![Action::Ended(2)]);
        assert_eq!(s.run, RunState::Finished);
        assert!(c.is_empty());
    }

    #[test]
    fn picking_resetting_and_toggling() {
        let cooking = find("cooking").expect("in the catalog");
        let (s, c) = after(
            &AppState::default(),
            vec![
                Action::Edit("speed", "10".into()),
                Action::Toggle,
                Action::Pick(cooking),
            ],
        );
        assert_eq!((s.scenario.id, s.run), ("cooking", RunState::Idle));
        assert_eq!(s.text("speed"), "10", "the speed is kept");
        assert_eq!(kinds(&c), ["start", "discard"]);
        let (s, c) = after(&s, vec![Action::Toggle, Action::Toggle, Action::Reset]);
        assert_eq!(s.run, RunState::Idle);
        assert_eq!(kinds(&c), ["start", "stop", "discard"]);
        let (_, c) = after(&s, vec![Action::Reset]);
        assert!(c.is_empty(), "nothing to discard");
    }

    #[test]
    fn a_link_loads_its_values_and_may_run_them() {
        let link = decode("#cooking?mode=gather&speed=20&autorun=1");
        let (s, c) = after(&AppState::default(), vec![Action::Load(Box::new(link))]);
        assert_eq!(s.scenario.id, "cooking");
        assert_eq!(s.text("mode"), "gather");
        assert_eq!(s.run, RunState::Running);
        assert_eq!(kinds(&c), ["start"]);
        let bad = decode("#cooking?durations=x&autorun=1&frob=2");
        let (s, c) = after(&AppState::default(), vec![Action::Load(Box::new(bad))]);
        assert_eq!(s.run, RunState::Idle, "bad values never run");
        assert!(c.is_empty());
        assert_eq!(s.notices.len(), 1);
        let (s, _) = after(&s, vec![Action::Dismiss]);
        assert!(s.notices.is_empty());
    }

    #[test]
    fn a_link_places_the_cursor_until_another_run_or_an_edit() {
        let (s, _) = after(
            &AppState::default(),
            vec![Action::Load(Box::new(decode("cooking?autorun=1&t=2")))],
        );
        assert_eq!((s.run, s.seek), (RunState::Running, Some(2.0)));
        let (ended, _) = after(&s, vec![Action::Ended(s.run_id)]);
        assert_eq!(ended.seek, Some(2.0));
        for action in [
            Action::Run,
            Action::Reset,
            Action::Edit("speed", "3".into()),
        ] {
            let (next, _) = after(&ended, vec![action.clone()]);
            assert_eq!(next.seek, None, "{action:?}");
        }
    }
}
