//! Lists and the audit log print one page at a time (`--limit`, `--after`), so output stays
//! proportional to the page; human output names each person and organisation it mentions.

use super::support::Ledger;
use serde_json::Value;

fn refs(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a list")
        .iter()
        .map(|e| e["ref"].as_str().expect("ref").to_owned())
        .collect()
}

fn five_organisations() -> Ledger {
    let l = Ledger::new();
    for n in 1..=5 {
        l.create(&[
            "org",
            "add",
            "--name",
            &format!("Member unit {n}"),
            "--kind",
            "member-unit",
        ]);
    }
    l
}

#[test]
fn a_list_pages_by_reference_number() {
    // given five organisations
    let l = five_organisations();
    // when the list is read two at a time
    let first = l.json(&["org", "list", "--limit", "2"]);
    let second = l.json(&["org", "list", "--limit", "2", "--after", "ORG-2"]);
    let last = l.json(&["org", "list", "--limit", "2", "--after", "4"]);
    let past = l.json(&["org", "list", "--after", "ORG-5"]);
    // then each page holds the next references, and past the end is empty
    assert_eq!(refs(&first), ["ORG-1", "ORG-2"]);
    assert_eq!(refs(&second), ["ORG-3", "ORG-4"]);
    assert_eq!(refs(&last), ["ORG-5"]);
    assert!(refs(&past).is_empty());
    // and the default page holds them all
    assert_eq!(refs(&l.json(&["org", "list"])).len(), 5);
}

#[test]
fn a_bad_page_is_a_usage_error_and_changes_nothing() {
    let l = five_organisations();
    let before = l.head();
    for args in [
        &["org", "list", "--limit", "0"][..],
        &["org", "list", "--limit", "1001"][..],
        &["hearing", "list", "--after", "HEAR-x"][..],
        &["audit", "log", "--limit", "0"][..],
    ] {
        let (code, err) = l.fail(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("--limit") || err.contains("--after"), "{err}");
    }
    assert_eq!(l.head(), before);
}

#[test]
fn the_audit_log_pages_by_position() {
    // given a ledger of a few acts
    let l = five_organisations();
    let (size, _) = l.head();
    // when the log is read three acts at a time after position 2
    let page = l.json(&["audit", "log", "--limit", "3", "--after", "2"]);
    // then it holds positions 3, 4 and 5
    let positions: Vec<u64> = page
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["position"].as_u64().expect("position"))
        .collect();
    assert_eq!(positions, [3, 4, 5]);
    // and the page after the head is empty
    let after = size.to_string();
    let empty = l.json(&["audit", "log", "--after", &after]);
    assert_eq!(empty.as_array().map(Vec::len), Some(0));
}

#[test]
fn human_output_names_every_mention_of_a_person() {
    // given a person who recorded several acts
    let l = Ledger::new();
    let clerk = l.create(&["person", "add", "--name", "Wang Fang"]);
    for n in 1..=3 {
        l.ok(&[
            "--as",
            &clerk,
            "org",
            "add",
            "--name",
            &format!("Unit {n}"),
            "--kind",
            "member-unit",
        ]);
    }
    // when the audit log is printed for people
    let text = l.ok(&["audit", "log", "--actor", &clerk]);
    // then every mention carries the name once
    let mentions = text.matches(&format!("{clerk} (Wang Fang)")).count();
    assert!(mentions >= 3, "{text}");
    assert!(!text.contains("(Wang Fang) (Wang Fang)"), "{text}");
}

#[test]
fn a_list_row_counts_an_entitys_long_lists_that_show_prints_whole() {
    // given the demo's hearings and consultations, with their statements and positions
    let l = Ledger::demo();
    for (kind, lists) in [
        ("hearing", &["statements", "participants"][..]),
        ("consultation", &["positions"][..]),
    ] {
        // when the list is read
        let list = l.json(&[kind, "list"]);
        let rows = list.as_array().expect("a list");
        assert!(!rows.is_empty(), "the demo has {kind}s");
        for row in rows {
            let reference = row["ref"].as_str().expect("ref");
            let shown = l.json(&[kind, "show", reference]);
            // then each long list is a count in the row and whole in `show`, the rest the same
            for field in lists {
                let whole = shown[*field].as_array().expect("show lists it").len();
                assert_eq!(row[*field], whole, "{reference} {field}");
            }
            for (k, v) in shown.as_object().unwrap() {
                if !lists.contains(&k.as_str()) {
                    assert_eq!(&row[k.as_str()], v, "{reference} {k}");
                }
            }
        }
    }
    let human = l.ok(&["hearing", "list"]);
    assert!(human.contains("STATEMENTS"), "{human}");
}
