//! Persons: only a [`PersonId`] and memberships with roles. **Names never enter the log**: they live in
//! the application's erasable directory. Erasing a person records [`PersonEvent::PersonErased`]; the
//! history stays and shows the person as erased.

use super::correction::{self, Correction};
use super::{at_most, Context, Rejection, LIST_MAX};
use delib_events::person::{Membership, PersonEvent};
use delib_events::{Event, PersonId};

/// Where a person is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Not yet registered.
    #[default]
    Absent,
    /// Registered.
    Registered,
    /// Personal data erased.
    Erased,
}

impl super::Created for Status {
    fn created(&self) -> bool {
        *self != Status::Absent
    }
}

/// A person's state: what its rules read, nothing more (the read model,
/// `delib_projections::directory`, keeps the memberships).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Where the person is.
    pub status: Status,
    /// The id (what an erasure names).
    pub id: Option<PersonId>,
    /// Corrections recorded in the stream.
    pub corrections: Vec<Correction>,
}

/// What a clerk can ask of a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `person add [--member-of ORG --role ROLE]...`: the stream (the person's UUID) is
    /// [`Context::stream`]; each organisation must be in [`Context::orgs`]. The name goes to the
    /// directory, not here.
    Register {
        /// Memberships.
        memberships: Vec<Membership>,
    },
    /// `person erase`.
    Erase,
}

/// Decides a person command.
///
/// # Errors
/// [`Rejection::AlreadyExists`], [`Rejection::NotFound`], [`Rejection::AlreadyErased`], unknown
/// organisations, number and order rejections.
pub fn decide(state: &State, cmd: Command, ctx: &Context) -> Result<Vec<PersonEvent>, Rejection> {
    ctx.check_order()?;
    match cmd {
        Command::Register { mut memberships } => {
            if state.status != Status::Absent {
                return Err(Rejection::AlreadyExists { what: "person" });
            }
            let number = ctx.creation_number()?;
            at_most("memberships", &memberships, LIST_MAX)?;
            for m in &memberships {
                ctx.known_org("a membership's organisation", m.org)?;
            }
            let mut seen = std::collections::BTreeSet::new();
            memberships.retain(|m| seen.insert(*m));
            Ok(vec![PersonEvent::PersonRegistered {
                person: PersonId::from_uuid(*ctx.stream.as_uuid()),
                number,
                memberships,
            }])
        }
        Command::Erase => match (state.status, state.id) {
            (Status::Registered, Some(person)) => Ok(vec![PersonEvent::PersonErased { person }]),
            (Status::Erased, _) => Err(Rejection::AlreadyErased),
            _ => Err(Rejection::NotFound { what: "person" }),
        },
    }
}

/// Folds one person event.
pub fn apply(mut state: State, event: &PersonEvent) -> State {
    match event {
        PersonEvent::PersonRegistered { person, .. } => {
            state.status = Status::Registered;
            state.id = Some(*person);
        }
        PersonEvent::PersonErased { .. } => state.status = Status::Erased,
    }
    state
}

/// Folds any event of a person's stream: its own and corrections.
pub fn evolve(mut state: State, event: &Event) -> State {
    match event {
        Event::Person(e) => apply(state, e),
        Event::Correction(e) => {
            state.corrections = correction::apply(std::mem::take(&mut state.corrections), e);
            state
        }
        _ => state,
    }
}

/// Decides a recorded act of a person's stream again (late entries): pledges and corrections are
/// re-checked; the person's own acts are not yet, so a late entry before one is refused.
pub fn recheck(state: &State, event: &Event, ctx: &Context) -> Option<Result<(), Rejection>> {
    match event {
        Event::Correction(c) => Some(super::correction::recheck(
            "person",
            state.status != Status::Absent,
            &state.corrections,
            c,
            ctx,
        )),
        Event::Person(_) => None,
        _ => Some(Ok(())),
    }
}

/// A late act's event keeps its shape (no numbered sub-items are renumbered).
pub fn renumber(_latest: &State, event: PersonEvent) -> PersonEvent {
    event
}

aggregate!(
    /// The person kind, for generic code.
    Person,
    "person",
    PersonEvent
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{given, org, stream};
    use delib_events::person::PersonEvent as E;
    use delib_events::person::PersonRole;

    fn me() -> PersonId {
        PersonId::from_uuid(*stream().as_uuid())
    }

    fn rep_of(o: u128) -> Membership {
        Membership {
            org: org(o),
            role: PersonRole::Representative,
        }
    }

    fn registered() -> E {
        E::PersonRegistered {
            person: me(),
            number: 1,
            memberships: vec![rep_of(1)],
        }
    }

    #[test]
    fn register_a_person_with_memberships_and_no_name() {
        given::<Person>(Vec::<E>::new())
            .ctx(|c| c.org(org(1)))
            .when(Command::Register {
                memberships: vec![rep_of(1), rep_of(1)],
            })
            .then([registered()]);
    }

    #[test]
    fn memberships_are_of_registered_organisations() {
        given::<Person>(Vec::<E>::new())
            .when(Command::Register {
                memberships: vec![rep_of(1)],
            })
            .then_err(Rejection::UnknownOrganisation {
                role: "a membership's organisation",
                org: org(1),
            });
    }

    #[test]
    fn register_twice_is_rejected() {
        given::<Person>([registered()])
            .ctx(|c| c.org(org(1)))
            .when(Command::Register {
                memberships: vec![],
            })
            .then_err(Rejection::AlreadyExists { what: "person" });
    }

    #[test]
    fn erase_once() {
        given::<Person>([registered()])
            .when(Command::Erase)
            .then([E::PersonErased { person: me() }]);
        given::<Person>([registered(), E::PersonErased { person: me() }])
            .when(Command::Erase)
            .then_err(Rejection::AlreadyErased);
        given::<Person>(Vec::<E>::new())
            .when(Command::Erase)
            .then_err(Rejection::NotFound { what: "person" });
    }
}
