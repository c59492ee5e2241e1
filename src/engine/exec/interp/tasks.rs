//! Tasks as asyncio runs them: how a task ends and who is told (each at the back of the ready
//! queue), cancellation where a task waits, `asyncio.run`'s shutdown, one poll of a task, and
//! what it waits on (a sleep, a bare yield, a task, a gather).

use std::rc::Rc;
use std::task::{Context, Poll};

use crate::engine::exec::interp::errors::{Error, Raised};
use crate::engine::exec::interp::machine::*;
use crate::engine::exec::interp::Ctx;
use crate::engine::lang::program::{FnId, OnMainReturn, StmtKind};
use crate::engine::lang::value::Value;
use crate::engine::record::trace::{EventKind, TaskId, WaitOn};

impl Ctx {
    /// Ends a task: records how, and tells whoever waits on it, as asyncio schedules a
    /// future's done callbacks: each at the back of the ready queue, in the order they came.
    pub(super) fn end(self: &Rc<Self>, id: TaskId, result: Result<Value, Raised>) {
        let (listeners, before) = {
            let mut tasks = self.tasks.borrow_mut();
            let Some(cell) = tasks.get_mut(id.0 as usize) else {
                return;
            };
            if matches!(cell.state, Life::Ended(_)) {
                return;
            }
            let how = result.clone();
            let before = std::mem::replace(&mut cell.state, Life::Ended(how));
            (std::mem::take(&mut cell.listeners), before)
        };
        // Its machine goes with its timer; with no borrow held.
        if let Life::Run(m) = before {
            self.discard(m);
        }
        self.live.set(self.live.get().saturating_sub(1));
        let how = match &result {
            Ok(Value::None) => EventKind::Finished {
                value: self.none.clone(),
            },
            Ok(v) => EventKind::Finished {
                value: Rc::from(v.repr()),
            },
            Err(Raised::Cancelled) => EventKind::Cancelled,
            Err(Raised::Error(e)) => EventKind::Failed(Rc::from(e.to_string())),
        };
        self.record(id, how);
        for l in listeners.drain_all() {
            match l {
                Listener::Join(waiter) => {
                    self.record(waiter, EventKind::Woken);
                    self.wake(waiter);
                }
                Listener::Gather(g) => {
                    // The gather's own done callback runs in the next turn; it wakes the waiter
                    // (in the turn after) once the gather is over.
                    let ctx = self.clone();
                    let outcome = result.clone().err();
                    self.rt
                        .call_soon(Box::new(move || ctx.gather_told(&g, outcome)));
                }
            }
        }
    }

    /// A gather's done callback: one of its tasks ended (with `raised` if it did not finish).
    pub(super) fn gather_told(&self, g: &GatherState, raised: Option<Raised>) {
        if g.over.get() {
            return;
        }
        let left = g.remaining.get().saturating_sub(1);
        g.remaining.set(left);
        if let Some(r) = raised {
            *g.raised.borrow_mut() = Some(r);
        } else if left > 0 {
            return;
        }
        g.over.set(true);
        self.record(g.waiter, EventKind::Woken);
        self.wake(g.waiter);
    }

    /// Wakes a task through the waker of its last poll.
    pub(super) fn wake(&self, task: TaskId) {
        let waker = self
            .tasks
            .borrow()
            .get(task.0 as usize)
            .and_then(|c| c.waker.clone());
        if let Some(w) = waker {
            self.rt.wake(w);
        }
    }

    /// Drops the machine of a task that will not run again, and the timer of its sleep (a
    /// sleep cancelled before it fired must not fire).
    pub(super) fn discard(&self, m: Machine) {
        if let Wait::Sleep(timer) = m.wait {
            self.rt.cancel_timer(timer);
        }
    }

    /// `task.cancel()`, as asyncio does it: the task raises `CancelledError` at its next step.
    /// If it waits on a sleep, the sleep is cancelled and the task woken; if it awaits a task or
    /// a gather, the cancellation goes to what it awaits (the error then comes back through
    /// it). False if the task is over already.
    pub(super) fn request_cancel(self: &Rc<Self>, id: TaskId) -> bool {
        enum Then {
            Nothing,
            Wake,
            Cancel(Vec<TaskId>),
        }
        let then = {
            let mut tasks = self.tasks.borrow_mut();
            let Some(cell) = tasks.get_mut(id.0 as usize) else {
                return false;
            };
            let then = match &cell.state {
                Life::Ended(_) => return false,
                Life::Polling | Life::Cancelling => return true,
                Life::Run(m) => match &m.wait {
                    // The sleep is cancelled, which wakes the task (unless its timer already
                    // fired and woke it).
                    Wait::Sleep(timer) if self.rt.cancel_timer(*timer) => Then::Wake,
                    Wait::Join(target) => Then::Cancel(vec![*target]),
                    Wait::Gather(g) if !g.over.get() => Then::Cancel(g.ids.to_vec()),
                    _ => Then::Nothing,
                },
                Life::Start(_) => Then::Nothing,
            };
            if !matches!(then, Then::Cancel(_)) {
                cell.state = Life::Cancelling;
            }
            then
        };
        match then {
            Then::Nothing => {}
            Then::Wake => self.wake(id),
            Then::Cancel(targets) => {
                let mut any = false;
                for t in targets {
                    any |= self.request_cancel(t);
                }
                if !any {
                    // What it awaits is over already (its wake is queued): it is told itself.
                    if let Some(cell) = self.tasks.borrow_mut().get_mut(id.0 as usize) {
                        if let Life::Run(m) = std::mem::replace(&mut cell.state, Life::Cancelling) {
                            drop(m);
                        }
                    }
                }
            }
        }
        true
    }

    /// Ends a task at once, wherever it is: the page's Stop, not asyncio's cancellation.
    pub(super) fn terminate(self: &Rc<Self>, id: TaskId) {
        self.end(id, Err(Raised::Cancelled));
    }

    /// What `asyncio.run` does once its main task is over and the loop has stopped (the turn
    /// that ran its done callback has ended): cancels every task still unfinished, each where it
    /// waits, and lets them end.
    pub(super) fn shut_down(self: &Rc<Self>) {
        let n = self.tasks.borrow().len() as u32;
        for id in 1..n {
            self.request_cancel(TaskId(id));
        }
    }

    /// One poll of task `id`, whose state was taken out of its record: starts it if it is new,
    /// runs it until it waits or ends, and records how the poll ended.
    pub(super) fn poll_task(
        self: &Rc<Self>,
        id: TaskId,
        state: Life,
        cx: &mut Context<'_>,
    ) -> Poll<()> {
        let mut m = Machine::new();
        let started = match state {
            Life::Start(Start::Sleep(secs)) => {
                self.sleep(id, &mut m, secs);
                Ok(())
            }
            Life::Start(Start::Call { func, args }) => self.enter(&mut m, func, args),
            Life::Run(run) => {
                m = run;
                Ok(())
            }
            Life::Cancelling => {
                // `CancelledError` is raised where the task is: nothing in the subset catches it.
                return self.after_poll(id, m, Err(Raised::Cancelled));
            }
            Life::Polling | Life::Ended(_) => return Poll::Ready(()),
        };
        let step = started
            .map_err(Raised::from)
            .and_then(|()| self.drive(id, &mut m, cx));
        self.after_poll(id, m, step)
    }

    /// Records how a poll of task `id` ended, and keeps or drops its machine.
    pub(super) fn after_poll(
        self: &Rc<Self>,
        id: TaskId,
        m: Machine,
        step: Result<PollEnd, Raised>,
    ) -> Poll<()> {
        let outcome = match step {
            Ok(PollEnd::Pause(on)) => {
                let (chain, step) = (self.chain_of(&m), m.step(&self.program));
                let gone = {
                    let mut tasks = self.tasks.borrow_mut();
                    match tasks.get_mut(id.0 as usize) {
                        Some(cell) if matches!(cell.state, Life::Polling) => {
                            cell.state = Life::Run(m);
                            None
                        }
                        // Ended while it ran (it stopped the run, say): drop it now.
                        _ => Some(m),
                    }
                };
                if let Some(m) = gone {
                    self.discard(m);
                    return Poll::Ready(());
                }
                self.record(id, EventKind::Paused { on, chain, step });
                return Poll::Pending;
            }
            Ok(PollEnd::Done(v)) => Ok(v),
            Err(raised) => Err(raised),
        };
        self.discard(m);
        self.end(id, outcome);
        if id == TaskId(0) && self.program.on_main_return == OnMainReturn::CancelPending {
            // asyncio.run's done callback on the main task stops the loop: the turn that runs
            // it is finished, then every other task is cancelled.
            let ctx = self.clone();
            let rt = self.rt.clone();
            self.rt.call_soon(Box::new(move || {
                rt.after_turn(Box::new(move || ctx.shut_down()));
            }));
        }
        Poll::Ready(())
    }

    /// Runs task `task` from where it is until it waits on something or returns.
    pub(super) fn drive(
        self: &Rc<Self>,
        task: TaskId,
        m: &mut Machine,
        cx: &mut Context<'_>,
    ) -> Result<PollEnd, Raised> {
        loop {
            match self.poll_wait(task, m, cx)? {
                Waited::Pending(on) => return Ok(PollEnd::Pause(on)),
                Waited::Ready(v) => {
                    if let Some(v) = self.resume(m, v) {
                        return Ok(PollEnd::Done(v));
                    }
                }
                Waited::Nothing => {}
            }
            if let Some(v) = self.next(task, m)? {
                return Ok(PollEnd::Done(v));
            }
        }
    }

    /// Looks at what the machine waits on: still pending (what to record), over (its value), or
    /// nothing to wait for. What an awaited task or gather raised is raised here in turn.
    pub(super) fn poll_wait(
        &self,
        task: TaskId,
        m: &mut Machine,
        cx: &mut Context<'_>,
    ) -> Result<Waited, Raised> {
        let value = match &m.wait {
            Wait::None => return Ok(Waited::Nothing),
            Wait::Yield => {
                m.wait = Wait::Yielded;
                return Ok(Waited::Pending(WaitOn::Sleep {
                    due: m.due,
                    secs: 0.0,
                }));
            }
            Wait::Yielded => Value::None,
            Wait::Sleep(timer) => match self.rt.poll_timer(*timer, cx) {
                Poll::Pending => {
                    return Ok(Waited::Pending(WaitOn::Sleep {
                        due: m.due,
                        secs: m.secs,
                    }))
                }
                Poll::Ready(()) => Value::None,
            },
            Wait::Join(target) => {
                let mut tasks = self.tasks.borrow_mut();
                let Some(cell) = tasks.get_mut(target.0 as usize) else {
                    return Err(Raised::Error(Error::Lost));
                };
                match &cell.state {
                    Life::Ended(result) => result.clone()?,
                    _ => {
                        cell.listeners.join(task);
                        return Ok(Waited::Pending(WaitOn::Task(*target)));
                    }
                }
            }
            Wait::Gather(g) => {
                if !g.over.get() {
                    return Ok(Waited::Pending(WaitOn::Gather(g.ids.clone())));
                }
                if let Some(raised) = g.raised.borrow().clone() {
                    return Err(raised);
                }
                let tasks = self.tasks.borrow();
                let results = g
                    .ids
                    .iter()
                    .map(|id| match tasks.get(id.0 as usize).map(|c| &c.state) {
                        Some(Life::Ended(Ok(v))) => v.clone(),
                        _ => Value::None,
                    })
                    .collect();
                Value::List(Rc::new(results))
            }
        };
        m.wait = Wait::None;
        Ok(Waited::Ready(value))
    }

    /// Gives `v`, what was awaited, to the statement that awaited it, which is then done; or,
    /// in a task that is a bare sleep, returns it as the task's result.
    pub(super) fn resume(&self, m: &mut Machine, v: Value) -> Option<Value> {
        if m.base.is_none() {
            return Some(v);
        }
        let awaiting = m
            .cursor(&self.program)
            .and_then(|c| c.stmts.get(c.at))
            .map(|s| &s.kind);
        if let Some(StmtKind::Await { var, .. } | StmtKind::Gather { var, .. }) = awaiting {
            if let (Some(var), Ok(env)) = (var, m.env()) {
                env.insert(var.clone(), v);
            }
        }
        m.advance();
        None
    }

    /// Returns `v` from the innermost call: to the statement that awaited it, or, from the
    /// task's own call, as the task's result.
    pub(super) fn ret(&self, m: &mut Machine, v: Value) -> Option<Value> {
        let inner = m.levels().iter().rposition(|l| matches!(l, Level::Call(_)));
        match inner {
            Some(i) => {
                m.truncate(i);
                self.resume(m, v)
            }
            None => Some(v),
        }
    }

    /// Enters a call of `func` with `args`: its body runs next, in this task.
    pub(super) fn enter(&self, m: &mut Machine, func: FnId, args: Vec<Value>) -> Result<(), Error> {
        // A chain is added when a call in it first begins, before the call is checked: chains
        // are numbered in the order they are first seen.
        self.chain_push(self.chain_of(m), func);
        let Some(f) = self.program.functions.get(func.0 as usize) else {
            return Err(Error::Lost);
        };
        if f.params.len() != args.len() {
            return Err(arity(&f.name, &f.params, args.len()));
        }
        let frame = Frame {
            func,
            env: Env(f.params.iter().cloned().zip(args).collect()),
            at: 0,
        };
        match m.base {
            None => m.base = Some(frame),
            Some(_) => m.push(Level::Call(frame)),
        }
        Ok(())
    }

    /// Starts a sleep: the machine waits on its timer. A sleep of 0 (or less) is asyncio's bare
    /// yield: no timer, the task's next step goes to the back of the ready queue.
    pub(super) fn sleep(&self, task: TaskId, m: &mut Machine, secs: f64) {
        let secs = if secs.is_finite() { secs.max(0.0) } else { 0.0 };
        if secs == 0.0 {
            m.wait = Wait::Yield;
            m.due = self.now();
            m.secs = 0.0;
            self.wake(task);
            return;
        }
        let timer = self.rt.timer(self.now(), secs, task.0);
        m.wait = Wait::Sleep(timer.id);
        m.due = timer.due;
        m.secs = secs;
    }
}

/// `TypeError` for a call of `name` (taking `params`) with `given` arguments, worded as CPython
/// words it.
fn arity(name: &str, params: &[Rc<str>], given: usize) -> Error {
    let want = params.len();
    if given < want {
        let missing: Vec<String> = params[given..].iter().map(|p| format!("'{p}'")).collect();
        let list = match missing.len() {
            1 => missing[0].clone(),
            n => format!("{} and {}", missing[..n - 1].join(", "), missing[n - 1]),
        };
        Error::Type(format!(
            "{name}() missing {} required positional argument{}: {list}",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        ))
    } else {
        Error::Type(format!(
            "{name}() takes {want} positional argument{} but {given} {} given",
            if want == 1 { "" } else { "s" },
            if given == 1 { "was" } else { "were" }
        ))
    }
}
