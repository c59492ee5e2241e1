//! Exports a run as Chrome trace-event JSON (opens in Perfetto and chrome://tracing): one async
//! track per task holding its segments, with prints as instant events. Times are scenario time.

use crate::engine::record::trace::{EventKind, Trace};

/// Appends `s` as a JSON string literal.
pub(crate) fn json_str(out: &mut String, s: &str) {
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
    let mut fold = crate::engine::record::fold::Fold::full();
    fold.update(trace);
    let lanes = fold.lanes(now);
    let stats = fold.stats(now);
    let mut prints: Vec<Vec<(f64, &str)>> = vec![Vec::new(); trace.tasks.len()];
    for e in &trace.events {
        if let (EventKind::Printed { text, .. }, Some(p)) =
            (&e.kind, prints.get_mut(e.task.0 as usize))
        {
            p.push((e.at, text));
        }
    }
    for (id, (info, ((lane, st), prints))) in trace
        .tasks
        .iter()
        .zip(lanes.iter().zip(&stats).zip(&prints))
        .enumerate()
    {
        let spawned = info.spawned;
        let end = st.ended.unwrap_or(now).max(spawned);
        let mut task_name = String::new();
        json_str(&mut task_name, &info.name);
        let common = format!("\"cat\":\"task\",\"id\":{id},\"pid\":1,\"tid\":1");
        event(
            &mut out,
            &format!("\"ph\":\"b\",{common},\"name\":{task_name},\"ts\":{},\"args\":{{\"task\":{},\"parent\":{}}}",
                micros(spawned),
                id,
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
        for (at, text) in prints {
            let mut t = String::new();
            json_str(&mut t, text);
            event(
                &mut out,
                &format!(
                    "\"ph\":\"n\",{common},\"name\":\"print\",\"ts\":{},\"args\":{{\"text\":{t}}}",
                    micros(*at)
                ),
            );
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

/// Escapes text for XML.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// The fill of each segment kind in a standalone SVG (no stylesheet to lean on).
fn fill(kind: &str) -> &'static str {
    match kind {
        "running" => "#3f5ee0",
        "blocking" => "url(#p-blocking)",
        "waiting" => "#dfe5fb",
        "ready" => "url(#p-ready)",
        "blocked" => "url(#p-blocked)",
        "delayed" => "url(#p-delayed)",
        _ => "#999",
    }
}

/// The timeline as a standalone SVG document: lanes, the event-loop lane, axis and legend.
pub fn timeline_svg(tl: &crate::engine::view::timeline::Timeline, title: &str) -> String {
    use crate::engine::lang::value::{fixed, seconds};
    const LABEL: f64 = 220.0;
    const TRACK: f64 = 760.0;
    const ROW: f64 = 26.0;
    let width = LABEL + TRACK + 20.0;
    let rows = tl.lanes.len() + 2 + usize::from(tl.hidden > 0);
    let height = 40.0 + rows as f64 * ROW + 40.0;
    let x = |t: f64| LABEL + (t / tl.span).clamp(0.0, 1.0) * TRACK;
    let w = |a: f64, b: f64| ((b - a) / tl.span * TRACK).max(0.0);
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
    );
    o.push_str("<defs>\
<pattern id=\"p-blocking\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#f3c0b8\"/><rect width=\"3\" height=\"6\" fill=\"#d2452f\"/></pattern>\
<pattern id=\"p-ready\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\"><rect width=\"5\" height=\"5\" fill=\"#fbe8c4\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.1\" fill=\"#d08a14\"/></pattern>\
<pattern id=\"p-blocked\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\"><rect width=\"6\" height=\"6\" fill=\"#f6d9d4\"/><rect width=\"2\" height=\"6\" fill=\"#c0392b\"/></pattern>\
<pattern id=\"p-delayed\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\"><rect width=\"4\" height=\"4\" fill=\"#fde2c8\"/><rect width=\"2\" height=\"2\" fill=\"#e67e22\"/></pattern>\
</defs><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
    o.push_str(&format!(
        "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"600\">{}</text>",
        xml(title)
    ));
    let axis_y = 40.0;
    for t in &tl.ticks {
        o.push_str(&format!(
            "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#ccd\"/><text x=\"{0}\" y=\"{3}\" fill=\"#556\" font-size=\"10\">{4} s</text>",
            fixed(x(*t), 1),
            axis_y,
            height - 40.0,
            axis_y - 4.0,
            seconds(*t)
        ));
    }
    let mut y = axis_y + 6.0;
    o.push_str(&format!(
        "<text x=\"10\" y=\"{}\" fill=\"#556\">event loop</text>",
        fixed(y + 15.0, 1)
    ));
    for (a, b) in &tl.busy {
        o.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"10\" fill=\"#8a94a8\"/>",
            fixed(x(*a), 2),
            fixed(y + 8.0, 1),
            fixed(w(*a, *b).max(1.0), 2)
        ));
    }
    for h in &tl.holds {
        o.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"url(#p-blocking)\"><title>blocked {}–{} s</title></rect>",
            fixed(x(h.from), 2), fixed(y + 5.0, 1), fixed(w(h.from, h.to), 2), seconds(h.from), seconds(h.to)
        ));
    }
    y += ROW;
    for lane in &tl.lanes {
        o.push_str(&format!(
            "<text x=\"{}\" y=\"{}\">{}</text>",
            fixed(10.0 + lane.depth.min(6) as f64 * 12.0, 1),
            fixed(y + 15.0, 1),
            xml(&lane.name)
        ));
        for s in &lane.ideal {
            o.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"3\" fill=\"{}\" opacity=\"0.45\"/>",
                fixed(x(s.from), 2),
                fixed(y + 20.0, 1),
                fixed(w(s.from, s.to), 2),
                fill(s.kind.name())
            ));
        }
        for (s, label, _) in lane.all(tl.now) {
            let min = if s.kind.name() == "running" { 2.0 } else { 0.0 };
            let stroke = if s.kind.name() == "waiting" {
                " stroke=\"#7d8fdc\" stroke-dasharray=\"3 2\""
            } else {
                ""
            };
            o.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" rx=\"2\" fill=\"{}\"{stroke}><title>{}: {}–{} s</title></rect>",
                fixed(x(s.from), 2), fixed(y + 4.0, 1), fixed(w(s.from, s.to).max(min), 2), fill(s.kind.name()),
                xml(label), seconds(s.from), seconds(s.to)
            ));
        }
        for (at, text) in &lane.prints {
            o.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"2\" height=\"20\" fill=\"#1a1e27\"><title>{}</title></rect>",
                fixed(x(*at), 2), fixed(y, 1), xml(text)
            ));
        }
        y += ROW;
    }
    if tl.hidden > 0 {
        o.push_str(&format!(
            "<text x=\"10\" y=\"{}\">+ {} more tasks</text>",
            fixed(y + 15.0, 1),
            tl.hidden
        ));
        let n = tl.density.len().max(1) as f64;
        for (i, c) in tl.density.iter().enumerate() {
            let h =
                (*c as f64 / tl.hidden.max(1) as f64 * 20.0).max(if *c > 0 { 1.0 } else { 0.0 });
            o.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#aab4d4\"/>",
                fixed(x(i as f64 * tl.span / n), 2),
                fixed(y + 22.0 - h, 1),
                fixed(TRACK / n, 2),
                fixed(h, 1)
            ));
        }
    }
    o.push_str(&format!(
        "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#d2452f\" stroke-width=\"1.5\"/>",
        fixed(x(tl.now), 1), axis_y, height - 40.0
    ));
    let mut lx = 10.0;
    for kind in [
        "running", "waiting", "ready", "blocking", "blocked", "delayed",
    ] {
        o.push_str(&format!(
            "<rect x=\"{lx}\" y=\"{}\" width=\"14\" height=\"10\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"11\">{kind}</text>",
            fixed(height - 22.0, 1), fill(kind), lx + 18.0, fixed(height - 13.0, 1)
        ));
        lx += 100.0;
    }
    o.push_str("</svg>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::scenarios::find;

    #[test]
    fn the_svg_is_standalone_and_escapes_names() {
        let s = find("cpu-vs-io").unwrap();
        let (v, _) = s.parse(|n| (n == "salads").then_some("2"));
        let (trace, _) = crate::engine::exec::sim::ideal(s, &v);
        let ideal = crate::engine::view::timeline::Ideal::of(Some(std::rc::Rc::new(trace.clone())));
        let tl =
            crate::engine::view::layout::layout(&trace, &ideal, trace.elapsed(), 50, Vec::new());
        let svg = timeline_svg(&tl, "cpu <&> io");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("cpu &lt;&amp;&gt; io"));
        assert!(svg.contains("chop_salad(1)"));
        assert!(svg.contains("url(#p-blocking)"));
        assert_eq!(svg.matches("<svg").count(), 1);
    }

    #[test]
    fn every_task_is_one_balanced_track_and_strings_are_escaped() {
        let s = find("fetch-and-count").unwrap();
        let (trace, _) = crate::engine::exec::sim::ideal(s, &s.defaults());
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
