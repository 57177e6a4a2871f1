//! The single writer thread and its group commit.

use super::durability::Durability;
use super::Inner;
use crate::clock::Clock;
use crate::store::keys;
use crate::store::plan::{Planned, Planner};
use crate::store::{AppendError, AppendRequest, Appended, StoreError};
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use tokio::sync::oneshot;

pub(crate) struct Job {
    pub(crate) request: AppendRequest,
    pub(crate) reply: oneshot::Sender<Result<Appended, AppendError>>,
}

pub(crate) fn spawn(
    inner: Arc<Inner>,
    rx: mpsc::Receiver<Job>,
    mut durability: Durability,
    clock: Arc<dyn Clock>,
    max_group: usize,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("delib-writer".into())
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut jobs = vec![first];
                while jobs.len() < max_group.max(1) {
                    match rx.try_recv() {
                        Ok(job) => jobs.push(job),
                        Err(_) => break,
                    }
                }
                commit_group(&inner, &mut durability, clock.as_ref(), jobs);
            }
        })
}

/// Plans every job, writes all their records in one atomic batch, syncs once, then answers.
fn commit_group(inner: &Inner, durability: &mut Durability, clock: &dyn Clock, jobs: Vec<Job>) {
    if inner.poisoned.load(Ordering::SeqCst) {
        for job in jobs {
            let _ = job.reply.send(Err(StoreError::Poisoned.into()));
        }
        return;
    }
    let head = *inner.head.read().unwrap_or_else(|p| p.into_inner());
    let mut planner = Planner::new(inner, head, clock.now());
    let mut batch = ::sled::Batch::default();
    let mut replies = Vec::with_capacity(jobs.len());
    let mut events = 0usize;
    for job in jobs {
        let outcome = match planner.plan(&job.request) {
            Ok(Planned::Duplicate(appended)) => Ok(appended),
            Ok(Planned::Records {
                appended,
                command_id,
                records,
            }) => {
                for r in records {
                    batch.insert(
                        &keys::stream(r.stream_id, r.version)[..],
                        &r.position.to_be_bytes()[..],
                    );
                    batch.insert(&keys::event(r.position)[..], r.bytes);
                    events += 1;
                }
                batch.insert(
                    &keys::command(command_id)[..],
                    &keys::span_value(appended.first, appended.last)[..],
                );
                Ok(appended)
            }
            Err(e) => Err(e),
        };
        replies.push((job.reply, outcome));
    }

    if events > 0 {
        let written = inner
            .db
            .apply_batch(batch)
            .map_err(StoreError::from)
            .and_then(|()| durability.sync(&inner.db));
        match written {
            Ok(()) => {
                let new_head = planner.head();
                *inner.head.write().unwrap_or_else(|p| p.into_inner()) = new_head;
                inner.notify.send_replace(new_head.position);
                tracing::trace!(
                    events,
                    position = new_head.position.get(),
                    "group committed"
                );
            }
            Err(err) => {
                // What reached the disk is now unknown: refuse further writes until reopened. Callers
                // may retry with the same command id after reopening and get the original answer.
                inner.poisoned.store(true, Ordering::SeqCst);
                tracing::error!(cause = %err, "group commit failed; store poisoned");
                let msg = err.to_string();
                for (_, outcome) in &mut replies {
                    if outcome.is_ok() {
                        *outcome = Err(StoreError::Io(std::io::Error::other(msg.clone())).into());
                    }
                }
            }
        }
    }
    for (reply, outcome) in replies {
        let _ = reply.send(outcome);
    }
}
