//! The console's messages: Fluent catalogues `locales/{en,zh-Hans}/console.ftl` (the pages) and
//! `console-forms.ftl` (commands, field labels, rules), compiled into the binary. A translator edits
//! the `.ftl` files only; `tests` check that both languages hold the same messages.

use fluent_bundle::{FluentArgs, FluentValue};
use std::sync::OnceLock;

/// The console's languages are the site's (zh-Hans first, then en).
pub use crate::server::i18n::Lang;

/// Every catalogue file: (name, English, Simplified Chinese).
pub const FILES: &[(&str, &str, &str)] = &[
    (
        "console.ftl",
        include_str!("../../../locales/en/console.ftl"),
        include_str!("../../../locales/zh-Hans/console.ftl"),
    ),
    (
        "console-forms.ftl",
        include_str!("../../../locales/en/console-forms.ftl"),
        include_str!("../../../locales/zh-Hans/console-forms.ftl"),
    ),
];

use crate::server::i18n::catalog::Bundle;

fn build(lang: Lang) -> Bundle {
    crate::server::i18n::catalog::load(lang == Lang::En, FILES)
}

fn bundle(lang: Lang) -> &'static Bundle {
    static EN: OnceLock<Bundle> = OnceLock::new();
    static ZH: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| build(Lang::En)),
        Lang::Zh => ZH.get_or_init(|| build(Lang::Zh)),
    }
}

/// Message `id` in `lang` with text arguments, or `None` when the catalogue lacks it.
pub fn try_t(lang: Lang, id: &str, args: &[(&str, &str)]) -> Option<String> {
    let b = bundle(lang);
    let pattern = b.get_message(id)?.value()?;
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        // Numbers as numbers, so plural rules apply; the rest as text.
        match v.parse::<f64>() {
            Ok(n) if !v.is_empty() => fargs.set(*k, FluentValue::from(n)),
            _ => fargs.set(*k, FluentValue::from(*v)),
        }
    }
    let mut errors = Vec::new();
    Some(
        b.format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned(),
    )
}

/// Message `id`; a missing one is logged and shown as its id.
pub fn t(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    try_t(lang, id, args).unwrap_or_else(|| {
        tracing::warn!(id, lang = lang.query(), "missing console message");
        id.to_owned()
    })
}

/// The ids of the messages of one language's catalogues, sorted.
pub fn ids(lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    for (_, en, zh) in FILES {
        let text = if lang == Lang::En { *en } else { *zh };
        for line in text.lines() {
            if let Some((id, _)) = line.split_once(" =") {
                if !id.starts_with(['#', ' ']) && !id.is_empty() {
                    out.push(id.to_owned());
                }
            }
        }
    }
    out.sort();
    out
}
