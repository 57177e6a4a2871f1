//! `delib ballot decrypt-share` and `delib ballot verify`: a teller's step and anyone's check, both
//! from the public record alone (the ledger, or an export of it).

use super::record_cmd::service;
use super::{CliError, Globals};
use crate::app::ballot_record::{self, BallotRecord};
use crate::app::election::{PartFile, ShareFile};
use delib_domain::ballot::{self, Ballot, Status};
use delib_domain::ballot_verify::{self, VerifyError};
use delib_domain::Aggregate;
use serde_json::json;
use std::path::Path;

fn record(g: &Globals, ballot: &str, from_export: Option<&Path>) -> Result<BallotRecord, CliError> {
    Ok(match from_export {
        Some(path) => ballot_record::from_export(path, ballot)?,
        None => service(g)?.ballot_record(ballot)?,
    })
}

/// `ballot decrypt-share BAL --share FILE --output PART [--from-export FILE]`.
pub(super) fn decrypt_share(
    g: &Globals,
    ballot: &str,
    share: &Path,
    output: &Path,
    from_export: Option<&Path>,
) -> Result<(), CliError> {
    let (file, secret) = ShareFile::read(share)?;
    let r = record(g, ballot, from_export)?;
    if file.ballot != *r.id.stream_id().as_uuid() || file.ledger != r.ledger {
        return Err(CliError::Rejected(format!(
            "rule: {} is a share of another ballot or ledger",
            share.display()
        )));
    }
    let state = r
        .events
        .iter()
        .fold(ballot::State::default(), <Ballot as Aggregate>::evolve);
    let Some(election) = &state.election else {
        return Err(CliError::Rejected(format!(
            "rule: {ballot} is not an encrypted ballot"
        )));
    };
    if state.status != Some(Status::Counting) {
        return Err(CliError::Rejected(format!(
            "rule: a teller decrypts once casting has ended (the ballot is {}): run `ballot close {ballot}` first",
            state.status.map_or("absent", Status::as_str)
        )));
    }
    let teller = file.teller as usize;
    if election.tellers.get(teller).map(|t| t.key.public) != Some(secret.public()) {
        return Err(CliError::Rejected(format!(
            "rule: {} is not the share of teller {} of this ballot",
            share.display(),
            teller + 1
        )));
    }
    let aggregate = state.aggregate_so_far();
    let partial = delib_election::partial_decrypt(
        &mut rand_core::OsRng,
        &ballot::scope(&r.ledger, r.id),
        &election.key,
        teller,
        &secret,
        &aggregate,
    )
    .map_err(|e| CliError::Integrity(e.to_string()))?;
    let part = PartFile {
        format: "delib-partial-decryption/1".into(),
        ballot: *r.id.stream_id().as_uuid(),
        partial,
    };
    let text = serde_json::to_vec_pretty(&part).map_err(|e| CliError::Integrity(e.to_string()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    let mut f = options
        .open(output)
        .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", output.display())))?;
    std::io::Write::write_all(&mut f, &text)
        .and_then(|()| f.sync_all())
        .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", output.display())))?;
    g.out.emit(
        &json!({"ballot": ballot, "teller": teller + 1, "output": output.display().to_string()}),
        || {
            format!(
                "teller {} decrypted its share of {ballot}'s tally into {}",
                teller + 1,
                output.display()
            )
        },
    );
    Ok(())
}

/// `ballot verify BAL [--from-export FILE]`.
pub(super) fn verify(
    g: &Globals,
    ballot: &str,
    from_export: Option<&Path>,
) -> Result<(), CliError> {
    let r = record(g, ballot, from_export)?;
    match ballot_verify::verify(&r.ledger, r.id, &r.events) {
        Ok(v) => {
            g.out.emit(
                &json!({"ok": true, "ballot": ballot, "casts": v.casts, "tellers": v.tellers, "counts": v.counts}),
                || match &v.counts {
                    Some(c) => format!(
                        "ok: {ballot}: {} casts, every proof, the aggregate, the tellers' decryptions and the counts {c:?} verify",
                        v.casts
                    ),
                    None => format!("ok: {ballot}: {} casts and their proofs verify (not yet closed)", v.casts),
                },
            );
            Ok(())
        }
        Err(VerifyError::NotEncrypted(why)) => {
            Err(CliError::Rejected(format!("rule: {ballot}: {why}")))
        }
        Err(VerifyError::Failed(why)) => Err(CliError::Integrity(format!(
            "{ballot} does not verify: {why}"
        ))),
    }
}
