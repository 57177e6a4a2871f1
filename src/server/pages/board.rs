//! `GET /`: the proposal board, filtered by status and category; `GET /proposals/{ref}`: one
//! proposal with its decision, implementation, pledges and history.

use super::ctx::PageCtx;
use super::parts::{self, date, fields, items, reference, s, status, Names};
use super::{errors, layout, pledges_table};
use crate::server::handlers::blocking;
use crate::server::handlers::views::{self, ProposalQuery};
use crate::server::Shared;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use delib_events::proposal::Category;
use delib_events::RefKind;
use delib_projections::proposals::ProposalStatus;
use maud::{html, Markup};
use serde_json::Value;

/// A progress bar with its percentage in words.
pub fn progress(p: u64) -> Markup {
    let step = (p.min(100) / 10) * 10;
    html! {
        span.progress-wrap {
            span class={ "progress p" (step) } aria-hidden="true" { span {} }
            (p) "%"
        }
    }
}

/// `GET /?status=&category=`.
pub async fn board(State(state): State<Shared>, ctx: PageCtx) -> Response {
    let tr = ctx.tr;
    let filter = ProposalQuery {
        status: ctx.param("status").map(str::to_owned),
        category: ctx.param("category").map(str::to_owned),
        ..ProposalQuery::default()
    };
    let found = blocking(&state, move |st| {
        Ok((
            views::proposal_list(&st.svc, &filter)?,
            Names(st.svc.views()?),
        ))
    })
    .await;
    let (list, names) = match found {
        Ok(x) => x,
        Err(e) => return errors::page(&ctx, &e),
    };
    let chosen_status = ctx.param("status");
    let chosen_category = ctx.param("category");
    let headers = [
        tr.t("col-proposal"),
        tr.t("col-category"),
        tr.t("col-status"),
        tr.t("col-progress"),
    ];
    let rows: Vec<Vec<Markup>> = items(&list)
        .iter()
        .map(|p| {
            vec![
                reference(&ctx, &names, s(&p["ref"])),
                html! { (tr.code("category", s(&p["category"]))) },
                status(&ctx, s(&p["status"])),
                progress(p["progress"].as_u64().unwrap_or(0)),
            ]
        })
        .collect();
    let body = html! {
        p.lead { (tr.t("board-intro")) }
        form.filters method="get" action="/" {
            input type="hidden" name="lang" value=(tr.query_code());
            label {
                (tr.t("filter-status"))
                select name="status" {
                    option value="" { (tr.t("filter-all")) }
                    @for st in ProposalStatus::ALL {
                        option value=(st.as_str()) selected[chosen_status == Some(st.as_str())] { (tr.code("status", st.as_str())) }
                    }
                }
            }
            label {
                (tr.t("filter-category"))
                select name="category" {
                    option value="" { (tr.t("filter-all")) }
                    @for c in Category::ALL {
                        option value=(c.as_str()) selected[chosen_category == Some(c.as_str())] { (tr.code("category", c.as_str())) }
                    }
                }
            }
            button type="submit" { (tr.t("filter-apply")) }
        }
        @if rows.is_empty() { (parts::empty(&tr.t("board-empty"))) }
        @else { (parts::table(&tr.t("board-caption"), &headers, &rows)) }
    };
    layout::page(&ctx, &tr.t("board-title"), body).into_response()
}

/// `GET /proposals/{ref}`.
pub async fn proposal(
    State(state): State<Shared>,
    Path(r): Path<String>,
    ctx: PageCtx,
) -> Response {
    let found = blocking(&state, move |st| {
        let v = views::show(&st.svc, RefKind::Proposal, &r)?;
        let h = st.svc.history(&r)?;
        Ok((v, h, Names(st.svc.views()?)))
    })
    .await;
    match found {
        Ok((v, h, names)) => proposal_page(&ctx, &v, &h, &names).into_response(),
        Err(e) => errors::page(&ctx, &e),
    }
}

fn proposal_page(ctx: &PageCtx, v: &Value, history: &Value, names: &Names) -> Markup {
    let tr = ctx.tr;
    let decision = &v["decision"];
    let mut rows = vec![
        (tr.t("field-status"), status(ctx, s(&v["status"]))),
        (
            tr.t("field-category"),
            html! { (tr.code("category", s(&v["category"]))) },
        ),
        (
            tr.t("field-community"),
            reference(ctx, names, s(&v["community"])),
        ),
        (tr.t("field-author"), reference(ctx, names, s(&v["author"]))),
        (
            tr.t("field-cosigners"),
            html! { (tr.with("cosigner-count", &[("n", items(&v["cosigners"]).len().into())])) },
        ),
        (tr.t("field-submitted"), date(ctx, &v["submitted_at"])),
        (tr.t("field-admitted"), date(ctx, &v["admitted_at"])),
    ];
    if !decision.is_null() {
        rows.push((
            tr.t("field-decision"),
            html! {
                (tr.code("outcome", s(&decision["outcome"])))
                " · " (date(ctx, &decision["decided_at"]))
            },
        ));
        rows.push((
            tr.t("field-basis"),
            reference(ctx, names, s(&decision["basis"])),
        ));
        if let Some(note) = decision["note"].as_str() {
            rows.push((tr.t("field-decision-note"), html! { (note) }));
        }
    }
    if let Some(reason) = v["returned_reason"].as_str() {
        rows.push((tr.t("field-returned-reason"), html! { (reason) }));
    }
    if let Some(reason) = v["withdrawn_reason"].as_str() {
        rows.push((tr.t("field-withdrawn-reason"), html! { (reason) }));
    }
    if !v["assigned_to"].is_null() {
        rows.push((
            tr.t("field-assigned-to"),
            reference(ctx, names, s(&v["assigned_to"])),
        ));
        rows.push((tr.t("field-due"), date(ctx, &v["due"])));
        rows.push((
            tr.t("field-progress"),
            progress(v["progress"].as_u64().unwrap_or(0)),
        ));
    }
    if let Some(c) = v["completion"].as_str() {
        rows.push((tr.t("field-completion"), html! { (c) }));
        rows.push((tr.t("field-completed"), date(ctx, &v["completed_at"])));
    }
    let title = format!("{} {}", s(&v["ref"]), s(&v["title"]));
    let body = html! {
        p.lead { (s(&v["body"])) }
        (fields(&rows))
        section {
            h2 { (tr.t("pledges")) }
            (pledges_table(ctx, names, &v["pledges"]))
        }
        (super::documents::section(ctx, names, s(&v["ref"])))
        (parts::history(ctx, names, history))
    };
    layout::page(ctx, &title, body)
}
