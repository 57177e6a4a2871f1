//! Encrypting a vote with its proofs, and checking them.

use crate::transcript::{Scope, Transcript};
use crate::{point, scalar, ElectionError};
use curve25519_dalek::constants::{
    RISTRETTO_BASEPOINT_POINT as GP, RISTRETTO_BASEPOINT_TABLE as G,
};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use delib_events::election::{BitProof, Ciphertext, DleqProof, EncryptedVote, PointBytes};
use rand_core::CryptoRngCore;

/// The transcript of a cast's proofs: the scope, the election key and the voter.
fn cast_transcript(
    kind: &'static str,
    scope: &Scope<'_>,
    key: &PointBytes,
    voter: &[u8; 16],
) -> Transcript {
    let mut t = Transcript::new(kind, scope);
    t.bytes(key).bytes(voter);
    t
}

#[allow(clippy::too_many_arguments)]
fn bit_challenge(
    scope: &Scope<'_>,
    key: &PointBytes,
    voter: &[u8; 16],
    option: usize,
    a: &RistrettoPoint,
    b: &RistrettoPoint,
    commitments: [&RistrettoPoint; 4],
) -> Scalar {
    let mut t = cast_transcript("bit", scope, key, voter);
    t.number(option as u64).point(a).point(b);
    for c in commitments {
        t.point(c);
    }
    t.challenge()
}

fn sum_challenge(
    scope: &Scope<'_>,
    key: &PointBytes,
    voter: &[u8; 16],
    a: &RistrettoPoint,
    b: &RistrettoPoint,
    t1: &RistrettoPoint,
    t2: &RistrettoPoint,
) -> Scalar {
    let mut t = cast_transcript("sum", scope, key, voter);
    t.point(a).point(b).point(t1).point(t2);
    t.challenge()
}

/// Encrypts a vote for option `choice` of `options`, with its proofs, for `voter` on the ballot of
/// `scope` under election key `key`.
///
/// # Errors
/// A choice outside the options; a key that is no point.
pub fn encrypt_vote(
    rng: &mut impl CryptoRngCore,
    scope: &Scope<'_>,
    key: &PointBytes,
    voter: &[u8; 16],
    options: usize,
    choice: usize,
) -> Result<EncryptedVote, ElectionError> {
    if choice >= options {
        return Err(ElectionError::BadChoice { choice, options });
    }
    let h = point(key, || "the election key".into())?;
    let mut ciphertexts = Vec::with_capacity(options);
    let mut proofs = Vec::with_capacity(options);
    let (mut ra, mut a_sum, mut b_sum) = (
        Scalar::ZERO,
        RistrettoPoint::identity(),
        RistrettoPoint::identity(),
    );
    for option in 0..options {
        let m = u8::from(option == choice);
        let r = Scalar::random(rng);
        let a = &r * G;
        let b = r * h
            + if m == 1 {
                GP
            } else {
                RistrettoPoint::identity()
            };
        // The real branch is `m`, the simulated one `1 - m`.
        let (cf, zf, w) = (
            Scalar::random(rng),
            Scalar::random(rng),
            Scalar::random(rng),
        );
        let fake = 1 - m;
        let shifted = |j: u8| if j == 1 { b - GP } else { b };
        let af = &zf * G - cf * a;
        let bf = zf * h - cf * shifted(fake);
        let (ar, br) = (&w * G, w * h);
        let (a0, b0, a1, b1) = if m == 0 {
            (ar, br, af, bf)
        } else {
            (af, bf, ar, br)
        };
        let c = bit_challenge(scope, key, voter, option, &a, &b, [&a0, &b0, &a1, &b1]);
        let cr = c - cf;
        let zr = w + cr * r;
        let (c0, c1, z0, z1) = if m == 0 {
            (cr, cf, zr, zf)
        } else {
            (cf, cr, zf, zr)
        };
        ciphertexts.push(Ciphertext {
            a: a.compress().to_bytes(),
            b: b.compress().to_bytes(),
        });
        proofs.push(BitProof {
            c0: c0.to_bytes(),
            c1: c1.to_bytes(),
            z0: z0.to_bytes(),
            z1: z1.to_bytes(),
        });
        ra += r;
        a_sum += a;
        b_sum += b;
    }
    let w = Scalar::random(rng);
    let (t1, t2) = (&w * G, w * h);
    let c = sum_challenge(scope, key, voter, &a_sum, &b_sum, &t1, &t2);
    let z = w + c * ra;
    Ok(EncryptedVote {
        ciphertexts,
        proofs,
        sum: DleqProof {
            c: c.to_bytes(),
            z: z.to_bytes(),
        },
    })
}

/// Checks a vote's proofs: each ciphertext holds 0 or 1, and together they hold exactly 1.
///
/// # Errors
/// The first failure: shape, a value that does not decode, a failing proof.
pub fn verify_vote(
    scope: &Scope<'_>,
    key: &PointBytes,
    voter: &[u8; 16],
    options: usize,
    vote: &EncryptedVote,
) -> Result<(), ElectionError> {
    if vote.ciphertexts.len() != options || vote.proofs.len() != options {
        return Err(ElectionError::Shape {
            expected: options,
            got: vote.ciphertexts.len().min(vote.proofs.len()),
        });
    }
    let h = point(key, || "the election key".into())?;
    let (mut a_sum, mut b_sum) = (RistrettoPoint::identity(), RistrettoPoint::identity());
    for (option, (ct, p)) in vote.ciphertexts.iter().zip(&vote.proofs).enumerate() {
        let what = || format!("option {option}'s ciphertext");
        let (a, b) = (point(&ct.a, what)?, point(&ct.b, what)?);
        let what = || format!("option {option}'s proof");
        let (c0, c1) = (scalar(&p.c0, what)?, scalar(&p.c1, what)?);
        let (z0, z1) = (scalar(&p.z0, what)?, scalar(&p.z1, what)?);
        let a0 = RistrettoPoint::vartime_double_scalar_mul_basepoint(&-c0, &a, &z0);
        let a1 = RistrettoPoint::vartime_double_scalar_mul_basepoint(&-c1, &a, &z1);
        let b0 = RistrettoPoint::vartime_multiscalar_mul([z0, -c0], [h, b]);
        let b1 = RistrettoPoint::vartime_multiscalar_mul([z1, -c1], [h, b - GP]);
        if bit_challenge(scope, key, voter, option, &a, &b, [&a0, &b0, &a1, &b1]) != c0 + c1 {
            return Err(ElectionError::BitProof { option });
        }
        a_sum += a;
        b_sum += b;
    }
    let c = scalar(&vote.sum.c, || "the sum proof".into())?;
    let z = scalar(&vote.sum.z, || "the sum proof".into())?;
    let t1 = RistrettoPoint::vartime_double_scalar_mul_basepoint(&-c, &a_sum, &z);
    let t2 = RistrettoPoint::vartime_multiscalar_mul([z, -c], [h, b_sum - GP]);
    if sum_challenge(scope, key, voter, &a_sum, &b_sum, &t1, &t2) != c {
        return Err(ElectionError::SumProof);
    }
    Ok(())
}
