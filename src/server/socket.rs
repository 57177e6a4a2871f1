//! The server's Unix socket, `DATA/delib.sock`: a CLI that finds a running server sends it its
//! command line, and the server runs the command on its own open ledger and sends back what it
//! printed and its exit code ([`crate::cli::forward`] is the other end). The socket's file
//! permissions are its access control: it is made owner-only (0600) inside a private directory and
//! then moved into place, so it is never reachable with looser permissions; an operator who wants a
//! group of clerks to use it changes its group and mode.
//!
//! One exchange per connection: the request and the answer are each one JSON value behind a 4-byte
//! big-endian length. A command the server runs holds a write permit, so a stopping server drains
//! it like an HTTP write.

use super::Shared;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::watch;

/// The largest request accepted (a command line).
pub const MAX_REQUEST: u32 = 1 << 20;
/// How long a client may take to send its request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// The socket of the server holding `dir`.
pub fn socket_path(dir: &Path) -> PathBuf {
    dir.join("delib.sock")
}

/// A command line sent by a CLI.
#[derive(Debug, Serialize, Deserialize)]
pub struct Forwarded {
    /// The arguments, the program name first, every path made absolute by the client.
    pub argv: Vec<String>,
}

/// What the command printed and how it ended.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Answer {
    /// Its standard output.
    pub stdout: String,
    /// Its notes on standard error.
    pub stderr: String,
    /// Its exit code.
    pub code: u8,
    /// Its error, as the CLI prints it after `error: `.
    pub error: Option<String>,
}

impl Answer {
    /// A command that failed before it printed anything.
    pub fn failed(code: u8, error: String) -> Self {
        Self {
            stdout: String::new(),
            stderr: String::new(),
            code,
            error: Some(error),
        }
    }
}

/// Binds `DATA/delib.sock` owner-only, replacing a stale one (the caller holds the ledger's lock,
/// so no other server uses it).
///
/// # Errors
/// I/O errors, or a path too long for a Unix socket.
pub fn bind(dir: &Path) -> std::io::Result<UnixListener> {
    use std::os::unix::fs::PermissionsExt;
    let path = socket_path(dir);
    let private = tempfile::Builder::new().prefix(".sock-").tempdir_in(dir)?;
    std::fs::set_permissions(private.path(), std::fs::Permissions::from_mode(0o700))?;
    let staged = private.path().join("s");
    let listener = UnixListener::bind(&staged)?;
    std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o600))?;
    match std::fs::remove_file(&path) {
        Ok(()) => tracing::info!("replaced a stale socket"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    std::fs::rename(&staged, &path)?;
    Ok(listener)
}

/// Answers CLIs on `listener` with the state `serving` holds (none while the ledger is closed
/// after a storage failure or while the server stops), until the runtime ends.
pub async fn run(listener: UnixListener, dir: PathBuf, serving: watch::Receiver<Option<Shared>>) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::error!(cause = %e, "failed to accept on the socket");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let state = serving.borrow().clone();
        let dir = dir.clone();
        tokio::spawn(async move {
            if let Err(e) = exchange(stream, state, dir).await {
                tracing::debug!(cause = %e, "a socket exchange failed");
            }
        });
    }
}

async fn exchange(
    mut stream: UnixStream,
    state: Option<Shared>,
    dir: PathBuf,
) -> std::io::Result<()> {
    let request = tokio::time::timeout(REQUEST_TIMEOUT, read_frame(&mut stream))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "request too slow"))??;
    let answer = match (serde_json::from_slice::<Forwarded>(&request), state) {
        (Err(e), _) => Answer::failed(2, format!("bad request on the socket: {e}")),
        (Ok(_), None) => Answer::failed(
            3,
            "the server holding this ledger is stopping or waiting for its disk; retry in a moment"
                .into(),
        ),
        (Ok(_), Some(state)) if *state.stopping.borrow() => {
            Answer::failed(3, "the server is stopping; retry in a moment".into())
        }
        // A permit taken now is waited for by a stopping server's drain; none is left only while
        // it stops (or under a thousand writes at once).
        (Ok(forwarded), Some(state)) => match state.writes.clone().try_acquire_owned() {
            Err(_) => Answer::failed(
                3,
                "the server is stopping or busy; retry in a moment".into(),
            ),
            Ok(permit) => {
                let ran = tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    crate::cli::forward::run_forwarded(&forwarded.argv, &dir, state)
                })
                .await;
                ran.unwrap_or_else(|e| {
                    tracing::error!(cause = %e, "a forwarded command failed inside the server");
                    Answer::failed(3, "internal error in the server; see its log".into())
                })
            }
        },
    };
    let bytes = serde_json::to_vec(&answer).map_err(std::io::Error::other)?;
    write_frame(&mut stream, &bytes).await?;
    stream.shutdown().await
}

async fn read_frame(stream: &mut UnixStream) -> std::io::Result<Vec<u8>> {
    let len = stream.read_u32().await?;
    if len > MAX_REQUEST {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "request too large",
        ));
    }
    let mut buf = vec![0; len as usize];
    stream.read_exact(&mut buf).await?;
    Ok(buf)
}

async fn write_frame(stream: &mut UnixStream, bytes: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(bytes.len())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "answer too large"))?;
    stream.write_u32(len).await?;
    stream.write_all(bytes).await?;
    stream.flush().await
}
