//! Entry point: mounts the Yew app in the browser.

#[cfg(target_arch = "wasm32")]
fn main() {
    interleave::web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    // The playground only runs in a browser; natively, list what it would offer.
    println!(
        "Interleave is a browser app: `make serve` builds it and serves it on 127.0.0.1:8080."
    );
    println!("Scenarios:");
    for s in &interleave::engine::scenarios::CATALOG {
        println!("  {:<18} {}", s.id, s.summary);
    }
}
