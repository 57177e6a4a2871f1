//! The lifecycles the read models share with the domain (`delib_domain::<kind>::Status`): their
//! spellings are those of `CLI.md`, and their stored form (bincode, by variant index, inside each
//! projection's persisted state) is the one the projections stored before the lifecycles were
//! shared, so a persisted projection reads as before.

use delib_projections::ballots::BallotStatus;
use delib_projections::consultations::ConsultationStatus;
use delib_projections::disputes::DisputeStatus;
use delib_projections::hearings::HearingStatus;
use delib_projections::proposals::ProposalStatus;
use serde::Serialize;

fn stored<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(value, bincode::config::standard()).unwrap()
}

/// Each status with its spelling, in the order of its stored variant index (0, 1, ...).
fn check<T: Serialize + Copy>(statuses: &[(T, &str)], spell: impl Fn(T) -> &'static str) {
    for (index, (status, spelling)) in statuses.iter().enumerate() {
        assert_eq!(spell(*status), *spelling);
        assert_eq!(
            stored(status),
            vec![index as u8],
            "stored form of `{spelling}`"
        );
    }
}

#[test]
fn proposal_statuses_are_spelled_and_stored_as_before() {
    use ProposalStatus::*;
    let all = [
        (Submitted, "submitted"),
        (Admitted, "admitted"),
        (Returned, "returned"),
        (Withdrawn, "withdrawn"),
        (Adopted, "adopted"),
        (Rejected, "rejected"),
        (InProgress, "in-progress"),
        (Completed, "completed"),
    ];
    check(&all, ProposalStatus::as_str);
    assert_eq!(ProposalStatus::ALL.to_vec(), all.map(|(s, _)| s).to_vec());
}

#[test]
fn hearing_statuses_are_spelled_and_stored_as_before() {
    use HearingStatus::*;
    check(
        &[
            (Scheduled, "scheduled"),
            (Open, "open"),
            (Closed, "closed"),
            (Cancelled, "cancelled"),
        ],
        HearingStatus::as_str,
    );
}

#[test]
fn consultation_statuses_are_spelled_and_stored_as_before() {
    use ConsultationStatus::*;
    check(
        &[
            (Convened, "convened"),
            (Agreed, "agreed"),
            (Failed, "failed"),
        ],
        ConsultationStatus::as_str,
    );
}

#[test]
fn ballot_statuses_are_spelled_and_stored_as_before() {
    // `counting` came last (encrypted ballots), so it is stored after `closed`.
    use BallotStatus::*;
    check(
        &[(Open, "open"), (Closed, "closed"), (Counting, "counting")],
        BallotStatus::as_str,
    );
}

#[test]
fn dispute_statuses_are_spelled_and_stored_as_before() {
    use DisputeStatus::*;
    check(
        &[
            (Filed, "filed"),
            (Mediating, "mediating"),
            (Escalated, "escalated"),
            (Negotiating, "negotiating"),
            (Resolved, "resolved"),
            (Implemented, "implemented"),
            (Closed, "closed"),
            (Withdrawn, "withdrawn"),
        ],
        DisputeStatus::as_str,
    );
    assert!(Filed.is_unresolved() && Negotiating.is_unresolved());
    assert!(!Resolved.is_unresolved() && !Withdrawn.is_unresolved());
}

#[test]
fn a_closed_ballots_tally_is_stored_as_before() {
    // given the tally as the ballots projection stored it before it held the domain's `Tally`
    #[derive(Serialize)]
    struct Before {
        counts: Vec<delib_events::ballot::OptionCount>,
        cast: u64,
        electorate: u64,
        quorum_met: bool,
        result: Option<String>,
        at: delib_events::Timestamp,
    }
    let counts = vec![delib_events::ballot::OptionCount {
        option: "yes".into(),
        count: 7,
    }];
    let at = delib_events::Timestamp::from_micros(1_700_000_000_000_000);
    let before = Before {
        counts: counts.clone(),
        cast: 9,
        electorate: 12,
        quorum_met: true,
        result: Some("yes".into()),
        at,
    };
    // when the same tally is encoded now
    let now = delib_projections::ballots::TallyRecord {
        tally: delib_domain::ballot::Tally {
            counts,
            cast: 9,
            electorate: 12,
            quorum_met: true,
            result: Some("yes".into()),
        },
        at,
    };
    // then the stored bytes are the same, both ways
    let config = bincode::config::standard();
    let old = bincode::serde::encode_to_vec(&before, config).unwrap();
    assert_eq!(bincode::serde::encode_to_vec(&now, config).unwrap(), old);
    let (back, _): (delib_projections::ballots::TallyRecord, usize) =
        bincode::serde::decode_from_slice(&old, config).unwrap();
    assert_eq!(back, now);
}
