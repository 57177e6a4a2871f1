//! The report as Markdown (the default format). User text is escaped so it cannot break a table or
//! inject HTML into a renderer.

use super::document::{layout, Table};
use super::labels::Lang;
use super::model::Report;
use std::fmt::Write as _;

/// Escapes text for a Markdown table cell or line: `|`, `\`, `<`, `>`, `&`, backquotes, and newlines.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '`' => out.push_str("\\`"),
            '*' => out.push_str("\\*"),
            '_' => out.push_str("\\_"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn table(out: &mut String, t: &Table) {
    if let Some(c) = &t.caption {
        let _ = writeln!(out, "**{}**\n", escape(c));
    }
    if t.rows.is_empty() {
        return;
    }
    let head: Vec<String> = t.headers.iter().map(|h| escape(h)).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(head.len()));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| escape(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

/// Markdown, deterministic, ending with a newline.
pub fn to_markdown(report: &Report, lang: Lang) -> String {
    let l = lang.labels();
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", l.title);
    let _ = writeln!(
        out,
        "{}: {} {} {} {}\n",
        l.period, l.from, report.period.from, l.to, report.period.to
    );
    let _ = writeln!(out, "_{}_\n", l.period_note);
    for s in layout(report, l) {
        let _ = writeln!(out, "## {}\n", escape(&s.heading));
        for (k, v) in &s.figures {
            let _ = writeln!(out, "- {}: {}", escape(k), escape(v));
        }
        if !s.figures.is_empty() {
            out.push('\n');
        }
        for t in &s.tables {
            table(&mut out, t);
        }
        for p in &s.paragraphs {
            let _ = writeln!(out, "{}\n", escape(p));
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
