//! Process-wide defaults for opening a store, set once by the command line (`--wait`,
//! `--read-only`) so that every command's open honours them without threading them through each
//! call. [`super::StoreOptions::default`] reads them; a library user who never sets them gets the
//! library defaults (no waiting, read-only only when the directory is not writable).

use std::path::Path;
use std::sync::RwLock;
use std::time::Duration;

/// Defaults for [`super::StoreOptions`].
#[derive(Debug, Clone, Copy)]
pub struct OpenDefaults {
    /// How long an open waits for the directory lock held by another process.
    pub lock_wait: Duration,
    /// Open every ledger as a read-only view.
    pub read_only: bool,
    /// Called once when an open starts waiting for another process's lock; returns whether to wait
    /// (the CLI prints that it waits, and does not wait for a server that will not let go).
    pub on_wait: Option<fn(&Path) -> bool>,
}

impl OpenDefaults {
    /// The library's defaults.
    pub const LIBRARY: OpenDefaults = OpenDefaults {
        lock_wait: Duration::ZERO,
        read_only: false,
        on_wait: None,
    };
}

static DEFAULTS: RwLock<OpenDefaults> = RwLock::new(OpenDefaults::LIBRARY);

/// Sets the defaults every later [`super::StoreOptions::default`] starts from.
pub fn set_open_defaults(defaults: OpenDefaults) {
    *DEFAULTS.write().unwrap_or_else(|p| p.into_inner()) = defaults;
}

/// The current defaults.
pub fn open_defaults() -> OpenDefaults {
    *DEFAULTS.read().unwrap_or_else(|p| p.into_inner())
}
