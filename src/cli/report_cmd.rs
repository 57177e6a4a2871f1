//! `delib report ...`, `delib projections ...`, `delib export`, `delib audit log`.

use super::args::{ProjectionsCommand, ReportCommand};
use super::output_file::Staged;
use super::record_cmd::service;
use super::{render, CliError, Globals};
use crate::projection_store::{ProjectionStore, NAMES};
use crate::store::EventStore;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use delib_events::Position;
use delib_projections::report::{render as render_report, Format, Lang};
use delib_projections::time::rfc3339;
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::Path;

use crate::app::when::Bound;

pub(super) fn run(g: &Globals, cmd: ReportCommand) -> Result<(), CliError> {
    match cmd {
        ReportCommand::Transparency {
            from,
            to,
            format,
            lang,
            output,
        } => {
            let (from, to) = (
                g.time_text("from", &from, Bound::Start)?,
                g.time_text("to", &to, Bound::End)?,
            );
            let svc = service(g)?;
            // Written out first, recorded after: an output that cannot be written records nothing.
            let prepared = svc.prepare_report(from, to)?;
            let report = &prepared.report;
            let format = match format.as_str() {
                "json" => Format::Json,
                "html" => Format::Html,
                _ => Format::Markdown,
            };
            let lang = if lang == "zh" { Lang::Zh } else { Lang::En };
            let text = render_report(report, format, lang);
            match output {
                Some(path) => {
                    let staged = Staged::with(&path, text.as_bytes())?;
                    svc.record_report_checkpoint(&prepared)?;
                    staged.commit()?;
                    g.out.emit(
                        &json!({"output": path, "size": report.ledger.size, "root": report.ledger.root}),
                        || format!("wrote {} (ledger size {}, root {})", path.display(), report.ledger.size, report.ledger.root),
                    );
                }
                None if g.out.json => {
                    g.out.emit(report, String::new);
                    svc.record_report_checkpoint(&prepared)?;
                }
                None => {
                    g.out.emit(&(), || text.clone());
                    svc.record_report_checkpoint(&prepared)?;
                }
            }
            Ok(())
        }
        ReportCommand::Verify { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", file.display())))?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| CliError::Usage(format!("{} is not JSON: {e}", file.display())))?;
            let svc = service(g)?;
            let check = svc.verify_report(&value)?;
            g.out.emit(&check, || {
                let mut t = format!(
                    "{}: report of {} records; the ledger holds {}",
                    if check.ok { "ok" } else { "DOES NOT VERIFY" },
                    check.size,
                    check.ledger_size
                );
                if check.cosignatures_checked > 0 {
                    t.push_str(&format!(
                        "; {} witness cosignature(s) checked",
                        check.cosignatures_checked
                    ));
                }
                for p in &check.problems {
                    t.push_str(&format!("\n  {p}"));
                }
                t
            });
            if check.ok {
                Ok(())
            } else {
                Err(CliError::Integrity(format!(
                    "the report does not verify ({} problem(s))",
                    check.problems.len()
                )))
            }
        }
    }
}

pub(super) fn projections(g: &Globals, cmd: ProjectionsCommand) -> Result<(), CliError> {
    let svc = service(g)?;
    let store = ProjectionStore::open(svc.store())?;
    match cmd {
        ProjectionsCommand::Status => {
            let status = store.status()?;
            g.out.emit(&status, || {
                status
                    .iter()
                    .map(|s| {
                        format!(
                            "{:<14} v{}  at {:>8} of {:<8} {}",
                            s.name,
                            s.version,
                            s.position,
                            s.head,
                            if s.current {
                                "current"
                            } else {
                                "behind (caught up on the next read)"
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        ProjectionsCommand::Rebuild { name } => {
            let names: Vec<&str> = match name.as_deref() {
                Some(n) if NAMES.contains(&n) => vec![n],
                Some(n) => {
                    return Err(CliError::Usage(format!(
                        "no projection named `{n}` (one of: {})",
                        NAMES.join(", ")
                    )))
                }
                None => Vec::new(),
            };
            let head = svc.store().head().position.get();
            let bar = if g.out.json || !std::io::stderr().is_terminal() {
                indicatif::ProgressBar::hidden()
            } else {
                indicatif::ProgressBar::new(head)
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg} [{bar:40}] {pos}/{len} events ({per_sec}, {eta})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_message("rebuilding");
            let started = std::time::Instant::now();
            let rebuilt = store.rebuild(&names, |done, _| bar.set_position(done))?;
            bar.finish_and_clear();
            let seconds = started.elapsed().as_secs_f64();
            g.out.emit(
                &json!({"rebuilt": rebuilt, "events": head, "seconds": seconds}),
                || {
                    format!(
                        "rebuilt {} from {head} events in {seconds:.2} s",
                        rebuilt.join(", ")
                    )
                },
            );
        }
    }
    Ok(())
}

pub(super) fn export(g: &Globals, output: Option<&Path>) -> Result<(), CliError> {
    let svc = service(g)?;
    let views = svc.views()?;
    let head = svc.store().head().position.get();
    // An export file appears whole or not at all (temporary file, then rename).
    let mut staged = output.map(Staged::create).transpose()?;
    let failed = |e: std::io::Error| match output {
        Some(path) => CliError::Output {
            path: path.to_path_buf(),
            source: e,
        },
        None => CliError::Usage(e.to_string()),
    };
    let mut out: Box<dyn Write + '_> = match staged.as_mut() {
        Some(file) => Box::new(std::io::BufWriter::new(file.writer())),
        None => Box::new(std::io::BufWriter::new(super::output::stdout())),
    };
    let mut next = 1u64;
    while next <= head {
        let raw = svc.store().read_raw(Position::new(next), 4096)?;
        let Some((last, _)) = raw.last().map(|(p, b)| (p.get(), b.len())) else {
            break;
        };
        for (position, bytes) in raw {
            let e = delib_events::decode_record(&bytes)
                .map_err(|source| crate::store::StoreError::Codec { position, source })?;
            let m = &e.metadata;
            let line = json!({
                "position": position.get(),
                "event_id": m.event_id.to_string(),
                "stream": m.stream_id.to_string(),
                "ref": views.directory.reference(m.stream_id).map(|r| r.to_string()),
                "stream_kind": m.stream_kind.as_str(),
                "stream_version": m.stream_version.get(),
                "occurred_at": rfc3339(m.occurred_at),
                "recorded_at": rfc3339(m.recorded_at),
                "recorded_by": m.recorded_by.map(|p| views.directory.person(p)),
                "command_id": m.command_id.to_string(),
                "correlation_id": m.correlation_id.to_string(),
                "causation_id": m.causation_id.map(|c| c.to_string()),
                "kind": e.event.kind(),
                "summary": delib_projections::describe::describe(&e.event, &views.directory),
                "event": e.event,
                "record": B64.encode(&bytes),
            });
            serde_json::to_writer(&mut out, &line).map_err(|e| failed(e.into()))?;
            out.write_all(b"\n").map_err(failed)?;
        }
        next = last + 1;
    }
    out.flush().map_err(failed)?;
    drop(out);
    if let Some(mut file) = staged {
        file.sync()?;
        file.commit()?;
    }
    if let Some(p) = output {
        // The documents the records name, beside the export (`FILE.documents/documents/sha256/<hex>`), so
        // that an import is whole; each is checked against its hash on the way in.
        copy_documents(&svc.documents(), &export_documents(p)).map_err(failed)?;
        g.out.emit(&json!({"output": p, "events": head}), || {
            format!("exported {head} events to {}", p.display())
        });
    }
    Ok(())
}

pub(super) fn audit_log(
    g: &Globals,
    actor: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    page: delib_projections::Page,
) -> Result<(), CliError> {
    let from = from
        .map(|v| g.time_text("from", v, Bound::Start))
        .transpose()?;
    let to = to.map(|v| g.time_text("to", v, Bound::End)).transpose()?;
    let svc = service(g)?;
    let log = svc.audit_log_page(actor, from, to, page)?;
    g.out.emit(&log, || svc.with_names(&render::history(&log)));
    Ok(())
}

use crate::audit::checkpoint::VerifierKey;

pub(super) fn import(
    g: &Globals,
    file: &Path,
    key: Option<&str>,
    checkpoint: Option<&Path>,
) -> Result<(), CliError> {
    use crate::store::{SledStore, StoreOptions};
    let previous = key
        .map(|k| VerifierKey::parse(k).map_err(|e| CliError::Usage(format!("--key: {e}"))))
        .transpose()?;
    let external = checkpoint
        .map(|p| read_checkpoint(p, previous.is_some()))
        .transpose()?;
    let records = read_export(file)?;
    // Check the whole history against every checkpoint it records (and the given one) before
    // anything is written: a forged history leaves no directory behind.
    let keys: Vec<VerifierKey> = previous.iter().cloned().collect();
    let checked = crate::audit::history_verify::verify_history(&records, &keys, external.as_ref())
        .map_err(|e| CliError::Integrity(format!("import refused, nothing was written: {e}")))?;
    let options = StoreOptions {
        create: true,
        clock: g.clock.clone(),
        ..StoreOptions::default()
    };
    let store = SledStore::open(&g.data, options)?;
    let head = store.import(records).map_err(|e| match e {
        crate::store::StoreError::NotEmpty(_)
        | crate::store::StoreError::Corrupt { .. }
        | crate::store::StoreError::Codec { .. } => CliError::Rejected(e.to_string()),
        other => CliError::Store(other),
    })?;
    drop(store);
    let ledger = super::open::ledger(g)?;
    let origin = ledger.identity()?.origin;
    if !crate::audit::keys::key_path(&g.data).exists() {
        crate::audit::keys::create(&g.data, &origin)
            .map_err(|e| CliError::Integrity(e.to_string()))?;
    }
    if let Some(k) = previous {
        crate::audit::keys::trust_previous(&g.data, &k)
            .map_err(|e| CliError::Integrity(e.to_string()))?;
    }
    copy_documents(
        &export_documents(file),
        &crate::app::documents::DocumentStore::new(&g.data),
    )
    .map_err(|e| CliError::Usage(format!("documents beside {}: {e}", file.display())))?;
    let root = ledger.store().merkle_root(head.position.get())?;
    let signatures = if checked.signatures_checked {
        "signatures checked"
    } else {
        "signatures not checked: give --key"
    };
    g.out.emit(&json!({"imported": head.position.get(), "head": head.hash.to_hex(), "root": root.to_hex(), "checkpoints_checked": checked.checkpoints, "signatures_checked": checked.signatures_checked}), || {
        format!("imported {} events into {}; head {}, root {}; {} recorded checkpoints agree ({signatures})", head.position, g.data.display(), head.hash, root, checked.checkpoints)
    });
    Ok(())
}

/// Reads an export (`delib export`): the exact record bytes of every line, in order.
///
/// # Errors
/// [`CliError::Usage`] naming the file and line that cannot be read.
pub(super) fn read_export(file: &Path) -> Result<Vec<Vec<u8>>, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", file.display())))?;
    let mut records = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let bad =
            |what: String| CliError::Usage(format!("{} line {}: {what}", file.display(), i + 1));
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let record = value["record"]
            .as_str()
            .ok_or_else(|| bad("no \"record\" field".into()))?;
        records.push(B64.decode(record).map_err(|e| bad(e.to_string()))?);
    }
    Ok(records)
}

/// Reads a signed checkpoint note given with `--checkpoint`, which needs a key to be checked.
///
/// # Errors
/// [`CliError::Usage`] when it cannot be read or parsed, or no key was given.
pub(super) fn read_checkpoint(
    path: &Path,
    have_key: bool,
) -> Result<crate::audit::checkpoint::SignedCheckpoint, CliError> {
    if !have_key {
        return Err(CliError::Usage(
            "--checkpoint needs --key (the ledger's public key) to check its signature".into(),
        ));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
    crate::audit::checkpoint::SignedCheckpoint::parse(&text)
        .map_err(|e| CliError::Usage(format!("--checkpoint {}: {e}", path.display())))
}

/// The documents folder of an export file.
fn export_documents(file: &Path) -> crate::app::documents::DocumentStore {
    crate::app::documents::DocumentStore::new(Path::new(&format!("{}.documents", file.display())))
}

/// Copies every intact document of `from` that `to` lacks (altered ones are not copied).
fn copy_documents(
    from: &crate::app::documents::DocumentStore,
    to: &crate::app::documents::DocumentStore,
) -> std::io::Result<()> {
    for sha in from.list()? {
        if to.check(&sha)? == crate::app::documents::FileState::Intact {
            continue;
        }
        if let Some(bytes) = from.get(&sha)? {
            to.put(&bytes)?;
        }
    }
    Ok(())
}
