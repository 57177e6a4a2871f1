//! The one command model shared by the command line and the HTTP API: a [`Request`] names every
//! recording command of `CLI.md` with its arguments spelled as users type them (references such as
//! `PROP-3` or full UUIDs, the CLI's words such as `party-committee`, times as `YYYY-MM-DD` or RFC
//! 3339, money in yuan). [`LedgerService::submit`] resolves the references, builds the domain
//! command and records it through the per-kind `record_*` functions, so the rules live once.
//!
//! As JSON a request is an object tagged by `command` (`"proposal-cosign"`, the CLI's words joined
//! by a hyphen) with snake_case fields: `{"command": "proposal-cosign", "proposal": "PROP-1", "by":
//! "PER-2"}`. Unknown fields are refused.
//!
//! 38 of the 42 variants hold a struct of a `*_args` module (`proposal_args::Cosign`) that is at once
//! the CLI subcommand's arguments (clap), the JSON's fields (serde) and, in its `submit`, the domain
//! command it becomes. `person add` (a membership is two flags on the command line, one object in
//! JSON) and the commands that take files (`ballot close --part`, `ballot record-result --minutes`,
//! `attach --file`: a path on the command line, the content in JSON) are variants of their own, which
//! the CLI fills field by field.

use super::retry::Recorded;
use super::when::{Written, Zone};
use super::{AppError, LedgerService, Meta};
use crate::domain::{ballot, consultation, dispute, hearing, proposal};
use delib_events::consultation::ConsultationEvent;
use delib_events::person::{Membership, PersonRole};
use delib_events::{Event, Timestamp};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Map, Value};
use std::fmt::Display;
use std::str::FromStr;

#[path = "request_ballot.rs"]
pub mod ballot_args;
#[path = "request_consultation.rs"]
pub mod consultation_args;
#[path = "request_dispute.rs"]
pub mod dispute_args;
#[path = "request_entity.rs"]
pub mod entity_args;
#[path = "request_hearing.rs"]
pub mod hearing_args;
#[path = "request_pledge.rs"]
pub mod pledge_args;
#[path = "request_proposal.rs"]
pub mod proposal_args;
#[path = "request_register.rs"]
pub mod register_args;

/// A word of a closed vocabulary in its CLI spelling (`party-committee`, `two-thirds`, `2/3`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Word<T>(pub T);

/// The CLI reads a word exactly as typed (the JSON reader trims it).
impl<T: FromStr> FromStr for Word<T> {
    type Err = T::Err;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Word)
    }
}

impl<T: Display> Serialize for Word<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de, T> Deserialize<'de> for Word<T>
where
    T: FromStr,
    T::Err: Display,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.trim().parse().map(Word).map_err(serde::de::Error::custom)
    }
}

/// A moment, as `at` accepts it: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (in the zone set with
/// [`super::when::in_zone`], the ledger's when the server parses a request; the machine's
/// otherwise) or RFC 3339. Serialized as RFC 3339. (A command's own times, `--on` and `--due`, are
/// [`Time`]s, which the command line can also write.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct When(pub Timestamp);

impl Serialize for When {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::views::rfc3339(self.0))
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Written::parse(&s)
            .and_then(|w| w.moment(super::when::zone_of_thread()))
            .map(When)
            .map_err(serde::de::Error::custom)
    }
}

/// A time a command names (`--on`, `--due`; `on`, `due` in JSON), written as a [`When`] is. Read
/// from JSON it is placed at once, in the zone of [`super::when::in_zone`] (the ledger's, on the
/// server), exactly as a `When`. Read from the command line only its syntax is checked (clap's exit
/// 2): the ledger's zone is known once `--data` is, so the CLI places it afterwards
/// ([`Request::times_mut`]), before the request is fingerprinted or submitted. A placed time
/// serializes as a `When` (RFC 3339), so a request's JSON is the same whichever way it came; one
/// not yet placed serializes as written, and [`LedgerService::submit`] places it in the ledger's
/// zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Time(Written);

impl Time {
    /// A time placed at `t`.
    pub fn at(t: Timestamp) -> Self {
        Time(Written::Instant(t))
    }

    /// The time as written (an instant once placed).
    pub fn written(self) -> Written {
        self.0
    }

    /// The instant this time stands for in `zone` (a placed time: its own).
    ///
    /// # Errors
    /// [`AppError::BadValue`] for a local time that does not exist in `zone`.
    pub fn moment(self, zone: Zone) -> Result<Timestamp, AppError> {
        self.0.moment(zone).map_err(AppError::BadValue)
    }
}

/// The command line's reading: the syntax only, to be placed in the ledger's zone.
impl FromStr for Time {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Written::parse(s).map(Time)
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Written::Instant(t) => When(t).serialize(s),
            written => s.collect_str(&written),
        }
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        When::deserialize(d).map(|w| Time::at(w.0))
    }
}

/// An amount of money in yuan, as `--money` accepts it (`240000`, `12.50`), held in fen. JSON may
/// give it as a string or a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Yuan(pub u64);

/// `--money` on the command line (the JSON reader also takes a number).
impl FromStr for Yuan {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        delib_events::pledge::parse_yuan(s.trim())
            .map(Yuan)
            .ok_or_else(|| format!("`{s}` is not an amount of yuan (e.g. 240000 or 12.50)"))
    }
}

impl Serialize for Yuan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{}.{:02}", self.0 / 100, self.0 % 100))
    }
}

impl<'de> Deserialize<'de> for Yuan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = match Value::deserialize(d)? {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "`{other}` is not an amount of yuan"
                )))
            }
        };
        delib_events::pledge::parse_yuan(text.trim())
            .map(Yuan)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "`{text}` is not an amount of yuan (e.g. 240000 or 12.50)"
                ))
            })
    }
}

/// `--member-of ORG --role ROLE`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberOf {
    /// The organisation (ORG-n or UUID).
    pub org: String,
    /// The role held there.
    pub role: Word<PersonRole>,
}

/// Every recording command of `CLI.md` with its arguments as typed. Field names are the long flags
/// in snake_case (lists in the plural); the entity acted on is named by its kind (`proposal`,
/// `hearing`...), `for` for pledges, `reference` for corrections.
#[allow(missing_docs)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Request {
    OrgAdd(register_args::OrgAdd),
    PersonAdd {
        name: String,
        #[serde(default)]
        memberships: Vec<MemberOf>,
    },
    PersonErase(register_args::PersonErase),
    ProposalSubmit(proposal_args::Submit),
    ProposalCosign(proposal_args::Cosign),
    ProposalAdmit(proposal_args::Admit),
    ProposalReturn(proposal_args::Return),
    ProposalWithdraw(proposal_args::Withdraw),
    ProposalDecide(proposal_args::Decide),
    ProposalAssign(proposal_args::Assign),
    ProposalProgress(proposal_args::Progress),
    ProposalComplete(proposal_args::Complete),
    PledgeMake(pledge_args::Make),
    PledgeFulfil(pledge_args::Fulfil),
    HearingSchedule(hearing_args::Schedule),
    HearingRegister(hearing_args::Register),
    HearingOpen(hearing_args::Open),
    HearingStatement(hearing_args::Statement),
    HearingClose(hearing_args::Close),
    HearingCancel(hearing_args::Cancel),
    ConsultationConvene(consultation_args::Convene),
    ConsultationPosition(consultation_args::Position),
    ConsultationAgree(consultation_args::Agree),
    ConsultationFail(consultation_args::Fail),
    ConsultationCommit(consultation_args::Commit),
    ConsultationFulfil(consultation_args::Fulfil),
    BallotOpen(ballot_args::Open),
    BallotCast(register_args::BallotCast),
    BallotClose {
        ballot: String,
        /// An encrypted ballot with tellers: every teller's partial decryption.
        #[serde(default)]
        parts: Vec<delib_events::election::PartialDecryption>,
    },
    DisputeFile(dispute_args::File),
    DisputeMediate(dispute_args::Mediate),
    DisputeEscalate(dispute_args::Escalate),
    DisputeNegotiate(dispute_args::Negotiate),
    DisputeResolve(dispute_args::Resolve),
    DisputeImplement(dispute_args::Implement),
    DisputeClose(dispute_args::Close),
    DisputeWithdraw(dispute_args::Withdraw),
    Correct(entity_args::Correct),
    Void(entity_args::Void),
    /// `ballot record-result`: the counts a meeting took of a ballot taken in the room.
    BallotRecordResult {
        ballot: String,
        /// `OPTION=N`, one per option counted (options not named counted no hands).
        counts: Vec<String>,
        /// Members of the electorate present.
        present: u64,
        /// The minutes, attached to the ballot as a document by the same command.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minutes: Option<super::attach::Attachment>,
    },
    /// `delib attach REF --file PATH [--title T] [--private]`.
    Attach {
        reference: String,
        /// The file (its bytes in base64).
        file: super::attach::Attachment,
        /// The title; none: the file's name without its extension.
        #[serde(default)]
        title: Option<String>,
        /// Auditors only.
        #[serde(default)]
        private: bool,
    },
    DocumentWithdraw(entity_args::DocumentWithdraw),
}

impl Request {
    /// The times this request names, each with its flag (`due`, `on`): the CLI places them in the
    /// ledger's zone before the request is fingerprinted or submitted (see [`Time`]). A test in
    /// `server::routes` checks that every command whose struct has a `Time` is here.
    pub fn times_mut(&mut self) -> Vec<(&'static str, &mut Time)> {
        match self {
            Request::ProposalAssign(r) => r.due.iter_mut().map(|t| ("due", t)).collect(),
            Request::HearingSchedule(r) => vec![("on", &mut r.on)],
            Request::ConsultationCommit(r) => r.due.iter_mut().map(|t| ("due", t)).collect(),
            _ => Vec::new(),
        }
    }
}

/// What a submitted request recorded, and how to print it.
#[derive(Clone, Debug)]
pub struct Receipt {
    /// What was written.
    pub recorded: Recorded,
    /// Whether the request created the entity (then its `id` is printed).
    pub created: bool,
    /// A number the request handed out or named: `pledge`, `commitment` or `corrects`.
    pub extra: Option<(&'static str, u64)>,
    /// The tellers' share files an encrypted ballot's opening wrote (paths, never contents).
    pub shares: Vec<std::path::PathBuf>,
}

impl Receipt {
    /// The JSON every recording command prints: `ref`, `position`, `id` for creations, the extra
    /// number (`pledge`, `commitment`, `corrects`) and the kinds of the `events` written.
    pub fn to_json(&self) -> Value {
        let r = &self.recorded;
        let mut m = Map::new();
        m.insert("ref".into(), json!(r.reference.to_string()));
        m.insert("position".into(), json!(r.position.get()));
        if self.created {
            m.insert("id".into(), json!(r.id.to_string()));
        }
        if let Some((k, v)) = self.extra {
            m.insert(k.into(), json!(v));
        }
        if !self.shares.is_empty() {
            m.insert(
                "shares".into(),
                json!(self
                    .shares
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()),
            );
        }
        let kinds: Vec<&str> = r.events.iter().map(Event::kind).collect();
        m.insert("events".into(), json!(kinds));
        Value::Object(m)
    }
}

/// `OPTION=N` counts as given (`--count`), split at the last `=`; a count is a whole number ≥ 0.
///
/// # Errors
/// [`AppError::BadValue`] naming the first count that is not `OPTION=N`.
pub fn room_counts(given: &[String]) -> Result<Vec<(String, u64)>, AppError> {
    given
        .iter()
        .map(|c| {
            let bad = || {
                AppError::BadValue(format!(
                    "--count takes OPTION=N with N a whole number of hands, 0 or more (got {:?})",
                    c.chars().take(40).collect::<String>()
                ))
            };
            let (option, n) = c.rsplit_once('=').ok_or_else(bad)?;
            let n = n.trim();
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            Ok((option.trim().to_owned(), n.parse().map_err(|_| bad())?))
        })
        .collect()
}

fn receipt(recorded: Recorded, created: bool) -> Receipt {
    Receipt {
        recorded,
        created,
        extra: None,
        shares: Vec::new(),
    }
}

impl LedgerService {
    pub(super) fn many<T>(
        &self,
        inputs: &[String],
        f: impl Fn(&Self, &str) -> Result<T, AppError>,
    ) -> Result<Vec<T>, AppError> {
        inputs.iter().map(|s| f(self, s)).collect()
    }

    pub(super) fn opt<T>(
        &self,
        input: Option<&str>,
        f: impl Fn(&Self, &str) -> Result<T, AppError>,
    ) -> Result<Option<T>, AppError> {
        input.map(|s| f(self, s)).transpose()
    }

    /// Records a request: resolves its references (the entity acted on first), builds the domain
    /// command and records it with the per-kind `record_*` function.
    ///
    /// # Errors
    /// [`AppError::UnknownReference`] / [`AppError::WrongKind`] for references,
    /// [`AppError::BadValue`] for an argument combination the grammar forbids, rejections, conflicts,
    /// storage failures. In every case nothing was recorded.
    pub fn submit(&self, meta: &Meta, request: Request) -> Result<Receipt, AppError> {
        use Request as R;
        // A command id used before for another command is refused before anything is written.
        if meta.fingerprint.is_some() {
            self.replay_of(meta)?;
        }
        match request {
            R::OrgAdd(r) => r.submit(self, meta),
            R::PersonAdd { name, memberships } => {
                let memberships = memberships
                    .iter()
                    .map(|m| {
                        Ok(Membership {
                            org: self.org_id(&m.org)?,
                            role: m.role.0,
                        })
                    })
                    .collect::<Result<Vec<_>, AppError>>()?;
                Ok(receipt(
                    self.record_person_add(meta, &name, memberships)?,
                    true,
                ))
            }
            R::PersonErase(r) => r.submit(self, meta),
            R::ProposalSubmit(r) => r.submit(self, meta),
            R::ProposalCosign(r) => r.submit(self, meta),
            R::ProposalAdmit(r) => r.submit(self, meta),
            R::ProposalReturn(r) => r.submit(self, meta),
            R::ProposalWithdraw(r) => r.submit(self, meta),
            R::ProposalDecide(r) => r.submit(self, meta),
            R::ProposalAssign(r) => r.submit(self, meta),
            R::ProposalProgress(r) => r.submit(self, meta),
            R::ProposalComplete(r) => r.submit(self, meta),
            R::PledgeMake(r) => r.submit(self, meta),
            R::PledgeFulfil(r) => r.submit(self, meta),
            R::HearingSchedule(r) => r.submit(self, meta),
            R::HearingRegister(r) => r.submit(self, meta),
            R::HearingOpen(r) => r.submit(self, meta),
            R::HearingStatement(r) => r.submit(self, meta),
            R::HearingClose(r) => r.submit(self, meta),
            R::HearingCancel(r) => r.submit(self, meta),
            R::ConsultationConvene(r) => r.submit(self, meta),
            R::ConsultationPosition(r) => r.submit(self, meta),
            R::ConsultationAgree(r) => r.submit(self, meta),
            R::ConsultationFail(r) => r.submit(self, meta),
            R::ConsultationCommit(r) => r.submit(self, meta),
            R::ConsultationFulfil(r) => r.submit(self, meta),
            R::BallotOpen(r) => r.submit(self, meta),
            R::BallotCast(r) => r.submit(self, meta),
            R::BallotClose { ballot, parts } => {
                let id = self.ballot_id(&ballot)?;
                Ok(receipt(
                    self.record_ballot(meta, Some(id), ballot::Command::Close, &parts)?,
                    false,
                ))
            }
            R::DisputeFile(r) => r.submit(self, meta),
            R::DisputeMediate(r) => r.submit(self, meta),
            R::DisputeEscalate(r) => r.submit(self, meta),
            R::DisputeNegotiate(r) => r.submit(self, meta),
            R::DisputeResolve(r) => r.submit(self, meta),
            R::DisputeImplement(r) => r.submit(self, meta),
            R::DisputeClose(r) => r.submit(self, meta),
            R::DisputeWithdraw(r) => r.submit(self, meta),
            R::Correct(r) => r.submit(self, meta),
            R::Void(r) => r.submit(self, meta),
            R::BallotRecordResult {
                ballot,
                counts,
                present,
                minutes,
            } => {
                let id = self.ballot_id(&ballot)?;
                let counts = room_counts(&counts)?;
                if let Some(m) = &minutes {
                    // Refused before anything is recorded if the minutes could not be attached.
                    self.attachable(id.stream_id(), m)?;
                }
                let cmd = ballot::Command::RecordRoomCounts { counts, present };
                let recorded = self.record_ballot(meta, Some(id), cmd, &[])?;
                let Some(minutes) = minutes else {
                    return Ok(receipt(recorded, false));
                };
                // The minutes, attached to the ballot by the same command (a second append, with
                // its own command id derived from this one's).
                let derived = <sha2::Sha256 as sha2::Digest>::digest(
                    [meta.command_id.as_uuid().as_bytes().as_slice(), b"minutes"].concat(),
                );
                let mut id16 = [0u8; 16];
                id16.copy_from_slice(&derived[..16]);
                let doc_meta = Meta {
                    command_id: delib_events::CommandId::from_uuid(uuid::Uuid::from_bytes(id16)),
                    fingerprint: None,
                    ..*meta
                };
                let title = Some("会议纪要".to_owned());
                let doc = self.attach(&doc_meta, &ballot, &minutes, title, false)?;
                let mut recorded = recorded;
                recorded.position = doc.position;
                recorded.events.extend(doc.events);
                Ok(receipt(recorded, false))
            }
            R::Attach {
                reference,
                file,
                title,
                private,
            } => Ok(receipt(
                self.attach(meta, &reference, &file, title, private)?,
                false,
            )),
            R::DocumentWithdraw(r) => r.submit(self, meta),
        }
    }

    fn proposal(
        &self,
        meta: &Meta,
        target: &str,
        build: impl FnOnce(&Self) -> Result<proposal::Command, AppError>,
    ) -> Result<Receipt, AppError> {
        let id = self.proposal_id(target)?;
        let cmd = build(self)?;
        Ok(receipt(self.record_proposal(meta, Some(id), cmd)?, false))
    }

    fn hearing(
        &self,
        meta: &Meta,
        target: &str,
        build: impl FnOnce(&Self) -> Result<hearing::Command, AppError>,
    ) -> Result<Receipt, AppError> {
        let id = self.hearing_id(target)?;
        let cmd = build(self)?;
        Ok(receipt(self.record_hearing(meta, Some(id), cmd)?, false))
    }

    fn consultation(
        &self,
        meta: &Meta,
        target: &str,
        build: impl FnOnce(&Self) -> Result<consultation::Command, AppError>,
    ) -> Result<Receipt, AppError> {
        let id = self.consultation_id(target)?;
        let cmd = build(self)?;
        let r = self.record_consultation(meta, Some(id), cmd)?;
        let commitment = r.events.iter().find_map(|e| match e {
            Event::Consultation(ConsultationEvent::CommitmentMade { commitment, .. })
            | Event::Consultation(ConsultationEvent::CommitmentFulfilled { commitment, .. }) => {
                Some(*commitment)
            }
            _ => None,
        });
        Ok(Receipt {
            recorded: r,
            created: false,
            extra: commitment.map(|n| ("commitment", n)),
            shares: Vec::new(),
        })
    }

    fn dispute(
        &self,
        meta: &Meta,
        target: &str,
        build: impl FnOnce(&Self) -> Result<dispute::Command, AppError>,
    ) -> Result<Receipt, AppError> {
        let id = self.dispute_id(target)?;
        let cmd = build(self)?;
        Ok(receipt(self.record_dispute(meta, Some(id), cmd)?, false))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::when::in_zone;
    use delib_events::ballot::{Ratio, Threshold};

    #[test]
    fn requests_read_the_cli_spellings() {
        let r: Request = serde_json::from_value(json!({
            "command": "ballot-open", "question": "Q", "options": ["yes", "no"],
            "voters": ["PER-1"], "quorum": "2/3", "threshold": "two-thirds", "secret": true
        }))
        .unwrap();
        match &r {
            Request::BallotOpen(open) => {
                assert_eq!(open.quorum.0, Ratio { num: 2, den: 3 });
                assert_eq!(open.threshold.0, Threshold::TwoThirds);
            }
            other => panic!("{other:?}"),
        }
        let back = serde_json::to_value(&r).unwrap();
        assert_eq!(back["threshold"], "two-thirds");
        let pledge: Request = serde_json::from_value(
            json!({"command": "pledge-make", "for": "PROP-1", "by": "ORG-1", "money": 240000}),
        )
        .unwrap();
        assert!(matches!(
            pledge,
            Request::PledgeMake(pledge_args::Make {
                money: Some(Yuan(24_000_000)),
                ..
            })
        ));
    }

    #[test]
    fn a_request_defined_once_for_the_cli_keeps_its_json_and_fingerprint() {
        // given the JSON the API has always taken for proposal commands (null for an absent option)
        let submit = json!({
            "command": "proposal-submit", "title": "Lights", "body": "None at night",
            "category": "infrastructure", "by": "PER-1", "community": null
        });
        let decide = json!({
            "command": "proposal-decide", "proposal": "PROP-1", "outcome": "adopted",
            "basis": "HEAR-1", "note": null
        });
        let pledge = json!({
            "command": "pledge-make", "for": "PROP-1", "by": "ORG-1", "money": "12.50",
            "labour_days": null, "expertise": null
        });
        // and the JSON of the commands the CLI once wrote twice (times placed in a zone, pairs,
        // files, and the commands matched by name elsewhere)
        let rest = [
            json!({"command": "person-add", "name": "Ann",
                "memberships": [{"org": "ORG-1", "role": "chair"}]}),
            json!({"command": "person-erase", "person": "PER-2"}),
            json!({"command": "proposal-assign", "proposal": "PROP-1", "to": "ORG-2",
                "due": "2024-12-30T16:00:00Z"}),
            json!({"command": "proposal-assign", "proposal": "PROP-1", "to": "ORG-2", "due": null}),
            json!({"command": "hearing-schedule", "topic": "T", "on": "2024-05-09T16:00:00Z",
                "venue": "hall", "presided_by": "ORG-1", "proposals": ["PROP-1"]}),
            json!({"command": "consultation-commit", "consultation": "CONS-1", "party": "ORG-2",
                "commitment": "do it", "due": null}),
            json!({"command": "consultation-commit", "consultation": "CONS-1", "party": "ORG-2",
                "commitment": "do it", "due": "2024-05-31T16:00:00.250000Z"}),
            json!({"command": "ballot-open", "question": "Q", "options": ["yes", "no"],
                "voters": ["PER-1"], "quorum": "1/2", "threshold": "majority", "secret": false,
                "proposal": null, "tellers": [], "share_out": null}),
            json!({"command": "ballot-open", "question": "Q", "options": ["yes", "no"],
                "voters": ["PER-1", "PER-2"], "quorum": "2/3", "threshold": "two-thirds",
                "secret": true, "proposal": "PROP-1", "tellers": ["PER-3"],
                "share_out": "/srv/shares"}),
            json!({"command": "ballot-open", "question": "Q", "options": ["yes", "no"],
                "voters": ["PER-1"], "quorum": "1/2", "threshold": "majority", "secret": false,
                "proposal": null, "tellers": [], "share_out": null, "in_person": true}),
            json!({"command": "ballot-close", "ballot": "BAL-1", "parts": []}),
            json!({"command": "ballot-record-result", "ballot": "BAL-2", "counts": ["yes=3"],
                "present": 5}),
            json!({"command": "ballot-record-result", "ballot": "BAL-2", "counts": ["yes=3"],
                "present": 5, "minutes": {"name": "m.pdf", "content": "aGk="}}),
            json!({"command": "dispute-file", "title": "D", "subject": "S",
                "parties": [{"org": "ORG-1", "side": "owners"}, {"org": "ORG-2", "side": " b"}]}),
            json!({"command": "dispute-negotiate", "dispute": "DISP-1", "presided_by": "ORG-1",
                "representatives": [{"person": "PER-1", "side": "owners"}]}),
            json!({"command": "correct", "reference": "PROP-1", "event": 13, "reason": "typo"}),
            json!({"command": "correct", "reference": "PROP-1", "event": 13,
                "set": ["title=New"], "reason": "typo"}),
            json!({"command": "void", "reference": "HEAR-2", "event": 18, "reason": "wrong"}),
            json!({"command": "attach", "reference": "PROP-1",
                "file": {"name": "a.txt", "content": "aGk="}, "title": null, "private": false}),
            json!({"command": "document-withdraw", "reference": "PROP-1", "event": 40,
                "reason": "r"}),
        ];
        for given in [submit, decide, pledge].into_iter().chain(rest) {
            // when it is read and written again
            let r: Request = serde_json::from_value(given.clone()).unwrap();
            // then it is the same JSON, so a command id's fingerprint is unchanged
            assert_eq!(serde_json::to_value(&r).unwrap(), given);
        }
    }

    /// The request a command line makes (words split at spaces, except inside '...'), its times
    /// placed in `zone` as the CLI places them.
    fn from_command_line(line: &str, zone: Zone) -> Request {
        use crate::cli::args::{
            BallotCommand as B, Command as C, ConsultationCommand as K, DisputeCommand as D,
            DocumentCommand, HearingCommand as H, PersonCommand, ProposalCommand,
        };
        use clap::Parser;
        let mut argv = vec![String::from("delib")];
        for (i, part) in line.split('\'').enumerate() {
            if i % 2 == 1 {
                argv.push(part.to_owned());
            } else {
                argv.extend(part.split_whitespace().map(str::to_owned));
            }
        }
        let cli = crate::cli::Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("{line}: {e}"));
        let mut request = match cli.command {
            C::Proposal(ProposalCommand::Assign(r)) => Request::ProposalAssign(r),
            C::Hearing(H::Schedule(r)) => Request::HearingSchedule(r),
            C::Consultation(K::Commit(r)) => Request::ConsultationCommit(r),
            C::Ballot(B::Open(r)) => Request::BallotOpen(r),
            C::Dispute(D::File(r)) => Request::DisputeFile(r),
            C::Dispute(D::Negotiate(r)) => Request::DisputeNegotiate(r),
            C::Person(PersonCommand::Erase(r)) => Request::PersonErase(r),
            C::Correct(r) => Request::Correct(r),
            C::Void(r) => Request::Void(r),
            C::Document(DocumentCommand::Withdraw(r)) => Request::DocumentWithdraw(r),
            other => panic!("not a converted command: {other:?}"),
        };
        for (_, time) in request.times_mut() {
            *time = Time::at(time.written().moment(zone).unwrap());
        }
        request
    }

    #[test]
    fn a_command_line_makes_the_json_the_api_takes() {
        // given a ledger in +08:00 and command lines of the commands defined once
        let zone = Zone::parse("+08:00").unwrap();
        let open = "ballot open --question Q --option yes no --voter PER-1 --quorum 1/2 \
                    --threshold majority";
        let cases = [
            (
                "proposal assign PROP-1 --to ORG-2 --due 2024-12-31",
                json!({"command": "proposal-assign", "proposal": "PROP-1", "to": "ORG-2",
                    "due": "2024-12-30T16:00:00Z"}),
            ),
            (
                "hearing schedule --topic T --on 2024-05-10 --venue hall --presided-by ORG-1 \
                 --proposal PROP-1",
                json!({"command": "hearing-schedule", "topic": "T", "on": "2024-05-09T16:00:00Z",
                    "venue": "hall", "presided_by": "ORG-1", "proposals": ["PROP-1"]}),
            ),
            (
                "consultation commit CONS-1 --party ORG-2 --commitment 'do it'",
                json!({"command": "consultation-commit", "consultation": "CONS-1",
                    "party": "ORG-2", "commitment": "do it", "due": null}),
            ),
            (
                "consultation commit CONS-1 --party ORG-2 --commitment 'do it' \
                 --due 2024-06-01T00:00:00.25+08:00",
                json!({"command": "consultation-commit", "consultation": "CONS-1",
                    "party": "ORG-2", "commitment": "do it", "due": "2024-05-31T16:00:00.250000Z"}),
            ),
            (
                open,
                json!({"command": "ballot-open", "question": "Q", "options": ["yes", "no"],
                    "voters": ["PER-1"], "quorum": "1/2", "threshold": "majority",
                    "secret": false, "proposal": null, "tellers": [], "share_out": null}),
            ),
            (
                "ballot open --question Q --option yes --option no --voter PER-1 --voter PER-2 \
                 --quorum 2/3 --threshold two-thirds --secret --proposal PROP-1 --teller PER-3 \
                 --share-out /srv/shares",
                json!({"command": "ballot-open", "question": "Q", "options": ["yes", "no"],
                    "voters": ["PER-1", "PER-2"], "quorum": "2/3", "threshold": "two-thirds",
                    "secret": true, "proposal": "PROP-1", "tellers": ["PER-3"],
                    "share_out": "/srv/shares"}),
            ),
            (
                &format!("{open} --in-person"),
                json!({"command": "ballot-open", "question": "Q", "options": ["yes", "no"],
                    "voters": ["PER-1"], "quorum": "1/2", "threshold": "majority",
                    "secret": false, "proposal": null, "tellers": [], "share_out": null,
                    "in_person": true}),
            ),
            (
                "dispute file --title D --subject S --party ORG-1=owners --party ' ORG-2 = b'",
                json!({"command": "dispute-file", "title": "D", "subject": "S", "parties": [
                    {"org": "ORG-1", "side": "owners"}, {"org": "ORG-2", "side": " b"}]}),
            ),
            (
                "dispute negotiate DISP-1 --presided-by ORG-1 --representative PER-1=owners",
                json!({"command": "dispute-negotiate", "dispute": "DISP-1",
                    "presided_by": "ORG-1",
                    "representatives": [{"person": "PER-1", "side": "owners"}]}),
            ),
            (
                "person erase PER-2",
                json!({"command": "person-erase", "person": "PER-2"}),
            ),
            (
                "correct PROP-1 --event 13 --reason typo",
                json!({"command": "correct", "reference": "PROP-1", "event": 13,
                    "reason": "typo"}),
            ),
            (
                "correct PROP-1 --event 13 --set title=New --reason typo",
                json!({"command": "correct", "reference": "PROP-1", "event": 13,
                    "set": ["title=New"], "reason": "typo"}),
            ),
            (
                "void HEAR-2 --event 18 --reason wrong",
                json!({"command": "void", "reference": "HEAR-2", "event": 18, "reason": "wrong"}),
            ),
            (
                "document withdraw PROP-1 --event 40 --reason r",
                json!({"command": "document-withdraw", "reference": "PROP-1", "event": 40,
                    "reason": "r"}),
            ),
        ];
        for (line, api) in cases {
            // when the CLI reads the command line and places its times
            let cli = from_command_line(line, zone);
            // then it is the request the API reads from its JSON, with the same JSON, so the
            // same command id fingerprint
            let read: Request = in_zone(zone, || serde_json::from_value(api.clone())).unwrap();
            assert_eq!(cli, read, "{line}");
            assert_eq!(serde_json::to_value(&cli).unwrap(), api, "{line}");
        }
    }

    #[test]
    fn a_time_not_yet_placed_is_placed_in_the_ledgers_zone_not_the_machines() {
        // given `--on 2024-05-10T09:30` as the command line reads it, on a ledger in -05:00
        let zone = Zone::parse("-05:00").unwrap();
        let line = "hearing schedule --topic T --on 2024-05-10T09:30 --venue v --presided-by ORG-1";
        let r = from_command_line(line, zone);
        // then it was placed in that zone, as JSON written in that zone is
        let api = json!({"command": "hearing-schedule", "topic": "T", "on": "2024-05-10T09:30",
            "venue": "v", "presided_by": "ORG-1"});
        let read: Request = in_zone(zone, || serde_json::from_value(api)).unwrap();
        assert_eq!(r, read);
        let Request::HearingSchedule(s) = r else {
            panic!("not a hearing")
        };
        assert_eq!(serde_json::to_value(s.on).unwrap(), "2024-05-10T14:30:00Z");
        // and a time not yet placed keeps its writing until it is placed in the ledger's zone
        let unplaced: Time = "2024-05-10".parse().unwrap();
        assert_eq!(serde_json::to_value(unplaced).unwrap(), "2024-05-10");
        assert_eq!(
            unplaced.moment(Zone::parse("+08:00").unwrap()).unwrap(),
            Timestamp::from_micros(1_715_270_400_000_000)
        );
    }

    #[test]
    fn unknown_fields_and_words_are_refused() {
        let extra = serde_json::from_value::<Request>(
            json!({"command": "proposal-admit", "proposal": "PROP-1", "bogus": 1}),
        );
        assert!(extra.is_err());
        let word = serde_json::from_value::<Request>(
            json!({"command": "org-add", "name": "X", "kind": "castle"}),
        );
        assert!(word.unwrap_err().to_string().contains("castle"));
    }
}
