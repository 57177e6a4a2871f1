//! Known-answer tests against Go's `sumdb/note`, round trips, forgeries and
//! malformed input.

use proptest::prelude::*;

use super::*;
use crate::audit::merkle::{leaf_hash, MemoryTree};

// The example key and note of golang.org/x/mod/sumdb/note's documentation.
const GO_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                       then you don't know what your problem is.\n";
const GO_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

const ORIGIN: &str = "delib.example/council";

fn log_key() -> SignerKey {
    SignerKey::from_seed("delib.example/council", [7u8; 32]).unwrap()
}

fn sample() -> Checkpoint {
    let mut t = MemoryTree::new();
    for i in 0..37u32 {
        t.append(&i.to_be_bytes());
    }
    Checkpoint {
        origin: ORIGIN.into(),
        size: t.size(),
        root: t.root(),
    }
}

#[test]
fn go_sumdb_note_known_answer() {
    let signer = SignerKey::parse(GO_SKEY).unwrap();
    assert_eq!(signer.name(), "PeterNeumann");
    assert_eq!(signer.to_private_string(), GO_SKEY);
    assert_eq!(signer.verifier().to_string(), GO_VKEY);

    let mut note = Note::new(GO_TEXT).unwrap();
    note.sign(signer.signing_key(), "PeterNeumann").unwrap();
    let wire = note.to_string();
    assert_eq!(wire, format!("{GO_TEXT}\n{GO_SIG}"));

    let parsed = Note::parse(&wire).unwrap();
    assert_eq!(parsed, note);
    let vkey = VerifierKey::parse(GO_VKEY).unwrap();
    assert_eq!(parsed.verify(vkey.key(), vkey.name()), Ok(()));
    assert_eq!(hex::encode(vkey.key_hash()), "c74f20a3");
}

#[test]
fn checkpoint_wire_format() {
    let cp = Checkpoint {
        origin: ORIGIN.into(),
        size: 1,
        root: leaf_hash(b""),
    };
    assert_eq!(
        cp.to_body(),
        "delib.example/council\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n"
    );
    let signed = log_key().sign(cp.clone()).unwrap();
    let wire = signed.to_note();
    let (body, sigs) = wire.split_once("\n\n").unwrap();
    assert_eq!(format!("{body}\n"), cp.to_body());
    assert!(sigs.starts_with("\u{2014} delib.example/council "));
    assert!(sigs.ends_with('\n'));
    assert_eq!(sigs.lines().count(), 1);
    // 4-byte key hash + 64-byte signature, base64.
    let b64 = sigs.trim_end().rsplit(' ').next().unwrap();
    assert_eq!(BASE64.decode(b64).unwrap().len(), 68);
}

#[test]
fn sign_parse_verify_round_trip() {
    let key = log_key();
    let signed = key.sign(sample()).unwrap();
    let parsed = SignedCheckpoint::parse(&signed.to_note()).unwrap();
    assert_eq!(parsed, signed);
    assert_eq!(parsed.checkpoint(), &sample());
    assert_eq!(parsed.verify(key.verifier().key(), key.name()), Ok(()));
    assert_eq!(key.verifier().verify(&parsed), Ok(()));
    // The verifier key string round-trips.
    let vkey = VerifierKey::parse(&key.verifier().to_string()).unwrap();
    assert_eq!(vkey, key.verifier());
    assert_eq!(vkey.verify(&parsed), Ok(()));
    // And so does the private form.
    let again = SignerKey::parse(&key.to_private_string()).unwrap();
    assert_eq!(again.verifier(), key.verifier());
    assert!(!format!("{key:?}").contains(&key.to_private_string()));
}

#[test]
fn empty_tree_checkpoint() {
    let cp = Checkpoint {
        origin: ORIGIN.into(),
        size: 0,
        root: crate::audit::merkle::empty_root(),
    };
    let signed = log_key().sign(cp.clone()).unwrap();
    let parsed = SignedCheckpoint::parse(&signed.to_note()).unwrap();
    assert_eq!(parsed.checkpoint(), &cp);
    assert_eq!(log_key().verifier().verify(&parsed), Ok(()));
}

#[test]
fn cosignatures_are_independent() {
    let key = log_key();
    let witness = SignerKey::from_seed("witness.example/w1", [9u8; 32]).unwrap();
    let mut signed = key.sign(sample()).unwrap();
    signed
        .add_signature(witness.signing_key(), witness.name())
        .unwrap();
    let parsed = SignedCheckpoint::parse(&signed.to_note()).unwrap();
    assert_eq!(parsed.signatures().len(), 2);
    assert_eq!(key.verifier().verify(&parsed), Ok(()));
    assert_eq!(witness.verifier().verify(&parsed), Ok(()));
}

fn replace_body(note: &str, body: &str) -> String {
    let (_, sigs) = note.split_once("\n\n").unwrap();
    format!("{body}\n{sigs}")
}

#[test]
fn forgeries_are_rejected() {
    let key = log_key();
    let vkey = key.verifier();
    let signed = key.sign(sample()).unwrap();
    let wire = signed.to_note();
    let cp = sample();

    // Altered size, root or origin, with the original signature.
    for forged in [
        Checkpoint {
            size: cp.size + 1,
            ..cp.clone()
        },
        Checkpoint {
            size: cp.size - 1,
            ..cp.clone()
        },
        Checkpoint {
            root: leaf_hash(b"other"),
            ..cp.clone()
        },
        Checkpoint {
            origin: "evil.example/council".into(),
            ..cp.clone()
        },
    ] {
        let note = replace_body(&wire, &forged.to_body());
        let parsed = SignedCheckpoint::parse(&note).unwrap();
        assert_eq!(
            vkey.verify(&parsed),
            Err(CheckpointError::BadSignature {
                name: vkey.name().into()
            })
        );
    }

    // A flipped bit in the signature itself.
    let mut bad = signed.clone();
    bad.note.signatures[0].signature[10] ^= 0x04;
    let parsed = SignedCheckpoint::parse(&bad.to_note()).unwrap();
    assert!(matches!(
        vkey.verify(&parsed),
        Err(CheckpointError::BadSignature { .. })
    ));

    // A truncated signature.
    let mut bad = signed.clone();
    bad.note.signatures[0].signature.truncate(63);
    let parsed = SignedCheckpoint::parse(&bad.to_note()).unwrap();
    assert!(matches!(
        vkey.verify(&parsed),
        Err(CheckpointError::BadSignature { .. })
    ));

    // Signed by another key under the log's name: key hash differs.
    let impostor = SignerKey::from_seed(key.name(), [8u8; 32]).unwrap();
    let forged = impostor.sign(sample()).unwrap();
    assert_eq!(
        vkey.verify(&forged),
        Err(CheckpointError::NoMatchingSignature {
            name: vkey.name().into()
        })
    );
    // ... and even if it copies the real key hash, the signature fails.
    let mut forged = forged;
    forged.note.signatures[0].key_hash = vkey.key_hash();
    let parsed = SignedCheckpoint::parse(&forged.to_note()).unwrap();
    assert!(matches!(
        vkey.verify(&parsed),
        Err(CheckpointError::BadSignature { .. })
    ));

    // Right key, wrong name.
    assert!(matches!(
        signed.verify(vkey.key(), "someone.else"),
        Err(CheckpointError::NoMatchingSignature { .. })
    ));
    assert_eq!(
        signed.verify(vkey.key(), "bad name"),
        Err(CheckpointError::InvalidKeyName)
    );
}

#[test]
fn malformed_notes_are_errors() {
    let wire = log_key().sign(sample()).unwrap().to_note();
    let (body, sigs) = wire.split_once("\n\n").unwrap();
    let root = sample().root.to_base64();
    let cases: Vec<String> = vec![
        String::new(),
        "\n".into(),
        "\n\n".into(),
        body.into(),
        format!("{body}\n"),
        format!("{body}\n\n"),
        format!("{body}\n\n{}", sigs.trim_end()),
        format!("{body}\n\n- delib.example/council AAAA\n"),
        format!("{body}\n\n\u{2014} delib.example/council\n"),
        format!("{body}\n\n\u{2014}  delib.example/council AAAAAAAA\n"),
        format!("{body}\n\n\u{2014} delib.example/council !!!!\n"),
        format!("{body}\n\n\u{2014} delib.example/council AAAA\n"),
        format!("{body}\n\n{sigs}\n"),
        format!("{body}\n\n{sigs}{sigs}\n{sigs}"),
        format!("{body}\r\n\n{sigs}"),
        format!("{body}\nextension line\n\n{sigs}"),
        format!("{ORIGIN}\n\n{sigs}"),
        format!("{ORIGIN}\n37\n\n{sigs}"),
        format!("{ORIGIN}\n037\n{root}\n\n{sigs}"),
        format!("{ORIGIN}\n+37\n{root}\n\n{sigs}"),
        format!("{ORIGIN}\n-1\n{root}\n\n{sigs}"),
        format!("{ORIGIN}\n18446744073709551616\n{root}\n\n{sigs}"),
        format!("{ORIGIN}\n 37\n{root}\n\n{sigs}"),
        format!("{ORIGIN}\n37\nZG9uJ3QgY2FyZSAx\n\n{sigs}"),
        format!("{ORIGIN}\n37\n{}\n\n{sigs}", sample().root.to_hex()),
        format!("\n37\n{root}\n\n{sigs}"),
        format!("{ORIGIN}\t\n37\n{root}\n\n{sigs}"),
        format!("{}\n\n{sigs}", "x\n".repeat(MAX_NOTE_LEN)),
        format!("{body}\n\n{}", sigs.repeat(MAX_SIGNATURES + 1)),
    ];
    for (i, case) in cases.iter().enumerate() {
        assert!(
            SignedCheckpoint::parse(case).is_err(),
            "case {i} parsed: {case:?}"
        );
    }
    // Exactly MAX_SIGNATURES lines is fine.
    let many = format!("{body}\n\n{}", sigs.repeat(MAX_SIGNATURES));
    assert!(SignedCheckpoint::parse(&many).is_ok());
    // A valid note whose text is not a checkpoint.
    let mut note = Note::new(GO_TEXT).unwrap();
    note.sign(log_key().signing_key(), "x").unwrap();
    assert!(matches!(
        SignedCheckpoint::parse(&note.to_string()),
        Err(CheckpointError::MalformedCheckpoint(_))
    ));
}

#[test]
fn invalid_inputs_to_constructors() {
    for name in ["", "a b", "a+b", "a\nb", "tab\there", "nbsp\u{a0}x"] {
        assert_eq!(
            validate_key_name(name),
            Err(CheckpointError::InvalidKeyName),
            "{name:?}"
        );
        assert!(SignerKey::from_seed(name, [1; 32]).is_err());
    }
    for origin in ["", "two\nlines", "nul\0"] {
        let cp = Checkpoint {
            origin: origin.into(),
            ..sample()
        };
        assert!(log_key().sign(cp).is_err(), "{origin:?}");
    }
    for text in [
        "",
        "no newline",
        "\nleading blank\n",
        "a\n\nb\n",
        "bell\u{7}\n",
    ] {
        assert!(Note::new(text).is_err(), "{text:?}");
    }
}

#[test]
fn malformed_verifier_keys_are_errors() {
    assert!(VerifierKey::parse(GO_VKEY).is_ok());
    let cases = [
        "",
        "PeterNeumann",
        "PeterNeumann+c74f20a3",
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+zzzzzzzz+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ApQc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumanx+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ];
    for case in cases {
        assert!(VerifierKey::parse(case).is_err(), "{case:?}");
    }
    assert!(SignerKey::parse(GO_VKEY).is_err());
    assert!(SignerKey::parse(
        "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    )
    .is_err());
    assert!(
        SignerKey::parse("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr").is_err()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsing_arbitrary_text_never_panics(text in "\\PC*") {
        let _ = SignedCheckpoint::parse(&text);
        let _ = Note::parse(&text);
        let _ = VerifierKey::parse(&text);
        let _ = SignerKey::parse(&text);
        let _ = Checkpoint::parse_body(&text);
    }

    #[test]
    fn parsing_note_like_text_never_panics(
        lines in proptest::collection::vec("(\u{2014} )?[a-z+/= \n.]{0,12}", 0..8)
    ) {
        let text = lines.join("\n");
        let _ = SignedCheckpoint::parse(&text);
    }

    #[test]
    fn any_single_byte_change_breaks_verification(pos in any::<usize>(), byte in any::<u8>()) {
        let key = log_key();
        let wire = key.sign(sample()).unwrap().to_note();
        let mut bytes = wire.clone().into_bytes();
        let pos = pos % bytes.len();
        prop_assume!(bytes[pos] != byte);
        bytes[pos] = byte;
        if let Ok(text) = String::from_utf8(bytes) {
            if let Ok(parsed) = SignedCheckpoint::parse(&text) {
                prop_assert!(key.verifier().verify(&parsed).is_err(), "{text:?}");
            }
        }
    }

    #[test]
    fn truncation_breaks_parsing_or_verification(cut in any::<usize>()) {
        let key = log_key();
        let wire = key.sign(sample()).unwrap().to_note();
        let cut = cut % wire.len();
        if let Some(prefix) = wire.get(..cut) {
            if let Ok(parsed) = SignedCheckpoint::parse(prefix) {
                prop_assert!(key.verifier().verify(&parsed).is_err());
            }
        }
    }
}
