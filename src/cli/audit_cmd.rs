//! `delib audit ...`: verify, checkpoint, key, prove, consistency, check-proof.

use super::args::AuditCommand;
use super::{CliError, Globals};
use crate::audit::checkpoint::VerifierKey;
use crate::audit::ledger_verify::verify_ledger;
use crate::audit::proof_file::{self, ProofFile};
use crate::audit::proofs::{self, ProofError};
use crate::audit::{checkpoints, keys};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::json;

pub(super) fn run(g: &Globals, cmd: AuditCommand) -> Result<(), CliError> {
    match cmd {
        AuditCommand::Verify {
            from_backup: Some(dir),
            checkpoint,
            ..
        } => super::backup_cmd::verify_backup(g, &dir, checkpoint.as_deref()),
        AuditCommand::Verify {
            from_export: Some(file),
            key,
            checkpoint,
            ..
        } => super::backup_cmd::verify_export(g, &file, key.as_deref(), checkpoint.as_deref()),
        AuditCommand::Verify { .. } => verify(g),
        AuditCommand::Scrub => super::scrub_cmd::scrub(g),
        AuditCommand::AcceptProblem { reason } => super::scrub_cmd::accept(g, &reason),
        AuditCommand::Checkpoint => checkpoint(g),
        AuditCommand::Witness { url, witness_key } => {
            super::tlog_cmd::audit_witness(g, &url, witness_key.as_deref())
        }
        AuditCommand::Witnesses => super::tlog_cmd::witnesses(g),
        AuditCommand::Key => key(g),
        AuditCommand::Log {
            actor,
            from,
            to,
            limit,
            after,
        } => {
            let page = delib_projections::Page::of_log(limit, after)
                .map_err(|e| CliError::Usage(format!("--{e}")))?;
            super::report_cmd::audit_log(g, actor.as_deref(), from.as_deref(), to.as_deref(), page)
        }
        AuditCommand::Prove { position, size } => prove(g, position, size),
        AuditCommand::Consistency { from_size, to_size } => consistency(g, from_size, to_size),
        AuditCommand::CheckProof { file, key } => check_proof(g, &file, key.as_deref()),
    }
}

fn verify(g: &Globals) -> Result<(), CliError> {
    let ledger = super::open::audit_ledger(g)?;
    let report = verify_ledger(&ledger);
    g.out.emit(&report, || {
        let mut text = format!(
            "{}: {} records, root {}\n  checked: {} Merkle nodes, {} stream index entries, {} command index entries, {} checkpoints",
            if report.ok { "ok" } else { "PROBLEMS FOUND" },
            report.size,
            report.root,
            report.checked.merkle_nodes,
            report.checked.stream_index_entries,
            report.checked.command_index_entries,
            report.checked.checkpoints
        );
        for p in &report.problems {
            text.push_str(&format!("\n  position {}: {}", p.position, p.problem));
        }
        text
    });
    if report.ok {
        Ok(())
    } else {
        Err(CliError::Integrity(format!(
            "audit verify found {} problem(s)",
            report.problems.len()
        )))
    }
}

fn checkpoint(g: &Globals) -> Result<(), CliError> {
    let ledger = super::open::ledger(g)?;
    let cp = checkpoints::record(&ledger)?;
    g.out.emit(
        &json!({"size": cp.checkpoint.size, "root": cp.checkpoint.root.to_hex(), "checkpoint": cp.note, "position": cp.position}),
        || cp.note.clone(),
    );
    Ok(())
}

fn key(g: &Globals) -> Result<(), CliError> {
    let signer = keys::load(&g.data).map_err(|e| CliError::Integrity(e.to_string()))?;
    let verifier = signer.verifier();
    let vkey = verifier.to_string();
    g.out.emit(
        &json!({"key": vkey, "name": verifier.name(), "public_key": B64.encode(verifier.key().as_bytes())}),
        || vkey.clone(),
    );
    Ok(())
}

impl From<ProofError> for CliError {
    fn from(e: ProofError) -> Self {
        match e {
            ProofError::Range(_) => CliError::Rejected(e.to_string()),
            ProofError::Key(m) => CliError::Integrity(m),
            ProofError::Store(s) => CliError::Store(s),
        }
    }
}

fn prove(g: &Globals, position: u64, size: Option<u64>) -> Result<(), CliError> {
    let ledger = super::open::ledger(g)?;
    print_proof(g, &proofs::inclusion(&ledger, position, size)?);
    Ok(())
}

fn consistency(g: &Globals, from: u64, to: Option<u64>) -> Result<(), CliError> {
    let ledger = super::open::ledger(g)?;
    print_proof(g, &proofs::consistency(&ledger, from, to)?);
    Ok(())
}

/// Proofs are JSON either way: they are meant to be saved and checked elsewhere.
fn print_proof(g: &Globals, file: &ProofFile) {
    g.out.emit(file, || {
        serde_json::to_string_pretty(file).unwrap_or_default()
    });
}

fn check_proof(g: &Globals, path: &std::path::Path, key: Option<&str>) -> Result<(), CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
    let file: ProofFile = serde_json::from_str(&text).map_err(|e| {
        CliError::Usage(format!("{} is not a delib proof file: {e}", path.display()))
    })?;
    let trusted = match key {
        Some(k) => Some(VerifierKey::parse(k).map_err(|e| CliError::Usage(format!("--key: {e}")))?),
        None => None,
    };
    let outcome = proof_file::check(&file, trusted.as_ref());
    g.out.emit(&outcome, || {
        let mut t = format!(
            "{} proof: {} (key {})",
            outcome.kind,
            if outcome.ok { "valid" } else { "INVALID" },
            outcome.key_source
        );
        for p in &outcome.problems {
            t.push_str(&format!("\n  {p}"));
        }
        t
    });
    if outcome.ok {
        Ok(())
    } else {
        Err(CliError::Integrity(format!(
            "the {} proof does not hold",
            outcome.kind
        )))
    }
}
