//! Verifiable secret ballots: exponential ElGamal over Ristretto255, as Helios and ElectionGuard do
//! it, with every proof non-interactive (Fiat-Shamir over a domain-separated SHA-512 transcript).
//!
//! - The **election key** `H = Σ X_i` is the sum of the tellers' key shares `X_i = x_i·G`; each share
//!   comes with a Schnorr proof that its teller knows `x_i` (so no teller can choose a share that
//!   cancels the others'). Sharing is n-of-n: every teller must take part in the tally, and no
//!   coalition short of all of them can decrypt anything ([`keys`]).
//! - A **vote** is one ciphertext `(r·G, r·H + m·G)` per option with `m` 1 for the chosen option and
//!   0 for the others, a disjunctive Chaum-Pedersen proof per ciphertext that `m ∈ {0, 1}`, and a
//!   Chaum-Pedersen proof that the product of the ciphertexts holds 1 ([`vote`]). The proofs bind the
//!   ledger, the ballot, the voter and the election key, so a vote cannot be replayed elsewhere.
//! - The **tally** multiplies the ciphertexts per option; each teller publishes `x_i·A` per option
//!   with a Chaum-Pedersen proof that it used its own share; `B - Σ x_i·A = t·G` gives the count `t`
//!   by a table of at most the electorate ([`tally`]). Only the aggregate is ever decrypted.
//!
//! **Architecture Invariant:** nothing here does I/O or reads a clock; randomness is a parameter
//! (`&mut impl CryptoRngCore`), so the crate is as pure as the domain that verifies with it.

mod error;
pub mod keys;
mod seeded;
pub mod tally;
mod transcript;
pub mod vote;

pub use error::ElectionError;
pub use keys::{election_key, teller_keygen, TellerSecret};
pub use seeded::SeededRng;
pub use tally::{
    accumulate, aggregate, combine, partial_decrypt, verify_partial, verify_tally, Record,
};
pub use transcript::Scope;
pub use vote::{encrypt_vote, verify_vote};

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;

pub(crate) fn point(
    bytes: &[u8; 32],
    what: impl FnOnce() -> String,
) -> Result<RistrettoPoint, ElectionError> {
    CompressedRistretto(*bytes)
        .decompress()
        .ok_or_else(|| ElectionError::BadPoint { what: what() })
}

pub(crate) fn scalar(
    bytes: &[u8; 32],
    what: impl FnOnce() -> String,
) -> Result<Scalar, ElectionError> {
    Option::from(Scalar::from_canonical_bytes(*bytes))
        .ok_or_else(|| ElectionError::BadScalar { what: what() })
}

#[cfg(test)]
mod tests;
