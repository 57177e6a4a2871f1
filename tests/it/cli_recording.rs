//! The article's cases recorded through the CLI end to end: Shibei's street lights, walls and roads
//! paid for by member units' pledges (240,000 yuan), and the compound's property dispute.

use super::support::{kinds, Ledger};
use serde_json::json;

#[test]
fn shibei_street_lights_walls_and_roads_with_pledges_of_240000_yuan() {
    let l = Ledger::new();
    let sub = l.create(&[
        "org",
        "add",
        "--name",
        "Liulitun subdistrict working committee",
        "--kind",
        "subdistrict",
    ]);
    let committee = l.create(&[
        "org",
        "add",
        "--name",
        "Shibei community party committee (十北社區黨委)",
        "--kind",
        "party-committee",
        "--parent",
        &sub,
    ]);
    let coord = l.create(&[
        "org",
        "add",
        "--name",
        "Shibei coordination committee",
        "--kind",
        "coordination-committee",
        "--parent",
        &committee,
    ]);
    let units: Vec<String> = [
        "Central-government unit A",
        "Private firm B",
        "University C",
    ]
    .iter()
    .map(|n| {
        l.create(&[
            "org",
            "add",
            "--name",
            n,
            "--kind",
            "member-unit",
            "--parent",
            &coord,
        ])
    })
    .collect();
    assert_eq!(
        (sub.as_str(), committee.as_str(), units[2].as_str()),
        ("ORG-1", "ORG-2", "ORG-6")
    );

    let clerk = l.create(&[
        "person",
        "add",
        "--name",
        "Zhang Min",
        "--member-of",
        &committee,
        "--role",
        "clerk",
    ]);
    let rep = l.create(&[
        "person",
        "add",
        "--name",
        "Liu Yang",
        "--member-of",
        &committee,
        "--role",
        "representative",
    ]);
    let rep2 = l.create(&[
        "person",
        "add",
        "--name",
        "Chen Jie",
        "--member-of",
        &committee,
        "--role",
        "representative",
    ]);
    assert_eq!((clerk.as_str(), rep2.as_str()), ("PER-1", "PER-3"));

    let r = |at: &str, args: &[&str]| {
        let mut all = vec!["--as", clerk.as_str(), "--at", at];
        all.extend_from_slice(args);
        l.json(&all)
    };
    let prop = r(
        "2024-03-01T09:00:00Z",
        &[
            "proposal",
            "submit",
            "--title",
            "Street lights, a boundary wall and paved roads for Shibei",
            "--body",
            "Shibei is a three-nos community: no street lights, no boundary wall, no paved road.",
            "--category",
            "infrastructure",
            "--by",
            &rep,
            "--community",
            &committee,
        ],
    );
    assert_eq!(prop["ref"], "PROP-1");
    assert!(prop["position"].as_u64().unwrap() > 1);
    r(
        "2024-03-02T09:00:00Z",
        &["proposal", "cosign", "PROP-1", "--by", &rep2],
    );
    r("2024-03-03T09:00:00Z", &["proposal", "admit", "PROP-1"]);

    let hear = r(
        "2024-03-04T09:00:00Z",
        &[
            "hearing",
            "schedule",
            "--topic",
            "Lights, wall and roads",
            "--on",
            "2024-03-15T14:00:00Z",
            "--venue",
            "Shibei community hall",
            "--presided-by",
            &committee,
            "--proposal",
            "PROP-1",
        ],
    );
    assert_eq!(hear["ref"], "HEAR-1");
    r(
        "2024-03-05T09:00:00Z",
        &[
            "hearing",
            "register",
            "HEAR-1",
            "--person",
            &rep,
            "--role",
            "representative",
        ],
    );
    r(
        "2024-03-05T09:10:00Z",
        &[
            "hearing", "register", "HEAR-1", "--person", &rep2, "--role", "resident",
        ],
    );
    r("2024-03-15T14:00:00Z", &["hearing", "open", "HEAR-1"]);
    r(
        "2024-03-15T14:10:00Z",
        &[
            "hearing",
            "statement",
            "HEAR-1",
            "--by",
            &rep,
            "--stance",
            "support",
            "--summary",
            "Residents walk home in the dark.",
        ],
    );
    r(
        "2024-03-15T14:20:00Z",
        &[
            "hearing",
            "statement",
            "HEAR-1",
            "--by",
            &rep2,
            "--stance",
            "neutral",
            "--summary",
            "Who pays?",
        ],
    );
    r(
        "2024-03-15T16:00:00Z",
        &[
            "hearing",
            "close",
            "HEAR-1",
            "--findings",
            "Broad support; member units to be asked to contribute.",
        ],
    );
    let hearing = l.json(&["hearing", "show", "HEAR-1"]);
    assert_eq!(hearing["status"], "closed");
    assert_eq!(hearing["participants"].as_array().unwrap().len(), 2);
    let statement = &hearing["statements"][0];
    assert_eq!(
        (
            &statement["by"],
            &statement["stance"],
            &statement["summary"]
        ),
        (
            &json!(rep),
            &json!("support"),
            &json!("Residents walk home in the dark.")
        )
    );
    assert!(hearing["findings"]
        .as_str()
        .unwrap()
        .starts_with("Broad support"));

    r(
        "2024-03-20T09:00:00Z",
        &[
            "proposal",
            "decide",
            "PROP-1",
            "--outcome",
            "adopted",
            "--basis",
            "HEAR-1",
        ],
    );
    for (i, (unit, yuan)) in units.iter().zip(["100000", "90000", "50000"]).enumerate() {
        let p = r(
            "2024-03-21T09:00:00Z",
            &[
                "pledge", "make", "--for", "PROP-1", "--by", unit, "--money", yuan,
            ],
        );
        assert_eq!(p["pledge"], json!(i + 1));
        assert_eq!(p["ref"], "PROP-1");
    }
    r(
        "2024-03-22T09:00:00Z",
        &[
            "proposal",
            "assign",
            "PROP-1",
            "--to",
            &committee,
            "--due",
            "2024-12-31",
        ],
    );
    r(
        "2024-06-01T09:00:00Z",
        &[
            "proposal",
            "progress",
            "PROP-1",
            "--percent",
            "50",
            "--note",
            "walls up",
        ],
    );
    for n in ["1", "2", "3"] {
        r(
            "2024-07-01T09:00:00Z",
            &["pledge", "fulfil", "--for", "PROP-1", "--pledge", n],
        );
    }
    r(
        "2024-09-01T09:00:00Z",
        &["proposal", "progress", "PROP-1", "--percent", "100"],
    );
    r(
        "2024-09-02T09:00:00Z",
        &[
            "proposal",
            "complete",
            "PROP-1",
            "--summary",
            "Walls went up, lights were installed, roads were paved.",
        ],
    );

    let show = l.json(&["proposal", "show", "PROP-1"]);
    assert_eq!(show["ref"], "PROP-1");
    assert_eq!(show["status"], "completed");
    assert_eq!(show["category"], "infrastructure");
    assert_eq!(
        show["title"],
        "Street lights, a boundary wall and paved roads for Shibei"
    );
    assert_eq!(show["cosigners"], json!([rep2]));
    assert_eq!(show["decision"]["outcome"], "adopted");
    assert_eq!(show["decision"]["basis"], "HEAR-1");
    assert_eq!(show["progress"], 100);
    let pledges = show["pledges"].as_array().unwrap();
    assert_eq!(pledges.len(), 3);
    let total: u64 = pledges.iter().map(|p| p["amount"].as_u64().unwrap()).sum();
    assert_eq!(total, 240_000);
    assert!(pledges
        .iter()
        .all(|p| p["kind"] == "money" && p["fulfilled"] == true));
    assert_eq!(pledges[0]["by"], json!(units[0]));

    let history = l.json(&["history", "PROP-1"]);
    assert_eq!(
        kinds(&history),
        [
            "proposal.submitted",
            "proposal.cosigned",
            "proposal.admitted",
            "proposal.decided",
            "pledge.made",
            "pledge.made",
            "pledge.made",
            "proposal.assigned",
            "proposal.progress-reported",
            "pledge.fulfilled",
            "pledge.fulfilled",
            "pledge.fulfilled",
            "proposal.progress-reported",
            "proposal.completed",
        ]
    );
    let first = &history[0];
    assert_eq!(first["occurred_at"], "2024-03-01T09:00:00Z");
    assert_eq!(first["recorded_by"], json!(clerk));
    assert!(first["recorded_at"].as_str().unwrap().ends_with('Z'));
    assert!(
        first["summary"].as_str().unwrap().contains(&rep),
        "{}",
        first["summary"]
    );
    let positions: Vec<u64> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["position"].as_u64().unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));

    // The joint co-building meeting of the property-rights units, which meets regularly.
    let cons = r(
        "2024-09-10T09:00:00Z",
        &[
            "consultation",
            "convene",
            "--topic",
            "Community-building plans",
            "--format",
            "joint-meeting",
            "--convened-by",
            &committee,
            "--party",
            &units[0],
            "--party",
            &units[1],
            "--party",
            &units[2],
        ],
    );
    assert_eq!(cons["ref"], "CONS-1");
    r(
        "2024-09-10T09:30:00Z",
        &[
            "consultation",
            "position",
            "CONS-1",
            "--party",
            &units[1],
            "--statement",
            "We can lend engineers.",
        ],
    );
    r(
        "2024-09-10T10:00:00Z",
        &[
            "consultation",
            "agree",
            "CONS-1",
            "--term",
            "meet every quarter",
            "--term",
            "share upkeep of the lights",
        ],
    );
    let c = r(
        "2024-09-10T10:10:00Z",
        &[
            "consultation",
            "commit",
            "CONS-1",
            "--party",
            &units[0],
            "--commitment",
            "maintain the street lights",
            "--due",
            "2025-03-31",
        ],
    );
    assert_eq!(c["commitment"], 1);
    r(
        "2025-03-01T10:00:00Z",
        &["consultation", "fulfil", "CONS-1", "--commitment", "1"],
    );
    let cons = l.json(&["consultation", "show", "CONS-1"]);
    assert_eq!(cons["status"], "agreed");
    assert_eq!(cons["parties"], json!(units));
    assert_eq!(
        cons["terms"],
        json!(["meet every quarter", "share upkeep of the lights"])
    );
    assert_eq!(cons["commitments"][0]["commitment"], 1);
    assert_eq!(cons["commitments"][0]["party"], json!(units[0]));
    assert_eq!(cons["commitments"][0]["fulfilled"], true);
    assert_eq!(cons["commitments"][0]["due"], "2025-03-31T00:00:00Z");

    let list = l.json(&["proposal", "list", "--status", "completed"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(l.json(&["org", "list"]).as_array().unwrap().len(), 6);
    // Human output reads well and resolves names from the directory.
    let human = l.ok(&["proposal", "show", "PROP-1"]);
    assert!(
        human.contains("Liu Yang") && human.contains("status: completed"),
        "{human}"
    );
}

#[test]
fn the_compound_property_dispute_from_failed_mediations_to_a_new_company() {
    let l = Ledger::new();
    let org = |name: &str, kind: &str| l.create(&["org", "add", "--name", name, "--kind", kind]);
    let owners = org("Owners of the compound", "other");
    let developer = org("The developer", "developer");
    let company = org("The property-management company", "property-company");
    let hoc = org("Homeowners' committee (業主委員會)", "homeowners-committee");
    let rc = org("Residents' committee (居委會)", "residents-committee");
    let branch = org(
        "Compound residents' party branch (居民黨支部)",
        "party-branch",
    );
    let owner_rep = l.create(&["person", "add", "--name", "Sun Li"]);
    let dev_rep = l.create(&["person", "add", "--name", "Zhou Qiang"]);

    let at = |t: &str, args: &[&str]| l.json_at(t, args);
    let owners_party = format!("{owners}=owners");
    let dev_party = format!("{developer}=developer");
    let company_party = format!("{company}=developer");
    let d = at(
        "2023-05-01T09:00:00Z",
        &[
            "dispute",
            "file",
            "--title",
            "Owners against the developer over property management",
            "--subject",
            "Owners are dissatisfied with the property management",
            "--party",
            &owners_party,
            "--party",
            &dev_party,
            "--party",
            &company_party,
        ],
    );
    assert_eq!(d["ref"], "DISP-1");
    at(
        "2023-05-10T09:00:00Z",
        &[
            "dispute",
            "mediate",
            "DISP-1",
            "--by",
            &hoc,
            "--outcome",
            "failed",
            "--note",
            "sides did not meet",
        ],
    );
    at(
        "2023-06-10T09:00:00Z",
        &[
            "dispute",
            "mediate",
            "DISP-1",
            "--by",
            &rc,
            "--outcome",
            "failed",
        ],
    );
    at(
        "2023-06-20T09:00:00Z",
        &[
            "dispute",
            "escalate",
            "DISP-1",
            "--to",
            &branch,
            "--reason",
            "the dispute grew",
        ],
    );
    let owner_side = format!("{owner_rep}=owners");
    let dev_side = format!("{dev_rep}=developer");
    at(
        "2023-07-01T09:00:00Z",
        &[
            "dispute",
            "negotiate",
            "DISP-1",
            "--presided-by",
            &branch,
            "--representative",
            &owner_side,
            "--representative",
            &dev_side,
        ],
    );
    at(
        "2023-07-01T12:00:00Z",
        &[
            "dispute",
            "resolve",
            "DISP-1",
            "--resolution",
            "replace the property-management company",
            "--term",
            "tender for a new company",
        ],
    );
    at(
        "2023-09-01T09:00:00Z",
        &[
            "dispute",
            "implement",
            "DISP-1",
            "--note",
            "a new company took over",
        ],
    );
    at("2023-09-02T09:00:00Z", &["dispute", "close", "DISP-1"]);

    let show = l.json(&["dispute", "show", "DISP-1"]);
    assert_eq!(show["ref"], "DISP-1");
    assert_eq!(show["status"], "closed");
    let attempts = show["mediation_attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    assert!(attempts.iter().all(|a| a["outcome"] == "failed"));
    assert_eq!(
        show["resolution"]["resolution"],
        "replace the property-management company"
    );
    let steps = show["steps"].as_array().unwrap();
    let step_kinds: Vec<&str> = steps.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(
        step_kinds,
        [
            "dispute.filed",
            "dispute.mediation-attempted",
            "dispute.mediation-attempted",
            "dispute.escalated",
            "dispute.negotiation-held",
            "dispute.resolved",
            "dispute.resolution-implemented",
            "dispute.closed",
        ]
    );
    assert_eq!(steps[1]["occurred_at"], "2023-05-10T09:00:00Z");
    assert!(
        steps[1]["summary"].as_str().unwrap().contains(&hoc),
        "{}",
        steps[1]["summary"]
    );
    assert!(steps.iter().all(|s| s["position"].as_u64().is_some()));

    let history = l.json(&["history", "DISP-1"]);
    assert_eq!(kinds(&history).len(), 8);
    assert_eq!(history[7]["recorded_by"], serde_json::Value::Null);

    // As it stood before the party branch stepped in.
    let then = l.json(&[
        "dispute",
        "timeline",
        "DISP-1",
        "--as-of",
        "2023-06-30T00:00:00Z",
    ]);
    assert_eq!(then["status"], "escalated");
    assert_eq!(then["steps"].as_array().unwrap().len(), 4);

    // A correction points at one of the dispute's events; the original stays.
    let corrected = steps[2]["position"].as_u64().unwrap().to_string();
    l.json(&[
        "correct",
        "DISP-1",
        "--event",
        &corrected,
        "--reason",
        "the residents' committee met the sides twice",
    ]);
    let history = l.json(&["history", "DISP-1"]);
    assert_eq!(kinds(&history).len(), 9);
    assert_eq!(history[8]["kind"], "correction.recorded");
    assert_eq!(history[2]["kind"], "dispute.mediation-attempted");
}

#[test]
fn an_open_ballot_shows_votes_and_a_secret_one_only_the_tally() {
    let l = Ledger::new();
    let voters: Vec<String> = ["A", "B", "C"]
        .iter()
        .map(|n| l.create(&["person", "add", "--name", n]))
        .collect();
    for secret in [false, true] {
        let mut args = vec![
            "ballot",
            "open",
            "--question",
            "Repave the road?",
            "--option",
            "yes",
            "--option",
            "no",
            "--option",
            "abstain",
        ];
        for v in &voters {
            args.extend(["--voter", v.as_str()]);
        }
        args.extend(["--quorum", "2/3", "--threshold", "majority"]);
        if secret {
            args.push("--secret");
        }
        let b = l.create(&args);
        for (v, c) in voters.iter().zip(["yes", "yes", "no"]) {
            l.json(&["ballot", "cast", &b, "--voter", v, "--choice", c]);
        }
        let open = l.json(&["ballot", "show", &b]);
        assert_eq!(open["status"], "open");
        assert_eq!(open["cast"], 3);
        assert!(open.get("counts").is_none() && open.get("votes").is_none());
        l.json(&["ballot", "close", &b]);
        let closed = l.json(&["ballot", "show", &b]);
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["electorate"], 3);
        assert_eq!(closed["turnout"], 1.0);
        assert_eq!(closed["quorum_met"], true);
        assert_eq!(closed["counts"], json!({"yes": 2, "no": 1, "abstain": 0}));
        assert_eq!(closed["result"], "yes");
        if secret {
            assert!(closed.get("votes").is_none());
            let text = l.ok(&["--json", "history", &b]);
            assert!(
                !text.contains("voted yes") && !text.contains("voted no"),
                "{text}"
            );
        } else {
            assert_eq!(closed["votes"][&voters[2]], "no");
        }
    }
}
