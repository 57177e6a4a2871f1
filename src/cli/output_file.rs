//! Output files (`--output` of reports and exports, the demo's reports) that appear whole or not at
//! all: the bytes go to a temporary file in the target's directory, are synced, and only then renamed
//! over the target. A command that also records something stages its file first, records, then
//! commits: a directory that cannot be written fails the command before anything is recorded.

use super::CliError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A fully written, synced temporary file waiting to be renamed to its target.
#[derive(Debug)]
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

/// The error of an output file that cannot be written.
fn failed(path: &Path, source: std::io::Error) -> CliError {
    CliError::Output {
        path: path.to_path_buf(),
        source,
    }
}

impl Staged {
    /// A temporary file next to `path` (mode 0644), for writing into.
    ///
    /// # Errors
    /// [`CliError::Output`] when the directory cannot be written.
    pub fn create(path: &Path) -> Result<Self, CliError> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = tempfile::Builder::new()
            .prefix(".delib-output-")
            .tempfile_in(dir)
            .map_err(|e| failed(path, e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(|e| failed(path, e))?;
        }
        Ok(Self {
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// A staged file holding `bytes`, synced.
    ///
    /// # Errors
    /// [`CliError::Output`].
    pub fn with(path: &Path, bytes: &[u8]) -> Result<Self, CliError> {
        let mut staged = Self::create(path)?;
        staged
            .writer()
            .write_all(bytes)
            .map_err(|e| failed(path, e))?;
        staged.sync()?;
        Ok(staged)
    }

    /// Where to write the content.
    pub fn writer(&mut self) -> &mut std::fs::File {
        self.tmp.as_file_mut()
    }

    /// The target path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the content to the disk.
    ///
    /// # Errors
    /// [`CliError::Output`].
    pub fn sync(&mut self) -> Result<(), CliError> {
        let path = self.path.clone();
        self.tmp
            .as_file_mut()
            .sync_all()
            .map_err(|e| failed(&path, e))
    }

    /// Renames the file over its target. Dropped without this, the temporary file is removed.
    ///
    /// # Errors
    /// [`CliError::Output`].
    pub fn commit(self) -> Result<(), CliError> {
        let path = self.path;
        self.tmp
            .persist(&path)
            .map_err(|e| failed(&path, e.error))?;
        Ok(())
    }
}

/// Writes `bytes` to `path` whole or not at all.
///
/// # Errors
/// [`CliError::Output`].
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    Staged::with(path, bytes)?.commit()
}
