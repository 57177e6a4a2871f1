//! Screenshots for review: records the demo into a scratch ledger, serves it, and has headless
//! Chromium save a full-page PNG of every public page and every console page (as a clerk, and the
//! auditor's pages as an auditor), in zh and en, at 390 px and 1280 px, named like
//! `zh-390-proposals-PROP-1.png`.
//!
//! ```text
//! cargo run --example screenshots -- /work/shots
//! ```
//!
//! The pages are found by following every link from `/` (and from `/console`), so a new page
//! type is photographed without editing this list. The output is for people to look at; keep it
//! out of the repository.

use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::network::{CookieParam, SetCookiesParams};
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::page::ScreenshotParams;
use clap::Parser;
use delib::app::LedgerService;
use delib::clock::SystemClock;
use delib::ledger::Ledger;
use delib::server::tokens::{Role, Tokens};
use delib::server::{self, State};
use futures_util::StreamExt;
use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Records the demo into `data` and makes a clerk's and an auditor's token.
fn demo(data: &Path) -> Result<(Arc<State>, String, String), Error> {
    let cli = delib::cli::Cli::try_parse_from([
        "delib".as_ref(),
        "--data".as_ref(),
        data.as_os_str(),
        "demo".as_ref(),
    ])?;
    delib::cli::run(cli).map_err(|e| format!("demo: {e}"))?;
    let ledger = Ledger::open(data, Arc::new(SystemClock))?;
    let svc = LedgerService::from_ledger(ledger, data)?;
    let tokens = Tokens::open(svc.store())?;
    let mut made = Vec::new();
    for (role, person) in [(Role::Clerk, "PER-1"), (Role::Auditor, "PER-2")] {
        let id = svc.person_id(person)?;
        let (_, secret) = tokens.create(role, id, person.into(), "now".into())?;
        made.push(secret);
    }
    drop(tokens);
    let auditor = made.pop().unwrap_or_default();
    let clerk = made.pop().unwrap_or_default();
    Ok((State::new(svc)?, clerk, auditor))
}

/// Every page reachable from `start` by links under `prefix` (HTML answers only), with the
/// session `cookie` if any. `?lang=` is dropped: each page is photographed in both languages.
async fn crawl(
    http: &reqwest::Client,
    base: &str,
    start: &str,
    keep: impl Fn(&str) -> bool,
    cookie: Option<&str>,
) -> Result<Vec<String>, Error> {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([start.to_owned()]);
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let mut rb = http.get(format!("{base}{path}"));
        if let Some(c) = cookie {
            rb = rb.header(reqwest::header::COOKIE, c);
        }
        let r = rb.send().await?;
        let html = r
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if !html {
            continue;
        }
        let body = r.text().await?;
        pages.push(path);
        for part in body.split("href=\"").skip(1) {
            let Some(end) = part.find('"') else { continue };
            let href = part[..end].replace("&amp;", "&");
            if !href.starts_with('/') || href.starts_with("/static") {
                continue;
            }
            let href = drop_lang(&href);
            if keep(&href) && !seen.contains(&href) {
                queue.push_back(href);
            }
        }
    }
    Ok(pages)
}

/// `href` without its `lang` parameter.
fn drop_lang(href: &str) -> String {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .collect();
    if rest.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", rest.join("&"))
    }
}

/// `zh-390-proposals-PROP-1.png` for `/proposals/PROP-1` in zh at 390 px.
fn file_name(lang: &str, width: i64, path: &str) -> String {
    let name: String = path
        .trim_start_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    // `/` is the board, and `/?status=...` a filtered board
    let name = if name.is_empty() || name.starts_with('-') {
        format!("board{name}")
    } else {
        name
    };
    format!("{lang}-{width}-{name}.png")
}

/// Signs in with `token` over HTTP; returns the session cookie (`name=value`).
async fn sign_in(http: &reqwest::Client, base: &str, token: &str) -> Result<String, Error> {
    let r = http
        .post(format!("{base}/console/sign-in"))
        .form(&[("token", token)])
        .send()
        .await?;
    let set = r
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .ok_or("sign-in gave no cookie")?;
    Ok(set.split(';').next().unwrap_or_default().to_owned())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() -> Result<(), Error> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: screenshots OUTPUT_DIR")?,
    );
    std::fs::create_dir_all(&out)?;
    let scratch = tempfile::tempdir()?;
    let data = scratch.path().join("data");
    let (state, clerk, auditor) = {
        let data = data.clone();
        tokio::task::spawn_blocking(move || demo(&data)).await??
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::run(listener, state, async {
        let _ = stopped.await;
    }));

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let mut public = crawl(&http, &base, "/", |h| !h.starts_with("/console"), None).await?;
    // pages that only a form or a typed address leads to
    for extra in [
        "/?status=completed",
        "/disputes/DISP-1?as_of=2015-06-30",
        "/reports/transparency?from=2014-01-01&to=2016-12-31",
        "/no/such/page",
        "/hearings/HEAR-99",
    ] {
        public.push(extra.into());
    }
    let clerk_cookie = sign_in(&http, &base, &clerk).await?;
    let auditor_cookie = sign_in(&http, &base, &auditor).await?;
    let console = crawl(
        &http,
        &base,
        "/console",
        |h| h.starts_with("/console") && !h.contains("sign-out"),
        Some(&clerk_cookie),
    )
    .await?;
    let mut audit = crawl(
        &http,
        &base,
        "/console/audit",
        |h| h.starts_with("/console/audit") || h.starts_with("/console/history"),
        Some(&auditor_cookie),
    )
    .await?;
    audit.push("/console/history?ref=PROP-1".into());
    audit.push("/console/history?ref=DISP-1".into());
    let mut sets = vec![(None, public), (Some(clerk_cookie), console)];
    sets.push((Some(auditor_cookie), audit));

    let profile = tempfile::tempdir()?;
    let chromium = std::env::var_os("DELIB_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .map(|d| d.join("chromium"))
                .find(|p| p.is_file())
        })
        .ok_or("Chromium not found: install Debian's chromium or set DELIB_CHROMIUM")?;
    let config = BrowserConfig::builder()
        .chrome_executable(chromium)
        .user_data_dir(profile.path())
        .no_sandbox()
        .args(["--disable-gpu", "--no-first-run", "--disable-sync"])
        .viewport(None)
        .launch_timeout(Duration::from_secs(60))
        .request_timeout(Duration::from_secs(60))
        .build()?;
    let (mut browser, mut handler) = Browser::launch(config).await?;
    let events = tokio::spawn(async move { while handler.next().await.is_some() {} });
    let mut saved = 0;
    for (cookie, pages) in &sets {
        let page = browser.new_page("about:blank").await?;
        if let Some(c) = cookie {
            let (name, value) = c.split_once('=').ok_or("odd cookie")?;
            let mut param = CookieParam::new(name, value);
            param.url = Some(format!("{base}/console"));
            page.execute(SetCookiesParams::new(vec![param])).await?;
        }
        for width in [390i64, 1280] {
            for lang in ["zh", "en"] {
                for path in pages {
                    // The window is as tall as the page, at the width asked for, as a phone
                    // (chromiumoxide's own full-page capture drops the phone emulation).
                    page.execute(SetDeviceMetricsOverrideParams::new(
                        width,
                        900,
                        1.0,
                        width < 600,
                    ))
                    .await?;
                    let sep = if path.contains('?') { '&' } else { '?' };
                    page.goto(format!("{base}{path}{sep}lang={lang}")).await?;
                    let _ = page.wait_for_navigation().await;
                    let height: i64 = page
                        .evaluate("Math.ceil(document.documentElement.scrollHeight)")
                        .await?
                        .into_value()?;
                    page.execute(SetDeviceMetricsOverrideParams::new(
                        width,
                        height.clamp(200, 16_000),
                        1.0,
                        width < 600,
                    ))
                    .await?;
                    page.save_screenshot(
                        ScreenshotParams::builder()
                            .format(CaptureScreenshotFormat::Png)
                            .build(),
                        out.join(file_name(lang, width, path)),
                    )
                    .await?;
                    saved += 1;
                }
            }
        }
        page.close().await.ok();
    }
    browser.close().await.ok();
    let _ = browser.wait().await;
    events.abort();
    let _ = stop.send(());
    let _ = server.await;
    eprintln!("{saved} screenshots in {}", out.display());
    for (_, pages) in &sets {
        for p in pages {
            eprintln!("  {p}");
        }
    }
    Ok(())
}
