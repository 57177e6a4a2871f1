//! Writing results: exactly one JSON value with `--json`, readable text otherwise. A command the
//! server runs for a CLI on its Unix socket ([`crate::server::socket`]) writes into a capture that
//! goes back to that CLI instead of the server's own stdout ([`capturing`]).

use serde::Serialize;
use std::cell::RefCell;
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
        let text = if self.json {
            serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
        } else {
            human()
        };
        let mut out = stdout();
        let _ = writeln!(out, "{}", text.trim_end());
    }
}

/// What a command printed while it ran inside [`capturing`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Captured {
    /// Its standard output.
    pub stdout: Vec<u8>,
    /// Its notes for people (standard error), without the final error line.
    pub stderr: Vec<u8>,
}

thread_local! {
    static CAPTURE: RefCell<Option<Captured>> = const { RefCell::new(None) };
}

/// Runs `f` on this thread with its output captured instead of printed.
pub fn capturing<R>(f: impl FnOnce() -> R) -> (R, Captured) {
    let before = CAPTURE.with(|c| c.replace(Some(Captured::default())));
    let result = f();
    let captured = CAPTURE.with(|c| c.replace(before)).unwrap_or_default();
    (result, captured)
}

/// Standard output, or the capture of [`capturing`].
pub fn stdout() -> Box<dyn Write> {
    if CAPTURE.with(|c| c.borrow().is_some()) {
        Box::new(Capture { err: false })
    } else {
        Box::new(std::io::stdout())
    }
}

/// Prints a note for people on standard error (or into the capture).
pub fn note(line: &str) {
    if CAPTURE.with(|c| c.borrow().is_some()) {
        let _ = writeln!(Capture { err: true }, "{line}");
    } else {
        eprintln!("{line}");
    }
}

/// A writer into this thread's capture.
struct Capture {
    err: bool,
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURE.with(|c| match c.borrow_mut().as_mut() {
            Some(captured) if self.err => captured.stderr.extend_from_slice(buf),
            Some(captured) => captured.stdout.extend_from_slice(buf),
            None => {}
        });
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_a_capture_when_a_command_prints_then_its_lines_are_captured_not_printed() {
        let out = Output {
            json: false,
            quiet: false,
        };
        let ((), captured) = capturing(|| {
            out.emit(&1, || "one line".into());
            note("a note");
        });
        assert_eq!(captured.stdout, b"one line\n");
        assert_eq!(captured.stderr, b"a note\n");
        // Outside the capture nothing is kept.
        let ((), empty) = capturing(|| {});
        assert_eq!(empty, Captured::default());
    }
}
