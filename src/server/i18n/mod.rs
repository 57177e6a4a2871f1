//! Translations of the public site (and the clerk's console): Fluent message catalogues a
//! translator edits without touching Rust (`locales/zh-Hans/*.ftl`, `locales/en/*.ftl`, compiled
//! in), the language of a request (zh-Hans by default, from `Accept-Language`, then `?lang=`), and
//! the ways people write dates, money and durations in each language.
//!
//! - [`catalog`]: the catalogues and message lookup ([`Tr`]);
//! - [`negotiate`]: the language of a request;
//! - [`format`]: dates (2015年3月2日 / 2 Mar 2015), money (240,000 元), whole days.
//!
//! Every message exists in both languages (a test checks), and every closed vocabulary the
//! ledger records (statuses, kinds, roles, event kinds) has a message (`group-code`).

pub mod catalog;
pub mod format;
pub mod negotiate;

pub use catalog::{Arg, Tr};
pub use delib_projections::report::Lang;
pub use negotiate::negotiate;
