//! The program model: functions made of steps. Every catalog scenario is written in it, and a
//! later text syntax will map onto it, so it stays general and small.
//!
//! A program is Python-shaped: `async def` functions whose bodies are statements. Parameter
//! values are baked in as literals when a scenario builds its program, so listings show the
//! values a run really uses.

use std::rc::Rc;

use crate::engine::lang::value::Value;

pub use crate::engine::lang::ids::{FnId, StepId};

/// What happens to unfinished tasks when the main task returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OnMainReturn {
    /// They keep running, as on the browser's loop or in a notebook.
    #[default]
    KeepRunning,
    /// They are cancelled, as `asyncio.run` does; one that never started prints nothing.
    CancelPending,
}

/// A whole program: its functions, which one is `main`, and the end-of-main rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// All functions; [`FnId`] indexes this.
    pub functions: Vec<Function>,
    /// The function the main task runs.
    pub main: FnId,
    /// What happens to other tasks when main returns.
    pub on_main_return: OnMainReturn,
    /// The seed of `random.seed(seed)`, called before the loop starts; without one the
    /// generator starts from seed 0.
    pub seed: Option<u64>,
}

/// An `async def`.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// Its name, e.g. `fetch`.
    pub name: Rc<str>,
    /// Its parameter names.
    pub params: Vec<Rc<str>>,
    /// Its body.
    pub body: Vec<Stmt>,
    /// `async def` (a coroutine) or plain `def` (a generator-based scheduler step, etc.).
    pub is_async: bool,
}

/// A statement with its identity.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// Where it is in the listing.
    pub id: StepId,
    /// What it does.
    pub kind: StmtKind,
}

/// What kind of blocking work a [`StmtKind::Block`] is, for labels and listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// CPU-bound work, e.g. chopping a salad.
    Cpu,
    /// A blocking sleep, Python's `time.sleep`.
    Sleep,
    /// A busy loop that keeps polling until a deadline.
    Spin,
}

/// The statements a function body is made of.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `var = value`.
    Let {
        /// Variable assigned.
        var: Rc<str>,
        /// Its new value.
        value: Expr,
    },
    /// `print(a, b, ...)`: the values' texts joined by spaces.
    Print(Vec<Expr>),
    /// `[var =] await target`: a coroutine runs in line, in this task; a task handle is joined;
    /// a sleep pauses this task.
    Await {
        /// Where the result goes, if anywhere.
        var: Option<Rc<str>>,
        /// A coroutine (call or sleep) or a task handle.
        target: Expr,
    },
    /// `var = asyncio.create_task(coro)`: the coroutine starts as its own task.
    Spawn {
        /// Where the handle goes.
        var: Option<Rc<str>>,
        /// A coroutine.
        coro: Expr,
    },
    /// `[var =] await asyncio.gather(*items)`: coroutines become tasks, then all are awaited;
    /// the result is the list of their values, in the order given.
    Gather {
        /// Where the list goes.
        var: Option<Rc<str>>,
        /// A list of coroutines and task handles.
        items: Expr,
    },
    /// An expression evaluated for nothing; a coroutine made this way is never awaited and so
    /// never runs (the trace records a warning).
    Discard(Expr),
    /// Work that holds the thread: nothing else runs meanwhile.
    Block {
        /// Seconds of scenario time.
        secs: Expr,
        /// CPU work or a blocking sleep.
        kind: BlockKind,
    },
    /// `for var in iter:`.
    For {
        /// Loop variable.
        var: Rc<str>,
        /// A list or a `range`.
        iter: Expr,
        /// Loop body.
        body: Vec<Stmt>,
    },
    /// `if cond: ... else: ...`.
    If {
        /// Condition.
        cond: Expr,
        /// When true.
        then: Vec<Stmt>,
        /// When false (may be empty).
        otherwise: Vec<Stmt>,
    },
    /// `while cond: body` (`while True` loops until its task is cancelled).
    While {
        /// Checked before each round.
        cond: Expr,
        /// Loop body.
        body: Vec<Stmt>,
    },
    /// `task.cancel()`: the task ends at once, wherever it is.
    Cancel(Expr),
    /// `return value`.
    Return(Expr),
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+` (numbers, or text joined).
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/` (always a float).
    Div,
    /// `==`.
    Eq,
    /// `<`.
    Lt,
}

/// Expressions: computed at once, never pausing.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A literal.
    Lit(Value),
    /// A variable of the current function.
    Var(Rc<str>),
    /// `a op b`.
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// `[a, b, ...]`.
    List(Vec<Expr>),
    /// `{'k': v, ...}`.
    Dict(Vec<(Rc<str>, Expr)>),
    /// `list[index]` or `dict['key']`.
    Index(Box<Expr>, Box<Expr>),
    /// `range(n)`: the list `[0, 1, ..., n-1]`.
    Range(Box<Expr>),
    /// `[elem for var in iter]`.
    Comprehension {
        /// The element expression.
        elem: Box<Expr>,
        /// The loop variable.
        var: Rc<str>,
        /// What is iterated.
        iter: Box<Expr>,
    },
    /// `f(args)`: a coroutine object of one of the program's functions (not yet run).
    Call(Rc<str>, Vec<Expr>),
    /// `asyncio.sleep(secs)`: a sleep coroutine object (not yet awaited).
    Sleep(Box<Expr>),
    /// `random.choice([...])`, from the run's seeded generator.
    Choice(Vec<Expr>),
    /// `random.randint(lo, hi)`, both ends included.
    RandInt(Box<Expr>, Box<Expr>),
    /// An f-string: the parts' texts concatenated.
    Format(Vec<Expr>),
    /// `loop.time()`: the current scenario time in seconds.
    Now,
}

/// Builders that keep scenario definitions short and readable.
pub mod build {
    use super::*;

    /// A literal integer.
    pub fn int(i: i64) -> Expr {
        Expr::Lit(Value::Int(i))
    }
    /// A literal number of seconds (shown as the catalog writes it: `2`, `0.25`).
    pub fn num(f: f64) -> Expr {
        if f == f.trunc() && f.abs() < 1e15 {
            Expr::Lit(Value::Int(f as i64))
        } else {
            Expr::Lit(Value::Float(f))
        }
    }
    /// A number as the user typed it: an `int` without a decimal point, a `float` with one.
    pub fn lit(n: crate::engine::lang::params::Num) -> Expr {
        if n.int && n.value.abs() < 9e15 {
            Expr::Lit(Value::Int(n.value as i64))
        } else {
            Expr::Lit(Value::Float(n.value))
        }
    }
    /// `True`.
    pub fn yes() -> Expr {
        Expr::Lit(Value::Bool(true))
    }
    /// A list of expressions.
    pub fn list(items: Vec<Expr>) -> Expr {
        Expr::List(items)
    }
    /// A literal text.
    pub fn text(s: &str) -> Expr {
        Expr::Lit(Value::str(s))
    }
    /// A variable.
    pub fn var(name: &str) -> Expr {
        Expr::Var(Rc::from(name))
    }
    /// `a + b`.
    pub fn add(a: Expr, b: Expr) -> Expr {
        Expr::Bin(BinOp::Add, Box::new(a), Box::new(b))
    }
    /// `a - b`.
    pub fn sub(a: Expr, b: Expr) -> Expr {
        Expr::Bin(BinOp::Sub, Box::new(a), Box::new(b))
    }
    /// `a * b`.
    pub fn mul(a: Expr, b: Expr) -> Expr {
        Expr::Bin(BinOp::Mul, Box::new(a), Box::new(b))
    }
    /// `a / b`.
    pub fn div(a: Expr, b: Expr) -> Expr {
        Expr::Bin(BinOp::Div, Box::new(a), Box::new(b))
    }
    /// `a < b`.
    pub fn lt(a: Expr, b: Expr) -> Expr {
        Expr::Bin(BinOp::Lt, Box::new(a), Box::new(b))
    }
    /// `a == b`.
    pub fn eq(a: Expr, b: Expr) -> Expr {
        Expr::Bin(BinOp::Eq, Box::new(a), Box::new(b))
    }
    /// A coroutine object `f(args)`.
    pub fn call(f: &str, args: Vec<Expr>) -> Expr {
        Expr::Call(Rc::from(f), args)
    }
    /// `asyncio.sleep(secs)`.
    pub fn sleep_coro(secs: Expr) -> Expr {
        Expr::Sleep(Box::new(secs))
    }
    /// `range(n)`.
    pub fn range(n: Expr) -> Expr {
        Expr::Range(Box::new(n))
    }
    /// `[elem for var in iter]`.
    pub fn comprehension(elem: Expr, v: &str, iter: Expr) -> Expr {
        Expr::Comprehension {
            elem: Box::new(elem),
            var: Rc::from(v),
            iter: Box::new(iter),
        }
    }
    /// `a[b]`.
    pub fn index(a: Expr, b: Expr) -> Expr {
        Expr::Index(Box::new(a), Box::new(b))
    }
    /// An f-string from parts.
    pub fn fmt(parts: Vec<Expr>) -> Expr {
        Expr::Format(parts)
    }

    /// Numbers statements as they are built, so that every [`StepId`] is unique.
    #[derive(Default)]
    pub struct Steps {
        next: u32,
    }

    impl Steps {
        fn stmt(&mut self, kind: StmtKind) -> Stmt {
            self.next += 1;
            Stmt {
                id: StepId(self.next),
                kind,
            }
        }
        /// `print(parts...)`.
        pub fn print(&mut self, parts: Vec<Expr>) -> Stmt {
            self.stmt(StmtKind::Print(parts))
        }
        /// `print('text')`.
        pub fn say(&mut self, s: &str) -> Stmt {
            self.print(vec![text(s)])
        }
        /// `await asyncio.sleep(secs)`.
        pub fn sleep(&mut self, secs: Expr) -> Stmt {
            self.await_(None, sleep_coro(secs))
        }
        /// `[var =] await target`.
        pub fn await_(&mut self, v: Option<&str>, target: Expr) -> Stmt {
            self.stmt(StmtKind::Await {
                var: v.map(Rc::from),
                target,
            })
        }
        /// `[var =] asyncio.create_task(coro)`.
        pub fn spawn(&mut self, v: Option<&str>, coro: Expr) -> Stmt {
            self.stmt(StmtKind::Spawn {
                var: v.map(Rc::from),
                coro,
            })
        }
        /// `[var =] await asyncio.gather(*items)`.
        pub fn gather(&mut self, v: Option<&str>, items: Expr) -> Stmt {
            self.stmt(StmtKind::Gather {
                var: v.map(Rc::from),
                items,
            })
        }
        /// `var = value`.
        pub fn let_(&mut self, v: &str, value: Expr) -> Stmt {
            self.stmt(StmtKind::Let {
                var: Rc::from(v),
                value,
            })
        }
        /// Blocking work of `secs`.
        pub fn block(&mut self, secs: Expr, kind: BlockKind) -> Stmt {
            self.stmt(StmtKind::Block { secs, kind })
        }
        /// An expression statement (a coroutine made and dropped).
        pub fn discard(&mut self, e: Expr) -> Stmt {
            self.stmt(StmtKind::Discard(e))
        }
        /// `while cond: body`.
        pub fn while_(&mut self, cond: Expr, body: Vec<Stmt>) -> Stmt {
            self.stmt(StmtKind::While { cond, body })
        }
        /// `task.cancel()`.
        pub fn cancel(&mut self, task: Expr) -> Stmt {
            self.stmt(StmtKind::Cancel(task))
        }
        /// `return value`.
        pub fn ret(&mut self, value: Expr) -> Stmt {
            self.stmt(StmtKind::Return(value))
        }
        /// `for v in iter: body`. Build the body with the same `Steps` first.
        pub fn for_(&mut self, v: &str, iter: Expr, body: Vec<Stmt>) -> Stmt {
            self.stmt(StmtKind::For {
                var: Rc::from(v),
                iter,
                body,
            })
        }
        /// `if cond: then else: otherwise`.
        pub fn if_(&mut self, cond: Expr, then: Vec<Stmt>, otherwise: Vec<Stmt>) -> Stmt {
            self.stmt(StmtKind::If {
                cond,
                then,
                otherwise,
            })
        }
    }

    /// An `async def name(params): body`.
    pub fn func(name: &str, params: &[&str], body: Vec<Stmt>) -> Function {
        Function {
            name: Rc::from(name),
            params: params.iter().map(|p| Rc::from(*p)).collect(),
            body,
            is_async: true,
        }
    }

    /// A program whose main task runs the function named `main`.
    pub fn program(functions: Vec<Function>, on_main_return: OnMainReturn) -> Program {
        let main = functions
            .iter()
            .position(|f| &*f.name == "main")
            .unwrap_or(0);
        Program {
            functions,
            main: FnId(main as u32),
            on_main_return,
            seed: None,
        }
    }
}

impl Program {
    /// Finds a function by name.
    pub fn function(&self, name: &str) -> Option<FnId> {
        self.functions
            .iter()
            .position(|f| &*f.name == name)
            .map(|i| FnId(i as u32))
    }
}
