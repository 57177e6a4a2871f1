//! The public site in a real browser: headless Chromium (Debian's `chromium`), driven through
//! chromiumoxide, reads every public page of the demo's ledger in both languages at a phone's width
//! (390 px) and a desktop's (1280 px). No page may be wider than the window, log a console error
//! (a blocked inline style or script, a missing file), or, in Chinese, show an untranslated status
//! or kind code. `web_controls` shows that each of these checks fails on a page broken on purpose.
//!
//! Chromium missing is a failure, never a skip: `scripts/test` (and `.ci/run`) install it.

use super::web_support::{codes, open, probe, problems, set_width, Chrome, Expect, Served};
use crate::support::Ledger;

/// Every public page of the demo's ledger.
pub const PAGES: &[&str] = &[
    "/",
    "/?status=completed",
    "/proposals/PROP-1",
    "/proposals/PROP-2",
    "/proposals/PROP-3",
    "/hearings",
    "/hearings/HEAR-1",
    "/consultations",
    "/consultations/CONS-1",
    "/ballots",
    "/ballots/BAL-1",
    "/disputes",
    "/disputes/DISP-1",
    "/disputes/DISP-1?as_of=2015-06-30",
    "/pledges",
    "/orgs",
    "/orgs/ORG-2",
    "/orgs/ORG-5",
    "/orgs/ORG-43",
    "/reports/transparency",
    "/reports/transparency?from=2014-01-01&to=2016-12-31",
    "/verify",
    "/district",
    "/no/such/page",
    "/hearings/HEAR-99",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_public_page_fits_a_phone_and_a_desktop_in_both_languages() {
    // given the demo's ledger served over HTTP, and a headless Chromium
    let demo = tokio::task::spawn_blocking(Ledger::demo).await.unwrap();
    let srv = Served::start(demo.dir().to_owned()).await;
    let chrome = Chrome::launch().await;
    let (page, errors) = chrome.tab().await;
    let codes = codes();
    let mut found = Vec::new();
    let mut seen = 0;
    // when every page is read in both languages at both widths
    for width in [390i64, 1280] {
        set_width(&page, width, 1.0).await;
        for lang in ["zh", "en"] {
            for path in PAGES {
                let sep = if path.contains('?') { '&' } else { '?' };
                let url = format!("{}{path}{sep}lang={lang}", srv.url);
                errors.lock().unwrap().clear();
                open(&page, &url).await;
                let probe = probe(&page).await;
                seen += 1;
                // then it fits the window, is in the language asked for, with its stylesheet,
                // labels and captions, logs no error (a 404 page logs its own status, nothing
                // else), and in Chinese shows no code as it is recorded
                let want = Expect {
                    lang,
                    not_found: path.contains("no/such") || path.contains("HEAR-99"),
                    codes: &codes,
                };
                let errors = errors.lock().unwrap().clone();
                found.extend(problems(
                    &format!("{path} ({lang}, {width}px)"),
                    &probe,
                    &errors,
                    &want,
                ));
            }
        }
    }
    chrome.close().await;
    srv.stop().await;
    assert_eq!(seen, PAGES.len() * 4);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commitment_reads_the_same_on_its_consultation_and_its_organisation() {
    // given the demo, where ORG-5's commitment in CONS-1 was due on 31 Mar 2015 and is unfulfilled
    let demo = tokio::task::spawn_blocking(Ledger::demo).await.unwrap();
    let srv = Served::start(demo.dir().to_owned()).await;
    let get = |path: &str| reqwest::get(format!("{}{path}", srv.url));
    // when its consultation's page and its organisation's page are read
    let cons = get("/consultations/CONS-1?lang=zh")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let org = get("/orgs/ORG-5?lang=zh")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // then both say it is overdue
    for (what, page) in [("CONS-1", &cons), ("ORG-5", &org)] {
        assert!(
            page.contains("status-overdue") && page.contains("已逾期"),
            "{what} does not say overdue"
        );
        assert!(!page.contains("未到期"), "{what} says not yet due");
    }
    srv.stop().await;
}
