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
    let ledger = Ledger::open(&g.data, g.clock.clone())?;
    let head = ledger.store().head();
    let zone = g.zone()?;
    let offset = zone.offset_at(g.clock.now());
    g.out.emit(
        &json!({"size": head.position.get(), "head": head.hash.to_hex(), "time_zone": zone.to_string(), "utc_offset": offset}),
        || {
            format!(
                "{}: {} events, head {}\ntime zone: {zone}{}",
                g.data.display(),
                head.position,
                head.hash,
                if zone == Zone::Local { format!(" (UTC{offset} now)") } else { String::new() }
            )
        },
    );
    Ok(())
}
