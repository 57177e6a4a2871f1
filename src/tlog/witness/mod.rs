//! A tlog-witness (<https://c2sp.org/tlog-witness>) and its Ed25519 cosignatures
//! (<https://c2sp.org/tlog-cosignature>), and the ledger's side that collects them.
//!
//! - this module: the cosigner key (key ID over `0x04`), cosigning and verifying a cosignature;
//! - [`state`]: the logs a witness follows and `add-checkpoint`'s checks, atomically;
//! - [`http`]: `delib witness serve` (`POST /add-checkpoint`, `GET /<origin hash>/checkpoint`);
//! - [`collect`]: `delib audit witness --url`, the cosignatures side store.

pub mod collect;
pub mod http;
pub mod state;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::fmt;

/// The signature type byte of Ed25519 cosignatures (tlog-cosignature).
pub const COSIGNATURE_TYPE: u8 = 0x04;

/// Why a cosigner key or cosignature was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CosignatureError {
    /// A key string did not parse.
    #[error("invalid witness key: {0}")]
    Key(&'static str),
    /// No signature line by this cosigner.
    #[error("no cosignature by {0}")]
    Missing(String),
    /// A line by this cosigner that does not verify.
    #[error("the cosignature by {0} does not verify")]
    Bad(String),
}

/// `SHA-256(name || "\n" || 0x04 || public key)[:4]`.
#[must_use]
pub fn cosigner_key_id(name: &str, key: &VerifyingKey) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([COSIGNATURE_TYPE]);
    h.update(key.as_bytes());
    let d = h.finalize();
    [d[0], d[1], d[2], d[3]]
}

/// The message an Ed25519 cosignature signs: `cosignature/v1\ntime <t>\n` and the note body.
#[must_use]
pub fn cosigned_message(body: &str, time: u64) -> String {
    format!("cosignature/v1\ntime {time}\n{body}")
}

/// A witness's public key: name and Ed25519 key, as the vkey `<name>+<hex id>+<base64(0x04||key)>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CosignerKey {
    /// The witness's name (a schema-less URL, by convention).
    pub name: String,
    /// Its public key.
    pub key: VerifyingKey,
}

impl CosignerKey {
    /// Parses the vkey form.
    ///
    /// # Errors
    /// [`CosignatureError::Key`].
    pub fn parse(text: &str) -> Result<Self, CosignatureError> {
        let parts: Vec<&str> = text.trim().splitn(3, '+').collect();
        let [name, id, key] = parts[..] else {
            return Err(CosignatureError::Key(
                "expected <name>+<hex id>+<base64 key>",
            ));
        };
        crate::audit::checkpoint::validate_key_name(name)
            .map_err(|_| CosignatureError::Key("bad name"))?;
        let raw = BASE64
            .decode(key)
            .map_err(|_| CosignatureError::Key("key is not base64"))?;
        if raw.len() != 33 || raw[0] != COSIGNATURE_TYPE {
            return Err(CosignatureError::Key(
                "not an Ed25519 cosignature key (type 0x04)",
            ));
        }
        let bytes: [u8; 32] = raw[1..]
            .try_into()
            .map_err(|_| CosignatureError::Key("length"))?;
        let key =
            VerifyingKey::from_bytes(&bytes).map_err(|_| CosignatureError::Key("not a point"))?;
        let out = Self {
            name: name.to_owned(),
            key,
        };
        if hex::encode(out.key_id()) != id {
            return Err(CosignatureError::Key("key id does not match"));
        }
        Ok(out)
    }

    /// The key ID.
    #[must_use]
    pub fn key_id(&self) -> [u8; 4] {
        cosigner_key_id(&self.name, &self.key)
    }

    /// Verifies this witness's cosignature among the signature lines of `note` (a signed
    /// checkpoint): returns its timestamp.
    ///
    /// # Errors
    /// [`CosignatureError::Missing`] or [`CosignatureError::Bad`].
    pub fn verify(&self, note: &str) -> Result<u64, CosignatureError> {
        let (body, sigs) =
            split_note(note).ok_or_else(|| CosignatureError::Missing(self.name.clone()))?;
        let prefix = format!("\u{2014} {} ", self.name);
        let id = self.key_id();
        for line in sigs.lines() {
            let Some(b64) = line.strip_prefix(&prefix) else {
                continue;
            };
            let Ok(blob) = BASE64.decode(b64) else {
                continue;
            };
            if blob.len() != 4 + 8 + 64 || blob[..4] != id {
                continue;
            }
            let time = u64::from_be_bytes(blob[4..12].try_into().unwrap_or_default());
            let sig = Signature::from_bytes(&blob[12..].try_into().unwrap_or([0u8; 64]));
            return self
                .key
                .verify_strict(cosigned_message(body, time).as_bytes(), &sig)
                .map(|()| time)
                .map_err(|_| CosignatureError::Bad(self.name.clone()));
        }
        Err(CosignatureError::Missing(self.name.clone()))
    }
}

impl fmt::Display for CosignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = vec![COSIGNATURE_TYPE];
        raw.extend_from_slice(self.key.as_bytes());
        write!(
            f,
            "{}+{}+{}",
            self.name,
            hex::encode(self.key_id()),
            BASE64.encode(raw)
        )
    }
}

/// A witness's signing key.
pub struct Cosigner {
    name: String,
    key: SigningKey,
}

impl fmt::Debug for Cosigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cosigner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Cosigner {
    /// A cosigner from a name and a 32-byte secret seed.
    ///
    /// # Errors
    /// [`CosignatureError::Key`] for a bad name.
    pub fn from_seed(name: &str, seed: [u8; 32]) -> Result<Self, CosignatureError> {
        crate::audit::checkpoint::validate_key_name(name)
            .map_err(|_| CosignatureError::Key("bad name"))?;
        Ok(Self {
            name: name.to_owned(),
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// The public half.
    #[must_use]
    pub fn public(&self) -> CosignerKey {
        CosignerKey {
            name: self.name.clone(),
            key: self.key.verifying_key(),
        }
    }

    /// The secret seed (for the key file only).
    #[must_use]
    pub fn seed(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The cosignature line over a checkpoint `body` at `time`:
    /// `— <name> base64(key id || time (8, BE) || Ed25519 signature)\n`.
    #[must_use]
    pub fn cosign(&self, body: &str, time: u64) -> String {
        let sig = self.key.sign(cosigned_message(body, time).as_bytes());
        let mut blob = self.public().key_id().to_vec();
        blob.extend_from_slice(&time.to_be_bytes());
        blob.extend_from_slice(&sig.to_bytes());
        format!("\u{2014} {} {}\n", self.name, BASE64.encode(blob))
    }
}

/// A signed note's body (through its last newline before the blank line) and its signature lines.
#[must_use]
pub fn split_note(note: &str) -> Option<(&str, &str)> {
    let split = note.rfind("\n\n")?;
    Some((&note[..=split], &note[split + 2..]))
}
