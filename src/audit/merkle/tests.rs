//! Property tests: generated proofs verify, tampered ones do not, and the
//! store-backed and in-memory roots agree with a naive RFC 9162 reference.
