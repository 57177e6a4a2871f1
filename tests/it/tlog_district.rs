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

/// The demo and two generated ledgers, each published and mirrored: (ledgers, mirrors).
fn three_mirrors(tmp: &std::path::Path) -> (Vec<crate::support::Ledger>, Vec<std::path::PathBuf>) {
    let demo = crate::support::Ledger::demo();
    let gen1 = crate::support::Ledger::new();
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
        let site = tmp.join(format!("site{i}"));
        let m = tmp.join(format!("mirror{i}"));
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
    (vec![demo, gen1, gen2], mirrors)
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn first_file(dir: &std::path::Path) -> std::path::PathBuf {
    let mut at = dir.to_path_buf();
    while at.is_dir() {
        at = std::fs::read_dir(&at)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
    }
    at
}

pub(crate) struct Serving {
    child: std::process::Child,
    pub(crate) url: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn serve(data: &std::path::Path, extra: &[&str]) -> Serving {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_delib"))
        .arg("--data")
        .arg(data)
        .args([
            "--json",
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--scrub-every",
            "0",
        ])
        .args(extra)
        .env("TZ", "UTC")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut text = String::new();
    let info: Value = loop {
        let mut line = String::new();
        let n = std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
        assert!(n > 0, "serve ended before printing its url: {text}");
        text.push_str(&line);
        if let Ok(v) = serde_json::from_str(&text) {
            break v;
        }
    };
    Serving {
        child,
        url: info["url"].as_str().unwrap().to_owned(),
    }
}

pub(crate) fn get(url: &str) -> (u16, String) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let resp = reqwest::get(url).await.unwrap();
            (resp.status().as_u16(), resp.text().await.unwrap())
        })
}

/// The table row (`<tr>...</tr>`) of the page that contains `needle`.
fn row_with<'a>(page: &'a str, needle: &str) -> &'a str {
    page.split("<tr>")
        .find(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle}"))
}

#[test]
fn serve_district_shows_each_community_verified_up_to_its_checkpoint_in_both_languages() {
    let tmp = tempfile::tempdir().unwrap();
    // given three verified mirrors (the demo and two generated ledgers) and a fourth, tampered one
    let (ledgers, mut mirrors) = three_mirrors(tmp.path());
    let tampered = tmp.path().join("mirror-tampered");
    copy_dir(&mirrors[0], &tampered);
    let victim = first_file(&tampered.join("tile/entries"));
    let mut bytes = std::fs::read(&victim).unwrap();
    let n = bytes.len() - 1;
    bytes[n] ^= 1;
    std::fs::write(&victim, bytes).unwrap();
    mirrors.push(tampered);
    // what the CLI's district report says of the three good ones
    let mut args = vec![
        "--json",
        "district",
        "report",
        "--from",
        "1970-01-01",
        "--to",
        "2030-12-31",
    ];
    let ms: Vec<String> = mirrors[..3]
        .iter()
        .map(|m| m.to_str().unwrap().to_owned())
        .collect();
    for m in &ms {
        args.extend(["--mirror", m.as_str()]);
    }
    let report: Value = serde_json::from_str(&ok(tmp.path(), &args)).unwrap();
    let rows = report["communities"].as_array().unwrap().clone();

    // when the demo ledger is served with --district over the four mirrors
    let mut extra = Vec::new();
    for m in &mirrors {
        extra.push("--district".to_owned());
        extra.push(m.to_str().unwrap().to_owned());
    }
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let server = serve(ledgers[0].dir(), &extra);
    let (status, zh) = get(&format!("{}/district?to=2030-12-31", server.url));
    let (status_en, en) = get(&format!("{}/district?to=2030-12-31&lang=en", server.url));

    // then the page, Chinese by default, names each community with its numbers and the checkpoint
    // (size, root, time of the last record) it was verified up to
    assert_eq!((status, status_en), (200, 200));
    assert!(
        zh.contains("<html lang=\"zh-Hans\"") && zh.contains("辖区各社区"),
        "{zh}"
    );
    assert!(zh.contains("href=\"/district?lang=zh\"") && zh.contains("辖区总览"));
    assert!(en.contains("The district's communities") && en.contains("href=\"/district?lang=en\""));
    for page in [&zh, &en] {
        for row in &rows {
            let root = row["verified_root"].as_str().unwrap();
            let tr = row_with(page, root);
            assert!(tr.contains(row["name"].as_str().unwrap()), "{tr}");
            assert!(
                tr.contains(&format!("<dd>{}</dd>", row["verified_size"])),
                "{tr}"
            );
            assert!(
                tr.contains(&format!(
                    "<time datetime=\"{}\"",
                    row["verified_at"].as_str().unwrap()
                )),
                "{tr}"
            );
            for (label, field) in [
                ("Proposals", "proposals_submitted"),
                ("Hearings", "hearings_held"),
                ("Disputes", "disputes_filed"),
            ] {
                if page == &en {
                    assert!(
                        tr.contains(&format!(
                            "data-label=\"{label}\"><span class=\"cell\">{}</span>",
                            row[field]
                        )),
                        "{label}: {tr}"
                    );
                }
            }
        }
    }
    assert!(row_with(&en, "Chaoyang")
        .contains("data-label=\"Proposals\"><span class=\"cell\">2</span>"));
    // and the tampered mirror is shown as failed, with the reason, without the server's paths
    let failed = row_with(&en, "Verification failed");
    assert!(
        failed.contains("Why: verification failed: entry"),
        "{failed}"
    );
    assert!(row_with(&zh, "核验未通过").contains("原因："));
    assert!(
        !en.contains(tmp.path().to_str().unwrap()),
        "no server path on a public page"
    );
    // and the total sums the verified communities only
    let total = row_with(&en, "Total of the verified communities");
    assert!(
        total.contains(&format!(
            "data-label=\"Proposals\"><span class=\"cell\">{}</span>",
            report["total"]["proposals_submitted"]
        )),
        "{total}"
    );
    drop(server);

    // and a server without --district has no such page and no link to it
    let plain = serve(ledgers[1].dir(), &[]);
    let (status, _) = get(&format!("{}/district", plain.url));
    assert_eq!(status, 404);
    let (_, home) = get(&format!("{}/?lang=en", plain.url));
    assert!(!home.contains("/district"), "no link without --district");
}
