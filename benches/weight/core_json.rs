//! The simulation core with scenario JSON, as a wasm module with no UI: a world like
//! `core.rs`'s, loaded from and written back to a scenario (what presets, share links and
//! course authors' files need). `./x bench page` weighs it next to the page.

use kafkascope::sim::scenario::Scenario;

/// Reads the scenario of `len` bytes at `text`, runs it to `ms` and writes it back as JSON;
/// returns the length of its event descriptions and of the JSON (0 if it does not load).
///
/// # Safety
/// `text` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn run(text: *const u8, len: usize, ms: u64) -> usize {
    // SAFETY: the caller passes `len` readable bytes at `text`.
    let bytes = unsafe { std::slice::from_raw_parts(text, len) };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return 0;
    };
    match Scenario::from_json(text) {
        Ok(scenario) => match scenario.start() {
            Ok(mut world) => {
                let described: usize = world
                    .advance_to(ms)
                    .iter()
                    .map(|e| e.describe().len())
                    .sum();
                described + scenario.to_json().len()
            }
            Err(e) => e.len(),
        },
        Err(e) => e.len(),
    }
}

#[allow(dead_code)] // natively this example is only compiled (by `cargo test`), never run
fn main() {}
