//! delib
