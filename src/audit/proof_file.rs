//! Proof files: what `delib audit prove` and `audit consistency` print and `audit check-proof`
//! verifies offline, with nothing but the file (and, ideally, the ledger's public key obtained
//! separately from `delib audit key`). Hashes are base64 as in the RFC 9162 test vectors.

use super::checkpoint::{SignedCheckpoint, VerifierKey};
use super::merkle::{leaf_hash, verify_consistency, verify_inclusion, Hash};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// A proof file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ProofFile {
    /// Record `position` is in the tree of `treeSize` records.
    Inclusion(InclusionProof),
    /// The tree of `size2` records extends the tree of `size1` records.
    Consistency(ConsistencyProof),
}

/// An inclusion proof with the record and a signed checkpoint of the tree it is proved against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionProof {
    /// The ledger's checkpoint origin.
    pub origin: String,
    /// The record's ledger position (`leafIdx + 1`).
    pub position: u64,
    /// 0-based leaf index.
    #[serde(rename = "leafIdx")]
    pub leaf_index: u64,
    /// Size of the tree proved against.
    #[serde(rename = "treeSize")]
    pub tree_size: u64,
    /// RFC 9162 leaf hash of the record.
    #[serde(rename = "leafHash")]
    pub leaf_hash: String,
    /// The record's exact stored bytes, base64 (so the leaf hash can be recomputed).
    pub record: Option<String>,
    /// Root of the tree of `treeSize` records.
    pub root: String,
    /// Audit path, base64 hashes.
    pub proof: Vec<String>,
    /// A signed checkpoint for `treeSize` and `root`.
    pub checkpoint: String,
    /// The ledger's verifier key (signed-note vkey format), as the ledger reports it.
    pub key: String,
}

/// A consistency proof with a signed checkpoint of the newer tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    /// The ledger's checkpoint origin.
    pub origin: String,
    /// The older size.
    pub size1: u64,
    /// The newer size.
    pub size2: u64,
    /// Root at `size1`.
    pub root1: String,
    /// Root at `size2`.
    pub root2: String,
    /// The proof, base64 hashes.
    pub proof: Vec<String>,
    /// A signed checkpoint for `size2` and `root2`.
    pub checkpoint: String,
    /// The ledger's verifier key.
    pub key: String,
}

/// The outcome of an offline check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckOutcome {
    /// True when the proof and its checkpoint hold.
    pub ok: bool,
    /// `inclusion` or `consistency`.
    pub kind: &'static str,
    /// Whether the key came from `--key` (trusted) or from the file itself.
    pub key_source: &'static str,
    /// What failed.
    pub problems: Vec<String>,
}

fn hash(field: &str, text: &str, problems: &mut Vec<String>) -> Option<Hash> {
    Hash::from_base64(text)
        .map_err(|e| problems.push(format!("{field}: {e}")))
        .ok()
}

fn hashes(field: &str, items: &[String], problems: &mut Vec<String>) -> Option<Vec<Hash>> {
    let mut out = Vec::with_capacity(items.len());
    for (i, t) in items.iter().enumerate() {
        out.push(hash(&format!("{field}[{i}]"), t, problems)?);
    }
    Some(out)
}

/// Checks a signed checkpoint against a key, an origin, a size and a root.
fn check_checkpoint(
    note: &str,
    key: &VerifierKey,
    origin: &str,
    size: u64,
    root: Option<Hash>,
    problems: &mut Vec<String>,
) {
    let signed = match SignedCheckpoint::parse(note) {
        Ok(s) => s,
        Err(e) => return problems.push(format!("checkpoint does not parse: {e}")),
    };
    if let Err(e) = key.verify(&signed) {
        problems.push(format!("checkpoint signature: {e}"));
    }
    let c = signed.checkpoint();
    if c.origin != origin {
        problems.push(format!("checkpoint origin {} is not {origin}", c.origin));
    }
    if c.size != size {
        problems.push(format!(
            "checkpoint is for size {}, the proof for size {size}",
            c.size
        ));
    }
    if root.is_some_and(|r| r != c.root) {
        problems.push("checkpoint root differs from the proof's root".into());
    }
}

/// Verifies a proof file offline. With `trusted_key` (from `delib audit key`, obtained separately)
/// the checkpoint must be signed by it; otherwise the key embedded in the file is used and the
/// outcome says so.
pub fn check(file: &ProofFile, trusted_key: Option<&VerifierKey>) -> CheckOutcome {
    let mut problems = Vec::new();
    let (kind, key_text, origin) = match file {
        ProofFile::Inclusion(p) => ("inclusion", &p.key, &p.origin),
        ProofFile::Consistency(p) => ("consistency", &p.key, &p.origin),
    };
    let embedded = VerifierKey::parse(key_text)
        .map_err(|e| problems.push(format!("key: {e}")))
        .ok();
    let key_source = if trusted_key.is_some() {
        "trusted (--key)"
    } else {
        "embedded in the file"
    };
    if let (Some(t), Some(e)) = (trusted_key, embedded.as_ref()) {
        if t.to_string() != e.to_string() {
            problems.push("the file's key is not the trusted key".into());
        }
    }
    let key = trusted_key.or(embedded.as_ref());
    match file {
        ProofFile::Inclusion(p) => {
            let leaf = hash("leafHash", &p.leaf_hash, &mut problems);
            let root = hash("root", &p.root, &mut problems);
            let proof = hashes("proof", &p.proof, &mut problems);
            if p.position != p.leaf_index + 1 {
                problems.push("position is not leafIdx + 1".into());
            }
            if let (Some(record), Some(leaf)) = (&p.record, leaf) {
                match B64.decode(record) {
                    Ok(bytes) if leaf_hash(&bytes) == leaf => {
                        match delib_events::decode_record(&bytes) {
                            Ok(r) if r.metadata.position.get() == p.position => {}
                            Ok(r) => problems
                                .push(format!("record says position {}", r.metadata.position)),
                            Err(e) => problems.push(format!("record does not decode: {e}")),
                        }
                    }
                    Ok(_) => problems.push("record does not hash to leafHash".into()),
                    Err(e) => problems.push(format!("record: {e}")),
                }
            }
            if let (Some(leaf), Some(root), Some(proof)) = (leaf, root, proof) {
                if let Err(e) = verify_inclusion(p.leaf_index, p.tree_size, &leaf, &proof, &root) {
                    problems.push(format!("inclusion proof: {e}"));
                }
            }
            if let Some(key) = key {
                check_checkpoint(&p.checkpoint, key, origin, p.tree_size, root, &mut problems);
            }
        }
        ProofFile::Consistency(p) => {
            let root1 = hash("root1", &p.root1, &mut problems);
            let root2 = hash("root2", &p.root2, &mut problems);
            let proof = hashes("proof", &p.proof, &mut problems);
            if let (Some(r1), Some(r2), Some(proof)) = (root1, root2, proof) {
                if let Err(e) = verify_consistency(p.size1, p.size2, &r1, &r2, &proof) {
                    problems.push(format!("consistency proof: {e}"));
                }
            }
            if let Some(key) = key {
                check_checkpoint(&p.checkpoint, key, origin, p.size2, root2, &mut problems);
            }
        }
    }
    CheckOutcome {
        ok: problems.is_empty(),
        kind,
        key_source,
        problems,
    }
}
