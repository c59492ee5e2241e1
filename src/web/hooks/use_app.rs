use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::view::app::{Action, AppState, Command};
use crate::web::session::{LiveRun, Session};

/// The page's state, the live run, and the one place where the reducer's commands are carried
/// out: [`AppHandle::dispatch`] reduces an action (in the engine, purely), runs the commands it
/// returns against the session, and redraws.
#[derive(Clone)]
pub struct AppHandle {
    state: Rc<RefCell<AppState>>,
    session: Session,
    redraw: UseForceUpdateHandle,
}

impl PartialEq for AppHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state)
    }
}

impl AppHandle {
    /// The state now.
    pub fn state(&self) -> AppState {
        self.state.borrow().clone()
    }

    /// The live run, if there is one.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Reduces `action`, carries out what it asks for, and redraws if anything changed.
    pub fn dispatch(&self, action: Action) {
        let (next, commands) = self.state.borrow().reduce(action);
        let changed = next != *self.state.borrow();
        *self.state.borrow_mut() = next;
        for command in &commands {
            run(&self.session, command);
        }
        if changed || !commands.is_empty() {
            self.redraw.force_update();
        }
    }

    /// Reduces `action` and shows the run `make` builds for the run id it leads to, in place
    /// of any run there was (a run opened from a file, say).
    pub fn show(&self, action: Action, make: impl FnOnce(u64) -> LiveRun) {
        let (next, commands) = self.state.borrow().reduce(action);
        let id = next.run_id;
        *self.state.borrow_mut() = next;
        for command in &commands {
            run(&self.session, command);
        }
        *self.session.borrow_mut() = Some(make(id));
        self.redraw.force_update();
    }

    /// Draws the page again (for what lives outside the state, such as the studio's).
    pub fn redraw(&self) {
        self.redraw.force_update();
    }

    /// A callback that dispatches the action `f` makes of its event.
    pub fn callback<E: 'static>(&self, f: impl Fn(E) -> Action + 'static) -> Callback<E> {
        let app = self.clone();
        Callback::from(move |e: E| app.dispatch(f(e)))
    }
}

/// Carries out one command of the reducer's.
fn run(session: &Session, command: &Command) {
    match command {
        Command::Start {
            id,
            scenario,
            values,
        } => {
            if let Some(old) = session.borrow_mut().take() {
                old.stop();
            }
            let live = crate::web::code_mode::start_run(*id, scenario, values);
            *session.borrow_mut() = Some(live);
        }
        Command::Stop => {
            if let Some(live) = session.borrow().as_ref() {
                live.stop();
            }
        }
        Command::Discard => {
            if let Some(old) = session.borrow_mut().take() {
                old.stop();
            }
        }
    }
}

/// The page's state and live run (see [`AppHandle`]).
#[hook]
pub fn use_app() -> AppHandle {
    let state = use_mut_ref(AppState::default);
    let session: Session = use_mut_ref(|| None);
    let redraw = use_force_update();
    AppHandle {
        state,
        session,
        redraw,
    }
}
