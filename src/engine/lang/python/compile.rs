//! The tree into code objects (see `code`): first which scope each name belongs to (a local, a
//! cell shared with an inner function, a global), as CPython's symbol table decides it, then
//! the instructions. Comprehensions run in line in their function, as CPython 3.12 runs them,
//! with their own variables. What CPython's compiler refuses (`'await' outside async
//! function`, `'return' outside function`, `'break' outside loop`) is refused here in its words.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::{Constant, Expr, ExprKind, Params, Stmt, StmtKind};
use super::code::{Code, Const, Module, Op};
use super::error::SyntaxError;
use super::symbols::{key, Kind, Symbols};

#[path = "compile_expr.rs"]
mod expressions;
#[path = "compile_store.rs"]
mod stores;

/// Compiles a parsed program.
pub fn compile(body: &[Stmt]) -> Result<Module, SyntaxError> {
    let mut table = Symbols::default();
    let root = table.scope(Kind::Module, None, &Params::default());
    table.body(root, body);
    table.resolve();
    let mut globals = Globals::default();
    // `from __future__` comes first (after a docstring), and only in the module's body.
    let mut at_start = true;
    for (i, s) in body.iter().enumerate() {
        let future = matches!(&s.kind, StmtKind::ImportFrom(m, _) if &**m == "__future__");
        if future && !at_start {
            return Err(err(
                s.at.line,
                s.at.col,
                "from __future__ imports must occur at the beginning of the file",
            ));
        }
        let docstring = i == 0
            && matches!(&s.kind, StmtKind::Expr(e) if matches!(e.kind, ExprKind::Const(Constant::Str(_))));
        at_start &= future || docstring;
    }
    let code = {
        let mut c = Compiler::new(&table, root, &mut globals, "<module>", "<module>", false, 1);
        for s in body {
            c.stmt(s)?;
        }
        c.emit_const(Const::None);
        c.emit(Op::Return);
        c.finish()
    };
    Ok(Module {
        code: Rc::new(code),
        globals: globals.names,
    })
}

/// The module's global slots, by name.
#[derive(Default)]
struct Globals {
    names: Vec<Rc<str>>,
    index: HashMap<Rc<str>, u32>,
    /// The names modules were imported as, with each module's name.
    imports: Vec<(Rc<str>, Rc<str>)>,
    /// The names bound to `typing` or its names, which only annotations may use.
    typing: Vec<Rc<str>>,
    /// `from __future__ import annotations`: annotations are not evaluated.
    lazy_annotations: bool,
}

impl Globals {
    fn slot(&mut self, name: &Rc<str>) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.clone());
        self.index.insert(name.clone(), i);
        i
    }
}

/// Where a name lives, for one load or store.
#[derive(Clone, Copy)]
enum Place {
    Fast(u32),
    Cell(u32),
    Global(u32),
}

/// What a `return`, `break` or `continue` must undo on its way out.
#[derive(Clone)]
enum Unwind<'t> {
    /// A `for` loop's iterator on the stack, with where `continue` and `break` go.
    For { head: usize, exits: usize },
    /// A `while` loop.
    While { head: usize, exits: usize },
    /// A `try` with this `finally` body.
    Finally(&'t [Stmt]),
    /// A `try`'s body with handlers: its block.
    Try,
    /// Inside an `except` or `finally` handler.
    Handler,
    /// Inside a `with` body (`async`?).
    With(bool),
}

/// One code object being compiled.
struct Compiler<'t, 'g> {
    table: &'t Symbols,
    scope: usize,
    globals: &'g mut Globals,
    code: Code,
    /// Comprehension variables in force, innermost last: name, where.
    comp_vars: Vec<(Rc<str>, Place)>,
    unwind: Vec<Unwind<'t>>,
    /// Jumps to patch, per loop: (where, breaks).
    exits: Vec<Vec<usize>>,
    line: u32,
}

fn err(line: usize, col: usize, message: &str) -> SyntaxError {
    SyntaxError::new(line, col, message.to_string())
}

impl<'t, 'g> Compiler<'t, 'g> {
    fn new(
        table: &'t Symbols,
        scope: usize,
        globals: &'g mut Globals,
        name: &str,
        qualname: &str,
        is_async: bool,
        line: u32,
    ) -> Compiler<'t, 'g> {
        let s = &table.scopes[scope];
        let mut code = Code {
            name: Rc::from(name),
            qualname: Rc::from(qualname),
            is_async,
            is_generator: false,
            line,
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
            consts: Vec::new(),
            ops: Vec::new(),
            lines: Vec::new(),
        };
        if s.kind == Kind::Function {
            for b in &s.bound {
                if !s.declared(b) {
                    code.locals.push(b.clone());
                }
            }
            for c in &s.captured {
                code.cells.push(c.clone());
            }
            for f in &s.free {
                code.cells.push(f.clone());
            }
        }
        Compiler {
            table,
            scope,
            globals,
            code,
            comp_vars: Vec::new(),
            unwind: Vec::new(),
            exits: Vec::new(),
            line,
        }
    }

    fn finish(self) -> Code {
        self.code
    }

    fn emit(&mut self, op: Op) -> usize {
        self.code.ops.push(op);
        self.code.lines.push(self.line);
        self.code.ops.len() - 1
    }

    fn here(&self) -> usize {
        self.code.ops.len()
    }

    fn patch(&mut self, at: usize) {
        let to = self.here() as u32;
        self.patch_to(at, to);
    }

    fn patch_to(&mut self, at: usize, to: u32) {
        if let Some(op) = self.code.ops.get_mut(at) {
            *op = match *op {
                Op::Jump(_) => Op::Jump(to),
                Op::JumpIfFalse(_) => Op::JumpIfFalse(to),
                Op::JumpIfTrue(_) => Op::JumpIfTrue(to),
                Op::JumpIfFalseOrPop(_) => Op::JumpIfFalseOrPop(to),
                Op::JumpIfTrueOrPop(_) => Op::JumpIfTrueOrPop(to),
                Op::ForIter(_) => Op::ForIter(to),
                Op::Setup(_) => Op::Setup(to),
                other => other,
            };
        }
    }

    fn konst(&mut self, c: Const) -> u32 {
        if !matches!(c, Const::Code(_) | Const::Float(_)) {
            if let Some(i) = self.code.consts.iter().position(|k| *k == c) {
                return i as u32;
            }
        }
        self.code.consts.push(c);
        (self.code.consts.len() - 1) as u32
    }

    fn emit_const(&mut self, c: Const) {
        let k = self.konst(c);
        self.emit(Op::Const(k));
    }

    fn name_const(&mut self, name: &Rc<str>) -> u32 {
        self.konst(Const::Str(name.clone()))
    }

    fn is_function(&self) -> bool {
        self.table.scopes[self.scope].kind == Kind::Function
    }

    /// Where `name` lives from here.
    fn place(&mut self, name: &Rc<str>) -> Place {
        if let Some((_, p)) = self.comp_vars.iter().rev().find(|(n, _)| n == name) {
            return *p;
        }
        let s = &self.table.scopes[self.scope];
        if s.kind == Kind::Function && !s.global.iter().any(|g| g == name) {
            if let Some(i) = self.code.cells.iter().position(|c| c == name) {
                return Place::Cell(i as u32);
            }
            if let Some(i) = self.code.locals.iter().position(|c| c == name) {
                return Place::Fast(i as u32);
            }
        }
        Place::Global(self.globals.slot(name))
    }

    fn load_name(&mut self, name: &Rc<str>) {
        let op = match self.place(name) {
            Place::Fast(i) => Op::LoadFast(i),
            Place::Cell(i) => Op::LoadCell(i),
            Place::Global(i) => Op::LoadGlobal(i),
        };
        self.emit(op);
    }

    fn store_name(&mut self, name: &Rc<str>) {
        let op = match self.place(name) {
            Place::Fast(i) => Op::StoreFast(i),
            Place::Cell(i) => Op::StoreCell(i),
            Place::Global(i) => Op::StoreGlobal(i),
        };
        self.emit(op);
    }

    fn block(&mut self, body: &'t [Stmt]) -> Result<(), SyntaxError> {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &'t Stmt) -> Result<(), SyntaxError> {
        self.line = s.at.line as u32;
        match &s.kind {
            StmtKind::Import(names) => self.import(s, names)?,
            StmtKind::ImportFrom(module, names) => self.import_from(s, module, names)?,
            StmtKind::Def {
                is_async,
                name,
                params,
                body,
            } => {
                for d in params.all_defaults() {
                    self.expr(d)?;
                }
                for (_, a) in &params.annotations {
                    self.annotation(a)?;
                }
                let inner = self.table.of_node.get(&key(s)).copied();
                let code = self.function(inner, name, params, *is_async, s.at.line, |c| {
                    c.block(body)?;
                    c.emit_const(Const::None);
                    c.emit(Op::Return);
                    Ok(())
                })?;
                let k = self.konst(Const::Code(Rc::new(code)));
                self.emit(Op::MakeFunction(k, params.all_defaults().count() as u32));
                self.store_name(name);
            }
            StmtKind::Return(v) => {
                if !self.is_function() {
                    return Err(err(s.at.line, s.at.col, "'return' outside function"));
                }
                match v {
                    Some(v) => self.expr(v)?,
                    None => self.emit_const(Const::None),
                }
                self.unwind_all(true)?;
                self.emit(Op::Return);
            }
            StmtKind::Assign(targets, value) => {
                self.expr(value)?;
                for (i, t) in targets.iter().enumerate() {
                    if i + 1 < targets.len() {
                        self.emit(Op::Dup);
                    }
                    self.store(t)?;
                }
            }
            StmtKind::AugAssign(t, op, v) => self.aug_assign(t, op, v)?,
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
                simple,
            } => self.annotated_assignment(target, annotation, value.as_ref(), *simple)?,
            StmtKind::Expr(e) => {
                self.expr(e)?;
                self.emit(Op::Pop);
            }
            StmtKind::If(test, body, orelse) => {
                self.expr(test)?;
                let skip = self.emit(Op::JumpIfFalse(0));
                self.block(body)?;
                if orelse.is_empty() {
                    self.patch(skip);
                } else {
                    let end = self.emit(Op::Jump(0));
                    self.patch(skip);
                    self.block(orelse)?;
                    self.patch(end);
                }
            }
            StmtKind::While(test, body, orelse) => {
                let head = self.here();
                self.expr(test)?;
                let done = self.emit(Op::JumpIfFalse(0));
                self.exits.push(Vec::new());
                self.unwind.push(Unwind::While {
                    head,
                    exits: self.exits.len() - 1,
                });
                self.block(body)?;
                self.unwind.pop();
                self.emit(Op::Jump(head as u32));
                self.patch(done);
                self.block(orelse)?;
                for b in self.exits.pop().unwrap_or_default() {
                    self.patch(b);
                }
            }
            StmtKind::For(target, iter, body, orelse) => {
                self.expr(iter)?;
                self.emit(Op::GetIter);
                let head = self.emit(Op::ForIter(0));
                self.line = s.at.line as u32;
                self.store(target)?;
                self.exits.push(Vec::new());
                self.unwind.push(Unwind::For {
                    head,
                    exits: self.exits.len() - 1,
                });
                self.block(body)?;
                self.unwind.pop();
                self.emit(Op::Jump(head as u32));
                self.patch(head);
                self.block(orelse)?;
                for b in self.exits.pop().unwrap_or_default() {
                    self.patch(b);
                }
            }
            StmtKind::Break | StmtKind::Continue => {
                let is_break = matches!(s.kind, StmtKind::Break);
                let word = if is_break { "'break'" } else { "'continue'" };
                let Some(depth) = self
                    .unwind
                    .iter()
                    .rposition(|u| matches!(u, Unwind::For { .. } | Unwind::While { .. }))
                else {
                    return Err(err(
                        s.at.line,
                        s.at.col,
                        &format!(
                            "{word} {}",
                            if is_break {
                                "outside loop"
                            } else {
                                "not properly in loop"
                            }
                        ),
                    ));
                };
                let all = self.unwind.clone();
                for i in (depth + 1..all.len()).rev() {
                    self.unwind.truncate(i);
                    self.undo(&all[i], false)?;
                }
                self.unwind = all;
                match self.unwind[depth].clone() {
                    Unwind::For { head, exits } | Unwind::While { head, exits } => {
                        if is_break {
                            if matches!(self.unwind[depth], Unwind::For { .. }) {
                                self.emit(Op::Pop);
                            }
                            let j = self.emit(Op::Jump(0));
                            if let Some(e) = self.exits.get_mut(exits) {
                                e.push(j);
                            }
                        } else {
                            self.emit(Op::Jump(head as u32));
                        }
                    }
                    _ => {}
                }
            }
            StmtKind::Pass => {}
            StmtKind::Global(names) => self.not_a_parameter(s, names, "global")?,
            StmtKind::Nonlocal(names) => {
                self.not_a_parameter(s, names, "nonlocal")?;
                let scope = &self.table.scopes[self.scope];
                if scope.kind != Kind::Function {
                    return Err(err(
                        s.at.line,
                        s.at.col,
                        "nonlocal declaration not allowed at module level",
                    ));
                }
                if let Some(n) = names.iter().find(|n| !scope.free.contains(n)) {
                    return Err(SyntaxError::new(
                        s.at.line,
                        s.at.col,
                        format!("no binding for nonlocal '{n}' found"),
                    ));
                }
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete(t)?;
                }
            }
            StmtKind::Assert(test, message) => {
                self.expr(test)?;
                let over = self.emit(Op::JumpIfTrue(0));
                if let Some(m) = message {
                    self.expr(m)?;
                }
                self.line = s.at.line as u32;
                self.emit(Op::RaiseAssertion(message.is_some()));
                self.patch(over);
            }
            StmtKind::Raise(e, cause) => {
                let n = match (e, cause) {
                    (None, _) => 0,
                    (Some(e), None) => {
                        self.expr(e)?;
                        1
                    }
                    (Some(e), Some(c)) => {
                        self.expr(e)?;
                        self.expr(c)?;
                        2
                    }
                };
                self.emit(Op::Raise(n));
            }
            StmtKind::Try(body, handlers, orelse, finally) => {
                self.try_stmt(body, handlers, orelse, finally)?
            }
            StmtKind::With(is_async, items, body) => {
                if *is_async && !self.can_await() {
                    return Err(err(
                        s.at.line,
                        s.at.col,
                        "'async with' outside async function",
                    ));
                }
                self.with(*is_async, items, body)?
            }
        }
        Ok(())
    }

    /// CPython's symbol table refuses `global x` or `nonlocal x` of a parameter `x`.
    fn not_a_parameter(&self, s: &Stmt, names: &[Rc<str>], kind: &str) -> Result<(), SyntaxError> {
        let code = &self.code;
        let count = (code.params + code.kwonly) as usize
            + usize::from(code.star)
            + usize::from(code.star_star);
        let bound = &self.table.scopes[self.scope].bound;
        let params = &bound[..count.min(bound.len())];
        match names.iter().find(|n| params.contains(n)) {
            Some(n) if self.is_function() => Err(SyntaxError::new(
                s.at.line,
                s.at.col,
                format!("name '{n}' is parameter and {kind}"),
            )),
            _ => Ok(()),
        }
    }

    fn can_await(&self) -> bool {
        self.code.is_async || !self.is_function()
    }

    /// Compiles a nested function's code.
    fn function(
        &mut self,
        inner: Option<usize>,
        name: &str,
        params: &Params,
        is_async: bool,
        line: usize,
        body: impl FnOnce(&mut Compiler<'t, '_>) -> Result<(), SyntaxError>,
    ) -> Result<Code, SyntaxError> {
        let Some(inner) = inner else {
            return Err(err(line, 0, "internal error: a function without a scope"));
        };
        let qualname = if self.is_function() {
            format!("{}.<locals>.{name}", self.code.qualname)
        } else {
            name.to_string()
        };
        let table = self.table;
        let mut c = Compiler::new(
            table,
            inner,
            self.globals,
            name,
            &qualname,
            is_async,
            line as u32,
        );
        c.code.params = params.names.len() as u32;
        c.code.posonly = params.posonly as u32;
        c.code.kwonly = params.kwonly.len() as u32;
        c.code.kw_defaulted = params.kw_defaults.iter().map(Option::is_some).collect();
        c.code.star = params.star.is_some();
        c.code.star_star = params.star_star.is_some();
        // Parameters that inner functions capture start in their cells.
        for (pi, p) in params.locals().iter().enumerate() {
            if let Some(ci) = c.code.cells.iter().position(|x| x == p) {
                c.code.cell_params.push((ci as u32, pi as u32));
            }
        }
        body(&mut c)?;
        let mut code = c.finish();
        // Free variables come from this code's cells (or comprehension variables in cells).
        let frees: Vec<Rc<str>> = table.scopes[inner].free.clone();
        for f in &frees {
            match self.place(f) {
                Place::Cell(i) => code.free_from.push(i),
                _ => code.free_from.push(u32::MAX),
            }
        }
        Ok(code)
    }

    /// The code for leaving one construct early (`return` when `returning`: the value stays on
    /// top of the stack).
    fn undo(&mut self, u: &Unwind<'t>, returning: bool) -> Result<(), SyntaxError> {
        match u {
            Unwind::For { .. } => {
                if !returning {
                    self.emit(Op::Pop);
                }
            }
            Unwind::While { .. } => {}
            Unwind::Try => {
                self.emit(Op::PopBlock);
            }
            Unwind::Finally(body) => {
                self.emit(Op::PopBlock);
                // A return value waits under the finally body.
                self.block(body)?;
            }
            Unwind::Handler => {
                self.emit(Op::PopExc);
            }
            Unwind::With(is_async) => {
                self.emit(Op::PopBlock);
                if returning {
                    // value, exit -> exit on top
                    self.emit(Op::Rot2);
                }
                self.emit(Op::WithExit);
                if *is_async {
                    self.emit(Op::Await);
                }
                self.emit(Op::Pop);
            }
        }
        Ok(())
    }

    fn unwind_all(&mut self, returning: bool) -> Result<(), SyntaxError> {
        let all = self.unwind.clone();
        for i in (0..all.len()).rev() {
            self.unwind.truncate(i);
            self.undo(&all[i], returning)?;
        }
        self.unwind = all;
        Ok(())
    }

    fn try_stmt(
        &mut self,
        body: &'t [Stmt],
        handlers: &'t [super::ast::Handler],
        orelse: &'t [Stmt],
        finally: &'t [Stmt],
    ) -> Result<(), SyntaxError> {
        let line = self.line;
        let fin = if finally.is_empty() {
            None
        } else {
            let setup = self.emit(Op::Setup(0));
            self.unwind.push(Unwind::Finally(finally));
            Some(setup)
        };
        if handlers.is_empty() {
            self.block(body)?;
        } else {
            let setup = self.emit(Op::Setup(0));
            self.unwind.push(Unwind::Try);
            self.block(body)?;
            self.unwind.pop();
            self.emit(Op::PopBlock);
            self.block(orelse)?;
            let done = self.emit(Op::Jump(0));
            self.patch(setup);
            self.line = handlers.first().map_or(line, |h| h.at.line as u32);
            self.emit(Op::PushExc);
            let mut ends = vec![done];
            for h in handlers {
                self.line = h.at.line as u32;
                let next = match &h.kind {
                    Some(k) => {
                        self.expr(k)?;
                        self.emit(Op::ExcMatch);
                        Some(self.emit(Op::JumpIfFalse(0)))
                    }
                    None => None,
                };
                match &h.name {
                    Some(n) => self.store_name(n),
                    None => {
                        self.emit(Op::Pop);
                    }
                }
                self.unwind.push(Unwind::Handler);
                self.block(&h.body)?;
                self.unwind.pop();
                self.emit(Op::PopExc);
                if let Some(n) = &h.name {
                    if let Place::Fast(i) = self.place(n) {
                        self.emit(Op::DeleteFast(i));
                    }
                }
                ends.push(self.emit(Op::Jump(0)));
                match next {
                    Some(n) => self.patch(n),
                    None => break,
                }
            }
            if handlers.last().is_some_and(|h| h.kind.is_some()) {
                self.emit(Op::Reraise);
            }
            for e in ends {
                self.patch(e);
            }
        }
        if let Some(setup) = fin {
            self.unwind.pop();
            self.emit(Op::PopBlock);
            self.block(finally)?;
            let end = self.emit(Op::Jump(0));
            self.patch(setup);
            self.emit(Op::PushExc);
            self.unwind.push(Unwind::Handler);
            self.block(finally)?;
            self.unwind.pop();
            self.emit(Op::Reraise);
            self.patch(end);
        }
        Ok(())
    }

    fn with(
        &mut self,
        is_async: bool,
        items: &'t [(Expr, Option<Expr>)],
        body: &'t [Stmt],
    ) -> Result<(), SyntaxError> {
        let Some(((cm, target), rest)) = items.split_first() else {
            return self.block(body);
        };
        self.expr(cm)?;
        self.emit(Op::WithEnter(is_async));
        if is_async {
            self.emit(Op::Await);
        }
        match target {
            Some(t) => self.store(t)?,
            None => {
                self.emit(Op::Pop);
            }
        }
        let setup = self.emit(Op::Setup(0));
        self.unwind.push(Unwind::With(is_async));
        if rest.is_empty() {
            self.block(body)?;
        } else {
            self.with(is_async, rest, body)?;
        }
        self.unwind.pop();
        self.emit(Op::PopBlock);
        self.emit(Op::WithExit);
        if is_async {
            self.emit(Op::Await);
        }
        self.emit(Op::Pop);
        let end = self.emit(Op::Jump(0));
        self.patch(setup);
        self.emit(Op::PushExc);
        self.emit(Op::WithExcept);
        if is_async {
            self.emit(Op::Await);
        }
        let suppress = self.emit(Op::JumpIfTrue(0));
        self.emit(Op::Reraise);
        self.patch(suppress);
        self.emit(Op::PopExc);
        self.emit(Op::Pop);
        self.emit(Op::Pop);
        self.patch(end);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::python::parse;

    fn compiled(src: &str) -> Result<Module, SyntaxError> {
        compile(&parse(src)?)
    }

    #[test]
    fn names_land_where_cpython_puts_them() {
        let m = compiled(
            "import asyncio\nx = 1\ndef f(a):\n    b = a\n    g = lambda: a + b + x\n    return g\n",
        )
        .expect("compiles");
        let Some(Const::Code(f)) = m.code.consts.iter().find(|c| matches!(c, Const::Code(_)))
        else {
            panic!("f's code");
        };
        assert_eq!(&*f.qualname, "f");
        assert_eq!(f.cells.iter().map(|c| &**c).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(f.cell_params, [(0, 0)]);
        let Some(Const::Code(g)) = f.consts.iter().find(|c| matches!(c, Const::Code(_))) else {
            panic!("the lambda's code");
        };
        assert_eq!(&*g.qualname, "f.<locals>.<lambda>");
        assert_eq!(g.free_from, [0, 1]);
        assert!(m.globals.iter().any(|g| &**g == "x"));
    }

    #[test]
    fn cpython_refusals_of_the_compiler() {
        for (src, message) in [
            (
                "def f():\n    await g()\n",
                "SyntaxError: 'await' outside async function",
            ),
            ("return 1\n", "SyntaxError: 'return' outside function"),
            ("break\n", "SyntaxError: 'break' outside loop"),
            (
                "def f():\n    continue\n",
                "SyntaxError: 'continue' not properly in loop",
            ),
            // CPython 3.12's words (3.11 says "non-default argument follows default argument").
            (
                "def f(a=1, b):\n    pass\n",
                "SyntaxError: parameter without a default follows parameter with a default",
            ),
            (
                "def f(a, b, *, a):\n    pass\n",
                "SyntaxError: duplicate argument 'a' in function definition",
            ),
            (
                "def f():\n    global x\n    x: int = 1\n",
                "SyntaxError: annotated name 'x' can't be global",
            ),
            (
                "x = 1\nfrom __future__ import annotations\n",
                "SyntaxError: from __future__ imports must occur at the beginning of the file",
            ),
            (
                "\"\"\"doc\"\"\"\nfrom __future__ import annotations\nfrom __future__ import braces\n",
                "SyntaxError: not a chance",
            ),
            (
                "from __future__ import nonsense\n",
                "SyntaxError: future feature nonsense is not defined",
            ),
            (
                "def f(x, *a, **kw):\n    global kw\n",
                "SyntaxError: name 'kw' is parameter and global",
            ),
            (
                "def f(x):\n    def g(y):\n        nonlocal y\n",
                "SyntaxError: name 'y' is parameter and nonlocal",
            ),
        ] {
            let e = compiled(src).expect_err(src);
            assert_eq!(e.to_string(), message, "{src}");
        }
    }
}
