//! The page header: the name, what kafkascope is in one line, and the theme toggle.

use leptos::prelude::*;

use super::theme::ThemeToggle;

pub const TAGLINE: &str =
    "Apache Kafka, live in your browser: partitions, consumer groups, rebalances and lag";

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="app-header">
            <div class="brand">
                <BrandMark />
                <div>
                    <h1 class="brand-name">"kafkascope"</h1>
                    <p class="brand-tagline">{TAGLINE}</p>
                </div>
            </div>
            <ThemeToggle />
        </header>
    }
}

/// Three partition logs of different lengths: the same drawing as public/favicon.svg.
#[component]
fn BrandMark() -> impl IntoView {
    // (row y, number of records, partition colour token)
    const ROWS: [(u32, u32, u32); 3] = [(7, 3, 0), (14, 2, 1), (21, 3, 2)];
    view! {
        <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="7" fill="#17203a" />
            {ROWS
                .iter()
                .map(|&(y, records, partition)| {
                    // CSS variables work in `style`, not in SVG presentation attributes.
                    let style = format!("fill: var(--partition-{partition})");
                    (0..records)
                        .map(|i| {
                            view! {
                                <rect
                                    x=(5 + 6 * i).to_string()
                                    y=y.to_string()
                                    width="5"
                                    height="4"
                                    rx="1"
                                    style=style.clone()
                                />
                            }
                        })
                        .collect_view()
                })
                .collect_view()}
        </svg>
    }
}
