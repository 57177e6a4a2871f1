//! The public views (JSON): status, proposals, hearings, consultations, ballots, disputes with their
//! timelines, organisations, history, the transparency report; and persons (auditors only: names).
//! Every view comes from the app layer or `delib-projections`; nothing is folded here.

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::tokens::Role;
use super::super::Shared;
use super::blocking;
use crate::app::when::{Bound, Written};
use crate::app::LedgerService;
use crate::store::EventStore;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::Json;
use delib_events::proposal::Category;
use delib_events::{Position, RefKind, Timestamp};
use delib_projections::proposals::{ProposalFilter, ProposalStatus};
use delib_projections::report::{Format, Lang, Report};
use delib_projections::Page;
use serde::Deserialize;
use serde_json::{json, Value};

type JsonResult = Result<Json<Value>, ApiError>;

/// `GET /api/v1/status`: `{"size", "head", "time_zone", "utc_offset"}` as `delib status --json`.
pub async fn status(State(state): State<Shared>) -> JsonResult {
    let head = state.svc.store().head();
    let zone = state.svc.zone();
    let scrub = crate::audit::scrub::status(state.svc.store())?;
    Ok(Json(json!({
        "size": head.position.get(),
        "head": head.hash.to_hex(),
        "scrub": scrub,
        "time_zone": zone.to_string(),
        "utc_offset": zone.offset_at(state.svc.clock().now()),
    })))
}

/// A date-only or local bound of a query, read in the ledger's zone (400 when it does not exist).
fn bound(
    svc: &LedgerService,
    name: &str,
    w: Option<Written>,
    b: Bound,
) -> Result<Option<Timestamp>, ApiError> {
    w.map(|w| w.bound(svc.zone(), b))
        .transpose()
        .map_err(|m| ApiError::bad_request(format!("{name}: {m}")))
}

/// `?status=&category=` of the proposal list.
#[derive(Debug, Default, Deserialize)]
pub struct ProposalQuery {
    /// A status (`submitted`, `adopted`, ...).
    pub status: Option<String>,
    /// A category (`parking`, ...).
    pub category: Option<String>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<usize>,
    /// Only those numbered after this reference (`PROP-100`) or number.
    pub after: Option<String>,
}

/// `?limit=&after=` of every list: one page, by reference number.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    /// At most this many (default 100, at most 1000).
    pub limit: Option<usize>,
    /// Only those numbered after this reference (`HEAR-100`) or number.
    pub after: Option<String>,
}

impl PageQuery {
    /// The page asked for.
    ///
    /// # Errors
    /// 400 for a limit of 0 or above 1000, or a cursor that is neither a reference nor a number.
    pub fn page(&self) -> Result<Page, ApiError> {
        page(self.limit, self.after.as_deref())
    }
}

fn page(limit: Option<usize>, after: Option<&str>) -> Result<Page, ApiError> {
    Page::of_list(limit, after).map_err(ApiError::bad_request)
}

/// The proposal list, filtered; shared with the board page.
///
/// # Errors
/// 400 for an unknown status or category; storage.
pub fn proposal_list(svc: &LedgerService, q: &ProposalQuery) -> Result<Value, ApiError> {
    let status = match q.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(ProposalStatus::parse(s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "unknown proposal status `{s}` (submitted admitted returned withdrawn adopted rejected in-progress completed)"
            ))
        })?),
    };
    let category = match q.category.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => Some(
            c.parse::<Category>()
                .map_err(|e| ApiError::bad_request(e.to_string()))?,
        ),
    };
    let page = page(q.limit, q.after.as_deref())?;
    let views = svc.views()?;
    let list =
        views
            .proposals
            .list_page(ProposalFilter { status, category }, &views.directory, page);
    serde_json::to_value(list).map_err(ApiError::internal)
}

/// `GET /api/v1/proposals?status=&category=`.
pub async fn proposals(State(state): State<Shared>, Query(q): Query<ProposalQuery>) -> JsonResult {
    blocking(&state, move |s| proposal_list(&s.svc, &q))
        .await
        .map(Json)
}

/// One entity's view by kind; shared with the pages.
///
/// # Errors
/// 404 unknown, 422 wrong kind; storage.
pub fn show(svc: &LedgerService, kind: RefKind, reference: &str) -> Result<Value, ApiError> {
    let stream = svc.resolve_kind(reference, kind)?;
    let v = match kind {
        RefKind::Proposal => svc.proposal_view(stream.into())?,
        RefKind::Hearing => svc.hearing_view(stream)?,
        RefKind::Consultation => svc.consultation_view(stream)?,
        RefKind::Ballot => svc.ballot_view(stream)?,
        RefKind::Dispute => svc.dispute_view(stream, None, None)?,
        RefKind::Organisation | RefKind::Person => {
            return Err(ApiError::internal("no show view for this kind"))
        }
    };
    Ok(v)
}

macro_rules! kind_handlers {
    ($($list:ident, $show:ident, $kind:expr;)+) => {$(
        /// The list of this kind.
        pub async fn $list(State(state): State<Shared>, Query(q): Query<PageQuery>) -> JsonResult {
            let page = q.page()?;
            blocking(&state, move |s| Ok(s.svc.list_page($kind, page)?)).await.map(Json)
        }
        /// One entity of this kind.
        pub async fn $show(State(state): State<Shared>, Path(r): Path<String>) -> JsonResult {
            blocking(&state, move |s| show(&s.svc, $kind, &r)).await.map(Json)
        }
    )+};
}

kind_handlers! {
    hearings, hearing, RefKind::Hearing;
    consultations, consultation, RefKind::Consultation;
    ballots, ballot, RefKind::Ballot;
    disputes, dispute, RefKind::Dispute;
}

/// `GET /api/v1/ballots/{ref}/verify`: an encrypted ballot recomputed from its events alone, as
/// `delib ballot verify` does: `{"ok": true, "casts", "tellers", "counts"}` or `{"ok": false,
/// "problem"}` (200 either way: the check ran); 422 for a ballot with nothing to verify.
pub async fn ballot_verify(State(state): State<Shared>, Path(r): Path<String>) -> JsonResult {
    blocking(&state, move |s| {
        let record = s.svc.ballot_record(&r)?;
        match delib_domain::ballot_verify::verify(&record.ledger, record.id, &record.events) {
            Ok(v) => Ok(json!({"ok": true, "ballot": r, "casts": v.casts, "tellers": v.tellers, "counts": v.counts})),
            Err(delib_domain::ballot_verify::VerifyError::Failed(problem)) => {
                Ok(json!({"ok": false, "ballot": r, "problem": problem}))
            }
            Err(delib_domain::ballot_verify::VerifyError::NotEncrypted(why)) => Err(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                format!("rule: {r}: {why}"),
            )),
        }
    })
    .await
    .map(Json)
}

/// `GET /api/v1/proposals/{ref}`.
pub async fn proposal(State(state): State<Shared>, Path(r): Path<String>) -> JsonResult {
    blocking(&state, move |s| show(&s.svc, RefKind::Proposal, &r))
        .await
        .map(Json)
}

/// `GET /api/v1/orgs`: organisations (public bodies; no personal data).
pub async fn orgs(State(state): State<Shared>, Query(q): Query<PageQuery>) -> JsonResult {
    let page = q.page()?;
    blocking(&state, move |s| {
        Ok(s.svc.list_page(RefKind::Organisation, page)?)
    })
    .await
    .map(Json)
}

/// `GET /api/v1/persons`: persons with their names from the directory (auditors only).
pub async fn persons(
    State(state): State<Shared>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> JsonResult {
    caller.require(Role::Auditor)?;
    let page = q.page()?;
    blocking(&state, move |s| {
        Ok(s.svc.list_page(RefKind::Person, page)?)
    })
    .await
    .map(Json)
}

/// `?as_of=&at_position=` of a dispute timeline.
#[derive(Debug, Default, Deserialize)]
pub struct TimelineQuery {
    /// Only acts that happened by then (a date: by its end, in the ledger's zone).
    pub as_of: Option<Written>,
    /// Only what the ledger held at this position.
    pub at_position: Option<u64>,
}

/// A dispute's timeline at a cut; shared with the page.
///
/// # Errors
/// 404, 422 (not yet then), storage.
pub fn timeline(
    svc: &LedgerService,
    reference: &str,
    q: &TimelineQuery,
) -> Result<Value, ApiError> {
    let stream = svc.resolve_kind(reference, RefKind::Dispute)?;
    Ok(svc.dispute_view(
        stream,
        bound(svc, "as_of", q.as_of, Bound::End)?,
        q.at_position.map(Position::new),
    )?)
}

/// `GET /api/v1/disputes/{ref}/timeline?as_of=&at_position=`.
pub async fn dispute_timeline(
    State(state): State<Shared>,
    Path(r): Path<String>,
    Query(q): Query<TimelineQuery>,
) -> JsonResult {
    blocking(&state, move |s| timeline(&s.svc, &r, &q))
        .await
        .map(Json)
}

/// `GET /api/v1/history/{ref}`: every event of one entity, oldest first (references, no names).
pub async fn history(State(state): State<Shared>, Path(r): Path<String>) -> JsonResult {
    blocking(&state, move |s| Ok(s.svc.history(&r)?))
        .await
        .map(Json)
}

/// `?from=&to=&format=&lang=` of the transparency report.
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    /// Period start (default: the beginning; a date: its start, in the ledger's zone).
    pub from: Option<Written>,
    /// Period end (default: now; a date: its end, in the ledger's zone).
    pub to: Option<Written>,
    /// `json` (default), `html` or `md`.
    pub format: Option<String>,
    /// `en` (default) or `zh`.
    pub lang: Option<String>,
}

impl ReportQuery {
    /// The period asked for, in the ledger's zone: from (default: the beginning) and to.
    ///
    /// # Errors
    /// 400 for a local time that does not exist in the zone.
    pub fn period(&self, svc: &LedgerService) -> Result<(Timestamp, Option<Timestamp>), ApiError> {
        let from = bound(svc, "from", self.from, Bound::Start)?;
        let to = bound(svc, "to", self.to, Bound::End)?;
        Ok((from.unwrap_or(Timestamp::from_micros(0)), to))
    }

    /// The language asked for.
    ///
    /// # Errors
    /// 400 for another language.
    pub fn lang(&self) -> Result<Lang, ApiError> {
        match self.lang.as_deref().filter(|l| !l.is_empty()) {
            None => Ok(Lang::En),
            Some(l) => Lang::parse(l)
                .ok_or_else(|| ApiError::bad_request(format!("unknown lang `{l}` (en, zh)"))),
        }
    }
}

/// The transparency report for `from ..= to` (to: until now) over the ledger at its current size
/// or a few seconds behind it, stating a checkpoint of its size signed once per size (not recorded:
/// reading never appends). See [`crate::server::report_cache`].
///
/// # Errors
/// 400 for a period that ends before it starts; storage and key failures.
pub fn transparency(
    state: &super::super::State,
    from: Timestamp,
    to: Option<Timestamp>,
) -> Result<std::sync::Arc<Report>, ApiError> {
    state.reports.get(&state.svc, period(from, to)?)
}

/// A period asked for, refused when it ends before it starts.
fn period(
    from: Timestamp,
    to: Option<Timestamp>,
) -> Result<crate::server::report_cache::Period, ApiError> {
    if to.is_some_and(|to| to < from) {
        return Err(ApiError::bad_request(
            "`to` must not be earlier than `from`",
        ));
    }
    Ok((from, to))
}

/// [`transparency`] rendered in `format` and `lang`: the bytes kept with the report (rendered once
/// per report, format and language).
///
/// # Errors
/// As [`transparency`].
pub fn transparency_rendered(
    state: &super::super::State,
    from: Timestamp,
    to: Option<Timestamp>,
    format: Format,
    lang: Lang,
) -> Result<axum::body::Bytes, ApiError> {
    state
        .reports
        .rendered(&state.svc, period(from, to)?, format, lang)
}

/// `GET /api/v1/reports/transparency?from=&to=&format=json|html|md&lang=en|zh`.
///
/// # Errors
/// 400 for an unknown format or language; storage.
pub async fn report_transparency(
    State(state): State<Shared>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    let format = match q.format.as_deref().unwrap_or("json") {
        "json" => Format::Json,
        "html" => Format::Html,
        "md" | "markdown" => Format::Markdown,
        other => {
            return Err(ApiError::bad_request(format!(
                "unknown format `{other}` (json, html, md)"
            )))
        }
    };
    let lang = q.lang()?;
    let text = blocking(&state, move |s| {
        let (from, to) = q.period(&s.svc)?;
        transparency_rendered(s, from, to, format, lang)
    })
    .await?;
    let content_type = match format {
        Format::Json => "application/json",
        Format::Html => "text/html; charset=utf-8",
        Format::Markdown => "text/markdown; charset=utf-8",
    };
    // The report file is self-contained: its styles are inline (still no script).
    let csp = match format {
        Format::Html => super::super::headers::CSP_INLINE_STYLE,
        _ => super::super::headers::CSP,
    };
    Ok((
        [
            (CONTENT_TYPE, content_type),
            (axum::http::header::CONTENT_SECURITY_POLICY, csp),
        ],
        text,
    )
        .into_response())
}
