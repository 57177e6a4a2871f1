//! The transparency report for a period, and its verification against the ledger.
//!
//! A report states the ledger size it was built from, the Merkle root at that size and a signed
//! checkpoint of it, and says in one paragraph how to check it. `verify_report` rebuilds the report
//! from the ledger's first `size` records and compares it with the file field by field, then checks
//! the checkpoint's signature, that its root is the ledger's root at that size now, and that the
//! current ledger extends that tree (a consistency proof). So a report made before anyone rewrote the
//! ledger fails verification against the rewritten one. The root at the report's size is hashed from
//! the records themselves, never taken from the stored tree nodes.

use super::{AppError, LedgerService};
use crate::audit::checkpoint::SignedCheckpoint;
use crate::audit::merkle::{leaf_hash, verify_consistency, Frontier, Hash};
use crate::audit::{checkpoints, keys};
use crate::store::EventStore;
use crate::tlog::witness::CosignerKey;
use delib_events::{Position, RecordedEvent, Timestamp};
use delib_projections::report::{
    transparency_report, LedgerInfo, Report, ReportViews, WitnessedCheckpoint,
};
use serde::Serialize;
use serde_json::Value;

/// A report built, whose checkpoint may still have to be recorded (see
/// [`LedgerService::prepare_report`]).
#[derive(Debug, Clone)]
pub struct PreparedReport {
    /// The report.
    pub report: Report,
    /// The checkpoint it states when that is signed but not yet recorded.
    pub unrecorded: Option<(crate::audit::checkpoint::Checkpoint, String)>,
}

/// What `report verify` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ReportCheck {
    /// True when every check holds.
    pub ok: bool,
    /// The ledger size the report claims.
    pub size: u64,
    /// The ledger's size now.
    pub ledger_size: u64,
    /// What does not hold.
    pub problems: Vec<String>,
    /// Witnesses' cosignatures listed in the report, each checked with the key listed with it.
    pub cosignatures_checked: u64,
}

/// A cosignature's timestamp (POSIX seconds) as RFC 3339.
fn cosignature_time(seconds: u64) -> String {
    delib_projections::time::rfc3339(Timestamp::from_micros(
        i64::try_from(seconds)
            .unwrap_or(i64::MAX / 1_000_000)
            .saturating_mul(1_000_000),
    ))
}

fn instructions(size: u64, origin: &str, key: &str) -> String {
    format!(
        "This report was built from the first {size} records of the ledger {origin}. Its numbers can be \
         rebuilt by anyone holding a copy of the ledger: run `delib report verify REPORT.json`, which \
         rebuilds the report from those {size} records and compares every field. The checkpoint above is \
         signed with the ledger's key {key} (print it with `delib audit key` and compare it with the key \
         the ledger publishes); `delib audit consistency --from-size {size}` proves that the ledger today \
         still begins with exactly those {size} records, and `delib audit check-proof` checks such a \
         proof without the ledger."
    )
}

impl LedgerService {
    /// The Merkle root of the first `size` records, hashed from the records themselves (not from the
    /// stored tree nodes, which a verifier must not take on trust).
    fn root_from_records(&self, size: u64) -> Result<Hash, AppError> {
        let mut frontier = Frontier::new();
        let mut next = 1u64;
        while next <= size {
            let page = self.store().read_raw(Position::new(next), 8192)?;
            let Some(last) = page.last().map(|(p, _)| p.get()) else {
                break;
            };
            for (_, bytes) in page.iter().filter(|(p, _)| p.get() <= size) {
                frontier.push(leaf_hash(bytes));
            }
            next = last + 1;
        }
        Ok(frontier.root())
    }

    /// The current views, when a report of the ledger at `size` up to `to` would fold what they
    /// folded: they are at the head, nothing after `size` but checkpoint records (which no view
    /// folds), and the latest act happened by `to` (so the report's cut keeps every event). `None`
    /// otherwise: the report folds its cut.
    fn current_views_cover(
        &self,
        size: u64,
        to: Timestamp,
    ) -> Result<Option<super::views::ReportRead>, AppError> {
        use delib_events::{Event, LedgerEvent};
        use delib_projections::Projection;
        /// How many checkpoint records after a report's size are looked through.
        const BEYOND: u64 = 4;
        let head = self.store().head().position.get();
        if size > head || head - size > BEYOND {
            return Ok(None);
        }
        if size < head {
            let beyond = self
                .store()
                .read_all(Position::new(size + 1), (head - size) as usize)?;
            let only_checkpoints = beyond.iter().all(|e| {
                matches!(
                    e.event,
                    Event::Ledger(LedgerEvent::CheckpointRecorded { .. })
                )
            });
            if !only_checkpoints {
                return Ok(None);
            }
        }
        let (views, hearings) = self.report_views()?;
        let covered = views.last_position().get() == head
            && views.latest.occurred_at().is_none_or(|latest| latest <= to);
        Ok(covered.then_some((views, hearings)))
    }

    fn events_up_to(&self, size: u64) -> Result<Vec<RecordedEvent>, AppError> {
        Ok(self.store().read_all(
            Position::new(1),
            usize::try_from(size).unwrap_or(usize::MAX),
        )?)
    }

    /// The report for `from..=to` as the ledger held it at `size`, stating `checkpoint` (a signed
    /// note of that size) if given. Records nothing (the server's public reports use it with a signed,
    /// unrecorded checkpoint, so anonymous reads never append).
    ///
    /// # Errors
    /// Storage and key failures.
    pub fn report_at(
        &self,
        size: u64,
        from: Timestamp,
        to: Timestamp,
        checkpoint: Option<String>,
    ) -> Result<Report, AppError> {
        let ledger = self.ledger();
        let origin = ledger.identity()?.origin;
        // The key named in the instructions is the one that signed the checkpoint (a ledger imported
        // from another keeps its predecessor's signatures); the ledger's own key otherwise.
        let verifiers =
            keys::verifiers(ledger.dir()).map_err(|e| AppError::Internal(e.to_string()))?;
        let signed = checkpoint
            .as_deref()
            .and_then(|n| SignedCheckpoint::parse(n).ok());
        let key = signed
            .and_then(|s| verifiers.iter().find(|k| k.verify(&s).is_ok()).cloned())
            .or_else(|| verifiers.first().cloned())
            .map(|k| k.to_string())
            .unwrap_or_default();
        let root = self.store().merkle_root(size)?;
        let info = LedgerInfo {
            size,
            root_hex: root.to_hex(),
            checkpoint,
        };
        let instructions = instructions(size, &origin, &key);
        let mut report = match self.current_views_cover(size, to)? {
            // Every event of the ledger passes the report's cut: its views are the current ones.
            Some((views, hearings)) => {
                let read = match hearings {
                    Some(hearings) => ReportViews::with_hearings(&views, hearings),
                    None => ReportViews::of(&views),
                };
                Report::build(&read, from, to, info, instructions)
            }
            None => transparency_report(&self.events_up_to(size)?, from, to, info, instructions),
        };
        report.witnesses = self.witnessed_up_to(size)?;
        Ok(report)
    }

    /// The cosigned checkpoints collected by `audit witness` (`DATA/cosignatures.jsonl`) of sizes
    /// up to `size` that check out now: a witness key was recorded with the cosignature and
    /// verifies it, the ledger's own signature verifies, and the root is the ledger's root at that
    /// size. One entry per witness key and size (the first collected). A line that does not check
    /// out is left out (and logged); `delib audit witnesses` lists every line as collected.
    ///
    /// # Errors
    /// Storage failures and an unreadable side store.
    pub fn witnessed_up_to(&self, size: u64) -> Result<Vec<WitnessedCheckpoint>, AppError> {
        let lines = crate::tlog::witness::collect::list(self.ledger().dir())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let verifiers =
            keys::verifiers(self.ledger().dir()).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut out: Vec<WitnessedCheckpoint> = Vec::new();
        for w in lines.iter().filter(|w| w.size > 0 && w.size <= size) {
            let Some(key_text) = &w.key else { continue };
            match self.check_cosigned(key_text, &w.note, &verifiers) {
                Ok(entry) => {
                    if !out
                        .iter()
                        .any(|e| e.key == entry.key && e.size == entry.size)
                    {
                        out.push(entry);
                    }
                }
                Err(why) => {
                    tracing::warn!(witness = %w.witness, size = w.size, problem = %why, "a collected cosignature does not check out; left out of reports");
                }
            }
        }
        Ok(out)
    }

    /// Checks one cosigned note: the witness's cosignature with `key_text`, the ledger's signature
    /// with one of `verifiers`, the root against the ledger's tree; the entry a report lists.
    fn check_cosigned(
        &self,
        key_text: &str,
        note: &str,
        verifiers: &[crate::audit::checkpoint::VerifierKey],
    ) -> Result<WitnessedCheckpoint, String> {
        let key = CosignerKey::parse(key_text).map_err(|e| e.to_string())?;
        let time = key.verify(note).map_err(|e| e.to_string())?;
        let signed = SignedCheckpoint::parse(note).map_err(|e| e.to_string())?;
        if !verifiers.iter().any(|k| k.verify(&signed).is_ok()) {
            return Err("the ledger's signature on the cosigned checkpoint does not verify".into());
        }
        let c = signed.checkpoint();
        let head = self.store().head().position.get();
        if c.size == 0 || c.size > head {
            return Err(format!(
                "the cosigned checkpoint has {} records; the ledger holds {head}",
                c.size
            ));
        }
        let root = self
            .store()
            .merkle_root(c.size)
            .map_err(|e| e.to_string())?;
        if root != c.root {
            return Err(format!(
                "the cosigned checkpoint's root is not the ledger's root at size {}",
                c.size
            ));
        }
        Ok(WitnessedCheckpoint {
            witness: key.name.clone(),
            key_id: hex::encode(key.key_id()),
            key: key.to_string(),
            size: c.size,
            root: c.root.to_base64(),
            time: cosignature_time(time),
            note: note.to_owned(),
        })
    }

    /// The transparency report for `from..=to`, built from every record up to a checkpoint of the
    /// current ledger (the latest recorded one if it is current, otherwise a new one, recorded).
    ///
    /// # Errors
    /// A period that ends before it starts; storage and key failures.
    pub fn transparency_report(&self, from: Timestamp, to: Timestamp) -> Result<Report, AppError> {
        let prepared = self.prepare_report(from, to)?;
        self.record_report_checkpoint(&prepared)?;
        Ok(prepared.report)
    }

    /// The transparency report for `from..=to` over the whole ledger, stating the latest recorded
    /// checkpoint when it covers the ledger, otherwise a newly signed one that is **not yet
    /// recorded**: the caller writes the report out first and then records it with
    /// [`LedgerService::record_report_checkpoint`], so a report that cannot be written records
    /// nothing, and reports of one ledger size share one recorded checkpoint.
    ///
    /// # Errors
    /// A period that ends before it starts; storage and key failures.
    pub fn prepare_report(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<PreparedReport, AppError> {
        if to < from {
            return Err(AppError::BadValue(
                "--to must not be earlier than --from".into(),
            ));
        }
        let internal = |e: checkpoints::CheckpointingError| AppError::Internal(e.to_string());
        let (checkpoint, note, recorded) =
            match checkpoints::covering(self.ledger()).map_err(internal)? {
                Some(cp) => (cp.checkpoint, cp.note, true),
                None => {
                    let size = self.store().head().position.get();
                    let (checkpoint, note) =
                        checkpoints::sign(self.ledger(), size).map_err(internal)?;
                    (checkpoint, note, false)
                }
            };
        let report = self.report_at(checkpoint.size, from, to, Some(note.clone()))?;
        Ok(PreparedReport {
            report,
            unrecorded: (!recorded).then_some((checkpoint, note)),
        })
    }

    /// Records the checkpoint a prepared report states, unless it is recorded already.
    ///
    /// # Errors
    /// Storage and key failures.
    pub fn record_report_checkpoint(&self, prepared: &PreparedReport) -> Result<(), AppError> {
        if let Some((checkpoint, note)) = &prepared.unrecorded {
            checkpoints::record_signed(self.ledger(), checkpoint.clone(), note.clone()).map_err(
                |e| match e {
                    checkpoints::CheckpointingError::Store(s) => AppError::Store(s),
                    checkpoints::CheckpointingError::Append(crate::store::AppendError::Store(
                        s,
                    )) => AppError::Store(s),
                    other => AppError::Internal(other.to_string()),
                },
            )?;
        }
        Ok(())
    }

    /// Checks a JSON report against the ledger. See the module documentation.
    ///
    /// # Errors
    /// A file that is not a report (usage error); storage failures.
    pub fn verify_report(&self, report: &Value) -> Result<ReportCheck, AppError> {
        let not_a_report =
            |what: &str| AppError::BadValue(format!("not a delib transparency report: {what}"));
        let time = |v: &Value| -> Result<Timestamp, AppError> {
            let text = v.as_str().ok_or_else(|| not_a_report("period"))?;
            let t =
                chrono::DateTime::parse_from_rfc3339(text).map_err(|_| not_a_report("period"))?;
            Ok(Timestamp::from_micros(t.timestamp_micros()))
        };
        let from = time(&report["period"]["from"])?;
        let to = time(&report["period"]["to"])?;
        let size = report["ledger"]["size"]
            .as_u64()
            .ok_or_else(|| not_a_report("ledger.size"))?;
        let checkpoint = report["ledger"]["checkpoint"].as_str().map(str::to_owned);
        let head = self.store().head().position.get();
        let mut problems = Vec::new();
        if size == 0 || size > head {
            problems.push(format!(
                "the report claims {size} records; the ledger holds {head}"
            ));
            return Ok(ReportCheck {
                ok: false,
                size,
                ledger_size: head,
                problems,
                cosignatures_checked: 0,
            });
        }

        // The numbers: exactly what the ledger's first `size` records produce.
        let rebuilt = serde_json::to_value(self.report_at(size, from, to, checkpoint.clone())?)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        if let (Value::Object(mine), Value::Object(theirs)) = (&rebuilt, report) {
            // The witnesses are checked one by one below (more may have been collected since).
            for (section, value) in mine.iter().filter(|(k, _)| *k != "witnesses") {
                if theirs.get(section) != Some(value) {
                    problems.push(format!(
                        "`{section}` differs from what the ledger's first {size} records produce"
                    ));
                }
            }
            for section in theirs
                .keys()
                .filter(|k| !mine.contains_key(*k) && *k != "witnesses")
            {
                problems.push(format!("`{section}` is not part of a delib report"));
            }
        }

        // The checkpoint: signed by the ledger's key, for this size and the root at this size now, and
        // the ledger today extends that tree.
        match checkpoint {
            None => problems.push("the report has no signed checkpoint".into()),
            Some(note) => {
                match SignedCheckpoint::parse(&note) {
                    Err(e) => problems.push(format!("checkpoint does not parse: {e}")),
                    Ok(signed) => {
                        match keys::verifiers(self.ledger().dir()) {
                            Ok(keys) => {
                                if !keys.iter().any(|k| k.verify(&signed).is_ok()) {
                                    problems.push("checkpoint signature does not verify with the ledger's key".into());
                                }
                            }
                            Err(e) => problems.push(format!("cannot load the ledger's key: {e}")),
                        }
                        let c = signed.checkpoint();
                        let root_now = self.root_from_records(size)?;
                        if c.size != size {
                            problems.push(format!(
                                "checkpoint is for {} records, the report for {size}",
                                c.size
                            ));
                        } else if c.root != root_now {
                            problems.push(format!(
                            "the ledger's first {size} records no longer have the checkpoint's root: they were rewritten"
                        ));
                        }
                        if report["ledger"]["root"].as_str() != Some(c.root.to_hex().as_str()) {
                            problems.push("the report's root is not the checkpoint's root".into());
                        }
                        let proof = self.store().consistency_proof(size, head)?;
                        let head_root: Hash = self.store().merkle_root(head)?;
                        if let Err(e) = verify_consistency(size, head, &c.root, &head_root, &proof)
                        {
                            problems.push(format!(
                                "the ledger today does not extend the checkpoint's tree: {e}"
                            ));
                        }
                    }
                }
            }
        }
        let cosignatures_checked = self.check_listed_witnesses(report, size, &mut problems)?;
        Ok(ReportCheck {
            ok: problems.is_empty(),
            size,
            ledger_size: head,
            problems,
            cosignatures_checked,
        })
    }

    /// Checks every cosignature a report lists under `witnesses`: with the witness key listed with
    /// it, the listed name, key ID, size, root and time are the note's, the ledger's own signature
    /// verifies, the size is within the report's, and the root is the one the ledger's records
    /// give at that size (hashed from the records). Returns how many were checked.
    fn check_listed_witnesses(
        &self,
        report: &Value,
        size: u64,
        problems: &mut Vec<String>,
    ) -> Result<u64, AppError> {
        let listed = match &report["witnesses"] {
            Value::Null => return Ok(0),
            Value::Array(a) => a.clone(),
            _ => {
                problems.push("`witnesses` is not a list".into());
                return Ok(0);
            }
        };
        let verifiers =
            keys::verifiers(self.ledger().dir()).map_err(|e| AppError::Internal(e.to_string()))?;
        for (i, w) in listed.iter().enumerate() {
            let name = w["witness"].as_str().unwrap_or("?");
            let w_size = w["size"].as_u64().unwrap_or(0);
            let what = format!(
                "witness {name}'s cosignature of the checkpoint of size {w_size} (entry {})",
                i + 1
            );
            let (Some(key), Some(note)) = (w["key"].as_str(), w["note"].as_str()) else {
                problems.push(format!("{what} lists no witness key or no note"));
                continue;
            };
            let entry = match self.check_cosigned(key, note, &verifiers) {
                Ok(e) => e,
                Err(why) => {
                    problems.push(format!("{what} does not verify: {why}"));
                    continue;
                }
            };
            let listed_fields = (
                w["witness"].as_str(),
                w["key_id"].as_str(),
                w["size"].as_u64(),
                w["root"].as_str(),
                w["time"].as_str(),
            );
            let signed_fields = (
                Some(entry.witness.as_str()),
                Some(entry.key_id.as_str()),
                Some(entry.size),
                Some(entry.root.as_str()),
                Some(entry.time.as_str()),
            );
            if listed_fields != signed_fields {
                problems.push(format!(
                    "{what}: the listed witness, key ID, size, root or time is not what was cosigned ({}, {}, size {}, root {}, {})",
                    entry.witness, entry.key_id, entry.size, entry.root, entry.time
                ));
                continue;
            }
            if entry.size > size {
                problems.push(format!("{what} is beyond the report's {size} records"));
                continue;
            }
            if self.root_from_records(entry.size)?.to_base64() != entry.root {
                problems.push(format!(
                    "{what}: the ledger's first {} records no longer have the cosigned root",
                    entry.size
                ));
            }
        }
        Ok(listed.len() as u64)
    }
}
