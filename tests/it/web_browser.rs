//! The public site in a real browser: headless Chromium (Debian's `chromium`), driven through
//! chromiumoxide, reads every public page of the demo's ledger in both languages at a phone's width
//! (390 px) and a desktop's (1280 px). No page may be wider than the window, log a console error
//! (a blocked inline style or script, a missing file), or, in Chinese, show an untranslated status
//! or kind code.
//!
//! Chromium missing is a failure, never a skip: `scripts/test` (and `.ci/run`) install it.
//! `DELIB_SCREENSHOTS=/some/dir` also saves a full-page screenshot of every page there.

use crate::support::Ledger;
use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::log::{EnableParams as LogEnable, EventEntryAdded};
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::cdp::js_protocol::runtime::{EventConsoleApiCalled, EventExceptionThrown};
use chromiumoxide::page::ScreenshotParams;
use chromiumoxide::Page;
use delib::clock::SystemClock;
use delib::server::{self, State};
use futures_util::StreamExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Every public page of the demo's ledger.
const PAGES: &[&str] = &[
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

/// Where Chromium is: `DELIB_CHROMIUM`, else the first of the usual names on PATH. Missing is a
/// loud failure.
fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("DELIB_CHROMIUM") {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "Chromium is needed for the browser tests and was not found on PATH (nor DELIB_CHROMIUM). \
Install Debian's package: `apt-get update && apt-get install -y chromium`, or run `scripts/test`, \
which does it."
    );
}

/// Codes the ledger records that a Chinese page must never show as they are.
fn codes() -> Vec<String> {
    let mut v: Vec<String> = delib_events::samples::every_variant()
        .iter()
        .map(|e| e.kind().to_owned())
        .collect();
    v.extend(
        delib_projections::proposals::ProposalStatus::ALL
            .iter()
            .map(|s| s.as_str().to_owned()),
    );
    v.extend(
        delib_events::proposal::Category::ALL
            .iter()
            .map(|c| c.as_str().to_owned()),
    );
    v.extend(
        delib_events::organisation::OrgKind::ALL
            .iter()
            .map(|c| c.as_str().to_owned()),
    );
    v.extend(
        delib_events::hearing::Stance::ALL
            .iter()
            .map(|c| c.as_str().to_owned()),
    );
    v.extend(
        [
            "scheduled",
            "open",
            "closed",
            "filed",
            "mediating",
            "resolved",
            "agreed",
            "two-thirds",
            "majority",
            "joint-meeting",
            "money",
            "labour",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    v
}

/// What the page shows where codes would be: badges, labels, headers, options, captions, the
/// timeline's and history's kinds, and the whole text (for dotted event kinds).
const PROBE: &str = r#"JSON.stringify({
  fits: document.documentElement.scrollWidth <= window.innerWidth,
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  lang: document.documentElement.lang,
  text: document.body.innerText,
  labels: Array.from(document.querySelectorAll(
    '.badge, dt, th, caption, label, option, figcaption, h2, nav a, ol.timeline strong, td:nth-child(2)'
  )).map(e => e.innerText),
  inputsWithoutLabel: Array.from(document.querySelectorAll('input:not([type=hidden]), select'))
    .filter(e => !e.closest('label') && !e.labels.length).length,
  tablesWithoutCaption: Array.from(document.querySelectorAll('table')).filter(t => !t.caption).length,
  stylesheets: document.styleSheets.length,
})"#;

struct Server {
    url: String,
    /// The district's mirrors (the demo's, and a tampered copy shown as failed).
    _district: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Copies a directory tree.
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

async fn serve(dir: PathBuf) -> Server {
    let district = tempfile::tempdir().unwrap();
    let places = district.path().to_owned();
    let state = tokio::task::spawn_blocking(move || {
        let state = State::open(&dir, Arc::new(SystemClock))?;
        // The district's page over a mirror of the demo and a tampered copy of it.
        let site = places.join("site");
        let mirror = places.join("mirror");
        let tampered = places.join("tampered");
        delib::tlog::publish::publish(state.svc.ledger(), &site).expect("publish");
        let key = delib::audit::keys::load(&dir)
            .unwrap()
            .verifier()
            .to_string();
        delib::tlog::mirror::mirror(&delib::tlog::client::DirFetch(site), &mirror, Some(&key))
            .expect("mirror");
        copy_dir(&mirror, &tampered);
        let mut bundle = tampered.join("tile/entries");
        while bundle.is_dir() {
            bundle = std::fs::read_dir(&bundle)
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path();
        }
        let mut bytes = std::fs::read(&bundle).unwrap();
        bytes[3] ^= 1;
        std::fs::write(&bundle, bytes).unwrap();
        let _ = state
            .district
            .set(server::pages::district::DistrictSite::new(vec![
                mirror, tampered,
            ]));
        Ok::<_, delib::app::AppError>(state)
    })
    .await
    .unwrap()
    .expect("open the demo ledger");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(server::run(listener, state, async {
        let _ = rx.await;
    }));
    Server {
        url,
        _district: district,
        stop: Some(tx),
        handle,
    }
}

async fn listen_for_errors(page: &Page, errors: Arc<Mutex<Vec<String>>>) {
    page.execute(LogEnable::default())
        .await
        .expect("log domain");
    let mut log = page.event_listener::<EventEntryAdded>().await.unwrap();
    let mut console = page
        .event_listener::<EventConsoleApiCalled>()
        .await
        .unwrap();
    let mut thrown = page.event_listener::<EventExceptionThrown>().await.unwrap();
    let e1 = errors.clone();
    tokio::spawn(async move {
        while let Some(ev) = log.next().await {
            let level = format!("{:?}", ev.entry.level).to_lowercase();
            if level.contains("error") || level.contains("warning") {
                e1.lock()
                    .unwrap()
                    .push(format!("{level}: {} {:?}", ev.entry.text, ev.entry.url));
            }
        }
    });
    let e2 = errors.clone();
    tokio::spawn(async move {
        while let Some(ev) = console.next().await {
            let kind = format!("{:?}", ev.r#type).to_lowercase();
            if kind.contains("error") || kind.contains("warn") {
                e2.lock().unwrap().push(format!("console {kind}"));
            }
        }
    });
    tokio::spawn(async move {
        while let Some(ev) = thrown.next().await {
            errors
                .lock()
                .unwrap()
                .push(format!("exception: {}", ev.exception_details.text));
        }
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_public_page_fits_a_phone_and_a_desktop_in_both_languages() {
    // given the demo's ledger served over HTTP, and a headless Chromium
    let executable = chromium();
    let demo = tokio::task::spawn_blocking(Ledger::demo).await.unwrap();
    let mut srv = serve(demo.dir().to_owned()).await;
    let profile = tempfile::tempdir().unwrap();
    let config = BrowserConfig::builder()
        .chrome_executable(&executable)
        .user_data_dir(profile.path())
        .no_sandbox()
        .args([
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .viewport(None)
        .launch_timeout(Duration::from_secs(60))
        .request_timeout(Duration::from_secs(60))
        .build()
        .expect("browser config");
    let (mut browser, mut handler) = Browser::launch(config)
        .await
        .unwrap_or_else(|e| panic!("could not start {}: {e}", executable.display()));
    let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
    let page = browser.new_page("about:blank").await.expect("a tab");
    let errors = Arc::new(Mutex::new(Vec::new()));
    listen_for_errors(&page, errors.clone()).await;
    let shots = std::env::var_os("DELIB_SCREENSHOTS").map(PathBuf::from);
    let codes = codes();
    let mut problems = Vec::new();
    let mut seen = 0;
    // when every page is read in both languages at both widths
    for width in [390i64, 1280] {
        page.execute(SetDeviceMetricsOverrideParams::new(
            width,
            900,
            1.0,
            width < 600,
        ))
        .await
        .expect("set the window size");
        for lang in ["zh", "en"] {
            for path in PAGES {
                let sep = if path.contains('?') { '&' } else { '?' };
                let url = format!("{}{path}{sep}lang={lang}", srv.url);
                errors.lock().unwrap().clear();
                page.goto(url.as_str())
                    .await
                    .unwrap_or_else(|e| panic!("{url}: {e}"));
                let _ = page.wait_for_navigation().await;
                let raw: String = page
                    .evaluate(PROBE)
                    .await
                    .unwrap_or_else(|e| panic!("{url}: {e}"))
                    .into_value()
                    .unwrap();
                let probe: serde_json::Value = serde_json::from_str(&raw).unwrap();
                seen += 1;
                let what = format!("{path} ({lang}, {width}px)");
                // then it fits the window
                if probe["fits"] != true {
                    problems.push(format!(
                        "{what}: {} px wide in a {} px window",
                        probe["scrollWidth"], probe["innerWidth"]
                    ));
                }
                // is in the language asked for, with its stylesheet, labels and captions
                let want_lang = if lang == "zh" { "zh-Hans" } else { "en" };
                if probe["lang"] != want_lang {
                    problems.push(format!("{what}: lang is {}", probe["lang"]));
                }
                if probe["stylesheets"].as_u64() != Some(1) {
                    problems.push(format!("{what}: {} stylesheets", probe["stylesheets"]));
                }
                if probe["inputsWithoutLabel"] != 0 {
                    problems.push(format!("{what}: an input without a label"));
                }
                if probe["tablesWithoutCaption"] != 0 {
                    problems.push(format!("{what}: a table without a caption"));
                }
                // logs no error (a 404 page logs its own status, nothing else)
                let expected_404 = path.contains("no/such") || path.contains("HEAR-99");
                for e in errors.lock().unwrap().iter() {
                    if !(expected_404 && e.contains("404")) {
                        problems.push(format!("{what}: {e}"));
                    }
                }
                // and in Chinese shows no code as it is recorded
                if lang == "zh" {
                    let text = probe["text"].as_str().unwrap_or_default();
                    for c in codes.iter().filter(|c| c.contains('.')) {
                        if text.contains(c.as_str()) {
                            problems.push(format!("{what}: shows the code `{c}`"));
                        }
                    }
                    for label in probe["labels"].as_array().into_iter().flatten() {
                        let label = label.as_str().unwrap_or_default();
                        if codes.iter().any(|c| label.trim() == c) {
                            problems.push(format!("{what}: shows the code `{label}`"));
                        }
                    }
                }
                if let Some(dir) = &shots {
                    let name = format!(
                        "{}-{lang}-{width}.png",
                        path.trim_start_matches('/')
                            .replace(['/', '?', '&', '='], "_")
                            .trim_start_matches('_')
                            .to_owned()
                            + if *path == "/" { "board" } else { "" }
                    );
                    let _ = std::fs::create_dir_all(dir);
                    page.save_screenshot(
                        ScreenshotParams::builder()
                            .format(CaptureScreenshotFormat::Png)
                            .full_page(true)
                            .build(),
                        dir.join(name),
                    )
                    .await
                    .expect("screenshot");
                }
            }
        }
    }
    browser.close().await.ok();
    let _ = browser.wait().await;
    events.abort();
    if let Some(tx) = srv.stop.take() {
        let _ = tx.send(());
    }
    let _ = (&mut srv.handle).await;
    assert_eq!(seen, PAGES.len() * 4);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
