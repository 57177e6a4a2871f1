//! The Merkle tree kept by the sled store: roots and proofs from stored nodes agree with a tree built
//! from the records themselves, across reopenings.

use crate::store_support::{new_stream, note, open_sled, request};
use delib::audit::merkle::{self, verify_consistency, verify_inclusion, MemoryTree};
use delib::store::{EventStore, ExpectedVersion};
use delib_events::Position;

#[test]
fn stored_tree_matches_a_tree_built_from_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut sizes = Vec::new();
    for round in 0..3 {
        // given a store reopened between rounds of appends of 1 to 5 events
        let store = open_sled(dir.path());
        for i in 0..40u64 {
            let n = 1 + (i + round) % 5;
            store
                .append_blocking(request(
                    new_stream(),
                    ExpectedVersion::NoStream,
                    (0..n).map(|k| note("m", k)).collect(),
                ))
                .unwrap();
        }
        sizes.push(store.head().position.get());
        // then every root, inclusion and consistency proof agrees with an in-memory tree
        let mut memory = MemoryTree::new();
        for (_, bytes) in store.read_raw(Position::new(1), usize::MAX).unwrap() {
            memory.append(&bytes);
        }
        let size = store.head().position.get();
        assert_eq!(store.merkle_root(size).unwrap(), memory.root());
        for m in [1, 2, 7, 16, 17, size / 2, size - 1, size] {
            let root_m = store.merkle_root(m).unwrap();
            assert_eq!(root_m, merkle::root_at(&memory, m).unwrap());
            let proof = store.consistency_proof(m, size).unwrap();
            verify_consistency(m, size, &root_m, &memory.root(), &proof).unwrap();
            let index = m - 1;
            let leaf = merkle::HashSource::leaf_hash(&memory, index).unwrap();
            let proof = store.inclusion_proof(index, size).unwrap();
            verify_inclusion(index, size, &leaf, &proof, &memory.root()).unwrap();
        }
        assert!(!store.stored_tree_nodes().unwrap().is_empty());
    }
    assert!(sizes.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn sizes_beyond_the_head_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_sled(dir.path());
    store
        .append_blocking(request(
            new_stream(),
            ExpectedVersion::NoStream,
            vec![note("a", 1)],
        ))
        .unwrap();
    assert!(store.merkle_root(2).is_err());
    assert!(store.inclusion_proof(0, 2).is_err());
    assert_eq!(store.merkle_root(0).unwrap(), merkle::empty_root());
}
