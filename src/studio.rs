//! The studio's module: the page with its on-demand tools built in (saving and opening runs,
//! exporting the timeline). The page loads it when one of them is first asked for and calls its
//! `take_over` (see `web::studio`); loaded alone it does nothing.

#[cfg(target_arch = "wasm32")]
fn main() {
    // Naming the entry point the page calls links the library, and with it the module's
    // exports, into this binary; nothing else here refers to it.
    std::hint::black_box(interleave::web::studio::take_over as fn(_, _, _, _));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("interleave-studio is a browser module; the command line is `interleave`.");
    std::process::exit(2);
}
