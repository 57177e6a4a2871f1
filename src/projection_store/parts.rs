//! The two ways a projection is kept in the `projections` tree.
//!
//! - [`Blob`]: the whole state as one value under the projection's name (the directory, the
//!   document register: small, and read whole by every view).
//! - [`Records`]: an entity projection ([`Keyed`]): a header `@NAME` (version, last position) and
//!   one value per entity record, `@NAME/` + the stream's 16 bytes, with its list row beside it
//!   (`@NAME#/` + the same bytes: the record without its long lists, [`Row`]) and, for a
//!   projection that keeps one, its digest (`@NAME%/` + the same bytes: [`Keyed::Digest`], what the
//!   transparency report reads of a hearing's statements). A projection with
//!   [`Keyed::GROUPED`] (proposals) also keeps its records 64 to a value by reference number
//!   (`@NAME$/` + the group's number, 8 bytes big-endian), and a whole read reads those: sled's
//!   cost is per key, and a report reads every proposal. An append rewrites only the records (and
//!   rows, digests and groups) of the streams it touched; a read loads only the records it shows, a
//!   list only the rows of its page, a report the rows and digests of the hearings. Ledgers written
//!   before this layout hold the whole state under `NAME`: it is read once and moved to the new keys
//!   on the next save.

use super::codec;
use crate::store::StoreError;
use delib_events::{Position, RecordedEvent, StreamId};
use delib_projections::shared::Shared;
use delib_projections::{Keyed, Projection, Row};
use std::collections::BTreeSet;
use std::sync::Arc;

const CONFIG: bincode::config::Configuration = bincode::config::standard();

/// What a read needs of the entity projections (the directory and the document register are always
/// read whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// Every record (lists that aggregate, reports, a long-lived service).
    All,
    /// Every record of the projection of this name, and none of the others'.
    Every(&'static str),
    /// Only these streams' records (whichever projection has them).
    Streams(BTreeSet<StreamId>),
    /// Every record of every projection but the one of this name, of which none (the transparency
    /// report, which reads the hearings as their rows and digests).
    AllBut(&'static str),
}

impl Need {
    /// Nothing but the directory and the register (`history`, `audit log`, `org list`).
    pub fn directory() -> Self {
        Need::Streams(BTreeSet::new())
    }

    /// One stream's record.
    pub fn one(stream: StreamId) -> Self {
        Need::Streams(BTreeSet::from([stream]))
    }
}

/// A projection as the store loads, catches up and saves it (object-safe).
pub(super) trait Part {
    fn name(&self) -> &'static str;
    fn last(&self) -> u64;
    /// Loads the stored records of these streams that are not loaded yet (for a partial state about
    /// to fold events of those streams).
    fn prepare(
        &mut self,
        tree: &::sled::Tree,
        streams: &BTreeSet<StreamId>,
    ) -> Result<(), StoreError>;
    fn fold(&mut self, event: &RecordedEvent);
    /// Adds what changed since the load to `batch`.
    fn save(&self, tree: &::sled::Tree, batch: &mut ::sled::Batch) -> Result<(), StoreError>;
    /// What [`Part::save`] added is stored now.
    fn saved(&mut self);
}

/// A whole-state projection.
pub(super) struct Blob<P: Projection> {
    pub(super) state: P,
    /// The position stored, `None` when nothing usable was stored.
    stored: Option<u64>,
}

impl<P: Projection> Blob<P> {
    pub(super) fn read(tree: &::sled::Tree) -> Result<Self, StoreError> {
        Ok(
            match tree.get(P::NAME)?.and_then(|b| codec::decode::<P>(&b)) {
                Some((version, state)) if version == P::VERSION => Self {
                    stored: Some(state.last_position().get()),
                    state,
                },
                _ => Self::fresh(),
            },
        )
    }

    pub(super) fn fresh() -> Self {
        Self {
            state: P::default(),
            stored: None,
        }
    }

    /// Whether a usable state was stored.
    pub(super) fn is_stored(&self) -> bool {
        self.stored.is_some()
    }

    /// A state stored at `since` that may have moved on.
    pub(super) fn changed(state: P, since: u64) -> Self {
        Self {
            state,
            stored: Some(since),
        }
    }
}

impl<P: Projection> Part for Blob<P> {
    fn name(&self) -> &'static str {
        P::NAME
    }
    fn last(&self) -> u64 {
        self.state.last_position().get()
    }
    fn prepare(&mut self, _: &::sled::Tree, _: &BTreeSet<StreamId>) -> Result<(), StoreError> {
        Ok(())
    }
    fn fold(&mut self, event: &RecordedEvent) {
        self.state.apply(event);
    }
    fn save(&self, _: &::sled::Tree, batch: &mut ::sled::Batch) -> Result<(), StoreError> {
        if self.stored != Some(self.last()) {
            batch.insert(
                P::NAME,
                codec::encode(P::VERSION, self.last(), &self.state)?,
            );
        }
        Ok(())
    }
    fn saved(&mut self) {
        self.stored = Some(self.last());
    }
}

/// The header key of an entity projection.
pub(super) fn header_key(name: &str) -> Vec<u8> {
    format!("@{name}").into_bytes()
}

fn prefix(name: &str) -> Vec<u8> {
    format!("@{name}/").into_bytes()
}

fn record_key(name: &str, stream: StreamId) -> Vec<u8> {
    let mut key = prefix(name);
    key.extend_from_slice(stream.as_uuid().as_bytes());
    key
}

fn row_prefix(name: &str) -> Vec<u8> {
    format!("@{name}#/").into_bytes()
}

fn row_key(name: &str, stream: StreamId) -> Vec<u8> {
    let mut key = row_prefix(name);
    key.extend_from_slice(stream.as_uuid().as_bytes());
    key
}

fn digest_prefix(name: &str) -> Vec<u8> {
    format!("@{name}%/").into_bytes()
}

fn digest_key(name: &str, stream: StreamId) -> Vec<u8> {
    let mut key = digest_prefix(name);
    key.extend_from_slice(stream.as_uuid().as_bytes());
    key
}

/// The rows and digests found of each stream.
type StoredParts<P> = std::collections::BTreeMap<
    StreamId,
    (
        Option<Row<<P as Keyed>::Record>>,
        Option<<P as Keyed>::Digest>,
    ),
>;

/// Every record's list row and digest as stored, in stream order (a stream whose row or digest is
/// missing or does not decode is read from its record). The streams are those with a row or a
/// digest: both are written with every record. Only meaningful once the stored projection is at the
/// head (after a load).
pub(super) fn rows_and_digests<P: Keyed>(
    tree: &::sled::Tree,
) -> Result<delib_projections::RowsAndDigests<P>, StoreError> {
    let mut found: StoredParts<P> = std::collections::BTreeMap::new();
    let start = row_prefix(P::NAME);
    for kv in tree.scan_prefix(&start) {
        let (k, v) = kv?;
        let stream = stream_of(&k[start.len()..]).ok_or_else(damaged)?;
        found.entry(stream).or_default().0 = decode_record(&v);
    }
    let start = digest_prefix(P::NAME);
    for kv in tree.scan_prefix(&start) {
        let (k, v) = kv?;
        let stream = stream_of(&k[start.len()..]).ok_or_else(damaged)?;
        found.entry(stream).or_default().1 = decode_record(&v);
    }
    let mut out = Vec::with_capacity(found.len());
    for (stream, parts) in found {
        let (row, digest) = match parts {
            (Some(row), Some(digest)) => (row, digest),
            _ => {
                let Some(v) = tree.get(record_key(P::NAME, stream))? else {
                    continue;
                };
                let record: P::Record = decode_record(&v).ok_or_else(damaged)?;
                (P::row(&record), P::digest(&record).ok_or_else(damaged)?)
            }
        };
        out.push((stream, row, digest));
    }
    Ok(out)
}

/// The list rows of `streams` as stored beside their records (a stream without a usable row is
/// read from its record); streams without a record are left out. Only meaningful once the stored
/// projection is at the head (after a load).
pub(super) fn rows<P: Keyed>(
    tree: &::sled::Tree,
    streams: &[StreamId],
) -> Result<delib_projections::Rows<P::Record>, StoreError> {
    let mut out = Vec::with_capacity(streams.len());
    for stream in streams {
        let row = match tree.get(row_key(P::NAME, *stream))? {
            Some(v) => decode_record::<Row<P::Record>>(&v),
            None => None,
        };
        let row = match row {
            Some(r) => Some(r),
            None => match tree.get(record_key(P::NAME, *stream))? {
                Some(v) => Some(P::row(&decode_record::<P::Record>(&v).ok_or_else(damaged)?)),
                None => None,
            },
        };
        if let Some(row) = row {
            out.push((*stream, row));
        }
    }
    Ok(out)
}

/// The first byte of a stored record or row: LZ4 (block format, size prepended) of its bincode.
/// Records repeat what their events say (a hearing's statements), so they compress well, and a save
/// writes and a read reads a fraction of the bytes.
const LZ4_BINCODE: u8 = 1;

/// A stored record, or `None` when it does not decode (the projection is then rebuilt).
fn decode_record<R: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<R> {
    let (&format, packed) = bytes.split_first()?;
    if format != LZ4_BINCODE {
        return None;
    }
    let plain = lz4_flex::block::decompress_size_prepended(packed).ok()?;
    match bincode::serde::decode_from_slice::<R, _>(&plain, CONFIG) {
        Ok((r, used)) if used == plain.len() => Some(r),
        _ => None,
    }
}

fn damaged() -> StoreError {
    StoreError::Io(std::io::Error::other(
        "a stored projection record is damaged; run `delib projections rebuild`",
    ))
}

fn encode_record<R: serde::Serialize>(record: &R) -> Result<Vec<u8>, StoreError> {
    let plain = bincode::serde::encode_to_vec(record, CONFIG).map_err(|e| {
        StoreError::Io(std::io::Error::other(format!(
            "projection record does not encode: {e}"
        )))
    })?;
    let mut out = vec![LZ4_BINCODE];
    out.extend(lz4_flex::block::compress_prepend_size(&plain));
    Ok(out)
}

/// How an entity projection was found in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Found {
    /// In the keyed layout at this position: only records that changed need writing.
    Keyed(u64),
    /// In the old one-value layout (moved on save), or not usable (rebuilt): everything is written.
    Whole,
}

/// An entity projection, whole or only some of its records.
pub(super) struct Records<P: Keyed> {
    pub(super) state: P,
    found: Found,
    /// `Some`: only these streams' records are loaded (a partial state for one read).
    loaded: Option<BTreeSet<StreamId>>,
    /// The streams of the events folded since the load: by [`Keyed`]'s invariant, the only records
    /// that can have changed.
    touched: BTreeSet<StreamId>,
}

impl<P: Keyed> Records<P> {
    /// The stored state, whole or only the records `need` names.
    pub(super) fn read(tree: &::sled::Tree, need: &Need) -> Result<Self, StoreError> {
        if let Some((version, position)) = tree
            .get(header_key(P::NAME))?
            .and_then(|b| codec::header(&b))
        {
            if version == P::VERSION {
                let mut entries: Shared<StreamId, P::Record> = Shared::new();
                let mut whole = true;
                let loaded = match need {
                    Need::Every(name) if *name != P::NAME => Some(BTreeSet::new()),
                    Need::AllBut(name) if *name == P::NAME => Some(BTreeSet::new()),
                    Need::All | Need::Every(_) | Need::AllBut(_) => {
                        match grouped::<P>(tree)? {
                            Some(all) => entries = all,
                            None => whole = scan_records::<P>(tree, &mut entries)?,
                        }
                        None
                    }
                    Need::Streams(streams) => {
                        for stream in streams {
                            if let Some(v) = tree.get(record_key(P::NAME, *stream))? {
                                match decode_record(&v) {
                                    Some(r) => {
                                        entries.insert(*stream, Arc::new(r));
                                    }
                                    None => whole = false,
                                }
                            }
                        }
                        Some(streams.clone())
                    }
                };
                if !whole {
                    tracing::warn!(
                        projection = P::NAME,
                        "a stored record does not decode: rebuilding the projection"
                    );
                    return Ok(Self::fresh());
                }
                return Ok(Self {
                    state: P::from_parts(Position::new(position), entries),
                    found: Found::Keyed(position),
                    loaded,
                    touched: BTreeSet::new(),
                });
            }
        }
        let state = match tree.get(P::NAME)?.and_then(|b| codec::decode::<P>(&b)) {
            Some((version, state)) if version == P::VERSION => state,
            _ => P::default(),
        };
        Ok(Self {
            state,
            found: Found::Whole,
            loaded: None,
            touched: BTreeSet::new(),
        })
    }

    /// A fresh, empty state (a rebuild).
    pub(super) fn fresh() -> Self {
        Self {
            state: P::default(),
            found: Found::Whole,
            loaded: None,
            touched: BTreeSet::new(),
        }
    }
}

/// Every stored record of `P` into `entries`; `false` when one does not decode.
fn scan_records<P: Keyed>(
    tree: &::sled::Tree,
    entries: &mut Shared<StreamId, P::Record>,
) -> Result<bool, StoreError> {
    let start = prefix(P::NAME);
    let mut whole = true;
    for kv in tree.scan_prefix(&start) {
        let (k, v) = kv?;
        match (stream_of(&k[start.len()..]), decode_record(&v)) {
            (Some(stream), Some(r)) => {
                entries.insert(stream, Arc::new(r));
            }
            _ => whole = false,
        }
    }
    Ok(whole)
}

fn group_prefix(name: &str) -> Vec<u8> {
    format!("@{name}$/").into_bytes()
}

fn group_key(name: &str, group: u64) -> Vec<u8> {
    let mut key = group_prefix(name);
    key.extend_from_slice(&group.to_be_bytes());
    key
}

fn group_of<P: Keyed>(record: &P::Record) -> u64 {
    P::number(record) / delib_projections::GROUP
}

/// Every record of a grouped projection ([`Keyed::GROUPED`]), read from its groups: a few hundred
/// values instead of one per record. `None` when it is not grouped or a group does not decode (the
/// records are then read one by one).
fn grouped<P: Keyed>(
    tree: &::sled::Tree,
) -> Result<Option<Shared<StreamId, P::Record>>, StoreError> {
    if !P::GROUPED {
        return Ok(None);
    }
    let mut entries = Shared::new();
    for kv in tree.scan_prefix(group_prefix(P::NAME)) {
        let (_, v) = kv?;
        let Some(group) = decode_record::<Vec<(StreamId, P::Record)>>(&v) else {
            tracing::warn!(
                projection = P::NAME,
                "a stored group of records does not decode: reading the records"
            );
            return Ok(None);
        };
        entries.extend(group.into_iter().map(|(s, r)| (s, Arc::new(r))));
    }
    Ok(Some(entries))
}

/// The groups of the records `changed` (stream and current record), each the stored group with
/// those records put in, into `batch`.
fn write_groups<'a, P>(
    tree: &::sled::Tree,
    batch: &mut ::sled::Batch,
    changed: impl Iterator<Item = (StreamId, &'a P::Record)>,
) -> Result<(), StoreError>
where
    P: Keyed,
    P::Record: 'a,
{
    use std::collections::BTreeMap;
    if !P::GROUPED {
        return Ok(());
    }
    let mut by_group: BTreeMap<u64, Vec<(StreamId, &P::Record)>> = BTreeMap::new();
    for (stream, record) in changed {
        by_group
            .entry(group_of::<P>(record))
            .or_default()
            .push((stream, record));
    }
    for (group, changed) in by_group {
        let key = group_key(P::NAME, group);
        let mut members: BTreeMap<StreamId, P::Record> = match tree.get(&key)? {
            Some(v) => decode_record::<Vec<(StreamId, P::Record)>>(&v)
                .ok_or_else(damaged)?
                .into_iter()
                .collect(),
            None => BTreeMap::new(),
        };
        for (stream, record) in changed {
            members.insert(stream, record.clone());
        }
        let members: Vec<(&StreamId, &P::Record)> = members.iter().collect();
        batch.insert(key, encode_record(&members)?);
    }
    Ok(())
}

fn stream_of(bytes: &[u8]) -> Option<StreamId> {
    let raw: [u8; 16] = bytes.try_into().ok()?;
    Some(StreamId::from_uuid(uuid::Uuid::from_bytes(raw)))
}

impl<P: Keyed> Part for Records<P> {
    fn name(&self) -> &'static str {
        P::NAME
    }
    fn last(&self) -> u64 {
        self.state.last_position().get()
    }
    fn prepare(
        &mut self,
        tree: &::sled::Tree,
        streams: &BTreeSet<StreamId>,
    ) -> Result<(), StoreError> {
        let Some(loaded) = self.loaded.as_mut() else {
            return Ok(());
        };
        let missing: Vec<StreamId> = streams
            .iter()
            .filter(|s| !loaded.contains(s))
            .copied()
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let mut entries = self.state.entries().clone();
        for stream in missing {
            if let Some(v) = tree.get(record_key(P::NAME, stream))? {
                entries.insert(stream, Arc::new(decode_record(&v).ok_or_else(damaged)?));
            }
            loaded.insert(stream);
        }
        self.state = P::from_parts(self.state.last_position(), entries);
        Ok(())
    }
    fn fold(&mut self, event: &RecordedEvent) {
        if event.position() > self.state.last_position() {
            self.touched.insert(event.metadata.stream_id);
        }
        self.state.apply(event);
    }
    fn save(&self, tree: &::sled::Tree, batch: &mut ::sled::Batch) -> Result<(), StoreError> {
        let current = tree
            .get(header_key(P::NAME))?
            .and_then(|h| codec::header(&h))
            .filter(|(version, _)| *version == P::VERSION)
            .map(|(_, position)| position);
        match (self.found, current) {
            (Found::Keyed(at), _) if at == self.last() => Ok(()),
            // What is stored is as far (another reader saved meanwhile).
            (Found::Keyed(_), Some(p)) if p >= self.last() => Ok(()),
            // What is stored is at or past where this state was loaded: the records that changed
            // since are the touched ones.
            (Found::Keyed(at), Some(p)) if p >= at => self.write_touched(tree, batch),
            // Whole, or the stored state went back behind this one's base: all anew, if all is here.
            _ if self.loaded.is_none() => self.write_whole(tree, batch),
            _ => Ok(()),
        }
    }
    fn saved(&mut self) {
        self.found = Found::Keyed(self.last());
        self.touched.clear();
    }
}

impl<P: Keyed> Records<P> {
    /// A whole state loaded (or saved) at `since` that has since folded the events of `touched`.
    pub(super) fn changed(state: P, since: u64, touched: &BTreeSet<StreamId>) -> Self {
        Self {
            state,
            found: Found::Keyed(since),
            loaded: None,
            touched: touched.clone(),
        }
    }

    fn header(&self) -> Result<Vec<u8>, StoreError> {
        codec::encode(P::VERSION, self.last(), &())
    }

    fn write_touched(
        &self,
        tree: &::sled::Tree,
        batch: &mut ::sled::Batch,
    ) -> Result<(), StoreError> {
        let touched = || {
            self.touched
                .iter()
                .filter_map(|s| self.state.entries().get(s).map(|r| (*s, &**r)))
        };
        for (stream, record) in touched() {
            write_record::<P>(batch, stream, record)?;
        }
        write_groups::<P>(tree, batch, touched())?;
        batch.insert(header_key(P::NAME), self.header()?);
        Ok(())
    }

    /// Everything anew: drops what the keyed layout held that this state lacks (a rebuild) and the
    /// old one-value layout.
    fn write_whole(
        &self,
        tree: &::sled::Tree,
        batch: &mut ::sled::Batch,
    ) -> Result<(), StoreError> {
        for start in [prefix(P::NAME), row_prefix(P::NAME), digest_prefix(P::NAME)] {
            for kv in tree.scan_prefix(&start) {
                let (k, _) = kv?;
                let kept = stream_of(&k[start.len()..])
                    .is_some_and(|s| self.state.entries().contains_key(&s));
                if !kept {
                    batch.remove(k);
                }
            }
        }
        for (stream, record) in self.state.entries() {
            write_record::<P>(batch, *stream, record)?;
        }
        let groups: BTreeSet<Vec<u8>> = self
            .state
            .entries()
            .values()
            .map(|r| group_key(P::NAME, group_of::<P>(r)))
            .collect();
        for kv in tree.scan_prefix(group_prefix(P::NAME)) {
            let (k, _) = kv?;
            if !groups.contains(k.as_ref()) {
                batch.remove(k);
            }
        }
        // (no stored group is read: every record is here)
        write_whole_groups::<P>(batch, self.state.entries())?;
        batch.insert(header_key(P::NAME), self.header()?);
        batch.remove(P::NAME);
        Ok(())
    }
}

/// A record, its row and its digest (if the projection keeps one), into `batch`.
fn write_record<P: Keyed>(
    batch: &mut ::sled::Batch,
    stream: StreamId,
    record: &P::Record,
) -> Result<(), StoreError> {
    batch.insert(record_key(P::NAME, stream), encode_record(record)?);
    batch.insert(row_key(P::NAME, stream), encode_record(&P::row(record))?);
    if let Some(digest) = P::digest(record) {
        batch.insert(digest_key(P::NAME, stream), encode_record(&digest)?);
    }
    Ok(())
}

/// Every group of `entries` (all the records), into `batch`.
fn write_whole_groups<P: Keyed>(
    batch: &mut ::sled::Batch,
    entries: &Shared<StreamId, P::Record>,
) -> Result<(), StoreError> {
    use std::collections::BTreeMap;
    if !P::GROUPED {
        return Ok(());
    }
    let mut by_group: BTreeMap<u64, Vec<(&StreamId, &P::Record)>> = BTreeMap::new();
    for (stream, record) in entries {
        by_group
            .entry(group_of::<P>(record))
            .or_default()
            .push((stream, &**record));
    }
    for (group, members) in by_group {
        batch.insert(group_key(P::NAME, group), encode_record(&members)?);
    }
    Ok(())
}
