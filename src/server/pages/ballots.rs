//! `GET /ballots` and `GET /ballots/{ref}`: ballots with their result chart (and its text
//! equivalent, a table), turnout, quorum, and for secret ones a link to verify the tally from the
//! public record alone.

use super::ctx::PageCtx;
use super::parts::{self, date_time, fields, items, reference, s, status, Names};
use super::{errors, layout};
use crate::server::handlers::blocking;
use crate::server::handlers::views;
use crate::server::i18n::format;
use crate::server::Shared;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use delib_events::RefKind;
use delib_projections::Page;
use maud::{html, Markup};
use serde_json::Value;

/// The options of a ballot with their counts, in the ballot's order.
fn counts(v: &Value) -> Vec<(String, u64)> {
    items(&v["options"])
        .iter()
        .map(|o| {
            let o = s(o).to_owned();
            let n = v["counts"][&o].as_u64().unwrap_or(0);
            (o, n)
        })
        .collect()
}

/// A horizontal bar chart of the counts (decorative for screen readers: the table next to it is
/// its text equivalent). It scales with its box: no fixed width.
fn chart(ctx: &PageCtx, counts: &[(String, u64)]) -> Markup {
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let row = 56u64;
    let height = row * counts.len().max(1) as u64 + 8;
    let tr = ctx.tr;
    html! {
        svg viewBox={ "0 0 600 " (height) } width="600" height=(height) aria-hidden="true" focusable="false" {
            @for (i, (option, n)) in counts.iter().enumerate() {
                @let y = 8 + row * i as u64;
                @let w = 360 * n / max;
                text x="0" y=(y + 30) font-size="22" fill="#1a1a1a" { (tr.code_or_text("option", option)) }
                rect x="170" y=(y + 6) width=(w.max(2)) height="34" rx="4" fill="#1d4f8a" {}
                text x=(178 + w) y=(y + 30) font-size="22" fill="#1a1a1a" { (n) }
            }
        }
    }
}

/// `GET /ballots`.
pub async fn ballots(State(state): State<Shared>, ctx: PageCtx) -> Response {
    let found = blocking(&state, |st| {
        Ok((
            st.svc.list_page(RefKind::Ballot, Page::ALL)?,
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
        tr.t("col-ballot"),
        tr.t("col-status"),
        tr.t("col-result"),
        tr.t("col-turnout"),
    ];
    let rows: Vec<Vec<Markup>> = items(&list)
        .iter()
        .map(|b| {
            vec![
                reference(&ctx, &names, s(&b["ref"])),
                status(&ctx, s(&b["status"])),
                result(&ctx, b),
                html! { (format::percent(b["turnout"].as_f64().unwrap_or(0.0))) },
            ]
        })
        .collect();
    let body = html! {
        p.lead { (tr.t("ballots-intro")) }
        @if rows.is_empty() { (parts::empty(&tr.t("ballots-empty"))) }
        @else { (parts::table(&tr.t("ballots-caption"), &headers, &rows)) }
    };
    layout::page(&ctx, &tr.t("ballots-title"), body).into_response()
}

fn result(ctx: &PageCtx, b: &Value) -> Markup {
    let tr = ctx.tr;
    match b["result"].as_str() {
        Some(r) => html! { (tr.code_or_text("option", r)) },
        None if b["status"] == "closed" => html! { (tr.t("result-none")) },
        None => html! { (tr.t("result-pending")) },
    }
}

/// `GET /ballots/{ref}`.
pub async fn ballot(State(state): State<Shared>, Path(r): Path<String>, ctx: PageCtx) -> Response {
    let found = blocking(&state, move |st| {
        let v = views::show(&st.svc, RefKind::Ballot, &r)?;
        let h = st.svc.history(&r)?;
        Ok((v, h, Names(st.svc.views()?)))
    })
    .await;
    match found {
        Ok((v, h, names)) => page(&ctx, &v, &h, &names).into_response(),
        Err(e) => errors::page(&ctx, &e),
    }
}

fn page(ctx: &PageCtx, v: &Value, history: &Value, names: &Names) -> Markup {
    let tr = ctx.tr;
    let reference_text = s(&v["ref"]);
    let secret = v["secret"].as_bool().unwrap_or(false);
    let closed = v["status"] == "closed";
    let quorum_met = v["quorum_met"].as_bool();
    let mut rows = vec![
        (tr.t("field-status"), status(ctx, s(&v["status"]))),
        (
            tr.t("field-proposal"),
            reference(ctx, names, s(&v["proposal"])),
        ),
        (
            tr.t("field-voting"),
            html! {
                @if secret { (tr.t("voting-secret")) } @else { (tr.t("voting-open")) }
                @if let Some(sch) = v["scheme"].as_str() { " · " (tr.code("scheme", sch)) }
            },
        ),
        (tr.t("field-opened"), date_time(ctx, &v["opened_at"])),
        (tr.t("field-closed"), date_time(ctx, &v["closed_at"])),
        (
            tr.t("field-threshold"),
            html! { (tr.code("threshold", s(&v["threshold"]))) },
        ),
        (
            tr.t("field-turnout"),
            html! {
                (tr.with("turnout-text", &[
                    ("cast", v["cast"].as_u64().unwrap_or(0).into()),
                    ("electorate", v["electorate"].as_u64().unwrap_or(0).into()),
                    ("percent", format::percent(v["turnout"].as_f64().unwrap_or(0.0)).as_str().into()),
                ]))
            },
        ),
        (
            tr.t("field-quorum"),
            html! {
                (s(&v["quorum"]))
                @match quorum_met {
                    Some(true) => { " · " (tr.t("quorum-met")) }
                    Some(false) => { " · " (tr.t("quorum-not-met")) }
                    None => {}
                }
            },
        ),
        (tr.t("field-result"), result(ctx, v)),
    ];
    if v["scheme"] == "in-room" {
        // 现场表决: the counts the meeting took, with the members present.
        rows.insert(
            3,
            (
                tr.t("field-in-room"),
                match v["present"].as_u64() {
                    Some(present) => html! {
                        (tr.with("in-room-text", &[
                            ("present", present.into()),
                            ("electorate", v["electorate"].as_u64().unwrap_or(0).into()),
                        ]))
                    },
                    None => html! { (tr.t("in-room-pending")) },
                },
            ),
        );
    }
    if secret {
        rows.push((
            tr.t("field-verify"),
            html! {
                a href={ "/api/v1/ballots/" (reference_text) "/verify" } { (tr.t("verify-ballot")) }
                p.note { (tr.t("verify-ballot-note")) }
            },
        ));
    }
    let counts = counts(v);
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    let count_rows: Vec<Vec<Markup>> = counts
        .iter()
        .map(|(o, n)| {
            let share = if total == 0 {
                0.0
            } else {
                *n as f64 / total as f64
            };
            vec![
                html! { (tr.code_or_text("option", o)) },
                html! { (n) },
                html! { (format::percent(share)) },
            ]
        })
        .collect();
    let title = format!("{} {}", reference_text, s(&v["question"]));
    let body = html! {
        (fields(&rows))
        section {
            h2 { (tr.t("counts")) }
            @if closed && !counts.is_empty() {
                figure.chart {
                    figcaption { (tr.t("counts-chart")) }
                    (chart(ctx, &counts))
                }
                (parts::table(&tr.t("counts-caption"), &[tr.t("col-option"), tr.t("col-votes"), tr.t("col-share")], &count_rows))
            } @else {
                (parts::empty(&tr.t("counts-not-yet")))
            }
        }
        (super::documents::section(ctx, names, s(&v["ref"])))
        (parts::history(ctx, names, history))
    };
    layout::page(ctx, &title, body)
}
