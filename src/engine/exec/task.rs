//! What the loop polls: a [`Task`], one per task of a run, the only future a runtime ever
//! polls. It names its task and what steps it (a [`Stepper`]: the interpreter, or a set of
//! plain futures), so the loop knows nothing of the interpreter and the interpreter nothing of
//! the loop's insides.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

/// A boxed future that need not be `Send` (everything here runs on one thread).
pub type LocalBoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Steps tasks by number: one poll of task `id`.
pub trait Stepper {
    /// Polls task `id` once.
    fn step(&self, id: u32, cx: &mut Context<'_>) -> Poll<()>;
}

/// One task as the loop keeps it: 12 bytes on wasm32, no allocation of its own.
#[derive(Clone)]
pub struct Task {
    stepper: Rc<dyn Stepper>,
    id: u32,
}

impl Task {
    /// Task `id` of `stepper`.
    pub fn new(stepper: Rc<dyn Stepper>, id: u32) -> Task {
        Task { stepper, id }
    }
}

impl Future for Task {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.stepper.step(self.id, cx)
    }
}

/// Plain futures run as tasks (the benchmark's bare sleeps, tests): each kept boxed until it
/// is done.
#[derive(Default)]
pub struct Futures {
    futures: RefCell<Vec<Option<LocalBoxFuture<'static, ()>>>>,
}

impl Futures {
    /// Keeps `future`; returns its number.
    pub fn add(&self, future: LocalBoxFuture<'static, ()>) -> u32 {
        let mut all = self.futures.borrow_mut();
        all.push(Some(future));
        (all.len() - 1) as u32
    }
}

impl Stepper for Futures {
    fn step(&self, id: u32, cx: &mut Context<'_>) -> Poll<()> {
        let taken = self
            .futures
            .borrow_mut()
            .get_mut(id as usize)
            .and_then(Option::take);
        let Some(mut future) = taken else {
            return Poll::Ready(());
        };
        let poll = future.as_mut().poll(cx);
        if poll.is_pending() {
            if let Some(slot) = self.futures.borrow_mut().get_mut(id as usize) {
                *slot = Some(future);
            }
        }
        poll
    }
}
