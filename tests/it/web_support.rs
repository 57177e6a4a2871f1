//! What the browser tests share: finding and starting headless Chromium (Debian's `chromium`)
//! through chromiumoxide, serving a ledger's data directory on 127.0.0.1:0, collecting a tab's
//! console errors, the probe a test runs in a page, and the checker that turns a probe into the
//! problems a resident would see (too wide, an error logged, the wrong language, an input without
//! a label, a table without a caption, a raw code in Chinese).
//!
//! The checker is one function so that the negative controls (`web_controls`) run the very code
//! the page tests run, on pages made broken on purpose.

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::log::{EnableParams as LogEnable, EventEntryAdded};
use chromiumoxide::cdp::js_protocol::runtime::{EventConsoleApiCalled, EventExceptionThrown};
use chromiumoxide::Page;
use delib::clock::SystemClock;
use delib::server::{self, State};
use futures_util::StreamExt;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where Chromium is: `DELIB_CHROMIUM`, else the first of the usual names on PATH. Missing is a
/// loud failure, never a skip.
pub fn chromium() -> PathBuf {
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

/// A headless Chromium with its own profile, and the task that drives its protocol.
pub struct Chrome {
    pub browser: Browser,
    events: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
}

impl Chrome {
    /// Starts Chromium; panics with the reason when it cannot.
    pub async fn launch() -> Self {
        let executable = chromium();
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
        let (browser, mut handler) = Browser::launch(config)
            .await
            .unwrap_or_else(|e| panic!("could not start {}: {e}", executable.display()));
        let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Chrome {
            browser,
            events,
            _profile: profile,
        }
    }

    /// A new tab, with its console errors collected into the returned list.
    pub async fn tab(&self) -> (Page, Arc<Mutex<Vec<String>>>) {
        let page = self.browser.new_page("about:blank").await.expect("a tab");
        let errors = Arc::new(Mutex::new(Vec::new()));
        listen_for_errors(&page, errors.clone()).await;
        (page, errors)
    }

    /// Closes the browser and waits for it.
    pub async fn close(mut self) {
        self.browser.close().await.ok();
        let _ = self.browser.wait().await;
        self.events.abort();
    }
}

/// A server over an existing data directory (the demo's ledger).
pub struct Served {
    pub url: String,
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

impl Served {
    /// Opens the ledger in `dir` and serves it on 127.0.0.1:0, with the district's page over a
    /// mirror of it and a tampered copy of that mirror.
    pub async fn start(dir: PathBuf) -> Self {
        let district = tempfile::tempdir().unwrap();
        let places = district.path().to_owned();
        let state = tokio::task::spawn_blocking(move || {
            let state = State::open(&dir, Arc::new(SystemClock))?;
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
        .expect("open the ledger");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(server::run(listener, state, async {
            let _ = rx.await;
        }));
        Served {
            url,
            _district: district,
            stop: Some(tx),
            handle,
        }
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.handle).await;
    }
}

/// Collects the tab's logged errors and warnings, console errors and uncaught exceptions.
pub async fn listen_for_errors(page: &Page, errors: Arc<Mutex<Vec<String>>>) {
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

/// Sets the window to `width` CSS px (900 high) at `scale` device pixels per CSS pixel.
pub async fn set_width(page: &Page, width: i64, scale: f64) {
    page.execute(SetDeviceMetricsOverrideParams::new(
        width,
        900,
        scale,
        width < 600,
    ))
    .await
    .expect("set the window size");
}

/// Opens `url` and waits until it has loaded.
pub async fn open(page: &Page, url: &str) {
    page.goto(url)
        .await
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    let _ = page.wait_for_navigation().await;
    wait_until(page, "document.readyState === 'complete'").await;
}

/// Waits (up to 20 s) until the JavaScript expression `cond` holds in the page.
pub async fn wait_until(page: &Page, cond: &str) {
    for _ in 0..200 {
        let ok = page
            .evaluate(format!("Boolean({cond})"))
            .await
            .ok()
            .and_then(|r| r.into_value::<bool>().ok());
        if ok == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let at: String = page
        .evaluate("location.href + '\\n' + document.body.innerText")
        .await
        .ok()
        .and_then(|r| r.into_value().ok())
        .unwrap_or_default();
    panic!("the page never met `{cond}`; it is {at}");
}

/// The element `selector` of the page as it is now (a node found before a navigation is stale,
/// so this asks again for a moment).
pub async fn element(page: &Page, selector: &str) -> chromiumoxide::Element {
    let mut last = None;
    for _ in 0..50 {
        match page.find_element(selector).await {
            Ok(e) => return e,
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let at: String = page
        .evaluate("location.href + '\\n' + document.documentElement.outerHTML")
        .await
        .ok()
        .and_then(|r| r.into_value().ok())
        .unwrap_or_default();
    panic!("no {selector}: {last:?}; the page is {at}");
}

/// Codes the ledger records that a Chinese page must never show as they are.
pub fn codes() -> Vec<String> {
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
/// timeline's and history's kinds, and the whole text (for dotted event kinds); and whether it
/// fits its window (the layout viewport: a phone's browser widens `innerWidth` to
/// fit a too-wide page, so that would hide the overflow), including any element whose text is clipped by its own box.
pub const PROBE: &str = r#"JSON.stringify({
  fits: document.documentElement.scrollWidth <= document.documentElement.clientWidth,
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: document.documentElement.clientWidth,
  wide: Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .filter(e => !Array.from(e.children).some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5))
    .slice(0, 4)
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + (e.innerText || '').slice(0, 30)),
  lang: document.documentElement.lang,
  text: document.body.innerText,
  labels: Array.from(document.querySelectorAll(
    '.badge, dt, th, caption, label, option, figcaption, h2, nav a, ol.timeline strong, td:nth-child(2)'
  )).map(e => e.innerText),
  clipped: Array.from(document.querySelectorAll('body *'))
    .filter(e => {
      const s = getComputedStyle(e);
      if (s.clip !== 'auto' || e.clientWidth <= 1) return false; // visually hidden on purpose
      return (s.overflowX === 'hidden' || s.overflowX === 'clip') && e.scrollWidth > e.clientWidth + 1
        && e.innerText && e.innerText.trim().length > 0;
    })
    .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')),
  inputsWithoutLabel: Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
    .filter(e => !e.closest('label') && !e.labels.length).length,
  tablesWithoutCaption: Array.from(document.querySelectorAll('table')).filter(t => !t.caption).length,
  stylesheets: document.styleSheets.length,
})"#;

/// Runs [`PROBE`] in the page.
pub async fn probe(page: &Page) -> Value {
    let raw: String = page
        .evaluate(PROBE)
        .await
        .expect("the probe runs")
        .into_value()
        .unwrap();
    serde_json::from_str(&raw).unwrap()
}

/// What a page must be, for [`problems`].
pub struct Expect<'a> {
    /// `zh` or `en`.
    pub lang: &'a str,
    /// The page answers 404 on purpose (its own status is the one error it may log).
    pub not_found: bool,
    /// The codes a Chinese page must not show ([`codes`]).
    pub codes: &'a [String],
}

/// Every problem a probe and the collected errors show, each prefixed with `what`.
pub fn problems(what: &str, probe: &Value, errors: &[String], want: &Expect<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if probe["fits"] != true {
        out.push(format!(
            "{what}: {} px wide in a {} px window ({})",
            probe["scrollWidth"], probe["innerWidth"], probe["wide"]
        ));
    }
    for c in probe["clipped"].as_array().into_iter().flatten() {
        out.push(format!(
            "{what}: text clipped in {}",
            c.as_str().unwrap_or_default()
        ));
    }
    let want_lang = if want.lang == "zh" { "zh-Hans" } else { "en" };
    if probe["lang"] != want_lang {
        out.push(format!("{what}: lang is {}", probe["lang"]));
    }
    if probe["stylesheets"].as_u64() != Some(1) {
        out.push(format!("{what}: {} stylesheets", probe["stylesheets"]));
    }
    if probe["inputsWithoutLabel"] != 0 {
        out.push(format!("{what}: an input without a label"));
    }
    if probe["tablesWithoutCaption"] != 0 {
        out.push(format!("{what}: a table without a caption"));
    }
    for e in errors {
        if !(want.not_found && e.contains("404")) {
            out.push(format!("{what}: {e}"));
        }
    }
    if let Some(raw) = raw_timestamp(probe["text"].as_str().unwrap_or_default()) {
        out.push(format!("{what}: shows the raw timestamp `{raw}`"));
    }
    if want.lang == "zh" {
        let text = probe["text"].as_str().unwrap_or_default();
        for c in want.codes.iter().filter(|c| c.contains('.')) {
            if text.contains(c.as_str()) {
                out.push(format!("{what}: shows the code `{c}`"));
            }
        }
        for label in probe["labels"].as_array().into_iter().flatten() {
            let label = label.as_str().unwrap_or_default();
            if want.codes.iter().any(|c| label.trim() == c) {
                out.push(format!("{what}: shows the code `{label}`"));
            }
        }
    }
    out
}

/// The first RFC 3339 timestamp (`2015-03-31T00:00`) in `text`: a page writes dates as people do.
pub fn raw_timestamp(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    (0..b.len().saturating_sub(15)).find_map(|i| {
        let shape = (0..4).all(|k| digit(i + k))
            && b[i + 4] == b'-'
            && digit(i + 5)
            && digit(i + 6)
            && b[i + 7] == b'-'
            && digit(i + 8)
            && digit(i + 9)
            && b[i + 10] == b'T'
            && digit(i + 11)
            && digit(i + 12)
            && b[i + 13] == b':';
        shape.then(|| text.get(i..i + 16)).flatten()
    })
}
