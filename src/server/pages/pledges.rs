//! `GET /pledges`: every pledge of money, labour or expertise, grouped by the unit that made it,
//! with what it was for and whether it was fulfilled.

use super::ctx::PageCtx;
use super::parts::{self, date, items, reference, s, Names};
use super::{errors, layout, pledge_amount};
use crate::server::handlers::blocking;
use crate::server::i18n::format;
use crate::server::Shared;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use delib_events::RefKind;
use delib_projections::Page;
use maud::{html, Markup};
use serde_json::Value;
use std::collections::BTreeMap;

/// Every pledge with the reference it was made for.
pub fn all_pledges(
    svc: &crate::app::LedgerService,
) -> Result<Vec<(String, Value)>, crate::app::AppError> {
    let mut out = Vec::new();
    for kind in [RefKind::Proposal, RefKind::Consultation, RefKind::Dispute] {
        let list = svc.list_page(kind, Page::ALL)?;
        for entity in items(&list) {
            for p in items(&entity["pledges"]) {
                out.push((s(&entity["ref"]).to_owned(), p.clone()));
            }
        }
    }
    Ok(out)
}

fn number(r: &str) -> u64 {
    r.parse::<delib_events::Reference>().map_or(0, |x| x.number)
}

/// `GET /pledges`.
pub async fn pledges(State(state): State<Shared>, ctx: PageCtx) -> Response {
    let found = blocking(&state, |st| {
        Ok((all_pledges(&st.svc)?, Names(st.svc.views()?)))
    })
    .await;
    let (all, names) = match found {
        Ok(x) => x,
        Err(e) => return errors::page(&ctx, &e),
    };
    let tr = ctx.tr;
    let mut by_unit: BTreeMap<(u64, String), Vec<(String, Value)>> = BTreeMap::new();
    for (target, p) in all {
        let unit = s(&p["by"]).to_owned();
        by_unit
            .entry((number(&unit), unit))
            .or_default()
            .push((target, p));
    }
    let headers = [
        tr.t("col-for"),
        tr.t("col-kind"),
        tr.t("col-amount"),
        tr.t("col-made"),
        tr.t("col-fulfilled"),
    ];
    let body = html! {
        p.lead { (tr.t("pledges-intro")) }
        @if by_unit.is_empty() { (parts::empty(&tr.t("pledges-empty"))) }
        @for ((_, unit), list) in &by_unit {
            @let money: f64 = list.iter().filter(|(_, p)| p["unit"] == "yuan").filter_map(|(_, p)| p["amount"].as_f64()).sum();
            @let labour: f64 = list.iter().filter(|(_, p)| p["unit"] == "days").filter_map(|(_, p)| p["amount"].as_f64()).sum();
            section {
                h2 { (reference(&ctx, &names, unit)) }
                p.meta {
                    (tr.with("pledge-totals", &[
                        ("money", format::money(tr, money).as_str().into()),
                        ("labour", format::days(tr, labour).as_str().into()),
                    ]))
                }
                @let rows: Vec<Vec<Markup>> = list.iter().map(|(target, p)| vec![
                    reference(&ctx, &names, target),
                    html! { (tr.code("pledgekind", s(&p["kind"]))) },
                    html! { (pledge_amount(&ctx, p)) },
                    date(&ctx, &p["made_at"]),
                    html! {
                        @if p["fulfilled"].as_bool().unwrap_or(false) { (parts::status(&ctx, "fulfilled")) " " (date(&ctx, &p["fulfilled_at"])) }
                        @else { (parts::status(&ctx, "pending")) }
                    },
                ]).collect();
                (parts::table(&tr.with("pledges-of-caption", &[("unit", unit.as_str().into())]), &headers, &rows))
            }
        }
    };
    layout::page(&ctx, &tr.t("pledges-title"), body).into_response()
}
