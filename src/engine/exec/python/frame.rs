//! A running function's state, and a coroutine's stack of them: a task is one such stack,
//! suspended whole at the `await` its innermost frame is at.

use std::cell::RefCell;
use std::rc::Rc;

use crate::engine::lang::python::code::Code;

use super::aio::NativeCoro;
use super::object::{ExcKind, Exception, Obj};
use super::ops::Exc;

/// A block in force in a frame.
#[derive(Debug)]
pub enum Block {
    /// A `try` (or `with`): on an exception, go to `handler` with the stack cut to `depth`.
    Try {
        /// Where the handler starts.
        handler: u32,
        /// The stack's height when the block began.
        depth: u32,
    },
    /// Inside a handler: the exception handled before it, to restore on the way out.
    Handling {
        /// The exception handled before.
        prev: Option<Rc<Exception>>,
    },
}

/// A frame's value stack. Its slots stay allocated as values come and go, so a push is a
/// store and a pop a take, both inlined into the instruction loop (the release build optimizes
/// for size, which leaves `Vec::push` a call of its own: a quarter of a tight loop's time).
#[derive(Debug, Default)]
pub struct ValueStack {
    /// Every slot ever used; those from `len` on hold `None`.
    slots: Vec<Obj>,
    len: usize,
}

impl ValueStack {
    /// Pushes `v`.
    #[inline(always)]
    pub fn push(&mut self, v: Obj) {
        match self.slots.get_mut(self.len) {
            Some(slot) => *slot = v,
            None => self.grow(v),
        }
        self.len += 1;
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, v: Obj) {
        self.slots.push(v);
    }

    /// Takes the top value off.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<Obj> {
        let top = self.len.checked_sub(1)?;
        self.len = top;
        self.slots.get_mut(top).map(std::mem::take)
    }

    /// How many values it holds.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True if it holds none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The top value.
    #[inline(always)]
    pub fn last(&self) -> Option<&Obj> {
        self.get(self.len.checked_sub(1)?)
    }

    /// The value at `i` from the bottom.
    #[inline(always)]
    pub fn get(&self, i: usize) -> Option<&Obj> {
        if i < self.len {
            self.slots.get(i)
        } else {
            None
        }
    }

    /// The values from `from` up, bottom first.
    pub fn slice(&self, from: usize) -> &[Obj] {
        &self.slots[from.min(self.len)..self.len]
    }

    /// Cuts it to `len` values.
    pub fn truncate(&mut self, len: usize) {
        while self.len > len {
            self.pop();
        }
    }

    /// Takes the values from `at` up off, bottom first.
    pub fn split_off(&mut self, at: usize) -> Vec<Obj> {
        let at = at.min(self.len);
        let out = self.slots[at..self.len]
            .iter_mut()
            .map(std::mem::take)
            .collect();
        self.len = at;
        out
    }

    /// Swaps the values at `a` and `b`.
    pub fn swap(&mut self, a: usize, b: usize) {
        if a < self.len && b < self.len {
            self.slots.swap(a, b);
        }
    }

    /// Puts `v` at `i`, the values above it moving up.
    pub fn insert(&mut self, i: usize, v: Obj) {
        self.push(v);
        if i < self.len {
            self.slots[i..self.len].rotate_right(1);
        }
    }

    /// Pushes each of `values`.
    pub fn extend(&mut self, values: impl IntoIterator<Item = Obj>) {
        for v in values {
            self.push(v);
        }
    }
}

/// One call in progress.
#[derive(Debug)]
pub struct Frame {
    /// Its code.
    pub code: Rc<Code>,
    /// The next instruction.
    pub pc: usize,
    /// Its value stack.
    pub stack: ValueStack,
    /// Its locals (`None`: unbound).
    pub locals: Vec<Option<Obj>>,
    /// Its cells: captured locals, then free variables.
    pub cells: Vec<Rc<RefCell<Option<Obj>>>>,
    /// Blocks in force, innermost last.
    pub blocks: Vec<Block>,
}

impl Frame {
    /// A frame of `code` with its locals and cells ready (parameters are set by the caller).
    pub fn new(code: Rc<Code>, closure: &[Rc<RefCell<Option<Obj>>>]) -> Frame {
        let own = code.cells.len() - code.free_from.len().min(code.cells.len());
        let mut cells: Vec<Rc<RefCell<Option<Obj>>>> =
            (0..own).map(|_| Rc::new(RefCell::new(None))).collect();
        cells.extend(closure.iter().cloned());
        Frame {
            locals: vec![None; code.locals.len()],
            pc: 0,
            stack: ValueStack::default(),
            cells,
            blocks: Vec::new(),
            code,
        }
    }

    /// Makes this frame (one that ran before, emptied by [`Frame::clear`]) a new frame of
    /// `code`, keeping its allocations.
    pub fn reset(&mut self, code: Rc<Code>, closure: &[Rc<RefCell<Option<Obj>>>]) {
        let own = code.cells.len() - code.free_from.len().min(code.cells.len());
        self.cells.clear();
        self.cells
            .extend((0..own).map(|_| Rc::new(RefCell::new(None))));
        self.cells.extend(closure.iter().cloned());
        self.locals.clear();
        self.locals.resize(code.locals.len(), None);
        self.pc = 0;
        self.code = code;
    }

    /// Drops what the frame holds, keeping its allocations for another call.
    pub fn clear(&mut self) {
        self.stack.truncate(0);
        self.locals.clear();
        self.cells.clear();
        self.blocks.clear();
    }

    /// The line of the instruction last run.
    pub fn line(&self) -> u32 {
        let at = self.pc.saturating_sub(1);
        self.code.lines.get(at).copied().unwrap_or(self.code.line)
    }
}

/// A frame of Python code, or one of asyncio's coroutines run natively.
#[derive(Debug)]
pub enum FrameKind {
    /// Python code.
    Py(Box<Frame>),
    /// `asyncio.sleep`, `Lock.acquire`, ...
    Native(Box<NativeCoro>),
}

/// A coroutine's frames, outermost first, and the exception its handlers are handling.
#[derive(Debug, Default)]
pub struct Stack {
    /// The frames.
    pub frames: Vec<FrameKind>,
    /// `sys.exception()`: what a bare `raise` re-raises.
    pub handled: Option<Rc<Exception>>,
}

/// What a suspended stack is resumed with.
#[derive(Debug)]
pub enum Resume {
    /// Nothing: a fresh frame starts, or a bare yield returns.
    Nothing,
    /// The value of the `await` it stopped at.
    Value(Obj),
    /// An exception raised at the `await` it stopped at.
    Throw(Rc<Exception>),
}

/// Reading (or deleting) local `i` while it has no value.
pub(super) fn unbound_local(code: &Code, i: u32) -> Exc {
    Exception::msg(
        ExcKind::UnboundLocalError,
        format!(
            "cannot access local variable '{}' where it is not associated with a value",
            code.locals.get(i as usize).map_or("?", |n| &**n)
        ),
    )
}

/// Reading (or deleting) cell `i`'s variable while it has no value: a local of this function's
/// own that an inner one shares, or an enclosing function's.
pub(super) fn unbound_cell(code: &Code, i: u32) -> Exc {
    let name = code.cells.get(i as usize).map_or("?", |n| &**n);
    if (i as usize) < code.cells.len() - code.free_from.len() {
        return Exception::msg(
            ExcKind::UnboundLocalError,
            format!(
                "cannot access local variable '{name}' where it is not associated with a value"
            ),
        );
    }
    Exception::msg(
        ExcKind::NameError,
        format!(
            "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
        ),
    )
}
