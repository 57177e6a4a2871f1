//! delib
pub mod audit;
