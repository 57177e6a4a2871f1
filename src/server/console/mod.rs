//! The clerk's console at `/console`: server-rendered forms for every recording command, in Chinese
//! or English, with no JavaScript.
//!
//! - [`session`]: a token is exchanged at sign-in for a session (a random id in an HttpOnly,
//!   SameSite=Strict cookie, Secure behind https; the server keeps only its hash, with an expiry);
//!   every form carries the session's CSRF token, compared in constant time, and a cross-origin
//!   `Origin` is refused.
//! - [`fields`]: the forms are generated from the route table's rows ([`super::routes::COMMANDS`]);
//!   a submitted form becomes the same [`crate::app::Request`] as the CLI's and the API's, submitted
//!   through the same [`crate::app::LedgerService::submit`], so the rules live once. A rejection is
//!   shown beside its field in the clerk's language and records nothing.
//! - [`view`]: maud templates; [`i18n`]: the Fluent catalogues `locales/*/console*.ftl`.
//! - Pickers show person names (the signed-in clerk may see them); auditors see the audit log and
//!   histories with names. No console page is public, and no public page shows a name.

pub mod fields;
pub mod i18n;
pub mod session;
pub mod view;

use self::fields::{FieldError, Form, Input};
use self::i18n::Lang;
use self::session::{Session, COOKIE};
use self::view::{Ctx, LogRow, Pickers, Shown};
use super::tokens::Role;
use super::Shared;
use crate::app::{AppError, Meta};
use crate::domain::Rejection;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, COOKIE as COOKIE_HEADER, LOCATION, SET_COOKIE,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use delib_events::{CommandId, RefKind};
use delib_projections::Page;
use maud::Markup;
use serde::Deserialize;
use serde_json::Value;

/// `?lang=` and the paging and lookup parameters of the console's pages.
#[derive(Debug, Default, Deserialize)]
pub struct ConsoleQuery {
    /// `zh` or `en`.
    pub lang: Option<String>,
    /// The audit log: show acts before this position.
    pub before: Option<u64>,
    /// The history page: which entity.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
}

fn lang(q: &ConsoleQuery, headers: &HeaderMap) -> Lang {
    crate::server::i18n::negotiate(
        q.lang.as_deref(),
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    )
}

fn cookie_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE_HEADER)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn session(state: &Shared, headers: &HeaderMap) -> Option<Session> {
    cookie_id(headers).and_then(|id| state.console.get(&id))
}

/// Whether the request came over https (directly or through a proxy that says so).
fn https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
        || headers
            .get("forwarded")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("proto=https"))
}

fn html(status: StatusCode, markup: Markup) -> Response {
    let mut r = (status, markup.into_string()).into_response();
    let h = r.headers_mut();
    h.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // A console page holds names: never cached, never sent on as a referrer to another site
    // (within the console, the browser must name the origin of a form, see `headers`).
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    r
}

fn redirect(to: &str, cookie: Option<String>) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(LOCATION, v);
    }
    if let Some(c) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        r.headers_mut().insert(SET_COOKIE, c);
    }
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A cross-site POST: an `Origin` that is not this host.
fn foreign_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get("origin").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map_or(origin, |(_, h)| h);
    origin == "null" || origin_host != host
}

async fn name_of(state: &Shared, s: &Session) -> Option<String> {
    let person = s.token.person;
    let state = state.clone();
    tokio::task::spawn_blocking(move || state.svc.person_name(person).ok().flatten())
        .await
        .ok()
        .flatten()
}

fn ended(lang: Lang, path: &str) -> Response {
    let ctx = Ctx {
        lang,
        path,
        session: None,
        who: None,
    };
    html(
        StatusCode::UNAUTHORIZED,
        view::message(
            &ctx,
            &ctx.t("console-sign-in"),
            &ctx.t("console-session-expired"),
            true,
        ),
    )
}

/// `GET /console`: the sign-in form, or the dashboard of forms.
pub async fn home(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<ConsoleQuery>,
) -> Response {
    let lang = lang(&q, &headers);
    let Some(s) = session(&state, &headers) else {
        let ctx = Ctx {
            lang,
            path: "/console",
            session: None,
            who: None,
        };
        return html(
            StatusCode::OK,
            view::sign_in(&ctx, state.console.ttl().as_secs() / 3600, None),
        );
    };
    let who = name_of(&state, &s).await;
    let ctx = Ctx {
        lang,
        path: "/console",
        session: Some(&s),
        who: who.as_deref(),
    };
    if s.token.role == Role::Auditor {
        return redirect(&ctx.href("/console/audit"), None);
    }
    let commands: Vec<&str> = super::routes::COMMANDS
        .iter()
        .map(|c| c.command)
        .filter(|c| fields::offered(c))
        .collect();
    html(StatusCode::OK, view::dashboard(&ctx, &commands))
}

fn form_of(body: &[u8]) -> Option<Form> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).ok()
}

/// A form refused before it was read (`message` names why), as a page in the clerk's language.
fn refused(lang: Lang, path: &str, s: &Session, status: StatusCode, message: &str) -> Response {
    let ctx = Ctx {
        lang,
        path,
        session: Some(s),
        who: None,
    };
    html(
        status,
        view::message(&ctx, &ctx.t("console-title"), &ctx.t(message), false),
    )
}

/// The boundary of a `multipart/form-data` body (a form with a file).
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers
        .get(axum::http::header::CONTENT_TYPE)?
        .to_str()
        .ok()?;
    multer::parse_boundary(ct).ok()
}

/// A `multipart/form-data` body as form entries: text parts by name, a file part as `NAME.name`
/// (its file name) and `NAME.content` (its bytes, base64), as the API takes a file.
async fn multipart_form(body: Bytes, boundary: String) -> Option<Form> {
    use base64::Engine as _;
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut parts = multer::Multipart::new(stream, boundary);
    let mut form = Form::new();
    while let Some(part) = parts.next_field().await.ok()? {
        let name = part.name()?.to_owned();
        match part.file_name().map(str::to_owned) {
            Some(file_name) => {
                let bytes = part.bytes().await.ok()?;
                if file_name.is_empty() && bytes.is_empty() {
                    continue; // no file chosen
                }
                form.push((format!("{name}.name"), file_name));
                form.push((
                    format!("{name}.content"),
                    base64::engine::general_purpose::STANDARD.encode(&bytes),
                ));
            }
            None => form.push((name, part.text().await.ok()?)),
        }
    }
    Some(form)
}

fn value<'a>(form: &'a Form, name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `POST /console/sign-in`: exchanges a token for a session cookie.
pub async fn sign_in(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<ConsoleQuery>,
    body: Bytes,
) -> Response {
    let lang = lang(&q, &headers);
    let ctx = Ctx {
        lang,
        path: "/console",
        session: None,
        who: None,
    };
    let hours = state.console.ttl().as_secs() / 3600;
    if foreign_origin(&headers) {
        return html(
            StatusCode::FORBIDDEN,
            view::sign_in(&ctx, hours, Some(&ctx.t("console-csrf"))),
        );
    }
    let Some(secret) = form_of(&body)
        .and_then(|f| value(&f, "token").map(|t| t.trim().to_owned()))
        .filter(|t| !t.is_empty() && t.len() <= 200)
    else {
        return html(
            StatusCode::BAD_REQUEST,
            view::sign_in(&ctx, hours, Some(&ctx.t("console-bad-token"))),
        );
    };
    let st = state.clone();
    let found = tokio::task::spawn_blocking(move || st.tokens.authenticate(&secret))
        .await
        .ok()
        .and_then(Result::ok)
        .flatten();
    let Some(token) = found else {
        tracing::info!("console sign-in refused");
        return html(
            StatusCode::UNAUTHORIZED,
            view::sign_in(&ctx, hours, Some(&ctx.t("console-bad-token"))),
        );
    };
    let token_id = token.id.clone();
    let Ok((id, _)) = state.console.open(token) else {
        return html(
            StatusCode::INTERNAL_SERVER_ERROR,
            view::message(
                &ctx,
                &ctx.t("console-sign-in"),
                &ctx.t("console-storage"),
                false,
            ),
        );
    };
    tracing::info!(token = %token_id, "console session opened");
    let cookie = format!(
        "{COOKIE}={id}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={}{}",
        state.console.ttl().as_secs(),
        if https(&headers) { "; Secure" } else { "" }
    );
    redirect(&ctx.href("/console"), Some(cookie))
}

/// `POST /console/sign-out`: ends the session (with its CSRF token) and clears the cookie.
pub async fn sign_out(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<ConsoleQuery>,
    body: Bytes,
) -> Response {
    let lang = lang(&q, &headers);
    let (Some(id), Some(s)) = (cookie_id(&headers), session(&state, &headers)) else {
        return ended(lang, "/console");
    };
    let ok = form_of(&body).is_some_and(|f| value(&f, "csrf").is_some_and(|c| s.csrf_ok(c)));
    if !ok || foreign_origin(&headers) {
        let ctx = Ctx {
            lang,
            path: "/console",
            session: Some(&s),
            who: None,
        };
        return html(
            StatusCode::FORBIDDEN,
            view::message(
                &ctx,
                &ctx.t("console-sign-out"),
                &ctx.t("console-csrf"),
                false,
            ),
        );
    }
    state.console.close(&id);
    let clear = format!("{COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0");
    redirect(&format!("/console?lang={}", lang.query()), Some(clear))
}

/// The label of an entity in a picker: its title, topic, question or name.
fn label_of(v: &Value) -> String {
    ["title", "topic", "question", "name"]
        .iter()
        .find_map(|k| v[*k].as_str())
        .unwrap_or("")
        .to_owned()
}

fn list(state: &super::State, kind: RefKind) -> Vec<(String, String)> {
    let items = state.svc.list_page(kind, Page::ALL).unwrap_or(Value::Null);
    items
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|v| v["status"] != "erased")
                .filter_map(|v| Some((v["ref"].as_str()?.to_owned(), label_of(v))))
                .collect()
        })
        .unwrap_or_default()
}

/// The pickers of a form: persons with names, organisations, and the target kind's entities.
fn pickers(state: &super::State, fields: &[fields::Field]) -> Pickers {
    let mut p = Pickers::default();
    let wants = |f: &dyn Fn(&Input) -> bool| fields.iter().any(|x| f(&x.input));
    if wants(&|i| {
        matches!(
            i,
            Input::Person | Input::Persons | Input::Target(RefKind::Person)
        )
    }) {
        p.persons = list(state, RefKind::Person);
    }
    if wants(&|i| matches!(i, Input::Org | Input::Orgs)) {
        p.orgs = list(state, RefKind::Organisation);
    }
    if let Some(kind) = fields.iter().find_map(|f| match f.input {
        Input::Target(k) => Some(k),
        _ => None,
    }) {
        p.targets = if kind == RefKind::Person {
            p.persons.clone()
        } else {
            list(state, kind)
        };
    }
    p
}

async fn with_pickers(state: &Shared, fields: Vec<fields::Field>) -> (Vec<fields::Field>, Pickers) {
    let st = state.clone();
    tokio::task::spawn_blocking(move || {
        let p = pickers(&st, &fields);
        (fields, p)
    })
    .await
    .unwrap_or_else(|_| (Vec::new(), Pickers::default()))
}

fn not_found(lang: Lang, s: Option<&Session>) -> Response {
    let ctx = Ctx {
        lang,
        path: "/console",
        session: s,
        who: None,
    };
    html(
        StatusCode::NOT_FOUND,
        view::message(
            &ctx,
            &ctx.t("console-title"),
            &ctx.t("console-not-found"),
            false,
        ),
    )
}

fn forbidden(lang: Lang, s: &Session) -> Response {
    let ctx = Ctx {
        lang,
        path: "/console",
        session: Some(s),
        who: None,
    };
    html(
        StatusCode::FORBIDDEN,
        view::message(
            &ctx,
            &ctx.t("console-title"),
            &ctx.t("console-forbidden"),
            false,
        ),
    )
}

/// `GET /console/record/{command}`: the empty form of a recording command (clerks only).
pub async fn form_page(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(command): Path<String>,
    Query(q): Query<ConsoleQuery>,
) -> Response {
    let lang = lang(&q, &headers);
    let path = format!("/console/record/{command}");
    let Some(s) = session(&state, &headers) else {
        return ended(lang, &path);
    };
    if s.token.role != Role::Clerk {
        return forbidden(lang, &s);
    }
    let Some(route) = fields::route(&command) else {
        return not_found(lang, Some(&s));
    };
    let (fields, pickers) = with_pickers(&state, fields::fields(route)).await;
    let who = name_of(&state, &s).await;
    let ctx = Ctx {
        lang,
        path: &path,
        session: Some(&s),
        who: who.as_deref(),
    };
    html(
        StatusCode::OK,
        view::record_form(&ctx, route.command, &fields, &Vec::new(), &pickers, &[]),
    )
}

/// The fields a rule is about, in the order to try them; the form's first field otherwise.
const RULE_FIELDS: &[(&str, &[&str])] = &[
    ("OutOfOrder", &["at"]),
    (
        "UnknownPerson",
        &[
            "by",
            "person",
            "voter",
            "voters",
            "tellers",
            "representatives",
        ],
    ),
    (
        "UnknownOrganisation",
        &[
            "by",
            "community",
            "parent",
            "presided_by",
            "convened_by",
            "party",
            "parties",
            "to",
            "memberships",
        ],
    ),
    ("UnknownProposal", &["proposal", "proposals", "for"]),
    ("NotInStream", &["event"]),
    ("OwnParent", &["parent"]),
    ("AuthorCosign", &["by"]),
    ("AlreadyCosigned", &["by"]),
    ("UnknownBasis", &["basis"]),
    ("BasisNotConcluded", &["basis"]),
    ("BallotDisagrees", &["outcome"]),
    ("ProgressOutOfRange", &["percent"]),
    ("ProgressBackwards", &["percent"]),
    ("AlreadyRegistered", &["person"]),
    ("NotRegistered", &["by"]),
    ("TooFewParties", &["parties"]),
    ("NotAParty", &["party"]),
    ("NoTerms", &["terms"]),
    ("UnknownCommitment", &["commitment"]),
    ("CommitmentFulfilled", &["commitment"]),
    ("TooFewOptions", &["options"]),
    ("DuplicateOption", &["options"]),
    ("QuorumOutOfRange", &["quorum"]),
    ("EmptyElectorate", &["voters"]),
    ("DuplicateVoter", &["voters"]),
    ("NotOnRoll", &["voter"]),
    ("AlreadyVoted", &["voter"]),
    ("NotAnOption", &["choice"]),
    ("SecretBallotNeedsTellers", &["tellers", "secret"]),
    ("TellersOnOpenBallot", &["tellers", "secret"]),
    ("DuplicateTeller", &["tellers"]),
    ("TooFewSides", &["parties"]),
    ("DuplicateParty", &["parties"]),
    ("UnknownSide", &["parties", "representatives"]),
    ("TooFewRepresentedSides", &["representatives"]),
    ("EmptyPledge", &["money", "labour_days", "expertise"]),
    ("UnknownPledge", &["pledge"]),
    ("PledgeFulfilled", &["pledge"]),
];

/// A rejection's variant name (`EmptyText`), the key of its message in `console-forms.ftl`.
fn variant(r: &Rejection) -> String {
    let debug = format!("{r:?}");
    debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_owned()
}

/// Where and how a failed submission is shown: beside the field the rule is about, in the clerk's
/// language, with the rule's exact wording (which names the references) under it.
fn shown(lang: Lang, err: &AppError, fields: &[fields::Field], form: &Form) -> Shown {
    let present = |name: &str| fields.iter().find(|f| f.name == name).map(|f| f.name);
    let holding = |needle: &str| {
        fields
            .iter()
            .find(|f| form.iter().any(|(k, v)| k == f.name && v.contains(needle)))
            .map(|f| f.name)
    };
    let first = fields.first().map_or("_form", |f| f.name);
    let detail = Some(err.to_string());
    match err {
        AppError::Rejected { rejection, .. } => {
            let name = variant(rejection);
            let (field, args): (Option<&'static str>, Vec<(&str, String)>) = match rejection {
                Rejection::EmptyText { field } => (
                    present(field).or_else(|| present(&format!("{field}s"))),
                    vec![],
                ),
                Rejection::TooLong { field, max, len } | Rejection::TooMany { field, max, len } => {
                    (
                        present(field).or_else(|| present(&format!("{field}s"))),
                        vec![("max", max.to_string()), ("len", len.to_string())],
                    )
                }
                _ => (
                    RULE_FIELDS
                        .iter()
                        .find(|(v, _)| *v == name)
                        .and_then(|(_, fs)| fs.iter().find_map(|f| present(f))),
                    vec![],
                ),
            };
            let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let text = i18n::try_t(lang, &format!("rule-{name}"), &args)
                .unwrap_or_else(|| err.to_string());
            Shown {
                field: field.unwrap_or(first),
                text,
                detail: (lang == Lang::Zh).then(|| err.to_string()),
            }
        }
        AppError::UnknownReference(r) => Shown {
            field: holding(r).unwrap_or(first),
            text: i18n::t(lang, "console-unknown-reference", &[("ref", r)]),
            detail: None,
        },
        AppError::WrongKind { got, .. } => Shown {
            field: holding(got).unwrap_or(first),
            text: i18n::t(lang, "console-wrong-kind", &[("ref", got)]),
            detail,
        },
        AppError::BadRecorder(_) => Shown {
            field: "_form",
            text: i18n::t(lang, "console-bad-recorder", &[]),
            detail: None,
        },
        AppError::Conflict { .. } => Shown {
            field: "_form",
            text: i18n::t(lang, "console-conflict", &[]),
            detail: None,
        },
        AppError::Invalid(_) | AppError::BadValue(_) | AppError::NotYetThen(_) => Shown {
            field: "_form",
            text: i18n::t(lang, "console-invalid", &[]),
            detail,
        },
        AppError::Store(_) | AppError::Internal(_) | AppError::Directory(_) => Shown {
            field: "_form",
            text: i18n::t(lang, "console-storage", &[]),
            detail: None,
        },
    }
}

fn field_errors(lang: Lang, errors: &[FieldError]) -> Vec<Shown> {
    errors
        .iter()
        .map(|e| Shown {
            field: e.field,
            text: i18n::t(
                lang,
                e.message,
                &e.example.map(|x| vec![("example", x)]).unwrap_or_default(),
            ),
            detail: None,
        })
        .collect()
}

/// The public page of what was recorded, if it has one.
fn public_page(reference: &str, lang: Lang) -> Option<String> {
    let kind = reference.split('-').next()?;
    let path = match kind {
        "PROP" => "proposals",
        "HEAR" => "hearings",
        "CONS" => "consultations",
        "BAL" => "ballots",
        "DISP" => "disputes",
        "ORG" => "orgs",
        _ => return None,
    };
    Some(format!("/{path}/{reference}?lang={}", lang.query()))
}

/// `POST /console/record/{command}`: checks the session and its CSRF token, turns the form into a
/// [`crate::app::Request`] and records it as the signed-in clerk; a rejection re-shows the form
/// with the rule beside its field (422) and records nothing.
pub async fn form_post(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(command): Path<String>,
    Query(q): Query<ConsoleQuery>,
    body: axum::body::Body,
) -> Response {
    let lang = lang(&q, &headers);
    let path = format!("/console/record/{command}");
    let Some(s) = session(&state, &headers) else {
        return ended(lang, &path);
    };
    // Who may send a body, and how large, is settled before it is read: a file only to a clerk's
    // form that takes one.
    if s.token.role != Role::Clerk {
        return forbidden(lang, &s);
    }
    let Some(route) = fields::route(&command) else {
        return not_found(lang, Some(&s));
    };
    let limit = if fields::uploads(route) {
        crate::server::UPLOAD_LIMIT
    } else {
        crate::server::BODY_LIMIT
    };
    let body = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            return refused(
                lang,
                &path,
                &s,
                StatusCode::PAYLOAD_TOO_LARGE,
                "console-too-large",
            )
        }
    };
    let form = match multipart_boundary(&headers) {
        Some(boundary) => multipart_form(body, boundary).await,
        None => form_of(&body),
    };
    let Some(form) = form else {
        return refused(lang, &path, &s, StatusCode::BAD_REQUEST, "console-bad-form");
    };
    let csrf_ok = value(&form, "csrf").is_some_and(|c| s.csrf_ok(c));
    if !csrf_ok || foreign_origin(&headers) {
        tracing::warn!(command = %command, "console form refused: CSRF token missing or wrong");
        let ctx = Ctx {
            lang,
            path: &path,
            session: Some(&s),
            who: None,
        };
        return html(
            StatusCode::FORBIDDEN,
            view::message(&ctx, &ctx.t("console-title"), &ctx.t("console-csrf"), false),
        );
    }
    let who = name_of(&state, &s).await;
    let outcome = match fields::to_request(route, &form, state.svc.zone()) {
        Err(errors) => Err(field_errors(lang, &errors)),
        Ok((request, at)) => {
            let Ok(permit) = state.writes.clone().acquire_owned().await else {
                return not_found(lang, Some(&s));
            };
            let st = state.clone();
            let token = s.token.clone();
            let fields_now = fields::fields(route);
            let form_now = form.clone();
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                if !st.svc.person_active(token.person).unwrap_or(false) {
                    return Err(vec![Shown {
                        field: "_form",
                        text: i18n::t(lang, "console-bad-recorder", &[]),
                        detail: None,
                    }]);
                }
                let meta = Meta {
                    command_id: CommandId::from_uuid(uuid::Uuid::now_v7()),
                    occurred_at: at.map(|w| w.0),
                    recorded_by: Some(token.person),
                    fingerprint: None,
                };
                st.svc
                    .submit(&meta, request)
                    .map_err(|e| vec![shown(lang, &e, &fields_now, &form_now)])
            })
            .await
            .unwrap_or_else(|_| {
                Err(vec![Shown {
                    field: "_form",
                    text: i18n::t(lang, "console-storage", &[]),
                    detail: None,
                }])
            })
        }
    };
    let ctx = Ctx {
        lang,
        path: &path,
        session: Some(&s),
        who: who.as_deref(),
    };
    match outcome {
        Ok(receipt) => {
            let r = &receipt.recorded;
            tracing::info!(command = route.command, reference = %r.reference, position = r.position.get(), "recorded from the console");
            let reference = r.reference.to_string();
            html(
                if receipt.created {
                    StatusCode::CREATED
                } else {
                    StatusCode::OK
                },
                view::recorded(
                    &ctx,
                    route.command,
                    &reference,
                    r.position.get(),
                    public_page(&reference, lang),
                ),
            )
        }
        Err(errors) => {
            let (fields, pickers) = with_pickers(&state, fields::fields(route)).await;
            html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::record_form(&ctx, route.command, &fields, &form, &pickers, &errors),
            )
        }
    }
}

/// The rows of a log in `lang`: the event's kind in words (the code kept for the auditor's hover),
/// and in Chinese, instead of the English summary, the references it names (persons with their
/// names) and the text the clerk recorded.
fn rows(state: &super::State, v: &Value, lang: Lang) -> Vec<LogRow> {
    let tr = crate::server::i18n::Tr::new(lang);
    v.as_array()
        .map(|items| {
            items
                .iter()
                .map(|e| LogRow {
                    position: e["position"].as_u64().unwrap_or(0),
                    // As people write it: date and minute, in UTC (the log's zone).
                    when: e["occurred_at"]
                        .as_str()
                        .map(|w| w.get(..16).unwrap_or(w).replacen('T', " ", 1))
                        .unwrap_or_default(),
                    kind: e["kind"].as_str().unwrap_or("").to_owned(),
                    kind_words: tr.code("event", e["kind"].as_str().unwrap_or("")),
                    summary: summary_in(state, e["summary"].as_str().unwrap_or(""), lang),
                    by: e["recorded_by"]
                        .as_str()
                        .map(|p| state.svc.with_names(p))
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// An event's summary for the console: as recorded in English; in Chinese, the references it names
/// (persons and organisations with their names) and the recorded text after the English prefix.
fn summary_in(state: &super::State, summary: &str, lang: Lang) -> String {
    use crate::server::pages::parts::{recorded_words, refs_in};
    match lang {
        Lang::En => state.svc.with_names(summary),
        Lang::Zh => {
            let mut out: Vec<String> = refs_in(summary)
                .iter()
                .map(|r| state.svc.with_names(r))
                .collect();
            if let Some(t) = recorded_words(crate::server::i18n::Tr::new(lang), summary) {
                out.push(state.svc.with_names(&t));
            }
            out.join(" ")
        }
    }
}

/// `GET /console/audit`: the audit log with names, newest page first (auditors only).
pub async fn audit(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<ConsoleQuery>,
) -> Response {
    let lang = lang(&q, &headers);
    let Some(s) = session(&state, &headers) else {
        return ended(lang, "/console/audit");
    };
    if s.token.role != Role::Auditor {
        return forbidden(lang, &s);
    }
    const PAGE: u64 = 50;
    let before = q.before;
    let st = state.clone();
    let (log, next) = tokio::task::spawn_blocking(move || {
        let head = crate::store::EventStore::head(st.svc.store())
            .position
            .get();
        let end = before.unwrap_or(head + 1).min(head + 1);
        let after = end.saturating_sub(PAGE + 1);
        let page = Page {
            after,
            limit: PAGE as usize,
        };
        let v = st
            .svc
            .audit_log_page(None, None, None, page)
            .unwrap_or(Value::Null);
        let mut r = rows(&st, &v, lang);
        r.retain(|row| row.position < end);
        r.reverse();
        (r, (after > 0).then_some(after + 1))
    })
    .await
    .unwrap_or_default();
    let who = name_of(&state, &s).await;
    let ctx = Ctx {
        lang,
        path: "/console/audit",
        session: Some(&s),
        who: who.as_deref(),
    };
    let more = maud::html! {
        @if let Some(n) = next {
            p { a href=(ctx.href(&format!("/console/audit?before={n}"))) { (ctx.t("console-older")) } }
        }
    };
    let intro = ctx.t("console-audit-intro");
    let page = view::log(
        &ctx,
        &ctx.t("console-audit"),
        Some(&intro),
        &log,
        maud::html! {},
        more,
    );
    html(StatusCode::OK, page)
}

/// `GET /console/history?ref=PROP-1`: an entity's history with names (auditors only).
pub async fn history(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<ConsoleQuery>,
) -> Response {
    let lang = lang(&q, &headers);
    let Some(s) = session(&state, &headers) else {
        return ended(lang, "/console/history");
    };
    if s.token.role != Role::Auditor {
        return forbidden(lang, &s);
    }
    let reference = q.reference.clone().unwrap_or_default();
    let st = state.clone();
    let r = reference.trim().to_owned();
    let (log, error) = tokio::task::spawn_blocking(move || {
        if r.is_empty() {
            return (Vec::new(), None);
        }
        match st.svc.history(&r) {
            Ok(v) => (rows(&st, &v, lang), None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        }
    })
    .await
    .unwrap_or_default();
    let who = name_of(&state, &s).await;
    let ctx = Ctx {
        lang,
        path: "/console/history",
        session: Some(&s),
        who: who.as_deref(),
    };
    let title = if reference.trim().is_empty() {
        ctx.t("console-history")
    } else {
        ctx.ta("console-history-of", &[("ref", reference.trim())])
    };
    let lookup = maud::html! {
        form method="get" action="/console/history" {
            input type="hidden" name="lang" value=(lang.query());
            div.field {
                label for="ref" { (ctx.t("console-history-ref")) }
                input #ref type="text" name="ref" value=(reference) aria-describedby=[error.as_ref().map(|_| "ref-error")];
                @if let Some(e) = &error {
                    p.error #ref-error role="alert" { (i18n::t(lang, "console-unknown-reference", &[("ref", reference.trim())])) br; small { (e) } }
                }
            }
            button type="submit" { (ctx.t("console-show")) }
        }
    };
    html(
        StatusCode::OK,
        view::log(&ctx, &title, None, &log, lookup, maud::html! {}),
    )
}

/// `GET /console/console.css`.
pub async fn stylesheet() -> Response {
    let mut r = view::STYLE.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r
}
