//! Human output for views: readable text built from the same JSON the `--json` flag prints.

use serde_json::Value;

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
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
/// records as one line each.
pub fn human(v: &Value) -> String {
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
            out
        }
        Value::Array(items) if items.is_empty() => "(none)".into(),
        Value::Array(items) => items
            .iter()
            .map(|i| match i {
                Value::Object(m) => m
                    .iter()
                    .filter(|(k, v)| *k != "id" && !v.is_null())
                    .map(|(_, v)| scalar(v))
                    .collect::<Vec<_>>()
                    .join("  "),
                other => scalar(other),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => scalar(other),
    }
}

/// A history as one line per event: position, when, kind, summary, who recorded it.
pub fn history(v: &Value) -> String {
    let Value::Array(items) = v else {
        return human(v);
    };
    items
        .iter()
        .map(|e| {
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
                "#{:<5} {}  {:<32} {summary}{by}{late}{voided}",
                e["position"].as_u64().unwrap_or(0),
                scalar(&e["occurred_at"]),
                scalar(&e["kind"]),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
