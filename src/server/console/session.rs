//! Console sessions: a clerk's or auditor's token is exchanged once for a session. The browser holds
//! only a random session id in an HttpOnly, SameSite=Strict cookie; the server keeps, in memory, the
//! SHA-256 of that id with the token's record, the session's CSRF token and its expiry. Nothing of a
//! session is written to disk or logged; a restart ends every session.

use super::super::tokens::TokenRecord;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// The cookie's name.
pub const COOKIE: &str = "delib_console";

/// How long a session lasts by default.
pub const DEFAULT_TTL: Duration = Duration::from_secs(8 * 3600);

/// A signed-in session.
#[derive(Clone, Debug)]
pub struct Session {
    /// The token it was opened with (never its secret).
    pub token: TokenRecord,
    /// The CSRF token every form of this session carries.
    pub csrf: String,
    /// When it ends.
    pub expires: Instant,
}

impl Session {
    /// Whether `given` is this session's CSRF token (constant-time).
    pub fn csrf_ok(&self, given: &str) -> bool {
        let a = Sha256::digest(self.csrf.as_bytes());
        let b = Sha256::digest(given.as_bytes());
        a.ct_eq(&b).into()
    }
}

/// The table of live sessions, keyed by the SHA-256 of their ids.
#[derive(Debug)]
pub struct Sessions {
    table: Mutex<HashMap<[u8; 32], Session>>,
    ttl: Mutex<Duration>,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions {
            table: Mutex::new(HashMap::new()),
            ttl: Mutex::new(DEFAULT_TTL),
        }
    }
}

fn random_hex() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)?;
    Ok(hex::encode(bytes))
}

fn key(id: &str) -> [u8; 32] {
    Sha256::digest(format!("delib console session\n{id}").as_bytes()).into()
}

impl Sessions {
    /// How long new sessions last.
    pub fn ttl(&self) -> Duration {
        *self
            .ttl
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sets how long new sessions last (a deployment choice; tests use a short one).
    pub fn set_ttl(&self, ttl: Duration) {
        *self
            .ttl
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = ttl;
    }

    /// Opens a session for `token`; returns the id for the cookie and the session.
    ///
    /// # Errors
    /// The system's randomness failed.
    pub fn open(&self, token: TokenRecord) -> Result<(String, Session), getrandom::Error> {
        let id = random_hex()?;
        let session = Session {
            token,
            csrf: random_hex()?,
            expires: Instant::now() + self.ttl(),
        };
        let mut table = self
            .table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        table.retain(|_, s| s.expires > now);
        table.insert(key(&id), session.clone());
        Ok((id, session))
    }

    /// The live session of a cookie's id; an expired one is removed and not returned.
    pub fn get(&self, id: &str) -> Option<Session> {
        let mut table = self
            .table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let k = key(id);
        match table.get(&k) {
            Some(s) if s.expires > Instant::now() => Some(s.clone()),
            Some(_) => {
                table.remove(&k);
                None
            }
            None => None,
        }
    }

    /// Ends a session.
    pub fn close(&self, id: &str) {
        self.table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&key(id));
    }

    /// Ends every session of a token (when it is revoked, or its person erased).
    pub fn close_token(&self, token_id: &str) {
        self.table
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|_, s| s.token.id != token_id);
    }
}
