//! Where values go: assignment targets (names, items, attributes, unpacking), `del`,
//! augmented assignment, annotated assignment with the annotations CPython evaluates, and
//! imports (names bound to modules and to their names).

use std::rc::Rc;

use super::super::ast::{Expr, ExprKind, Stmt};
use super::super::code::{BinOp, Op};
use super::super::error::SyntaxError;
use super::super::{modules, suggest};
use super::{err, Compiler, Kind, Place};

/// A module to import as `import m`; `typing` is read for annotations only.
fn importable(module: &str) -> bool {
    modules::MODULES.contains(&module) || module == "typing"
}

fn unknown_module(s: &Stmt, module: &str) -> SyntaxError {
    let what = format!(
        "the module {module} (only asyncio, time and random, and typing for annotations) is"
    );
    SyntaxError::unsupported(s.at.line, s.at.col, &what)
}

impl<'t, 'g> Compiler<'t, 'g> {
    /// `import m, n as o`. `typing` binds its name for annotations and runs nothing.
    pub(super) fn import(
        &mut self,
        s: &Stmt,
        names: &[(Rc<str>, Option<Rc<str>>)],
    ) -> Result<(), SyntaxError> {
        for (name, alias) in names {
            if !importable(name) {
                return Err(unknown_module(s, name));
            }
            let bound = alias
                .clone()
                .unwrap_or_else(|| Rc::from(name.split('.').next().unwrap_or(name)));
            if &**name == "typing" {
                self.globals.typing.push(bound);
                continue;
            }
            let k = self.name_const(name);
            self.emit(Op::Import(k));
            self.globals.imports.push((bound.clone(), name.clone()));
            self.store_name(&bound);
        }
        Ok(())
    }

    /// `from m import a, b as c`.
    pub(super) fn import_from(
        &mut self,
        s: &Stmt,
        module: &Rc<str>,
        names: &[(Rc<str>, Option<Rc<str>>)],
    ) -> Result<(), SyntaxError> {
        if &**module == "__future__" {
            return self.future(s, names);
        }
        if !importable(module) {
            return Err(unknown_module(s, module));
        }
        if let Some((name, _)) = names.iter().find(|(n, _)| !modules::offers(module, n)) {
            let what = format!("the name {module}.{name} is");
            return Err(SyntaxError::unsupported(s.at.line, s.at.col, &what));
        }
        if &**module == "typing" {
            for (name, alias) in names {
                self.globals
                    .typing
                    .push(alias.as_ref().unwrap_or(name).clone());
            }
            return Ok(());
        }
        let k = self.name_const(module);
        self.emit(Op::Import(k));
        for (name, alias) in names {
            self.emit(Op::Dup);
            let a = self.name_const(name);
            self.emit(Op::LoadAttr(a));
            self.store_name(alias.as_ref().unwrap_or(name));
        }
        self.emit(Op::Pop);
        Ok(())
    }

    /// `from __future__ import ...` (placed first by [`super::compile`]): the features
    /// CPython 3.12 knows, all of them its defaults but `annotations`, which leaves every
    /// annotation unevaluated.
    fn future(
        &mut self,
        s: &Stmt,
        names: &[(Rc<str>, Option<Rc<str>>)],
    ) -> Result<(), SyntaxError> {
        const FEATURES: &[&str] = &[
            "nested_scopes",
            "generators",
            "division",
            "absolute_import",
            "with_statement",
            "print_function",
            "unicode_literals",
            "barry_as_FLUFL",
            "generator_stop",
            "annotations",
        ];
        if self.is_function() {
            return Err(SyntaxError::new(
                s.at.line,
                s.at.col,
                "from __future__ imports must occur at the beginning of the file".into(),
            ));
        }
        for (name, _) in names {
            let message = match &**name {
                "braces" => "not a chance".to_string(),
                "barry_as_FLUFL" => {
                    let what = "the feature barry_as_FLUFL is";
                    return Err(SyntaxError::unsupported(s.at.line, s.at.col, what));
                }
                n if FEATURES.contains(&n) => {
                    if n == "annotations" {
                        self.globals.lazy_annotations = true;
                    }
                    continue;
                }
                n => format!("future feature {n} is not defined"),
            };
            return Err(SyntaxError::new(s.at.line, s.at.col, message));
        }
        Ok(())
    }

    /// A use of a name bound to `typing` or one of its names, outside an annotation: refused
    /// (what such a name is worth at run time is not made here).
    pub(super) fn typing_outside_annotation(
        &self,
        e: &Expr,
        name: &str,
    ) -> Result<(), SyntaxError> {
        if self.globals.typing.iter().any(|t| &**t == name) {
            return Err(SyntaxError::unsupported(
                e.at.line,
                e.at.col,
                &format!("typing's names outside annotations ({name}) are"),
            ));
        }
        Ok(())
    }
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
        if self.globals.lazy_annotations {
            return Ok(());
        }
        match &e.kind {
            ExprKind::Name(n) => {
                // CPython's builtins are all there (`bytes`, `object`), even those this
                // interpreter does not offer, unless the module binds the name itself; so are
                // the names imported from `typing`.
                let builtin = matches!(self.place(n), Place::Global(_))
                    && !self.table.scopes[0].bound.contains(n)
                    && suggest::BUILTINS.contains(&&**n);
                if !builtin && !self.globals.typing.contains(n) {
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
