//! A horizontal bar chart in hand-written SVG: strict and loose accuracy per name (a family or an
//! instruction id). Bars need no chart library; geometry is in SVG attributes and colours in
//! classes (`batch.css`), so the page's `style-src 'self'` policy holds.

use leptos::prelude::*;

/// Height of one name's row (two bars).
const ROW: f64 = 26.0;
/// Width of the name column.
const LABEL: f64 = 250.0;
/// Width of a 100% bar.
const BAR: f64 = 300.0;

/// The chart of `bars`: `(name, strict accuracy, loose accuracy)`.
#[component]
pub fn BarChart(
    /// The caption (and the SVG's accessible name).
    title: &'static str,
    /// The test id.
    id: &'static str,
    /// `(name, strict accuracy, loose accuracy)`, in display order.
    bars: Signal<Vec<(String, f64, f64)>>,
) -> impl IntoView {
    let height = move || 30.0 + ROW * bars.with(Vec::len) as f64;
    let width = LABEL + BAR + 60.0;
    view! {
        <figure class="bar-chart" data-testid=id>
            <figcaption>
                {title}
                <span class="legend">
                    <span class="swatch strict"></span>" strict "
                    <span class="swatch loose"></span>" loose"
                </span>
            </figcaption>
            <svg
                viewBox=move || format!("0 0 {width} {}", height())
                width=width
                height=height
                role="img"
                aria-label=title
            >
                {move || {
                    bars.get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, (name, strict, loose))| {
                            let y = 20.0 + ROW * i as f64;
                            let label = format!("{name}: strict {:.1}%, loose {:.1}%", 100.0 * strict, 100.0 * loose);
                            let data_name = name.clone();
                            view! {
                                <g class="bar-row" data-name=data_name>
                                    <title>{label}</title>
                                    <text x=LABEL - 6.0 y=y + 14.0 class="bar-label" text-anchor="end">{name}</text>
                                    <rect x=LABEL y=y + 2.0 width=BAR * strict height=10 class="bar strict"></rect>
                                    <rect x=LABEL y=y + 12.0 width=BAR * loose height=10 class="bar loose"></rect>
                                    <text x=LABEL + BAR * strict.max(loose) + 4.0 y=y + 14.0 class="bar-value">
                                        {format!("{:.0}%", 100.0 * strict)}
                                    </text>
                                </g>
                            }
                        })
                        .collect_view()
                }}
                <line x1=LABEL y1=16 x2=LABEL y2=height class="axis"></line>
            </svg>
        </figure>
    }
}
