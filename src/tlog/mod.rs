//! The ledger as a C2SP tiled transparency log (<https://c2sp.org/tlog-tiles>), and what follows
//! from it: publishing the tiles as static files, mirroring a published ledger with verification,
//! restoring a ledger from a mirror.
//!
//! - [`paths`]: tile coordinates and their exact paths;
//! - [`tiles`]: tile and entry-bundle bytes made from the ledger's own Merkle tree (the one place
//!   tiles are made);
//! - [`client`]: the reading side, from the spec alone: tile hashes as a
//!   [`crate::audit::merkle::HashSource`], verification of tiles against a checkpoint;
//! - [`publish`]: `delib publish --to DIR` (incremental, the checkpoint last and atomically);
//! - [`mirror`]: `delib mirror` (a verified replica, refusing forks) and restoring from it.

pub mod client;
pub mod http;
pub mod mirror;
pub mod paths;
pub mod publish;
pub mod tiles;

use crate::audit::checkpoint::CheckpointError;
use crate::audit::checkpoints::CheckpointingError;
use crate::store::StoreError;
use thiserror::Error;

/// Why a tile, a publication or a mirror run failed.
#[derive(Debug, Error)]
pub enum TlogError {
    /// The path is not a tile path.
    #[error(transparent)]
    BadPath(#[from] paths::BadTilePath),
    /// The tree does not (yet) hold this tile.
    #[error("no such tile in a tree of {size} entries: {path}")]
    NoSuchTile {
        /// The tile's path.
        path: String,
        /// The tree size.
        size: u64,
    },
    /// A record is too long for an entry bundle (uint16 length prefixes).
    #[error("record at position {position} is {len} bytes; tlog-tiles entry bundles carry entries of at most 65535 bytes")]
    EntryTooLarge {
        /// The record's position.
        position: u64,
        /// Its length.
        len: usize,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Signing the checkpoint failed.
    #[error(transparent)]
    Checkpointing(#[from] CheckpointingError),
    /// A checkpoint or key did not parse or verify.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Fetching from a published log failed.
    #[error("fetching {url}: {reason}")]
    Fetch {
        /// What was fetched.
        url: String,
        /// Why it failed.
        reason: String,
    },
    /// The published tiles do not match the signed checkpoint, or each other.
    #[error("verification failed: {0}")]
    Invalid(String),
    /// The log shows a history that does not extend the one seen before.
    #[error("FORK: the log's checkpoint {new} is not consistent with checkpoint {old} verified before; refusing it, the replica keeps {old}")]
    Fork {
        /// The checkpoint verified before (origin, size, root).
        old: String,
        /// The checkpoint offered now.
        new: String,
    },
    /// A usage problem (missing key, replica of another log, ...).
    #[error("{0}")]
    Usage(String),
}

impl TlogError {
    pub(crate) fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
