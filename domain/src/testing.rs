//! A given/when/then harness for `decide`: given the stream's events, when a command is decided in a
//! context, then these events are emitted, or this rejection.

use super::{Aggregate, Context, Rejection};
use delib_events::{Event, StreamId, Timestamp};
use uuid::Uuid;

/// The stream every test decides on.
pub fn stream() -> StreamId {
    StreamId::from_uuid(Uuid::from_u128(0xABCD))
}

/// A context at time 1000 on [`stream`], numbered 1, after time 0 when the stream is not empty.
pub fn ctx() -> Context {
    Context::new(stream(), Timestamp::from_micros(1_000)).numbered(1)
}

/// The stream so far.
pub fn given<A: Aggregate>(events: impl IntoIterator<Item = impl Into<Event>>) -> Given<A> {
    let events: Vec<Event> = events.into_iter().map(Into::into).collect();
    let mut ctx = ctx();
    if !events.is_empty() {
        ctx = ctx.after(Timestamp::from_micros(0));
    }
    let state = events.iter().fold(A::State::default(), A::evolve);
    Given { state, ctx }
}

/// A state built from events, and the context the next command is decided in.
#[derive(Debug)]
pub struct Given<A: Aggregate> {
    state: A::State,
    ctx: Context,
}

impl<A: Aggregate> Given<A> {
    /// Changes the context (declare known persons, orgs, basis facts...).
    pub fn ctx(mut self, f: impl FnOnce(Context) -> Context) -> Self {
        self.ctx = f(self.ctx);
        self
    }

    /// The state folded so far.
    pub fn state(&self) -> &A::State {
        &self.state
    }

    /// Decides a command.
    pub fn when(self, cmd: A::Command) -> Then<A> {
        let result = A::decide(&self.state, cmd, &self.ctx);
        Then { result }
    }
}

/// The outcome of a decision, to be checked.
#[derive(Debug)]
pub struct Then<A: Aggregate> {
    result: Result<Vec<A::Event>, Rejection>,
}

impl<A: Aggregate> Then<A> {
    /// Asserts the command was accepted with exactly these events.
    #[track_caller]
    pub fn then(self, expected: impl IntoIterator<Item = A::Event>) {
        let expected: Vec<A::Event> = expected.into_iter().collect();
        assert_eq!(self.result, Ok(expected));
    }

    /// Asserts the command was rejected with this rejection.
    #[track_caller]
    pub fn then_err(self, expected: Rejection) {
        assert_eq!(self.result, Err(expected));
    }

    /// Asserts acceptance and returns the events for further checks.
    #[track_caller]
    pub fn accepted(self) -> Vec<A::Event> {
        match self.result {
            Ok(events) => events,
            Err(r) => panic!("expected acceptance, got rejection: {r}"),
        }
    }

    /// Asserts rejection and returns the rejection for further checks.
    #[track_caller]
    pub fn rejected(self) -> Rejection {
        match self.result {
            Ok(events) => panic!("expected a rejection, got {} event(s)", events.len()),
            Err(r) => r,
        }
    }
}

/// A person id for tests.
pub fn per(n: u128) -> delib_events::PersonId {
    delib_events::PersonId::from_uuid(Uuid::from_u128(0x1000 + n))
}

/// An organisation id for tests.
pub fn org(n: u128) -> delib_events::OrgId {
    delib_events::OrgId::new(StreamId::from_uuid(Uuid::from_u128(0x2000 + n)))
}

/// A proposal id for tests.
pub fn prop(n: u128) -> delib_events::ProposalId {
    delib_events::ProposalId::new(StreamId::from_uuid(Uuid::from_u128(0x3000 + n)))
}

/// A hearing id for tests.
pub fn hear(n: u128) -> delib_events::HearingId {
    delib_events::HearingId::new(StreamId::from_uuid(Uuid::from_u128(0x4000 + n)))
}

/// A consultation id for tests.
pub fn cons(n: u128) -> delib_events::ConsultationId {
    delib_events::ConsultationId::new(StreamId::from_uuid(Uuid::from_u128(0x5000 + n)))
}

/// A ballot id for tests.
pub fn bal(n: u128) -> delib_events::BallotId {
    delib_events::BallotId::new(StreamId::from_uuid(Uuid::from_u128(0x6000 + n)))
}

/// A text of `n` characters.
pub fn long(n: usize) -> String {
    "字".repeat(n)
}
