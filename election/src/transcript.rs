//! Fiat-Shamir challenges: SHA-512 over a domain-separated, length-prefixed transcript, reduced to a
//! scalar. Every proof's transcript starts with the protocol's name, the proof's kind and its
//! [`Scope`] (the ledger, the ballot, the election key), so a proof made for one ballot or ledger is
//! worthless in another.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use sha2::{Digest, Sha512};

/// What every proof of one ballot is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope<'a> {
    /// The ledger's origin (its checkpoint name).
    pub ledger: &'a str,
    /// The ballot's id.
    pub ballot: [u8; 16],
}

pub(crate) struct Transcript(Sha512);

impl Transcript {
    pub(crate) fn new(kind: &'static str, scope: &Scope<'_>) -> Self {
        let mut t = Transcript(Sha512::new());
        t.bytes(b"delib/election/v1");
        t.bytes(kind.as_bytes());
        t.bytes(scope.ledger.as_bytes());
        t.bytes(&scope.ballot);
        t
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.0.update((b.len() as u64).to_be_bytes());
        self.0.update(b);
        self
    }

    pub(crate) fn number(&mut self, n: u64) -> &mut Self {
        self.bytes(&n.to_be_bytes())
    }

    pub(crate) fn point(&mut self, p: &RistrettoPoint) -> &mut Self {
        self.bytes(p.compress().as_bytes())
    }

    pub(crate) fn challenge(self) -> Scalar {
        let digest: [u8; 64] = self.0.finalize().into();
        Scalar::from_bytes_mod_order_wide(&digest)
    }
}
