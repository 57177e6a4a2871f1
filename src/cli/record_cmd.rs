//! What every recording command shares: opening the service, the request metadata (`--as`, `--at`),
//! printing what was recorded; plus `correct` and `history`.

use super::render;
use super::{CliError, Globals};
use crate::app::{LedgerService, Meta, Recorded};
use crate::domain::correction::Correct;
use delib_events::Position;
use serde_json::{json, Map, Value};

/// Opens the ledger's application service.
pub(super) fn service(g: &Globals) -> Result<LedgerService, CliError> {
    Ok(LedgerService::open(&g.data, g.clock.clone())?)
}

/// Parses `--at` (exit 2 when unparsable) before anything is read, then resolves `--as`.
pub(super) fn begin(g: &Globals) -> Result<(LedgerService, Meta), CliError> {
    let at =
        g.at.as_deref()
            .map(super::time::parse_when)
            .transpose()
            .map_err(|m| CliError::Usage(format!("--at: {m}")))?;
    let svc = service(g)?;
    let meta = svc.meta(g.as_person.as_deref(), at)?;
    Ok((svc, meta))
}

/// Prints what a recording command wrote: `{"ref", "position"}`, plus `"id"` for creations and any
/// `extra` fields (`"pledge": N`, `"commitment": N`).
pub(super) fn emit(g: &Globals, r: &Recorded, created: bool, extra: &[(&str, Value)]) {
    let mut m = Map::new();
    m.insert("ref".into(), json!(r.reference.to_string()));
    m.insert("position".into(), json!(r.position.get()));
    if created {
        m.insert("id".into(), json!(r.id.to_string()));
    }
    for (k, v) in extra {
        m.insert((*k).into(), v.clone());
    }
    let kinds: Vec<&str> = r.events.iter().map(delib_events::Event::kind).collect();
    m.insert("events".into(), json!(kinds));
    let value = Value::Object(m);
    g.out.emit(&value, || {
        let what = r.events.last().map_or("", |e| e.kind());
        let mut line = if created {
            format!(
                "{} created ({}) at position {}",
                r.reference, r.id, r.position
            )
        } else {
            format!(
                "{}: {what} recorded at position {}",
                r.reference, r.position
            )
        };
        for (k, v) in extra {
            line.push_str(&format!("; {k} {v}"));
        }
        line
    });
}

/// Prints a view.
/// Prints a view: its JSON, or readable lines where each `PER-n` carries the person's name from the
/// directory (names are never part of the JSON views).
pub(super) fn show(g: &Globals, svc: &LedgerService, v: &Value) {
    g.out.emit(v, || svc.with_names(&render::human(v)));
}

/// `delib correct REF --event POSITION --reason R`.
pub(super) fn correct(
    g: &Globals,
    reference: &str,
    event: u64,
    reason: String,
) -> Result<(), CliError> {
    let (svc, meta) = begin(g)?;
    let r = svc.record_correction(
        &meta,
        reference,
        Correct {
            corrected: Position::new(event),
            reason,
        },
    )?;
    emit(g, &r, false, &[("corrects", json!(event))]);
    Ok(())
}

/// `delib history REF`.
pub(super) fn history(g: &Globals, reference: &str) -> Result<(), CliError> {
    let svc = service(g)?;
    let v = svc.history(reference)?;
    g.out.emit(&v, || render::history(&v));
    Ok(())
}
