//! The browser shell: Yew components around the engine. Compiled for `wasm32` only.

mod app;
pub mod runtime;

pub use app::App;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
