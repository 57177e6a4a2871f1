//! Reads and the opening check of the hash chain's tail.

use super::commands;
use super::records;
use super::streams;
use super::Inner;
use crate::store::keys;
use crate::store::plan::Lookup;
use crate::store::{Head, StoreError};
use delib_events::{
    codec::decode_header, decode_record, CommandId, Position, RecordHash, RecordedEvent, StreamId,
    StreamVersion,
};

/// How many records at the end of the log are checked on open.
const TAIL_CHECK: usize = 64;

impl Lookup for Inner {
    fn stream_version(&self, stream: StreamId) -> Result<StreamVersion, StoreError> {
        stream_version(&self.db, stream)
    }
    fn command_span(&self, command: CommandId) -> Result<Option<(Position, Position)>, StoreError> {
        super::commands::lookup(&self.db, None, command)
    }
}

/// The stream's last version as written, durable or not (what the writer plans from).
pub(super) fn stream_version(
    db: &::sled::Db,
    stream: StreamId,
) -> Result<StreamVersion, StoreError> {
    if let Some(run) = streams::last_run(db, stream)? {
        return Ok(StreamVersion::new(run.last()));
    }
    legacy_stream_version(db, stream)
}

/// The stream's last version at a position up to `durable` (what readers see: the writer may have
/// applied later groups that are not durable yet).
pub(super) fn durable_stream_version(
    db: &::sled::Db,
    stream: StreamId,
    durable: Position,
) -> Result<StreamVersion, StoreError> {
    if let Some(version) = streams::last_version_within(db, stream, durable)? {
        return Ok(StreamVersion::new(version));
    }
    // The legacy index was written before this process opened the ledger: all of it is durable.
    legacy_stream_version(db, stream)
}

fn legacy_stream_version(db: &::sled::Db, stream: StreamId) -> Result<StreamVersion, StoreError> {
    let prefix = &keys::stream(stream, StreamVersion::NONE)[..17];
    match db.scan_prefix(prefix).next_back() {
        None => Ok(StreamVersion::NONE),
        Some(kv) => {
            let (k, _) = kv?;
            keys::version_of_stream_key(&k).ok_or_else(|| StoreError::Corrupt {
                position: Position::ZERO,
                reason: format!("stream index key for {stream} is malformed"),
            })
        }
    }
}

pub(super) fn read_stream(
    db: &::sled::Db,
    legacy_end: u64,
    durable: Position,
    stream: StreamId,
    from: StreamVersion,
    limit: usize,
) -> Result<Vec<RecordedEvent>, StoreError> {
    // The stream's first versions may be indexed in the legacy layout, the rest in runs.
    let start = keys::stream(stream, from);
    let end = keys::stream(stream, StreamVersion::new(u64::MAX));
    let mut positions = Vec::new();
    let mut beyond = false;
    for kv in db.range(start..=end) {
        let (_, v) = kv?;
        let position = keys::position_value(&v).ok_or_else(|| StoreError::Corrupt {
            position: Position::ZERO,
            reason: format!("stream index value for {stream} is malformed"),
        })?;
        if position > durable {
            beyond = true;
            break;
        }
        positions.push(position);
    }
    if !beyond && positions.len() < limit {
        streams::positions_from(db, stream, from, durable, &mut positions)?;
    }
    positions.truncate(limit);
    let mut out = Vec::with_capacity(positions.len());
    for position in positions {
        let bytes = records::get(db, legacy_end, position)?.ok_or_else(|| StoreError::Corrupt {
            position,
            reason: format!("stream {stream} indexes a position with no record"),
        })?;
        out.push(decode_at(position, &bytes)?);
    }
    Ok(out)
}

pub(super) fn read_raw(
    db: &::sled::Db,
    legacy_end: u64,
    durable: Position,
    from: Position,
    limit: usize,
) -> Result<Vec<(Position, Vec<u8>)>, StoreError> {
    if limit == 0 || from > durable {
        return Ok(Vec::new());
    }
    records::scan(db, legacy_end, from, durable, limit)
}

pub(super) fn read_all(
    db: &::sled::Db,
    legacy_end: u64,
    durable: Position,
    from: Position,
    limit: usize,
) -> Result<Vec<RecordedEvent>, StoreError> {
    read_raw(db, legacy_end, durable, from, limit)?
        .into_iter()
        .map(|(p, b)| decode_at(p, &b))
        .collect()
}

fn decode_at(position: Position, bytes: &[u8]) -> Result<RecordedEvent, StoreError> {
    let event = decode_record(bytes).map_err(|source| StoreError::Codec { position, source })?;
    if event.metadata.position != position {
        return Err(StoreError::Corrupt {
            position,
            reason: format!("record claims position {}", event.metadata.position),
        });
    }
    Ok(event)
}

/// The last record's position and hash, unchecked.
pub(super) fn last_record(db: &::sled::Db, legacy_end: u64) -> Result<Head, StoreError> {
    match records::tail(db, legacy_end, 1)?.pop() {
        None => Ok(Head::EMPTY),
        Some((position, bytes)) => Ok(Head {
            position,
            hash: RecordHash::of(&bytes),
        }),
    }
}

/// Finds the head and checks the last [`TAIL_CHECK`] records: they decode, sit at the positions they
/// claim, follow each other without gaps, and each links to its predecessor's hash.
pub(super) fn check_tail(db: &::sled::Db, legacy_end: u64) -> Result<Head, StoreError> {
    let tail = records::tail(db, legacy_end, TAIL_CHECK + 1)?;
    let Some((last_position, last_bytes)) = tail.last() else {
        return Ok(Head::EMPTY);
    };
    for (i, (position, bytes)) in tail.iter().enumerate() {
        if i == 0 && tail.len() > TAIL_CHECK {
            continue; // only the predecessor of the first checked record
        }
        decode_at(*position, bytes)?;
        let header = decode_header(bytes).map_err(|source| StoreError::Codec {
            position: *position,
            source,
        })?;
        let expected_prev = match i.checked_sub(1).map(|j| &tail[j]) {
            Some((prev_pos, prev_bytes)) => {
                if prev_pos.next() != Some(*position) {
                    return Err(StoreError::Corrupt {
                        position: *position,
                        reason: format!("gap: previous record is at {prev_pos}"),
                    });
                }
                RecordHash::of(prev_bytes)
            }
            None if position.get() == 1 => RecordHash::GENESIS,
            None => {
                return Err(StoreError::Corrupt {
                    position: *position,
                    reason: "first record of the ledger is not at position 1".into(),
                })
            }
        };
        if header.prev_hash != expected_prev {
            return Err(StoreError::Corrupt {
                position: *position,
                reason: "hash chain broken: prev_hash does not match the previous record".into(),
            });
        }
    }
    Ok(Head {
        position: *last_position,
        hash: RecordHash::of(last_bytes),
    })
}

pub(super) fn tree_nodes(db: &::sled::Db) -> Result<Vec<(u8, u64, Vec<u8>)>, StoreError> {
    let mut out = Vec::new();
    for kv in db.scan_prefix([keys::TREE]) {
        let (k, v) = kv?;
        let index: [u8; 8] = k
            .get(2..10)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| StoreError::Corrupt {
                position: Position::ZERO,
                reason: "malformed Merkle node key".into(),
            })?;
        out.push((k[1], u64::from_be_bytes(index), v.to_vec()));
    }
    Ok(out)
}

pub(super) fn scan_stream_index(
    db: &::sled::Db,
    mut f: impl FnMut(StreamId, StreamVersion, Option<Position>),
) -> Result<(), StoreError> {
    for kv in db.scan_prefix([keys::STREAM]) {
        let (k, v) = kv?;
        let stream: Option<[u8; 16]> = k.get(1..17).and_then(|b| b.try_into().ok());
        match (stream, keys::version_of_stream_key(&k)) {
            (Some(stream), Some(version)) if k.len() == 25 => {
                f(
                    StreamId::from_bytes(stream),
                    version,
                    keys::position_value(&v),
                );
            }
            _ => {
                return Err(StoreError::Corrupt {
                    position: Position::ZERO,
                    reason: "malformed stream index key".into(),
                })
            }
        }
    }
    for kv in db.scan_prefix([keys::STREAM_RUN]) {
        let (k, v) = kv?;
        let (stream, run) = streams::decode(&k, &v)?;
        for (i, p) in run.positions.iter().enumerate() {
            f(
                stream,
                StreamVersion::new(run.first + i as u64),
                Some(Position::new(*p)),
            );
        }
    }
    Ok(())
}

pub(super) fn scan_command_index(
    db: &::sled::Db,
    mut f: impl FnMut(CommandId, Option<(Position, Position)>),
) -> Result<(), StoreError> {
    for kv in db.scan_prefix([keys::COMMAND]) {
        let (k, v) = kv?;
        let command: [u8; 16] = k
            .get(1..17)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| StoreError::Corrupt {
                position: Position::ZERO,
                reason: "malformed command index key".into(),
            })?;
        f(CommandId::from_bytes(command), keys::parse_span(&v));
    }
    for kv in db.scan_prefix([keys::COMMAND_BUCKET]) {
        let (k, v) = kv?;
        let prefix: commands::Prefix = k
            .get(1..7)
            .and_then(|b| b.try_into().ok())
            .filter(|_| k.len() == 7)
            .ok_or_else(|| StoreError::Corrupt {
                position: Position::ZERO,
                reason: "malformed command index bucket key".into(),
            })?;
        for e in commands::decode(&prefix, &v)? {
            let span = (e.first != Position::ZERO).then_some((e.first, e.last));
            f(commands::join(&prefix, &e.suffix), span);
        }
    }
    Ok(())
}
