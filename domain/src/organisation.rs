//! Organisations: committees (街道工委, 社區黨委, 居委會, 業主委員會...), member units, companies. Their
//! names are public and stored in events.

use super::correction::{self, Correction};
use super::{title, Context, Rejection};
use delib_events::organisation::{OrgKind, OrganisationEvent};
use delib_events::{Event, OrgId};

/// Whether an organisation is registered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Not yet registered.
    #[default]
    Absent,
    /// Registered.
    Registered,
}

impl super::Created for Status {
    fn created(&self) -> bool {
        *self != Status::Absent
    }
}

/// An organisation's state: what its rules read, and its name (which the application reads from
/// the fold it decides on); the read model, `delib_projections::directory`, keeps the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Whether registered.
    pub status: Status,
    /// Its public name.
    pub name: String,
    /// Corrections recorded in its stream.
    pub corrections: Vec<Correction>,
}

/// What a clerk can ask of an organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `org add --name --kind [--parent]`: the parent must be in [`Context::orgs`].
    Register {
        /// Public name.
        name: String,
        /// Kind.
        kind: OrgKind,
        /// Parent body.
        parent: Option<OrgId>,
    },
}

/// Decides an organisation command.
///
/// # Errors
/// [`Rejection::AlreadyExists`], [`Rejection::OwnParent`], unknown parent, text, number and order
/// rejections.
pub fn decide(
    state: &State,
    cmd: Command,
    ctx: &Context,
) -> Result<Vec<OrganisationEvent>, Rejection> {
    ctx.check_order()?;
    match cmd {
        Command::Register { name, kind, parent } => {
            if state.status != Status::Absent {
                return Err(Rejection::AlreadyExists {
                    what: "organisation",
                });
            }
            let number = ctx.creation_number()?;
            let name = title("name", name)?;
            let org = OrgId::new(ctx.stream);
            if let Some(p) = parent {
                if p == org {
                    return Err(Rejection::OwnParent);
                }
                ctx.known_org("the parent", p)?;
            }
            Ok(vec![OrganisationEvent::OrganisationRegistered {
                org,
                number,
                name,
                kind,
                parent,
            }])
        }
    }
}

/// Folds one organisation event.
pub fn apply(mut state: State, event: &OrganisationEvent) -> State {
    match event {
        OrganisationEvent::OrganisationRegistered { name, .. } => {
            state.status = Status::Registered;
            state.name = name.clone();
        }
    }
    state
}

/// Folds any event of an organisation's stream: its own and corrections.
pub fn evolve(mut state: State, event: &Event) -> State {
    match event {
        Event::Organisation(e) => apply(state, e),
        Event::Correction(e) => {
            state.corrections = correction::apply(std::mem::take(&mut state.corrections), e);
            state
        }
        _ => state,
    }
}

/// Decides a recorded act of a organisation's stream again (late entries): pledges and corrections are
/// re-checked; the organisation's own acts are not yet, so a late entry before one is refused.
pub fn recheck(state: &State, event: &Event, ctx: &Context) -> Option<Result<(), Rejection>> {
    match event {
        Event::Correction(c) => Some(super::correction::recheck(
            "organisation",
            state.status != Status::Absent,
            &state.corrections,
            c,
            ctx,
        )),
        Event::Organisation(_) => None,
        _ => Some(Ok(())),
    }
}

/// A late act's event keeps its shape (no numbered sub-items are renumbered).
pub fn renumber(_latest: &State, event: OrganisationEvent) -> OrganisationEvent {
    event
}

aggregate!(
    /// The organisation kind, for generic code.
    Organisation,
    "organisation",
    OrganisationEvent
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{given, long, org, stream};
    use delib_events::organisation::OrganisationEvent as E;

    fn register(parent: Option<OrgId>) -> Command {
        Command::Register {
            name: "Shibei community party committee".into(),
            kind: OrgKind::PartyCommittee,
            parent,
        }
    }

    fn registered(parent: Option<OrgId>) -> E {
        E::OrganisationRegistered {
            org: OrgId::new(stream()),
            number: 1,
            name: "Shibei community party committee".into(),
            kind: OrgKind::PartyCommittee,
            parent,
        }
    }

    #[test]
    fn register_an_organisation_under_a_parent() {
        given::<Organisation>(Vec::<E>::new())
            .ctx(|c| c.org(org(1)))
            .when(register(Some(org(1))))
            .then([registered(Some(org(1)))]);
    }

    #[test]
    fn the_parent_must_exist_and_not_be_itself() {
        given::<Organisation>(Vec::<E>::new())
            .when(register(Some(org(1))))
            .then_err(Rejection::UnknownOrganisation {
                role: "the parent",
                org: org(1),
            });
        given::<Organisation>(Vec::<E>::new())
            .when(register(Some(OrgId::new(stream()))))
            .then_err(Rejection::OwnParent);
    }

    #[test]
    fn register_twice_is_rejected() {
        given::<Organisation>([registered(None)])
            .when(register(None))
            .then_err(Rejection::AlreadyExists {
                what: "organisation",
            });
    }

    #[test]
    fn names_are_required_and_limited() {
        for (name, err) in [
            ("".to_owned(), Rejection::EmptyText { field: "name" }),
            (
                long(201),
                Rejection::TooLong {
                    field: "name",
                    max: 200,
                    len: 201,
                },
            ),
        ] {
            given::<Organisation>(Vec::<E>::new())
                .when(Command::Register {
                    name,
                    kind: OrgKind::Other,
                    parent: None,
                })
                .then_err(err);
        }
    }
}
