//! `delib init` and `delib status`.

use super::{CliError, Globals};
use crate::app::when::Zone;
use crate::ledger::Ledger;
use crate::store::EventStore;
use serde_json::json;

pub(super) fn init(g: &Globals, name: &str, tz: Option<&str>) -> Result<(), CliError> {
    let zone = tz
        .map(Zone::parse)
        .transpose()
        .map_err(|m| CliError::Usage(format!("--tz: {m}")))?;
    let (ledger, appended) = Ledger::init(&g.data, name, g.clock.clone())?;
    // The zone is kept beside the key (a ledger without the file reads times in the local zone).
    if let Some(zone) = zone {
        zone.save(&g.data)
            .map_err(|e| CliError::Store(crate::store::StoreError::from(e)))?;
    }
    let zone = g.zone()?;
    let head = ledger.store().head();
    g.out.emit(
        &json!({"data": g.data, "name": name.trim(), "position": appended.last.get(), "head": head.hash.to_hex(), "time_zone": zone.to_string()}),
        || format!("created ledger \"{}\" in {} (time zone {zone})", name.trim(), g.data.display()),
    );
    Ok(())
}

pub(super) fn status(g: &Globals) -> Result<(), CliError> {
    let ledger = super::open::ledger(g)?;
    let head = ledger.store().head();
    let read_only = ledger.store().is_read_only();
    let scrub = crate::audit::scrub::status(ledger.store())?;
    let zone = g.zone()?;
    let offset = zone.offset_at(g.clock.now());
    g.out.emit(
        &json!({"size": head.position.get(), "head": head.hash.to_hex(), "read_only": read_only, "scrub": scrub, "time_zone": zone.to_string(), "utc_offset": offset}),
        || {
            format!(
                "{}: {} events, head {}{}\ntime zone: {zone}{}\n{}",
                g.data.display(),
                head.position,
                head.hash,
                if read_only {
                    " (read-only view: nothing can be recorded)"
                } else {
                    ""
                },
                if zone == Zone::Local { format!(" (UTC{offset} now)") } else { String::new() },
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
