//! Listings of a program: a Python-style one (close to how the seeds write it) and a Rust-style
//! one (what the playground runs: `spawn_local`, `TimeoutFuture`, `join_all`), each with a map
//! from every step to its line, so a page can highlight the line each task is at.

use crate::engine::lang::program::{
    BinOp, BlockKind, Expr, OnMainReturn, Program, StepId, Stmt, StmtKind,
};
use crate::engine::lang::value::{python_float, rust_quote, Value};

/// The two styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// asyncio.
    Python,
    /// Rust futures on the browser's loop.
    Rust,
}

/// A rendered program.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listing {
    /// The lines, without newlines.
    pub lines: Vec<String>,
    /// The line (0-based) of each step, by step id (`None` for ids with no line); step ids are
    /// small and dense, so a vector does what a map would.
    pub step_lines: Vec<Option<usize>>,
}

impl Listing {
    /// The whole text.
    pub fn text(&self) -> String {
        let mut s = self.lines.join("\n");
        s.push('\n');
        s
    }

    /// The line a step is on.
    pub fn line_of(&self, step: StepId) -> Option<usize> {
        self.step_lines.get(step.0 as usize).copied().flatten()
    }
}

struct Writer {
    style: Style,
    out: Listing,
}

impl Writer {
    fn line(&mut self, depth: usize, text: String) -> usize {
        self.out
            .lines
            .push(format!("{}{}", "    ".repeat(depth), text));
        self.out.lines.len() - 1
    }

    fn step(&mut self, depth: usize, id: StepId, text: String) {
        let n = self.line(depth, text);
        let i = id.0 as usize;
        if self.out.step_lines.len() <= i {
            self.out.step_lines.resize(i + 1, None);
        }
        self.out.step_lines[i] = Some(n);
    }
}

/// Renders `program` in `style`.
pub fn render(program: &Program, style: Style) -> Listing {
    let mut w = Writer {
        style,
        out: Listing::default(),
    };
    let uses = |f: &dyn Fn(&StmtKind) -> bool| {
        program.functions.iter().any(|func| any_stmt(&func.body, f))
    };
    let blocks = uses(&|k| matches!(k, StmtKind::Block { .. }));
    let cpu = uses(&|k| {
        matches!(
            k,
            StmtKind::Block {
                kind: BlockKind::Cpu | BlockKind::Spin,
                ..
            }
        )
    });
    let random = uses(&|k| stmt_exprs(k).iter().any(|e| draws(e)));
    match style {
        Style::Python => {
            w.line(0, "import asyncio".into());
            if random {
                w.line(0, "import random".into());
            }
            if blocks {
                w.line(0, "import time".into());
            }
            if cpu {
                w.line(0, String::new());
                w.line(0, "def work(secs):  # CPU-bound: holds the thread".into());
                w.line(1, "end = time.perf_counter() + secs".into());
                w.line(1, "while time.perf_counter() < end:".into());
                w.line(2, "pass".into());
            }
        }
        Style::Rust => {
            w.line(0, "use futures::future::join_all;".into());
            w.line(0, "use gloo_timers::future::TimeoutFuture;".into());
            w.line(
                0,
                "use interleave::{block_for, spawn_task};  // spawn_local + a join handle".into(),
            );
            if random {
                w.line(
                    0,
                    "use interleave::rng;  // seeded: the same seed, the same draws".into(),
                );
            }
        }
    }
    for f in &program.functions {
        w.line(0, String::new());
        let header = match style {
            Style::Python => format!("async def {}({}):", f.name, f.params.join(", ")),
            Style::Rust => {
                let params: Vec<String> = f.params.iter().map(|p| format!("{p}: Value")).collect();
                format!("async fn {}({}) -> Value {{", f.name, params.join(", "))
            }
        };
        w.line(0, header);
        if f.body.is_empty() && style == Style::Python {
            w.line(1, "pass".into());
        }
        block(&mut w, 1, &f.body);
        if style == Style::Rust {
            w.line(0, "}".into());
        }
    }
    w.line(0, String::new());
    let main = program
        .functions
        .get(program.main.0 as usize)
        .map(|f| f.name.to_string())
        .unwrap_or_else(|| "main".into());
    let seed = program.seed.filter(|_| random);
    let keep_running = program.on_main_return == OnMainReturn::KeepRunning;
    match style {
        Style::Python => {
            if keep_running {
                for (depth, text) in RUN_TO_THE_END {
                    w.line(*depth, text.to_string());
                }
                w.line(0, String::new());
            }
            if let Some(seed) = seed {
                w.line(0, format!("random.seed({seed})"));
            }
            if keep_running {
                w.line(0, format!("run_to_the_end({main}())"))
            } else {
                w.line(0, format!("asyncio.run({main}())"))
            }
        }
        Style::Rust => {
            if let Some(seed) = seed {
                w.line(0, format!("rng::seed({seed});"));
            }
            if keep_running {
                w.line(
                    0,
                    format!("spawn_task({main}());  // on the browser's event loop"),
                )
            } else {
                w.line(
                    0,
                    format!(
                        "run_then_cancel_the_rest({main}());  // as asyncio.run: what is left is cancelled"
                    ),
                )
            }
        }
    };
    w.out
}

/// The runner of a program whose other tasks keep running once main returns: plain asyncio,
/// the same loop as `asyncio.run`'s, kept going until every task is done.
const RUN_TO_THE_END: &[(usize, &str)] = &[
    (
        0,
        "# asyncio.run(main()) would cancel every task still pending when main returns;",
    ),
    (
        0,
        "# this runner keeps the same loop going until every task is done.",
    ),
    (0, "def run_to_the_end(main):"),
    (1, "loop = asyncio.new_event_loop()"),
    (1, "try:"),
    (2, "loop.run_until_complete(main)"),
    (2, "while pending := asyncio.all_tasks(loop):"),
    (
        3,
        "loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))",
    ),
    (1, "finally:"),
    (2, "loop.close()"),
];

fn any_stmt(body: &[Stmt], f: &dyn Fn(&StmtKind) -> bool) -> bool {
    body.iter().any(|s| {
        f(&s.kind)
            || match &s.kind {
                StmtKind::For { body, .. } | StmtKind::While { body, .. } => any_stmt(body, f),
                StmtKind::If {
                    then, otherwise, ..
                } => any_stmt(then, f) || any_stmt(otherwise, f),
                _ => false,
            }
    })
}

/// The expressions a statement holds directly (not those of nested statements).
fn stmt_exprs(k: &StmtKind) -> Vec<&Expr> {
    match k {
        StmtKind::Let { value: e, .. }
        | StmtKind::Await { target: e, .. }
        | StmtKind::Spawn { coro: e, .. }
        | StmtKind::Gather { items: e, .. }
        | StmtKind::Discard(e)
        | StmtKind::Block { secs: e, .. }
        | StmtKind::For { iter: e, .. }
        | StmtKind::While { cond: e, .. }
        | StmtKind::If { cond: e, .. }
        | StmtKind::Cancel(e)
        | StmtKind::Return(e) => vec![e],
        StmtKind::Print(parts) => parts.iter().collect(),
    }
}

/// Whether an expression draws from the random generator.
fn draws(e: &Expr) -> bool {
    match e {
        Expr::Choice(_) | Expr::RandInt(..) => true,
        Expr::Lit(_) | Expr::Var(_) | Expr::Now => false,
        Expr::Bin(_, a, b) | Expr::Index(a, b) => draws(a) || draws(b),
        Expr::Range(a) | Expr::Sleep(a) => draws(a),
        Expr::Comprehension { elem, iter, .. } => draws(elem) || draws(iter),
        Expr::List(xs) | Expr::Call(_, xs) | Expr::Format(xs) => xs.iter().any(draws),
        Expr::Dict(entries) => entries.iter().any(|(_, v)| draws(v)),
    }
}

fn block(w: &mut Writer, depth: usize, body: &[Stmt]) {
    for s in body {
        stmt(w, depth, s);
    }
}

fn stmt(w: &mut Writer, depth: usize, s: &Stmt) {
    let py = w.style == Style::Python;
    let e = |x: &Expr| expr(x, w.style);
    let bind = |var: &Option<std::rc::Rc<str>>| match var {
        Some(v) if py => format!("{v} = "),
        Some(v) => format!("let {v} = "),
        None if py => String::new(),
        None => String::new(),
    };
    let end = if py { "" } else { ";" };
    let text = match &s.kind {
        StmtKind::Let { var, value } => {
            if py {
                format!("{var} = {}", e(value))
            } else {
                format!("let {var} = {};", e(value))
            }
        }
        StmtKind::Print(parts) => {
            let args: Vec<String> = parts.iter().map(e).collect();
            if py {
                format!("print({})", args.join(", "))
            } else {
                let holes = vec!["{}"; args.len()].join(" ");
                format!("println!(\"{holes}\", {});", args.join(", "))
            }
        }
        StmtKind::Await { var, target } => {
            format!("{}{}{end}", bind(var), await_expr(target, w.style))
        }
        StmtKind::Spawn { var, coro } => {
            if py {
                format!("{}asyncio.create_task({})", bind(var), e(coro))
            } else {
                format!("{}spawn_task({});", bind(var), e(coro))
            }
        }
        StmtKind::Gather { var, items } => {
            let inner = if py {
                match items {
                    Expr::List(xs) => xs.iter().map(e).collect::<Vec<_>>().join(", "),
                    other => format!("*{}", e(other)),
                }
            } else {
                e(items)
            };
            if py {
                format!("{}await asyncio.gather({inner})", bind(var))
            } else {
                format!("{}join_all({inner}).await;", bind(var))
            }
        }
        StmtKind::Discard(x) => {
            if py {
                format!("{}  # never awaited: it never runs", e(x))
            } else {
                format!("let _ = {};  // never awaited: it never runs", e(x))
            }
        }
        StmtKind::Block { secs, kind } => {
            let secs = e(secs);
            match (kind, py) {
                (BlockKind::Sleep, true) => format!("time.sleep({secs})  # blocks the thread"),
                (BlockKind::Cpu, true) => format!("work({secs})"),
                (BlockKind::Spin, true) => {
                    format!("work({secs})  # a busy loop polling every sleep")
                }
                (BlockKind::Sleep, false) => format!("block_for({secs});  // a blocking sleep"),
                (BlockKind::Cpu, false) => format!("block_for({secs});  // CPU-bound work"),
                (BlockKind::Spin, false) => format!("block_for({secs});  // a busy polling loop"),
            }
        }
        StmtKind::For { var, iter, body } => {
            let head = if py {
                format!("for {var} in {}:", e(iter))
            } else {
                format!("for {var} in {} {{", e(iter))
            };
            nested(w, depth, s.id, head, body);
            return;
        }
        StmtKind::While { cond, body } => {
            let c = e(cond);
            let head = match (py, c.as_str()) {
                (true, _) => format!("while {c}:"),
                (false, "true") => "loop {".to_string(),
                (false, _) => format!("while {c} {{"),
            };
            nested(w, depth, s.id, head, body);
            return;
        }
        StmtKind::If {
            cond,
            then,
            otherwise,
        } => {
            let head = if py {
                format!("if {}:", e(cond))
            } else {
                format!("if {} {{", e(cond))
            };
            w.step(depth, s.id, head);
            block(w, depth + 1, then);
            if !otherwise.is_empty() {
                w.line(depth, if py { "else:" } else { "} else {" }.into());
                block(w, depth + 1, otherwise);
            }
            if !py {
                w.line(depth, "}".into());
            }
            return;
        }
        StmtKind::Cancel(t) => format!("{}.cancel(){end}", e(t)),
        StmtKind::Return(x) => format!("return {}{end}", e(x)),
    };
    w.step(depth, s.id, text);
}

fn nested(w: &mut Writer, depth: usize, id: StepId, head: String, body: &[Stmt]) {
    w.step(depth, id, head);
    block(w, depth + 1, body);
    if w.style == Style::Rust {
        w.line(depth, "}".into());
    }
}

fn await_expr(target: &Expr, style: Style) -> String {
    let e = expr(target, style);
    match style {
        Style::Python => format!("await {e}"),
        Style::Rust => format!("{e}.await"),
    }
}

fn precedence(op: BinOp) -> u8 {
    match op {
        BinOp::Eq | BinOp::Lt => 1,
        BinOp::Add | BinOp::Sub => 2,
        BinOp::Mul | BinOp::Div => 3,
    }
}

fn literal(v: &Value, style: Style) -> String {
    match (v, style) {
        (Value::Str(s), Style::Rust) => rust_quote(s),
        (Value::Bool(b), Style::Rust) => b.to_string(),
        (Value::Float(f), _) => python_float(*f),
        (v, _) => v.repr(),
    }
}

fn expr(e: &Expr, style: Style) -> String {
    let py = style == Style::Python;
    let list = |xs: &[Expr]| {
        xs.iter()
            .map(|x| expr(x, style))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match e {
        Expr::Lit(v) => literal(v, style),
        Expr::Var(v) => v.to_string(),
        Expr::Bin(op, a, b) => {
            let p = precedence(*op);
            let side = |x: &Expr, right: bool| match x {
                Expr::Bin(inner, ..)
                    if precedence(*inner) < p || (right && precedence(*inner) == p) =>
                {
                    format!("({})", expr(x, style))
                }
                _ => expr(x, style),
            };
            let sym = match op {
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
                BinOp::Div => "/",
                BinOp::Eq => "==",
                BinOp::Lt => "<",
            };
            format!("{} {sym} {}", side(a, false), side(b, true))
        }
        Expr::List(xs) if py => format!("[{}]", list(xs)),
        Expr::List(xs) => format!("vec![{}]", list(xs)),
        Expr::Dict(entries) => {
            let items: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    if py {
                        format!("{}: {}", Value::str(k).repr(), expr(v, style))
                    } else {
                        format!("({}, {})", rust_quote(k), expr(v, style))
                    }
                })
                .collect();
            if py {
                format!("{{{}}}", items.join(", "))
            } else {
                format!("dict([{}])", items.join(", "))
            }
        }
        Expr::Index(a, i) => format!("{}[{}]", expr(a, style), expr(i, style)),
        Expr::Range(n) if py => format!("range({})", expr(n, style)),
        Expr::Range(n) => format!("(0..{})", expr(n, style)),
        Expr::Comprehension { elem, var, iter } => {
            if py {
                format!("[{} for {var} in {}]", expr(elem, style), expr(iter, style))
            } else {
                format!("{}.map(|{var}| {})", expr(iter, style), expr(elem, style))
            }
        }
        Expr::Call(f, args) => format!("{f}({})", list(args)),
        Expr::Sleep(secs) if py => format!("asyncio.sleep({})", expr(secs, style)),
        Expr::Sleep(secs) => format!("TimeoutFuture::new(ms({}))", expr(secs, style)),
        Expr::Choice(options) if py => format!("random.choice([{}])", list(options)),
        Expr::Choice(options) => format!("rng::choice(&[{}])", list(options)),
        Expr::RandInt(a, b) if py => {
            format!("random.randint({}, {})", expr(a, style), expr(b, style))
        }
        Expr::RandInt(a, b) => format!("rng::range({}..={})", expr(a, style), expr(b, style)),
        Expr::Format(parts) => {
            let mut text = String::new();
            let mut args = Vec::new();
            for p in parts {
                match p {
                    Expr::Lit(Value::Str(s)) => {
                        let s = s.replace('{', "{{").replace('}', "}}");
                        text.push_str(&if py {
                            s.replace('\'', "\\'")
                        } else {
                            s.replace('"', "\\\"")
                        });
                    }
                    other if py => {
                        text.push('{');
                        text.push_str(&expr(other, style));
                        text.push('}');
                    }
                    other => {
                        text.push_str("{}");
                        args.push(expr(other, style));
                    }
                }
            }
            if py {
                format!("f'{text}'")
            } else if args.is_empty() {
                format!("\"{text}\"")
            } else {
                format!("format!(\"{text}\", {})", args.join(", "))
            }
        }
        Expr::Now if py => "asyncio.get_running_loop().time()".into(),
        Expr::Now => "now()".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::scenarios::{find, CATALOG};

    #[test]
    fn hello_world_reads_like_the_seed() {
        let s = find("hello-world").unwrap();
        let p = (s.build)(&s.defaults());
        let py = render(&p, Style::Python);
        assert_eq!(
            py.text(),
            "import asyncio\n\nasync def main():\n    print('Hello,')\n    await asyncio.sleep(2)\n    print('World!')\n\nasyncio.run(main())\n"
        );
        let rs = render(&p, Style::Rust).text();
        assert!(rs.contains("TimeoutFuture::new(ms(2)).await;"), "{rs}");
        assert!(rs.contains("println!(\"{}\", \"Hello,\");"), "{rs}");
    }

    #[test]
    fn fetch_and_count_uses_create_task_and_for() {
        let s = find("fetch-and-count").unwrap();
        let py = render(&(s.build)(&s.defaults()), Style::Python).text();
        for want in [
            "    return {'data': 1}",
            "    for i in range(10):",
            "        await asyncio.sleep(0.25)",
            "    task1 = asyncio.create_task(fetch())",
            "    value = await task1",
        ] {
            assert!(py.contains(want), "{want} missing from\n{py}");
        }
    }

    #[test]
    fn every_step_of_every_scenario_has_a_line_in_both_styles() {
        for s in &CATALOG {
            let p = (s.build)(&s.defaults());
            let mut steps = Vec::new();
            fn collect(body: &[Stmt], out: &mut Vec<StepId>) {
                for st in body {
                    out.push(st.id);
                    match &st.kind {
                        StmtKind::For { body, .. } | StmtKind::While { body, .. } => {
                            collect(body, out)
                        }
                        StmtKind::If {
                            then, otherwise, ..
                        } => {
                            collect(then, out);
                            collect(otherwise, out);
                        }
                        _ => {}
                    }
                }
            }
            for f in &p.functions {
                collect(&f.body, &mut steps);
            }
            for style in [Style::Python, Style::Rust] {
                let l = render(&p, style);
                let mut seen = std::collections::HashSet::new();
                for id in &steps {
                    let n = l
                        .line_of(*id)
                        .unwrap_or_else(|| panic!("{} {style:?}: step {id:?} has no line", s.id));
                    assert!(!l.lines[n].trim().is_empty());
                    assert!(seen.insert(n), "{}: two steps on line {n}", s.id);
                }
            }
        }
    }

    #[test]
    fn imports_follow_what_the_program_uses() {
        let bots = find("bot-invitations").unwrap();
        let py = render(&(bots.build)(&bots.defaults()), Style::Python).text();
        assert!(py.contains("import random\n"), "{py}");
        assert!(!py.contains("import time"), "{py}");
        let nap = find("blocking-sleep").unwrap();
        let py = render(&(nap.build)(&nap.defaults()), Style::Python).text();
        assert!(
            py.contains("import time\n") && !py.contains("import random"),
            "{py}"
        );
    }

    #[test]
    fn blocking_and_gather_render_as_python_and_rust() {
        let s = find("cpu-vs-io").unwrap();
        let p = (s.build)(&s.defaults());
        let py = render(&p, Style::Python).text();
        assert!(py.contains("    work(2)"), "{py}");
        assert!(
            py.contains(
                "await asyncio.gather(*[boil_water()] + [chop_salad(i + 1) for i in range(1)])"
            ),
            "{py}"
        );
        let rs = render(&p, Style::Rust).text();
        assert!(rs.contains("block_for(2);  // CPU-bound work"), "{rs}");
        assert!(rs.contains("join_all("), "{rs}");
    }
}
