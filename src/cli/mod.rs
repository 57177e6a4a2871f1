//! The `delib` command line: argument parsing ([`args`]), one module per command group, output and
//! the mapping of failures to exit codes ([`error`]).

pub mod args;
mod audit_cmd;
mod bench_cmd;
pub mod error;
mod internal;
mod ledger_cmd;
pub mod output;

pub use self::args::{Cli, Command};
pub use self::error::CliError;

use self::output::Output;
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
}

/// Runs a parsed command line.
///
/// # Errors
/// A [`CliError`] whose [`CliError::exit_code`] the binary exits with.
pub fn run(cli: Cli) -> Result<(), CliError> {
    let globals = Globals {
        data: cli.global.data.clone(),
        out: Output {
            json: cli.global.json,
        },
        clock: Arc::new(SystemClock),
    };
    match cli.command {
        Command::Init { name } => ledger_cmd::init(&globals, &name),
        Command::Status => ledger_cmd::status(&globals),
        Command::Audit(cmd) => audit_cmd::run(&globals, cmd),
        Command::Bench(bench) => bench_cmd::run(&globals, bench),
        Command::Internal(cmd) => internal::run(&globals, cmd),
    }
}
