//! The one layout every public page shares: the document head (an external stylesheet, no script),
//! the site's navigation, the language switch (which keeps the query), the page's heading and the
//! footer. Templates are maud: text is escaped by default and the markup is checked when compiling.

use super::ctx::PageCtx;
use crate::server::i18n::Lang;
use maud::{html, Markup, DOCTYPE};

/// The sections of the site, in navigation order: (path, message id).
pub const SECTIONS: &[(&str, &str)] = &[
    ("/", "nav-proposals"),
    ("/hearings", "nav-hearings"),
    ("/consultations", "nav-consultations"),
    ("/ballots", "nav-ballots"),
    ("/disputes", "nav-disputes"),
    ("/pledges", "nav-pledges"),
    ("/orgs", "nav-orgs"),
    ("/reports/transparency", "nav-report"),
    ("/verify", "nav-verify"),
];

/// The district's view, in the navigation only when the server has `--district`.
pub const DISTRICT: &str = "/district";

fn section_of(path: &str) -> &'static str {
    SECTIONS
        .iter()
        .rev()
        .find(|(p, _)| {
            *p != "/" && (path == *p || path.starts_with(&format!("{p}/")))
                || (*p == "/" && (path == "/" || path.starts_with("/proposals")))
        })
        .map_or("", |(p, _)| *p)
}

/// A whole page: `title` (escaped) as the document title and heading, then `body`.
pub fn page(ctx: &PageCtx, title: &str, body: Markup) -> Markup {
    page_with(ctx, title, None, body)
}

/// A page with a line under the heading (a status, a kind).
pub fn page_with(ctx: &PageCtx, title: &str, subtitle: Option<Markup>, body: Markup) -> Markup {
    let tr = ctx.tr;
    let current = section_of(&ctx.path);
    html! {
        (DOCTYPE)
        html lang=(ctx.lang().code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (tr.t("site-name")) }
                link rel="stylesheet" href="/static/site.css";
                link rel="icon" href="/static/icon.svg" type="image/svg+xml";
            }
            body {
                a.skip href="#main" { (tr.t("skip-to-content")) }
                header.site {
                    div.bar {
                        a.brand href=(ctx.link("/")) { (tr.t("site-name")) }
                        p.lang {
                            span.visually-hidden { (tr.t("language")) ": " }
                            @if ctx.lang() == Lang::Zh {
                                span aria-current="true" lang="zh-Hans" { "中文" }
                                " · "
                                a href=(ctx.switch_to(Lang::En)) hreflang="en" lang="en" { "English" }
                            } @else {
                                a href=(ctx.switch_to(Lang::Zh)) hreflang="zh-Hans" lang="zh-Hans" { "中文" }
                                " · "
                                span aria-current="true" lang="en" { "English" }
                            }
                        }
                    }
                    nav aria-label=(tr.t("nav-label")) {
                        ul {
                            @for (path, id) in SECTIONS {
                                li {
                                    @if *path == current {
                                        a href=(ctx.link(path)) aria-current="page" { (tr.t(id)) }
                                    } @else {
                                        a href=(ctx.link(path)) { (tr.t(id)) }
                                    }
                                }
                            }
                            @if ctx.nav.district {
                                li {
                                    @if ctx.path == DISTRICT {
                                        a href=(ctx.link(DISTRICT)) aria-current="page" { (tr.t("nav-district")) }
                                    } @else {
                                        a href=(ctx.link(DISTRICT)) { (tr.t("nav-district")) }
                                    }
                                }
                            }
                        }
                    }
                }
                main #main {
                    h1 { (title) }
                    @if let Some(s) = subtitle { p.subtitle { (s) } }
                    (body)
                }
                footer.site {
                    p { (tr.t("footer-privacy")) }
                    p { a href=(ctx.link("/verify")) { (tr.t("footer-verify")) } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_section_is_found() {
        assert_eq!(section_of("/"), "/");
        assert_eq!(section_of("/proposals/PROP-1"), "/");
        assert_eq!(section_of("/hearings/HEAR-1"), "/hearings");
        assert_eq!(section_of("/reports/transparency"), "/reports/transparency");
        assert_eq!(section_of("/nowhere"), "");
    }
}
