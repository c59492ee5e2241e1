//! A task's record, and the state machine in it: the calls a task is inside, the block and
//! statement it is at within each, and what it waits on; who waits on it; a function's
//! variables.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::task::Waker;

use crate::engine::exec::interp::errors::{Error, Raised};
use crate::engine::exec::runtime::TimerId;
use crate::engine::lang::program::{FnId, Program, StepId, Stmt, StmtKind};
use crate::engine::lang::value::Value;
use crate::engine::record::trace::{TaskId, WaitOn};

/// Who is told when a task ends.
pub(super) enum Listener {
    /// A task awaiting this one; it is woken through the waker of its last poll.
    Join(TaskId),
    /// A `gather` that waits for several.
    Gather(Rc<GatherState>),
}

pub(super) struct GatherState {
    pub(super) waiter: TaskId,
    /// How many of its tasks' ends it has not yet been told of.
    pub(super) remaining: Cell<usize>,
    /// Set once it is over: all its tasks finished, or one of them raised (asyncio's gather
    /// gives the first error to its waiter at once; the other tasks run on).
    pub(super) over: Cell<bool>,
    /// What its first task to fail or be cancelled raised.
    pub(super) raised: RefCell<Option<Raised>>,
    /// Its tasks, in the order given: what the waiter's pauses record, and whose results it
    /// returns.
    pub(super) ids: Rc<[TaskId]>,
}

/// The interpreter's record of a task. Every task has one, in one vector, for as long as the
/// run lasts: its size is most of what a sleeping task costs the interpreter.
pub(super) struct TaskCell {
    /// What it is doing.
    pub(super) state: Life,
    /// The waker of its last poll: to wake it when what it awaits ends, or to cancel it.
    pub(super) waker: Option<Waker>,
    pub(super) listeners: Listeners,
}

/// Where a task is in its life.
pub(super) enum Life {
    /// Created, not yet polled: what it will run.
    Start(Start),
    /// Started: its machine, between two polls.
    Run(Machine),
    /// Being polled: its machine is out of the record meanwhile.
    Polling,
    /// Cancelled, not yet told (asyncio's `_must_cancel`): its next step raises
    /// `CancelledError` where it is, and nothing in the subset catches it, so its machine is
    /// already gone.
    Cancelling,
    /// Finished (with what it returned), failed or cancelled.
    Ended(Result<Value, Raised>),
}

/// The coroutine a task was created with (its name went into the task's).
pub(super) enum Start {
    /// A call of one of the program's functions.
    Call { func: FnId, args: Vec<Value> },
    /// `asyncio.sleep(secs)` as a task of its own.
    Sleep(f64),
}

/// A started task: the calls it is inside, outermost first, the block it is in within each, and
/// what it waits on. The task's own call is kept in line, and anything deeper behind one
/// pointer: most tasks never go deeper, and every task has a record for as long as the run lasts.
pub(super) struct Machine {
    /// What it waits on, if anything; while it waits, it is at the statement that awaits.
    pub(super) wait: Wait,
    /// While it waits on a sleep, when the sleep falls due and how long it is, for the record
    /// of its pauses (kept here, not in [`Wait`], so that the enum needs no 8-byte tag).
    pub(super) due: f64,
    pub(super) secs: f64,
    /// The task's own call; none for a task that is a bare `asyncio.sleep`.
    pub(super) base: Option<Frame>,
    /// Deeper levels, if any.
    pub(super) deep: Option<Box<Deep>>,
}

/// The levels of a task deeper than its own call's body, innermost last: blocks entered (loop
/// and `if` bodies) and calls awaited in line (an awaited coroutine runs inside the awaiting
/// task). Never empty: a machine with no deeper level has none of these.
pub(super) struct Deep(pub(super) Vec<Level>);

/// What a task waits on.
pub(super) enum Wait {
    None,
    /// A bare yield (`asyncio.sleep(0)`), in the step that yields: its next step is queued.
    Yield,
    /// A bare yield, past the step that yielded: done.
    Yielded,
    /// A sleep's timer (see [`Machine::due`]).
    Sleep(TimerId),
    /// Another task's end.
    Join(TaskId),
    /// The end of every task of a `gather`.
    Gather(Rc<GatherState>),
}

/// A call being run: its function, its variables, and the statement of its body it is at.
pub(super) struct Frame {
    pub(super) func: FnId,
    pub(super) env: Env,
    pub(super) at: usize,
}

/// A level of a task deeper than its own call's body.
pub(super) enum Level {
    /// A call awaited in line: its body is what runs.
    Call(Frame),
    /// A block of the statement the level below is at: which one, and the statement it is at.
    Block { how: Enter, at: usize },
}

/// Which block of its statement a [`Level::Block`] runs.
pub(super) enum Enter {
    /// An `if`'s first branch.
    Then,
    /// An `if`'s `else` branch.
    Else,
    /// A `while` body; its condition is checked again at its end.
    While,
    /// A `for` body: the items, and the index of the next one.
    For { items: Rc<Vec<Value>>, next: usize },
}

/// The innermost block a machine is in.
pub(super) struct Cursor<'p> {
    /// Its statements.
    pub(super) stmts: &'p [Stmt],
    /// The statement it is at (`stmts.len()` once past the last).
    pub(super) at: usize,
    /// The statement whose block it is; none for a function's body.
    pub(super) owner: Option<&'p Stmt>,
}

impl Machine {
    pub(super) fn new() -> Machine {
        Machine {
            wait: Wait::None,
            due: 0.0,
            secs: 0.0,
            base: None,
            deep: None,
        }
    }

    /// The levels deeper than the task's own call's body, innermost last.
    pub(super) fn levels(&self) -> &[Level] {
        self.deep.as_ref().map_or(&[], |d| &d.0)
    }

    pub(super) fn levels_mut(&mut self) -> &mut [Level] {
        self.deep.as_mut().map_or(&mut [], |d| &mut d.0)
    }

    /// Goes one level deeper.
    pub(super) fn push(&mut self, level: Level) {
        match &mut self.deep {
            Some(d) => d.0.push(level),
            None => self.deep = Some(Box::new(Deep(vec![level]))),
        }
    }

    /// Keeps the outermost `n` deeper levels only.
    pub(super) fn truncate(&mut self, n: usize) {
        if n == 0 {
            self.deep = None;
        } else if let Some(d) = &mut self.deep {
            d.0.truncate(n);
        }
    }

    /// The calls it is inside, outermost first: its await chain is their functions.
    pub(super) fn calls(&self) -> impl Iterator<Item = &Frame> {
        let inline = self.levels().iter().filter_map(|l| match l {
            Level::Call(frame) => Some(frame),
            Level::Block { .. } => None,
        });
        self.base.iter().chain(inline)
    }

    /// The innermost call, with the levels of blocks entered within it.
    pub(super) fn call(&self) -> Option<(&Frame, &[Level])> {
        let levels = self.levels();
        for (i, level) in levels.iter().enumerate().rev() {
            if let Level::Call(frame) = level {
                return Some((frame, &levels[i + 1..]));
            }
        }
        self.base.as_ref().map(|frame| (frame, levels))
    }

    /// The variables of the innermost call.
    pub(super) fn env(&mut self) -> Result<&mut Env, Error> {
        // The field, not `levels_mut`: the borrow checker then sees it apart from `base`.
        let levels = self.deep.as_mut().map_or(&mut [][..], |d| &mut d.0[..]);
        for level in levels.iter_mut().rev() {
            if let Level::Call(frame) = level {
                return Ok(&mut frame.env);
            }
        }
        self.base.as_mut().map(|f| &mut f.env).ok_or_else(lost)
    }

    /// Where the innermost block is: its statements are found from the function's body down,
    /// one level at a time (levels keep indices, not references into the program).
    pub(super) fn cursor<'p>(&self, program: &'p Program) -> Option<Cursor<'p>> {
        let (frame, blocks) = self.call()?;
        let mut cursor = Cursor {
            stmts: &program.functions.get(frame.func.0 as usize)?.body,
            at: frame.at,
            owner: None,
        };
        for level in blocks {
            let Level::Block { how, at } = level else {
                return None;
            };
            let owner = cursor.stmts.get(cursor.at)?;
            let stmts = match (&owner.kind, how) {
                (StmtKind::If { then, .. }, Enter::Then) => then,
                (StmtKind::If { otherwise, .. }, Enter::Else) => otherwise,
                (StmtKind::While { body, .. }, Enter::While)
                | (StmtKind::For { body, .. }, Enter::For { .. }) => body,
                _ => return None,
            };
            cursor = Cursor {
                stmts,
                at: *at,
                owner: Some(owner),
            };
        }
        Some(cursor)
    }

    /// The statement it is at, as its pauses record it (none for a bare sleep).
    pub(super) fn step(&self, program: &Program) -> StepId {
        self.cursor(program)
            .and_then(|c| c.stmts.get(c.at))
            .map(|s| s.id)
            .unwrap_or_default()
    }

    /// Moves the innermost block on to its next statement.
    pub(super) fn advance(&mut self) {
        let levels = self.deep.as_mut().map_or(&mut [][..], |d| &mut d.0[..]);
        let at = match levels.last_mut() {
            Some(Level::Call(frame)) => &mut frame.at,
            Some(Level::Block { at, .. }) => at,
            None => match &mut self.base {
                Some(frame) => &mut frame.at,
                None => return,
            },
        };
        *at += 1;
    }
}

/// The error of a machine that does not match its program (a bug, never a program's fault).
pub(super) fn lost() -> Error {
    Error::Lost
}

/// Who waits on a task: usually one waiter (a `gather` or an `await`), kept without a vector;
/// several (two tasks awaiting one, say) behind one pointer.
#[derive(Default)]
pub(super) enum Listeners {
    #[default]
    None,
    One(Listener),
    Many(Box<More>),
}

/// Several listeners, in the order they came.
pub(super) struct More(pub(super) Vec<Listener>);

impl Listeners {
    pub(super) fn push(&mut self, l: Listener) {
        match std::mem::take(self) {
            Listeners::None => *self = Listeners::One(l),
            Listeners::One(first) => *self = Listeners::Many(Box::new(More(vec![first, l]))),
            Listeners::Many(mut more) => {
                more.0.push(l);
                *self = Listeners::Many(more);
            }
        }
    }

    /// Registers an `await` of `waiter` (it registers on every poll while it waits): an earlier
    /// one is forgotten, and the waiter goes last, unless it was first already.
    pub(super) fn join(&mut self, waiter: TaskId) {
        let is_it = |l: &Listener| matches!(l, Listener::Join(w) if *w == waiter);
        match self {
            Listeners::One(first) if is_it(first) => return,
            Listeners::Many(more) => {
                if more.0.first().is_some_and(is_it) {
                    return;
                }
                more.0.retain(|l| !is_it(l));
            }
            _ => {}
        }
        self.push(Listener::Join(waiter));
    }

    pub(super) fn drain_all(self) -> impl Iterator<Item = Listener> {
        let (one, many) = match self {
            Listeners::None => (None, Vec::new()),
            Listeners::One(l) => (Some(l), Vec::new()),
            Listeners::Many(more) => (None, more.0),
        };
        one.into_iter().chain(many)
    }
}

/// Await chains as a tree: each one is its parent chain plus a function.
#[derive(Default)]
pub(super) struct Chains {
    /// Per chain: its parent and the function it adds (the root, 0, is the empty chain). A
    /// program has a handful, so a scan beats a hash map (and keeps its code out of the module).
    pub(super) links: Vec<(u32, FnId)>,
}

/// A function's variables. Functions have a handful, so a short list beats a hash map (and
/// keeps hashing code out of the shipped module); a boxed slice, not a vector, since every
/// task's record holds its own call's (8 bytes, not 12, and nothing allocated for none).
/// Adding a variable copies the list, which is rare: assignments to a known one do not.
pub(super) struct Env(pub(super) Box<[(Rc<str>, Value)]>);

impl Env {
    pub(super) fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| &**n == name).map(|(_, v)| v)
    }

    pub(super) fn insert(&mut self, name: Rc<str>, value: Value) -> Option<Value> {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => Some(std::mem::replace(v, value)),
            None => {
                let mut vars = std::mem::take(&mut self.0).into_vec();
                vars.push((name, value));
                self.0 = vars.into_boxed_slice();
                None
            }
        }
    }

    pub(super) fn remove(&mut self, name: &str) -> Option<Value> {
        let i = self.0.iter().position(|(n, _)| &**n == name)?;
        let mut vars = std::mem::take(&mut self.0).into_vec();
        let (_, value) = vars.swap_remove(i);
        self.0 = vars.into_boxed_slice();
        Some(value)
    }
}

/// What a poll of a task came to, short of an error.
pub(super) enum PollEnd {
    /// It waits on this.
    Pause(WaitOn),
    /// Its own call returned this.
    Done(Value),
}

/// What a machine's wait came to.
pub(super) enum Waited {
    /// It waits on nothing.
    Nothing,
    /// It still waits, on this.
    Pending(WaitOn),
    /// The wait is over, with this value.
    Ready(Value),
}
