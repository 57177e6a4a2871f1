//! Pledges of member units (或掏錢，或獻智，或出力: money, expertise or labour) towards a proposal, a
//! consultation or a dispute. A pledge is recorded in the stream of its target and numbered per target
//! from 1; it is later fulfilled, or not.

use crate::entity::OrgId;
use crate::names::brief;
use serde::{Deserialize, Serialize};

/// What is pledged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PledgeKind {
    /// Money, in fen (1/100 yuan), more than zero (`--money YUAN`).
    Money {
        /// Amount in fen.
        fen: u64,
    },
    /// Days of labour, more than zero (`--labour-days N`).
    Labour {
        /// Number of person-days.
        days: u64,
    },
    /// Expertise, described (`--expertise TEXT`).
    Expertise {
        /// What expertise.
        text: String,
    },
}

impl PledgeKind {
    /// The CLI/JSON name of the kind: `money`, `labour` or `expertise`.
    pub fn as_str(&self) -> &'static str {
        match self {
            PledgeKind::Money { .. } => "money",
            PledgeKind::Labour { .. } => "labour",
            PledgeKind::Expertise { .. } => "expertise",
        }
    }
}

impl std::fmt::Display for PledgeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PledgeKind::Money { fen } => write!(f, "{}.{:02} yuan", fen / 100, fen % 100),
            PledgeKind::Labour { days } => write!(f, "{days} labour day(s)"),
            PledgeKind::Expertise { text } => write!(f, "expertise: {}", brief(text)),
        }
    }
}

/// Parses an amount of yuan (`240000`, `12.5`, `12.50`) into fen, exactly; `None` when malformed, with
/// more than two decimals, or too large.
pub fn parse_yuan(s: &str) -> Option<u64> {
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 {
        return None;
    }
    if s.contains('.') && frac.is_empty() {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let frac: u64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(frac)
}

/// Events of pledges, stored in the target's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PledgeEvent {
    /// An organisation pledged something.
    PledgeMade {
        /// The pledge's number within its target, from 1.
        pledge: u64,
        /// The pledging organisation.
        by: OrgId,
        /// What it pledged.
        kind: PledgeKind,
    },
    /// A pledge was fulfilled.
    PledgeFulfilled {
        /// The pledge's number within its target.
        pledge: u64,
        /// A note.
        note: Option<String>,
    },
}

impl PledgeEvent {
    /// A stable dotted name, e.g. `pledge.made`.
    pub fn kind(&self) -> &'static str {
        match self {
            PledgeEvent::PledgeMade { .. } => "pledge.made",
            PledgeEvent::PledgeFulfilled { .. } => "pledge.fulfilled",
        }
    }

    /// A one-line English summary.
    pub fn summary(&self) -> String {
        match self {
            PledgeEvent::PledgeMade { pledge, by, kind } => {
                format!("pledge {pledge} by organisation {by}: {kind}")
            }
            PledgeEvent::PledgeFulfilled { pledge, .. } => format!("pledge {pledge} fulfilled"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_parses_exactly_into_fen() {
        assert_eq!(parse_yuan("240000"), Some(24_000_000));
        assert_eq!(parse_yuan("12.5"), Some(1250));
        assert_eq!(parse_yuan("12.05"), Some(1205));
        assert_eq!(parse_yuan("0"), Some(0));
        for bad in [
            "",
            ".5",
            "1.",
            "1.234",
            "-1",
            "1e3",
            "１",
            "99999999999999999999",
        ] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }
}
