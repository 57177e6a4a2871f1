//! The key layout of the single sled tree.
//!
//! Everything an append writes lives in one tree, written atomically as one batch or behind the journal
//! `J` (`sled_store/journal.rs`). Keys are
//! a one-byte prefix followed by big-endian fixed-width fields, so byte order is numeric order.
//!
//! | key                                   | value                        | per        |
//! |---------------------------------------|------------------------------|------------|
//! | `e` position(8)                       | the record's exact bytes     | event (3)  |
//! | `E` last position(8)                  | format(1) n(4) ends(4 each) records | pack of consecutive records |
//! | `s` stream(16) version(8)             | position(8)                  | event (2)  |
//! | `S` stream(16) first version(8)       | format(1) positions(8 each)  | 1/32 event |
//! | `c` command(16)                       | first(8) last(8)             | append (1) |
//! | `C` command prefix(6)                 | format(1) entries (see below)| group      |
//! | `t` level(1) index(8)                 | Merkle subtree hash(32)      | 1/8 event  |
//! | `x` side key                          | side value (the sealed urn)  | side write |
//! | `J`                                   | the last journaled group's writes | journaled group |
//!
//! (1) Only before the packed command index, or when a bucket is full: see `sled_store/commands.rs`,
//! whose `C` buckets hold the entries `suffix(10) first(8) last(8)` of every command id sharing the
//! bucket's first six bytes (UUIDv7: the same millisecond). Both are read forever.
//!
//! (2) Only before the packed stream index: see `sled_store/streams.rs`, whose `S` runs hold the
//! positions of up to 32 consecutive versions of a stream, one write per stream per append. A
//! stream's legacy `s` entries (if any) precede its runs. Both are read forever.
//!
//! (3) Only before record packs: see `sled_store/records.rs`. `e` keys hold positions up to the
//! last one written this way, packs every later one; a record's bytes are the same in both.
//!
//! `t` keys hold the roots of complete aligned Merkle subtrees of `2^level` leaves, for levels at or
//! above [`crate::audit::merkle::STORED_MIN_LEVEL`] (so 1/8 of a key per event, amortised); see
//! `crate::audit::merkle::source` for why that is enough for log-cost roots and proofs.

use delib_events::{CommandId, Position, StreamId, StreamVersion};

pub(crate) const EVENT: u8 = b'e';
pub(crate) const RECORD_PACK: u8 = b'E';
pub(crate) const STREAM: u8 = b's';
pub(crate) const STREAM_RUN: u8 = b'S';
pub(crate) const COMMAND: u8 = b'c';
pub(crate) const COMMAND_BUCKET: u8 = b'C';
pub(crate) const TREE: u8 = b't';
pub(crate) const SIDE: u8 = b'x';

pub(crate) fn side(key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(key.len() + 1);
    k.push(SIDE);
    k.extend_from_slice(key);
    k
}

pub(crate) fn tree(level: u8, index: u64) -> [u8; 10] {
    let mut k = [0u8; 10];
    k[0] = TREE;
    k[1] = level;
    k[2..].copy_from_slice(&index.to_be_bytes());
    k
}

pub(crate) fn event(position: Position) -> [u8; 9] {
    let mut k = [0u8; 9];
    k[0] = EVENT;
    k[1..].copy_from_slice(&position.to_be_bytes());
    k
}

pub(crate) fn position_of_event_key(key: &[u8]) -> Option<Position> {
    let bytes: [u8; 8] = key.get(1..9)?.try_into().ok()?;
    (key.len() == 9 && key[0] == EVENT).then(|| Position::from_be_bytes(bytes))
}

pub(crate) fn stream(stream: StreamId, version: StreamVersion) -> [u8; 25] {
    let mut k = [0u8; 25];
    k[0] = STREAM;
    k[1..17].copy_from_slice(&stream.to_bytes());
    k[17..].copy_from_slice(&version.to_be_bytes());
    k
}

pub(crate) fn version_of_stream_key(key: &[u8]) -> Option<StreamVersion> {
    let bytes: [u8; 8] = key.get(17..25)?.try_into().ok()?;
    Some(StreamVersion::from_be_bytes(bytes))
}

pub(crate) fn command(command: CommandId) -> [u8; 17] {
    let mut k = [0u8; 17];
    k[0] = COMMAND;
    k[1..].copy_from_slice(&command.to_bytes());
    k
}

pub(crate) fn span_value(first: Position, last: Position) -> [u8; 16] {
    let mut v = [0u8; 16];
    v[..8].copy_from_slice(&first.to_be_bytes());
    v[8..].copy_from_slice(&last.to_be_bytes());
    v
}

pub(crate) fn parse_span(value: &[u8]) -> Option<(Position, Position)> {
    let first: [u8; 8] = value.get(0..8)?.try_into().ok()?;
    let last: [u8; 8] = value.get(8..16)?.try_into().ok()?;
    Some((
        Position::from_be_bytes(first),
        Position::from_be_bytes(last),
    ))
}

pub(crate) fn position_value(value: &[u8]) -> Option<Position> {
    let bytes: [u8; 8] = value.try_into().ok()?;
    Some(Position::from_be_bytes(bytes))
}
