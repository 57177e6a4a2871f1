//! The public site: server-rendered pages residents read on their phones. No sign-in, no personal
//! names, no JavaScript; Simplified Chinese by default and English second (see
//! [`crate::server::i18n`]); every reference linked to its page and named.
//!
//! - [`ctx`]: the request as a page sees it (language, path, query; links that keep the language);
//! - [`layout`]: the one shared layout (external stylesheet, navigation, language switch);
//! - [`parts`]: shared pieces (statuses, references, dates, tables that become cards on a phone);
//! - one module per kind of page: [`board`] (proposals), [`hearings`], [`consultations`],
//!   [`ballots`], [`disputes`], [`pledges`], [`orgs`], [`report`] (the transparency report and the
//!   "verify" page), [`district`] (the district's view, with `serve --district`);
//! - [`errors`]: error pages and the HTML 404; [`assets`]: the stylesheet and icon.
//!
//! Pages read the same public views the JSON API serves and never a person's name: persons appear as
//! `PER-n` only.

pub mod assets;
pub mod ballots;
pub mod board;
pub mod consultations;
pub mod ctx;
pub mod disputes;
pub mod district;
pub mod documents;
pub mod errors;
pub mod hearings;
pub mod layout;
pub mod orgs;
pub mod parts;
pub mod pledges;
pub mod report;

pub use assets::{icon_svg, site_css};
pub use ballots::{ballot, ballots};
pub use board::{board, proposal};
pub use consultations::{consultation, consultations};
pub use disputes::{dispute, disputes};
pub use district::district;
pub use errors::not_found;
pub use hearings::{hearing, hearings};
pub use orgs::{org, orgs};
pub use pledges::pledges;
pub use report::{report, verify};

use ctx::PageCtx;
use maud::{html, Markup};
use parts::{date, items, reference, s, Names};
use serde_json::Value;

/// What a pledge is: `100,000 元`, `30 天`, or the expertise described.
pub fn pledge_amount(ctx: &PageCtx, p: &Value) -> String {
    let tr = ctx.tr;
    match (p["unit"].as_str(), &p["amount"]) {
        (Some("yuan"), Value::Number(n)) => {
            crate::server::i18n::format::money(tr, n.as_f64().unwrap_or(0.0))
        }
        (Some("days"), Value::Number(n)) => {
            crate::server::i18n::format::days(tr, n.as_f64().unwrap_or(0.0))
        }
        (_, Value::String(t)) => t.clone(),
        (_, other) => other.to_string(),
    }
}

/// A table of pledges (by whom, what, fulfilled when).
pub fn pledges_table(ctx: &PageCtx, names: &Names, pledges: &Value) -> Markup {
    let tr = ctx.tr;
    let rows: Vec<Vec<Markup>> = items(pledges)
        .iter()
        .map(|p| {
            let fulfilled = p["fulfilled"].as_bool().unwrap_or(false);
            vec![
                reference(ctx, names, s(&p["by"])),
                html! { (tr.code("pledgekind", s(&p["kind"]))) },
                html! { (pledge_amount(ctx, p)) },
                date(ctx, &p["made_at"]),
                html! {
                    @if fulfilled { (parts::status(ctx, "fulfilled")) " " (date(ctx, &p["fulfilled_at"])) }
                    @else { (parts::status(ctx, "pending")) }
                },
            ]
        })
        .collect();
    if rows.is_empty() {
        return parts::empty(&tr.t("pledges-empty"));
    }
    let headers = [
        tr.t("col-by"),
        tr.t("col-kind"),
        tr.t("col-amount"),
        tr.t("col-made"),
        tr.t("col-fulfilled"),
    ];
    parts::table(&tr.t("pledges-caption"), &headers, &rows)
}
