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
            if clients == 0 || seconds.is_nan() || seconds <= 0.0 {
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
        BenchCommand::Rebuild { events, dir } => {
            let report = crate::bench::rebuild::run(events.max(1), dir.as_deref())?;
            g.out.emit(&report, || {
                format!(
                    "rebuild: {} events\n  rebuild all projections: {:>10.0} events/s ({:.2} s)\n  raw scan and decode:     {:>10.0} events/s ({:.2} s)\n  ratio: {:.3}",
                    report.events, report.events_per_s, report.seconds, report.baseline_events_per_s, report.baseline_seconds, report.ratio
                )
            });
            return Ok(());
        }
        BenchCommand::Replay { events, dir } => {
            let report = crate::bench::rebuild::replay(events.max(1000), dir.as_deref())?;
            g.out.emit(&report, || {
                format!(
                    "replay: one dispute's timeline (median of 200 reads)\n  in {} events: {:.1} us\n  in {} events: {:.1} us\n  ratio: {:.2}",
                    report.small_events, report.small_us, report.events, report.large_us, report.ratio
                )
            });
            return Ok(());
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
