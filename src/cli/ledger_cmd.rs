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
    let scrub = crate::audit::scrub::status(ledger.store())?;
    g.out.emit(
        &json!({"size": head.position.get(), "head": head.hash.to_hex(), "scrub": scrub}),
        || {
            format!(
                "{}: {} events, head {}\n{}",
                g.data.display(),
                head.position,
                head.hash,
                super::scrub_cmd::describe(&scrub)
            )
        },
    );
    Ok(())
}
