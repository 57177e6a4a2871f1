//! The `delib` command line: argument parsing ([`args`]), one module per command group, output and
//! the mapping of failures to exit codes ([`error`]).

pub mod args;
mod audit_cmd;
mod backup_cmd;
mod ballot_cmd;
mod bench_cmd;
mod demo_cmd;
pub mod error;
pub mod forward;
mod internal;
mod ledger_cmd;
mod open;
pub mod output;
pub mod output_file;
mod page_args;
mod proposal_cmd;
mod record_args;
mod record_cmd;
mod record_kinds_cmd;
mod render;
mod report_cmd;
mod scrub_cmd;
mod serve_cmd;
pub mod time;
mod tlog_cmd;

pub use self::args::{Cli, Command};
pub use self::error::CliError;

use self::output::Output;
use crate::app::Request;
use crate::clock::{Clock, SystemClock};
use std::path::PathBuf;
use std::sync::Arc;

/// What every command gets: the global options, resolved.
#[derive(Debug, Clone)]
pub struct Globals {
    /// The data directory.
    pub data: PathBuf,
    /// How to print.
    pub out: Output,
    /// The ledger clock.
    pub clock: Arc<dyn Clock>,
    /// Who is recording (`--as`), as typed.
    pub as_person: Option<String>,
    /// When the act happened (`--at`), as typed.
    pub at: Option<String>,
    /// The command's id (`--command-id`), for safe retries of a recording command.
    pub command_id: Option<uuid::Uuid>,
    /// The running server's state, when the server runs this command for a CLI on its socket.
    pub served: Option<crate::server::Shared>,
}

/// Clap's rendered usage error as one line: its first paragraph, with the lines that name what is
/// missing or wrong (clap puts each missing argument on its own indented line) joined to the first.
pub fn usage_line(rendered: &str) -> String {
    let mut lines = rendered
        .lines()
        .take_while(|l| !l.trim().is_empty() && !l.starts_with("Usage:"));
    let first = lines.next().unwrap_or("error: bad usage").trim_end();
    let rest: Vec<&str> = lines.map(str::trim).collect();
    if rest.is_empty() {
        first.to_owned()
    } else {
        format!("{first} {}", rest.join(", "))
    }
}

/// Runs a parsed command line.
///
/// # Errors
/// A [`CliError`] whose [`CliError::exit_code`] the binary exits with.
pub fn run(cli: Cli) -> Result<(), CliError> {
    run_command(cli).map_err(serve_cmd::explain_lock)
}

fn run_command(cli: Cli) -> Result<(), CliError> {
    if !cli.global.wait.is_finite() || cli.global.wait < 0.0 {
        return Err(CliError::Usage(
            "--wait: a number of seconds, 0 or more".into(),
        ));
    }
    if let Some(outcome) = forward::try_forward(&cli, &std::env::args_os().collect::<Vec<_>>()) {
        return outcome;
    }
    crate::store::set_open_defaults(crate::store::OpenDefaults {
        lock_wait: std::time::Duration::from_secs_f64(cli.global.wait.min(86_400.0)),
        read_only: cli.global.read_only,
        on_wait: Some(ledger_cmd::say_waiting),
    });
    let globals = Globals {
        data: cli.global.data.clone(),
        out: Output {
            json: cli.global.json,
            quiet: false,
        },
        clock: Arc::new(SystemClock),
        as_person: cli.global.as_person.clone(),
        at: cli.global.at.clone(),
        command_id: cli.global.command_id,
        served: None,
    };
    dispatch(&globals, cli.command)
}

/// Runs one command with resolved global options.
///
/// # Errors
/// As [`run`].
pub fn dispatch(globals: &Globals, command: Command) -> Result<(), CliError> {
    let globals = globals.clone();
    match command {
        Command::Init { name, tz } => ledger_cmd::init(&globals, &name, tz.as_deref()),
        Command::Status => ledger_cmd::status(&globals),
        Command::Audit(cmd) => audit_cmd::run(&globals, cmd),
        Command::Bench(bench) => bench_cmd::run(&globals, bench),
        Command::Internal(cmd) => internal::run(&globals, cmd),
        // ---- recording and reading (issue 3) ----
        Command::Org(cmd) => record_kinds_cmd::org(&globals, cmd),
        Command::Person(cmd) => record_kinds_cmd::person(&globals, cmd),
        Command::Proposal(cmd) => proposal_cmd::run(&globals, cmd),
        Command::Pledge(cmd) => proposal_cmd::pledge(&globals, cmd),
        Command::Hearing(cmd) => record_kinds_cmd::hearing(&globals, cmd),
        Command::Consultation(cmd) => record_kinds_cmd::consultation(&globals, cmd),
        Command::Ballot(cmd) => record_kinds_cmd::ballot(&globals, cmd),
        Command::Dispute(cmd) => record_kinds_cmd::dispute(&globals, cmd),
        Command::Correct(r) => record_cmd::record(&globals, Request::Correct(r)),
        Command::Void(r) => record_cmd::record(&globals, Request::Void(r)),
        Command::Attach {
            reference,
            file,
            title,
            private,
        } => record_cmd::record(
            &globals,
            crate::app::request::Request::Attach {
                reference,
                file: crate::app::attach::Attachment::read(&file)?,
                title,
                private,
            },
        ),
        Command::Document(record_args::DocumentCommand::Withdraw(r)) => {
            record_cmd::record(&globals, Request::DocumentWithdraw(r))
        }
        Command::History { reference } => record_cmd::history(&globals, &reference),
        // ---- the ledger as a service (issue 6) ----
        Command::Serve {
            addr,
            scrub_every,
            body_timeout,
            drain_timeout,
            recover_every,
            district,
        } => serve_cmd::serve(
            &globals,
            &addr,
            &serve_cmd::ServeTimes {
                scrub_every,
                body_timeout,
                drain_timeout,
                recover_every,
            },
            &district,
        ),
        Command::Token(cmd) => serve_cmd::token(&globals, cmd),
        Command::Report(cmd) => report_cmd::run(&globals, cmd),
        Command::Projections(cmd) => report_cmd::projections(&globals, cmd),
        Command::Export { output } => report_cmd::export(&globals, output.as_deref()),
        Command::Import {
            file,
            key,
            checkpoint,
        } => report_cmd::import(&globals, &file, key.as_deref(), checkpoint.as_deref()),
        Command::Backup { to } => backup_cmd::backup(&globals, &to),
        Command::Restore {
            from_mirror: Some(mirror),
            ..
        } => tlog_cmd::restore(&globals, &mirror),
        Command::Restore {
            from: Some(from),
            checkpoint,
            ..
        } => backup_cmd::restore(&globals, &from, checkpoint.as_deref()),
        Command::Restore { .. } => Err(CliError::Usage(
            "restore needs --from DIR (a backup) or --from-mirror DIR".into(),
        )),
        Command::Demo => demo_cmd::run(&globals),
        Command::Publish { to } => tlog_cmd::publish(&globals, &to),
        Command::Mirror { from, key } => tlog_cmd::mirror(&globals, &from, key.as_deref()),
        Command::Witness(cmd) => tlog_cmd::witness(&globals, cmd),
        Command::District(cmd) => tlog_cmd::district(&globals, cmd),
    }
}
