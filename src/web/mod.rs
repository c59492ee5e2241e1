//! The browser shell: Yew components around the engine. Compiled for `wasm32` only.

mod app;
#[cfg(feature = "bench")]
pub mod bench;
mod code_mode;
mod components;
mod dom;
mod events;
pub mod frames;
mod hooks;
pub mod runtime;
pub mod session;
pub mod studio;

use wasm_bindgen::prelude::wasm_bindgen;

pub use app::App;

#[global_allocator]
static ALLOCATOR: crate::engine::exec::memory::Counting = crate::engine::exec::memory::Counting;

thread_local! {
    /// The app mounted on the page, kept so that it can step aside for the studio.
    static MOUNTED: std::cell::RefCell<Option<yew::AppHandle<App>>> =
        const { std::cell::RefCell::new(None) };
}

/// Mounts the app on the page's `<body>`, after making any panic visible.
pub fn start() {
    // Through Yew, so that its own default hook does not replace this one.
    yew::set_custom_panic_hook(Box::new(on_panic));
    let app = yew::Renderer::<App>::new().render();
    MOUNTED.with(|m| *m.borrow_mut() = Some(app));
}

/// Takes the app off the page: its run stops, its listeners and timers go.
#[cfg_attr(feature = "studio", allow(dead_code))]
fn unmount() {
    if let Some(app) = MOUNTED.with(|m| m.borrow_mut().take()) {
        app.destroy();
    }
}

/// A panic in wasm kills the page; at least say so, plainly, and log what happened.
fn on_panic(info: &std::panic::PanicHookInfo<'_>) {
    let message = info.to_string();
    web_sys::console::error_1(&format!("Interleave stopped: {message}").into());
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    if document.get_element_by_id("panic-banner").is_some() {
        return;
    }
    if let Ok(banner) = document.create_element("div") {
        banner.set_id("panic-banner");
        let _ = banner.set_attribute("role", "alert");
        let _ = banner.set_attribute("data-testid", "panic");
        // Text only: never HTML.
        banner.set_text_content(Some(
            "Interleave hit an internal error and has stopped. Reload the page to start again \
             (the details are in the browser console).",
        ));
        let _ = body.prepend_with_node_1(&banner);
    }
}

/// Timers pending in every browser runtime of the page (for leak checks in tests).
#[wasm_bindgen]
pub fn interleave_live_timers() -> f64 {
    runtime::live_timers_everywhere() as f64
}

/// Task futures alive on the page (for leak checks in tests).
#[wasm_bindgen]
pub fn interleave_live_tasks() -> f64 {
    runtime::live_tasks_everywhere() as f64
}

/// Browser runtimes alive on the page (for leak checks in tests: none once no run is held).
#[wasm_bindgen]
pub fn interleave_live_runtimes() -> f64 {
    runtime::live_runtimes() as f64
}

/// Bytes of the module's heap in use (allocated, not freed).
#[wasm_bindgen]
pub fn interleave_heap_in_use() -> f64 {
    crate::engine::exec::memory::in_use() as f64
}

/// The size of the module's memory in bytes.
#[wasm_bindgen]
pub fn interleave_wasm_memory() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}

/// Panics on purpose, so an end-to-end test can check that a panic is shown, not silent. Not
/// reachable from anything a user or a link can do.
#[wasm_bindgen]
pub fn interleave_test_panic() {
    panic!("a panic on purpose, from the end-to-end tests");
}
