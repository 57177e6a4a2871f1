//! `GET /hearings` and `GET /hearings/{ref}`: democratic hearings, their statements and findings.

use super::ctx::PageCtx;
use super::parts::{self, date, date_time, fields, items, reference, references, s, status, Names};
use super::{errors, layout};
use crate::server::handlers::blocking;
use crate::server::handlers::views;
use crate::server::Shared;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use delib_events::RefKind;
use delib_projections::Page;
use maud::{html, Markup};
use serde_json::Value;

/// `GET /hearings`.
pub async fn hearings(State(state): State<Shared>, ctx: PageCtx) -> Response {
    let found = blocking(&state, |st| {
        Ok((
            st.svc.list_page(RefKind::Hearing, Page::ALL)?,
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
        tr.t("col-hearing"),
        tr.t("col-date"),
        tr.t("col-status"),
        tr.t("col-presided-by"),
    ];
    let rows: Vec<Vec<Markup>> = items(&list)
        .iter()
        .map(|h| {
            vec![
                reference(&ctx, &names, s(&h["ref"])),
                date(&ctx, &h["on"]),
                status(&ctx, s(&h["status"])),
                reference(&ctx, &names, s(&h["presided_by"])),
            ]
        })
        .collect();
    let body = html! {
        p.lead { (tr.t("hearings-intro")) }
        @if rows.is_empty() { (parts::empty(&tr.t("hearings-empty"))) }
        @else { (parts::table(&tr.t("hearings-caption"), &headers, &rows)) }
    };
    layout::page(&ctx, &tr.t("hearings-title"), body).into_response()
}

/// `GET /hearings/{ref}`.
pub async fn hearing(State(state): State<Shared>, Path(r): Path<String>, ctx: PageCtx) -> Response {
    let found = blocking(&state, move |st| {
        let v = views::show(&st.svc, RefKind::Hearing, &r)?;
        let h = st.svc.history(&r)?;
        Ok((v, h, Names(st.svc.views()?)))
    })
    .await;
    match found {
        Ok((v, h, names)) => hearing_page(&ctx, &v, &h, &names).into_response(),
        Err(e) => errors::page(&ctx, &e),
    }
}

fn hearing_page(ctx: &PageCtx, v: &Value, history: &Value, names: &Names) -> Markup {
    let tr = ctx.tr;
    let mut rows = vec![
        (tr.t("field-status"), status(ctx, s(&v["status"]))),
        (tr.t("field-on"), date_time(ctx, &v["on"])),
        (tr.t("field-venue"), html! { (s(&v["venue"])) }),
        (
            tr.t("field-presided-by"),
            reference(ctx, names, s(&v["presided_by"])),
        ),
        (
            tr.t("field-proposals"),
            references(ctx, names, items(&v["proposals"])),
        ),
    ];
    if !v["closed_at"].is_null() {
        rows.push((tr.t("field-closed"), date_time(ctx, &v["closed_at"])));
    }
    if let Some(reason) = v["cancelled_reason"].as_str() {
        rows.push((tr.t("field-cancelled-reason"), html! { (reason) }));
    }
    let participants: Vec<Vec<Markup>> = items(&v["participants"])
        .iter()
        .map(|p| {
            vec![
                reference(ctx, names, s(&p["person"])),
                html! { (tr.code("role", s(&p["role"]))) },
            ]
        })
        .collect();
    let statements: Vec<Vec<Markup>> = items(&v["statements"])
        .iter()
        .map(|st| {
            vec![
                date_time(ctx, &st["occurred_at"]),
                reference(ctx, names, s(&st["by"])),
                html! { (tr.code("stance", s(&st["stance"]))) },
                html! { (s(&st["summary"])) },
            ]
        })
        .collect();
    let title = format!("{} {}", s(&v["ref"]), s(&v["topic"]));
    let body = html! {
        (fields(&rows))
        @if let Some(f) = v["findings"].as_str() {
            section { h2 { (tr.t("findings")) } p.lead { (f) } }
        }
        section {
            h2 { (tr.t("statements")) }
            @if statements.is_empty() { (parts::empty(&tr.t("statements-empty"))) }
            @else {
                (parts::table(&tr.t("statements-caption"),
                    &[tr.t("col-when"), tr.t("col-speaker"), tr.t("col-stance"), tr.t("col-summary")],
                    &statements))
            }
        }
        section {
            h2 { (tr.t("participants")) }
            @if participants.is_empty() { (parts::empty(&tr.t("participants-empty"))) }
            @else {
                (parts::table(&tr.t("participants-caption"), &[tr.t("col-person"), tr.t("col-role")], &participants))
            }
        }
        (super::documents::section(ctx, names, s(&v["ref"])))
        (parts::history(ctx, names, history))
    };
    layout::page(ctx, &title, body)
}
