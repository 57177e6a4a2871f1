//! Every rejected command exits 1 (2 for usage), prints one line `error: ...` and records nothing:
//! the ledger's head size and hash are unchanged.

use super::support::Ledger;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

#[test]
fn rejected_commands_record_nothing() {
    let l = Ledger::new();
    l.create(&[
        "org",
        "add",
        "--name",
        "Shuangjing residents' committee",
        "--kind",
        "residents-committee",
    ]);
    l.create(&["org", "add", "--name", "A developer", "--kind", "developer"]);
    l.create(&["person", "add", "--name", "Representative One"]);
    l.create(&["person", "add", "--name", "Representative Two"]);
    l.json(&[
        "--at",
        "2024-05-01T09:00:00Z",
        "proposal",
        "submit",
        "--title",
        "More parking",
        "--body",
        "b",
        "--category",
        "parking",
        "--by",
        "PER-1",
    ]);
    l.create(&[
        "ballot",
        "open",
        "--question",
        "Q",
        "--option",
        "yes",
        "--option",
        "no",
        "--voter",
        "PER-1",
        "--voter",
        "PER-2",
        "--quorum",
        "1/2",
        "--threshold",
        "majority",
        "--secret",
    ]);
    l.json(&[
        "ballot", "cast", "BAL-1", "--voter", "PER-1", "--choice", "yes",
    ]);
    l.create(&[
        "hearing",
        "schedule",
        "--topic",
        "t",
        "--on",
        "2024-06-01",
        "--venue",
        "hall",
        "--presided-by",
        "ORG-1",
    ]);
    l.create(&[
        "dispute",
        "file",
        "--title",
        "t",
        "--subject",
        "s",
        "--party",
        "ORG-1=a",
        "--party",
        "ORG-2=b",
    ]);

    let long_title = "标".repeat(201);
    let long_body = "x".repeat(10_001);
    let cases: Vec<(&str, u8, Vec<OsString>)> = vec![
        (
            "unknown reference",
            1,
            args(&["proposal", "admit", "PROP-9"]),
        ),
        (
            "unknown person",
            1,
            args(&["proposal", "cosign", "PROP-1", "--by", "PER-42"]),
        ),
        ("not a reference", 1, args(&["history", "nonsense"])),
        (
            "wrong kind of reference",
            1,
            args(&["proposal", "cosign", "PROP-1", "--by", "ORG-1"]),
        ),
        (
            "unknown recorder",
            1,
            args(&[
                "--as", "PER-9", "org", "add", "--name", "x", "--kind", "other",
            ]),
        ),
        (
            "empty title",
            1,
            args(&[
                "proposal",
                "submit",
                "--title",
                "  ",
                "--body",
                "b",
                "--category",
                "other",
                "--by",
                "PER-1",
            ]),
        ),
        (
            "over-long title",
            1,
            args(&[
                "proposal",
                "submit",
                "--title",
                &long_title,
                "--body",
                "b",
                "--category",
                "other",
                "--by",
                "PER-1",
            ]),
        ),
        (
            "over-long body",
            1,
            args(&[
                "proposal",
                "submit",
                "--title",
                "t",
                "--body",
                &long_body,
                "--category",
                "other",
                "--by",
                "PER-1",
            ]),
        ),
        (
            "empty person name",
            1,
            args(&["person", "add", "--name", ""]),
        ),
        (
            "out-of-order --at",
            1,
            args(&[
                "--at",
                "2024-04-30T09:00:00Z",
                "proposal",
                "admit",
                "PROP-1",
            ]),
        ),
        (
            "wrong state: decide before admission",
            1,
            args(&[
                "proposal",
                "decide",
                "PROP-1",
                "--outcome",
                "adopted",
                "--basis",
                "BAL-1",
            ]),
        ),
        (
            "wrong state: progress before adoption",
            1,
            args(&["proposal", "progress", "PROP-1", "--percent", "10"]),
        ),
        (
            "author co-signs",
            1,
            args(&["proposal", "cosign", "PROP-1", "--by", "PER-1"]),
        ),
        (
            "secret vote twice",
            1,
            args(&[
                "ballot", "cast", "BAL-1", "--voter", "PER-1", "--choice", "no",
            ]),
        ),
        (
            "not an option",
            1,
            args(&[
                "ballot", "cast", "BAL-1", "--voter", "PER-2", "--choice", "maybe",
            ]),
        ),
        (
            "a ballot needs two options",
            1,
            args(&[
                "ballot",
                "open",
                "--question",
                "Q",
                "--option",
                "yes",
                "--voter",
                "PER-1",
                "--quorum",
                "1",
                "--threshold",
                "majority",
            ]),
        ),
        (
            "quorum out of range",
            1,
            args(&[
                "ballot",
                "open",
                "--question",
                "Q",
                "--option",
                "a",
                "--option",
                "b",
                "--voter",
                "PER-1",
                "--quorum",
                "3/2",
                "--threshold",
                "majority",
            ]),
        ),
        (
            "statement while scheduled",
            1,
            args(&[
                "hearing",
                "statement",
                "HEAR-1",
                "--by",
                "PER-1",
                "--stance",
                "support",
                "--summary",
                "s",
            ]),
        ),
        (
            "dispute with one party",
            1,
            args(&[
                "dispute",
                "file",
                "--title",
                "t",
                "--subject",
                "s",
                "--party",
                "ORG-1=a",
            ]),
        ),
        (
            "close an unresolved dispute",
            1,
            args(&["dispute", "close", "DISP-1"]),
        ),
        (
            "empty pledge",
            1,
            args(&[
                "pledge", "make", "--for", "PROP-1", "--by", "ORG-1", "--money", "0",
            ]),
        ),
        (
            "pledge for a ballot",
            1,
            args(&[
                "pledge", "make", "--for", "BAL-1", "--by", "ORG-1", "--money", "5",
            ]),
        ),
        (
            "unknown pledge",
            1,
            args(&["pledge", "fulfil", "--for", "PROP-1", "--pledge", "3"]),
        ),
        (
            "correction outside the stream",
            1,
            args(&["correct", "PROP-1", "--event", "1", "--reason", "r"]),
        ),
        (
            "unparsable --at",
            2,
            args(&["--at", "yesterday", "proposal", "admit", "PROP-1"]),
        ),
        (
            "unknown kind",
            2,
            args(&["org", "add", "--name", "x", "--kind", "club"]),
        ),
        (
            "unparsable money",
            2,
            args(&[
                "pledge", "make", "--for", "PROP-1", "--by", "ORG-1", "--money", "1e3",
            ]),
        ),
        (
            "unparsable quorum",
            2,
            args(&[
                "ballot",
                "open",
                "--question",
                "Q",
                "--option",
                "a",
                "--option",
                "b",
                "--voter",
                "PER-1",
                "--quorum",
                "most",
                "--threshold",
                "majority",
            ]),
        ),
        ("missing flag", 2, args(&["proposal", "return", "PROP-1"])),
        (
            "member-of without role",
            2,
            args(&["person", "add", "--name", "x", "--member-of", "ORG-1"]),
        ),
        ("invalid UTF-8", 2, {
            let mut a = args(&[
                "proposal",
                "submit",
                "--body",
                "b",
                "--category",
                "other",
                "--by",
                "PER-1",
                "--title",
            ]);
            a.push(OsString::from_vec(vec![b'a', 0xff, 0xfe]));
            a
        }),
    ];
    let before = l.head();
    for (what, code, argv) in cases {
        let (got, stderr) = l.fail(&argv);
        assert_eq!(got, i32::from(code), "{what}: exit {got}, stderr {stderr}");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{what}: stderr is not one line: {stderr}");
        assert!(lines[0].starts_with("error: "), "{what}: {stderr}");
        if code == 1 {
            assert!(
                lines[0].contains("rule:") || lines[0].contains("unknown reference"),
                "{what}: does not name the rule: {stderr}"
            );
        }
        assert_eq!(l.head(), before, "{what}: the ledger changed");
    }
    // The messages say what is wrong, in references rather than UUIDs.
    let (_, e) = l.fail(&["proposal", "admit", "PROP-9"]);
    assert_eq!(e.trim(), "error: unknown reference PROP-9");
    let (_, e) = l.fail(&[
        "--at",
        "2024-04-30T09:00:00Z",
        "proposal",
        "admit",
        "PROP-1",
    ]);
    assert!(
        e.contains("2024-04-30T09:00:00Z") && e.contains("2024-05-01T09:00:00Z"),
        "{e}"
    );
}

fn args(a: &[&str]) -> Vec<OsString> {
    a.iter().map(OsString::from).collect()
}
