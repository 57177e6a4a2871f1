//! `delib serve` and `delib token ...`.

use super::args::TokenCommand;
use super::{CliError, Globals};
use crate::server::tokens::{Role, Tokens};
use crate::server::{self, ServerFile, State};
use serde_json::json;

/// The time limits of `delib serve`, as typed.
#[derive(Debug, Clone)]
pub(super) struct ServeTimes {
    pub(super) scrub_every: String,
    pub(super) body_timeout: String,
    pub(super) drain_timeout: String,
    pub(super) recover_every: String,
}

/// A duration as typed: a number and a unit (`500ms`, `30s`, `10m`, `6h`, `1d`); `0` is none.
fn duration(flag: &str, text: &str) -> Result<std::time::Duration, CliError> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (n, unit) = text.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| CliError::Usage(format!("--{flag} {text}: expected e.g. 30s, 10m, 6h, 1d")))?;
    let ms = match unit {
        "ms" => 1,
        "" | "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => {
            return Err(CliError::Usage(format!(
                "--{flag} {text}: the unit must be ms, s, m, h or d"
            )))
        }
    };
    Ok(std::time::Duration::from_millis(n.saturating_mul(ms)))
}

fn options(times: &ServeTimes) -> Result<server::ServerOptions, CliError> {
    let scrub = duration("scrub-every", &times.scrub_every)?;
    let body = duration("body-timeout", &times.body_timeout)?;
    if body.is_zero() {
        return Err(CliError::Usage("--body-timeout must be more than 0".into()));
    }
    Ok(server::ServerOptions {
        body_timeout: body,
        drain_timeout: duration("drain-timeout", &times.drain_timeout)?,
        recover_every: duration("recover-every", &times.recover_every)?
            .max(std::time::Duration::from_millis(10)),
        scrub_every: (!scrub.is_zero()).then_some(scrub),
        ..server::ServerOptions::default()
    })
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// `delib serve [--addr 127.0.0.1:7878]`: serves until SIGINT or SIGTERM (then drains for at most
/// `--drain-timeout`), holding the ledger; writes `DATA/server.json` (url, pid) while it runs so
/// other commands can say who holds the ledger. After a storage failure it answers 503 and reopens
/// the ledger once the disk takes writes again ([`server::recover`]).
pub(super) fn serve(
    g: &Globals,
    addr: &str,
    times: &ServeTimes,
    district: &[std::path::PathBuf],
) -> Result<(), CliError> {
    let options = options(times)?;
    for dir in district {
        if !crate::tlog::client::is_log_dir(dir) {
            return Err(CliError::Usage(format!(
                "--district {}: not a mirror (no checkpoint; make it with `delib mirror --data {}`)",
                dir.display(),
                dir.display()
            )));
        }
    }
    let state = State::open(&g.data, g.clock.clone())?;
    set_district(&state, district);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Store(e.into()))?;
    let file = server::server_file(&g.data);
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| CliError::Usage(format!("--addr {addr}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| CliError::Store(e.into()))?;
        let url = format!("http://{local}");
        // The socket first: once the url is printed, CLI commands go through this server.
        let (serving, watching) = tokio::sync::watch::channel(Some(state.clone()));
        match server::socket::bind(&g.data) {
            Ok(socket) => {
                tokio::spawn(server::socket::run(socket, g.data.clone(), watching));
            }
            Err(e) => tracing::warn!(
                cause = %e,
                "cannot listen on the data directory's socket: CLI commands cannot go through this server"
            ),
        }
        let info = ServerFile {
            url: url.clone(),
            pid: std::process::id(),
        };
        std::fs::write(&file, serde_json::to_vec_pretty(&info).unwrap_or_default())
            .map_err(|e| CliError::Store(e.into()))?;
        g.out.emit(&json!({"url": url, "pid": info.pid}), || {
            format!(
                "serving {} at {url} (pages at {url}/, API at {url}/api/v1); Ctrl-C stops",
                g.data.display()
            )
        });
        let dir = g.data.clone();
        let clock = g.clock.clone();
        let reopen = {
            let dir = dir.clone();
            let district = district.to_vec();
            move || State::open(&dir, clock.clone()).inspect(|state| set_district(state, &district))
        };
        server::recover::run_recovering(listener, dir, state, reopen, options, stop_signal(), serving)
            .await
            .map_err(|e| CliError::Store(e.into()))
    });
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(server::socket::socket_path(&g.data));
    // A scrub still verifying must not hold up the exit: everything acknowledged is durable.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    // The next process to open the ledger would replay everything this server wrote.
    match crate::store::write_snapshot(&g.data) {
        Ok(written) => tracing::debug!(written, "sled's snapshot on stopping"),
        Err(e) => tracing::warn!(cause = %e, "could not write sled's snapshot on stopping"),
    }
    result
}

/// Gives the server the district's mirrors (`--district`), if any.
fn set_district(state: &server::Shared, district: &[std::path::PathBuf]) {
    if !district.is_empty() {
        let _ = state
            .district
            .set(server::pages::district::DistrictSite::new(
                district.to_vec(),
            ));
    }
}

/// `delib token create|list|revoke`.
pub(super) fn token(g: &Globals, cmd: TokenCommand) -> Result<(), CliError> {
    let svc = super::open::service(g)?;
    let tokens = Tokens::open(svc.store())?;
    match cmd {
        TokenCommand::Create { role, person } => {
            let role: Role = role.parse().map_err(CliError::Usage)?;
            let id = svc.person_id(&person)?;
            if !svc.person_active(id)? {
                return Err(CliError::Rejected(format!(
                    "rule: a token acts for a registered person whose data is not erased ({person} is not)"
                )));
            }
            let label = svc.person_label(id);
            let now = crate::app::views::rfc3339(g.clock.now());
            let (record, secret) = tokens.create(role, id, label.clone(), now)?;
            g.out.emit(
                &json!({"id": record.id, "role": role.to_string(), "for": label, "token": secret}),
                || {
                    format!(
                        "token {} ({role} for {label}); shown once, keep it secret:\n{secret}",
                        record.id
                    )
                },
            );
        }
        TokenCommand::List => {
            let list: Vec<_> = tokens
                .list()?
                .into_iter()
                .map(|t| json!({"id": t.id, "role": t.role.to_string(), "for": t.person_ref, "created_at": t.created_at, "revoked": t.revoked}))
                .collect();
            let value = serde_json::Value::Array(list.clone());
            g.out.emit(&value, || {
                list.iter()
                    .map(|t| {
                        format!(
                            "{} {} for {}{}",
                            t["id"].as_str().unwrap_or_default(),
                            t["role"].as_str().unwrap_or_default(),
                            t["for"].as_str().unwrap_or_default(),
                            if t["revoked"] == true {
                                " (revoked)"
                            } else {
                                ""
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        TokenCommand::Revoke { id } => {
            if !tokens.revoke(&id)? {
                return Err(CliError::Rejected(format!("unknown token {id}")));
            }
            g.out.emit(&json!({"id": id, "revoked": true}), || {
                format!("token {id} revoked")
            });
        }
    }
    Ok(())
}

/// A lock error names the server holding the ledger when its `server.json` says so.
pub(super) fn explain_lock(e: CliError) -> CliError {
    match e {
        CliError::Store(crate::store::StoreError::Locked { dir, holder }) => match server::holder(&dir) {
            Some(s) => CliError::Held(format!(
                "the ledger at {} is held by the delib server at {} (pid {}); stop it or use its API",
                dir.display(),
                s.url,
                s.pid
            )),
            None => CliError::Store(crate::store::StoreError::Locked { dir, holder }),
        },
        other => other,
    }
}
