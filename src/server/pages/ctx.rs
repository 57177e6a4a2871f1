//! [`PageCtx`]: what every page needs from its request: the language (negotiated), the path and the
//! query (so that switching language keeps it), and links that keep the language.

use crate::server::i18n::{self, Lang, Tr};
use axum::extract::FromRequestParts;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::request::Parts;
use std::convert::Infallible;

/// The request as pages see it.
#[derive(Debug, Clone)]
pub struct PageCtx {
    /// The messages of the page's language.
    pub tr: Tr,
    /// The request path.
    pub path: String,
    /// The query's pairs, without `lang`.
    pub query: Vec<(String, String)>,
    /// What the site's navigation shows beyond the fixed sections.
    pub nav: SiteNav,
}

/// Sections of the navigation that depend on how the server was started (set on every request
/// by the router).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SiteNav {
    /// `serve --district`: the district's view at `/district`.
    pub district: bool,
}

impl PageCtx {
    /// A context for `lang` at `path` with no query (tests, error pages).
    pub fn new(lang: Lang, path: &str) -> Self {
        PageCtx {
            tr: Tr::new(lang),
            path: path.to_owned(),
            query: Vec::new(),
            nav: SiteNav::default(),
        }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.tr.lang()
    }

    /// A query parameter (empty ones count as absent).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// A link to `path` in this page's language.
    pub fn link(&self, path: &str) -> String {
        self.link_with(path, &[])
    }

    /// A link to `path` with query `pairs`, in this page's language.
    pub fn link_with(&self, path: &str, pairs: &[(&str, &str)]) -> String {
        let mut all: Vec<(&str, &str)> = pairs.to_vec();
        all.push(("lang", self.tr.query_code()));
        format!("{path}?{}", encode(&all))
    }

    /// This page, with the same query, in `lang`.
    pub fn switch_to(&self, lang: Lang) -> String {
        let mut all: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        all.push(("lang", Tr::new(lang).query_code()));
        format!("{}?{}", self.path, encode(&all))
    }
}

fn encode(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for PageCtx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).unwrap_or_default();
        let query_lang = pairs
            .iter()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.as_str());
        let accept = parts
            .headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        let lang = i18n::negotiate(query_lang, accept);
        Ok(PageCtx {
            tr: Tr::new(lang),
            path: parts.uri.path().to_owned(),
            query: pairs.into_iter().filter(|(k, _)| k != "lang").collect(),
            nav: parts
                .extensions
                .get::<SiteNav>()
                .copied()
                .unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_language_keeps_the_query() {
        let ctx = PageCtx {
            tr: Tr::new(Lang::Zh),
            path: "/reports/transparency".into(),
            query: vec![
                ("from".into(), "2014-01-01".into()),
                ("to".into(), "2016-12-31".into()),
            ],
            nav: SiteNav::default(),
        };
        assert_eq!(
            ctx.switch_to(Lang::En),
            "/reports/transparency?from=2014-01-01&to=2016-12-31&lang=en"
        );
        assert_eq!(ctx.link("/ballots"), "/ballots?lang=zh");
        assert_eq!(
            ctx.link_with("/", &[("status", "in progress&")]),
            "/?status=in+progress%26&lang=zh"
        );
    }
}
