//! `delib init` and `delib status`.

use super::{CliError, Globals};
use crate::ledger::Ledger;
use crate::store::EventStore;
use serde_json::json;

pub(super) fn init(g: &Globals, name: &str) -> Result<(), CliError> {
    let (ledger, appended) = Ledger::init(&g.data, name, g.clock.clone())?;
    let head = ledger.store().head();
    g.out.emit(
        &json!({"data": g.data, "name": name.trim(), "position": appended.last.get(), "head": head.hash.to_hex()}),
        || format!("created ledger \"{}\" in {}", name.trim(), g.data.display()),
    );
    Ok(())
}

pub(super) fn status(g: &Globals) -> Result<(), CliError> {
    let ledger = Ledger::open(&g.data, g.clock.clone())?;
    let head = ledger.store().head();
    let read_only = ledger.store().is_read_only();
    let scrub = crate::audit::scrub::status(ledger.store())?;
    g.out.emit(
        &json!({"size": head.position.get(), "head": head.hash.to_hex(), "read_only": read_only, "scrub": scrub}),
        || {
            format!(
                "{}: {} events, head {}{}\n{}",
                g.data.display(),
                head.position,
                head.hash,
                if read_only {
                    " (read-only view: nothing can be recorded)"
                } else {
                    ""
                },
                super::scrub_cmd::describe(&scrub)
            )
        },
    );
    Ok(())
}

/// Told by the store when another process holds the ledger's lock: says once on stderr that this
/// command waits (up to `--wait`), unless the holder is a running server, which will not let go.
pub(super) fn say_waiting(dir: &std::path::Path) -> bool {
    if crate::server::holder(dir).is_some() {
        return false;
    }
    eprintln!(
        "waiting for the ledger lock held by another delib process at {} (up to --wait seconds)...",
        dir.display()
    );
    true
}
