//! Why a key, a vote or a tally does not verify: the first failure, named.

/// The first failure found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ElectionError {
    /// Bytes that do not decode to a group element.
    #[error("{what} is not a valid Ristretto255 point")]
    BadPoint {
        /// Which value.
        what: String,
    },
    /// Bytes that are not a canonical scalar.
    #[error("{what} is not a canonical scalar")]
    BadScalar {
        /// Which value.
        what: String,
    },
    /// A vote with the wrong number of ciphertexts or proofs.
    #[error("the vote has {got} ciphertexts or proofs for {expected} options")]
    Shape {
        /// Options on the ballot.
        expected: usize,
        /// What the vote has.
        got: usize,
    },
    /// A choice outside the options.
    #[error("choice {choice} is not one of the {options} options")]
    BadChoice {
        /// The choice's index.
        choice: usize,
        /// How many options.
        options: usize,
    },
    /// A 0-or-1 proof that fails.
    #[error("option {option}: the proof that its ciphertext holds 0 or 1 does not verify")]
    BitProof {
        /// The option's index.
        option: usize,
    },
    /// The sum proof fails.
    #[error("the proof that the vote holds exactly one choice does not verify")]
    SumProof,
    /// A teller's proof of knowledge of its key share fails.
    #[error("teller {teller}: the proof of knowledge of its key share does not verify")]
    KeyProof {
        /// The teller's index.
        teller: usize,
    },
    /// No tellers.
    #[error("a secret ballot needs at least one teller's key share")]
    NoTellers,
    /// A decryption proof fails.
    #[error("teller {teller}, option {option}: the proof of correct decryption does not verify")]
    DecryptionProof {
        /// The teller's index.
        teller: usize,
        /// The option's index.
        option: usize,
    },
    /// A decrypted aggregate that is no count up to the electorate.
    #[error("option {option}: the decrypted aggregate is no count between 0 and {max}")]
    CountOutOfRange {
        /// The option's index.
        option: usize,
        /// The largest possible count.
        max: u64,
    },
    /// A recorded value that differs from the one recomputed.
    #[error("{0}")]
    Mismatch(String),
}
