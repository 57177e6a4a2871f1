//! Dates, money and durations as people write them: 2015年3月2日 / 2 Mar 2015, 240,000 元,
//! 149 天 / 149 days. Times come from the views as RFC 3339 text in UTC and are shown as recorded.

use super::{Arg, Lang, Tr};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Year, month, day of an RFC 3339 (or `YYYY-MM-DD`) text.
fn ymd(text: &str) -> Option<(i64, u32, u32)> {
    let date = text.get(..10)?;
    let mut it = date.split('-');
    let y = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// `HH:MM` of an RFC 3339 text.
fn hm(text: &str) -> Option<&str> {
    let t = text.get(11..16)?;
    (t.as_bytes().get(2) == Some(&b':')).then_some(t)
}

/// A date: `2015年3月2日` or `2 Mar 2015`; text that is not a date is shown as given.
pub fn date(lang: Lang, text: &str) -> String {
    match ymd(text) {
        None => text.to_owned(),
        Some((y, m, d)) => match lang {
            Lang::Zh => format!("{y}年{m}月{d}日"),
            Lang::En => format!("{d} {} {y}", MONTHS[(m - 1) as usize]),
        },
    }
}

/// A date and time: `2015年3月2日 09:00` or `2 Mar 2015, 09:00`.
pub fn date_time(lang: Lang, text: &str) -> String {
    let d = date(lang, text);
    match hm(text) {
        None => d,
        Some(t) => match lang {
            Lang::Zh => format!("{d} {t}"),
            Lang::En => format!("{d}, {t}"),
        },
    }
}

/// The `YYYY-MM-DD` of an RFC 3339 text (for `<input type=date>` and `<time datetime>`).
pub fn iso_date(text: &str) -> String {
    text.chars().take(10).collect()
}

/// An integer with thousands separators: `240,000`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount of yuan: `240,000 元` / `240,000 yuan` (`12.50 元` with fen).
pub fn money(tr: Tr, yuan: f64) -> String {
    let yuan = if yuan.is_finite() { yuan.max(0.0) } else { 0.0 };
    let fen = (yuan * 100.0).round() as u64;
    let text = if fen.is_multiple_of(100) {
        grouped(fen / 100)
    } else {
        format!("{}.{:02}", grouped(fen / 100), fen % 100)
    };
    tr.with("money-yuan", &[("amount", Arg::Str(&text))])
}

/// A whole number of days: `149 天` / `149 days` (rounded to the nearest day).
pub fn days(tr: Tr, days: f64) -> String {
    let n = if days.is_finite() && days > 0.0 {
        days.round() as u64
    } else {
        0
    };
    tr.with(
        "duration-days",
        &[("n", Arg::Num(n as f64)), ("shown", Arg::Str(&grouped(n)))],
    )
}

/// A share as a whole percentage: `75%`.
pub fn percent(share: f64) -> String {
    if share.is_finite() {
        format!("{}%", (share * 100.0).round() as i64)
    } else {
        "—".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_people_write_them() {
        assert_eq!(date(Lang::Zh, "2015-03-02T09:00:00Z"), "2015年3月2日");
        assert_eq!(date(Lang::En, "2015-03-02T09:00:00.123456Z"), "2 Mar 2015");
        assert_eq!(
            date_time(Lang::Zh, "2015-03-02T09:05:00Z"),
            "2015年3月2日 09:05"
        );
        assert_eq!(
            date_time(Lang::En, "2015-12-31T23:59:00Z"),
            "31 Dec 2015, 23:59"
        );
        assert_eq!(date(Lang::En, "soon"), "soon");
    }

    #[test]
    fn money_and_days() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(240_000), "240,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(money(Tr::new(Lang::Zh), 240_000.0), "240,000 元");
        assert_eq!(money(Tr::new(Lang::Zh), 1_234.5), "1,234.50 元");
        assert_eq!(money(Tr::new(Lang::En), 240_000.0), "240,000 yuan");
        assert_eq!(days(Tr::new(Lang::Zh), 149.21), "149 天");
        assert_eq!(days(Tr::new(Lang::En), 149.6), "150 days");
        assert_eq!(days(Tr::new(Lang::En), 1.0), "1 day");
        assert_eq!(percent(0.755), "76%");
    }
}
