//! The route table. Recording routes are rows of [`COMMANDS`]; reading routes rows of [`READS`]. The
//! router ([`build`]) and the OpenAPI description ([`openapi`]) are made from the same rows, and a
//! test checks that every route served is described and every described route is served.
//!
//! Layout: `POST /api/v1/{kind}` creates (`proposals`, `hearings`, ...), `POST
//! /api/v1/{kind}/{ref}/{act}` records an act on an entity (`proposals/PROP-3/cosign`), `GET
//! /api/v1/{kind}` lists and `GET /api/v1/{kind}/{ref}` shows. `{ref}` is a reference (`PROP-3`) or
//! a UUID.

use super::auth::Caller;
use super::handlers::{audit, documents, record, views};
use super::{feed, pages, Shared, BODY_LIMIT};
use crate::app::request::{
    ballot_args, consultation_args, dispute_args, entity_args, hearing_args, pledge_args,
    proposal_args, register_args,
};
use axum::extract::{DefaultBodyLimit, RawPathParams, State};
use axum::http::HeaderMap;
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use clap::Args as _;
use serde_json::{json, Map, Value};

/// One recording command's route.
#[derive(Debug)]
pub struct CommandRoute {
    /// The [`crate::app::Request`] tag (`proposal-cosign`).
    pub command: &'static str,
    /// The path (`/api/v1/proposals/{ref}/cosign`).
    pub path: &'static str,
    /// The request field the path's `{ref}` fills (`proposal`), if any.
    pub target: Option<&'static str>,
    /// The body's fields.
    pub body: Body,
    /// What it records.
    pub summary: &'static str,
}

/// The fields of a command's JSON body.
#[derive(Clone, Copy, Debug)]
pub enum Body {
    /// Those of the struct that defines the command once ([`crate::app::request`]): its clap
    /// arguments, whose ids are its JSON fields, required where the command line requires them.
    Args(fn(clap::Command) -> clap::Command),
    /// Names, optional ones in brackets: the commands whose command line and JSON differ.
    Text(&'static str),
}

impl CommandRoute {
    /// The body's fields in order, each with whether it is required; the field the path's `{ref}`
    /// fills is not one.
    pub fn fields(&self) -> Vec<(&'static str, bool)> {
        let fields: Vec<(&'static str, bool)> = match self.body {
            Body::Text(text) => text
                .split_whitespace()
                .map(|f| {
                    let name = f.trim_matches(|c| c == '[' || c == ']');
                    (name, name == f)
                })
                .collect(),
            Body::Args(_) => args_of(self.command)
                .iter()
                .map(|(name, required)| (name.as_str(), *required))
                .collect(),
        };
        fields
            .into_iter()
            .filter(|(name, _)| Some(*name) != self.target)
            .collect()
    }
}

/// The arguments of a [`Body::Args`] command's struct, each with whether it is required: read
/// from clap's description of every such struct once, and kept.
fn args_of(command: &str) -> &'static [(String, bool)] {
    type Args = Vec<(&'static str, Vec<(String, bool)>)>;
    static ARGS: std::sync::OnceLock<Args> = std::sync::OnceLock::new();
    let all = ARGS.get_or_init(|| {
        COMMANDS
            .iter()
            .filter_map(|c| match c.body {
                Body::Args(augment) => Some((
                    c.command,
                    augment(clap::Command::new(c.command))
                        .get_arguments()
                        .map(|a| (a.get_id().as_str().to_owned(), a.is_required_set()))
                        .collect(),
                )),
                Body::Text(_) => None,
            })
            .collect()
    });
    all.iter()
        .find(|(c, _)| *c == command)
        .map_or(&[], |(_, args)| args.as_slice())
}

macro_rules! commands {
    ($($command:literal, $path:literal, $target:expr, $body:expr, $summary:literal;)+) => {
        /// Every recording command of `CLI.md`, as a POST route.
        pub const COMMANDS: &[CommandRoute] = &[$(CommandRoute {
            command: $command, path: $path, target: $target, body: $body, summary: $summary,
        }),+];
    };
}

commands! {
    "org-add", "/api/v1/orgs", None, Body::Args(register_args::OrgAdd::augment_args), "Register an organisation";
    "person-add", "/api/v1/persons", None, Body::Text("name [memberships]"), "Register a person (the name stays outside the log)";
    "person-erase", "/api/v1/persons/{ref}/erase", Some("person"), Body::Args(register_args::PersonErase::augment_args), "Erase a person's personal data";
    "proposal-submit", "/api/v1/proposals", None, Body::Args(proposal_args::Submit::augment_args), "Submit a proposal";
    "proposal-cosign", "/api/v1/proposals/{ref}/cosign", Some("proposal"), Body::Args(proposal_args::Cosign::augment_args), "Co-sign a proposal";
    "proposal-admit", "/api/v1/proposals/{ref}/admit", Some("proposal"), Body::Args(proposal_args::Admit::augment_args), "Admit a proposal";
    "proposal-return", "/api/v1/proposals/{ref}/return", Some("proposal"), Body::Args(proposal_args::Return::augment_args), "Return a proposal";
    "proposal-withdraw", "/api/v1/proposals/{ref}/withdraw", Some("proposal"), Body::Args(proposal_args::Withdraw::augment_args), "Withdraw a proposal";
    "proposal-decide", "/api/v1/proposals/{ref}/decide", Some("proposal"), Body::Args(proposal_args::Decide::augment_args), "Decide a proposal on a hearing, consultation or ballot";
    "proposal-assign", "/api/v1/proposals/{ref}/assign", Some("proposal"), Body::Args(proposal_args::Assign::augment_args), "Assign an adopted proposal";
    "proposal-progress", "/api/v1/proposals/{ref}/progress", Some("proposal"), Body::Args(proposal_args::Progress::augment_args), "Report implementation progress";
    "proposal-complete", "/api/v1/proposals/{ref}/complete", Some("proposal"), Body::Args(proposal_args::Complete::augment_args), "Complete implementation";
    "pledge-make", "/api/v1/pledges", None, Body::Args(pledge_args::Make::augment_args), "Pledge money, labour or expertise";
    "pledge-fulfil", "/api/v1/pledges/fulfil", None, Body::Args(pledge_args::Fulfil::augment_args), "A pledge was fulfilled";
    "hearing-schedule", "/api/v1/hearings", None, Body::Args(hearing_args::Schedule::augment_args), "Schedule a democratic hearing";
    "hearing-register", "/api/v1/hearings/{ref}/register", Some("hearing"), Body::Args(hearing_args::Register::augment_args), "Register a participant";
    "hearing-open", "/api/v1/hearings/{ref}/open", Some("hearing"), Body::Args(hearing_args::Open::augment_args), "Open a hearing";
    "hearing-statement", "/api/v1/hearings/{ref}/statement", Some("hearing"), Body::Args(hearing_args::Statement::augment_args), "Record a statement";
    "hearing-close", "/api/v1/hearings/{ref}/close", Some("hearing"), Body::Args(hearing_args::Close::augment_args), "Close a hearing with findings";
    "hearing-cancel", "/api/v1/hearings/{ref}/cancel", Some("hearing"), Body::Args(hearing_args::Cancel::augment_args), "Cancel a hearing";
    "consultation-convene", "/api/v1/consultations", None, Body::Args(consultation_args::Convene::augment_args), "Convene a consultation";
    "consultation-position", "/api/v1/consultations/{ref}/position", Some("consultation"), Body::Args(consultation_args::Position::augment_args), "A party states its position";
    "consultation-agree", "/api/v1/consultations/{ref}/agree", Some("consultation"), Body::Args(consultation_args::Agree::augment_args), "The parties agree";
    "consultation-fail", "/api/v1/consultations/{ref}/fail", Some("consultation"), Body::Args(consultation_args::Fail::augment_args), "No agreement";
    "consultation-commit", "/api/v1/consultations/{ref}/commit", Some("consultation"), Body::Args(consultation_args::Commit::augment_args), "A party commits";
    "consultation-fulfil", "/api/v1/consultations/{ref}/fulfil", Some("consultation"), Body::Args(consultation_args::Fulfil::augment_args), "A commitment was fulfilled";
    "ballot-open", "/api/v1/ballots", None, Body::Args(ballot_args::Open::augment_args), "Open a ballot (secret: encrypted under an election key held by the tellers, or by the ledger until the close; in_person: taken in the room by a show of hands, no casts)";
    "ballot-cast", "/api/v1/ballots/{ref}/cast", Some("ballot"), Body::Args(register_args::BallotCast::augment_args), "Cast a ballot";
    "ballot-close", "/api/v1/ballots/{ref}/close", Some("ballot"), Body::Text("[parts]"), "Close and tally a ballot (an encrypted ballot with tellers: first end casting, then close with every teller's part)";
    "dispute-file", "/api/v1/disputes", None, Body::Args(dispute_args::File::augment_args), "File a dispute";
    "dispute-mediate", "/api/v1/disputes/{ref}/mediate", Some("dispute"), Body::Args(dispute_args::Mediate::augment_args), "A mediation attempt";
    "dispute-escalate", "/api/v1/disputes/{ref}/escalate", Some("dispute"), Body::Args(dispute_args::Escalate::augment_args), "Escalate a dispute";
    "dispute-negotiate", "/api/v1/disputes/{ref}/negotiate", Some("dispute"), Body::Args(dispute_args::Negotiate::augment_args), "A presided negotiation";
    "dispute-resolve", "/api/v1/disputes/{ref}/resolve", Some("dispute"), Body::Args(dispute_args::Resolve::augment_args), "The dispute was resolved";
    "dispute-implement", "/api/v1/disputes/{ref}/implement", Some("dispute"), Body::Args(dispute_args::Implement::augment_args), "The resolution was carried out";
    "dispute-close", "/api/v1/disputes/{ref}/close", Some("dispute"), Body::Args(dispute_args::Close::augment_args), "Close a dispute";
    "dispute-withdraw", "/api/v1/disputes/{ref}/withdraw", Some("dispute"), Body::Args(dispute_args::Withdraw::augment_args), "Withdraw a dispute";
    "correct", "/api/v1/corrections", None, Body::Args(entity_args::Correct::augment_args), "Record a correction of an entity's event (set: FIELD=VALUE corrected values that take effect)";
    "void", "/api/v1/voids", None, Body::Args(entity_args::Void::augment_args), "Void an act recorded in error (refused if later acts depend on it)";
    "ballot-record-result", "/api/v1/ballots/{ref}/record-result", Some("ballot"), Body::Text("counts present [minutes]"), "Record the counts a meeting took of a ballot taken in the room (counts: OPTION=N each; minutes: {name, content base64}, attached as a document); closes it";
    "attach", "/api/v1/documents", None, Body::Text("reference file [title] [private]"), "Attach a document to an entity (file: {name, content base64}); stored under its SHA-256 before the event is recorded";
    "document-withdraw", "/api/v1/documents/withdraw", None, Body::Args(entity_args::DocumentWithdraw::augment_args), "Withdraw a document: its file is deleted, its hash stays in the record";
}

/// One reading route.
#[derive(Debug)]
pub struct ReadRoute {
    /// The path.
    pub path: &'static str,
    /// `public` or `auditor`.
    pub access: &'static str,
    /// Query parameters.
    pub query: &'static [&'static str],
    /// Media type of the answer.
    pub produces: &'static str,
    /// What it returns.
    pub summary: &'static str,
}

const J: &str = "application/json";
const H: &str = "text/html";

macro_rules! reads {
    ($($path:literal, $access:literal, [$($q:literal),*], $produces:expr, $summary:literal;)+) => {
        /// Every GET route.
        pub const READS: &[ReadRoute] = &[$(ReadRoute {
            path: $path, access: $access, query: &[$($q),*], produces: $produces, summary: $summary,
        }),+];
    };
}

reads! {
    "/api/v1/openapi.json", "public", [], J, "This description";
    "/api/v1/status", "public", [], J, "The head: size and hash";
    "/api/v1/orgs", "public", [], J, "Organisations";
    "/api/v1/persons", "auditor", [], J, "Persons with their names (auditors only)";
    "/api/v1/proposals", "public", ["status", "category"], J, "Proposals";
    "/api/v1/proposals/{ref}", "public", [], J, "One proposal";
    "/api/v1/hearings", "public", [], J, "Hearings";
    "/api/v1/hearings/{ref}", "public", [], J, "One hearing";
    "/api/v1/consultations", "public", [], J, "Consultations";
    "/api/v1/consultations/{ref}", "public", [], J, "One consultation";
    "/api/v1/ballots", "public", [], J, "Ballots (never who chose what in a secret ballot)";
    "/api/v1/ballots/{ref}", "public", [], J, "One ballot";
    "/api/v1/ballots/{ref}/verify", "public", [], J, "Verify an encrypted ballot from the record alone: every cast's proofs, the aggregate, the tellers' decryptions, the counts";
    "/api/v1/disputes", "public", [], J, "Disputes";
    "/api/v1/disputes/{ref}", "public", [], J, "One dispute";
    "/api/v1/disputes/{ref}/timeline", "public", ["as_of", "at_position"], J, "A dispute as it stood at a time or ledger position";
    "/api/v1/history/{ref}", "public", [], J, "Every event of one entity, oldest first";
    "/api/v1/reports/transparency", "public", ["from", "to", "format", "lang"], J, "The transparency report (format json, html or md; lang en or zh)";
    "/api/v1/audit/log", "auditor", ["actor", "from", "to"], J, "The audit log";
    "/api/v1/audit/verify", "auditor", [], J, "Verify the whole ledger";
    "/api/v1/audit/prove", "auditor", ["position", "size"], J, "Inclusion proof";
    "/api/v1/audit/consistency", "auditor", ["from_size", "to_size"], J, "Consistency proof";
    "/api/v1/audit/checkpoints", "auditor", [], J, "Recorded checkpoints";
    "/api/v1/audit/key", "public", [], J, "The ledger's verifier key";
    "/api/v1/events", "auditor", ["after", "limit"], J, "Events paged by position";
    "/api/v1/feed", "auditor", ["from"], "text/event-stream", "Live feed of new events (server-sent events)";
    "/api/v1/documents", "public", [], J, "Public documents: entity, title, SHA-256, size, media type (withdrawn ones with why)";
    "/api/v1/audit/documents", "auditor", [], J, "Every document, private ones included";
    "/documents/{sha256}", "public", [], "application/octet-stream", "A document's bytes by SHA-256 (public ones; private ones with an auditor's token); attachment unless a plain image or PDF";
    "/", "public", ["status", "category", "lang"], H, "Page: the proposal board";
    "/proposals/{ref}", "public", ["lang"], H, "Page: a proposal with its decision, pledges and history";
    "/hearings", "public", ["lang"], H, "Page: hearings";
    "/hearings/{ref}", "public", ["lang"], H, "Page: a hearing with its statements and findings";
    "/consultations", "public", ["lang"], H, "Page: consultations";
    "/consultations/{ref}", "public", ["lang"], H, "Page: a consultation with its terms and commitments (fulfilled or overdue)";
    "/ballots", "public", ["lang"], H, "Page: ballots";
    "/ballots/{ref}", "public", ["lang"], H, "Page: a ballot with its result chart, turnout and quorum";
    "/disputes", "public", ["lang"], H, "Page: disputes";
    "/disputes/{ref}", "public", ["as_of", "lang"], H, "Page: a dispute's timeline as it stood on a date";
    "/pledges", "public", ["lang"], H, "Page: pledges by unit";
    "/orgs", "public", ["lang"], H, "Page: organisations";
    "/orgs/{ref}", "public", ["lang"], H, "Page: an organisation and what it did";
    "/reports/transparency", "public", ["from", "to", "lang"], H, "Page: the transparency report";
    "/verify", "public", ["lang"], H, "Page: what a signed checkpoint proves and how to check";
    "/district", "public", ["from", "to", "lang"], H, "Page: the district's communities, each verified from a mirror (serve --district; 404 without)";
    "/static/site.css", "public", [], "text/css", "The site's stylesheet";
    "/static/icon.svg", "public", [], "image/svg+xml", "The site's icon";
    "/favicon.ico", "public", [], "image/svg+xml", "The site's icon";
    "/tlog/checkpoint", "public", [], "text/plain", "The tiled log's checkpoint of the head (c2sp.org/tlog-tiles), signed by the ledger";
    "/tlog/tile/{*path}", "public", [], "application/octet-stream", "A tile <L>/<N>[.p/<W>] or entry bundle entries/<N>[.p/<W>] (c2sp.org/tlog-tiles; immutable, gzip)";
}

/// One route of the clerk's console (HTML forms; a session cookie, not a bearer token).
#[derive(Debug)]
pub struct ConsoleRoute {
    /// `get` or `post`.
    pub method: &'static str,
    /// The path.
    pub path: &'static str,
    /// What it does.
    pub summary: &'static str,
}

macro_rules! console_routes {
    ($($method:literal, $path:literal, $summary:literal;)+) => {
        /// Every route of the clerk's console ([`super::console`]).
        pub const CONSOLE: &[ConsoleRoute] = &[$(ConsoleRoute {
            method: $method, path: $path, summary: $summary,
        }),+];
    };
}

console_routes! {
    "get", "/console", "Console: sign in, or the forms of every recording command";
    "post", "/console/sign-in", "Console: exchange a clerk's or auditor's token for a session cookie";
    "post", "/console/sign-out", "Console: end the session";
    "get", "/console/record/{command}", "Console: the form of one recording command";
    "post", "/console/record/{command}", "Console: record it (CSRF token required)";
    "get", "/console/audit", "Console: the audit log with names (auditors)";
    "get", "/console/history", "Console: an entity's history with names (auditors)";
    "get", "/console/console.css", "Console: the stylesheet";
}

fn console_router(route: &ConsoleRoute) -> MethodRouter<Shared> {
    use super::console as c;
    match (route.method, route.path) {
        ("get", "/console") => get(c::home),
        ("post", "/console/sign-in") => post(c::sign_in),
        ("post", "/console/sign-out") => post(c::sign_out),
        ("get", "/console/record/{command}") => get(c::form_page),
        ("post", "/console/record/{command}") => post(c::form_post),
        ("get", "/console/audit") => get(c::audit),
        ("get", "/console/history") => get(c::history),
        _ => get(c::stylesheet),
    }
}

/// The router and the (method, path) pairs it serves.
pub fn build(state: Shared) -> (Router, Vec<(&'static str, &'static str)>) {
    let mut router: Router<Shared> = Router::new();
    // GET and POST share some paths (`/api/v1/proposals`): merge method routers per path.
    let mut by_path: Vec<(&'static str, MethodRouter<Shared>)> = Vec::new();
    let mut put = |path: &'static str, m: MethodRouter<Shared>| {
        if let Some((_, existing)) = by_path.iter_mut().find(|(p, _)| *p == path) {
            let merged = std::mem::take(existing).merge(m);
            *existing = merged;
        } else {
            by_path.push((path, m));
        }
    };
    let mut served = Vec::new();
    for c in COMMANDS {
        served.push(("post", c.path));
        put(
            c.path,
            post(
                move |st: State<Shared>,
                      caller: Caller,
                      headers: HeaderMap,
                      params: RawPathParams,
                      body: axum::body::Body| {
                    record::record(c, st, caller, headers, params, body)
                },
            ),
        );
    }
    let gets: Vec<(&'static str, MethodRouter<Shared>)> = vec![
        ("/api/v1/openapi.json", get(openapi_handler)),
        ("/api/v1/status", get(views::status)),
        ("/api/v1/orgs", get(views::orgs)),
        ("/api/v1/persons", get(views::persons)),
        ("/api/v1/proposals", get(views::proposals)),
        ("/api/v1/proposals/{ref}", get(views::proposal)),
        ("/api/v1/hearings", get(views::hearings)),
        ("/api/v1/hearings/{ref}", get(views::hearing)),
        ("/api/v1/consultations", get(views::consultations)),
        ("/api/v1/consultations/{ref}", get(views::consultation)),
        ("/api/v1/ballots", get(views::ballots)),
        ("/api/v1/ballots/{ref}", get(views::ballot)),
        ("/api/v1/ballots/{ref}/verify", get(views::ballot_verify)),
        ("/api/v1/disputes", get(views::disputes)),
        ("/api/v1/disputes/{ref}", get(views::dispute)),
        (
            "/api/v1/disputes/{ref}/timeline",
            get(views::dispute_timeline),
        ),
        ("/api/v1/history/{ref}", get(views::history)),
        (
            "/api/v1/reports/transparency",
            get(views::report_transparency),
        ),
        ("/api/v1/audit/log", get(audit::log)),
        ("/api/v1/audit/verify", get(audit::verify)),
        ("/api/v1/audit/prove", get(audit::prove)),
        ("/api/v1/audit/consistency", get(audit::consistency)),
        ("/api/v1/audit/checkpoints", get(audit::checkpoints)),
        ("/api/v1/audit/key", get(audit::key)),
        ("/api/v1/events", get(audit::events)),
        ("/api/v1/feed", get(feed::feed)),
        ("/api/v1/documents", get(documents::list)),
        ("/api/v1/audit/documents", get(documents::audit_list)),
        ("/documents/{sha256}", get(documents::file)),
        ("/", get(pages::board)),
        ("/proposals/{ref}", get(pages::proposal)),
        ("/hearings", get(pages::hearings)),
        ("/hearings/{ref}", get(pages::hearing)),
        ("/consultations", get(pages::consultations)),
        ("/consultations/{ref}", get(pages::consultation)),
        ("/ballots", get(pages::ballots)),
        ("/ballots/{ref}", get(pages::ballot)),
        ("/disputes", get(pages::disputes)),
        ("/disputes/{ref}", get(pages::dispute)),
        ("/pledges", get(pages::pledges)),
        ("/orgs", get(pages::orgs)),
        ("/orgs/{ref}", get(pages::org)),
        ("/reports/transparency", get(pages::report)),
        ("/verify", get(pages::verify)),
        ("/district", get(pages::district)),
        ("/static/site.css", get(pages::site_css)),
        ("/static/icon.svg", get(pages::icon_svg)),
        ("/favicon.ico", get(pages::icon_svg)),
        ("/tlog/checkpoint", get(crate::tlog::http::checkpoint)),
        (
            "/tlog/tile/{*path}",
            get(crate::tlog::http::tile).layer(tower_http::compression::CompressionLayer::new()),
        ),
    ];
    for (path, m) in gets {
        served.push(("get", path));
        put(path, m);
    }
    for c in CONSOLE {
        served.push((c.method, c.path));
        put(c.path, console_router(c));
    }
    for (path, m) in by_path {
        // Bodies are bounded per route: a file only where one is sent (the handlers read those
        // after checking the caller, within the same bounds).
        let limit = if path == "/api/v1/documents" || path == "/console/record/{command}" {
            super::UPLOAD_LIMIT
        } else {
            BODY_LIMIT
        };
        router = router.route(
            path,
            m.layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(limit))
                .layer::<_, std::convert::Infallible>(
                    tower_http::limit::RequestBodyLimitLayer::new(limit),
                ),
        );
    }
    let nav = pages::ctx::SiteNav {
        district: state.district.get().is_some(),
    };
    let router = router
        .fallback(pages::not_found)
        .layer(axum::Extension(nav))
        .layer(axum::middleware::map_response(super::headers::add))
        .with_state(state);
    (router, served)
}

/// The router.
pub fn router(state: Shared) -> Router {
    build(state).0
}

async fn openapi_handler() -> Json<Value> {
    Json(openapi())
}

fn parameters(path: &str, query: &[&str]) -> Vec<Value> {
    let mut out = Vec::new();
    if path.contains("{ref}") {
        out.push(json!({"name": "ref", "in": "path", "required": true,
            "description": "A reference (PROP-3) or UUID", "schema": {"type": "string"}}));
    }
    for q in query {
        out.push(json!({"name": q, "in": "query", "required": matches!(*q, "position" | "from_size"), "schema": {"type": "string"}}));
    }
    out
}

/// The OpenAPI 3.1 description of every route, built from [`COMMANDS`] and [`READS`].
pub fn openapi() -> Value {
    let mut paths = Map::new();
    let error = json!({"$ref": "#/components/responses/Error"});
    for c in COMMANDS {
        let mut required = Vec::new();
        let mut properties = Map::new();
        for (name, is_required) in c.fields() {
            if is_required {
                required.push(name);
            }
            properties.insert(name.to_owned(), json!({}));
        }
        properties.insert(
            "at".into(),
            json!({"type": "string", "description": "When the act happened (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] or RFC 3339); default now"}),
        );
        let op = json!({
            "operationId": c.command,
            "summary": c.summary,
            "tags": ["record"],
            "security": [{"bearer": []}],
            "parameters": parameters(c.path, &[]).into_iter().chain([json!({
                "name": "Idempotency-Key", "in": "header", "required": false,
                "description": "Retries with the same key get the original answer and record nothing new",
                "schema": {"type": "string"}})]).collect::<Vec<_>>(),
            "requestBody": {"required": false, "content": {J: {"schema": {
                "type": "object", "required": required, "properties": properties,
                "additionalProperties": false}}}},
            "responses": {
                "200": {"description": "Recorded: ref, position, events, and pledge/commitment/corrects where it applies"},
                "201": {"description": "Created: ref, position, id, events"},
                "400": error, "401": error, "403": error, "404": error, "409": error, "413": error, "422": error
            }
        });
        paths
            .entry(c.path.to_owned())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|m| m.insert("post".into(), op));
    }
    for r in READS {
        let mut op = json!({
            "summary": r.summary,
            "tags": [if r.path.starts_with("/api/") { "read" } else { "pages" }],
            "parameters": parameters(r.path, r.query),
            "responses": {
                "200": {"description": "OK", "content": {r.produces: {}}},
                "400": error, "404": error, "422": error
            }
        });
        if r.access == "auditor" {
            op["security"] = json!([{"bearer": []}]);
            op["responses"]["401"] = error.clone();
            op["responses"]["403"] = error.clone();
            op["x-access"] = json!("auditor");
        } else {
            op["x-access"] = json!("public");
        }
        paths
            .entry(r.path.to_owned())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|m| m.insert("get".into(), op));
    }
    for c in CONSOLE {
        let op = json!({
            "summary": c.summary,
            "tags": ["console"],
            "parameters": if c.path.contains("{command}") {
                json!([{"name": "command", "in": "path", "required": true,
                    "description": "A recording command (proposal-submit)", "schema": {"type": "string"}}])
            } else {
                json!([])
            },
            "responses": {"200": {"description": "OK", "content": {H: {}}}},
            "x-access": "console session",
        });
        paths
            .entry(c.path.to_owned())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|m| m.insert(c.method.into(), op));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "delib",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The deliberation ledger as a service. Anyone reads the public views and reports (never person names, never secret-ballot choices); clerks record; auditors read everything, including the audit endpoints and the feed."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "An error", "content": {J: {"schema": {
                "type": "object", "properties": {"error": {"type": "string"}}}}}}}
        }
    })
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::request::Time;
    use crate::app::Request;
    use std::any::TypeId;
    use std::collections::BTreeSet;

    #[test]
    fn a_routes_body_and_path_name_exactly_its_requests_json_fields() {
        for c in COMMANDS {
            // given the fields the request refuses an unknown one with (serde lists them)
            let refused = serde_json::from_value::<Request>(json!({"command": c.command, "zz": 1}))
                .unwrap_err()
                .to_string();
            let (_, listed) = refused.split_once("expected").expect(&refused);
            let json: BTreeSet<&str> = listed.split('`').skip(1).step_by(2).collect();
            // then the route's body and its `{ref}` are those fields
            let route: BTreeSet<&str> = c
                .fields()
                .into_iter()
                .map(|(n, _)| n)
                .chain(c.target)
                .collect();
            assert_eq!(route, json, "{}", c.command);
        }
        let assign = COMMANDS
            .iter()
            .find(|c| c.command == "proposal-assign")
            .unwrap();
        assert_eq!(assign.fields(), [("to", true), ("due", false)]);
    }

    #[test]
    fn the_commands_with_a_time_are_those_whose_times_the_cli_places() {
        // given the commands whose struct has a `Time` argument
        let with_time: Vec<&str> = COMMANDS
            .iter()
            .filter(|c| match c.body {
                Body::Args(augment) => augment(clap::Command::new(c.command))
                    .get_arguments()
                    .any(|a| a.get_value_parser().type_id() == TypeId::of::<Time>()),
                Body::Text(_) => false,
            })
            .map(|c| c.command)
            .collect();
        // then they are those `Request::times_mut` lists (a new one must be added there, or the
        // CLI would fingerprint its time as written instead of placed)
        assert_eq!(
            with_time,
            ["proposal-assign", "hearing-schedule", "consultation-commit"]
        );
    }
}
