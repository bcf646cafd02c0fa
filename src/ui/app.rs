//! The layout shell: header on top, the time controls under it, then the workspace with the
//! stage (topic lanes) on the left and the side panel (groups and consumers) on the right.
//! Each region is its own component, in its own file; this one only places them.

use leptos::prelude::*;

use super::controls_bar::{ControlsBar, Playback};
use super::header::Header;
use super::side_panel::SidePanel;
use super::stage::Stage;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let playback = Playback::new();

    view! {
        <div class="app-shell">
            <Header />
            <ControlsBar playback=playback />
            <main class="workspace">
                <Stage />
                <SidePanel />
            </main>
        </div>
    }
}
