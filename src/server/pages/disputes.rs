//! `GET /disputes` and `GET /disputes/{ref}?as_of=`: disputes, and each dispute's timeline as it
//! stood on a date: a graphic on a time axis that scales to the screen, and the same steps as a list
//! (its text equivalent).

use super::ctx::PageCtx;
use super::parts::{self, date, fields, items, reference, s, status, Names};
use super::{errors, layout};
use crate::server::error::ApiError;
use crate::server::handlers::blocking;
use crate::server::handlers::views::{self, TimelineQuery};
use crate::server::i18n::{format, Lang};
use crate::server::Shared;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use delib_events::RefKind;
use delib_projections::Page;
use maud::{html, Markup};
use serde_json::Value;

/// `GET /disputes`.
pub async fn disputes(State(state): State<Shared>, ctx: PageCtx) -> Response {
    let found = blocking(&state, |st| {
        Ok((
            st.svc.list_page(RefKind::Dispute, Page::ALL)?,
            Names(st.svc.views()?),
        ))
    })
    .await;
    let (list, names) = match found {
        Ok(x) => x,
        Err(e) => return errors::page(&ctx, &e),
    };
    let tr = ctx.tr;
    let headers = [
        tr.t("col-dispute"),
        tr.t("col-filed"),
        tr.t("col-status"),
        tr.t("col-mediations"),
    ];
    let rows: Vec<Vec<Markup>> = items(&list)
        .iter()
        .map(|d| {
            vec![
                reference(&ctx, &names, s(&d["ref"])),
                date(&ctx, &d["filed_at"]),
                status(&ctx, s(&d["status"])),
                html! { (items(&d["mediation_attempts"]).len()) },
            ]
        })
        .collect();
    let body = html! {
        p.lead { (tr.t("disputes-intro")) }
        @if rows.is_empty() { (parts::empty(&tr.t("disputes-empty"))) }
        @else { (parts::table(&tr.t("disputes-caption"), &headers, &rows)) }
    };
    layout::page(&ctx, &tr.t("disputes-title"), body).into_response()
}

/// Seconds since the epoch of an RFC 3339 text.
fn seconds(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp())
}

/// The steps on a time axis: a numbered dot per step (the numbers match the list below), the first
/// and last dates at the ends. Decorative for screen readers (the list is its text equivalent).
fn axis(ctx: &PageCtx, steps: &[Value]) -> Markup {
    let times: Vec<i64> = steps
        .iter()
        .filter_map(|st| seconds(s(&st["occurred_at"])))
        .collect();
    let (Some(first), Some(last)) = (times.iter().min(), times.iter().max()) else {
        return html! {};
    };
    let span = (last - first).max(1) as f64;
    let x = |t: i64| 40.0 + 920.0 * (t - first) as f64 / span;
    let first_text = s(&steps[0]["occurred_at"]);
    let last_text = s(&steps[steps.len() - 1]["occurred_at"]);
    html! {
        // Sized to be read on a phone, where the 1000-unit drawing is about 360 px wide: numbers
        // at 40 units (14 px there), dates at 34.
        svg viewBox="0 0 1000 200" width="1000" height="200" aria-hidden="true" focusable="false" {
            line x1="40" y1="85" x2="960" y2="85" stroke="#5f6b7a" stroke-width="4" {}
            @for (i, t) in times.iter().enumerate() {
                @let cx = x(*t);
                @let up = i % 2 == 0;
                circle cx=(format!("{cx:.1}")) cy="85" r="14" fill="#1d4f8a" {}
                text x=(format!("{cx:.1}")) y=(if up { "50" } else { "142" }) font-size="40" text-anchor="middle" fill="#1a1a1a" { (i + 1) }
            }
            text x="40" y="192" font-size="34" fill="#333" { (format::date(ctx.lang(), first_text)) }
            text x="960" y="192" font-size="34" fill="#333" text-anchor="end" { (format::date(ctx.lang(), last_text)) }
        }
    }
}

/// `GET /disputes/{ref}?as_of=YYYY-MM-DD`.
pub async fn dispute(State(state): State<Shared>, Path(r): Path<String>, ctx: PageCtx) -> Response {
    // A date means as it stood at the end of that day, in the ledger's zone (views::timeline).
    let as_of = match ctx.param("as_of") {
        None => None,
        Some(t) => match crate::app::when::Written::parse(t) {
            Ok(w) => Some(w),
            Err(m) => return errors::page(&ctx, &ApiError::bad_request(m)),
        },
    };
    let cut = TimelineQuery {
        as_of,
        at_position: None,
    };
    let reference_text = r.clone();
    let found = blocking(&state, move |st| {
        let v = views::timeline(&st.svc, &reference_text, &cut)?;
        Ok((v, Names(st.svc.views()?)))
    })
    .await;
    match found {
        Ok((v, names)) => page(&ctx, &v, &names).into_response(),
        // Asked for a date before the dispute was filed: say so on the page, with the form.
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY && as_of.is_some() => {
            let tr = ctx.tr;
            let body = html! {
                (as_of_form(&ctx))
                (parts::empty(&tr.t("dispute-not-yet")))
                p { a href=(ctx.link(&format!("/disputes/{r}"))) { (tr.t("dispute-today")) } }
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::page(&ctx, &r, body),
            )
                .into_response()
        }
        Err(e) => errors::page(&ctx, &e),
    }
}

fn as_of_form(ctx: &PageCtx) -> Markup {
    let tr = ctx.tr;
    html! {
        form.filters method="get" {
            input type="hidden" name="lang" value=(tr.query_code());
            label {
                (tr.t("as-of-label"))
                input type="date" name="as_of" value=(ctx.param("as_of").unwrap_or(""));
            }
            button type="submit" { (tr.t("as-of-show")) }
        }
    }
}

fn step_detail(ctx: &PageCtx, names: &Names, own: &str, step: &Value) -> Markup {
    let summary = s(&step["summary"]);
    match ctx.lang() {
        Lang::En => html! { (parts::readable_summary(ctx.tr, summary)) },
        Lang::Zh => {
            let mentioned = parts::refs_in(summary);
            html! {
                @for r in mentioned.iter().filter(|r| r.as_str() != own) {
                    (reference(ctx, names, r)) " "
                }
                @if let Some(t) = parts::recorded_words(ctx.tr, summary) { span.recorded { (t) } }
            }
        }
    }
}

fn page(ctx: &PageCtx, v: &Value, names: &Names) -> Markup {
    let tr = ctx.tr;
    let steps = items(&v["steps"]);
    let parties: Vec<Vec<Markup>> = items(&v["parties"])
        .iter()
        .map(|p| {
            vec![
                reference(ctx, names, s(&p["party"])),
                html! { (tr.code_or_text("side", s(&p["side"]))) },
            ]
        })
        .collect();
    let mut rows = vec![
        (tr.t("field-status"), status(ctx, s(&v["status"]))),
        (tr.t("field-filed"), date(ctx, &v["filed_at"])),
        (
            tr.t("field-mediation-attempts"),
            html! {
                (tr.with("mediations-text", &[
                    ("n", items(&v["mediation_attempts"]).len().into()),
                    ("ok", v["mediation_succeeded"].as_u64().unwrap_or(0).into()),
                ]))
            },
        ),
    ];
    if let Some(res) = v["resolution"]["resolution"].as_str() {
        rows.push((tr.t("field-resolution"), html! { (res) }));
    }
    if !v["closed_at"].is_null() {
        rows.push((tr.t("field-closed"), date(ctx, &v["closed_at"])));
    }
    if let (Some(first), Some(last)) = (
        steps.first().and_then(|x| seconds(s(&x["occurred_at"]))),
        steps.last().and_then(|x| seconds(s(&x["occurred_at"]))),
    ) {
        rows.push((
            tr.t("field-duration"),
            html! { (format::days(tr, (last - first) as f64 / 86_400.0)) },
        ));
    }
    let title = format!("{} {}", s(&v["ref"]), s(&v["title"]));
    let as_of = ctx.param("as_of");
    let body = html! {
        p.lead { (s(&v["subject"])) }
        (as_of_form(ctx))
        @if let Some(d) = as_of {
            p.note { (tr.with("as-of-note", &[("date", format::date(ctx.lang(), d).as_str().into())])) " "
                a href=(ctx.link(&format!("/disputes/{}", s(&v["ref"])))) { (tr.t("dispute-today")) } }
        }
        (fields(&rows))
        section {
            h2 { (tr.t("parties")) }
            (parts::table(&tr.t("parties-caption"), &[tr.t("col-party"), tr.t("col-side")], &parties))
        }
        @if let Some(terms) = v["resolution"]["terms"].as_array().filter(|t| !t.is_empty()) {
            section { h2 { (tr.t("terms")) } ol.terms { @for t in terms { li { (s(t)) } } } }
        }
        section {
            h2 { (tr.t("timeline")) }
            @if steps.is_empty() { (parts::empty(&tr.t("timeline-empty"))) }
            @else {
                figure.chart {
                    figcaption { (tr.t("timeline-chart")) }
                    (axis(ctx, steps))
                }
                ol.timeline {
                    @for (i, st) in steps.iter().enumerate() {
                        li {
                            span.when { (i + 1) ". " (parts::date(ctx, &st["occurred_at"])) }
                            " · " strong { (tr.code("event", s(&st["kind"]))) }
                            @if let Some(secs) = st["since_previous_s"].as_f64() {
                                " · " span.meta { (tr.with("since-previous", &[("days", format::days(tr, secs / 86_400.0).as_str().into())])) }
                            }
                            br;
                            (step_detail(ctx, names, s(&v["ref"]), st))
                        }
                    }
                }
            }
        }
    };
    layout::page(ctx, &title, body)
}
