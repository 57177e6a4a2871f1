//! The [`BallotResults`] projection (居民代表會議): electorate, turnout, quorum and, once closed, the
//! tally and result recorded by the ballot's closing event. `ballot show` and `ballot list`.
//!
//! **Secret ballots:** this projection never pairs a voter with a choice. It counts `BallotCast` events
//! for turnout and ignores `SecretChoiceRecorded` entirely (the tally comes from `BallotClosed`), so no
//! state, view, report or export built from it can show who chose what. Who chose what is kept only for
//! open ballots and shown (`votes`) only once they are closed.

use crate::directory::Directory;
use crate::pledges::{apply_correction, CorrectionRecord, CorrectionView};
use crate::projection::{advance, Projection};
use crate::time::rfc3339;
use delib_events::ballot::{BallotEvent, Ratio, Threshold};
use delib_events::{
    BallotId, Event, Metadata, PersonId, Position, ProposalId, RecordedEvent, StreamId, StreamKind,
    Timestamp,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a ballot is, spelled as in `CLI.md`: the domain's lifecycle, one definition for the rules
/// and this read model (its encoding is this projection's stored form).
pub use delib_domain::ballot::Status as BallotStatus;
use delib_domain::ballot::Tally;

/// The tally recorded at closing: the domain's [`Tally`] (one definition of a ballot's result) and
/// when it closed. Encoded as the tally's fields followed by the time, as it always was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyRecord {
    /// The counts, turnout, quorum and result.
    pub tally: Tally,
    /// When closed.
    pub at: Timestamp,
}

impl std::ops::Deref for TallyRecord {
    type Target = Tally;
    fn deref(&self) -> &Tally {
        &self.tally
    }
}

/// One ballot as folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotRecord {
    /// Its id.
    pub id: BallotId,
    /// Reference number.
    pub number: u64,
    /// The question.
    pub question: String,
    /// Options in order.
    pub options: Vec<String>,
    /// Size of the roll.
    pub electorate: u64,
    /// Quorum.
    pub quorum: Ratio,
    /// Threshold.
    pub threshold: Threshold,
    /// Whether secret.
    pub secret: bool,
    /// The proposal it decides.
    pub proposal: Option<ProposalId>,
    /// Where it is.
    pub status: BallotStatus,
    /// When opened.
    pub opened_at: Timestamp,
    /// Ballots cast so far.
    pub cast: u64,
    /// Open ballots only: who chose what, in order. Always empty for a secret ballot.
    pub votes: Vec<(PersonId, String)>,
    /// The tally, once closed.
    pub tally: Option<TallyRecord>,
    /// Corrections in its stream.
    pub corrections: Vec<CorrectionRecord>,
    /// An encrypted ballot's tellers (0 for the ledger's own share); `None` when not encrypted.
    pub tellers: Option<u64>,
    /// Taken in the room (现场表决): counted by the meeting, no casts.
    pub in_room: bool,
    /// A ballot taken in the room: the members present, once its counts are recorded.
    pub present: Option<u64>,
}

impl BallotRecord {
    /// What a list shows: the whole record (its views derive fields from all of it).
    pub fn row(&self) -> crate::projection::Row<Self> {
        crate::projection::Row::whole(self)
    }

    fn apply(&mut self, meta: &Metadata, event: &Event) {
        if let Event::Ballot(e) = event {
            if let Some(status) = BallotStatus::entered_by(e) {
                self.status = status;
            }
        }
        match event {
            Event::Ballot(e) => match e {
                BallotEvent::BallotOpened { .. } => {}
                BallotEvent::BallotCast { voter, choice } => {
                    self.cast += 1;
                    if let (false, Some(c)) = (self.secret, choice) {
                        self.votes.push((*voter, c.clone()));
                    }
                }
                // Deliberately ignored: see the module docs.
                BallotEvent::SecretChoiceRecorded { .. } => {}
                BallotEvent::ElectionKeyPublished { tellers, .. } => {
                    self.tellers =
                        Some(tellers.iter().filter(|t| t.person.is_some()).count() as u64);
                }
                BallotEvent::EncryptedBallotCast { .. } => self.cast += 1,
                BallotEvent::CastingEnded { .. } => {}
                BallotEvent::TallyDecrypted { .. } => {}
                BallotEvent::TakenInRoom => self.in_room = true,
                BallotEvent::RoomCountsRecorded { present, .. } => self.present = Some(*present),
                BallotEvent::BallotClosed {
                    counts,
                    cast,
                    electorate,
                    quorum_met,
                    result,
                } => {
                    self.tally = Some(TallyRecord {
                        tally: Tally {
                            counts: counts.clone(),
                            cast: *cast,
                            electorate: *electorate,
                            quorum_met: *quorum_met,
                            result: result.clone(),
                        },
                        at: meta.occurred_at,
                    });
                }
            },
            Event::Correction(e) => apply_correction(&mut self.corrections, meta, e),
            _ => {}
        }
    }

    /// When closed.
    pub fn closed_at(&self) -> Option<Timestamp> {
        self.tally.as_ref().map(|t| t.at)
    }

    /// The view, with references from `dir`.
    pub fn view(&self, dir: &Directory) -> BallotView {
        let (cast, electorate) = match &self.tally {
            Some(t) => (t.cast, t.electorate),
            None => (self.cast, self.electorate),
        };
        let quorum_met = match &self.tally {
            Some(t) => t.quorum_met,
            None => {
                self.quorum.den != 0
                    && u128::from(cast) * u128::from(self.quorum.den)
                        >= u128::from(self.quorum.num) * u128::from(electorate)
            }
        };
        let turnout = if electorate == 0 {
            0.0
        } else {
            crate::time::round4(cast as f64 / electorate as f64)
        };
        let closed_open_vote = self.tally.is_some() && !self.secret && !self.in_room;
        BallotView {
            reference: dir.name(self.id.stream_id()),
            status: self.status.as_str().to_owned(),
            question: self.question.clone(),
            options: self.options.clone(),
            secret: self.secret,
            quorum: self.quorum.to_string(),
            threshold: self.threshold.as_str().to_owned(),
            proposal: self.proposal.map(|p| dir.name(p.stream_id())),
            electorate,
            cast,
            turnout,
            quorum_met,
            counts: self.tally.as_ref().map(|t| {
                t.counts
                    .iter()
                    .map(|c| (c.option.clone(), c.count))
                    .collect()
            }),
            result: self.tally.as_ref().and_then(|t| t.result.clone()),
            opened_at: rfc3339(self.opened_at),
            closed_at: self.closed_at().map(rfc3339),
            votes: closed_open_vote.then(|| {
                self.votes
                    .iter()
                    .map(|(p, c)| (dir.person(*p), c.clone()))
                    .collect()
            }),
            corrections: self
                .corrections
                .iter()
                .map(CorrectionRecord::view)
                .collect(),
            scheme: match (self.secret, self.tellers) {
                _ if self.in_room => "in-room",
                (false, _) => "open",
                (true, None) => "sealed-urn",
                (true, Some(_)) => "encrypted",
            }
            .to_owned(),
            tellers: self.tellers,
            present: self.present,
        }
    }
}

/// `ballot show --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BallotView {
    /// `BAL-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// `open` or `closed`.
    pub status: String,
    /// The question.
    pub question: String,
    /// Options in the order offered.
    pub options: Vec<String>,
    /// Whether secret.
    pub secret: bool,
    /// Quorum as a fraction, e.g. `2/3`.
    pub quorum: String,
    /// `majority`, `two-thirds` or `unanimous`.
    pub threshold: String,
    /// The proposal it decides.
    pub proposal: Option<String>,
    /// Voters on the roll (a count).
    pub electorate: u64,
    /// Ballots cast (a count, abstentions included).
    pub cast: u64,
    /// `cast / electorate`, rounded to four decimals.
    pub turnout: f64,
    /// Whether turnout reaches the quorum (as recorded at closing; computed while open).
    pub quorum_met: bool,
    /// Option to count, only once closed (absent while open).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<BTreeMap<String, u64>>,
    /// The winning option, or null.
    pub result: Option<String>,
    /// When opened.
    pub opened_at: String,
    /// When closed.
    pub closed_at: Option<String>,
    /// Voter to choice: only for an open (not secret) ballot, only once closed; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub votes: Option<BTreeMap<String, String>>,
    /// Corrections.
    pub corrections: Vec<CorrectionView>,
    /// How it is taken: `open` (who chose what shown once closed), `encrypted` (secret, verifiable:
    /// `ballot verify`), `sealed-urn` (secret, recorded before encryption), or `in-room` (taken in
    /// the room, 现场表决: the counts the meeting took, no casts).
    pub scheme: String,
    /// An encrypted ballot's tellers (0: the ledger held the key until the close).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tellers: Option<u64>,
    /// A ballot taken in the room: the members present (its `cast` once closed); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub present: Option<u64>,
}

/// Every ballot, keyed by stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotResults {
    last_position: u64,
    #[serde(with = "crate::shared::arc_map")]
    ballots: crate::shared::Shared<StreamId, BallotRecord>,
}

impl Projection for BallotResults {
    const NAME: &'static str = "ballots";
    const VERSION: u32 = 4;

    fn apply(&mut self, event: &RecordedEvent) {
        if !advance(&mut self.last_position, event) {
            return;
        }
        let meta = &event.metadata;
        if meta.stream_kind != StreamKind::Ballot {
            return;
        }
        if let Event::Ballot(BallotEvent::BallotOpened {
            ballot,
            number,
            question,
            options,
            electorate,
            quorum,
            threshold,
            secret,
            proposal,
        }) = &event.event
        {
            self.ballots.entry(meta.stream_id).or_insert_with(|| {
                std::sync::Arc::new(BallotRecord {
                    id: *ballot,
                    number: *number,
                    question: question.clone(),
                    options: options.clone(),
                    electorate: electorate.len() as u64,
                    quorum: *quorum,
                    threshold: *threshold,
                    secret: *secret,
                    proposal: *proposal,
                    status: BallotStatus::Open,
                    opened_at: meta.occurred_at,
                    cast: 0,
                    votes: Vec::new(),
                    tally: None,
                    corrections: Vec::new(),
                    tellers: None,
                    in_room: false,
                    present: None,
                })
            });
        } else if let Some(r) = self.ballots.get_mut(&meta.stream_id) {
            std::sync::Arc::make_mut(r).apply(meta, &event.event);
        }
    }

    fn last_position(&self) -> Position {
        Position::new(self.last_position)
    }
}

record_accessors!(BallotResults, ballots, BallotRecord, BallotView, "ballot");
