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
