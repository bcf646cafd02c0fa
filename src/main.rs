//! The one binary of kafkascope.
//!
//! Built for `wasm32` (by Trunk) it mounts the web app; built natively it is the CLI
//! (`kafkascope partition | assign | replay`), the headless twin of the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    // Debug builds (`./x serve`) report a panic's message in the browser console. Release
    // builds leave it out to stay inside the download budget: a panic (a bug) still shows as
    // a console error ("unreachable"), only without the message.
    #[cfg(debug_assertions)]
    std::panic::set_hook(Box::new(|info| {
        leptos::logging::error!("kafkascope panicked: {info}")
    }));
    kafkascope::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(kafkascope::cli::main(std::env::args().skip(1).collect()));
}
