//! The report as pretty JSON (the fields of `CLI.md`), ending with a newline.

use super::model::Report;

/// Pretty JSON, deterministic (struct fields in declaration order, maps sorted).
pub fn to_json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_owned());
    s.push('\n');
    s
}
