//! Expressions into instructions: operators, calls (with `*args` and `**kwargs` spread),
//! displays, f-strings, lambdas, comprehensions run in line, and generator expressions.

use std::rc::Rc;

use super::super::ast::{Comp, Constant, Expr, ExprKind, FPart, Generator, Params};
use super::super::code::{BinOp, CmpOp, Const, Op};
use super::super::error::SyntaxError;
use super::super::modules;
use super::{err, key, Compiler, Place};

impl<'t, 'g> Compiler<'t, 'g> {
    pub(super) fn expr(&mut self, e: &'t Expr) -> Result<(), SyntaxError> {
        self.line = e.at.line as u32;
        match &e.kind {
            ExprKind::Const(c) => self.emit_const(match c {
                Constant::None => Const::None,
                Constant::Bool(b) => Const::Bool(*b),
                Constant::Int(i) => Const::Int(*i),
                Constant::Float(f) => Const::Float(*f),
                Constant::Str(s) => Const::Str(s.clone()),
                Constant::Ellipsis => Const::Ellipsis,
            }),
            ExprKind::FString(parts) => self.fstring(parts)?,
            ExprKind::Name(n) => {
                self.typing_outside_annotation(e, n)?;
                self.load_name(n);
            }
            ExprKind::Bin(op, a, b) => {
                self.expr(a)?;
                self.expr(b)?;
                let Some(op) = BinOp::of(op) else {
                    return Err(err(e.at.line, e.at.col, "invalid syntax"));
                };
                self.line = e.at.line as u32;
                self.emit(Op::Binary(op));
            }
            ExprKind::Unary(op, a) => {
                self.expr(a)?;
                self.emit(match *op {
                    "-" => Op::Neg,
                    "+" => Op::Pos,
                    "~" => Op::Invert,
                    _ => Op::Not,
                });
            }
            ExprKind::Bool(op, items) => {
                let mut ends = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    self.expr(item)?;
                    if i + 1 < items.len() {
                        ends.push(self.emit(if *op == "and" {
                            Op::JumpIfFalseOrPop(0)
                        } else {
                            Op::JumpIfTrueOrPop(0)
                        }));
                    }
                }
                for j in ends {
                    self.patch(j);
                }
            }
            ExprKind::Compare(first, rest) => {
                self.expr(first)?;
                if rest.len() == 1 {
                    let (op, b) = &rest[0];
                    self.expr(b)?;
                    self.compare_op(op, e)?;
                } else {
                    // a < b < c: each middle operand is kept for the next comparison.
                    let mut fails = Vec::new();
                    for (i, (op, b)) in rest.iter().enumerate() {
                        self.expr(b)?;
                        if i + 1 < rest.len() {
                            self.emit(Op::Dup);
                            self.emit(Op::Rot3);
                            self.compare_op(op, e)?;
                            fails.push(self.emit(Op::JumpIfFalseOrPop(0)));
                        } else {
                            self.compare_op(op, e)?;
                        }
                    }
                    let end = self.emit(Op::Jump(0));
                    for f in fails {
                        self.patch(f);
                    }
                    // The failed comparison's result is on top of the kept operand.
                    self.emit(Op::Rot2);
                    self.emit(Op::Pop);
                    self.patch(end);
                }
            }
            ExprKind::Call(f, args, kws) => self.call(e, f, args, kws)?,
            ExprKind::Attr(obj, name) => {
                self.module_attr(obj, name, e)?;
                self.expr(obj)?;
                let k = self.name_const(name);
                self.line = e.at.line as u32;
                self.emit(Op::LoadAttr(k));
            }
            ExprKind::Subscript(obj, index) => {
                self.expr(obj)?;
                self.expr(index)?;
                self.line = e.at.line as u32;
                self.emit(Op::Subscr);
            }
            ExprKind::Slice(a, b, c) => {
                for x in [a, b, c] {
                    match x {
                        Some(x) => self.expr(x)?,
                        None => self.emit_const(Const::None),
                    }
                }
                self.emit(Op::BuildSlice);
            }
            ExprKind::Starred(_) => {
                return Err(err(
                    e.at.line,
                    e.at.col,
                    "can't use starred expression here",
                ))
            }
            ExprKind::List(items) => self.sequence(items, 0)?,
            ExprKind::Tuple(items) => self.sequence(items, 1)?,
            ExprKind::Set(items) => self.sequence(items, 2)?,
            ExprKind::Dict(items) => {
                if items.iter().all(|(k, _)| k.is_some()) {
                    for (k, v) in items {
                        if let Some(k) = k {
                            self.expr(k)?;
                        }
                        self.expr(v)?;
                    }
                    self.emit(Op::BuildDict(items.len() as u32));
                } else {
                    self.emit(Op::BuildDict(0));
                    for (k, v) in items {
                        match k {
                            Some(k) => {
                                self.expr(k)?;
                                self.expr(v)?;
                                self.emit(Op::MapAdd(1));
                            }
                            None => {
                                self.expr(v)?;
                                self.emit(Op::DictUpdate(1));
                            }
                        }
                    }
                }
            }
            ExprKind::Comprehension(Comp::Gen, elt, gens) => {
                self.generator_expression(e, elt, gens)?;
            }
            ExprKind::Comprehension(kind, elt, gens) => {
                let set = *kind == Comp::Set;
                self.comprehension(
                    e,
                    gens,
                    |c| {
                        c.expr(elt)?;
                        // The container sits under each generator's iterator.
                        let depth = gens.len() as u32 + 1;
                        c.emit(if set {
                            Op::SetAdd(depth)
                        } else {
                            Op::ListAppend(depth)
                        });
                        Ok(())
                    },
                    if set { 2 } else { 0 },
                )?;
            }
            ExprKind::DictComp(k, v, gens) => {
                self.comprehension(
                    e,
                    gens,
                    |c| {
                        c.expr(k)?;
                        c.expr(v)?;
                        c.emit(Op::MapAdd(gens.len() as u32 + 1));
                        Ok(())
                    },
                    3,
                )?;
            }
            ExprKind::Lambda(params, body) => {
                for d in params.all_defaults() {
                    self.expr(d)?;
                }
                let inner = self.table.of_node.get(&key(e)).copied();
                let code = self.function(inner, "<lambda>", params, false, e.at.line, |c| {
                    c.expr(body)?;
                    c.emit(Op::Return);
                    Ok(())
                })?;
                let k = self.konst(Const::Code(Rc::new(code)));
                self.emit(Op::MakeFunction(k, params.all_defaults().count() as u32));
            }
            ExprKind::IfExp(test, body, orelse) => {
                self.expr(test)?;
                let skip = self.emit(Op::JumpIfFalse(0));
                self.expr(body)?;
                let end = self.emit(Op::Jump(0));
                self.patch(skip);
                self.expr(orelse)?;
                self.patch(end);
            }
            ExprKind::Await(v) => {
                if !self.can_await() {
                    return Err(err(e.at.line, e.at.col, "'await' outside async function"));
                }
                self.expr(v)?;
                self.line = e.at.line as u32;
                self.emit(Op::Await);
            }
            ExprKind::Walrus(name, v) => {
                self.expr(v)?;
                self.emit(Op::Dup);
                // It binds in the enclosing function, not the comprehension.
                let saved = std::mem::take(&mut self.comp_vars);
                self.store_name(name);
                self.comp_vars = saved;
            }
        }
        Ok(())
    }

    pub(super) fn compare_op(&mut self, op: &str, e: &Expr) -> Result<(), SyntaxError> {
        let Some(op) = CmpOp::of(op) else {
            return Err(err(e.at.line, e.at.col, "invalid syntax"));
        };
        self.line = e.at.line as u32;
        self.emit(Op::Compare(op));
        Ok(())
    }

    /// A list (0), tuple (1) or set (2) display, or a call's arguments (3, a tuple), with
    /// starred items spread.
    pub(super) fn sequence(&mut self, items: &'t [Expr], kind: u8) -> Result<(), SyntaxError> {
        let call = kind == 3;
        let kind = if call { 1 } else { kind };
        if items.iter().any(|i| matches!(i.kind, ExprKind::Starred(_))) {
            self.emit(if kind == 2 {
                Op::BuildSet(0)
            } else {
                Op::BuildList(0)
            });
            for i in items {
                match &i.kind {
                    ExprKind::Starred(v) => {
                        self.expr(v)?;
                        self.emit(match kind {
                            2 => Op::SetUpdate(1),
                            _ if call => Op::CallExtend,
                            _ => Op::ListExtend(1),
                        });
                    }
                    _ => {
                        self.expr(i)?;
                        self.emit(if kind == 2 {
                            Op::SetAdd(1)
                        } else {
                            Op::ListAppend(1)
                        });
                    }
                }
            }
            if kind == 1 {
                self.emit(Op::ListToTuple);
            }
            return Ok(());
        }
        for i in items {
            self.expr(i)?;
        }
        let n = items.len() as u32;
        // CPython folds a display of more than two constants into one constant (for a set, a
        // frozenset), which changes a set's order.
        let constant = |e: &Expr| match &e.kind {
            ExprKind::Const(_) => true,
            ExprKind::Unary(op, v) => {
                *op == "-"
                    && matches!(
                        v.kind,
                        ExprKind::Const(Constant::Int(_) | Constant::Float(_))
                    )
            }
            _ => false,
        };
        self.emit(match kind {
            0 => Op::BuildList(n),
            1 => Op::BuildTuple(n),
            _ if n > 2 && items.iter().all(constant) => Op::BuildConstSet(n),
            _ => Op::BuildSet(n),
        });
        Ok(())
    }

    pub(super) fn call(
        &mut self,
        e: &'t Expr,
        f: &'t Expr,
        args: &'t [Expr],
        kws: &'t [super::super::ast::Keyword],
    ) -> Result<(), SyntaxError> {
        let spread = args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_)))
            || kws.iter().any(|(n, _)| n.is_none());
        // `obj.name(args)`: the method is called without making a bound method first.
        if let (ExprKind::Attr(obj, name), false, true) = (&f.kind, spread, kws.is_empty()) {
            self.module_attr(obj, name, f)?;
            self.expr(obj)?;
            let k = self.name_const(name);
            self.line = f.at.line as u32;
            self.emit(Op::LoadMethod(k));
            for a in args {
                self.expr(a)?;
            }
            self.line = e.at.line as u32;
            self.emit(Op::CallMethod(args.len() as u32));
            return Ok(());
        }
        self.expr(f)?;
        if spread {
            self.sequence(args, 3)?;
            if kws.is_empty() {
                self.line = e.at.line as u32;
                self.emit(Op::CallEx(false));
                return Ok(());
            }
            // Keywords are merged one by one, so a name given twice (by `**` and by name)
            // is caught as CPython catches it.
            self.emit(Op::BuildDict(0));
            for (name, v) in kws {
                match name {
                    Some(n) => {
                        self.emit(Op::BuildDict(0));
                        self.emit_const(Const::Str(n.clone()));
                        self.expr(v)?;
                        self.emit(Op::MapAdd(1));
                    }
                    None => self.expr(v)?,
                }
                self.emit(Op::DictMerge);
            }
            self.line = e.at.line as u32;
            self.emit(Op::CallEx(true));
            return Ok(());
        }
        for a in args {
            self.expr(a)?;
        }
        if kws.is_empty() {
            self.line = e.at.line as u32;
            self.emit(Op::Call(args.len() as u32));
            return Ok(());
        }
        let mut names = Vec::new();
        for (name, v) in kws {
            self.expr(v)?;
            if let Some(n) = name {
                names.push(n.clone());
            }
        }
        let k = self.konst(Const::Names(names.into()));
        self.line = e.at.line as u32;
        self.emit(Op::CallKw(args.len() as u32, k));
        Ok(())
    }

    pub(super) fn fstring(&mut self, parts: &'t [FPart]) -> Result<(), SyntaxError> {
        for p in parts {
            match p {
                FPart::Text(t) => self.emit_const(Const::Str(t.clone())),
                FPart::Value(v, conv, spec) => {
                    self.expr(v)?;
                    if let Some(spec) = spec {
                        self.fstring(spec)?;
                    }
                    let conv = match conv {
                        Some('s') => 1,
                        Some('r') => 2,
                        Some('a') => 3,
                        _ => 0,
                    };
                    self.emit(Op::Format(conv, spec.is_some()));
                }
            }
        }
        if parts.len() != 1 || matches!(parts.first(), Some(FPart::Text(_))) {
            self.emit(Op::BuildString(parts.len() as u32));
        }
        Ok(())
    }

    /// `module.name` of a name a module was imported as: refused before the run when Interleave
    /// does not run that name of the module (`asyncio.to_thread`); and any `obj.name` of a method
    /// that runs a callback on the loop (see [`modules::refused_method`]).
    fn module_attr(&self, obj: &Expr, name: &str, at: &Expr) -> Result<(), SyntaxError> {
        if let Some(what) = modules::refused_method(name) {
            return Err(SyntaxError::unsupported(at.at.line, at.at.col, &what));
        }
        let ExprKind::Name(n) = &obj.kind else {
            return Ok(());
        };
        let module = self.globals.imports.iter().find(|(bound, _)| bound == n);
        match module {
            Some((_, m)) if !modules::offers(m, name) => Err(SyntaxError::unsupported(
                at.at.line,
                at.at.col,
                &format!("the name {m}.{name} is"),
            )),
            _ => Ok(()),
        }
    }

    /// A generator expression, as CPython makes one: a function of `.0` (the first iterable's
    /// iterator, made here, where the expression is) that loops and yields each item, called at
    /// once; the call makes a generator, which runs only as far as it is asked for items.
    fn generator_expression(
        &mut self,
        node: &'t Expr,
        elt: &'t Expr,
        gens: &'t [Generator],
    ) -> Result<(), SyntaxError> {
        let inner = self.table.of_node.get(&key(node)).copied();
        if inner.is_some_and(|s| self.table.scopes[s].has_await) {
            return Err(SyntaxError::unsupported(
                node.at.line,
                node.at.col,
                "asynchronous generator expressions (an await inside `( ... for ... )`) are",
            ));
        }
        let Some(first) = gens.first() else {
            return Err(err(
                node.at.line,
                node.at.col,
                "internal error: no generator",
            ));
        };
        let params = Params {
            names: vec![Rc::from(".0")],
            ..Params::default()
        };
        let mut code = self.function(inner, "<genexpr>", &params, false, node.at.line, |c| {
            // The first iterator is the parameter `.0`.
            c.emit(Op::LoadFast(0));
            c.loops(gens, |c| {
                c.expr(elt)?;
                c.emit(Op::YieldValue);
                Ok(())
            })
        })?;
        code.is_generator = true;
        let k = self.konst(Const::Code(Rc::new(code)));
        self.emit(Op::MakeFunction(k, 0));
        self.expr(&first.iter)?;
        self.emit(Op::GetIter);
        self.emit(Op::Call(1));
        Ok(())
    }

    /// A comprehension in line: the container (`kind`: list 0, set 2, dict 3), then one loop per
    /// generator around `elt`, the comprehension's variables in slots of their own.
    pub(super) fn comprehension(
        &mut self,
        node: &'t Expr,
        gens: &'t [Generator],
        elt: impl FnOnce(&mut Compiler<'t, 'g>) -> Result<(), SyntaxError>,
        kind: u8,
    ) -> Result<(), SyntaxError> {
        let Some(scope) = self.table.of_node.get(&key(node)).copied() else {
            return Err(err(node.at.line, node.at.col, "internal error: no scope"));
        };
        self.emit(match kind {
            2 => Op::BuildSet(0),
            3 => Op::BuildDict(0),
            _ => Op::BuildList(0),
        });
        // Its variables: fresh slots (or cells, if a lambda in it captures them).
        let s = &self.table.scopes[scope];
        let mark = self.comp_vars.len();
        let bound: Vec<Rc<str>> = s.bound.clone();
        let captured: Vec<Rc<str>> = s.captured.clone();
        for name in &bound {
            let place = if captured.contains(name) {
                self.code.cells.push(name.clone());
                Place::Cell((self.code.cells.len() - 1) as u32)
            } else {
                self.code.locals.push(name.clone());
                Place::Fast((self.code.locals.len() - 1) as u32)
            };
            self.comp_vars.push((name.clone(), place));
        }
        // The first iterable is evaluated outside the comprehension's names.
        let outer = self.comp_vars.split_off(mark);
        self.expr(&gens[0].iter)?;
        self.emit(Op::GetIter);
        self.comp_vars.extend(outer);
        self.loops(gens, elt)?;
        self.comp_vars.truncate(mark);
        Ok(())
    }

    /// One loop per generator around `body`, the first one's iterator already on the stack:
    /// each target stored, each `if` skipping to its loop's next item.
    fn loops(
        &mut self,
        gens: &'t [Generator],
        body: impl FnOnce(&mut Compiler<'t, 'g>) -> Result<(), SyntaxError>,
    ) -> Result<(), SyntaxError> {
        let mut loops = Vec::new();
        for (i, g) in gens.iter().enumerate() {
            if i > 0 {
                self.expr(&g.iter)?;
                self.emit(Op::GetIter);
            }
            let head = self.emit(Op::ForIter(0));
            self.store(&g.target)?;
            let mut skips = Vec::new();
            for c in &g.ifs {
                self.expr(c)?;
                skips.push(self.emit(Op::JumpIfFalse(0)));
            }
            loops.push((head, skips));
        }
        body(self)?;
        for (head, skips) in loops.into_iter().rev() {
            for s in skips {
                self.patch_to(s, head as u32);
            }
            self.emit(Op::Jump(head as u32));
            self.patch(head);
        }
        Ok(())
    }
}
