//! Pieces the pages share: statuses, references linked by name, dates, tables that reflow to cards
//! on a phone, field lists, and an entity's history with translated event kinds.

use super::ctx::PageCtx;
use crate::server::i18n::{format, Lang};
use delib_events::{RefKind, Reference};
use delib_projections::directory::Label;
use delib_projections::views::Views;
use maud::{html, Markup};
use serde_json::Value;
use std::sync::Arc;

/// A JSON value's text ("" for anything else).
pub fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// A JSON array's items.
pub fn items(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

/// A status code as a badge in the page's language.
pub fn status(ctx: &PageCtx, code: &str) -> Markup {
    html! { span class={ "badge status-" (code) } { (ctx.tr.code("status", code)) } }
}

/// A date (`<time>`), or "—".
pub fn date(ctx: &PageCtx, v: &Value) -> Markup {
    match v.as_str().filter(|t| !t.is_empty()) {
        None => html! { (ctx.tr.t("none")) },
        Some(t) => html! { time datetime=(format::iso_date(t)) { (format::date(ctx.lang(), t)) } },
    }
}

/// A date and time (`<time>`), or "—".
pub fn date_time(ctx: &PageCtx, v: &Value) -> Markup {
    match v.as_str().filter(|t| !t.is_empty()) {
        None => html! { (ctx.tr.t("none")) },
        Some(t) => html! { time datetime=(t) { (format::date_time(ctx.lang(), t)) } },
    }
}

/// The public names of references (titles, topics, questions, organisations' names; never a
/// person's name: persons have none here).
#[derive(Debug, Clone)]
pub struct Names(pub Arc<Views>);

impl Names {
    /// The public name of a reference (`ORG-5` → its name), if it has one.
    pub fn of(&self, reference: &str) -> Option<String> {
        let r: Reference = reference.parse().ok()?;
        let stream = self.0.directory.resolve(r)?;
        match &self.0.directory.get(stream)?.label {
            Label::Organisation { name, .. } => Some(name.clone()),
            Label::Proposal { title } | Label::Dispute { title } => Some(title.clone()),
            Label::Hearing { topic } | Label::Consultation { topic } => Some(topic.clone()),
            Label::Ballot { question } => Some(question.clone()),
            Label::Person { .. } => None,
        }
    }
}

/// The page of a reference's kind (`/orgs`, `/proposals`...), if it has pages.
pub fn kind_path(kind: RefKind) -> Option<&'static str> {
    match kind {
        RefKind::Proposal => Some("/proposals"),
        RefKind::Hearing => Some("/hearings"),
        RefKind::Consultation => Some("/consultations"),
        RefKind::Ballot => Some("/ballots"),
        RefKind::Dispute => Some("/disputes"),
        RefKind::Organisation => Some("/orgs"),
        RefKind::Person => None,
    }
}

/// A reference linked to its page and named (`ORG-5 Liulitun Housing Management Office`); a
/// person is shown as a reference only (no page, no name).
pub fn reference(ctx: &PageCtx, names: &Names, r: &str) -> Markup {
    if r.is_empty() {
        return html! { (ctx.tr.t("none")) };
    }
    let kind = r.parse::<Reference>().ok().map(|x| x.kind);
    match kind.and_then(kind_path) {
        Some(base) => {
            let name = names.of(r);
            html! {
                a.ref href=(ctx.link(&format!("{base}/{r}"))) {
                    span.code { (r) }
                    @if let Some(n) = name { " " (n) }
                }
            }
        }
        None => match kind {
            Some(RefKind::Person) => html! {
                span.person title=(ctx.tr.t("person-ref-note")) { (ctx.tr.t("person")) " " span.code { (r) } }
            },
            _ => html! { (r) },
        },
    }
}

/// References as a comma-separated list.
pub fn references(ctx: &PageCtx, names: &Names, refs: &[Value]) -> Markup {
    html! {
        @if refs.is_empty() { (ctx.tr.t("none")) }
        @for (i, r) in refs.iter().enumerate() {
            @if i > 0 { (ctx.tr.t("list-separator")) }
            (reference(ctx, names, s(r)))
        }
    }
}

/// A list of label/value pairs.
pub fn fields(rows: &[(String, Markup)]) -> Markup {
    html! {
        dl.fields {
            @for (k, v) in rows {
                div { dt { (k) } dd { (v) } }
            }
        }
    }
}

/// A table with a caption that reflows to one card per row on a phone (each cell carries its
/// column's name).
pub fn table(caption: &str, headers: &[String], rows: &[Vec<Markup>]) -> Markup {
    html! {
        div.table-wrap {
            table.cards {
                caption { (caption) }
                thead { tr { @for h in headers { th scope="col" { (h) } } } }
                tbody {
                    @for row in rows {
                        tr {
                            @for (i, cell) in row.iter().enumerate() {
                                td data-label=(headers.get(i).map_or("", String::as_str)) { span.cell { (cell) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The empty state of a list.
pub fn empty(text: &str) -> Markup {
    html! { p.empty { (text) } }
}

/// References (`ORG-41`, `PROP-3`) inside a text.
pub fn refs_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.parse::<Reference>().is_ok())
        .map(str::to_owned)
        .collect();
    out.dedup();
    out
}

/// The recorded text of a one-line event summary: what follows its English prefix
/// (`mediation by ORG-41 failed: The homeowners' committee ...` → `The homeowners' committee ...`).
pub fn recorded_text(summary: &str) -> Option<&str> {
    summary.split_once(": ").map(|(_, rest)| rest.trim())
}

/// An English summary shown as it is recorded, with its dates, times and amounts written as people
/// write them: `2014-03-20T14:00:00Z` → `20 Mar 2014, 14:00`, `due 2014-09-30` → `due 30 Sep 2014`,
/// `100000.00 yuan` → `100,000 yuan`.
pub fn readable_summary(tr: crate::server::i18n::Tr, text: &str) -> String {
    let lang = tr.lang();
    let words: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        // the word without trailing punctuation (`2014-09-30,`)
        let core = w.trim_end_matches([',', ';', ')', '.']);
        let tail = &w[core.len()..];
        let b = core.as_bytes();
        let is_date = b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[7] == b'-'
            && b[5..7].iter().chain(&b[8..10]).all(u8::is_ascii_digit);
        if is_date && (b.len() == 10 || b[10] == b'T') {
            let shown = if b.len() == 10 {
                format::date(lang, core)
            } else {
                format::date_time(lang, core)
            };
            out.push(format!("{shown}{tail}"));
        } else if words.get(i + 1).is_some_and(|n| n.starts_with("yuan")) {
            match core.parse::<f64>() {
                Ok(y) if tail.is_empty() => {
                    out.push(format!(
                        "{}{}",
                        format::money(tr, y),
                        words[i + 1].trim_start_matches("yuan")
                    ));
                    i += 1;
                }
                _ => out.push(w.to_owned()),
            }
        } else {
            out.push(w.to_owned());
        }
        i += 1;
    }
    out.join(" ")
}

/// What a Chinese reader is shown of an event's one-line English summary: the recorded text after
/// its English prefix, with what the summary adds in English put into words: an amount of yuan
/// (`100000.00 yuan` → `100,000 元`), labour days, a trailing category or organisation kind
/// (`(infrastructure)` → `（基础设施）`), a progress percentage, a decision's outcome. `None`
/// when the summary holds nothing but its kind.
pub fn recorded_words(tr: crate::server::i18n::Tr, summary: &str) -> Option<String> {
    use crate::server::i18n::catalog::code_id;
    use crate::server::i18n::Arg;
    if let Some(p) = summary
        .strip_prefix("progress ")
        .filter(|p| p.ends_with('%'))
    {
        return Some(p.to_owned());
    }
    if let Some((outcome, _)) = summary.split_once(" on the basis of ") {
        if tr.has(&code_id("outcome", outcome)) {
            return Some(tr.code("outcome", outcome));
        }
    }
    let text = recorded_text(summary)?;
    if let Some(y) = text
        .strip_suffix(" yuan")
        .and_then(|n| n.parse::<f64>().ok())
    {
        return Some(format::money(tr, y));
    }
    if let Some(d) = text
        .strip_suffix(" labour day(s)")
        .and_then(|n| n.parse::<u64>().ok())
    {
        return Some(tr.with(
            "labour-days",
            &[
                ("n", Arg::Num(d as f64)),
                ("shown", Arg::Str(&format::grouped(d))),
            ],
        ));
    }
    if let Some((head, code)) = text.strip_suffix(')').and_then(|t| t.rsplit_once(" (")) {
        for group in ["category", "orgkind"] {
            if tr.has(&code_id(group, code)) {
                let words = tr.code(group, code);
                return Some(match tr.lang() {
                    Lang::Zh => format!("{head}（{words}）"),
                    Lang::En => format!("{head} ({words})"),
                });
            }
        }
    }
    Some(text.to_owned())
}

/// An entity's history (the `history` view): when, what (translated), the references it names
/// and, in Chinese, the recorded text without the English sentence around it.
pub fn history(ctx: &PageCtx, names: &Names, entries: &Value) -> Markup {
    let tr = ctx.tr;
    let headers = [tr.t("col-when"), tr.t("col-what"), tr.t("col-details")];
    let rows: Vec<Vec<Markup>> = items(entries)
        .iter()
        .map(|e| {
            let summary = s(&e["summary"]);
            let own = s(&e["ref"]).to_owned();
            let detail = match ctx.lang() {
                Lang::En => html! { (readable_summary(tr, summary)) },
                Lang::Zh => {
                    let mentioned: Vec<String> =
                        refs_in(summary).into_iter().filter(|r| *r != own).collect();
                    html! {
                        @for r in &mentioned { (reference(ctx, names, r)) " " }
                        @if let Some(t) = recorded_words(tr, summary) { span.recorded { (t) } }
                    }
                }
            };
            vec![
                date_time(ctx, &e["occurred_at"]),
                html! { (tr.code("event", s(&e["kind"]))) },
                detail,
            ]
        })
        .collect();
    html! {
        section {
            h2 { (tr.t("history")) }
            @if rows.is_empty() { (empty(&tr.t("history-empty"))) }
            @else { (table(&tr.t("history-caption"), &headers, &rows)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_recorded_text_are_found_in_summaries() {
        let s = "mediation by ORG-41 failed: The committee could not meet PROP-3.";
        assert_eq!(refs_in(s), vec!["ORG-41", "PROP-3"]);
        assert_eq!(
            recorded_text(s),
            Some("The committee could not meet PROP-3.")
        );
        assert_eq!(recorded_text("closed"), None);
    }

    #[test]
    fn what_a_summary_adds_in_english_is_put_into_chinese_words() {
        use crate::server::i18n::Tr;
        let zh = Tr::new(Lang::Zh);
        let cases = [
            (
                "pledge 1 by organisation ORG-5: 100000.00 yuan",
                "100,000 元",
            ),
            (
                "pledge 4 by organisation ORG-8: 30 labour day(s)",
                "出工 30 天",
            ),
            (
                "PROP-1 submitted by person PER-2: 装路灯 (infrastructure)",
                "装路灯（基础设施）",
            ),
            (
                "ORG-2 registered: 十北社区 (residents-committee)",
                "十北社区（居委会）",
            ),
            ("progress 60%", "60%"),
            ("adopted on the basis of HEAR-1", "通过"),
            ("returned: 材料不全", "材料不全"),
        ];
        for (summary, words) in cases {
            assert_eq!(
                recorded_words(zh, summary).as_deref(),
                Some(words),
                "{summary}"
            );
        }
        assert_eq!(recorded_words(zh, "admitted for deliberation"), None);
    }

    #[test]
    fn dates_and_amounts_in_an_english_summary_read_as_people_write_them() {
        let en = crate::server::i18n::Tr::new(Lang::En);
        assert_eq!(
            readable_summary(
                en,
                "opened at 2014-03-20T14:00:00Z; assigned to ORG-2, due 2014-09-30"
            ),
            "opened at 20 Mar 2014, 14:00; assigned to ORG-2, due 30 Sep 2014"
        );
        assert_eq!(
            readable_summary(en, "pledge 1 by ORG-5: 100000.00 yuan"),
            "pledge 1 by ORG-5: 100,000 yuan"
        );
        assert_eq!(
            readable_summary(en, "no date, 2014 only"),
            "no date, 2014 only"
        );
    }
}
