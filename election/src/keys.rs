//! Tellers' key shares and the election key.
//!
//! Each teller draws `x_i` on its own machine (or the ledger draws it and hands it over once, as a
//! file the teller keeps) and publishes `X_i = x_i·G` with a Schnorr proof of knowledge bound to the
//! ballot and the teller's index. The election key is `H = Σ X_i`. Decrypting anything under `H`
//! needs every `x_i`: a tally needs every teller's partial decryption, and no single vote is ever
//! decrypted.

use crate::transcript::{Scope, Transcript};
use crate::{point, scalar, ElectionError};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use delib_events::election::{DleqProof, PointBytes, TellerKey};
use rand_core::CryptoRngCore;

/// A teller's secret share `x_i`. Never stored in the ledger's directory.
#[derive(Clone, PartialEq, Eq)]
pub struct TellerSecret(pub(crate) Scalar);

impl std::fmt::Debug for TellerSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TellerSecret(..)")
    }
}

impl TellerSecret {
    /// The share's bytes, for the teller's file.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// A share read back from its bytes.
    ///
    /// # Errors
    /// Bytes that are not a canonical scalar.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, ElectionError> {
        scalar(bytes, || "the key share".into()).map(TellerSecret)
    }

    /// The share's public key `x_i·G`.
    pub fn public(&self) -> PointBytes {
        (&self.0 * G).compress().to_bytes()
    }
}

fn key_transcript(
    scope: &Scope<'_>,
    teller: usize,
    public: &RistrettoPoint,
    t: &RistrettoPoint,
) -> Scalar {
    let mut tr = Transcript::new("teller-key", scope);
    tr.number(teller as u64).point(public).point(t);
    tr.challenge()
}

/// Draws teller `teller`'s share and its public key with the proof of knowledge.
pub fn teller_keygen(
    rng: &mut impl CryptoRngCore,
    scope: &Scope<'_>,
    teller: usize,
) -> (TellerSecret, TellerKey) {
    let x = Scalar::random(rng);
    let public = &x * G;
    let w = Scalar::random(rng);
    let t = &w * G;
    let c = key_transcript(scope, teller, &public, &t);
    let z = w + c * x;
    (
        TellerSecret(x),
        TellerKey {
            public: public.compress().to_bytes(),
            proof: DleqProof {
                c: c.to_bytes(),
                z: z.to_bytes(),
            },
        },
    )
}

/// Checks every teller's proof of knowledge and returns the election key `Σ X_i`.
///
/// # Errors
/// No tellers; a share that is no point; a proof that fails (the first, by teller).
pub fn election_key(scope: &Scope<'_>, tellers: &[TellerKey]) -> Result<PointBytes, ElectionError> {
    if tellers.is_empty() {
        return Err(ElectionError::NoTellers);
    }
    let mut sum = RistrettoPoint::default();
    for (i, k) in tellers.iter().enumerate() {
        let public = point(&k.public, || format!("teller {i}'s key share"))?;
        let c = scalar(&k.proof.c, || format!("teller {i}'s key proof"))?;
        let z = scalar(&k.proof.z, || format!("teller {i}'s key proof"))?;
        // t = z·G - c·X
        let t = RistrettoPoint::vartime_double_scalar_mul_basepoint(&-c, &public, &z);
        if key_transcript(scope, i, &public, &t) != c {
            return Err(ElectionError::KeyProof { teller: i });
        }
        sum += public;
    }
    Ok(sum.compress().to_bytes())
}
