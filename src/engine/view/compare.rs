//! Two runs side by side: what tells them apart in words, which finished sooner and by how much,
//! and the contrast a scenario offers in one click (the other way of doing the same thing).

use crate::engine::lang::params::Kind;
use crate::engine::lang::scenarios::ScenarioInfo;
use crate::engine::lang::value::seconds_ms;
use crate::engine::view::timeline::{ticks, Timeline};

/// One of the runs compared: what ran (the texts of its fields) and how long it took.
#[derive(Clone, Debug, PartialEq)]
pub struct Side<'a> {
    /// Its scenario.
    pub scenario: &'static ScenarioInfo,
    /// The text of each field it was run with (the defaults where missing).
    pub texts: &'a [(&'static str, String)],
    /// Its elapsed time, in scenario seconds.
    pub elapsed: f64,
}

impl Side<'_> {
    /// The text of field `name` (its default when not given).
    fn text(&self, name: &str) -> String {
        self.texts
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| t.trim().to_string())
            .or_else(|| {
                let specs = self.scenario.specs();
                specs
                    .iter()
                    .find(|s| s.name == name)
                    .map(|s| s.default.into())
            })
            .unwrap_or_default()
    }
}

/// `one_after_another` as words: `one after another`.
fn words(s: &str) -> String {
    s.replace('_', " ")
}

/// What tells each run apart, in words (`mode gather`): the values that differ, or the scenario
/// when they are not the same one. The same program run twice gives "the pinned run" and "this
/// run" (real runs differ even so).
pub fn labels(pinned: &Side<'_>, current: &Side<'_>) -> (String, String) {
    if pinned.scenario.id != current.scenario.id {
        return (pinned.scenario.id.into(), current.scenario.id.into());
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for spec in current.scenario.specs() {
        let (x, y) = (pinned.text(spec.name), current.text(spec.name));
        if x != y {
            a.push(format!("{} {}", words(spec.name), words(&x)));
            b.push(format!("{} {}", words(spec.name), words(&y)));
        }
    }
    if a.is_empty() {
        return ("the pinned run".into(), "this run".into());
    }
    (a.join(", "), b.join(", "))
}

/// The comparison in one sentence, from the current run's side: `mode gather: 6.004 s, 3.008 s
/// sooner than mode one after another (9.012 s)`.
pub fn verdict(pinned: &Side<'_>, current: &Side<'_>) -> String {
    let (was, is) = labels(pinned, current);
    verdict_of(&was, &is, pinned.elapsed, current.elapsed)
}

/// The comparison in one sentence, of two runs told apart by `was` and `is`.
pub fn verdict_of(was: &str, is: &str, pinned: f64, current: f64) -> String {
    let d = current - pinned;
    let by = seconds_ms(d.abs());
    let how = if by == "0" {
        "the same time as".to_string()
    } else if d < 0.0 {
        format!("{by} s sooner than")
    } else {
        format!("{by} s later than")
    };
    format!(
        "{is}: {} s, {how} {was} ({} s)",
        seconds_ms(current),
        seconds_ms(pinned)
    )
}

/// What tells two programs apart, in words: where they first differ, as each has it (`line 11
/// “await step(2)”`), and how many more lines differ (the lines both share at the start and at
/// the end are set aside); `None` for the same program.
pub fn program_labels(pinned: &str, current: &str) -> Option<(String, String)> {
    let (a, b): (Vec<&str>, Vec<&str>) = (pinned.lines().collect(), current.lines().collect());
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    if a.is_empty() && b.is_empty() {
        return None;
    }
    let line = head + 1;
    let side = |lines: &[&str], other: &[&str]| -> String {
        let Some(first) = lines.first() else {
            let n = other.len();
            return format!(
                "without line{} {line}{}",
                if n == 1 { "" } else { "s" },
                if n == 1 {
                    String::new()
                } else {
                    format!("–{}", line + n - 1)
                }
            );
        };
        let text = first.trim();
        let text: String = if text.chars().count() > 40 {
            text.chars().take(39).chain(['…']).collect()
        } else {
            text.to_string()
        };
        let more = match lines.len() {
            1 => String::new(),
            2 => " (and 1 more line)".to_string(),
            n => format!(" (and {} more lines)", n - 1),
        };
        format!("line {line} “{text}”{more}")
    };
    Some((side(a, b), side(b, a)))
}

/// The contrast a scenario offers for the values `texts`: the field to change, its new text,
/// and the button's words. It is the next choice of the scenario's first choice field (not the
/// shutdown one); a scenario without one is compared with itself, run again.
pub fn contrast(
    scenario: &'static ScenarioInfo,
    texts: &[(&'static str, String)],
) -> Option<(&'static str, String, String)> {
    let side = Side {
        scenario,
        texts,
        elapsed: 0.0,
    };
    let specs = scenario.specs();
    let choice = specs.iter().find_map(|s| match s.kind {
        Kind::Choice(options) if s.name != "on_main_return" && options.len() > 1 => {
            Some((s.name, options))
        }
        _ => None,
    });
    let (name, options) = choice?;
    let now = side.text(name);
    let at = options.iter().position(|o| *o == now).unwrap_or(0);
    let next = options[(at + 1) % options.len()];
    Some((
        name,
        next.to_string(),
        format!("Compare with {}", words(next)),
    ))
}

impl Timeline {
    /// The same timeline on an axis from 0 to `span` (at least its own), so that two runs drawn
    /// one above the other share one time axis.
    pub fn on_axis(&self, span: f64) -> Timeline {
        let span = span.max(self.span);
        Timeline {
            span,
            ticks: ticks(span),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::lang::scenarios::find;

    fn side(
        id: &str,
        texts: &[(&'static str, &str)],
        elapsed: f64,
    ) -> (&'static ScenarioInfo, Vec<(&'static str, String)>, f64) {
        let scenario = find(id).expect("a scenario");
        (
            scenario,
            texts.iter().map(|(n, t)| (*n, t.to_string())).collect(),
            elapsed,
        )
    }

    #[test]
    fn cooking_gathered_is_three_seconds_sooner_than_one_after_another() {
        let (s, a, _) = side(
            "cooking",
            &[("mode", "one_after_another"), ("speed", "20")],
            9.0,
        );
        let (_, b, _) = side("cooking", &[("mode", "gather"), ("speed", "20")], 6.0);
        let pinned = Side {
            scenario: s,
            texts: &a,
            elapsed: 9.012,
        };
        let current = Side {
            scenario: s,
            texts: &b,
            elapsed: 6.004,
        };
        assert_eq!(
            labels(&pinned, &current),
            ("mode one after another".into(), "mode gather".into())
        );
        assert_eq!(
            verdict(&pinned, &current),
            "mode gather: 6.004 s, 3.008 s sooner than mode one after another (9.012 s)"
        );
        // And the other way round.
        assert_eq!(
            verdict(&current, &pinned),
            "mode one after another: 9.012 s, 3.008 s later than mode gather (6.004 s)"
        );
    }

    #[test]
    fn a_default_counts_as_given_and_the_same_values_are_told_apart_by_order() {
        let (s, a, _) = side("cooking", &[], 0.0);
        let (_, b, _) = side(
            "cooking",
            &[("mode", "one_after_another"), ("durations", " 3,6 ")],
            0.0,
        );
        let pinned = Side {
            scenario: s,
            texts: &a,
            elapsed: 9.0,
        };
        let current = Side {
            scenario: s,
            texts: &b,
            elapsed: 9.0004,
        };
        assert_eq!(
            labels(&pinned, &current),
            ("the pinned run".into(), "this run".into())
        );
        assert_eq!(
            verdict(&pinned, &current),
            "this run: 9 s, the same time as the pinned run (9 s)"
        );
        let (other, c, _) = side("hello-world", &[], 2.0);
        let third = Side {
            scenario: other,
            texts: &c,
            elapsed: 2.0,
        };
        assert_eq!(
            labels(&pinned, &third),
            ("cooking".into(), "hello-world".into())
        );
    }

    #[test]
    fn two_programs_are_told_apart_by_where_they_differ() {
        let one = "import asyncio\nasync def main():\n    a = await f(1)\n    b = await f(2)\n    print(a, b)\n";
        let two = "import asyncio\nasync def main():\n    a, b = await asyncio.gather(f(1), f(2))\n    print(a, b)\n";
        assert_eq!(
            program_labels(one, two),
            Some((
                "line 3 “a = await f(1)” (and 1 more line)".into(),
                "line 3 “a, b = await asyncio.gather(f(1), f(2))”".into()
            ))
        );
        assert_eq!(program_labels(one, one), None);
        let shorter = "import asyncio\nasync def main():\n    a = await f(1)\n    print(a, b)\n";
        assert_eq!(
            program_labels(one, shorter),
            Some(("line 4 “b = await f(2)”".into(), "without line 4".into()))
        );
        let long = format!("x = '{}'\n", "y".repeat(60));
        assert_eq!(
            program_labels("", &long).map(|l| l.1.chars().count()),
            Some("line 1 “”".chars().count() + 40)
        );
        assert_eq!(
            verdict_of("line 4 “b”", "line 4 “c”", 3.0, 2.0),
            "line 4 “c”: 2 s, 1 s sooner than line 4 “b” (3 s)"
        );
    }

    #[test]
    fn each_scenario_with_a_choice_offers_its_next_choice_as_the_contrast() {
        let cooking = find("cooking").expect("cooking");
        assert_eq!(
            contrast(cooking, &[("mode", "gather".into())]),
            Some((
                "mode",
                "one_after_another".into(),
                "Compare with one after another".into()
            ))
        );
        assert_eq!(
            contrast(cooking, &[]),
            Some(("mode", "gather".into(), "Compare with gather".into()))
        );
        let bots = find("bot-invitations").expect("bots");
        assert_eq!(
            contrast(bots, &[]).map(|c| c.2),
            Some("Compare with all at once".into())
        );
        // The shutdown choice is not a contrast: fetch-and-count has none.
        assert_eq!(contrast(find("fetch-and-count").expect("f"), &[]), None);
        assert_eq!(contrast(find("hello-world").expect("h"), &[]), None);
    }

    #[test]
    fn a_timeline_on_a_longer_axis_keeps_its_lanes_and_gets_new_ticks() {
        let (trace, _) = crate::engine::exec::sim::ideal(
            find("cooking").expect("c"),
            &find("cooking").expect("c").defaults(),
        );
        let ideal = crate::engine::view::timeline::Ideal::of(None);
        let t =
            crate::engine::view::layout::layout(&trace, &ideal, trace.elapsed(), 10, Vec::new());
        assert!(t.span >= 9.0);
        let wide = t.on_axis(20.0);
        assert_eq!(wide.span, 20.0);
        assert_eq!(wide.ticks, ticks(20.0));
        assert_eq!(wide.lanes, t.lanes);
        assert_eq!(t.on_axis(3.0).span, t.span, "never shorter than its own");
    }
}
