//! `delib publish`, `delib mirror`, `delib restore --from-mirror`: the ledger as a tiled
//! transparency log (`src/tlog/`).

use super::{CliError, Globals};
use crate::ledger::Ledger;
use crate::tlog::{client, mirror, publish as publishing};
use std::path::Path;

pub(super) fn publish(g: &Globals, to: &Path) -> Result<(), CliError> {
    let ledger = Ledger::open(&g.data, g.clock.clone())?;
    let done = publishing::publish(&ledger, to)?;
    g.out.emit(&done, || {
        format!(
            "published {} entries to {} (was {}): {} files written, {} full tiles kept",
            done.size,
            to.display(),
            done.previous_size,
            done.written,
            done.kept
        )
    });
    Ok(())
}

pub(super) fn mirror(g: &Globals, from: &str, key: Option<&str>) -> Result<(), CliError> {
    let source = client::fetcher(from)?;
    let done = mirror::mirror(source.as_ref(), &g.data, key)?;
    g.out.emit(&done, || {
        format!(
            "mirrored {} into {}: size {} (was {}), root {}, {} tiles verified",
            done.origin,
            g.data.display(),
            done.size,
            done.previous_size,
            done.root,
            done.tiles
        )
    });
    Ok(())
}

pub(super) fn restore(g: &Globals, from_mirror: &Path) -> Result<(), CliError> {
    let done = mirror::restore(from_mirror, &g.data, g.clock.clone())?;
    g.out.emit(&done, || {
        format!(
            "restored {} records from the mirror {} into {}; root {}; the mirrored log's key is trusted for its checkpoints, new checkpoints use a new key",
            done.records,
            from_mirror.display(),
            g.data.display(),
            done.root
        )
    });
    Ok(())
}
