//! The tree of a Python program, for the subset Interleave reads: shaped as CPython's `ast`
//! shapes it (so the two can be compared node by node, see `dump`), each statement and
//! expression with where it starts.

use std::rc::Rc;

/// Where a node starts: line from 1, column from 0.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct At {
    /// Line.
    pub line: usize,
    /// Column.
    pub col: usize,
}

/// A statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// Where it starts.
    pub at: At,
    /// What it is.
    pub kind: StmtKind,
}

/// A function's parameters: `def f(a, b=1, /, c=2, *args, d, e=3, **kwargs) -> r`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Params {
    /// The positional ones' names (`a, b, c`), positional-only ones first.
    pub names: Vec<Rc<str>>,
    /// How many of `names` are positional-only (before a `/`).
    pub posonly: usize,
    /// The defaults of the last positional ones.
    pub defaults: Vec<Expr>,
    /// `*args`.
    pub star: Option<Rc<str>>,
    /// The keyword-only ones (after `*` or `*args`).
    pub kwonly: Vec<Rc<str>>,
    /// Each keyword-only one's default, if it has one.
    pub kw_defaults: Vec<Option<Expr>>,
    /// `**kwargs`.
    pub star_star: Option<Rc<str>>,
    /// The annotations (`-> r` as `return`), in the order CPython evaluates them when the
    /// function is made: positional ones after `/`, those before, `*args`, keyword-only ones,
    /// `**kwargs`, then the return.
    pub annotations: Vec<(Rc<str>, Expr)>,
}

impl Params {
    /// Every parameter's name, in the order of the function's first locals.
    pub fn locals(&self) -> Vec<Rc<str>> {
        let mut all = self.names.clone();
        all.extend(self.kwonly.iter().cloned());
        all.extend(self.star.iter().cloned());
        all.extend(self.star_star.iter().cloned());
        all
    }

    /// The defaults, in the order they are evaluated: positional ones, then keyword-only ones.
    pub fn all_defaults(&self) -> impl Iterator<Item = &Expr> {
        self.defaults
            .iter()
            .chain(self.kw_defaults.iter().flatten())
    }
}

/// An `except` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct Handler {
    /// Where it starts.
    pub at: At,
    /// The exception type caught (all when `None`).
    pub kind: Option<Expr>,
    /// The name it is bound to (`as e`).
    pub name: Option<Rc<str>>,
    /// Its body.
    pub body: Vec<Stmt>,
}

/// What a statement does.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `import a, b as c`: each name and what it is bound to.
    Import(Vec<(Rc<str>, Option<Rc<str>>)>),
    /// `from m import a, b as c`.
    ImportFrom(Rc<str>, Vec<(Rc<str>, Option<Rc<str>>)>),
    /// `def` or `async def` (`is_async`).
    Def {
        /// Whether it is `async def`.
        is_async: bool,
        /// Its name.
        name: Rc<str>,
        /// Its parameters.
        params: Params,
        /// Its body.
        body: Vec<Stmt>,
    },
    /// `return` with a value or none.
    Return(Option<Expr>),
    /// `a = b = value`.
    Assign(Vec<Expr>, Expr),
    /// `target op= value`.
    AugAssign(Expr, &'static str, Expr),
    /// `target: annotation = value`; `simple` when the target is a name not in parentheses.
    AnnAssign {
        /// What is annotated (a name, an attribute or a subscript).
        target: Expr,
        /// The annotation.
        annotation: Expr,
        /// The value assigned, if any.
        value: Option<Expr>,
        /// A bare name.
        simple: bool,
    },
    /// An expression evaluated for its effect.
    Expr(Expr),
    /// `if test: body else: orelse` (`elif` is an `If` alone in `orelse`).
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `for target in iter: body else: orelse` (`async for` is not read).
    For(Expr, Expr, Vec<Stmt>, Vec<Stmt>),
    /// `while test: body else: orelse`.
    While(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `break`.
    Break,
    /// `continue`.
    Continue,
    /// `pass`.
    Pass,
    /// `global a, b`.
    Global(Vec<Rc<str>>),
    /// `nonlocal a, b`.
    Nonlocal(Vec<Rc<str>>),
    /// `del a, b[i], c.d`.
    Delete(Vec<Expr>),
    /// `assert test, message`.
    Assert(Expr, Option<Expr>),
    /// `raise`, `raise e`, `raise e from c`.
    Raise(Option<Expr>, Option<Expr>),
    /// `try`: body, handlers, `else`, `finally`.
    Try(Vec<Stmt>, Vec<Handler>, Vec<Stmt>, Vec<Stmt>),
    /// `with` or `async with` (`is_async`): each context and what it is bound to, and the body.
    With(bool, Vec<(Expr, Option<Expr>)>, Vec<Stmt>),
}

/// An expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// Where it starts.
    pub at: At,
    /// What it is.
    pub kind: ExprKind,
}

/// A literal value.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(Rc<str>),
    /// `...`.
    Ellipsis,
}

/// A part of an f-string: text, or a value with its conversion (`!r`) and format spec.
#[derive(Clone, Debug, PartialEq)]
pub enum FPart {
    /// Literal text.
    Text(Rc<str>),
    /// `{value!conv:spec}`; the spec is itself made of parts.
    Value(Box<Expr>, Option<char>, Option<Vec<FPart>>),
}

/// One `for ... in ... if ...` of a comprehension.
#[derive(Clone, Debug, PartialEq)]
pub struct Generator {
    /// The target bound.
    pub target: Expr,
    /// What it runs over.
    pub iter: Expr,
    /// Its conditions.
    pub ifs: Vec<Expr>,
}

/// The kinds of comprehension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comp {
    /// `[x for ...]`.
    List,
    /// `{x for ...}`.
    Set,
    /// `(x for ...)`.
    Gen,
}

/// A call's `name=value` (or `**value`, without a name).
pub type Keyword = (Option<Rc<str>>, Expr);

/// What an expression is.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A literal.
    Const(Constant),
    /// An f-string.
    FString(Vec<FPart>),
    /// A name.
    Name(Rc<str>),
    /// `a op b` (`+`, `-`, `*`, `/`, `//`, `%`, `**`).
    Bin(&'static str, Box<Expr>, Box<Expr>),
    /// `op a` (`-`, `+`, `not`, `~`).
    Unary(&'static str, Box<Expr>),
    /// `a and b and c`, `a or b`.
    Bool(&'static str, Vec<Expr>),
    /// `a < b <= c`: the first, then each operator and operand.
    Compare(Box<Expr>, Vec<(&'static str, Expr)>),
    /// `f(args, name=value)`.
    Call(Box<Expr>, Vec<Expr>, Vec<Keyword>),
    /// `a.name`.
    Attr(Box<Expr>, Rc<str>),
    /// `a[index]`.
    Subscript(Box<Expr>, Box<Expr>),
    /// `lower:upper:step` inside brackets.
    Slice(Option<Box<Expr>>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// `*value` (in calls, displays and targets).
    Starred(Box<Expr>),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `(a, b)` or `a, b`.
    Tuple(Vec<Expr>),
    /// `{k: v}`; `**d` has no key.
    Dict(Vec<(Option<Expr>, Expr)>),
    /// `{a, b}`.
    Set(Vec<Expr>),
    /// A list, set or generator comprehension.
    Comprehension(Comp, Box<Expr>, Vec<Generator>),
    /// `{k: v for ...}`.
    DictComp(Box<Expr>, Box<Expr>, Vec<Generator>),
    /// `lambda params: body`.
    Lambda(Params, Box<Expr>),
    /// `body if test else orelse`.
    IfExp(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `await value`.
    Await(Box<Expr>),
    /// `name := value`.
    Walrus(Rc<str>, Box<Expr>),
}
