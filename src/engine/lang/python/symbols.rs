//! Which scope each name of a program belongs to, as CPython's symbol table decides it: a
//! local, a cell shared with an inner function, or a global; list, set and dict comprehensions
//! have their own variables but run in their function's frame (as 3.12 inlines them); a
//! generator expression is a function of its own, as in every CPython.

use std::collections::HashMap;
use std::rc::Rc;

use super::ast::{Comp, Expr, ExprKind, FPart, Generator, Params, Stmt, StmtKind};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Module,
    Function,
    Comprehension,
}

/// One scope as the symbol table sees it.
#[derive(Debug)]
pub(super) struct Scope {
    pub(super) kind: Kind,
    pub(super) parent: Option<usize>,
    /// Names bound here, parameters first.
    pub(super) bound: Vec<Rc<str>>,
    /// Names declared `global`.
    pub(super) global: Vec<Rc<str>>,
    /// Names declared `nonlocal`: an enclosing function's, through a cell.
    pub(super) nonlocal: Vec<Rc<str>>,
    /// Names read or written here (to resolve).
    pub(super) used: Vec<Rc<str>>,
    /// Bound names an inner function captures.
    pub(super) captured: Vec<Rc<str>>,
    /// Names this scope takes from an enclosing one, in order.
    pub(super) free: Vec<Rc<str>>,
    pub(super) has_await: bool,
    /// A generator expression's (a function, but a walrus in it binds outside, as in a
    /// comprehension).
    pub(super) genexp: bool,
}

impl Scope {
    fn binds(&self, name: &str) -> bool {
        self.bound.iter().any(|b| &**b == name) && !self.declared(name)
    }

    /// Whether `name` is declared `global` or `nonlocal` here (so not a local of its own).
    pub(super) fn declared(&self, name: &str) -> bool {
        self.global
            .iter()
            .chain(&self.nonlocal)
            .any(|g| &**g == name)
    }
}

fn add(names: &mut Vec<Rc<str>>, name: &Rc<str>) {
    if !names.iter().any(|n| n == name) {
        names.push(name.clone());
    }
}

/// The symbol table: every scope, found by the address of the node that makes it.
#[derive(Default)]
pub(super) struct Symbols {
    pub(super) scopes: Vec<Scope>,
    pub(super) of_node: HashMap<usize, usize>,
}

pub(super) fn key<T>(node: &T) -> usize {
    node as *const T as usize
}

impl Symbols {
    pub(super) fn scope(&mut self, kind: Kind, parent: Option<usize>, params: &Params) -> usize {
        self.scopes.push(Scope {
            kind,
            parent,
            bound: params.locals(),
            global: Vec::new(),
            nonlocal: Vec::new(),
            used: params.locals(),
            captured: Vec::new(),
            free: Vec::new(),
            has_await: false,
            genexp: false,
        });
        self.scopes.len() - 1
    }

    fn bind(&mut self, s: usize, name: &Rc<str>) {
        add(&mut self.scopes[s].bound, name);
        add(&mut self.scopes[s].used, name);
    }

    /// The scope a walrus binds in: the nearest that is not a comprehension.
    fn walrus_scope(&self, mut s: usize) -> usize {
        while self.scopes[s].kind == Kind::Comprehension || self.scopes[s].genexp {
            match self.scopes[s].parent {
                Some(p) => s = p,
                None => break,
            }
        }
        s
    }

    pub(super) fn body(&mut self, s: usize, body: &[Stmt]) {
        for st in body {
            self.stmt(s, st);
        }
    }

    fn stmt(&mut self, s: usize, st: &Stmt) {
        match &st.kind {
            StmtKind::Import(names) => {
                for (name, alias) in names {
                    let bound = alias
                        .clone()
                        .unwrap_or_else(|| Rc::from(name.split('.').next().unwrap_or(name)));
                    self.bind(s, &bound);
                }
            }
            StmtKind::ImportFrom(_, names) => {
                for (name, alias) in names {
                    self.bind(s, alias.as_ref().unwrap_or(name));
                }
            }
            StmtKind::Def {
                name, params, body, ..
            } => {
                for d in params.all_defaults() {
                    self.expr(s, d);
                }
                for (_, a) in &params.annotations {
                    self.expr(s, a);
                }
                self.bind(s, name);
                let inner = self.scope(Kind::Function, Some(s), params);
                self.of_node.insert(key(st), inner);
                self.body(inner, body);
            }
            StmtKind::Return(v) => {
                if let Some(v) = v {
                    self.expr(s, v);
                }
            }
            StmtKind::Assign(targets, value) => {
                self.expr(s, value);
                for t in targets {
                    self.target(s, t);
                }
            }
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
                simple,
            } => {
                // A bare name annotated is a local, even with no value.
                match &target.kind {
                    ExprKind::Name(n) if *simple || value.is_some() => self.bind(s, n),
                    ExprKind::Name(_) => {}
                    _ => self.expr(s, target),
                }
                self.expr(s, annotation);
                if let Some(v) = value {
                    self.expr(s, v);
                }
            }
            StmtKind::AugAssign(t, _, v) => {
                self.expr(s, v);
                self.target(s, t);
                self.expr(s, t);
            }
            StmtKind::Expr(e) => self.expr(s, e),
            StmtKind::If(t, a, b) | StmtKind::While(t, a, b) => {
                self.expr(s, t);
                self.body(s, a);
                self.body(s, b);
            }
            StmtKind::For(t, it, a, b) => {
                self.expr(s, it);
                self.target(s, t);
                self.body(s, a);
                self.body(s, b);
            }
            StmtKind::Break | StmtKind::Continue | StmtKind::Pass => {}
            StmtKind::Global(names) => {
                for n in names {
                    add(&mut self.scopes[s].global, n);
                }
            }
            StmtKind::Nonlocal(names) => {
                for n in names {
                    add(&mut self.scopes[s].nonlocal, n);
                    add(&mut self.scopes[s].used, n);
                }
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.target(s, t);
                }
            }
            StmtKind::Assert(test, message) => {
                self.expr(s, test);
                if let Some(m) = message {
                    self.expr(s, m);
                }
            }
            StmtKind::Raise(e, c) => {
                for e in e.iter().chain(c.iter()) {
                    self.expr(s, e);
                }
            }
            StmtKind::Try(body, handlers, orelse, finally) => {
                self.body(s, body);
                for h in handlers {
                    if let Some(k) = &h.kind {
                        self.expr(s, k);
                    }
                    if let Some(n) = &h.name {
                        self.bind(s, n);
                    }
                    self.body(s, &h.body);
                }
                self.body(s, orelse);
                self.body(s, finally);
            }
            StmtKind::With(is_async, items, body) => {
                if *is_async {
                    self.scopes[s].has_await = true;
                }
                for (cm, t) in items {
                    self.expr(s, cm);
                    if let Some(t) = t {
                        self.target(s, t);
                    }
                }
                self.body(s, body);
            }
        }
    }

    fn target(&mut self, s: usize, t: &Expr) {
        match &t.kind {
            ExprKind::Name(n) => self.bind(s, n),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                for i in items {
                    self.target(s, i);
                }
            }
            ExprKind::Starred(v) => self.target(s, v),
            _ => self.expr(s, t),
        }
    }

    fn expr(&mut self, s: usize, e: &Expr) {
        match &e.kind {
            ExprKind::Const(_) => {}
            ExprKind::Name(n) => add(&mut self.scopes[s].used, n),
            ExprKind::FString(parts) => self.fparts(s, parts),
            ExprKind::Bin(_, a, b) => {
                self.expr(s, a);
                self.expr(s, b);
            }
            ExprKind::Unary(_, a) | ExprKind::Starred(a) | ExprKind::Attr(a, _) => self.expr(s, a),
            ExprKind::Await(a) => {
                self.scopes[s].has_await = true;
                self.expr(s, a);
            }
            ExprKind::Bool(_, items)
            | ExprKind::List(items)
            | ExprKind::Tuple(items)
            | ExprKind::Set(items) => {
                for i in items {
                    self.expr(s, i);
                }
            }
            ExprKind::Compare(a, rest) => {
                self.expr(s, a);
                for (_, b) in rest {
                    self.expr(s, b);
                }
            }
            ExprKind::Call(f, args, kws) => {
                self.expr(s, f);
                for a in args {
                    self.expr(s, a);
                }
                for (_, v) in kws {
                    self.expr(s, v);
                }
            }
            ExprKind::Subscript(a, b) => {
                self.expr(s, a);
                self.expr(s, b);
            }
            ExprKind::Slice(a, b, c) => {
                for x in [a, b, c].into_iter().flatten() {
                    self.expr(s, x);
                }
            }
            ExprKind::Dict(items) => {
                for (k, v) in items {
                    if let Some(k) = k {
                        self.expr(s, k);
                    }
                    self.expr(s, v);
                }
            }
            ExprKind::Comprehension(Comp::Gen, elt, gens) => {
                self.generator_expression(s, e, gens, elt)
            }
            ExprKind::Comprehension(_, elt, gens) => self.comprehension(s, e, gens, &[elt]),
            ExprKind::DictComp(k, v, gens) => self.comprehension(s, e, gens, &[k, v]),
            ExprKind::Lambda(params, body) => {
                for d in params.all_defaults() {
                    self.expr(s, d);
                }
                let inner = self.scope(Kind::Function, Some(s), params);
                self.of_node.insert(key(e), inner);
                self.expr(inner, body);
            }
            ExprKind::IfExp(a, b, c) => {
                self.expr(s, a);
                self.expr(s, b);
                self.expr(s, c);
            }
            ExprKind::Walrus(n, v) => {
                self.expr(s, v);
                let w = self.walrus_scope(s);
                self.bind(w, n);
                add(&mut self.scopes[s].used, n);
            }
        }
    }

    fn fparts(&mut self, s: usize, parts: &[FPart]) {
        for p in parts {
            if let FPart::Value(v, _, spec) = p {
                self.expr(s, v);
                if let Some(spec) = spec {
                    self.fparts(s, spec);
                }
            }
        }
    }

    fn comprehension(&mut self, s: usize, node: &Expr, gens: &[Generator], elts: &[&Expr]) {
        if let Some(first) = gens.first() {
            self.expr(s, &first.iter);
        }
        let inner = self.scope(Kind::Comprehension, Some(s), &Params::default());
        self.of_node.insert(key(node), inner);
        self.generators(inner, gens);
        for e in elts {
            self.expr(inner, e);
        }
        if self.scopes[inner].has_await {
            self.scopes[s].has_await = true;
        }
    }

    /// A generator expression: a function of one parameter, `.0`, the first iterable's
    /// iterator (made outside it, where the expression is); its variables are its locals.
    fn generator_expression(&mut self, s: usize, node: &Expr, gens: &[Generator], elt: &Expr) {
        if let Some(first) = gens.first() {
            self.expr(s, &first.iter);
        }
        let params = Params {
            names: vec![Rc::from(".0")],
            ..Params::default()
        };
        let inner = self.scope(Kind::Function, Some(s), &params);
        self.scopes[inner].genexp = true;
        self.of_node.insert(key(node), inner);
        self.generators(inner, gens);
        self.expr(inner, elt);
    }

    /// The `for ... in ... if ...` parts, in the comprehension's scope `inner` (all but the
    /// first iterable, which its caller reads outside).
    fn generators(&mut self, inner: usize, gens: &[Generator]) {
        for (i, g) in gens.iter().enumerate() {
            if i > 0 {
                self.expr(inner, &g.iter);
            }
            self.target(inner, &g.target);
            for c in &g.ifs {
                self.expr(inner, c);
            }
        }
    }

    /// Decides, for every name a scope uses, where it lives; marks the captured ones.
    pub(super) fn resolve(&mut self) {
        for s in 0..self.scopes.len() {
            let used = self.scopes[s].used.clone();
            for name in used {
                self.capture(s, &name);
            }
        }
    }

    /// If `name` used in `s` is a variable of an enclosing function, threads it through as a
    /// free variable of every function scope between, and marks it captured where it lives.
    fn capture(&mut self, s: usize, name: &Rc<str>) {
        if self.scopes[s].binds(name) || self.is_global(s, name) {
            return;
        }
        // Walk out: comprehensions share their function's frame, functions need a cell.
        let mut path = vec![s];
        let mut at = self.scopes[s].parent;
        while let Some(p) = at {
            let scope = &self.scopes[p];
            if scope.kind == Kind::Module {
                // Module names are globals, except a module-level comprehension's own.
                return;
            }
            if scope.binds(name) {
                // Crossing a function boundary makes it a cell.
                if path.iter().any(|&q| self.scopes[q].kind == Kind::Function) {
                    add(&mut self.scopes[p].captured, name);
                    for &q in &path {
                        add(&mut self.scopes[q].free, name);
                    }
                }
                return;
            }
            if scope.global.iter().any(|g| g == name) {
                return;
            }
            path.push(p);
            at = scope.parent;
        }
    }

    fn is_global(&self, s: usize, name: &str) -> bool {
        self.scopes[s].global.iter().any(|g| &**g == name)
    }
}
