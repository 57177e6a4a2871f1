//! The public transparency report, built at most once per ledger size and period, and at most once
//! per [`ReportCache::FRESH_FOR`] while the ledger grows.
//!
//! Building a report reads every record up to its size, so a public endpoint that built one per
//! request would let anyone make the server read the whole ledger again and again (an amplifier).
//! Here a report is kept by its period; a request gets the kept one when the ledger has not grown
//! since, or when it was built less than `FRESH_FOR` ago (it states its own size and checkpoint, so
//! a report a few seconds behind the head is still exactly checkable). Only one report is built at a
//! time; a request that finds a build under way takes the kept report if there is one, and waits
//! for the build otherwise. The checkpoint in a report is signed once per build, never per request,
//! and is not recorded: reading never appends.

use super::error::ApiError;
use crate::app::LedgerService;
use crate::store::EventStore;
use delib_events::Timestamp;
use delib_projections::report::Report;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A period as asked for: `to` is `None` when the caller asked for "until now".
pub type Period = (Timestamp, Option<Timestamp>);

/// Most periods kept; the oldest built is dropped first.
const MAX_KEPT: usize = 64;

#[derive(Debug)]
struct Kept {
    size: u64,
    built: Instant,
    report: Arc<Report>,
}

/// Reports kept by period.
#[derive(Debug, Default)]
pub struct ReportCache {
    kept: Mutex<HashMap<Period, Kept>>,
    building: Mutex<()>,
}

impl ReportCache {
    /// How long a kept report is served while the ledger grows.
    pub const FRESH_FOR: Duration = Duration::from_secs(10);

    /// The report for `period`, kept or built.
    ///
    /// # Errors
    /// Storage and key failures while building.
    pub fn get(&self, svc: &LedgerService, period: Period) -> Result<Arc<Report>, ApiError> {
        if let Some(r) = self.usable(svc, period, false) {
            return Ok(r);
        }
        let _turn = match self.building.try_lock() {
            Ok(turn) => turn,
            Err(_) => {
                // A build is under way: a kept report of any age beats waiting for it.
                if let Some(r) = self.usable(svc, period, true) {
                    return Ok(r);
                }
                self.building
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            }
        };
        // Another request may have built it while this one waited for its turn.
        if let Some(r) = self.usable(svc, period, false) {
            return Ok(r);
        }
        let size = svc.store().head().position.get();
        let (from, to) = period;
        let to = to.unwrap_or_else(|| svc.clock().now());
        let (_, note) = crate::audit::proofs::sign(svc.ledger(), size)?;
        let report = Arc::new(svc.report_at(size, from, to, Some(note))?);
        let mut kept = self.lock();
        if kept.len() >= MAX_KEPT && !kept.contains_key(&period) {
            if let Some(oldest) = kept.iter().min_by_key(|(_, k)| k.built).map(|(p, _)| *p) {
                kept.remove(&oldest);
            }
        }
        kept.insert(
            period,
            Kept {
                size,
                built: Instant::now(),
                report: Arc::clone(&report),
            },
        );
        Ok(report)
    }

    /// How many reports have been built and kept (for tests and status).
    pub fn kept(&self) -> usize {
        self.lock().len()
    }

    fn usable(&self, svc: &LedgerService, period: Period, any_age: bool) -> Option<Arc<Report>> {
        let head = svc.store().head().position.get();
        let kept = self.lock();
        let k = kept.get(&period)?;
        (any_age || k.size == head || k.built.elapsed() < Self::FRESH_FOR)
            .then(|| Arc::clone(&k.report))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Period, Kept>> {
        self.kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
