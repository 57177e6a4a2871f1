//! Server-rendered pages: no build step, no JavaScript, one small inline stylesheet, readable on a
//! phone. Every page reads the same JSON views the API serves (public ones only: no names, no secret
//! choices) and escapes all text. `?lang=zh` switches the labels to Chinese.

mod labels;

use super::error::ApiError;
use super::handlers::blocking;
use super::handlers::views::{self, ProposalQuery, ReportQuery, TimelineQuery};
use super::Shared;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use delib_events::proposal::Category;
use delib_events::RefKind;
use delib_projections::proposals::ProposalStatus;
use delib_projections::report::html::escape;
use delib_projections::report::{self, Lang};
use labels::{Labels, EN, ZH};
use serde::Deserialize;
use serde_json::Value;
use std::fmt::Write as _;

/// `?lang=`.
#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    /// `en` or `zh`.
    pub lang: Option<String>,
}

fn lang_of(q: Option<&str>) -> Lang {
    q.and_then(Lang::parse).unwrap_or(Lang::En)
}

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
    }
}

/// Text of a JSON value, escaped.
fn t(v: &Value) -> String {
    match v {
        Value::String(s) => escape(s),
        Value::Null => "—".into(),
        other => escape(&other.to_string()),
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:48rem;padding:1rem;line-height:1.5;color:#222}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.35rem;text-align:left;vertical-align:top}\
nav{display:flex;gap:1rem;flex-wrap:wrap;margin-bottom:1rem}form{display:flex;gap:.5rem;flex-wrap:wrap;margin:1rem 0}\
.status{font-size:.85em;padding:.1rem .4rem;border-radius:.3rem;background:#eef}svg{max-width:100%;height:auto}\
@media (max-width:600px){td,th{font-size:.9em}}";

/// A page: `title` (escaped here), `body` (already escaped), and the language switch for `path`.
fn page(lang: Lang, title: &str, path: &str, query: &str, body: &str) -> Html<String> {
    let l = labels(lang);
    let sep = if query.is_empty() { "" } else { "&amp;" };
    Html(format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
<style>{STYLE}</style></head><body><nav><a href=\"/?lang={ls}\">{board}</a>\
<a href=\"/reports/transparency?lang={ls}\">{report}</a><span>\
<a href=\"{path}?{query}{sep}lang=en\">English</a> · <a href=\"{path}?{query}{sep}lang=zh\">中文</a></span></nav>\
<h1>{title}</h1>{body}</body></html>",
        code = lang.code(),
        title = escape(title),
        ls = lang_code(lang),
        board = l.board,
        report = l.report,
        path = escape(path),
    ))
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    }
}

/// A failed page: the error's status with a short page.
fn error_page(e: ApiError) -> Response {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{s}</title></head><body><h1>{s}</h1><p>{m}</p><p><a href=\"/\">delib</a></p></body></html>",
        s = e.status,
        m = escape(&e.message)
    );
    (e.status, Html(body)).into_response()
}

/// `?status=&category=&lang=` of the board.
#[derive(Debug, Default, Deserialize)]
pub struct BoardQuery {
    /// A status.
    pub status: Option<String>,
    /// A category.
    pub category: Option<String>,
    /// `en` or `zh`.
    pub lang: Option<String>,
}

fn select(name: &str, label: &str, options: &[&str], chosen: Option<&str>, all: &str) -> String {
    let mut s = format!("<label>{label} <select name=\"{name}\"><option value=\"\">{all}</option>");
    for o in options {
        let sel = if Some(*o) == chosen { " selected" } else { "" };
        let _ = write!(s, "<option{sel}>{}</option>", escape(o));
    }
    s.push_str("</select></label>");
    s
}

/// `GET /`: the proposal board, filtered by status and category.
pub async fn board(State(state): State<Shared>, Query(q): Query<BoardQuery>) -> Response {
    let lang = lang_of(q.lang.as_deref());
    let l = labels(lang);
    let filter = ProposalQuery {
        status: q.status.clone(),
        category: q.category.clone(),
        ..ProposalQuery::default()
    };
    let list = match blocking(&state, move |s| views::proposal_list(&s.svc, &filter)).await {
        Ok(v) => v,
        Err(e) => return error_page(e),
    };
    let statuses: Vec<&str> = ProposalStatus::ALL.iter().map(|s| s.as_str()).collect();
    let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    let mut body = format!(
        "<form method=\"get\" action=\"/\"><input type=\"hidden\" name=\"lang\" value=\"{}\">{}{}<button>{}</button></form>",
        lang_code(lang),
        select("status", l.status, &statuses, q.status.as_deref(), l.all),
        select("category", l.category, &categories, q.category.as_deref(), l.all),
        l.filter
    );
    let rows = list.as_array().cloned().unwrap_or_default();
    if rows.is_empty() {
        let _ = write!(body, "<p>{}</p>", l.none);
    } else {
        let _ = write!(
            body,
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            l.reference, l.title, l.category, l.status, l.progress
        );
        for p in rows {
            let r = p["ref"].as_str().unwrap_or_default();
            let _ = write!(
                body,
                "<tr><td><a href=\"/proposals/{r}?lang={lc}\">{r}</a></td><td>{}</td><td>{}</td><td><span class=\"status\">{}</span></td><td>{}%</td></tr>",
                t(&p["title"]),
                t(&p["category"]),
                t(&p["status"]),
                t(&p["progress"]),
                r = escape(r),
                lc = lang_code(lang),
            );
        }
        body.push_str("</tbody></table>");
    }
    let query = format!(
        "status={}&amp;category={}",
        escape(q.status.as_deref().unwrap_or("")),
        escape(q.category.as_deref().unwrap_or(""))
    );
    page(lang, l.board, "/", &query, &body).into_response()
}

fn history_table(l: &Labels, history: &Value) -> String {
    let mut s = format!(
        "<h2>{}</h2><table><thead><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l.history, l.when, l.by, l.what
    );
    for e in history.as_array().into_iter().flatten() {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            t(&e["position"]),
            t(&e["occurred_at"]),
            t(&e["recorded_by"]),
            t(&e["summary"])
        );
    }
    s.push_str("</tbody></table>");
    s
}

/// `GET /proposals/{ref}`: a proposal and its history.
pub async fn proposal(
    State(state): State<Shared>,
    Path(r): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = lang_of(q.lang.as_deref());
    let l = labels(lang);
    let found = blocking(&state, move |s| {
        let v = views::show(&s.svc, RefKind::Proposal, &r)?;
        let h = s.svc.history(&r)?;
        Ok((v, h))
    })
    .await;
    let (v, history) = match found {
        Ok(x) => x,
        Err(e) => return error_page(e),
    };
    let mut body = format!(
        "<p><span class=\"status\">{}</span> · {} · {} {}%</p><p>{}</p><table>",
        t(&v["status"]),
        t(&v["category"]),
        l.progress,
        t(&v["progress"]),
        t(&v["body"])
    );
    let rows = [
        (l.author, &v["author"]),
        (l.submitted, &v["submitted_at"]),
        (l.decision, &v["decision"]["outcome"]),
        (l.basis, &v["decision"]["basis"]),
        (l.assigned, &v["assigned_to"]),
        (l.completion, &v["completion"]),
    ];
    for (k, val) in rows {
        let _ = write!(body, "<tr><th>{k}</th><td>{}</td></tr>", t(val));
    }
    let cosigners: Vec<String> = v["cosigners"]
        .as_array()
        .into_iter()
        .flatten()
        .map(t)
        .collect();
    let _ = write!(
        body,
        "<tr><th>{}</th><td>{}</td></tr></table>",
        l.cosigners,
        cosigners.join(", ")
    );
    body.push_str(&history_table(l, &history));
    let title = format!(
        "{} {}",
        v["ref"].as_str().unwrap_or_default(),
        v["title"].as_str().unwrap_or_default()
    );
    let path = format!("/proposals/{}", v["ref"].as_str().unwrap_or_default());
    page(lang, &title, &path, "", &body).into_response()
}

/// `?as_of=&at_position=&lang=` of the dispute page.
#[derive(Debug, Default, Deserialize)]
pub struct DisputePageQuery {
    /// Only acts that happened by then.
    pub as_of: Option<String>,
    /// Only what the ledger held at this position.
    pub at_position: Option<String>,
    /// `en` or `zh`.
    pub lang: Option<String>,
}

/// An inline SVG timeline: one dot per step, top to bottom, with its date and kind.
fn svg_timeline(steps: &[Value]) -> String {
    let row = 44;
    let height = 20 + row * steps.len().max(1);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 {height}\" role=\"img\" aria-label=\"timeline\">\
<line x1=\"24\" y1=\"10\" x2=\"24\" y2=\"{}\" stroke=\"#889\" stroke-width=\"2\"/>",
        height - 10
    );
    for (i, step) in steps.iter().enumerate() {
        let y = 24 + row * i;
        let date: String = step["occurred_at"]
            .as_str()
            .unwrap_or_default()
            .chars()
            .take(10)
            .collect();
        let _ = write!(
            s,
            "<circle cx=\"24\" cy=\"{y}\" r=\"7\" fill=\"#36c\"/><text x=\"44\" y=\"{}\" font-size=\"13\" font-weight=\"bold\">{} · {}</text>\
<text x=\"44\" y=\"{}\" font-size=\"12\" fill=\"#444\">{}</text>",
            y - 3,
            escape(&date),
            t(&step["kind"]),
            y + 13,
            t(&step["summary"])
        );
    }
    s.push_str("</svg>");
    s
}

/// `GET /disputes/{ref}`: a dispute's timeline (as of a date or ledger position) with an SVG.
pub async fn dispute(
    State(state): State<Shared>,
    Path(r): Path<String>,
    Query(q): Query<DisputePageQuery>,
) -> Response {
    let lang = lang_of(q.lang.as_deref());
    let l = labels(lang);
    let as_of = match q.as_of.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match crate::app::when::Written::parse(s) {
            Ok(w) => Some(w),
            Err(m) => return error_page(ApiError::bad_request(m)),
        },
    };
    let at_position = match q.at_position.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match s.trim().parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => return error_page(ApiError::bad_request("at_position must be a number")),
        },
    };
    let cut = TimelineQuery { as_of, at_position };
    let reference = r.clone();
    let v = match blocking(&state, move |s| views::timeline(&s.svc, &reference, &cut)).await {
        Ok(v) => v,
        Err(e) => return error_page(e),
    };
    let steps = v["steps"].as_array().cloned().unwrap_or_default();
    let mut body = format!(
        "<p><span class=\"status\">{}</span> · {}: {}</p>\
<form method=\"get\"><input type=\"hidden\" name=\"lang\" value=\"{lc}\"><label>{} <input name=\"as_of\" type=\"date\" value=\"{}\"></label>\
<label>{} <input name=\"at_position\" inputmode=\"numeric\" size=\"6\" value=\"{}\"></label><button>{}</button></form>",
        t(&v["status"]),
        l.mediation_attempts,
        t(&v["mediation_attempts"]),
        l.as_of,
        escape(q.as_of.as_deref().unwrap_or("")),
        l.at_position,
        escape(q.at_position.as_deref().unwrap_or("")),
        l.show,
        lc = lang_code(lang),
    );
    body.push_str(&svg_timeline(&steps));
    let _ = write!(
        body,
        "<table><thead><tr><th>#</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l.when, l.what
    );
    for step in &steps {
        let _ = write!(
            body,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            t(&step["position"]),
            t(&step["occurred_at"]),
            t(&step["summary"])
        );
    }
    body.push_str("</tbody></table>");
    let title = format!(
        "{} {}",
        v["ref"].as_str().unwrap_or_default(),
        v["title"].as_str().unwrap_or_default()
    );
    let path = format!("/disputes/{}", v["ref"].as_str().unwrap_or_default());
    page(lang, &title, &path, "", &body).into_response()
}

/// `GET /reports/transparency?from=&to=&lang=`: the report's self-contained HTML, with a form to
/// choose the period.
pub async fn report(State(state): State<Shared>, Query(q): Query<ReportQuery>) -> Response {
    let lang = match q.lang() {
        Ok(l) => l,
        Err(e) => return error_page(e),
    };
    let l = labels(lang);
    let (from, to) = match q.period(&state.svc) {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let from_text = q.from.map(|_| crate::app::views::rfc3339(from));
    let to_text = to.map(crate::app::views::rfc3339);
    let html = match blocking(&state, move |s| {
        Ok(report::render(
            views::transparency(s, from, to)?.as_ref(),
            report::Format::Html,
            lang,
        ))
    })
    .await
    {
        Ok(h) => h,
        Err(e) => return error_page(e),
    };
    let date = |t: &Option<String>| {
        t.as_deref()
            .map(|s| s.chars().take(10).collect::<String>())
            .unwrap_or_default()
    };
    let nav = format!(
        "<nav style=\"font-family:system-ui,sans-serif\"><a href=\"/?lang={lc}\">{}</a> · \
<a href=\"?lang=en\">English</a> · <a href=\"?lang=zh\">中文</a></nav>\
<form method=\"get\" style=\"font-family:system-ui,sans-serif\"><input type=\"hidden\" name=\"lang\" value=\"{lc}\">\
<label>{} <input type=\"date\" name=\"from\" value=\"{}\"></label> <label>{} <input type=\"date\" name=\"to\" value=\"{}\"></label> <button>{}</button></form>",
        l.board,
        l.from,
        escape(&date(&from_text)),
        l.to,
        escape(&date(&to_text)),
        l.show,
        lc = lang_code(lang),
    );
    let with_nav = match html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
    {
        Some(at) => format!("{}{nav}{}", &html[..at], &html[at..]),
        None => format!("{nav}{html}"),
    };
    let with_viewport = if with_nav.contains("name=\"viewport\"") {
        with_nav
    } else {
        with_nav.replacen(
            "<head>",
            "<head><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            1,
        )
    };
    Html(with_viewport).into_response()
}
