//! The command-line grammar (clap). Names and flags follow `../shared/CLI.md`.

use crate::app::request::entity_args;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub use super::record_args::{
    BallotCommand, ConsultationCommand, DisputeCommand, DocumentCommand, HearingCommand,
    OrgCommand, PersonCommand, PledgeCommand, ProposalCommand,
};

/// delib: an event-sourced deliberation ledger for neighbourhood self-governance.
#[derive(Debug, Parser)]
#[command(name = "delib", version, about, long_about = None)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after the subcommand.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// The ledger's directory.
    #[arg(
        long,
        global = true,
        env = "DELIB_DATA",
        default_value = "./delib-data"
    )]
    pub data: PathBuf,
    /// Print exactly one JSON value on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// Who is recording (a PER-n reference).
    #[arg(long = "as", global = true, env = "DELIB_AS")]
    pub as_person: Option<String>,
    /// When the act happened: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (local) or RFC 3339. Default: now.
    #[arg(long, global = true)]
    pub at: Option<String>,
    /// On recording commands: the command's id (a UUID). Running the command again with the same id
    /// records nothing and prints the first result; the same id with another command is refused.
    #[arg(long = "command-id", global = true, value_name = "UUID")]
    pub command_id: Option<uuid::Uuid>,
    /// How long to wait for the ledger's lock while another delib process holds it.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 10.0)]
    pub wait: f64,
    /// Open the ledger as a read-only view (writes are refused). Automatic when the data directory
    /// is not writable.
    #[arg(long = "read-only", global = true)]
    pub read_only: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a ledger in --data.
    Init {
        /// The ledger's public name.
        #[arg(long, default_value = "delib ledger")]
        name: String,
        /// The ledger's time zone, a UTC offset such as +08:00 (or UTC): dates and times written
        /// without a zone are read in it. Default: the machine's local zone.
        #[arg(long = "tz", value_name = "OFFSET")]
        tz: Option<String>,
    },
    /// Print the ledger's head: its size and the hash of its last record.
    Status,
    /// Integrity: verification, signed checkpoints, Merkle proofs.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Benchmarks, each against a baseline in the same run.
    #[command(subcommand)]
    Bench(BenchCommand),
    /// Internal helpers for tests (crash testing). Not a stable interface.
    #[command(subcommand, hide = true)]
    Internal(InternalCommand),

    // ---- recording and reading the deliberation practices (issue 3) ----
    /// Organisations: committees, member units, companies.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Persons (names kept outside the log, erasable).
    #[command(subcommand)]
    Person(PersonCommand),
    /// Resident representative proposals (居民代表提案).
    #[command(subcommand)]
    Proposal(ProposalCommand),
    /// Pledges of money, labour or expertise by member units.
    #[command(subcommand)]
    Pledge(PledgeCommand),
    /// Democratic hearings (民主聽證會).
    #[command(subcommand)]
    Hearing(HearingCommand),
    /// Consultation dialogue meetings (協商對話會).
    #[command(subcommand)]
    Consultation(ConsultationCommand),
    /// Ballots of the residents' representative assembly (居民代表會議).
    #[command(subcommand)]
    Ballot(BallotCommand),
    /// Dispute mediation (糾紛調解).
    #[command(subcommand)]
    Dispute(DisputeCommand),
    /// Record a correction of one of an entity's events; the original stays in the history.
    Correct(entity_args::Correct),
    /// Void an act recorded in error: views drop it, history keeps it struck through; refused if
    /// later acts depend on it.
    Void(entity_args::Void),
    /// Attach a document (minutes 会议纪要, an agreement 协议书, a photo of a posting 公示) to an
    /// entity: the file is stored beside the log under its SHA-256, and the record keeps the hash,
    /// size, media type and title.
    Attach {
        /// The entity (PROP-n, HEAR-n, BAL-n... or a UUID).
        reference: String,
        /// The file.
        #[arg(long, value_name = "PATH")]
        file: PathBuf,
        /// The title (default: the file's name without its extension).
        #[arg(long)]
        title: Option<String>,
        /// Visible to auditors only: not on public pages, the public API or public reports.
        #[arg(long)]
        private: bool,
    },
    /// Documents attached to entities.
    #[command(subcommand)]
    Document(DocumentCommand),
    /// Every event of one entity, oldest first.
    History {
        /// The entity (a reference or UUID).
        reference: String,
    },

    // ---- reports, projections, open data, demo (issue 4) ----
    /// Transparency reports, and checking a report against the ledger.
    #[command(subcommand)]
    Report(ReportCommand),
    /// The persisted views: their status, and rebuilding them from the log.
    #[command(subcommand)]
    Projections(ProjectionsCommand),
    /// Every event as JSON Lines, oldest first (open data; each line carries the exact record bytes).
    Export {
        /// Write here instead of stdout.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Load an export (`delib export`) into an empty ledger: the same records, byte for byte.
    Import {
        /// The JSON Lines file.
        file: PathBuf,
        /// The exporting ledger's public key (`delib audit key` there), so that its checkpoints in the
        /// log still verify here.
        #[arg(long)]
        key: Option<String>,
        /// A signed checkpoint of the exporting ledger (a C2SP note, e.g. from its transparency
        /// report or a witness), obtained separately; checked with --key. The history must agree.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Back up the ledger into DIR while it is in use: consistent, verifiable, incremental (only
    /// the records new since the last backup in DIR are copied). DIR holds secrets: keep it private.
    Backup {
        /// The backup directory (created if missing).
        #[arg(long)]
        to: PathBuf,
    },
    /// Restore a backup (`delib backup`) into an empty --data: the same records byte for byte, the
    /// signing key, the people directory, open ballots' state; verified before it reports done.
    /// With --from-mirror, make a working ledger from a mirror's verified replica instead.
    Restore {
        /// The backup directory.
        #[arg(
            long,
            required_unless_present = "from_mirror",
            conflicts_with = "from_mirror"
        )]
        from: Option<PathBuf>,
        /// The mirror's directory (`delib mirror --data DIR`).
        #[arg(long = "from-mirror")]
        from_mirror: Option<PathBuf>,
        /// A signed checkpoint obtained separately (a C2SP note) the backup must agree with.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Record the article's cases (Shibei, the property dispute, a Shuangjing/Sanlitun proposal) into
    /// --data with their historical dates, print a summary and the dispute timeline, write the report.
    Demo,

    // ---- publishing and mirroring (issue 11) ----
    /// Write the ledger as a C2SP tiled transparency log (tlog-tiles) into a directory any static
    /// host can serve: only new tiles, the checkpoint last and atomically.
    Publish {
        /// The directory (created if missing).
        #[arg(long)]
        to: PathBuf,
    },
    /// Follow a published ledger into a verified replica in --data: new tiles are checked against the
    /// signed checkpoint and a fork is refused.
    Mirror {
        /// A URL prefix (`https://example.org/tlog`, as `serve` gives it) or a published directory.
        #[arg(long)]
        from: String,
        /// The log's verifier key (`delib audit key` there); needed on the first run, then remembered.
        #[arg(long)]
        key: Option<String>,
    },
    /// A district's view of many communities' ledgers, each read from a verified mirror.
    #[command(subcommand)]
    District(DistrictCommand),
    /// A tlog-witness over --data: cosigns checkpoints of the logs it follows, refusing split views.
    #[command(subcommand)]
    Witness(WitnessCommand),

    // ---- the ledger as a service (issue 6) ----
    /// Serve the ledger over HTTP: JSON API, live feed, web pages. Ctrl-C stops it gracefully.
    Serve {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: String,
        /// How often the whole ledger is re-verified in the background (`30s`, `6h`, `1d`; `0`: never).
        #[arg(long, value_name = "DURATION", default_value = "1d")]
        scrub_every: String,
        /// Longest wait for a request's body (its head: 10 s).
        #[arg(long, value_name = "DURATION", default_value = "30s")]
        body_timeout: String,
        /// On SIGINT or SIGTERM, longest wait for in-flight requests before dropping them.
        #[arg(long, value_name = "DURATION", default_value = "10s")]
        drain_timeout: String,
        /// After a failed write, how often to check whether the disk takes writes again.
        #[arg(long, value_name = "DURATION", default_value = "5s", hide = true)]
        recover_every: String,
        /// A mirror's directory (`delib mirror --data`) to show on the district's page
        /// (`/district`, linked from the navigation); repeat for each community.
        #[arg(long, value_name = "DIR")]
        district: Vec<std::path::PathBuf>,
    },
    /// Access tokens for the server (only their hashes are stored).
    #[command(subcommand)]
    Token(TokenCommand),
}

/// `delib report ...`
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The transparency report for a period (acts that happened from --from to --to, inclusive).
    Transparency {
        /// Start of the period (a date means its start).
        #[arg(long)]
        from: String,
        /// End of the period (a date means its end).
        #[arg(long)]
        to: String,
        /// md, html or json.
        #[arg(long, default_value = "md", value_parser = ["md", "html", "json"])]
        format: String,
        /// en or zh (Simplified Chinese labels; data as recorded).
        #[arg(long, default_value = "en", value_parser = ["en", "zh"])]
        lang: String,
        /// Write the report here instead of stdout.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Check that a JSON report is exactly what the ledger held at the report's size, and that its
    /// checkpoint is signed and consistent with the ledger now.
    Verify {
        /// The report (from `report transparency --format json`).
        file: PathBuf,
    },
}

/// `delib projections ...`
#[derive(Debug, Subcommand)]
pub enum ProjectionsCommand {
    /// Each projection's version, position and whether it is current.
    Status,
    /// Replay the log from position 1 into fresh views (all, or one by --name).
    Rebuild {
        /// directory, proposals, hearings, consultations, ballots or disputes.
        #[arg(long)]
        name: Option<String>,
    },
}

/// `delib token ...`
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print its secret once.
    Create {
        /// clerk (records) or auditor (reads everything).
        #[arg(long)]
        role: String,
        /// The person it acts for (PER-n): `recorded_by` of its writes.
        #[arg(long = "for")]
        person: String,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by its id.
    Revoke {
        /// The token's id (from `token list`).
        id: String,
    },
}

/// `delib audit ...`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Re-read every record and check the chain, the Merkle tree, the indexes and every checkpoint.
    /// With --from-backup or --from-export, check an archive instead, without sled and without
    /// writing anything.
    Verify {
        /// A backup directory (`delib backup --to`).
        #[arg(long = "from-backup", conflicts_with = "from_export")]
        from_backup: Option<PathBuf>,
        /// An export (`delib export`).
        #[arg(long = "from-export")]
        from_export: Option<PathBuf>,
        /// The ledger's public key (`delib audit key`), to check an export's checkpoint signatures
        /// and --checkpoint.
        #[arg(long)]
        key: Option<String>,
        /// A signed checkpoint obtained separately (a C2SP note) the archive must agree with.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Verify as `verify` does and record the outcome for `status` (what `serve` does in the
    /// background); a problem found halts appends until it is accepted or the ledger restored.
    Scrub,
    /// Accept the problems the last scrub found, so that appends resume (recorded, shown by `status`).
    AcceptProblem {
        /// Why (kept with the acceptance).
        #[arg(long)]
        reason: String,
    },
    /// Sign the current tree head and record the checkpoint in the ledger.
    Checkpoint,
    /// Ask a witness (tlog-witness) to cosign the head; keep the cosigned checkpoint in the side
    /// store `DATA/cosignatures.jsonl`.
    Witness {
        /// The witness's URL prefix.
        #[arg(long)]
        url: String,
        /// The witness's public key (`delib witness key` there), to verify its cosignature.
        #[arg(long = "witness-key")]
        witness_key: Option<String>,
    },
    /// Who witnessed which checkpoint: the cosignatures collected.
    Witnesses,
    /// Print the ledger's public key (to check checkpoints and proofs against).
    Key,
    /// The decision history: every act with its position, when it happened and was recorded, by whom.
    Log {
        /// Only acts by or involving this person or organisation.
        #[arg(long)]
        actor: Option<String>,
        /// Only acts that happened at or after this time.
        #[arg(long)]
        from: Option<String>,
        /// Only acts that happened at or before this time (a date means its end).
        #[arg(long)]
        to: Option<String>,
        /// Show at most this many acts (default 1000, at most 10000).
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        /// Show the acts after this position.
        #[arg(long, value_name = "POSITION")]
        after: Option<u64>,
    },
    /// Prove that the record at a position is in the tree of a given size.
    Prove {
        /// The record's position.
        #[arg(long)]
        position: u64,
        /// The tree size (default: the current size).
        #[arg(long)]
        size: Option<u64>,
    },
    /// Prove that the tree of one size extends the tree of an earlier size.
    Consistency {
        /// The earlier size.
        #[arg(long = "from-size")]
        from_size: u64,
        /// The later size (default: the current size).
        #[arg(long = "to-size")]
        to_size: Option<u64>,
    },
    /// Check a proof file offline, without a ledger.
    CheckProof {
        /// The proof file (from `audit prove` or `audit consistency` with --json).
        file: PathBuf,
        /// The ledger's verifier key, obtained separately (`delib audit key`); default: the file's.
        #[arg(long)]
        key: Option<String>,
    },
}

/// `delib district ...`
#[derive(Debug, Subcommand)]
pub enum DistrictCommand {
    /// The transparency numbers of each community (verified mirror) side by side, and their sum.
    Report {
        /// A mirror's directory (`delib mirror --data DIR`); repeat for each community.
        #[arg(long, required = true)]
        mirror: Vec<PathBuf>,
        /// Start of the period (a date means its start).
        #[arg(long)]
        from: String,
        /// End of the period (a date means its end).
        #[arg(long)]
        to: String,
    },
}

/// `delib witness ...`
#[derive(Debug, Subcommand)]
pub enum WitnessCommand {
    /// Serve the tlog-witness protocol (POST /add-checkpoint, GET /<origin hash>/checkpoint).
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8081")]
        addr: String,
        /// The witness's name for a new witness (a schema-less URL, e.g. witness.example.org/w1).
        #[arg(long)]
        name: Option<String>,
    },
    /// Follow a log: its verifier key (`delib audit key` of that ledger); the origin is its name.
    AddLog {
        /// The log's key.
        #[arg(long)]
        key: String,
        /// The witness's name, if the witness is new.
        #[arg(long)]
        name: Option<String>,
    },
    /// Print the witness's public key (vkey, signature type 0x04).
    Key {
        /// The witness's name, if the witness is new.
        #[arg(long)]
        name: Option<String>,
    },
}

/// `delib bench ...`
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Durable appends through the real store vs raw sled with flush + fsync.
    Append {
        /// How many events.
        #[arg(long, default_value_t = 20_000)]
        events: u64,
        /// Concurrent writers.
        #[arg(long, default_value_t = 64)]
        writers: u64,
        /// Where to make the temporary directories (default: the system's temp dir).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Merkle tree: append cost with and without it, inclusion and consistency proof times.
    Proof(ProofBenchArgs),
    /// The same mix of commands over HTTP on a 10k-event and on a large ledger (busiest entities
    /// 5,000 events): throughput and p99 ratios, creations against other commands, then every read
    /// command and disk use on the large ledger.
    Scale(ScaleBenchArgs),
    /// The HTTP server under load: concurrent clients append on loopback; throughput, p50/p99
    /// latency, then `audit verify`.
    Serve {
        /// Concurrent HTTP clients.
        #[arg(long, default_value_t = 64)]
        clients: u64,
        /// How long they append.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Where to make the temporary directory.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Rebuilding every projection vs a raw scan-and-decode of the same events.
    Rebuild {
        /// How many events.
        #[arg(long, default_value_t = 100_000)]
        events: u64,
        /// Where to make the temporary directory.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// An encrypted ballot: cast (encrypt and prove), verify every cast, close (tellers' partial
    /// decryptions with proofs, counts), against bare encryption without proofs.
    Ballot {
        /// Voters who cast.
        #[arg(long, default_value_t = 1000)]
        voters: u64,
        /// Options on the ballot.
        #[arg(long, default_value_t = 4)]
        options: u64,
        /// Tellers.
        #[arg(long, default_value_t = 2)]
        tellers: u64,
    },
    /// Publishing the ledger as tiles (tiles written per second) and a mirror catching up from
    /// them (events verified per second), against copying the records' bytes to files.
    Publish {
        /// Events in the ledger.
        #[arg(long, default_value_t = 100_000)]
        events: u64,
        /// Where to make the temporary directories.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// One dispute's timeline read in a 1,000-event ledger and in a ledger of --events events.
    Replay {
        /// Events in the large ledger.
        #[arg(long, default_value_t = 100_000)]
        events: u64,
        /// Where to make the temporary directories.
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

/// `delib bench scale`: see [`BenchCommand::Scale`].
#[derive(Debug, Args)]
pub struct ScaleBenchArgs {
    /// Events in the large ledger (about).
    #[arg(long, default_value_t = 1_000_000)]
    pub events: u64,
    /// Concurrent HTTP clients.
    #[arg(long, default_value_t = 64)]
    pub clients: u64,
    /// How long the load runs on each ledger.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Keep built ledgers in this directory and reuse them in later runs (each run works on a copy).
    #[arg(long)]
    pub ledger_cache: Option<PathBuf>,
    /// Where to make the temporary directory.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Skip the read commands and the disk figures.
    #[arg(long)]
    pub skip_reads: bool,
    /// Move the large ledger here after the run (as the reads left it, or as the load left it with
    /// `--skip-reads`), to time or profile reads on it; the directory must not exist.
    #[arg(long)]
    pub keep: Option<PathBuf>,
}

/// `delib bench proof`: see [`BenchCommand::Proof`].
#[derive(Debug, Args)]
pub struct ProofBenchArgs {
    /// How many events in the ledger.
    #[arg(long, default_value_t = 100_000)]
    pub events: u64,
    /// Concurrent writers while filling.
    #[arg(long, default_value_t = 4)]
    pub writers: u64,
    /// Where to make the temporary directories.
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

/// `delib internal ...`
#[derive(Debug, Subcommand)]
pub enum InternalCommand {
    /// Append test events from W writers forever, printing `ack POSITION EVENT_ID` after each durable
    /// append. Used by the crash test, which kills it.
    CrashWriter {
        /// Concurrent writers.
        #[arg(long, default_value_t = 8)]
        writers: u64,
    },
}
