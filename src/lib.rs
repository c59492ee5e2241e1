//! Interleave: a playground that runs asynchronous programs for real on the browser's event loop
//! and draws what every task did on a timeline.
//!
//! The crate has two halves, split so that the compiler keeps them apart:
//!
//! - [`engine`] is pure Rust with no dependency. It owns everything that decides what happens:
//!   the scenario catalog, and (as it grows) the program model, parameters, the interpreter, the
//!   virtual clock and the trace. It is compiled and tested natively with `cargo test`.
//! - `web` (built for `wasm32` only) is the thin browser shell: Yew components and the runtime
//!   that runs scenarios on the browser's own timers. The web crates are target-specific
//!   dependencies in `Cargo.toml`, so a native build cannot reach them by accident.

#![warn(missing_docs)]

pub mod engine;

#[cfg(target_arch = "wasm32")]
pub mod web;
