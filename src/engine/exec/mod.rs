//! How a program runs: asyncio's loop discipline ([`event_loop`]), kept by both runtimes (the
//! virtual clock here, the browser's in the web shell) through the [`runtime::Runtime`] trait;
//! the timer queue; and the interpreter, which steps each task and records what it does.

pub mod event_loop;
pub mod interp;
pub mod memory;
/// Code mode's interpreter: built natively and into the studio, never into the first load.
#[cfg(any(feature = "studio", feature = "bench", not(target_arch = "wasm32")))]
pub mod python;
pub mod runtime;
pub mod sim;
pub mod task;
pub mod timers;
