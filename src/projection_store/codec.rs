//! The stored form of a projection: version (4, BE), last position (8, BE), bincode state.
//! A value that does not decode is treated as absent: the projection is rebuilt.

use crate::store::StoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;

const CONFIG: bincode::config::Configuration = bincode::config::standard();

pub(super) fn encode<T: Serialize>(
    version: u32,
    position: u64,
    state: &T,
) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(&version.to_be_bytes());
    out.extend_from_slice(&position.to_be_bytes());
    bincode::serde::encode_into_std_write(state, &mut out, CONFIG).map_err(|e| {
        StoreError::Io(std::io::Error::other(format!(
            "projection does not encode: {e}"
        )))
    })?;
    Ok(out)
}

pub(super) fn header(bytes: &[u8]) -> Option<(u32, u64)> {
    let version = u32::from_be_bytes(bytes.get(0..4)?.try_into().ok()?);
    let position = u64::from_be_bytes(bytes.get(4..12)?.try_into().ok()?);
    Some((version, position))
}

pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<(u32, T)> {
    let (version, _) = header(bytes)?;
    let (state, used) = bincode::serde::decode_from_slice::<T, _>(bytes.get(12..)?, CONFIG).ok()?;
    (used == bytes.len() - 12).then_some((version, state))
}
