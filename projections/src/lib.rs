//! # delib-projections
//!
//! Pure folds from delib's events to the views people read and the reports residents get.
//!
//! **Architecture Invariant:** this crate does no I/O, reads no clock and draws no randomness; it
//! depends only on `delib-events`. Everything comes from the events and the arguments. Projections
//! never write events.
//!
//! - [`projection`]: the [`Projection`] trait (name, version, idempotent `apply`);
//! - [`directory`]: stream id to reference (`PROP-3`) and label; persons only as `PER-n`;
//! - [`proposals`], [`hearings`], [`consultations`], [`ballots`], [`disputes`]: one projection per
//!   kind, each with `show`/`list` views whose JSON fields are those of `CLI.md`;
//! - [`views`]: all projections folded together ([`Views`]);
//! - [`timeline`]: dispute replay as of a date or a position, folding only the events within the cut;
//! - [`history`]: `history REF` and `audit log` entries with one-line summaries that print references;
//! - [`report`]: the transparency report (JSON, Markdown, self-contained HTML with SVG charts; English or
//!   Simplified Chinese labels);
//! - [`csv`]: RFC 4180 exports of each view;
//! - [`time`]: RFC 3339 rendering of timestamps.

// First: the other modules use its macros.
#[macro_use]
pub mod projection;

pub mod page;

pub mod ballots;
pub mod consultations;
pub mod csv;
pub mod describe;
pub mod directory;
pub mod disputes;
pub mod documents;
pub mod hearings;
pub mod history;
pub mod latest;
pub mod pledges;
pub mod proposals;
pub mod report;
pub mod shared;
pub mod time;
pub mod timeline;
pub mod views;

pub use directory::Directory;
pub use page::Page;
pub use projection::{row_json, with_counts, Keyed, Projection, Row, Rows, RowsAndDigests, GROUP};
pub use views::Views;
