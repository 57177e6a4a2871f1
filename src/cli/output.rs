//! Writing results: exactly one JSON value with `--json`, readable text otherwise.

use serde::Serialize;
use std::io::Write;

/// Where and how results are printed.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// Print JSON instead of text.
    pub json: bool,
    /// Print nothing (the demo runs commands quietly).
    pub quiet: bool,
}

impl Output {
    /// Prints `value` as JSON, or the text `human` builds.
    pub fn emit<T: Serialize>(&self, value: &T, human: impl FnOnce() -> String) {
        if self.quiet {
            return;
        }
        let mut out = std::io::stdout().lock();
        let text = if self.json {
            serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        } else {
            human()
        };
        let _ = writeln!(out, "{}", text.trim_end());
    }
}
