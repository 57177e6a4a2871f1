//! The pure integrity core of the audit feature.
//!
//! The ledger's records are the leaves of an append-only Merkle tree hashed
//! exactly as RFC 9162 (Certificate Transparency v2) specifies, so that any
//! third party can check, with off-the-shelf tooling, that a record is in the
//! ledger ([`merkle::verify_inclusion`]) and that a later ledger extends an
//! earlier one without rewriting history ([`merkle::verify_consistency`]).
//! Tree heads are published as C2SP signed-note checkpoints
//! ([`checkpoint`]), the format used by Go's `sumdb` and the transparency-dev
//! ecosystem, so witnesses and monitors can consume them unchanged.
//!
//! Nothing in here performs I/O: storage is abstracted behind
//! [`merkle::HashSource`], and randomness for key generation is injected by
//! the caller.

pub mod checkpoint;
pub mod checkpoints;
pub mod documents_verify;
pub mod history_verify;
pub mod keys;
pub mod ledger_verify;
pub mod merkle;
pub mod proof_file;
pub mod proofs;
pub mod scrub;
