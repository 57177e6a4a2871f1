//! The ledger's checkpoint signing key: an Ed25519 key created by `delib init`, kept in
//! `DATA/keys/checkpoint.key` (mode 0600) in the signed-note private-key format. Its public half is
//! what `delib audit key` prints and what anyone checks checkpoints against.

use super::checkpoint::{CheckpointError, SignerKey};
use std::io::Write;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why the key could not be created or loaded.
#[derive(Debug, Error)]
pub enum KeyError {
    /// File-system error.
    #[error("checkpoint key {path}: {source}")]
    Io {
        /// The key file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The key file does not parse, or the name is invalid.
    #[error("checkpoint key {path}: {source}")]
    Format {
        /// The key file.
        path: PathBuf,
        /// Why.
        source: CheckpointError,
    },
    /// The OS random source failed.
    #[error("no randomness for a new key: {0}")]
    Random(String),
}

/// Where the key lives in a data directory.
pub fn key_path(data: &Path) -> PathBuf {
    data.join("keys").join("checkpoint.key")
}

/// Creates a new key named `origin` (the ledger's checkpoint origin) in `data`, readable by the owner
/// only. Refuses to overwrite an existing key.
///
/// # Errors
/// [`KeyError`] on I/O failure, an existing key, or an invalid name.
pub fn create(data: &Path, origin: &str) -> Result<SignerKey, KeyError> {
    let path = key_path(data);
    let io = |source| KeyError::Io {
        path: path.clone(),
        source,
    };
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
    let key = SignerKey::from_seed(origin, seed).map_err(|source| KeyError::Format {
        path: path.clone(),
        source,
    })?;
    std::fs::create_dir_all(path.parent().unwrap_or(data)).map_err(io)?;
    let mut file = open_private(&path).map_err(io)?;
    file.write_all(key.to_private_string().as_bytes())
        .map_err(io)?;
    file.write_all(b"\n").map_err(io)?;
    file.sync_all().map_err(io)?;
    std::fs::File::open(path.parent().unwrap_or(data))
        .and_then(|d| d.sync_all())
        .map_err(io)?;
    Ok(key)
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Loads the key of the ledger in `data`.
///
/// # Errors
/// [`KeyError`] when the file is missing or malformed.
pub fn load(data: &Path) -> Result<SignerKey, KeyError> {
    let path = key_path(data);
    let text = std::fs::read_to_string(&path).map_err(|source| KeyError::Io {
        path: path.clone(),
        source,
    })?;
    SignerKey::parse(text.trim()).map_err(|source| KeyError::Format { path, source })
}

/// Where the public keys of ledgers this one was imported from are listed (one vkey a line).
pub fn previous_keys_path(data: &Path) -> PathBuf {
    data.join("keys").join("previous.vkeys")
}

/// Adds a previous ledger's public key, so that checkpoints it signed (now in this ledger's log) verify.
///
/// # Errors
/// I/O failures.
pub fn trust_previous(data: &Path, key: &super::checkpoint::VerifierKey) -> Result<(), KeyError> {
    let path = previous_keys_path(data);
    let io = |source| KeyError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(path.parent().unwrap_or(data)).map_err(io)?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(io)?;
    writeln!(file, "{key}").map_err(io)?;
    file.sync_all().map_err(io)
}

/// The keys a checkpoint in this ledger's log may be signed with: its own, then previous ones.
///
/// # Errors
/// [`KeyError`] when the ledger's own key cannot be loaded.
pub fn verifiers(data: &Path) -> Result<Vec<super::checkpoint::VerifierKey>, KeyError> {
    let mut keys = vec![load(data)?.verifier()];
    if let Ok(text) = std::fs::read_to_string(previous_keys_path(data)) {
        keys.extend(
            text.lines()
                .filter_map(|l| super::checkpoint::VerifierKey::parse(l.trim()).ok()),
        );
    }
    Ok(keys)
}
