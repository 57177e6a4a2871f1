//! An independent reader of tlog-tiles, written from the spec (c2sp.org/tlog-tiles, RFC 6962 §2.1)
//! without calling delib's tile code: paths, entry bundles, tile hashes and the root.

use delib::clock::SystemClock;
use delib::ledger::Ledger;
use delib::store::{AppendRequest, EventStore, ExpectedVersion, NewEvent};
use delib_events::{CommandId, Event, Position, StreamId, StreamKind, TestEvent};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

pub type H = [u8; 32];

pub fn leaf(entry: &[u8]) -> H {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry);
    h.finalize().into()
}

pub fn node(l: &H, r: &H) -> H {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(l);
    h.update(r);
    h.finalize().into()
}

/// RFC 6962 MTH(D[n]) over leaf hashes, by the recursive definition.
pub fn mth(leaves: &[H]) -> H {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let mut k = 1;
            while k * 2 < n {
                k *= 2;
            }
            node(&mth(&leaves[..k]), &mth(&leaves[k..]))
        }
    }
}

/// `<N>` as 3-digit groups, all but the last prefixed with `x`.
pub fn n_path(n: u64) -> String {
    let s = format!("{n}");
    let pad = (3 - s.len() % 3) % 3;
    let s = format!("{}{s}", "0".repeat(pad));
    let groups: Vec<&str> = (0..s.len() / 3).map(|i| &s[i * 3..i * 3 + 3]).collect();
    let last = groups.len() - 1;
    groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            if i < last {
                format!("x{g}")
            } else {
                (*g).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `tile/<L>/<N>[.p/<W>]` (L = None for entries).
pub fn tile_path(level: Option<u8>, n: u64, w: u64) -> String {
    let l = level.map_or("entries".to_string(), |l| l.to_string());
    let p = if w == 256 {
        String::new()
    } else {
        format!(".p/{w}")
    };
    format!("tile/{l}/{}{p}", n_path(n))
}

pub fn split_bundle(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let len = usize::from(u16::from_be_bytes([bytes[i], bytes[i + 1]]));
        out.push(bytes[i + 2..i + 2 + len].to_vec());
        i += 2 + len;
    }
    assert_eq!(i, bytes.len(), "bundle has trailing bytes");
    out
}

/// The checkpoint body's (origin, size, root).
pub fn parse_checkpoint(note: &str) -> (String, u64, H) {
    let mut lines = note.lines();
    let origin = lines.next().unwrap().to_owned();
    let size = lines.next().unwrap().parse().unwrap();
    use base64::Engine as _;
    let root = base64::engine::general_purpose::STANDARD
        .decode(lines.next().unwrap())
        .unwrap();
    (origin, size, root.try_into().unwrap())
}

/// Verifies a whole published tree of `size` entries from `get(path)`, as the spec defines it:
/// every entry bundle's entries hash to its level-0 tile, every tile at level L holds
/// `MTH(D[(n*256+i)*256^L : (n*256+i+1)*256^L])`, and the root of all entries is `root`.
/// Returns the entries.
pub fn verify_published(get: &mut dyn FnMut(&str) -> Vec<u8>, size: u64, root: &H) -> Vec<Vec<u8>> {
    let mut entries = Vec::new();
    let bundles = size.div_ceil(256);
    for n in 0..bundles {
        let w = (size - n * 256).min(256);
        let e = split_bundle(&get(&tile_path(None, n, w)));
        assert_eq!(e.len() as u64, w, "bundle {n} width");
        entries.extend(e);
    }
    let leaves: Vec<H> = entries.iter().map(|e| leaf(e)).collect();
    assert_eq!(
        mth(&leaves),
        *root,
        "entries do not reproduce the checkpoint root"
    );
    let mut level = 0u8;
    loop {
        let unit = 256u64.pow(u32::from(level));
        let hashes = size / unit;
        if hashes == 0 {
            break;
        }
        for n in 0..hashes.div_ceil(256) {
            let w = (hashes - n * 256).min(256);
            let tile = get(&tile_path(Some(level), n, w));
            assert_eq!(tile.len() as u64, w * 32, "tile {level}/{n} length");
            for i in 0..w {
                let a = ((n * 256 + i) * unit) as usize;
                let expected = mth(&leaves[a..a + unit as usize]);
                assert_eq!(
                    &tile[(i * 32) as usize..(i * 32 + 32) as usize],
                    &expected,
                    "hash {i} of tile {level}/{n}"
                );
            }
        }
        level += 1;
    }
    entries
}

/// A new ledger in `dir` with `events` records (the initialisation and test notes).
pub fn ledger_with(dir: &Path, events: u64, name: &str) -> Ledger {
    let (ledger, _) = Ledger::init(dir, name, Arc::new(SystemClock)).unwrap();
    append_notes(&ledger, events - 1, "note");
    ledger
}

/// Appends `n` test notes with `text` in them.
pub fn append_notes(ledger: &Ledger, n: u64, text: &str) {
    let stream = StreamId::from_uuid(uuid::Uuid::now_v7());
    for chunk in 0..n.div_ceil(100) {
        let k = (n - chunk * 100).min(100);
        let batch = (0..k)
            .map(|i| {
                NewEvent::new(
                    Event::Test(TestEvent::TestNoted {
                        text: format!("{text} {}", chunk * 100 + i),
                        seq: chunk * 100 + i,
                    }),
                    ledger.clock().now(),
                )
            })
            .collect();
        ledger
            .store()
            .append_blocking(AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                stream,
                StreamKind::Test,
                ExpectedVersion::Any,
                batch,
            ))
            .unwrap();
    }
}

/// Every record's exact bytes.
pub fn all_records(ledger: &Ledger) -> Vec<Vec<u8>> {
    let size = ledger.store().head().position.get();
    ledger
        .store()
        .read_raw(Position::new(1), size as usize)
        .unwrap()
        .into_iter()
        .map(|(_, b)| b)
        .collect()
}
