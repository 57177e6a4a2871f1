//! The report as one self-contained, printable HTML file: inline CSS, inline SVG charts, no scripts and
//! no external assets. Every piece of user text is escaped.

use super::document::{layout, Chart, Section};
use super::labels::{Labels, Lang};
use super::model::Report;
use super::svg::{bar_chart, column_chart};
use std::fmt::Write as _;

/// Escapes text for HTML and SVG content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}\
h1{border-bottom:2px solid #3b6ea5;padding-bottom:.3rem}h2{margin-top:2rem;color:#2a4f78}\
dl.figures{display:grid;grid-template-columns:max-content auto;gap:.2rem 1.2rem}dl.figures dt{color:#555}dl.figures dd{margin:0;font-weight:600}\
table{border-collapse:collapse;margin:.8rem 0;width:100%}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eef3f8}\
caption{text-align:left;font-weight:600;padding:.3rem 0}.note{color:#555;font-style:italic}.verify{white-space:pre-wrap;background:#f6f6f6;padding:.6rem;border:1px solid #ddd}\
svg{max-width:100%;height:auto;display:block;margin:.6rem 0}code{word-break:break-all}\
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}table,svg{page-break-inside:avoid}}";

fn chart(chart: Chart, r: &Report, l: &Labels) -> String {
    match chart {
        Chart::ProposalOutcomes => {
            let p = &r.proposals;
            let bars: Vec<(String, f64)> = [
                (l.submitted, p.submitted),
                (l.adopted, p.adopted),
                (l.rejected, p.rejected),
                (l.withdrawn, p.withdrawn),
                (l.returned, p.returned),
                (l.completed, p.completed),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v as f64))
            .collect();
            column_chart(l.chart_outcomes, &bars)
        }
        Chart::DisputeDurations => {
            let bars: Vec<(String, f64)> = r
                .disputes
                .durations
                .iter()
                .map(|d| (d.reference.clone(), d.days))
                .collect();
            bar_chart(l.chart_durations, &bars, l.none)
        }
    }
}

fn section(out: &mut String, s: &Section, r: &Report, l: &Labels, verify: bool) {
    let _ = writeln!(out, "<section><h2>{}</h2>", escape(&s.heading));
    if !s.figures.is_empty() {
        out.push_str("<dl class=\"figures\">");
        for (k, v) in &s.figures {
            let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
        }
        out.push_str("</dl>\n");
    }
    if let Some(c) = s.chart {
        out.push_str(&chart(c, r, l));
        out.push('\n');
    }
    for t in &s.tables {
        if t.rows.is_empty() {
            continue;
        }
        out.push_str("<table>");
        if let Some(c) = &t.caption {
            let _ = write!(out, "<caption>{}</caption>", escape(c));
        }
        out.push_str("<thead><tr>");
        for h in &t.headers {
            let _ = write!(out, "<th>{}</th>", escape(h));
        }
        out.push_str("</tr></thead><tbody>");
        for row in &t.rows {
            out.push_str("<tr>");
            for c in row {
                let _ = write!(out, "<td>{}</td>", escape(c));
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>\n");
    }
    for p in &s.paragraphs {
        let class = if verify { "verify" } else { "note" };
        let _ = writeln!(out, "<p class=\"{class}\">{}</p>", escape(p));
    }
    out.push_str("</section>\n");
}

/// One self-contained HTML document, deterministic.
pub fn to_html(report: &Report, lang: Lang) -> String {
    let l = lang.labels();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} {} – {}</title>\n<style>{CSS}</style>\n</head>\n<body>",
        lang.code(),
        escape(l.title),
        escape(&report.period.from),
        escape(&report.period.to)
    );
    let _ = writeln!(
        out,
        "<h1>{}</h1>\n<p>{}: {} <time>{}</time> {} <time>{}</time></p>\n<p class=\"note\">{}</p>",
        escape(l.title),
        escape(l.period),
        escape(l.from),
        escape(&report.period.from),
        escape(l.to),
        escape(&report.period.to),
        escape(l.period_note)
    );
    let sections = layout(report, l);
    let last = sections.len().saturating_sub(1);
    for (i, s) in sections.iter().enumerate() {
        section(&mut out, s, report, l, i == last);
    }
    out.push_str("</body>\n</html>\n");
    out
}
