//! The packed stream index: a stream's positions in runs of up to [`RUN`] consecutive versions.
//!
//! Key `S stream(16) first_version(8)`, value a format byte ([`FORMAT`]) followed by the positions
//! (8 bytes each, big-endian) of versions `first_version, first_version + 1, …`. An append adds its
//! events' positions to the stream's last run (rewriting that one key) and starts a new run when the
//! last is full: one sled write per stream per append, however many events it holds, and the runs
//! are rewritten in place rather than inserted, so sled's leaves do not split once per few events.
//!
//! Before this layout the index held one `s stream(16) version(8)` key per event (see `keys.rs`);
//! those are read forever. A stream's legacy entries, if any, hold its first versions, and its runs
//! (written after) hold the rest: a read takes the legacy entries, then the runs. Reading a stream
//! stays O(events in the stream).

use crate::store::{keys, StoreError};
use delib_events::{Position, StreamId, StreamVersion};
use std::collections::{BTreeMap, HashMap};

/// The run value's format byte.
pub(crate) const FORMAT: u8 = 1;
/// The most versions a run holds. Part of the layout: a read looks for the run holding a version at
/// most `RUN - 1` versions before it, so this may never be lowered (a writer may fill runs less).
pub(crate) const RUN: usize = 32;

/// One run: its first version and the positions of it and the versions after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) first: u64,
    pub(crate) positions: Vec<u64>,
}

impl Run {
    /// The run's last version.
    pub(crate) fn last(&self) -> u64 {
        self.first + self.positions.len() as u64 - 1
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(1 + 8 * self.positions.len());
        v.push(FORMAT);
        for p in &self.positions {
            v.extend_from_slice(&p.to_be_bytes());
        }
        v
    }
}

/// The key of the run of `stream` starting at `first`.
pub(crate) fn key(stream: StreamId, first: u64) -> [u8; 25] {
    let mut k = keys::stream(stream, StreamVersion::new(first));
    k[0] = keys::STREAM_RUN;
    k
}

fn malformed(stream: StreamId) -> StoreError {
    StoreError::Corrupt {
        position: Position::ZERO,
        reason: format!("stream index run of {stream} is malformed"),
    }
}

/// Decodes a run from its key and value.
///
/// # Errors
/// [`StoreError::Corrupt`] for a malformed key or value.
pub(crate) fn decode(key: &[u8], value: &[u8]) -> Result<(StreamId, Run), StoreError> {
    let stream: [u8; 16] = key
        .get(1..17)
        .and_then(|b| b.try_into().ok())
        .filter(|_| key.len() == 25 && key[0] == keys::STREAM_RUN)
        .ok_or_else(|| StoreError::Corrupt {
            position: Position::ZERO,
            reason: "malformed stream index run key".into(),
        })?;
    let stream = StreamId::from_bytes(stream);
    let first = keys::version_of_stream_key(key).ok_or_else(|| malformed(stream))?;
    let (&format, body) = value.split_first().ok_or_else(|| malformed(stream))?;
    if format != FORMAT
        || body.is_empty()
        || body.len() % 8 != 0
        || body.len() / 8 > RUN
        || first.get() == 0
    {
        return Err(malformed(stream));
    }
    let positions = body
        .chunks_exact(8)
        .map(|c| u64::from_be_bytes(c.try_into().expect("8 bytes")))
        .collect();
    Ok((
        stream,
        Run {
            first: first.get(),
            positions,
        },
    ))
}

fn prefix(stream: StreamId) -> [u8; 17] {
    let mut p = [0u8; 17];
    p.copy_from_slice(&key(stream, 0)[..17]);
    p
}

/// The stream's last run, if it has any.
///
/// # Errors
/// sled errors and malformed runs.
pub(crate) fn last_run(db: &::sled::Db, stream: StreamId) -> Result<Option<Run>, StoreError> {
    match db.scan_prefix(prefix(stream)).next_back() {
        None => Ok(None),
        Some(kv) => {
            let (k, v) = kv?;
            Ok(Some(decode(&k, &v)?.1))
        }
    }
}

/// The last version of `stream` held in runs at a position up to `durable` (`None` if no run holds
/// one). The writer applies groups before they are durable, so a stream's last runs may hold
/// positions beyond it; those are always its last versions.
///
/// # Errors
/// sled errors and malformed runs.
pub(crate) fn last_version_within(
    db: &::sled::Db,
    stream: StreamId,
    durable: Position,
) -> Result<Option<u64>, StoreError> {
    for kv in db.scan_prefix(prefix(stream)).rev() {
        let (k, v) = kv?;
        let (_, run) = decode(&k, &v)?;
        let within = run
            .positions
            .iter()
            .take_while(|p| **p <= durable.get())
            .count();
        if within > 0 {
            return Ok(Some(run.first + within as u64 - 1));
        }
    }
    Ok(None)
}

/// Appends to `out` the positions of `stream`'s versions `>= from` held in runs, oldest first,
/// stopping at the first position beyond `durable`.
///
/// # Errors
/// sled errors and malformed runs.
pub(crate) fn positions_from(
    db: &::sled::Db,
    stream: StreamId,
    from: StreamVersion,
    durable: Position,
    out: &mut Vec<Position>,
) -> Result<(), StoreError> {
    // A run holding `from` starts at most RUN - 1 versions before it.
    let start = from.get().saturating_sub(RUN as u64 - 1);
    let end = key(stream, u64::MAX);
    for kv in db.range(key(stream, start)..=end) {
        let (k, v) = kv?;
        let (_, run) = decode(&k, &v)?;
        for (i, p) in run.positions.iter().enumerate() {
            if run.first + (i as u64) < from.get() {
                continue;
            }
            let p = Position::new(*p);
            if p > durable {
                return Ok(());
            }
            out.push(p);
        }
    }
    Ok(())
}

/// The writer's copy of the last run of streams it appended to (exactly what is stored: the writer is
/// the only one who writes them). Bounded: cleared past [`Runs::MAX`] streams.
#[derive(Debug, Default)]
pub(crate) struct Runs {
    last: HashMap<StreamId, Run>,
}

impl Runs {
    const MAX: usize = 1 << 16;

    /// Adds a group's last runs once the group is durable.
    pub(crate) fn commit(&mut self, pending: PendingRuns) {
        if self.last.len() + pending.last.len() > Self::MAX {
            self.last.clear();
        }
        self.last.extend(pending.last);
    }
}

/// What one group adds to the stream index.
#[derive(Debug, Default)]
pub(crate) struct PendingRuns {
    last: HashMap<StreamId, Run>,
    writes: BTreeMap<(StreamId, u64), Vec<u64>>,
}

impl PendingRuns {
    /// Records that version `version` of `stream` is at `position`; `version` is the one after the
    /// stream's stored (or earlier in this group) version.
    ///
    /// # Errors
    /// sled errors and malformed runs.
    pub(crate) fn add(
        &mut self,
        runs: &Runs,
        db: &::sled::Db,
        stream: StreamId,
        version: StreamVersion,
        position: Position,
    ) -> Result<(), StoreError> {
        let version = version.get();
        if let std::collections::hash_map::Entry::Vacant(slot) = self.last.entry(stream) {
            let stored = match runs.last.get(&stream) {
                Some(run) => Some(run.clone()),
                // A new stream has no run to continue: no need to look.
                None if version == 1 => None,
                None => last_run(db, stream)?,
            };
            if let Some(run) = stored {
                slot.insert(run);
            }
        }
        let continues = self
            .last
            .get(&stream)
            .is_some_and(|run| run.last() + 1 == version && run.positions.len() < RUN);
        if continues {
            let run = self.last.get_mut(&stream).expect("checked above");
            run.positions.push(position.get());
        } else {
            // The stream's first run (after legacy entries, if any), or the last one is full.
            self.last.insert(
                stream,
                Run {
                    first: version,
                    positions: vec![position.get()],
                },
            );
        }
        let run = &self.last[&stream];
        self.writes
            .insert((stream, run.first), run.positions.clone());
        Ok(())
    }

    /// The run writes of the group: (key, value).
    pub(crate) fn writes(&self) -> impl Iterator<Item = ([u8; 25], Vec<u8>)> + '_ {
        self.writes.iter().map(|((stream, first), positions)| {
            let run = Run {
                first: *first,
                positions: positions.clone(),
            };
            (key(*stream, *first), run.encode())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_fill_to_their_length_then_a_new_one_starts() {
        // given a new stream
        let db = ::sled::Config::new().temporary(true).open().unwrap();
        let stream = StreamId::from_uuid(uuid::Uuid::from_u128(9));
        let runs = Runs::default();
        let mut pending = PendingRuns::default();
        // when RUN + 3 versions are added
        for v in 1..=(RUN as u64 + 3) {
            pending
                .add(
                    &runs,
                    &db,
                    stream,
                    StreamVersion::new(v),
                    Position::new(v * 10),
                )
                .unwrap();
        }
        // then two runs are written, the first full, the second starting after it
        let writes: Vec<_> = pending.writes().collect();
        assert_eq!(writes.len(), 2);
        let (_, first) = decode(&writes[0].0, &writes[0].1).unwrap();
        let (_, second) = decode(&writes[1].0, &writes[1].1).unwrap();
        assert_eq!((first.first, first.positions.len()), (1, RUN));
        assert_eq!(
            (second.first, second.positions),
            (RUN as u64 + 1, vec![330, 340, 350])
        );
    }

    #[test]
    fn a_malformed_run_is_an_error() {
        let stream = StreamId::from_uuid(uuid::Uuid::from_u128(9));
        let k = key(stream, 1);
        assert!(decode(&k, &[]).is_err());
        assert!(decode(&k, &[FORMAT]).is_err());
        assert!(decode(&k, &[2, 0, 0, 0, 0, 0, 0, 0, 1]).is_err());
        assert!(decode(&k, &[FORMAT, 0, 0, 0]).is_err());
        assert!(decode(&key(stream, 0), &[FORMAT, 0, 0, 0, 0, 0, 0, 0, 1]).is_err());
        let mut too_long = vec![FORMAT];
        too_long.extend(std::iter::repeat_n(1u8, 8 * (RUN + 1)));
        assert!(decode(&k, &too_long).is_err());
        assert_eq!(
            decode(&k, &[FORMAT, 0, 0, 0, 0, 0, 0, 0, 1])
                .unwrap()
                .1
                .positions,
            vec![1]
        );
    }
}
