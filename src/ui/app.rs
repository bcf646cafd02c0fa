//! The page: header, time controls, then the workspace — topics (lanes and producer) and the
//! event log on the left; consumer groups and the inspector on the right. This file creates
//! the simulation handle, starts the clock and the keyboard shortcuts, and places the regions.

use leptos::prelude::*;

use super::controls_bar::ControlsBar;
use super::event_log::EventLog;
use super::group_panel::GroupPanel;
use super::header::Header;
use super::help::{install_shortcuts, HelpOverlay};
use super::inspector::Inspector;
use super::notice::NoticeBar;
use super::producer_panel::ProduceAction;
use super::sim::{start_clock, starter_world, Sim};
use super::topics_stage::TopicsStage;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let sim = Sim::new(starter_world());
    provide_context(sim);
    let produce = ProduceAction(StoredValue::new(None));
    provide_context(produce);
    let help_open = RwSignal::new(false);
    install_shortcuts(sim, help_open, produce);
    start_clock(sim);

    view! {
        <div class="app-shell">
            <Header />
            <ControlsBar playback=sim.playback />
            <main class="workspace">
                <div class="main-column">
                    <TopicsStage />
                    <EventLog />
                </div>
                <div class="side-column">
                    <GroupPanel />
                    <Inspector />
                </div>
            </main>
            <NoticeBar />
            <HelpOverlay open=help_open />
        </div>
    }
}
