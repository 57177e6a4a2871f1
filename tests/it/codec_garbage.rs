//! Decoding damaged or hostile bytes returns an error: it never panics and never allocates without
//! bound.

use delib_events::codec::{HEADER_LEN, MAGIC};
use delib_events::samples::every_variant;
use delib_events::{
    decode_record, encode_record, CodecError, CommandId, CorrelationId, EventId, Metadata,
    Position, RecordHash, StreamId, StreamKind, StreamVersion, Timestamp,
};
use proptest::prelude::*;
use uuid::Uuid;

fn valid_records() -> Vec<Vec<u8>> {
    every_variant()
        .into_iter()
        .enumerate()
        .map(|(i, event)| {
            let meta = Metadata {
                event_id: EventId::from_uuid(Uuid::from_u128(i as u128 + 1)),
                stream_id: StreamId::from_uuid(Uuid::from_u128(7)),
                stream_kind: StreamKind::Test,
                stream_version: StreamVersion::new(1),
                position: Position::new(i as u64 + 1),
                recorded_at: Timestamp::from_micros(1),
                occurred_at: Timestamp::from_micros(1),
                recorded_by: None,
                command_id: CommandId::from_uuid(Uuid::from_u128(9)),
                correlation_id: CorrelationId::from_uuid(Uuid::from_u128(9)),
                causation_id: None,
            };
            encode_record(&RecordHash::GENESIS, &meta, &event).unwrap()
        })
        .collect()
}

fn header() -> Vec<u8> {
    let mut h = MAGIC.to_vec();
    h.extend_from_slice(&1u16.to_be_bytes());
    h.extend_from_slice(&1u16.to_be_bytes());
    h.extend_from_slice(&[0u8; 32]);
    h
}

#[test]
fn a_payload_claiming_a_huge_length_is_refused_without_allocating_it() {
    // given a valid header followed by a varint claiming a 2^60-byte string where the envelope starts
    let mut bytes = header();
    bytes.push(253); // bincode varint marker for a u64
    bytes.extend_from_slice(&(1u64 << 60).to_le_bytes());
    // then decoding fails quickly
    assert!(matches!(decode_record(&bytes), Err(CodecError::Decode(_))));
}

#[test]
fn truncations_and_trailing_bytes_are_errors() {
    for rec in valid_records() {
        for cut in [0, 3, HEADER_LEN - 1, HEADER_LEN, rec.len() - 1] {
            assert!(decode_record(&rec[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = rec.clone();
        longer.push(0);
        assert!(matches!(
            decode_record(&longer),
            Err(CodecError::TrailingBytes { extra: 1 })
        ));
    }
}

#[test]
fn unknown_versions_and_bad_magic_are_named() {
    let rec = valid_records().remove(0);
    let mut bad = rec.clone();
    bad[0] = b'X';
    assert_eq!(decode_record(&bad), Err(CodecError::BadMagic));
    let mut bad = rec.clone();
    bad[5] = 9;
    assert_eq!(
        decode_record(&bad),
        Err(CodecError::UnknownFormatVersion(9))
    );
    let mut bad = rec;
    bad[7] = 2;
    assert_eq!(
        decode_record(&bad),
        Err(CodecError::UnknownSchemaVersion(2))
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_record(&bytes);
    }

    #[test]
    fn random_payloads_behind_a_valid_header_never_panic(payload in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = header();
        bytes.extend_from_slice(&payload);
        let _ = decode_record(&bytes);
    }

    #[test]
    fn mutated_records_never_panic(which in 0usize..64, flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let records = valid_records();
        let mut rec = records[which % records.len()].clone();
        for (at, byte) in flips {
            let i = at % rec.len();
            rec[i] ^= byte | 1;
        }
        let _ = decode_record(&rec);
    }
}
