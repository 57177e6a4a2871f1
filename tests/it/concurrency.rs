//! References stay unique and gap-free when many writers create entities at once.

use delib::app::LedgerService;
use delib::clock::SystemClock;
use delib::domain::proposal::Command;
use delib::store::EventStore;
use delib_events::proposal::{Category, ProposalEvent};
use delib_events::{Event, RefKind, StreamVersion};
use std::sync::Arc;

#[test]
fn concurrent_submissions_get_unique_gap_free_references() {
    let l = super::support::Ledger::new();
    let author_ref = l.create(&["person", "add", "--name", "Author"]);
    let svc = Arc::new(LedgerService::open(l.dir(), Arc::new(SystemClock)).expect("open"));
    let author = svc.person_id(&author_ref).unwrap();
    const THREADS: usize = 8;
    const EACH: usize = 5;
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let svc = svc.clone();
            std::thread::spawn(move || {
                (0..EACH)
                    .map(|i| {
                        let meta = svc.meta(None, None).unwrap();
                        let cmd = Command::Submit {
                            title: format!("proposal {t}.{i}"),
                            body: "parking".into(),
                            category: Category::Parking,
                            author,
                            community: None,
                        };
                        svc.record_proposal(&meta, None, cmd).expect("recorded")
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers: Vec<u64> = Vec::new();
    for h in handles {
        for r in h.join().unwrap() {
            assert_eq!(r.reference.kind, RefKind::Proposal);
            // The creation event carries the same number as the reference.
            let first = svc
                .store()
                .read_stream(r.id, StreamVersion::new(1))
                .unwrap();
            match &first[0].event {
                Event::Proposal(ProposalEvent::ProposalSubmitted { number, .. }) => {
                    assert_eq!(*number, r.reference.number)
                }
                other => panic!("unexpected {other:?}"),
            }
            numbers.push(r.reference.number);
        }
    }
    numbers.sort_unstable();
    let expected: Vec<u64> = (1..=(THREADS * EACH) as u64).collect();
    assert_eq!(numbers, expected);
    assert_eq!(svc.all(RefKind::Proposal).unwrap().len(), THREADS * EACH);
}

/// A rival writer that takes registry numbers directly (as another process could, were it allowed to
/// share the store) races the service's creations; the store's writer gives each creation the next
/// number when it plans it, so the registry stays gap-free with each entity's number matching its
/// registry entry.
#[test]
fn conflicts_on_the_registry_are_retried_with_the_next_number() {
    use delib::app::references::registry_stream;
    use delib::store::{AppendError, AppendRequest, ExpectedVersion, NewEvent};
    use delib_events::registry::RegistryEvent;
    use delib_events::{CommandId, StreamId, StreamKind, Timestamp};

    let l = super::support::Ledger::new();
    let author_ref = l.create(&["person", "add", "--name", "Author"]);
    let svc = Arc::new(LedgerService::open(l.dir(), Arc::new(SystemClock)).expect("open"));
    let author = svc.person_id(&author_ref).unwrap();
    let registry = registry_stream(RefKind::Proposal);
    let rival = {
        let svc = svc.clone();
        std::thread::spawn(move || {
            let mut taken = 0;
            while taken < 20 {
                let v = svc.store().stream_version(registry).unwrap();
                let event = Event::Registry(RegistryEvent::ReferenceAssigned {
                    kind: RefKind::Proposal,
                    number: v.get() + 1,
                    stream: StreamId::from_uuid(uuid::Uuid::now_v7()),
                });
                let request = AppendRequest::single(
                    CommandId::from_uuid(uuid::Uuid::now_v7()),
                    registry,
                    StreamKind::Registry,
                    ExpectedVersion::Exact(v),
                    vec![NewEvent::new(event, Timestamp::from_micros(0))],
                );
                match svc.store().append_blocking(request) {
                    // A pause after each number taken: the rival must cause conflicts, not starve the
                    // service (a tight loop can win every race on a loaded two-core machine).
                    Ok(_) => {
                        taken += 1;
                        std::thread::sleep(std::time::Duration::from_millis(3));
                    }
                    Err(AppendError::Conflict { .. }) => {}
                    Err(e) => panic!("{e}"),
                }
            }
        })
    };
    let mut mine = Vec::new();
    for i in 0..20 {
        let meta = svc.meta(None, None).unwrap();
        let cmd = Command::Submit {
            title: format!("proposal {i}"),
            body: "b".into(),
            category: Category::Other,
            author,
            community: None,
        };
        mine.push(svc.record_proposal(&meta, None, cmd).expect("recorded"));
    }
    rival.join().unwrap();
    let all = svc.all(RefKind::Proposal).unwrap();
    assert_eq!(all.len(), 40);
    for r in &mine {
        assert_eq!(all[(r.reference.number - 1) as usize], r.id);
    }
    let entries = svc
        .store()
        .read_stream(registry, StreamVersion::new(1))
        .unwrap();
    for (i, e) in entries.iter().enumerate() {
        assert_eq!(e.metadata.stream_version.get(), i as u64 + 1);
        match &e.event {
            Event::Registry(RegistryEvent::ReferenceAssigned { number, .. }) => {
                assert_eq!(*number, i as u64 + 1)
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

/// Creations of one kind commit together: no lock is held across the fsync, the writer numbers them
/// as it plans each group, and the numbers stay distinct and gap-free.
#[test]
fn concurrent_creations_share_group_commits_and_stay_gap_free() {
    let l = super::support::Ledger::new();
    let author_ref = l.create(&["person", "add", "--name", "Author"]);
    let svc = Arc::new(LedgerService::open(l.dir(), Arc::new(SystemClock)).expect("open"));
    let author = svc.person_id(&author_ref).unwrap();
    let (groups_before, requests_before) = svc.store().group_stats();
    // given 32 threads, when each creates 4 proposals at once
    const THREADS: usize = 32;
    const EACH: usize = 4;
    let barrier = Arc::new(std::sync::Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (svc, barrier) = (svc.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                (0..EACH)
                    .map(|i| {
                        let meta = svc.meta(None, None).unwrap();
                        let cmd = Command::Submit {
                            title: format!("proposal {t}.{i}"),
                            body: "b".into(),
                            category: Category::Other,
                            author,
                            community: None,
                        };
                        svc.record_proposal(&meta, None, cmd).expect("recorded")
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for h in handles {
        for r in h.join().unwrap() {
            let first = svc
                .store()
                .read_stream(r.id, StreamVersion::new(1))
                .unwrap();
            match &first[0].event {
                Event::Proposal(ProposalEvent::ProposalSubmitted { number, .. }) => {
                    assert_eq!(*number, r.reference.number, "answer and record agree")
                }
                other => panic!("unexpected {other:?}"),
            }
            numbers.push(r.reference.number);
        }
    }
    // then the numbers are 1..=128, and fewer groups were committed than creations
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=(THREADS * EACH) as u64).collect::<Vec<_>>());
    let (groups, requests) = svc.store().group_stats();
    let (groups, requests) = (groups - groups_before, requests - requests_before);
    assert_eq!(requests, (THREADS * EACH) as u64);
    assert!(
        groups < requests,
        "creations committed one at a time: {groups} groups for {requests} requests"
    );
}
