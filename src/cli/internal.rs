//! Hidden helpers used by tests.

use super::args::InternalCommand;
use super::{CliError, Globals};
use crate::store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, SledStore, StoreOptions};
use delib_events::{CommandId, Event, StreamId, StreamKind, TestEvent};
use std::io::Write;
use std::sync::Arc;

pub(super) fn run(g: &Globals, cmd: InternalCommand) -> Result<(), CliError> {
    match cmd {
        InternalCommand::CrashWriter { writers } => crash_writer(g, writers),
    }
}

/// Appends forever from `writers` tasks; each durable append prints `ack POSITION EVENT_ID`.
fn crash_writer(g: &Globals, writers: u64) -> Result<(), CliError> {
    let options = StoreOptions {
        create: true,
        clock: g.clock.clone(),
        ..StoreOptions::default()
    };
    let store = Arc::new(SledStore::open(&g.data, options)?);
    let runtime = tokio::runtime::Runtime::new().map_err(crate::store::StoreError::from)?;
    let clock = g.clock.clone();
    runtime.block_on(async move {
        let mut tasks = Vec::new();
        for w in 0..writers {
            let store = store.clone();
            let clock = clock.clone();
            tasks.push(tokio::spawn(async move {
                let stream = StreamId::from_uuid(uuid::Uuid::now_v7());
                for seq in 0u64.. {
                    let text = format!("writer {w} event {seq}");
                    let event =
                        NewEvent::new(Event::Test(TestEvent::TestNoted { text, seq }), clock.now());
                    let id = event.event_id;
                    let request = AppendRequest::single(
                        CommandId::from_uuid(uuid::Uuid::now_v7()),
                        stream,
                        StreamKind::Test,
                        ExpectedVersion::Any,
                        vec![event],
                    );
                    match store.append(request).await {
                        Ok(a) => {
                            let mut out = std::io::stdout().lock();
                            let _ = writeln!(out, "ack {} {}", a.last, id);
                            let _ = out.flush();
                        }
                        Err(e) => {
                            tracing::error!(cause = %e, "append failed");
                            return;
                        }
                    }
                }
            }));
        }
        for t in tasks {
            let _ = t.await;
        }
    });
    Ok(())
}
