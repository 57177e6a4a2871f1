//! The console's pages, as maud templates (every value escaped by the template; no JavaScript).

use super::fields::{Field, Input};
use super::i18n::{t, Lang};
use super::session::Session;
use maud::{html, Markup, DOCTYPE};

/// What one page needs: its language, its path (for the language switch), the session if any.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// The page's language.
    pub lang: Lang,
    /// The path, for the language links.
    pub path: &'a str,
    /// The signed-in session.
    pub session: Option<&'a Session>,
    /// The signed-in person's name, from the directory.
    pub who: Option<&'a str>,
}

impl Ctx<'_> {
    /// Message `id`.
    pub fn t(&self, id: &str) -> String {
        t(self.lang, id, &[])
    }

    /// Message `id` with arguments.
    pub fn ta(&self, id: &str, args: &[(&str, &str)]) -> String {
        t(self.lang, id, args)
    }

    /// A console link in this language.
    pub fn href(&self, path: &str) -> String {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{path}{sep}lang={}", self.lang.query())
    }
}

/// The page around `body`.
pub fn page(ctx: &Ctx<'_>, title: &str, body: Markup) -> Markup {
    page_in(ctx, title, body, false)
}

/// The page around `body`, wide for tables.
fn page_in(ctx: &Ctx<'_>, title: &str, body: Markup, wide: bool) -> Markup {
    let other = match ctx.lang {
        Lang::Zh => (Lang::En, "English"),
        Lang::En => (Lang::Zh, "中文"),
    };
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="same-origin";
                title { (title) " · " (ctx.t("console-title")) }
                link rel="stylesheet" href="/console/console.css";
            }
            body {
                header {
                    a.brand href=(ctx.href("/console")) { (ctx.t("console-title")) }
                    nav {
                        @if let Some(s) = ctx.session {
                            @if s.token.role == super::super::tokens::Role::Auditor {
                                a href=(ctx.href("/console/audit")) { (ctx.t("console-audit")) }
                                a href=(ctx.href("/console/history")) { (ctx.t("console-history")) }
                            }
                        }
                        a href={ (ctx.path) "?lang=" (other.0.query()) } lang=(other.0.code()) { (other.1) }
                    }
                }
                @if let Some(s) = ctx.session {
                    form.who method="post" action=(ctx.href("/console/sign-out")) {
                        span {
                            (ctx.ta("console-signed-in-as", &[
                                ("person", &format!("{} {}", s.token.person_ref, ctx.who.unwrap_or(""))),
                                ("role", &ctx.t(&format!("console-role-{}", s.token.role))),
                            ]))
                        }
                        input type="hidden" name="csrf" value=(s.csrf);
                        button type="submit" { (ctx.t("console-sign-out")) }
                    }
                }
                main.wide[wide] {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// The sign-in form, with an error if the last try failed.
pub fn sign_in(ctx: &Ctx<'_>, hours: u64, error: Option<&str>) -> Markup {
    let hours = hours.to_string();
    page(
        ctx,
        &ctx.t("console-sign-in"),
        html! {
            p { (ctx.ta("console-sign-in-intro", &[("hours", &hours)])) }
            form method="post" action=(ctx.href("/console/sign-in")) {
                div.field {
                    label for="token" { (ctx.t("console-token")) }
                    input #token type="password" name="token" autocomplete="off" required
                        aria-describedby=[error.map(|_| "token-error")];
                    @if let Some(e) = error {
                        p.error #token-error role="alert" { (e) }
                    }
                }
                button type="submit" { (ctx.t("console-sign-in")) }
            }
        },
    )
}

/// The command groups of the dashboard, by the command's first word.
const GROUPS: &[(&str, &[&str])] = &[
    ("console-group-org", &["org", "person"]),
    ("console-group-proposal", &["proposal", "pledge"]),
    ("console-group-hearing", &["hearing"]),
    ("console-group-consultation", &["consultation"]),
    ("console-group-ballot", &["ballot"]),
    ("console-group-dispute", &["dispute"]),
    (
        "console-group-other",
        &["correct", "void", "attach", "document"],
    ),
];

/// The clerk's dashboard: a link to every form, grouped.
pub fn dashboard(ctx: &Ctx<'_>, commands: &[&str]) -> Markup {
    page(
        ctx,
        &ctx.t("console-record"),
        html! {
            p { (ctx.t("console-record-intro")) }
            @for (group, prefixes) in GROUPS {
                section {
                    h2 { (ctx.t(group)) }
                    ul.commands {
                        @for c in commands.iter().filter(|c| prefixes.contains(&c.split('-').next().unwrap_or(""))) {
                            li { a href=(ctx.href(&format!("/console/record/{c}"))) { (ctx.t(&format!("cmd-{c}"))) } }
                        }
                    }
                }
            }
        },
    )
}

/// The choices of a form's pickers: (reference, label) pairs.
#[derive(Debug, Default, Clone)]
pub struct Pickers {
    /// Registered persons with their names.
    pub persons: Vec<(String, String)>,
    /// Organisations with their names.
    pub orgs: Vec<(String, String)>,
    /// The entities of the form's target kind, with their titles.
    pub targets: Vec<(String, String)>,
}

/// An error shown beside a field (or above the form for `_form`).
#[derive(Debug, Clone)]
pub struct Shown {
    /// The field.
    pub field: &'static str,
    /// The text, in the clerk's language.
    pub text: String,
    /// The rule's exact wording (with references), when it adds to `text`.
    pub detail: Option<String>,
}

/// A picker's settings.
struct Pick<'a> {
    multiple: bool,
    required: bool,
    described: Option<&'a str>,
}

fn picker(
    name: &str,
    id: &str,
    value: &[&str],
    choices: &[(String, String)],
    pick: Pick<'_>,
    ctx: &Ctx<'_>,
) -> Markup {
    html! {
        select id=(id) name=(name) multiple[pick.multiple] required[pick.required] aria-describedby=[pick.described] {
            @if !pick.multiple {
                option value="" { (ctx.t("console-choose")) }
            }
            @for (r, label) in choices {
                option value=(r) selected[value.contains(&r.as_str())] { (r) " " (label) }
            }
        }
    }
}

/// One field: its label, its input, its hint and its error.
fn field(
    ctx: &Ctx<'_>,
    f: &Field,
    form: &super::fields::Form,
    pickers: &Pickers,
    error: Option<&Shown>,
) -> Markup {
    let values: Vec<&str> = form
        .iter()
        .filter(|(k, _)| k == f.name)
        .map(|(_, v)| v.as_str())
        .collect();
    let first = values.first().copied().unwrap_or("");
    let id = format!("f-{}", f.name);
    let error_id = format!("{id}-error");
    let described = error.map(|_| error_id.as_str());
    let hint = match &f.input {
        Input::Lines => Some(ctx.t("console-lines-hint")),
        Input::Pairs(..) => Some(ctx.t("console-pairs-hint")),
        Input::Persons | Input::Orgs => Some(ctx.t("console-multi-hint")),
        _ if f.name == "at" => Some(ctx.t("console-at-hint")),
        _ => None,
    };
    html! {
        div.field.invalid[error.is_some()] {
            @if f.input == Input::Check {
                label for=(id) {
                    input id=(id) type="checkbox" name=(f.name) checked[!first.is_empty()] aria-describedby=[described];
                    " " (ctx.t(&format!("field-{}", f.name)))
                }
            } @else {
                label for=(id) {
                    (ctx.t(&format!("field-{}", f.name)))
                    @if !f.required { " " small { (ctx.t("console-optional")) } }
                    @if let Some(h) = &hint { " " small { (h) } }
                }
                @match &f.input {
                    Input::Person => (picker(f.name, &id, &values, &pickers.persons, Pick { multiple: false, required: f.required, described }, ctx)),
                    Input::Persons => (picker(f.name, &id, &values, &pickers.persons, Pick { multiple: true, required: f.required, described }, ctx)),
                    Input::Org => (picker(f.name, &id, &values, &pickers.orgs, Pick { multiple: false, required: f.required, described }, ctx)),
                    Input::Orgs => (picker(f.name, &id, &values, &pickers.orgs, Pick { multiple: true, required: f.required, described }, ctx)),
                    Input::Target(_) => (picker(f.name, &id, &values, &pickers.targets, Pick { multiple: false, required: f.required, described }, ctx)),
                    Input::Vocab(words) => {
                        select id=(id) name=(f.name) required[f.required] aria-describedby=[described] {
                            option value="" { (ctx.t("console-choose")) }
                            @for w in words {
                                option value=(w) selected[first == *w] {
                                    (crate::server::i18n::Tr::new(ctx.lang).code_or_text(super::fields::vocab_group(f.name), w))
                                }
                            }
                        }
                    }
                    Input::Long | Input::Lines | Input::Pairs(..) => {
                        textarea id=(id) name=(f.name) rows="3" required[f.required] aria-describedby=[described] { (first) }
                    }
                    Input::File => {
                        input id=(id) type="file" name=(f.name) required[f.required] aria-describedby=[described];
                    }
                    Input::Number => {
                        input id=(id) type="text" inputmode="numeric" name=(f.name) value=(first) required[f.required] aria-describedby=[described];
                    }
                    _ => {
                        input id=(id) type="text" name=(f.name) value=(first) required[f.required] aria-describedby=[described];
                    }
                }
            }
            @if let Some(e) = error {
                p.error id=(error_id) role="alert" {
                    (e.text)
                    @if let Some(d) = &e.detail { br; small { (d) } }
                }
            }
        }
    }
}

/// A recording command's form, filled with `form` and showing `errors` beside their fields.
pub fn record_form(
    ctx: &Ctx<'_>,
    command: &str,
    fields: &[Field],
    form: &super::fields::Form,
    pickers: &Pickers,
    errors: &[Shown],
) -> Markup {
    let csrf = ctx.session.map(|s| s.csrf.as_str()).unwrap_or("");
    let general: Vec<&Shown> = errors
        .iter()
        .filter(|e| e.field == "_form" || !fields.iter().any(|f| f.name == e.field))
        .collect();
    page(
        ctx,
        &ctx.t(&format!("cmd-{command}")),
        html! {
            @if !errors.is_empty() {
                p.error role="alert" { (ctx.t("console-rejected")) }
            }
            @for e in &general {
                p.error role="alert" { (e.text) @if let Some(d) = &e.detail { br; small { (d) } } }
            }
            form method="post" action=(ctx.href(&format!("/console/record/{command}")))
                enctype=[fields.iter().any(|f| f.input == Input::File).then_some("multipart/form-data")] {
                input type="hidden" name="csrf" value=(csrf);
                @for f in fields {
                    (field(ctx, f, form, pickers, errors.iter().find(|e| e.field == f.name)))
                }
                button type="submit" { (ctx.t("console-submit")) }
            }
            p { a href=(ctx.href("/console")) { (ctx.t("console-record-another")) } }
        },
    )
}

/// What a successful form recorded, with a link to the public page.
pub fn recorded(
    ctx: &Ctx<'_>,
    command: &str,
    reference: &str,
    position: u64,
    public: Option<String>,
) -> Markup {
    let position = position.to_string();
    page(
        ctx,
        &ctx.t(&format!("cmd-{command}")),
        html! {
            p.ok role="status" { (ctx.ta("console-recorded", &[("ref", reference), ("position", &position)])) }
            @if let Some(href) = public {
                p { a href=(href) { (ctx.t("console-see-public")) } }
            }
            p { a href=(ctx.href("/console")) { (ctx.t("console-record-another")) } }
        },
    )
}

/// A message page (session ended, forbidden, not found...).
pub fn message(ctx: &Ctx<'_>, title: &str, text: &str, sign_in: bool) -> Markup {
    page(
        ctx,
        title,
        html! {
            p.error role="alert" { (text) }
            @if sign_in {
                p { a href=(ctx.href("/console")) { (ctx.t("console-sign-in")) } }
            }
        },
    )
}

/// One row of a log: position, when, kind, summary (with names), recorded by (with name).
#[derive(Debug, Clone)]
pub struct LogRow {
    /// The event's position.
    pub position: u64,
    /// When it happened.
    pub when: String,
    /// Its kind, as recorded.
    pub kind: String,
    /// Its kind in the page's language.
    pub kind_words: String,
    /// Its summary, persons named.
    pub summary: String,
    /// Who recorded it, named.
    pub by: String,
}

/// The audit log or a history, as a table that reads as cards on a phone.
pub fn log(
    ctx: &Ctx<'_>,
    title: &str,
    intro: Option<&str>,
    rows: &[LogRow],
    extra: Markup,
    after: Markup,
) -> Markup {
    page_in(
        ctx,
        title,
        html! {
            @if let Some(i) = intro { p { (i) } }
            (extra)
            @if rows.is_empty() {
                p { (ctx.t("console-none")) }
            } @else {
                table.log {
                    caption { (title) }
                    thead { tr {
                        th scope="col" { (ctx.t("console-col-position")) }
                        th scope="col" { (ctx.t("console-col-when")) }
                        th scope="col" { (ctx.t("console-col-kind")) }
                        th scope="col" { (ctx.t("console-col-summary")) }
                        th scope="col" { (ctx.t("console-col-by")) }
                    } }
                    tbody {
                        @for r in rows {
                            tr {
                                td.nowrap data-label=(ctx.t("console-col-position")) { (r.position) }
                                td.nowrap data-label=(ctx.t("console-col-when")) { (r.when) }
                                td data-label=(ctx.t("console-col-kind")) { span title=(r.kind) { (r.kind_words) } }
                                td data-label=(ctx.t("console-col-summary")) { (r.summary) }
                                td data-label=(ctx.t("console-col-by")) { (r.by) }
                            }
                        }
                    }
                }
            }
            (after)
        },
        true,
    )
}

/// The console's stylesheet (served as a file: the pages' CSP allows no inline style).
pub const STYLE: &str = r#"
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#fff}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.75rem 1rem;background:#8a1c1c;color:#fff}
header a{color:#fff}
.brand{font-weight:700;text-decoration:none}
nav{display:flex;flex-wrap:wrap;gap:.75rem}
form.who{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between;padding:.5rem 1rem;background:#f4eeee}
main{max-width:48rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
a{color:#0b4f9c}
.field{margin:0 0 1rem}
.field label{display:block;font-weight:600;margin-bottom:.25rem}
.field small{font-weight:400;color:#444}
input[type=text],input[type=password],select,textarea{width:100%;max-width:100%;font:inherit;padding:.5rem;border:1px solid #767676;border-radius:4px;background:#fff;color:#1a1a1a}
select[multiple]{min-height:7rem}
input[type=checkbox]{width:1.25rem;height:1.25rem;vertical-align:middle}
button{font:inherit;padding:.55rem 1.2rem;border:0;border-radius:4px;background:#8a1c1c;color:#fff;cursor:pointer}
form.who button{background:#fff;color:#8a1c1c;border:1px solid #8a1c1c}
.invalid input,.invalid select,.invalid textarea{border:2px solid #b00020}
.error{color:#b00020;margin:.25rem 0}
.ok{color:#0a6b2d;font-weight:600}
ul.commands{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.25rem .75rem}
ul.commands a{display:block;padding:.35rem 0}
table.log{width:100%;border-collapse:collapse;margin-top:1.25rem}
table.log caption{text-align:left;font-weight:600;padding:.25rem 0}
table.log th,table.log td{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
table.log .nowrap,table.log th{white-space:nowrap}
main.wide{max-width:72rem}
code{overflow-wrap:anywhere}
@media (max-width:40rem){
 table.log thead{position:absolute;left:-9999px}
 table.log,table.log tbody,table.log tr,table.log td{display:block;width:100%}
 table.log tr{border:1px solid #ddd;border-radius:4px;margin:0 0 .75rem;padding:.25rem .5rem}
 table.log td,table.log .nowrap{border:0;padding:.15rem 0;white-space:normal}
 table.log caption{display:block}
 table.log td::before{content:attr(data-label) ": ";font-weight:600}
}
"#;
