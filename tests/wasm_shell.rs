//! Component tests of the layout shell, in headless Chromium (wasm-bindgen-test).
//!
//! Run: `./x test wasm`, or `cargo test --target wasm32-unknown-unknown --test wasm_shell`
//! (.cargo/config.toml makes wasm-bindgen-test-runner drive Chromium through chromedriver).
//! Each test mounts a component into a fresh `<div>` of its own and drives the real DOM.
#![cfg(target_arch = "wasm32")]

use kafkascope::ui::controls_bar::{format_speed, parse_speed, ControlsBar, Playback, SPEEDS};
use kafkascope::ui::theme::{Theme, ThemeToggle};
use kafkascope::ui::App;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Event, EventInit, HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` into a new `<div>` appended to `<body>` and returns that div.
fn mount<F, N>(view: F) -> HtmlElement
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let host: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(host.clone(), view).forget();
    host
}

fn find(host: &HtmlElement, selector: &str) -> HtmlElement {
    host.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
        .unchecked_into()
}

fn find_all(host: &HtmlElement, selector: &str) -> Vec<HtmlElement> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn text(el: &HtmlElement) -> String {
    el.text_content().unwrap_or_default().trim().to_string()
}

fn attr(el: &HtmlElement, name: &str) -> String {
    el.get_attribute(name)
        .unwrap_or_else(|| panic!("no attribute {name}"))
}

/// The button whose text contains `label`.
fn button(host: &HtmlElement, label: &str) -> HtmlElement {
    find_all(host, "button")
        .into_iter()
        .find(|b| text(b).contains(label))
        .unwrap_or_else(|| panic!("no button labelled {label}"))
}

#[wasm_bindgen_test]
fn shell_shows_every_region_with_an_accessible_name() {
    let host = mount(App);

    assert_eq!(text(&find(&host, "header h1")), "kafkascope");
    assert!(text(&find(&host, "header .brand-tagline")).contains("Apache Kafka"));
    assert_eq!(
        attr(&find(&host, "[role=toolbar]"), "aria-label"),
        "Time controls"
    );

    let main = find(&host, "main");
    let stage = find(&main, "section.stage");
    let stage_title = find(&host, &format!("#{}", attr(&stage, "aria-labelledby")));
    assert_eq!(text(&stage_title), "Topics");
    let side = find(&main, "aside.side-panel");
    let side_title = find(&host, &format!("#{}", attr(&side, "aria-labelledby")));
    assert_eq!(text(&side_title), "Consumer groups");

    // The app starts playing, so the first button offers to pause.
    for label in ["Pause", "Step", "Dark theme"] {
        button(&host, label);
    }
    // The speed select is named by the label that wraps it.
    let speed_label = find(&host, "label.control-label");
    assert!(text(&speed_label).starts_with("Speed"));
    find(&speed_label, "select");
}

#[wasm_bindgen_test]
async fn play_becomes_pause_and_disables_step() {
    let playback = Playback::new();
    let host = mount(move || view! { <ControlsBar playback /> });
    let play = button(&host, "Play");
    let step = button(&host, "Step");
    let readout = find(&host, "output");
    assert!(text(&readout).contains("Paused"));
    assert!(!step.has_attribute("disabled"));

    play.click();
    tick().await;
    assert!(playback.playing.get_untracked());
    assert_eq!(text(&play), "Pause");
    assert!(text(&readout).contains("Playing"));
    assert_eq!(attr(&readout, "data-playing"), "true");
    assert!(step.has_attribute("disabled"), "no stepping while playing");

    play.click();
    tick().await;
    assert_eq!(text(&play), "Play");
    assert!(!step.has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn step_counts_and_the_speed_select_sets_the_speed() {
    let playback = Playback::new();
    let host = mount(move || view! { <ControlsBar playback /> });
    let readout = find(&host, "output");

    button(&host, "Step").click();
    button(&host, "Step").click();
    tick().await;
    assert_eq!(playback.steps.get_untracked(), 2);
    assert!(text(&readout).contains("step 2"), "{}", text(&readout));

    let select: HtmlSelectElement = find(&host, "select").unchecked_into();
    assert_eq!(select.length() as usize, SPEEDS.len());
    assert_eq!(select.value(), "1", "starts at 1×");
    select.set_value("2");
    let init = EventInit::new();
    init.set_bubbles(true);
    let change = Event::new_with_event_init_dict("change", &init).unwrap();
    select.dispatch_event(&change).unwrap();
    tick().await;
    assert_eq!(playback.speed.get_untracked(), 2.0);
    assert!(text(&readout).contains("2×"), "{}", text(&readout));
}

#[wasm_bindgen_test]
async fn theme_toggle_flips_the_page_theme_and_remembers_it() {
    let root = document().document_element().unwrap();
    root.set_attribute("data-theme", "light").unwrap();
    let host = mount(ThemeToggle);
    let toggle = button(&host, "Dark theme");
    assert_eq!(attr(&toggle, "aria-pressed"), "false");

    toggle.click();
    tick().await;
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    assert_eq!(Theme::current(), Theme::Dark);
    assert_eq!(attr(&toggle, "aria-pressed"), "true");
    let saved = window().local_storage().unwrap().unwrap();
    assert_eq!(
        saved.get_item("kafkascope.theme").unwrap().as_deref(),
        Some("dark")
    );

    toggle.click();
    tick().await;
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("light"));
    assert_eq!(attr(&toggle, "aria-pressed"), "false");
}

#[wasm_bindgen_test]
async fn sending_a_keyed_record_lands_in_its_murmur2_partition_and_says_why() {
    let host = mount(App);
    // The producer starts with key "user-1": murmur2 → partition 2 of 3 (as Java's client).
    button(&host, "Send").click();
    tick().await;
    let reason = text(&find(&host, ".produce-reason"));
    assert!(reason.contains("murmur2"), "{reason}");
    assert!(reason.contains("P2"), "{reason}");
    let lanes = find_all(&host, "section.stage li.lane");
    assert_eq!(lanes.len(), 3);
    assert_eq!(find_all(&lanes[2], ".record-cell").len(), 1);
    assert!(find_all(&lanes[0], ".record-cell").is_empty());
    // The cell gets its title (key and value) when pointed at.
    let cell = find(&lanes[2], ".record-cell");
    assert!(cell.get_attribute("title").is_none());
    let init = EventInit::new();
    init.set_bubbles(true);
    cell.dispatch_event(&Event::new_with_event_init_dict("mouseover", &init).unwrap())
        .unwrap();
    assert!(
        attr(&cell, "title").contains("key \"user-1\""),
        "{}",
        attr(&cell, "title")
    );
}

#[wasm_bindgen_test]
async fn adding_a_consumer_adds_a_card_and_a_refused_command_shows_why() {
    let host = mount(App);
    let cards = || find_all(&host, ".consumer-card").len();
    assert_eq!(cards(), 2, "the starter group has c1 and c2");
    button(&host, "+ consumer").click();
    tick().await;
    assert_eq!(cards(), 3);
    // Creating a topic that exists is refused with Kafka's reason; nothing changes.
    let name: web_sys::HtmlInputElement =
        find(&host, "input[aria-label='new topic name']").unchecked_into();
    name.set_value("orders");
    let init = EventInit::new();
    init.set_bubbles(true);
    name.dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    button(&host, "+ topic").click();
    tick().await;
    let notice = text(&find(&host, "[role=alert]"));
    assert!(notice.contains("already exists"), "{notice}");
    assert_eq!(find_all(&host, "section.stage .topic-card").len(), 1);
}

#[wasm_bindgen_test]
fn speeds_are_formatted_and_clamped() {
    assert_eq!(format_speed(0.25), "0.25×");
    assert_eq!(format_speed(1.0), "1×");
    assert_eq!(parse_speed("5"), 5.0);
    assert_eq!(parse_speed("100"), 10.0);
    assert_eq!(parse_speed("0"), 0.1);
    assert_eq!(parse_speed("fast"), 1.0);
    assert_eq!(parse_speed("NaN"), 1.0);
}
