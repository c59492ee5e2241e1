//! A program's tree as text, in a form CPython's `ast` is printed in too (by
//! `tests/conformance/python_ast.py`), so that the two parsers can be compared node by node:
//! `(Call (Attribute (Name asyncio) sleep) ((Constant 1)) ())`. Constants are written as
//! Python's `repr` writes them.

use super::ast::{Comp, Constant, Expr, ExprKind, FPart, Generator, Params, Stmt, StmtKind};
use crate::engine::lang::value::Value;

/// The program's statements, one per line.
pub fn dump(body: &[Stmt]) -> String {
    let mut out = String::new();
    for s in body {
        out.push_str(&stmt(s));
        out.push('\n');
    }
    out
}

fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    format!("({})", items.iter().map(f).collect::<Vec<_>>().join(" "))
}

fn body(stmts: &[Stmt]) -> String {
    list(stmts, stmt)
}

fn opt(e: &Option<Expr>) -> String {
    e.as_ref().map_or_else(|| "-".to_string(), expr)
}

fn alias(a: &(std::rc::Rc<str>, Option<std::rc::Rc<str>>)) -> String {
    format!("({} {})", a.0, a.1.as_deref().unwrap_or("-"))
}

fn params(p: &Params) -> String {
    let name = |n: &std::rc::Rc<str>| n.to_string();
    format!(
        "({} {} {} {} {} {} {} {})",
        list(&p.names, name),
        p.posonly,
        list(&p.defaults, expr),
        p.star.as_deref().unwrap_or("-"),
        list(&p.kwonly, name),
        list(&p.kw_defaults, opt),
        p.star_star.as_deref().unwrap_or("-"),
        list(&p.annotations, |(n, e)| format!("({n} {})", expr(e)))
    )
}

fn stmt(s: &Stmt) -> String {
    match &s.kind {
        StmtKind::Import(names) => format!("(Import {})", list(names, alias)),
        StmtKind::ImportFrom(m, names) => format!("(ImportFrom {m} {})", list(names, alias)),
        StmtKind::Def {
            is_async,
            name,
            params: p,
            body: b,
        } => format!(
            "({} {name} {} {})",
            if *is_async {
                "AsyncFunctionDef"
            } else {
                "FunctionDef"
            },
            params(p),
            body(b)
        ),
        StmtKind::Return(v) => format!("(Return {})", opt(v)),
        StmtKind::Assign(t, v) => format!("(Assign {} {})", list(t, expr), expr(v)),
        StmtKind::AnnAssign {
            target,
            annotation,
            value,
            simple,
        } => format!(
            "(AnnAssign {} {} {} {})",
            expr(target),
            expr(annotation),
            opt(value),
            u8::from(*simple)
        ),
        StmtKind::AugAssign(t, op, v) => {
            format!("(AugAssign {} {} {})", expr(t), op_name(op), expr(v))
        }
        StmtKind::Expr(e) => format!("(Expr {})", expr(e)),
        StmtKind::If(t, b, o) => format!("(If {} {} {})", expr(t), body(b), body(o)),
        StmtKind::For(t, i, b, o) => {
            format!("(For {} {} {} {})", expr(t), expr(i), body(b), body(o))
        }
        StmtKind::While(t, b, o) => format!("(While {} {} {})", expr(t), body(b), body(o)),
        StmtKind::Break => "(Break)".into(),
        StmtKind::Continue => "(Continue)".into(),
        StmtKind::Pass => "(Pass)".into(),
        StmtKind::Global(names) => format!("(Global {})", list(names, |n| n.to_string())),
        StmtKind::Nonlocal(names) => format!("(Nonlocal {})", list(names, |n| n.to_string())),
        StmtKind::Delete(targets) => format!("(Delete {})", list(targets, expr)),
        StmtKind::Assert(t, m) => format!("(Assert {} {})", expr(t), opt(m)),
        StmtKind::Raise(e, c) => format!("(Raise {} {})", opt(e), opt(c)),
        StmtKind::Try(b, handlers, o, f) => format!(
            "(Try {} {} {} {})",
            body(b),
            list(handlers, |h| format!(
                "(ExceptHandler {} {} {})",
                opt(&h.kind),
                h.name.as_deref().unwrap_or("-"),
                body(&h.body)
            )),
            body(o),
            body(f)
        ),
        StmtKind::With(is_async, items, b) => format!(
            "({} {} {})",
            if *is_async { "AsyncWith" } else { "With" },
            list(items, |(c, v)| format!("(withitem {} {})", expr(c), opt(v))),
            body(b)
        ),
    }
}

/// CPython's name of an operator.
fn op_name(op: &str) -> &'static str {
    match op {
        "+" => "Add",
        "-" => "Sub",
        "*" => "Mult",
        "/" => "Div",
        "//" => "FloorDiv",
        "%" => "Mod",
        "**" => "Pow",
        "@" => "MatMult",
        "<<" => "LShift",
        ">>" => "RShift",
        "|" => "BitOr",
        "^" => "BitXor",
        "&" => "BitAnd",
        "==" => "Eq",
        "!=" => "NotEq",
        "<" => "Lt",
        "<=" => "LtE",
        ">" => "Gt",
        ">=" => "GtE",
        "in" => "In",
        "not in" => "NotIn",
        "is" => "Is",
        "is not" => "IsNot",
        "not" => "Not",
        "~" => "Invert",
        "and" => "And",
        "or" => "Or",
        _ => "?",
    }
}

fn constant(c: &Constant) -> String {
    match c {
        Constant::None => "None".into(),
        Constant::Bool(b) => if *b { "True" } else { "False" }.into(),
        Constant::Int(i) => i.to_string(),
        Constant::Float(x) => Value::Float(*x).repr(),
        Constant::Str(s) => Value::Str(s.clone()).repr(),
        Constant::Ellipsis => "Ellipsis".into(),
    }
}

fn fparts(parts: &[FPart]) -> String {
    list(parts, |p| match p {
        FPart::Text(t) => format!("(Constant {})", Value::Str(t.clone()).repr()),
        FPart::Value(v, conv, spec) => format!(
            "(FormattedValue {} {} {})",
            expr(v),
            conv.map_or(-1, |c| c as i32),
            spec.as_ref()
                .map_or_else(|| "-".to_string(), |s| format!("(JoinedStr {})", fparts(s)))
        ),
    })
}

fn generators(g: &[Generator]) -> String {
    list(g, |g| {
        format!(
            "(comprehension {} {} {})",
            expr(&g.target),
            expr(&g.iter),
            list(&g.ifs, expr)
        )
    })
}

fn boxed(e: &Option<Box<Expr>>) -> String {
    e.as_deref().map_or_else(|| "-".to_string(), expr)
}

fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Const(c) => format!("(Constant {})", constant(c)),
        ExprKind::FString(parts) => format!("(JoinedStr {})", fparts(parts)),
        ExprKind::Name(n) => format!("(Name {n})"),
        ExprKind::Bin(op, a, b) => format!("(BinOp {} {} {})", expr(a), op_name(op), expr(b)),
        ExprKind::Unary(op, a) => format!(
            "(UnaryOp {} {})",
            match *op {
                "-" => "USub",
                "+" => "UAdd",
                other => op_name(other),
            },
            expr(a)
        ),
        ExprKind::Bool(op, items) => format!("(BoolOp {} {})", op_name(op), list(items, expr)),
        ExprKind::Compare(first, rest) => format!(
            "(Compare {} {} {})",
            expr(first),
            list(rest, |(op, _)| op_name(op).to_string()),
            list(rest, |(_, e)| expr(e))
        ),
        ExprKind::Call(f, args, kws) => format!(
            "(Call {} {} {})",
            expr(f),
            list(args, expr),
            list(kws, |(n, v)| format!(
                "(keyword {} {})",
                n.as_deref().unwrap_or("-"),
                expr(v)
            ))
        ),
        ExprKind::Attr(v, name) => format!("(Attribute {} {name})", expr(v)),
        ExprKind::Subscript(v, i) => format!("(Subscript {} {})", expr(v), expr(i)),
        ExprKind::Slice(a, b, c) => format!("(Slice {} {} {})", boxed(a), boxed(b), boxed(c)),
        ExprKind::Starred(v) => format!("(Starred {})", expr(v)),
        ExprKind::List(items) => format!("(List {})", list(items, expr)),
        ExprKind::Tuple(items) => format!("(Tuple {})", list(items, expr)),
        ExprKind::Set(items) => format!("(Set {})", list(items, expr)),
        ExprKind::Dict(items) => format!(
            "(Dict {} {})",
            list(items, |(k, _)| opt(k)),
            list(items, |(_, v)| expr(v))
        ),
        ExprKind::Comprehension(kind, elt, g) => format!(
            "({} {} {})",
            match kind {
                Comp::List => "ListComp",
                Comp::Set => "SetComp",
                Comp::Gen => "GeneratorExp",
            },
            expr(elt),
            generators(g)
        ),
        ExprKind::DictComp(k, v, g) => {
            format!("(DictComp {} {} {})", expr(k), expr(v), generators(g))
        }
        ExprKind::Lambda(p, b) => format!("(Lambda {} {})", params(p), expr(b)),
        ExprKind::IfExp(t, b, o) => format!("(IfExp {} {} {})", expr(t), expr(b), expr(o)),
        ExprKind::Await(v) => format!("(Await {})", expr(v)),
        ExprKind::Walrus(n, v) => format!("(NamedExpr (Name {n}) {})", expr(v)),
    }
}
