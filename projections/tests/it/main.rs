//! Integration tests of delib-projections: one binary, one module per concern.

mod builder;
mod history;
mod lifecycle;
mod privacy;
mod props;
mod replay;
mod report;
mod scenario;
mod views;
