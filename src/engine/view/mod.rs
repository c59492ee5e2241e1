//! What the page draws, from the record: the timeline's layout (lane order, axis, density band,
//! the event loop's lane), the headline figures, and where a real run's order left the ideal.

pub mod announce;
pub mod app;
pub mod compare;
pub mod divergence;
pub mod figures;
pub mod lane_steps;
pub mod lateness;
pub mod layout;
pub mod moment;
pub mod predict;
pub mod presenter;
pub mod states;
pub mod timeline;
