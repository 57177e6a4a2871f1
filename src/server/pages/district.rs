//! `GET /district?from=&to=` (only with `serve --district DIR...`): the district's view, the same as
//! `delib district report`: each community by name with its transparency numbers and the checkpoint
//! (size, root hash, time of its last record) up to which its mirror was verified. A mirror that
//! does not verify is shown as failed, with the reason, never left out.
//!
//! Verifying a mirror reads every tile of it, so an outcome is kept for a minute per mirror,
//! checkpoint and period ([`DistrictSite`]); a new checkpoint in a mirror is read at once.

use super::ctx::PageCtx;
use super::{errors, layout, parts};
use crate::server::error::ApiError;
use crate::server::handlers::{blocking, views};
use crate::server::i18n::format;
use crate::server::Shared;
use crate::tlog::district::{self, Community, Outcome, Survey};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use delib_events::Timestamp;
use maud::{html, Markup};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a mirror's verified outcome is reused for the same checkpoint and period.
const KEEP: Duration = Duration::from_secs(60);
/// Outcomes kept at most (the cache is emptied beyond).
const MAX_KEPT: usize = 1024;

type Key = (PathBuf, Vec<u8>, i64, i64);

/// The mirrors `serve --district` shows, and their recent outcomes.
#[derive(Debug)]
pub struct DistrictSite {
    mirrors: Vec<PathBuf>,
    kept: Mutex<HashMap<Key, (Instant, Outcome)>>,
}

impl DistrictSite {
    /// The site of these mirrors' directories, in the order shown.
    #[must_use]
    pub fn new(mirrors: Vec<PathBuf>) -> Self {
        Self {
            mirrors,
            kept: Mutex::new(HashMap::new()),
        }
    }

    /// The mirrors' directories.
    #[must_use]
    pub fn mirrors(&self) -> &[PathBuf] {
        &self.mirrors
    }

    /// Every mirror's outcome for `from..=to` (blocking: verifies what is not kept).
    pub fn survey(&self, from: Timestamp, to: Timestamp) -> Survey {
        let outcomes = self
            .mirrors
            .iter()
            .map(|m| {
                let checkpoint = std::fs::read(m.join("checkpoint")).unwrap_or_default();
                let key = (m.clone(), checkpoint, from.as_micros(), to.as_micros());
                if let Ok(kept) = self.kept.lock() {
                    if let Some((at, o)) = kept.get(&key) {
                        if at.elapsed() < KEEP {
                            return o.clone();
                        }
                    }
                }
                let o = district::outcome(m, from, to);
                if let Ok(mut kept) = self.kept.lock() {
                    if kept.len() >= MAX_KEPT {
                        kept.clear();
                    }
                    kept.insert(key, (Instant::now(), o.clone()));
                }
                o
            })
            .collect();
        Survey::of(outcomes)
    }
}

fn when(ctx: &PageCtx, name: &str) -> Result<Option<crate::app::when::Written>, ApiError> {
    match ctx.param(name) {
        None => Ok(None),
        Some(t) => crate::app::when::Written::parse(t)
            .map(Some)
            .map_err(ApiError::bad_request),
    }
}

/// `GET /district?from=&to=`: 404 unless the server was started with `--district`.
pub async fn district(State(state): State<Shared>, ctx: PageCtx) -> Response {
    if state.district.get().is_none() {
        return errors::page(&ctx, &ApiError::new(axum::http::StatusCode::NOT_FOUND, ""));
    }
    let (from, to) = match (when(&ctx, "from"), when(&ctx, "to")) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(e), _) | (_, Err(e)) => return errors::page(&ctx, &e),
    };
    let query = views::ReportQuery {
        from,
        to,
        ..Default::default()
    };
    let found = blocking(&state, move |st| {
        let (from, to) = query.period(&st.svc)?;
        let to = to.unwrap_or_else(|| st.svc.clock().now());
        if to < from {
            return Err(ApiError::bad_request(
                "`to` must not be earlier than `from`",
            ));
        }
        let site = st
            .district
            .get()
            .ok_or_else(|| ApiError::internal("no district"))?;
        Ok((from, to, site.survey(from, to)))
    })
    .await;
    match found {
        Ok((from, to, survey)) => page(&ctx, from, to, &survey).into_response(),
        Err(e) => errors::page(&ctx, &e),
    }
}

fn verified_up_to(ctx: &PageCtx, c: &Community) -> Markup {
    let tr = ctx.tr;
    html! {
    " "
           span.badge.status-verified { (tr.t("district-ok")) }
           dl.checkpoint {
               div { dt { (tr.t("district-size-label")) } dd { (c.verified_size) } }
               div { dt { (tr.t("district-root")) } dd { span.hash { (c.verified_root) } } }
               @if let Some(at) = &c.verified_at {
                   div { dt { (tr.t("district-at")) } dd { (parts::date_time(ctx, &Value::String(at.clone()))) } }
               }
           }
       }
}

fn numbers(c: &Community) -> Vec<Markup> {
    [
        c.proposals_submitted,
        c.proposals_adopted,
        c.proposals_completed,
        c.hearings_held,
        c.hearing_statements,
        c.disputes_filed,
        c.disputes_resolved,
        c.ballots,
        c.pledges,
    ]
    .iter()
    .map(|n| html! { (n) })
    .collect()
}

fn page(ctx: &PageCtx, from: Timestamp, to: Timestamp, survey: &Survey) -> Markup {
    let tr = ctx.tr;
    let from_text = ctx.param("from").unwrap_or("");
    let to_text = ctx.param("to").unwrap_or("");
    let headers: Vec<String> = [
        "district-col-community",
        "district-col-proposals",
        "district-col-adopted",
        "district-col-completed",
        "district-col-hearings",
        "district-col-statements",
        "district-col-disputes",
        "district-col-resolved",
        "district-col-ballots",
        "district-col-pledges",
    ]
    .iter()
    .map(|id| tr.t(id))
    .collect();
    let none = tr.t("none");
    let mut rows: Vec<Vec<Markup>> = survey
        .outcomes
        .iter()
        .map(|o| match o {
            Outcome::Verified(c) => {
                let mut row = vec![html! { strong { (c.name) } (verified_up_to(ctx, c)) }];
                row.extend(numbers(c));
                row
            }
            Outcome::Failed {
                mirror,
                origin,
                reason,
            } => {
                let mut row = vec![html! {
                    strong.wrap { (origin.as_deref().unwrap_or(mirror)) }
                    " "
                    span.badge.status-failed { (tr.t("district-failed")) }
                    p.reason.wrap { (tr.with("district-failed-reason", &[("reason", reason.as_str().into())])) }
                }];
                row.extend((0..9).map(|_| html! { (none) }));
                row
            }
        })
        .collect();
    if !rows.is_empty() {
        let mut total = vec![html! {
            strong { (tr.t("district-total")) }
            br;
            (tr.with("district-size", &[("size", survey.total.verified_size.into())]))
        }];
        total.extend(numbers(&survey.total));
        rows.push(total);
    }
    let from_rfc = delib_projections::time::rfc3339(from);
    let to_rfc = delib_projections::time::rfc3339(to);
    let body = html! {
        p.lead { (tr.t("district-intro")) }
        form.filters method="get" {
            input type="hidden" name="lang" value=(tr.query_code());
            label { (tr.t("report-from")) input type="date" name="from" value=(from_text); }
            label { (tr.t("report-to")) input type="date" name="to" value=(to_text); }
            button type="submit" { (tr.t("report-show")) }
        }
        p.meta {
            (tr.with("report-period", &[
                ("from", format::date(ctx.lang(), &from_rfc).as_str().into()),
                ("to", format::date(ctx.lang(), &to_rfc).as_str().into()),
            ]))
        }
        @if rows.is_empty() { (parts::empty(&tr.t("district-empty"))) }
        @else { (parts::table(&tr.t("district-caption"), &headers, &rows)) }
        p.note { (tr.t("district-how")) }
    };
    layout::page(ctx, &tr.t("district-title"), body)
}
