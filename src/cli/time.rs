//! Parsing `--at`, `--on`, `--due`, `--as-of` values: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (local
//! time) or RFC 3339.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone};
use delib_events::Timestamp;

/// Parses a moment.
///
/// # Errors
/// A one-line message naming the accepted forms.
pub fn parse_when(input: &str) -> Result<Timestamp, String> {
    let s = input.trim();
    let bad = || {
        format!(
            "`{}` is not a time: use YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (local) or RFC 3339",
            s.chars().take(60).collect::<String>()
        )
    };
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Ok(Timestamp::from_micros(d.timestamp_micros()));
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })
    .ok_or_else(bad)?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|d| Timestamp::from_micros(d.timestamp_micros()))
        .ok_or_else(bad)
}

/// Parses the end of a period: a bare date means the last second of that day, so `--to 2024-12-31`
/// includes the 31st.
///
/// # Errors
/// As [`parse_when`].
pub fn parse_period_end(input: &str) -> Result<Timestamp, String> {
    let start = parse_when(input)?;
    if NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").is_ok() {
        let next = parse_when(&format!("{}T23:59:59", input.trim()))?;
        return Ok(next.max(start));
    }
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        assert_eq!(
            parse_when("2024-05-01T08:00:00Z").unwrap(),
            Timestamp::from_micros(1_714_550_400_000_000)
        );
        assert_eq!(
            parse_when("2024-05-01T10:00:00+02:00").unwrap(),
            Timestamp::from_micros(1_714_550_400_000_000)
        );
        let day = parse_when("2024-05-01").unwrap();
        let minute = parse_when("2024-05-01T00:00").unwrap();
        let second = parse_when("2024-05-01T00:00:00").unwrap();
        assert_eq!(day, minute);
        assert_eq!(minute, second);
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-05-01T25:00",
            "1714550400",
        ] {
            assert!(parse_when(bad).is_err(), "{bad}");
        }
    }
}
