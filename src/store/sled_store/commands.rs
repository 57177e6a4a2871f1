//! The packed command index: idempotency entries grouped by the first six bytes of the command id.
//!
//! Command ids are UUIDv7 as a rule, whose first six bytes are the millisecond they were minted, so
//! the appends of one group commit share one or two such prefixes. Instead of one `c` key per append
//! (the layout before, still read), an append adds its entry to the bucket `C prefix(6)`, and a group
//! rewrites each bucket it touches once: one sled write for the group's commands instead of one per
//! command. A bucket's value is a format byte ([`FORMAT`]) followed by entries
//! `suffix(10) first(8) last(8)` (the id's last ten bytes and the span it recorded), sorted by suffix.
//!
//! A bucket holds at most [`CAP`] entries, so that rewriting one stays cheap whatever ids callers
//! choose; an entry that does not fit is written as a `c` key, where every entry written before this
//! layout also lives. A lookup therefore reads the bucket, then the `c` key: both layouts are read
//! forever.

use crate::store::{keys, StoreError};
use delib_events::{CommandId, Position};
use std::collections::HashMap;

/// The bucket value's format byte.
pub(crate) const FORMAT: u8 = 1;
/// The most entries a bucket holds.
pub(crate) const CAP: usize = 128;
const ENTRY: usize = 26;

/// A bucket's prefix: the command id's first six bytes.
pub(crate) type Prefix = [u8; 6];

/// One entry: the id's last ten bytes and its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) suffix: [u8; 10],
    pub(crate) first: Position,
    pub(crate) last: Position,
}

/// Splits a command id into its bucket prefix and suffix.
pub(crate) fn split(command: CommandId) -> (Prefix, [u8; 10]) {
    let bytes = command.to_bytes();
    let mut prefix = [0u8; 6];
    let mut suffix = [0u8; 10];
    prefix.copy_from_slice(&bytes[..6]);
    suffix.copy_from_slice(&bytes[6..]);
    (prefix, suffix)
}

/// The command id of an entry in bucket `prefix`.
pub(crate) fn join(prefix: &Prefix, suffix: &[u8; 10]) -> CommandId {
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(prefix);
    bytes[6..].copy_from_slice(suffix);
    CommandId::from_bytes(bytes)
}

/// The key of bucket `prefix`.
pub(crate) fn key(prefix: &Prefix) -> [u8; 7] {
    let mut k = [0u8; 7];
    k[0] = keys::COMMAND_BUCKET;
    k[1..].copy_from_slice(prefix);
    k
}

/// Encodes sorted entries.
pub(crate) fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut v = Vec::with_capacity(1 + entries.len() * ENTRY);
    v.push(FORMAT);
    for e in entries {
        v.extend_from_slice(&e.suffix);
        v.extend_from_slice(&e.first.to_be_bytes());
        v.extend_from_slice(&e.last.to_be_bytes());
    }
    v
}

/// Decodes a bucket value.
///
/// # Errors
/// [`StoreError::Corrupt`] for an unknown format or a torn length.
pub(crate) fn decode(prefix: &Prefix, value: &[u8]) -> Result<Vec<Entry>, StoreError> {
    let malformed = || StoreError::Corrupt {
        position: Position::ZERO,
        reason: format!("command index bucket {} is malformed", hex::encode(prefix)),
    };
    let (&format, body) = value.split_first().ok_or_else(malformed)?;
    if format != FORMAT || body.len() % ENTRY != 0 {
        return Err(malformed());
    }
    Ok(body
        .chunks_exact(ENTRY)
        .map(|c| {
            let mut suffix = [0u8; 10];
            suffix.copy_from_slice(&c[..10]);
            let span = keys::parse_span(&c[10..]).unwrap_or((Position::ZERO, Position::ZERO));
            Entry {
                suffix,
                first: span.0,
                last: span.1,
            }
        })
        .collect())
}

/// The span of `suffix` among sorted entries.
pub(crate) fn find(entries: &[Entry], suffix: &[u8; 10]) -> Option<(Position, Position)> {
    entries
        .binary_search_by(|e| e.suffix.cmp(suffix))
        .ok()
        .map(|i| (entries[i].first, entries[i].last))
}

/// Reads bucket `prefix` from sled (empty when absent).
///
/// # Errors
/// sled errors and malformed buckets.
pub(crate) fn read(db: &::sled::Db, prefix: &Prefix) -> Result<Vec<Entry>, StoreError> {
    match db.get(key(prefix))? {
        None => Ok(Vec::new()),
        Some(v) => decode(prefix, &v),
    }
}

/// The writer's copy of the buckets it has read or written. The writer is the only one who writes
/// them, so a cached bucket stays exactly what is stored; bounded (cleared past [`Buckets::MAX`]).
#[derive(Debug, Default)]
pub(crate) struct Buckets {
    cached: HashMap<Prefix, Vec<Entry>>,
}

/// What one group adds to the command index.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    buckets: HashMap<Prefix, Vec<Entry>>,
}

impl Buckets {
    const MAX: usize = 4096;

    /// The bucket as stored, reading it into the cache if needed.
    ///
    /// # Errors
    /// As [`read`].
    pub(crate) fn get(&mut self, db: &::sled::Db, prefix: &Prefix) -> Result<&[Entry], StoreError> {
        if !self.cached.contains_key(prefix) {
            if self.cached.len() >= Self::MAX {
                self.cached.clear();
            }
            let entries = read(db, prefix)?;
            self.cached.insert(*prefix, entries);
        }
        Ok(self.cached.get(prefix).map_or(&[], Vec::as_slice))
    }

    /// Adds a group's entries to the cache once the group is durable.
    pub(crate) fn commit(&mut self, pending: Pending) {
        if self.cached.len() + pending.buckets.len() > Self::MAX {
            self.cached.clear();
        }
        self.cached.extend(pending.buckets);
    }
}

impl Pending {
    /// Records `command`'s span in its bucket; false when the bucket is full (the caller writes a
    /// `c` key instead).
    ///
    /// # Errors
    /// As [`read`].
    pub(crate) fn add(
        &mut self,
        buckets: &mut Buckets,
        db: &::sled::Db,
        command: CommandId,
        first: Position,
        last: Position,
    ) -> Result<bool, StoreError> {
        let (prefix, suffix) = split(command);
        let entries = match self.buckets.entry(prefix) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(buckets.get(db, &prefix)?.to_vec())
            }
        };
        if entries.len() >= CAP {
            return Ok(false);
        }
        let at = entries.partition_point(|e| e.suffix < suffix);
        entries.insert(
            at,
            Entry {
                suffix,
                first,
                last,
            },
        );
        Ok(true)
    }

    /// The bucket writes of the group: (key, value).
    pub(crate) fn writes(&self) -> impl Iterator<Item = ([u8; 7], Vec<u8>)> + '_ {
        self.buckets.iter().map(|(p, e)| (key(p), encode(e)))
    }
}

/// Looks `command` up in both layouts: its bucket (through the writer's cache when given), then the
/// legacy `c` key.
///
/// # Errors
/// sled errors and malformed entries.
pub(crate) fn lookup(
    db: &::sled::Db,
    buckets: Option<&mut Buckets>,
    command: CommandId,
) -> Result<Option<(Position, Position)>, StoreError> {
    let (prefix, suffix) = split(command);
    let found = match buckets {
        Some(b) => find(b.get(db, &prefix)?, &suffix),
        None => find(&read(db, &prefix)?, &suffix),
    };
    if found.is_some() {
        return Ok(found);
    }
    match db.get(keys::command(command))? {
        None => Ok(None),
        Some(v) => keys::parse_span(&v)
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt {
                position: Position::ZERO,
                reason: format!("command index entry for {command} is malformed"),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(prefix: u8, n: u8) -> CommandId {
        let mut b = [0u8; 16];
        b[5] = prefix;
        b[15] = n;
        CommandId::from_bytes(b)
    }

    #[test]
    fn a_bucket_round_trips_and_finds_its_entries() {
        // given entries of one prefix added out of order
        let mut pending = Pending::default();
        let mut cache = Buckets::default();
        let db = ::sled::Config::new().temporary(true).open().unwrap();
        for n in [5u8, 1, 9] {
            let p = Position::new(u64::from(n));
            assert!(pending.add(&mut cache, &db, id(1, n), p, p).unwrap());
        }
        // when the bucket is encoded and decoded
        let (key, value) = pending.writes().next().unwrap();
        assert_eq!(key[0], keys::COMMAND_BUCKET);
        let (prefix, _) = split(id(1, 0));
        let entries = decode(&prefix, &value).unwrap();
        // then every entry is found with its span, in suffix order, and others are not
        assert_eq!(entries.len(), 3);
        for n in [1u8, 5, 9] {
            let (_, suffix) = split(id(1, n));
            let p = Position::new(u64::from(n));
            assert_eq!(find(&entries, &suffix), Some((p, p)));
        }
        let (_, other) = split(id(1, 2));
        assert_eq!(find(&entries, &other), None);
    }

    #[test]
    fn a_full_bucket_sends_the_next_entry_to_a_legacy_key() {
        // given a bucket at its cap
        let mut pending = Pending::default();
        let mut cache = Buckets::default();
        let db = ::sled::Config::new().temporary(true).open().unwrap();
        for n in 0..CAP as u8 {
            assert!(pending
                .add(
                    &mut cache,
                    &db,
                    id(2, n),
                    Position::new(1),
                    Position::new(1)
                )
                .unwrap());
        }
        // when one more command of the same prefix is added
        let fits = pending
            .add(
                &mut cache,
                &db,
                id(2, 200),
                Position::new(2),
                Position::new(2),
            )
            .unwrap();
        // then it does not fit
        assert!(!fits);
    }

    #[test]
    fn a_malformed_bucket_is_an_error_not_a_miss() {
        let prefix = [0u8; 6];
        assert!(decode(&prefix, &[]).is_err());
        assert!(decode(&prefix, &[2]).is_err());
        assert!(decode(&prefix, &[FORMAT, 1, 2, 3]).is_err());
        assert!(decode(&prefix, &[FORMAT]).unwrap().is_empty());
    }
}
