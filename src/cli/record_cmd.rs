//! What every recording command shares: opening the service, the request metadata (`--as`, `--at`),
//! printing what was recorded; plus `history`.

use super::open::Svc;
use super::render;
use super::{CliError, Globals};
use crate::app::request::Time;
use crate::app::when::Bound;
use crate::app::{command_id, LedgerService, Meta, Receipt, Request};
use crate::store::StoreError;
use delib_events::CommandId;
use serde_json::Value;

/// Opens the ledger's application service.
pub(super) fn service(g: &Globals) -> Result<Svc, CliError> {
    super::open::service(g)
}

/// Parses `--at` (exit 2 when unparsable) before anything is read, then resolves `--as`; the
/// command id is `--command-id` or a new one.
pub(super) fn begin(g: &Globals) -> Result<(Svc, Meta), CliError> {
    let at =
        g.at.as_deref()
            .map(super::time::written)
            .transpose()
            .map_err(|m| CliError::Usage(format!("--at: {m}")))?;
    let svc = service(g)?;
    let at = at
        .map(|w| w.moment(svc.zone()))
        .transpose()
        .map_err(|m| CliError::Usage(format!("--at: {m}")))?;
    let mut meta = svc.meta(g.as_person.as_deref(), at)?;
    if let Some(id) = g.command_id {
        meta.command_id = CommandId::from_uuid(id);
    }
    Ok((svc, meta))
}

/// Records a request through the application service (the one command model shared with the HTTP
/// API) and prints what was written. Its times (`--due`, `--on`) are placed in the ledger's zone
/// first, so its JSON is the API's. With `--command-id`, a retry of a recorded command prints its
/// first result and records nothing. A storage failure names the command id to retry with.
pub(super) fn record(g: &Globals, mut request: Request) -> Result<(), CliError> {
    for (flag, time) in request.times_mut() {
        *time = Time::at(g.time(flag, time.written(), Bound::Start)?);
    }
    let id = g.command_id.unwrap_or_else(uuid::Uuid::now_v7);
    let g = &Globals {
        command_id: Some(id),
        ..g.clone()
    };
    let submitted = begin(g).and_then(|(svc, mut meta)| {
        meta.fingerprint = Some(command_id::fingerprint(
            &request,
            meta.occurred_at,
            meta.recorded_by,
        ));
        Ok(svc.submit(&meta, request)?)
    });
    match submitted {
        Ok(receipt) => {
            emit(g, &receipt);
            Ok(())
        }
        Err(CliError::Store(e)) if !matches!(e, StoreError::NotFound(_)) => Err(CliError::Unsure {
            source: e,
            command_id: id,
        }),
        Err(e) => Err(e),
    }
}

/// Prints what a recording command wrote: `{"ref", "position"}`, plus `"id"` for creations and the
/// extra number (`"pledge": N`, `"commitment": N`, `"corrects": N`).
pub(super) fn emit(g: &Globals, receipt: &Receipt) {
    let r = &receipt.recorded;
    let value = receipt.to_json();
    g.out.emit(&value, || {
        let what = r.events.last().map_or("", |e| e.kind());
        let mut line = if receipt.created {
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
        if let Some((k, v)) = receipt.extra {
            line.push_str(&format!("; {k} {v}"));
        }
        line
    });
}

/// Prints a view: its JSON, or readable lines where each `PER-n` carries the person's name from the
/// directory (names are never part of the JSON views).
pub(super) fn show(g: &Globals, svc: &LedgerService, v: &Value) {
    g.out.emit(v, || render::human(v, &|t| svc.with_names(t)));
}

/// Prints one page of a list and, for people, how to get the next one when the page is full.
pub(super) fn show_page(
    g: &Globals,
    svc: &LedgerService,
    v: &Value,
    page: delib_projections::Page,
) {
    show(g, svc, v);
    let items = v.as_array().map_or(&[][..], Vec::as_slice);
    if !g.out.json && !g.out.quiet && items.len() == page.limit {
        if let Some(last) = items.last().and_then(|i| i["ref"].as_str()) {
            super::output::note(&format!(
                "(showing {}; more with --after {last})",
                items.len()
            ));
        }
    }
}

/// `delib history REF`.
pub(super) fn history(g: &Globals, reference: &str) -> Result<(), CliError> {
    let svc = service(g)?;
    let v = svc.history(reference)?;
    g.out.emit(&v, || svc.with_names(&render::history(&v)));
    Ok(())
}
