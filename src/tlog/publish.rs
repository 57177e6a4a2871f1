//! `delib publish --to DIR`: the ledger's tiles as static files, exactly the paths and bytes `serve`
//! answers under `/tlog/`, so any static host, CDN or object store can serve the log.
//!
//! Incremental: a tile's bytes at its path never change (a partial tile has its width in its
//! path, `.p/W`), so a file already in the directory is not written again. Every file goes through a temporary file,
//! fsync and rename; the checkpoint is written last the same way, so a reader never sees a
//! checkpoint whose tiles are not there. Partial tiles whose full tile now exists are removed after
//! the checkpoint.

use super::client::{DirFetch, Fetch};
use super::paths::{tiles_for_size, Tile, TileKind};
use super::tiles;
use super::TlogError;
use crate::audit::checkpoint::SignedCheckpoint;
use crate::audit::checkpoints;
use crate::audit::merkle::{self, Hash};
use crate::ledger::Ledger;
use crate::store::EventStore;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a publication wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Published {
    /// The tree size of the checkpoint written.
    pub size: u64,
    /// The size the directory was at before (0 if new).
    pub previous_size: u64,
    /// Files written (tiles and bundles; not counting the checkpoint).
    pub written: u64,
    /// Bytes written in them.
    pub bytes: u64,
    /// Tiles already there, not written again.
    pub kept: u64,
}

/// Publishes the ledger's tiles and a checkpoint of its whole head to `to`.
///
/// # Errors
/// [`TlogError::Usage`] when `to` holds another log or a larger one (publishing would roll it
/// back), [`TlogError::EntryTooLarge`], storage and file-system failures.
pub fn publish(ledger: &Ledger, to: &Path) -> Result<Published, TlogError> {
    let size = ledger.store().head().position.get();
    let (checkpoint, note) = checkpoints::sign(ledger, size)?;
    let previous = existing_checkpoint(to)?;
    let previous_size = match &previous {
        None => 0,
        Some(p) => {
            let c = p.checkpoint();
            if c.origin != checkpoint.origin {
                return Err(TlogError::Usage(format!(
                    "{} holds the log {}, not this ledger's ({})",
                    to.display(),
                    c.origin,
                    checkpoint.origin
                )));
            }
            if c.size > size {
                return Err(TlogError::Usage(format!(
                    "{} is published at size {}, this ledger holds {size}: publishing would roll it back",
                    to.display(),
                    c.size
                )));
            }
            c.size
        }
    };
    std::fs::create_dir_all(to).map_err(TlogError::io(to))?;
    let mut out = Published {
        size,
        previous_size,
        written: 0,
        bytes: 0,
        kept: 0,
    };
    let all = tiles_for_size(size);
    for tile in all.iter().filter(|t| t.kind == TileKind::Hashes(0)) {
        let bundle = Tile {
            kind: TileKind::Entries,
            ..*tile
        };
        if exists(to, tile) && exists(to, &bundle) {
            out.kept += 2;
            continue;
        }
        let records = tiles::records(ledger.store(), tile)?;
        let leaves: Vec<Hash> = records.iter().map(|r| merkle::leaf_hash(r)).collect();
        write_tile(to, &bundle, &tiles::encode_bundle(&records), &mut out)?;
        write_tile(to, tile, &tiles::concat(&leaves), &mut out)?;
    }
    for tile in all.iter().filter(|t| t.level() > 0) {
        if exists(to, tile) {
            out.kept += 1;
            continue;
        }
        let bytes = tiles::tile_bytes(ledger.store(), tile)?;
        write_tile(to, tile, &bytes, &mut out)?;
    }
    write_atomically(&to.join("checkpoint"), note.as_bytes())?;
    tracing::info!(size, previous_size, written = out.written, kept = out.kept, root = %checkpoint.root, "published");
    remove_superseded_partials(to, &all);
    Ok(out)
}

fn existing_checkpoint(to: &Path) -> Result<Option<SignedCheckpoint>, TlogError> {
    match DirFetch(to.to_path_buf()).get("checkpoint")? {
        None => Ok(None),
        Some(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                TlogError::Usage(format!("{}/checkpoint is not a checkpoint", to.display()))
            })?;
            Ok(Some(SignedCheckpoint::parse(&text)?))
        }
    }
}

fn exists(to: &Path, tile: &Tile) -> bool {
    let path = to.join(tile.path());
    match std::fs::metadata(&path) {
        Ok(m) if tile.kind != TileKind::Entries => {
            m.len() == u64::from(tile.width) * Hash::LEN as u64
        }
        Ok(m) => m.is_file(),
        Err(_) => false,
    }
}

fn write_tile(to: &Path, tile: &Tile, bytes: &[u8], out: &mut Published) -> Result<(), TlogError> {
    write_atomically(&to.join(tile.path()), bytes)?;
    out.written += 1;
    out.bytes += bytes.len() as u64;
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same directory, fsync and rename, then
/// syncs the directory.
///
/// # Errors
/// [`TlogError::Io`].
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), TlogError> {
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&dir).map_err(TlogError::io(&dir))?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(TlogError::io(&dir))?;
    tmp.write_all(bytes).map_err(TlogError::io(path))?;
    tmp.as_file().sync_all().map_err(TlogError::io(path))?;
    tmp.persist(path)
        .map_err(|e| TlogError::io(path)(e.error))?;
    std::fs::File::open(&dir)
        .and_then(|d| d.sync_all())
        .map_err(TlogError::io(&dir))
}

/// Removes `tile/L/N.p/` directories of tiles that are now full (best effort: a leftover partial
/// tile is harmless).
pub fn remove_superseded_partials(to: &Path, tiles: &[Tile]) {
    for tile in tiles.iter().filter(|t| t.is_full()) {
        let dir = to.join(format!("{}.p", tile.path()));
        if dir.is_dir() {
            if let Err(e) = std::fs::remove_dir_all(&dir) {
                tracing::warn!(path = %dir.display(), error = %e, "could not remove superseded partial tiles");
            }
        }
    }
}
