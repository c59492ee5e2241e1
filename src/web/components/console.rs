use std::rc::Rc;

use yew::prelude::*;

use crate::engine::lang::value::{fixed, seconds_ms};
use crate::engine::record::trace::round_us;
use crate::engine::view::presenter::ConsoleLine;

#[derive(Properties)]
pub struct ConsoleProps {
    pub lines: Rc<Vec<ConsoleLine>>,
    pub warnings: Rc<Vec<String>>,
    /// Earlier lines not shown.
    pub hidden: u64,
    /// The next line to come, drawn faintly, when the console is read at a time cursor.
    #[prop_or_default]
    pub next: Option<ConsoleLine>,
}

impl PartialEq for ConsoleProps {
    fn eq(&self, other: &Self) -> bool {
        // The same lines are the same `Rc` from frame to frame: no need to read them all.
        (Rc::ptr_eq(&self.lines, &other.lines) || self.lines == other.lines)
            && (Rc::ptr_eq(&self.warnings, &other.warnings) || self.warnings == other.warnings)
            && self.hidden == other.hidden
            && self.next == other.next
    }
}

/// What the tasks printed, in order, each with its scenario time and task; follows the newest.
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    // The list scrolls in a box that starts at its bottom and stays there while lines come
    // (a reversed flex column): following the newest costs no reading of the layout.
    html! {
        <section class="panel console-panel" aria-labelledby="console-title">
            <h3 id="console-title">{ "Console" }<span class="count">{ props.lines.len() as u64 + props.hidden }</span></h3>
            <div class="console-scroll" tabindex="0" aria-label="printed lines">
            <ol class="console" data-testid="console" aria-live="off">
                if props.hidden > 0 {
                    <li class="console-empty">{ format!("… {} earlier lines not shown", props.hidden) }</li>
                }
                if props.lines.is_empty() {
                    <li class="console-empty">{ "Nothing printed yet." }</li>
                }
                { rows(props) }
                if let Some(l) = &props.next {
                    <ConsoleRow key={u64::MAX} line={l.clone()} future={true} />
                }
                { for props.warnings.iter().map(|w| html! {
                    <li class="console-warning"><span class="at">{ "warning" }</span><span class="text">{ w.clone() }</span></li>
                }) }
            </ol>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    line: ConsoleLine,
    /// Printed after the time cursor: drawn faintly.
    future: bool,
}

/// The rows: in the studio, where a program can print without ending its line, the lines a
/// terminal would show on one row are one (see
/// [`console_rows`](crate::engine::view::presenter::console_rows)); the page's scenarios end every
/// line they print, so there each line is a row.
#[cfg(feature = "studio")]
fn rows(props: &ConsoleProps) -> Html {
    let rows = crate::engine::view::presenter::console_rows(&props.lines);
    rows.into_iter()
        .map(
            |(i, l)| html! { <ConsoleRow key={props.hidden + i as u64} line={l} future={false} /> },
        )
        .collect()
}

#[cfg(not(feature = "studio"))]
fn rows(props: &ConsoleProps) -> Html {
    props
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| html! { <ConsoleRow key={props.hidden + i as u64} line={l.clone()} future={false} /> })
        .collect()
}

/// One printed line: drawn once, and kept while it stays the same.
#[component]
fn ConsoleRow(props: &RowProps) -> Html {
    let l = &props.line;
    html! {
        <li class={classes!("console-line", props.future.then_some("future"))} data-testid="console-line"
            data-time={round_us(l.at).to_string()} data-task={l.task.to_string()}
            data-future={props.future.then_some("true")}>
            if props.future {
                <span class="sr-only">{ "next: " }</span>
            }
            <span class="at">{ format!("{:>7} s", fixed(l.at, 3)) }</span>
            <span class={classes!("who", format!("tint-{}", l.task % 6))}>{ l.task_name.to_string() }</span>
            <span class="text">{ l.text.to_string() }</span>
        </li>
    }
}

/// `2.25 s` style, for figures.
pub fn secs(t: f64) -> String {
    format!("{} s", seconds_ms(t))
}
