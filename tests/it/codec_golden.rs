//! Golden fixtures: the committed bytes of one record of every event variant (schema 1) must decode
//! to the expected values forever, and today's encoder must still produce exactly those bytes.
//!
//! A new variant needs a new fixture: run `DELIB_BLESS=1 cargo test codec_golden` once. Blessing
//! only ever creates missing files; it never overwrites one.

use delib_events::samples::every_variant;
use delib_events::{
    decode_record, encode_record, CommandId, CorrelationId, Event, EventId, Metadata, PersonId,
    Position, RecordHash, StreamId, StreamKind, StreamVersion, Timestamp,
};
use std::path::PathBuf;
use uuid::Uuid;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records/v1")
}

/// The fixed envelope of fixture `i`.
fn metadata(i: u64) -> Metadata {
    Metadata {
        event_id: EventId::from_uuid(Uuid::from_u128(
            0x0190_0000_0000_7000_8000_0000_0000_0000 + u128::from(i),
        )),
        stream_id: StreamId::from_uuid(Uuid::from_u128(0xAA00 + u128::from(i))),
        stream_kind: StreamKind::Proposal,
        stream_version: StreamVersion::new(i + 1),
        position: Position::new(i + 1),
        recorded_at: Timestamp::from_micros(1_700_000_000_000_000 + i as i64),
        occurred_at: Timestamp::from_micros(1_690_000_000_000_000 + i as i64),
        recorded_by: i
            .is_multiple_of(2)
            .then(|| PersonId::from_uuid(Uuid::from_u128(0xBB00 + u128::from(i)))),
        command_id: CommandId::from_uuid(Uuid::from_u128(0xCC00 + u128::from(i))),
        correlation_id: CorrelationId::from_uuid(Uuid::from_u128(0xDD00 + u128::from(i))),
        causation_id: i
            .is_multiple_of(3)
            .then(|| EventId::from_uuid(Uuid::from_u128(0xEE00 + u128::from(i)))),
    }
}

fn prev_hash(i: u64) -> RecordHash {
    RecordHash::from_bytes([i as u8; 32])
}

fn file_name(i: usize, event: &Event) -> String {
    format!("{i:03}-{}.bin", event.kind())
}

#[test]
fn every_variant_has_a_golden_fixture_that_decodes_to_its_value() {
    let bless = std::env::var_os("DELIB_BLESS").is_some();
    let mut missing = Vec::new();
    for (i, event) in every_variant().into_iter().enumerate() {
        let path = fixture_dir().join(file_name(i, &event));
        let meta = metadata(i as u64);
        let encoded = encode_record(&prev_hash(i as u64), &meta, &event).unwrap();
        if !path.exists() {
            if bless {
                std::fs::create_dir_all(fixture_dir()).unwrap();
                std::fs::write(&path, &encoded).unwrap();
            } else {
                missing.push(path.display().to_string());
            }
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let decoded = decode_record(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(decoded.metadata, meta, "{}", path.display());
        assert_eq!(decoded.event, event, "{}", path.display());
        assert_eq!(decoded.prev_hash, prev_hash(i as u64), "{}", path.display());
        assert_eq!(
            encoded,
            bytes,
            "{}: today's encoder no longer produces the frozen bytes",
            path.display()
        );
    }
    assert!(
        missing.is_empty(),
        "fixtures missing (run DELIB_BLESS=1 cargo test codec_golden): {missing:?}"
    );
}

#[test]
fn the_fixture_files_start_with_the_documented_header() {
    let mut seen = 0;
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert_eq!(&bytes[0..4], b"DLIB");
        assert_eq!(
            u16::from_be_bytes([bytes[4], bytes[5]]),
            1,
            "record format version"
        );
        assert_eq!(
            u16::from_be_bytes([bytes[6], bytes[7]]),
            1,
            "schema version"
        );
        seen += 1;
    }
    assert!(seen >= every_variant().len());
}
