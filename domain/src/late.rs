//! Late entries (bitemporal acts): a clerk enters an act from paper minutes after later acts of the
//! same entity are already in the ledger.
//!
//! The log keeps the recording order; the time of an act (`occurred_at`) is when it happened. A late
//! act is decided on the state **as it stood at its time**: the stream's acts folded in order of time
//! (ties in log order). It is accepted only if every act that happened after it stays valid with it
//! inserted: deciding that act again, on the state just before it, must yield the same act
//! ([`Aggregate::recheck`]). Otherwise it is refused, naming the rule and the act it would contradict.
//!
//! A void ([`correction::Command::Void`]) goes the same way: the voided act is taken out of the
//! timeline and every act after it is decided again, so voiding an act that later acts depend on is
//! refused, naming the first of them.
//!
//! Sub-items that are numbered (pledges, commitments) keep the numbers they were recorded with; a late
//! one is numbered after every one recorded ([`Aggregate::renumber`]), since numbers are references.

use super::{correction, Aggregate, Context, Rejection};
use delib_events::{Event, Position, Timestamp};

/// One recorded act of a stream, as the late-entry check reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    /// Its global position (the recording order).
    pub position: Position,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// What it was.
    pub event: Event,
}

/// The acts in order of time, ties kept in log order.
pub fn in_time_order(acts: &[Act]) -> Vec<&Act> {
    let mut sorted: Vec<&Act> = acts.iter().collect();
    sorted.sort_by_key(|a| (a.occurred_at, a.position));
    sorted
}

/// Whether an act at `at` comes before some recorded act: it is then a late entry.
pub fn is_late(acts: &[Act], at: Timestamp) -> bool {
    acts.iter().any(|a| a.occurred_at > at)
}

/// The state as it stood at time `at` (every act that happened at or before it, in order of time).
pub fn state_at<A: Aggregate>(acts: &[Act], at: Timestamp) -> A::State {
    in_time_order(acts)
        .into_iter()
        .filter(|a| a.occurred_at <= at)
        .fold(A::State::default(), |s, a| A::evolve(s, &a.event))
}

/// Decides `cmd` at `ctx.occurred_at` on a stream whose recorded acts are `acts` (in log order),
/// possibly earlier than some of them.
///
/// `ctx` carries the cross-entity facts as for any command; its `last_occurred_at` and
/// `stream_positions` are filled in here. With no act after `ctx.occurred_at` this is an ordinary
/// decision on the state folded in order of time.
///
/// # Errors
/// [`Rejection::BeforeCreation`] before the stream's first act; the candidate's own [`Rejection`]
/// on the state at its time; [`Rejection::LateEntryContradicts`]
/// naming the first later act it would invalidate; [`Rejection::LateEntryUnchecked`] when a later act
/// is of a kind that cannot be decided again (a secret ballot's cast or close, say).
pub fn decide<A: Aggregate>(
    acts: &[Act],
    cmd: A::Command,
    ctx: &Context,
) -> Result<Vec<A::Event>, Rejection> {
    let at = ctx.occurred_at;
    // Voided acts are gone from the state (they stay in the log and in history).
    let gone = correction::voided(acts.iter().map(|a| &a.event));
    let live: Vec<&Act> = in_time_order(acts)
        .into_iter()
        .filter(|a| !gone.contains(&a.position))
        .collect();
    let insert_at = live.partition_point(|a| a.occurred_at <= at);
    if let (0, Some(first)) = (insert_at, live.first()) {
        return Err(Rejection::BeforeCreation {
            at,
            created: first.occurred_at,
        });
    }
    let state = live[..insert_at]
        .iter()
        .fold(A::State::default(), |s, a| A::evolve(s, &a.event));
    let mut cctx = ctx.clone();
    cctx.last_occurred_at = live[..insert_at].last().map(|a| a.occurred_at);
    cctx.stream_positions = std::sync::Arc::new(acts.iter().map(|a| a.position).collect());
    let latest = acts
        .iter()
        .fold(A::State::default(), |s, a| A::evolve(s, &a.event));
    let candidate: Vec<A::Event> = A::decide(&state, cmd, &cctx)?
        .into_iter()
        .map(|e| A::renumber(&latest, e))
        .collect();
    // The timeline with the candidate inserted at its time and any act it voids taken out; every
    // act from the first change on is decided again.
    let voids = correction::voided(
        candidate
            .iter()
            .map(|e| e.clone().into())
            .collect::<Vec<Event>>()
            .iter(),
    );
    let mut change = insert_at;
    let mut timeline: Vec<Option<&Act>> = Vec::with_capacity(live.len() + 1);
    for (i, a) in live.iter().enumerate() {
        if i == insert_at {
            timeline.push(None);
        }
        if voids.contains(&a.position) {
            change = change.min(timeline.len());
            continue;
        }
        timeline.push(Some(a));
    }
    if insert_at == live.len() {
        timeline.push(None);
    }
    let mut state = A::State::default();
    let mut last: Option<Timestamp> = None;
    for (i, item) in timeline.into_iter().enumerate() {
        match item {
            None => {
                for e in &candidate {
                    state = A::evolve(state, &e.clone().into());
                }
                last = Some(last.map_or(at, |l| l.max(at)));
            }
            Some(act) => {
                if i >= change {
                    let mut rctx = ctx.clone().rechecking();
                    rctx.occurred_at = act.occurred_at;
                    rctx.last_occurred_at = last;
                    rctx.stream_positions = std::sync::Arc::new(
                        acts.iter()
                            .filter(|a| a.position < act.position)
                            .map(|a| a.position)
                            .collect(),
                    );
                    match A::recheck(&state, &act.event, &rctx) {
                        Some(Ok(())) => {}
                        Some(Err(rule)) if !voids.is_empty() => {
                            return Err(Rejection::VoidDependedOn {
                                position: act.position,
                                kind: act.event.kind(),
                                rule: Box::new(rule),
                            })
                        }
                        None if !voids.is_empty() => {
                            return Err(Rejection::VoidDependedOn {
                                position: act.position,
                                kind: act.event.kind(),
                                rule: Box::new(Rejection::ActWouldDiffer),
                            })
                        }
                        Some(Err(rule)) => {
                            return Err(Rejection::LateEntryContradicts {
                                position: act.position,
                                kind: act.event.kind(),
                                rule: Box::new(rule),
                            })
                        }
                        None => {
                            return Err(Rejection::LateEntryUnchecked {
                                position: act.position,
                                kind: act.event.kind(),
                            })
                        }
                    }
                }
                last = Some(act.occurred_at);
                state = A::evolve(state, &act.event);
            }
        }
    }
    Ok(candidate)
}

/// What a re-check concludes from deciding a recorded act again: the act itself (or, when `same`
/// says so, an equal one) means it stays valid.
pub(crate) fn verdict<E: PartialEq>(
    decided: Result<Vec<E>, Rejection>,
    same: impl Fn(&E) -> bool,
) -> Result<(), Rejection> {
    match decided {
        Ok(events) if events.iter().any(same) => Ok(()),
        Ok(_) => Err(Rejection::ActWouldDiffer),
        Err(r) => Err(r),
    }
}

#[cfg(test)]
#[path = "late_tests.rs"]
mod tests;
