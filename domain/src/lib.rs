//! The pure domain: for each kind of entity a `State`, a `Command` enum, and
//!
//! ```text
//! decide(&State, Command, &Context) -> Result<Vec<Event>, Rejection>   // checks the rules
//! apply(State, &Event) -> State                                        // folds one event
//! ```
//!
//! **Architecture Invariant:** nothing here does I/O, reads a clock or draws randomness. Everything a
//! rule needs from outside the entity's own stream (the time of the act, the new entity's id and
//! reference number, which persons and organisations exist, whether a decision's basis is concluded)
//! is looked up by the application layer and passed in a [`Context`], as plain data.
//!
//! Streams also hold events of other kinds: pledges ([`pledge`]) live in the stream of their proposal,
//! consultation or dispute, and corrections ([`correction`]) in any stream. Each kind's `evolve` folds a
//! top-level [`Event`] and takes care of both.

/// Implements [`Aggregate`] for a kind whose module has `State` (with a `status` that says whether
/// the entity exists, see [`Created`], and `corrections`), `Command`, `decide` and `evolve`.
macro_rules! aggregate {
    ($(#[$doc:meta])* $name:ident, $what:literal, $event:ty) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;

        impl $crate::Aggregate for $name {
            const WHAT: &'static str = $what;
            type State = State;
            type Command = Command;
            type Event = $event;

            fn decide(
                state: &State,
                cmd: Command,
                ctx: &$crate::Context,
            ) -> Result<Vec<$event>, $crate::Rejection> {
                decide(state, cmd, ctx)
            }
            fn evolve(state: State, event: &delib_events::Event) -> State {
                evolve(state, event)
            }
            fn exists(state: &State) -> bool {
                $crate::Created::created(&state.status)
            }
            fn corrections(state: &State) -> &[$crate::correction::Correction] {
                &state.corrections
            }
            fn recheck(
                state: &State,
                event: &delib_events::Event,
                ctx: &$crate::Context,
            ) -> Option<Result<(), $crate::Rejection>> {
                recheck(state, event, ctx)
            }
            fn renumber(latest: &State, event: $event) -> $event {
                renumber(latest, event)
            }
        }
    };
}

pub mod ballot;
pub mod ballot_verify;
pub mod consultation;
pub mod correction;
pub mod dispute;
pub mod document;
pub mod hearing;
pub mod late;
pub mod organisation;
pub mod person;
pub mod pledge;
pub mod proposal;
mod rejection;
#[cfg(test)]
pub(crate) mod testing;
pub mod time_rules;

pub use rejection::Rejection;

/// Whether a state's `status` says the entity has been created. The kinds whose lifecycle the read
/// models share (proposals, hearings, consultations, ballots, disputes) keep `Option<Status>`: their
/// `Status` is the lifecycle of an entity that exists, and `None` is "not created". Persons and
/// organisations keep a status of their own with an `Absent` variant.
pub(crate) trait Created {
    /// Whether the entity exists.
    fn created(&self) -> bool;
}

impl<S> Created for Option<S> {
    fn created(&self) -> bool {
        self.is_some()
    }
}

use delib_events::proposal::Basis;
use delib_events::{Event, OrgId, PersonId, Position, ProposalId, StreamId, Timestamp};
use std::collections::BTreeSet;

/// Longest title, name, topic, venue, question, option or side label, in characters.
pub const TITLE_MAX: usize = 200;
/// Longest free text (body, statement, findings, reason, note, term), in characters.
pub const TEXT_MAX: usize = 10_000;
/// Most entries in a short list (options, parties, terms, linked proposals, memberships).
pub const LIST_MAX: usize = 200;
/// Most voters on a ballot's roll.
pub const ELECTORATE_MAX: usize = 20_000;

/// Facts about the basis of a proposal decision, looked up by the application layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BasisFacts {
    /// The basis these facts are about (must be the one the command names).
    pub basis: Basis,
    /// A closed hearing, an agreed or failed consultation, a closed ballot.
    pub concluded: bool,
    /// For a closed ballot: whether its first option is the result. Ignored for other bases.
    pub first_option_won: bool,
}

impl BasisFacts {
    /// The facts about a hearing as a basis: concluded when closed. `None` when it does not exist.
    pub fn hearing(id: delib_events::HearingId, state: &hearing::State) -> Option<Self> {
        state.status.map(|status| Self {
            basis: Basis::Hearing(id),
            concluded: status == hearing::Status::Closed,
            first_option_won: false,
        })
    }

    /// The facts about a consultation as a basis: concluded when agreed or failed.
    pub fn consultation(
        id: delib_events::ConsultationId,
        state: &consultation::State,
    ) -> Option<Self> {
        state.status.map(|status| Self {
            basis: Basis::Consultation(id),
            concluded: status.is_concluded(),
            first_option_won: false,
        })
    }

    /// The facts about a ballot as a basis: concluded when closed; whether its first option won.
    pub fn ballot(id: delib_events::BallotId, state: &ballot::State) -> Option<Self> {
        state.status.map(|status| Self {
            basis: Basis::Ballot(id),
            concluded: status == ballot::Status::Closed,
            first_option_won: state.first_option_won(),
        })
    }
}

/// What `decide` knows besides the entity's own state: injected facts, never fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    /// When the act happened (`--at`, default now).
    pub occurred_at: Timestamp,
    /// The ledger's clock when the command is decided ([`time_rules`]: acts may not lie ahead of it).
    pub now: Timestamp,
    /// When the stream's last act before this one happened (`None` for a new stream). An act earlier
    /// than the stream's latest goes through [`late::decide`], which sets this to the last act before it.
    pub last_occurred_at: Option<Timestamp>,
    /// The stream the command is decided on; for a creation, the new entity's id.
    pub stream: StreamId,
    /// The reference number allocated for a creation (`PROP-n`); ignored by other commands.
    pub number: u64,
    /// Persons named by the command that exist and are not erased.
    pub persons: BTreeSet<PersonId>,
    /// Organisations named by the command that exist.
    pub orgs: BTreeSet<OrgId>,
    /// Proposals named by the command (`--proposal`) that exist.
    pub proposals: BTreeSet<ProposalId>,
    /// For `proposal decide`: facts about the basis named.
    pub basis: Option<BasisFacts>,
    /// For `correct`: the global positions of the events of this stream (shared with the fold that
    /// holds them, so a command on a long stream does not copy them).
    pub stream_positions: std::sync::Arc<BTreeSet<Position>>,
    /// For `correct --set`: the corrected event, at its position (looked up by the application).
    pub corrected_event: Option<(Position, Event)>,
    /// For closing a secret ballot: the choices in its sealed urn (kept outside the log until the
    /// close, so that no event links a voter to a choice). `None` for every other command.
    pub sealed_choices: Option<Vec<String>>,
    /// The ledger's origin (its checkpoint name), which an encrypted ballot's proofs are bound to.
    pub ledger: String,
    /// Deciding a recorded act again ([`late::decide`]): the other entities it names were checked when
    /// it was recorded, so the `known_*` checks pass; only the stream's own rules are re-checked.
    pub rechecking: bool,
}

impl Context {
    /// A context for an act at `occurred_at` on `stream`, with no known entities, decided at that
    /// same time (set [`Context::now`] to the ledger's clock when they differ).
    pub fn new(stream: StreamId, occurred_at: Timestamp) -> Self {
        Self {
            occurred_at,
            now: occurred_at,
            last_occurred_at: None,
            stream,
            number: 0,
            persons: BTreeSet::new(),
            orgs: BTreeSet::new(),
            proposals: BTreeSet::new(),
            basis: None,
            stream_positions: std::sync::Arc::default(),
            corrected_event: None,
            sealed_choices: None,
            ledger: String::new(),
            rechecking: false,
        }
    }
    /// This context, for deciding a recorded act again (see [`Context::rechecking`]).
    pub fn rechecking(mut self) -> Self {
        self.rechecking = true;
        self
    }
    /// Sets when the stream's last act happened.
    pub fn after(mut self, last: Timestamp) -> Self {
        self.last_occurred_at = Some(last);
        self
    }
    /// Sets the reference number of a creation.
    pub fn numbered(mut self, number: u64) -> Self {
        self.number = number;
        self
    }
    /// Declares that a person exists.
    pub fn person(mut self, person: PersonId) -> Self {
        self.persons.insert(person);
        self
    }
    /// Declares that an organisation exists.
    pub fn org(mut self, org: OrgId) -> Self {
        self.orgs.insert(org);
        self
    }
    /// Declares that a proposal exists.
    pub fn proposal(mut self, proposal: ProposalId) -> Self {
        self.proposals.insert(proposal);
        self
    }
    /// Supplies the facts about a decision's basis.
    pub fn basis(mut self, facts: BasisFacts) -> Self {
        self.basis = Some(facts);
        self
    }
    /// Declares a global position as one of this stream's events.
    pub fn in_stream(mut self, position: Position) -> Self {
        std::sync::Arc::make_mut(&mut self.stream_positions).insert(position);
        self
    }

    /// Rejects an act earlier than the stream's last act.
    ///
    /// # Errors
    /// [`Rejection::OutOfOrder`].
    pub fn check_order(&self) -> Result<(), Rejection> {
        match self.last_occurred_at {
            Some(last) if self.occurred_at < last => Err(Rejection::OutOfOrder {
                at: self.occurred_at,
                last,
            }),
            _ => Ok(()),
        }
    }

    /// The reference number of a creation, which must not be 0.
    ///
    /// # Errors
    /// [`Rejection::ZeroNumber`].
    pub fn creation_number(&self) -> Result<u64, Rejection> {
        if self.number == 0 {
            Err(Rejection::ZeroNumber)
        } else {
            Ok(self.number)
        }
    }

    /// Checks that a person exists.
    ///
    /// # Errors
    /// [`Rejection::UnknownPerson`].
    pub fn known_person(&self, role: &'static str, person: PersonId) -> Result<(), Rejection> {
        if self.rechecking || self.persons.contains(&person) {
            Ok(())
        } else {
            Err(Rejection::UnknownPerson { role, person })
        }
    }

    /// Checks that an organisation exists.
    ///
    /// # Errors
    /// [`Rejection::UnknownOrganisation`].
    pub fn known_org(&self, role: &'static str, org: OrgId) -> Result<(), Rejection> {
        if self.rechecking || self.orgs.contains(&org) {
            Ok(())
        } else {
            Err(Rejection::UnknownOrganisation { role, org })
        }
    }

    /// Checks that every linked proposal exists.
    ///
    /// # Errors
    /// [`Rejection::UnknownProposal`].
    pub fn known_proposals(&self, proposals: &[ProposalId]) -> Result<(), Rejection> {
        if self.rechecking {
            return Ok(());
        }
        match proposals.iter().find(|p| !self.proposals.contains(p)) {
            Some(p) => Err(Rejection::UnknownProposal { proposal: *p }),
            None => Ok(()),
        }
    }
}

/// One kind of entity, for code that is generic over kinds (the store's retry loop, the test harness).
pub trait Aggregate {
    /// The kind's name in messages, e.g. "proposal".
    const WHAT: &'static str;
    /// The folded state; `Default` is "not yet created".
    type State: Default + Clone + std::fmt::Debug + Send + Sync + 'static;
    /// What a user asks for.
    type Command;
    /// What `decide` emits.
    type Event: Clone + std::fmt::Debug + PartialEq + Into<Event>;

    /// Checks a command against the state and the context.
    ///
    /// # Errors
    /// A [`Rejection`] naming the broken rule.
    fn decide(
        state: &Self::State,
        cmd: Self::Command,
        ctx: &Context,
    ) -> Result<Vec<Self::Event>, Rejection>;

    /// The decide entry for an act: the rules every act shares (its time: [`time_rules`]), then
    /// the kind's own [`Aggregate::decide`].
    ///
    /// # Errors
    /// A [`Rejection`] naming the broken rule.
    fn decide_act(
        state: &Self::State,
        cmd: Self::Command,
        ctx: &Context,
    ) -> Result<Vec<Self::Event>, Rejection> {
        time_rules::check(ctx)?;
        Self::decide(state, cmd, ctx)
    }

    /// Folds any event of the stream (events of other kinds are ignored).
    fn evolve(state: Self::State, event: &Event) -> Self::State;

    /// Whether the entity has been created.
    fn exists(state: &Self::State) -> bool;

    /// The corrections recorded in the stream.
    fn corrections(state: &Self::State) -> &[correction::Correction];

    /// Decides a recorded act of this kind's stream again on the state just before it, for a late
    /// entry inserted earlier ([`late::decide`]): `Some(Ok)` when it comes out the same, `Some(Err)`
    /// with the rule it would now break, `None` when acts of its kind cannot be decided again.
    fn recheck(
        _state: &Self::State,
        _event: &Event,
        _ctx: &Context,
    ) -> Option<Result<(), Rejection>> {
        None
    }

    /// Whether a command must be decided on the whole stream through [`late::decide`] even when it is
    /// not late (a void, whose later acts are decided again).
    fn needs_history(_cmd: &Self::Command) -> bool {
        false
    }

    /// A late act's event, renumbered after every numbered sub-item already recorded (`latest` is the
    /// state folded in log order). Identity for kinds without numbered sub-items.
    fn renumber(_latest: &Self::State, event: Self::Event) -> Self::Event {
        event
    }
}

/// Folds a whole stream into a state.
pub fn replay<'a, A: Aggregate>(events: impl IntoIterator<Item = &'a Event>) -> A::State {
    events.into_iter().fold(A::State::default(), A::evolve)
}

/// A required one-line text (title, name, topic...): not blank, at most [`TITLE_MAX`] characters.
pub(crate) fn title(field: &'static str, value: String) -> Result<String, Rejection> {
    limited(field, value, TITLE_MAX)
}

/// A required free text: not blank, at most [`TEXT_MAX`] characters.
pub(crate) fn text(field: &'static str, value: String) -> Result<String, Rejection> {
    limited(field, value, TEXT_MAX)
}

/// An optional free text: blank means absent.
pub(crate) fn note(
    field: &'static str,
    value: Option<String>,
) -> Result<Option<String>, Rejection> {
    match value {
        Some(v) if !v.trim().is_empty() => text(field, v).map(Some),
        _ => Ok(None),
    }
}

fn limited(field: &'static str, value: String, max: usize) -> Result<String, Rejection> {
    if value.trim().is_empty() {
        return Err(Rejection::EmptyText { field });
    }
    let len = value.chars().count();
    if len > max {
        return Err(Rejection::TooLong { field, max, len });
    }
    Ok(value)
}

/// A list of at most `max` entries.
pub(crate) fn at_most<T>(field: &'static str, list: &[T], max: usize) -> Result<(), Rejection> {
    if list.len() > max {
        Err(Rejection::TooMany {
            field,
            max,
            len: list.len(),
        })
    } else {
        Ok(())
    }
}
