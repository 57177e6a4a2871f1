//! The one integration-test binary. Modules are named for what they test.

mod audit_cli;
mod audit_support;
mod audit_tamper;
mod codec_garbage;
mod codec_golden;
mod store_append;
mod store_concurrency;
mod store_crash;
mod store_merkle;
mod store_model;
mod store_support;
