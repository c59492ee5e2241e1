//! Where data leaves or enters the engine: the share-link codec (and the DEFLATE that packs a
//! program into a link), exports (Chrome trace JSON, SVG), saved runs (and the JSON reader they
//! need), and the native command line.

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod deflate;
pub mod export;
pub mod json;
pub mod runfile;
pub mod url;
