//! The document store: files attached to entities (`delib attach`), kept beside the log and
//! addressed by their SHA-256, `DATA/documents/sha256/<hex>`.
//!
//! A file is written before its event is appended (temporary file, fsync, rename, fsync of the
//! folder), so an acknowledged `document.attached` never points at a missing file. A crash between
//! the two leaves a file no event names: harmless (the same bytes attached again find it in place)
//! and ignored by `audit verify`, which checks the files the log names. A withdrawal deletes the
//! file after its event is durable; the hash stays in the log.

use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Largest document accepted (64 MiB): minutes, agreements and photos, not videos.
pub const DOCUMENT_MAX: u64 = 64 * 1024 * 1024;

/// The documents of the ledger whose data directory is `data`.
#[derive(Clone, Debug)]
pub struct DocumentStore {
    dir: PathBuf,
}

/// What `audit verify` found of one stored document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileState {
    /// Present with the recorded hash.
    Intact,
    /// Absent.
    Missing,
    /// Present with other bytes.
    Altered,
}

impl DocumentStore {
    /// The store of `data`.
    pub fn new(data: &Path) -> Self {
        Self {
            dir: data.join("documents").join("sha256"),
        }
    }

    /// The folder holding the files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the file of `sha256` is kept.
    pub fn path(&self, sha256: &[u8; 32]) -> PathBuf {
        self.dir.join(delib_events::document::hex(sha256))
    }

    /// Stores `bytes` durably under their SHA-256 and returns it. Bytes already stored intact are
    /// left in place.
    ///
    /// # Errors
    /// I/O failures.
    pub fn put(&self, bytes: &[u8]) -> io::Result<[u8; 32]> {
        let sha256: [u8; 32] = Sha256::digest(bytes).into();
        if self.check(&sha256)? == FileState::Intact {
            return Ok(sha256);
        }
        fs::create_dir_all(&self.dir)?;
        let hex = delib_events::document::hex(&sha256);
        let tmp = self.dir.join(format!(".{hex}.{}.tmp", std::process::id()));
        {
            let mut f = OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .open(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        fs::rename(&tmp, self.path(&sha256))?;
        File::open(&self.dir)?.sync_all()?;
        tracing::debug!(sha256 = %hex, size = bytes.len(), "document stored");
        Ok(sha256)
    }

    /// The bytes of `sha256`, if stored and intact.
    ///
    /// # Errors
    /// I/O failures other than a missing file.
    pub fn get(&self, sha256: &[u8; 32]) -> io::Result<Option<Vec<u8>>> {
        match fs::read(self.path(sha256)) {
            Ok(b) if <[u8; 32]>::from(Sha256::digest(&b)) == *sha256 => Ok(Some(b)),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Whether the file of `sha256` is there with those bytes.
    ///
    /// # Errors
    /// I/O failures other than a missing file.
    pub fn check(&self, sha256: &[u8; 32]) -> io::Result<FileState> {
        match fs::read(self.path(sha256)) {
            Ok(b) if <[u8; 32]>::from(Sha256::digest(&b)) == *sha256 => Ok(FileState::Intact),
            Ok(_) => Ok(FileState::Altered),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(FileState::Missing),
            Err(e) => Err(e),
        }
    }

    /// Deletes the file of `sha256` (a withdrawal), if there.
    ///
    /// # Errors
    /// I/O failures other than a missing file.
    pub fn remove(&self, sha256: &[u8; 32]) -> io::Result<()> {
        match fs::remove_file(self.path(sha256)) {
            Ok(()) => File::open(&self.dir)?.sync_all(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The hashes of every stored file (temporary files left by a crash are not listed).
    ///
    /// # Errors
    /// I/O failures other than a missing folder.
    pub fn list(&self) -> io::Result<Vec<[u8; 32]>> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut out = Vec::new();
        for e in entries {
            let name = e?.file_name();
            if let Some(sha) = name.to_str().and_then(parse_hex) {
                out.push(sha);
            }
        }
        out.sort_unstable();
        Ok(out)
    }
}

/// A SHA-256 written as 64 hex digits.
pub fn parse_hex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The media type of a file: from its first bytes when they say (PDF, PNG, JPEG, GIF, WebP),
/// otherwise from its extension, otherwise `application/octet-stream`.
pub fn media_type(path: &Path, bytes: &[u8]) -> &'static str {
    let sniffed = if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    };
    if let Some(m) = sniffed {
        return m;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ofd" => "application/ofd",
        _ => "application/octet-stream",
    }
}

/// Whether a browser may show a document inline: plain images and PDF. Everything else is served
/// as an attachment (`Content-Disposition: attachment`).
pub fn inline(media_type: &str) -> bool {
    matches!(
        media_type,
        "application/pdf" | "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_bytes_when_stored_then_they_are_found_by_hash_and_checked() {
        let tmp = tempfile::tempdir().unwrap();
        let store = DocumentStore::new(tmp.path());
        let sha = store.put(b"%PDF-1.4 minutes").unwrap();
        assert_eq!(store.check(&sha).unwrap(), FileState::Intact);
        assert_eq!(store.list().unwrap(), vec![sha]);
        assert_eq!(store.put(b"%PDF-1.4 minutes").unwrap(), sha, "idempotent");
        fs::write(store.path(&sha), b"%PDF-1.4 altered").unwrap();
        assert_eq!(store.check(&sha).unwrap(), FileState::Altered);
        assert_eq!(store.get(&sha).unwrap(), None);
        store.remove(&sha).unwrap();
        assert_eq!(store.check(&sha).unwrap(), FileState::Missing);
        assert_eq!(parse_hex(&delib_events::document::hex(&sha)), Some(sha));
    }

    #[test]
    fn media_types_come_from_the_first_bytes_then_the_extension() {
        assert_eq!(
            media_type(Path::new("x.bin"), b"%PDF-1.7"),
            "application/pdf"
        );
        assert_eq!(
            media_type(Path::new("a.txt"), b"%PDF-1.7"),
            "application/pdf"
        );
        assert_eq!(
            media_type(Path::new("公示.JPG"), &[0xFF, 0xD8, 0xFF, 0xE0]),
            "image/jpeg"
        );
        assert_eq!(
            media_type(Path::new("纪要.txt"), "会议纪要".as_bytes()),
            "text/plain; charset=utf-8"
        );
        assert_eq!(
            media_type(Path::new("page.html"), b"<html>"),
            "application/octet-stream"
        );
        assert!(inline("image/png") && !inline("text/plain; charset=utf-8"));
    }
}
