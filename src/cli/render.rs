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

/// A list of records as a table: a header row of field names (`ref` first, then the others in the
/// order they first appear), one row per record, columns aligned by display width (a Chinese
/// character takes two columns), `-` for an empty field; a column empty in every row is left out.
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
                .map(|c| names(&scalar(&item[*c])).replace('\n', " "))
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
        format!(
            "#{:<5} {:<when$}  {:<32} {}{by}",
            e["position"].as_u64().unwrap_or(0),
            scalar(&e["occurred_at"]),
            scalar(&e["kind"]),
            scalar(&e["summary"])
        )
    });
    std::iter::once(header)
        .chain(lines)
        .collect::<Vec<_>>()
        .join("\n")
}
