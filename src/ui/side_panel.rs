//! The side panel: consumer groups and a card per consumer (member id, assigned partitions,
//! status, records processed, lag). Until the UI is wired to the simulation it says so, and
//! shows the status colours the cards will use.

use leptos::prelude::*;

/// Consumer statuses and their colour tokens (styles/tokens.css).
pub const STATUSES: [(&str, &str); 5] = [
    ("active", "--status-active"),
    ("idle", "--status-idle"),
    ("rebalancing", "--status-rebalancing"),
    ("crashed", "--status-crashed"),
    ("leaving", "--status-leaving"),
];

#[component]
pub fn SidePanel() -> impl IntoView {
    view! {
        <aside class="panel side-panel" aria-labelledby="groups-title">
            <div class="panel-head">
                <h2 class="panel-title" id="groups-title">"Consumer groups"</h2>
            </div>
            <div class="empty-card">
                <p class="empty-card-title">"No consumer groups yet"</p>
                <p>
                    "Each group shows its state and generation, and a card per consumer with its "
                    "member id, assigned partitions, status and lag."
                </p>
            </div>
            <p class="legend-title" id="status-legend-title">"Consumer status"</p>
            <ul class="status-legend" aria-labelledby="status-legend-title">
                {STATUSES
                    .iter()
                    .map(|&(status, token)| {
                        view! {
                            <li>
                                <span
                                    class="status-dot"
                                    style=format!("--dot-colour: var({token})")
                                    aria-hidden="true"
                                ></span>
                                {status}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </aside>
    }
}
