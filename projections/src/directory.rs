//! The [`Directory`] projection: every entity's stream id mapped to its short reference (`PROP-3`,
//! `ORG-2`) and a kind-specific label, so that views print references, never raw UUIDs.
//!
//! Persons appear only as `PER-n` with an `erased` flag and their memberships: names are never in
//! events, so no projection can show one.

use crate::projection::{advance, Projection};
use delib_events::ballot::BallotEvent;
use delib_events::consultation::ConsultationEvent;
use delib_events::dispute::DisputeEvent;
use delib_events::hearing::HearingEvent;
use delib_events::organisation::{OrgKind, OrganisationEvent};
use delib_events::person::{Membership, PersonEvent};
use delib_events::proposal::{Basis, ProposalEvent};
use delib_events::{Event, OrgId, PersonId, Position, RecordedEvent, RefKind, Reference, StreamId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the directory knows about one entity besides its reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Label {
    /// An organisation: its public name, kind and parent.
    Organisation {
        /// Public name.
        name: String,
        /// Kind of body.
        kind: OrgKind,
        /// The body it belongs to.
        parent: Option<OrgId>,
    },
    /// A person: no name, ever.
    Person {
        /// Whether the person's personal data was erased.
        erased: bool,
        /// Memberships with roles.
        memberships: Vec<Membership>,
    },
    /// A proposal's title.
    Proposal {
        /// Title.
        title: String,
    },
    /// A hearing's topic.
    Hearing {
        /// Topic.
        topic: String,
    },
    /// A consultation's topic.
    Consultation {
        /// Topic.
        topic: String,
    },
    /// A ballot's question.
    Ballot {
        /// Question.
        question: String,
    },
    /// A dispute's title.
    Dispute {
        /// Title.
        title: String,
    },
}

/// One entity in the directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its short reference.
    pub reference: Reference,
    /// Its label.
    pub label: Label,
}

/// Stream id to reference and label, and back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    last_position: u64,
    entries: BTreeMap<StreamId, Entry>,
    /// `PROP-3` to stream id.
    by_ref: BTreeMap<String, StreamId>,
}

/// An organisation as `org list` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OrgView {
    /// `ORG-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Public name.
    pub name: String,
    /// Kind, spelled as on the command line.
    pub kind: String,
    /// Parent's reference.
    pub parent: Option<String>,
}

/// A person as `person list` shows it: a reference, never a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PersonView {
    /// `PER-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Whether the personal data was erased.
    pub erased: bool,
    /// Memberships.
    pub memberships: Vec<MembershipView>,
}

/// A membership with references.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MembershipView {
    /// The organisation's reference.
    pub org: String,
    /// The role.
    pub role: String,
}

impl Projection for Directory {
    const NAME: &'static str = "directory";
    const VERSION: u32 = 1;

    fn apply(&mut self, event: &RecordedEvent) {
        if !advance(&mut self.last_position, event) {
            return;
        }
        let stream = event.metadata.stream_id;
        let (kind, number, label) = match &event.event {
            Event::Organisation(OrganisationEvent::OrganisationRegistered {
                number,
                name,
                kind,
                parent,
                ..
            }) => (
                RefKind::Organisation,
                *number,
                Label::Organisation {
                    name: name.clone(),
                    kind: *kind,
                    parent: *parent,
                },
            ),
            Event::Person(PersonEvent::PersonRegistered {
                number,
                memberships,
                ..
            }) => (
                RefKind::Person,
                *number,
                Label::Person {
                    erased: false,
                    memberships: memberships.clone(),
                },
            ),
            Event::Person(PersonEvent::PersonErased { person }) => {
                let stream = StreamId::from_uuid(*person.as_uuid());
                if let Some(Entry {
                    label: Label::Person { erased, .. },
                    ..
                }) = self.entries.get_mut(&stream)
                {
                    *erased = true;
                }
                return;
            }
            Event::Proposal(ProposalEvent::ProposalSubmitted { number, title, .. }) => (
                RefKind::Proposal,
                *number,
                Label::Proposal {
                    title: title.clone(),
                },
            ),
            Event::Hearing(HearingEvent::HearingScheduled { number, topic, .. }) => (
                RefKind::Hearing,
                *number,
                Label::Hearing {
                    topic: topic.clone(),
                },
            ),
            Event::Consultation(ConsultationEvent::ConsultationConvened {
                number, topic, ..
            }) => (
                RefKind::Consultation,
                *number,
                Label::Consultation {
                    topic: topic.clone(),
                },
            ),
            Event::Ballot(BallotEvent::BallotOpened {
                number, question, ..
            }) => (
                RefKind::Ballot,
                *number,
                Label::Ballot {
                    question: question.clone(),
                },
            ),
            Event::Dispute(DisputeEvent::DisputeFiled { number, title, .. }) => (
                RefKind::Dispute,
                *number,
                Label::Dispute {
                    title: title.clone(),
                },
            ),
            _ => return,
        };
        let Some(reference) = Reference::new(kind, number) else {
            return;
        };
        if let Some(old) = self.entries.get(&stream) {
            self.by_ref.remove(&old.reference.to_string());
        }
        self.by_ref.insert(reference.to_string(), stream);
        self.entries.insert(stream, Entry { reference, label });
    }

    fn last_position(&self) -> Position {
        Position::new(self.last_position)
    }
}

impl Directory {
    /// The entry of a stream.
    pub fn get(&self, stream: StreamId) -> Option<&Entry> {
        self.entries.get(&stream)
    }

    /// The reference of a stream.
    pub fn reference(&self, stream: StreamId) -> Option<Reference> {
        self.entries.get(&stream).map(|e| e.reference)
    }

    /// The streams of one kind of entity on one page of its list: those numbered after
    /// `page.after`, at most `page.limit` of them, by number.
    pub fn page(&self, kind: delib_events::RefKind, page: crate::Page) -> Vec<StreamId> {
        let of_kind: Vec<(u64, StreamId)> = self
            .entries
            .iter()
            .filter(|(_, e)| e.reference.kind == kind)
            .map(|(s, e)| (e.reference.number, *s))
            .collect();
        page.select(of_kind, |(n, _)| *n)
            .into_iter()
            .map(|(_, s)| s)
            .collect()
    }

    /// The stream a reference names.
    pub fn resolve(&self, reference: Reference) -> Option<StreamId> {
        self.by_ref.get(&reference.to_string()).copied()
    }

    /// How a stream is printed: its reference, or its UUID when the directory does not know it.
    pub fn name(&self, stream: StreamId) -> String {
        match self.reference(stream) {
            Some(r) => r.to_string(),
            None => stream.to_string(),
        }
    }

    /// How an organisation is printed (`ORG-2`).
    pub fn org(&self, org: OrgId) -> String {
        self.name(org.stream_id())
    }

    /// How a person is printed (`PER-4`): never a name.
    pub fn person(&self, person: PersonId) -> String {
        self.name(person_stream(person))
    }

    /// How a decision's basis is printed (`HEAR-1`, `CONS-2`, `BAL-3`).
    pub fn basis(&self, basis: &Basis) -> String {
        match basis {
            Basis::Hearing(h) => self.name(h.stream_id()),
            Basis::Consultation(c) => self.name(c.stream_id()),
            Basis::Ballot(b) => self.name(b.stream_id()),
        }
    }

    /// An organisation's public name, when known.
    pub fn org_name(&self, org: OrgId) -> Option<&str> {
        match self.entries.get(&org.stream_id()) {
            Some(Entry {
                label: Label::Organisation { name, .. },
                ..
            }) => Some(name),
            _ => None,
        }
    }

    /// Every organisation, by reference number.
    pub fn organisations(&self) -> Vec<OrgView> {
        let mut v: Vec<(u64, OrgView)> = self
            .entries
            .values()
            .filter_map(|e| match &e.label {
                Label::Organisation { name, kind, parent } => Some((
                    e.reference.number,
                    OrgView {
                        reference: e.reference.to_string(),
                        name: name.clone(),
                        kind: kind.as_str().to_owned(),
                        parent: parent.map(|p| self.org(p)),
                    },
                )),
                _ => None,
            })
            .collect();
        v.sort_by_key(|(n, _)| *n);
        v.into_iter().map(|(_, o)| o).collect()
    }

    /// Every person, by reference number.
    pub fn persons(&self) -> Vec<PersonView> {
        let mut v: Vec<(u64, PersonView)> = self
            .entries
            .values()
            .filter_map(|e| match &e.label {
                Label::Person {
                    erased,
                    memberships,
                } => Some((
                    e.reference.number,
                    PersonView {
                        reference: e.reference.to_string(),
                        erased: *erased,
                        memberships: memberships
                            .iter()
                            .map(|m| MembershipView {
                                org: self.org(m.org),
                                role: m.role.as_str().to_owned(),
                            })
                            .collect(),
                    },
                )),
                _ => None,
            })
            .collect();
        v.sort_by_key(|(n, _)| *n);
        v.into_iter().map(|(_, p)| p).collect()
    }
}

/// The stream of a person (its UUID).
pub(crate) fn person_stream(person: PersonId) -> StreamId {
    StreamId::from_uuid(*person.as_uuid())
}
