//! The page's parts.

pub mod code;
#[cfg(feature = "studio")]
pub mod compare;
pub mod console;
pub mod cursor;
pub mod figures;
pub mod params;
#[cfg(feature = "studio")]
pub mod predict;
pub mod timeline;
