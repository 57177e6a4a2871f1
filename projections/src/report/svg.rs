//! Inline SVG bar charts for the HTML report: no scripts, no external fonts or images. Every label is
//! escaped.

use super::html::escape;
use std::fmt::Write as _;

/// A vertical bar chart of labelled counts.
pub fn column_chart(title: &str, bars: &[(String, f64)]) -> String {
    let (w, h, top, bottom, left) = (560.0_f64, 240.0_f64, 30.0, 40.0, 30.0);
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let n = bars.len().max(1) as f64;
    let slot = (w - left - 10.0) / n;
    let bar_w = slot * 0.6;
    let plot_h = h - top - bottom;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-label="{t}"><title>{t}</title>"#,
        t = escape(title)
    );
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#444" stroke-width="1"/>"##,
        y = h - bottom,
        x2 = w - 5.0
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let bh = plot_h * value / max;
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let y = h - bottom - bh;
        let _ = write!(
            s,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{bar_w:.1}" height="{bh:.1}" fill="#3b6ea5"/><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" font-size="12">{v}</text><text x="{cx:.1}" y="{ly:.1}" text-anchor="middle" font-size="11">{l}</text>"##,
            cx = x + bar_w / 2.0,
            ty = y - 4.0,
            ly = h - bottom + 16.0,
            v = super::document::num(*value),
            l = escape(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// A horizontal bar chart of labelled durations in days.
pub fn bar_chart(title: &str, bars: &[(String, f64)], empty: &str) -> String {
    let row = 26.0_f64;
    let (w, top, left) = (560.0_f64, 10.0_f64, 90.0_f64);
    let h = top * 2.0 + row * bars.len().max(1) as f64;
    let max = bars.iter().map(|b| b.1).fold(0.0_f64, f64::max).max(1.0);
    let plot_w = w - left - 70.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-label="{t}"><title>{t}</title>"#,
        t = escape(title)
    );
    if bars.is_empty() {
        let _ = write!(
            s,
            r#"<text x="{left}" y="{y}" font-size="12">{e}</text>"#,
            y = top + 16.0,
            e = escape(empty)
        );
    }
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let bw = plot_w * value.max(0.0) / max;
        let _ = write!(
            s,
            r##"<text x="{lx:.1}" y="{ty:.1}" text-anchor="end" font-size="12">{l}</text><rect x="{left}" y="{ry:.1}" width="{bw:.1}" height="{bh:.1}" fill="#a5563b"/><text x="{vx:.1}" y="{ty:.1}" font-size="12">{v}</text>"##,
            lx = left - 6.0,
            ty = y + 17.0,
            ry = y + 4.0,
            bh = row - 8.0,
            vx = left + bw + 6.0,
            v = super::document::num(*value),
            l = escape(label)
        );
    }
    s.push_str("</svg>");
    s
}
