//! `audit verify`, step 5: every document the log records is on file with its recorded SHA-256, and
//! every withdrawn one is gone. A missing or altered file is a problem at its attachment's position.

use crate::app::documents::{DocumentStore, FileState};
use crate::store::verify::Problem;
use delib_events::document::{hex, DocumentEvent};
use delib_events::{Event, Position};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The documents seen while reading the log.
#[derive(Debug, Default)]
pub struct Seen {
    attached: Vec<(Position, [u8; 32])>,
    withdrawn: BTreeSet<Position>,
}

impl Seen {
    /// Notes a record.
    pub fn record(&mut self, position: Position, event: &Event) {
        match event {
            Event::Document(DocumentEvent::DocumentAttached { sha256, .. }) => {
                self.attached.push((position, *sha256));
            }
            Event::Document(DocumentEvent::DocumentWithdrawn { attached, .. }) => {
                self.withdrawn.insert(*attached);
            }
            _ => {}
        }
    }

    /// Notes a withdrawal recorded after the records read (a ledger in use), so that its deleted
    /// file is not reported missing.
    pub fn record_withdrawal(&mut self, event: &Event) {
        if let Event::Document(DocumentEvent::DocumentWithdrawn { attached, .. }) = event {
            self.withdrawn.insert(*attached);
        }
    }

    /// Checks the files of `data` against what was seen: the number checked, and the problems.
    pub fn check(&self, data: &Path) -> (u64, Vec<Problem>) {
        let files = DocumentStore::new(data);
        // A file may be attached to several entities: it must stay while one attachment does.
        let mut by_hash: BTreeMap<[u8; 32], (Position, bool)> = BTreeMap::new();
        for (position, sha) in &self.attached {
            let kept = !self.withdrawn.contains(position);
            let e = by_hash.entry(*sha).or_insert((*position, kept));
            if kept && !e.1 {
                *e = (*position, true);
            }
        }
        let mut problems = Vec::new();
        for (sha, (position, kept)) in &by_hash {
            let state = files.check(sha);
            let problem = match (state, kept) {
                (Ok(FileState::Intact), true) | (Ok(FileState::Missing), false) => continue,
                (Ok(FileState::Missing), true) => format!(
                    "document sha256 {} is missing from {}",
                    hex(sha),
                    files.dir().display()
                ),
                (Ok(FileState::Altered), true) => format!(
                    "document sha256 {}: the file on record was altered (its bytes no longer have this hash)",
                    hex(sha)
                ),
                (Ok(_), false) => format!(
                    "document sha256 {} was withdrawn but its file is still on record",
                    hex(sha)
                ),
                (Err(e), _) => format!("document sha256 {}: cannot read it: {e}", hex(sha)),
            };
            problems.push(Problem {
                position: position.get(),
                problem,
            });
        }
        (by_hash.len() as u64, problems)
    }
}
