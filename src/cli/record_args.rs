//! The grammar of the recording and reading commands (`org`, `person`, `proposal`, `pledge`,
//! `hearing`, `consultation`, `ballot`, `dispute`), following `CLI.md`.

use crate::app::request::{
    ballot_args, consultation_args, dispute_args, entity_args, hearing_args, pledge_args,
    proposal_args, register_args,
};
use crate::app::when::Written;
use clap::{ArgGroup, Subcommand};
use delib_events::person::PersonRole;

fn when(s: &str) -> Result<Written, String> {
    super::time::written(s)
}

/// `delib org ...`
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Register an organisation: a committee, a member unit, a company.
    Add(register_args::OrgAdd),
    /// Show one organisation.
    Show {
        /// The organisation (ORG-n).
        org: String,
    },
    /// List organisations.
    List {
        #[command(flatten)]
        page: super::page_args::PageArgs,
    },
}

/// `delib person ...`
#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Register a person. The name is kept in the erasable person directory, never in the log.
    Add {
        /// The person's name.
        #[arg(long)]
        name: String,
        /// An organisation the person belongs to (pair each with a --role).
        #[arg(long = "member-of")]
        member_of: Vec<String>,
        /// The role held in the organisation given by the matching --member-of.
        #[arg(long)]
        role: Vec<PersonRole>,
    },
    /// Erase a person's personal data; the history stays and shows the person as erased.
    Erase(register_args::PersonErase),
    /// Show one person: the name (gone once erased) and memberships.
    Show {
        /// The person (PER-n).
        person: String,
    },
    /// List persons (names of erased persons are gone).
    List {
        #[command(flatten)]
        page: super::page_args::PageArgs,
    },
}

/// `delib proposal ...`: the recording commands' arguments are the request's own
/// ([`crate::app::request::proposal_args`]), defined once for the CLI and the API.
#[derive(Debug, Subcommand)]
pub enum ProposalCommand {
    /// A representative submits a proposal.
    Submit(proposal_args::Submit),
    /// Another person co-signs.
    Cosign(proposal_args::Cosign),
    /// Admit for deliberation.
    Admit(proposal_args::Admit),
    /// Return without deliberation.
    Return(proposal_args::Return),
    /// Withdraw before a decision.
    Withdraw(proposal_args::Withdraw),
    /// Decide on a concluded hearing, consultation or ballot.
    Decide(proposal_args::Decide),
    /// Assign an adopted proposal for implementation.
    Assign(proposal_args::Assign),
    /// Report implementation progress (0-100, never backwards).
    Progress(proposal_args::Progress),
    /// Complete implementation.
    Complete(proposal_args::Complete),
    /// Show one proposal.
    Show {
        /// The proposal.
        proposal: String,
    },
    /// List proposals.
    List {
        /// Only proposals with this status.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        page: super::page_args::PageArgs,
    },
}

/// `delib pledge ...`
#[derive(Debug, Subcommand)]
pub enum PledgeCommand {
    /// An organisation pledges money, labour or expertise.
    #[command(group(ArgGroup::new("what").required(true).args(["money", "labour_days", "expertise"])))]
    Make(pledge_args::Make),
    /// A pledge was fulfilled.
    Fulfil(pledge_args::Fulfil),
}

/// `delib hearing ...`
#[derive(Debug, Subcommand)]
pub enum HearingCommand {
    /// Schedule a democratic hearing.
    Schedule(hearing_args::Schedule),
    /// Register a participant.
    Register(hearing_args::Register),
    /// Open the hearing.
    Open(hearing_args::Open),
    /// Record a participant's statement.
    Statement(hearing_args::Statement),
    /// Close with findings.
    Close(hearing_args::Close),
    /// Cancel.
    Cancel(hearing_args::Cancel),
    /// Show one hearing.
    Show {
        /// The hearing.
        hearing: String,
    },
    /// List hearings.
    List {
        #[command(flatten)]
        page: super::page_args::PageArgs,
    },
}

/// `delib consultation ...`
#[derive(Debug, Subcommand)]
pub enum ConsultationCommand {
    /// Convene a consultation between parties.
    Convene(consultation_args::Convene),
    /// A party states its position.
    Position(consultation_args::Position),
    /// The parties agree on terms.
    Agree(consultation_args::Agree),
    /// No agreement.
    Fail(consultation_args::Fail),
    /// A party commits to something after agreement.
    Commit(consultation_args::Commit),
    /// A commitment was fulfilled.
    Fulfil(consultation_args::Fulfil),
    /// Show one consultation.
    Show {
        /// The consultation.
        consultation: String,
    },
    /// List consultations.
    List {
        #[command(flatten)]
        page: super::page_args::PageArgs,
    },
}

/// `delib ballot ...`
#[derive(Debug, Subcommand)]
pub enum BallotCommand {
    /// Open a ballot with a fixed electorate.
    Open(ballot_args::Open),
    /// A voter casts a ballot.
    Cast(register_args::BallotCast),
    /// Close and tally. An encrypted ballot with tellers closes in two steps: without `--part`,
    /// casting ends; then with every teller's `--part` (from `ballot decrypt-share`), the tally.
    Close {
        /// The ballot.
        ballot: String,
        /// A teller's partial decryption file (repeat, one per teller).
        #[arg(long = "part", value_name = "FILE")]
        parts: Vec<std::path::PathBuf>,
    },
    /// A teller decrypts its share of an encrypted ballot's tally, on its own machine, after casting
    /// ended: from the ledger, or from an export (`--from-export`), with no other ledger needed.
    DecryptShare {
        /// The ballot (`BAL-n` or its UUID).
        ballot: String,
        /// The teller's share file.
        #[arg(long, value_name = "FILE")]
        share: std::path::PathBuf,
        /// Where to write the partial decryption (a new file).
        #[arg(long, value_name = "FILE")]
        output: std::path::PathBuf,
        /// Read the ballot from this export instead of the data directory.
        #[arg(long, value_name = "FILE")]
        from_export: Option<std::path::PathBuf>,
    },
    /// Check an encrypted ballot from its record alone: every cast's proofs, one cast per voter, the
    /// aggregate, the tellers' decryption proofs and the counts (exit 0, or 3 naming the first failure).
    Verify {
        /// The ballot (`BAL-n` or its UUID).
        ballot: String,
        /// Check it in this export instead of the data directory.
        #[arg(long, value_name = "FILE")]
        from_export: Option<std::path::PathBuf>,
    },
    /// Record the counts a meeting took of a ballot taken in the room (`open --in-person`); this
    /// closes it, quorum (met by the members present) and threshold checked as for every ballot.
    RecordResult {
        /// The ballot.
        ballot: String,
        /// Hands for one option, OPTION=N (repeat; an option not named counted none).
        #[arg(long = "count", value_name = "OPTION=N", required = true)]
        counts: Vec<String>,
        /// Members of the electorate present in the room.
        #[arg(long, value_name = "N")]
        present: u64,
        /// The minutes (会议纪要), attached to the ballot as a document by the same command.
        #[arg(long, value_name = "FILE")]
        minutes: Option<std::path::PathBuf>,
    },
    /// Show one ballot.
    Show {
        /// The ballot.
        ballot: String,
    },
    /// List ballots.
    List {
        #[command(flatten)]
        page: super::page_args::PageArgs,
    },
}

/// `delib dispute ...`
#[derive(Debug, Subcommand)]
pub enum DisputeCommand {
    /// File a dispute between parties on two or more sides.
    File(dispute_args::File),
    /// A body attempted mediation.
    Mediate(dispute_args::Mediate),
    /// Escalate to another body.
    Escalate(dispute_args::Escalate),
    /// A body presided over a negotiation between representatives of the sides.
    Negotiate(dispute_args::Negotiate),
    /// The dispute was resolved.
    Resolve(dispute_args::Resolve),
    /// The resolution was carried out.
    Implement(dispute_args::Implement),
    /// Close after implementation or withdrawal.
    Close(dispute_args::Close),
    /// Withdraw before resolution.
    Withdraw(dispute_args::Withdraw),
    /// Show one dispute.
    Show {
        /// The dispute.
        dispute: String,
    },
    /// The dispute's steps, as they stood at a time or ledger position.
    Timeline {
        /// The dispute.
        dispute: String,
        /// Only acts that happened by then.
        #[arg(long = "as-of", value_parser = when)]
        as_of: Option<Written>,
        /// Only what the ledger held at this position.
        #[arg(long = "at-position")]
        at_position: Option<u64>,
    },
    /// List disputes.
    List {
        #[command(flatten)]
        page: super::page_args::PageArgs,
    },
}

/// `delib document ...`
#[derive(Debug, Subcommand)]
pub enum DocumentCommand {
    /// Withdraw a document (it names a person later erased, say): the file is deleted, and the hash
    /// stays in the record as evidence that it existed.
    Withdraw(entity_args::DocumentWithdraw),
}
