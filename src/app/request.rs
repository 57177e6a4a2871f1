//! The one command model shared by the command line and the HTTP API: a [`Request`] names every
//! recording command of `CLI.md` with its arguments spelled as users type them (references such as
//! `PROP-3` or full UUIDs, the CLI's words such as `party-committee`, times as `YYYY-MM-DD` or RFC
//! 3339, money in yuan). [`LedgerService::submit`] resolves the references, builds the domain
//! command and records it through the per-kind `record_*` functions, so the rules live once.
//!
//! As JSON a request is an object tagged by `command` (`"proposal-cosign"`, the CLI's words joined
//! by a hyphen) with snake_case fields: `{"command": "proposal-cosign", "proposal": "PROP-1", "by":
//! "PER-2"}`. Unknown fields are refused.

use super::retry::Recorded;
use super::{AppError, LedgerService, Meta};
use crate::domain::correction::{self, Correct};
use crate::domain::{ballot, consultation, dispute, hearing, proposal};
use delib_events::ballot::{Ratio, Threshold};
use delib_events::consultation::ConsultationEvent;
use delib_events::dispute::{DisputeParty, SideRepresentative};
use delib_events::person::{Membership, PersonRole};

use delib_events::{Event, Position, Timestamp};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Map, Value};
use std::fmt::Display;
use std::str::FromStr;

#[path = "request_consultation.rs"]
pub mod consultation_args;
#[path = "request_dispute.rs"]
pub mod dispute_args;
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

/// A moment, as `--at`/`--on`/`--due` accept it: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (in the zone
/// set with [`super::when::in_zone`], the ledger's when the server parses a request; the machine's
/// otherwise) or RFC 3339. Serialized as RFC 3339.
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
        super::when::Written::parse(&s)
            .and_then(|w| w.moment(super::when::zone_of_thread()))
            .map(When)
            .map_err(serde::de::Error::custom)
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

/// `--party ORG=side`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartySide {
    /// The organisation (ORG-n or UUID).
    pub org: String,
    /// The side's label.
    pub side: String,
}

/// `--representative PER=side`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepresentativeSide {
    /// The person (PER-n or UUID).
    pub person: String,
    /// The side they speak for.
    pub side: String,
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
    PersonErase {
        person: String,
    },
    ProposalSubmit(proposal_args::Submit),
    ProposalCosign(proposal_args::Cosign),
    ProposalAdmit(proposal_args::Admit),
    ProposalReturn(proposal_args::Return),
    ProposalWithdraw(proposal_args::Withdraw),
    ProposalDecide(proposal_args::Decide),
    ProposalAssign {
        proposal: String,
        to: String,
        #[serde(default)]
        due: Option<When>,
    },
    ProposalProgress(proposal_args::Progress),
    ProposalComplete(proposal_args::Complete),
    PledgeMake(pledge_args::Make),
    PledgeFulfil(pledge_args::Fulfil),
    HearingSchedule {
        topic: String,
        on: When,
        venue: String,
        presided_by: String,
        #[serde(default)]
        proposals: Vec<String>,
    },
    HearingRegister(hearing_args::Register),
    HearingOpen(hearing_args::Open),
    HearingStatement(hearing_args::Statement),
    HearingClose(hearing_args::Close),
    HearingCancel(hearing_args::Cancel),
    ConsultationConvene(consultation_args::Convene),
    ConsultationPosition(consultation_args::Position),
    ConsultationAgree(consultation_args::Agree),
    ConsultationFail(consultation_args::Fail),
    ConsultationCommit {
        consultation: String,
        party: String,
        commitment: String,
        #[serde(default)]
        due: Option<When>,
    },
    ConsultationFulfil(consultation_args::Fulfil),
    BallotOpen {
        question: String,
        options: Vec<String>,
        voters: Vec<String>,
        quorum: Word<Ratio>,
        threshold: Word<Threshold>,
        #[serde(default)]
        secret: bool,
        #[serde(default)]
        proposal: Option<String>,
        /// A secret ballot's tellers (`PER-n`), each given a share of the election key; none: the
        /// ledger holds the key until the close.
        #[serde(default)]
        tellers: Vec<String>,
        /// Where the tellers' share files are written (outside the data directory).
        #[serde(default)]
        share_out: Option<std::path::PathBuf>,
        /// Taken in the room (a show of hands, 现场表决): no casts; `ballot record-result` records
        /// the counts. Left out of the JSON when false, so earlier commands keep their fingerprint.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        in_person: bool,
    },
    BallotCast(register_args::BallotCast),
    BallotClose {
        ballot: String,
        /// An encrypted ballot with tellers: every teller's partial decryption.
        #[serde(default)]
        parts: Vec<delib_events::election::PartialDecryption>,
    },
    DisputeFile {
        title: String,
        subject: String,
        parties: Vec<PartySide>,
    },
    DisputeMediate(dispute_args::Mediate),
    DisputeEscalate(dispute_args::Escalate),
    DisputeNegotiate {
        dispute: String,
        presided_by: String,
        representatives: Vec<RepresentativeSide>,
    },
    DisputeResolve(dispute_args::Resolve),
    DisputeImplement(dispute_args::Implement),
    DisputeClose(dispute_args::Close),
    DisputeWithdraw(dispute_args::Withdraw),
    Correct {
        reference: String,
        event: u64,
        /// `FIELD=VALUE` corrected values; none: the correction is only noted.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        set: Vec<String>,
        reason: String,
    },
    Void {
        reference: String,
        event: u64,
        reason: String,
    },
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
    /// `delib document withdraw REF --event N --reason R`: the file is deleted, its hash kept.
    DocumentWithdraw {
        reference: String,
        event: u64,
        reason: String,
    },
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
            R::PersonErase { person } => {
                let id = self.person_id(&person)?;
                Ok(receipt(self.record_person_erase(meta, id)?, false))
            }
            R::ProposalSubmit(r) => r.submit(self, meta),
            R::ProposalCosign(r) => r.submit(self, meta),
            R::ProposalAdmit(r) => r.submit(self, meta),
            R::ProposalReturn(r) => r.submit(self, meta),
            R::ProposalWithdraw(r) => r.submit(self, meta),
            R::ProposalDecide(r) => r.submit(self, meta),
            R::ProposalAssign { proposal, to, due } => self.proposal(meta, &proposal, |s| {
                Ok(proposal::Command::Assign {
                    to: s.org_id(&to)?,
                    due: due.map(|w| w.0),
                })
            }),
            R::ProposalProgress(r) => r.submit(self, meta),
            R::ProposalComplete(r) => r.submit(self, meta),
            R::PledgeMake(r) => r.submit(self, meta),
            R::PledgeFulfil(r) => r.submit(self, meta),
            R::HearingSchedule {
                topic,
                on,
                venue,
                presided_by,
                proposals,
            } => {
                let cmd = hearing::Command::Schedule {
                    topic,
                    on: on.0,
                    venue,
                    presided_by: self.org_id(&presided_by)?,
                    proposals: self.many(&proposals, Self::proposal_id)?,
                };
                Ok(receipt(self.record_hearing(meta, None, cmd)?, true))
            }
            R::HearingRegister(r) => r.submit(self, meta),
            R::HearingOpen(r) => r.submit(self, meta),
            R::HearingStatement(r) => r.submit(self, meta),
            R::HearingClose(r) => r.submit(self, meta),
            R::HearingCancel(r) => r.submit(self, meta),
            R::ConsultationConvene(r) => r.submit(self, meta),
            R::ConsultationPosition(r) => r.submit(self, meta),
            R::ConsultationAgree(r) => r.submit(self, meta),
            R::ConsultationFail(r) => r.submit(self, meta),
            R::ConsultationCommit {
                consultation,
                party,
                commitment,
                due,
            } => self.consultation(meta, &consultation, |s| {
                Ok(consultation::Command::Commit {
                    party: s.org_id(&party)?,
                    text: commitment,
                    due: due.map(|w| w.0),
                })
            }),
            R::ConsultationFulfil(r) => r.submit(self, meta),
            R::BallotOpen {
                question,
                options,
                voters,
                quorum,
                threshold,
                secret,
                proposal,
                tellers,
                share_out,
                in_person,
            } => {
                let electorate = self.many(&voters, Self::person_id)?;
                let proposal = self.opt(proposal.as_deref(), Self::proposal_id)?;
                if in_person {
                    if secret || !tellers.is_empty() {
                        return Err(delib_domain::Rejection::InRoomOnly(
                            "a ballot taken in the room is a show of hands: it is not secret and has no tellers",
                        )
                        .into());
                    }
                    let cmd = ballot::Command::OpenInRoom {
                        question,
                        options,
                        electorate,
                        quorum: quorum.0,
                        threshold: threshold.0,
                        proposal,
                    };
                    return Ok(receipt(self.record_ballot(meta, None, cmd, &[])?, true));
                }
                let cmd = ballot::Command::Open {
                    question,
                    options,
                    electorate: electorate.clone(),
                    quorum: quorum.0,
                    threshold: threshold.0,
                    secret,
                    proposal,
                    tellers: vec![],
                };
                if !secret {
                    if !tellers.is_empty() {
                        return Err(delib_domain::Rejection::TellersOnOpenBallot.into());
                    }
                    return Ok(receipt(self.record_ballot(meta, None, cmd, &[])?, true));
                }
                let tellers = tellers
                    .iter()
                    .map(|t| Ok((self.person_id(t)?, t.clone())))
                    .collect::<Result<Vec<_>, AppError>>()?;
                let persons: Vec<_> = electorate
                    .iter()
                    .copied()
                    .chain(tellers.iter().map(|(p, _)| *p))
                    .collect();
                let ctx = self.context(&persons, &[], proposal.as_slice())?;
                let (recorded, shares) =
                    self.open_encrypted(meta, cmd, tellers, share_out.as_deref(), ctx)?;
                let mut r = receipt(recorded, true);
                r.shares = shares;
                Ok(r)
            }
            R::BallotCast(r) => r.submit(self, meta),
            R::BallotClose { ballot, parts } => {
                let id = self.ballot_id(&ballot)?;
                Ok(receipt(
                    self.record_ballot(meta, Some(id), ballot::Command::Close, &parts)?,
                    false,
                ))
            }
            R::DisputeFile {
                title,
                subject,
                parties,
            } => {
                let parties = parties
                    .iter()
                    .map(|p| {
                        Ok(DisputeParty {
                            org: self.org_id(&p.org)?,
                            side: p.side.clone(),
                        })
                    })
                    .collect::<Result<Vec<_>, AppError>>()?;
                let cmd = dispute::Command::File {
                    title,
                    subject,
                    parties,
                };
                Ok(receipt(self.record_dispute(meta, None, cmd)?, true))
            }
            R::DisputeMediate(r) => r.submit(self, meta),
            R::DisputeEscalate(r) => r.submit(self, meta),
            R::DisputeNegotiate {
                dispute,
                presided_by,
                representatives,
            } => self.dispute(meta, &dispute, |s| {
                let representatives = representatives
                    .iter()
                    .map(|r| {
                        Ok(SideRepresentative {
                            person: s.person_id(&r.person)?,
                            side: r.side.clone(),
                        })
                    })
                    .collect::<Result<Vec<_>, AppError>>()?;
                Ok(dispute::Command::Negotiate {
                    presided_by: s.org_id(&presided_by)?,
                    representatives,
                })
            }),
            R::DisputeResolve(r) => r.submit(self, meta),
            R::DisputeImplement(r) => r.submit(self, meta),
            R::DisputeClose(r) => r.submit(self, meta),
            R::DisputeWithdraw(r) => r.submit(self, meta),
            R::Correct {
                reference,
                event,
                set,
                reason,
            } => {
                let cmd = if set.is_empty() {
                    correction::Command::Note(Correct {
                        corrected: Position::new(event),
                        reason,
                    })
                } else {
                    let mut pairs = Vec::with_capacity(set.len());
                    for s in set {
                        let Some((f, v)) = s.split_once('=') else {
                            return Err(AppError::BadValue(format!(
                                "--set takes FIELD=VALUE (got {:?})",
                                s.chars().take(40).collect::<String>()
                            )));
                        };
                        pairs.push((f.trim().to_owned(), v.to_owned()));
                    }
                    correction::Command::Amend {
                        corrected: Position::new(event),
                        set: pairs,
                        reason,
                    }
                };
                Ok(Receipt {
                    recorded: self.record_correction(meta, &reference, cmd)?,
                    created: false,
                    extra: Some(("corrects", event)),
                    shares: Vec::new(),
                })
            }
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
            R::DocumentWithdraw {
                reference,
                event,
                reason,
            } => Ok(Receipt {
                recorded: self.withdraw_document(meta, &reference, event, reason)?,
                created: false,
                extra: Some(("withdraws", event)),
                shares: Vec::new(),
            }),
            R::Void {
                reference,
                event,
                reason,
            } => {
                let cmd = correction::Command::Void {
                    voided: Position::new(event),
                    reason,
                };
                Ok(Receipt {
                    recorded: self.record_correction(meta, &reference, cmd)?,
                    created: false,
                    extra: Some(("voids", event)),
                    shares: Vec::new(),
                })
            }
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

    #[test]
    fn requests_read_the_cli_spellings() {
        let r: Request = serde_json::from_value(json!({
            "command": "ballot-open", "question": "Q", "options": ["yes", "no"],
            "voters": ["PER-1"], "quorum": "2/3", "threshold": "two-thirds", "secret": true
        }))
        .unwrap();
        match &r {
            Request::BallotOpen {
                quorum, threshold, ..
            } => {
                assert_eq!(quorum.0, Ratio { num: 2, den: 3 });
                assert_eq!(threshold.0, Threshold::TwoThirds);
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
