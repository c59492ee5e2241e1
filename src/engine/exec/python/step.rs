//! A task's step, as `Task.__step` takes it: what woke it, its frames run, and what it
//! waits on next, recorded.

use std::rc::Rc;
use std::task::{Context, Poll};

use crate::engine::exec::task::Stepper;
use crate::engine::record::trace::{EventKind, WaitOn};

use super::aio::{Callback, FutState};
use super::frame::{FrameKind, Resume, Stack};
use super::object::{ExcKind, Exception};
use super::ops::{self, exception_line};
use super::vm::Outcome;
use super::Vm;

/// The instrumentation: a task's step is `Task.__step`, recorded.
impl Stepper for Vm {
    fn step(&self, id: u32, cx: &mut Context<'_>) -> Poll<()> {
        let task = self.tasks.borrow().get(id as usize).cloned();
        let Some(task) = task else {
            return Poll::Ready(());
        };
        let Some(tp) = &task.task else {
            return Poll::Ready(());
        };
        if task.is_done() || self.stopped.get() {
            return Poll::Ready(());
        }
        *tp.waker.borrow_mut() = Some(cx.waker().clone());
        // __wakeup: what the awaited future gave.
        let waiter = tp.waiter.borrow_mut().take();
        let mut resume = match waiter.map(|w| w.outcome()) {
            Some(Ok(v)) => Resume::Value(v),
            Some(Err(e)) => Resume::Throw(e),
            None => Resume::Nothing,
        };
        if let Some(e) = tp.throw_next.borrow_mut().take() {
            resume = Resume::Throw(e);
        }
        if tp.must_cancel.replace(false) {
            let is_cancel =
                matches!(&resume, Resume::Throw(e) if e.kind == ExcKind::CancelledError);
            if !is_cancel {
                resume = Resume::Throw(task.cancelled_error());
            }
        }
        tp.sleeping.set(None);
        let at = self.rt.now();
        self.poll_start.set(Some((tp.id, at)));
        *self.current.borrow_mut() = Some(task.clone());
        let mut stack = std::mem::take(&mut *tp.stack.borrow_mut());
        self.arm_guard();
        let out = self.run(&mut stack, resume);
        self.disarm_guard();
        self.flush_never_awaited();
        let result = match out {
            Outcome::Suspend(f) if Rc::ptr_eq(&f, &task) => {
                // As CPython: the error is thrown into the task at its next step.
                *tp.stack.borrow_mut() = stack;
                *tp.throw_next.borrow_mut() = Some(Exception::msg(
                    ExcKind::RuntimeError,
                    format!("Task cannot await on itself: {}", task.describe()),
                ));
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Outcome::Suspend(f) => {
                let chain = self.chain_of(&stack);
                let step = crate::engine::lang::ids::StepId(stack_line(&stack));
                *tp.stack.borrow_mut() = stack;
                let on = match (tp.sleeping.get(), &f.task) {
                    (Some((due, secs)), _) => WaitOn::Sleep { due, secs },
                    (None, Some(other)) => WaitOn::Task(other.id),
                    (None, None) => WaitOn::Gather(
                        f.children
                            .borrow()
                            .iter()
                            .filter_map(|c| c.task.as_ref().map(|t| t.id))
                            .collect(),
                    ),
                };
                self.record(tp.id, EventKind::Paused { on, chain, step });
                *tp.waiter.borrow_mut() = Some(f.clone());
                self.add_done_callback(&f, Callback::Wake(task.clone()));
                let msg = task.cancel_message.borrow().clone();
                if tp.must_cancel.get() && self.cancel_with(&f, msg) {
                    tp.must_cancel.set(false);
                }
                Poll::Pending
            }
            Outcome::Yield | Outcome::Yielded(_) => {
                let chain = self.chain_of(&stack);
                let step = crate::engine::lang::ids::StepId(stack_line(&stack));
                *tp.stack.borrow_mut() = stack;
                self.record(
                    tp.id,
                    EventKind::Paused {
                        on: WaitOn::Sleep { due: at, secs: 0.0 },
                        chain,
                        step,
                    },
                );
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Outcome::Return(v) => {
                drop(stack);
                self.notebook_over(&task, None);
                if tp.must_cancel.replace(false) {
                    self.record(tp.id, EventKind::Cancelled);
                    task.state.set(FutState::Cancelled);
                    self.schedule_callbacks(&task);
                } else {
                    self.record(
                        tp.id,
                        EventKind::Finished {
                            value: Rc::from(ops::repr(&v)),
                        },
                    );
                    self.set_result(&task, v);
                }
                Poll::Ready(())
            }
            Outcome::Raise(e) => {
                drop(stack);
                self.notebook_over(&task, Some(e.clone()));
                if e.kind == ExcKind::CancelledError {
                    self.record(tp.id, EventKind::Cancelled);
                    // `super().cancel()`: no message; the error itself is kept for the
                    // first that asks.
                    *task.cancelled_exc.borrow_mut() = Some(e);
                    *task.cancel_message.borrow_mut() = None;
                    task.state.set(FutState::Cancelled);
                    self.schedule_callbacks(&task);
                } else {
                    let line = exception_line(&e);
                    self.record(tp.id, EventKind::Failed(Rc::from(line)));
                    self.set_exception(&task, e);
                }
                Poll::Ready(())
            }
        };
        *self.current.borrow_mut() = None;
        if let Some((id, from)) = self.poll_start.take() {
            self.record_at(from, id, EventKind::PollStart);
        }
        result
    }
}

/// The line a suspended stack is at (its innermost Python frame's).
fn stack_line(stack: &Stack) -> u32 {
    stack
        .frames
        .iter()
        .rev()
        .find_map(|f| match f {
            FrameKind::Py(f) => Some(f.line()),
            FrameKind::Native(_) => None,
        })
        .unwrap_or(0)
}
