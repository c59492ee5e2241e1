//! Signatures: a `def`'s parameters (positional-only, defaults, `*args`, keyword-only,
//! `**kwargs`) with CPython's checks and messages, and annotations, on parameters, returns
//! and assignments (`total: int = 0`).

use std::rc::Rc;

use super::ast::{At, Constant, Expr, ExprKind, Params, StmtKind};
use super::error::SyntaxError;
use super::parser::Parser;

impl Parser {
    pub(super) fn def(&mut self, is_async: bool) -> Result<StmtKind, SyntaxError> {
        let line = self.at().line;
        self.pos += 1;
        let name = self.name()?;
        self.expect_op("(")?;
        let mut params = self.params(")")?;
        self.expect_op(")")?;
        if self.eat_op("->") {
            let returns = self.annotation()?;
            params.annotations.push((Rc::from("return"), returns));
        }
        let body = self.block("function definition", line)?;
        Ok(StmtKind::Def {
            is_async,
            name,
            params,
            body,
        })
    }

    /// An annotation: an expression made of names, attributes, subscripts, strings, `None`,
    /// `|`, and tuples or lists of those (`dict[str, list[int]] | None`, `Callable[[int], str]`).
    pub(super) fn annotation(&mut self) -> Result<Expr, SyntaxError> {
        let e = self.expression()?;
        fn typelike(e: &Expr) -> bool {
            match &e.kind {
                ExprKind::Name(_) => true,
                ExprKind::Const(c) => {
                    matches!(c, Constant::Str(_) | Constant::None | Constant::Ellipsis)
                }
                ExprKind::Attr(base, _) => typelike(base),
                ExprKind::Subscript(base, index) => typelike(base) && typelike(index),
                ExprKind::Bin("|", a, b) => typelike(a) && typelike(b),
                ExprKind::Tuple(items) | ExprKind::List(items) => items.iter().all(typelike),
                _ => false,
            }
        }
        if !typelike(&e) {
            return Err(SyntaxError::unsupported(
                e.at.line,
                e.at.col,
                "annotations other than types (names, `x.y`, `x[y]`, `x | y`, strings) are",
            ));
        }
        Ok(e)
    }

    /// Parameters up to `close` (`)` for `def`, `:` for `lambda`), checked as CPython checks
    /// them.
    pub(super) fn params(&mut self, close: &str) -> Result<Params, SyntaxError> {
        let annotated = close == ")";
        let mut params = Params::default();
        // Annotations by kind, put in CPython's order at the end.
        let (mut of_posonly, mut of_positional, mut of_star, mut of_kwonly, mut of_star_star) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut bare_star: Option<At> = None;
        let mut slash_seen = false;
        while !self.is_op(close) {
            let at = self.at();
            if params.star_star.is_some() {
                return Err(self.error_here("arguments cannot follow var-keyword argument"));
            }
            if self.is_op("/") {
                if slash_seen {
                    return Err(self.error_here("/ may appear only once"));
                }
                if params.star.is_some() || bare_star.is_some() {
                    return Err(self.error_here("/ must be ahead of *"));
                }
                if params.names.is_empty() {
                    return Err(self.error_here("invalid syntax"));
                }
                self.pos += 1;
                slash_seen = true;
                params.posonly = params.names.len();
                if !self.eat_op(",") {
                    break;
                }
                continue;
            }
            let stars = if self.eat_op("**") {
                2
            } else if self.eat_op("*") {
                1
            } else {
                0
            };
            if stars == 1 && (params.star.is_some() || bare_star.is_some()) {
                return Err(SyntaxError::new(
                    at.line,
                    at.col,
                    "* argument may appear only once".into(),
                ));
            }
            if stars == 1 && (self.is_op(",") || self.is_op(close)) {
                bare_star = Some(at);
                if !self.eat_op(",") {
                    break;
                }
                continue;
            }
            let name_at = self.at();
            let name = self.name()?;
            if params.locals().contains(&name) {
                return Err(SyntaxError::new(
                    name_at.line,
                    name_at.col,
                    format!("duplicate argument '{name}' in function definition"),
                ));
            }
            let annotation = if annotated && self.eat_op(":") {
                Some((name.clone(), self.annotation()?))
            } else {
                None
            };
            let default = if self.is_op("=") {
                match stars {
                    1 => {
                        return Err(
                            self.error_here("var-positional argument cannot have default value")
                        )
                    }
                    2 => {
                        return Err(
                            self.error_here("var-keyword argument cannot have default value")
                        )
                    }
                    _ => {}
                }
                self.pos += 1;
                Some(self.expression()?)
            } else {
                None
            };
            match stars {
                1 => {
                    params.star = Some(name);
                    of_star.extend(annotation);
                }
                2 => {
                    if let Some(b) = bare_star.filter(|_| params.kwonly.is_empty()) {
                        // A `def` points at the `*`, a `lambda` at what follows it.
                        let b = if annotated { b } else { at };
                        return Err(SyntaxError::new(
                            b.line,
                            b.col,
                            "named arguments must follow bare *".into(),
                        ));
                    }
                    params.star_star = Some(name);
                    of_star_star.extend(annotation);
                }
                _ if params.star.is_some() || bare_star.is_some() => {
                    params.kwonly.push(name);
                    params.kw_defaults.push(default);
                    of_kwonly.extend(annotation);
                }
                _ => {
                    match default {
                        Some(d) => params.defaults.push(d),
                        None if !params.defaults.is_empty() => {
                            return Err(SyntaxError::new(
                                name_at.line,
                                name_at.col,
                                "parameter without a default follows parameter with a default"
                                    .into(),
                            ));
                        }
                        None => {}
                    }
                    params.names.push(name);
                    if slash_seen {
                        of_positional.extend(annotation);
                    } else {
                        of_posonly.extend(annotation);
                    }
                }
            }
            if !self.eat_op(",") {
                break;
            }
        }
        if let Some(b) = bare_star.filter(|_| params.kwonly.is_empty()) {
            let b = if annotated { b } else { self.at() };
            return Err(SyntaxError::new(
                b.line,
                b.col,
                "named arguments must follow bare *".into(),
            ));
        }
        // Until a `/` is seen, the positional ones were taken as positional-only.
        if !slash_seen {
            of_positional = std::mem::take(&mut of_posonly);
        }
        params.annotations = [of_positional, of_posonly, of_star, of_kwonly, of_star_star].concat();
        Ok(params)
    }

    /// `target: annotation [= value]`, the `:` next.
    pub(super) fn annotated_assignment(
        &mut self,
        target: Expr,
        parenthesized: bool,
    ) -> Result<StmtKind, SyntaxError> {
        let what = match &target.kind {
            ExprKind::Name(_) | ExprKind::Attr(..) | ExprKind::Subscript(..) => None,
            ExprKind::Tuple(_) => Some("only single target (not tuple) can be annotated"),
            ExprKind::List(_) => Some("only single target (not list) can be annotated"),
            _ => Some("illegal target for annotation"),
        };
        if let Some(what) = what {
            return Err(SyntaxError::new(target.at.line, target.at.col, what.into()));
        }
        self.pos += 1;
        let annotation = self.annotation()?;
        let value = if self.eat_op("=") {
            Some(self.star_expressions()?)
        } else {
            None
        };
        let simple = !parenthesized && matches!(target.kind, ExprKind::Name(_));
        Ok(StmtKind::AnnAssign {
            target,
            annotation,
            value,
            simple,
        })
    }
}
