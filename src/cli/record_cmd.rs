//! What every recording command shares: opening the service, the request metadata (`--as`, `--at`),
//! printing what was recorded; plus `correct` and `history`.

use super::render;
use super::{CliError, Globals};
use crate::app::{LedgerService, Meta, Receipt, Request};
use serde_json::Value;

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

/// Records a request through the application service (the one command model shared with the HTTP
/// API) and prints what was written.
pub(super) fn record(g: &Globals, request: Request) -> Result<(), CliError> {
    let (svc, meta) = begin(g)?;
    let receipt = svc.submit(&meta, request)?;
    emit(g, &receipt);
    Ok(())
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
            eprintln!("(showing {}; more with --after {last})", items.len());
        }
    }
}

/// `delib correct REF --event POSITION --reason R`.
pub(super) fn correct(
    g: &Globals,
    reference: &str,
    event: u64,
    reason: String,
) -> Result<(), CliError> {
    record(
        g,
        Request::Correct {
            reference: reference.to_owned(),
            event,
            reason,
        },
    )
}

/// `delib history REF`.
pub(super) fn history(g: &Globals, reference: &str) -> Result<(), CliError> {
    let svc = service(g)?;
    let v = svc.history(reference)?;
    g.out.emit(&v, || svc.with_names(&render::history(&v)));
    Ok(())
}
