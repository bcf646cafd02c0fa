//! A group's committed lag over time, as an SVG sparkline drawn by hand (no chart library):
//! the line, the current value, the trend and a time-to-catch-up estimate.

use crate::view::sparkline_points;
use leptos::prelude::*;

const W: f64 = 240.0;
const H: f64 = 44.0;

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

#[component]
pub fn LagChart(#[prop(into)] samples: Signal<Vec<(u64, u64)>>, group: String) -> impl IntoView {
    let points = move || samples.with(|s| sparkline_points(s, W, H));
    let summary = move || {
        samples.with(|s| {
            let now = s.last().map_or(0, |v| v.1);
            let (dir, rate) = trend(s);
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
        })
    };
    let max = move || samples.with(|s| s.iter().map(|v| v.1).max().unwrap_or(0));
    view! {
        <figure class="lag-chart">
            <svg
                viewBox=format!("0 0 {W} {H}")
                preserveAspectRatio="none"
                role="img"
                aria-label=format!("committed lag of {group} over time")
            >
                <polyline class="lag-line" fill="none" points=points />
            </svg>
            <figcaption>
                <span class="lag-now">{summary}</span>
                <span class="lag-max">{move || format!("max {}", max())}</span>
            </figcaption>
        </figure>
    }
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
