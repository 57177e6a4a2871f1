//! Clearing what a crash of sled 0.34.7 can leave behind that sled itself would refuse to open.
//!
//! Run under the directory lock, before sled is opened (so no process is writing these files):
//!
//! - **`snap.<lsn>.generating`** (sled issue #1527). sled rewrites its snapshot on open, first into
//!   `snap.<lsn>.generating`, which it fsyncs and then renames to `snap.<lsn>`. A kill before the
//!   rename leaves the `.generating` file, and sled's `read_snapshot` takes the lexically greatest
//!   `snap.*` file as the newest snapshot, `.generating` included; a half-written one fails its CRC and
//!   every later open fails with "Read corrupted data". A `.generating` file was by construction never
//!   renamed, so it was never the snapshot sled relies on: deleting it makes sled use the previous
//!   complete snapshot and replay its log from there, which is exactly its recovery path.
//! - **A torn `conf`.** sled writes `conf` (its storage parameters and a CRC) without a temporary file
//!   when it creates a database; a kill during that write leaves a torn file that sled then fails to
//!   parse. Its content depends only on sled's version and the options we always pass, so a `conf`
//!   whose CRC does not match is deleted and sled writes it again.
//!
//! Both are logged (`tracing::warn`) with the file name only.

use std::path::Path;

/// Removes sled's stale files in `sled_dir` (see the module documentation). Returns the names removed.
///
/// # Errors
/// I/O failures listing or removing the files.
pub(crate) fn clear_stale_files(sled_dir: &Path) -> std::io::Result<Vec<String>> {
    let mut removed = Vec::new();
    let entries = match std::fs::read_dir(sled_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(removed),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(entry.path())?;
            tracing::warn!(file = %name, "removed a snapshot sled left half-written (sled issue #1527)");
            removed.push(name);
        }
    }
    let conf = sled_dir.join("conf");
    if let Ok(bytes) = std::fs::read(&conf) {
        if !conf_is_whole(&bytes) {
            std::fs::remove_file(&conf)?;
            tracing::warn!(file = "conf", "removed a torn sled configuration file");
            removed.push("conf".into());
        }
    }
    if !removed.is_empty() {
        super::durability::sync_dir(sled_dir)?;
    }
    Ok(removed)
}

/// sled's `conf`: the serialized parameters followed by their CRC-32 (little-endian, as sled's
/// `u32_to_arr`). sled itself treats 8 bytes or fewer as absent.
fn conf_is_whole(bytes: &[u8]) -> bool {
    if bytes.len() <= 8 {
        return true;
    }
    let (body, crc) = bytes.split_at(bytes.len() - 4);
    let expected = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
    crc32fast::hash(body) == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generating_snapshot_is_removed_and_a_complete_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("snap.0000000000000010"), b"complete").unwrap();
        std::fs::write(dir.path().join("snap.00000000FFFFFFFF.generating"), b"half").unwrap();
        let removed = clear_stale_files(dir.path()).unwrap();
        assert_eq!(
            removed,
            vec!["snap.00000000FFFFFFFF.generating".to_string()]
        );
        assert!(dir.path().join("snap.0000000000000010").exists());
    }

    #[test]
    fn a_torn_conf_is_removed_and_a_whole_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let body = b"segment_size: 524288\nuse_compression: false\nversion: 0.34\n";
        let mut whole = body.to_vec();
        whole.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
        std::fs::write(dir.path().join("conf"), &whole).unwrap();
        assert!(clear_stale_files(dir.path()).unwrap().is_empty());
        std::fs::write(dir.path().join("conf"), &whole[..20]).unwrap();
        assert_eq!(
            clear_stale_files(dir.path()).unwrap(),
            vec!["conf".to_string()]
        );
    }
}
