//! Entry point: mounts the Yew app in the browser; natively, the command line
//! (`interleave catalog --json`, `listing`, `run`, `export`: see `engine::cli`).

// Counting, so code mode's interpreter can cap a program's memory (see `engine::exec::memory`).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: interleave::engine::exec::memory::Counting =
    interleave::engine::exec::memory::Counting;

#[cfg(target_arch = "wasm32")]
fn main() {
    interleave::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use std::io::Write;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let output = interleave::engine::edges::cli::run(&args);
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = std::io::stdout().write_all(output.out.as_bytes());
    let _ = std::io::stderr().write_all(output.err.as_bytes());
    std::process::exit(output.status);
}
