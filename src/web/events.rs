//! Reading values out of DOM events without panicking.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The value of the `<input>` or `<select>` an event came from.
pub fn input_value(e: &Event) -> Option<String> {
    let target = e.target()?;
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return Some(input.value());
    }
    target
        .dyn_ref::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
}
