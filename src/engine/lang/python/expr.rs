//! Expressions, by CPython's precedence: conditional and lambda, `or`, `and`, `not`,
//! comparisons, `|`, `^`, `&`, shifts, `+ -`, `* / // % @`, unary, `**`, `await`, then calls,
//! attributes and subscripts on atoms (names, literals, f-strings, displays, comprehensions).

use std::rc::Rc;

use super::ast::{At, Comp, Constant, Expr, ExprKind, FPart, Generator, Keyword};
use super::error::SyntaxError;
use super::lexer::{escape, Tok};
use super::parser::{is_keyword, Parser};

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

fn expr(at: At, kind: ExprKind) -> Expr {
    Expr { at, kind }
}

impl Parser {
    /// Expressions separated by commas, as a tuple when there is a comma (`return a, b`).
    pub(super) fn star_expressions(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let first = self.star_expression()?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.ends_list() {
                break;
            }
            items.push(self.star_expression()?);
        }
        Ok(expr(at, ExprKind::Tuple(items)))
    }

    /// Whether what comes cannot start an expression (the end of a comma list).
    fn ends_list(&self) -> bool {
        matches!(self.peek(), Tok::Newline | Tok::End)
            || [")", "]", "}", "=", ":", ";"]
                .iter()
                .any(|op| self.is_op(op))
            || self.is_word("in")
            || matches!(self.peek(), Tok::Op(o) if o.len() >= 2 && o.ends_with('=') && !matches!(*o, "==" | "<=" | ">=" | "!="))
    }

    fn star_expression(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        if self.eat_op("*") {
            let value = self.bitor()?;
            return Ok(expr(at, ExprKind::Starred(boxed(value))));
        }
        self.named_expression()
    }

    /// `name := value`, or an expression.
    pub(super) fn named_expression(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        if let (Tok::Name(n), Tok::Op(":=")) = (self.peek().clone(), self.peek_at(1).clone()) {
            if !is_keyword(&n) {
                self.pos += 2;
                let value = self.expression()?;
                return Ok(expr(at, ExprKind::Walrus(Rc::from(n), boxed(value))));
            }
        }
        self.expression()
    }

    /// A full expression: conditional, lambda, or a disjunction.
    pub(super) fn expression(&mut self) -> Result<Expr, SyntaxError> {
        self.enter()?;
        let at = self.at();
        let e = if self.eat_word("lambda") {
            let params = self.params(":")?;
            self.expect_op(":")?;
            let body = self.expression()?;
            expr(at, ExprKind::Lambda(params, boxed(body)))
        } else {
            let body = self.disjunction()?;
            if self.is_word("if") {
                self.pos += 1;
                let test = self.disjunction()?;
                if !self.eat_word("else") {
                    return Err(self.error_here("expected 'else' after 'if' expression"));
                }
                let orelse = self.expression()?;
                expr(at, ExprKind::IfExp(boxed(test), boxed(body), boxed(orelse)))
            } else {
                body
            }
        };
        self.depth -= 1;
        Ok(e)
    }

    fn disjunction(&mut self) -> Result<Expr, SyntaxError> {
        self.bool_chain("or", Parser::conjunction)
    }

    fn conjunction(&mut self) -> Result<Expr, SyntaxError> {
        self.bool_chain("and", Parser::inversion)
    }

    fn bool_chain(
        &mut self,
        word: &'static str,
        next: fn(&mut Parser) -> Result<Expr, SyntaxError>,
    ) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let first = next(self)?;
        if !self.is_word(word) {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_word(word) {
            items.push(next(self)?);
        }
        Ok(expr(at, ExprKind::Bool(word, items)))
    }

    fn inversion(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        if self.eat_word("not") {
            self.enter()?;
            let e = self.inversion()?;
            self.depth -= 1;
            return Ok(expr(at, ExprKind::Unary("not", boxed(e))));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let first = self.bitor()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Tok::Op(o) if matches!(*o, "==" | "!=" | "<" | "<=" | ">" | ">=") => {
                    let o = *o;
                    self.pos += 1;
                    o
                }
                Tok::Name(n) if n == "in" => {
                    self.pos += 1;
                    "in"
                }
                Tok::Name(n)
                    if n == "not" && matches!(self.peek_at(1), Tok::Name(m) if m == "in") =>
                {
                    self.pos += 2;
                    "not in"
                }
                Tok::Name(n) if n == "is" => {
                    self.pos += 1;
                    if self.eat_word("not") {
                        "is not"
                    } else {
                        "is"
                    }
                }
                _ => break,
            };
            rest.push((op, self.bitor()?));
        }
        if rest.is_empty() {
            Ok(first)
        } else {
            Ok(expr(at, ExprKind::Compare(boxed(first), rest)))
        }
    }

    /// Left-associative binary operators, from `|` down to `* /`.
    fn binary(&mut self, level: usize) -> Result<Expr, SyntaxError> {
        const LEVELS: [&[&str]; 6] = [
            &["|"],
            &["^"],
            &["&"],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "//", "%", "@"],
        ];
        if level == LEVELS.len() {
            return self.factor();
        }
        let at = self.at();
        let mut left = self.binary(level + 1)?;
        loop {
            let op = match self.peek() {
                Tok::Op(o) if LEVELS[level].contains(o) => *o,
                _ => break,
            };
            self.pos += 1;
            let right = self.binary(level + 1)?;
            left = expr(at, ExprKind::Bin(op, boxed(left), boxed(right)));
        }
        Ok(left)
    }

    pub(super) fn bitor(&mut self) -> Result<Expr, SyntaxError> {
        self.binary(0)
    }

    fn factor(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        for op in ["-", "+", "~"] {
            if self.eat_op(op) {
                self.enter()?;
                let e = self.factor()?;
                self.depth -= 1;
                return Ok(expr(at, ExprKind::Unary(op, boxed(e))));
            }
        }
        self.power()
    }

    fn power(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let base = if self.eat_word("await") {
            let e = self.primary()?;
            expr(at, ExprKind::Await(boxed(e)))
        } else {
            self.primary()?
        };
        if self.eat_op("**") {
            self.enter()?;
            let exp = self.factor()?;
            self.depth -= 1;
            return Ok(expr(at, ExprKind::Bin("**", boxed(base), boxed(exp))));
        }
        Ok(base)
    }

    /// An atom and its trailers: `.name`, `(args)`, `[index]`.
    fn primary(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let mut e = self.atom()?;
        loop {
            if self.eat_op(".") {
                let name = self.name()?;
                e = expr(at, ExprKind::Attr(boxed(e), name));
            } else if self.eat_op("(") {
                let (args, keywords) = self.arguments()?;
                self.expect_op(")")?;
                e = expr(at, ExprKind::Call(boxed(e), args, keywords));
            } else if self.eat_op("[") {
                let index = self.slices()?;
                self.expect_op("]")?;
                e = expr(at, ExprKind::Subscript(boxed(e), boxed(index)));
            } else {
                return Ok(e);
            }
        }
    }

    /// A call's arguments: positional (and `*args`), then `name=value` (and `**kwargs`).
    fn arguments(&mut self) -> Result<(Vec<Expr>, Vec<Keyword>), SyntaxError> {
        let (mut args, mut keywords) = (Vec::new(), Vec::new());
        while !self.is_op(")") {
            let at = self.at();
            if self.eat_op("**") {
                keywords.push((None, self.expression()?));
            } else if let (Tok::Name(n), Tok::Op("=")) =
                (self.peek().clone(), self.peek_at(1).clone())
            {
                self.pos += 2;
                keywords.push((Some(Rc::from(n)), self.expression()?));
            } else {
                let e = self.star_expression()?;
                if !keywords.is_empty() && !matches!(e.kind, ExprKind::Starred(_)) {
                    return Err(SyntaxError::new(
                        at.line,
                        at.col,
                        "positional argument follows keyword argument".into(),
                    ));
                }
                // A lone generator expression: `sum(x for x in xs)`.
                if self.is_word("for") {
                    let generators = self.generators()?;
                    args.push(expr(
                        at,
                        ExprKind::Comprehension(Comp::Gen, boxed(e), generators),
                    ));
                } else {
                    args.push(e);
                }
            }
            if !self.eat_op(",") {
                break;
            }
        }
        Ok((args, keywords))
    }

    /// What goes between `[` and `]` after a value: an index, a slice, or a tuple of them.
    fn slices(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let first = self.slice()?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.is_op("]") {
                break;
            }
            items.push(self.slice()?);
        }
        Ok(expr(at, ExprKind::Tuple(items)))
    }

    fn slice(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let part = |p: &mut Parser| -> Result<Option<Box<Expr>>, SyntaxError> {
            if p.is_op(":") || p.is_op("]") || p.is_op(",") {
                Ok(None)
            } else {
                Ok(Some(boxed(p.expression()?)))
            }
        };
        let lower = part(self)?;
        if !self.eat_op(":") {
            return lower
                .map(|b| *b)
                .ok_or_else(|| self.error_here("invalid syntax"));
        }
        let upper = part(self)?;
        let step = if self.eat_op(":") { part(self)? } else { None };
        Ok(expr(at, ExprKind::Slice(lower, upper, step)))
    }

    /// A for-target: names, attributes, subscripts, and tuples or lists of them.
    pub(super) fn targets(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let first = self.target_item()?;
        if !self.is_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.is_word("in") || self.is_op("=") {
                break;
            }
            items.push(self.target_item()?);
        }
        Ok(expr(at, ExprKind::Tuple(items)))
    }

    fn target_item(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        if self.eat_op("*") {
            let t = self.target_atom()?;
            return Ok(expr(at, ExprKind::Starred(boxed(t))));
        }
        self.target_atom()
    }

    /// One target (a primary, checked assignable).
    pub(super) fn target_atom(&mut self) -> Result<Expr, SyntaxError> {
        let t = self.bitor()?;
        self.check_target(&t, true)?;
        Ok(t)
    }

    /// The `for ... in ... if ...` parts of a comprehension.
    fn generators(&mut self) -> Result<Vec<Generator>, SyntaxError> {
        let mut out = Vec::new();
        while self.is_word("for") || self.is_word("async") {
            if self.is_word("async") {
                let at = self.at();
                return Err(SyntaxError::unsupported(
                    at.line,
                    at.col,
                    "async comprehensions are",
                ));
            }
            self.pos += 1;
            let target = self.targets()?;
            if !self.eat_word("in") {
                return Err(self.error_here("invalid syntax"));
            }
            let iter = self.disjunction()?;
            let mut ifs = Vec::new();
            while self.eat_word("if") {
                ifs.push(self.disjunction()?);
            }
            out.push(Generator { target, iter, ifs });
        }
        Ok(out)
    }

    fn atom(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let tok = self.peek().clone();
        let constant = |c: Constant| Ok(expr(at, ExprKind::Const(c)));
        match tok {
            Tok::Int(v) => {
                self.pos += 1;
                constant(Constant::Int(v))
            }
            Tok::Float(v) => {
                self.pos += 1;
                constant(Constant::Float(v))
            }
            Tok::Str { .. } => self.strings(),
            Tok::Name(n) => match n.as_str() {
                "None" => {
                    self.pos += 1;
                    constant(Constant::None)
                }
                "True" | "False" => {
                    self.pos += 1;
                    constant(Constant::Bool(n == "True"))
                }
                "yield" => Err(SyntaxError::unsupported(
                    at.line,
                    at.col,
                    "generators (yield) are",
                )),
                _ if is_keyword(&n) => Err(self.error_here("invalid syntax")),
                _ => {
                    self.pos += 1;
                    Ok(expr(at, ExprKind::Name(Rc::from(n))))
                }
            },
            Tok::Op("...") => {
                self.pos += 1;
                constant(Constant::Ellipsis)
            }
            Tok::Op("(") => {
                self.pos += 1;
                self.enter()?;
                let e = if self.eat_op(")") {
                    expr(at, ExprKind::Tuple(Vec::new()))
                } else {
                    let first = self.star_named()?;
                    let e = if self.is_word("for") {
                        let g = self.generators()?;
                        expr(at, ExprKind::Comprehension(Comp::Gen, boxed(first), g))
                    } else if self.is_op(",") {
                        let mut items = vec![first];
                        while self.eat_op(",") {
                            if self.is_op(")") {
                                break;
                            }
                            items.push(self.star_named()?);
                        }
                        expr(at, ExprKind::Tuple(items))
                    } else {
                        first
                    };
                    self.expect_op(")")?;
                    e
                };
                self.depth -= 1;
                Ok(e)
            }
            Tok::Op("[") => {
                self.pos += 1;
                self.enter()?;
                let mut items = Vec::new();
                if !self.is_op("]") {
                    let first = self.star_named()?;
                    if self.is_word("for") {
                        let g = self.generators()?;
                        self.expect_op("]")?;
                        self.depth -= 1;
                        return Ok(expr(
                            at,
                            ExprKind::Comprehension(Comp::List, boxed(first), g),
                        ));
                    }
                    items.push(first);
                    while self.eat_op(",") {
                        if self.is_op("]") {
                            break;
                        }
                        items.push(self.star_named()?);
                    }
                }
                self.expect_op("]")?;
                self.depth -= 1;
                Ok(expr(at, ExprKind::List(items)))
            }
            Tok::Op("{") => {
                self.pos += 1;
                self.enter()?;
                let e = self.braces(at)?;
                self.depth -= 1;
                Ok(e)
            }
            Tok::Newline | Tok::End => Err(self.error_here("invalid syntax")),
            _ => Err(self.error_here("invalid syntax")),
        }
    }

    fn star_named(&mut self) -> Result<Expr, SyntaxError> {
        self.star_expression()
    }

    /// After `{`: a dict, a set, or a comprehension of either.
    fn braces(&mut self, at: At) -> Result<Expr, SyntaxError> {
        if self.eat_op("}") {
            return Ok(expr(at, ExprKind::Dict(Vec::new())));
        }
        let first_key = if self.eat_op("**") {
            None
        } else {
            Some(self.star_named()?)
        };
        if first_key.is_none() || self.is_op(":") {
            let first_value = if first_key.is_some() {
                self.expect_op(":")?;
                self.expression()?
            } else {
                self.bitor()?
            };
            if let (Some(k), true) = (&first_key, self.is_word("for")) {
                let g = self.generators()?;
                self.expect_op("}")?;
                return Ok(expr(
                    at,
                    ExprKind::DictComp(boxed(k.clone()), boxed(first_value), g),
                ));
            }
            let mut items = vec![(first_key, first_value)];
            while self.eat_op(",") {
                if self.is_op("}") {
                    break;
                }
                if self.eat_op("**") {
                    items.push((None, self.bitor()?));
                } else {
                    let k = self.expression()?;
                    self.expect_op(":")?;
                    items.push((Some(k), self.expression()?));
                }
            }
            self.expect_op("}")?;
            return Ok(expr(at, ExprKind::Dict(items)));
        }
        let first = first_key.unwrap_or_else(|| expr(at, ExprKind::Tuple(Vec::new())));
        if self.is_word("for") {
            let g = self.generators()?;
            self.expect_op("}")?;
            return Ok(expr(
                at,
                ExprKind::Comprehension(Comp::Set, boxed(first), g),
            ));
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.is_op("}") {
                break;
            }
            items.push(self.star_named()?);
        }
        self.expect_op("}")?;
        Ok(expr(at, ExprKind::Set(items)))
    }

    /// Adjacent string literals, joined; an f-string among them makes the whole an f-string.
    fn strings(&mut self) -> Result<Expr, SyntaxError> {
        let at = self.at();
        let mut parts: Vec<FPart> = Vec::new();
        let mut any_f = false;
        while let Tok::Str { text, f, raw } = self.peek().clone() {
            let here = self.at();
            self.pos += 1;
            if f {
                any_f = true;
                parts.extend(self.fstring(&text, raw, here)?);
            } else {
                parts.push(FPart::Text(Rc::from(text)));
            }
        }
        // Neighbouring texts merge, as CPython merges them.
        let mut merged: Vec<FPart> = Vec::new();
        for p in parts {
            match (merged.last_mut(), p) {
                (Some(FPart::Text(a)), FPart::Text(b)) => *a = Rc::from(format!("{a}{b}")),
                (_, p) => merged.push(p),
            }
        }
        if !any_f {
            let text = match merged.pop() {
                Some(FPart::Text(t)) => t,
                _ => Rc::from(""),
            };
            return Ok(expr(at, ExprKind::Const(Constant::Str(text))));
        }
        merged.retain(|p| !matches!(p, FPart::Text(t) if t.is_empty()));
        Ok(expr(at, ExprKind::FString(merged)))
    }

    /// An f-string's text, opened: its literal parts (escapes undone unless raw) and its
    /// `{value!conv:spec}` parts, each value parsed as an expression.
    fn fstring(&mut self, text: &str, raw: bool, at: At) -> Result<Vec<FPart>, SyntaxError> {
        let chars: Vec<char> = text.chars().collect();
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut i = 0;
        let bad = |msg: &str| SyntaxError::new(at.line, at.col, format!("f-string: {msg}"));
        while i < chars.len() {
            let c = chars[i];
            if c == '{' && chars.get(i + 1) == Some(&'{')
                || c == '}' && chars.get(i + 1) == Some(&'}')
            {
                lit.push(c);
                i += 2;
                continue;
            }
            if c == '}' {
                return Err(bad("single '}' is not allowed"));
            }
            if c == '\\' && !raw {
                let (s, used) =
                    escape(&chars, i).map_err(|m| SyntaxError::new(at.line, at.col, m))?;
                lit.push_str(&s);
                i += used;
                continue;
            }
            if c != '{' {
                lit.push(c);
                i += 1;
                continue;
            }
            if !lit.is_empty() {
                parts.push(FPart::Text(Rc::from(std::mem::take(&mut lit))));
            }
            // The expression runs to a top-level `!`, `:`, `=` (debug form) or `}`.
            let start = i + 1;
            let mut depth = 0;
            let mut j = start;
            let mut quote: Option<char> = None;
            while j < chars.len() {
                let d = chars[j];
                match quote {
                    Some(q) if d == q => quote = None,
                    Some(_) => {}
                    None => match d {
                        '\'' | '"' => quote = Some(d),
                        '(' | '[' | '{' => depth += 1,
                        ')' | ']' | '}' if depth > 0 => depth -= 1,
                        '}' | ':' if depth == 0 => break,
                        '!' if depth == 0 && chars.get(j + 1) != Some(&'=') => break,
                        _ => {}
                    },
                }
                j += 1;
            }
            let source: String = chars[start..j].iter().collect();
            if source.trim().is_empty() {
                return Err(bad("valid expression required before '}'"));
            }
            // `{x=}`, `{x = }`: the expression's text as written, then its value.
            let trimmed = source.trim_end();
            let debug = trimmed.ends_with('=')
                && !matches!(trimmed.chars().rev().nth(1), Some('=' | '!' | '<' | '>'));
            let value = if debug {
                parts.push(FPart::Text(Rc::from(source.as_str())));
                sub_expression(&trimmed[..trimmed.len() - 1], at)?
            } else {
                sub_expression(&source, at)?
            };
            let mut conv = None;
            if chars.get(j) == Some(&'!') {
                conv = chars.get(j + 1).copied();
                if !matches!(conv, Some('r' | 's' | 'a')) {
                    return Err(bad(
                        "invalid conversion character: expected 's', 'r', or 'a'",
                    ));
                }
                j += 2;
            }
            let mut spec = None;
            if chars.get(j) == Some(&':') {
                // The spec runs to the matching `}`; it may hold `{...}` parts of its own.
                let from = j + 1;
                let mut k = from;
                let mut nest = 0;
                while k < chars.len() && !(chars[k] == '}' && nest == 0) {
                    match chars[k] {
                        '{' => nest += 1,
                        '}' => nest -= 1,
                        _ => {}
                    }
                    k += 1;
                }
                let spec_text: String = chars[from..k].iter().collect();
                // CPython allows a spec two levels deep at most.
                if spec_text.matches('{').count() > 2 {
                    return Err(bad("expressions nested too deeply"));
                }
                self.enter()?;
                spec = Some(self.fstring(&spec_text, true, at)?);
                self.depth -= 1;
                j = k;
            }
            if chars.get(j) != Some(&'}') {
                return Err(bad("expecting '}'"));
            }
            // The debug form shows the value's repr, unless a conversion or spec says otherwise.
            if debug && conv.is_none() && spec.is_none() {
                conv = Some('r');
            }
            parts.push(FPart::Value(boxed(value), conv, spec));
            i = j + 1;
        }
        if !lit.is_empty() {
            parts.push(FPart::Text(Rc::from(lit)));
        }
        Ok(parts)
    }
}

/// An expression given as text inside an f-string.
fn sub_expression(source: &str, at: At) -> Result<Expr, SyntaxError> {
    let toks = super::lexer::tokens(&format!("({})", source.trim()));
    if let Some(Tok::Fail(e)) = toks.last().map(|t| &t.tok) {
        return Err(SyntaxError::new(
            at.line,
            at.col,
            format!("f-string: {}", e.message),
        ));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.star_expressions()?;
    if !matches!(p.peek(), Tok::Newline | Tok::End) {
        return Err(SyntaxError::new(
            at.line,
            at.col,
            "f-string: invalid syntax".into(),
        ));
    }
    // Parenthesized to be read as one expression; the node keeps the f-string's place.
    Ok(Expr { at, ..e })
}
