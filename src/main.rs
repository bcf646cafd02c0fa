//! The one binary of kafkascope.
//!
//! Built for `wasm32` (by Trunk) it mounts the web app; built natively it is the CLI
//! (`kafkascope partition | assign | replay`), the headless twin of the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    kafkascope::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(kafkascope::cli::main(std::env::args().skip(1).collect()));
}
