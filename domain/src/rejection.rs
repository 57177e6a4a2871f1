//! Why a command is rejected. Every message is one line that names the rule.
//!
//! A rejection is a normal outcome of [`decide`](super::proposal::decide) functions, not a failure of
//! the system: callers record nothing, print the message as `error: ...` and exit with status 1.

use delib_events::{OrgId, PersonId, Position, ProposalId, Timestamp};

/// A command broke a rule of the domain. Nothing is recorded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    // ---- everywhere ----
    /// The stream holds no entity of this kind yet.
    #[error("rule: a {what} must exist before it can be acted on (unknown {what})")]
    NotFound {
        /// The kind of entity, e.g. "proposal".
        what: &'static str,
    },
    /// A creation command on a stream that already holds its entity.
    #[error("rule: a {what} is created once (this one already exists)")]
    AlreadyExists {
        /// The kind of entity.
        what: &'static str,
    },
    /// The reference number of a creation was 0.
    #[error("rule: reference numbers start at 1")]
    ZeroNumber,
    /// A required text is empty or blank.
    #[error("rule: the {field} must not be empty")]
    EmptyText {
        /// Which text.
        field: &'static str,
    },
    /// A text is longer than its limit.
    #[error("rule: the {field} is limited to {max} characters (it has {len})")]
    TooLong {
        /// Which text.
        field: &'static str,
        /// The limit, in characters.
        max: usize,
        /// The actual length.
        len: usize,
    },
    /// A list is longer than its limit.
    #[error("rule: at most {max} {field} (got {len})")]
    TooMany {
        /// Which list.
        field: &'static str,
        /// The limit.
        max: usize,
        /// The actual length.
        len: usize,
    },
    /// The act happened before the stream's last act.
    #[error("rule: acts in one stream must not go back in time (this act at {at} is earlier than the last one at {last})")]
    OutOfOrder {
        /// When this act happened.
        at: Timestamp,
        /// When the stream's last act happened.
        last: Timestamp,
    },
    /// The act is dated ahead of the ledger's clock by more than the allowed skew.
    #[error("rule: an act cannot lie in the future (this act at {at} is more than 5 minutes after now, {now})")]
    InTheFuture {
        /// When the act is said to have happened.
        at: Timestamp,
        /// The ledger's clock.
        now: Timestamp,
    },
    /// The act is dated before 1900.
    #[error("rule: an act cannot be dated before 1900 (this act at {at})")]
    BeforeEarliest {
        /// When the act is said to have happened.
        at: Timestamp,
    },
    /// An act dated before its entity existed.
    #[error("rule: an act cannot be earlier than its entity's creation (this act at {at} is earlier than the creation at {created})")]
    BeforeCreation {
        /// When this act happened.
        at: Timestamp,
        /// When the entity was created.
        created: Timestamp,
    },
    /// A late entry that would make a later act invalid.
    #[error("rule: a late entry must leave every later act valid (with it, the act at position {position} ({kind}) breaks: {rule})")]
    LateEntryContradicts {
        /// The later act's position.
        position: Position,
        /// Its kind, e.g. `proposal.completed`.
        kind: &'static str,
        /// The rule it would break.
        rule: Box<Rejection>,
    },
    /// A late entry before an act that cannot be decided again (a secret ballot's cast, say).
    #[error("rule: a late entry must leave every later act valid, and the act at position {position} ({kind}) cannot be checked again; record this act at or after its time")]
    LateEntryUnchecked {
        /// The later act's position.
        position: Position,
        /// Its kind.
        kind: &'static str,
    },
    /// A void of an act that a later act depends on.
    #[error("rule: an act that later acts depend on cannot be voided (the act at position {position} ({kind}) would break: {rule})")]
    VoidDependedOn {
        /// The later act's position.
        position: Position,
        /// Its kind.
        kind: &'static str,
        /// The rule it would break.
        rule: Box<Rejection>,
    },
    /// Deciding a recorded act again gives a different act.
    #[error("rule: the act would no longer be the same")]
    ActWouldDiffer,
    /// A person that is not registered (or has been erased).
    #[error("rule: {role} must be a registered person (unknown person {person})")]
    UnknownPerson {
        /// What the person was to be, e.g. "the author".
        role: &'static str,
        /// The id given.
        person: PersonId,
    },
    /// An organisation that is not registered.
    #[error("rule: {role} must be a registered organisation (unknown organisation {org})")]
    UnknownOrganisation {
        /// What the organisation was to be, e.g. "the pledger".
        role: &'static str,
        /// The id given.
        org: OrgId,
    },
    /// A proposal that does not exist.
    #[error("rule: a linked proposal must exist (unknown proposal {proposal})")]
    UnknownProposal {
        /// The id given.
        proposal: ProposalId,
    },
    /// A correction that points outside the stream.
    #[error("rule: a correction points at an earlier event of the same entity (position {position} is not one)")]
    NotInStream {
        /// The position given.
        position: Position,
    },
    /// A correction names a field the corrected event does not have, or names it twice.
    #[error("rule: a correction sets fields of the corrected act ({kind} has no correctable field {field:?}, or it was named twice)")]
    NotCorrectable {
        /// The field given.
        field: String,
        /// The corrected event's kind.
        kind: &'static str,
    },
    /// A corrected value that the original field's rule refuses.
    #[error("rule: a corrected value passes the same rules as the original (the {field} given is not valid)")]
    BadCorrectedValue {
        /// The field.
        field: String,
    },
    /// A correction that changes nothing.
    #[error("rule: a correction with --set changes at least one value")]
    NoChange,
    /// An act voided twice, or corrected after its void.
    #[error(
        "rule: a voided act is neither voided again nor corrected (position {position} is voided)"
    )]
    AlreadyVoided {
        /// The position.
        position: Position,
    },
    /// An organisation named as its own parent.
    #[error("rule: an organisation cannot be its own parent")]
    OwnParent,
    /// A person is erased once.
    #[error("rule: a person's data is erased once (already erased)")]
    AlreadyErased,

    // ---- proposal ----
    /// The author tried to co-sign.
    #[error("rule: co-signers are persons other than the author")]
    AuthorCosign,
    /// A person co-signed twice.
    #[error("rule: a person co-signs a proposal once (already co-signed)")]
    AlreadyCosigned,
    /// Co-signing after the proposal left submission or admission.
    #[error("rule: a proposal can be co-signed only before a decision (it is {status})")]
    CosignClosed {
        /// The proposal's status.
        status: &'static str,
    },
    /// Admit or return something that is not submitted.
    #[error("rule: a proposal can be admitted or returned only while submitted (it is {status})")]
    NotSubmitted {
        /// The proposal's status.
        status: &'static str,
    },
    /// Decide something that is not admitted.
    #[error("rule: a proposal can be decided only once admitted and undecided (it is {status})")]
    NotAdmitted {
        /// The proposal's status.
        status: &'static str,
    },
    /// The basis of a decision is not found.
    #[error("rule: a decision's basis must exist (unknown {basis})")]
    UnknownBasis {
        /// The basis as given.
        basis: String,
    },
    /// The basis of a decision is not concluded.
    #[error("rule: a decision's basis must be concluded: a closed hearing, an agreed or failed consultation, a closed ballot ({basis} is not)")]
    BasisNotConcluded {
        /// The basis as given.
        basis: String,
    },
    /// The decision contradicts the ballot it rests on.
    #[error("rule: a decision based on a ballot must agree with its result (adopted needs the first option to have won; it {won})")]
    BallotDisagrees {
        /// "won" or "did not win".
        won: &'static str,
    },
    /// Withdraw after a decision (or after return or withdrawal).
    #[error("rule: a proposal can be withdrawn only before a decision (it is {status})")]
    WithdrawAfterDecision {
        /// The proposal's status.
        status: &'static str,
    },
    /// Assign, progress or complete something not adopted.
    #[error(
        "rule: only an adopted proposal is assigned, progressed or completed (it is {status})"
    )]
    NotAdopted {
        /// The proposal's status.
        status: &'static str,
    },
    /// A percentage above 100.
    #[error("rule: progress is a percentage from 0 to 100 (got {0})")]
    ProgressOutOfRange(u8),
    /// Progress lower than the last report.
    #[error("rule: progress never goes backwards (from {from}% to {to}%)")]
    ProgressBackwards {
        /// The last reported progress.
        from: u8,
        /// The requested progress.
        to: u8,
    },

    // ---- hearing ----
    /// Register after the hearing closed or was cancelled.
    #[error("rule: participants register before or during a hearing (it is {status})")]
    RegistrationClosed {
        /// The hearing's status.
        status: &'static str,
    },
    /// A person registered twice.
    #[error("rule: a person registers for a hearing once (already registered)")]
    AlreadyRegistered,
    /// Open a hearing that is not scheduled.
    #[error("rule: a hearing can be opened only while scheduled (it is {status})")]
    NotScheduled {
        /// The hearing's status.
        status: &'static str,
    },
    /// A statement or closing while not open.
    #[error("rule: statements are recorded and a hearing is closed only while it is open (it is {status})")]
    HearingNotOpen {
        /// The hearing's status.
        status: &'static str,
    },
    /// A statement by someone not registered.
    #[error(
        "rule: only registered participants make statements (person {person} is not registered)"
    )]
    NotRegistered {
        /// The speaker.
        person: PersonId,
    },
    /// Anything after close or cancel.
    #[error("rule: a cancelled or closed hearing takes nothing more (it is {status})")]
    HearingOver {
        /// The hearing's status.
        status: &'static str,
    },

    // ---- consultation ----
    /// Fewer than two distinct parties.
    #[error("rule: a consultation is convened between at least two distinct parties")]
    TooFewParties,
    /// An organisation that is not a party.
    #[error(
        "rule: only a party of the consultation can {act} (organisation {org} is not a party)"
    )]
    NotAParty {
        /// What it tried: "state a position", "commit".
        act: &'static str,
        /// The organisation.
        org: OrgId,
    },
    /// Agree, fail or state positions after the consultation concluded.
    #[error("rule: a consultation is agreed or failed once, and takes positions only before (it is {status})")]
    ConsultationConcluded {
        /// The consultation's status.
        status: &'static str,
    },
    /// An agreement without terms.
    #[error("rule: an agreement has at least one term")]
    NoTerms,
    /// A commitment before (or without) agreement.
    #[error("rule: commitments are made only after an agreement (it is {status})")]
    NotAgreed {
        /// The consultation's status.
        status: &'static str,
    },
    /// A commitment number that does not exist.
    #[error("rule: only a recorded commitment can be fulfilled (no commitment {0})")]
    UnknownCommitment(u64),
    /// A commitment fulfilled twice.
    #[error("rule: a commitment is fulfilled at most once (commitment {0} already is)")]
    CommitmentFulfilled(u64),

    // ---- ballot ----
    /// Fewer than two options.
    #[error("rule: a ballot offers at least two options")]
    TooFewOptions,
    /// The same option twice.
    #[error("rule: a ballot's options are distinct (`{0}` is offered twice)")]
    DuplicateOption(String),
    /// A quorum outside (0, 1].
    #[error("rule: the quorum is a fraction greater than 0 and at most 1 (got {0})")]
    QuorumOutOfRange(String),
    /// An empty roll.
    #[error("rule: a ballot's electorate has at least one voter")]
    EmptyElectorate,
    /// The same voter twice on the roll.
    #[error("rule: each voter is on the roll once (person {0} is listed twice)")]
    DuplicateVoter(PersonId),
    /// Cast or close while not open.
    #[error(
        "rule: ballots are cast and a ballot is closed only while it is open (it is {status})"
    )]
    BallotNotOpen {
        /// The ballot's status.
        status: &'static str,
    },
    /// A voter not on the roll.
    #[error("rule: only a voter on the roll casts a ballot (person {0} is not on it)")]
    NotOnRoll(PersonId),
    /// A voter cast twice.
    #[error("rule: each voter casts once (person {0} already has)")]
    AlreadyVoted(PersonId),
    /// Closing a secret ballot whose sealed urn does not hold one choice per recorded cast (a cast
    /// recorded meanwhile by another writer): read the urn again and retry.
    #[error("rule: a secret ballot closes with one sealed choice per cast ({cast} cast, {sealed} in the urn); try again")]
    UrnIncomplete {
        /// Casts recorded.
        cast: u64,
        /// Choices in the urn.
        sealed: u64,
    },
    /// A choice that is not offered.
    #[error("rule: a ballot is cast for an offered option (`{0}` is not one)")]
    NotAnOption(String),
    /// A secret ballot opened without an election key.
    #[error("rule: a secret ballot is encrypted under an election key held by its tellers (or by the ledger until the close)")]
    SecretBallotNeedsTellers,
    /// Tellers named for an open (not secret) ballot.
    #[error("rule: only a secret ballot has tellers")]
    TellersOnOpenBallot,
    /// A teller named twice.
    #[error("rule: each teller holds one share (person {0} is named twice)")]
    DuplicateTeller(PersonId),
    /// An election key whose shares or proofs do not verify.
    #[error("rule: the election key must verify: {0}")]
    InvalidElectionKey(String),
    /// An encrypted vote whose proofs do not verify.
    #[error("rule: an encrypted vote must prove that it holds exactly one choice: {0}")]
    InvalidVote(String),
    /// A plain cast or close on an encrypted ballot, or an encrypted one on another ballot.
    #[error("rule: {0}")]
    WrongBallotScheme(&'static str),
    /// Closing a tellers' ballot before casting ended, or without every teller's decryption.
    #[error("rule: {0}")]
    TellersNeeded(String),
    /// A partial decryption that does not verify.
    #[error("rule: every teller's partial decryption must verify: {0}")]
    InvalidDecryption(String),
    /// A cast or a close on a ballot taken in the room, or room counts for a ballot that is not.
    #[error("rule: {0}")]
    InRoomOnly(&'static str),
    /// Room counts that name an option the ballot does not offer, or leave one out.
    #[error("rule: the counts taken in the room give every offered option once (`{0}` {1})")]
    RoomCountOption(String, &'static str),
    /// More hands than members present.
    #[error("rule: the counts taken in the room add up to at most the members present ({counted} counted, {present} present)")]
    MoreCountedThanPresent {
        /// The sum of the counts.
        counted: u64,
        /// Members present.
        present: u64,
    },
    /// More members present than the electorate.
    #[error("rule: the members present are at most the electorate ({present} present, {electorate} on the roll)")]
    MorePresentThanElectorate {
        /// Members present.
        present: u64,
        /// Voters on the roll.
        electorate: u64,
    },

    // ---- documents ----
    /// An empty file.
    #[error("rule: a document has content (the file is empty)")]
    EmptyDocument,
    /// The same file attached to the entity before.
    #[error("rule: a file is attached to an entity once (sha256 {0} already is)")]
    DocumentOnFile(String),
    /// A withdrawal that names no attachment of this entity.
    #[error(
        "rule: only a document attached to this entity is withdrawn (position {0} is not one)"
    )]
    NotADocument(Position),
    /// A document withdrawn twice.
    #[error("rule: a document is withdrawn once (the one at position {0} already is)")]
    DocumentGone(Position),

    // ---- dispute ----
    /// Parties on fewer than two sides.
    #[error("rule: a dispute has at least two parties on at least two sides")]
    TooFewSides,
    /// The same organisation twice among the parties.
    #[error("rule: each organisation is a party once (organisation {0} is listed twice)")]
    DuplicateParty(OrgId),
    /// A side that is not one of the dispute's.
    #[error("rule: a representative speaks for a side of the dispute (`{0}` is not one)")]
    UnknownSide(String),
    /// Negotiation with fewer than two sides represented.
    #[error("rule: a negotiation hears representatives of at least two sides")]
    TooFewRepresentedSides,
    /// Mediate, escalate, negotiate, resolve or withdraw when no longer unresolved.
    #[error("rule: mediation, escalation, negotiation, resolution and withdrawal happen only while a dispute is unresolved (it is {status})")]
    DisputeNotOpen {
        /// The dispute's status.
        status: &'static str,
    },
    /// Implement before resolution (or twice).
    #[error("rule: a resolution is implemented only after it is reached, once (it is {status})")]
    NotResolved {
        /// The dispute's status.
        status: &'static str,
    },
    /// Close before implementation or withdrawal.
    #[error("rule: a dispute is closed only after implementation or withdrawal (it is {status})")]
    CloseTooEarly {
        /// The dispute's status.
        status: &'static str,
    },
    /// Anything after close.
    #[error("rule: a closed dispute takes nothing more")]
    DisputeClosed,

    // ---- pledge ----
    /// A pledge of zero money or zero days.
    #[error("rule: a pledge is of money > 0, labour days > 0 or non-empty expertise")]
    EmptyPledge,
    /// A pledge number that does not exist.
    #[error("rule: only a recorded pledge can be fulfilled (no pledge {0})")]
    UnknownPledge(u64),
    /// A pledge fulfilled twice.
    #[error("rule: a pledge is fulfilled at most once (pledge {0} already is)")]
    PledgeFulfilled(u64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_one_line_naming_the_rule() {
        let samples = [
            Rejection::NotFound { what: "proposal" },
            Rejection::OutOfOrder {
                at: Timestamp::from_micros(1),
                last: Timestamp::from_micros(2),
            },
            Rejection::NotSubmitted { status: "adopted" },
            Rejection::BallotDisagrees { won: "did not win" },
            Rejection::QuorumOutOfRange("0/1".into()),
            Rejection::DisputeClosed,
            Rejection::PledgeFulfilled(1),
        ];
        for r in samples {
            let m = r.to_string();
            assert!(m.starts_with("rule: ") && !m.contains('\n'), "{m}");
        }
        assert_eq!(
            Rejection::NotSubmitted { status: "adopted" }.to_string(),
            "rule: a proposal can be admitted or returned only while submitted (it is adopted)"
        );
    }
}
