//! `delib audit scrub`, `delib audit accept-problem`, and the scrub lines of `status`.

use super::{CliError, Globals};
use crate::audit::scrub::{self, ScrubStatus};

/// `delib audit scrub`: verifies the whole ledger and records the outcome (exit 3 on damage).
pub(super) fn scrub(g: &Globals) -> Result<(), CliError> {
    let ledger = super::open::audit_ledger(g)?;
    let record = scrub::scrub(&ledger, &mut || {})?;
    let status = scrub::status(ledger.store())?;
    g.out.emit(&record, || describe(&status));
    if record.ok {
        Ok(())
    } else {
        Err(CliError::Integrity(format!(
            "the scrub found {} problem(s); appends are refused until the ledger is restored or the problem accepted",
            record.problem_count
        )))
    }
}

/// `delib audit accept-problem --reason R`.
pub(super) fn accept(g: &Globals, reason: &str) -> Result<(), CliError> {
    if reason.trim().is_empty() {
        return Err(CliError::Usage("--reason must say why".into()));
    }
    let ledger = super::open::audit_ledger(g)?;
    let acceptance = scrub::accept(&ledger, reason)?.map_err(CliError::Rejected)?;
    g.out.emit(&acceptance, || {
        format!(
            "accepted {} problem(s) at {} ({}); appends resume",
            acceptance.problems.len(),
            acceptance.at,
            acceptance.reason
        )
    });
    Ok(())
}

/// The scrub lines of `status`.
pub(super) fn describe(s: &ScrubStatus) -> String {
    let mut lines = Vec::new();
    match &s.last {
        None => lines.push(
            "  last fully verified: never (run `delib audit scrub`, or `serve` scrubs daily)"
                .to_string(),
        ),
        Some(l) if l.ok => lines.push(format!(
            "  last fully verified: {} ({} records, root {}): ok",
            l.finished_at, l.size, l.root
        )),
        Some(l) => {
            lines.push(format!(
                "  last fully verified: {} ({} records): {} PROBLEM(S)",
                l.finished_at, l.size, l.problem_count
            ));
            for p in &l.problems {
                lines.push(format!("    position {}: {}", p.position, p.problem));
            }
        }
    }
    for a in &s.accepted {
        lines.push(format!(
            "  accepted {} problem(s) at {}: {}",
            a.problems.len(),
            a.at,
            a.reason
        ));
    }
    if let Some(h) = &s.halted {
        lines.push(format!("  APPENDS REFUSED: {h}"));
    }
    lines.join("\n")
}
