//! How the overall statuses of a view's commitments evolved: a stacked bar
//! per month, drawn as SVG on the server (so it shows without JavaScript and
//! prints), with the same figures in a table for screen readers and for
//! anyone who prefers numbers.

use leptos::prelude::*;

use crate::locale::{date, number, text, tr, tr_with, use_locale};
use domain::{Locale, Status, StatusSnapshot};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 8.0;

/// The colour each status has in charts and images. Shapes and labels carry
/// the meaning too: the legend and the table name every status. On pages the
/// stylesheet's `fill-…` classes take over (they follow the colour scheme);
/// this is the colour where no stylesheet applies.
pub fn status_colour(status: Status) -> &'static str {
    match status {
        Status::NotYetRated => "#8a95a3",
        Status::InProgress => "#2f6fbf",
        Status::Stalled => "#c98a12",
        Status::PartlyFulfilled => "#1d8a9b",
        Status::Fulfilled => "#2e8b4a",
        Status::NotFulfilled => "#b83232",
    }
}

/// A compact axis label: "Nov 2025" (2025.11 in Korean and Chinese) for
/// month-end snapshots, the day too for the last one (today).
fn column_label(locale: Locale, snapshot: &StatusSnapshot, last: bool) -> String {
    use chrono::Datelike;
    let on = snapshot.on;
    let args = [
        ("year", text(on.year().to_string())),
        ("month-short", text(tr(locale, &format!("month-short-{}", on.month())))),
        ("day", text(on.day().to_string())),
    ];
    tr_with(locale, if last { "chart-day" } else { "chart-month" }, &args)
}

#[component]
pub fn StatusChart(history: Vec<StatusSnapshot>) -> impl IntoView {
    let locale = use_locale();
    if history.is_empty() {
        return view! { <p class="hint">{tr(locale, "chart-empty")}</p> }.into_any();
    }
    let max_total = history.iter().map(StatusSnapshot::total).max().unwrap_or(0).max(1);
    let columns = history.len() as f64;
    let plot_width = WIDTH - LEFT - 8.0;
    let plot_height = HEIGHT - BOTTOM - TOP;
    let slot = plot_width / columns;
    let bar_width = (slot * 0.7).min(48.0);
    let last_index = history.len() - 1;
    // Label at most ~8 columns so the axis stays legible.
    let label_every = history.len().div_ceil(8);

    let bars = history
        .iter()
        .enumerate()
        .map(|(index, snapshot)| {
            let x = LEFT + slot * index as f64 + (slot - bar_width) / 2.0;
            let mut y = TOP + plot_height;
            let label = column_label(locale, snapshot, index == last_index);
            let segments = Status::ALL
                .iter()
                .zip(&snapshot.counts)
                .filter(|(_, count)| **count > 0)
                .map(|(status, count)| {
                    let h = plot_height * (*count as f64) / (max_total as f64);
                    y -= h;
                    view! {
                        <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar_width:.1}")
                            height=format!("{h:.1}") fill=status_colour(*status)
                            class=format!("fill-{}", status.code())>
                            <title>{tr_with(locale, "chart-bar-title", &[("date", text(label.clone())), ("count", number(*count as f64)), ("status", text(i18n::status_label(locale, *status)))])}</title>
                        </rect>
                    }
                })
                .collect_view();
            let show_label = index == last_index || index % label_every == 0;
            let text = show_label.then(|| {
                view! {
                    <text x=format!("{:.1}", x + bar_width / 2.0) y=format!("{:.1}", HEIGHT - 10.0)
                        text-anchor="middle" class="chart-axis">{label.clone()}</text>
                }
            });
            view! { <g>{segments}{text}</g> }
        })
        .collect_view();

    let ticks = [0, max_total / 2, max_total]
        .into_iter()
        .map(|value| {
            let y = TOP + plot_height - plot_height * value as f64 / max_total as f64;
            view! {
                <g>
                    <line x1=format!("{LEFT:.1}") x2=format!("{:.1}", WIDTH - 8.0) y1=format!("{y:.1}")
                        y2=format!("{y:.1}") class="chart-grid" />
                    <text x=format!("{:.1}", LEFT - 6.0) y=format!("{:.1}", y + 4.0) text-anchor="end"
                        class="chart-axis">{value}</text>
                </g>
            }
        })
        .collect_view();

    let first = history.first().map(|s| date(locale, s.on)).unwrap_or_default();
    let latest = history.last().map(|s| date(locale, s.on)).unwrap_or_default();
    let summary = tr_with(
        locale,
        "chart-summary",
        &[("first", text(first)), ("latest", text(latest))],
    );
    let table_rows = history
        .iter()
        .enumerate()
        .map(|(index, snapshot)| {
            view! {
                <tr>
                    <th scope="row">{column_label(locale, snapshot, index == last_index)}</th>
                    {snapshot.counts.iter().map(|count| view! { <td>{*count}</td> }).collect_view()}
                    <td>{snapshot.total()}</td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <figure class="status-chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby="status-chart-title status-chart-desc"
                preserveAspectRatio="xMidYMid meet">
                <title id="status-chart-title">{tr(locale, "chart-title")}</title>
                <desc id="status-chart-desc">{summary}</desc>
                {ticks}
                {bars}
            </svg>
            <figcaption>
                <ul class="chart-legend">
                    {Status::ALL
                        .iter()
                        .map(|status| {
                            view! {
                                <li>
                                    <span class=format!("swatch fill-{}", status.code())></span>
                                    {i18n::status_label(locale, *status)}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <details class="chart-table">
                    <summary>{tr(locale, "chart-table-summary")}</summary>
                    <div class="table-scroll">
                        <table>
                            <caption>{tr(locale, "chart-table-caption")}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{tr(locale, "chart-table-date")}</th>
                                    {Status::ALL.iter().map(|s| view! { <th scope="col">{i18n::status_label(locale, *s)}</th> }).collect_view()}
                                    <th scope="col">{tr(locale, "chart-table-total")}</th>
                                </tr>
                            </thead>
                            <tbody>{table_rows}</tbody>
                        </table>
                    </div>
                </details>
            </figcaption>
        </figure>
    }
    .into_any()
}
