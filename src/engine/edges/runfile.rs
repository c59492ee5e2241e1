//! A recorded run as a file, and back: to study a real run again exactly as it happened, or to
//! show it to someone else. The command line writes and reads it (`export LINK --run`, `open
//! FILE --json`).
//!
//! The file is the Chrome trace-event JSON of an export (so it opens in Perfetto as well) with
//! one more member, `interleave`, that holds the run itself: the link it ran (scenario and
//! values), where it ended, its tasks, await chains and events, and what the browser recorded
//! beside them (other work on the thread, when the tab was hidden). Records are lines of
//! tab-separated fields inside JSON strings: compact, and read line by line.
//!
//! A file from elsewhere is untrusted: [`read`] checks every number, id, count and order, and
//! refuses the whole file with one sentence at the first fault.

use std::rc::Rc;

use crate::engine::edges::export::{chrome_trace, json_str};
use crate::engine::edges::json::{parse_member, Json};
use crate::engine::lang::ids::{StepId, TaskId};
use crate::engine::record::trace::{Dropped, Event, EventKind, TaskInfo, Trace, WaitOn};
use crate::engine::view::lateness::{Work, WorkKind};

/// The format's name and version, first in the `interleave` member.
pub const FORMAT: &str = "interleave-run/2";
/// The largest file read.
pub const MAX_BYTES: usize = 64 << 20;
/// What a larger file gets.
pub const TOO_LARGE: &str = "This file is not a run Interleave saved: it is larger than 64 MB.";
/// The most tasks and events a file may hold.
const MAX_TASKS: usize = 1_000_000;
const MAX_EVENTS: usize = 4_000_000;
/// The most work stretches and visibility changes.
const MAX_MARKS: usize = 1_000_000;
/// The longest name, printed line or value.
const MAX_TEXT: usize = 100_000;
/// The largest step id (a program has a few hundred statements at most).
const MAX_STEP: u32 = 1_000_000;

/// A run as saved.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedRun {
    /// The share-link fragment of what ran (`cooking?mode=gather&speed=1`).
    pub link: String,
    /// Where the run ended, in scenario seconds.
    pub now: f64,
    /// Whether it was stopped before its end.
    pub stopped: bool,
    /// What it recorded.
    pub trace: Trace,
    /// Other work that held the browser's thread.
    pub work: Vec<Work>,
    /// When the tab was hidden (`true`) or shown again.
    pub visibility: Vec<(f64, bool)>,
}

/// The run as a file's text; `title` names it in Perfetto.
pub fn write(run: &RunParts<'_>, title: &str) -> String {
    let mut out = chrome_trace(run.trace, title, run.now);
    // In place of the export's closing brace, one more member.
    out.pop();
    out.push_str(",\"interleave\":");
    out.push_str(&record(run));
    out.push('}');
    out
}

/// A run to be saved, borrowed from wherever it is kept (a live run need not be copied).
pub struct RunParts<'a> {
    /// As [`SavedRun::link`].
    pub link: &'a str,
    /// As [`SavedRun::now`].
    pub now: f64,
    /// As [`SavedRun::stopped`].
    pub stopped: bool,
    /// As [`SavedRun::trace`].
    pub trace: &'a Trace,
    /// As [`SavedRun::work`].
    pub work: &'a [Work],
    /// As [`SavedRun::visibility`].
    pub visibility: &'a [(f64, bool)],
}

impl SavedRun {
    /// The run, borrowed.
    pub fn parts(&self) -> RunParts<'_> {
        RunParts {
            link: &self.link,
            now: self.now,
            stopped: self.stopped,
            trace: &self.trace,
            work: &self.work,
            visibility: &self.visibility,
        }
    }
}

impl RunParts<'_> {
    /// A copy to keep.
    pub fn to_saved(&self) -> SavedRun {
        SavedRun {
            link: self.link.to_string(),
            now: self.now,
            stopped: self.stopped,
            trace: self.trace.clone(),
            work: self.work.to_vec(),
            visibility: self.visibility.to_vec(),
        }
    }
}

/// The run alone, as the JSON object a file holds in its `interleave` member: what the page
/// hands to its studio when it loads (see `web::studio`), and what [`read_record`] reads.
// Kept out of line: inlined at each caller, its code would be in the page twice.
#[inline(never)]
pub fn record(run: &RunParts<'_>) -> String {
    let t = run.trace;
    let field = |out: &mut String, name: &str, lines: &str| {
        out.push_str(",\"");
        out.push_str(name);
        out.push_str("\":");
        json_str(out, lines);
    };
    let mut out = String::from("{\"format\":");
    json_str(&mut out, FORMAT);
    field(&mut out, "link", run.link);
    out.push_str(",\"now\":");
    put_num(&mut out, run.now);
    out.pop();
    out.push_str(if run.stopped {
        ",\"stopped\":true"
    } else {
        ",\"stopped\":false"
    });
    let mut lines = String::new();
    for task in &t.tasks {
        put_int(&mut lines, task.parent.map_or(-1, |p| i64::from(p.0)));
        put_num(&mut lines, task.spawned);
        put_text(&mut lines, &task.name);
        end_line(&mut lines);
    }
    field(&mut out, "tasks", &lines);
    lines.clear();
    for chain in &t.chains {
        put_text(&mut lines, chain);
        end_line(&mut lines);
    }
    field(&mut out, "chains", &lines);
    lines.clear();
    for e in &t.events {
        put_num(&mut lines, e.at);
        put_int(&mut lines, i64::from(e.task.0));
        put_kind(&mut lines, &e.kind);
        end_line(&mut lines);
    }
    field(&mut out, "events", &lines);
    lines.clear();
    let d = &t.dropped;
    put_int(&mut lines, d.events as i64);
    put_int(&mut lines, d.lines as i64);
    put_num(&mut lines, d.before);
    lines.pop();
    field(&mut out, "dropped", &lines);
    lines.clear();
    for w in run.work {
        put_text(&mut lines, w.kind.word());
        put_num(&mut lines, w.from);
        put_num(&mut lines, w.to);
        end_line(&mut lines);
    }
    field(&mut out, "work", &lines);
    lines.clear();
    for (at, hidden) in run.visibility {
        put_num(&mut lines, *at);
        put_int(&mut lines, i64::from(*hidden));
        end_line(&mut lines);
    }
    field(&mut out, "visibility", &lines);
    out.push('}');
    out
}

// A record's line is written field by field, each followed by a tab; the last tab becomes the
// line's end.

/// Ends a line: its last field's tab becomes a line break.
fn end_line(out: &mut String) {
    out.pop();
    out.push('\n');
}

/// A number as it reads back exactly (Rust's shortest round trip).
fn put_num(out: &mut String, x: f64) {
    use std::fmt::Write;
    let _ = write!(out, "{x}\t");
}

/// A whole number.
fn put_int(out: &mut String, n: i64) {
    use std::fmt::Write;
    let _ = write!(out, "{n}\t");
}

/// Text with its tabs, line breaks and backslashes escaped, to fit one field.
fn put_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('\t');
}

/// Undoes [`esc`].
fn unesc(s: &str) -> Result<Rc<str>, String> {
    if s.len() > MAX_TEXT {
        return Err("a text is too long".into());
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next() {
            Some('\\') => '\\',
            Some('t') => '\t',
            Some('n') => '\n',
            Some('r') => '\r',
            _ => return Err("a text has an unknown escape".into()),
        });
    }
    Ok(Rc::from(out))
}

/// An event's kind as fields: a letter, then what it carries.
fn put_kind(out: &mut String, kind: &EventKind) {
    let letter = |out: &mut String, l: &str| {
        out.push_str(l);
        out.push('\t');
    };
    match kind {
        EventKind::PollStart => letter(out, "P"),
        EventKind::Paused { on, chain, step } => {
            letter(out, "S");
            put_int(out, i64::from(*chain));
            put_int(out, i64::from(step.0));
            match on {
                WaitOn::Sleep { due, secs } => {
                    letter(out, "s");
                    put_num(out, *due);
                    put_num(out, *secs);
                }
                WaitOn::Task(t) => {
                    letter(out, "t");
                    put_int(out, i64::from(t.0));
                }
                WaitOn::Gather(ts) => {
                    letter(out, "g");
                    for t in ts.iter() {
                        put_int(out, i64::from(t.0));
                        out.pop();
                        out.push(',');
                    }
                    if !ts.is_empty() {
                        out.pop();
                    }
                    out.push('\t');
                }
            }
        }
        EventKind::Finished { value } => {
            letter(out, "F");
            put_text(out, value);
        }
        EventKind::Woken => letter(out, "W"),
        EventKind::TimerFired { due } => {
            letter(out, "T");
            put_num(out, *due);
        }
        EventKind::Printed { text, step, open } => {
            // `o`: a print that left its line open.
            letter(out, if *open { "o" } else { "O" });
            put_int(out, i64::from(step.0));
            put_text(out, text);
        }
        EventKind::Blocked { until, spins } => {
            letter(out, "B");
            put_num(out, *until);
            put_int(out, *spins as i64);
        }
        EventKind::NeverAwaited(name) => {
            letter(out, "N");
            put_text(out, name);
        }
        EventKind::Cancelled => letter(out, "C"),
        EventKind::Failed(m) => {
            letter(out, "X");
            put_text(out, m);
        }
    }
}

/// Reads a run back from a file's text, checking everything.
// Kept out of line: inlined at each caller, its code would be in the page twice.
#[inline(never)]
pub fn read(text: &str) -> Result<SavedRun, String> {
    let refuse = |why: String| format!("This file is not a run Interleave saved: {why}.");
    if text.len() > MAX_BYTES {
        return Err(TOO_LARGE.into());
    }
    let run = parse_member(text, "interleave")
        .map_err(|e| refuse(format!("it is not valid JSON ({e})")))?
        .ok_or_else(|| refuse("it has no run in it".into()))?;
    build(&run).map_err(refuse)
}

/// Reads a run from its record alone (the object [`record`] writes), checking everything.
pub fn read_record(text: &str) -> Result<SavedRun, String> {
    read(&format!("{{\"interleave\":{text}}}"))
}

fn build(run: &Json) -> Result<SavedRun, String> {
    let text = |name: &str| {
        run.get(name)
            .and_then(Json::str)
            .ok_or_else(|| format!("its {name} is missing"))
    };
    if text("format")? != FORMAT {
        return Err(format!("it is not in the format {FORMAT}"));
    }
    let now = run
        .get("now")
        .and_then(Json::num)
        .filter(|n| *n >= 0.0)
        .ok_or("its end time is missing")?;
    let stopped = matches!(run.get("stopped"), Some(Json::Bool(true)));
    let mut trace = Trace::default();
    for (i, line) in lines(text("tasks")?).enumerate() {
        if i >= MAX_TASKS {
            return Err("it has too many tasks".into());
        }
        let f = fields(line, 3, "task")?;
        let parent: i64 = f[0]
            .parse()
            .map_err(|_| "a task's parent is not a number")?;
        let parent = match parent {
            -1 => None,
            p if p >= 0 && (p as usize) < i => Some(TaskId(p as u32)),
            _ => return Err(format!("task {i}'s parent is not an earlier task")),
        };
        trace.tasks.push(TaskInfo {
            name: unesc(f[2])?,
            parent,
            spawned: time(f[1])?,
        });
    }
    for line in lines(text("chains")?) {
        if trace.chains.len() >= MAX_TASKS {
            return Err("it has too many await chains".into());
        }
        trace.chains.push(unesc(line)?);
    }
    let tasks = trace.tasks.len();
    let task = |s: &str| -> Result<TaskId, String> {
        s.parse::<u32>()
            .ok()
            .filter(|t| (*t as usize) < tasks)
            .map(TaskId)
            .ok_or_else(|| format!("an event names a task that is not there ({s})"))
    };
    let mut last = 0.0;
    for line in lines(text("events")?) {
        if trace.events.len() >= MAX_EVENTS {
            return Err("it has too many events".into());
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 3 {
            return Err("an event is cut short".into());
        }
        let at = time(f[0])?;
        if at < last {
            return Err("its events are not in time order".into());
        }
        last = at;
        let kind = event_kind(&f[2..], &task, trace.chains.len())?;
        trace.events.push(Event {
            at,
            task: task(f[1])?,
            kind,
        });
    }
    let d = fields(text("dropped")?, 3, "dropped")?;
    trace.dropped = Dropped {
        events: d[0]
            .parse()
            .map_err(|_| "its dropped count is not a number")?,
        lines: d[1]
            .parse()
            .map_err(|_| "its dropped count is not a number")?,
        before: time(d[2])?,
    };
    let mut work = Vec::new();
    for line in lines(text("work")?) {
        if work.len() >= MAX_MARKS {
            return Err("it has too many stretches of other work".into());
        }
        let f = fields(line, 3, "stretch of other work")?;
        let kind = WorkKind::ALL
            .into_iter()
            .find(|k| k.word() == f[0])
            .ok_or("a stretch of other work is of an unknown kind")?;
        let (from, to) = (time(f[1])?, time(f[2])?);
        if to < from {
            return Err("a stretch of other work ends before it starts".into());
        }
        work.push(Work { from, to, kind });
    }
    let mut visibility = Vec::new();
    for line in lines(text("visibility")?) {
        if visibility.len() >= MAX_MARKS {
            return Err("it has too many visibility changes".into());
        }
        let f = fields(line, 2, "visibility change")?;
        let hidden = match f[1] {
            "0" => false,
            "1" => true,
            _ => return Err("a visibility change is neither 0 nor 1".into()),
        };
        visibility.push((time(f[0])?, hidden));
    }
    Ok(SavedRun {
        link: text("link")?.to_string(),
        now,
        stopped,
        trace,
        work,
        visibility,
    })
}

/// The lines of a record, each ended by a line break.
fn lines(s: &str) -> impl Iterator<Item = &str> {
    s.split_terminator('\n')
}

/// Exactly `n` tab-separated fields of a `what`.
fn fields<'a>(line: &'a str, n: usize, what: &str) -> Result<Vec<&'a str>, String> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() == n {
        Ok(f)
    } else {
        Err(format!("a {what} has {} fields, not {n}", f.len()))
    }
}

/// A statement's step id.
fn step_of(s: &str) -> Result<u32, String> {
    let step: u32 = s.parse().map_err(|_| "a step is not a number")?;
    if step > MAX_STEP {
        return Err("an event names a step that is not there".into());
    }
    Ok(step)
}

/// A time in scenario seconds: finite and not negative.
fn time(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|t| t.is_finite() && *t >= 0.0)
        .ok_or_else(|| format!("a time is not a number of seconds ({s})"))
}

/// An event's kind from its fields (after time and task).
fn event_kind(
    f: &[&str],
    task: &dyn Fn(&str) -> Result<TaskId, String>,
    chains: usize,
) -> Result<EventKind, String> {
    let arg = |i: usize| f.get(i).copied().ok_or("an event is cut short");
    let exactly = |n: usize| {
        if f.len() == n {
            Ok(())
        } else {
            Err("an event has fields it should not".to_string())
        }
    };
    let kind = match f[0] {
        "P" => EventKind::PollStart,
        "W" => EventKind::Woken,
        "C" => EventKind::Cancelled,
        "F" => EventKind::Finished {
            value: unesc(arg(1)?)?,
        },
        "T" => EventKind::TimerFired {
            due: time(arg(1)?)?,
        },
        "O" | "o" => EventKind::Printed {
            step: StepId(step_of(arg(1)?)?),
            text: unesc(arg(2)?)?,
            open: f[0] == "o",
        },
        "N" => EventKind::NeverAwaited(unesc(arg(1)?)?),
        "X" => EventKind::Failed(unesc(arg(1)?)?),
        "B" => EventKind::Blocked {
            until: time(arg(1)?)?,
            spins: arg(2)?
                .parse()
                .map_err(|_| "a busy loop's count is not a number")?,
        },
        "S" => {
            let chain: u32 = arg(1)?
                .parse()
                .map_err(|_| "an await chain is not a number")?;
            if chain as usize >= chains {
                return Err("an event names an await chain that is not there".into());
            }
            let step = step_of(arg(2)?)?;
            let on = match arg(3)? {
                "s" => WaitOn::Sleep {
                    due: time(arg(4)?)?,
                    secs: time(arg(5)?)?,
                },
                "t" => WaitOn::Task(task(arg(4)?)?),
                "g" => WaitOn::Gather(
                    arg(4)?
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(task)
                        .collect::<Result<Rc<[TaskId]>, String>>()?,
                ),
                _ => return Err("a pause waits on something unknown".into()),
            };
            let n = match on {
                WaitOn::Sleep { .. } => 6,
                _ => 5,
            };
            exactly(n)?;
            return Ok(EventKind::Paused {
                on,
                chain,
                step: StepId(step),
            });
        }
        _ => return Err("an event is of an unknown kind".into()),
    };
    let n = match kind {
        EventKind::PollStart | EventKind::Woken | EventKind::Cancelled => 1,
        EventKind::Blocked { .. } | EventKind::Printed { .. } => 3,
        _ => 2,
    };
    exactly(n)?;
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::exec::sim::ideal;
    use crate::engine::lang::scenarios::CATALOG;

    fn saved(trace: Trace) -> SavedRun {
        SavedRun {
            link: "fetch-and-count?speed=2".into(),
            now: trace.elapsed(),
            stopped: false,
            trace,
            work: vec![
                Work {
                    from: 0.125,
                    to: 0.25,
                    kind: WorkKind::Drawing,
                },
                Work {
                    from: 1.0,
                    to: 1.0 / 3.0 + 1.0,
                    kind: WorkKind::LongTask,
                },
            ],
            visibility: vec![(0.5, true), (0.75, false)],
        }
    }

    #[test]
    fn every_scenario_reads_back_as_it_was_saved() {
        for s in &CATALOG {
            let (trace, _) = ideal(s, &s.defaults());
            let run = saved(trace);
            let text = write(&run.parts(), s.title);
            let back = read(&text).unwrap_or_else(|e| panic!("{}: {e}", s.id));
            assert_eq!(back, run, "{}", s.id);
            // The record alone, as the page hands it to its studio, reads back the same.
            assert_eq!(
                read_record(&record(&run.parts())).as_ref(),
                Ok(&run),
                "{}",
                s.id
            );
            // And it is still a Chrome trace.
            assert!(
                matches!(parse_member(&text, "traceEvents"), Ok(Some(Json::Arr(_)))),
                "{}",
                s.id
            );
        }
    }

    #[test]
    fn a_file_too_large_is_refused_in_the_words_the_page_uses() {
        assert_eq!(MAX_BYTES >> 20, 64, "TOO_LARGE names the limit");
        assert_eq!(read(&" ".repeat(MAX_BYTES + 1)), Err(TOO_LARGE.to_string()));
    }

    #[test]
    fn odd_text_survives_the_round_trip() {
        let (mut trace, _) = ideal(&CATALOG[0], &CATALOG[0].defaults());
        trace.tasks[0].name = Rc::from("a\tb\\n\nc \"q\" é 😀");
        trace.events.push(Event {
            at: trace.elapsed(),
            task: TaskId(0),
            kind: EventKind::Printed {
                text: Rc::from("tab\there\r\nline \\t"),
                step: StepId(7),
                open: true,
            },
        });
        let run = saved(trace);
        assert_eq!(read(&write(&run.parts(), "t")), Ok(run));
    }

    #[test]
    fn a_faulty_file_is_refused_with_a_sentence() {
        let (trace, _) = ideal(&CATALOG[2], &CATALOG[2].defaults());
        let good = write(&saved(trace).parts(), "t");
        let cases = [
            ("", "not valid JSON"),
            ("{}", "has no run in it"),
            (
                "{\"interleave\":{\"format\":\"other/9\"}}",
                "not in the format",
            ),
            (
                &good.replace("\\t0\\tP", "\\t99\\tP"),
                "names a task that is not there",
            ),
            (&good.replace("\\tO\\t", "\\tQ\\t"), "unknown kind"),
            (
                &good.replacen("0\\t1\\tP", "0\\t1\\tP\\tx", 1),
                "fields it should not",
            ),
            (&good.replace("\"now\":", "\"now\":-"), "end time"),
        ];
        for (text, why) in cases {
            let err = read(text).expect_err(why);
            assert!(
                err.starts_with("This file is not a run Interleave saved: "),
                "{err}"
            );
            assert!(err.contains(why), "{why}: {err}");
        }
        // Times out of order, a NaN, a parent that comes later.
        let swapped = good.replacen("\"events\":\"0\\t", "\"events\":\"9\\t", 1);
        assert!(read(&swapped).unwrap_err().contains("time order"));
    }

    // Natively only: the browser tier need not repeat it.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn no_file_makes_it_panic() {
        let (trace, _) = ideal(&CATALOG[1], &CATALOG[1].defaults());
        let good = write(&saved(trace).parts(), "t");
        let start = good.find("\"interleave\"").unwrap_or(0);
        let bytes = good.as_bytes();
        let mut state = 11u64;
        for _ in 0..20_000 {
            state = crate::engine::edges::json::next_state(state);
            let mut b = bytes.to_vec();
            for k in 0..3 {
                let at = start + ((state >> (7 + 9 * k)) as usize) % (b.len() - start);
                b[at] = b"0123456789\\t,-.eSgPn\"x"[((state >> (30 + k)) % 22) as usize];
            }
            let _ = read(&String::from_utf8_lossy(&b));
        }
    }
}
