//! Exports a run as Chrome trace-event JSON (opens in Perfetto and chrome://tracing): one async
//! track per task holding its segments, with prints as instant events. Times are scenario time.

use super::trace::{EventKind, Trace};

/// Appends `s` as a JSON string literal.
fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn micros(secs: f64) -> String {
    let us = (secs * 1e6).round();
    if us.is_finite() {
        format!("{}", us as i64)
    } else {
        "0".into()
    }
}

/// The trace as Chrome trace-event JSON, up to `now`. `title` names the process.
pub fn chrome_trace(trace: &Trace, title: &str, now: f64) -> String {
    let mut out = String::from("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[");
    let mut first = true;
    let mut event = |out: &mut String, body: &str| {
        if !first {
            out.push(',');
        }
        first = false;
        out.push('{');
        out.push_str(body);
        out.push('}');
    };
    let mut name = String::new();
    json_str(&mut name, title);
    event(
        &mut out,
        &format!("\"ph\":\"M\",\"pid\":1,\"tid\":1,\"name\":\"process_name\",\"args\":{{\"name\":{name}}}"),
    );
    let lanes = trace.lanes(now);
    let stats = trace.all_stats(now);
    for (info, (lane, st)) in trace.tasks.iter().zip(lanes.iter().zip(&stats)) {
        let spawned = trace
            .events
            .iter()
            .find(|e| e.task == info.id && matches!(e.kind, EventKind::Spawned { .. }))
            .map(|e| e.at)
            .unwrap_or(0.0);
        let end = st.ended.unwrap_or(now).max(spawned);
        let mut task_name = String::new();
        json_str(&mut task_name, &info.name);
        let common = format!("\"cat\":\"task\",\"id\":{},\"pid\":1,\"tid\":1", info.id.0);
        event(
            &mut out,
            &format!("\"ph\":\"b\",{common},\"name\":{task_name},\"ts\":{},\"args\":{{\"task\":{},\"parent\":{}}}",
                micros(spawned),
                info.id.0,
                info.parent.map(|p| p.0.to_string()).unwrap_or_else(|| "null".into())),
        );
        for seg in lane {
            let mut label = String::new();
            json_str(&mut label, &trace.describe(&seg.kind));
            event(
                &mut out,
                &format!(
                    "\"ph\":\"b\",{common},\"name\":{label},\"ts\":{}",
                    micros(seg.from)
                ),
            );
            event(
                &mut out,
                &format!(
                    "\"ph\":\"e\",{common},\"name\":{label},\"ts\":{}",
                    micros(seg.to)
                ),
            );
        }
        for e in trace.events.iter().filter(|e| e.task == info.id) {
            if let EventKind::Printed(text) = &e.kind {
                let mut t = String::new();
                json_str(&mut t, text);
                event(
                    &mut out,
                    &format!("\"ph\":\"n\",{common},\"name\":\"print\",\"ts\":{},\"args\":{{\"text\":{t}}}", micros(e.at)),
                );
            }
        }
        event(
            &mut out,
            &format!(
                "\"ph\":\"e\",{common},\"name\":{task_name},\"ts\":{}",
                micros(end)
            ),
        );
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::scenarios::find;

    #[test]
    fn every_task_is_one_balanced_track_and_strings_are_escaped() {
        let s = find("fetch-and-count").unwrap();
        let (trace, _) = s.simulate(&s.defaults());
        let json = chrome_trace(&trace, "fetch \"and\" count\n", trace.elapsed());
        assert!(json.starts_with("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[{"));
        assert!(json.ends_with("}]}"));
        assert!(json.contains("fetch \\\"and\\\" count\\n"));
        for task in 0..3 {
            let begins = json
                .matches(&format!("\"ph\":\"b\",\"cat\":\"task\",\"id\":{task},"))
                .count();
            let ends = json
                .matches(&format!("\"ph\":\"e\",\"cat\":\"task\",\"id\":{task},"))
                .count();
            assert!(begins >= 2, "task {task} has its track and segments");
            assert_eq!(begins, ends, "task {task}'s events balance");
        }
        assert_eq!(json.matches("\"name\":\"print\"").count(), 13);
        assert!(json.contains("\"ts\":2000000"), "2 s is 2,000,000 µs");
    }
}
