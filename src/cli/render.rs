//! Human output for views: readable text built from the same JSON the `--json` flag prints.

use serde_json::Value;

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        Value::Array(a) if a.is_empty() => "-".into(),
        Value::Array(a) => a.iter().map(scalar).collect::<Vec<_>>().join(", "),
        Value::Object(m) => m
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{k} {}", scalar(v)))
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// A view (an object) as `key: value` lines, lists of records indented one per line; a list of
/// records as a table (see [`table`]). `names` adds a person's or organisation's name to each
/// reference it meets (the human output only; names are never part of the JSON views).
pub fn human(v: &Value, names: &dyn Fn(&str) -> String) -> String {
    match v {
        Value::Object(m) => {
            let mut out = String::new();
            for (k, v) in m {
                if k == "id" {
                    continue;
                }
                match v {
                    Value::Array(items) if items.iter().any(Value::is_object) => {
                        out.push_str(&format!("{k}:\n"));
                        for item in items {
                            out.push_str(&format!("  - {}\n", scalar(item)));
                        }
                    }
                    Value::Array(items) if items.is_empty() => {}
                    _ => out.push_str(&format!("{k}: {}\n", scalar(v))),
                }
            }
            names(&out)
        }
        Value::Array(items) if items.is_empty() => "(none)".into(),
        Value::Array(items) if items.iter().all(Value::is_object) => table(items, names),
        Value::Array(items) => names(&items.iter().map(scalar).collect::<Vec<_>>().join("\n")),
        other => names(&scalar(other)),
    }
}

/// The widest a table cell gets, in display columns (a Chinese character takes two): a list shows
/// each record in a line, `show` shows it whole.
const CELL: usize = 40;

/// A table cell: a list of records as how many there are (`show` lists them), a list of values as
/// the first three and how many more, a text cut to [`CELL`] columns with `…`. So a row's size does
/// not grow with the entity's history.
fn cell(v: &Value) -> String {
    let text = match v {
        Value::Array(items) if items.iter().any(Value::is_object) => items.len().to_string(),
        Value::Array(items) if items.len() > 3 => format!(
            "{} (+{})",
            items[..3].iter().map(scalar).collect::<Vec<_>>().join(", "),
            items.len() - 3
        ),
        other => scalar(other),
    };
    cut(&text.replace('\n', " "), CELL)
}

/// `text` cut to at most `max` display columns, ending in `…` when cut.
fn cut(text: &str, max: usize) -> String {
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    if width(text) <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if width(&out) + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > max - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A list of records as a table: a header row of field names (`ref` first, then the others in the
/// order they first appear), one row per record, columns aligned by display width (a Chinese
/// character takes two columns), `-` for an empty field; a column empty in every row is left out.
/// Cells are short ([`cell`]): a row's length does not grow with the entity's history.
pub fn table(items: &[Value], names: &dyn Fn(&str) -> String) -> String {
    let mut columns: Vec<&str> = Vec::new();
    for item in items {
        if let Value::Object(m) = item {
            for k in m.keys() {
                if k != "id" && !columns.contains(&k.as_str()) {
                    columns.push(k);
                }
            }
        }
    }
    if let Some(i) = columns.iter().position(|c| *c == "ref") {
        let r = columns.remove(i);
        columns.insert(0, r);
    }
    columns.retain(|c| {
        items
            .iter()
            .any(|item| !matches!(scalar(&item[*c]).as_str(), "-" | ""))
    });
    let header: Vec<String> = columns.iter().map(|c| c.to_uppercase()).collect();
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|c| cut(&names(&cell(&item[*c])).replace('\n', " "), CELL + 24))
                .collect()
        })
        .collect();
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            rows.iter()
                .map(|r| width(&r[i]))
                .chain([width(&header[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    std::iter::once(&header)
        .chain(rows.iter())
        .map(|row| {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                if i + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(widths[i] - width(cell) + 2));
                }
            }
            line.trim_end().to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A history as one line per event under a header: position, when, kind, summary, who recorded it;
/// `(none)` when no event matches.
pub fn history(v: &Value) -> String {
    let Value::Array(items) = v else {
        return human(v, &str::to_owned);
    };
    if items.is_empty() {
        return "(none)".into();
    }
    let when = items
        .iter()
        .map(|e| scalar(&e["occurred_at"]).len())
        .chain(["OCCURRED AT".len()])
        .max()
        .unwrap_or(0);
    let header = format!(
        "{:<6} {:<when$}  {:<32} SUMMARY",
        "#", "OCCURRED AT", "KIND"
    );
    let lines = items.iter().map(|e| {
        let by = match &e["recorded_by"] {
            Value::String(p) => format!("  (recorded by {p})"),
            _ => String::new(),
        };
        let late = match &e["late_entry"] {
            Value::String(l) => format!("  [{l}]"),
            _ => String::new(),
        };
        let summary = scalar(&e["summary"]);
        let (summary, voided) = match &e["voided"] {
            // Struck through: every character followed by U+0336 COMBINING LONG STROKE OVERLAY.
            Value::String(v) => (
                summary.chars().flat_map(|c| [c, '\u{0336}']).collect(),
                format!("  [{v}]"),
            ),
            _ => (summary, String::new()),
        };
        format!(
            "#{:<5} {:<when$}  {:<32} {summary}{by}{late}{voided}",
            e["position"].as_u64().unwrap_or(0),
            scalar(&e["occurred_at"]),
            scalar(&e["kind"]),
        )
    });
    std::iter::once(header)
        .chain(lines)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn given_a_busy_entity_when_listed_then_its_row_stays_short() {
        // given a hearing with 5,000 statements and a long finding
        let statements: Vec<Value> = (0..5000)
            .map(|i| json!({"by": format!("PER-{i}"), "summary": "同意，但费用应由各产权单位分担。"}))
            .collect();
        let item = json!({
            "ref": "HEAR-1",
            "findings": "与会居民普遍支持。社区党委负责到各产权单位协调出资出力，物业公司负责日常维护。",
            "proposals": ["PROP-1", "PROP-2", "PROP-3", "PROP-4", "PROP-5"],
            "statements": statements,
        });
        // when it is listed
        let text = table(&[item], &|s: &str| s.to_owned());
        // then the row counts the statements, names the first proposals, and cuts the finding
        let row = text.lines().nth(1).expect("a row");
        assert!(row.len() < 300, "{row}");
        assert!(row.contains("5000"), "{row}");
        assert!(row.contains("PROP-1, PROP-2, PROP-3 (+2)"), "{row}");
        assert!(row.contains('…'), "{row}");
    }

    #[test]
    fn given_wide_characters_when_cut_then_the_width_is_kept() {
        let cut_text = cut(
            "十北社区路灯、围墙和路面建设民主听证会十北社区路灯、围墙和路面建设",
            20,
        );
        assert!(unicode_width::UnicodeWidthStr::width(cut_text.as_str()) <= 20);
        assert!(cut_text.ends_with('…'));
        assert_eq!(cut("short", 20), "short");
    }
}
