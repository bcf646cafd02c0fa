//! A group's committed lag over time, as an SVG sparkline drawn by hand (no chart library):
//! the line, the current value, the trend and a time-to-catch-up estimate.

use crate::view::sparkline_points;
use leptos::prelude::*;

const W: f64 = 240.0;
const H: f64 = 44.0;
/// `0 0 W H`, written out (formatting an `f64` would link float formatting into the page).
const VIEW_BOX: &str = "0 0 240 44";

/// Trend over the last few samples: rising, falling or flat, and records per second.
pub fn trend(samples: &[(u64, u64)]) -> (i8, f64) {
    let n = samples.len();
    if n < 2 {
        return (0, 0.0);
    }
    let from = samples[n.saturating_sub(8)];
    let to = samples[n - 1];
    let dt = (to.0 - from.0) as f64 / 1000.0;
    if dt <= 0.0 {
        return (0, 0.0);
    }
    let rate = (to.1 as f64 - from.1 as f64) / dt;
    let dir = if rate > 0.5 {
        1
    } else if rate < -0.5 {
        -1
    } else {
        0
    };
    (dir, rate)
}

/// "lag 120 ↘ · caught up in ≈ 12 s" (or "↗ · +30/s", or "→").
pub fn summary(samples: &[(u64, u64)]) -> String {
    let now = samples.last().map_or(0, |v| v.1);
    let (dir, rate) = trend(samples);
    let arrow = match dir {
        1 => "↗",
        -1 => "↘",
        _ => "→",
    };
    let eta = if dir < 0 && now > 0 {
        format!(
            " · caught up in ≈ {} s",
            (now as f64 / -rate).round() as u64
        )
    } else if dir > 0 {
        format!(" · +{}/s", rate.round() as i64)
    } else {
        String::new()
    };
    format!("lag {now} {arrow}{eta}")
}

#[component]
pub fn LagChart(#[prop(into)] samples: Signal<Vec<(u64, u64)>>, group: String) -> impl IntoView {
    // One reactive block for the whole chart: the line and its caption change together.
    let chart = move || {
        samples.with(|s| {
            let max = s.iter().map(|v| v.1).max().unwrap_or(0);
            view! {
                <svg viewBox=VIEW_BOX preserveAspectRatio="none" role="img" aria-label=format!("committed lag of {group} over time")>
                    <polyline class="lag-line" fill="none" points=sparkline_points(s, W, H) />
                </svg>
                <figcaption>
                    <span class="lag-now">{summary(s)}</span>
                    <span class="lag-max">{format!("max {max}")}</span>
                </figcaption>
            }
        })
    };
    view! { <figure class="lag-chart">{chart}</figure> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trend_reads_the_slope() {
        assert_eq!(trend(&[(0, 0), (1000, 100)]).0, 1);
        assert_eq!(trend(&[(0, 100), (1000, 0)]).0, -1);
        assert_eq!(trend(&[(0, 5), (1000, 5)]).0, 0);
        assert_eq!(trend(&[]).0, 0);
    }
}
