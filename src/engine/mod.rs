//! The pure part of Interleave: everything that decides *what happens*.
//!
//! Nothing in here may use a web crate; `cargo test` builds and runs it natively, in seconds.
//! The browser shell in `crate::web` only renders what this module computes and feeds it the
//! browser's clock and timers. The folders follow the data, each importing only those above
//! it in this list (see ARCHITECTURE.md):
//!
//! - [`lang`]: what a program is: the program model, values, parameters, listings, the catalog;
//! - [`record`]: what happened: the events a run records, and their incremental fold;
//! - [`exec`]: how a program runs: asyncio's loop, the interpreter, the virtual clock;
//! - [`view`]: what the page draws: the timeline's layout, figures, where runs diverge;
//! - [`edges`]: where data leaves or enters: share links, exports, the command line.

pub mod edges;
pub mod exec;
pub mod lang;
pub mod record;
pub mod view;
