//! Tokens into statements, by recursive descent over CPython's grammar for the subset Interleave
//! reads. What CPython would refuse gets CPython's words; what CPython reads but Interleave does
//! not (classes, `yield`, decorators, ...) gets a sentence naming it; both at their line and
//! column. Expressions are in `expr.rs`.

use std::rc::Rc;

use super::ast::{At, Expr, ExprKind, Handler, Stmt, StmtKind};
use super::error::SyntaxError;
use super::lexer::{tokens, Tok, Token};

/// How deep blocks and expressions may nest.
pub const MAX_DEPTH: usize = 100;

/// The longest program read, in characters: far longer than a lesson's, short enough to read
/// and check at every key typed.
pub const MAX_SOURCE: usize = 12_000;

/// Reads a program as code mode takes it: refused past [`MAX_SOURCE`] characters.
pub fn parse_program(source: &str) -> Result<Vec<Stmt>, SyntaxError> {
    if source.chars().count() > MAX_SOURCE {
        return Err(SyntaxError::unsupported(
            1,
            0,
            "programs longer than 12,000 characters (one that fits a share link) are",
        ));
    }
    parse(source)
}

/// Reads a whole program.
pub fn parse(source: &str) -> Result<Vec<Stmt>, SyntaxError> {
    let mut p = Parser {
        toks: tokens(source),
        pos: 0,
        depth: 0,
    };
    let mut body = Vec::new();
    while p.peek() != &Tok::End {
        if let Tok::Fail(e) = p.peek() {
            return Err(e.clone());
        }
        if p.peek() == &Tok::Newline {
            p.pos += 1;
            continue;
        }
        if p.peek() == &Tok::Indent {
            return Err(p.error_here("unexpected indent").kind("IndentationError"));
        }
        body.extend(p.statement()?);
    }
    Ok(body)
}

/// Where the parser is in the tokens.
pub(super) struct Parser {
    pub(super) toks: Vec<Token>,
    pub(super) pos: usize,
    pub(super) depth: usize,
}

/// Statements Interleave does not read, by their keyword, with what to call them.
const UNSUPPORTED: [(&str, &str); 2] = [
    ("class", "classes are"),
    ("yield", "generators (yield) are"),
];

impl Parser {
    pub(super) fn peek(&self) -> &Tok {
        &self.toks[self.pos.min(self.toks.len() - 1)].tok
    }

    pub(super) fn peek_at(&self, ahead: usize) -> &Tok {
        &self.toks[(self.pos + ahead).min(self.toks.len() - 1)].tok
    }

    pub(super) fn at(&self) -> At {
        let t = &self.toks[self.pos.min(self.toks.len() - 1)];
        At {
            line: t.line,
            col: t.col,
        }
    }

    pub(super) fn error_here(&self, message: &str) -> SyntaxError {
        if let Tok::Fail(e) = self.peek() {
            return e.clone();
        }
        let at = self.at();
        SyntaxError::new(at.line, at.col, message.to_string())
    }

    pub(super) fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    pub(super) fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Name(n) if n == word)
    }

    pub(super) fn eat_op(&mut self, op: &str) -> bool {
        let yes = self.is_op(op);
        if yes {
            self.pos += 1;
        }
        yes
    }

    pub(super) fn eat_word(&mut self, word: &str) -> bool {
        let yes = self.is_word(word);
        if yes {
            self.pos += 1;
        }
        yes
    }

    pub(super) fn expect_op(&mut self, op: &str) -> Result<(), SyntaxError> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.error_here(&format!("expected '{op}'")))
        }
    }

    /// A name that is not a keyword.
    pub(super) fn name(&mut self) -> Result<Rc<str>, SyntaxError> {
        match self.peek().clone() {
            Tok::Name(n) if !is_keyword(&n) => {
                self.pos += 1;
                Ok(Rc::from(n))
            }
            _ => Err(self.error_here("invalid syntax")),
        }
    }

    /// One level deeper, refused past [`MAX_DEPTH`].
    pub(super) fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here("too many nested blocks or parentheses"));
        }
        Ok(())
    }

    /// A statement (a line of simple statements gives several).
    fn statement(&mut self) -> Result<Vec<Stmt>, SyntaxError> {
        let at = self.at();
        if self.is_op("@") {
            return Err(SyntaxError::unsupported(at.line, at.col, "decorators are"));
        }
        let Tok::Name(word) = self.peek().clone() else {
            return self.simple_line();
        };
        for (kw, what) in UNSUPPORTED {
            if word == kw {
                return Err(SyntaxError::unsupported(at.line, at.col, what));
            }
        }
        let compound = match word.as_str() {
            "def" => self.def(false)?,
            "if" => self.if_stmt()?,
            "for" => self.for_stmt()?,
            "while" => self.while_stmt()?,
            "try" => self.try_stmt()?,
            "with" => self.with_stmt(false)?,
            "async" => {
                self.pos += 1;
                match self.peek() {
                    Tok::Name(n) if n == "def" => self.def(true)?,
                    Tok::Name(n) if n == "with" => self.with_stmt(true)?,
                    Tok::Name(n) if n == "for" => {
                        return Err(SyntaxError::unsupported(
                            at.line,
                            at.col,
                            "async for loops are",
                        ))
                    }
                    _ => return Err(self.error_here("invalid syntax")),
                }
            }
            _ => return self.simple_line(),
        };
        Ok(vec![Stmt { at, kind: compound }])
    }

    /// Simple statements separated by `;`, up to the end of the line.
    fn simple_line(&mut self) -> Result<Vec<Stmt>, SyntaxError> {
        let mut out = vec![self.simple()?];
        while self.eat_op(";") {
            if self.peek() == &Tok::Newline {
                break;
            }
            out.push(self.simple()?);
        }
        match self.peek() {
            Tok::Newline => {
                self.pos += 1;
                Ok(out)
            }
            Tok::End => Ok(out),
            _ => Err(self.error_here("invalid syntax")),
        }
    }

    fn simple(&mut self) -> Result<Stmt, SyntaxError> {
        let at = self.at();
        let word = match self.peek() {
            Tok::Name(n) => n.clone(),
            _ => String::new(),
        };
        let kind = match word.as_str() {
            "pass" => self.keyword(StmtKind::Pass),
            "break" => self.keyword(StmtKind::Break),
            "continue" => self.keyword(StmtKind::Continue),
            "return" => {
                self.pos += 1;
                let value = if self.ends_simple() {
                    None
                } else {
                    Some(self.star_expressions()?)
                };
                StmtKind::Return(value)
            }
            "raise" => {
                self.pos += 1;
                if self.ends_simple() {
                    StmtKind::Raise(None, None)
                } else {
                    let e = self.expression()?;
                    let cause = if self.eat_word("from") {
                        Some(self.expression()?)
                    } else {
                        None
                    };
                    StmtKind::Raise(Some(e), cause)
                }
            }
            "global" | "nonlocal" => {
                self.pos += 1;
                let mut names = vec![self.name()?];
                while self.eat_op(",") {
                    names.push(self.name()?);
                }
                if word == "global" {
                    StmtKind::Global(names)
                } else {
                    StmtKind::Nonlocal(names)
                }
            }
            "del" => {
                self.pos += 1;
                let mut targets = vec![self.bitor()?];
                while self.eat_op(",") {
                    if self.ends_simple() {
                        break;
                    }
                    targets.push(self.bitor()?);
                }
                for t in &targets {
                    self.check_deletable(t)?;
                }
                StmtKind::Delete(targets)
            }
            "assert" => {
                self.pos += 1;
                let test = self.expression()?;
                let message = if self.eat_op(",") {
                    Some(self.expression()?)
                } else {
                    None
                };
                StmtKind::Assert(test, message)
            }
            "import" => {
                self.pos += 1;
                let mut names = vec![self.alias(true)?];
                while self.eat_op(",") {
                    names.push(self.alias(true)?);
                }
                StmtKind::Import(names)
            }
            "from" => {
                self.pos += 1;
                if self.is_op(".") {
                    return Err(SyntaxError::unsupported(
                        at.line,
                        at.col,
                        "relative imports are",
                    ));
                }
                let module = self.dotted()?;
                if !self.eat_word("import") {
                    return Err(self.error_here("invalid syntax"));
                }
                if self.is_op("*") {
                    return Err(SyntaxError::unsupported(
                        at.line,
                        at.col,
                        "star imports are",
                    ));
                }
                let paren = self.eat_op("(");
                let mut names = vec![self.alias(false)?];
                while self.eat_op(",") {
                    if paren && self.is_op(")") {
                        break;
                    }
                    names.push(self.alias(false)?);
                }
                if paren {
                    self.expect_op(")")?;
                }
                StmtKind::ImportFrom(module, names)
            }
            _ => self.expression_statement()?,
        };
        Ok(Stmt { at, kind })
    }

    fn keyword(&mut self, kind: StmtKind) -> StmtKind {
        self.pos += 1;
        kind
    }

    fn ends_simple(&self) -> bool {
        matches!(self.peek(), Tok::Newline | Tok::End) || self.is_op(";")
    }

    /// `a.b.c` as one name.
    fn dotted(&mut self) -> Result<Rc<str>, SyntaxError> {
        let mut name = self.name()?.to_string();
        while self.eat_op(".") {
            name.push('.');
            name.push_str(&self.name()?);
        }
        Ok(Rc::from(name))
    }

    fn alias(&mut self, dotted: bool) -> Result<(Rc<str>, Option<Rc<str>>), SyntaxError> {
        let name = if dotted { self.dotted()? } else { self.name()? };
        let bound = if self.eat_word("as") {
            Some(self.name()?)
        } else {
            None
        };
        Ok((name, bound))
    }

    /// An expression, an assignment or an augmented assignment.
    fn expression_statement(&mut self) -> Result<StmtKind, SyntaxError> {
        // `x := 5` alone is no statement (it needs parentheses there).
        if matches!(self.peek_at(1), Tok::Op(":=")) {
            self.pos += 1;
            return Err(self.error_here("invalid syntax"));
        }
        let parenthesized = self.is_op("(");
        let first = self.star_expressions()?;
        if self.is_op(":=") {
            let what = match first.kind {
                ExprKind::Attr(..) => "attribute",
                ExprKind::Subscript(..) => "subscript",
                ExprKind::Call(..) => "function call",
                ExprKind::Const(_) => "literal",
                ExprKind::Tuple(_) => "tuple",
                ExprKind::List(_) => "list",
                ExprKind::Compare(..) => "comparison",
                _ => "expression",
            };
            return Err(SyntaxError::new(
                first.at.line,
                first.at.col,
                format!("cannot use assignment expressions with {what}"),
            ));
        }
        if let Tok::Op(op) = self.peek().clone() {
            if op.len() >= 2 && op.ends_with('=') && !matches!(op, "==" | "<=" | ">=" | "!=" | ":=")
            {
                self.check_target(&first, false)?;
                self.pos += 1;
                let value = self.star_expressions()?;
                return Ok(StmtKind::AugAssign(first, &op[..op.len() - 1], value));
            }
            if op == ":" {
                return self.annotated_assignment(first, parenthesized);
            }
        }
        if !self.is_op("=") {
            return Ok(StmtKind::Expr(first));
        }
        let mut targets = vec![first];
        let mut value;
        loop {
            self.expect_op("=")?;
            value = self.star_expressions()?;
            if !self.is_op("=") {
                break;
            }
            targets.push(value);
        }
        for t in &targets {
            self.check_target(t, true)?;
        }
        Ok(StmtKind::Assign(targets, value))
    }

    /// Refuses what `del` cannot delete, as CPython words it.
    fn check_deletable(&self, e: &Expr) -> Result<(), SyntaxError> {
        let what = match &e.kind {
            ExprKind::Name(_) | ExprKind::Attr(..) | ExprKind::Subscript(..) => return Ok(()),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                return items.iter().try_for_each(|i| self.check_deletable(i));
            }
            ExprKind::Const(_) => "literal",
            ExprKind::Call(..) => "function call",
            ExprKind::Compare(..) => "comparison",
            _ => "expression",
        };
        Err(SyntaxError::new(
            e.at.line,
            e.at.col,
            format!("cannot delete {what}"),
        ))
    }

    /// Refuses what cannot be assigned to, as CPython words it.
    pub(super) fn check_target(&self, e: &Expr, plain: bool) -> Result<(), SyntaxError> {
        let what = match &e.kind {
            ExprKind::Name(_) | ExprKind::Attr(..) | ExprKind::Subscript(..) => return Ok(()),
            ExprKind::Tuple(items) | ExprKind::List(items) if plain => {
                for i in items {
                    let inner = match &i.kind {
                        ExprKind::Starred(v) => v,
                        _ => i,
                    };
                    self.check_target(inner, true)?;
                }
                return Ok(());
            }
            ExprKind::Tuple(_) if !plain => "tuple",
            ExprKind::List(_) if !plain => "list",
            ExprKind::Const(_) => "literal",
            ExprKind::Call(..) => "function call",
            ExprKind::Await(_) => "await expression",
            ExprKind::Compare(..) => "comparison",
            _ => "expression",
        };
        let message = match (plain, what) {
            (true, "function call" | "literal") => {
                format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?")
            }
            (true, _) => format!("cannot assign to {what}"),
            (false, _) => format!("'{what}' is an illegal expression for augmented assignment"),
        };
        Err(SyntaxError::new(e.at.line, e.at.col, message))
    }

    /// `:` and a block: the simple statements on the same line, or an indented block.
    pub(super) fn block(&mut self, after: &str, line: usize) -> Result<Vec<Stmt>, SyntaxError> {
        self.expect_op(":")?;
        if self.peek() != &Tok::Newline {
            return self.simple_line();
        }
        self.pos += 1;
        if self.peek() != &Tok::Indent {
            return Err(self
                .error_here(&format!(
                    "expected an indented block after {after} on line {line}"
                ))
                .kind("IndentationError"));
        }
        self.pos += 1;
        self.enter()?;
        let mut body = Vec::new();
        while !matches!(self.peek(), Tok::Dedent | Tok::End) {
            if self.peek() == &Tok::Newline {
                self.pos += 1;
                continue;
            }
            if self.peek() == &Tok::Indent {
                return Err(self
                    .error_here("unexpected indent")
                    .kind("IndentationError"));
            }
            body.extend(self.statement()?);
        }
        self.eat_dedent();
        self.depth -= 1;
        Ok(body)
    }

    fn eat_dedent(&mut self) {
        if self.peek() == &Tok::Dedent {
            self.pos += 1;
        }
    }

    fn if_stmt(&mut self) -> Result<StmtKind, SyntaxError> {
        let line = self.at().line;
        self.pos += 1;
        let test = self.named_expression()?;
        let body = self.block("'if' statement", line)?;
        let orelse = self.else_part()?;
        Ok(StmtKind::If(test, body, orelse))
    }

    /// What follows an `if` body: an `elif` (an `if` of its own) or an `else` block.
    fn else_part(&mut self) -> Result<Vec<Stmt>, SyntaxError> {
        let at = self.at();
        if self.is_word("elif") {
            self.pos += 1;
            let test = self.named_expression()?;
            let body = self.block("'elif' statement", at.line)?;
            self.enter()?;
            let orelse = self.else_part()?;
            self.depth -= 1;
            return Ok(vec![Stmt {
                at,
                kind: StmtKind::If(test, body, orelse),
            }]);
        }
        self.orelse()
    }

    fn orelse(&mut self) -> Result<Vec<Stmt>, SyntaxError> {
        let line = self.at().line;
        if self.eat_word("else") {
            self.block("'else' statement", line)
        } else {
            Ok(Vec::new())
        }
    }

    fn for_stmt(&mut self) -> Result<StmtKind, SyntaxError> {
        let line = self.at().line;
        self.pos += 1;
        let target = self.targets()?;
        if !self.eat_word("in") {
            return Err(self.error_here("invalid syntax"));
        }
        let iter = self.star_expressions()?;
        let body = self.block("'for' statement", line)?;
        let orelse = self.orelse()?;
        Ok(StmtKind::For(target, iter, body, orelse))
    }

    fn while_stmt(&mut self) -> Result<StmtKind, SyntaxError> {
        let line = self.at().line;
        self.pos += 1;
        let test = self.named_expression()?;
        let body = self.block("'while' statement", line)?;
        let orelse = self.orelse()?;
        Ok(StmtKind::While(test, body, orelse))
    }

    fn try_stmt(&mut self) -> Result<StmtKind, SyntaxError> {
        let line = self.at().line;
        self.pos += 1;
        let body = self.block("'try' statement", line)?;
        let mut handlers = Vec::new();
        while self.is_word("except") {
            let at = self.at();
            self.pos += 1;
            if self.is_op("*") {
                return Err(SyntaxError::unsupported(
                    at.line,
                    at.col,
                    "except* clauses are",
                ));
            }
            let (kind, name) = if self.is_op(":") {
                (None, None)
            } else {
                let kind = self.expression()?;
                let name = if self.eat_word("as") {
                    Some(self.name()?)
                } else {
                    None
                };
                (Some(kind), name)
            };
            let body = self.block("'except' statement", at.line)?;
            handlers.push(Handler {
                at,
                kind,
                name,
                body,
            });
        }
        let orelse = if handlers.is_empty() {
            Vec::new()
        } else {
            self.orelse()?
        };
        let fline = self.at().line;
        let finalbody = if self.eat_word("finally") {
            self.block("'finally' statement", fline)?
        } else {
            Vec::new()
        };
        if handlers.is_empty() && finalbody.is_empty() {
            return Err(self.error_here("expected 'except' or 'finally' block"));
        }
        Ok(StmtKind::Try(body, handlers, orelse, finalbody))
    }

    fn with_stmt(&mut self, is_async: bool) -> Result<StmtKind, SyntaxError> {
        let line = self.at().line;
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            let context = self.expression()?;
            let target = if self.eat_word("as") {
                let t = self.target_atom()?;
                Some(t)
            } else {
                None
            };
            items.push((context, target));
            if !self.eat_op(",") {
                break;
            }
        }
        let body = self.block("'with' statement", line)?;
        Ok(StmtKind::With(is_async, items, body))
    }
}

/// Python's keywords (soft ones apart).
pub fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}
