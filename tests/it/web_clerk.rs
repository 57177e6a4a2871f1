//! The clerk's flow in a real browser (headless Chromium through chromiumoxide, the real server):
//! a clerk signs in with a clerk token through the sign-in form, follows the dashboard to the
//! proposal form, records a proposal by filling and submitting it, follows the receipt's link to
//! the public page and finds the proposal on the public board. A rejected form (a title of blanks,
//! which the browser lets through and the rule refuses) shows the rule beside the field in the
//! clerk's language and records nothing; an empty title the browser itself holds back. Then the
//! clerk signs out. In zh and en.

use super::server_support::TestServer;
use super::web_support::{element, open, wait_until, Chrome};
use chromiumoxide::cdp::browser_protocol::input::InsertTextParams;
use chromiumoxide::Page;

/// Types `text` into the field `selector` as a keyboard (or an input method, for Chinese) would.
async fn type_into(page: &Page, selector: &str, text: &str) {
    element(page, selector)
        .await
        .click()
        .await
        .expect("click the field");
    page.evaluate(format!("document.querySelector('{selector}').value = ''"))
        .await
        .unwrap();
    page.execute(InsertTextParams::new(text))
        .await
        .expect("type");
}

/// Chooses `value` in the select `selector`, as a click on its option would.
async fn choose(page: &Page, selector: &str, value: &str) {
    let ok: bool = page
        .evaluate(format!(
            "(() => {{ const s = document.querySelector('{selector}');
                if (!s || !Array.from(s.options).some(o => o.value === '{value}')) return false;
                s.value = '{value}'; s.dispatchEvent(new Event('change')); return true; }})()"
        ))
        .await
        .unwrap()
        .into_value()
        .unwrap();
    assert!(ok, "{selector} offers no {value}");
}

/// Clicks the element `selector` (a button or link) and waits until `then` holds.
async fn click(page: &Page, selector: &str, then: &str) {
    element(page, selector).await.click().await.expect("click");
    wait_until(page, then).await;
    wait_until(page, "document.readyState === 'complete'").await;
}

async fn text_of(page: &Page, selector: &str) -> String {
    page.evaluate(format!(
        "(document.querySelector('{selector}') || {{innerText: ''}}).innerText"
    ))
    .await
    .unwrap()
    .into_value()
    .unwrap()
}

async fn body_text(page: &Page) -> String {
    text_of(page, "body").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_clerk_signs_in_and_records_a_proposal_in_a_browser_and_it_shows_on_the_board() {
    // given the server over a fresh ledger with a clerk's token, and a headless Chromium
    let mut s = TestServer::start().await;
    let chrome = Chrome::launch().await;
    let clerk = s.clerk.clone();
    for (lang, title, required, recorded) in [
        ("zh", "小区东门加装照明", "此项为必填。", "已登记"),
        (
            "en",
            "Lights at the east gate",
            "This field is required.",
            "Recorded:",
        ),
    ] {
        let (page, errors) = chrome.tab().await;
        // when the clerk signs in through the form
        open(&page, &format!("{}/console?lang={lang}", s.url)).await;
        type_into(&page, "#token", &clerk).await;
        click(
            &page,
            "main form button[type=submit]",
            "document.querySelector('form.who')",
        )
        .await;
        // then the session is a cookie the page's scripts cannot read
        let cookie: String = page
            .evaluate("document.cookie")
            .await
            .unwrap()
            .into_value()
            .unwrap();
        assert!(
            !cookie.contains("delib"),
            "{lang}: readable cookie {cookie}"
        );
        assert!(body_text(&page).await.contains("Clerk Li"), "{lang}");
        // when they follow the dashboard to the proposal form, fill it in and submit it
        click(
            &page,
            "a[href^='/console/record/proposal-submit']",
            "document.querySelector('#f-title')",
        )
        .await;
        let before = s.size().await;
        type_into(&page, "#f-title", title).await;
        type_into(&page, "#f-body", "东门晚上太黑，老人出行不便。").await;
        choose(&page, "#f-category", "infrastructure").await;
        choose(&page, "#f-by", "PER-2").await;
        click(
            &page,
            "main form button[type=submit]",
            "document.querySelector('p.ok')",
        )
        .await;
        // then the receipt says it is recorded, in the clerk's language, and the ledger grew
        let receipt = text_of(&page, "p.ok").await;
        assert!(receipt.contains(recorded), "{lang}: {receipt}");
        assert!(s.size().await > before, "{lang}: nothing recorded");
        let reference = receipt
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .find(|w| w.starts_with("PROP-"))
            .unwrap_or_else(|| panic!("{lang}: no reference in {receipt}"))
            .to_owned();
        // and its link leads to the public page, which shows it
        click(
            &page,
            &format!("a[href^='/proposals/{reference}']"),
            "location.pathname.startsWith('/proposals/')",
        )
        .await;
        assert!(
            body_text(&page).await.contains(title),
            "{lang}: public page"
        );
        // and the public board lists it, without naming the author or the clerk
        open(&page, &format!("{}/?lang={lang}", s.url)).await;
        let board = body_text(&page).await;
        assert!(board.contains(title), "{lang}: {board}");
        for name in ["Clerk Li", "Auditor Zhao"] {
            assert!(!board.contains(name), "{lang}: the board names {name}");
        }

        // when a title of blanks is submitted (the browser lets it through)
        open(
            &page,
            &format!("{}/console/record/proposal-submit?lang={lang}", s.url),
        )
        .await;
        let before = s.size().await;
        type_into(&page, "#f-title", "   ").await;
        type_into(&page, "#f-body", "路灯").await;
        choose(&page, "#f-category", "infrastructure").await;
        choose(&page, "#f-by", "PER-2").await;
        click(
            &page,
            "main form button[type=submit]",
            "document.querySelector('#f-title-error')",
        )
        .await;
        // then the rule shows beside the title, in the clerk's language, tied to the field
        assert_eq!(text_of(&page, "#f-title-error").await.trim(), required);
        let described: String = page
            .evaluate("document.querySelector('#f-title').getAttribute('aria-describedby') || ''")
            .await
            .unwrap()
            .into_value()
            .unwrap();
        assert!(described.contains("f-title-error"), "{lang}: {described}");
        // and what was typed elsewhere is kept, and nothing is recorded
        let body: String = page
            .evaluate("document.querySelector('#f-body').value")
            .await
            .unwrap()
            .into_value()
            .unwrap();
        assert_eq!(body, "路灯");
        assert_eq!(s.size().await, before, "{lang}: a rejected form recorded");
        // when the title is left empty, the browser holds the form back: no request, no record
        page.evaluate("document.querySelector('#f-title').value = ''")
            .await
            .unwrap();
        element(&page, "main form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let invalid: bool = page
            .evaluate("document.querySelector('#f-title').matches(':invalid')")
            .await
            .unwrap()
            .into_value()
            .unwrap();
        assert!(invalid, "{lang}: the empty title is not held back");
        assert_eq!(s.size().await, before, "{lang}: an empty title recorded");
        // when the clerk signs out, the console asks for a token again
        open(&page, &format!("{}/console?lang={lang}", s.url)).await;
        click(
            &page,
            "form.who button[type=submit]",
            "document.querySelector('#token')",
        )
        .await;
        // and no page of the flow logged an error
        let errors = errors.lock().unwrap().clone();
        assert!(
            errors.iter().all(|e| e.contains("422")),
            "{lang}: {errors:?}"
        );
        page.close().await.ok();
    }
    chrome.close().await;
    s.stop().await;
}
