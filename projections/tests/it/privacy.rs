//! Secret ballots: no format ever shows who chose what.

use super::builder::sid;
use super::scenario::{self, BAL1};
use delib_projections::csv::ballots_csv;
use delib_projections::report::{render, transparency_report, Format, Lang, LedgerInfo};
use delib_projections::{Projection, Views};

/// The voters on BAL-1's roll.
const VOTERS: [&str; 5] = ["PER-2", "PER-3", "PER-4", "PER-5", "PER-6"];

/// The text between a heading and the next heading of the same level.
fn section<'a>(doc: &'a str, start: &str, next: &str) -> &'a str {
    let from = doc.find(start).expect(start);
    let rest = &doc[from..];
    let to = rest[start.len()..]
        .find(next)
        .map_or(rest.len(), |i| i + start.len());
    &rest[..to]
}

#[test]
fn ballot_show_and_csv_never_name_a_secret_voter() {
    let (l, _) = scenario::build();
    let v = Views::fold(&l.events);
    let show = serde_json::to_string(&v.ballots.show(sid(BAL1), &v.directory).unwrap()).unwrap();
    for voter in VOTERS {
        assert!(!show.contains(voter), "{voter} in {show}");
    }
    assert!(!show.contains("votes"));
    let csv = ballots_csv(&v.ballots.list(&v.directory));
    assert!(!csv.contains("PER-"), "{csv}");
    // The projection's persisted state holds no voter for a secret ballot either.
    let state = serde_json::to_string(v.ballots.get(sid(BAL1)).unwrap()).unwrap();
    assert!(state.contains("\"votes\":[]"), "{state}");
    assert!(!state.contains(&format!("{}", scenario::per(2))));
}

#[test]
fn the_report_never_names_a_secret_voter_in_any_format() {
    let (l, _) = scenario::build();
    let r = transparency_report(
        &l.events,
        super::builder::at(2023, 1, 1, 0),
        super::builder::at(2023, 12, 31, 0),
        LedgerInfo {
            size: l.events.len() as u64,
            root_hex: "00".into(),
            checkpoint: None,
        },
        String::new(),
    );
    let j = serde_json::to_value(&r).unwrap();
    let secret = j["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["ref"] == "BAL-1")
        .unwrap();
    assert_eq!(secret["secret"], true);
    assert!(secret.get("votes").is_none());
    let secret = secret.to_string();
    for voter in VOTERS {
        assert!(!secret.contains(voter), "{voter} in {secret}");
    }
    for lang in [Lang::En, Lang::Zh] {
        let md = render(&r, Format::Markdown, lang);
        let l = lang.labels();
        let ballots = section(&md, &format!("## {}", l.ballots), "\n## ");
        assert!(ballots.contains("BAL-1"));
        assert!(!ballots.contains("PER-"), "{ballots}");
        let html = render(&r, Format::Html, lang);
        let ballots = section(&html, &format!("<h2>{}</h2>", l.ballots), "<h2>");
        assert!(ballots.contains("BAL-1"));
        assert!(!ballots.contains("PER-"), "{ballots}");
    }
}
