//! Opening the ledger for a command: the command's own, or the running server's when the server
//! runs the command for a CLI on its Unix socket ([`crate::server::socket`]). A command run by the
//! server shares its caches, its turns per entity and its writer, so it is ordered with the
//! server's own writes exactly as an HTTP request is.

use super::{CliError, Globals};
use crate::app::LedgerService;
use crate::ledger::Ledger;
use crate::server::Shared;
use std::ops::Deref;

/// The application service a command uses.
#[derive(Debug)]
pub(crate) enum Svc {
    /// Opened by this command.
    Own(Box<LedgerService>),
    /// The running server's.
    Served(Shared),
}

impl Deref for Svc {
    type Target = LedgerService;
    fn deref(&self) -> &LedgerService {
        match self {
            Svc::Own(svc) => svc,
            Svc::Served(state) => &state.svc,
        }
    }
}

/// The open ledger a command uses.
#[derive(Debug)]
pub(crate) enum LedgerRef {
    /// Opened by this command.
    Own(Ledger),
    /// The running server's.
    Served(Shared),
}

impl Deref for LedgerRef {
    type Target = Ledger;
    fn deref(&self) -> &Ledger {
        match self {
            LedgerRef::Own(ledger) => ledger,
            LedgerRef::Served(state) => state.svc.ledger(),
        }
    }
}

/// The application service over the ledger in `--data`.
pub(crate) fn service(g: &Globals) -> Result<Svc, CliError> {
    Ok(match &g.served {
        Some(state) => Svc::Served(state.clone()),
        None => Svc::Own(Box::new(LedgerService::open(&g.data, g.clock.clone())?)),
    })
}

/// The ledger in `--data`.
pub(crate) fn ledger(g: &Globals) -> Result<LedgerRef, CliError> {
    Ok(match &g.served {
        Some(state) => LedgerRef::Served(state.clone()),
        None => LedgerRef::Own(Ledger::open(&g.data, g.clock.clone())?),
    })
}

/// The ledger in `--data`, opened for verification ([`Ledger::open_for_audit`]) unless the server
/// holds it (then it is open already: its tail was checked when it opened).
pub(crate) fn audit_ledger(g: &Globals) -> Result<LedgerRef, CliError> {
    Ok(match &g.served {
        Some(state) => LedgerRef::Served(state.clone()),
        None => LedgerRef::Own(Ledger::open_for_audit(&g.data, g.clock.clone())?),
    })
}
