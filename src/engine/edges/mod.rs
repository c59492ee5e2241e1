//! Where data leaves or enters the engine: the share-link codec, exports (Chrome trace JSON,
//! SVG), saved runs (and the JSON reader they need), and the native command line.

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod export;
pub mod json;
pub mod runfile;
pub mod url;
