//! Times as people write them, read the same way on the CLI, the API, the pages and in reports.
//!
//! Accepted: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (also with a space), both in the ledger's time
//! zone, or RFC 3339. Years have four digits, 0001 to 9999: `0000`, `-0001` and `10000` are refused
//! (the printed form of such a time would not be RFC 3339).
//!
//! **One rule for date-only bounds:** an upper bound (`--to`, `--as-of`, `?to=`, `?as_of=`) means the
//! end of that day (its last microsecond), a lower bound (`--from`, `?from=`) its start, in the
//! ledger's [`Zone`]. Everything that takes a bound calls [`Written::bound`].
//!
//! The ledger's zone is a fixed UTC offset chosen at `init --tz +08:00` and kept in the data directory
//! (file `time-zone`), or, for a ledger without one, the local zone of the machine.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use delib_events::Timestamp;
use std::path::Path;

/// The file in the data directory that holds the ledger's time zone (`+08:00`).
pub const ZONE_FILE: &str = "time-zone";

/// A ledger's time zone: a fixed UTC offset, or the machine's local zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// The local zone of the machine (ledgers made without `--tz`).
    Local,
    /// A fixed offset from UTC.
    Fixed(FixedOffset),
}

impl Zone {
    /// Parses `+08:00`, `-05:30`, `+0800`, `Z`, `UTC` or `local`.
    ///
    /// # Errors
    /// A one-line message naming the accepted forms.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        let bad =
            || format!("`{s}` is not a time zone: use an offset such as +08:00, or UTC, or local");
        match s.to_ascii_lowercase().as_str() {
            "local" => return Ok(Zone::Local),
            "z" | "utc" | "+00:00" | "-00:00" => {
                return Ok(Zone::Fixed(FixedOffset::east_opt(0).ok_or_else(bad)?))
            }
            _ => {}
        }
        let (sign, rest) = match s.as_bytes().first() {
            Some(b'+') => (1, &s[1..]),
            Some(b'-') => (-1, &s[1..]),
            _ => return Err(bad()),
        };
        let digits: String = rest.chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let hours: i32 = digits[..2].parse().map_err(|_| bad())?;
        let minutes: i32 = digits[2..].parse().map_err(|_| bad())?;
        if hours > 14 || minutes > 59 {
            return Err(bad());
        }
        FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
            .map(Zone::Fixed)
            .ok_or_else(bad)
    }

    /// The zone of the ledger in `dir`: its `time-zone` file, or the local zone without one.
    ///
    /// # Errors
    /// A file that cannot be read or does not hold a zone.
    pub fn of_ledger(dir: &Path) -> Result<Self, String> {
        match std::fs::read_to_string(dir.join(ZONE_FILE)) {
            Ok(text) => Self::parse(&text).map_err(|e| format!("{}: {e}", ZONE_FILE)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Zone::Local),
            Err(e) => Err(format!(
                "cannot read {}: {e}",
                dir.join(ZONE_FILE).display()
            )),
        }
    }

    /// Writes the zone into the data directory `dir` (temporary file, sync, rename).
    ///
    /// # Errors
    /// I/O failures.
    pub fn save(self, dir: &Path) -> std::io::Result<()> {
        use std::io::Write;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        writeln!(tmp, "{self}")?;
        tmp.as_file().sync_all()?;
        tmp.persist(dir.join(ZONE_FILE)).map_err(|e| e.error)?;
        Ok(())
    }

    /// The UTC offset of this zone at `t`, e.g. `+08:00`.
    pub fn offset_at(self, t: Timestamp) -> String {
        match self {
            Zone::Fixed(o) => o.to_string(),
            Zone::Local => DateTime::from_timestamp_micros(t.as_micros())
                .map(|d| d.with_timezone(&Local).offset().to_string())
                .unwrap_or_else(|| "+00:00".into()),
        }
    }

    /// The first moment at or after the local `naive` time (a time skipped by a clock change maps to
    /// the moment the clocks jumped to).
    fn moment(self, naive: NaiveDateTime) -> Option<Timestamp> {
        let micros = |d: i64| Some(Timestamp::from_micros(d));
        match self {
            Zone::Fixed(o) => micros(o.from_local_datetime(&naive).single()?.timestamp_micros()),
            Zone::Local => {
                // Skipped local times (spring forward): try the following minutes.
                (0..=180).find_map(|m| {
                    Local
                        .from_local_datetime(&(naive + chrono::Duration::minutes(m)))
                        .earliest()
                        .map(|d| Timestamp::from_micros(d.timestamp_micros()))
                })
            }
        }
    }
}

impl std::fmt::Display for Zone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Zone::Local => f.write_str("local"),
            Zone::Fixed(o) => write!(f, "{o}"),
        }
    }
}

/// A time as written: an instant (RFC 3339), or a local date and time, or a date, the last two still
/// to be placed in a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// RFC 3339: an instant.
    Instant(Timestamp),
    /// `YYYY-MM-DDTHH:MM[:SS]`: a wall-clock time in the ledger's zone.
    Local(NaiveDateTime),
    /// `YYYY-MM-DD`: a whole day in the ledger's zone.
    Date(NaiveDate),
}

/// Which end of a period a time stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// A moment (`--at`, `--on`) or a lower bound (`--from`): a date means its start.
    Start,
    /// An upper bound (`--to`, `--as-of`): a date means its end.
    End,
}

impl Written {
    /// Parses a time as people write it (see the module documentation).
    ///
    /// # Errors
    /// A one-line message naming the accepted forms, or saying that years have four digits.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s = input.trim();
        let shown: String = s.chars().take(60).collect();
        let bad = || {
            format!(
                "`{shown}` is not a time: use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (in the ledger's time zone) or RFC 3339"
            )
        };
        let b = s.as_bytes();
        let four_digits = b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-';
        if !four_digits {
            if s.starts_with(['-', '+'])
                || s.split('-')
                    .next()
                    .is_some_and(|y| y.len() > 4 && y.bytes().all(|c| c.is_ascii_digit()))
            {
                return Err(format!(
                    "`{shown}` is not a time: years have four digits, 0001 to 9999"
                ));
            }
            return Err(bad());
        }
        if &s[..4] == "0000" {
            return Err(format!(
                "`{shown}` is not a time: years have four digits, 0001 to 9999 (there is no year 0)"
            ));
        }
        if let Ok(d) = DateTime::parse_from_rfc3339(s) {
            return Ok(Written::Instant(Timestamp::from_micros(
                d.timestamp_micros(),
            )));
        }
        let naive = [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok());
        if let Some(n) = naive {
            return Ok(Written::Local(n));
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Written::Date)
            .map_err(|_| bad())
    }

    /// The instant this time stands for in `zone`, as the `bound` of a period (a moment is a
    /// [`Bound::Start`]): a date is its first microsecond, or its last for [`Bound::End`].
    ///
    /// # Errors
    /// A local time that does not exist in `zone`.
    pub fn bound(self, zone: Zone, bound: Bound) -> Result<Timestamp, String> {
        let missing = || format!("{self} does not exist in the time zone {zone}");
        match self {
            Written::Instant(t) => Ok(t),
            Written::Local(n) => zone.moment(n).ok_or_else(missing),
            Written::Date(d) => match bound {
                Bound::Start => zone.moment(d.and_time(NaiveTime::MIN)).ok_or_else(missing),
                Bound::End => {
                    let next = d.succ_opt().ok_or_else(missing)?;
                    let start = zone
                        .moment(next.and_time(NaiveTime::MIN))
                        .ok_or_else(missing)?;
                    Ok(Timestamp::from_micros(start.as_micros() - 1))
                }
            },
        }
    }

    /// The moment this time stands for in `zone` (a date: its start).
    ///
    /// # Errors
    /// As [`Written::bound`].
    pub fn moment(self, zone: Zone) -> Result<Timestamp, String> {
        self.bound(zone, Bound::Start)
    }
}

impl std::fmt::Display for Written {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Written::Instant(t) => f.write_str(&delib_projections::time::rfc3339(*t)),
            Written::Local(n) => write!(f, "{}", n.format("%Y-%m-%dT%H:%M:%S")),
            Written::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

/// Parses `input` as the `bound` of a period in `zone`: the one function the CLI, the server's
/// handlers and its pages call for `--from`/`--to`/`--as-of` and `?from=`/`?to=`/`?as_of=`.
///
/// # Errors
/// As [`Written::parse`] and [`Written::bound`].
pub fn parse_bound(input: &str, zone: Zone, bound: Bound) -> Result<Timestamp, String> {
    Written::parse(input)?.bound(zone, bound)
}

thread_local! {
    static ZONE: std::cell::Cell<Zone> = const { std::cell::Cell::new(Zone::Local) };
}

/// Runs `f` with `zone` as the zone in which [`crate::app::request::When`] values are read while
/// deserializing (the server parses a request body inside this, with the ledger's zone).
pub fn in_zone<T>(zone: Zone, f: impl FnOnce() -> T) -> T {
    let before = ZONE.with(|z| z.replace(zone));
    let out = f();
    ZONE.with(|z| z.set(before));
    out
}

/// The zone set by [`in_zone`] on this thread (local otherwise).
pub fn zone_of_thread() -> Zone {
    ZONE.with(std::cell::Cell::get)
}

impl<'de> serde::Deserialize<'de> for Written {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Written::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plus8() -> Zone {
        Zone::parse("+08:00").unwrap()
    }

    #[test]
    fn years_have_four_digits() {
        for bad in [
            "0000-01-01",
            "-0001-01-01",
            "+10000-01-01",
            "10000-01-01",
            "0000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z",
            "99-01-01",
        ] {
            let e = Written::parse(bad).unwrap_err();
            assert!(e.contains("is not a time"), "{bad}: {e}");
        }
        assert!(Written::parse("-0001-01-01")
            .unwrap_err()
            .contains("four digits"));
        assert!(Written::parse("0001-01-01").is_ok());
        assert!(Written::parse("9999-12-31").is_ok());
    }

    #[test]
    fn a_date_only_upper_bound_is_the_end_of_the_day_in_the_ledgers_zone() {
        let z = plus8();
        let start = parse_bound("2015-07-01", z, Bound::Start).unwrap();
        let end = parse_bound("2015-07-01", z, Bound::End).unwrap();
        // 2015-07-01T00:00:00+08:00 = 2015-06-30T16:00:00Z
        assert_eq!(start, Timestamp::from_micros(1_435_680_000_000_000));
        assert_eq!(end.as_micros() - start.as_micros(), 86_400_000_000 - 1);
        // a time or an instant is itself, whichever the bound
        let t = parse_bound("2015-07-01T10:00", z, Bound::End).unwrap();
        assert_eq!(
            t,
            parse_bound("2015-07-01T02:00:00Z", z, Bound::End).unwrap()
        );
    }

    #[test]
    fn zones_parse_and_print() {
        assert_eq!(plus8().to_string(), "+08:00");
        assert_eq!(Zone::parse("-0530").unwrap().to_string(), "-05:30");
        assert_eq!(Zone::parse("UTC").unwrap().to_string(), "+00:00");
        assert_eq!(Zone::parse("local").unwrap(), Zone::Local);
        for bad in ["8", "+8", "+25:00", "Asia/Shanghai", "+08:60", ""] {
            assert!(Zone::parse(bad).is_err(), "{bad}");
        }
    }
}
