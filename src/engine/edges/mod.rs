//! Where data leaves or enters the engine: the share-link codec, exports (Chrome trace JSON,
//! SVG), and the native command line.

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod export;
pub mod url;
