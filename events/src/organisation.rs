//! Events of an organisation's stream: committees, member units, companies.
//!
//! Organisation names are public and may be stored in events (unlike person names).

use crate::entity::{OrgId, RefKind, Reference};
use crate::names::brief;
use serde::{Deserialize, Serialize};

names! {
    /// What kind of body an organisation is (`--kind`).
    OrgKind ("organisation kind") {
        /// Subdistrict working committee (街道工委).
        Subdistrict => "subdistrict",
        /// Community party committee (社區黨委).
        PartyCommittee => "party-committee",
        /// Residents' party branch (居民黨支部).
        PartyBranch => "party-branch",
        /// Residents' committee (居委會).
        ResidentsCommittee => "residents-committee",
        /// Homeowners' committee (業主委員會).
        HomeownersCommittee => "homeowners-committee",
        /// Coordination committee (黨建協調指導委員會).
        CoordinationCommittee => "coordination-committee",
        /// A member unit of a coordination committee.
        MemberUnit => "member-unit",
        /// Property-rights unit (產權單位).
        PropertyRightsUnit => "property-rights-unit",
        /// Property-management company (物業公司).
        PropertyCompany => "property-company",
        /// Developer (開發商).
        Developer => "developer",
        /// Any other body.
        Other => "other",
    }
}

/// Events of an organisation stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrganisationEvent {
    /// `org add`: the organisation became known to the ledger.
    OrganisationRegistered {
        /// Its id (its stream).
        org: OrgId,
        /// Its reference number (`ORG-n`).
        number: u64,
        /// Its public name.
        name: String,
        /// What kind of body it is.
        kind: OrgKind,
        /// The body it belongs to, if any (a community under a subdistrict...).
        parent: Option<OrgId>,
    },
}

impl OrganisationEvent {
    /// A stable dotted name, e.g. `organisation.registered`.
    pub fn kind(&self) -> &'static str {
        match self {
            OrganisationEvent::OrganisationRegistered { .. } => "organisation.registered",
        }
    }

    /// A one-line English summary.
    pub fn summary(&self) -> String {
        match self {
            OrganisationEvent::OrganisationRegistered {
                number,
                name,
                kind,
                parent,
                ..
            } => {
                let r = Reference {
                    kind: RefKind::Organisation,
                    number: *number,
                };
                match parent {
                    Some(p) => format!(
                        "{r} registered: {} ({kind}) under organisation {p}",
                        brief(name)
                    ),
                    None => format!("{r} registered: {} ({kind})", brief(name)),
                }
            }
        }
    }
}
