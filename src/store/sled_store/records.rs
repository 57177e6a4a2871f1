//! Where the records live: packs of consecutive records, one sled key per pack.
//!
//! Key `E last_position(8)`, value a format byte ([`FORMAT`]), the record count `n` (u32,
//! big-endian), `n` end offsets (u32, big-endian, into the body) and the body: the records' exact
//! bytes, one after another, for positions `last - n + 1 ..= last`. A group commit writes its records
//! as a few packs (closed at [`PACK_RECORDS`] records or [`PACK_BYTES`] bytes) instead of one key
//! each: sled's per-key work (tree descent, leaf copy, splits) was most of an append's cost.
//! Keying a pack by its last position makes finding the pack of a position one forward seek.
//!
//! Before this layout every record had its own `e position(8)` key (see `keys.rs`). Those are read
//! forever: they hold positions `1 ..= legacy_end`, found on open as the last `e` key, and packs
//! hold every position after. The stored bytes of a record are the same in both.

use crate::store::{keys, StoreError};
use delib_events::Position;

/// The pack value's format byte.
pub(crate) const FORMAT: u8 = 1;
/// A pack is closed once it holds this many records...
pub(crate) const PACK_RECORDS: usize = 64;
/// ... or this many bytes of records (a larger record gets a pack of its own). Kept small so that a
/// sled leaf of packs stays well below the size sled writes as a separate blob file.
pub(crate) const PACK_BYTES: usize = 4 << 10;

/// The key of the pack ending at `last`.
pub(crate) fn key(last: Position) -> [u8; 9] {
    let mut k = keys::event(last);
    k[0] = keys::RECORD_PACK;
    k
}

/// The last position of the records held in `e` keys (zero when none): every later one is in packs.
///
/// # Errors
/// sled errors, a malformed key.
pub(crate) fn legacy_end(db: &::sled::Db) -> Result<u64, StoreError> {
    match db.scan_prefix([keys::EVENT]).next_back() {
        None => Ok(0),
        Some(kv) => {
            let (k, _) = kv?;
            keys::position_of_event_key(&k)
                .map(Position::get)
                .ok_or_else(|| StoreError::Corrupt {
                    position: Position::ZERO,
                    reason: "malformed event key".into(),
                })
        }
    }
}

/// The last position on disk: the key of the last pack, or `legacy_end` when there is none. Reads
/// no record (the journal's repair runs before the tail is checked).
///
/// # Errors
/// sled errors, a malformed key.
pub(crate) fn last_position(db: &::sled::Db, legacy_end: u64) -> Result<u64, StoreError> {
    match db.scan_prefix([keys::RECORD_PACK]).next_back() {
        None => Ok(legacy_end),
        Some(kv) => {
            let (k, _) = kv?;
            last_of_key(&k)
        }
    }
}

/// The last position of the pack keyed `key` (the inverse of [`key`]).
///
/// # Errors
/// [`StoreError::Corrupt`] for a key that is not a pack's.
fn last_of_key(key: &[u8]) -> Result<u64, StoreError> {
    key.get(1..9)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .filter(|_| key.len() == 9 && key[0] == keys::RECORD_PACK)
        .map(u64::from_be_bytes)
        .ok_or_else(|| StoreError::Corrupt {
            position: Position::ZERO,
            reason: "malformed record pack key".into(),
        })
}

/// Builds the packs of one group (or import batch) of consecutive records.
#[derive(Debug, Default)]
pub(crate) struct Packer {
    last: Option<Position>,
    ends: Vec<u32>,
    body: Vec<u8>,
    done: Vec<([u8; 9], Vec<u8>)>,
}

impl Packer {
    /// Adds the record at `position` (the one after the previous record added).
    pub(crate) fn push(&mut self, position: Position, bytes: &[u8]) {
        if !self.ends.is_empty() && self.body.len() + bytes.len() > PACK_BYTES {
            self.close();
        }
        self.body.extend_from_slice(bytes);
        self.ends.push(self.body.len() as u32);
        self.last = Some(position);
        if self.ends.len() >= PACK_RECORDS || self.body.len() >= PACK_BYTES {
            self.close();
        }
    }

    fn close(&mut self) {
        let Some(last) = self.last.take() else {
            return;
        };
        let n = self.ends.len();
        let mut v = Vec::with_capacity(5 + 4 * n + self.body.len());
        v.push(FORMAT);
        v.extend_from_slice(&(n as u32).to_be_bytes());
        for e in &self.ends {
            v.extend_from_slice(&e.to_be_bytes());
        }
        v.extend_from_slice(&self.body);
        self.ends.clear();
        self.body.clear();
        self.done.push((key(last), v));
    }

    /// Every pack: (key, value).
    pub(crate) fn finish(mut self) -> Vec<([u8; 9], Vec<u8>)> {
        self.close();
        self.done
    }
}

/// One stored pack.
#[derive(Debug)]
pub(crate) struct Pack {
    last: u64,
    value: ::sled::IVec,
    n: usize,
}

impl Pack {
    /// Decodes a pack from its key and value.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when the key or value is malformed.
    pub(crate) fn decode(key: &[u8], value: ::sled::IVec) -> Result<Self, StoreError> {
        let last = last_of_key(key)?;
        let malformed = || StoreError::Corrupt {
            position: Position::new(last),
            reason: "the record pack ending here is malformed".into(),
        };
        if value.len() < 5 || value[0] != FORMAT {
            return Err(malformed());
        }
        let n = u32::from_be_bytes(value[1..5].try_into().expect("4 bytes")) as usize;
        let body_len = value.len().checked_sub(5 + 4 * n).ok_or_else(malformed)?;
        if n == 0 || n as u64 > last {
            return Err(malformed());
        }
        let pack = Pack { last, value, n };
        let mut prev = 0usize;
        for i in 0..n {
            let end = pack.end(i);
            if end < prev || end > body_len {
                return Err(malformed());
            }
            prev = end;
        }
        if prev != body_len {
            return Err(malformed());
        }
        Ok(pack)
    }

    fn end(&self, i: usize) -> usize {
        let at = 5 + 4 * i;
        u32::from_be_bytes(self.value[at..at + 4].try_into().expect("4 bytes")) as usize
    }

    /// The first position it holds.
    pub(crate) fn first(&self) -> u64 {
        self.last + 1 - self.n as u64
    }

    /// The last position it holds.
    pub(crate) fn last(&self) -> u64 {
        self.last
    }

    /// The record at `position`, if the pack holds it.
    pub(crate) fn get(&self, position: u64) -> Option<&[u8]> {
        if position < self.first() || position > self.last {
            return None;
        }
        let i = (position - self.first()) as usize;
        let body = 5 + 4 * self.n;
        let start = if i == 0 { 0 } else { self.end(i - 1) };
        Some(&self.value[body + start..body + self.end(i)])
    }
}

/// The stored bytes of the record at `position`, if stored.
///
/// # Errors
/// sled errors and malformed packs.
pub(crate) fn get(
    db: &::sled::Db,
    legacy_end: u64,
    position: Position,
) -> Result<Option<Vec<u8>>, StoreError> {
    if position.get() <= legacy_end {
        return Ok(db.get(keys::event(position))?.map(|v| v.to_vec()));
    }
    match db
        .range(key(position)..=key(Position::new(u64::MAX)))
        .next()
    {
        None => Ok(None),
        Some(kv) => {
            let (k, v) = kv?;
            let pack = Pack::decode(&k, v)?;
            Ok(pack.get(position.get()).map(<[u8]>::to_vec))
        }
    }
}

/// Up to `limit` stored records with positions in `from ..= to`, in position order.
///
/// # Errors
/// sled errors and malformed keys or packs.
pub(crate) fn scan(
    db: &::sled::Db,
    legacy_end: u64,
    from: Position,
    to: Position,
    limit: usize,
) -> Result<Vec<(Position, Vec<u8>)>, StoreError> {
    let mut out = Vec::new();
    if from.get() <= legacy_end {
        let end = Position::new(to.get().min(legacy_end));
        for kv in db.range(keys::event(from)..=keys::event(end)) {
            if out.len() >= limit {
                return Ok(out);
            }
            let (k, v) = kv?;
            let position = keys::position_of_event_key(&k).ok_or_else(|| StoreError::Corrupt {
                position: Position::ZERO,
                reason: "malformed event key".into(),
            })?;
            out.push((position, v.to_vec()));
        }
    }
    let start = Position::new(from.get().max(legacy_end + 1));
    if start > to {
        return Ok(out);
    }
    for kv in db.range(key(start)..=key(Position::new(u64::MAX))) {
        let (k, v) = kv?;
        let pack = Pack::decode(&k, v)?;
        for p in pack.first().max(start.get())..=pack.last() {
            if out.len() >= limit || p > to.get() {
                return Ok(out);
            }
            let bytes = pack.get(p).expect("within the pack");
            out.push((Position::new(p), bytes.to_vec()));
        }
    }
    Ok(out)
}

/// The last `n` stored records (fewer if the log holds fewer), in position order.
///
/// # Errors
/// sled errors and malformed keys or packs.
pub(crate) fn tail(
    db: &::sled::Db,
    legacy_end: u64,
    n: usize,
) -> Result<Vec<(Position, Vec<u8>)>, StoreError> {
    let mut out: Vec<(Position, Vec<u8>)> = Vec::with_capacity(n);
    for kv in db.scan_prefix([keys::RECORD_PACK]).rev() {
        if out.len() >= n {
            break;
        }
        let (k, v) = kv?;
        let pack = Pack::decode(&k, v)?;
        for p in (pack.first()..=pack.last()).rev() {
            if out.len() >= n {
                break;
            }
            out.push((Position::new(p), pack.get(p).expect("within").to_vec()));
        }
    }
    if out.len() < n && legacy_end > 0 {
        for kv in db.scan_prefix([keys::EVENT]).rev().take(n - out.len()) {
            let (k, v) = kv?;
            let position = keys::position_of_event_key(&k).ok_or_else(|| StoreError::Corrupt {
                position: Position::ZERO,
                reason: "malformed event key".into(),
            })?;
            out.push((position, v.to_vec()));
        }
    }
    out.reverse();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(p: u64, len: usize) -> Vec<u8> {
        vec![(p % 251) as u8; len]
    }

    #[test]
    fn packs_close_at_their_limits_and_give_back_each_record() {
        // given records of mixed sizes, one larger than a pack
        let db = ::sled::Config::new().temporary(true).open().unwrap();
        let sizes = [10usize, 300, 5000, 7, 1, 2000, 2000, 2000];
        let mut packer = Packer::default();
        let mut p = 0;
        for len in sizes.iter().copied().chain(std::iter::repeat_n(3, 100)) {
            p += 1;
            packer.push(Position::new(p), &record(p, len));
        }
        // when the packs are written
        let packs = packer.finish();
        assert!(packs.len() > 3);
        for (k, v) in packs {
            db.insert(k, v).unwrap();
        }
        // then every record reads back exactly, alone and in scans, and nothing beyond
        for q in 1..=p {
            let len = sizes.get(q as usize - 1).copied().unwrap_or(3);
            assert_eq!(get(&db, 0, Position::new(q)).unwrap(), Some(record(q, len)));
        }
        assert_eq!(get(&db, 0, Position::new(p + 1)).unwrap(), None);
        let scanned = scan(&db, 0, Position::new(3), Position::new(p), usize::MAX).unwrap();
        assert_eq!(scanned.len() as u64, p - 2);
        assert!(scanned.iter().zip(3..).all(|((q, _), e)| q.get() == e));
        assert_eq!(
            scan(&db, 0, Position::new(2), Position::new(9), 4)
                .unwrap()
                .len(),
            4
        );
        let t = tail(&db, 0, 65).unwrap();
        assert_eq!(t.len(), 65);
        assert_eq!(t.last().unwrap().0.get(), p);
    }

    #[test]
    fn a_malformed_pack_is_an_error() {
        let k = key(Position::new(3));
        for bad in [
            vec![],
            vec![2, 0, 0, 0, 1, 0, 0, 0, 1, 9],
            vec![FORMAT, 0, 0, 0, 0],
            vec![FORMAT, 0, 0, 0, 1, 0, 0, 0, 5, 9],
            vec![FORMAT, 0, 0, 0, 4, 0, 0, 0, 1, 9],
        ] {
            assert!(Pack::decode(&k, bad.into()).is_err());
        }
        let ok = Pack::decode(&k, vec![FORMAT, 0, 0, 0, 1, 0, 0, 0, 1, 9].into()).unwrap();
        assert_eq!(ok.get(3), Some(&[9u8][..]));
        assert_eq!(ok.get(2), None);
    }
}
