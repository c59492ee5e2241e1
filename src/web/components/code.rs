use std::rc::Rc;

use yew::prelude::*;

use crate::engine::lang::listing::Listing;
use crate::engine::view::presenter::Marks;

#[derive(Properties, PartialEq)]
pub struct CodeProps {
    pub python: Rc<Listing>,
    pub rust: Rc<Listing>,
    pub current: Rc<Marks>,
}

#[derive(Properties, PartialEq)]
struct LineProps {
    number: usize,
    text: AttrValue,
    /// The tasks at this line, if any.
    here: Option<String>,
}

/// One line of a listing: redrawn only when its text or the tasks at it change.
#[component]
fn CodeLine(props: &LineProps) -> Html {
    html! {
        <span class={classes!("line", props.here.is_some().then_some("current"))} data-line={props.number.to_string()}>
            <span class="ln" aria-hidden="true">{ props.number }</span>
            <span class="src">{ props.text.clone() }</span>
            if let Some(who) = &props.here {
                <span class="here">{ format!("◀ {who}") }</span>
            }
            { "\n" }
        </span>
    }
}

/// The program as Python and as Rust, with the line each task is at highlighted.
#[component]
pub fn Code(props: &CodeProps) -> Html {
    let rust = use_state(|| false);
    let (listing, current) = if *rust {
        (&props.rust, &props.current.1)
    } else {
        (&props.python, &props.current.0)
    };
    let tab = |is_rust: bool, label: &'static str| {
        let state = rust.clone();
        let onclick = Callback::from(move |_| state.set(is_rust));
        html! {
            <button type="button" role="tab" class="tab" aria-controls="code-listing" aria-selected={(*rust == is_rust).to_string()} {onclick}>{ label }</button>
        }
    };
    html! {
        <section class="panel code-panel" aria-labelledby="code-title">
            <div class="panel-head">
                <h3 id="code-title">{ "Code" }</h3>
                <div class="tabs" role="tablist">
                    { tab(false, "Python (asyncio)") }
                    { tab(true, "Rust (what runs)") }
                </div>
            </div>
            <pre class="code" data-testid="code" id="code-listing" role="tabpanel" tabindex="0"
                aria-label={if *rust { "the program as Rust" } else { "the program as Python" }}><code>
                { for listing.lines.iter().enumerate().map(|(i, line)| {
                    let here = current.iter().find(|(l, _)| *l == i).map(|(_, who)| who.clone());
                    html! { <CodeLine key={i} number={i + 1} text={AttrValue::from(line.clone())} {here} /> }
                }) }
            </code></pre>
        </section>
    }
}
