//! The syncer thread: makes applied groups durable and answers their callers, while the writer
//! plans and applies the next ones.
//!
//! The writer hands over each group once its keys are applied ([`Applied`]), in order, with every
//! answer of the group: records, duplicates, conflicts and refusals alike. The syncer takes every
//! group waiting, makes them durable with one flush + fsync ([`Durability::sync`]), then publishes
//! the last head, wakes subscribers and answers every caller in order. So:
//! - no answer is given before everything it depends on is durable: a duplicate may point at a group
//!   applied but not yet synced, and it is answered after that group's sync;
//! - the head readers see only ever covers durable records;
//! - one fsync covers every group applied while the previous fsync ran.
//!
//! A failed sync poisons the store ([`poison`]): every answer not yet given fails, and so does every
//! group handed over after it. Work that needs the store quiet (an import, a backup's snapshot) first
//! waits for a [`Handoff::Barrier`].

use super::durability::Durability;
use super::Inner;
use crate::store::{AppendError, Appended, Head, StoreError};
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// One caller's answer, and where to send it.
pub(super) type Reply = (
    oneshot::Sender<Result<Appended, AppendError>>,
    Result<Appended, AppendError>,
);

/// A group the writer has applied (or refused), in the order it planned them.
pub(super) struct Applied {
    /// The head after the group, if it wrote records (they need a sync before any answer).
    pub(super) head: Option<Head>,
    pub(super) replies: Vec<Reply>,
}

/// What the writer hands the syncer.
pub(super) enum Handoff {
    Group(Applied),
    /// Answered once every group handed over before it is synced and answered.
    Barrier(oneshot::Sender<()>),
}

/// The writer's end of the syncer.
pub(super) struct Syncer {
    inner: Arc<Inner>,
    durability: Arc<Mutex<Durability>>,
    tx: Option<mpsc::Sender<Handoff>>,
    /// Requests handed over and not yet answered.
    in_flight: Arc<AtomicUsize>,
    thread: Option<JoinHandle<()>>,
}

impl Syncer {
    pub(super) fn spawn(
        inner: Arc<Inner>,
        durability: Arc<Mutex<Durability>>,
    ) -> std::io::Result<Self> {
        let (tx, rx) = mpsc::channel();
        let in_flight = Arc::new(AtomicUsize::new(0));
        let answered = in_flight.clone();
        let (syncer_inner, syncer_durability) = (inner.clone(), durability.clone());
        let thread = std::thread::Builder::new()
            .name("delib-syncer".into())
            .spawn(move || run(&syncer_inner, &syncer_durability, &rx, &answered))?;
        Ok(Self {
            inner,
            durability,
            tx: Some(tx),
            in_flight,
            thread: Some(thread),
        })
    }

    /// Hands over an applied group.
    pub(super) fn hand(&self, applied: Applied) {
        self.in_flight
            .fetch_add(applied.replies.len(), Ordering::SeqCst);
        self.send(Handoff::Group(applied));
    }

    /// Settles a group on the caller's thread: syncs, publishes and answers it at once. Only when
    /// nothing handed over is unanswered ([`Syncer::in_flight`] is 0), so that answers stay in order.
    pub(super) fn settle_here(&self, applied: Applied) {
        debug_assert_eq!(self.in_flight(), 0);
        answer(settle(&self.inner, &self.durability, vec![applied]));
    }

    /// How many requests were handed over and are not yet answered.
    pub(super) fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// Blocks until every group handed over so far is synced and answered.
    pub(super) fn barrier(&self) {
        let (tx, rx) = oneshot::channel();
        self.send(Handoff::Barrier(tx));
        let _ = rx.blocking_recv();
    }

    fn send(&self, handoff: Handoff) {
        if let Some(tx) = &self.tx {
            // The syncer lives as long as this end: it only stops once `tx` is dropped.
            let _ = tx.send(handoff);
        }
    }
}

impl Drop for Syncer {
    /// Lets the syncer finish every group handed over, then waits for it.
    fn drop(&mut self) {
        self.tx.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    inner: &Inner,
    durability: &Mutex<Durability>,
    rx: &mpsc::Receiver<Handoff>,
    in_flight: &AtomicUsize,
) {
    while let Ok(first) = rx.recv() {
        let mut groups = Vec::new();
        let mut barriers = Vec::new();
        for handoff in std::iter::once(first).chain(rx.try_iter()) {
            match handoff {
                Handoff::Group(applied) => groups.push(applied),
                Handoff::Barrier(tx) => barriers.push(tx),
            }
        }
        let replies = settle(inner, durability, groups);
        in_flight.fetch_sub(replies.len(), Ordering::SeqCst);
        answer(replies);
        for tx in barriers {
            let _ = tx.send(());
        }
    }
}

/// Makes `groups` durable with one flush + fsync (if any of them wrote records), publishes the last
/// head, and returns every answer of the groups in order.
fn settle(inner: &Inner, durability: &Mutex<Durability>, groups: Vec<Applied>) -> Vec<Reply> {
    let head = groups.iter().rev().find_map(|g| g.head);
    let mut replies: Vec<Reply> = groups.into_iter().flat_map(|g| g.replies).collect();
    // Checked even for groups that wrote nothing: a duplicate planned after a failed sync may point
    // at records that never became durable.
    if inner.poisoned.load(Ordering::SeqCst) {
        fail_all(&mut replies, || StoreError::Poisoned);
        return replies;
    }
    if let Some(head) = head {
        let synced = durability
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .sync(&inner.db);
        match synced {
            Ok(()) => publish(inner, head, replies.len()),
            Err(err) => poison(inner, &err, &mut replies),
        }
    }
    replies
}

fn answer(replies: Vec<Reply>) {
    for (reply, outcome) in replies {
        let _ = reply.send(outcome);
    }
}

fn publish(inner: &Inner, head: Head, requests: usize) {
    *inner.head.write().unwrap_or_else(|p| p.into_inner()) = head;
    inner.notify.send_replace(head.position);
    inner.stats.groups.fetch_add(1, Ordering::Relaxed);
    inner
        .stats
        .requests
        .fetch_add(requests as u64, Ordering::Relaxed);
    tracing::trace!(requests, position = head.position.get(), "group committed");
}

/// After a failed write or sync what reached the disk is unknown: refuse further writes until the
/// ledger is reopened, and fail every answer not yet given. A caller may retry with the same command
/// id after reopening and gets the original answer if its events did reach the disk.
pub(super) fn poison(inner: &Inner, err: &StoreError, replies: &mut [Reply]) {
    inner.poisoned.store(true, Ordering::SeqCst);
    *inner.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(err.plain().to_string());
    tracing::error!(cause = %err, "group commit failed; store poisoned");
    let msg = err.to_string();
    // Every caller gets an error of the same kind (so that it can be told in plain words).
    let kind = match err {
        StoreError::Io(e) | StoreError::Sled(::sled::Error::Io(e)) => e
            .get_ref()
            .and_then(|i| i.downcast_ref::<std::io::Error>())
            .map_or(e.kind(), |i| i.kind()),
        _ => std::io::ErrorKind::Other,
    };
    fail_all(replies, || {
        StoreError::Io(std::io::Error::new(kind, msg.clone()))
    });
}

/// Turns every successful outcome into `err()`.
fn fail_all(replies: &mut [Reply], err: impl Fn() -> StoreError) {
    for (_, outcome) in replies.iter_mut() {
        if outcome.is_ok() {
            *outcome = Err(err().into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::durability::TEST_FAULT;
    use crate::store::{
        AppendError, AppendRequest, EventStore, ExpectedVersion, NewEvent, SledStore, StoreOptions,
    };
    use delib_events::{CommandId, Event, StreamId, StreamKind, TestEvent, Timestamp};
    use std::sync::Arc;

    fn request(command: CommandId, stream: StreamId, seq: u64) -> AppendRequest {
        let event = NewEvent::new(
            Event::Test(TestEvent::TestNoted {
                text: "after the disk filled".into(),
                seq,
            }),
            Timestamp::from_micros(0),
        );
        AppendRequest::single(
            command,
            stream,
            StreamKind::Test,
            ExpectedVersion::Any,
            vec![event],
        )
    }

    #[test]
    fn once_a_sync_fails_no_caller_is_told_its_command_is_recorded_not_even_a_retry() {
        // given a store whose disk fills up after its first append
        let tmp = tempfile::tempdir().unwrap();
        let full = tmp.path().join("disk-full");
        TEST_FAULT.with(|f| *f.borrow_mut() = Some(full.clone()));
        let options = StoreOptions {
            create: true,
            ..StoreOptions::default()
        };
        let store = Arc::new(SledStore::open(&tmp.path().join("ledger"), options).unwrap());
        TEST_FAULT.with(|f| *f.borrow_mut() = None);
        let stream = StreamId::from_uuid(uuid::Uuid::now_v7());
        let first = CommandId::from_uuid(uuid::Uuid::now_v7());
        store.append_blocking(request(first, stream, 0)).unwrap();
        std::fs::write(&full, b"").unwrap();
        // when 48 callers append new commands at once, each sent twice at the same moment (a
        // retry racing its original), in large groups handed to the syncer
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let answers: Vec<Result<_, AppendError>> = runtime.block_on(async {
            let mut tasks = Vec::new();
            for w in 0..48u64 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move {
                    let mut answers = Vec::new();
                    for i in 0..6u64 {
                        let command = CommandId::from_uuid(uuid::Uuid::now_v7());
                        let req = request(command, stream, w * 100 + i);
                        let (a, b) = tokio::join!(store.append(req.clone()), store.append(req));
                        answers.push(a);
                        answers.push(b);
                    }
                    answers
                }));
            }
            let mut all = Vec::new();
            for t in tasks {
                all.extend(t.await.unwrap());
            }
            all
        });
        // then every answer is an error, the store is poisoned, and the first command still
        // answers as recorded
        let told_recorded = answers.iter().filter(|a| a.is_ok()).count();
        assert_eq!(
            told_recorded, 0,
            "{told_recorded} callers were told a failed write was recorded"
        );
        assert!(store.is_poisoned());
        assert!(store.failure().is_some());
        assert!(store.command_span(first).unwrap().is_some());
    }
}
