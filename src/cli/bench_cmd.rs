//! `delib bench ...`

use super::args::BenchCommand;
use super::{CliError, Globals};

pub(super) fn run(g: &Globals, cmd: BenchCommand) -> Result<(), CliError> {
    let report = match cmd {
        BenchCommand::Append {
            events,
            writers,
            dir,
        } => {
            if events == 0 {
                return Err(CliError::Usage("--events must be at least 1".into()));
            }
            crate::bench::append::run(events, writers, dir.as_deref())?
        }
        BenchCommand::Serve {
            clients,
            seconds,
            dir,
        } => {
            if clients == 0 || !(seconds > 0.0) {
                return Err(CliError::Usage(
                    "--clients and --seconds must be positive".into(),
                ));
            }
            let report = crate::bench::serve::run(clients, seconds, dir.as_deref())?;
            g.out.emit(&report, || report.human());
            return if report.verified {
                Ok(())
            } else {
                Err(CliError::Integrity(
                    "audit verify failed after the load".into(),
                ))
            };
        }
        BenchCommand::Proof(args) => {
            if args.events == 0 {
                return Err(CliError::Usage("--events must be at least 1".into()));
            }
            let report = crate::bench::proof::run(args.events, args.writers, args.dir.as_deref())?;
            g.out.emit(&report, || report.human());
            return Ok(());
        }
    };
    g.out.emit(&report, || report.human());
    Ok(())
}
