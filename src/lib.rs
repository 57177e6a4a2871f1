//! # delib
//!
//! An event-sourced deliberation ledger for neighbourhood self-governance: hearings, resident
//! proposals, ballots, consultations and dispute mediation recorded as immutable, hash-chained events
//! in an embedded sled database.
//!
//! Modules:
//! - [`audit`]: integrity: the RFC 9162 Merkle tree, proofs and signed checkpoints;
//! - [`backup`]: incremental, verifiable backups and restores;
//! - [`store`]: the append-only event store (sled backend with group commit, in-memory backend);
//! - [`domain`]: the pure deliberation domain: per kind `decide(&state, command)` and `apply`;
//! - [`projection_store`]: persisted projections, caught up to the head on every read;
//! - [`clock`]: the injected ledger clock;
//! - [`ledger`]: the ledger as an application object (data directory, init, open);
//! - [`app`]: the application layer: references, the person directory, the load/decide/append loop, views;
//! - [`server`]: `delib serve`: the HTTP API, live feed, access tokens and web pages (axum);
//! - [`cli`]: the `delib` command line (argument parsing, output, exit codes);
//! - [`bench`](mod@bench): the `delib bench` benchmarks.
//!
//! The event vocabulary and codec are in the `delib-events` crate; views in `delib-projections`.

pub mod app;
pub mod audit;
pub mod backup;
pub mod bench;
pub mod cli;
pub mod clock;
pub use delib_domain as domain;
pub mod ledger;
pub mod projection_store;
pub mod server;
pub mod store;
pub mod tlog;
