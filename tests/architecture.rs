//! Tier 1: the engine's shape, checked (see ARCHITECTURE.md). Its folders import only those
//! below them (`lang` at the bottom, then `record`, `exec`, `view`, `edges`), no two of its
//! modules import each other round a circle, it reaches no web crate, and no file holds more
//! than about 800 lines of code (its tests apart).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LAYERS: [&str; 5] = ["lang", "record", "exec", "view", "edges"];
const MAX_CODE_LINES: usize = 800;

/// Every `.rs` file under `dir`.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// A file's module path within the engine: `record::fold`, `lang::scenarios` (for a `mod.rs`),
/// `lang::scenarios::cooking`.
fn module_of(engine: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(engine).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The code of a file without its test module (tests may reach anything), its comments and
/// the insides of its string literals (a listing may well say `gloo_timers`).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_str = false;
        let mut escaped = false;
        let mut prev = ' ';
        for c in line.chars() {
            if in_str {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_str = false;
                    out.push('"');
                }
            } else if c == '/' && prev == '/' {
                out.pop();
                break;
            } else {
                if c == '"' && prev != '\'' {
                    in_str = true;
                }
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// The engine modules a file's code names, as `layer::module`.
fn imports(module: &[String], code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter(|w| w.contains("::"))
        .collect();
    for w in words {
        let parts: Vec<&str> = w.split("::").filter(|p| !p.is_empty()).collect();
        let target: Option<Vec<String>> = if parts.starts_with(&["crate", "engine"]) {
            Some(parts[2..].iter().map(|p| p.to_string()).collect())
        } else if parts.first() == Some(&"super") {
            // `super::x` from `a::b::c` (file `c`) is `a::b::x`.
            let mut base: Vec<String> = module[..module.len().saturating_sub(1)].to_vec();
            let mut rest = &parts[..];
            while rest.first() == Some(&"super") {
                rest = &rest[1..];
                if rest.first() == Some(&"super") {
                    base.pop();
                }
            }
            base.extend(rest.iter().map(|p| p.to_string()));
            Some(base)
        } else {
            None
        };
        if let Some(t) = target {
            if t.len() >= 2 && LAYERS.contains(&t[0].as_str()) {
                out.insert(format!("{}::{}", t[0], t[1]));
            }
        }
    }
    out
}

struct Engine {
    /// `layer::module` → the `layer::module`s its files import.
    graph: BTreeMap<String, BTreeSet<String>>,
    /// Files over the limit, with their code lines.
    long: Vec<(PathBuf, usize)>,
    /// Files that name a web crate.
    web: Vec<PathBuf>,
}

/// Files of modules declared `#[cfg(test)] mod name;`: test code, which may reach anything.
fn test_only(all: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for f in all {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let dir = f.parent().unwrap_or(Path::new("."));
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            if line.trim() != "#[cfg(test)]" {
                continue;
            }
            let Some(next) = lines.peek() else { break };
            let decl = next.trim().trim_start_matches("pub(crate) ");
            if let Some(name) = decl.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
                out.push(dir.join(format!("{name}.rs")));
                out.push(dir.join(name).join("mod.rs"));
            }
        }
    }
    out
}

fn engine() -> Engine {
    let engine = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine");
    let mut all = Vec::new();
    files(&engine, &mut all);
    let tests = test_only(&all);
    all.retain(|f| !tests.contains(f));
    let mut e = Engine {
        graph: BTreeMap::new(),
        long: Vec::new(),
        web: Vec::new(),
    };
    for f in all {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let code = &code(&text);
        let module = module_of(&engine, &f);
        let lines = code.lines().filter(|l| !l.trim().is_empty()).count();
        if lines > MAX_CODE_LINES {
            e.long.push((f.clone(), lines));
        }
        for web in ["yew::", "web_sys", "wasm_bindgen", "js_sys", "gloo"] {
            if code.contains(web) {
                e.web.push(f.clone());
            }
        }
        if module.len() < 2 {
            continue;
        }
        let me = format!("{}::{}", module[0], module[1]);
        let targets = imports(&module, code);
        let entry = e.graph.entry(me.clone()).or_default();
        entry.extend(targets.into_iter().filter(|t| *t != me));
    }
    e
}

fn layer(module: &str) -> usize {
    let l = module.split("::").next().unwrap_or("");
    LAYERS.iter().position(|x| *x == l).unwrap_or(usize::MAX)
}

#[test]
fn layers_import_only_the_layers_below_them() {
    let e = engine();
    let mut wrong = Vec::new();
    for (from, targets) in &e.graph {
        for to in targets {
            if layer(to) > layer(from) {
                wrong.push(format!("{from} imports {to}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the flow:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_engine_modules_import_each_other_round_a_circle() {
    let e = engine();
    // Depth-first search for a back edge.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(1) => {
                let i = path.iter().position(|p| p == n).unwrap_or(0);
                let mut cycle = path[i..].to_vec();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(n.to_string(), 1);
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in e.graph.keys() {
        if let Some(cycle) = visit(n, &e.graph, &mut state, &mut Vec::new()) {
            panic!("an import circle: {}", cycle.join(" → "));
        }
    }
    assert!(e.graph.len() >= 20, "the scan found the engine's modules");
}

#[test]
fn the_engine_reaches_no_web_crate() {
    assert_eq!(engine().web, Vec::<PathBuf>::new());
}

#[test]
fn no_engine_file_is_over_800_lines_of_code() {
    assert_eq!(engine().long, Vec::<(PathBuf, usize)>::new());
}
