//! Code mode's interpreter against what a learner can type: every program of the corpus, then
//! thousands of its mutations (lines dropped, doubled, swapped, words and numbers changed), each
//! compiled and run on the virtual clock with small budgets. None may panic: a panic in the
//! page's module would kill the page.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use interleave::engine::exec::python::simulate_within;
use interleave::engine::lang::python::{compile::compile, parse, parse_program};

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/code");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/programs/code")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a program"))
        .collect()
}

const WORDS: &[&str] = &[
    "await",
    "asyncio.sleep(0)",
    "None",
    "0",
    "-1",
    "10**18",
    "[]",
    "{}",
    "()",
    "''",
    "x",
    "main()",
    "raise",
    "return",
    "break",
    "continue",
    "lambda: 1",
    "*",
    "/",
    "//",
    "%",
    "1/0",
    "task.cancel()",
    "asyncio.current_task()",
    "await asyncio.gather()",
    "[1]*10**7",
    "'a'*99",
    "q.get()",
    "lock",
    "print",
    "len",
    "range(10**9)",
    "True",
    "float('nan')",
    "-0.0",
];

// Counting, as the page's and the command line's: a program's memory is capped by it.
#[global_allocator]
static ALLOCATOR: interleave::engine::exec::memory::Counting =
    interleave::engine::exec::memory::Counting;

#[test]
fn the_corpus_and_thousands_of_its_mutations_never_panic() {
    let seeds = corpus();
    assert!(seeds.len() >= 80, "the corpus has {} programs", seeds.len());
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut ran, mut refused) = (0, 0);
    // Every test run does 6,000; `PYTHON_FUZZ_ROUNDS=1000000` does a million.
    let rounds: usize = std::env::var("PYTHON_FUZZ_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(6_000);
    // `PYTHON_FUZZ_FROM=N` makes the first N programs (the same ones) without running them,
    // to go back to a program a long run stopped at.
    let from: usize = std::env::var("PYTHON_FUZZ_FROM")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    for round in 0..rounds {
        let seed = &seeds[round % seeds.len()];
        let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
        if round >= seeds.len() {
            for _ in 0..1 + next() % 3 {
                let n = lines.len().max(1);
                let at = (next() as usize) % n;
                match next() % 5 {
                    0 if !lines.is_empty() => {
                        lines.remove(at);
                    }
                    1 if !lines.is_empty() => {
                        let l = lines[at].clone();
                        lines.insert(at, l);
                    }
                    2 if lines.len() > 1 => {
                        let other = (next() as usize) % lines.len();
                        lines.swap(at, other);
                    }
                    _ if !lines.is_empty() => {
                        // A word of the line replaced.
                        let words: Vec<&str> = lines[at].split(' ').collect();
                        let k = (next() as usize) % words.len().max(1);
                        let w = WORDS[(next() as usize) % WORDS.len()];
                        let changed: Vec<&str> = words
                            .iter()
                            .enumerate()
                            .map(|(i, x)| if i == k { w } else { x })
                            .collect();
                        lines[at] = changed.join(" ");
                    }
                    _ => {}
                }
            }
        }
        let source = lines.join("\n") + "\n";
        if round > 0 && round % 100_000 == 0 {
            eprintln!("{round} programs so far: {ran} ran, {refused} were refused");
        }
        if round < from {
            continue;
        }
        if let Ok(path) = std::env::var("PYTHON_FUZZ_LAST") {
            let _ = std::fs::write(&path, &source);
        }
        let started = std::time::Instant::now();
        match parse(&source).and_then(|tree| compile(&tree)) {
            Ok(module) => {
                let _ = simulate_within(module, 3_000, 200_000);
                ran += 1;
            }
            Err(_) => refused += 1,
        }
        // Slow is not wrong here, but a program that takes seconds natively is one a page
        // would hold: it is named, to be looked at.
        let took = started.elapsed().as_secs_f64();
        if took > 2.0 {
            eprintln!("program {round} took {took:.1} s");
        }
    }
    assert!(
        ran > rounds.saturating_sub(from) / 6,
        "{ran} programs ran, {refused} were refused"
    );
    eprintln!("{rounds} programs: {ran} ran, {refused} were refused");
}

#[test]
fn deep_recursion_raises_recursion_error_and_huge_values_memory_error() {
    let run = |src: &str| {
        let module = compile(&parse(src).expect("parses")).expect("compiles");
        let (_, ending, _) = simulate_within(module, 10_000, 50_000_000);
        ending.and_then(|e| e.error)
    };
    assert_eq!(
        run("def f(n):\n    return f(n + 1)\nf(0)\n").as_deref(),
        Some("RecursionError: maximum recursion depth exceeded")
    );
    assert_eq!(run("x = [0] * 10**8\n").as_deref(), Some("MemoryError"));
    assert_eq!(run("x = 'ab' * 10**8\n").as_deref(), Some("MemoryError"));
    // Values each within the cap, kept until the process would hold more than a page may: the
    // program gets `MemoryError`, not the process an allocation failure (in the page, its end).
    let many = "xs = []\ntry:\n    for i in range(1000):\n        xs.append([0] * 10**7)\nexcept MemoryError:\n    print(len(xs))\n    xs = None\n";
    let module = compile(&parse(many).expect("parses")).expect("compiles");
    let (trace, ending, _) = simulate_within(module, 10_000, 50_000_000);
    assert_eq!(ending.and_then(|e| e.error), None);
    let kept: usize = trace.lines()[0].text.parse().expect("a count");
    assert!(
        (1..20).contains(&kept),
        "{kept} lists of ten million were kept"
    );
    assert!(run("x = 2 ** 70\n").is_some_and(|e| e.starts_with("OverflowError")));
    // Containers a million deep are built, dropped and compared without overflowing the stack.
    for make in ["[x]", "(x,)", "{'k': x}"] {
        let src = format!(
            "x = None\nfor i in range(1000000):\n    x = {make}\ny = None\nfor i in range(1000000):\n    y = {make}\nprint(x == y)\n"
        );
        assert_eq!(
            run(&src).as_deref(),
            Some("RecursionError: maximum recursion depth exceeded in comparison"),
            "{make}"
        );
    }
    let sorted = "def k(v):\n    return sorted([1], key=k)\nsorted([1], key=k)\n";
    assert_eq!(
        run(sorted).as_deref(),
        Some("RecursionError: maximum recursion depth exceeded")
    );
}

#[test]
fn a_program_longer_than_a_share_link_holds_is_refused_with_a_sentence() {
    let long = "x = 1\n".repeat(2_001);
    let e = parse_program(&long).expect_err("12,006 characters");
    assert_eq!(
        e.to_string(),
        "Programs longer than 12,000 characters (one that fits a share link) are not supported in Interleave yet (line 1)."
    );
    assert!(parse_program(&"x = 1\n".repeat(1_999)).is_ok());
}
