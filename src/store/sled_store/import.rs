//! Importing exported records into an empty ledger, on the writer thread: checked in full first,
//! then written in batches with the same keys an append writes, then synced.

use super::durability::Durability;
use super::Inner;
use crate::audit::merkle::{self, Frontier};
use crate::store::{keys, Head, StoreError};
use delib_events::codec::decode_header;
use delib_events::{decode_record, CommandId, Position, RecordHash, StreamId, StreamVersion};
use std::collections::HashMap;
use std::sync::atomic::Ordering;

/// Records written per batch.
const BATCH: usize = 4096;

pub(super) fn import(
    inner: &Inner,
    durability: &mut Durability,
    versions: &mut HashMap<StreamId, StreamVersion>,
    mut frontier: Option<&mut Frontier>,
    records: Vec<Vec<u8>>,
    side: Vec<crate::store::SideEntry>,
) -> Result<Head, StoreError> {
    let head = *inner.head.read().unwrap_or_else(|p| p.into_inner());
    if head.position != Position::ZERO {
        return Err(StoreError::NotEmpty(head.position.get()));
    }
    if inner.poisoned.load(Ordering::SeqCst) {
        return Err(StoreError::Poisoned);
    }
    // Check everything before writing anything.
    let mut prev = RecordHash::GENESIS;
    let mut stream_versions: HashMap<StreamId, u64> = HashMap::new();
    let mut spans: Vec<(CommandId, Position, Position)> = Vec::new();
    let mut meta = Vec::with_capacity(records.len());
    for (i, bytes) in records.iter().enumerate() {
        let position = Position::new(i as u64 + 1);
        let corrupt = |reason: String| StoreError::Corrupt { position, reason };
        let header =
            decode_header(bytes).map_err(|source| StoreError::Codec { position, source })?;
        if header.prev_hash != prev {
            return Err(corrupt("does not link to the record before it".into()));
        }
        let record =
            decode_record(bytes).map_err(|source| StoreError::Codec { position, source })?;
        let m = &record.metadata;
        if m.position != position {
            return Err(corrupt(format!("claims position {}", m.position)));
        }
        let v = stream_versions.entry(m.stream_id).or_default();
        *v += 1;
        if m.stream_version.get() != *v {
            return Err(corrupt(format!(
                "is version {} of its stream, expected {v}",
                m.stream_version
            )));
        }
        match spans.last_mut() {
            Some((cmd, _, last)) if *cmd == m.command_id => *last = position,
            _ => spans.push((m.command_id, position, position)),
        }
        meta.push((m.stream_id, m.stream_version));
        prev = RecordHash::of(bytes);
    }
    // Write.
    for (chunk_index, chunk) in records.chunks(BATCH).enumerate() {
        let mut batch = ::sled::Batch::default();
        let mut packer = super::records::Packer::default();
        for (k, bytes) in chunk.iter().enumerate() {
            let i = chunk_index * BATCH + k;
            let position = Position::new(i as u64 + 1);
            let (stream, version) = meta[i];
            batch.insert(
                &keys::stream(stream, version)[..],
                &position.to_be_bytes()[..],
            );
            if let Some(f) = frontier.as_deref_mut() {
                for node in f.push(merkle::leaf_hash(bytes)) {
                    batch.insert(
                        &keys::tree(node.level, node.index)[..],
                        &node.hash.as_bytes()[..],
                    );
                }
            }
            packer.push(position, bytes);
        }
        for (key, value) in packer.finish() {
            batch.insert(&key[..], value);
        }
        inner.db.apply_batch(batch)?;
    }
    let mut batch = ::sled::Batch::default();
    for (key, value) in side {
        batch.insert(keys::side(&key), value);
    }
    for (cmd, first, last) in &spans {
        batch.insert(
            &keys::command(*cmd)[..],
            &keys::span_value(*first, *last)[..],
        );
    }
    inner.db.apply_batch(batch)?;
    if let Err(e) = durability.sync(&inner.db) {
        inner.poisoned.store(true, Ordering::SeqCst);
        return Err(e);
    }
    let new_head = Head {
        position: Position::new(records.len() as u64),
        hash: prev,
    };
    *inner.head.write().unwrap_or_else(|p| p.into_inner()) = new_head;
    inner.notify.send_replace(new_head.position);
    versions.extend(
        stream_versions
            .into_iter()
            .map(|(s, v)| (s, StreamVersion::new(v))),
    );
    Ok(new_head)
}
