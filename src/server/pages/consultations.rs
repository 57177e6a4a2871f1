//! `GET /consultations` and `GET /consultations/{ref}`: consultations, their terms, and each
//! commitment with whether it was fulfilled or is overdue.

use super::ctx::PageCtx;
use super::parts::{self, date, date_time, fields, items, reference, references, s, status, Names};
use super::{errors, layout, pledges_table};
use crate::server::handlers::blocking;
use crate::server::handlers::views;
use crate::server::Shared;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use delib_events::RefKind;
use delib_projections::Page;
use maud::{html, Markup};
use serde_json::Value;

/// `fulfilled`, `overdue` (due before `now` and not fulfilled) or `pending`.
pub fn commitment_state(c: &Value, now: &str) -> &'static str {
    if c["fulfilled"].as_bool().unwrap_or(false) {
        "fulfilled"
    } else if c["due"].as_str().is_some_and(|d| d < now) {
        "overdue"
    } else {
        "pending"
    }
}

fn now(st: &crate::server::State) -> String {
    crate::app::views::rfc3339(st.svc.clock().now())
}

/// `GET /consultations`.
pub async fn consultations(State(state): State<Shared>, ctx: PageCtx) -> Response {
    let found = blocking(&state, |st| {
        Ok((
            st.svc.list_page(RefKind::Consultation, Page::ALL)?,
            Names(st.svc.views()?),
            now(st),
        ))
    })
    .await;
    let (list, names, now) = match found {
        Ok(x) => x,
        Err(e) => return errors::page(&ctx, &e),
    };
    let tr = ctx.tr;
    let headers = [
        tr.t("col-consultation"),
        tr.t("col-date"),
        tr.t("col-status"),
        tr.t("col-commitments"),
    ];
    let rows: Vec<Vec<Markup>> = items(&list)
        .iter()
        .map(|c| {
            let all = items(&c["commitments"]);
            let done = all
                .iter()
                .filter(|x| commitment_state(x, &now) == "fulfilled")
                .count();
            let overdue = all
                .iter()
                .filter(|x| commitment_state(x, &now) == "overdue")
                .count();
            vec![
                reference(&ctx, &names, s(&c["ref"])),
                date(&ctx, &c["convened_at"]),
                status(&ctx, s(&c["status"])),
                html! { (tr.with("commitments-summary", &[("total", all.len().into()), ("done", done.into()), ("overdue", overdue.into())])) },
            ]
        })
        .collect();
    let body = html! {
        p.lead { (tr.t("consultations-intro")) }
        @if rows.is_empty() { (parts::empty(&tr.t("consultations-empty"))) }
        @else { (parts::table(&tr.t("consultations-caption"), &headers, &rows)) }
    };
    layout::page(&ctx, &tr.t("consultations-title"), body).into_response()
}

/// `GET /consultations/{ref}`.
pub async fn consultation(
    State(state): State<Shared>,
    Path(r): Path<String>,
    ctx: PageCtx,
) -> Response {
    let found = blocking(&state, move |st| {
        let v = views::show(&st.svc, RefKind::Consultation, &r)?;
        let h = st.svc.history(&r)?;
        Ok((v, h, Names(st.svc.views()?), now(st)))
    })
    .await;
    match found {
        Ok((v, h, names, now)) => page(&ctx, &v, &h, &names, &now).into_response(),
        Err(e) => errors::page(&ctx, &e),
    }
}

fn page(ctx: &PageCtx, v: &Value, history: &Value, names: &Names, now: &str) -> Markup {
    let tr = ctx.tr;
    let mut rows = vec![
        (tr.t("field-status"), status(ctx, s(&v["status"]))),
        (
            tr.t("field-format"),
            html! { (tr.code("format", s(&v["format"]))) },
        ),
        (
            tr.t("field-convened-by"),
            reference(ctx, names, s(&v["convened_by"])),
        ),
        (tr.t("field-convened"), date_time(ctx, &v["convened_at"])),
    ];
    if !v["concluded_at"].is_null() {
        rows.push((tr.t("field-concluded"), date_time(ctx, &v["concluded_at"])));
    }
    if !items(&v["proposals"]).is_empty() {
        rows.push((
            tr.t("field-proposals"),
            references(ctx, names, items(&v["proposals"])),
        ));
    }
    if let Some(reason) = v["failure_reason"].as_str() {
        rows.push((tr.t("field-failure-reason"), html! { (reason) }));
    }
    let commitments: Vec<Vec<Markup>> = items(&v["commitments"])
        .iter()
        .map(|c| {
            let state = commitment_state(c, now);
            vec![
                reference(ctx, names, s(&c["party"])),
                html! { (s(&c["text"])) },
                date(ctx, &c["due"]),
                html! {
                    (status(ctx, state))
                    @if state == "fulfilled" { " " (date(ctx, &c["fulfilled_at"])) }
                },
            ]
        })
        .collect();
    let positions: Vec<Vec<Markup>> = items(&v["positions"])
        .iter()
        .map(|p| {
            vec![
                reference(ctx, names, s(&p["party"])),
                html! { (s(&p["statement"])) },
            ]
        })
        .collect();
    let title = format!("{} {}", s(&v["ref"]), s(&v["topic"]));
    let body = html! {
        (fields(&rows))
        section {
            h2 { (tr.t("terms")) }
            @if items(&v["terms"]).is_empty() { (parts::empty(&tr.t("terms-empty"))) }
            @else { ol.terms { @for t in items(&v["terms"]) { li { (s(t)) } } } }
        }
        section {
            h2 { (tr.t("commitments")) }
            @if commitments.is_empty() { (parts::empty(&tr.t("commitments-empty"))) }
            @else {
                (parts::table(&tr.t("commitments-caption"),
                    &[tr.t("col-party"), tr.t("col-commitment"), tr.t("col-due"), tr.t("col-state")],
                    &commitments))
            }
        }
        section {
            h2 { (tr.t("positions")) }
            @if positions.is_empty() { (parts::empty(&tr.t("positions-empty"))) }
            @else { (parts::table(&tr.t("positions-caption"), &[tr.t("col-party"), tr.t("col-statement")], &positions)) }
        }
        section {
            h2 { (tr.with("parties-count", &[("n", items(&v["parties"]).len().into())])) }
            ul.plain.columns { @for p in items(&v["parties"]) { li { (reference(ctx, names, s(p))) } } }
        }
        section { h2 { (tr.t("pledges")) } (pledges_table(ctx, names, &v["pledges"])) }
        (super::documents::section(ctx, names, s(&v["ref"])))
        (parts::history(ctx, names, history))
    };
    layout::page(ctx, &title, body)
}
