//! One-line English summaries of events that print references (`PER-3`, `ORG-2`) where the events'
//! own summaries print UUIDs. Never a person's name; never the choice of a secret ballot.

use crate::directory::Directory;
use delib_events::ballot::BallotEvent;
use delib_events::consultation::ConsultationEvent;
use delib_events::correction::CorrectionEvent;
use delib_events::dispute::DisputeEvent;
use delib_events::hearing::HearingEvent;
use delib_events::organisation::OrganisationEvent;
use delib_events::person::PersonEvent;
use delib_events::pledge::PledgeEvent;
use delib_events::proposal::ProposalEvent;
use delib_events::{Event, RefKind, Reference};

/// Shortens free text for a one-line summary: whitespace runs become one space, at most 80 characters.
pub fn brief(text: &str) -> String {
    const MAX: usize = 80;
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX {
        flat
    } else {
        let cut: String = flat.chars().take(MAX - 1).collect();
        format!("{cut}…")
    }
}

fn reference(kind: RefKind, number: u64) -> String {
    match Reference::new(kind, number) {
        Some(r) => r.to_string(),
        None => format!("{}-?", kind.prefix()),
    }
}

/// A one-line summary of `event` with references from `dir`.
pub fn describe(event: &Event, dir: &Directory) -> String {
    match event {
        Event::Ledger(_) | Event::Test(_) | Event::Registry(_) | Event::Document(_) => {
            event.summary()
        }
        Event::Organisation(OrganisationEvent::OrganisationRegistered {
            number,
            name,
            kind,
            parent,
            ..
        }) => {
            let r = reference(RefKind::Organisation, *number);
            match parent {
                Some(p) => format!(
                    "{r} registered: {} ({kind}) under {}",
                    brief(name),
                    dir.org(*p)
                ),
                None => format!("{r} registered: {} ({kind})", brief(name)),
            }
        }
        Event::Person(PersonEvent::PersonRegistered {
            number,
            memberships,
            ..
        }) => {
            let r = reference(RefKind::Person, *number);
            if memberships.is_empty() {
                format!("{r} registered")
            } else {
                let roles: Vec<String> = memberships
                    .iter()
                    .map(|m| format!("{} of {}", m.role, dir.org(m.org)))
                    .collect();
                format!("{r} registered as {}", roles.join(", "))
            }
        }
        Event::Person(PersonEvent::PersonErased { person }) => {
            format!("personal data of {} erased", dir.person(*person))
        }
        Event::Proposal(e) => proposal(e, dir),
        Event::Hearing(e) => hearing(e, dir),
        Event::Consultation(e) => consultation(e, dir),
        Event::Ballot(e) => ballot(e, dir),
        Event::Dispute(e) => dispute(e, dir),
        Event::Pledge(PledgeEvent::PledgeMade { pledge, by, kind }) => {
            format!("pledge {pledge} by {}: {kind}", dir.org(*by))
        }
        Event::Pledge(PledgeEvent::PledgeFulfilled { pledge, .. }) => {
            format!("pledge {pledge} fulfilled")
        }
        Event::Correction(CorrectionEvent::EventCorrected { corrected, reason }) => {
            format!(
                "corrects the event at position {corrected}: {}",
                brief(reason)
            )
        }
        Event::Correction(e) => e.summary(),
    }
}

fn proposal(e: &ProposalEvent, dir: &Directory) -> String {
    match e {
        ProposalEvent::ProposalSubmitted {
            number,
            title,
            category,
            author,
            ..
        } => format!(
            "{} submitted by {}: {} ({category})",
            reference(RefKind::Proposal, *number),
            dir.person(*author),
            brief(title)
        ),
        ProposalEvent::ProposalCosigned { by } => format!("co-signed by {}", dir.person(*by)),
        ProposalEvent::ProposalDecided { outcome, basis, .. } => {
            format!("{outcome} on the basis of {}", dir.basis(basis))
        }
        ProposalEvent::ProposalAssigned { to, due } => match due {
            Some(d) => format!(
                "assigned to {}, due {}",
                dir.org(*to),
                crate::time::date(*d)
            ),
            None => format!("assigned to {}", dir.org(*to)),
        },
        other => other.summary(),
    }
}

fn hearing(e: &HearingEvent, dir: &Directory) -> String {
    match e {
        HearingEvent::HearingScheduled {
            number,
            topic,
            on,
            venue,
            presided_by,
            ..
        } => format!(
            "{} scheduled for {} at {}, presided by {}: {}",
            reference(RefKind::Hearing, *number),
            crate::time::rfc3339(*on),
            brief(venue),
            dir.org(*presided_by),
            brief(topic)
        ),
        HearingEvent::ParticipantRegistered { person, role } => {
            format!("{} registered as {role}", dir.person(*person))
        }
        HearingEvent::StatementRecorded {
            by,
            stance,
            summary,
        } => {
            format!(
                "statement ({stance}) by {}: {}",
                dir.person(*by),
                brief(summary)
            )
        }
        other => other.summary(),
    }
}

fn consultation(e: &ConsultationEvent, dir: &Directory) -> String {
    match e {
        ConsultationEvent::ConsultationConvened {
            number,
            topic,
            format,
            convened_by,
            parties,
            ..
        } => {
            let parties: Vec<String> = parties.iter().map(|p| dir.org(*p)).collect();
            format!(
                "{} convened by {} ({format}; parties {}): {}",
                reference(RefKind::Consultation, *number),
                dir.org(*convened_by),
                parties.join(", "),
                brief(topic)
            )
        }
        ConsultationEvent::PositionStated { party, statement } => {
            format!("{} stated: {}", dir.org(*party), brief(statement))
        }
        ConsultationEvent::CommitmentMade {
            commitment,
            party,
            text,
            ..
        } => format!(
            "commitment {commitment} by {}: {}",
            dir.org(*party),
            brief(text)
        ),
        other => other.summary(),
    }
}

fn ballot(e: &BallotEvent, dir: &Directory) -> String {
    match e {
        BallotEvent::BallotCast { voter, choice } => match choice {
            Some(c) => format!("{} voted {}", dir.person(*voter), brief(c)),
            None => format!("{} cast a secret ballot", dir.person(*voter)),
        },
        // Never the choice: see `delib_events::ballot`.
        BallotEvent::SecretChoiceRecorded { .. } => "a sealed choice was recorded".to_owned(),
        other => other.summary(),
    }
}

fn dispute(e: &DisputeEvent, dir: &Directory) -> String {
    match e {
        DisputeEvent::DisputeFiled {
            number,
            title,
            parties,
            ..
        } => {
            let parties: Vec<String> = parties
                .iter()
                .map(|p| format!("{} ({})", dir.org(p.org), brief(&p.side)))
                .collect();
            format!(
                "{} filed between {}: {}",
                reference(RefKind::Dispute, *number),
                parties.join(", "),
                brief(title)
            )
        }
        DisputeEvent::MediationAttempted { by, outcome, note } => match note {
            Some(n) => format!("mediation by {} {outcome}: {}", dir.org(*by), brief(n)),
            None => format!("mediation by {} {outcome}", dir.org(*by)),
        },
        DisputeEvent::DisputeEscalated { to, reason } => {
            format!("escalated to {}: {}", dir.org(*to), brief(reason))
        }
        DisputeEvent::NegotiationHeld {
            presided_by,
            representatives,
        } => {
            let reps: Vec<String> = representatives
                .iter()
                .map(|r| format!("{} for {}", dir.person(r.person), brief(&r.side)))
                .collect();
            format!(
                "negotiation presided by {} with {}",
                dir.org(*presided_by),
                reps.join(", ")
            )
        }
        other => other.summary(),
    }
}
