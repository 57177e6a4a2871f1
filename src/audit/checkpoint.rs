//! Signed tree heads in the C2SP formats, so that off-the-shelf witnesses
//! and monitors can check a delib ledger.
//!
//! - [`Checkpoint`] is the body of <https://c2sp.org/tlog-checkpoint>:
//!   `<origin>\n<size>\n<base64 root>\n`.
//! - [`Note`] is a <https://c2sp.org/signed-note>: a text, a blank line, and
//!   signature lines `— <key name> <base64(key hash || signature)>\n`.
//! - [`SignedCheckpoint`] is a checkpoint carried in a signed note.
//! - [`VerifierKey`] and [`SignerKey`] are the signed-note text encodings of
//!   Ed25519 keys (`<name>+<hex key hash>+<base64(0x01 || public key)>` and
//!   the `PRIVATE+KEY+...` form of Go's `sumdb/note`).
//!
//! The module is pure: key generation takes its 32 random bytes from the
//! caller. Parsing is strict (canonical encodings only, bounded sizes) and
//! never panics on untrusted input.

use std::fmt;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::merkle::Hash;

/// Signature type byte of Ed25519 in signed notes (key hashes and keys).
pub const ED25519_SIGNATURE_TYPE: u8 = 0x01;

/// Most signature lines accepted in a note, as in Go's `sumdb/note`:
/// bounds the work an attacker can cause.
pub const MAX_SIGNATURES: usize = 100;

/// Longest note accepted, in bytes; a checkpoint with its signatures is a
/// few hundred bytes, so this only bounds hostile input.
pub const MAX_NOTE_LEN: usize = 64 * 1024;

/// The signature line prefix: em dash (U+2014) and a space.
const SIG_PREFIX: &str = "\u{2014} ";

/// Why a note, checkpoint or key was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// A key name was empty or contained whitespace or `+`.
    #[error("invalid key name: must be non-empty without spaces or '+'")]
    InvalidKeyName,
    /// A note text was empty, did not end in a newline, contained a blank
    /// line or a control character.
    #[error("invalid note text: {0}")]
    InvalidText(&'static str),
    /// The note's framing or a signature line was malformed.
    #[error("malformed note: {0}")]
    MalformedNote(&'static str),
    /// The note text is not a checkpoint body.
    #[error("malformed checkpoint: {0}")]
    MalformedCheckpoint(&'static str),
    /// A verifier or signer key string was malformed or inconsistent.
    #[error("invalid key encoding: {0}")]
    InvalidKey(&'static str),
    /// No signature line carries this key's name and key hash.
    #[error("no signature by key {name:?}")]
    NoMatchingSignature {
        /// The key name looked for.
        name: String,
    },
    /// A signature line claims to be by this key but does not verify: the
    /// note was altered or forged.
    #[error("signature by key {name:?} does not verify")]
    BadSignature {
        /// The key name whose signature failed.
        name: String,
    },
}

/// Checks the signed-note key name rules: non-empty, no Unicode whitespace,
/// no `+` (which separates the fields of a key string).
///
/// # Errors
/// [`CheckpointError::InvalidKeyName`] otherwise.
pub fn validate_key_name(name: &str) -> Result<(), CheckpointError> {
    if name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || c == '+' || c.is_control())
    {
        return Err(CheckpointError::InvalidKeyName);
    }
    Ok(())
}

/// The 4-byte key hash that labels an Ed25519 key's signatures:
/// `SHA-256(name || "\n" || 0x01 || public key)[..4]`.
#[must_use]
pub fn key_hash(name: &str, key: &VerifyingKey) -> [u8; 4] {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([ED25519_SIGNATURE_TYPE]);
    h.update(key.as_bytes());
    let digest = h.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

/// An Ed25519 signing key from 32 secret random bytes supplied by the
/// caller (e.g. from `getrandom`); no randomness is drawn here.
#[must_use]
pub fn signing_key_from_seed(seed: [u8; 32]) -> SigningKey {
    SigningKey::from_bytes(&seed)
}

/// One signature line of a note, verified or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// The signer's key name.
    pub name: String,
    /// The key hash, telling apart keys of the same name.
    pub key_hash: [u8; 4],
    /// The signature bytes (64 for Ed25519; other types are kept as-is).
    pub signature: Vec<u8>,
}

impl NoteSignature {
    fn to_line(&self) -> String {
        let mut blob = Vec::with_capacity(4 + self.signature.len());
        blob.extend_from_slice(&self.key_hash);
        blob.extend_from_slice(&self.signature);
        format!("{SIG_PREFIX}{} {}\n", self.name, BASE64.encode(blob))
    }

    fn parse_line(line: &str) -> Result<Self, CheckpointError> {
        let rest = line
            .strip_prefix(SIG_PREFIX)
            .ok_or(CheckpointError::MalformedNote(
                "signature line must start with an em dash and a space",
            ))?;
        let (name, b64) = rest.split_once(' ').ok_or(CheckpointError::MalformedNote(
            "signature line lacks a signature",
        ))?;
        validate_key_name(name)?;
        let blob = BASE64
            .decode(b64)
            .map_err(|_| CheckpointError::MalformedNote("signature is not valid base64"))?;
        if blob.len() < 5 {
            return Err(CheckpointError::MalformedNote("signature is too short"));
        }
        let (hash, signature) = blob.split_at(4);
        Ok(Self {
            name: name.to_owned(),
            key_hash: [hash[0], hash[1], hash[2], hash[3]],
            signature: signature.to_vec(),
        })
    }
}

/// A C2SP signed note: a text and the signatures over it.
///
/// The signatures cover the text bytes exactly, including the final newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    text: String,
    signatures: Vec<NoteSignature>,
}

fn validate_text(text: &str) -> Result<(), CheckpointError> {
    if text.is_empty() {
        return Err(CheckpointError::InvalidText("empty"));
    }
    if !text.ends_with('\n') {
        return Err(CheckpointError::InvalidText("must end with a newline"));
    }
    if text.starts_with('\n') || text.contains("\n\n") {
        return Err(CheckpointError::InvalidText(
            "must not contain a blank line",
        ));
    }
    if text.chars().any(|c| c < ' ' && c != '\n') {
        return Err(CheckpointError::InvalidText("control character"));
    }
    if text.len() > MAX_NOTE_LEN {
        return Err(CheckpointError::InvalidText("too long"));
    }
    Ok(())
}

impl Note {
    /// An unsigned note over `text`.
    ///
    /// # Errors
    /// [`CheckpointError::InvalidText`] unless `text` is non-empty, ends in a
    /// newline, and has no blank line and no control character other than
    /// newline (so that the signed note parses back unambiguously).
    pub fn new(text: impl Into<String>) -> Result<Self, CheckpointError> {
        let text = text.into();
        validate_text(&text)?;
        Ok(Self {
            text,
            signatures: Vec::new(),
        })
    }

    /// The signed text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The signature lines, in order.
    #[must_use]
    pub fn signatures(&self) -> &[NoteSignature] {
        &self.signatures
    }

    /// Adds an Ed25519 signature by `key` under `key_name`.
    ///
    /// # Errors
    /// [`CheckpointError::InvalidKeyName`] for a bad name,
    /// [`CheckpointError::MalformedNote`] if the note already has
    /// [`MAX_SIGNATURES`] signatures.
    pub fn sign(&mut self, key: &SigningKey, key_name: &str) -> Result<(), CheckpointError> {
        validate_key_name(key_name)?;
        if self.signatures.len() >= MAX_SIGNATURES {
            return Err(CheckpointError::MalformedNote("too many signatures"));
        }
        let signature = key.sign(self.text.as_bytes());
        self.signatures.push(NoteSignature {
            name: key_name.to_owned(),
            key_hash: key_hash(key_name, &key.verifying_key()),
            signature: signature.to_bytes().to_vec(),
        });
        Ok(())
    }

    /// Parses a signed note (text, blank line, one or more signature lines).
    ///
    /// Signatures are parsed but not verified; call [`Note::verify`].
    ///
    /// # Errors
    /// [`CheckpointError::MalformedNote`] for bad framing, too many
    /// signatures or a malformed signature line,
    /// [`CheckpointError::InvalidText`] for an invalid text,
    /// [`CheckpointError::InvalidKeyName`] for a bad signer name.
    pub fn parse(note: &str) -> Result<Self, CheckpointError> {
        if note.len() > MAX_NOTE_LEN {
            return Err(CheckpointError::MalformedNote("too long"));
        }
        if note.chars().any(|c| c < ' ' && c != '\n') {
            return Err(CheckpointError::MalformedNote("control character"));
        }
        // Like Go's note.Open: the text ends at the last blank line.
        let split = note.rfind("\n\n").ok_or(CheckpointError::MalformedNote(
            "no blank line before the signatures",
        ))?;
        let text = &note[..=split];
        let sigs = &note[split + 2..];
        validate_text(text)?;
        let sigs = sigs
            .strip_suffix('\n')
            .ok_or(CheckpointError::MalformedNote("must end with a newline"))?;
        if sigs.is_empty() {
            return Err(CheckpointError::MalformedNote("no signature lines"));
        }
        let mut signatures = Vec::new();
        for line in sigs.split('\n') {
            if signatures.len() == MAX_SIGNATURES {
                return Err(CheckpointError::MalformedNote("too many signatures"));
            }
            signatures.push(NoteSignature::parse_line(line)?);
        }
        Ok(Self {
            text: text.to_owned(),
            signatures,
        })
    }

    /// Checks the signature of the Ed25519 key `key` named `key_name`.
    ///
    /// As in Go's `sumdb/note`, the first line with this name and key hash
    /// decides: lines by other keys are ignored (they may be witnesses'
    /// cosignatures), and a failing line by this key rejects the note.
    /// Verification is strict (RFC 8032 canonical encodings, no small-order
    /// keys), as `verify_strict` in `ed25519-dalek`.
    ///
    /// # Errors
    /// [`CheckpointError::InvalidKeyName`] for a bad name,
    /// [`CheckpointError::NoMatchingSignature`] if no line is by this key,
    /// [`CheckpointError::BadSignature`] if its line does not verify.
    pub fn verify(&self, key: &VerifyingKey, key_name: &str) -> Result<(), CheckpointError> {
        validate_key_name(key_name)?;
        let hash = key_hash(key_name, key);
        let line = self
            .signatures
            .iter()
            .find(|s| s.name == key_name && s.key_hash == hash)
            .ok_or_else(|| CheckpointError::NoMatchingSignature {
                name: key_name.to_owned(),
            })?;
        let bad = || CheckpointError::BadSignature {
            name: key_name.to_owned(),
        };
        let bytes: [u8; 64] = line.signature.as_slice().try_into().map_err(|_| bad())?;
        key.verify_strict(self.text.as_bytes(), &Signature::from_bytes(&bytes))
            .map_err(|_| bad())
    }
}

impl fmt::Display for Note {
    /// The wire form: text, blank line, signature lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        f.write_str("\n")?;
        for s in &self.signatures {
            f.write_str(&s.to_line())?;
        }
        Ok(())
    }
}

/// A tree head: the log identity, its size and its RFC 9162 root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Unique identity of the log, conventionally a schema-less URL such as
    /// `delib.example/neighbourhood-council`; non-empty, one line.
    pub origin: String,
    /// Number of leaves (records) in the tree.
    pub size: u64,
    /// Root hash of the first `size` leaves.
    pub root: Hash,
}

impl Checkpoint {
    /// Checks the origin: non-empty, no newline or other control character.
    ///
    /// # Errors
    /// [`CheckpointError::MalformedCheckpoint`] otherwise.
    pub fn validate(&self) -> Result<(), CheckpointError> {
        if self.origin.is_empty() {
            return Err(CheckpointError::MalformedCheckpoint("empty origin"));
        }
        if self.origin.chars().any(char::is_control) {
            return Err(CheckpointError::MalformedCheckpoint(
                "control character in origin",
            ));
        }
        Ok(())
    }

    /// The note text: `<origin>\n<size>\n<base64 root>\n`.
    #[must_use]
    pub fn to_body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            self.root.to_base64()
        )
    }

    /// Parses a checkpoint body.
    ///
    /// Only canonical bodies are accepted (decimal size without sign or
    /// leading zeros, canonical base64 root), so a body has exactly one
    /// spelling. Extension lines, which tlog-checkpoint allows after the
    /// root, are rejected: delib neither emits nor interprets them.
    ///
    /// # Errors
    /// [`CheckpointError::MalformedCheckpoint`] for anything else.
    pub fn parse_body(text: &str) -> Result<Self, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::MalformedCheckpoint(
                "must end with a newline",
            ))?;
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(CheckpointError::MalformedCheckpoint(
                "fewer than three lines",
            ));
        };
        if lines.next().is_some() {
            return Err(CheckpointError::MalformedCheckpoint(
                "unsupported extension lines",
            ));
        }
        let canonical_size = !size.is_empty()
            && size.bytes().all(|b| b.is_ascii_digit())
            && (size == "0" || !size.starts_with('0'));
        if !canonical_size {
            return Err(CheckpointError::MalformedCheckpoint(
                "size is not a canonical decimal",
            ));
        }
        let size = size
            .parse::<u64>()
            .map_err(|_| CheckpointError::MalformedCheckpoint("size does not fit in 64 bits"))?;
        let root = Hash::from_base64(root).map_err(|_| {
            CheckpointError::MalformedCheckpoint("root is not a base64 SHA-256 hash")
        })?;
        let checkpoint = Self {
            origin: origin.to_owned(),
            size,
            root,
        };
        checkpoint.validate()?;
        Ok(checkpoint)
    }
}

/// A checkpoint and the signed note that carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedCheckpoint {
    checkpoint: Checkpoint,
    note: Note,
}

impl SignedCheckpoint {
    /// Signs `checkpoint` with the log's key.
    ///
    /// # Errors
    /// [`CheckpointError::MalformedCheckpoint`] for an invalid origin,
    /// [`CheckpointError::InvalidKeyName`] for a bad key name.
    pub fn sign(
        checkpoint: Checkpoint,
        key: &SigningKey,
        key_name: &str,
    ) -> Result<Self, CheckpointError> {
        checkpoint.validate()?;
        let mut note = Note::new(checkpoint.to_body())?;
        note.sign(key, key_name)?;
        Ok(Self { checkpoint, note })
    }

    /// Adds another signature over the same body (a witness's or a second
    /// log key's).
    ///
    /// # Errors
    /// As [`Note::sign`].
    pub fn add_signature(
        &mut self,
        key: &SigningKey,
        key_name: &str,
    ) -> Result<(), CheckpointError> {
        self.note.sign(key, key_name)
    }

    /// The checkpoint (trust it only after [`SignedCheckpoint::verify`]).
    #[must_use]
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The signature lines.
    #[must_use]
    pub fn signatures(&self) -> &[NoteSignature] {
        self.note.signatures()
    }

    /// The signed note, ready to publish.
    #[must_use]
    pub fn to_note(&self) -> String {
        self.note.to_string()
    }

    /// Parses a signed checkpoint note; does not verify signatures.
    ///
    /// # Errors
    /// As [`Note::parse`] and [`Checkpoint::parse_body`].
    pub fn parse(note: &str) -> Result<Self, CheckpointError> {
        let note = Note::parse(note)?;
        let checkpoint = Checkpoint::parse_body(note.text())?;
        Ok(Self { checkpoint, note })
    }

    /// Checks the signature of the key `key` named `key_name`.
    ///
    /// # Errors
    /// As [`Note::verify`].
    pub fn verify(&self, key: &VerifyingKey, key_name: &str) -> Result<(), CheckpointError> {
        self.note.verify(key, key_name)
    }
}

/// A named Ed25519 verifier key, in the signed-note text form
/// `<name>+<hex key hash>+<base64(0x01 || public key)>`, which is how a
/// log's key is published and configured in witnesses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    key: VerifyingKey,
}

fn decode_typed_key(b64: &str) -> Result<[u8; 32], CheckpointError> {
    let bytes = BASE64
        .decode(b64)
        .map_err(|_| CheckpointError::InvalidKey("key is not valid base64"))?;
    match bytes.split_first() {
        Some((&ED25519_SIGNATURE_TYPE, rest)) => rest
            .try_into()
            .map_err(|_| CheckpointError::InvalidKey("Ed25519 key must be 32 bytes")),
        Some(_) => Err(CheckpointError::InvalidKey("unsupported signature type")),
        None => Err(CheckpointError::InvalidKey("empty key")),
    }
}

fn parse_key_hash(hex_hash: &str) -> Result<[u8; 4], CheckpointError> {
    if hex_hash.len() != 8 {
        return Err(CheckpointError::InvalidKey("key hash must be 8 hex digits"));
    }
    let mut out = [0u8; 4];
    hex::decode_to_slice(hex_hash, &mut out)
        .map_err(|_| CheckpointError::InvalidKey("key hash must be 8 hex digits"))?;
    Ok(out)
}

fn typed_key_b64(bytes: &[u8; 32]) -> String {
    let mut typed = Vec::with_capacity(33);
    typed.push(ED25519_SIGNATURE_TYPE);
    typed.extend_from_slice(bytes);
    BASE64.encode(typed)
}

impl VerifierKey {
    /// Names a public key.
    ///
    /// # Errors
    /// [`CheckpointError::InvalidKeyName`] for a bad name.
    pub fn new(name: impl Into<String>, key: VerifyingKey) -> Result<Self, CheckpointError> {
        let name = name.into();
        validate_key_name(&name)?;
        Ok(Self { name, key })
    }

    /// Parses `<name>+<hex key hash>+<base64(0x01 || public key)>`.
    ///
    /// # Errors
    /// [`CheckpointError::InvalidKeyName`] for a bad name,
    /// [`CheckpointError::InvalidKey`] for a bad encoding, a non-Ed25519
    /// type, an invalid point, or a key hash that does not match the name
    /// and key.
    pub fn parse(text: &str) -> Result<Self, CheckpointError> {
        let mut parts = text.splitn(3, '+');
        let (Some(name), Some(hex_hash), Some(b64)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(CheckpointError::InvalidKey("expected <name>+<hash>+<key>"));
        };
        validate_key_name(name)?;
        let claimed = parse_key_hash(hex_hash)?;
        let key = VerifyingKey::from_bytes(&decode_typed_key(b64)?)
            .map_err(|_| CheckpointError::InvalidKey("not a valid Ed25519 public key"))?;
        if key_hash(name, &key) != claimed {
            return Err(CheckpointError::InvalidKey(
                "key hash does not match name and key",
            ));
        }
        Ok(Self {
            name: name.to_owned(),
            key,
        })
    }

    /// The key name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The public key.
    #[must_use]
    pub fn key(&self) -> &VerifyingKey {
        &self.key
    }

    /// The key hash that labels this key's signatures.
    #[must_use]
    pub fn key_hash(&self) -> [u8; 4] {
        key_hash(&self.name, &self.key)
    }

    /// Verifies this key's signature on a signed checkpoint.
    ///
    /// # Errors
    /// As [`SignedCheckpoint::verify`].
    pub fn verify(&self, checkpoint: &SignedCheckpoint) -> Result<(), CheckpointError> {
        checkpoint.verify(&self.key, &self.name)
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}+{}+{}",
            self.name,
            hex::encode(self.key_hash()),
            typed_key_b64(self.key.as_bytes())
        )
    }
}

/// A named Ed25519 signing key, encodable as Go `sumdb/note`'s
/// `PRIVATE+KEY+<name>+<hex key hash>+<base64(0x01 || seed)>`.
///
/// Its `Debug` output omits the secret; the secret text form is only
/// produced by the explicitly named [`SignerKey::to_private_string`].
#[derive(Clone)]
pub struct SignerKey {
    name: String,
    key: SigningKey,
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignerKey")
            .field("name", &self.name)
            .field("public", &self.key.verifying_key())
            .finish_non_exhaustive()
    }
}

impl SignerKey {
    /// A new key named `name` from 32 secret random bytes drawn by the
    /// caller.
    ///
    /// # Errors
    /// [`CheckpointError::InvalidKeyName`] for a bad name.
    pub fn from_seed(name: impl Into<String>, seed: [u8; 32]) -> Result<Self, CheckpointError> {
        let name = name.into();
        validate_key_name(&name)?;
        Ok(Self {
            name,
            key: signing_key_from_seed(seed),
        })
    }

    /// Parses the `PRIVATE+KEY+...` form.
    ///
    /// # Errors
    /// [`CheckpointError::InvalidKey`] for a bad encoding or a key hash
    /// that does not match, [`CheckpointError::InvalidKeyName`] for a bad
    /// name.
    pub fn parse(text: &str) -> Result<Self, CheckpointError> {
        let rest = text
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(CheckpointError::InvalidKey(
                "expected PRIVATE+KEY+<name>+<hash>+<key>",
            ))?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(hex_hash), Some(b64)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(CheckpointError::InvalidKey(
                "expected PRIVATE+KEY+<name>+<hash>+<key>",
            ));
        };
        let signer = Self::from_seed(name, decode_typed_key(b64)?)?;
        if parse_key_hash(hex_hash)? != key_hash(name, &signer.key.verifying_key()) {
            return Err(CheckpointError::InvalidKey(
                "key hash does not match name and key",
            ));
        }
        Ok(signer)
    }

    /// The secret text form; handle it like the key itself.
    #[must_use]
    pub fn to_private_string(&self) -> String {
        format!(
            "PRIVATE+KEY+{}+{}+{}",
            self.name,
            hex::encode(key_hash(&self.name, &self.key.verifying_key())),
            typed_key_b64(self.key.as_bytes())
        )
    }

    /// The key name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The underlying Ed25519 key.
    #[must_use]
    pub fn signing_key(&self) -> &SigningKey {
        &self.key
    }

    /// The matching public verifier key.
    #[must_use]
    pub fn verifier(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            key: self.key.verifying_key(),
        }
    }

    /// Signs a checkpoint under this key's name.
    ///
    /// # Errors
    /// As [`SignedCheckpoint::sign`].
    pub fn sign(&self, checkpoint: Checkpoint) -> Result<SignedCheckpoint, CheckpointError> {
        SignedCheckpoint::sign(checkpoint, &self.key, &self.name)
    }
}

#[cfg(test)]
mod tests;
