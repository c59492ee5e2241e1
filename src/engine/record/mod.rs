//! What happened: the events a run records (tasks, polls, pauses, wakes, timers, prints, ends)
//! and the incremental fold that reads each of them once into lanes, figures, the console, the
//! code marks and the event loop's busy spans.

pub mod fold;
pub mod stretches;
pub mod trace;
