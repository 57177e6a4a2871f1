//! `delib backup`, `delib restore`, and `delib audit verify --from-backup / --from-export`.

use super::{CliError, Globals};
use crate::audit::checkpoint::{SignedCheckpoint, VerifierKey};
use crate::audit::history_verify::{verify_history, HistoryError, HistoryReport};
use crate::backup::{self, BackupError};
use serde_json::json;
use std::path::Path;

pub(super) fn backup(g: &Globals, to: &Path) -> Result<(), CliError> {
    let ledger = super::open::ledger(g)?;
    let done = backup::backup(&ledger, to)?;
    g.out.emit(&done, || {
        format!(
            "backed up {} records to {} ({} new{}); root {}",
            done.size,
            to.display(),
            done.copied,
            done.segment
                .as_deref()
                .map(|s| format!(", in records/{s}"))
                .unwrap_or_default(),
            done.root
        )
    });
    Ok(())
}

pub(super) fn restore(g: &Globals, from: &Path, checkpoint: Option<&Path>) -> Result<(), CliError> {
    let external = checkpoint.map(read_note).transpose()?;
    let restored = backup::restore(from, &g.data, g.clock.clone(), external.as_ref())?;
    g.out.emit(&restored, || {
        format!(
            "restored {} records into {}; verified: chain, root {}, {} recorded checkpoints",
            restored.size,
            restored.data.display(),
            restored.root,
            restored.checkpoints
        )
    });
    Ok(())
}

pub(super) fn verify_backup(
    g: &Globals,
    dir: &Path,
    checkpoint: Option<&Path>,
) -> Result<(), CliError> {
    let external = checkpoint.map(read_note).transpose()?;
    let outcome = backup::verify_backup(dir, external.as_ref()).map_err(|e| match e {
        BackupError::Forged(h) => Failure::History(h),
        other => Failure::Other(other.to_string()),
    });
    report(g, outcome)
}

pub(super) fn verify_export(
    g: &Globals,
    file: &Path,
    key: Option<&str>,
    checkpoint: Option<&Path>,
) -> Result<(), CliError> {
    let key = key
        .map(|k| VerifierKey::parse(k).map_err(|e| CliError::Usage(format!("--key: {e}"))))
        .transpose()?;
    let external = checkpoint
        .map(|p| super::report_cmd::read_checkpoint(p, key.is_some()))
        .transpose()?;
    let records = super::report_cmd::read_export(file)?;
    let keys: Vec<VerifierKey> = key.into_iter().collect();
    report(
        g,
        verify_history(&records, &keys, external.as_ref()).map_err(Failure::History),
    )
}

enum Failure {
    History(HistoryError),
    Other(String),
}

/// Prints the result as `audit verify` does (`ok`, `size`, `root`, `problems`), exit 3 on a problem.
fn report(g: &Globals, outcome: Result<HistoryReport, Failure>) -> Result<(), CliError> {
    match outcome {
        Ok(r) => {
            g.out.emit(
                &json!({"ok": true, "size": r.size, "root": r.root, "head": r.head, "problems": [], "checked": {"records": r.size, "checkpoints": r.checkpoints, "signatures_checked": r.signatures_checked, "external_checkpoint_size": r.external_checkpoint_size}}),
                || {
                    format!(
                        "ok: {} records, root {}\n  checked: chain, {} recorded checkpoints ({})",
                        r.size,
                        r.root,
                        r.checkpoints,
                        if r.signatures_checked {
                            "signatures checked"
                        } else {
                            "roots only: give --key to check signatures"
                        }
                    )
                },
            );
            Ok(())
        }
        Err(f) => {
            let (position, problem) = match f {
                Failure::History(h) => (h.position, h.problem),
                Failure::Other(m) => (0, m),
            };
            g.out.emit(
                &json!({"ok": false, "problems": [{"position": position, "problem": problem}]}),
                || format!("PROBLEMS FOUND\n  position {position}: {problem}"),
            );
            Err(CliError::Integrity(format!(
                "audit verify found a problem at position {position}: {problem}"
            )))
        }
    }
}

fn read_note(path: &Path) -> Result<SignedCheckpoint, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
    SignedCheckpoint::parse(&text)
        .map_err(|e| CliError::Usage(format!("--checkpoint {}: {e}", path.display())))
}
