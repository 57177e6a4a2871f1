//! Documents: given/when/then.

use super::*;
use crate::hearing::Hearing;
use crate::testing::{given, org, stream};
use delib_events::hearing::HearingEvent;
use delib_events::{HearingId, Timestamp};

fn scheduled() -> Event {
    HearingEvent::HearingScheduled {
        hearing: HearingId::new(stream()),
        number: 1,
        topic: "共建会议".into(),
        on: Timestamp::from_micros(0),
        venue: "社区活动室".into(),
        presided_by: org(1),
        proposals: vec![],
    }
    .into()
}

fn attach(sha: u8) -> Command {
    Command::Attach {
        sha256: [sha; 32],
        size: 1200,
        media_type: "application/pdf".into(),
        title: "会议纪要".into(),
        private: false,
    }
}

fn attached(sha: u8) -> Event {
    DocumentEvent::DocumentAttached {
        sha256: [sha; 32],
        size: 1200,
        media_type: "application/pdf".into(),
        title: "会议纪要".into(),
        private: false,
    }
    .into()
}

#[test]
fn given_a_hearing_when_a_file_is_attached_then_its_hash_size_type_and_title_are_recorded() {
    given::<Documents<Hearing>>([scheduled()])
        .when(attach(7))
        .then([DocumentEvent::DocumentAttached {
            sha256: [7; 32],
            size: 1200,
            media_type: "application/pdf".into(),
            title: "会议纪要".into(),
            private: false,
        }]);
}

#[test]
fn given_no_entity_or_a_bad_file_the_attachment_is_refused() {
    given::<Documents<Hearing>>(Vec::<Event>::new())
        .when(attach(7))
        .then_err(Rejection::NotFound { what: "hearing" });
    given::<Documents<Hearing>>([scheduled()])
        .when(Command::Attach {
            sha256: [7; 32],
            size: 0,
            media_type: "text/plain".into(),
            title: "空".into(),
            private: false,
        })
        .then_err(Rejection::EmptyDocument);
    given::<Documents<Hearing>>([scheduled()])
        .when(Command::Attach {
            sha256: [7; 32],
            size: 1,
            media_type: "text/plain".into(),
            title: " ".into(),
            private: false,
        })
        .then_err(Rejection::EmptyText { field: "title" });
}

#[test]
fn given_a_file_on_file_when_attached_again_then_refused() {
    given::<Documents<Hearing>>([scheduled(), attached(7)])
        .when(attach(7))
        .then_err(Rejection::DocumentOnFile(hex(&[7; 32])));
}

#[test]
fn given_an_attached_document_when_withdrawn_then_the_hash_stays_in_the_withdrawal() {
    let at = Position::new(5);
    given::<Documents<Hearing>>([scheduled(), attached(7)])
        .ctx(|mut c| {
            c.corrected_event = Some((at, attached(7)));
            c.in_stream(at)
        })
        .when(Command::Withdraw {
            attached: at,
            reason: "载有已删除信息的人员姓名".into(),
        })
        .then([DocumentEvent::DocumentWithdrawn {
            attached: at,
            sha256: [7; 32],
            reason: "载有已删除信息的人员姓名".into(),
        }]);
}

#[test]
fn given_a_withdrawal_of_something_else_or_twice_then_refused() {
    let at = Position::new(5);
    // not a document
    given::<Documents<Hearing>>([scheduled()])
        .ctx(|mut c| {
            c.corrected_event = Some((at, scheduled()));
            c.in_stream(at)
        })
        .when(Command::Withdraw {
            attached: at,
            reason: "r".into(),
        })
        .then_err(Rejection::NotADocument(at));
    // withdrawn already
    given::<Documents<Hearing>>([
        scheduled(),
        attached(7),
        DocumentEvent::DocumentWithdrawn {
            attached: at,
            sha256: [7; 32],
            reason: "r".into(),
        }
        .into(),
    ])
    .ctx(|mut c| {
        c.corrected_event = Some((at, attached(7)));
        c.in_stream(at)
    })
    .when(Command::Withdraw {
        attached: at,
        reason: "r".into(),
    })
    .then_err(Rejection::DocumentGone(at));
}
