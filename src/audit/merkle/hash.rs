//! The 32-byte SHA-256 hash type and the RFC 9162 §2.1.1 hashing rules.
//!
//! Leaves and interior nodes are hashed with distinct one-byte prefixes
//! (`0x00` and `0x01`) so that a leaf can never be passed off as an interior
//! node (second-preimage resistance of the tree).

use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// A SHA-256 digest: a leaf hash, an interior node hash or a tree root.
///
/// A fixed-size newtype rather than `Vec<u8>`, so that a hash of the wrong
/// length cannot reach the verification code: it is rejected when parsed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash(pub [u8; Hash::LEN]);

/// Why a string or byte slice could not be turned into a [`Hash`](struct@Hash).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HashParseError {
    /// The decoded bytes were not exactly 32 long.
    #[error("a hash is {expected} bytes long, got {got}", expected = Hash::LEN)]
    WrongLength {
        /// The number of bytes actually decoded.
        got: usize,
    },
    /// The text was not valid hexadecimal.
    #[error("invalid hex: {0}")]
    Hex(#[from] hex::FromHexError),
    /// The text was not valid standard (padded) base64.
    #[error("invalid base64: {0}")]
    Base64(#[from] base64::DecodeError),
    /// The base64 text decoded, but is not the canonical encoding of its
    /// bytes (non-zero padding bits); accepting it would make the same hash
    /// have several spellings.
    #[error("non-canonical base64 encoding")]
    NonCanonicalBase64,
}

impl Hash {
    /// Length of a SHA-256 digest in bytes.
    pub const LEN: usize = 32;

    /// Wraps raw digest bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; Hash::LEN]) -> Self {
        Self(bytes)
    }

    /// The raw digest bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; Hash::LEN] {
        &self.0
    }

    /// Copies a hash out of a byte slice of untrusted length.
    ///
    /// # Errors
    /// [`HashParseError::WrongLength`] unless `bytes` is exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, HashParseError> {
        <[u8; Hash::LEN]>::try_from(bytes)
            .map(Self)
            .map_err(|_| HashParseError::WrongLength { got: bytes.len() })
    }

    /// Lower-case hexadecimal, as used in logs and the CLI.
    #[must_use]
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Parses 64 hexadecimal digits (either case).
    ///
    /// # Errors
    /// [`HashParseError::Hex`] for non-hex text, [`HashParseError::WrongLength`]
    /// if it does not decode to 32 bytes.
    pub fn from_hex(text: &str) -> Result<Self, HashParseError> {
        Self::from_slice(&hex::decode(text)?)
    }

    /// Standard padded base64, the encoding used by checkpoints and by the
    /// RFC 9162 test vectors.
    #[must_use]
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.0)
    }

    /// Parses standard padded base64 (the only spelling [`Hash::to_base64`]
    /// produces).
    ///
    /// # Errors
    /// [`HashParseError::Base64`] for invalid base64,
    /// [`HashParseError::NonCanonicalBase64`] for a non-canonical spelling and
    /// [`HashParseError::WrongLength`] if it does not decode to 32 bytes.
    pub fn from_base64(text: &str) -> Result<Self, HashParseError> {
        let bytes = BASE64.decode(text)?;
        let hash = Self::from_slice(&bytes)?;
        if hash.to_base64() != text {
            return Err(HashParseError::NonCanonicalBase64);
        }
        Ok(hash)
    }
}

impl From<[u8; Hash::LEN]> for Hash {
    fn from(bytes: [u8; Hash::LEN]) -> Self {
        Self(bytes)
    }
}

impl TryFrom<&[u8]> for Hash {
    type Error = HashParseError;

    fn try_from(bytes: &[u8]) -> Result<Self, Self::Error> {
        Self::from_slice(bytes)
    }
}

impl AsRef<[u8]> for Hash {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// RFC 9162 leaf hash: `SHA-256(0x00 || record_bytes)`.
///
/// `record_bytes` is the canonical serialisation of one ledger record; the
/// caller decides what that is, this function only adds domain separation.
#[must_use]
pub fn leaf_hash(record_bytes: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(record_bytes);
    Hash(h.finalize().into())
}

/// RFC 9162 interior node hash: `SHA-256(0x01 || left || right)`.
#[must_use]
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left.0);
    h.update(right.0);
    Hash(h.finalize().into())
}

/// Root of the empty tree: `SHA-256("")` (RFC 9162 §2.1.1).
#[must_use]
pub fn empty_root() -> Hash {
    Hash(Sha256::digest([]).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(
            empty_root().to_hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn leaf_and_node_hashes_match_rfc_examples() {
        // Leaf hash of the empty record, and of the record 0x00, as used by
        // the transparency-dev reference tests.
        assert_eq!(
            leaf_hash(b"").to_hex(),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
        assert_eq!(
            leaf_hash(&[0x00]).to_hex(),
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"
        );
        // Root of the two-leaf tree [b"", 0x00].
        assert_eq!(
            node_hash(&leaf_hash(b""), &leaf_hash(&[0x00])).to_hex(),
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
        );
    }

    #[test]
    fn text_round_trips_and_rejects_bad_input() {
        let h = leaf_hash(b"delib");
        assert_eq!(Hash::from_hex(&h.to_hex()), Ok(h));
        assert_eq!(Hash::from_base64(&h.to_base64()), Ok(h));
        assert_eq!(Hash::from_hex(&h.to_hex().to_uppercase()), Ok(h));
        assert!(matches!(
            Hash::from_base64("ZG9uJ3QgY2FyZSAx"),
            Err(HashParseError::WrongLength { got: 12 })
        ));
        assert!(matches!(
            Hash::from_base64(""),
            Err(HashParseError::WrongLength { got: 0 })
        ));
        assert!(matches!(
            Hash::from_base64("!!"),
            Err(HashParseError::Base64(_))
        ));
        assert!(matches!(Hash::from_hex("zz"), Err(HashParseError::Hex(_))));
        // Same bytes, but the last base64 digit carries non-zero padding bits.
        let canonical = h.to_base64();
        let mut chars: Vec<char> = canonical.chars().collect();
        let last = chars.len() - 2; // before the single '=' of a 32-byte value
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let pos = alphabet.find(chars[last]).unwrap();
        chars[last] = alphabet.chars().nth(pos ^ 1).unwrap();
        let sloppy: String = chars.into_iter().collect();
        assert!(Hash::from_base64(&sloppy).is_err());
        assert!(Hash::from_slice(&[0u8; 31]).is_err());
    }
}
