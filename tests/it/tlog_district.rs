//! `delib district report`: three communities (the demo and two generated ledgers), each published,
//! mirrored and read back verified; each row equals that ledger's own transparency report.

use serde_json::Value;

fn run(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_delib"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

fn ok(data: &std::path::Path, args: &[&str]) -> String {
    let out = run(data, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn district_report_over_three_verified_mirrors() {
    let tmp = tempfile::tempdir().unwrap();
    // given the demo and two generated ledgers, each published and mirrored
    let demo = crate::support::Ledger::demo();
    let gen1 = crate::support::Ledger::new();
    gen1.ok(&[
        "org",
        "add",
        "--name",
        "Residents committee",
        "--kind",
        "residents-committee",
    ]);
    gen1.ok(&["person", "add", "--name", "Wang Fang"]);
    for title in ["Bike racks", "Benches"] {
        gen1.ok(&[
            "proposal",
            "submit",
            "--title",
            title,
            "--body",
            "b",
            "--category",
            "environment",
            "--by",
            "PER-1",
            "--at",
            "2024-03-01",
        ]);
    }
    let gen2 = crate::support::Ledger::new();
    let mut mirrors = Vec::new();
    for (i, l) in [&demo, &gen1, &gen2].into_iter().enumerate() {
        let site = tmp.path().join(format!("site{i}"));
        let m = tmp.path().join(format!("mirror{i}"));
        ok(l.dir(), &["publish", "--to", site.to_str().unwrap()]);
        let key = ok(l.dir(), &["audit", "key"])
            .trim()
            .lines()
            .last()
            .unwrap()
            .to_owned();
        ok(
            &m,
            &["mirror", "--from", site.to_str().unwrap(), "--key", &key],
        );
        mirrors.push(m);
    }
    // when the district report is made over the three mirrors
    let mut args = vec![
        "--json",
        "district",
        "report",
        "--from",
        "2000-01-01",
        "--to",
        "2030-12-31",
    ];
    let ms: Vec<String> = mirrors
        .iter()
        .map(|m| m.to_str().unwrap().to_owned())
        .collect();
    for m in &ms {
        args.extend(["--mirror", m.as_str()]);
    }
    let report: Value = serde_json::from_str(&ok(tmp.path(), &args)).unwrap();
    // then each community is named, verified up to its published size, with its own report's numbers
    let rows = report["communities"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["name"], "Chaoyang deliberation ledger");
    assert_eq!(rows[1]["proposals_submitted"], 2);
    for (row, l) in rows.iter().zip([&demo, &gen1, &gen2]) {
        let own = l.json(&[
            "report",
            "transparency",
            "--from",
            "2000-01-01",
            "--to",
            "2030-12-31",
            "--format",
            "json",
        ]);
        assert_eq!(row["proposals_submitted"], own["proposals"]["submitted"]);
        assert_eq!(row["proposals_adopted"], own["proposals"]["adopted"]);
        assert_eq!(row["hearings_held"], own["hearings"]["held"]);
        assert_eq!(row["disputes_filed"], own["disputes"]["filed"]);
        assert!(row["verified_root"].as_str().unwrap().ends_with('='));
        assert!(row["verified_size"].as_u64().unwrap() >= 1);
    }
    assert!(
        rows[0]["proposals_submitted"].as_u64().unwrap() > 0,
        "the demo has proposals"
    );
    let sum: u64 = rows
        .iter()
        .map(|r| r["proposals_submitted"].as_u64().unwrap())
        .sum();
    assert_eq!(report["total"]["proposals_submitted"], sum);
    // and the markdown names every community
    let md = ok(tmp.path(), &args[1..]);
    assert!(
        md.contains("Chaoyang deliberation ledger") && md.contains("| total |"),
        "{md}"
    );

    // and a tampered mirror is refused, named
    let bundle = std::fs::read_dir(mirrors[0].join("tile/entries"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let victim = if bundle.is_dir() {
        std::fs::read_dir(&bundle)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path()
    } else {
        bundle
    };
    let mut bytes = std::fs::read(&victim).unwrap();
    let n = bytes.len() - 1;
    bytes[n] ^= 1;
    std::fs::write(&victim, bytes).unwrap();
    let out = run(tmp.path(), &args);
    assert_eq!(out.status.code(), Some(3));
}
