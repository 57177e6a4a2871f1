//! The person directory: names of persons, **outside the event log**, where erasure is real.
//!
//! One small JSON file per person, `DATA/people/<uuid>.json`, each written atomically (temporary file,
//! fsync, rename, fsync of the directory). Erasing overwrites the file with zeros, syncs, unlinks it and
//! syncs the directory, so no byte of the name stays in any file of the data directory. sled is never
//! given a name, so nothing lingers in its log.
//!
//! **Architecture Invariant:** a name is written here before its `PersonRegistered` event and deleted
//! after its `PersonErased` event. Both operations are bracketed by a `<uuid>.pending` marker (which
//! holds no name); [`super::LedgerService::open`] checks the persons with a marker and removes the
//! name of any that is absent or erased (and stray temporary files), so a crash between the two steps
//! cannot leave a name behind, and opening costs nothing when no operation was interrupted.

use delib_events::PersonId;
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// One person's entry.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    name: String,
}

/// The directory of person names.
#[derive(Debug, Clone)]
pub struct Directory {
    dir: PathBuf,
}

impl Directory {
    /// The directory of the ledger in `data` (created on first write).
    pub fn new(data: &Path) -> Self {
        Self {
            dir: data.join("people"),
        }
    }

    fn path(&self, person: PersonId) -> PathBuf {
        self.dir.join(format!("{person}.json"))
    }

    /// Stores a person's name, atomically and durably.
    ///
    /// # Errors
    /// I/O failures.
    pub fn put(&self, person: PersonId, name: &str) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let tmp = self.dir.join(format!("{person}.json.tmp"));
        let bytes = serde_json::to_vec(&Entry {
            name: name.to_owned(),
        })
        .map_err(io::Error::other)?;
        {
            let mut f = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        fs::rename(&tmp, self.path(person))?;
        sync_dir(&self.dir)
    }

    /// A person's name, or `None` when there is none (never registered or erased).
    ///
    /// # Errors
    /// I/O failures other than a missing file; a file that does not parse.
    pub fn name(&self, person: PersonId) -> io::Result<Option<String>> {
        match fs::read(self.path(person)) {
            Ok(bytes) => {
                let e: Entry = serde_json::from_slice(&bytes).map_err(io::Error::other)?;
                Ok(Some(e.name))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Removes a person's name for good: zeros over the bytes, sync, unlink, sync the directory.
    /// Erasing a person with no entry is not an error.
    ///
    /// # Errors
    /// I/O failures.
    pub fn erase(&self, person: PersonId) -> io::Result<()> {
        shred(&self.path(person))?;
        sync_dir(&self.dir)
    }

    /// Marks a person's directory entry as in the middle of an add or erase.
    ///
    /// # Errors
    /// I/O failures.
    pub fn mark(&self, person: PersonId) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        File::create(self.dir.join(format!("{person}.pending")))?.sync_all()?;
        sync_dir(&self.dir)
    }

    /// Removes the marker set by [`Directory::mark`].
    ///
    /// # Errors
    /// I/O failures other than a missing marker.
    pub fn unmark(&self, person: PersonId) -> io::Result<()> {
        match fs::remove_file(self.dir.join(format!("{person}.pending"))) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// The persons whose add or erase was interrupted (a marker remains).
    ///
    /// # Errors
    /// I/O failures.
    pub fn pending(&self) -> io::Result<Vec<PersonId>> {
        Ok(self
            .scan()?
            .into_iter()
            .filter_map(|(p, pending)| pending.then_some(p))
            .collect())
    }

    /// The persons with a name entry.
    ///
    /// # Errors
    /// I/O failures.
    pub fn entries(&self) -> io::Result<Vec<PersonId>> {
        Ok(self
            .scan()?
            .into_iter()
            .filter_map(|(p, pending)| (!pending).then_some(p))
            .collect())
    }

    /// Entries (`false`) and markers (`true`); removes stray temporary files.
    ///
    /// # Errors
    /// I/O failures.
    fn scan(&self) -> io::Result<Vec<(PersonId, bool)>> {
        let mut out = Vec::new();
        let rd = match fs::read_dir(&self.dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        for entry in rd {
            let entry = entry?;
            let file = entry.file_name();
            let file = file.to_string_lossy();
            let entry_id = file.strip_suffix(".json").map(str::parse::<uuid::Uuid>);
            let marker_id = file.strip_suffix(".pending").map(str::parse::<uuid::Uuid>);
            match (entry_id, marker_id) {
                (Some(Ok(u)), _) => out.push((PersonId::from_uuid(u), false)),
                (_, Some(Ok(u))) => out.push((PersonId::from_uuid(u), true)),
                _ if file.ends_with(".tmp") => {
                    tracing::warn!(file = %file, "removing a stray temporary file of the person directory");
                    shred(&entry.path())?;
                }
                _ => {}
            }
        }
        Ok(out)
    }
}

/// Overwrites a file with zeros, syncs it and unlinks it. A missing file is fine.
fn shred(path: &Path) -> io::Result<()> {
    let len = match fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    {
        let mut f = OpenOptions::new().write(true).open(path)?;
        f.write_all(&vec![0u8; usize::try_from(len).unwrap_or(0)])?;
        f.sync_all()?;
    }
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_read_erase() {
        let tmp = tempfile::tempdir().unwrap();
        let d = Directory::new(tmp.path());
        let p = PersonId::from_uuid(uuid::Uuid::now_v7());
        assert_eq!(d.name(p).unwrap(), None);
        d.put(p, "王芳 Wang Fang").unwrap();
        assert_eq!(d.name(p).unwrap().as_deref(), Some("王芳 Wang Fang"));
        assert_eq!(d.entries().unwrap(), vec![p]);
        d.mark(p).unwrap();
        assert_eq!(d.pending().unwrap(), vec![p]);
        assert_eq!(d.entries().unwrap(), vec![p]);
        d.unmark(p).unwrap();
        assert!(d.pending().unwrap().is_empty());
        d.erase(p).unwrap();
        assert_eq!(d.name(p).unwrap(), None);
        assert!(d.entries().unwrap().is_empty());
        d.erase(p).unwrap();
    }
}
