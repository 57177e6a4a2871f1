//! Tiles made from the ledger: **the one place** delib turns its Merkle tree into tlog-tiles
//! resources. Hash tile `(L, N)` holds `complete_subtree_hash(8L, N*256 + i)` for `i < W`, read from
//! the stored tree nodes (levels 8, 16, ... are stored) or, at level 0, recomputed from the records;
//! an entry bundle holds the records' exact bytes, each behind its big-endian `u16` length.

use super::paths::{exists_at_size, Tile, TileKind, TILE_WIDTH};
use super::TlogError;
use crate::audit::merkle::TreeError;
use crate::audit::merkle::{self, complete_subtree_hash, Hash};
use crate::store::{EventStore, SledStore, StoreError};
use delib_events::Position;

/// The bytes of `tile` in the ledger's tree at its durable head.
///
/// # Errors
/// [`TlogError::NoSuchTile`] when the tree does not reach the tile at that width,
/// [`TlogError::EntryTooLarge`], storage failures.
pub fn tile_bytes(store: &SledStore, tile: &Tile) -> Result<Vec<u8>, TlogError> {
    let size = store.head().position.get();
    if !exists_at_size(tile, size) {
        return Err(TlogError::NoSuchTile {
            path: tile.path(),
            size,
        });
    }
    match tile.kind {
        TileKind::Entries => Ok(encode_bundle(&records(store, tile)?)),
        TileKind::Hashes(0) => {
            let leaves: Vec<Hash> = records(store, tile)?
                .iter()
                .map(|r| merkle::leaf_hash(r))
                .collect();
            Ok(concat(&leaves))
        }
        TileKind::Hashes(level) => Ok(concat(&upper_hashes(store, level, tile)?)),
    }
}

/// The records a level-0 tile or bundle covers, exact bytes.
///
/// # Errors
/// Storage failures, a missing record, [`TlogError::EntryTooLarge`].
pub fn records(store: &SledStore, tile: &Tile) -> Result<Vec<Vec<u8>>, TlogError> {
    let first = tile.index * TILE_WIDTH;
    let raw = store.read_raw(Position::new(first + 1), usize::from(tile.width))?;
    if raw.len() != usize::from(tile.width) {
        return Err(TlogError::NoSuchTile {
            path: tile.path(),
            size: store.head().position.get(),
        });
    }
    raw.into_iter()
        .map(|(p, bytes)| {
            if bytes.len() > usize::from(u16::MAX) {
                Err(TlogError::EntryTooLarge {
                    position: p.get(),
                    len: bytes.len(),
                })
            } else {
                Ok(bytes)
            }
        })
        .collect()
}

fn upper_hashes(store: &SledStore, level: u8, tile: &Tile) -> Result<Vec<Hash>, TlogError> {
    let src = store.hash_source();
    (0..u64::from(tile.width))
        .map(|i| {
            complete_subtree_hash(&src, 8 * level, tile.index * TILE_WIDTH + i).map_err(tree_error)
        })
        .collect()
}

/// Hashes laid end to end, 32 bytes each.
#[must_use]
pub fn concat(hashes: &[Hash]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hashes.len() * Hash::LEN);
    for h in hashes {
        out.extend_from_slice(h.as_bytes());
    }
    out
}

/// An entry bundle: every entry behind its big-endian `u16` length. Entries must be at most 65535
/// bytes ([`records`] checks).
#[must_use]
pub fn encode_bundle(entries: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.len() + 2).sum());
    for e in entries {
        let len = u16::try_from(e.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(e);
    }
    out
}

fn tree_error(e: TreeError<StoreError>) -> TlogError {
    match e {
        TreeError::Source(e) => TlogError::Store(e),
        other => TlogError::Invalid(other.to_string()),
    }
}
