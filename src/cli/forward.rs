//! A CLI command that finds a server holding its ledger goes through it, on the server's Unix
//! socket `DATA/delib.sock` ([`crate::server::socket`]): the CLI sends its command line (paths
//! made absolute, values taken from the environment written out, and a command id so that a
//! retry after a lost connection cannot record twice), the server runs the very same command code
//! on its open ledger with the output captured, and the CLI prints what came back and exits with
//! the same code. So output and exit codes are those of a CLI run by construction.
//!
//! Commands that make or replace a ledger, or hold one themselves (`init`, `serve`, `demo`,
//! `import`, `restore`, `mirror`, `witness`, `bench`, `district`), and `--read-only` views run in
//! the CLI as before.

use super::args::{Cli, Command};
use super::output::{self, Output};
use super::{CliError, Globals};
use crate::server::socket::{self, Answer, Forwarded, MAX_REQUEST};
use crate::server::Shared;
use clap::CommandFactory;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Whether `cli` goes through a server holding its ledger.
pub fn forwardable(cli: &Cli) -> bool {
    !cli.global.read_only
        && matches!(
            cli.command,
            Command::Status
                | Command::Audit(_)
                | Command::Org(_)
                | Command::Person(_)
                | Command::Proposal(_)
                | Command::Pledge(_)
                | Command::Hearing(_)
                | Command::Consultation(_)
                | Command::Ballot(_)
                | Command::Dispute(_)
                | Command::Correct(_)
                | Command::Void(_)
                | Command::History { .. }
                | Command::Token(_)
                | Command::Report(_)
                | Command::Projections(_)
                | Command::Export { .. }
                | Command::Backup { .. }
                | Command::Publish { .. }
        )
}

/// Runs `cli` through the server holding its ledger, if one listens on its socket: `None` when
/// there is none (the command then runs here).
pub fn try_forward(cli: &Cli, argv: &[OsString]) -> Option<Result<(), CliError>> {
    if !forwardable(cli) {
        return None;
    }
    let path = socket::socket_path(&cli.global.data);
    let stream = match std::os::unix::net::UnixStream::connect(&path) {
        Ok(stream) => stream,
        // No server (or a stale socket left by a killed one): the command opens the ledger here.
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return None
        }
        Err(e) => {
            return Some(Err(CliError::Held(format!(
                "a delib server holds the ledger at {}, but its socket {} refused this user: {e} \
                 (the socket's permissions decide who may use the ledger while it is served)",
                cli.global.data.display(),
                path.display()
            ))))
        }
    };
    tracing::debug!("going through the server holding the ledger");
    Some(forward(stream, argv))
}

fn forward(mut stream: std::os::unix::net::UnixStream, argv: &[OsString]) -> Result<(), CliError> {
    let cwd = std::env::current_dir()
        .map_err(|e| CliError::Usage(format!("cannot read the current directory: {e}")))?;
    let (argv, command_id) = prepare(argv, &cwd)?;
    let request =
        serde_json::to_vec(&Forwarded { argv }).map_err(|e| CliError::Usage(e.to_string()))?;
    let lost = |e: std::io::Error| {
        CliError::Held(format!(
            "the connection to the server holding the ledger was lost ({e}); the command may or may \
             not have been recorded: retry with --command-id {command_id} (the same id records it \
             at most once)"
        ))
    };
    let len = u32::try_from(request.len())
        .ok()
        .filter(|n| *n <= MAX_REQUEST)
        .ok_or_else(|| CliError::Usage("the command line is too long".into()))?;
    stream.write_all(&len.to_be_bytes()).map_err(lost)?;
    stream.write_all(&request).map_err(lost)?;
    let mut head = [0u8; 4];
    stream.read_exact(&mut head).map_err(lost)?;
    let mut body = vec![0; u32::from_be_bytes(head) as usize];
    stream.read_exact(&mut body).map_err(lost)?;
    let answer: Answer = serde_json::from_slice(&body)
        .map_err(|e| lost(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
    let mut out = std::io::stdout().lock();
    out.write_all(answer.stdout.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| CliError::Output {
            path: PathBuf::from("(standard output)"),
            source: e,
        })?;
    if !answer.stderr.is_empty() {
        eprint!("{}", answer.stderr);
    }
    match answer.error {
        None if answer.code == 0 => Ok(()),
        error => Err(CliError::Remote {
            code: answer.code.max(1),
            message: error.unwrap_or_else(|| "the command failed in the server".into()),
        }),
    }
}

/// The command line as the server gets it: UTF-8, `--flag=value` split in two, every path value
/// absolute, values taken from the environment written out, and a `--command-id` (returned).
fn prepare(argv: &[OsString], cwd: &Path) -> Result<(Vec<String>, uuid::Uuid), CliError> {
    let mut args = Vec::with_capacity(argv.len() + 4);
    let mut options_end = false;
    for (i, arg) in argv.iter().enumerate() {
        let arg = arg.to_str().ok_or_else(|| {
            CliError::Usage("an argument is not UTF-8, so it cannot go to the server".into())
        })?;
        if i > 0 && !options_end && arg.starts_with("--") && arg.len() > 2 {
            if let Some((flag, value)) = arg.split_once('=') {
                args.push(flag.to_owned());
                args.push(value.to_owned());
                continue;
            }
        }
        options_end |= arg == "--";
        args.push(arg.to_owned());
    }
    let mut command = Cli::command();
    command.build();
    let matches = command
        .clone()
        .try_get_matches_from(&args)
        .map_err(|e| CliError::Usage(super::usage_line(&e.render().to_string())))?;
    for i in path_values(&command, &args) {
        let value = &mut args[i];
        let path = Path::new(value.as_str());
        if value != "-" && path.is_relative() {
            *value = cwd.join(path).to_string_lossy().into_owned();
        }
    }
    let mut from_env = Vec::new();
    env_values(&command, &matches, &mut from_env);
    // The environment's `--data` is a path too.
    if let Some(i) = from_env.iter().position(|f| f == "--data") {
        let path = Path::new(&from_env[i + 1]);
        if path.is_relative() {
            from_env[i + 1] = cwd.join(path).to_string_lossy().into_owned();
        }
    }
    let id = matches
        .get_one::<uuid::Uuid>("command_id")
        .copied()
        .unwrap_or_else(uuid::Uuid::now_v7);
    // Global options go before the subcommand's own arguments (a trailing `--` may follow).
    let mut extra = from_env;
    if matches.get_one::<uuid::Uuid>("command_id").is_none() {
        extra.extend(["--command-id".to_owned(), id.to_string()]);
    }
    args.splice(1..1, extra);
    Ok((args, id))
}

/// The indices in `args` (split `--flag value`, as [`prepare`] makes them) of the values that are
/// paths: walks the tokens as clap reads them, descending into subcommands by name.
fn path_values(root: &clap::Command, args: &[String]) -> Vec<usize> {
    let is_path =
        |arg: &clap::Arg| arg.get_value_parser().type_id() == std::any::TypeId::of::<PathBuf>();
    let mut found = Vec::new();
    let mut command = root;
    let mut positional = 0;
    let mut options_end = false;
    let mut i = 1;
    while i < args.len() {
        let token = args[i].as_str();
        if !options_end && token == "--" {
            options_end = true;
        } else if let Some(long) = token.strip_prefix("--").filter(|_| !options_end) {
            if let Some(arg) = command.get_arguments().find(|a| a.get_long() == Some(long)) {
                if arg.get_action().takes_values() {
                    if is_path(arg) {
                        found.push(i + 1);
                    }
                    i += 1;
                }
            }
        } else if token.starts_with('-') && token.len() > 1 && !options_end {
            // Short flags take no values in this CLI (only -h, -V).
        } else if let Some(sub) = (positional == 0)
            .then(|| command.find_subcommand(token))
            .flatten()
        {
            command = sub;
        } else {
            if let Some(arg) = command.get_positionals().nth(positional) {
                if is_path(arg) {
                    found.push(i);
                }
            }
            positional += 1;
        }
        i += 1;
    }
    found.retain(|i| *i < args.len());
    found
}

/// `--flag value` pairs for the values `matches` took from the environment (the server has its own).
fn env_values(command: &clap::Command, matches: &clap::ArgMatches, from_env: &mut Vec<String>) {
    for arg in command.get_arguments() {
        let id = arg.get_id().as_str();
        if matches.value_source(id) == Some(clap::parser::ValueSource::EnvVariable) {
            let flag = arg.get_long().map(|long| format!("--{long}"));
            if let (Some(flag), Some(values)) = (flag, matches.get_raw(id)) {
                // Global options show at every level: write each out once.
                if !from_env.contains(&flag) {
                    for value in values {
                        from_env.push(flag.clone());
                        from_env.push(value.to_string_lossy().into_owned());
                    }
                }
            }
        }
    }
    if let Some((name, sub)) = matches.subcommand() {
        if let Some(subcommand) = command.find_subcommand(name) {
            env_values(subcommand, sub, from_env);
        }
    }
}

/// Runs a command line a CLI sent, on the server's open ledger `state` in `dir`, with its output
/// captured.
pub fn run_forwarded(argv: &[String], dir: &Path, state: Shared) -> Answer {
    let cli = match <Cli as clap::Parser>::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            return Answer::failed(
                2,
                format!(
                    "{} (see --help)",
                    super::usage_line(&e.render().to_string())
                ),
            )
        }
    };
    if !forwardable(&cli) {
        return Answer::failed(
            2,
            "this command does not go through a server; stop the server to run it".into(),
        );
    }
    let globals = Globals {
        data: dir.to_path_buf(),
        out: Output {
            json: cli.global.json,
            quiet: false,
        },
        clock: state.svc.clock().clone(),
        as_person: cli.global.as_person.clone(),
        at: cli.global.at.clone(),
        command_id: cli.global.command_id,
        served: Some(state),
    };
    let (result, captured) = output::capturing(|| super::dispatch(&globals, cli.command));
    let (code, error) = match result.map_err(super::serve_cmd::explain_lock) {
        Ok(()) => (0, None),
        Err(e) => (e.exit_code(), Some(e.to_string())),
    };
    Answer {
        stdout: String::from_utf8_lossy(&captured.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&captured.stderr).into_owned(),
        code,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn given_relative_paths_in_any_form_when_prepared_then_each_is_absolute_and_nothing_else_moves()
    {
        let cwd = Path::new("/home/clerk");
        let (args, id) = prepare(
            &os(&[
                "delib",
                "report",
                "transparency",
                "--from",
                "2015-01-01",
                "--to=2015-12-31",
                "--output=r.html",
                "--data",
                "ledger",
            ]),
            cwd,
        )
        .unwrap();
        assert_eq!(
            args,
            vec![
                "delib",
                "--command-id",
                &id.to_string(),
                "report",
                "transparency",
                "--from",
                "2015-01-01",
                "--to",
                "2015-12-31",
                "--output",
                "/home/clerk/r.html",
                "--data",
                "/home/clerk/ledger",
            ]
        );
    }

    #[test]
    fn given_a_positional_path_and_a_command_id_when_prepared_then_the_id_is_kept() {
        let id = uuid::Uuid::now_v7();
        let (args, kept) = prepare(
            &os(&[
                "delib",
                "--command-id",
                &id.to_string(),
                "backup",
                "--to",
                "../copies",
            ]),
            Path::new("/srv/x"),
        )
        .unwrap();
        assert_eq!(kept, id);
        assert_eq!(args.iter().filter(|a| *a == "--command-id").count(), 1);
        assert!(args.contains(&"/srv/x/../copies".to_owned()), "{args:?}");
    }
}
