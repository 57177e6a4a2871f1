//! Labels for the human formats of the report, in English or Simplified Chinese, from the Fluent
//! catalogues `locales/{en,zh-Hans}/report.ftl`. Data (titles,
//! findings, statuses, categories) is always shown as recorded.

/// The language of a report's labels (`--lang en|zh`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Parses `en` or `zh`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The HTML `lang` attribute.
    pub const fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        }
    }

    /// `en` or `zh`, as a `?lang=` query and `--lang` spell it.
    pub const fn query(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The labels.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::En => &all()[0],
            Lang::Zh => &all()[1],
        }
    }
}

/// Every label the Markdown and HTML reports print.
#[allow(missing_docs)]
#[derive(Debug)]
pub struct Labels {
    pub title: &'static str,
    pub period: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub ledger: &'static str,
    pub size: &'static str,
    pub root: &'static str,
    pub checkpoint: &'static str,
    pub none: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub reference: &'static str,
    pub status: &'static str,
    pub count: &'static str,
    pub days: &'static str,
    pub proposals: &'static str,
    pub submitted: &'static str,
    pub admitted: &'static str,
    pub adopted: &'static str,
    pub rejected: &'static str,
    pub withdrawn: &'static str,
    pub returned: &'static str,
    pub completed: &'static str,
    pub by_status: &'static str,
    pub by_category: &'static str,
    pub median_days_to_decision: &'static str,
    pub decided: &'static str,
    pub title_col: &'static str,
    pub category: &'static str,
    pub outcome: &'static str,
    pub basis: &'static str,
    pub hearings: &'static str,
    pub held: &'static str,
    pub scheduled: &'static str,
    pub cancelled: &'static str,
    pub statements: &'static str,
    pub by_stance: &'static str,
    pub stance: &'static str,
    pub findings: &'static str,
    pub topic: &'static str,
    pub consultations: &'static str,
    pub convened: &'static str,
    pub agreed: &'static str,
    pub failed: &'static str,
    pub commitments: &'static str,
    pub commitments_fulfilled: &'static str,
    pub overdue: &'static str,
    pub party: &'static str,
    pub due: &'static str,
    pub terms: &'static str,
    pub ballots: &'static str,
    pub question: &'static str,
    pub secret: &'static str,
    pub electorate: &'static str,
    pub cast: &'static str,
    pub turnout: &'static str,
    pub quorum: &'static str,
    pub quorum_met: &'static str,
    pub result: &'static str,
    pub counts: &'static str,
    pub in_room: &'static str,
    pub present: &'static str,
    pub records: &'static str,
    pub corrections: &'static str,
    pub voids: &'static str,
    pub in_room_ballots: &'static str,
    pub documents: &'static str,
    pub position: &'static str,
    pub changes: &'static str,
    pub reason: &'static str,
    pub bytes: &'static str,
    pub sha256: &'static str,
    pub withdrawn_doc: &'static str,
    pub disputes: &'static str,
    pub filed: &'static str,
    pub resolved: &'static str,
    pub open: &'static str,
    pub mediation_attempts: &'static str,
    pub mediation_succeeded: &'static str,
    pub success_rate: &'static str,
    pub escalations: &'static str,
    pub negotiations: &'static str,
    pub median_days_to_resolution: &'static str,
    pub durations: &'static str,
    pub ongoing: &'static str,
    pub pledges: &'static str,
    pub money_yuan: &'static str,
    pub money_yuan_fulfilled: &'static str,
    pub labour_days: &'static str,
    pub expertise: &'static str,
    pub total: &'static str,
    pub fulfilled: &'static str,
    pub fulfilled_in_period: &'static str,
    pub by_unit: &'static str,
    pub unit: &'static str,
    pub chart_outcomes: &'static str,
    pub chart_durations: &'static str,
    pub how_to_verify: &'static str,
    pub witnesses: &'static str,
    pub witness: &'static str,
    pub key_id: &'static str,
    pub cosigned_at: &'static str,
    pub witnesses_note: &'static str,
    pub period_note: &'static str,
    pub secret_note: &'static str,
}

/// The catalogues the labels come from: Fluent files a translator edits without touching Rust.
const CATALOGUES: [(&str, &str); 2] = [
    ("en", include_str!("../../../locales/en/report.ftl")),
    (
        "zh-Hans",
        include_str!("../../../locales/zh-Hans/report.ftl"),
    ),
];

/// The message id of a label: `report-label-` and the field's name with dashes.
pub fn message_id(field: &str) -> String {
    format!("report-label-{}", field.replace('_', "-"))
}

macro_rules! labels_from {
    ($($field:ident),* $(,)?) => {
        /// The name of every label, as its field is named.
        pub const FIELDS: &[&str] = &[$(stringify!($field)),*];

        fn from_catalogue(text: &'static str, locale: &str) -> Labels {
            let resource = fluent_bundle::FluentResource::try_new(text.to_owned())
                .unwrap_or_else(|(r, _)| r);
            let id: unic_langid::LanguageIdentifier =
                locale.parse().unwrap_or_default();
            let mut bundle = fluent_bundle::FluentBundle::new(vec![id]);
            bundle.set_use_isolating(false);
            let _ = bundle.add_resource(resource);
            let text = |field: &str| -> &'static str {
                let id = message_id(field);
                let shown = bundle
                    .get_message(&id)
                    .and_then(|m| m.value())
                    .map(|p| {
                        let mut errors = Vec::new();
                        bundle.format_pattern(p, None, &mut errors).into_owned()
                    })
                    .unwrap_or(id);
                // Built once per language and kept for the process (see [`Lang::labels`]).
                Box::leak(shown.into_boxed_str())
            };
            Labels { $($field: text(stringify!($field))),* }
        }
    };
}

labels_from!(
    title,
    period,
    from,
    to,
    ledger,
    size,
    root,
    checkpoint,
    none,
    yes,
    no,
    reference,
    status,
    count,
    days,
    proposals,
    submitted,
    admitted,
    adopted,
    rejected,
    withdrawn,
    returned,
    completed,
    by_status,
    by_category,
    median_days_to_decision,
    decided,
    title_col,
    category,
    outcome,
    basis,
    hearings,
    held,
    scheduled,
    cancelled,
    statements,
    by_stance,
    stance,
    findings,
    topic,
    consultations,
    convened,
    agreed,
    failed,
    commitments,
    commitments_fulfilled,
    overdue,
    party,
    due,
    terms,
    ballots,
    question,
    secret,
    electorate,
    cast,
    turnout,
    quorum,
    quorum_met,
    result,
    counts,
    in_room,
    present,
    records,
    corrections,
    voids,
    in_room_ballots,
    documents,
    position,
    changes,
    reason,
    bytes,
    sha256,
    withdrawn_doc,
    disputes,
    filed,
    resolved,
    open,
    mediation_attempts,
    mediation_succeeded,
    success_rate,
    escalations,
    negotiations,
    median_days_to_resolution,
    durations,
    ongoing,
    pledges,
    money_yuan,
    money_yuan_fulfilled,
    labour_days,
    expertise,
    total,
    fulfilled,
    fulfilled_in_period,
    by_unit,
    unit,
    chart_outcomes,
    chart_durations,
    how_to_verify,
    witnesses,
    witness,
    key_id,
    cosigned_at,
    witnesses_note,
    period_note,
    secret_note,
);

static LABELS: std::sync::OnceLock<[Labels; 2]> = std::sync::OnceLock::new();

fn all() -> &'static [Labels; 2] {
    LABELS.get_or_init(|| {
        [
            from_catalogue(CATALOGUES[0].1, CATALOGUES[0].0),
            from_catalogue(CATALOGUES[1].1, CATALOGUES[1].0),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_a_message_in_both_catalogues() {
        for (locale, text) in CATALOGUES {
            let resource = fluent_bundle::FluentResource::try_new(text.to_owned())
                .unwrap_or_else(|_| panic!("{locale}: report.ftl does not parse"));
            let ids: Vec<String> = resource
                .entries()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    _ => None,
                })
                .collect();
            for field in FIELDS {
                assert!(
                    ids.contains(&message_id(field)),
                    "{locale}: no {}",
                    message_id(field)
                );
            }
            assert_eq!(ids.len(), FIELDS.len(), "{locale}: a message no label uses");
        }
        assert_eq!(Lang::Zh.labels().title, "透明度报告");
        assert_eq!(Lang::En.labels().title, "Transparency report");
    }
}
