//! The writer thread and its group commit.
//!
//! The writer takes every waiting request ([`Arrivals`]), plans each in order as it comes
//! ([`Planner`]), writes all their keys atomically (behind a redo journal, [`journal`]; a group with
//! side entries or a very large one with one `apply_batch`), then hands the group with its answers
//! to the [`syncer`](super::syncer), which makes it durable with one flush + fsync, publishes the new
//! head and answers. Meanwhile the writer plans and applies the next group: one fsync covers every
//! group applied while the previous one ran. Conflicts and duplicates are answered by the syncer too,
//! in order, so no answer is given before everything it depends on is durable.
//!
//! The writer plans from its own head and caches, which run ahead of the published head by the
//! groups not yet synced. Imports and backup snapshots first wait for the syncer to catch up. A
//! group of fewer than [`PIPELINE_AT`] requests, with nothing being synced, is settled on the
//! writer thread instead (the hop would only add to its callers' wait).

use super::commands;
use super::durability::Durability;
use super::journal;
use super::records;
use super::streams;
use super::syncer::{self, Applied, Reply, Syncer};
use super::Inner;
use crate::audit::merkle::{self, Frontier};
use crate::clock::Clock;
use crate::store::keys;
use crate::store::plan::{Lookup, Planned, Planner};
use crate::store::{AppendError, AppendRequest, Appended, Head, SideWrite, StoreError};
use delib_events::{CommandId, Position, StreamId, StreamVersion};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// One caller's request and where to send its answer.
pub(crate) struct Job {
    pub(crate) request: AppendRequest,
    pub(crate) reply: oneshot::Sender<Result<Appended, AppendError>>,
}

/// Records exported from a ledger, to write into an empty one exactly as they are.
pub(crate) struct ImportJob {
    pub(crate) records: Vec<Vec<u8>>,
    pub(crate) side: Vec<crate::store::SideEntry>,
    pub(crate) reply: oneshot::Sender<Result<Head, StoreError>>,
}

/// What the writer is asked to do.
pub(crate) enum Work {
    /// An append (grouped with others).
    Append(Job),
    /// An import into an empty ledger (alone).
    Import(ImportJob),
    /// Read the head and every side entry between two groups, so that they agree (for backups).
    Snapshot(oneshot::Sender<Result<(Head, Vec<crate::store::SideEntry>), StoreError>>),
}

/// The fewest requests in a group for the writer to hand it to the syncer and go on with the next.
/// A smaller group, with nothing being synced, is settled on the writer thread: applying the next
/// small group during its sync would save little, and the hop between threads adds to every
/// caller's wait (an HTTP server's clients wait on it: `bench scale` measured 9% fewer commands a
/// second when every group was handed over). With 64 closed-loop writers (`bench append`) groups
/// are large, and the overlap is what makes them fast.
const PIPELINE_AT: usize = 16;

/// How long the writer waits for the rest of a group (see [`Arrivals`]).
const GATHER_WINDOW: Duration = Duration::from_micros(200);

pub(crate) fn spawn(
    inner: Arc<Inner>,
    rx: mpsc::Receiver<Work>,
    durability: Durability,
    mut frontier: Option<Frontier>,
    clock: Arc<dyn Clock>,
    max_group: usize,
) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("delib-writer".into())
        .spawn(move || {
            // (Spawned from the writer thread: spawned from the opening thread instead, `bench
            // append --writers 64` measured 2 to 9% slower in three alternated sets; not understood.)
            let durability = Arc::new(Mutex::new(durability));
            let syncer = match Syncer::spawn(inner.clone(), durability.clone()) {
                Ok(syncer) => syncer,
                Err(e) => {
                    // Every request is then answered as to a closed store.
                    tracing::error!(cause = %e, "could not start the syncer thread");
                    return;
                }
            };
            let mut head = *inner.head.read().unwrap_or_else(|p| p.into_inner());
            let mut cache = VersionCache::default();
            let mut last_group = 1usize;
            let mut deferred: Option<Work> = None;
            loop {
                let first = match deferred.take() {
                    Some(work) => work,
                    None => match rx.recv() {
                        Ok(work) => work,
                        Err(_) => break,
                    },
                };
                match first {
                    Work::Import(job) => {
                        syncer.barrier();
                        let mut durability = durability.lock().unwrap_or_else(|p| p.into_inner());
                        let outcome = super::import::import(
                            &inner,
                            &mut durability,
                            &mut cache.versions,
                            frontier.as_mut(),
                            job.records,
                            job.side,
                        );
                        head = *inner.head.read().unwrap_or_else(|p| p.into_inner());
                        let _ = job.reply.send(outcome);
                    }
                    Work::Snapshot(reply) => {
                        syncer.barrier();
                        let head = *inner.head.read().unwrap_or_else(|p| p.into_inner());
                        let side = side_entries(&inner.db);
                        let _ = reply.send(side.map(|side| (head, side)));
                    }
                    Work::Append(job) => {
                        let mut jobs = Arrivals::new(&rx, job, last_group, max_group.max(1));
                        let split = last_group >= PIPELINE_AT && syncer.in_flight() == 0;
                        if split {
                            // Nothing is being synced: take half the callers now, so that the
                            // rest form the next group while this one syncs.
                            jobs.max_group = jobs.max_group.min(last_group / 2);
                        }
                        let applied = commit_group(
                            &inner,
                            &mut head,
                            &mut cache,
                            frontier.as_mut(),
                            clock.as_ref(),
                            &mut jobs,
                        );
                        deferred = jobs.deferred.take();
                        last_group = jobs.taken;
                        match applied {
                            // A small group with nothing being synced: settled here (PIPELINE_AT).
                            Some(applied)
                                if !split
                                    && last_group < PIPELINE_AT
                                    && syncer.in_flight() == 0 =>
                            {
                                syncer.settle_here(applied);
                            }
                            Some(applied) => syncer.hand(applied),
                            None => {}
                        }
                    }
                }
            }
        })
}

/// The jobs of one group as they arrive: the first, then every waiting one, and if fewer arrived
/// than made up the previous group, those arriving within [`GATHER_WINDOW`]: the callers just
/// answered are usually about to send their next request, and one group for all of them beats one
/// for each. With a single writer the previous group had one job, so it never waits. The writer
/// plans each job as it comes, so planning the first ones overlaps the arrival of the last (with 64
/// writers the callers take about as long to send their next requests as the writer takes to plan
/// them).
struct Arrivals<'a> {
    rx: &'a mpsc::Receiver<Work>,
    first: Option<Job>,
    taken: usize,
    last_group: usize,
    max_group: usize,
    deadline: Instant,
    /// Work other than an append that ended the group: it runs next, alone.
    deferred: Option<Work>,
    done: bool,
}

impl<'a> Arrivals<'a> {
    fn new(rx: &'a mpsc::Receiver<Work>, first: Job, last_group: usize, max_group: usize) -> Self {
        Self {
            rx,
            first: Some(first),
            taken: 0,
            last_group,
            max_group,
            deadline: Instant::now() + GATHER_WINDOW,
            deferred: None,
            done: false,
        }
    }
}

impl Iterator for Arrivals<'_> {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        if let Some(job) = self.first.take() {
            self.taken += 1;
            return Some(job);
        }
        if self.done {
            return None;
        }
        while self.taken < self.max_group {
            match self.rx.try_recv() {
                Ok(Work::Append(job)) => {
                    self.taken += 1;
                    return Some(job);
                }
                // An import or a snapshot waits for this group, then runs alone.
                Ok(other) => {
                    self.deferred = Some(other);
                    break;
                }
                Err(mpsc::TryRecvError::Disconnected) => break,
                Err(mpsc::TryRecvError::Empty) => {
                    if self.taken >= self.last_group || Instant::now() >= self.deadline {
                        break;
                    }
                    std::thread::yield_now();
                }
            }
        }
        self.done = true;
        None
    }
}

/// Plans every job as it arrives and writes all their records as one atomic group. Returns the
/// group with its answers, for the syncer to make durable and answer (`None` if every answer was
/// already given: the store refuses writes).
fn commit_group(
    inner: &Inner,
    head: &mut Head,
    cache: &mut VersionCache,
    mut frontier: Option<&mut Frontier>,
    clock: &dyn Clock,
    jobs: &mut Arrivals<'_>,
) -> Option<Applied> {
    if inner.poisoned.load(Ordering::SeqCst) {
        for job in jobs {
            let _ = job.reply.send(Err(StoreError::Poisoned.into()));
        }
        return None;
    }
    let halted = inner
        .halted
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    if let Some(reason) = halted {
        for job in jobs {
            let _ = job
                .reply
                .send(Err(StoreError::Halted(reason.clone()).into()));
        }
        return None;
    }
    let lookup = CachedLookup {
        inner,
        versions: &cache.versions,
        commands: RefCell::new(&mut cache.commands),
    };
    let mut planner = Planner::new(&lookup, *head, clock.now());
    let mut commands = commands::Pending::default();
    let cache_runs = &cache.runs;
    let mut runs = streams::PendingRuns::default();
    let mut packer = records::Packer::default();
    // The group's writes other than its packs and index runs, by kind, so that the journaled path
    // writes records before what indexes them.
    let mut tree_nodes: Vec<journal::Write> = Vec::new();
    let mut command_keys: Vec<journal::Write> = Vec::new();
    let mut side_writes: Vec<journal::Write> = Vec::new();
    let mut replies: Vec<Reply> = Vec::with_capacity(jobs.last_group);
    let mut wrote = false;
    let mut failed: Option<StoreError> = None;
    for job in jobs {
        let outcome = match planner.plan(&job.request) {
            Ok(Planned::Duplicate(appended)) => Ok(appended),
            Ok(Planned::Records {
                appended,
                command_id,
                records,
                side,
            }) => {
                for w in side {
                    side_writes.push(match w {
                        SideWrite::Put { key, value } => (keys::side(&key), Some(value)),
                        SideWrite::Delete { key } => (keys::side(&key), None),
                    });
                }
                for r in records {
                    if let Err(e) =
                        runs.add(cache_runs, &inner.db, r.stream_id, r.version, r.position)
                    {
                        failed = Some(e);
                    }
                    if let Some(f) = frontier.as_deref_mut() {
                        for node in f.push(merkle::leaf_hash(&r.bytes)) {
                            tree_nodes.push((
                                keys::tree(node.level, node.index).to_vec(),
                                Some(node.hash.as_bytes().to_vec()),
                            ));
                        }
                    }
                    packer.push(r.position, &r.bytes);
                }
                let mut buckets = lookup.commands.borrow_mut();
                match commands.add(
                    &mut buckets,
                    &inner.db,
                    command_id,
                    appended.first,
                    appended.last,
                ) {
                    Ok(true) => {}
                    Ok(false) => {
                        let span = keys::span_value(appended.first, appended.last);
                        command_keys
                            .push((keys::command(command_id).to_vec(), Some(span.to_vec())));
                    }
                    // Nothing written yet: refuse the group as a failed write would.
                    Err(e) => failed = Some(e),
                }
                wrote = true;
                Ok(appended)
            }
            Err(e) => Err(e),
        };
        replies.push((job.reply, outcome));
    }
    // A side scan is not bounded by the head: side entries stay one atomic batch to readers.
    let no_side_writes = side_writes.is_empty();
    let mut writes: Vec<journal::Write> = packer
        .finish()
        .into_iter()
        .map(|(k, v)| (k.to_vec(), Some(v)))
        .collect();
    writes.extend(tree_nodes);
    writes.extend(runs.writes().map(|(k, v)| (k.to_vec(), Some(v))));
    writes.extend(commands.writes().map(|(k, v)| (k.to_vec(), Some(v))));
    writes.extend(command_keys);
    writes.extend(side_writes);
    let journaled = no_side_writes && journal::size(&writes) <= journal::MAX_BYTES;
    let new_head = planner.head();
    let versions = planner.into_versions();
    // (the lookup's borrow of the caches ends here)
    if !wrote {
        return Some(Applied {
            head: None,
            replies,
        });
    }
    let written = match failed {
        Some(e) => Err(e),
        None if journaled => journal::write(&inner.db, &inner.journal, new_head.position, writes),
        None => inner
            .db
            .apply_batch(batch_of(writes))
            .map_err(StoreError::from),
    };
    match written {
        Ok(()) => {
            if cache.versions.len() + versions.len() > VersionCache::CAPACITY {
                cache.versions.clear();
            }
            cache.versions.extend(versions);
            cache.commands.commit(commands);
            cache.runs.commit(runs);
            *head = new_head;
            Some(Applied {
                head: Some(new_head),
                replies,
            })
        }
        Err(err) => {
            syncer::poison(inner, &err, &mut replies);
            Some(Applied {
                head: None,
                replies,
            })
        }
    }
}

/// A group's writes as one sled batch (atomic on its own, see [`journal`] for why most groups are
/// not written this way).
fn batch_of(writes: Vec<journal::Write>) -> ::sled::Batch {
    let mut batch = ::sled::Batch::default();
    for (k, v) in writes {
        match v {
            Some(v) => batch.insert(k, v),
            None => batch.remove(k),
        }
    }
    batch
}

/// Every side entry (key without the store's prefix, value).
fn side_entries(db: &::sled::Db) -> Result<Vec<crate::store::SideEntry>, StoreError> {
    let mut out = Vec::new();
    for kv in db.scan_prefix(keys::side(b"")) {
        let (k, v) = kv?;
        out.push((k[1..].to_vec(), v.to_vec()));
    }
    Ok(out)
}

/// The writer's own view of stream versions, command buckets and streams' last runs. The writer is the only one who
/// appends, so once it has read a stream's version (or written it) the cached value stays true, saving
/// an index scan per append. Bounded: cleared when it grows past [`VersionCache::CAPACITY`] streams.
#[derive(Default)]
pub(super) struct VersionCache {
    pub(super) versions: HashMap<StreamId, StreamVersion>,
    pub(super) commands: commands::Buckets,
    pub(super) runs: streams::Runs,
}

impl VersionCache {
    const CAPACITY: usize = 1 << 20;
}

/// [`Lookup`] through the caches, falling back to sled.
struct CachedLookup<'a> {
    inner: &'a Inner,
    versions: &'a HashMap<StreamId, StreamVersion>,
    commands: RefCell<&'a mut commands::Buckets>,
}

impl Lookup for CachedLookup<'_> {
    fn stream_version(&self, stream: StreamId) -> Result<StreamVersion, StoreError> {
        match self.versions.get(&stream) {
            Some(v) => Ok(*v),
            None => self.inner.stream_version(stream),
        }
    }
    fn command_span(&self, command: CommandId) -> Result<Option<(Position, Position)>, StoreError> {
        let mut buckets = self.commands.borrow_mut();
        commands::lookup(&self.inner.db, Some(&mut buckets), command)
    }
}
