//! Futures' done callbacks, queued with `call_soon` as asyncio queues them and run as its
//! callbacks do (a task's wakeup, `gather`'s, `wait`'s, `as_completed`'s, a task group's,
//! `shield`'s), and `gather` itself.

use std::cell::Cell;
use std::rc::Rc;

use super::aio::{self, Callback, FutureObj};
use super::object::{ExcKind, Exception, Obj};
use super::ops::{self, Res};
use super::Vm;
use crate::engine::record::trace::EventKind;

impl Vm {
    /// `add_done_callback`: at once (queued) if it is done.
    pub fn add_done_callback(&self, f: &Rc<FutureObj>, cb: Callback) {
        if f.is_done() {
            self.schedule(cb, f.clone());
        } else {
            f.callbacks.borrow_mut().push(cb);
        }
    }

    pub(super) fn schedule_callbacks(&self, f: &Rc<FutureObj>) {
        let cbs = std::mem::take(&mut *f.callbacks.borrow_mut());
        for cb in cbs {
            self.schedule(cb, f.clone());
        }
    }

    /// Queues a done callback with `call_soon` (a task's wakeup is its next step).
    pub(super) fn schedule(&self, cb: Callback, f: Rc<FutureObj>) {
        if let Callback::Wake(task) = &cb {
            if let Some(tp) = &task.task {
                self.record(tp.id, EventKind::Woken);
                if let Some(w) = tp.waker.borrow().clone() {
                    self.rt.wake(w);
                }
            }
            return;
        }
        let vm = self.me.clone();
        self.rt.call_soon(Box::new(move || {
            if let Some(vm) = vm.upgrade() {
                vm.run_callback(cb, &f);
            }
        }));
    }

    pub(super) fn run_callback(&self, cb: Callback, f: &Rc<FutureObj>) {
        match cb {
            Callback::Wake(_) => {}
            Callback::StopLoop => {
                let vm = self.me.clone();
                self.rt.after_turn(Box::new(move || {
                    if let Some(vm) = vm.upgrade() {
                        vm.loop_stopped();
                    }
                }));
            }
            Callback::Release(w) => {
                if !w.is_done() {
                    self.set_result(&w, Obj::None);
                }
            }
            Callback::Gather(g) => self.gather_done(&g, f),
            Callback::Wait(w) => {
                let left = w.counter.get().saturating_sub(1);
                w.counter.set(left);
                let failed = !f.is_cancelled() && f.exception.borrow().is_some();
                if left == 0
                    || &*w.return_when == "FIRST_COMPLETED"
                    || (&*w.return_when == "FIRST_EXCEPTION" && failed)
                {
                    if let Some(t) = w.timer.take() {
                        self.cancel_timer(t);
                    }
                    if !w.waiter.is_done() {
                        self.set_result(&w.waiter, Obj::None);
                    }
                }
            }
            Callback::AsCompleted(s) => {
                if s.todo.borrow().is_empty() {
                    return;
                }
                s.todo.borrow_mut().retain(|t| !Rc::ptr_eq(t, f));
                let _ = aio::queue_put_nowait(self, &s.done, Obj::Future(f.clone()));
                if s.todo.borrow().is_empty() {
                    if let Some(t) = s.timer.take() {
                        self.cancel_timer(t);
                    }
                }
            }
            Callback::TaskGroup(tg) => self.group_task_done(&tg, f),
            Callback::ShieldInner(outer) => {
                if outer.is_cancelled() {
                    return;
                }
                if f.is_cancelled() {
                    self.cancel_future(&outer);
                } else {
                    match f.outcome() {
                        Ok(v) => self.set_result(&outer, v),
                        Err(e) => self.set_exception(&outer, e),
                    }
                }
            }
            Callback::ShieldOuter(inner) => {
                if !inner.is_done() {
                    inner
                        .callbacks
                        .borrow_mut()
                        .retain(|c| !matches!(c, Callback::ShieldInner(o) if Rc::ptr_eq(o, f)));
                }
            }
        }
    }

    /// `gather(*aws, return_exceptions=...)`: its outer future.
    pub fn gather(&self, aws: Vec<Obj>, return_exceptions: bool) -> Res<Rc<FutureObj>> {
        let outer = FutureObj::new();
        if aws.is_empty() {
            self.set_result(&outer, Obj::list(Vec::new()));
            return Ok(outer);
        }
        let mut children: Vec<Rc<FutureObj>> = Vec::new();
        let mut seen: Vec<(Obj, Rc<FutureObj>)> = Vec::new();
        let mut distinct = Vec::new();
        for a in aws {
            if let Some((_, f)) = seen.iter().find(|(o, _)| ops::same(o, &a)) {
                children.push(f.clone());
                continue;
            }
            let f = self.ensure_future(a.clone())?;
            seen.push((a, f.clone()));
            distinct.push(f.clone());
            children.push(f);
        }
        let state = Rc::new(aio::GatherState {
            outer: outer.clone(),
            children: children.clone(),
            count: distinct.len(),
            finished: Cell::new(0),
            return_exceptions,
        });
        *outer.children.borrow_mut() = children;
        let mut done = Vec::new();
        for f in &distinct {
            if f.is_done() {
                done.push(f.clone());
            } else {
                f.callbacks
                    .borrow_mut()
                    .push(Callback::Gather(state.clone()));
            }
        }
        for f in done {
            self.gather_done(&state, &f);
        }
        Ok(outer)
    }

    pub(super) fn gather_done(&self, g: &aio::GatherState, fut: &Rc<FutureObj>) {
        g.finished.set(g.finished.get() + 1);
        if g.outer.is_done() {
            return;
        }
        if !g.return_exceptions {
            if fut.is_cancelled() {
                self.set_exception(&g.outer, fut.cancelled_error());
                return;
            }
            let e = fut.exception.borrow().clone();
            if let Some(e) = e {
                self.set_exception(&g.outer, e);
                return;
            }
        }
        if g.finished.get() == g.count {
            let results = g
                .children
                .iter()
                .map(|c| {
                    if c.is_cancelled() {
                        let msg = c.cancel_message.borrow().clone();
                        let msg = msg.unwrap_or_else(|| Obj::str(""));
                        Obj::Exception(Exception::new(ExcKind::CancelledError, vec![msg]))
                    } else {
                        match c.exception.borrow().clone() {
                            Some(e) => Obj::Exception(e),
                            None => c.result.borrow().clone(),
                        }
                    }
                })
                .collect();
            if g.outer.cancel_requested.get() {
                self.set_exception(&g.outer, fut.cancelled_error());
            } else {
                self.set_result(&g.outer, Obj::list(results));
            }
        }
    }
}
