//! The Fluent catalogues, compiled into the binary, and [`Tr`]: one language's messages.
//!
//! To add a catalogue file, put it in both `locales/en/` and `locales/zh-Hans/` and add one row to
//! [`FILES`].

use super::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;

/// Every catalogue file: (name, English text, Simplified Chinese text).
pub const FILES: &[(&str, &str, &str)] = &[
    (
        "codes.ftl",
        include_str!("../../../locales/en/codes.ftl"),
        include_str!("../../../locales/zh-Hans/codes.ftl"),
    ),
    (
        "site.ftl",
        include_str!("../../../locales/en/site.ftl"),
        include_str!("../../../locales/zh-Hans/site.ftl"),
    ),
    (
        "tlog.ftl",
        include_str!("../../../locales/en/tlog.ftl"),
        include_str!("../../../locales/zh-Hans/tlog.ftl"),
    ),
    // The report's labels, which the projections crate reads itself (`report::labels`); here so
    // that the catalogue tests check them too.
    (
        "report.ftl",
        include_str!("../../../locales/en/report.ftl"),
        include_str!("../../../locales/zh-Hans/report.ftl"),
    ),
];

/// A language's loaded catalogue.
pub(crate) type Bundle = FluentBundle<FluentResource>;

fn build(lang: Lang) -> Bundle {
    load(lang == Lang::En, FILES)
}

/// Loads `files` ((name, English, Simplified Chinese)) in English or Simplified Chinese: the one
/// loader of the site's and the console's catalogues. A file with syntax errors or duplicate
/// messages is logged and loaded as far as it goes (a test checks the catalogues are whole).
pub(crate) fn load(english: bool, files: &[(&str, &str, &str)]) -> Bundle {
    let (id, code): (unic_langid::LanguageIdentifier, &str) = if english {
        (unic_langid::langid!("en"), "en")
    } else {
        (unic_langid::langid!("zh-Hans"), "zh-Hans")
    };
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: the pages are one direction.
    bundle.set_use_isolating(false);
    for (name, en, zh) in files {
        let text = if english { *en } else { *zh };
        let resource = FluentResource::try_new(text.to_owned()).unwrap_or_else(|(r, errors)| {
            tracing::error!(
                file = name,
                lang = code,
                ?errors,
                "catalogue has syntax errors"
            );
            r
        });
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(
                file = name,
                lang = code,
                ?errors,
                "catalogue has duplicate messages"
            );
        }
    }
    bundle
}

fn bundle(lang: Lang) -> &'static Bundle {
    static EN: OnceLock<Bundle> = OnceLock::new();
    static ZH: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| build(Lang::En)),
        Lang::Zh => ZH.get_or_init(|| build(Lang::Zh)),
    }
}

/// A message argument.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    /// Text, shown as given.
    Str(&'a str),
    /// A number (selects plural forms).
    Num(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Str(s)
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Num(n as f64)
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Num(n as f64)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Num(n as f64)
    }
}

/// The messages of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    lang: Lang,
}

impl Tr {
    /// The messages of `lang`.
    pub const fn new(lang: Lang) -> Self {
        Tr { lang }
    }

    /// The language.
    pub const fn lang(self) -> Lang {
        self.lang
    }

    /// `en` or `zh`, as `?lang=` spells it.
    pub const fn query_code(self) -> &'static str {
        match self.lang {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// Whether the catalogue of this language has message `id`.
    pub fn has(self, id: &str) -> bool {
        bundle(self.lang).has_message(id)
    }

    /// Message `id`; a missing one is logged and shown as its id.
    pub fn t(self, id: &str) -> String {
        self.with(id, &[])
    }

    /// Message `id` with arguments.
    pub fn with(self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.try_with(id, args).unwrap_or_else(|| {
            tracing::warn!(id, lang = self.lang.code(), "missing message");
            id.to_owned()
        })
    }

    fn try_with(self, id: &str, args: &[(&str, Arg<'_>)]) -> Option<String> {
        let b = bundle(self.lang);
        let pattern = b.get_message(id)?.value()?;
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            let value = match v {
                Arg::Str(s) => FluentValue::from(*s),
                Arg::Num(n) => FluentValue::from(*n),
            };
            fargs.set(*k, value);
        }
        let mut errors = Vec::new();
        let text = b.format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(
                id,
                lang = self.lang.code(),
                ?errors,
                "message formatting errors"
            );
        }
        Some(text.into_owned())
    }

    /// The words for a recorded code of a group (`status`, `category`, `event`...): message
    /// `group-code` with dots as dashes. A code the catalogue does not know (one recorded by a newer
    /// version) reads as the group's "other record" words in Chinese and as itself in English.
    pub fn code(self, group: &str, code: &str) -> String {
        let id = code_id(group, code);
        match self.try_with(&id, &[]) {
            Some(t) => t,
            None => {
                tracing::warn!(id = %id, lang = self.lang.code(), "no words for a code");
                match self.lang {
                    Lang::En => code.to_owned(),
                    Lang::Zh => self.t("code-unknown"),
                }
            }
        }
    }

    /// Like [`Tr::code`] for free text that is often a known code (a dispute side, a ballot
    /// option): the words when the catalogue has them, else the text as recorded.
    pub fn code_or_text(self, group: &str, text: &str) -> String {
        self.try_with(&code_id(group, text), &[])
            .unwrap_or_else(|| text.to_owned())
    }
}

/// The message id of a code: `group-code` with dots as dashes.
pub fn code_id(group: &str, code: &str) -> String {
    format!("{group}-{}", code.replace('.', "-"))
}

/// The message ids of one catalogue text (for the test that both languages have the same).
pub fn message_ids(text: &str) -> Vec<String> {
    let resource = match FluentResource::try_new(text.to_owned()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// Whether a catalogue text parses without errors.
pub fn parses(text: &str) -> bool {
    FluentResource::try_new(text.to_owned()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use delib_events::ballot::Threshold;
    use delib_events::consultation::ConsultationFormat;
    use delib_events::dispute::MediationOutcome;
    use delib_events::hearing::{HearingRole, Stance};
    use delib_events::organisation::OrgKind;
    use delib_events::person::PersonRole;
    use delib_events::proposal::{Category, Outcome};
    use delib_projections::proposals::ProposalStatus;
    use std::collections::BTreeSet;

    #[test]
    fn every_catalogue_parses_and_has_the_same_messages_in_both_languages() {
        for (name, en, zh) in FILES {
            assert!(parses(en), "locales/en/{name} has syntax errors");
            assert!(parses(zh), "locales/zh-Hans/{name} has syntax errors");
            let en_ids: BTreeSet<String> = message_ids(en).into_iter().collect();
            let zh_ids: BTreeSet<String> = message_ids(zh).into_iter().collect();
            let only_en: Vec<_> = en_ids.difference(&zh_ids).collect();
            let only_zh: Vec<_> = zh_ids.difference(&en_ids).collect();
            assert!(
                only_en.is_empty() && only_zh.is_empty(),
                "{name}: only in English {only_en:?}, only in Chinese {only_zh:?}"
            );
            assert!(!en_ids.is_empty(), "{name} is empty");
        }
    }

    #[test]
    fn every_message_formats_without_errors_in_both_languages() {
        for lang in [Lang::En, Lang::Zh] {
            let b = bundle(lang);
            for (_, en, _) in FILES {
                for id in message_ids(en) {
                    let msg = b.get_message(&id).expect("present");
                    let mut errors = Vec::new();
                    let mut args = FluentArgs::new();
                    for k in [
                        "n",
                        "shown",
                        "amount",
                        "total",
                        "done",
                        "overdue",
                        "cast",
                        "electorate",
                        "percent",
                        "date",
                        "days",
                        "ok",
                        "unit",
                        "money",
                        "labour",
                        "from",
                        "to",
                        "present",
                        "size",
                        "reason",
                    ] {
                        args.set(k, FluentValue::from(2));
                    }
                    if let Some(p) = msg.value() {
                        let _ = b.format_pattern(p, Some(&args), &mut errors);
                    }
                    assert!(errors.is_empty(), "{id} ({}): {errors:?}", lang.code());
                }
            }
        }
    }

    #[test]
    fn every_recorded_code_has_words_in_both_languages() {
        let mut codes: Vec<(&str, String)> = Vec::new();
        codes.extend(
            ProposalStatus::ALL
                .iter()
                .map(|s| ("status", s.as_str().to_owned())),
        );
        codes.extend(
            Category::ALL
                .iter()
                .map(|c| ("category", c.as_str().to_owned())),
        );
        codes.extend(
            Outcome::ALL
                .iter()
                .map(|c| ("outcome", c.as_str().to_owned())),
        );
        codes.extend(
            Stance::ALL
                .iter()
                .map(|c| ("stance", c.as_str().to_owned())),
        );
        codes.extend(
            HearingRole::ALL
                .iter()
                .map(|c| ("role", c.as_str().to_owned())),
        );
        codes.extend(
            PersonRole::ALL
                .iter()
                .map(|c| ("role", c.as_str().to_owned())),
        );
        codes.extend(
            OrgKind::ALL
                .iter()
                .map(|c| ("orgkind", c.as_str().to_owned())),
        );
        codes.extend(
            ConsultationFormat::ALL
                .iter()
                .map(|c| ("format", c.as_str().to_owned())),
        );
        codes.extend(
            Threshold::ALL
                .iter()
                .map(|c| ("threshold", c.as_str().to_owned())),
        );
        codes.extend(
            MediationOutcome::ALL
                .iter()
                .map(|c| ("outcome", c.as_str().to_owned())),
        );
        for s in [
            "scheduled",
            "open",
            "closed",
            "cancelled",
            "counting",
            "filed",
            "mediating",
            "escalated",
            "negotiating",
            "resolved",
            "implemented",
            "withdrawn",
            "convened",
            "agreed",
            "failed",
            "fulfilled",
            "overdue",
            "pending",
        ] {
            codes.push(("status", s.to_owned()));
        }
        for k in ["money", "labour", "expertise"] {
            codes.push(("pledgekind", k.to_owned()));
        }
        codes.extend(
            delib_events::samples::every_variant()
                .iter()
                .map(|e| ("event", e.kind().to_owned())),
        );
        for lang in [Lang::En, Lang::Zh] {
            let missing: Vec<String> = codes
                .iter()
                .map(|(g, c)| code_id(g, c))
                .filter(|id| !Tr::new(lang).has(id))
                .collect();
            assert!(
                missing.is_empty(),
                "{}: no words for {missing:?}",
                lang.code()
            );
        }
    }
}
