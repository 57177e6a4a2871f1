//! Access tokens: `delib token create --role clerk|auditor --for PER` prints a secret once; the
//! ledger keeps only its SHA-256 (sled tree `tokens`, beside the events but never in the log).
//!
//! A secret reads `delib_<id>_<64 hex>`: the id finds the record, then the secret's hash is compared
//! with the stored hash in constant time ([`subtle`]). Revoked tokens stay listed, marked revoked.

use crate::store::{SledStore, StoreError};
use delib_events::PersonId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Records acts (every POST) and reads the public views.
    Clerk,
    /// Reads everything: views, persons, the audit log and endpoints, the events and the feed.
    Auditor,
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "clerk" => Ok(Role::Clerk),
            "auditor" => Ok(Role::Auditor),
            _ => Err(format!(
                "unknown role `{s}` (expected one of: clerk, auditor)"
            )),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Role::Clerk => "clerk",
            Role::Auditor => "auditor",
        })
    }
}

/// A stored token: everything but the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// The public id (16 hex digits), used to revoke.
    pub id: String,
    /// What it may do.
    pub role: Role,
    /// The person it acts for: `recorded_by` of its writes.
    pub person: PersonId,
    /// The person's reference when the token was made (`PER-3`).
    pub person_ref: String,
    /// Hex SHA-256 of the secret.
    pub hash: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Whether it was revoked.
    pub revoked: bool,
}

/// The token tree of one ledger.
#[derive(Clone, Debug)]
pub struct Tokens {
    tree: ::sled::Tree,
}

fn hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

impl Tokens {
    /// Opens the tree `tokens` of a ledger's database.
    ///
    /// # Errors
    /// sled errors.
    pub fn open(store: &SledStore) -> Result<Self, StoreError> {
        Ok(Self {
            tree: store.db().open_tree("tokens")?,
        })
    }

    /// Makes a token and returns its record and the secret (shown once, never stored).
    ///
    /// # Errors
    /// Randomness or storage failures.
    pub fn create(
        &self,
        role: Role,
        person: PersonId,
        person_ref: String,
        created_at: String,
    ) -> Result<(TokenRecord, String), StoreError> {
        let mut bytes = [0u8; 40];
        getrandom::getrandom(&mut bytes)
            .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?;
        let id = hex::encode(&bytes[..8]);
        let secret = format!("delib_{id}_{}", hex::encode(&bytes[8..]));
        let record = TokenRecord {
            id: id.clone(),
            role,
            person,
            person_ref,
            hash: hex::encode(hash(&secret)),
            created_at,
            revoked: false,
        };
        self.put(&record)?;
        Ok((record, secret))
    }

    fn put(&self, record: &TokenRecord) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(record)
            .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?;
        self.tree.insert(record.id.as_bytes(), bytes)?;
        self.tree.flush()?;
        Ok(())
    }

    fn get(&self, id: &str) -> Result<Option<TokenRecord>, StoreError> {
        Ok(self
            .tree
            .get(id.as_bytes())?
            .and_then(|b| serde_json::from_slice(&b).ok()))
    }

    /// Every token, by id.
    ///
    /// # Errors
    /// Storage failures.
    pub fn list(&self) -> Result<Vec<TokenRecord>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree.iter() {
            let (_, v) = item?;
            if let Ok(r) = serde_json::from_slice(&v) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Revokes a token; `false` when there is no such token.
    ///
    /// # Errors
    /// Storage failures.
    pub fn revoke(&self, id: &str) -> Result<bool, StoreError> {
        match self.get(id.trim())? {
            None => Ok(false),
            Some(mut r) => {
                r.revoked = true;
                self.put(&r)?;
                Ok(true)
            }
        }
    }

    /// The live token a secret belongs to, or `None` (unknown, wrong or revoked). The hashes are
    /// compared in constant time.
    ///
    /// # Errors
    /// Storage failures.
    pub fn authenticate(&self, secret: &str) -> Result<Option<TokenRecord>, StoreError> {
        let Some(id) = secret
            .strip_prefix("delib_")
            .and_then(|rest| rest.split_once('_'))
            .map(|(id, _)| id)
        else {
            return Ok(None);
        };
        let Some(record) = self.get(id)? else {
            return Ok(None);
        };
        let Ok(stored) = hex::decode(&record.hash) else {
            return Ok(None);
        };
        let matches: bool = hash(secret).ct_eq(stored.as_slice()).into();
        Ok((matches && !record.revoked).then_some(record))
    }
}
