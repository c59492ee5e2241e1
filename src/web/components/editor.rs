//! Code mode's editor (the studio's): a plain `<textarea>` laid over the same text coloured in a
//! `<pre>`, with line numbers, the line each task is at, and the error marked at its line. The
//! textarea keeps what browsers give for free (typing, selection, the clipboard, undo and redo,
//! screen readers, phones' keyboards, Playwright's `fill`); the keys an editor of Python needs
//! are added through `insertText`, so that they join the browser's own undo history: Tab and
//! Shift-Tab indent and dedent (the line or every selected line), Enter keeps the indent and
//! adds a level after a colon. Escape, then Tab, leaves the editor for the next control.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::engine::lang::python::highlight::tint_line;
use crate::engine::lang::python::lint::Lint;
use crate::engine::lang::python::SyntaxError;

/// One level of indentation.
const INDENT: &str = "    ";

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The program.
    pub source: AttrValue,
    /// Bumped each time the program is replaced rather than typed.
    pub generation: u64,
    /// Why it cannot run, if it cannot.
    pub error: Option<SyntaxError>,
    /// What the program does that learners most often do by mistake.
    pub lints: Rc<Vec<Lint>>,
    /// The tasks at each line (0-based) while a run is shown.
    pub marks: Rc<Vec<(usize, String)>>,
    /// Told of every edit.
    pub on_change: Callback<String>,
    /// Starts the panel's "blank program" over.
    pub on_blank: Callback<()>,
    /// Leaves code mode.
    pub on_leave: Callback<()>,
    /// While a run goes on the program cannot change.
    pub running: bool,
}

/// Inserts `text` over the textarea's selection so that undo takes it back.
fn insert(area: &HtmlTextAreaElement, text: &str) {
    let done = area
        .owner_document()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, text)
                .ok()
        })
        .unwrap_or(false);
    if !done {
        // Without execCommand the edit still happens, outside the undo history.
        let value = area.value();
        let (a, b) = selection(area);
        let (a, b) = (byte_at(&value, a), byte_at(&value, b));
        let next = format!("{}{text}{}", &value[..a], &value[b..]);
        area.set_value(&next);
        let caret = (value[..a].encode_utf16().count() + text.encode_utf16().count()) as u32;
        let _ = area.set_selection_range(caret, caret);
        let _ = area.dispatch_event(
            &web_sys::Event::new("input")
                .unwrap_or_else(|_| web_sys::Event::from(wasm_bindgen::JsValue::NULL)),
        );
    }
}

/// The selection, in UTF-16 units as the DOM counts them.
fn selection(area: &HtmlTextAreaElement) -> (usize, usize) {
    let a = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let b = area.selection_end().ok().flatten().unwrap_or(a as u32) as usize;
    (a.min(b), a.max(b))
}

/// The byte offset of the UTF-16 offset `u` in `s`.
fn byte_at(s: &str, u: usize) -> usize {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        if units >= u {
            return i;
        }
        units += c.len_utf16();
    }
    s.len()
}

fn utf16(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

/// Tab, Shift-Tab and Enter as an editor of Python has them; true if the key was taken.
fn edit_key(area: &HtmlTextAreaElement, e: &KeyboardEvent) -> bool {
    let value = area.value();
    let (a, b) = selection(area);
    let (ba, bb) = (byte_at(&value, a), byte_at(&value, b));
    let line_start = value[..ba].rfind('\n').map_or(0, |i| i + 1);
    match e.key().as_str() {
        "Enter" if !e.shift_key() && !e.ctrl_key() && !e.meta_key() && !e.alt_key() => {
            let line = &value[line_start..ba];
            let indent: String = line.chars().take_while(|c| *c == ' ').collect();
            let extra = if line.trim_end().ends_with(':') {
                INDENT
            } else {
                ""
            };
            insert(area, &format!("\n{indent}{extra}"));
            true
        }
        "Tab" => {
            // A caret indents to the next stop; a selection indents its lines.
            if !e.shift_key() && ba == bb {
                let col = value[line_start..ba].chars().count();
                insert(area, &" ".repeat(4 - col % 4));
                return true;
            }
            // Indent or dedent every line the selection touches.
            let end = value[bb..].find('\n').map_or(value.len(), |i| bb + i);
            let block = &value[line_start..end];
            let changed: Vec<String> = block
                .split('\n')
                .map(|l| {
                    if e.shift_key() {
                        let n = l.chars().take(4).take_while(|c| *c == ' ').count();
                        l[n..].to_string()
                    } else {
                        format!("{INDENT}{l}")
                    }
                })
                .collect();
            let changed = changed.join("\n");
            let from = utf16(&value[..line_start]);
            let _ = area.set_selection_range(from, utf16(&value[..end]));
            insert(area, &changed);
            let _ = area.set_selection_range(from, from + utf16(&changed));
            true
        }
        _ => false,
    }
}

/// The program's editor.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let area = use_node_ref();
    // After Escape, Tab moves focus on instead of indenting.
    let leaving = use_mut_ref(|| Cell::new(false));
    let on_input = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                on_change.emit(t.value());
            }
        })
    };
    let on_key = {
        let area = area.clone();
        let leaving = leaving.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                leaving.borrow().set(true);
                return;
            }
            if e.key() == "Tab" && leaving.borrow().replace(false) {
                return;
            }
            leaving.borrow().set(false);
            if let Some(t) = area.cast::<HtmlTextAreaElement>() {
                if edit_key(&t, &e) {
                    e.prevent_default();
                }
            }
        })
    };
    // The textarea holds what is typed; it is written to only when the program is replaced
    // (code mode opened, a blank start: a new `generation`), so typing keeps its caret and undo
    // history, however far the page's redraws lag behind the keys.
    {
        let area = area.clone();
        let source = props.source.clone();
        use_effect_with(props.generation, move |_| {
            if let Some(t) = area.cast::<HtmlTextAreaElement>() {
                t.set_value(&source);
            }
        });
    }
    let source = props.source.to_string();
    let lines: Vec<&str> = source.split('\n').collect();
    let rows = lines.len().max(8);
    let cols = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) + 2;
    let error_line = props.error.as_ref().map(|e| e.line);
    let mut open = None;
    let highlighted = lines.iter().enumerate().map(|(i, line)| {
        let pieces = tint_line(line, &mut open);
        let here = props.marks.iter().find(|(l, _)| *l == i).map(|(_, who)| who.clone());
        let class = classes!(
            "eline",
            here.is_some().then_some("current"),
            (error_line == Some(i + 1)).then_some("has-error")
        );
        html! {
            <span {class} data-line={(i + 1).to_string()}>
                { for pieces.into_iter().map(|(tint, text)| {
                    let c = tint.class();
                    if c.is_empty() { html! { { text } } } else { html! { <span class={c}>{ text }</span> } }
                }) }
                { "\n" }
            </span>
        }
    });
    let gutter = lines.iter().enumerate().map(|(i, _)| {
        let here = props.marks.iter().find(|(l, _)| *l == i).map(|(_, who)| who.clone());
        let linted = props.lints.iter().any(|l| l.line == i + 1);
        let mark = if error_line == Some(i + 1) {
            Some("error")
        } else if here.is_some() {
            Some("task")
        } else {
            linted.then_some("lint")
        };
        html! {
            <span class={classes!("gl", mark)} title={here.unwrap_or_default()}>{ i + 1 }{ "\n" }</span>
        }
    });
    let blank = props.on_blank.reform(|_: MouseEvent| ());
    let leave = props.on_leave.reform(|_: MouseEvent| ());
    html! {
        <section class="panel code-panel editor-panel" aria-labelledby="code-title">
            <div class="panel-head">
                <h3 id="code-title">{ "Your program" }</h3>
                <div class="editor-actions">
                    <button type="button" class="ghost small" data-testid="blank-program" disabled={props.running} onclick={blank}>{ "Start blank" }</button>
                    <button type="button" class="ghost small" data-testid="leave-code" disabled={props.running} onclick={leave}>{ "Back to the scenario" }</button>
                </div>
            </div>
            <div class="editor" data-testid="editor">
                <pre class="editor-gutter" aria-hidden="true">{ for gutter }</pre>
                <div class="editor-body">
                    <pre class="editor-colour" aria-hidden="true"><code>{ for highlighted }</code></pre>
                    <textarea ref={area} class="editor-input" data-testid="code-editor" aria-label="Your Python program"
                        aria-describedby="editor-keys" aria-invalid={props.error.is_some().to_string()}
                        spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                        rows={rows.to_string()} cols={cols.to_string()} readonly={props.running}
                        oninput={on_input} onkeydown={on_key} />
                </div>
            </div>
            <p class="editor-keys" id="editor-keys">{ "Tab indents, Shift+Tab dedents; Escape then Tab leaves the editor." }</p>
            if !props.lints.is_empty() && props.error.is_none() {
                <ul class="lints" aria-label="What to look at in this program">
                    { for props.lints.iter().map(|l| html! {
                        <li class="lint" data-testid="lint" data-kind={l.kind} data-line={l.line.to_string()}>
                            <span class="lint-where">{ format!("Line {}: ", l.line) }</span>{ l.message.clone() }
                        </li>
                    }) }
                </ul>
            }
            if let Some(e) = &props.error {
                <p class="code-error" role="alert" data-testid="code-error"
                    data-line={e.line.to_string()} data-column={(e.col + 1).to_string()}>
                    <span class="code-error-where">{ format!("Line {}, column {}: ", e.line, e.col + 1) }</span>
                    { e.to_string() }
                </p>
            }
        </section>
    }
}
