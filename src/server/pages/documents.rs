//! The documents section of an entity's page: its public documents with title, SHA-256, size and a
//! link to the bytes (`/documents/<sha256>`); withdrawn ones keep their hash, without a link.
//! Private documents are never listed here.

use super::ctx::PageCtx;
use super::parts::{self, Names};
use maud::{html, Markup};

/// The section for the entity `reference` (empty when it has no public document).
pub fn section(ctx: &PageCtx, names: &Names, reference: &str) -> Markup {
    let views = &names.0;
    let docs: Vec<_> = views
        .documents
        .records()
        .filter(|d| !d.private)
        .map(|d| d.view(&views.directory))
        .filter(|d| d.reference == reference)
        .collect();
    if docs.is_empty() {
        return html! {};
    }
    let tr = ctx.tr;
    let headers = [tr.t("col-document"), tr.t("col-size"), tr.t("col-sha256")];
    let rows: Vec<Vec<Markup>> = docs
        .iter()
        .map(|d| {
            vec![
                match &d.withdrawn {
                    None => html! { a href={ "/documents/" (d.sha256) } { (d.title) } },
                    Some(_) => html! { s { (d.title) } " · " (tr.t("document-withdrawn")) },
                },
                html! { (tr.with("document-size", &[("n", d.size.into())])) },
                html! { code.hash { (d.sha256) } },
            ]
        })
        .collect();
    html! {
        section {
            h2 { (tr.t("documents")) }
            p.note { (tr.t("documents-note")) }
            (parts::table(&tr.t("documents"), &headers, &rows))
        }
    }
}
