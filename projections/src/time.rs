//! Rendering [`Timestamp`]s (microseconds since the Unix epoch, UTC) as RFC 3339 strings, and durations
//! in days. Pure integer arithmetic: no clock, no time zone database.

use delib_events::Timestamp;

const MICROS_PER_SECOND: i64 = 1_000_000;
const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;

/// The first and last microseconds RFC 3339 can write (years 0000 to 9999).
const RFC3339_RANGE: (i64, i64) = (-62_167_219_200_000_000, 253_402_300_799_999_999);

/// `2024-03-05T10:00:00Z`, with `.ffffff` microseconds only when they are not zero. Always valid
/// RFC 3339: a time outside years 0000 to 9999 (which no command accepts, but an old record may hold)
/// prints as the nearest end of that range.
pub fn rfc3339(t: Timestamp) -> String {
    let micros = t.as_micros().clamp(RFC3339_RANGE.0, RFC3339_RANGE.1);
    let days = micros.div_euclid(MICROS_PER_DAY);
    let in_day = micros.rem_euclid(MICROS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let secs = in_day / MICROS_PER_SECOND;
    let frac = in_day % MICROS_PER_SECOND;
    let (hh, mm, ss) = (secs / 3600, secs / 60 % 60, secs % 60);
    if frac == 0 {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{frac:06}Z")
    }
}

/// `2024-03-05`: the UTC date only (within years 0000 to 9999, as [`rfc3339`]).
pub fn date(t: Timestamp) -> String {
    let micros = t.as_micros().clamp(RFC3339_RANGE.0, RFC3339_RANGE.1);
    let (y, m, d) = civil_from_days(micros.div_euclid(MICROS_PER_DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The timestamp of midnight UTC starting a civil date (for tests and callers that build periods).
pub fn from_ymd(year: i64, month: u32, day: u32) -> Timestamp {
    Timestamp::from_micros(days_from_civil(year, month, day) * MICROS_PER_DAY)
}

/// Days between two timestamps (`to - from`), rounded to two decimals; negative when `to` is earlier.
pub fn days_between(from: Timestamp, to: Timestamp) -> f64 {
    let micros = to.as_micros().saturating_sub(from.as_micros());
    round2(micros as f64 / MICROS_PER_DAY as f64)
}

/// Rounds to two decimals, so that reports print stable, short numbers.
pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Rounds to four decimals (turnout, rates).
pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// A short human duration: `3d 4h`, `5h 12m`, `40s`.
pub fn human_duration(micros: i64) -> String {
    let secs = micros.max(0) / MICROS_PER_SECOND;
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m {s}s")
    } else {
        format!("{s}s")
    }
}

/// The median of some numbers (mean of the middle two for an even count), `None` when empty.
pub(crate) fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let m = if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    };
    Some(round2(m))
}

// Howard Hinnant's civil calendar algorithms (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339_utc() {
        assert_eq!(rfc3339(Timestamp::from_micros(0)), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(Timestamp::from_micros(1_700_000_000_000_000)),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            rfc3339(Timestamp::from_micros(1_700_000_000_000_001)),
            "2023-11-14T22:13:20.000001Z"
        );
        assert_eq!(
            rfc3339(Timestamp::from_micros(-1)),
            "1969-12-31T23:59:59.999999Z"
        );
        assert_eq!(rfc3339(from_ymd(2024, 2, 29)), "2024-02-29T00:00:00Z");
        // never a year of more or fewer than four digits
        assert_eq!(rfc3339(from_ymd(-1, 1, 1)), "0000-01-01T00:00:00Z");
        assert_eq!(rfc3339(from_ymd(0, 1, 1)), "0000-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(Timestamp::from_micros(i64::MAX)),
            "9999-12-31T23:59:59.999999Z"
        );
        assert_eq!(date(Timestamp::from_micros(i64::MIN)), "0000-01-01");
        assert_eq!(date(from_ymd(2000, 3, 1)), "2000-03-01");
    }

    #[test]
    fn days_and_medians() {
        assert_eq!(
            days_between(from_ymd(2024, 1, 1), from_ymd(2024, 3, 1)),
            60.0
        );
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
        assert_eq!(human_duration(90 * 1_000_000), "1m 30s");
        assert_eq!(
            human_duration(MICROS_PER_DAY * 3 + 3600 * 4 * 1_000_000),
            "3d 4h"
        );
    }
}
