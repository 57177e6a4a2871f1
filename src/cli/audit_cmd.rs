//! `delib audit ...`: verify, checkpoint, key, prove, consistency, check-proof.

use super::args::AuditCommand;
use super::{CliError, Globals};
use crate::audit::checkpoint::{Checkpoint, VerifierKey};
use crate::audit::ledger_verify::verify_ledger;
use crate::audit::merkle::{self, HashSource};
use crate::audit::proof_file::{self, ConsistencyProof, InclusionProof, ProofFile};
use crate::audit::{checkpoints, keys};
use crate::ledger::Ledger;
use crate::store::EventStore;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use delib_events::Position;
use serde_json::json;

pub(super) fn run(g: &Globals, cmd: AuditCommand) -> Result<(), CliError> {
    match cmd {
        AuditCommand::Verify => verify(g),
        AuditCommand::Checkpoint => checkpoint(g),
        AuditCommand::Key => key(g),
        AuditCommand::Log { actor, from, to } => {
            super::report_cmd::audit_log(g, actor.as_deref(), from.as_deref(), to.as_deref())
        }
        AuditCommand::Prove { position, size } => prove(g, position, size),
        AuditCommand::Consistency { from_size, to_size } => consistency(g, from_size, to_size),
        AuditCommand::CheckProof { file, key } => check_proof(g, &file, key.as_deref()),
    }
}

fn verify(g: &Globals) -> Result<(), CliError> {
    let ledger = Ledger::open_for_audit(&g.data, g.clock.clone())?;
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

fn sign(ledger: &Ledger, size: u64) -> Result<(Checkpoint, String), CliError> {
    Ok(checkpoints::sign(ledger, size)?)
}

fn checkpoint(g: &Globals) -> Result<(), CliError> {
    let ledger = Ledger::open(&g.data, g.clock.clone())?;
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

fn size_or_head(ledger: &Ledger, size: Option<u64>) -> Result<u64, CliError> {
    let head = ledger.store().head().position.get();
    let size = size.unwrap_or(head);
    if size == 0 || size > head {
        return Err(CliError::Rejected(format!(
            "rule: the size must be between 1 and the ledger's size ({head})"
        )));
    }
    Ok(size)
}

fn prove(g: &Globals, position: u64, size: Option<u64>) -> Result<(), CliError> {
    let ledger = Ledger::open(&g.data, g.clock.clone())?;
    let size = size_or_head(&ledger, size)?;
    if position == 0 || position > size {
        return Err(CliError::Rejected(format!(
            "rule: the position must be between 1 and the tree size ({size})"
        )));
    }
    let index = position - 1;
    let store = ledger.store();
    let proof = store.inclusion_proof(index, size)?;
    let record = store
        .read_raw(Position::new(position), 1)?
        .pop()
        .map(|(_, b)| b)
        .unwrap_or_default();
    let (cp, note) = sign(&ledger, size)?;
    let file = ProofFile::Inclusion(InclusionProof {
        origin: cp.origin.clone(),
        position,
        leaf_index: index,
        tree_size: size,
        leaf_hash: store.hash_source().leaf_hash(index)?.to_base64(),
        record: Some(B64.encode(&record)),
        root: cp.root.to_base64(),
        proof: proof.iter().map(merkle::Hash::to_base64).collect(),
        checkpoint: note,
        key: keys::load(&g.data)
            .map_err(|e| CliError::Integrity(e.to_string()))?
            .verifier()
            .to_string(),
    });
    print_proof(g, &file);
    Ok(())
}

fn consistency(g: &Globals, from: u64, to: Option<u64>) -> Result<(), CliError> {
    let ledger = Ledger::open(&g.data, g.clock.clone())?;
    let to = size_or_head(&ledger, to)?;
    if from == 0 || from > to {
        return Err(CliError::Rejected(format!(
            "rule: --from-size must be between 1 and --to-size ({to})"
        )));
    }
    let store = ledger.store();
    let proof = store.consistency_proof(from, to)?;
    let (cp, note) = sign(&ledger, to)?;
    let file = ProofFile::Consistency(ConsistencyProof {
        origin: cp.origin.clone(),
        size1: from,
        size2: to,
        root1: store.merkle_root(from)?.to_base64(),
        root2: cp.root.to_base64(),
        proof: proof.iter().map(merkle::Hash::to_base64).collect(),
        checkpoint: note,
        key: keys::load(&g.data)
            .map_err(|e| CliError::Integrity(e.to_string()))?
            .verifier()
            .to_string(),
    });
    print_proof(g, &file);
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
