//! Property tests: generated proofs verify, tampered ones do not, and the
//! store-backed and in-memory roots agree with a naive RFC 9162 reference.

use std::cell::Cell;

use proptest::prelude::*;

use super::*;

const MAX: u64 = 300;

/// Naive RFC 9162 §2.1.1 `MTH`, straight from the definition.
fn ref_mth(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = n.next_power_of_two() / 2;
            node_hash(&ref_mth(&leaves[..k]), &ref_mth(&leaves[k..]))
        }
    }
}

/// Naive RFC 9162 §2.1.3.1 `PATH(m, D[n])`.
fn ref_path(m: usize, leaves: &[Hash]) -> Vec<Hash> {
    let n = leaves.len();
    if n == 1 {
        return Vec::new();
    }
    let k = n.next_power_of_two() / 2;
    let (mut p, sibling) = if m < k {
        (ref_path(m, &leaves[..k]), ref_mth(&leaves[k..]))
    } else {
        (ref_path(m - k, &leaves[k..]), ref_mth(&leaves[..k]))
    };
    p.push(sibling);
    p
}

/// Naive RFC 9162 §2.1.4.1 `SUBPROOF(m, D[n], b)`.
fn ref_subproof(m: usize, leaves: &[Hash], b: bool) -> Vec<Hash> {
    let n = leaves.len();
    if m == n {
        return if b { Vec::new() } else { vec![ref_mth(leaves)] };
    }
    let k = n.next_power_of_two() / 2;
    let (mut p, extra) = if m <= k {
        (ref_subproof(m, &leaves[..k], b), ref_mth(&leaves[k..]))
    } else {
        (
            ref_subproof(m - k, &leaves[k..], false),
            ref_mth(&leaves[..k]),
        )
    };
    p.push(extra);
    p
}

fn tree(n: u64) -> MemoryTree {
    let mut t = MemoryTree::new();
    for i in 0..n {
        t.append(format!("record {i}").as_bytes());
    }
    t
}

fn leaves(t: &MemoryTree) -> Vec<Hash> {
    (0..t.size()).map(|i| t.leaf_hash(i).unwrap()).collect()
}

fn flip(h: &Hash, bit: usize) -> Hash {
    let mut b = *h.as_bytes();
    b[(bit / 8) % 32] ^= 1 << (bit % 8);
    Hash(b)
}

#[test]
fn roots_and_frontiers_agree_with_reference_for_every_size() {
    let t = tree(MAX);
    let all = leaves(&t);
    let mut incremental = Frontier::new();
    for n in 0..=MAX {
        let want = ref_mth(&all[..n as usize]);
        assert_eq!(root_at(&t, n).unwrap(), want, "root_at({n})");
        assert_eq!(incremental.root(), want, "incremental frontier at {n}");
        let rebuilt = Frontier::from_source(&t, n).unwrap();
        assert_eq!(rebuilt, incremental, "Frontier::from_source({n})");
        if n < MAX {
            incremental.push(all[n as usize]);
        }
    }
    assert_eq!(t.root(), ref_mth(&all));
}

#[test]
fn stored_nodes_are_exactly_the_complete_subtrees_at_or_above_min_level() {
    let t = tree(MAX);
    let expected: u64 = (STORED_MIN_LEVEL..64).map(|l| MAX >> l).sum();
    assert_eq!(t.stored_node_count() as u64, expected);
    // Every stored node is the correct subtree hash.
    let mut bare = t.clone();
    bare.drop_stored_nodes();
    for level in STORED_MIN_LEVEL..9 {
        for index in 0..(MAX >> level) {
            assert_eq!(
                t.subtree(level, index).unwrap(),
                Some(complete_subtree_hash(&bare, level, index).unwrap())
            );
        }
    }
}

#[test]
fn push_emits_nodes_lowest_first_with_correct_positions() {
    let mut t = MemoryTree::new();
    for i in 0..(1u64 << 7) {
        let emitted = t.push_leaf_hash(leaf_hash(&i.to_le_bytes()));
        let n = i + 1;
        let want: Vec<(u8, u64)> = (STORED_MIN_LEVEL..64)
            .filter(|l| n % (1u64 << l) == 0)
            .map(|l| (l, (n >> l) - 1))
            .collect();
        let got: Vec<(u8, u64)> = emitted.iter().map(|c| (c.level, c.index)).collect();
        assert_eq!(got, want, "after {n} appends");
    }
}

#[test]
fn every_inclusion_proof_verifies_and_matches_reference() {
    let t = tree(MAX);
    let all = leaves(&t);
    for n in 1..=MAX {
        let root = root_at(&t, n).unwrap();
        for i in 0..n {
            let proof = inclusion_proof(&t, i, n).unwrap();
            if n <= 70 {
                assert_eq!(
                    proof,
                    ref_path(i as usize, &all[..n as usize]),
                    "PATH({i}, {n})"
                );
            }
            assert_eq!(
                verify_inclusion(i, n, &all[i as usize], &proof, &root),
                Ok(()),
                "inclusion of {i} in {n}"
            );
        }
    }
}

#[test]
fn every_consistency_proof_verifies_and_matches_reference() {
    let t = tree(MAX);
    let all = leaves(&t);
    let roots: Vec<Hash> = (0..=MAX).map(|n| root_at(&t, n).unwrap()).collect();
    for n in 1..=MAX {
        for m in 1..=n {
            let proof = consistency_proof(&t, m, n).unwrap();
            if n <= 70 {
                assert_eq!(
                    proof,
                    ref_subproof(m as usize, &all[..n as usize], true),
                    "PROOF({m}, {n})"
                );
            }
            assert_eq!(
                verify_consistency(m, n, &roots[m as usize], &roots[n as usize], &proof),
                Ok(()),
                "consistency {m} -> {n}"
            );
        }
    }
}

#[test]
fn proofs_without_stored_nodes_are_identical() {
    let t = tree(MAX);
    let mut bare = t.clone();
    bare.drop_stored_nodes();
    for (m, n) in [(1, 300), (17, 256), (255, 257), (100, 200), (299, 300)] {
        assert_eq!(root_at(&bare, n).unwrap(), root_at(&t, n).unwrap());
        assert_eq!(
            consistency_proof(&bare, m, n).unwrap(),
            consistency_proof(&t, m, n).unwrap()
        );
        assert_eq!(
            inclusion_proof(&bare, m, n).unwrap(),
            inclusion_proof(&t, m, n).unwrap()
        );
    }
}

/// A source that counts its reads, to check that nothing rehashes the tree.
struct Counting<'a> {
    inner: &'a MemoryTree,
    leaves: Cell<u64>,
    nodes: Cell<u64>,
}

impl HashSource for Counting<'_> {
    type Error = MissingLeaf;

    fn leaf_hash(&self, index: u64) -> Result<Hash, MissingLeaf> {
        self.leaves.set(self.leaves.get() + 1);
        self.inner.leaf_hash(index)
    }

    fn subtree(&self, level: u8, index: u64) -> Result<Option<Hash>, MissingLeaf> {
        assert!(level >= STORED_MIN_LEVEL, "asked for an unstored level");
        self.nodes.set(self.nodes.get() + 1);
        self.inner.subtree(level, index)
    }
}

#[test]
fn cost_is_logarithmic_plus_bounded_leaf_reads() {
    let t = tree(5000);
    let leaf_budget = 2u64 << STORED_MIN_LEVEL;
    let node_budget = 2 * 64;
    let check = |what: &str, run: &dyn Fn(&Counting<'_>)| {
        let c = Counting {
            inner: &t,
            leaves: Cell::new(0),
            nodes: Cell::new(0),
        };
        run(&c);
        assert!(
            c.leaves.get() <= leaf_budget,
            "{what}: {} leaf reads",
            c.leaves.get()
        );
        assert!(
            c.nodes.get() <= node_budget,
            "{what}: {} node reads",
            c.nodes.get()
        );
    };
    for n in [1u64, 15, 16, 17, 1023, 1024, 4095, 4999, 5000] {
        check("root_at", &|c| {
            root_at(c, n).unwrap();
        });
        check("frontier", &|c| {
            Frontier::from_source(c, n).unwrap();
        });
        for i in [0, n / 3, n / 2, n - 1] {
            check("inclusion", &|c| {
                inclusion_proof(c, i, n).unwrap();
            });
            let m = i + 1;
            check("consistency", &|c| {
                consistency_proof(c, m, n).unwrap();
            });
        }
    }
}

#[test]
fn generators_reject_bad_arguments() {
    let t = tree(10);
    assert!(matches!(
        inclusion_proof(&t, 10, 10),
        Err(TreeError::IndexOutOfRange {
            index: 10,
            size: 10
        })
    ));
    assert!(matches!(
        inclusion_proof(&t, 0, 0),
        Err(TreeError::IndexOutOfRange { .. })
    ));
    assert!(matches!(
        consistency_proof(&t, 0, 5),
        Err(TreeError::InvalidSizes { .. })
    ));
    assert!(matches!(
        consistency_proof(&t, 6, 5),
        Err(TreeError::InvalidSizes { .. })
    ));
    assert!(matches!(root_at(&t, 11), Err(TreeError::Source(_))));
    assert!(matches!(
        complete_subtree_hash(&t, 64, 0),
        Err(TreeError::LevelOutOfRange { level: 64 })
    ));
    assert!(matches!(
        complete_subtree_hash(&t, 4, u64::MAX),
        Err(TreeError::LevelOutOfRange { level: 4 })
    ));
    assert_eq!(consistency_proof(&t, 10, 10).unwrap(), Vec::<Hash>::new());
}

#[test]
fn verifier_edge_cases() {
    let e = empty_root();
    let h = leaf_hash(b"x");
    assert_eq!(
        verify_inclusion(0, 0, &h, &[], &e),
        Err(ProofError::IndexOutOfRange { index: 0, size: 0 })
    );
    assert_eq!(verify_inclusion(0, 1, &h, &[], &h), Ok(()));
    assert_eq!(
        verify_inclusion(0, 1, &h, &[h], &h),
        Err(ProofError::WrongProofLength { got: 1, want: 0 })
    );
    assert_eq!(verify_consistency(0, 0, &e, &e, &[]), Ok(()));
    assert_eq!(
        verify_consistency(0, 0, &h, &h, &[]),
        Err(ProofError::EarlierRootMismatch)
    );
    assert_eq!(
        verify_consistency(0, 3, &e, &h, &[]),
        Err(ProofError::FromEmptyTree { size2: 3 })
    );
    assert_eq!(
        verify_consistency(4, 3, &h, &h, &[]),
        Err(ProofError::SizeDecreased { size1: 4, size2: 3 })
    );
    assert_eq!(
        verify_consistency(u64::MAX - 1, u64::MAX, &h, &h, &[]),
        Err(ProofError::WrongProofLength { got: 0, want: 64 })
    );
    assert!(verify_inclusion(u64::MAX - 1, u64::MAX, &h, &[h; 3], &h).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn tampered_inclusion_never_verifies(
        n in 1..=MAX,
        i_seed in any::<u64>(),
        target in any::<usize>(),
        bit in 0usize..256,
    ) {
        let t = tree(n);
        let i = i_seed % n;
        let leaf = t.leaf_hash(i).unwrap();
        let root = t.root();
        let proof = inclusion_proof(&t, i, n).unwrap();
        prop_assert_eq!(verify_inclusion(i, n, &leaf, &proof, &root), Ok(()));
        // Targets: each proof element, then the root, then the leaf hash.
        match target % (proof.len() + 2) {
            j if j < proof.len() => {
                let mut bad = proof.clone();
                bad[j] = flip(&bad[j], bit);
                prop_assert!(verify_inclusion(i, n, &leaf, &bad, &root).is_err());
            }
            j if j == proof.len() => {
                prop_assert!(verify_inclusion(i, n, &leaf, &proof, &flip(&root, bit)).is_err());
            }
            _ => {
                prop_assert!(verify_inclusion(i, n, &flip(&leaf, bit), &proof, &root).is_err());
            }
        }
        // A proof for a neighbouring index or size must not verify either.
        if n > 1 {
            let other = (i + 1) % n;
            prop_assert!(verify_inclusion(other, n, &leaf, &proof, &root).is_err());
        }
        let mut bigger = t.clone();
        bigger.append(b"one more");
        prop_assert!(verify_inclusion(i, n + 1, &leaf, &proof, &bigger.root()).is_err());
    }

    #[test]
    fn tampered_consistency_never_verifies(
        n in 1..=MAX,
        m_seed in any::<u64>(),
        target in any::<usize>(),
        bit in 0usize..256,
    ) {
        let t = tree(n);
        let m = 1 + m_seed % n;
        let (r1, r2) = (root_at(&t, m).unwrap(), t.root());
        let proof = consistency_proof(&t, m, n).unwrap();
        prop_assert_eq!(verify_consistency(m, n, &r1, &r2, &proof), Ok(()));
        // Targets: each proof element, then root1, then root2.
        match target % (proof.len() + 2) {
            j if j < proof.len() => {
                let mut bad = proof.clone();
                bad[j] = flip(&bad[j], bit);
                prop_assert!(verify_consistency(m, n, &r1, &r2, &bad).is_err());
            }
            j if j == proof.len() => {
                prop_assert!(verify_consistency(m, n, &flip(&r1, bit), &r2, &proof).is_err());
            }
            _ => {
                prop_assert!(verify_consistency(m, n, &r1, &flip(&r2, bit), &proof).is_err());
            }
        }
        // Dropping or adding a hash is caught too.
        if let Some((_, shorter)) = proof.split_last() {
            prop_assert!(verify_consistency(m, n, &r1, &r2, shorter).is_err());
        }
        let mut longer = proof.clone();
        longer.push(r2);
        prop_assert!(verify_consistency(m, n, &r1, &r2, &longer).is_err());
    }

    #[test]
    fn verifiers_never_panic_on_arbitrary_input(
        a in any::<u64>(),
        b in any::<u64>(),
        len in 0usize..70,
        seed in any::<[u8; 32]>(),
    ) {
        let h = Hash(seed);
        let proof = vec![h; len];
        let _ = verify_inclusion(a, b, &h, &proof, &h);
        let _ = verify_consistency(a, b, &h, &h, &proof);
        let _ = verify_consistency(a.min(b), a.max(b), &h, &h, &proof);
    }
}
