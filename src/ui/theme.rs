//! Light and dark themes. The theme is the `data-theme` attribute on `<html>`: index.html sets
//! it before the first paint (the saved choice, else the system's), [`ThemeToggle`] flips it
//! and remembers the choice in localStorage. Colours come from `styles/tokens.css`.

use leptos::prelude::*;

/// localStorage key of the saved theme; index.html reads the same key.
pub const STORAGE_KEY: &str = "kafkascope.theme";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn toggled(self) -> Self {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }

    /// The theme the page shows now (light when nothing set one).
    pub fn current() -> Self {
        let attr = document()
            .document_element()
            .and_then(|root| root.get_attribute("data-theme"));
        match attr.as_deref() {
            Some("dark") => Theme::Dark,
            _ => Theme::Light,
        }
    }

    /// Shows this theme and remembers it for the next visit (if storage is allowed).
    pub fn apply(self) {
        if let Some(root) = document().document_element() {
            // Setting an attribute on <html> cannot fail for a valid name.
            let _ = root.set_attribute("data-theme", self.as_str());
        }
        if let Ok(Some(storage)) = window().local_storage() {
            // Private windows may refuse storage; the theme still applies for this visit.
            let _ = storage.set_item(STORAGE_KEY, self.as_str());
        }
    }
}

/// A toggle button: pressed = dark theme.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(Theme::current());
    let toggle = move |_| {
        let next = theme.get_untracked().toggled();
        next.apply();
        theme.set(next);
    };

    view! {
        <button
            type="button"
            class="btn theme-toggle"
            aria-pressed=move || (theme.get() == Theme::Dark).to_string()
            title="Switch between the light and the dark theme"
            on:click=toggle
        >
            <svg class="btn-icon" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M20.5 14.2A8.5 8.5 0 0 1 9.8 3.5a8.5 8.5 0 1 0 10.7 10.7z" fill="currentColor" />
            </svg>
            "Dark theme"
        </button>
    }
}
