//! `delib audit witness --url URL`: asks a witness to cosign a checkpoint of the ledger's head
//! (with a consistency proof from the size it last cosigned) and keeps the cosigned checkpoint in a
//! side store outside the log, `DATA/cosignatures.jsonl` (one JSON object a line: witness name and
//! key id, size, root, time, the note with both signatures). It holds nothing secret.

use super::CosignerKey;
use crate::audit::checkpoint::SignedCheckpoint;
use crate::audit::{checkpoints, keys};
use crate::ledger::Ledger;
use crate::store::EventStore;
use crate::tlog::TlogError;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One cosigned checkpoint in the side store.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Witnessed {
    /// The witness's URL as asked.
    pub url: String,
    /// The witness's name (from its cosignature line).
    pub witness: String,
    /// Whether the cosignature was verified with a witness key given to `audit witness`.
    pub verified: bool,
    /// The checkpoint's size.
    pub size: u64,
    /// Its root (base64).
    pub root: String,
    /// The cosignature's time (POSIX seconds), when verified.
    pub time: Option<u64>,
    /// The witness's public key the cosignature was verified with (`--witness-key`), recorded so
    /// that reports can list the cosignature and `report verify` can check it again. Absent in
    /// lines collected without a key (or before keys were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The checkpoint with the ledger's signature and the witness's cosignature.
    pub note: String,
}

/// The key ID (hex) of `witness`'s cosignature line in `note`, if it has one.
#[must_use]
pub fn key_id_in(note: &str, witness: &str) -> Option<String> {
    use base64::Engine as _;
    let (_, sigs) = super::split_note(note)?;
    let prefix = format!("\u{2014} {witness} ");
    sigs.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .find(|blob| blob.len() == 4 + 8 + 64)
        .map(|blob| hex::encode(&blob[..4]))
}

/// The side store's file.
#[must_use]
pub fn store_path(data: &Path) -> PathBuf {
    data.join("cosignatures.jsonl")
}

/// Every cosigned checkpoint collected, oldest first.
///
/// # Errors
/// I/O failures (a missing file is an empty list).
pub fn list(data: &Path) -> Result<Vec<Witnessed>, TlogError> {
    let path = store_path(data);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(TlogError::io(&path)(e)),
    };
    Ok(text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect())
}

fn post(url: &str, body: String) -> Result<(u16, String), TlogError> {
    let fail = |reason: String| TlogError::Fetch {
        url: url.to_owned(),
        reason,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(e.to_string()))?;
    rt.block_on(async {
        let resp = reqwest::Client::new()
            .post(format!("{}/add-checkpoint", url.trim_end_matches('/')))
            .timeout(std::time::Duration::from_secs(30))
            .body(body)
            .send()
            .await
            .map_err(|e| fail(e.to_string()))?;
        let status = resp.status().as_u16();
        Ok((status, resp.text().await.map_err(|e| fail(e.to_string()))?))
    })
}

fn request(ledger: &Ledger, old: u64, size: u64, note: &str) -> Result<String, TlogError> {
    let mut body = format!("old {old}\n");
    if old > 0 && old < size {
        for h in ledger.store().consistency_proof(old, size)? {
            body.push_str(&h.to_base64());
            body.push('\n');
        }
    }
    body.push('\n');
    body.push_str(note);
    Ok(body)
}

/// Asks the witness at `url` to cosign the ledger's head; checks the answer (with `witness_key` if
/// given) and that the ledger's own signature still verifies on the cosigned note; stores it.
///
/// # Errors
/// [`TlogError::Invalid`] when the witness refuses (its status and message) or answers something
/// that does not verify; fetch and I/O failures.
pub fn collect(
    ledger: &Ledger,
    url: &str,
    witness_key: Option<&CosignerKey>,
) -> Result<Witnessed, TlogError> {
    let size = ledger.store().head().position.get();
    let (checkpoint, note) = checkpoints::sign(ledger, size)?;
    let mut old = list(ledger.dir())?
        .iter()
        .rev()
        .find(|w| w.url == url)
        .map_or(0, |w| w.size)
        .min(size);
    let mut answer = post(url, request(ledger, old, size, &note)?)?;
    if answer.0 == 409 {
        // The witness knows another size: prove from it (the spec's way to learn it).
        old = answer.1.trim().parse::<u64>().map_err(|_| {
            TlogError::Invalid(format!("the witness answered 409 with {:?}", answer.1))
        })?;
        if old > size {
            return Err(TlogError::Invalid(format!(
                "the witness has cosigned size {old} of this log, larger than the ledger's {size}: a fork or a rollback"
            )));
        }
        answer = post(url, request(ledger, old, size, &note)?)?;
    }
    let (status, text) = answer;
    if status != 200 {
        return Err(TlogError::Invalid(format!(
            "the witness at {url} refused the checkpoint of size {size} (HTTP {status}): {}",
            text.trim()
        )));
    }
    let lines: String = text
        .lines()
        .filter(|l| l.starts_with('\u{2014}'))
        .map(|l| format!("{l}\n"))
        .collect();
    if lines.is_empty() {
        return Err(TlogError::Invalid(format!(
            "the witness at {url} sent no cosignature"
        )));
    }
    let cosigned = format!("{note}{lines}");
    // The log's own signature still verifies on the combined note.
    let signed = SignedCheckpoint::parse(&cosigned)?;
    keys::load(ledger.dir())
        .map_err(|e| TlogError::Usage(e.to_string()))?
        .verifier()
        .verify(&signed)?;
    let name = lines
        .trim_start_matches('\u{2014}')
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let (verified, time, witness) = match witness_key {
        Some(k) => {
            let t = k
                .verify(&cosigned)
                .map_err(|e| TlogError::Invalid(e.to_string()))?;
            (true, Some(t), k.name.clone())
        }
        None => (false, None, name),
    };
    let record = Witnessed {
        url: url.to_owned(),
        witness,
        verified,
        size,
        root: checkpoint.root.to_base64(),
        time,
        key: witness_key.map(ToString::to_string),
        note: cosigned,
    };
    let path = store_path(ledger.dir());
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(TlogError::io(&path))?;
    let line = serde_json::to_string(&record).map_err(|e| TlogError::Usage(e.to_string()))?;
    writeln!(f, "{line}").map_err(TlogError::io(&path))?;
    f.sync_all().map_err(TlogError::io(&path))?;
    tracing::info!(witness = %record.witness, size, "checkpoint cosigned");
    Ok(record)
}
