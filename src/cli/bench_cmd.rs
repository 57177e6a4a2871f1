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
        BenchCommand::Ballot {
            voters,
            options,
            tellers,
        } => {
            if voters == 0 || !(2..=200).contains(&options) || !(1..=20).contains(&tellers) {
                return Err(CliError::Usage(
                    "--voters must be at least 1, --options between 2 and 200, --tellers between 1 and 20".into(),
                ));
            }
            let r =
                crate::bench::ballot::run(voters, options, tellers).map_err(CliError::Integrity)?;
            g.out.emit(&r, || {
                format!(
                    "ballot: {} voters, {} options, {} tellers\n  cast (encrypt + prove): mean {:.2} ms, p99 {:.2} ms (target < 5 ms)\n  verify every cast: {:.2} s (target < 2 s for 1,000)\n  close: {:.3} s\n  baseline, bare encryption: {:.2} ms; proofs cost {:.1}x\n  counts exact: {}",
                    r.voters, r.options, r.tellers, r.cast_ms_mean, r.cast_ms_p99, r.verify_all_s, r.close_s, r.baseline_encrypt_ms_mean, r.ratio, r.counts_exact
                )
            });
            return if r.counts_exact {
                Ok(())
            } else {
                Err(CliError::Integrity(
                    "the decrypted counts differ from the votes cast".into(),
                ))
            };
        }
        BenchCommand::Publish { events, dir } => {
            if events < 2 {
                return Err(CliError::Usage("--events must be at least 2".into()));
            }
            let report = crate::bench::publish::run(events, dir.as_deref())?;
            g.out.emit(&report, || report.human());
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
        BenchCommand::Scale(args) => {
            if args.clients < 2 || args.seconds.is_nan() || args.seconds <= 0.0 {
                return Err(CliError::Usage(
                    "--clients must be at least 2 and --seconds positive".into(),
                ));
            }
            let report = crate::bench::scale::run(&crate::bench::scale::ScaleOptions {
                events: args.events,
                clients: args.clients,
                seconds: args.seconds,
                ledger_cache: args.ledger_cache,
                dir: args.dir,
                skip_reads: args.skip_reads,
                keep: args.keep,
            })?;
            g.out.emit(&report, || report.human());
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
