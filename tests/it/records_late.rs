//! Late entries through the CLI: a pledge from paper minutes entered after a later act, shown as a
//! late entry in history; a late act that would invalidate a later one is refused naming it, and
//! records nothing.

use super::support::Ledger;
use serde_json::Value;

fn proposal_cosigned_on_1_april() -> Ledger {
    let l = Ledger::new();
    l.create(&[
        "org",
        "add",
        "--name",
        "十北社区党委",
        "--kind",
        "party-committee",
    ]);
    l.create(&[
        "org",
        "add",
        "--name",
        "产权单位甲",
        "--kind",
        "property-rights-unit",
    ]);
    l.create(&["person", "add", "--name", "刘洋"]);
    l.create(&["person", "add", "--name", "陈杰"]);
    l.json(&[
        "--at",
        "2024-03-01T09:00:00Z",
        "proposal",
        "submit",
        "--title",
        "十北社区路灯",
        "--body",
        "没有路灯、没有围墙、没有硬化路",
        "--category",
        "infrastructure",
        "--by",
        "PER-1",
    ]);
    l.json(&[
        "--at",
        "2024-03-02T09:00:00Z",
        "proposal",
        "admit",
        "PROP-1",
    ]);
    l.json(&[
        "--at",
        "2024-04-01T09:00:00Z",
        "proposal",
        "cosign",
        "PROP-1",
        "--by",
        "PER-2",
    ]);
    l
}

#[test]
fn a_pledge_of_5_march_entered_after_the_act_of_1_april_is_recorded_as_a_late_entry() {
    // given a proposal whose latest act is of 1 April
    let l = proposal_cosigned_on_1_april();
    // when a pledge made on 5 March is entered
    let p = l.json(&[
        "--at",
        "2024-03-05T10:00:00Z",
        "pledge",
        "make",
        "--for",
        "PROP-1",
        "--by",
        "ORG-2",
        "--money",
        "240000",
    ]);
    // then it is recorded, as pledge 1
    assert_eq!(p["pledge"], 1);
    let show = l.json(&["proposal", "show", "PROP-1"]);
    assert_eq!(show["pledges"].as_array().map(Vec::len), Some(1));
    // and history keeps the recording order and says it is a late entry
    let h = l.json(&["history", "PROP-1"]);
    let items = h.as_array().unwrap();
    let last = items.last().unwrap();
    assert_eq!(last["kind"], "pledge.made");
    let note = last["late_entry"].as_str().expect("marked as a late entry");
    assert!(note.contains("about an act of 2024-03-05"), "{note}");
    assert!(items
        .iter()
        .filter(|e| e["kind"] != "pledge.made")
        .all(|e| e["late_entry"] == Value::Null));
    // and the human history says so too
    assert!(l
        .ok(&["history", "PROP-1"])
        .contains("late entry: recorded on"));
}

#[test]
fn a_late_act_that_would_invalidate_a_later_one_is_refused_naming_it() {
    // given a proposal co-signed on 1 April
    let l = proposal_cosigned_on_1_april();
    let before = l.head();
    // when a withdrawal dated 10 March is entered
    let (code, err) = l.fail(&[
        "--at",
        "2024-03-10T09:00:00Z",
        "proposal",
        "withdraw",
        "PROP-1",
        "--reason",
        "作者撤回",
    ]);
    // then it is refused, naming the co-signature it contradicts, and nothing is recorded
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("late entry") && err.contains("proposal.cosigned"),
        "{err}"
    );
    assert_eq!(l.head(), before);
    // and the same withdrawal dated after the co-signature is accepted
    l.json(&[
        "--at",
        "2024-04-02T09:00:00Z",
        "proposal",
        "withdraw",
        "PROP-1",
        "--reason",
        "作者撤回",
    ]);
}

#[test]
fn a_late_entry_takes_its_place_by_time_in_the_views() {
    // given a proposal with a pledge of 10 April recorded first
    let l = proposal_cosigned_on_1_april();
    let pledge = |at: &str, yuan: &str| {
        l.json(&[
            "--at", at, "pledge", "make", "--for", "PROP-1", "--by", "ORG-2", "--money", yuan,
        ])
    };
    pledge("2024-04-10T10:00:00Z", "1000");
    // when a pledge made on 5 March is entered afterwards
    pledge("2024-03-05T10:00:00Z", "240000");
    // then the proposal's view lists it first, by the time it was made
    let show = l.json(&["proposal", "show", "PROP-1"]);
    let amounts: Vec<_> = show["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["amount"].clone())
        .collect();
    assert_eq!(
        amounts,
        vec![Value::from(240000), Value::from(1000)],
        "{show}"
    );
    // and history keeps the recording order
    let h = l.json(&["history", "PROP-1"]);
    let last = h.as_array().unwrap().last().unwrap();
    assert!(last["late_entry"].is_string(), "{last}");
}
