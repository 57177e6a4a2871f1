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
