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
