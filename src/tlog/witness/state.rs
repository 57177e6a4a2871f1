//! A witness's state: its key (`DIR/witness.key`, owner-only) and, per log it follows,
//! `DIR/logs/<sha256(origin) hex>.json` with the log's key and the latest checkpoint it cosigned.
//! `add-checkpoint` checks and updates one log's file under one lock, so two requests cannot roll
//! it back (the race the spec describes).

use super::{Cosigner, CosignerKey};
use crate::audit::checkpoint::{CheckpointError, SignedCheckpoint, VerifierKey};
use crate::audit::merkle::{self, Hash};
use crate::tlog::publish::write_atomically;
use crate::tlog::TlogError;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Why `add-checkpoint` refused, with the status the spec gives it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    /// 404: the origin is not a log this witness follows.
    #[error("unknown log {0}")]
    UnknownLog(String),
    /// 403: no valid signature by the log's key.
    #[error("the checkpoint is not signed by the log's key: {0}")]
    Forbidden(String),
    /// 400: a malformed request, or an old size above the checkpoint's.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 409: the old size is not the size of the latest checkpoint cosigned (carried here).
    #[error("the witness's latest checkpoint of this log has size {0}")]
    Conflict(u64),
    /// 422: the consistency proof does not verify, or the roots differ at the same size.
    #[error("not consistent with the latest checkpoint cosigned: {0}")]
    Inconsistent(String),
    /// 500: the witness could not persist its state.
    #[error("witness storage failed: {0}")]
    Storage(String),
}

impl AddError {
    /// The HTTP status code of tlog-witness.
    #[must_use]
    pub fn status(&self) -> u16 {
        match self {
            AddError::UnknownLog(_) => 404,
            AddError::Forbidden(_) => 403,
            AddError::BadRequest(_) => 400,
            AddError::Conflict(_) => 409,
            AddError::Inconsistent(_) => 422,
            AddError::Storage(_) => 500,
        }
    }
}

/// One followed log.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LogState {
    /// The log's origin.
    pub origin: String,
    /// Its verifier key (vkey).
    pub key: String,
    /// The size of the latest checkpoint cosigned (0: none yet).
    pub size: u64,
    /// Its root, base64.
    pub root: String,
    /// That checkpoint with the log's signature and this witness's cosignature.
    pub checkpoint: Option<String>,
}

/// A witness over its directory.
#[derive(Debug)]
pub struct Witness {
    dir: PathBuf,
    cosigner: Cosigner,
    lock: Mutex<()>,
}

/// `hex(SHA-256(origin))`, the origin hash of the monitoring path.
#[must_use]
pub fn origin_hash(origin: &str) -> String {
    hex::encode(Sha256::digest(origin.as_bytes()))
}

impl Witness {
    /// Opens the witness in `dir`, creating its key named `name` if there is none.
    ///
    /// # Errors
    /// I/O failures, a malformed key file, or no name for a new witness.
    pub fn open(dir: &Path, name: Option<&str>) -> Result<Self, TlogError> {
        let key_path = dir.join("witness.key");
        let cosigner = if key_path.exists() {
            let text = std::fs::read_to_string(&key_path).map_err(TlogError::io(&key_path))?;
            let (n, seed) = text
                .trim()
                .split_once(' ')
                .ok_or_else(|| TlogError::Usage(format!("{} is malformed", key_path.display())))?;
            let seed: [u8; 32] = BASE64
                .decode(seed)
                .ok()
                .and_then(|s| s.try_into().ok())
                .ok_or_else(|| TlogError::Usage(format!("{} is malformed", key_path.display())))?;
            Cosigner::from_seed(n, seed).map_err(|e| TlogError::Usage(e.to_string()))?
        } else {
            let name = name.ok_or_else(|| {
                TlogError::Usage("a new witness needs --name (e.g. witness.example.org/w1)".into())
            })?;
            let mut seed = [0u8; 32];
            getrandom::getrandom(&mut seed).map_err(|e| TlogError::Usage(e.to_string()))?;
            let c = Cosigner::from_seed(name, seed).map_err(|e| TlogError::Usage(e.to_string()))?;
            std::fs::create_dir_all(dir).map_err(TlogError::io(dir))?;
            write_private(
                &key_path,
                format!("{name} {}\n", BASE64.encode(c.seed())).as_bytes(),
            )?;
            c
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            cosigner,
            lock: Mutex::new(()),
        })
    }

    /// The witness's public key.
    #[must_use]
    pub fn public(&self) -> CosignerKey {
        self.cosigner.public()
    }

    fn log_path(&self, origin: &str) -> PathBuf {
        self.dir
            .join("logs")
            .join(format!("{}.json", origin_hash(origin)))
    }

    /// Follows the log whose key is `key` (its origin is the key's name). Adding a log already
    /// followed with the same key changes nothing.
    ///
    /// # Errors
    /// [`TlogError::Usage`] for a bad key or a different key for the same origin.
    pub fn add_log(&self, key: &str) -> Result<LogState, TlogError> {
        let vkey = VerifierKey::parse(key.trim())?;
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(existing) = self.log(vkey.name())? {
            if existing.key != vkey.to_string() {
                return Err(TlogError::Usage(format!(
                    "the witness follows {} with another key",
                    vkey.name()
                )));
            }
            return Ok(existing);
        }
        let state = LogState {
            origin: vkey.name().to_owned(),
            key: vkey.to_string(),
            size: 0,
            root: merkle::empty_root().to_base64(),
            checkpoint: None,
        };
        self.save(&state)?;
        Ok(state)
    }

    /// The state of one log, if followed.
    ///
    /// # Errors
    /// I/O failures or a malformed file.
    pub fn log(&self, origin: &str) -> Result<Option<LogState>, TlogError> {
        let path = self.log_path(origin);
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| TlogError::Usage(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(TlogError::io(&path)(e)),
        }
    }

    /// The state of the log whose origin hashes to `hash` (lower-case hex), if followed.
    ///
    /// # Errors
    /// As [`Witness::log`].
    pub fn log_by_hash(&self, hash: &str) -> Result<Option<LogState>, TlogError> {
        if hash.len() != 64
            || !hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Ok(None);
        }
        let path = self.dir.join("logs").join(format!("{hash}.json"));
        match std::fs::read(&path) {
            Ok(b) => serde_json::from_slice(&b)
                .map(Some)
                .map_err(|e| TlogError::Usage(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(TlogError::io(&path)(e)),
        }
    }

    fn save(&self, state: &LogState) -> Result<(), TlogError> {
        let bytes =
            serde_json::to_vec_pretty(state).map_err(|e| TlogError::Usage(e.to_string()))?;
        write_atomically(&self.log_path(&state.origin), &bytes)
    }

    /// `add-checkpoint`: the request body (`old N`, proof lines, a blank line, the checkpoint) at
    /// POSIX time `now`; answers the cosignature line(s).
    ///
    /// # Errors
    /// [`AddError`], each with the spec's status.
    pub fn add_checkpoint(&self, body: &str, now: u64) -> Result<String, AddError> {
        let bad = |m: &str| AddError::BadRequest(m.to_owned());
        let (head, note) = body
            .split_once("\n\n")
            .ok_or_else(|| bad("no blank line"))?;
        let mut lines = head.split('\n');
        let old_line = lines.next().ok_or_else(|| bad("no old size line"))?;
        let old = old_line
            .strip_prefix("old ")
            .filter(|n| *n == "0" || (!n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())))
            .and_then(|n| n.parse::<u64>().ok())
            .ok_or_else(|| bad("the first line must be `old <size>`"))?;
        let mut proof = Vec::new();
        for l in lines {
            if proof.len() == 63 {
                return Err(bad("more than 63 proof lines"));
            }
            proof.push(Hash::from_base64(l).map_err(|_| bad("a proof line is not a base64 hash"))?);
        }
        let signed = SignedCheckpoint::parse(note).map_err(|e| bad(&e.to_string()))?;
        let checkpoint = signed.checkpoint().clone();
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let state = self
            .log(&checkpoint.origin)
            .map_err(|e| AddError::Storage(e.to_string()))?
            .ok_or_else(|| AddError::UnknownLog(checkpoint.origin.clone()))?;
        let key = VerifierKey::parse(&state.key).map_err(|e| AddError::Storage(e.to_string()))?;
        key.verify(&signed)
            .map_err(|e: CheckpointError| AddError::Forbidden(e.to_string()))?;
        if old > checkpoint.size {
            return Err(bad("the old size is above the checkpoint's"));
        }
        if old != state.size {
            return Err(AddError::Conflict(state.size));
        }
        if checkpoint.size == 0 && checkpoint.root != merkle::empty_root() {
            return Err(AddError::Inconsistent(
                "an empty tree has the empty root".into(),
            ));
        }
        let old_root =
            Hash::from_base64(&state.root).map_err(|e| AddError::Storage(e.to_string()))?;
        if old == 0 {
            if !proof.is_empty() {
                return Err(AddError::Inconsistent(
                    "no proof is needed from size 0".into(),
                ));
            }
        } else if old == checkpoint.size {
            if checkpoint.root != old_root {
                return Err(AddError::Inconsistent(format!(
                    "size {old} had root {}, now {}",
                    old_root.to_base64(),
                    checkpoint.root.to_base64()
                )));
            }
        } else {
            merkle::verify_consistency(old, checkpoint.size, &old_root, &checkpoint.root, &proof)
                .map_err(|e| {
                    tracing::warn!(origin = %checkpoint.origin, old, size = checkpoint.size, "inconsistent checkpoint refused (possible split view)");
                    AddError::Inconsistent(e.to_string())
                })?;
        }
        let (text, _) = super::split_note(note).ok_or_else(|| bad("no signatures"))?;
        let line = self.cosigner.cosign(text, now);
        let new = LogState {
            size: checkpoint.size,
            root: checkpoint.root.to_base64(),
            checkpoint: Some(format!("{note}{line}")),
            ..state
        };
        self.save(&new)
            .map_err(|e| AddError::Storage(e.to_string()))?;
        tracing::info!(origin = %new.origin, size = new.size, "cosigned");
        Ok(line)
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlogError> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(TlogError::io(path))?;
    f.write_all(bytes).map_err(TlogError::io(path))?;
    f.sync_all().map_err(TlogError::io(path))
}
