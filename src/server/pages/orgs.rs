//! `GET /orgs` and `GET /orgs/{ref}`: organisations (public bodies, never persons) and what each
//! did: the proposals of its community or assigned to it, the hearings it presided, the
//! consultations it convened or joined with its commitments, the disputes it was party to or
//! mediated, and its pledges.

use super::ctx::PageCtx;
use super::parts::{self, fields, items, reference, s, status, Names};
use super::{errors, layout, pledge_amount, pledges::all_pledges};
use crate::server::error::ApiError;
use crate::server::handlers::blocking;
use crate::server::Shared;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use delib_events::RefKind;
use delib_projections::Page;
use maud::{html, Markup};
use serde_json::Value;

/// `GET /orgs`.
pub async fn orgs(State(state): State<Shared>, ctx: PageCtx) -> Response {
    let found = blocking(&state, |st| {
        Ok((
            st.svc.list_page(RefKind::Organisation, Page::ALL)?,
            Names(st.svc.views()?),
        ))
    })
    .await;
    let (list, names) = match found {
        Ok(x) => x,
        Err(e) => return errors::page(&ctx, &e),
    };
    let tr = ctx.tr;
    let headers = [tr.t("col-org"), tr.t("col-kind"), tr.t("col-parent")];
    let rows: Vec<Vec<Markup>> = items(&list)
        .iter()
        .map(|o| {
            vec![
                reference(&ctx, &names, s(&o["ref"])),
                html! { (tr.code("orgkind", s(&o["kind"]))) },
                reference(&ctx, &names, s(&o["parent"])),
            ]
        })
        .collect();
    let body = html! {
        p.lead { (tr.t("orgs-intro")) }
        @if rows.is_empty() { (parts::empty(&tr.t("orgs-empty"))) }
        @else { (parts::table(&tr.t("orgs-caption"), &headers, &rows)) }
    };
    layout::page(&ctx, &tr.t("orgs-title"), body).into_response()
}

/// What one organisation did, gathered from every public view.
#[derive(Debug, Default)]
struct Acts {
    org: Value,
    children: Vec<String>,
    proposals: Vec<(String, String, String)>,
    hearings: Vec<(String, String)>,
    consultations: Vec<(String, String)>,
    commitments: Vec<(String, Value)>,
    disputes: Vec<(String, String)>,
    pledges: Vec<(String, Value)>,
    /// The time the page is read, for whether a commitment is overdue (as on the consultation's
    /// own page).
    now: String,
}

fn has(v: &Value, r: &str) -> bool {
    items(v).iter().any(|x| x == r)
}

fn gather(st: &crate::server::State, r: &str) -> Result<Acts, ApiError> {
    let svc = &st.svc;
    let orgs = svc.list_page(RefKind::Organisation, Page::ALL)?;
    let now = crate::app::views::rfc3339(svc.clock().now());
    let canonical = match r.parse::<delib_events::Reference>() {
        Ok(x) if x.kind == RefKind::Organisation => x.to_string(),
        _ => {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                format!("unknown organisation {r}"),
            ))
        }
    };
    let r = canonical.as_str();
    let mut acts = Acts {
        now,
        ..Acts::default()
    };
    for o in items(&orgs) {
        if o["ref"] == r {
            acts.org = o.clone();
        }
        if o["parent"] == r {
            acts.children.push(s(&o["ref"]).to_owned());
        }
    }
    if acts.org.is_null() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("unknown organisation {r}"),
        ));
    }
    for p in items(&svc.list_page(RefKind::Proposal, Page::ALL)?) {
        let role = if p["assigned_to"] == r {
            "assigned"
        } else if p["community"] == r {
            "community"
        } else {
            continue;
        };
        acts.proposals.push((
            s(&p["ref"]).to_owned(),
            role.to_owned(),
            s(&p["status"]).to_owned(),
        ));
    }
    for h in items(&svc.list_page(RefKind::Hearing, Page::ALL)?) {
        if h["presided_by"] == r {
            acts.hearings
                .push((s(&h["ref"]).to_owned(), s(&h["status"]).to_owned()));
        }
    }
    for c in items(&svc.list_page(RefKind::Consultation, Page::ALL)?) {
        let role = if c["convened_by"] == r {
            "convened"
        } else if has(&c["parties"], r) {
            "party"
        } else {
            continue;
        };
        acts.consultations
            .push((s(&c["ref"]).to_owned(), role.to_owned()));
        for m in items(&c["commitments"]) {
            if m["party"] == r {
                acts.commitments.push((s(&c["ref"]).to_owned(), m.clone()));
            }
        }
    }
    for d in items(&svc.list_page(RefKind::Dispute, Page::ALL)?) {
        let party = items(&d["parties"]).iter().any(|p| p["party"] == r);
        let role = if party {
            "party"
        } else if has(&d["bodies"], r) {
            "body"
        } else {
            continue;
        };
        acts.disputes
            .push((s(&d["ref"]).to_owned(), role.to_owned()));
    }
    acts.pledges = all_pledges(svc)?
        .into_iter()
        .filter(|(_, p)| p["by"] == r)
        .collect();
    Ok(acts)
}

/// `GET /orgs/{ref}`.
pub async fn org(State(state): State<Shared>, Path(r): Path<String>, ctx: PageCtx) -> Response {
    let found = blocking(&state, move |st| {
        Ok((gather(st, &r)?, Names(st.svc.views()?)))
    })
    .await;
    match found {
        Ok((acts, names)) => page(&ctx, &acts, &names).into_response(),
        Err(e) => errors::page(&ctx, &e),
    }
}

fn page(ctx: &PageCtx, a: &Acts, names: &Names) -> Markup {
    let tr = ctx.tr;
    let rows = vec![
        (
            tr.t("field-kind"),
            html! { (tr.code("orgkind", s(&a.org["kind"]))) },
        ),
        (
            tr.t("field-parent"),
            reference(ctx, names, s(&a.org["parent"])),
        ),
    ];
    let title = format!("{} {}", s(&a.org["ref"]), s(&a.org["name"]));
    let nothing = a.proposals.is_empty()
        && a.hearings.is_empty()
        && a.consultations.is_empty()
        && a.disputes.is_empty()
        && a.pledges.is_empty();
    let body = html! {
        (fields(&rows))
        @if !a.children.is_empty() {
            section {
                h2 { (tr.t("org-children")) }
                ul.plain { @for c in &a.children { li { (reference(ctx, names, c)) } } }
            }
        }
        h2 { (tr.t("org-acts")) }
        @if nothing { (parts::empty(&tr.t("org-acts-empty"))) }
        @if !a.proposals.is_empty() {
            (parts::table(&tr.t("org-proposals"), &[tr.t("col-proposal"), tr.t("col-role"), tr.t("col-status")],
                &a.proposals.iter().map(|(r, role, st)| vec![
                    reference(ctx, names, r), html! { (tr.t(&format!("org-role-{role}"))) }, status(ctx, st),
                ]).collect::<Vec<_>>()))
        }
        @if !a.hearings.is_empty() {
            (parts::table(&tr.t("org-hearings"), &[tr.t("col-hearing"), tr.t("col-status")],
                &a.hearings.iter().map(|(r, st)| vec![reference(ctx, names, r), status(ctx, st)]).collect::<Vec<_>>()))
        }
        @if !a.consultations.is_empty() {
            (parts::table(&tr.t("org-consultations"), &[tr.t("col-consultation"), tr.t("col-role")],
                &a.consultations.iter().map(|(r, role)| vec![
                    reference(ctx, names, r), html! { (tr.t(&format!("org-role-{role}"))) },
                ]).collect::<Vec<_>>()))
        }
        @if !a.commitments.is_empty() {
            (parts::table(&tr.t("org-commitments"), &[tr.t("col-consultation"), tr.t("col-commitment"), tr.t("col-due"), tr.t("col-state")],
                &a.commitments.iter().map(|(r, m)| vec![
                    reference(ctx, names, r), html! { (s(&m["text"])) }, parts::date(ctx, &m["due"]),
                    status(ctx, super::consultations::commitment_state(m, &a.now)),
                ]).collect::<Vec<_>>()))
        }
        @if !a.disputes.is_empty() {
            (parts::table(&tr.t("org-disputes"), &[tr.t("col-dispute"), tr.t("col-role")],
                &a.disputes.iter().map(|(r, role)| vec![
                    reference(ctx, names, r), html! { (tr.t(&format!("org-role-{role}"))) },
                ]).collect::<Vec<_>>()))
        }
        @if !a.pledges.is_empty() {
            (parts::table(&tr.t("org-pledges"), &[tr.t("col-for"), tr.t("col-kind"), tr.t("col-amount"), tr.t("col-fulfilled")],
                &a.pledges.iter().map(|(r, p)| vec![
                    reference(ctx, names, r), html! { (tr.code("pledgekind", s(&p["kind"]))) }, html! { (pledge_amount(ctx, p)) },
                    html! { @if p["fulfilled"].as_bool().unwrap_or(false) { (status(ctx, "fulfilled")) } @else { (status(ctx, "pending")) } },
                ]).collect::<Vec<_>>()))
        }
    };
    layout::page(ctx, &title, body)
}
