//! The browser shell: Yew components around the engine. Compiled for `wasm32` only.

mod app;
mod components;
mod dom;
mod events;
mod hooks;
pub mod runtime;
pub mod session;
pub mod state;

pub use app::App;

/// Mounts the app on the page's `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
