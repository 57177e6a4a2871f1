//! The public transparency report, built at most once per ledger size and period, rendered at most
//! once per format and language, and at most once per [`ReportCache::FRESH_FOR`] while the ledger
//! grows.
//!
//! Building a report reads every record up to its size, so a public endpoint that built one per
//! request would let anyone make the server read the whole ledger again and again (an amplifier).
//! Here a report is kept by its period (at most [`MAX_KEPT`] periods, the oldest built dropped
//! first), with its renders by format and language; a request gets the kept one when the ledger has
//! not grown since, or when it was built less than `FRESH_FOR` ago by the ledger's clock (it states
//! its own size and checkpoint, so a report a few seconds behind the head is still exactly
//! checkable). Only one report is built at a time; a request that finds a build under way takes the
//! kept report if there is one, and waits for the build otherwise.
//!
//! The checkpoint a report states is signed once per ledger size, never per request: the note of
//! the latest size signed is kept and shared by every period's report of that size
//! ([`ReportCache::signatures`] counts the signatures). It is not recorded: reading never appends.

use super::error::ApiError;
use crate::app::LedgerService;
use crate::store::EventStore;
use axum::body::Bytes;
use delib_events::Timestamp;
use delib_projections::report::{self, Format, Lang, Report};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// A period as asked for: `to` is `None` when the caller asked for "until now".
pub type Period = (Timestamp, Option<Timestamp>);

/// Most periods kept; the oldest built is dropped first. Each keeps one report and at most one
/// render per format and language (six).
pub const MAX_KEPT: usize = 8;

#[derive(Debug)]
struct Kept {
    period: Period,
    size: u64,
    /// When it was built, by the ledger's clock.
    built: Timestamp,
    report: Arc<Report>,
    rendered: Vec<(Format, Lang, Bytes)>,
}

/// Reports kept by period, and the checkpoint note of the latest size signed.
#[derive(Debug, Default)]
pub struct ReportCache {
    kept: Mutex<Vec<Kept>>,
    signed: Mutex<Option<(u64, String)>>,
    signatures: AtomicU64,
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
        let now = svc.clock().now();
        let to = to.unwrap_or(now);
        let note = self.note(svc, size)?;
        let report = Arc::new(svc.report_at(size, from, to, Some(note))?);
        let mut kept = lock(&self.kept);
        kept.retain(|k| k.period != period);
        if kept.len() >= MAX_KEPT {
            if let Some(oldest) = (0..kept.len()).min_by_key(|i| kept[*i].built) {
                kept.swap_remove(oldest);
            }
        }
        kept.push(Kept {
            period,
            size,
            built: now,
            report: Arc::clone(&report),
            rendered: Vec::new(),
        });
        Ok(report)
    }

    /// The report for `period` rendered in `format` and `lang`: the kept render of the kept
    /// report, or rendered once and kept with it.
    ///
    /// # Errors
    /// As [`ReportCache::get`].
    pub fn rendered(
        &self,
        svc: &LedgerService,
        period: Period,
        format: Format,
        lang: Lang,
    ) -> Result<Bytes, ApiError> {
        let report = self.get(svc, period)?;
        let render_of = |kept: &[Kept]| {
            let k = kept
                .iter()
                .find(|k| k.period == period && Arc::ptr_eq(&k.report, &report))?;
            k.rendered
                .iter()
                .find(|(f, l, _)| *f == format && *l == lang)
                .map(|(_, _, bytes)| bytes.clone())
        };
        if let Some(bytes) = render_of(&lock(&self.kept)) {
            return Ok(bytes);
        }
        // Rendered outside the lock; of two requests that render at once, the first kept wins and
        // both answer its bytes.
        let bytes = Bytes::from(report::render(&report, format, lang));
        let mut kept = lock(&self.kept);
        if let Some(first) = render_of(&kept) {
            return Ok(first);
        }
        if let Some(k) = kept
            .iter_mut()
            .find(|k| k.period == period && Arc::ptr_eq(&k.report, &report))
        {
            k.rendered.push((format, lang, bytes.clone()));
        }
        Ok(bytes)
    }

    /// How many periods are kept (at most [`MAX_KEPT`]).
    pub fn kept(&self) -> usize {
        lock(&self.kept).len()
    }

    /// How many checkpoints have been signed for reports (one per ledger size at most).
    pub fn signatures(&self) -> u64 {
        self.signatures.load(Ordering::Relaxed)
    }

    /// The signed note of a checkpoint of `size`: the kept one, or signed once (called with the
    /// build turn held, so two builds never sign the same size).
    fn note(&self, svc: &LedgerService, size: u64) -> Result<String, ApiError> {
        if let Some((signed, note)) = lock(&self.signed).as_ref() {
            if *signed == size {
                return Ok(note.clone());
            }
        }
        let (_, note) = crate::audit::proofs::sign(svc.ledger(), size)?;
        self.signatures.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(size, "report checkpoint signed");
        *lock(&self.signed) = Some((size, note.clone()));
        Ok(note)
    }

    fn usable(&self, svc: &LedgerService, period: Period, any_age: bool) -> Option<Arc<Report>> {
        let head = svc.store().head().position.get();
        let now = svc.clock().now();
        let kept = lock(&self.kept);
        let k = kept.iter().find(|k| k.period == period)?;
        // A clock that went back makes the kept report stale rather than fresh for longer.
        let fresh = now >= k.built
            && now.as_micros() - k.built.as_micros()
                < i64::try_from(Self::FRESH_FOR.as_micros()).unwrap_or(i64::MAX);
        (any_age || k.size == head || fresh).then(|| Arc::clone(&k.report))
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
