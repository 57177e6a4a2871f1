//! `delib publish`, `delib mirror`, `delib restore --from-mirror`: the ledger as a tiled
//! transparency log (`src/tlog/`).

use super::{CliError, Globals};
use crate::tlog::{client, mirror, publish as publishing};
use std::path::Path;

pub(super) fn publish(g: &Globals, to: &Path) -> Result<(), CliError> {
    let ledger = super::open::ledger(g)?;
    let done = publishing::publish(&ledger, to)?;
    g.out.emit(&done, || {
        format!(
            "published {} entries to {} (was {}): {} files written, {} full tiles kept",
            done.size,
            to.display(),
            done.previous_size,
            done.written,
            done.kept
        )
    });
    Ok(())
}

pub(super) fn mirror(g: &Globals, from: &str, key: Option<&str>) -> Result<(), CliError> {
    let source = client::fetcher(from)?;
    let done = mirror::mirror(source.as_ref(), &g.data, key)?;
    g.out.emit(&done, || {
        format!(
            "mirrored {} into {}: size {} (was {}), root {}, {} tiles verified",
            done.origin,
            g.data.display(),
            done.size,
            done.previous_size,
            done.root,
            done.tiles
        )
    });
    Ok(())
}

pub(super) fn restore(g: &Globals, from_mirror: &Path) -> Result<(), CliError> {
    let done = mirror::restore(from_mirror, &g.data, g.clock.clone())?;
    g.out.emit(&done, || {
        format!(
            "restored {} records from the mirror {} into {}; root {}; the mirrored log's key is trusted for its checkpoints, new checkpoints use a new key",
            done.records,
            from_mirror.display(),
            g.data.display(),
            done.root
        )
    });
    Ok(())
}

pub(super) fn witness(g: &Globals, cmd: super::args::WitnessCommand) -> Result<(), CliError> {
    use super::args::WitnessCommand;
    use crate::tlog::witness::state::Witness;
    match cmd {
        WitnessCommand::Key { name } => {
            let w = Witness::open(&g.data, name.as_deref())?;
            let key = w.public().to_string();
            g.out.emit(&serde_json::json!({"key": key}), || key.clone());
            Ok(())
        }
        WitnessCommand::AddLog { key, name } => {
            let w = Witness::open(&g.data, name.as_deref())?;
            let log = w.add_log(&key)?;
            g.out.emit(&log, || {
                format!(
                    "witness {} follows {} (latest cosigned size {})",
                    w.public().name,
                    log.origin,
                    log.size
                )
            });
            Ok(())
        }
        WitnessCommand::Serve { addr, name } => {
            let w = std::sync::Arc::new(Witness::open(&g.data, name.as_deref())?);
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| CliError::Store(e.into()))?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind(&addr)
                    .await
                    .map_err(|e| CliError::Usage(format!("--addr {addr}: {e}")))?;
                let url = format!(
                    "http://{}",
                    listener
                        .local_addr()
                        .map_err(|e| CliError::Store(e.into()))?
                );
                let key = w.public().to_string();
                g.out
                    .emit(&serde_json::json!({"url": url, "key": key}), || {
                        format!("witness {key} at {url}; Ctrl-C stops")
                    });
                crate::tlog::witness::http::run(listener, w, async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
                .map_err(|e| CliError::Store(e.into()))
            })
        }
    }
}

pub(super) fn audit_witness(
    g: &Globals,
    url: &str,
    witness_key: Option<&str>,
) -> Result<(), CliError> {
    use crate::tlog::witness::{collect, CosignerKey};
    let key = witness_key
        .map(|k| CosignerKey::parse(k).map_err(|e| CliError::Usage(format!("--witness-key: {e}"))))
        .transpose()?;
    let ledger = super::open::ledger(g)?;
    let done = collect::collect(&ledger, url, key.as_ref())?;
    g.out.emit(&done, || {
        format!(
            "{} cosigned the checkpoint of size {} (root {}){}",
            done.witness,
            done.size,
            done.root,
            if done.verified {
                ", cosignature verified"
            } else {
                "; give --witness-key to verify the cosignature"
            }
        )
    });
    Ok(())
}

pub(super) fn witnesses(g: &Globals) -> Result<(), CliError> {
    let list = crate::tlog::witness::collect::list(&g.data)?;
    g.out.emit(&list, || {
        if list.is_empty() {
            return "no cosignatures collected (delib audit witness --url ...)".to_owned();
        }
        list.iter()
            .map(|w| {
                format!(
                    "size {:>8}  root {}  witnessed by {}{}",
                    w.size,
                    w.root,
                    w.witness,
                    if w.verified { " (verified)" } else { "" }
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    Ok(())
}

pub(super) fn district(g: &Globals, cmd: super::args::DistrictCommand) -> Result<(), CliError> {
    let super::args::DistrictCommand::Report { mirror, from, to } = cmd;
    use crate::app::when::Bound;
    let from = g.time_text("from", &from, Bound::Start)?;
    let to = g.time_text("to", &to, Bound::End)?;
    if to < from {
        return Err(CliError::Usage(
            "--to must not be earlier than --from".into(),
        ));
    }
    let report = crate::tlog::district::report(&mirror, from, to)?;
    g.out.emit(&report, || report.markdown());
    Ok(())
}
