//! Where values go: assignment targets (names, items, attributes, unpacking), `del`,
//! augmented assignment, and annotated assignment with the annotations CPython evaluates.

use super::super::ast::{Expr, ExprKind};
use super::super::code::{BinOp, Op};
use super::super::error::SyntaxError;
use super::super::suggest;
use super::{err, Compiler, Kind, Place};

impl<'t, 'g> Compiler<'t, 'g> {
    /// `del target`: a name unbound, an item or a slice taken out, each part of a tuple.
    pub(super) fn delete(&mut self, t: &'t Expr) -> Result<(), SyntaxError> {
        match &t.kind {
            ExprKind::Name(name) => {
                let op = match self.place(name) {
                    Place::Fast(i) => Op::DeleteLocal(i),
                    Place::Cell(i) => Op::DeleteCell(i),
                    Place::Global(i) => Op::DeleteGlobal(i),
                };
                self.emit(op);
            }
            ExprKind::Subscript(obj, key) => {
                self.expr(obj)?;
                self.expr(key)?;
                self.line = t.at.line as u32;
                self.emit(Op::DeleteSubscript);
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.delete(i)?;
                }
            }
            _ => {
                return Err(SyntaxError::unsupported(
                    t.at.line,
                    t.at.col,
                    "deleting attributes is",
                ))
            }
        }
        Ok(())
    }

    pub(super) fn aug_assign(
        &mut self,
        t: &'t Expr,
        op: &str,
        v: &'t Expr,
    ) -> Result<(), SyntaxError> {
        let Some(op) = BinOp::of(op.trim_end_matches('=')) else {
            return Err(err(t.at.line, t.at.col, "invalid augmented assignment"));
        };
        match &t.kind {
            ExprKind::Name(n) => {
                self.load_name(n);
                self.expr(v)?;
                self.emit(Op::Inplace(op));
                self.store_name(n);
            }
            ExprKind::Subscript(obj, index) => {
                self.expr(obj)?;
                self.expr(index)?;
                self.emit(Op::Dup2);
                self.emit(Op::Subscr);
                self.expr(v)?;
                self.emit(Op::Inplace(op));
                // obj, index, value -> value, obj, index
                self.emit(Op::Rot3);
                self.emit(Op::StoreSubscr);
            }
            ExprKind::Attr(obj, name) => {
                self.expr(obj)?;
                self.emit(Op::Dup);
                let k = self.name_const(name);
                self.emit(Op::LoadAttr(k));
                self.expr(v)?;
                self.emit(Op::Inplace(op));
                self.emit(Op::Rot2);
                self.emit(Op::StoreAttr(k));
            }
            _ => {
                return Err(err(
                    t.at.line,
                    t.at.col,
                    "'expression' is an illegal expression for augmented assignment",
                ))
            }
        }
        Ok(())
    }

    /// `target: annotation = value` as CPython compiles it: the value is stored, and the
    /// annotation is evaluated only at module level (it is not kept: no program here reads
    /// `__annotations__`). With no value, an attribute's object or a subscript's object and
    /// index are still evaluated.
    pub(super) fn annotated_assignment(
        &mut self,
        target: &'t Expr,
        annotation: &'t Expr,
        value: Option<&'t Expr>,
        simple: bool,
    ) -> Result<(), SyntaxError> {
        if let ExprKind::Name(n) = &target.kind {
            let scope = &self.table.scopes[self.scope];
            if simple && scope.kind == Kind::Function {
                let kind = if scope.global.contains(n) {
                    Some("global")
                } else if scope.nonlocal.contains(n) {
                    Some("nonlocal")
                } else {
                    None
                };
                if let Some(kind) = kind {
                    return Err(SyntaxError::new(
                        target.at.line,
                        target.at.col,
                        format!("annotated name '{n}' can't be {kind}"),
                    ));
                }
            }
        }
        if let Some(v) = value {
            self.expr(v)?;
            self.store(target)?;
        } else {
            match &target.kind {
                ExprKind::Attr(obj, _) => {
                    self.expr(obj)?;
                    self.emit(Op::Pop);
                }
                ExprKind::Subscript(obj, index) => {
                    self.expr(obj)?;
                    self.emit(Op::Pop);
                    self.expr(index)?;
                    self.emit(Op::Pop);
                }
                _ => {}
            }
        }
        if !self.is_function() {
            self.annotation(annotation)?;
        }
        Ok(())
    }

    /// Evaluates an annotation as CPython does when it defines a function (or meets an
    /// annotated name at module level), for what can go wrong: each name it uses is looked
    /// up (a `NameError` if there is none). What the names are subscripted or joined with
    /// (`list[int]`, `int | None`) is a type to CPython and nothing here, so it is not
    /// built, and an attribute (`asyncio.Queue`) is looked up no further than its module.
    pub(super) fn annotation(&mut self, e: &'t Expr) -> Result<(), SyntaxError> {
        match &e.kind {
            ExprKind::Name(n) => {
                // CPython's builtins are all there (`bytes`, `object`), even those this
                // interpreter does not offer, unless the module binds the name itself.
                let builtin = matches!(self.place(n), Place::Global(_))
                    && !self.table.scopes[0].bound.contains(n)
                    && suggest::BUILTINS.contains(&&**n);
                if !builtin {
                    self.expr(e)?;
                    self.emit(Op::Pop);
                }
            }
            ExprKind::Attr(base, _) => self.annotation(base)?,
            ExprKind::Subscript(a, b) | ExprKind::Bin(_, a, b) => {
                self.annotation(a)?;
                self.annotation(b)?;
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.annotation(i)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Stores the top of the stack into a target.
    pub(super) fn store(&mut self, t: &'t Expr) -> Result<(), SyntaxError> {
        self.line = t.at.line as u32;
        match &t.kind {
            ExprKind::Name(n) => self.store_name(n),
            ExprKind::Subscript(obj, index) => {
                self.expr(obj)?;
                self.expr(index)?;
                self.emit(Op::StoreSubscr);
            }
            ExprKind::Attr(obj, name) => {
                self.expr(obj)?;
                let k = self.name_const(name);
                self.emit(Op::StoreAttr(k));
            }
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let star = items
                    .iter()
                    .position(|i| matches!(i.kind, ExprKind::Starred(_)));
                match star {
                    Some(p) => {
                        self.emit(Op::UnpackEx(p as u32, (items.len() - p - 1) as u32));
                    }
                    None => {
                        self.emit(Op::Unpack(items.len() as u32));
                    }
                }
                for i in items {
                    match &i.kind {
                        ExprKind::Starred(inner) => self.store(inner)?,
                        _ => self.store(i)?,
                    }
                }
            }
            _ => return Err(err(t.at.line, t.at.col, "cannot assign to expression")),
        }
        Ok(())
    }
}
