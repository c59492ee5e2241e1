//! What the compiler makes of a program: code objects of stack-machine instructions, one per
//! function (and one for the module), as CPython compiles to bytecode. A task's coroutine is a
//! stack of frames running these; `await` suspends the whole stack at one instruction and
//! resumes it there, however deep in an expression it was.

use std::rc::Rc;

/// A literal a code object uses.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(Rc<str>),
    /// `...`.
    Ellipsis,
    /// The code of a nested function or lambda.
    Code(Rc<Code>),
    /// The keyword names of a call, in order.
    Names(Rc<[Rc<str>]>),
}

/// Binary operators, in-place or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `//`.
    FloorDiv,
    /// `%`.
    Mod,
    /// `**`.
    Pow,
    /// `@` is not read; `&`.
    And,
    /// `|`.
    Or,
    /// `^`.
    Xor,
    /// `<<`.
    Shl,
    /// `>>`.
    Shr,
}

impl BinOp {
    /// The operator as written, for messages (`unsupported operand type(s) for +`).
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "** or pow()",
            BinOp::And => "&",
            BinOp::Or => "|",
            BinOp::Xor => "^",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
        }
    }

    /// The operator of a symbol.
    pub fn of(symbol: &str) -> Option<BinOp> {
        Some(match symbol {
            "+" => BinOp::Add,
            "-" => BinOp::Sub,
            "*" => BinOp::Mul,
            "/" => BinOp::Div,
            "//" => BinOp::FloorDiv,
            "%" => BinOp::Mod,
            "**" => BinOp::Pow,
            "&" => BinOp::And,
            "|" => BinOp::Or,
            "^" => BinOp::Xor,
            "<<" => BinOp::Shl,
            ">>" => BinOp::Shr,
            _ => return None,
        })
    }
}

/// Comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `in`.
    In,
    /// `not in`.
    NotIn,
    /// `is`.
    Is,
    /// `is not`.
    IsNot,
}

impl CmpOp {
    /// The comparison of a symbol.
    pub fn of(symbol: &str) -> Option<CmpOp> {
        Some(match symbol {
            "==" => CmpOp::Eq,
            "!=" => CmpOp::Ne,
            "<" => CmpOp::Lt,
            "<=" => CmpOp::Le,
            ">" => CmpOp::Gt,
            ">=" => CmpOp::Ge,
            "in" => CmpOp::In,
            "not in" => CmpOp::NotIn,
            "is" => CmpOp::Is,
            "is not" => CmpOp::IsNot,
            _ => return None,
        })
    }

    /// As written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            CmpOp::Is => "is",
            CmpOp::IsNot => "is not",
        }
    }
}

/// One instruction. Operands index the code's constants, locals, cells or global slots.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    /// Push a constant.
    Const(u32),
    /// Push a local.
    LoadFast(u32),
    /// Pop into a local.
    StoreFast(u32),
    /// Make a local unbound (an `except ... as e` name after its handler).
    DeleteFast(u32),
    /// Push a cell's value (a local captured by an inner function, or a free variable).
    LoadCell(u32),
    /// Pop into a cell.
    StoreCell(u32),
    /// Push a global (or, when unset, the builtin of that name).
    LoadGlobal(u32),
    /// Pop into a global.
    StoreGlobal(u32),
    /// `top.name` (the name is a constant).
    LoadAttr(u32),
    /// `value, obj -> obj.name = value`.
    StoreAttr(u32),
    /// `obj, key -> obj[key]`.
    Subscr,
    /// `value, obj, key -> obj[key] = value`.
    StoreSubscr,
    /// `lower, upper, step -> slice`.
    BuildSlice,
    /// `a, b -> a op b`.
    Binary(BinOp),
    /// `a, b -> a op= b` (lists grow in place).
    Inplace(BinOp),
    /// `-a`.
    Neg,
    /// `+a`.
    Pos,
    /// `~a`.
    Invert,
    /// `not a`.
    Not,
    /// `a, b -> a op b`.
    Compare(CmpOp),
    /// Go to.
    Jump(u32),
    /// Pop; go to if false.
    JumpIfFalse(u32),
    /// Pop; go to if true.
    JumpIfTrue(u32),
    /// Go to if false (keeping it), else pop.
    JumpIfFalseOrPop(u32),
    /// Go to if true (keeping it), else pop.
    JumpIfTrueOrPop(u32),
    /// `iter(top)`.
    GetIter,
    /// Push the iterator's next item, or pop the iterator and go to.
    ForIter(u32),
    /// `del` of a local (one without a value is an error).
    DeleteLocal(u32),
    /// `del` of a cell's variable.
    DeleteCell(u32),
    /// `del` of a global.
    DeleteGlobal(u32),
    /// `del top1[top]`.
    DeleteSubscript,
    /// A failed `assert`: raise `AssertionError` (with the top as its message, if true).
    RaiseAssertion(bool),
    /// Hand the top to whoever asked the generator for its next item, and stop here until
    /// asked again.
    YieldValue,
    /// Make a list of the top n.
    BuildList(u32),
    /// Make a tuple of the top n.
    BuildTuple(u32),
    /// Make a set of the top n.
    BuildSet(u32),
    /// Make a dict of the top n pairs.
    BuildDict(u32),
    /// Append the top to the list n below it.
    ListAppend(u32),
    /// Add the top to the set n below it.
    SetAdd(u32),
    /// Add key, value to the dict n below them.
    MapAdd(u32),
    /// Extend the list n below with the top iterable.
    ListExtend(u32),
    /// Update the set n below with the top iterable.
    SetUpdate(u32),
    /// Update the dict n below with the top mapping.
    DictUpdate(u32),
    /// A set display of n constants (more than two), built as CPython builds it: a frozenset
    /// of them merged into a new set.
    BuildConstSet(u32),
    /// `f, args, kwargs, mapping -> f, args, kwargs`: a call's `**mapping` (or a keyword given
    /// after one) merged in, a key given twice a `TypeError` naming `f`.
    DictMerge,
    /// `f, args, iterable -> f, args`: a call's `*iterable` added to its arguments, one that is
    /// not iterable a `TypeError` naming `f`.
    CallExtend,
    /// List to tuple.
    ListToTuple,
    /// `f, args... -> f(args)`.
    Call(u32),
    /// `obj -> obj, name` when `obj.name` is a method of a builtin object (it is called without
    /// a bound method), else `obj -> obj.name, None`.
    LoadMethod(u32),
    /// `obj, name, args... -> obj.name(args)`, or `f, None, args... -> f(args)`.
    CallMethod(u32),
    /// `f, args..., kwvalues... -> f(args, kw)`; the names are the constant given.
    CallKw(u32, u32),
    /// `f, args tuple[, kwargs dict] -> f(*args, **kwargs)`.
    CallEx(bool),
    /// `defaults... -> function` of the code constant, with this many defaults: positional
    /// ones, then keyword-only ones.
    MakeFunction(u32, u32),
    /// Return the top.
    Return,
    /// Drop the top.
    Pop,
    /// Copy the top.
    Dup,
    /// Copy the top two.
    Dup2,
    /// Swap the top two.
    Rot2,
    /// Move the top under the next two.
    Rot3,
    /// Await the top: a coroutine runs in line, a future is waited for.
    Await,
    /// Format the top (`conv`: 0, `s`, `r`, `a`; `spec`: a format spec below it).
    Format(u8, bool),
    /// Join the top n strings.
    BuildString(u32),
    /// Unpack the top into n values (the first on top).
    Unpack(u32),
    /// Unpack with a starred target: before, after.
    UnpackEx(u32, u32),
    /// `raise` (0), `raise e` (1), `raise e from c` (2).
    Raise(u32),
    /// Re-raise the exception on top, leaving its handler.
    Reraise,
    /// On an exception until the matching `PopBlock`, go to the handler with it pushed.
    Setup(u32),
    /// End the innermost `Setup`.
    PopBlock,
    /// Enter a handler: the exception on top is the one being handled.
    PushExc,
    /// Leave a handler: the one handled before is again.
    PopExc,
    /// `exc, type -> exc, matches`.
    ExcMatch,
    /// `cm -> exit, enter()` (`async with` when true: the enter is awaited after).
    WithEnter(bool),
    /// `exit -> exit(None, None, None)`.
    WithExit,
    /// `exit, exc -> exit, exc, exit(type, exc, None)`.
    WithExcept,
    /// Push a module by name (a constant).
    Import(u32),
}

/// A function's (or the module's) code.
#[derive(Clone, Debug, PartialEq)]
pub struct Code {
    /// Its name (`<module>`, `<lambda>`, the function's).
    pub name: Rc<str>,
    /// Its qualified name: `main.<locals>.worker`.
    pub qualname: Rc<str>,
    /// `async def`.
    pub is_async: bool,
    /// A generator expression's: a call makes a generator of it, which runs at each `next`.
    pub is_generator: bool,
    /// The line of its `def`.
    pub line: u32,
    /// Positional parameters, the first locals.
    pub params: u32,
    /// How many of those are positional-only.
    pub posonly: u32,
    /// Keyword-only parameters, the locals after the positional ones.
    pub kwonly: u32,
    /// Which keyword-only parameters have a default (the function holds their values).
    pub kw_defaulted: Vec<bool>,
    /// Whether a `*args` local follows the keyword-only ones.
    pub star: bool,
    /// Whether a `**kwargs` local follows those.
    pub star_star: bool,
    /// Every local's name (parameters first).
    pub locals: Vec<Rc<str>>,
    /// Cells: its own captured locals (with the local they start from, for parameters), then
    /// the free variables it captures.
    pub cells: Vec<Rc<str>>,
    /// Of `cells`, a parameter's local index to copy in at the start.
    pub cell_params: Vec<(u32, u32)>,
    /// How many of `cells` are free variables (the last ones), and where each comes from in the
    /// enclosing code's cells.
    pub free_from: Vec<u32>,
    /// Constants.
    pub consts: Vec<Const>,
    /// Instructions.
    pub ops: Vec<Op>,
    /// The line of each instruction.
    pub lines: Vec<u32>,
}

/// A compiled program: the module's code and its global names (slots).
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    /// The module's code.
    pub code: Rc<Code>,
    /// The name of each global slot.
    pub globals: Vec<Rc<str>>,
}

impl Module {
    /// A program of nothing: it runs and ends at once.
    pub fn empty() -> Module {
        Module {
            code: Rc::new(Code {
                name: Rc::from("<module>"),
                qualname: Rc::from("<module>"),
                is_async: false,
                is_generator: false,
                line: 1,
                params: 0,
                posonly: 0,
                kwonly: 0,
                kw_defaulted: Vec::new(),
                star: false,
                star_star: false,
                locals: Vec::new(),
                cells: Vec::new(),
                cell_params: Vec::new(),
                free_from: Vec::new(),
                consts: vec![Const::None],
                ops: vec![Op::Const(0), Op::Return],
                lines: vec![1, 1],
            }),
            globals: Vec::new(),
        }
    }
}
