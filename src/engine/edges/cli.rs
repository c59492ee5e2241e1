//! The command line: the catalog, listings, ideal runs and exports, for tests and tools outside
//! the project (the conformance tier runs every listing through CPython and compares it with
//! `run`). Its commands and JSON shapes are a contract: fields may be added, never renamed.
//!
//! ```text
//! interleave catalog --json
//! interleave listing LINK [--rust]
//! interleave run LINK... --json
//! interleave export LINK --trace|--svg|--run
//! interleave open FILE --json
//! interleave parse FILE.py --tree
//! ```
//!
//! A LINK is a share-link fragment without its `#`, e.g. `fetch-and-count?count=3`.

use std::fmt::Write as _;
use std::rc::Rc;

use crate::engine::edges::export::{chrome_trace, json_str, timeline_svg};
use crate::engine::edges::runfile::{self, SavedRun};
use crate::engine::edges::url::decode;
use crate::engine::exec::sim::{simulate, simulate_within, Settled, POLL_BUDGET};
use crate::engine::lang::listing::{render, Style};
use crate::engine::lang::params::{Kind, Unit, Values};
use crate::engine::lang::program::Program;
use crate::engine::lang::scenarios::{ScenarioInfo, CATALOG};
use crate::engine::record::trace::{Outcome, TaskId, Trace};
use crate::engine::view::layout::layout;
use crate::engine::view::timeline::Ideal;

/// What a command printed and how it ended: the exit status is 0 when everything went well, 2
/// when an argument (a link, say) was refused.
pub struct Output {
    /// Standard output.
    pub out: String,
    /// Standard error.
    pub err: String,
    /// The exit status.
    pub status: i32,
}

const USAGE: &str = "usage:
  interleave catalog --json               every scenario and its parameters, as JSON
  interleave listing LINK [--rust]        the Python (or Rust) listing a link runs
  interleave run LINK... --json [--max-polls=N]
                                          each link on the virtual clock, one JSON object per
                                          line (a run stopped by the poll limit says
                                          \"complete\": false)
  interleave export LINK --trace|--svg|--run
                                          the ideal run as Chrome trace JSON, as SVG, or as a
                                          run file (the page's format for saved runs)
  interleave open FILE --json             a run file, as `run` prints a run (\"complete\":
                                          false if it was stopped)
  interleave run --file PROG.py... --json [--max-polls=N]
                                          Python programs on the virtual clock, as `run` prints
                                          a run, with the uncaught exception's last line in
                                          \"error\"; a program that cannot be read gives
                                          \"errors\" and exit status 2
  interleave check PROG.py                 a Python program parsed, compiled and linted as the
                                          page's editor shows it (exit status 2 if it cannot
                                          run)
  interleave parse FILE.py --tree         a Python program's tree as code mode reads it (the
                                          form tests/conformance/python_ast.py prints CPython's
                                          in), or its SyntaxError
A LINK is a share-link fragment without its '#', e.g. 'fetch-and-count?count=3'; a link of
code mode's ('code?z=...') runs its program as `run --file` does.
";

/// Runs the command line `args` (without the program's name).
pub fn run(args: &[String]) -> Output {
    let mut o = Output {
        out: String::new(),
        err: String::new(),
        status: 0,
    };
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let flags: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.starts_with("--"))
        .collect();
    let plain: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !w.starts_with("--"))
        .collect();
    match plain.first().copied() {
        Some("catalog") if flags == ["--json"] && plain.len() == 1 => {
            o.out = catalog_json();
            o.out.push('\n');
        }
        Some("listing") if plain.len() == 2 && flags.iter().all(|f| *f == "--rust") => {
            let style = if flags.is_empty() {
                Style::Python
            } else {
                Style::Rust
            };
            match program_of(plain[1]) {
                Ok((_, program)) => o.out = render(&program, style).text(),
                Err(errors) => refuse(&mut o, plain[1], &errors),
            }
        }
        Some("check") if plain.len() == 2 && flags.is_empty() => check_file(&mut o, plain[1]),
        Some("run") if plain.len() >= 2 && flags.contains(&"--file") => {
            let rest: Vec<&str> = flags.iter().copied().filter(|f| *f != "--file").collect();
            let max_polls = run_flags(&rest).unwrap_or(POLL_BUDGET);
            for path in &plain[1..] {
                run_file(&mut o, path, max_polls);
                o.out.push('\n');
            }
        }
        Some("run") if plain.len() >= 2 && run_flags(&flags).is_some() => {
            let max_polls = run_flags(&flags).unwrap_or(POLL_BUDGET);
            for link in &plain[1..] {
                let code = link.trim_start_matches('#');
                if code.starts_with("code?") {
                    match crate::engine::edges::url::code_link_parts(code).source {
                        Some(Ok(source)) => run_program(&mut o, link, &source, max_polls),
                        Some(Err(why)) => unreadable(&mut o, link, &why),
                        None => unreadable(&mut o, link, "the link holds no program"),
                    }
                    o.out.push('\n');
                    continue;
                }
                match program_of(link) {
                    Ok((scenario, program)) => {
                        let (trace, settled) = simulate_within(Rc::new(program), max_polls);
                        o.out
                            .push_str(&run_json(link, Some(scenario.id), &trace, settled));
                    }
                    Err(errors) => {
                        o.status = 2;
                        o.out.push_str("{\"link\":");
                        json_str(&mut o.out, link);
                        o.out.push_str(",\"errors\":");
                        strings(&mut o.out, &errors);
                        o.out.push('}');
                    }
                }
                o.out.push('\n');
            }
        }
        Some("export")
            if plain.len() == 2 && matches!(flags[..], ["--trace"] | ["--svg"] | ["--run"]) =>
        {
            match program_of(plain[1]) {
                Ok((scenario, program)) => {
                    let (trace, _) = simulate(Rc::new(program));
                    let end = trace.elapsed();
                    let title = format!("Interleave: {}", scenario.id);
                    o.out = if flags == ["--trace"] {
                        chrome_trace(&trace, &title, end)
                    } else if flags == ["--run"] {
                        let saved = SavedRun {
                            link: plain[1].to_string(),
                            now: end,
                            stopped: false,
                            trace,
                            work: Vec::new(),
                            visibility: Vec::new(),
                        };
                        runfile::write(&saved.parts(), &title)
                    } else {
                        let trace = Rc::new(trace);
                        let ideal = Ideal::of(Some(trace.clone()));
                        timeline_svg(&layout(&trace, &ideal, end, 200, Vec::new()), scenario.id)
                    };
                    o.out.push('\n');
                }
                Err(errors) => refuse(&mut o, plain[1], &errors),
            }
        }
        Some("open") if plain.len() == 2 && flags == ["--json"] => {
            let saved = std::fs::read_to_string(plain[1])
                .map_err(|e| format!("cannot read {}: {e}", plain[1]))
                .and_then(|text| runfile::read(&text));
            match saved.map(|s| (program_of(&s.link), s)) {
                Ok((Ok((scenario, _)), saved)) => {
                    let settled = if saved.stopped {
                        Settled::OutOfBudget
                    } else {
                        Settled::Idle
                    };
                    o.out = run_json(&saved.link, Some(scenario.id), &saved.trace, settled);
                    o.out.push('\n');
                }
                Ok((Err(errors), saved)) => refuse(&mut o, &saved.link, &errors),
                Err(why) => {
                    o.err = format!("interleave: {why}\n");
                    o.status = 2;
                }
            }
        }
        Some("parse") if plain.len() == 2 && flags == ["--tree"] => {
            match std::fs::read_to_string(plain[1]) {
                Ok(source) => match crate::engine::lang::python::parse(&source) {
                    Ok(body) => o.out = crate::engine::lang::python::dump::dump(&body),
                    Err(e) => {
                        o.err = format!("{}\n", e.report(&source));
                        o.status = 1;
                    }
                },
                Err(e) => {
                    o.err = format!("interleave: cannot read {}: {e}\n", plain[1]);
                    o.status = 2;
                }
            }
        }
        Some("help") | None if flags.iter().all(|f| *f == "--help") => o.out = USAGE.into(),
        _ => {
            o.err = format!("interleave: cannot read this command line\n{USAGE}");
            o.status = 2;
        }
    }
    o
}

/// `check PATH`: a Python program parsed, compiled and linted, as the page's editor shows it:
/// `{"errors": [...]}` and exit status 2 if it cannot run, else `{"lints": [...]}`.
fn check_file(o: &mut Output, path: &str) {
    use crate::engine::exec::python::lessons::lessons;
    use crate::engine::lang::python::{compile::compile, parse_program as parse};
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            o.status = 2;
            o.err = format!("interleave: cannot read {path}: {e}\n");
            return;
        }
    };
    let item =
        |out: &mut String, kind: Option<&str>, line: usize, col: Option<usize>, message: &str| {
            out.push('{');
            if let Some(k) = kind {
                out.push_str("\"kind\":");
                json_str(out, k);
                out.push(',');
            }
            let _ = write!(out, "\"line\":{line},");
            if let Some(c) = col {
                let _ = write!(out, "\"column\":{c},");
            }
            out.push_str("\"message\":");
            json_str(out, message);
            out.push('}');
        };
    match parse(&source).and_then(|tree| compile(&tree).map(|_| tree)) {
        Ok(tree) => {
            o.out.push_str("{\"lints\":[");
            for (i, l) in lessons(&tree).iter().enumerate() {
                if i > 0 {
                    o.out.push(',');
                }
                item(&mut o.out, Some(l.kind), l.line, None, &l.message);
            }
            o.out.push_str("]}\n");
        }
        Err(e) => {
            o.status = 2;
            o.out.push_str("{\"errors\":[");
            item(&mut o.out, None, e.line, Some(e.col + 1), &e.to_string());
            o.out.push_str("]}\n");
        }
    }
}

/// `run --file PATH`: a Python program run on the virtual clock, as `run LINK` prints a run,
/// with `"error"` (an uncaught exception's last traceback line, or null); a program that cannot
/// be read gives `"errors"` (line, column, message) and exit status 2.
fn run_file(o: &mut Output, path: &str, max_polls: u64) {
    match std::fs::read_to_string(path) {
        Ok(source) => run_program(o, path, &source, max_polls),
        Err(e) => unreadable(o, path, &format!("cannot read {path}: {e}")),
    }
}

/// A program that could not be had at all (a file unread, a link damaged): exit status 2.
fn unreadable(o: &mut Output, link: &str, why: &str) {
    o.status = 2;
    o.out.push_str("{\"link\":");
    json_str(&mut o.out, link);
    o.out
        .push_str(",\"errors\":[{\"line\":0,\"column\":0,\"message\":");
    json_str(&mut o.out, why);
    o.out.push_str("}]}");
}

/// A program run on the virtual clock, printed as a run (see [`run_file`]); `link` names it.
fn run_program(o: &mut Output, link: &str, source: &str, max_polls: u64) {
    use crate::engine::lang::python::{compile::compile, parse_program as parse};
    match parse(source).and_then(|tree| compile(&tree)) {
        Ok(module) => {
            let (trace, ending, settled) = crate::engine::exec::python::simulate(module, max_polls);
            let mut json = run_json(link, None, &trace, settled);
            json.pop();
            json.push_str(",\"error\":");
            match ending.and_then(|e| e.error) {
                Some(e) => json_str(&mut json, &e),
                None => json.push_str("null"),
            }
            json.push('}');
            o.out.push_str(&json);
        }
        Err(e) => {
            o.status = 2;
            o.out.push_str("{\"link\":");
            json_str(&mut o.out, link);
            let _ = write!(
                o.out,
                ",\"errors\":[{{\"line\":{},\"column\":{},\"message\":",
                e.line,
                e.col + 1
            );
            json_str(&mut o.out, &e.to_string());
            o.out.push_str("}]}");
        }
    }
}

/// The poll limit of `run`'s flags (`--json`, and `--max-polls=N` if given); none if they are
/// not `run`'s.
fn run_flags(flags: &[&str]) -> Option<u64> {
    let mut json = false;
    let mut max = POLL_BUDGET;
    for f in flags {
        match f.strip_prefix("--max-polls=") {
            Some(n) => max = n.parse().ok()?,
            None if *f == "--json" => json = true,
            None => return None,
        }
    }
    json.then_some(max)
}

fn refuse(o: &mut Output, link: &str, errors: &[String]) {
    o.status = 2;
    let _ = writeln!(o.err, "interleave: the link {link:?} is not valid:");
    for e in errors {
        let _ = writeln!(o.err, "  {e}");
    }
}

/// The scenario and program a link asks for, or every problem with it, worded as the page
/// words it (a field's message after its name).
pub fn program_of(link: &str) -> Result<(&'static ScenarioInfo, Program), Vec<String>> {
    let decoded = decode(link);
    let mut errors = decoded.problems.clone();
    let text_of = |name: &str| {
        decoded
            .texts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.as_str())
    };
    let (values, field_errors): (Values, _) = decoded.scenario.parse(text_of);
    errors.extend(field_errors.iter().map(|(name, m)| format!("{name}: {m}")));
    if errors.is_empty() {
        Ok((decoded.scenario, (decoded.scenario.build)(&values)))
    } else {
        Err(errors)
    }
}

fn strings(out: &mut String, items: &[String]) {
    out.push('[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(out, s);
    }
    out.push(']');
}

/// A number as JSON (`null` for what JSON cannot hold).
fn num(out: &mut String, x: f64) {
    if x.is_finite() {
        let _ = write!(out, "{x}");
    } else {
        out.push_str("null");
    }
}

fn opt_num(out: &mut String, x: Option<f64>) {
    match x {
        Some(x) => num(out, x),
        None => out.push_str("null"),
    }
}

fn catalog_json() -> String {
    let mut out = String::from("[");
    for (i, s) in CATALOG.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        json_str(&mut out, s.id);
        out.push_str(",\"title\":");
        json_str(&mut out, s.title);
        out.push_str(",\"params\":[");
        for (j, spec) in s.specs().iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            json_str(&mut out, spec.name);
            let unit = |out: &mut String, unit: Unit| match unit {
                Unit::Seconds => out.push_str(",\"unit\":\"s\""),
                Unit::Millis => out.push_str(",\"unit\":\"ms\""),
                _ => {}
            };
            match spec.kind {
                Kind::Number { min, max, unit: u } => {
                    out.push_str(",\"kind\":\"number\"");
                    unit(&mut out, u);
                    out.push_str(",\"min\":");
                    num(&mut out, min);
                    out.push_str(",\"max\":");
                    num(&mut out, max);
                }
                Kind::Integer { min, max, unit: u } => {
                    out.push_str(",\"kind\":\"integer\"");
                    unit(&mut out, u);
                    let _ = write!(out, ",\"min\":{min},\"max\":{max}");
                }
                Kind::Choice(options) => {
                    out.push_str(",\"kind\":\"choice\",\"choices\":");
                    let options: Vec<String> = options.iter().map(|o| o.to_string()).collect();
                    strings(&mut out, &options);
                }
                Kind::NumberList {
                    min_len,
                    max_len,
                    min,
                    max,
                    unit: u,
                } => {
                    out.push_str(",\"kind\":\"list\"");
                    unit(&mut out, u);
                    out.push_str(",\"min\":");
                    num(&mut out, min);
                    out.push_str(",\"max\":");
                    num(&mut out, max);
                    let _ = write!(out, ",\"min_len\":{min_len},\"max_len\":{max_len}");
                }
            }
            out.push_str(",\"default\":");
            json_str(&mut out, spec.default);
            out.push_str(",\"label\":");
            json_str(&mut out, spec.label);
            out.push('}');
        }
        out.push_str("]}");
    }
    out.push(']');
    out
}

/// One run as a JSON object (see the module's documentation).
fn run_json(link: &str, scenario: Option<&str>, trace: &Trace, settled: Settled) -> String {
    let mut out = String::from("{\"link\":");
    json_str(&mut out, link);
    if let Some(id) = scenario {
        out.push_str(",\"scenario\":");
        json_str(&mut out, id);
    }
    let elapsed = trace.elapsed();
    out.push_str(",\"elapsed\":");
    num(&mut out, elapsed);
    let stats = trace.all_stats(elapsed);
    let polls: u64 = stats.iter().map(|s| u64::from(s.polls)).sum();
    let _ = write!(
        out,
        ",\"polls\":{polls},\"complete\":{}",
        settled == Settled::Idle
    );
    out.push_str(",\"lines\":[");
    for (i, line) in trace.lines().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"time\":");
        num(&mut out, line.at);
        if (line.task.0 as usize) < trace.tasks.len() {
            let _ = write!(out, ",\"task\":{},\"task_name\":", line.task.0);
        } else {
            out.push_str(",\"task\":null,\"task_name\":");
        }
        json_str(&mut out, trace.name(line.task));
        out.push_str(",\"text\":");
        json_str(&mut out, &line.text);
        // A print that left its line open (`end=""`) says so.
        if line.open {
            out.push_str(",\"open\":true");
        }
        out.push('}');
    }
    out.push_str("],\"warnings\":");
    strings(&mut out, &trace.warnings());
    out.push_str(",\"tasks\":[");
    for (i, (info, s)) in trace.tasks.iter().zip(&stats).enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{{\"id\":{i},\"name\":");
        json_str(&mut out, &info.name);
        out.push_str(",\"parent\":");
        match info.parent {
            Some(TaskId(p)) => {
                let _ = write!(out, "{p}");
            }
            None => out.push_str("null"),
        }
        out.push_str(",\"created\":");
        num(&mut out, info.spawned);
        out.push_str(",\"started\":");
        opt_num(&mut out, s.started);
        out.push_str(",\"ended\":");
        opt_num(&mut out, s.ended);
        let _ = write!(out, ",\"polls\":{},\"outcome\":", s.polls);
        match &s.outcome {
            Outcome::Live => out.push_str("\"live\""),
            Outcome::Finished(v) => {
                out.push_str("\"finished\",\"result\":");
                json_str(&mut out, v);
            }
            Outcome::Cancelled => out.push_str("\"cancelled\""),
            Outcome::Failed(m) => {
                out.push_str("\"failed\",\"error\":");
                json_str(&mut out, m);
            }
        }
        out.push('}');
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Output {
        run(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_link_of_code_modes_runs_its_program() {
        let link = crate::engine::edges::url::code_link(
            "import asyncio\nasync def main():\n    await asyncio.sleep(2)\n    print('hi')\nasyncio.run(main())\n",
            1.0,
        );
        let o = cli(&["run", &link, "code?z=AAAA", "--json"]);
        let lines: Vec<&str> = o.out.lines().collect();
        assert!(lines[0].contains("\"elapsed\":2,"), "{}", lines[0]);
        assert!(lines[0].contains("\"hi\""), "{}", lines[0]);
        assert!(lines[0].ends_with(",\"error\":null}"), "{}", lines[0]);
        assert!(
            lines[1].contains("cannot be unpacked: it is cut short"),
            "{}",
            lines[1]
        );
        assert_eq!(o.status, 2);
    }

    #[test]
    fn run_prints_one_object_per_link_and_refuses_bad_ones_in_place() {
        let o = cli(&["run", "hello-world", "hello-world?sleep_s=x", "--json"]);
        assert_eq!(o.status, 2);
        let lines: Vec<&str> = o.out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0]
            .starts_with("{\"link\":\"hello-world\",\"scenario\":\"hello-world\",\"elapsed\":2,"));
        assert!(
            lines[0].contains("{\"time\":2,\"task\":0,\"task_name\":\"main\",\"text\":\"World!\"}")
        );
        assert!(lines[1].starts_with(
            "{\"link\":\"hello-world?sleep_s=x\",\"errors\":[\"sleep_s: Not a number"
        ));
    }

    #[test]
    fn listing_and_export_answer_and_nonsense_is_refused() {
        let o = cli(&["listing", "hello-world?sleep_s=0.5"]);
        assert_eq!(o.status, 0);
        assert!(o.out.contains("await asyncio.sleep(0.5)"), "{}", o.out);
        assert!(cli(&["listing", "hello-world", "--rust"])
            .out
            .contains("TimeoutFuture"));
        assert!(cli(&["export", "cooking", "--svg"]).out.starts_with("<svg"));
        assert!(cli(&["export", "cooking", "--trace"])
            .out
            .contains("traceEvents"));
        assert_eq!(cli(&["listing", "nope"]).status, 2);
        // A run file written by export reads back as the run it holds.
        let path = std::env::temp_dir().join(format!("interleave-cli-{}.json", std::process::id()));
        let file = cli(&["export", "fetch-and-count?count=3", "--run"]).out;
        std::fs::write(&path, file).expect("a temporary file");
        let opened = cli(&["open", &path.to_string_lossy(), "--json"]);
        assert_eq!(opened.status, 0, "{}", opened.err);
        assert_eq!(
            opened.out,
            cli(&["run", "fetch-and-count?count=3", "--json"]).out
        );
        std::fs::write(&path, "{}").expect("a temporary file");
        let refused = cli(&["open", &path.to_string_lossy(), "--json"]);
        assert_eq!(refused.status, 2);
        assert!(refused.err.contains("has no run in it"), "{}", refused.err);
        let _ = std::fs::remove_file(&path);
        assert_eq!(cli(&["frobnicate"]).status, 2);
        assert_eq!(cli(&["run", "hello-world"]).status, 2, "--json is required");
        assert!(cli(&["catalog", "--json"])
            .out
            .contains("\"kind\":\"list\""));
    }
}
