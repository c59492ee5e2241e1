//! Statements, run one at a time: each either completes at once or leaves the task waiting on
//! what it awaits (a sleep, a call entered in line, a task, a gather).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::engine::exec::interp::errors::Error;
use crate::engine::exec::interp::expressions::{assign, coro_name, list, number};
use crate::engine::exec::interp::machine::*;
use crate::engine::exec::interp::Ctx;
use crate::engine::lang::program::{BlockKind, Stmt, StmtKind};
use crate::engine::lang::value::{Coroutine, Value};
use crate::engine::record::trace::{EventKind, TaskId};

impl Ctx {
    /// Runs the statement the machine is at, or leaves the block it is past the end of. Gives
    /// the task's result once its own call returns.
    pub(super) fn next(
        self: &Rc<Self>,
        task: TaskId,
        m: &mut Machine,
    ) -> Result<Option<Value>, Error> {
        let program = &*self.program;
        let cursor = m.cursor(program).ok_or_else(lost)?;
        match cursor.stmts.get(cursor.at) {
            Some(stmt) => self.exec(task, m, stmt),
            None => self.leave(m, cursor.owner),
        }
    }

    /// Past the end of a block: a loop goes round again, anything else is done with; the end of
    /// a function's body returns `None`.
    pub(super) fn leave(
        &self,
        m: &mut Machine,
        owner: Option<&Stmt>,
    ) -> Result<Option<Value>, Error> {
        let again = match owner.map(|s| &s.kind) {
            None => return Ok(self.ret(m, Value::None)),
            Some(StmtKind::For { var, .. }) => {
                let item = match m.levels_mut().last_mut() {
                    Some(Level::Block {
                        how: Enter::For { items, next },
                        ..
                    }) => {
                        let item = items.get(*next).cloned();
                        *next += 1;
                        item
                    }
                    _ => None,
                };
                match item {
                    Some(item) => {
                        m.env()?.insert(var.clone(), item);
                        true
                    }
                    None => false,
                }
            }
            Some(StmtKind::While { cond, .. }) => self.eval(m.env()?, cond)?.truthy(),
            Some(_) => false,
        };
        if again {
            if let Some(Level::Block { at, .. }) = m.levels_mut().last_mut() {
                *at = 0;
            }
        } else {
            m.truncate(m.levels().len().saturating_sub(1));
            m.advance();
        }
        Ok(None)
    }

    /// Runs one statement: at once, or up to what it awaits (the machine then waits on it, or
    /// is in the awaited call). Gives the task's result if it returned from its own call.
    pub(super) fn exec(
        self: &Rc<Self>,
        task: TaskId,
        m: &mut Machine,
        stmt: &Stmt,
    ) -> Result<Option<Value>, Error> {
        self.add_work(1);
        let env = m.env()?;
        match &stmt.kind {
            StmtKind::Let { var, value } => {
                let v = self.eval(env, value)?;
                env.insert(var.clone(), v);
            }
            StmtKind::Print(parts) => {
                let mut line = String::new();
                for (i, p) in parts.iter().enumerate() {
                    if i > 0 {
                        line.push(' ');
                    }
                    line.push_str(&self.eval(env, p)?.to_string());
                }
                self.record(
                    task,
                    EventKind::Printed {
                        text: Rc::from(line),
                        step: stmt.id,
                        open: false,
                    },
                );
            }
            StmtKind::Await { target, .. } => {
                let target = self.eval(env, target)?;
                self.await_value(task, m, target)?;
                return Ok(None);
            }
            StmtKind::Spawn { var, coro } => {
                let c = match self.eval(env, coro)? {
                    Value::Coroutine(c) => c,
                    other => {
                        return Err(Error::Type(format!(
                            "a coroutine was expected, got {}",
                            other.repr()
                        )))
                    }
                };
                let id = self.spawn(Some(task), &c, None);
                assign(env, var, Value::Task(id));
            }
            StmtKind::Gather { items, .. } => {
                let items = self.eval(env, items)?;
                self.gather(task, m, items)?;
                return Ok(None);
            }
            StmtKind::Discard(e) => {
                if let Value::Coroutine(c) = self.eval(env, e)? {
                    self.record(task, EventKind::NeverAwaited(Rc::from(coro_name(&c))));
                }
            }
            StmtKind::Block { secs, kind } => {
                let secs = number(&self.eval(env, secs)?, "blocking work")?.max(0.0);
                let from = self.rt.now();
                let rounds = self.rt.block(secs);
                // Only a busy polling loop's rounds are polls; other work just spins.
                let spins = if *kind == BlockKind::Spin { rounds } else { 0 };
                let until = self.rt.now();
                if self.clock.get().is_some() {
                    self.clock.set(Some((until, self.work.get())));
                }
                self.record_at(from, task, EventKind::Blocked { until, spins });
            }
            StmtKind::For { var, iter, .. } => {
                let items = list(self.eval(env, iter)?)?;
                if let Some(first) = items.first() {
                    env.insert(var.clone(), first.clone());
                    let how = Enter::For { items, next: 1 };
                    m.push(Level::Block { how, at: 0 });
                    return Ok(None);
                }
            }
            StmtKind::If { cond, .. } => {
                let how = if self.eval(env, cond)?.truthy() {
                    Enter::Then
                } else {
                    Enter::Else
                };
                m.push(Level::Block { how, at: 0 });
                return Ok(None);
            }
            StmtKind::While { cond, .. } => {
                if self.eval(env, cond)?.truthy() {
                    m.push(Level::Block {
                        how: Enter::While,
                        at: 0,
                    });
                    return Ok(None);
                }
            }
            StmtKind::Cancel(e) => match self.eval(env, e)? {
                Value::Task(id) if id == task => {
                    return Err(Error::Runtime("a task cannot cancel itself here"))
                }
                Value::Task(id) => {
                    self.request_cancel(id);
                }
                other => {
                    return Err(Error::Attribute(format!(
                        "'{}' object has no attribute 'cancel'",
                        other.type_name()
                    )))
                }
            },
            StmtKind::Return(e) => {
                let v = self.eval(env, e)?;
                return Ok(self.ret(m, v));
            }
        }
        m.advance();
        Ok(None)
    }

    /// Awaits `target` at the statement the machine is at: a sleep starts its timer, a call is
    /// entered (it runs in line, in this task), a task is joined.
    pub(super) fn await_value(
        &self,
        task: TaskId,
        m: &mut Machine,
        target: Value,
    ) -> Result<(), Error> {
        match target {
            Value::Coroutine(c) => match &*c {
                Coroutine::Sleep(secs) => self.sleep(task, m, *secs),
                Coroutine::Call { func, args, .. } => self.enter(m, *func, args.clone())?,
            },
            Value::Task(id) if id == task => {
                return Err(Error::Runtime("a task cannot await itself"))
            }
            Value::Task(id) => m.wait = Wait::Join(id),
            other => {
                return Err(Error::Type(format!(
                    "object {} can't be used in 'await' expression",
                    other.type_name()
                )))
            }
        }
        Ok(())
    }

    /// Starts a `gather`: its coroutines become tasks, and the machine waits on them all.
    pub(super) fn gather(
        self: &Rc<Self>,
        task: TaskId,
        m: &mut Machine,
        items: Value,
    ) -> Result<(), Error> {
        let items = list(items)?;
        let mut ids = Vec::with_capacity(items.len());
        // A gather of many coroutines makes many tasks: room for them all at once, not doubled.
        let new = items
            .iter()
            .filter(|i| matches!(i, Value::Coroutine(_)))
            .count();
        self.tasks.borrow_mut().reserve_exact(new);
        self.trace.borrow_mut().tasks.reserve_exact(new);
        self.rt.reserve(new);
        // Tasks given more than once are waited on once (coroutines all become new tasks).
        let mut repeated = Vec::new();
        let mut seen: Vec<u64> = Vec::new();
        for item in items.iter() {
            match item {
                Value::Coroutine(c) => ids.push(self.spawn(Some(task), c, None)),
                Value::Task(id) if (id.0 as usize) < self.tasks.borrow().len() => {
                    let (word, bit) = (id.0 as usize / 64, 1u64 << (id.0 % 64));
                    if seen.len() <= word {
                        seen.resize(word + 1, 0);
                    }
                    if seen[word] & bit != 0 {
                        repeated.push(ids.len());
                    }
                    seen[word] |= bit;
                    ids.push(*id);
                }
                Value::Task(id) => ids.push(*id),
                _ => {
                    return Err(Error::Type(
                        "An asyncio.Future, a coroutine or an awaitable is required".into(),
                    ))
                }
            }
        }
        // The coroutines are in their tasks now: the list goes before the wait.
        drop(items);
        let state = Rc::new(GatherState {
            waiter: task,
            remaining: Cell::new(0),
            over: Cell::new(false),
            raised: RefCell::new(None),
            ids: ids.into(),
        });
        // One done callback per distinct task, as asyncio adds it; a task already over has its
        // callback queued at once.
        let mut told_now = Vec::new();
        {
            let mut tasks = self.tasks.borrow_mut();
            for (i, id) in state.ids.iter().enumerate() {
                if repeated.contains(&i) {
                    continue;
                }
                if let Some(cell) = tasks.get_mut(id.0 as usize) {
                    state.remaining.set(state.remaining.get() + 1);
                    match &cell.state {
                        Life::Ended(result) => told_now.push(result.clone().err()),
                        _ => cell.listeners.push(Listener::Gather(state.clone())),
                    }
                }
            }
        }
        if state.remaining.get() == 0 {
            // Nothing to wait for: `await asyncio.gather()` gives `[]` without yielding.
            state.over.set(true);
        }
        for raised in told_now {
            let (ctx, g) = (self.clone(), state.clone());
            self.rt
                .call_soon(Box::new(move || ctx.gather_told(&g, raised)));
        }
        m.wait = Wait::Gather(state);
        Ok(())
    }
}
