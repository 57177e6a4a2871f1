//! The integration-test binary: drives the built `delib` binary (and the library) end to end.

mod cli_recording;
mod cli_rejections;
mod concurrency;
mod erasure;
mod support;
