//! Recording commands, one function per kind: gather the facts a command names into a [`Context`],
//! then run the generic [`LedgerService::execute`] loop.

use super::retry::{Recorded, Target};
use super::{AppError, LedgerService, Meta};
use crate::domain::correction::{self, Corrections};
use crate::domain::pledge::{self, Pledges};
use crate::domain::{
    ballot, consultation, dispute, hearing, organisation, person, proposal, BasisFacts, Rejection,
    TITLE_MAX,
};
use delib_events::person::Membership;
use delib_events::proposal::Basis;
use delib_events::{
    BallotId, ConsultationId, DisputeId, HearingId, OrgId, PersonId, ProposalId, RefKind, StreamId,
};

fn fresh() -> StreamId {
    StreamId::from_uuid(uuid::Uuid::now_v7())
}

fn target(kind: RefKind, existing: Option<StreamId>) -> Target {
    match existing {
        Some(s) => Target::Existing(kind, s),
        None => Target::Create(kind, fresh()),
    }
}

impl LedgerService {
    /// `org add`.
    ///
    /// # Errors
    /// Rejections, conflicts, storage failures.
    pub fn record_org(
        &self,
        meta: &Meta,
        cmd: organisation::Command,
    ) -> Result<Recorded, AppError> {
        let organisation::Command::Register { parent, .. } = &cmd;
        let ctx = self.context(&[], parent.as_slice(), &[])?;
        self.execute::<organisation::Organisation>(
            meta,
            target(RefKind::Organisation, None),
            cmd,
            &ctx,
        )
    }

    /// `person add`: the name goes to the directory first, then the event (without the name). If the
    /// event is not recorded, the name is erased again.
    ///
    /// # Errors
    /// [`Rejection::EmptyText`] / [`Rejection::TooLong`] for the name, other rejections, storage.
    pub fn record_person_add(
        &self,
        meta: &Meta,
        name: &str,
        memberships: Vec<Membership>,
    ) -> Result<Recorded, AppError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Rejection::EmptyText { field: "name" }.into());
        }
        let len = name.chars().count();
        if len > TITLE_MAX {
            return Err(Rejection::TooLong {
                field: "name",
                max: TITLE_MAX,
                len,
            }
            .into());
        }
        let orgs: Vec<OrgId> = memberships.iter().map(|m| m.org).collect();
        let ctx = self.context(&[], &orgs, &[])?;
        let id = fresh();
        if self.replay_of(meta)? {
            // A retry of a recorded `person add`: its first result, and no second name written. The
            // name is not in the fingerprint (it is secret); it is compared with the directory's.
            let first = self.execute::<person::Person>(
                meta,
                Target::Create(RefKind::Person, id),
                person::Command::Register { memberships },
                &ctx,
            )?;
            let known = self
                .directory
                .name(PersonId::from_uuid(*first.id.as_uuid()))?;
            if known.is_some_and(|n| n != name) {
                return Err(super::command_id::different(
                    meta.command_id,
                    first.position.get(),
                ));
            }
            return Ok(first);
        }
        let person = PersonId::from_uuid(*id.as_uuid());
        self.directory.mark(person)?;
        self.directory.put(person, name)?;
        let result = self.execute::<person::Person>(
            meta,
            Target::Create(RefKind::Person, id),
            person::Command::Register { memberships },
            &ctx,
        );
        if result.is_err() {
            if let Err(e) = self.directory.erase(person) {
                tracing::error!(cause = %e, %person, "could not remove the name of an unrecorded person; it is swept on next open");
                return result;
            }
        }
        self.directory.unmark(person)?;
        result
    }

    /// `person erase`: records `PersonErased`, then removes the name from the directory.
    ///
    /// # Errors
    /// Rejections (already erased), storage and directory failures.
    pub fn record_person_erase(&self, meta: &Meta, person: PersonId) -> Result<Recorded, AppError> {
        let ctx = self.context(&[], &[], &[])?;
        self.directory.mark(person)?;
        let recorded = self.execute::<person::Person>(
            meta,
            Target::Existing(RefKind::Person, delib_events::entity::person_stream(person)),
            person::Command::Erase,
            &ctx,
        );
        if recorded.is_ok() {
            self.directory.erase(person)?;
        }
        self.directory.unmark(person)?;
        recorded
    }

    /// `proposal ...`; `target` is `None` for `submit`.
    ///
    /// # Errors
    /// Rejections, conflicts, storage failures.
    pub fn record_proposal(
        &self,
        meta: &Meta,
        existing: Option<ProposalId>,
        cmd: proposal::Command,
    ) -> Result<Recorded, AppError> {
        use proposal::Command as C;
        let mut ctx = match &cmd {
            C::Submit {
                author, community, ..
            } => self.context(&[*author], community.as_slice(), &[])?,
            C::Cosign { by } => self.context(&[*by], &[], &[])?,
            C::Assign { to, .. } => self.context(&[], &[*to], &[])?,
            _ => self.context(&[], &[], &[])?,
        };
        if let C::Decide { basis, .. } = &cmd {
            ctx.basis = self.basis_facts(*basis)?;
        }
        self.execute::<proposal::Proposal>(
            meta,
            target(RefKind::Proposal, existing.map(ProposalId::stream_id)),
            cmd,
            &ctx,
        )
    }

    /// The facts about a decision's basis, or `None` when it does not exist.
    fn basis_facts(&self, basis: Basis) -> Result<Option<BasisFacts>, AppError> {
        Ok(match basis {
            Basis::Hearing(id) => {
                BasisFacts::hearing(id, &self.load::<hearing::Hearing>(id.stream_id())?.state)
            }
            Basis::Consultation(id) => BasisFacts::consultation(
                id,
                &self
                    .load::<consultation::Consultation>(id.stream_id())?
                    .state,
            ),
            Basis::Ballot(id) => {
                BasisFacts::ballot(id, &self.load::<ballot::Ballot>(id.stream_id())?.state)
            }
        })
    }

    /// `hearing ...`; `target` is `None` for `schedule`.
    ///
    /// # Errors
    /// Rejections, conflicts, storage failures.
    pub fn record_hearing(
        &self,
        meta: &Meta,
        existing: Option<HearingId>,
        cmd: hearing::Command,
    ) -> Result<Recorded, AppError> {
        use hearing::Command as C;
        let ctx = match &cmd {
            C::Schedule {
                presided_by,
                proposals,
                ..
            } => self.context(&[], &[*presided_by], proposals)?,
            C::Register { person, .. } => self.context(&[*person], &[], &[])?,
            C::Statement { by, .. } => self.context(&[*by], &[], &[])?,
            _ => self.context(&[], &[], &[])?,
        };
        self.execute::<hearing::Hearing>(
            meta,
            target(RefKind::Hearing, existing.map(HearingId::stream_id)),
            cmd,
            &ctx,
        )
    }

    /// `consultation ...`; `target` is `None` for `convene`.
    ///
    /// # Errors
    /// Rejections, conflicts, storage failures.
    pub fn record_consultation(
        &self,
        meta: &Meta,
        existing: Option<ConsultationId>,
        cmd: consultation::Command,
    ) -> Result<Recorded, AppError> {
        use consultation::Command as C;
        let ctx = match &cmd {
            C::Convene {
                convened_by,
                parties,
                proposals,
                ..
            } => {
                let mut orgs = parties.clone();
                orgs.push(*convened_by);
                self.context(&[], &orgs, proposals)?
            }
            C::Position { party, .. } | C::Commit { party, .. } => {
                self.context(&[], &[*party], &[])?
            }
            _ => self.context(&[], &[], &[])?,
        };
        self.execute::<consultation::Consultation>(
            meta,
            target(
                RefKind::Consultation,
                existing.map(ConsultationId::stream_id),
            ),
            cmd,
            &ctx,
        )
    }

    /// `ballot ...`; `target` is `None` for `open`.
    ///
    /// # Errors
    /// Rejections, conflicts, storage failures.
    pub fn record_ballot(
        &self,
        meta: &Meta,
        existing: Option<BallotId>,
        cmd: ballot::Command,
        parts: &[delib_events::election::PartialDecryption],
    ) -> Result<Recorded, AppError> {
        use ballot::Command as C;
        let mut side = Vec::new();
        let mut cmd = cmd;
        let mut ctx = match &cmd {
            C::Open {
                electorate,
                proposal,
                ..
            }
            | C::OpenInRoom {
                electorate,
                proposal,
                ..
            } => self.context(electorate, &[], proposal.as_slice())?,
            C::Cast { voter, .. } | C::EncryptedCast { voter, .. } => {
                self.context(&[*voter], &[], &[])?
            }
            _ => self.context(&[], &[], &[])?,
        };
        if let Some(id) = existing {
            if let Some((encrypted, writes)) = self.encrypted_command(id, &cmd, parts)? {
                // An encrypted ballot: the choice is encrypted here, the close decrypts the tally.
                cmd = encrypted;
                side = writes;
            } else if !parts.is_empty() {
                return Err(AppError::BadValue(
                    "--part is only for closing an encrypted ballot with tellers".into(),
                ));
            } else {
                // A sealed-urn ballot (recorded before encrypted ballots): its choices go to the urn,
                // outside the log, in the same atomic append as the cast; the close reads them,
                // tallies, and empties the urn in the same append.
                let secret = self.load::<ballot::Ballot>(id.stream_id())?.state.secret;
                match &cmd {
                    C::Cast { choice, .. } if secret => side.push(super::urn::seal(id, choice)?),
                    C::Close if secret => {
                        let (choices, removals) = super::urn::open(self.store(), id)?;
                        ctx.sealed_choices = Some(choices);
                        side = removals;
                    }
                    _ => {}
                }
            }
        }
        ctx.ledger = self.origin()?;
        let recorded = self.execute_with_side::<ballot::Ballot>(
            meta,
            target(RefKind::Ballot, existing.map(BallotId::stream_id)),
            cmd,
            &ctx,
            &side,
        )?;
        if let Some(id) = existing {
            // A close that spent the ledger-held share: its pad goes too.
            self.destroy_spent_pad(id)?;
        }
        Ok(recorded)
    }

    /// `dispute ...`; `target` is `None` for `file`.
    ///
    /// # Errors
    /// Rejections, conflicts, storage failures.
    pub fn record_dispute(
        &self,
        meta: &Meta,
        existing: Option<DisputeId>,
        cmd: dispute::Command,
    ) -> Result<Recorded, AppError> {
        use dispute::Command as C;
        let ctx = match &cmd {
            C::File { parties, .. } => {
                let orgs: Vec<OrgId> = parties.iter().map(|p| p.org).collect();
                self.context(&[], &orgs, &[])?
            }
            C::Mediate { by, .. } => self.context(&[], &[*by], &[])?,
            C::Escalate { to, .. } => self.context(&[], &[*to], &[])?,
            C::Negotiate {
                presided_by,
                representatives,
            } => {
                let persons: Vec<PersonId> = representatives.iter().map(|r| r.person).collect();
                self.context(&persons, &[*presided_by], &[])?
            }
            _ => self.context(&[], &[], &[])?,
        };
        self.execute::<dispute::Dispute>(
            meta,
            target(RefKind::Dispute, existing.map(DisputeId::stream_id)),
            cmd,
            &ctx,
        )
    }

    /// `pledge make|fulfil --for REF`: the target is a proposal, consultation or dispute.
    ///
    /// # Errors
    /// [`AppError::WrongKind`] for another kind of target, rejections, conflicts, storage failures.
    pub fn record_pledge(
        &self,
        meta: &Meta,
        for_ref: &str,
        cmd: pledge::Command,
    ) -> Result<Recorded, AppError> {
        let (r, stream) = self.resolve(for_ref)?;
        let orgs: Vec<OrgId> = match &cmd {
            pledge::Command::Make { by, .. } => vec![*by],
            pledge::Command::Fulfil { .. } => vec![],
        };
        let ctx = self.context(&[], &orgs, &[])?;
        let t = Target::Existing(r.kind, stream);
        match r.kind {
            RefKind::Proposal => self.execute::<Pledges<proposal::Proposal>>(meta, t, cmd, &ctx),
            RefKind::Consultation => {
                self.execute::<Pledges<consultation::Consultation>>(meta, t, cmd, &ctx)
            }
            RefKind::Dispute => self.execute::<Pledges<dispute::Dispute>>(meta, t, cmd, &ctx),
            other => Err(AppError::WrongKind {
                expected: "a proposal, consultation or dispute (PROP-n, CONS-n, DISP-n)".into(),
                got: for_ref.trim().chars().take(80).collect(),
                actual: other.prefix(),
            }),
        }
    }

    /// `correct REF --event POSITION --reason R`: a correcting event in the entity's own stream.
    ///
    /// # Errors
    /// Rejections (a position outside the stream), conflicts, storage failures.
    pub fn record_correction(
        &self,
        meta: &Meta,
        reference: &str,
        cmd: impl Into<correction::Command>,
    ) -> Result<Recorded, AppError> {
        let cmd = cmd.into();
        let (r, stream) = self.resolve(reference)?;
        let mut ctx = self.context(&[], &[], &[])?;
        if let correction::Command::Amend { corrected, .. } = &cmd {
            // The corrected event, if it is of this stream (the domain checks the position).
            ctx.corrected_event = crate::store::EventStore::read_all(self.store(), *corrected, 1)?
                .into_iter()
                .find(|e| e.position() == *corrected && e.metadata.stream_id == stream)
                .map(|e| (e.position(), e.event));
        }
        let t = Target::Existing(r.kind, stream);
        match r.kind {
            RefKind::Organisation => {
                self.execute::<Corrections<organisation::Organisation>>(meta, t, cmd, &ctx)
            }
            RefKind::Person => self.execute::<Corrections<person::Person>>(meta, t, cmd, &ctx),
            RefKind::Proposal => {
                self.execute::<Corrections<proposal::Proposal>>(meta, t, cmd, &ctx)
            }
            RefKind::Hearing => self.execute::<Corrections<hearing::Hearing>>(meta, t, cmd, &ctx),
            RefKind::Consultation => {
                self.execute::<Corrections<consultation::Consultation>>(meta, t, cmd, &ctx)
            }
            RefKind::Ballot => self.execute::<Corrections<ballot::Ballot>>(meta, t, cmd, &ctx),
            RefKind::Dispute => self.execute::<Corrections<dispute::Dispute>>(meta, t, cmd, &ctx),
        }
    }
}
