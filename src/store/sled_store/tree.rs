//! The ledger's RFC 9162 Merkle tree as kept in sled: leaves are recomputed from the stored records,
//! complete subtrees at level >= `STORED_MIN_LEVEL` are read from `t` keys.

use crate::audit::merkle::{self, Hash, HashSource, TreeError};
use crate::store::keys;
use crate::store::StoreError;
use delib_events::Position;

/// A [`HashSource`] over a sled tree.
#[derive(Debug, Clone, Copy)]
pub struct SledHashSource<'a> {
    pub(crate) db: &'a ::sled::Db,
    /// See [`super::Inner::legacy_end`].
    pub(crate) legacy_end: u64,
}

impl HashSource for SledHashSource<'_> {
    type Error = StoreError;

    fn leaf_hash(&self, index: u64) -> Result<Hash, StoreError> {
        let position = Position::new(index + 1);
        let bytes = super::records::get(self.db, self.legacy_end, position)?.ok_or_else(|| {
            StoreError::Corrupt {
                position,
                reason: "no record for a Merkle leaf".into(),
            }
        })?;
        Ok(merkle::leaf_hash(&bytes))
    }

    fn subtree(&self, level: u8, index: u64) -> Result<Option<Hash>, StoreError> {
        match self.db.get(keys::tree(level, index))? {
            None => Ok(None),
            Some(v) => Hash::from_slice(&v)
                .map(Some)
                .map_err(|e| StoreError::Corrupt {
                    position: Position::ZERO,
                    reason: format!("stored Merkle node ({level}, {index}) is malformed: {e}"),
                }),
        }
    }
}

/// Flattens a tree error into a store error.
pub(crate) fn flatten(err: TreeError<StoreError>) -> StoreError {
    match err {
        TreeError::Source(e) => e,
        other => StoreError::Corrupt {
            position: Position::ZERO,
            reason: other.to_string(),
        },
    }
}
