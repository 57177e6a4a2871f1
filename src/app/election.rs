//! Encrypted secret ballots in the application layer: the randomness and files the pure domain and
//! `delib-election` must not touch.
//!
//! - **Open**: the election key's shares are drawn here. With tellers, each share is written once
//!   to a file in `--share-out DIR` (created new, mode 0600) before anything is recorded, and never
//!   into the data directory; if recording then fails, the files are removed. With no teller, the
//!   ledger keeps the one share until the close destroys it: until then, whoever holds the data
//!   directory could decrypt single votes (README's Privacy section says so). The share is kept
//!   masked (XOR) in the store's side keyspace, in the same atomic append as the opening, and its
//!   one-time pad in a small file of its own (`election-pads/`, written and synced before the
//!   opening is recorded). The close deletes the side key and then overwrites and removes the pad:
//!   sled keeps old values in its files until it compacts them, so deleting the key alone would
//!   leave the share readable in a later copy of the directory. Opening the service sweeps the
//!   pads of spent shares (a crash between the close and the removal).
//! - **Cast**: the choice is encrypted here, with its proofs, under the ballot's key; the domain
//!   verifies the proofs. The choice itself goes nowhere else.
//! - **Close**: with tellers, a close without parts ends casting (the aggregate is then fixed), and
//!   a close with every teller's part records the tally. Without tellers, the close takes the share
//!   from the side keyspace into the command, so the decision (re-made on every retry) decrypts the
//!   aggregate of the durable casts it was decided on, and the same append deletes the share.
//! - **Shares and parts** are small JSON files, for tellers to keep and carry.

use super::{AppError, LedgerService, Meta, Recorded, Target};
use crate::store::{EventStore, SideWrite};
use delib_domain::ballot::{self, Ballot};
use delib_election::TellerSecret;
use delib_events::ballot::Teller;
use delib_events::election::PartialDecryption;
use delib_events::{BallotId, PersonId, RefKind, StreamId};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const SHARE_PREFIX: &[u8] = b"election-share/";
/// The side value of a masked share: this tag, then the share XOR its pad.
const MASKED_TAG: &[u8] = b"delib-masked-share/1";
const PADS_DIR: &str = "election-pads";
const SHARE_FORMAT: &str = "delib-teller-share/1";
const PART_FORMAT: &str = "delib-partial-decryption/1";

fn share_key(ballot: BallotId) -> Vec<u8> {
    let mut k = SHARE_PREFIX.to_vec();
    k.extend_from_slice(&ballot.stream_id().to_bytes());
    k
}

/// A teller's share file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShareFile {
    /// [`SHARE_FORMAT`].
    pub format: String,
    /// The ledger's origin.
    pub ledger: String,
    /// The ballot's id.
    pub ballot: uuid::Uuid,
    /// The teller's index.
    pub teller: u32,
    /// The teller (`PER-n`).
    pub person: String,
    /// The secret share (hex). Keep it safe; it is needed once, to decrypt the tally.
    pub secret: String,
    /// Its public key (hex), as published in the ledger.
    pub public: String,
}

/// A teller's partial decryption file, for `ballot close --part`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartFile {
    /// [`PART_FORMAT`].
    pub format: String,
    /// The ballot's id.
    pub ballot: uuid::Uuid,
    /// The partial decryption with its proofs.
    pub partial: PartialDecryption,
}

impl PartFile {
    /// Reads and checks a part file.
    ///
    /// # Errors
    /// [`AppError::BadValue`] for a file that is not a part.
    pub fn read(path: &Path) -> Result<Self, AppError> {
        let bad = |why: String| AppError::BadValue(format!("{}: {why}", path.display()));
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let part: PartFile = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if part.format != PART_FORMAT {
            return Err(bad(format!("not a partial decryption ({})", part.format)));
        }
        Ok(part)
    }
}

impl ShareFile {
    /// Reads and checks a share file.
    ///
    /// # Errors
    /// [`AppError::BadValue`] for a file that is not a share.
    pub fn read(path: &Path) -> Result<(Self, TellerSecret), AppError> {
        let bad = |why: String| AppError::BadValue(format!("{}: {why}", path.display()));
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let share: ShareFile = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if share.format != SHARE_FORMAT {
            return Err(bad(format!("not a teller's share ({})", share.format)));
        }
        let bytes: [u8; 32] = hex::decode(&share.secret)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad("the secret is not 32 bytes of hex".into()))?;
        let secret = TellerSecret::from_bytes(&bytes).map_err(|e| bad(e.to_string()))?;
        Ok((share, secret))
    }
}

/// Writes `value` as JSON to a new file (never overwriting), readable by its owner only, synced.
fn write_new(path: &Path, value: &impl Serialize) -> Result<(), AppError> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let bad =
        |e: std::io::Error| AppError::BadValue(format!("cannot write {}: {e}", path.display()));
    let mut f = options.open(path).map_err(bad)?;
    let text = serde_json::to_vec_pretty(value).map_err(|e| AppError::Internal(e.to_string()))?;
    f.write_all(&text).and_then(|()| f.sync_all()).map_err(bad)
}

/// Removes the files on drop unless kept: the shares of an opening that was not recorded.
struct Written(Vec<PathBuf>, bool);

impl Drop for Written {
    fn drop(&mut self) {
        if !self.1 {
            for p in &self.0 {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

impl LedgerService {
    /// The ledger's origin, which every proof of its ballots is bound to.
    ///
    /// # Errors
    /// Storage failures.
    pub fn origin(&self) -> Result<String, AppError> {
        Ok(self.ledger().identity()?.origin)
    }

    /// Opens an encrypted secret ballot (`open` is `ballot::Command::Open` with `secret` and no
    /// tellers yet). Returns the recording and the share files written.
    ///
    /// # Errors
    /// A missing or unusable `--share-out` with tellers; rejections; storage failures.
    pub fn open_encrypted(
        &self,
        meta: &Meta,
        mut open: ballot::Command,
        tellers: Vec<(PersonId, String)>,
        share_out: Option<&Path>,
        mut ctx: delib_domain::Context,
    ) -> Result<(Recorded, Vec<PathBuf>), AppError> {
        let stream = StreamId::from_uuid(uuid::Uuid::now_v7());
        if self.replay_of(meta)? {
            // A retry of a recorded opening: its first result, and no new key or share files.
            let first =
                self.execute::<Ballot>(meta, Target::Create(RefKind::Ballot, stream), open, &ctx)?;
            return Ok((first, Vec::new()));
        }
        let id = BallotId::new(stream);
        let origin = self.origin()?;
        let scope = ballot::scope(&origin, id);
        let mut side = Vec::new();
        let mut keys = Vec::new();
        let mut written = Written(Vec::new(), false);
        if tellers.is_empty() {
            let (secret, key) = delib_election::teller_keygen(&mut OsRng, &scope, 0);
            keys.push(Teller { person: None, key });
            let mut pad = [0u8; 32];
            OsRng.fill_bytes(&mut pad);
            let path = self.pad_path(id);
            write_pad(&path, &pad)?;
            written.0.push(path);
            let mut value = MASKED_TAG.to_vec();
            value.extend(secret.to_bytes().iter().zip(pad).map(|(s, p)| s ^ p));
            side.push(SideWrite::Put {
                key: share_key(id),
                value,
            });
        } else {
            let dir = share_out.ok_or_else(|| {
                AppError::BadValue(
                    "--share-out DIR is needed with --teller: each teller's share is written there, once".into(),
                )
            })?;
            let dir = std::fs::canonicalize(dir)
                .map_err(|e| AppError::BadValue(format!("--share-out {}: {e}", dir.display())))?;
            let data = std::fs::canonicalize(self.ledger().dir()).unwrap_or_default();
            if dir.starts_with(&data) {
                return Err(AppError::BadValue(
                    "--share-out must lie outside the data directory: a share kept beside the ledger protects nothing".into(),
                ));
            }
            for (i, (person, label)) in tellers.iter().enumerate() {
                let (secret, key) = delib_election::teller_keygen(&mut OsRng, &scope, i);
                let path = dir.join(format!(
                    "ballot-{}-teller-{}-{label}.share",
                    stream.as_uuid(),
                    i + 1
                ));
                write_new(
                    &path,
                    &ShareFile {
                        format: SHARE_FORMAT.into(),
                        ledger: origin.clone(),
                        ballot: *stream.as_uuid(),
                        teller: i as u32,
                        person: label.clone(),
                        secret: hex::encode(secret.to_bytes()),
                        public: hex::encode(key.public),
                    },
                )?;
                written.0.push(path);
                keys.push(Teller {
                    person: Some(*person),
                    key,
                });
            }
        }
        if let ballot::Command::Open { tellers, .. } = &mut open {
            *tellers = keys;
        }
        ctx.ledger = origin;
        let recorded = self.execute_with_side::<Ballot>(
            meta,
            Target::Create(RefKind::Ballot, stream),
            open,
            &ctx,
            &side,
        )?;
        written.1 = true;
        let pads = self.ledger().dir().join(PADS_DIR);
        let shares = written.0.iter().filter(|p| !p.starts_with(&pads));
        Ok((recorded, shares.cloned().collect()))
    }

    /// The command and side writes for a cast or close on an encrypted ballot; `None` for other
    /// ballots (their commands go through as they are).
    ///
    /// # Errors
    /// An unknown option; storage failures.
    pub(super) fn encrypted_command(
        &self,
        id: BallotId,
        cmd: &ballot::Command,
        parts: &[PartialDecryption],
    ) -> Result<Option<(ballot::Command, Vec<SideWrite>)>, AppError> {
        let state = self.load::<Ballot>(id.stream_id())?;
        let Some(election) = &state.state.election else {
            return Ok(None);
        };
        let origin = self.origin()?;
        match cmd {
            ballot::Command::Cast { voter, choice } => {
                let Some(index) = state.state.options.iter().position(|o| o == choice) else {
                    return Err(delib_domain::Rejection::NotAnOption(choice.clone()).into());
                };
                let vote = delib_election::encrypt_vote(
                    &mut OsRng,
                    &ballot::scope(&origin, id),
                    &election.key,
                    &voter.as_uuid().into_bytes(),
                    state.state.options.len(),
                    index,
                )
                .map_err(|e| AppError::Internal(e.to_string()))?;
                Ok(Some((
                    ballot::Command::EncryptedCast {
                        voter: *voter,
                        vote,
                    },
                    vec![],
                )))
            }
            ballot::Command::Close if !parts.is_empty() => Ok(Some((
                ballot::Command::CloseWithParts {
                    partials: parts.to_vec(),
                },
                vec![],
            ))),
            ballot::Command::Close if election.ledger_held() => {
                let key = share_key(id);
                let found = self.store().side_scan(&key)?;
                let Some((_, value)) = found.into_iter().find(|(k, _)| *k == key) else {
                    return Err(AppError::Internal(
                        "the ledger's share of this ballot's key is missing from the data directory".into(),
                    ));
                };
                let share = self.unmask(id, value)?;
                let mut seed = [0u8; 32];
                OsRng.fill_bytes(&mut seed);
                Ok(Some((
                    ballot::Command::CloseWithLedgerShare { share, seed },
                    vec![SideWrite::Delete { key }],
                )))
            }
            _ => Ok(Some((cmd.clone(), vec![]))),
        }
    }
}

impl LedgerService {
    fn pad_path(&self, ballot: BallotId) -> PathBuf {
        self.ledger()
            .dir()
            .join(PADS_DIR)
            .join(format!("{}.pad", ballot.stream_id().as_uuid()))
    }

    /// The ledger-held share from its side value: masked by its pad (or, for ballots opened before
    /// the pads, the share itself).
    fn unmask(&self, ballot: BallotId, value: Vec<u8>) -> Result<[u8; 32], AppError> {
        let damaged = || AppError::Internal("the ledger's key share is damaged".into());
        if value.len() == 32 {
            return value.try_into().map_err(|_| damaged());
        }
        let masked = value.strip_prefix(MASKED_TAG).ok_or_else(damaged)?;
        let pad = std::fs::read(self.pad_path(ballot)).map_err(|e| {
            AppError::Internal(format!(
                "the pad of the ledger's share of this ballot cannot be read ({}): without it the tally cannot be decrypted",
                e.kind()
            ))
        })?;
        if masked.len() != 32 || pad.len() != 32 {
            return Err(damaged());
        }
        let mut share = [0u8; 32];
        for (i, b) in share.iter_mut().enumerate() {
            *b = masked[i] ^ pad[i];
        }
        Ok(share)
    }

    /// Overwrites and removes the pad of `ballot`'s ledger-held share once the share is gone from the
    /// side keyspace (the close recorded). A no-op while the share is still held.
    ///
    /// # Errors
    /// Storage failures; a pad that could not be destroyed.
    pub(super) fn destroy_spent_pad(&self, ballot: BallotId) -> Result<(), AppError> {
        let path = self.pad_path(ballot);
        if !path.exists() {
            return Ok(());
        }
        let key = share_key(ballot);
        if self.store().side_scan(&key)?.iter().any(|(k, _)| *k == key) {
            return Ok(());
        }
        match shred(&path) {
            // Another command of this ballot destroyed it first (a close and a cast in flight
            // both finish by destroying a spent pad).
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
        .map_err(|e| {
            AppError::Internal(format!(
                "the spent key share's pad {} could not be destroyed ({e}); remove it by hand",
                path.display()
            ))
        })
    }

    /// Destroys the pads of every spent share (the close recorded, the pad not yet removed).
    /// Called once when the service opens, before any opening can be in progress.
    pub(super) fn sweep_spent_pads(&self) {
        let Ok(entries) = std::fs::read_dir(self.ledger().dir().join(PADS_DIR)) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(uuid) = name
                .to_str()
                .and_then(|n| n.strip_suffix(".pad"))
                .and_then(|n| uuid::Uuid::parse_str(n).ok())
            else {
                continue;
            };
            let ballot = BallotId::new(StreamId::from_uuid(uuid));
            if let Err(e) = self.destroy_spent_pad(ballot) {
                tracing::warn!(error = %e, "a spent key share's pad was not destroyed");
            }
        }
    }
}

/// Writes a new pad file (owner-only), synced with its directory, before anything is recorded.
fn write_pad(path: &Path, pad: &[u8; 32]) -> Result<(), AppError> {
    use std::io::Write;
    let bad =
        |e: std::io::Error| AppError::Internal(format!("cannot write {}: {e}", path.display()));
    let dir = path.parent().expect("a pad lives in a directory");
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(bad)?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path).map_err(bad)?;
    f.write_all(pad).and_then(|()| f.sync_all()).map_err(bad)?;
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(bad)
}

/// Overwrites a file with zeros in place, syncs, removes it and syncs its directory.
fn shred(path: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let len = std::fs::metadata(path)?.len() as usize;
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    f.write_all(&vec![0u8; len])?;
    f.sync_all()?;
    drop(f);
    std::fs::remove_file(path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}
