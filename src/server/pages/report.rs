//! `GET /reports/transparency?from=&to=`: the transparency report as a page of the site (the same
//! sections as the report file, codes translated, durations in whole days, hashes that wrap), and
//! `GET /verify`: what a signed checkpoint proves, in plain words, with links to the report's JSON,
//! the ledger's public key and the ways to check.

use super::ctx::PageCtx;
use super::{errors, layout, parts};
use crate::server::error::ApiError;
use crate::server::handlers::blocking;
use crate::server::handlers::views;
use crate::server::i18n::{format, Tr};
use crate::server::Shared;
use crate::store::EventStore;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use delib_projections::report::document::{layout as sections, Chart, Section};
use delib_projections::report::{Report, WitnessedCheckpoint};
use maud::{html, Markup, PreEscaped};

/// The groups a report cell may be a code of, tried in order.
const CELL_GROUPS: &[&str] = &[
    "status",
    "category",
    "stance",
    "outcome",
    "format",
    "orgkind",
    "pledgekind",
    "option",
];

/// A report cell in the page's language: a known code as its words, a number of days whole.
fn cell(tr: Tr, header: &str, days_header: &str, text: &str) -> Markup {
    if header == days_header {
        if let Ok(d) = text.parse::<f64>() {
            return html! { (format::days(tr, d)) };
        }
    }
    for g in CELL_GROUPS {
        let id = crate::server::i18n::catalog::code_id(g, text);
        if tr.has(&id) {
            return html! { (tr.t(&id)) };
        }
    }
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return html! { span.hash { (text) } };
    }
    // A base64 root hash (a witnessed checkpoint's) wraps too.
    if text.len() == 44
        && text.ends_with('=')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    {
        return html! { span.hash { (text) } };
    }
    // A date or time (a commitment's due date): as people write it, not RFC 3339.
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        use chrono::Timelike;
        return if t.hour() == 0 && t.minute() == 0 && t.second() == 0 {
            html! { (format::date(tr.lang(), text)) }
        } else {
            html! { (format::date_time(tr.lang(), text)) }
        };
    }
    html! { (text) }
}

fn when(ctx: &PageCtx, name: &str) -> Result<Option<crate::app::when::Written>, ApiError> {
    match ctx.param(name) {
        None => Ok(None),
        Some(t) => crate::app::when::Written::parse(t)
            .map(Some)
            .map_err(ApiError::bad_request),
    }
}

/// `GET /reports/transparency?from=&to=`.
pub async fn report(State(state): State<Shared>, ctx: PageCtx) -> Response {
    let (from, to) = match (when(&ctx, "from"), when(&ctx, "to")) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => return errors::page(&ctx, &e),
    };
    // One rule for date-only bounds: `from` is the start of its day, `to` its end, in the
    // ledger's zone (the same as the API's `ReportQuery::period`).
    let query = views::ReportQuery {
        from,
        to,
        ..Default::default()
    };
    let found = blocking(&state, move |st| {
        let (from, to) = query.period(&st.svc)?;
        views::transparency(st, from, to)
    })
    .await;
    match found {
        Ok(r) => page(&ctx, &r).into_response(),
        Err(e) => errors::page(&ctx, &e),
    }
}

fn section(ctx: &PageCtx, report: &Report, s: &Section) -> Markup {
    let tr = ctx.tr;
    let labels = ctx.lang().labels();
    html! {
        section {
            h2 { (s.heading) }
            @if !s.figures.is_empty() {
                dl.fields {
                    @for (k, v) in &s.figures {
                        div {
                            dt { (k) }
                            dd {
                                @if k == labels.checkpoint { pre.checkpoint.hash { (v) } }
                                @else if k == labels.median_days_to_decision || k == labels.median_days_to_resolution {
                                    @match v.parse::<f64>() { Ok(d) => { (format::days(tr, d)) } Err(_) => { (v) } }
                                }
                                @else { (cell(tr, "", labels.days, v)) }
                            }
                        }
                    }
                }
            }
            @if let Some(chart) = s.chart {
                figure.chart {
                    @match chart {
                        Chart::ProposalOutcomes => {
                            figcaption { (labels.chart_outcomes) }
                            (PreEscaped(delib_projections::report::svg::column_chart(labels.chart_outcomes, &[
                                (labels.submitted.to_owned(), report.proposals.submitted as f64),
                                (labels.adopted.to_owned(), report.proposals.adopted as f64),
                                (labels.rejected.to_owned(), report.proposals.rejected as f64),
                                (labels.withdrawn.to_owned(), report.proposals.withdrawn as f64),
                                (labels.returned.to_owned(), report.proposals.returned as f64),
                                (labels.completed.to_owned(), report.proposals.completed as f64),
                            ])))
                        }
                        Chart::DisputeDurations => {
                            figcaption { (labels.chart_durations) }
                            (PreEscaped(delib_projections::report::svg::bar_chart(labels.chart_durations,
                                &report.disputes.durations.iter().map(|d| (d.reference.clone(), d.days.round())).collect::<Vec<_>>(),
                                labels.none)))
                        }
                    }
                }
            }
            @for t in &s.tables {
                @if t.rows.is_empty() {
                    @if let Some(c) = &t.caption { h3 { (c) } }
                    (parts::empty(labels.none))
                } @else {
                    (parts::table(t.caption.as_deref().unwrap_or(&s.heading), &t.headers,
                        &t.rows.iter().map(|row| row.iter().enumerate().map(|(i, c)| {
                            let reference_cell = c.parse::<delib_events::Reference>().is_ok();
                            let header = t.headers.get(i).map_or("", String::as_str);
                            if header == labels.cosigned_at {
                                return parts::date_time(ctx, &serde_json::Value::String(c.clone()));
                            }
                            if reference_cell {
                                html! { a href=(ctx.link(&format!("{}/{c}", parts::kind_path(c.parse::<delib_events::Reference>().map(|r| r.kind).unwrap_or(delib_events::RefKind::Person)).unwrap_or("")))) { (c) } }
                            } else {
                                cell(tr, t.headers.get(i).map_or("", String::as_str), labels.days, c)
                            }
                        }).collect::<Vec<_>>()).collect::<Vec<_>>()))
                }
            }
            @for p in &s.paragraphs { p.note { (p) } }
        }
    }
}

fn page(ctx: &PageCtx, report: &Report) -> Markup {
    let tr = ctx.tr;
    let labels = ctx.lang().labels();
    let from = ctx.param("from").unwrap_or("");
    let to = ctx.param("to").unwrap_or("");
    let mut json_query: Vec<(&str, &str)> = Vec::new();
    if !from.is_empty() {
        json_query.push(("from", from));
    }
    if !to.is_empty() {
        json_query.push(("to", to));
    }
    let json_href = format!(
        "/api/v1/reports/transparency?{}",
        serde_urlencoded::to_string(&json_query).unwrap_or_default()
    );
    let mut file_query = json_query.clone();
    file_query.push(("format", "html"));
    file_query.push(("lang", tr.query_code()));
    let file_href = format!(
        "/api/v1/reports/transparency?{}",
        serde_urlencoded::to_string(&file_query).unwrap_or_default()
    );
    let body = html! {
        form.filters method="get" {
            input type="hidden" name="lang" value=(tr.query_code());
            label { (tr.t("report-from")) input type="date" name="from" value=(from); }
            label { (tr.t("report-to")) input type="date" name="to" value=(to); }
            button type="submit" { (tr.t("report-show")) }
        }
        p.meta {
            // Without a `from`, the period starts at the epoch: say "since the ledger began".
            @if report.period.from.starts_with("1970-01-01") {
                (tr.with("report-period-since-start", &[
                    ("to", format::date(ctx.lang(), &report.period.to).as_str().into()),
                ]))
            } @else {
                (tr.with("report-period", &[
                    ("from", format::date(ctx.lang(), &report.period.from).as_str().into()),
                    ("to", format::date(ctx.lang(), &report.period.to).as_str().into()),
                ]))
            }
        }
        @for s in sections(report, labels).iter().filter(|s| s.heading != labels.how_to_verify) {
            (section(ctx, report, s))
        }
        section {
            h2 { (tr.t("report-check")) }
            p { (tr.t("report-check-text")) }
            ul {
                li { a href=(json_href) { (tr.t("report-json")) } }
                li { a href=(file_href) { (tr.t("report-file")) } }
                li { a href=(ctx.link("/verify")) { (tr.t("report-how")) } }
            }
        }
    };
    layout::page(ctx, &tr.t("report-title"), body)
}

/// `GET /verify`: what a signed checkpoint proves, in plain words.
pub async fn verify(State(state): State<Shared>, ctx: PageCtx) -> Response {
    let head = state.svc.store().head();
    let size = head.position.get();
    let hash = head.hash.to_hex();
    let witnessed = match blocking(&state, move |st| {
        st.svc.witnessed_up_to(size).map_err(ApiError::from)
    })
    .await
    {
        Ok(w) => w,
        Err(e) => return errors::page(&ctx, &e),
    };
    let tr = ctx.tr;
    let body = html! {
        p.lead { (tr.t("verify-intro")) }
        h2 { (tr.t("verify-proves")) }
        ul.verify-steps {
            li { (tr.t("verify-proves-1")) }
            li { (tr.t("verify-proves-2")) }
            li { (tr.t("verify-proves-3")) }
        }
        h2 { (tr.t("verify-not")) }
        ul.verify-steps {
            li { (tr.t("verify-not-1")) }
            li { (tr.t("verify-not-2")) }
        }
        h2 { (tr.t("verify-how")) }
        ol.verify-steps {
            li { (tr.t("verify-step-1")) " " a href="/api/v1/reports/transparency" { (tr.t("report-json")) } }
            li { (tr.t("verify-step-2")) " " a href="/api/v1/audit/key" { (tr.t("verify-key")) } }
            li { (tr.t("verify-step-3")) }
            li { (tr.t("verify-step-tlog")) " " a href="/tlog/checkpoint" { (tr.t("verify-tlog")) } }
            li { (tr.t("verify-step-4")) " " a href=(ctx.link("/ballots")) { (tr.t("nav-ballots")) } }
        }
        (witnesses(&ctx, &witnessed))
        h2 { (tr.t("verify-now")) }
        (parts::fields(&[
            (tr.t("verify-size"), html! { (size) }),
            (tr.t("verify-head"), html! { span.hash { (hash) } }),
        ]))
        p.note { (tr.t("verify-proofs-note")) }
    };
    layout::page(&ctx, &tr.t("verify-title"), body).into_response()
}

/// Who witnessed which checkpoint: the cosignatures collected by `delib audit witness` that check
/// out with the witness key recorded with them.
fn witnesses(ctx: &PageCtx, witnessed: &[WitnessedCheckpoint]) -> Markup {
    let tr = ctx.tr;
    let headers = [
        tr.t("witness-col-witness"),
        tr.t("witness-col-key"),
        tr.t("witness-col-checkpoint"),
        tr.t("witness-col-time"),
    ];
    let rows: Vec<Vec<Markup>> = witnessed
        .iter()
        .map(|w| {
            vec![
                html! { span.wrap { (w.witness) } },
                html! { span.code { (w.key_id) } },
                html! {
                    (tr.with("district-size", &[("size", w.size.into())]))
                    br;
                    (tr.t("district-root")) ": " span.hash { (w.root) }
                },
                parts::date_time(ctx, &serde_json::Value::String(w.time.clone())),
            ]
        })
        .collect();
    html! {
        section #witnesses {
            h2 { (tr.t("witness-title")) }
            p { (tr.t("witness-intro")) }
            @if rows.is_empty() { (parts::empty(&tr.t("witness-empty"))) }
            @else { (parts::table(&tr.t("witness-caption"), &headers, &rows)) }
        }
    }
}
