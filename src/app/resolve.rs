//! Resolving what users type (`PROP-3`, `prop-3` or a full UUID) into entity ids.

use super::{AppError, LedgerService};
use delib_events::{
    BallotId, ConsultationId, DisputeId, HearingId, OrgId, PersonId, ProposalId, RefKind,
    Reference, StreamId,
};

fn described(kind: RefKind) -> String {
    let what = match kind {
        RefKind::Organisation => "an organisation",
        RefKind::Person => "a person",
        RefKind::Proposal => "a proposal",
        RefKind::Hearing => "a hearing",
        RefKind::Consultation => "a consultation",
        RefKind::Ballot => "a ballot",
        RefKind::Dispute => "a dispute",
    };
    format!("{what} ({}-n)", kind.prefix())
}

fn kind_word(kind: RefKind) -> &'static str {
    match kind {
        RefKind::Organisation => "organisation",
        RefKind::Person => "person",
        RefKind::Proposal => "proposal",
        RefKind::Hearing => "hearing",
        RefKind::Consultation => "consultation",
        RefKind::Ballot => "ballot",
        RefKind::Dispute => "dispute",
    }
}

impl LedgerService {
    /// Resolves a reference or UUID of any kind.
    ///
    /// # Errors
    /// [`AppError::UnknownReference`] when it names nothing; storage failures.
    pub fn resolve(&self, input: &str) -> Result<(Reference, StreamId), AppError> {
        let input = input.trim();
        if let Ok(r) = input.parse::<Reference>() {
            return match self.refs.stream_of(self.store(), r)? {
                Some(s) => Ok((r, s)),
                None => Err(AppError::UnknownReference(r.to_string())),
            };
        }
        if let Ok(u) = input.parse::<uuid::Uuid>() {
            let stream = StreamId::from_uuid(u);
            if let Some(r) = self.known_refs().and_then(|d| d.reference(stream)) {
                return Ok((r, stream));
            }
            if let Some(r) = self.refs.find(self.store(), stream)? {
                return Ok((r, stream));
            }
        }
        Err(AppError::UnknownReference(
            input.chars().take(80).collect::<String>(),
        ))
    }

    /// Resolves a reference or UUID that must be of `kind`.
    ///
    /// # Errors
    /// [`AppError::UnknownReference`], [`AppError::WrongKind`], storage failures.
    pub fn resolve_kind(&self, input: &str, kind: RefKind) -> Result<StreamId, AppError> {
        let (r, stream) = self.resolve(input)?;
        if r.kind != kind {
            return Err(AppError::WrongKind {
                expected: described(kind),
                got: input.trim().chars().take(80).collect(),
                actual: kind_word(r.kind),
            });
        }
        Ok(stream)
    }

    /// Resolves a person.
    ///
    /// # Errors
    /// As [`LedgerService::resolve_kind`].
    pub fn person_id(&self, input: &str) -> Result<PersonId, AppError> {
        self.resolve_kind(input, RefKind::Person)
            .map(|s| PersonId::from_uuid(*s.as_uuid()))
    }

    /// Resolves an organisation.
    ///
    /// # Errors
    /// As [`LedgerService::resolve_kind`].
    pub fn org_id(&self, input: &str) -> Result<OrgId, AppError> {
        self.resolve_kind(input, RefKind::Organisation)
            .map(OrgId::new)
    }

    /// Resolves a proposal.
    ///
    /// # Errors
    /// As [`LedgerService::resolve_kind`].
    pub fn proposal_id(&self, input: &str) -> Result<ProposalId, AppError> {
        self.resolve_kind(input, RefKind::Proposal)
            .map(ProposalId::new)
    }

    /// Resolves a hearing.
    ///
    /// # Errors
    /// As [`LedgerService::resolve_kind`].
    pub fn hearing_id(&self, input: &str) -> Result<HearingId, AppError> {
        self.resolve_kind(input, RefKind::Hearing)
            .map(HearingId::new)
    }

    /// Resolves a consultation.
    ///
    /// # Errors
    /// As [`LedgerService::resolve_kind`].
    pub fn consultation_id(&self, input: &str) -> Result<ConsultationId, AppError> {
        self.resolve_kind(input, RefKind::Consultation)
            .map(ConsultationId::new)
    }

    /// Resolves a ballot.
    ///
    /// # Errors
    /// As [`LedgerService::resolve_kind`].
    pub fn ballot_id(&self, input: &str) -> Result<BallotId, AppError> {
        self.resolve_kind(input, RefKind::Ballot).map(BallotId::new)
    }

    /// Resolves a dispute.
    ///
    /// # Errors
    /// As [`LedgerService::resolve_kind`].
    pub fn dispute_id(&self, input: &str) -> Result<DisputeId, AppError> {
        self.resolve_kind(input, RefKind::Dispute)
            .map(DisputeId::new)
    }
}
