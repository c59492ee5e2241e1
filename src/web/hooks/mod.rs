//! Custom hooks, one per file.

mod use_animation_frame;
mod use_app;
mod use_space_key;

pub use use_animation_frame::use_animation_frame;
pub use use_app::{use_app, AppHandle};
pub use use_space_key::use_space_key;
