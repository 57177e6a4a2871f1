//! Zoom and print in a real browser. At 200% zoom a phone's 390 px window is 195 CSS px wide and a
//! small laptop's 1280 px is 640: every public page, in both languages, still fits without
//! horizontal scrolling and clips no text. Printed (Chromium's print media and its print-to-PDF),
//! a proposal and the transparency report are A4 notices for the notice board (公示栏): no
//! navigation, no language switch, no form, black on white, and a PDF comes out.

use super::web_browser::PAGES;
use super::web_support::{codes, open, probe, problems, set_width, Chrome, Expect, Served};
use crate::support::Ledger;
use chromiumoxide::cdp::browser_protocol::page::PrintToPdfParams;
use chromiumoxide::page::MediaTypeParams;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_public_page_reads_at_200_percent_zoom() {
    // given the demo's ledger served, and a window zoomed to 200% (two device pixels per CSS px)
    let demo = tokio::task::spawn_blocking(Ledger::demo).await.unwrap();
    let srv = Served::start(demo.dir().to_owned()).await;
    let chrome = Chrome::launch().await;
    let (page, errors) = chrome.tab().await;
    let codes = codes();
    let mut found = Vec::new();
    // when every page is read at 195 and 640 CSS px, in both languages
    for width in [195i64, 640] {
        set_width(&page, width, 2.0).await;
        for lang in ["zh", "en"] {
            for path in PAGES {
                let sep = if path.contains('?') { '&' } else { '?' };
                errors.lock().unwrap().clear();
                open(&page, &format!("{}{path}{sep}lang={lang}", srv.url)).await;
                let want = Expect {
                    lang,
                    not_found: path.contains("no/such") || path.contains("HEAR-99"),
                    codes: &codes,
                };
                let errors = errors.lock().unwrap().clone();
                // then nothing is wider than the window and no text is clipped
                found.extend(problems(
                    &format!("{path} ({lang}, {width} CSS px at 200%)"),
                    &probe(&page).await,
                    &errors,
                    &want,
                ));
            }
        }
    }
    chrome.close().await;
    srv.stop().await;
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// What print media shows: whether the navigation, the language switch and forms are hidden, and
/// the text and background colours.
const PRINTED: &str = r#"JSON.stringify({
  nav: getComputedStyle(document.querySelector('header.site nav')).display,
  lang: getComputedStyle(document.querySelector('header.site .lang')).display,
  forms: Array.from(document.querySelectorAll('form')).filter(f => getComputedStyle(f).display !== 'none').length,
  color: getComputedStyle(document.body).color,
  h1: getComputedStyle(document.querySelector('h1')).color,
  background: getComputedStyle(document.body).backgroundColor,
  linkAfter: Array.from(document.querySelectorAll('main a[href^="/"]'))
    .map(a => getComputedStyle(a, '::after').content).filter(c => c.includes('/')).length,
  links: document.querySelectorAll('main a[href^="/"]').length,
})"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_proposal_and_the_report_print_as_a4_notices() {
    // given the demo's ledger served
    let demo = tokio::task::spawn_blocking(Ledger::demo).await.unwrap();
    let srv = Served::start(demo.dir().to_owned()).await;
    let chrome = Chrome::launch().await;
    let (page, _errors) = chrome.tab().await;
    set_width(&page, 1280, 1.0).await;
    for path in ["/proposals/PROP-1", "/reports/transparency", "/"] {
        for lang in ["zh", "en"] {
            let what = format!("{path} ({lang})");
            open(&page, &format!("{}{path}?lang={lang}", srv.url)).await;
            // on screen the navigation shows
            page.emulate_media_type(MediaTypeParams::Screen)
                .await
                .unwrap();
            let screen: serde_json::Value = serde_json::from_str(
                &page
                    .evaluate(PRINTED)
                    .await
                    .unwrap()
                    .into_value::<String>()
                    .unwrap(),
            )
            .unwrap();
            assert_ne!(screen["nav"], "none", "{what}: no navigation on screen");
            // when it is printed
            page.emulate_media_type(MediaTypeParams::Print)
                .await
                .unwrap();
            let printed: serde_json::Value = serde_json::from_str(
                &page
                    .evaluate(PRINTED)
                    .await
                    .unwrap()
                    .into_value::<String>()
                    .unwrap(),
            )
            .unwrap();
            // then there is no navigation, language switch or form, and it is black on white
            assert_eq!(printed["nav"], "none", "{what}: {printed}");
            assert_eq!(printed["lang"], "none", "{what}: {printed}");
            assert_eq!(printed["forms"], 0, "{what}: {printed}");
            assert_eq!(printed["color"], "rgb(0, 0, 0)", "{what}: {printed}");
            assert_eq!(printed["h1"], "rgb(0, 0, 0)", "{what}: {printed}");
            assert_eq!(
                printed["background"], "rgb(255, 255, 255)",
                "{what}: {printed}"
            );
            // and the links in the text show where they lead
            assert_eq!(printed["linkAfter"], printed["links"], "{what}: {printed}");
            assert_eq!(screen["linkAfter"], 0, "{what}: addresses shown on screen");
            page.emulate_media_type(MediaTypeParams::Screen)
                .await
                .unwrap();
            // and Chromium's print to PDF, on A4, makes a PDF of at least one page
            let pdf = page
                .pdf(
                    PrintToPdfParams::builder()
                        .paper_width(8.27)
                        .paper_height(11.69)
                        .prefer_css_page_size(true)
                        .build(),
                )
                .await
                .unwrap_or_else(|e| panic!("{what}: print to PDF: {e}"));
            assert!(pdf.starts_with(b"%PDF-"), "{what}: not a PDF");
            // on A4 pages (595 × 842 points)
            let text = String::from_utf8_lossy(&pdf);
            let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
            assert!(pages >= 1, "{what}: a PDF without pages");
            assert!(
                text.contains("/MediaBox [0 0 594.9") || text.contains("/MediaBox [0 0 595"),
                "{what}: not A4"
            );
        }
    }
    chrome.close().await;
    srv.stop().await;
}
