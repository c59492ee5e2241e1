//! The pure part of Interleave: everything that decides *what happens*.
//!
//! Nothing in here may use a web crate; `cargo test` builds and runs it natively, in seconds.
//! The browser shell in `crate::web` only renders what this module computes and feeds it the
//! browser's clock and timers.

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod divergence;
pub mod event_loop;
pub mod export;
pub mod fold;
pub mod interp;
pub mod listing;
pub mod params;
pub mod program;
pub mod report;
pub mod rng;
pub mod runtime;
pub mod scenarios;
pub mod sim;
pub mod timeline;
pub mod timers;
pub mod trace;
pub mod url;
pub mod value;
