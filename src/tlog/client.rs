//! The reading side of a tiled log, written from the tlog-tiles spec alone (it does not call the
//! producer in [`super::tiles`]): fetching resources from a directory or a URL, tile hashes as a
//! [`HashSource`] for a given tree size, and the top-down verification of every tile of a tree
//! against its signed checkpoint.

use super::paths::{tile_at_size, tiles_for_size, Tile, TileKind, TILE_WIDTH};
use super::TlogError;
use crate::audit::checkpoint::{Checkpoint, SignedCheckpoint, VerifierKey};
use crate::audit::merkle::{self, root_at, Hash, HashSource, TreeError};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where a published log is read from.
pub trait Fetch {
    /// The resource at `path` (relative to the log prefix: `checkpoint`, `tile/0/000`), or `None`
    /// when it does not exist.
    ///
    /// # Errors
    /// [`TlogError::Fetch`] when it cannot be read.
    fn get(&self, path: &str) -> Result<Option<Vec<u8>>, TlogError>;

    /// Where this is, for messages.
    fn describe(&self) -> String;
}

/// A log published as files in a directory (`delib publish --to DIR`, or a mirror's replica).
#[derive(Debug, Clone)]
pub struct DirFetch(pub PathBuf);

impl Fetch for DirFetch {
    fn get(&self, path: &str) -> Result<Option<Vec<u8>>, TlogError> {
        let file = self.0.join(path);
        match std::fs::read(&file) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(TlogError::Fetch {
                url: file.display().to_string(),
                reason: e.to_string(),
            }),
        }
    }

    fn describe(&self) -> String {
        self.0.display().to_string()
    }
}

/// A log served over HTTP(S) under a URL prefix (`https://example.org/tlog`).
#[derive(Debug)]
pub struct HttpFetch {
    base: String,
    client: reqwest::Client,
    runtime: tokio::runtime::Runtime,
}

impl HttpFetch {
    /// A fetcher under `base` (a trailing slash is removed).
    ///
    /// # Errors
    /// [`TlogError::Fetch`] if the HTTP client cannot be set up.
    pub fn new(base: &str) -> Result<Self, TlogError> {
        let fail = |reason: String| TlogError::Fetch {
            url: base.to_owned(),
            reason,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| fail(e.to_string()))?;
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .map_err(|e| fail(e.to_string()))?;
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            client,
            runtime,
        })
    }
}

impl Fetch for HttpFetch {
    fn get(&self, path: &str) -> Result<Option<Vec<u8>>, TlogError> {
        let url = format!("{}/{path}", self.base);
        let fail = |reason: String| TlogError::Fetch {
            url: url.clone(),
            reason,
        };
        self.runtime.block_on(async {
            let resp = self
                .client
                .get(&url)
                .send()
                .await
                .map_err(|e| fail(e.to_string()))?;
            if resp.status() == reqwest::StatusCode::NOT_FOUND {
                return Ok(None);
            }
            if !resp.status().is_success() {
                return Err(fail(format!("HTTP {}", resp.status())));
            }
            let body = resp.bytes().await.map_err(|e| fail(e.to_string()))?;
            Ok(Some(body.to_vec()))
        })
    }

    fn describe(&self) -> String {
        self.base.clone()
    }
}

/// A fetcher for `--from`: a URL if it starts with `http://` or `https://`, else a directory.
///
/// # Errors
/// As [`HttpFetch::new`].
pub fn fetcher(from: &str) -> Result<Box<dyn Fetch>, TlogError> {
    if from.starts_with("http://") || from.starts_with("https://") {
        Ok(Box::new(HttpFetch::new(from)?))
    } else {
        Ok(Box::new(DirFetch(PathBuf::from(from))))
    }
}

/// Fetches the checkpoint and verifies it with `key`.
///
/// # Errors
/// [`TlogError::Fetch`], [`TlogError::Invalid`] when there is none, and the signature errors.
pub fn fetch_checkpoint(
    from: &dyn Fetch,
    key: &VerifierKey,
) -> Result<(SignedCheckpoint, String), TlogError> {
    let bytes = from
        .get("checkpoint")?
        .ok_or_else(|| TlogError::Invalid(format!("{} has no checkpoint", from.describe())))?;
    let note = String::from_utf8(bytes)
        .map_err(|_| TlogError::Invalid("the checkpoint is not UTF-8".into()))?;
    let signed = SignedCheckpoint::parse(&note)?;
    key.verify(&signed)?;
    Ok((signed, note))
}

/// A checkpoint in one line for messages: `origin size N root R`.
#[must_use]
pub fn describe(c: &Checkpoint) -> String {
    format!("({} size {} root {})", c.origin, c.size, c.root.to_base64())
}

/// The hashes of a tile's bytes, checking the length against its width.
///
/// # Errors
/// [`TlogError::Invalid`] for a wrong length.
pub fn parse_hash_tile(tile: &Tile, bytes: &[u8]) -> Result<Vec<Hash>, TlogError> {
    if bytes.len() != usize::from(tile.width) * Hash::LEN {
        return Err(TlogError::Invalid(format!(
            "{} is {} bytes, expected {}",
            tile.path(),
            bytes.len(),
            usize::from(tile.width) * Hash::LEN
        )));
    }
    Ok(bytes
        .chunks_exact(Hash::LEN)
        .map(|c| Hash::from_slice(c).unwrap_or_default())
        .collect())
}

/// The entries of a bundle (big-endian `u16` length prefixes), checking their count.
///
/// # Errors
/// [`TlogError::Invalid`] for a truncated bundle or the wrong number of entries.
pub fn parse_bundle(tile: &Tile, bytes: &[u8]) -> Result<Vec<Vec<u8>>, TlogError> {
    let mut out = Vec::with_capacity(usize::from(tile.width));
    let mut rest = bytes;
    while !rest.is_empty() {
        if rest.len() < 2 {
            return Err(TlogError::Invalid(format!("{} is truncated", tile.path())));
        }
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
        if rest.len() < 2 + len {
            return Err(TlogError::Invalid(format!("{} is truncated", tile.path())));
        }
        out.push(rest[2..2 + len].to_vec());
        rest = &rest[2 + len..];
    }
    if out.len() != usize::from(tile.width) {
        return Err(TlogError::Invalid(format!(
            "{} holds {} entries, expected {}",
            tile.path(),
            out.len(),
            tile.width
        )));
    }
    Ok(out)
}

/// RFC 6962 `MTH` of the 256 hashes of a full tile: the hash its level-above tile holds for it.
#[must_use]
pub fn full_tile_root(hashes: &[Hash]) -> Hash {
    let mut level: Vec<Hash> = hashes.to_vec();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|p| {
                if p.len() == 2 {
                    merkle::node_hash(&p[0], &p[1])
                } else {
                    p[0]
                }
            })
            .collect();
    }
    level.first().copied().unwrap_or_else(merkle::empty_root)
}

/// The tile hashes of a tree of `size` entries read through a [`Fetch`], as a [`HashSource`], so
/// roots and proofs of any size up to `size` come from the published tiles. Fetched tiles are kept.
pub struct TileHashes<'a> {
    from: &'a dyn Fetch,
    size: u64,
    cache: RefCell<HashMap<Tile, Vec<Hash>>>,
}

impl std::fmt::Debug for TileHashes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TileHashes")
            .field("from", &self.from.describe())
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl<'a> TileHashes<'a> {
    /// Tile hashes of the tree of `size` entries published at `from`.
    #[must_use]
    pub fn new(from: &'a dyn Fetch, size: u64) -> Self {
        Self {
            from,
            size,
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// The hashes of tile `(level, index)` as it is at this size (fetched once).
    ///
    /// # Errors
    /// [`TlogError::Invalid`] if the tile is not in the tree or is missing or malformed.
    pub fn tile(&self, level: u8, index: u64) -> Result<(Tile, Vec<Hash>), TlogError> {
        let tile = tile_at_size(TileKind::Hashes(level), index, self.size).ok_or_else(|| {
            TlogError::Invalid(format!(
                "tile {level}/{index} is beyond a tree of {}",
                self.size
            ))
        })?;
        if let Some(h) = self.cache.borrow().get(&tile) {
            return Ok((tile, h.clone()));
        }
        let bytes = self.from.get(&tile.path())?.ok_or_else(|| {
            TlogError::Invalid(format!("{} lacks {}", self.from.describe(), tile.path()))
        })?;
        let hashes = parse_hash_tile(&tile, &bytes)?;
        self.cache.borrow_mut().insert(tile, hashes.clone());
        Ok((tile, hashes))
    }

    fn hash(&self, level: u8, index: u64) -> Result<Hash, TlogError> {
        let (_, hashes) = self.tile(level, index / TILE_WIDTH)?;
        hashes
            .get((index % TILE_WIDTH) as usize)
            .copied()
            .ok_or_else(|| TlogError::Invalid(format!("hash {level}/{index} is not in its tile")))
    }

    /// Every tile fetched so far, with its hashes.
    #[must_use]
    pub fn fetched(&self) -> HashMap<Tile, Vec<Hash>> {
        self.cache.borrow().clone()
    }
}

impl HashSource for TileHashes<'_> {
    type Error = TlogError;

    fn leaf_hash(&self, index: u64) -> Result<Hash, TlogError> {
        self.hash(0, index)
    }

    fn subtree(&self, level: u8, index: u64) -> Result<Option<Hash>, TlogError> {
        if level.is_multiple_of(8) {
            self.hash(level / 8, index).map(Some)
        } else {
            Ok(None)
        }
    }
}

fn tree(e: TreeError<TlogError>) -> TlogError {
    match e {
        TreeError::Source(e) => e,
        other => TlogError::Invalid(other.to_string()),
    }
}

/// The root of the first `size` entries from the tiles of a tree of `tree_size` entries.
///
/// # Errors
/// Fetch failures, missing or malformed tiles.
pub fn root_from_tiles(tiles: &TileHashes<'_>, size: u64) -> Result<Hash, TlogError> {
    root_at(tiles, size).map_err(tree)
}

/// What [`verify_tree`] is given for each verified resource.
pub trait Sink {
    /// A tile (hash tile or entry bundle) whose bytes were verified against the checkpoint.
    ///
    /// # Errors
    /// Whatever storing it fails with.
    fn verified(&mut self, tile: &Tile, bytes: &[u8]) -> Result<(), TlogError>;
}

/// Verifies every tile of the tree `new` describes, fetched from `from`, except the full tiles of
/// the tree of `old` (already verified and held), and hands each verified resource
/// to `sink`, entries in order.
///
/// Order of checks: the root recomputed from the tiles equals the checkpoint's; when `old` is
/// given, the root of its size recomputed from the same tiles equals its root (consistency), else
/// [`TlogError::Fork`]; then top-down, every full tile hashes to the value its parent tile holds and
/// every entry bundle hashes to its level-0 tile.
///
/// # Errors
/// [`TlogError::Fork`], [`TlogError::Invalid`], fetch and sink failures.
pub fn verify_tree(
    from: &dyn Fetch,
    new: &Checkpoint,
    old: Option<&Checkpoint>,
    sink: &mut dyn Sink,
) -> Result<(), TlogError> {
    let size = new.size;
    if let Some(old) = old {
        if old.origin != new.origin {
            return Err(TlogError::Usage(format!(
                "the log's origin is {}, this replica follows {}",
                new.origin, old.origin
            )));
        }
        if new.size < old.size || (new.size == old.size && new.root != old.root) {
            return Err(TlogError::Fork {
                old: describe(old),
                new: describe(new),
            });
        }
    }
    let held = old.map_or(0, |c| c.size);
    let remote = TileHashes::new(from, size);
    if size > 0 {
        let root = root_from_tiles(&remote, size)?;
        if root != new.root {
            return Err(TlogError::Invalid(format!(
                "the tiles at {} give root {} for size {size}, the signed checkpoint says {}",
                from.describe(),
                root.to_base64(),
                new.root.to_base64()
            )));
        }
    } else if new.root != merkle::empty_root() {
        return Err(TlogError::Invalid(
            "an empty tree with a non-empty root".into(),
        ));
    }
    // Verified so far: the tiles the root computation read, which are the partial tile of every
    // level, read whole. The consistency check reads through its own cache: what it reads of a
    // full tile is bound to the old root only, not yet to the new one.
    let mut verified: HashMap<Tile, Vec<Hash>> = remote.fetched();
    if let Some(old) = old.filter(|o| o.size > 0) {
        let again = TileHashes::new(from, size);
        let root = root_from_tiles(&again, old.size)?;
        if root != old.root {
            return Err(TlogError::Fork {
                old: describe(old),
                new: describe(new),
            });
        }
    }
    let all = tiles_for_size(size);
    let top = all.iter().map(Tile::level).max().unwrap_or(0);
    for level in (0..=top).rev() {
        let mut this_level: HashMap<Tile, Vec<Hash>> = HashMap::new();
        for tile in all.iter().filter(|t| t.kind == TileKind::Hashes(level)) {
            if tile.is_full() && super::paths::exists_at_size(tile, held) {
                // Held and verified before; the consistency check binds it to the new root.
                continue;
            }
            let hashes = match verified.get(tile) {
                Some(h) => h.clone(),
                None => {
                    let h = parse_hash_tile(tile, &must_get(from, tile)?)?;
                    let parent =
                        tile_at_size(TileKind::Hashes(level + 1), tile.index / TILE_WIDTH, size)
                            .ok_or_else(|| {
                                TlogError::Invalid(format!("{} has no parent", tile.path()))
                            })?;
                    let expected = verified
                        .get(&parent)
                        .and_then(|p| p.get((tile.index % TILE_WIDTH) as usize))
                        .copied()
                        .ok_or_else(|| {
                            TlogError::Invalid(format!("no verified parent for {}", tile.path()))
                        })?;
                    if !tile.is_full() || full_tile_root(&h) != expected {
                        return Err(TlogError::Invalid(format!(
                            "{} does not hash to the value {} holds",
                            tile.path(),
                            parent.path()
                        )));
                    }
                    h
                }
            };
            sink.verified(tile, &tiles_bytes(&hashes))?;
            if level == 0 {
                let bundle = Tile {
                    kind: TileKind::Entries,
                    ..*tile
                };
                let bytes = must_get(from, &bundle)?;
                let entries = parse_bundle(&bundle, &bytes)?;
                for (i, e) in entries.iter().enumerate() {
                    if merkle::leaf_hash(e) != hashes[i] {
                        return Err(TlogError::Invalid(format!(
                            "entry {i} of {} does not hash to {}",
                            bundle.path(),
                            tile.path()
                        )));
                    }
                }
                sink.verified(&bundle, &bytes)?;
            } else {
                this_level.insert(*tile, hashes);
            }
        }
        // This level's tiles are the parents of the next one down.
        verified.retain(|t, _| t.level() < level);
        verified.extend(this_level);
    }
    Ok(())
}

fn must_get(from: &dyn Fetch, tile: &Tile) -> Result<Vec<u8>, TlogError> {
    from.get(&tile.path())?
        .ok_or_else(|| TlogError::Invalid(format!("{} lacks {}", from.describe(), tile.path())))
}

fn tiles_bytes(hashes: &[Hash]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hashes.len() * Hash::LEN);
    for h in hashes {
        out.extend_from_slice(h.as_bytes());
    }
    out
}

/// Whether `dir` holds a published or mirrored log (a checkpoint file).
#[must_use]
pub fn is_log_dir(dir: &Path) -> bool {
    dir.join("checkpoint").is_file()
}
