//! The page's parts.

pub mod code;
pub mod console;
pub mod cursor;
pub mod figures;
pub mod params;
pub mod timeline;
