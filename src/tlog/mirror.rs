//! `delib mirror --from URL|DIR --data DIR`: a verified replica of a published ledger, and
//! `delib restore --from-mirror DIR`: a working ledger made from it.
//!
//! The replica directory is itself a published log (the same `checkpoint` and `tile/...` files), plus
//! `log.vkey`, the log's key given once with `--key`. A run fetches the log's checkpoint, verifies its
//! signature, checks with the published tiles that it extends the checkpoint the replica holds (a
//! fork is refused, naming both), verifies every new tile down to the entries
//! ([`super::client::verify_tree`]), stages them (each file written and synced once), renames them
//! into place, syncs each directory that changed once, and writes the checkpoint last, atomically.
//! A refused run changes nothing in the replica; a crash before the checkpoint leaves the previous
//! checkpoint with every file it refers to.

use super::client::{self, describe, fetch_checkpoint, DirFetch, Fetch, Sink};
use super::paths::{tiles_for_size, Tile, TileKind};
use super::publish::{remove_superseded_partials, write_atomically};
use super::TlogError;
use crate::audit::checkpoint::{SignedCheckpoint, VerifierKey};
use crate::audit::keys;
use crate::clock::Clock;
use crate::ledger::Ledger;
use crate::store::{SledStore, StoreError, StoreOptions};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file holding the followed log's verifier key.
pub const KEY_FILE: &str = "log.vkey";
const STAGING: &str = ".incoming";

/// What a mirror run did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Mirrored {
    /// The log's origin.
    pub origin: String,
    /// The size the replica held before.
    pub previous_size: u64,
    /// The size it holds now.
    pub size: u64,
    /// The root it holds now (base64).
    pub root: String,
    /// Tiles and bundles fetched and verified.
    pub tiles: u64,
    /// Entries fetched.
    pub entries: u64,
}

/// The key and checkpoint a replica holds.
///
/// # Errors
/// [`TlogError::Usage`] when `data` is not a replica, signature and I/O failures.
pub fn replica_state(data: &Path) -> Result<(VerifierKey, Option<SignedCheckpoint>), TlogError> {
    let key_path = data.join(KEY_FILE);
    let text = std::fs::read_to_string(&key_path).map_err(|_| {
        TlogError::Usage(format!(
            "{} is not a mirror (no {KEY_FILE}); the first run needs --key",
            data.display()
        ))
    })?;
    let key = VerifierKey::parse(text.trim())?;
    let checkpoint = match DirFetch(data.to_path_buf()).get("checkpoint")? {
        None => None,
        Some(bytes) => {
            let note = String::from_utf8(bytes)
                .map_err(|_| TlogError::Invalid("the replica's checkpoint is not UTF-8".into()))?;
            let signed = SignedCheckpoint::parse(&note)?;
            key.verify(&signed)?;
            Some(signed)
        }
    };
    Ok((key, checkpoint))
}

struct Staging {
    dir: PathBuf,
    files: Vec<Tile>,
    entries: u64,
}

impl Sink for Staging {
    fn verified(&mut self, tile: &Tile, bytes: &[u8]) -> Result<(), TlogError> {
        let path = self.dir.join(tile.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(TlogError::io(parent))?;
        }
        // Written and synced once, here; moving it into place is a rename.
        let mut file = std::fs::File::create(&path).map_err(TlogError::io(&path))?;
        file.write_all(bytes).map_err(TlogError::io(&path))?;
        file.sync_all().map_err(TlogError::io(&path))?;
        if tile.kind == TileKind::Entries {
            self.entries += u64::from(tile.width);
        }
        self.files.push(*tile);
        Ok(())
    }
}

/// Brings the replica in `data` up to the log published at `from`.
///
/// `key` (a signed-note verifier key) is required on the first run and remembered; given later it
/// must be the remembered one.
///
/// # Errors
/// [`TlogError::Fork`] when the log's checkpoint does not extend the replica's,
/// [`TlogError::Invalid`] for tiles that do not verify, [`TlogError::Usage`] for a missing or
/// different key, fetch and I/O failures. The replica is unchanged on error.
pub fn mirror(from: &dyn Fetch, data: &Path, key: Option<&str>) -> Result<Mirrored, TlogError> {
    let given = key.map(VerifierKey::parse).transpose()?;
    let (key, held) = match (replica_state(data), given) {
        (Ok((remembered, held)), Some(given)) => {
            if remembered != given {
                return Err(TlogError::Usage(format!(
                    "{} follows the log with key {remembered}, not {given}",
                    data.display()
                )));
            }
            (remembered, held)
        }
        (Ok(state), None) => state,
        (Err(_), Some(given)) if !data.join(KEY_FILE).exists() => (given, None),
        (Err(e), _) => return Err(e),
    };
    let (signed, note) = fetch_checkpoint(from, &key)?;
    let new = signed.checkpoint().clone();
    let old = held.as_ref().map(|s| s.checkpoint().clone());
    if old.as_ref() == Some(&new) {
        return Ok(Mirrored {
            origin: new.origin.clone(),
            previous_size: new.size,
            size: new.size,
            root: new.root.to_base64(),
            tiles: 0,
            entries: 0,
        });
    }
    let staging_dir = data.join(STAGING);
    if staging_dir.exists() {
        std::fs::remove_dir_all(&staging_dir).map_err(TlogError::io(&staging_dir))?;
    }
    let new_replica = !data.is_dir();
    std::fs::create_dir_all(&staging_dir).map_err(TlogError::io(&staging_dir))?;
    if new_replica {
        if let Some(parent) = data.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::File::open(parent)
                .and_then(|d| d.sync_all())
                .map_err(TlogError::io(parent))?;
        }
    }
    let mut staging = Staging {
        dir: staging_dir.clone(),
        files: Vec::new(),
        entries: 0,
    };
    let verified = client::verify_tree(from, &new, old.as_ref(), &mut staging);
    if let Err(e) = verified {
        let _ = std::fs::remove_dir_all(&staging_dir);
        if let TlogError::Fork { .. } = &e {
            tracing::error!(old = %old.as_ref().map(describe).unwrap_or_default(), new = %describe(&new), source = %from.describe(), "fork refused");
        }
        return Err(e);
    }
    // Move the verified files into place (each is complete and synced; none is referenced until
    // the checkpoint is written), sync every directory that gained a name once, then the key
    // (first run), then the checkpoint.
    move_into_place(&staging_dir, data, &staging.files)?;
    if !data.join(KEY_FILE).exists() {
        write_atomically(&data.join(KEY_FILE), format!("{key}\n").as_bytes())?;
    }
    write_atomically(&data.join("checkpoint"), note.as_bytes())?;
    let _ = std::fs::remove_dir_all(&staging_dir);
    remove_superseded_partials(data, &tiles_for_size(new.size));
    let out = Mirrored {
        origin: new.origin.clone(),
        previous_size: old.map_or(0, |c| c.size),
        size: new.size,
        root: new.root.to_base64(),
        tiles: staging.files.len() as u64,
        entries: staging.entries,
    };
    tracing::info!(origin = %out.origin, previous = out.previous_size, size = out.size, tiles = out.tiles, "mirrored");
    Ok(out)
}

/// Renames each staged file to its place under `data` and then syncs each directory that gained
/// an entry (and the parent of each directory created), once: after this the renames are durable,
/// so a checkpoint written next never refers to a file a crash could lose.
fn move_into_place(staging: &Path, data: &Path, files: &[Tile]) -> Result<(), TlogError> {
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for tile in files {
        let dst = data.join(tile.path());
        let parent = dst.parent().unwrap_or(data).to_path_buf();
        if !dirs.contains(&parent) {
            create_dirs(data, &parent, &mut dirs)?;
        }
        let src = staging.join(tile.path());
        std::fs::rename(&src, &dst).map_err(TlogError::io(&dst))?;
    }
    for dir in &dirs {
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(TlogError::io(dir))?;
    }
    Ok(())
}

/// Creates `dir` (under `root`) and its missing ancestors, adding `dir` and the parent of every
/// directory created to `to_sync`.
fn create_dirs(root: &Path, dir: &Path, to_sync: &mut BTreeSet<PathBuf>) -> Result<(), TlogError> {
    let mut missing = Vec::new();
    let mut at = dir;
    while at != root && !at.is_dir() {
        missing.push(at.to_path_buf());
        match at.parent() {
            Some(p) => at = p,
            None => break,
        }
    }
    for created in missing.iter().rev() {
        std::fs::create_dir(created)
            .or_else(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Ok(())
                } else {
                    Err(e)
                }
            })
            .map_err(TlogError::io(created))?;
        if let Some(p) = created.parent() {
            to_sync.insert(p.to_path_buf());
        }
    }
    to_sync.insert(dir.to_path_buf());
    Ok(())
}

struct Collect(Vec<Vec<u8>>);

impl Sink for Collect {
    fn verified(&mut self, tile: &Tile, bytes: &[u8]) -> Result<(), TlogError> {
        if tile.kind == TileKind::Entries {
            self.0.extend(client::parse_bundle(tile, bytes)?);
        }
        Ok(())
    }
}

/// What a restore made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Restored {
    /// Records written.
    pub records: u64,
    /// The Merkle root of the new ledger (base64), equal to the mirror's checkpoint.
    pub root: String,
    /// The key the mirror followed, now trusted as a previous key of the new ledger.
    pub previous_key: String,
}

/// Makes a working ledger in `data` (which must not hold one) from the replica in `mirror`: every
/// tile is verified again against the replica's checkpoint, the records are imported with the same
/// bytes and positions, a new signing key is created and the mirrored log's key is trusted for the
/// checkpoints it signed.
///
/// # Errors
/// [`TlogError::Usage`] when `data` is not empty, verification, storage and I/O failures.
pub fn restore(mirror: &Path, data: &Path, clock: Arc<dyn Clock>) -> Result<Restored, TlogError> {
    if data.exists()
        && std::fs::read_dir(data)
            .map_err(TlogError::io(data))?
            .next()
            .is_some()
    {
        return Err(TlogError::Usage(format!(
            "{} is not empty; restore makes a new ledger",
            data.display()
        )));
    }
    let (key, held) = replica_state(mirror)?;
    let held = held.ok_or_else(|| {
        TlogError::Usage(format!(
            "{} has no verified checkpoint yet",
            mirror.display()
        ))
    })?;
    let checkpoint = held.checkpoint().clone();
    let mut collect = Collect(Vec::with_capacity(checkpoint.size as usize));
    client::verify_tree(
        &DirFetch(mirror.to_path_buf()),
        &checkpoint,
        None,
        &mut collect,
    )?;
    let records = collect.0;
    let options = StoreOptions {
        create: true,
        clock: clock.clone(),
        ..StoreOptions::default()
    };
    let result = (|| -> Result<Restored, TlogError> {
        let store = SledStore::open(data, options)?;
        let head = store.import(records)?;
        drop(store);
        let ledger = Ledger::open(data, clock)?;
        let origin = ledger.identity()?.origin;
        keys::create(data, &origin).map_err(|e| TlogError::Usage(e.to_string()))?;
        keys::trust_previous(data, &key).map_err(|e| TlogError::Usage(e.to_string()))?;
        let root = ledger.store().merkle_root(head.position.get())?;
        if root != checkpoint.root {
            return Err(TlogError::Invalid(format!(
                "the restored ledger's root {} is not the mirror's {}",
                root.to_base64(),
                checkpoint.root.to_base64()
            )));
        }
        Ok(Restored {
            records: head.position.get(),
            root: root.to_base64(),
            previous_key: key.to_string(),
        })
    })();
    if result.is_err() {
        // A failed restore leaves no half ledger behind.
        let _ = std::fs::remove_dir_all(data);
    }
    result.map_err(|e| match e {
        TlogError::Store(StoreError::NotEmpty(_)) => TlogError::Usage(e.to_string()),
        other => other,
    })
}
