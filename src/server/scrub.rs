//! The background scrub of a served ledger ([`crate::audit::scrub`]): every `every` (counted from
//! the last full scrub recorded, so a restart does not reset it), the whole ledger is re-verified on
//! a blocking thread that yields after every record and pauses briefly every few thousand, so that
//! it runs at low priority beside the requests. It stops with the server.

use super::Shared;
use crate::audit::scrub;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Records verified between short pauses.
const BURST: u64 = 4096;
/// The pause.
const PAUSE: Duration = Duration::from_millis(2);

/// Scrubs `state`'s ledger every `every` until the server stops.
pub async fn run(state: Shared, every: Duration) {
    let mut stopping = state.stopping();
    loop {
        let wait = due_in(&state, every);
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = stopping.wait_for(|s| *s) => return,
        }
        let stop = Arc::new(AtomicBool::new(false));
        let job = {
            let state = state.clone();
            let stop = stop.clone();
            tokio::task::spawn_blocking(move || {
                let mut n = 0u64;
                let mut pace = || {
                    n += 1;
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    std::thread::yield_now();
                    if n.is_multiple_of(BURST) {
                        std::thread::sleep(PAUSE);
                    }
                };
                scrub::scrub(state.svc.ledger(), &mut pace)
            })
        };
        tokio::select! {
            done = job => match done {
                Ok(Ok(record)) if record.ok => {}
                Ok(Ok(record)) => tracing::error!(
                    problems = record.problem_count,
                    first = record.problems.first().map(|p| p.position).unwrap_or(0),
                    "scrub found damage; appends are refused until an operator acts"
                ),
                Ok(Err(e)) => tracing::error!(cause = %e, "scrub could not record its outcome"),
                Err(e) => tracing::error!(cause = %e, "scrub failed"),
            },
            _ = stopping.wait_for(|s| *s) => {
                // Let it finish at full speed; its outcome is still recorded.
                stop.store(true, Ordering::Relaxed);
                return;
            }
        }
    }
}

/// How long until the next scrub is due: `every` after the last one finished, at once if none ran
/// (after a short grace so that starting up comes first).
fn due_in(state: &Shared, every: Duration) -> Duration {
    let grace = Duration::from_millis(500).min(every);
    let last = scrub::status(state.svc.store())
        .ok()
        .and_then(|s| s.last)
        .map(|l| l.finished_micros);
    let Some(last) = last else { return grace };
    let now = state.svc.clock().now().as_micros();
    let elapsed = Duration::from_micros(now.saturating_sub(last).max(0) as u64);
    every.saturating_sub(elapsed).max(grace)
}
