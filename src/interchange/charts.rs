//! The report's charts, drawn as SVG by plotters: bars over categories, upright or lying down. The text is
//! left to the browser's fonts (plotters' own font feature would link fontconfig), so Vietnamese labels
//! show as the page's other text does.

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

/// A series of bars: one value per label.
pub struct Bars<'a> {
    pub title: &'a str,
    pub labels: Vec<String>,
    /// Drawn first (e.g. tickets taken); `front` is drawn over it (e.g. tickets served).
    pub back: Vec<f64>,
    pub front: Option<Vec<f64>>,
    /// Colours of the bars, "#rrggbb" components.
    pub colours: (RGBColor, RGBColor),
    /// The value axis' greatest value, if fixed (100 for percentages).
    pub max: Option<f64>,
    /// Show at most this many labels along the category axis (a year has 250 working days).
    pub label_count: usize,
}

pub const BLUE: RGBColor = RGBColor(0x9c, 0xc3, 0xe6);
pub const DARK_BLUE: RGBColor = RGBColor(0x1f, 0x5f, 0x99);
pub const GREEN: RGBColor = RGBColor(0x2e, 0x8b, 0x57);
pub const GREY: RGBColor = RGBColor(0xcc, 0xcc, 0xcc);

/// The value axis' end: fixed, or a little above the greatest value and at least 5, whole, so that the
/// axis' labels are whole numbers.
fn top(b: &Bars<'_>) -> f64 {
    let most = b.back.iter().chain(b.front.iter().flatten()).fold(0.0f64, |m, v| m.max(*v));
    b.max.unwrap_or((most * 1.15).max(5.0).ceil())
}

const CAPTION: (&str, u32) = ("sans-serif", 21);
const LABELS: (&str, u32) = ("sans-serif", 16);
const RULE: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

fn label<'a>(labels: &'a [String], v: &SegmentValue<u32>) -> &'a str {
    match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => labels.get(*i as usize).map_or("", String::as_str),
        SegmentValue::Last => "",
    }
}

/// Upright bars, categories along the bottom.
pub fn columns(b: &Bars<'_>, size: (u32, u32)) -> String {
    let mut svg = String::new();
    let n = b.labels.len().max(1) as u32;
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(b.title, CAPTION)
            .margin(10)
            .x_label_area_size(32)
            .y_label_area_size(48)
            .build_cartesian_2d((0u32..n).into_segmented(), 0f64..top(b))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(RULE)
            .label_style(LABELS)
            .y_labels(6)
            .x_labels(b.label_count.max(1))
            .x_label_formatter(&|v| label(&b.labels, v).to_string())
            .y_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        let bar = |values: &[f64], colour: RGBColor| {
            values
                .iter()
                .enumerate()
                .map(move |(i, v)| {
                    let i = i as u32;
                    let mut r = Rectangle::new(
                        [(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), *v)],
                        colour.filled(),
                    );
                    r.set_margin(0, 0, 2, 2);
                    r
                })
                .collect::<Vec<_>>()
        };
        chart.draw_series(bar(&b.back, b.colours.0))?;
        if let Some(front) = &b.front {
            chart.draw_series(bar(front, b.colours.1))?;
        }
        root.present()?;
        Ok(())
    })();
    finished(drawn.is_ok(), svg, b.title)
}

/// Lying bars, categories down the left (long names, e.g. procedures).
pub fn rows(b: &Bars<'_>, width: u32) -> String {
    let mut svg = String::new();
    let n = b.labels.len().max(1) as u32;
    let height = 90 + 36 * n;
    let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(b.title, CAPTION)
            .margin(10)
            .x_label_area_size(32)
            .y_label_area_size(width * 2 / 5)
            .build_cartesian_2d(0f64..top(b), (0u32..n).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(RULE)
            .label_style(LABELS)
            .x_labels(6)
            .y_labels(n as usize)
            .y_label_formatter(&|v| label(&b.labels, v).to_string())
            .x_label_formatter(&|v| format!("{v:.0}"))
            .draw()?;
        chart.draw_series(b.back.iter().enumerate().map(|(i, v)| {
            let i = i as u32;
            let mut r =
                Rectangle::new([(0.0, SegmentValue::Exact(i)), (*v, SegmentValue::Exact(i + 1))], b.colours.0.filled());
            r.set_margin(5, 5, 0, 0);
            r
        }))?;
        root.present()?;
        Ok(())
    })();
    finished(drawn.is_ok(), svg, b.title)
}

/// The drawing, or a line saying it could not be drawn (the tables beside it still hold the figures).
fn finished(ok: bool, svg: String, title: &str) -> String {
    if ok {
        svg
    } else {
        format!("<p class=\"note\">{} — không vẽ được biểu đồ / the chart could not be drawn</p>", super::escape(title))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_drawn_as_svg_with_their_labels() {
        let b = Bars {
            title: "Thời gian chờ theo giờ",
            labels: vec!["7h".into(), "8h".into(), "9h".into()],
            back: vec![3.0, 12.5, 7.0],
            front: None,
            colours: (DARK_BLUE, DARK_BLUE),
            max: None,
            label_count: 3,
        };
        let svg = columns(&b, (600, 300));
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("Thời gian chờ theo giờ") && svg.contains("\n8h\n"), "{svg}");
        assert_eq!(svg.matches("<rect").count() - 1, 3, "a background and three bars");
        let lying = rows(&Bars { labels: vec!["1.001193".into()], back: vec![90.0], max: Some(100.0), ..b }, 600);
        assert!(lying.contains("1.001193"));
    }
}
