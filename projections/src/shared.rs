//! Records shared between copies of a view. Each entity's record sits behind an [`Arc`]: copying a
//! view (as the views cache does while a reader holds it) copies pointers, not records, and applying
//! an event copies at most the one record it touches (`Arc::make_mut`). Stored bytes are those of the
//! plain map of records (`serde(with = "arc_map")`), so persisted projections read as before.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Records by stream, each shared.
pub type Shared<K, V> = BTreeMap<K, Arc<V>>;

/// Serde for [`Shared`] as a plain map of the records.
pub mod arc_map {
    use super::*;

    /// Serializes as the plain map.
    ///
    /// # Errors
    /// The serializer's.
    pub fn serialize<S, K, V>(map: &Shared<K, V>, s: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        K: Serialize,
        V: Serialize,
    {
        s.collect_map(map.iter().map(|(k, v)| (k, &**v)))
    }

    /// Deserializes the plain map.
    ///
    /// # Errors
    /// The deserializer's.
    pub fn deserialize<'de, D, K, V>(d: D) -> Result<Shared<K, V>, D::Error>
    where
        D: Deserializer<'de>,
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
    {
        let plain = BTreeMap::<K, V>::deserialize(d)?;
        Ok(plain.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, Default, Clone, PartialEq, Debug)]
    struct WithArcs {
        #[serde(with = "arc_map")]
        m: Shared<u64, String>,
    }

    #[derive(Serialize, Deserialize, Default)]
    struct Plain {
        m: BTreeMap<u64, String>,
    }

    #[test]
    fn shared_records_store_the_same_bytes_as_plain_ones() {
        // given the same records, shared and plain
        let mut shared = WithArcs::default();
        let mut plain = Plain::default();
        for (k, v) in [(1u64, "one"), (2, "two")] {
            shared.m.insert(k, Arc::new(v.to_owned()));
            plain.m.insert(k, v.to_owned());
        }
        // when both are encoded as projections are
        let config = bincode::config::standard();
        let a = bincode::serde::encode_to_vec(&shared, config).unwrap();
        let b = bincode::serde::encode_to_vec(&plain, config).unwrap();
        // then the bytes are the same and decode back
        assert_eq!(a, b);
        let (back, _): (WithArcs, usize) = bincode::serde::decode_from_slice(&b, config).unwrap();
        assert_eq!(back, shared);
    }

    #[test]
    fn a_copy_shares_every_record_until_one_changes() {
        // given a map of two records and a copy of it
        let mut original: Shared<u64, String> = BTreeMap::new();
        original.insert(1, Arc::new("one".into()));
        original.insert(2, Arc::new("two".into()));
        let mut copy = original.clone();
        // when the copy changes one record
        Arc::make_mut(copy.get_mut(&1).unwrap()).push('!');
        // then only that record was copied
        assert!(!Arc::ptr_eq(&original[&1], &copy[&1]));
        assert!(Arc::ptr_eq(&original[&2], &copy[&2]));
        assert_eq!(*original[&1], "one");
        assert_eq!(*copy[&1], "one!");
    }
}
