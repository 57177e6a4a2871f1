//! The language of a request: Simplified Chinese unless the browser prefers English
//! (`Accept-Language`), and `?lang=en|zh` over both.

use super::Lang;

/// The language of a request from its `?lang=` and `Accept-Language`.
pub fn negotiate(query_lang: Option<&str>, accept_language: Option<&str>) -> Lang {
    if let Some(l) = query_lang.and_then(parse_tag) {
        return l;
    }
    accept_language.and_then(from_accept).unwrap_or(Lang::Zh)
}

/// `en`, `en-GB`, `zh`, `zh-Hans`, `zh-CN`...: the language, case-insensitively.
fn parse_tag(tag: &str) -> Option<Lang> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.as_str() {
        "zh" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The best language of ours in an `Accept-Language` list (`en-US,en;q=0.9,zh;q=0.5`).
fn from_accept(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, usize, Lang)> = None;
    for (i, item) in header.split(',').enumerate() {
        let mut parts = item.split(';');
        let Some(lang) = parts.next().and_then(parse_tag) else {
            continue;
        };
        let q = parts
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        // Higher q wins; on a tie the earlier one.
        if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
            best = Some((q, i, lang));
        }
    }
    best.map(|(_, _, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_the_default() {
        assert_eq!(negotiate(None, None), Lang::Zh);
        assert_eq!(negotiate(None, Some("fr-FR,de;q=0.8")), Lang::Zh);
    }

    #[test]
    fn accept_language_then_query() {
        assert_eq!(negotiate(None, Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(negotiate(None, Some("en;q=0.4,zh-CN;q=0.9")), Lang::Zh);
        assert_eq!(negotiate(Some("zh"), Some("en-US")), Lang::Zh);
        assert_eq!(negotiate(Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(negotiate(Some("xx"), Some("en")), Lang::En);
        assert_eq!(negotiate(None, Some("zh;q=0, en")), Lang::En);
    }
}
