use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Calls `toggle` when Space is pressed and no field, button or link has the focus. The
/// listener goes with the component.
#[hook]
pub fn use_space_key(toggle: Callback<()>) {
    let latest = use_mut_ref(|| toggle.clone());
    *latest.borrow_mut() = toggle;
    use_effect_with((), move |_| {
        let listener = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| {
                // Not passive: Space's default (scrolling) is prevented.
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&document, "keydown", options, move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if e.key() != " " || e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    let busy_target = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .map(|el| {
                            let tag = el.tag_name().to_ascii_lowercase();
                            matches!(
                                tag.as_str(),
                                "input" | "select" | "textarea" | "button" | "a" | "summary"
                            ) || el.get_attribute("role").is_some_and(|r| r == "tab")
                        })
                        .unwrap_or(false);
                    if busy_target {
                        return;
                    }
                    e.prevent_default();
                    let toggle = latest.borrow().clone();
                    toggle.emit(());
                })
            });
        move || drop(listener)
    });
}
