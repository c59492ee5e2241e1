//! Tier 2: tests that run inside headless Chromium through wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .expect("performance.now is available in a browser")
}

#[wasm_bindgen_test]
async fn a_timer_really_fires_on_the_browsers_event_loop() {
    let start = now_ms();
    TimeoutFuture::new(60).await;
    let waited = now_ms() - start;
    // A real setTimeout never fires early; late is allowed on a loaded machine.
    assert!(
        waited >= 59.0,
        "timer fired after {waited} ms, before its 60 ms"
    );
}

#[wasm_bindgen_test]
async fn timers_due_in_order_fire_in_order() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let order = Rc::new(RefCell::new(Vec::new()));
    for (label, delay) in [("c", 30u32), ("a", 10), ("b", 20)] {
        let order = order.clone();
        wasm_bindgen_futures::spawn_local(async move {
            TimeoutFuture::new(delay).await;
            order.borrow_mut().push(label);
        });
    }
    TimeoutFuture::new(80).await;
    assert_eq!(*order.borrow(), ["a", "b", "c"]);
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_lists_every_scenario() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<interleave::web::App>::with_root(root.clone()).render();
    // Yew renders on its own scheduler; one turn of the event loop lets it finish.
    TimeoutFuture::new(0).await;

    let items = root
        .query_selector_all("[data-testid=scenario-item]")
        .unwrap();
    assert_eq!(
        items.length() as usize,
        interleave::engine::scenarios::CATALOG.len()
    );
    let first = items
        .item(0)
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    assert_eq!(
        first.get_attribute("data-id").as_deref(),
        Some("hello-world")
    );
    assert_eq!(first.get_attribute("aria-current").as_deref(), Some("true"));

    // Picking another scenario moves the selection and retitles the stage.
    let third = items
        .item(2)
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap();
    third.click();
    TimeoutFuture::new(0).await;
    assert_eq!(third.get_attribute("aria-current").as_deref(), Some("true"));
    assert_eq!(first.get_attribute("aria-current"), None);
    let title = root.query_selector("#stage-title").unwrap().unwrap();
    assert_eq!(
        title.text_content().as_deref(),
        Some("Two tasks interleaving")
    );
    root.remove();
}
