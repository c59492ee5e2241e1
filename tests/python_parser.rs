//! Interleave's Python parser against CPython's own: every program of `tests/programs/` and every
//! scenario's listing (each choice of each of its choice fields) is read by both, and the trees
//! must be the same node for node (`tests/conformance/python_ast.py` prints CPython's in the
//! form `dump` prints ours). Programs CPython refuses are refused alike, with CPython's kind,
//! message and line. What Interleave does not read is refused with a sentence naming it, and
//! no source, however mangled, makes the parser panic.

use std::path::{Path, PathBuf};
use std::process::Command;

use interleave::engine::exec::sim::ideal;
use interleave::engine::lang::listing::{render, Style};
use interleave::engine::lang::params::Kind;
use interleave::engine::lang::python::{dump::dump, parse};
use interleave::engine::lang::scenarios::CATALOG;

/// CPython's tree (or refusal) of each file, in `python_ast.py`'s batch form.
fn cpython(files: &[PathBuf]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/python_ast.py");
    let out = Command::new("python3")
        .arg(script)
        .arg("--batch")
        .args(files)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    text.split("=== ")
        .skip(1)
        .map(|chunk| chunk.split_once('\n').map_or("", |(_, t)| t).to_string())
        .collect()
}

/// Ours, in the same form.
fn ours(source: &str) -> String {
    match parse(source) {
        Ok(body) => dump(&body),
        Err(e) => format!("{}: {}\nline {}\n", e.kind, e.message, e.line),
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("interleave-parser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir.join(name)
}

/// Every listing the catalog can show: each scenario with its defaults, and with each choice of
/// each of its choice fields.
fn listings() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in &CATALOG {
        let specs = s.specs();
        let mut variants = vec![(String::new(), String::new())];
        for spec in &specs {
            if let Kind::Choice(options) = spec.kind {
                for o in options {
                    variants.push((spec.name.to_string(), o.to_string()));
                }
            }
        }
        for (name, value) in variants {
            let (values, errors) = s.parse(|n| (n == name).then_some(value.as_str()));
            assert!(errors.is_empty(), "{}: {errors:?}", s.id);
            // The ideal run proves the listing is one the engine runs.
            let _ = ideal(s, &values);
            let source = render(&(s.build)(&values), Style::Python).text();
            out.push((format!("{}?{name}={value}", s.id), source));
        }
    }
    out
}

#[test]
fn every_program_and_listing_reads_as_cpython_reads_it() {
    let mut named: Vec<(String, String)> = Vec::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/programs")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    for f in &files {
        named.push((
            f.display().to_string(),
            std::fs::read_to_string(f).expect("a program"),
        ));
    }
    for (i, (name, source)) in listings().into_iter().enumerate() {
        let path = scratch(&format!("listing-{i}.py"));
        std::fs::write(&path, &source).expect("written");
        files.push(path);
        named.push((name, source));
    }
    assert!(named.len() >= 40, "{} programs", named.len());
    let theirs = cpython(&files);
    assert_eq!(theirs.len(), named.len());
    for ((name, source), theirs) in named.iter().zip(&theirs) {
        assert!(
            !theirs.contains("Unknown"),
            "{name}: a node outside the subset\n{theirs}"
        );
        assert_eq!(&ours(source), theirs, "{name}");
    }
}

#[test]
fn what_cpython_refuses_is_refused_in_its_words_at_its_line() {
    let cases = [
        "if x\n    pass\n",
        "def f(:\n    pass\n",
        "print('unclosed\n",
        "x = (1,\n",
        "if x:\npass\n",
        "  x = 1\n",
        "if x:\n        a = 1\n    b = 2\n",
        "f() = 3\n",
        "1 = x\n",
        "f(a=1, 2)\n",
        "x = ]\n",
        "for x in :\n    pass\n",
        "while True\n    pass\n",
        "try:\n    pass\nx = 1\n",
        "x = 1 +\n",
        "x = 08\n",
        "s = '''never ends\n",
        "x = (1]\n",
        "return\nx = )\n",
        "x := 5\n",
        "x.y := 5\n",
        "def f(*, **kw): pass\n",
        "def f(**kw, a): pass\n",
        "def f(*a, *b): pass\n",
        "def f(a, /, /): pass\n",
        "def f(*, a, /): pass\n",
        "def f(/): pass\n",
        "def f(*a=1): pass\n",
        "def f(**k=1): pass\n",
        "def f(*): pass\n",
        "def f(a, *, **k): pass\n",
        "f = lambda *: 1\n",
        "x: int, y = 1\n",
        "(x, y): int = 1\n",
        "[x]: int\n",
        "f(): int\n",
    ];
    let files: Vec<PathBuf> = cases
        .iter()
        .enumerate()
        .map(|(i, src)| {
            let p = scratch(&format!("bad-{i}.py"));
            std::fs::write(&p, src).expect("written");
            p
        })
        .collect();
    let theirs = cpython(&files);
    for (src, theirs) in cases.iter().zip(&theirs) {
        assert!(theirs.contains("Error: "), "CPython reads {src:?}");
        assert_eq!(&ours(src), theirs, "{src:?}");
    }
}

#[test]
fn what_interleave_does_not_read_is_named_at_its_place() {
    let cases = [
        ("class A:\n    pass\n", "Classes are not supported in Interleave yet (line 1)."),
        ("def g():\n    yield 1\n", "Generators (yield) are not supported in Interleave yet (line 2)."),
        ("@dec\ndef f():\n    pass\n", "Decorators are not supported in Interleave yet (line 1)."),
        ("x: f() = 1\n", "Annotations other than types (names, `x.y`, `x[y]`, `x | y`, strings) are not supported in Interleave yet (line 1)."),
        ("def f(a: 1 + 2): pass\n", "Annotations other than types (names, `x.y`, `x[y]`, `x | y`, strings) are not supported in Interleave yet (line 1)."),
        ("async def f():\n    async for x in y:\n        pass\n", "Async for loops are not supported in Interleave yet (line 2)."),
        ("x = b'bytes'\n", "Bytes literals are not supported in Interleave yet (line 1)."),
        ("x = 1j\n", "Complex numbers are not supported in Interleave yet (line 1)."),
        ("x = 99999999999999999999\n", "SyntaxError: this integer is too large for Interleave (it keeps 64 bits)"),
    ];
    for (src, words) in cases {
        let e = parse(src).expect_err(src);
        assert_eq!(e.to_string(), words, "{src:?}");
    }
    // The report reads as CPython's: the line, a caret under the column, the message.
    let e = parse("if x\n    pass\n").expect_err("refused");
    assert_eq!(
        e.report("if x\n    pass\n"),
        "  File \"<program>\", line 1\n    if x\n        ^\nSyntaxError: expected ':'"
    );
}

#[test]
fn no_source_makes_the_parser_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs");
    let mut seeds: Vec<Vec<char>> = std::fs::read_dir(&dir)
        .expect("tests/programs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .map(|p| std::fs::read_to_string(p).expect("a program"))
        .map(|s| s.chars().collect())
        .collect();
    seeds.sort();
    let pieces: Vec<char> =
        "()[]{}:=,.'\"f\\\n    #*+-<>!@0123456789abcdefxyz_ ifelsedefasyncawaitfor\t"
            .chars()
            .collect();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for round in 0..30_000 {
        let seed = &seeds[round % seeds.len()];
        let mut text = seed.clone();
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % (text.len() + 1);
            match next() % 3 {
                0 if at < text.len() => {
                    text.remove(at);
                }
                1 => text.insert(at, pieces[(next() as usize) % pieces.len()]),
                _ if at < text.len() => text[at] = pieces[(next() as usize) % pieces.len()],
                _ => {}
            }
        }
        let source: String = text.into_iter().collect();
        let _ = parse(&source);
    }
    // Deep nesting is refused, not a stack overflow.
    let deep = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    assert!(parse(&deep).is_err());
    let deep = format!("x = {}1\n", "-".repeat(100_000));
    assert!(parse(&deep).is_err());
    let mut chain = String::from("if x:\n    pass\n");
    for _ in 0..5000 {
        chain.push_str("elif x:\n    pass\n");
    }
    assert!(
        parse(&chain).is_err(),
        "a 5,000-long elif chain is refused, not a stack overflow"
    );
    let spec = format!("x = f'{}'\n", "{x:".repeat(20_000) + &"}".repeat(20_000));
    assert!(parse(&spec).is_err());
    let mut blocks = String::new();
    for i in 0..300 {
        blocks.push_str(&format!("{}if x:\n", "    ".repeat(i)));
    }
    blocks.push_str(&format!("{}pass\n", "    ".repeat(300)));
    assert!(parse(&blocks).is_err());
}
