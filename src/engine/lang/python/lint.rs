//! Teaching lints: what a program does that a learner of asyncio most often does by mistake,
//! found in its tree, each with its line. CPython warns of the first at run time; asyncio's
//! debug mode of the second; the others are the lessons of the catalog.

use std::rc::Rc;

use super::ast::{Constant, Expr, ExprKind, Stmt, StmtKind};

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Lint {
    /// What kind: `never-awaited`, `blocking-call`, `dropped-task`, `sequential-awaits`.
    pub kind: &'static str,
    /// The line, from 1.
    pub line: usize,
    /// What it means, in a sentence.
    pub message: String,
}

/// The findings of a program, in line order.
pub fn lint(body: &[Stmt]) -> Vec<Lint> {
    let mut asyncs = Vec::new();
    collect_async(body, &mut asyncs);
    let mut out = Vec::new();
    walk(body, false, &asyncs, &mut out);
    out.sort_by_key(|l| l.line);
    out
}

fn collect_async(body: &[Stmt], out: &mut Vec<Rc<str>>) {
    for s in body {
        match &s.kind {
            StmtKind::Def {
                is_async,
                name,
                body,
                ..
            } => {
                if *is_async {
                    out.push(name.clone());
                }
                collect_async(body, out);
            }
            StmtKind::If(_, a, b) | StmtKind::While(_, a, b) | StmtKind::For(_, _, a, b) => {
                collect_async(a, out);
                collect_async(b, out);
            }
            StmtKind::Try(a, hs, b, c) => {
                collect_async(a, out);
                for h in hs {
                    collect_async(&h.body, out);
                }
                collect_async(b, out);
                collect_async(c, out);
            }
            StmtKind::With(_, _, b) => collect_async(b, out),
            _ => {}
        }
    }
}

/// `name(...)`, `module.name(...)`: the called name, and the module if any.
fn called(e: &Expr) -> Option<(Option<&str>, &str)> {
    let ExprKind::Call(f, _, _) = &e.kind else {
        return None;
    };
    match &f.kind {
        ExprKind::Name(n) => Some((None, n)),
        ExprKind::Attr(obj, n) => match &obj.kind {
            ExprKind::Name(m) => Some((Some(m), n)),
            _ => Some((Some(""), n)),
        },
        _ => None,
    }
}

/// The names an expression reads.
fn reads(e: &Expr, out: &mut Vec<Rc<str>>) {
    match &e.kind {
        ExprKind::Name(n) => out.push(n.clone()),
        ExprKind::Call(f, args, kws) => {
            reads(f, out);
            for a in args {
                reads(a, out);
            }
            for (_, v) in kws {
                reads(v, out);
            }
        }
        ExprKind::Attr(a, _)
        | ExprKind::Await(a)
        | ExprKind::Starred(a)
        | ExprKind::Unary(_, a) => reads(a, out),
        ExprKind::Bin(_, a, b) | ExprKind::Subscript(a, b) => {
            reads(a, out);
            reads(b, out);
        }
        ExprKind::List(items)
        | ExprKind::Tuple(items)
        | ExprKind::Set(items)
        | ExprKind::Bool(_, items) => {
            for i in items {
                reads(i, out);
            }
        }
        ExprKind::Compare(a, rest) => {
            reads(a, out);
            for (_, b) in rest {
                reads(b, out);
            }
        }
        ExprKind::IfExp(a, b, c) => {
            reads(a, out);
            reads(b, out);
            reads(c, out);
        }
        ExprKind::Dict(items) => {
            for (k, v) in items {
                if let Some(k) = k {
                    reads(k, out);
                }
                reads(v, out);
            }
        }
        ExprKind::FString(parts) => {
            for p in parts {
                if let super::ast::FPart::Value(v, _, _) = p {
                    reads(v, out);
                }
            }
        }
        _ => {}
    }
}

/// An awaited call of one of the program's coroutines: `[x =] await f(...)`, with what it binds.
fn awaited_call<'a>(s: &'a Stmt, asyncs: &[Rc<str>]) -> Option<(&'a Expr, Option<&'a Expr>)> {
    let (value, target) = match &s.kind {
        StmtKind::Expr(e) => (e, None),
        StmtKind::Assign(targets, e) if targets.len() == 1 => (e, targets.first()),
        _ => return None,
    };
    let ExprKind::Await(inner) = &value.kind else {
        return None;
    };
    match called(inner) {
        Some((None, f)) if asyncs.iter().any(|a| &**a == f) => Some((inner, target)),
        _ => None,
    }
}

fn walk(body: &[Stmt], in_async: bool, asyncs: &[Rc<str>], out: &mut Vec<Lint>) {
    let mut previous: Option<(&Expr, Option<&Expr>, usize)> = None;
    for s in body {
        let line = s.at.line;
        if let StmtKind::Expr(e) = &s.kind {
            match called(e) {
                Some((None, f)) if asyncs.iter().any(|a| &**a == f) => out.push(Lint {
                    kind: "never-awaited",
                    line,
                    message: format!(
                        "{f}(...) makes a coroutine and drops it: it never runs (CPython warns \
                         \"coroutine '{f}' was never awaited\"). Await it, or make it a task."
                    ),
                }),
                Some((Some("asyncio"), "create_task")) => out.push(Lint {
                    kind: "dropped-task",
                    line,
                    message: "The task's reference is dropped: asyncio keeps only a weak one, \
                              so keep it in a variable or a set until the task is done."
                        .into(),
                }),
                _ => {}
            }
        }
        if in_async {
            let mut blocking = Vec::new();
            stmt_calls(s, &mut blocking);
            for (m, f, call) in blocking {
                if m == Some("time") && f == "sleep" {
                    let secs = match &call.kind {
                        ExprKind::Call(_, args, _) => match args.first().map(|a| &a.kind) {
                            Some(ExprKind::Const(Constant::Int(i))) => Some(*i as f64),
                            Some(ExprKind::Const(Constant::Float(x))) => Some(*x),
                            _ => None,
                        },
                        _ => None,
                    };
                    let held = secs.map_or_else(String::new, |s| {
                        format!(
                            " for {} s{}",
                            crate::engine::lang::value::seconds(s),
                            if s > 0.1 {
                                " (asyncio's debug mode warns of any step over 0.1 s)"
                            } else {
                                ""
                            }
                        )
                    });
                    out.push(Lint {
                        kind: "blocking-call",
                        line,
                        message: format!(
                            "time.sleep inside async def holds the whole loop{held}: nothing \
                             else runs meanwhile. await asyncio.sleep(...) lets others run."
                        ),
                    });
                }
            }
            // Two awaits in a row of coroutines that do not need each other could run at once.
            if let (Some((_, first_target, first_line)), Some((call, _))) =
                (previous, awaited_call(s, asyncs))
            {
                let mut names = Vec::new();
                reads(call, &mut names);
                let bound = first_target.and_then(|t| match &t.kind {
                    ExprKind::Name(n) => Some(n.clone()),
                    _ => None,
                });
                let independent = bound.is_none_or(|b| !names.contains(&b));
                if independent {
                    out.push(Lint {
                        kind: "sequential-awaits",
                        line,
                        message: format!(
                            "This await waits for the one on line {first_line} to finish \
                                 first, though neither needs the other: asyncio.gather(...) \
                                 would run them at once."
                        ),
                    });
                }
            }
        }
        previous = if in_async {
            awaited_call(s, asyncs).map(|(c, t)| (c, t, line))
        } else {
            None
        };
        match &s.kind {
            StmtKind::Def { is_async, body, .. } => walk(body, *is_async, asyncs, out),
            StmtKind::If(_, a, b) | StmtKind::While(_, a, b) | StmtKind::For(_, _, a, b) => {
                walk(a, in_async, asyncs, out);
                walk(b, in_async, asyncs, out);
            }
            StmtKind::Try(a, hs, b, c) => {
                walk(a, in_async, asyncs, out);
                for h in hs {
                    walk(&h.body, in_async, asyncs, out);
                }
                walk(b, in_async, asyncs, out);
                walk(c, in_async, asyncs, out);
            }
            StmtKind::With(_, _, b) => walk(b, in_async, asyncs, out),
            _ => {}
        }
    }
}

/// The calls a statement makes in its own expressions (not in nested blocks).
fn stmt_calls<'a>(s: &'a Stmt, out: &mut Vec<(Option<&'a str>, &'a str, &'a Expr)>) {
    let exprs: Vec<&Expr> = match &s.kind {
        StmtKind::Expr(e) | StmtKind::Assign(_, e) | StmtKind::AugAssign(_, _, e) => vec![e],
        StmtKind::Return(Some(e)) => vec![e],
        _ => Vec::new(),
    };
    for e in exprs {
        if let Some((m, f)) = called(e) {
            out.push((m, f, e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::python::parse;

    fn kinds(src: &str) -> Vec<(&'static str, usize)> {
        lint(&parse(src).expect("parses"))
            .into_iter()
            .map(|l| (l.kind, l.line))
            .collect()
    }

    #[test]
    fn each_lesson_is_found_at_its_line() {
        let src = "import asyncio, time\n\
                   async def fetch(n):\n    await asyncio.sleep(n)\n    return n\n\
                   async def main():\n    fetch(1)\n    asyncio.create_task(fetch(2))\n    time.sleep(0.5)\n    a = await fetch(1)\n    b = await fetch(2)\n    c = await fetch(b)\n\
                   asyncio.run(main())\n";
        assert_eq!(
            kinds(src),
            [
                ("never-awaited", 6),
                ("dropped-task", 7),
                ("blocking-call", 8),
                ("sequential-awaits", 10),
            ],
            "line 11 needs line 10's result: no lint"
        );
    }

    #[test]
    fn a_clean_program_has_none() {
        let src = "import asyncio\nasync def f():\n    await asyncio.sleep(1)\nasync def main():\n    t = asyncio.create_task(f())\n    await asyncio.gather(f(), f())\n    await t\nasyncio.run(main())\n";
        assert_eq!(kinds(src), []);
    }
}
