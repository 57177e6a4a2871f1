//! Full re-reading of the log: every record decodes, sits at the position it claims, follows its
//! predecessor without a gap, and links to its predecessor's hash; the last hash is the head's.
//! Used by `delib audit verify`, the crash test and anyone who doubts a data directory.

use super::{EventStore, Head, StoreError};
use delib_events::codec::decode_header;
use delib_events::{decode_record, Position, RecordHash, RecordedEvent};
use serde::Serialize;

/// One thing found wrong, at a position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Where (0 when not tied to one record).
    pub position: u64,
    /// What.
    pub problem: String,
}

/// What a full pass found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Records read.
    pub size: u64,
    /// The hash of the last record read.
    pub last_hash: RecordHash,
    /// Everything wrong, in position order; empty when the chain is intact.
    pub problems: Vec<Problem>,
}

/// How many records are read per page.
const PAGE: usize = 4096;

/// Reads every record up to the head and checks the chain, calling `visit` with each record's exact
/// bytes and, when it decodes, the record (for Merkle leaves and index checks).
///
/// # Errors
/// Only when the store cannot be read at all; damage is reported as [`Problem`]s.
pub fn verify_chain<S: EventStore + ?Sized>(
    store: &S,
    mut visit: impl FnMut(Position, &[u8], Option<&RecordedEvent>),
) -> Result<ChainReport, StoreError> {
    let head: Head = store.head();
    let mut problems = Vec::new();
    let mut expected = Position::new(1);
    let mut prev_hash = RecordHash::GENESIS;
    let mut size = 0u64;
    loop {
        let page = store.read_raw(expected, PAGE)?;
        if page.is_empty() {
            break;
        }
        for (position, bytes) in page {
            if position != expected {
                problems.push(Problem {
                    position: expected.get(),
                    problem: format!(
                        "missing record(s): next record found is at position {position}"
                    ),
                });
            }
            match decode_header(&bytes) {
                Ok(header) if header.prev_hash != prev_hash => {
                    let before = position.get().saturating_sub(1);
                    problems.push(Problem {
                        position: before,
                        problem: format!(
                            "hash chain broken: record {before} no longer hashes to the link record {position} holds, so record {before} was altered, removed or replaced (or record {position}'s link was)"
                        ),
                    });
                }
                Ok(_) => {}
                Err(e) => problems.push(Problem {
                    position: position.get(),
                    problem: e.to_string(),
                }),
            }
            let decoded = match decode_record(&bytes) {
                Ok(rec) => {
                    if rec.metadata.position != position {
                        problems.push(Problem {
                            position: position.get(),
                            problem: format!("record claims position {}", rec.metadata.position),
                        });
                    }
                    Some(rec)
                }
                Err(e) => {
                    problems.push(Problem {
                        position: position.get(),
                        problem: e.to_string(),
                    });
                    None
                }
            };
            visit(position, &bytes, decoded.as_ref());
            prev_hash = RecordHash::of(&bytes);
            size += 1;
            expected = position.next().unwrap_or(position);
        }
    }
    if size != head.position.get() {
        problems.push(Problem {
            position: head.position.get(),
            problem: format!("head says {} records, {size} found", head.position),
        });
    } else if prev_hash != head.hash {
        problems.push(Problem {
            position: head.position.get(),
            problem: "head hash does not match the last record".into(),
        });
    }
    Ok(ChainReport {
        size,
        last_hash: prev_hash,
        problems,
    })
}
