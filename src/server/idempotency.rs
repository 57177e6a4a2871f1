//! Saved answers of requests sent with an `Idempotency-Key` (sled tree `idempotency`), kept so that
//! nobody holding a copy of the data directory can learn a secret from them.
//!
//! A retry with the same key must get the first answer, and the same key with a different request
//! must be refused, so each entry keeps a fingerprint of its request. Requests carry secrets (a
//! person's name, a ballot choice), and an unsalted hash of a request is a dictionary away from
//! them. So:
//! - the request's **public fields** are fingerprinted with HMAC-SHA256 under a per-ledger key kept
//!   in this tree (whoever holds the directory holds that key, which is why no secret goes into it);
//! - its **secret fields** ([`SECRET_FIELDS`]) are fingerprinted under a key that lives only in the
//!   server process's memory and dies with it. Within one run of the server a changed secret under
//!   the same key is still refused; after a restart that part cannot be compared and is skipped
//!   (the public part still is);
//! - answers never hold a secret (a receipt is a reference, a position and event kinds);
//! - entries expire after [`TTL`], and an entry naming a person is removed when that person is
//!   erased (at once through the server, and at the next start after an erasure by the CLI);
//! - entries of the earlier format (an unsalted SHA-256 of the whole request) are removed on open.

use super::error::ApiError;
use crate::store::StoreError;
use delib_events::Timestamp;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Request fields that may carry a secret or a personal name.
pub const SECRET_FIELDS: &[&str] = &["choice", "name", "names", "voter_choice"];

/// How long an answer is kept for retries.
pub const TTL: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// The key under which the per-ledger HMAC key is kept (not a 16-byte command slot).
const LEDGER_KEY_SLOT: &[u8] = b"delib/idempotency/hmac-key";
/// The format of an entry this module writes.
const FORMAT: u32 = 2;

type HmacSha256 = Hmac<Sha256>;

/// A saved answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Saved {
    /// The entry's format ([`FORMAT`]).
    pub format: u32,
    /// The answer's status.
    pub status: u16,
    /// HMAC of the request's public fields under the ledger key (hex).
    pub public: String,
    /// HMAC of the request's secret fields under the process key (hex).
    pub secret: String,
    /// Which process key made `secret` (hex of its hash's first 8 bytes).
    pub process: String,
    /// When it was saved (µs since the epoch).
    pub saved_at: i64,
    /// The persons the request or its answer named (UUIDs), for erasure.
    pub persons: Vec<String>,
    /// The answer.
    pub body: Value,
}

/// The fingerprint of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    public: String,
    secret: String,
}

/// The store of saved answers.
#[derive(Debug)]
pub struct Idempotency {
    tree: sled::Tree,
    ledger_key: [u8; 32],
    process_key: [u8; 32],
    process: String,
}

fn store_err(e: sled::Error) -> ApiError {
    ApiError::from(crate::app::AppError::from(StoreError::from(e)))
}

fn random_key() -> Result<[u8; 32], ApiError> {
    let mut k = [0u8; 32];
    getrandom::getrandom(&mut k).map_err(ApiError::internal)?;
    Ok(k)
}

fn mac(key: &[u8; 32], bytes: &[u8]) -> String {
    let mut m = <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(bytes);
    hex::encode(m.finalize().into_bytes())
}

/// Splits a request's JSON into its public and secret parts (secret fields at any depth).
pub(crate) fn split(value: &Value) -> (Value, Value) {
    match value {
        Value::Object(m) => {
            let mut public = serde_json::Map::new();
            let mut secret = serde_json::Map::new();
            for (k, v) in m {
                if SECRET_FIELDS.contains(&k.as_str()) {
                    secret.insert(k.clone(), v.clone());
                } else {
                    let (p, s) = split(v);
                    public.insert(k.clone(), p);
                    if !s.is_null() {
                        secret.insert(k.clone(), s);
                    }
                }
            }
            let secret = if secret.is_empty() {
                Value::Null
            } else {
                Value::Object(secret)
            };
            (Value::Object(public), secret)
        }
        Value::Array(items) => {
            let (p, s): (Vec<Value>, Vec<Value>) = items.iter().map(split).unzip();
            let secret = if s.iter().all(Value::is_null) {
                Value::Null
            } else {
                Value::Array(s)
            };
            (Value::Array(p), secret)
        }
        other => (other.clone(), Value::Null),
    }
}

impl Idempotency {
    /// Opens the tree, creating the ledger key on first use, and sweeps entries of the old format,
    /// expired ones, and those naming a person `erased` says is gone.
    ///
    /// # Errors
    /// Storage failures.
    pub fn open(
        db: &sled::Db,
        now: Timestamp,
        erased: impl Fn(&str) -> bool,
    ) -> Result<Self, ApiError> {
        let tree = db.open_tree("idempotency").map_err(store_err)?;
        let ledger_key = match tree.get(LEDGER_KEY_SLOT).map_err(store_err)? {
            Some(k) if k.len() == 32 => {
                let mut key = [0u8; 32];
                key.copy_from_slice(&k);
                key
            }
            _ => {
                let key = random_key()?;
                tree.insert(LEDGER_KEY_SLOT, &key[..]).map_err(store_err)?;
                tree.flush().map_err(store_err)?;
                key
            }
        };
        let process_key = random_key()?;
        let process = hex::encode(&Sha256::digest(process_key)[..8]);
        let this = Idempotency {
            tree,
            ledger_key,
            process_key,
            process,
        };
        this.sweep(now, |s| s.persons.iter().any(|p| erased(p)))?;
        Ok(this)
    }

    /// The fingerprint of a request (its JSON with the time it is recorded at).
    pub fn fingerprint(&self, request: &Value) -> Fingerprint {
        let (public, secret) = split(request);
        let bytes = |v: &Value| serde_json::to_vec(v).unwrap_or_default();
        Fingerprint {
            public: mac(&self.ledger_key, &bytes(&public)),
            secret: mac(&self.process_key, &bytes(&secret)),
        }
    }

    /// The saved answer in `slot`, if any and not expired.
    ///
    /// # Errors
    /// Storage failures.
    pub fn get(&self, slot: &[u8; 16], now: Timestamp) -> Result<Option<Saved>, ApiError> {
        let found = self.tree.get(slot).map_err(store_err)?;
        Ok(found
            .and_then(|b| serde_json::from_slice::<Saved>(&b).ok())
            .filter(|s| s.format == FORMAT && !expired(s, now)))
    }

    /// Whether `saved` was made for the request with fingerprint `f`. The secret part is compared
    /// only when this process made it.
    pub fn matches(&self, saved: &Saved, f: &Fingerprint) -> bool {
        saved.public == f.public && (saved.process != self.process || saved.secret == f.secret)
    }

    /// Saves an answer durably.
    ///
    /// # Errors
    /// Storage failures.
    pub fn save(
        &self,
        slot: &[u8; 16],
        f: &Fingerprint,
        status: u16,
        body: &Value,
        persons: Vec<String>,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let saved = Saved {
            format: FORMAT,
            status,
            public: f.public.clone(),
            secret: f.secret.clone(),
            process: self.process.clone(),
            saved_at: now.as_micros(),
            persons,
            body: body.clone(),
        };
        let bytes = serde_json::to_vec(&saved).map_err(ApiError::internal)?;
        self.tree.insert(slot, bytes).map_err(store_err)?;
        self.tree.flush().map_err(store_err)?;
        Ok(())
    }

    /// Removes every entry that names `person` (a UUID).
    ///
    /// # Errors
    /// Storage failures.
    pub fn forget_person(&self, person: &str, now: Timestamp) -> Result<usize, ApiError> {
        self.sweep(now, |s| s.persons.iter().any(|p| p == person))
    }

    /// Removes entries of another format, expired ones, and those `drop` picks; returns how many.
    fn sweep(&self, now: Timestamp, drop: impl Fn(&Saved) -> bool) -> Result<usize, ApiError> {
        let mut gone = 0;
        for item in self.tree.iter() {
            let (k, v) = item.map_err(store_err)?;
            if &*k == LEDGER_KEY_SLOT {
                continue;
            }
            let keep = serde_json::from_slice::<Saved>(&v)
                .ok()
                .filter(|s| s.format == FORMAT && !expired(s, now) && !drop(s))
                .is_some();
            if !keep {
                self.tree.remove(k).map_err(store_err)?;
                gone += 1;
            }
        }
        if gone > 0 {
            self.tree.flush().map_err(store_err)?;
        }
        Ok(gone)
    }
}

fn expired(s: &Saved, now: Timestamp) -> bool {
    now.as_micros().saturating_sub(s.saved_at) > TTL.as_micros() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secret_fields_are_split_out_at_any_depth() {
        let (public, secret) = split(&json!({
            "command": "ballot-cast", "ballot": "BAL-1", "voter": "PER-3", "choice": "yes",
            "nested": [{"name": "Wang Fang", "role": "resident"}]
        }));
        let text = public.to_string();
        assert!(
            !text.contains("yes") && !text.contains("Wang Fang"),
            "{text}"
        );
        assert_eq!(secret["choice"], "yes");
        assert_eq!(secret["nested"][0]["name"], "Wang Fang");
    }
}
