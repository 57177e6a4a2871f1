//! The one integration-test binary: drives the library and the built `delib` binary end to end.
//! Modules are named for what they test.

mod app_idempotency;
mod attack_idempotency;
mod audit_cli;
mod audit_support;
mod audit_tamper;
mod ballot_encrypted;
mod cli_paging;
mod cli_recording;
mod cli_rejections;
mod codec_garbage;
mod codec_golden;
mod concurrency;
mod demo_views;
mod erasure;
mod import_export;
mod projection_rebuild;
mod report_cli;
mod server_access;
mod server_api;
mod server_feed;
mod server_report_cache;
mod server_shutdown;
mod server_support;
mod store_append;
mod store_concurrency;
mod store_crash;
mod store_merkle;
mod store_model;
mod store_support;
mod support;
mod web_browser;
