//! delib
pub mod domain;
