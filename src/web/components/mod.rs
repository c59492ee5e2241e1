//! The page's parts.

pub mod code;
#[cfg(feature = "studio")]
pub mod compare;
pub mod console;
pub mod cursor;
#[cfg(feature = "studio")]
pub mod editor;
pub mod figures;
pub mod params;
#[cfg(feature = "studio")]
pub mod predict;
pub mod timeline;
