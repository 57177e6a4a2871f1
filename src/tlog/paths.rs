//! Tile coordinates and their paths, exactly as <https://c2sp.org/tlog-tiles> spells them:
//! `tile/<L>/<N>[.p/<W>]` for Merkle tree tiles and `tile/entries/<N>[.p/<W>]` for entry bundles,
//! `<N>` in zero-padded 3-digit groups of which all but the last start with `x` (`x001/x234/067`).
//! These are Go's `sumdb/tlog` `Tile.Path` with the `8/` height element removed (and `data` spelled
//! `entries`).

use std::fmt;

/// Hashes in a full tile (tiles have height 8).
pub const TILE_WIDTH: u64 = 256;

/// Highest tile level the spec allows.
pub const MAX_LEVEL: u8 = 63;

/// What a tile holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TileKind {
    /// Merkle tree hashes at tree level `8 * L`.
    Hashes(u8),
    /// The entries themselves (the records), hashing to level-0 tile `N`.
    Entries,
}

/// One tile: its kind, index within the level and width (256 for a full tile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tile {
    /// Hashes at a level, or entries.
    pub kind: TileKind,
    /// The tile's index within its level.
    pub index: u64,
    /// How many hashes (or entries) it holds: 1..=256.
    pub width: u16,
}

/// Why a path is not a tile path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a tile path ({0}); expected tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>], N as x001/x234/067")]
pub struct BadTilePath(pub &'static str);

impl Tile {
    /// Whether the tile is full (256 wide).
    #[must_use]
    pub fn is_full(&self) -> bool {
        u64::from(self.width) == TILE_WIDTH
    }

    /// The tree level (in the tile's own units) whose hashes it holds: entries count as level 0.
    #[must_use]
    pub fn level(&self) -> u8 {
        match self.kind {
            TileKind::Hashes(l) => l,
            TileKind::Entries => 0,
        }
    }

    /// The relative path, `tile/0/x001/234.p/7`.
    #[must_use]
    pub fn path(&self) -> String {
        let mut out = String::from("tile/");
        match self.kind {
            TileKind::Hashes(l) => out.push_str(&l.to_string()),
            TileKind::Entries => out.push_str("entries"),
        }
        out.push('/');
        out.push_str(&index_path(self.index));
        if !self.is_full() {
            out.push_str(".p/");
            out.push_str(&self.width.to_string());
        }
        out
    }

    /// Parses a path relative to the log prefix (`tile/...`), strictly: no leading zeroes in `L`
    /// and `W`, 3-digit groups, `x` on every group but the last, no group `x000` leading.
    ///
    /// # Errors
    /// [`BadTilePath`] naming what is wrong.
    pub fn parse(path: &str) -> Result<Self, BadTilePath> {
        let rest = path
            .strip_prefix("tile/")
            .ok_or(BadTilePath("no tile/ prefix"))?;
        let (first, rest) = rest.split_once('/').ok_or(BadTilePath("no index"))?;
        let kind = if first == "entries" {
            TileKind::Entries
        } else {
            let l = decimal(first, u64::from(MAX_LEVEL)).ok_or(BadTilePath("bad level"))?;
            TileKind::Hashes(u8::try_from(l).map_err(|_| BadTilePath("bad level"))?)
        };
        let (index_part, width) = match rest.split_once(".p/") {
            None => (rest, 256u16),
            Some((i, w)) => {
                let w = decimal(w, 255).ok_or(BadTilePath("bad partial width"))?;
                if w == 0 {
                    return Err(BadTilePath("bad partial width"));
                }
                (
                    i,
                    u16::try_from(w).map_err(|_| BadTilePath("bad partial width"))?,
                )
            }
        };
        let index = parse_index(index_part)?;
        Ok(Self { kind, index, width })
    }
}

impl fmt::Display for Tile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

/// `1234067` as `x001/x234/067`.
#[must_use]
pub fn index_path(index: u64) -> String {
    let mut groups = Vec::new();
    let mut n = index;
    loop {
        groups.push(n % 1000);
        n /= 1000;
        if n == 0 {
            break;
        }
    }
    groups.reverse();
    let last = groups.len() - 1;
    groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            if i == last {
                format!("{g:03}")
            } else {
                format!("x{g:03}")
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn parse_index(text: &str) -> Result<u64, BadTilePath> {
    let groups: Vec<&str> = text.split('/').collect();
    let last = groups.len() - 1;
    let mut n: u64 = 0;
    for (i, g) in groups.iter().enumerate() {
        let digits = if i == last {
            *g
        } else {
            g.strip_prefix('x')
                .ok_or(BadTilePath("index groups but the last start with x"))?
        };
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadTilePath("index groups are 3 digits"));
        }
        let v: u64 = digits.parse().map_err(|_| BadTilePath("bad index"))?;
        if i == 0 && v == 0 && last > 0 {
            return Err(BadTilePath("index has a leading zero group"));
        }
        n = n
            .checked_mul(1000)
            .and_then(|m| m.checked_add(v))
            .ok_or(BadTilePath("index too large"))?;
    }
    Ok(n)
}

/// A decimal ASCII integer with no leading zeroes, at most `max`.
fn decimal(text: &str, max: u64) -> Option<u64> {
    if text.is_empty()
        || text.len() > 20
        || !text.bytes().all(|b| b.is_ascii_digit())
        || (text.len() > 1 && text.starts_with('0'))
    {
        return None;
    }
    text.parse().ok().filter(|v| *v <= max)
}

/// `256^level`, or `None` if it overflows.
#[must_use]
pub fn span(level: u8) -> Option<u64> {
    1u64.checked_shl(8 * u32::from(level))
}

/// Every tile (hash tiles at every level, and entry bundles) a tree of `size` entries is made of:
/// the full ones and, where the width is not 0, the rightmost partial one of each level.
#[must_use]
pub fn tiles_for_size(size: u64) -> Vec<Tile> {
    let mut out = Vec::new();
    for level in 0..=MAX_LEVEL {
        let Some(unit) = span(level) else { break };
        let hashes = size / unit;
        if hashes == 0 {
            break;
        }
        for kind in level_kinds(level) {
            for index in 0..hashes / TILE_WIDTH {
                out.push(Tile {
                    kind,
                    index,
                    width: 256,
                });
            }
            let w = hashes % TILE_WIDTH;
            if w > 0 {
                out.push(Tile {
                    kind,
                    index: hashes / TILE_WIDTH,
                    width: w as u16,
                });
            }
        }
    }
    out
}

fn level_kinds(level: u8) -> Vec<TileKind> {
    if level == 0 {
        vec![TileKind::Hashes(0), TileKind::Entries]
    } else {
        vec![TileKind::Hashes(level)]
    }
}

/// The tile at `kind` and `index` as it is in a tree of `size` entries: full, partial, or absent
/// (`None`: the tree does not reach it).
#[must_use]
pub fn tile_at_size(kind: TileKind, index: u64, size: u64) -> Option<Tile> {
    let level = match kind {
        TileKind::Hashes(l) => l,
        TileKind::Entries => 0,
    };
    let hashes = size / span(level)?;
    let start = index.checked_mul(TILE_WIDTH)?;
    if hashes <= start {
        return None;
    }
    let width = (hashes - start).min(TILE_WIDTH) as u16;
    Some(Tile { kind, index, width })
}

/// Whether a tree of `size` entries holds this exact tile (at this width).
#[must_use]
pub fn exists_at_size(tile: &Tile, size: u64) -> bool {
    tile_at_size(tile.kind, tile.index, size).is_some_and(|t| t.width >= tile.width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_spelled_as_the_spec_says() {
        let t = |kind, index, width| Tile { kind, index, width }.path();
        assert_eq!(
            t(TileKind::Hashes(0), 1_234_067, 256),
            "tile/0/x001/x234/067"
        );
        assert_eq!(t(TileKind::Hashes(1), 0, 256), "tile/1/000");
        assert_eq!(t(TileKind::Hashes(2), 1000, 7), "tile/2/x001/000.p/7");
        assert_eq!(t(TileKind::Entries, 273, 112), "tile/entries/273.p/112");
        assert_eq!(t(TileKind::Hashes(63), 999, 255), "tile/63/999.p/255");
    }

    #[test]
    fn parse_round_trips_and_refuses_non_canonical_paths() {
        for p in [
            "tile/0/000",
            "tile/0/x001/x234/067",
            "tile/entries/273.p/112",
            "tile/12/x999/999.p/1",
        ] {
            assert_eq!(Tile::parse(p).unwrap().path(), p);
        }
        for bad in [
            "tile/00/000",
            "tile/64/000",
            "tile/0/0",
            "tile/0/1234",
            "tile/0/001/234",
            "tile/0/x000/234",
            "tile/0/000.p/0",
            "tile/0/000.p/256",
            "tile/0/000.p/07",
            "tile/data/000",
            "tile/0/x001",
            "tiles/0/000",
            "tile/0/-01",
        ] {
            assert!(Tile::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn a_tree_of_70000_has_the_tiles_of_the_spec_example() {
        let tiles = tiles_for_size(70_000);
        let of = |kind| tiles.iter().filter(|t| t.kind == kind).collect::<Vec<_>>();
        let l0 = of(TileKind::Hashes(0));
        assert_eq!(l0.iter().filter(|t| t.is_full()).count(), 273);
        assert_eq!(l0.last().unwrap().width, 112);
        let l1 = of(TileKind::Hashes(1));
        assert_eq!(l1.len(), 2);
        assert_eq!(l1[1].width, 17);
        assert_eq!(of(TileKind::Hashes(2)).len(), 1);
        assert_eq!(of(TileKind::Hashes(2))[0].width, 1);
        assert_eq!(of(TileKind::Entries).len(), 274);
        let t256 = tiles_for_size(256);
        assert_eq!(t256.len(), 3); // full level 0, full bundle, level 1 of width 1
        assert!(tiles_for_size(0).is_empty());
    }
}
