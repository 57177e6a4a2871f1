//! Negative controls for the browser checks: the checker the page tests use (`web_support::
//! problems`) is run on a served page before and after it is broken on purpose through the
//! DevTools protocol. A clean page yields nothing; a 600 px element in a 390 px phone window (which
//! a phone's browser hides by widening `innerWidth`), a `console.error`, an
//! inline style the CSP blocks, a raw status or event code on a Chinese page, a raw RFC 3339 timestamp, an unlabelled input,
//! a table without a caption, and clipped text are each reported. Without these, a checker that
//! always said "fine" would pass the page tests.

use super::web_support::{codes, open, probe, problems, set_width, Chrome, Expect, Served};
use crate::support::Ledger;
use chromiumoxide::Page;
use std::sync::{Arc, Mutex};

/// The problems the checker finds on the page as it is now.
async fn check(page: &Page, errors: &Arc<Mutex<Vec<String>>>, lang: &str) -> Vec<String> {
    // the console and log events arrive asynchronously
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let codes = codes();
    let want = Expect {
        lang,
        not_found: false,
        codes: &codes,
    };
    let errors = errors.lock().unwrap().clone();
    problems("page", &probe(page).await, &errors, &want)
}

async fn run(page: &Page, js: &str) {
    page.evaluate(js)
        .await
        .unwrap_or_else(|e| panic!("{js}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_browser_checks_report_a_page_broken_on_purpose() {
    // given a clean public page at a phone's width, in Chinese
    let demo = tokio::task::spawn_blocking(Ledger::demo).await.unwrap();
    let srv = Served::start(demo.dir().to_owned()).await;
    let chrome = Chrome::launch().await;
    let (page, errors) = chrome.tab().await;
    set_width(&page, 390, 1.0).await;
    let url = format!("{}/proposals/PROP-1?lang=zh", srv.url);
    let fresh = |page: &Page| {
        let page = page.clone();
        let url = url.clone();
        let errors = errors.clone();
        async move {
            errors.lock().unwrap().clear();
            open(&page, &url).await;
        }
    };
    fresh(&page).await;
    assert_eq!(check(&page, &errors, "zh").await, Vec::<String>::new());

    // (broken, what the checker must say)
    let cases: &[(&str, &str)] = &[
        (
            "const w = document.createElement('div'); w.style.width = '600px'; w.style.height = '4px'; \
             document.body.appendChild(w)",
            "px wide in a 390 px window",
        ),
        ("console.error('broken on purpose')", "console error"),
        (
            "const s = document.createElement('script'); s.textContent = 'window.x = 1'; \
             document.head.appendChild(s)",
            "Content Security Policy",
        ),
        (
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<span class=\"badge\">submitted</span>')",
            "shows the code `submitted`",
        ),
        (
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<p>proposal.submitted</p>')",
            "shows the code `proposal.submitted`",
        ),
        (
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=\"text\">')",
            "an input without a label",
        ),
        (
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<table><tr><td>1</td></tr></table>')",
            "a table without a caption",
        ),
        (
            "const d = document.createElement('div'); d.className = 'cut'; \
             d.style.width = '100px'; d.style.overflow = 'hidden'; d.style.whiteSpace = 'nowrap'; \
             d.textContent = '这是一段很长很长很长很长很长很长很长很长的文字'; \
             document.querySelector('main').appendChild(d)",
            "text clipped in div.cut",
        ),
        (
            "document.querySelector('main').insertAdjacentHTML('beforeend', '<p>2015-03-31T00:00:00Z</p>')",
            "shows the raw timestamp `2015-03-31T00:00`",
        ),
        (
            "document.documentElement.lang = 'en'",
            "lang is \"en\"",
        ),
    ];
    for (broken, said) in cases {
        // when the page is broken on purpose
        fresh(&page).await;
        run(&page, broken).await;
        // then the checker says so
        let found = check(&page, &errors, "zh").await;
        assert!(
            found.iter().any(|p| p.contains(said)),
            "after `{broken}` the checker said {found:?}, not `{said}`"
        );
    }
    // and a code is a problem only in Chinese: the English page may name a status in words
    set_width(&page, 1280, 1.0).await;
    errors.lock().unwrap().clear();
    open(&page, &format!("{}/proposals/PROP-1?lang=en", srv.url)).await;
    assert_eq!(check(&page, &errors, "en").await, Vec::<String>::new());
    run(
        &page,
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<span class=\"badge\">submitted</span>')",
    )
    .await;
    assert_eq!(check(&page, &errors, "en").await, Vec::<String>::new());
    chrome.close().await;
    srv.stop().await;
}
