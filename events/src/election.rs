//! The public record of an encrypted ballot, as plain bytes: exponential ElGamal ciphertexts over
//! Ristretto255 and the zero-knowledge proofs that go with them. The arithmetic lives in the
//! `delib-election` crate; these types are only what the log carries (fixed-size byte arrays, so they
//! are stored forever as they are).

use serde::{Deserialize, Serialize};

/// A compressed Ristretto255 point.
pub type PointBytes = [u8; 32];
/// A canonical Ristretto255 scalar.
pub type ScalarBytes = [u8; 32];

/// An ElGamal ciphertext `(a, b) = (r·G, r·H + m·G)` under the election key `H`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ciphertext {
    /// `r·G`.
    pub a: PointBytes,
    /// `r·H + m·G`.
    pub b: PointBytes,
}

/// A proof of one discrete-log equality (Chaum-Pedersen) or of knowledge (Schnorr): a challenge and a
/// response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DleqProof {
    /// The challenge.
    pub c: ScalarBytes,
    /// The response.
    pub z: ScalarBytes,
}

/// A disjunctive Chaum-Pedersen proof that a ciphertext holds 0 or 1: the challenges and responses
/// of both branches (one of them simulated).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BitProof {
    /// Challenge of the "holds 0" branch.
    pub c0: ScalarBytes,
    /// Challenge of the "holds 1" branch.
    pub c1: ScalarBytes,
    /// Response of the "holds 0" branch.
    pub z0: ScalarBytes,
    /// Response of the "holds 1" branch.
    pub z1: ScalarBytes,
}

/// A teller's public key share with a proof that the teller knows its secret.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TellerKey {
    /// `x_i·G`.
    pub public: PointBytes,
    /// Schnorr proof of knowledge of `x_i`.
    pub proof: DleqProof,
}

/// An encrypted vote: one ciphertext per option (1 for the chosen option, 0 for the others), a proof
/// for each that it holds 0 or 1, and a proof that together they hold exactly 1.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EncryptedVote {
    /// One ciphertext per option, in the ballot's order.
    pub ciphertexts: Vec<Ciphertext>,
    /// One 0-or-1 proof per ciphertext.
    pub proofs: Vec<BitProof>,
    /// The proof that the ciphertexts' product holds 1.
    pub sum: DleqProof,
}

/// One teller's partial decryption of the aggregate ciphertexts: `x_i·A` per option, with a
/// Chaum-Pedersen proof each that it used the same `x_i` as its public key share.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartialDecryption {
    /// The teller's index among the ballot's tellers (from 0).
    pub teller: u32,
    /// `x_i·A_j` per option.
    pub shares: Vec<PointBytes>,
    /// One proof per option.
    pub proofs: Vec<DleqProof>,
}
