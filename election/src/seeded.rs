//! A deterministic, cryptographically strong generator from a secret seed and a context (SHA-512 in
//! counter mode), for proofs that a pure function must make: the same seed and context give the
//! same nonces, and a different context (another aggregate) gives unrelated ones, so a retried
//! decision never reuses a nonce on a different statement.

use rand_core::{CryptoRng, RngCore};
use sha2::{Digest, Sha512};

/// The generator.
#[derive(Debug, Clone)]
pub struct SeededRng {
    key: [u8; 64],
    counter: u64,
    buffer: [u8; 64],
    used: usize,
}

impl SeededRng {
    /// A generator for `seed` (secret, 32 random bytes drawn by the caller) and `context`.
    pub fn new(seed: &[u8; 32], context: &[u8]) -> Self {
        let mut h = Sha512::new();
        h.update(b"delib/election/v1/seeded-rng");
        h.update(seed);
        h.update((context.len() as u64).to_be_bytes());
        h.update(context);
        SeededRng {
            key: h.finalize().into(),
            counter: 0,
            buffer: [0; 64],
            used: 64,
        }
    }

    fn refill(&mut self) {
        let mut h = Sha512::new();
        h.update(self.key);
        h.update(self.counter.to_be_bytes());
        self.buffer = h.finalize().into();
        self.counter += 1;
        self.used = 0;
    }
}

impl RngCore for SeededRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for byte in dest {
            if self.used == 64 {
                self.refill();
            }
            *byte = self.buffer[self.used];
            self.used += 1;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for SeededRng {}
