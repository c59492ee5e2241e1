//! Entry point: mounts the Yew app in the browser; natively, the command line
//! (`interleave catalog --json`, `listing`, `run`, `export`: see `engine::cli`).

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
