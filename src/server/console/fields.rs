//! The console's forms, generated from the route table: each recording command's fields come from
//! its row of [`COMMANDS`] (the same list the JSON API and its OpenAPI description are made from),
//! and [`input_of`] says, by field name, how each is entered. [`to_request`] turns a submitted form
//! into the very [`Request`] the CLI and the API build, so the rules are applied in one place.

use super::super::routes::{CommandRoute, COMMANDS};
use crate::app::request::When;
use crate::app::when::{in_zone, Zone};
use crate::app::Request;
use delib_events::RefKind;
use serde_json::{Map, Value};

/// How a field is entered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Text,
    /// A paragraph.
    Long,
    /// A registered person, picked by name.
    Person,
    /// Several persons.
    Persons,
    /// A registered organisation, picked by name.
    Org,
    /// Several organisations.
    Orgs,
    /// The entity acted on, picked from its kind's list.
    Target(RefKind),
    /// Text, one entry a line.
    Lines,
    /// `REF=WORD` a line, as objects with these two keys.
    Pairs(&'static str, &'static str),
    /// One word of a closed vocabulary.
    Vocab(Vec<&'static str>),
    /// A date or time.
    Date,
    /// A whole number.
    Number,
    /// A yes/no box.
    Check,
    /// A file (`attach`): the form is sent as `multipart/form-data`, and the part arrives as the
    /// form entries `file.name` and `file.content` (base64), the API's `{name, content}`.
    File,
}

/// One field of a form.
#[derive(Clone, Debug)]
pub struct Field {
    /// The request field (`presided_by`).
    pub name: &'static str,
    /// Whether the form must fill it.
    pub required: bool,
    /// How it is entered.
    pub input: Input,
}

fn words<T: Copy + 'static>(all: &'static [T], s: fn(T) -> &'static str) -> Input {
    Input::Vocab(all.iter().map(|v| s(*v)).collect())
}

/// How `field` of `command` is entered.
pub fn input_of(command: &str, field: &str) -> Input {
    use delib_events::ballot::Threshold;
    use delib_events::consultation::ConsultationFormat;
    use delib_events::dispute::MediationOutcome;
    use delib_events::hearing::{HearingRole, Stance};
    use delib_events::organisation::OrgKind;
    use delib_events::proposal::{Category, Outcome};
    match (command, field) {
        (_, "file") => Input::File,
        ("pledge-make" | "dispute-mediate", "by") => Input::Org,
        (_, "by" | "person" | "voter") => Input::Person,
        (_, "voters" | "tellers") => Input::Persons,
        (_, "community" | "parent" | "presided_by" | "convened_by" | "party" | "to") => Input::Org,
        ("consultation-convene", "parties") => Input::Orgs,
        (_, "parties") => Input::Pairs("org", "side"),
        (_, "representatives") => Input::Pairs("person", "side"),
        (_, "memberships") => Input::Pairs("org", "role"),
        (_, "proposals" | "options" | "terms" | "set" | "counts") => Input::Lines,
        ("consultation-fulfil", "commitment") => Input::Number,
        (_, "percent" | "pledge" | "event" | "labour_days" | "present") => Input::Number,
        (_, "on" | "due" | "at") => Input::Date,
        (_, "secret" | "in_person") => Input::Check,
        (_, "kind") => words(OrgKind::ALL, OrgKind::as_str),
        (_, "category") => words(Category::ALL, Category::as_str),
        ("dispute-mediate", "outcome") => words(MediationOutcome::ALL, MediationOutcome::as_str),
        (_, "outcome") => words(Outcome::ALL, Outcome::as_str),
        (_, "stance") => words(Stance::ALL, Stance::as_str),
        ("hearing-register", "role") => words(HearingRole::ALL, HearingRole::as_str),
        (_, "format") => words(ConsultationFormat::ALL, ConsultationFormat::as_str),
        (_, "threshold") => words(Threshold::ALL, Threshold::as_str),
        (
            _,
            "body" | "subject" | "summary" | "findings" | "statement" | "note" | "reason"
            | "resolution",
        ) => Input::Long,
        _ => Input::Text,
    }
}

/// The catalogue group (`codes.ftl`) whose words name the choices of a closed-vocabulary field:
/// `kind` is an organisation's kind, the others share the field's name (`category`, `stance`...).
pub fn vocab_group(field: &str) -> &str {
    match field {
        "kind" => "orgkind",
        other => other,
    }
}

/// The kind of entity a route's `{ref}` names.
fn target_kind(route: &CommandRoute) -> RefKind {
    match route.target {
        Some("person") => RefKind::Person,
        Some("hearing") => RefKind::Hearing,
        Some("consultation") => RefKind::Consultation,
        Some("ballot") => RefKind::Ballot,
        Some("dispute") => RefKind::Dispute,
        _ => RefKind::Proposal,
    }
}

/// Fields the console does not offer: a ballot's tellers' parts are files a teller produces, not
/// typing (close such a ballot with `delib ballot close --part`); a ballot's minutes are a file
/// (attach them with `delib ballot record-result --minutes` or the API).
const NOT_TYPED: &[&str] = &["parts", "minutes"];

/// Whether the console offers a form for `command`: every recording command (`attach` as a
/// file upload, sent as `multipart/form-data` without JavaScript).
pub fn offered(command: &str) -> bool {
    COMMANDS.iter().any(|c| c.command == command)
}

/// Whether the form of `route` carries a file.
pub fn uploads(route: &CommandRoute) -> bool {
    fields(route).iter().any(|f| f.input == Input::File)
}

/// The form of a recording command: the entity acted on first, then the row's fields, then `at`.
pub fn fields(route: &CommandRoute) -> Vec<Field> {
    let mut out = Vec::new();
    if let Some(target) = route.target {
        out.push(Field {
            name: target,
            required: true,
            input: Input::Target(target_kind(route)),
        });
    }
    for (name, required) in route.fields() {
        if NOT_TYPED.contains(&name) {
            continue;
        }
        out.push(Field {
            name,
            required,
            input: input_of(route.command, name),
        });
    }
    out.push(Field {
        name: "at",
        required: false,
        input: Input::Date,
    });
    out
}

/// The route of a command tag.
pub fn route(command: &str) -> Option<&'static CommandRoute> {
    COMMANDS.iter().find(|c| c.command == command)
}

/// Why a field's value could not be read: a message id of `console.ftl` with its argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field.
    pub field: &'static str,
    /// The message id (`console-required`).
    pub message: &'static str,
    /// An example, for messages that show one.
    pub example: Option<&'static str>,
}

/// The submitted values of a form, in order, with repeated names for multiple choices.
pub type Form = Vec<(String, String)>;

fn values<'a>(form: &'a Form, name: &str) -> Vec<&'a str> {
    form.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The form's values as the [`Request`] the API would build, and `at`; or every field's error.
/// Times written without a zone (`on`, `due`, `at`) are the ledger's, `zone`, as in the API.
///
/// # Errors
/// One [`FieldError`] per field that is missing or unreadable, or a `_form` error when the values
/// do not make a request.
pub fn to_request(
    route: &CommandRoute,
    form: &Form,
    zone: Zone,
) -> Result<(Request, Option<When>), Vec<FieldError>> {
    in_zone(zone, || read_form(route, form))
}

fn read_form(
    route: &CommandRoute,
    form: &Form,
) -> Result<(Request, Option<When>), Vec<FieldError>> {
    let mut object = Map::new();
    let mut errors = Vec::new();
    let mut at = None;
    let mut fail = |field, message, example| {
        errors.push(FieldError {
            field,
            message,
            example,
        });
    };
    for field in fields(route) {
        let given = values(form, field.name);
        let first = given.first().copied();
        let value = match (&field.input, first) {
            (Input::Check, v) => Some(Value::Bool(v.is_some())),
            (Input::File, _) => {
                match (
                    values(form, "file.name").first(),
                    values(form, "file.content").first(),
                ) {
                    (Some(name), Some(content)) if !content.is_empty() => {
                        Some(serde_json::json!({"name": name, "content": content}))
                    }
                    _ => None,
                }
            }
            (Input::Persons | Input::Orgs, _) if !given.is_empty() => Some(Value::Array(
                given
                    .iter()
                    .map(|v| Value::String((*v).to_owned()))
                    .collect(),
            )),
            (_, None) => None,
            (Input::Number, Some(v)) => match v.parse::<u64>() {
                Ok(n) => Some(Value::from(n)),
                Err(_) => {
                    fail(field.name, "console-not-number", None);
                    continue;
                }
            },
            (Input::Date, Some(v)) => match crate::app::when::Written::parse(v) {
                Ok(_) => Some(Value::String(v.to_owned())),
                Err(_) => {
                    fail(field.name, "console-not-date", None);
                    continue;
                }
            },
            (Input::Lines, Some(v)) => Some(Value::Array(
                v.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| Value::String(l.to_owned()))
                    .collect(),
            )),
            (Input::Pairs(left, right), Some(v)) => {
                let mut items = Vec::new();
                let mut bad = false;
                for line in v.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    match line.split_once('=') {
                        Some((r, w)) if !r.trim().is_empty() && !w.trim().is_empty() => {
                            let mut m = Map::new();
                            m.insert((*left).into(), Value::String(r.trim().to_owned()));
                            m.insert((*right).into(), Value::String(w.trim().to_owned()));
                            items.push(Value::Object(m));
                        }
                        _ => bad = true,
                    }
                }
                if bad {
                    let example = if *left == "person" {
                        "PER-4=业主"
                    } else {
                        "ORG-1=owners"
                    };
                    fail(field.name, "console-not-pairs", Some(example));
                    continue;
                }
                Some(Value::Array(items))
            }
            (Input::Vocab(words), Some(v)) if !words.contains(&v) => {
                fail(field.name, "console-bad-form", None);
                continue;
            }
            (_, Some(v)) => Some(Value::String(v.to_owned())),
        };
        match value {
            None if field.required => fail(field.name, "console-required", None),
            None => {}
            Some(Value::Array(a)) if a.is_empty() && field.required => {
                fail(field.name, "console-required", None);
            }
            Some(v) if field.name == "at" => {
                at = v
                    .as_str()
                    .and_then(|s| serde_json::from_value::<When>(Value::String(s.into())).ok());
            }
            Some(v) => {
                object.insert(field.name.to_owned(), v);
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    object.insert("command".into(), Value::String(route.command.to_owned()));
    serde_json::from_value::<Request>(Value::Object(object))
        .map(|r| (r, at))
        .map_err(|e| {
            tracing::debug!(command = route.command, error = %e, "console form makes no request");
            vec![FieldError {
                field: "_form",
                message: "console-bad-form",
                example: None,
            }]
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The request of a form on a ledger in the machine's zone.
    fn read(route: &CommandRoute, form: &Form) -> Result<(Request, Option<When>), Vec<FieldError>> {
        to_request(route, form, Zone::Local)
    }

    fn form(pairs: &[(&str, &str)]) -> Form {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn every_command_has_a_form_whose_fields_the_request_knows() {
        for route in COMMANDS.iter().filter(|r| offered(r.command)) {
            let f = fields(route);
            assert_eq!(f.last().map(|f| f.name), Some("at"), "{}", route.command);
            if let Some(t) = route.target {
                assert_eq!(f[0].name, t);
            }
        }
    }

    #[test]
    fn a_submitted_proposal_form_is_the_apis_request() {
        let r = route("proposal-submit").unwrap();
        let (req, at) = read(
            r,
            &form(&[
                ("title", "路灯"),
                ("body", "装路灯"),
                ("category", "infrastructure"),
                ("by", "PER-1"),
                ("community", ""),
                ("at", "2024-05-06"),
            ]),
        )
        .unwrap();
        let expected: Request = serde_json::from_value(serde_json::json!({
            "command": "proposal-submit", "title": "路灯", "body": "装路灯",
            "category": "infrastructure", "by": "PER-1"
        }))
        .unwrap();
        assert_eq!(req, expected);
        assert!(at.is_some());
    }

    #[test]
    fn the_room_counts_form_is_the_apis_request_and_attach_is_a_file_upload() {
        let r = route("ballot-record-result").unwrap();
        let (req, _) = read(
            r,
            &form(&[
                ("ballot", "BAL-2"),
                ("counts", "赞成=23\n反对=4\n\n弃权=2"),
                ("present", "29"),
            ]),
        )
        .unwrap();
        let expected: Request = serde_json::from_value(serde_json::json!({
            "command": "ballot-record-result", "ballot": "BAL-2",
            "counts": ["赞成=23", "反对=4", "弃权=2"], "present": 29
        }))
        .unwrap();
        assert_eq!(req, expected);
        let (open, _) = read(
            route("ballot-open").unwrap(),
            &form(&[
                ("question", "q"),
                ("options", "赞成\n反对"),
                ("voters", "PER-1"),
                ("quorum", "1/2"),
                ("threshold", "majority"),
                ("in_person", "on"),
            ]),
        )
        .unwrap();
        assert!(matches!(open, Request::BallotOpen(o) if o.in_person));
        let attach = route("attach").expect("attach is offered");
        assert!(uploads(attach));
        assert!(fields(attach)
            .iter()
            .any(|f| f.name == "file" && f.input == Input::File));
        assert!(route("document-withdraw").is_some());
    }

    #[test]
    fn a_forms_times_are_the_ledgers_not_the_servers() {
        // given a ledger in +08:00 and a hearing scheduled on a date, at a time
        let zone = Zone::parse("+08:00").unwrap();
        let (req, at) = to_request(
            route("hearing-schedule").unwrap(),
            &form(&[
                ("topic", "t"),
                ("on", "2024-05-10"),
                ("venue", "v"),
                ("presided_by", "ORG-1"),
                ("at", "2024-05-02T09:30"),
            ]),
            zone,
        )
        .unwrap();
        // then both are placed in the ledger's zone, as the API places them
        let Request::HearingSchedule(s) = req else {
            panic!("not a hearing")
        };
        assert_eq!(serde_json::to_value(s.on).unwrap(), "2024-05-09T16:00:00Z");
        assert_eq!(
            at.map(|w| w.0),
            Some(
                crate::app::when::parse_bound(
                    "2024-05-02T01:30:00Z",
                    zone,
                    crate::app::when::Bound::Start
                )
                .unwrap()
            )
        );
    }

    #[test]
    fn missing_and_unreadable_fields_are_named() {
        let r = route("proposal-progress").unwrap();
        let errors = read(r, &form(&[("percent", "half"), ("at", "yesterday")])).unwrap_err();
        let named: Vec<(&str, &str)> = errors.iter().map(|e| (e.field, e.message)).collect();
        assert_eq!(
            named,
            [
                ("proposal", "console-required"),
                ("percent", "console-not-number"),
                ("at", "console-not-date")
            ]
        );
    }

    #[test]
    fn pairs_and_multiple_choices_become_lists() {
        let r = route("dispute-file").unwrap();
        let (req, _) = read(
            r,
            &form(&[
                ("title", "t"),
                ("subject", "s"),
                ("parties", "ORG-1=业主\nORG-2=开发商\n"),
            ]),
        )
        .unwrap();
        let Request::DisputeFile(file) = req else {
            panic!("not a dispute")
        };
        assert_eq!(file.parties.len(), 2);
        assert_eq!(file.parties[1].side, "开发商");
        let r = route("ballot-open").unwrap();
        let (req, _) = read(
            r,
            &form(&[
                ("question", "q"),
                ("options", "赞成\n反对"),
                ("voters", "PER-1"),
                ("voters", "PER-2"),
                ("quorum", "1/2"),
                ("threshold", "majority"),
            ]),
        )
        .unwrap();
        let Request::BallotOpen(open) = req else {
            panic!("not a ballot")
        };
        assert_eq!((open.voters.len(), open.secret), (2, false));
    }
}
