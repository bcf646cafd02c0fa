//! Where a session comes from and where it goes: the page's URL, share links, the autosave,
//! and scenario files.
//!
//! * `?scenario=<preset>` starts a preset, `?lesson=<id>` a guided lesson, `?embed=1` the
//!   minimal chrome for an iframe; `#s=<data>` is a share link: a [`Saved`] session,
//!   compressed (deflate-raw) and base64url-encoded. It wins over the query.
//! * The autosave keeps the session in localStorage (not in embed mode, where several
//!   iframes would overwrite each other), so a reload comes back where the learner was.
//! * Export writes the session as a scenario file; import reads a scenario or a session.
//!
//! Compression, downloads, the clipboard and the file picker are browser features reached
//! through a few lines of JavaScript in index.html (`window.kafkascope`), which costs the
//! page no wasm. Anything that arrives is checked by [`Saved::from_json`] /
//! [`Scenario::from_json`] first: a bad link, file or stored state gives one message and
//! leaves the current session as it was.

use super::sim::Sim;
use crate::course::saved::Saved;
use crate::sim::scenario::{Scenario, MAX_SCENARIO_BYTES};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// localStorage key of the autosave.
pub const AUTOSAVE_KEY: &str = "kafkascope.session";
/// Longest share link payload accepted or produced (characters after `#s=`).
pub const MAX_LINK_CHARS: usize = 200_000;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = kafkascope, js_name = pack)]
    fn js_pack(text: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_namespace = kafkascope, js_name = unpack)]
    fn js_unpack(data: &str, limit: u32) -> js_sys::Promise;
    #[wasm_bindgen(js_namespace = kafkascope, js_name = download)]
    fn js_download(name: &str, text: &str);
    #[wasm_bindgen(js_namespace = kafkascope, js_name = copy)]
    fn js_copy(text: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_namespace = kafkascope, js_name = pick)]
    fn js_pick(limit: u32) -> js_sys::Promise;
}

/// Awaits a promise of a string; a rejection becomes its message.
async fn settle(promise: js_sys::Promise) -> Result<String, String> {
    match JsFuture::from(promise).await {
        Ok(v) => Ok(v.as_string().unwrap_or_default()),
        Err(e) => Err(js_sys::Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "the browser refused".into())),
    }
}

/// What the page's address asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageParams {
    pub embed: bool,
    pub scenario: Option<String>,
    pub lesson: Option<String>,
    /// The share link's data (after `#s=`).
    pub share: Option<String>,
}

impl PageParams {
    /// Reads `?embed=1&lesson=…&scenario=…#s=…` from the page's address.
    pub fn from_location() -> Self {
        let loc = window().location();
        Self::parse(
            &loc.search().unwrap_or_default(),
            &loc.hash().unwrap_or_default(),
        )
    }

    /// Parses a query string (`?a=b&c`) and a fragment (`#s=…`).
    pub fn parse(search: &str, hash: &str) -> Self {
        let mut p = PageParams::default();
        for pair in search.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = js_sys::decode_uri_component(v)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            match k {
                "embed" => p.embed = v != "0" && v != "false",
                "scenario" if !v.is_empty() => p.scenario = Some(v),
                "lesson" if !v.is_empty() => p.lesson = Some(v),
                _ => {}
            }
        }
        p.share = hash
            .strip_prefix("#s=")
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        p
    }
}

/// Opens a share link's data; on any problem the session stays and a message says why.
pub fn open_share(sim: Sim, data: String) {
    if data.len() > MAX_LINK_CHARS {
        sim.show(
            format!(
                "This share link is too long ({} characters; the limit is {MAX_LINK_CHARS}). Nothing was changed.",
                data.len()
            ),
            true,
        );
        return;
    }
    spawn_local(async move {
        let result = async {
            let text = settle(js_unpack(&data, MAX_SCENARIO_BYTES as u32)).await?;
            sim.load(Saved::from_json(&text)?)
        }
        .await;
        match result {
            Ok(()) => sim.show("Opened the shared session.".into(), false),
            Err(e) => sim.show(
                format!("This share link could not be opened: {e}. Nothing was changed."),
                true,
            ),
        }
    });
}

/// The page's address without its fragment: where a share link points.
fn page_address() -> String {
    let href = window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Packs the session into a link and copies it; `done` gets the link (shown to the learner
/// as well, for browsers that refuse the clipboard).
pub fn share(sim: Sim, done: impl Fn(String) + 'static) {
    let json = sim.saved().to_json();
    spawn_local(async move {
        match settle(js_pack(&json)).await {
            Ok(data) if data.len() > MAX_LINK_CHARS => sim.show(
                "This session is too long for a link: export it as a file instead.".into(),
                true,
            ),
            Ok(data) => {
                let link = format!("{}#s={data}", page_address());
                let copied = settle(js_copy(&link)).await.is_ok();
                sim.show(
                    if copied {
                        "Link copied: it opens this exact session.".into()
                    } else {
                        "Here is the link to this session: copy it from the box.".into()
                    },
                    false,
                );
                done(link);
            }
            Err(e) => sim.show(format!("Could not make a link: {e}"), true),
        }
    });
}

/// Downloads the session as a scenario file (`kafkascope replay` reaches the same state).
pub fn export(sim: Sim) {
    let scenario = sim.export();
    let name = format!(
        "kafkascope-{}.json",
        crate::view::slug(if scenario.name.is_empty() {
            "session"
        } else {
            &scenario.name
        })
    );
    js_download(&name, &scenario.to_json_compact());
}

/// Asks for a file and loads it: a scenario (started from 0) or a saved session.
pub fn import(sim: Sim) {
    spawn_local(async move {
        let result = async {
            let text = settle(js_pick(MAX_SCENARIO_BYTES as u32)).await?;
            if Saved::is_session(&text) {
                sim.load(Saved::from_json(&text)?)
            } else {
                sim.load_scenario(Scenario::from_json(&text)?)
            }
        }
        .await;
        match result {
            Ok(()) => sim.show(format!("Loaded {}.", sim.base_name()), false),
            Err(e) => sim.show(
                format!("This file could not be loaded: {e}. Nothing was changed."),
                true,
            ),
        }
    });
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Brings back the autosaved session, if any. A damaged one is reported and dropped.
pub fn restore_autosave(sim: Sim) {
    let Some(text) = storage().and_then(|s| s.get_item(AUTOSAVE_KEY).ok().flatten()) else {
        return;
    };
    if let Err(e) = Saved::from_json(&text).and_then(|saved| sim.load(saved)) {
        forget_autosave();
        sim.show(
            format!("Your last session could not be restored ({e}); starting fresh."),
            true,
        );
    }
}

pub fn forget_autosave() {
    if let Some(s) = storage() {
        let _ = s.remove_item(AUTOSAVE_KEY);
    }
}

/// Saves the session every 2 s while it changes, and when the page is hidden.
pub fn start_autosave(sim: Sim) {
    let saved_frame = StoredValue::new(u64::MAX);
    let save = move || {
        let frame = sim.frame.get_untracked();
        if frame == saved_frame.get_value() {
            return;
        }
        saved_frame.set_value(frame);
        if let Some(s) = storage() {
            // A full storage quota only costs the autosave.
            let _ = s.set_item(AUTOSAVE_KEY, &sim.saved().to_json());
        }
    };
    let interval = set_interval_with_handle(save, std::time::Duration::from_secs(2)).ok();
    let hide = window_event_listener(leptos::ev::pagehide, move |_| save());
    on_cleanup(move || {
        hide.remove();
        if let Some(i) = interval {
            i.clear();
        }
    });
}
