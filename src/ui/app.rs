//! The page: header, time controls, then the workspace — topics (lanes and producer) and the
//! event log on the left; consumer groups and the inspector on the right. This file creates
//! the simulation handle, starts the clock and the keyboard shortcuts, and places the regions.

use leptos::prelude::*;

use super::cluster_panel::ClusterPanel;
use super::controls_bar::ControlsBar;
use super::event_log::EventLog;
use super::group_panel::GroupPanel;
use super::header::Header;
use super::help::{install_shortcuts, HelpOverlay};
use super::inspector::Inspector;
use super::lesson_panel::LessonPanel;
use super::notice::NoticeBar;
use super::producer_panel::{ProduceAction, ProducerPanel};
use super::scenario_bar::ScenarioBar;
use super::session::{self, PageParams};
use super::sim::{start_clock, Sim};
use super::topics_stage::TopicsStage;
use crate::course::lessons::lesson;
use crate::course::presets::{preset, DEFAULT_PRESET};

/// The whole page. What it starts with comes from the address (a share link, a lesson, a
/// preset), else the autosave, else the playground.
#[component]
pub fn App() -> impl IntoView {
    let params = PageParams::from_location();
    let sim = Sim::new(preset(DEFAULT_PRESET).expect("the default preset parses (tested)"))
        .expect("the default preset runs (tested)");
    let mut problem = None;
    if let Some(id) = &params.lesson {
        problem = lesson(id).and_then(|l| sim.start_lesson(l)).err();
    } else if let Some(id) = &params.scenario {
        problem = preset(id).and_then(|s| sim.load_scenario(s)).err();
    } else if params.share.is_none() && !params.embed {
        session::restore_autosave(sim);
    }
    if let Some(e) = problem {
        sim.show(format!("{e}. Showing the playground instead."), true);
    }
    if let Some(data) = params.share.clone() {
        session::open_share(sim, data);
    }
    // A share link pasted into the address bar of an open page.
    let hashchange = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(data) = PageParams::from_location().share {
            session::open_share(sim, data);
        }
    });
    on_cleanup(move || hashchange.remove());
    if !params.embed {
        session::start_autosave(sim);
    }
    provide_context(sim);
    provide_context(super::topic_lanes::FastStage::new(sim));
    let produce = ProduceAction(StoredValue::new(None));
    provide_context(produce);
    let help_open = RwSignal::new(false);
    install_shortcuts(sim, help_open, produce);
    start_clock(sim);

    view! {
        <div class="app-shell" class:embed=params.embed>
            <Header />
            <ScenarioBar embed=params.embed />
            <ControlsBar playback=sim.playback />
            // Wide, the groups and the inspector are a column beside the others; below 900 px
            // everything is one column in this order, so the groups come right after the
            // topics (the panel most lesson steps say to watch) and tab order matches.
            <main class="workspace">
                <LessonPanel />
                // The topics first: they are what every lesson starts from (a default world
                // is one broker, and its cluster panel would push the lanes off screen).
                <TopicsStage />
                <div class="side-column">
                    <GroupPanel />
                    <Inspector />
                </div>
                <ProducerPanel />
                <ClusterPanel />
                <EventLog />
            </main>
            <NoticeBar />
            <HelpOverlay open=help_open />
        </div>
    }
}
