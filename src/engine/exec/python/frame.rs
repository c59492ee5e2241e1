//! A running function's state, and a coroutine's stack of them: a task is one such stack,
//! suspended whole at the `await` its innermost frame is at.

use std::cell::RefCell;
use std::rc::Rc;

use crate::engine::lang::python::code::Code;

use super::aio::NativeCoro;
use super::object::{Exception, Obj};

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

/// One call in progress.
#[derive(Debug)]
pub struct Frame {
    /// Its code.
    pub code: Rc<Code>,
    /// The next instruction.
    pub pc: usize,
    /// Its value stack.
    pub stack: Vec<Obj>,
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
            stack: Vec::with_capacity(8),
            cells,
            blocks: Vec::new(),
            code,
        }
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
