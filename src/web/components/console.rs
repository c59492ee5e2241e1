use std::rc::Rc;

use yew::prelude::*;

use crate::engine::lang::value::seconds_ms;
use crate::engine::record::trace::round_us;
use crate::engine::view::presenter::ConsoleLine;

#[derive(Properties)]
pub struct ConsoleProps {
    pub lines: Rc<Vec<ConsoleLine>>,
    pub warnings: Rc<Vec<String>>,
    /// Earlier lines not shown.
    pub hidden: u64,
}

impl PartialEq for ConsoleProps {
    fn eq(&self, other: &Self) -> bool {
        // The same lines are the same `Rc` from frame to frame: no need to read them all.
        (Rc::ptr_eq(&self.lines, &other.lines) || self.lines == other.lines)
            && (Rc::ptr_eq(&self.warnings, &other.warnings) || self.warnings == other.warnings)
            && self.hidden == other.hidden
    }
}

/// What the tasks printed, in order, each with its scenario time and task; follows the newest.
#[component]
pub fn Console(props: &ConsoleProps) -> Html {
    let list = use_node_ref();
    {
        let list = list.clone();
        use_effect_with(props.lines.len(), move |_| {
            if let Some(el) = list.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    html! {
        <section class="panel console-panel" aria-labelledby="console-title">
            <h3 id="console-title">{ "Console" }<span class="count">{ props.lines.len() as u64 + props.hidden }</span></h3>
            <ol class="console" data-testid="console" ref={list} aria-live="off">
                if props.hidden > 0 {
                    <li class="console-empty">{ format!("… {} earlier lines not shown", props.hidden) }</li>
                }
                if props.lines.is_empty() {
                    <li class="console-empty">{ "Nothing printed yet." }</li>
                }
                { for props.lines.iter().map(|l| html! {
                    <li class="console-line" data-testid="console-line"
                        data-time={round_us(l.at).to_string()} data-task={l.task.to_string()}>
                        <span class="at">{ format!("{:>7} s", format!("{:.3}", l.at)) }</span>
                        <span class={classes!("who", format!("tint-{}", l.task % 6))}>{ l.task_name.to_string() }</span>
                        <span class="text">{ l.text.to_string() }</span>
                    </li>
                }) }
                { for props.warnings.iter().map(|w| html! {
                    <li class="console-warning" role="note"><span class="at">{ "warning" }</span><span class="text">{ w.clone() }</span></li>
                }) }
            </ol>
        </section>
    }
}

/// `2.25 s` style, for figures.
pub fn secs(t: f64) -> String {
    format!("{} s", seconds_ms(t))
}
