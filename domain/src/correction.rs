//! Corrections (`delib correct`): an event in an entity's stream that points at an earlier event of the
//! same stream and says why it is wrong. The corrected event stays; state changes only by listing the
//! correction.

use super::{text, Aggregate, Context, Rejection};
use delib_events::correction::CorrectionEvent;
use delib_events::{Event, Position};
use std::marker::PhantomData;

/// A correction as folded into an entity's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// The corrected event's global position.
    pub corrected: Position,
    /// Why.
    pub reason: String,
}

/// `delib correct REF --event POSITION --reason R`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correct {
    /// The corrected event's global position.
    pub corrected: Position,
    /// Why.
    pub reason: String,
}

/// Checks a correction: the entity exists, the position is one of its stream's events
/// ([`Context::stream_positions`]) and there is a reason.
///
/// # Errors
/// [`Rejection::NotFound`], [`Rejection::NotInStream`], text and order rejections.
pub fn decide(
    what: &'static str,
    exists: bool,
    cmd: Correct,
    ctx: &Context,
) -> Result<Vec<CorrectionEvent>, Rejection> {
    if !exists {
        return Err(Rejection::NotFound { what });
    }
    ctx.check_order()?;
    if !ctx.stream_positions.contains(&cmd.corrected) {
        return Err(Rejection::NotInStream {
            position: cmd.corrected,
        });
    }
    Ok(vec![CorrectionEvent::EventCorrected {
        corrected: cmd.corrected,
        reason: text("reason", cmd.reason)?,
    }])
}

/// Adds a correction to a list.
pub fn apply(mut list: Vec<Correction>, event: &CorrectionEvent) -> Vec<Correction> {
    match event {
        CorrectionEvent::EventCorrected { corrected, reason } => list.push(Correction {
            corrected: *corrected,
            reason: reason.clone(),
        }),
    }
    list
}

/// Corrections of the entities of kind `A`, as an aggregate of their own (same state and stream).
#[derive(Debug)]
pub struct Corrections<A>(PhantomData<A>);

impl<A: Aggregate> Aggregate for Corrections<A> {
    const WHAT: &'static str = A::WHAT;
    type State = A::State;
    type Command = Correct;
    type Event = CorrectionEvent;

    fn decide(
        state: &A::State,
        cmd: Correct,
        ctx: &Context,
    ) -> Result<Vec<Self::Event>, Rejection> {
        decide(A::WHAT, A::exists(state), cmd, ctx)
    }
    fn evolve(state: A::State, event: &Event) -> A::State {
        A::evolve(state, event)
    }
    fn exists(state: &A::State) -> bool {
        A::exists(state)
    }
    fn corrections(state: &A::State) -> &[Correction] {
        A::corrections(state)
    }
    fn recheck(state: &A::State, event: &Event, ctx: &Context) -> Option<Result<(), Rejection>> {
        A::recheck(state, event, ctx)
    }
}

/// Decides a recorded correction again (for late entries): the entity exists and the corrected
/// position is still one of its stream's.
///
/// # Errors
/// The rule the act would now break.
pub fn recheck(
    what: &'static str,
    exists: bool,
    event: &CorrectionEvent,
    ctx: &Context,
) -> Result<(), Rejection> {
    match event {
        CorrectionEvent::EventCorrected { corrected, reason } => {
            let decided = decide(
                what,
                exists,
                Correct {
                    corrected: *corrected,
                    reason: reason.clone(),
                },
                ctx,
            );
            super::late::verdict(decided, |e| e == event)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hearing::Hearing;
    use crate::testing::{given, org, stream};
    use delib_events::hearing::HearingEvent;
    use delib_events::{HearingId, Timestamp};

    fn scheduled() -> Event {
        HearingEvent::HearingScheduled {
            hearing: HearingId::new(stream()),
            number: 1,
            topic: "t".into(),
            on: Timestamp::from_micros(0),
            venue: "v".into(),
            presided_by: org(1),
            proposals: vec![],
        }
        .into()
    }

    fn correct(p: u64) -> Correct {
        Correct {
            corrected: Position::new(p),
            reason: "wrong venue".into(),
        }
    }

    #[test]
    fn a_correction_points_at_an_event_of_the_stream_and_says_why() {
        given::<Corrections<Hearing>>([scheduled()])
            .ctx(|c| c.in_stream(Position::new(7)))
            .when(correct(7))
            .then([CorrectionEvent::EventCorrected {
                corrected: Position::new(7),
                reason: "wrong venue".into(),
            }]);
    }

    #[test]
    fn a_correction_outside_the_stream_is_rejected() {
        given::<Corrections<Hearing>>([scheduled()])
            .ctx(|c| c.in_stream(Position::new(7)))
            .when(correct(8))
            .then_err(Rejection::NotInStream {
                position: Position::new(8),
            });
    }

    #[test]
    fn a_correction_needs_a_reason_and_an_entity() {
        given::<Corrections<Hearing>>([scheduled()])
            .ctx(|c| c.in_stream(Position::new(7)))
            .when(Correct {
                corrected: Position::new(7),
                reason: "".into(),
            })
            .then_err(Rejection::EmptyText { field: "reason" });
        given::<Corrections<Hearing>>(Vec::<Event>::new())
            .when(correct(7))
            .then_err(Rejection::NotFound { what: "hearing" });
    }

    #[test]
    fn a_correction_leaves_the_state_but_is_listed() {
        let before = given::<Hearing>([scheduled()]).state().clone();
        let fix: Event = CorrectionEvent::EventCorrected {
            corrected: Position::new(7),
            reason: "wrong venue".into(),
        }
        .into();
        let after = given::<Hearing>([scheduled(), fix]).state().clone();
        assert_eq!(after.corrections.len(), 1);
        assert_eq!(
            crate::hearing::State {
                corrections: vec![],
                ..after
            },
            before
        );
    }
}
