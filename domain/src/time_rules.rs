//! The times an act can have happened at, checked for every act before its kind's rules
//! ([`Aggregate::decide_act`](crate::Aggregate::decide_act)).
//!
//! An act cannot lie in the future beyond [`MAX_SKEW`] of clock skew (the clock is the ledger's,
//! passed in as [`Context::now`]), nor before [`EARLIEST`] (1900-01-01). A mistyped `--at 9999-12-31`
//! would otherwise freeze its entity: every later act would be "going back in time". Dates an act
//! *names* (a hearing scheduled for next month, a pledge due next year) are payload, not the time of
//! the act, and may lie ahead.

use crate::{Context, Rejection};
use delib_events::Timestamp;

/// How far ahead of the ledger's clock an act may be dated: clocks of clerks' machines disagree.
pub const MAX_SKEW: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// The earliest time an act may be dated: 1900-01-01T00:00:00Z.
pub const EARLIEST: Timestamp = Timestamp::from_micros(-2_208_988_800_000_000);

/// Checks the time of the act in `ctx` against the ledger's clock.
///
/// # Errors
/// [`Rejection::InTheFuture`], [`Rejection::BeforeEarliest`].
pub fn check(ctx: &Context) -> Result<(), Rejection> {
    let skew = i64::try_from(MAX_SKEW.as_micros()).unwrap_or(i64::MAX);
    if ctx.occurred_at.as_micros() > ctx.now.as_micros().saturating_add(skew) {
        return Err(Rejection::InTheFuture {
            at: ctx.occurred_at,
            now: ctx.now,
        });
    }
    if ctx.occurred_at < EARLIEST {
        return Err(Rejection::BeforeEarliest {
            at: ctx.occurred_at,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::stream;

    const MINUTE: i64 = 60_000_000;

    fn at(now: i64, occurred: i64) -> Result<(), Rejection> {
        let mut ctx = Context::new(stream(), Timestamp::from_micros(occurred));
        ctx.now = Timestamp::from_micros(now);
        check(&ctx)
    }

    #[test]
    fn an_act_may_be_up_to_five_minutes_ahead_of_the_clock() {
        let now = 1_700_000_000_000_000;
        assert_eq!(at(now, now), Ok(()));
        assert_eq!(at(now, now + 5 * MINUTE), Ok(()));
        assert!(matches!(
            at(now, now + 5 * MINUTE + 1),
            Err(Rejection::InTheFuture { .. })
        ));
        // 9999-12-31
        assert!(matches!(
            at(now, 253_402_214_400_000_000),
            Err(Rejection::InTheFuture { .. })
        ));
    }

    #[test]
    fn an_act_may_not_be_dated_before_1900() {
        let now = 1_700_000_000_000_000;
        assert_eq!(at(now, EARLIEST.as_micros()), Ok(()));
        assert!(matches!(
            at(now, EARLIEST.as_micros() - 1),
            Err(Rejection::BeforeEarliest { .. })
        ));
        // 0000-01-01
        assert!(matches!(
            at(now, -62_167_219_200_000_000),
            Err(Rejection::BeforeEarliest { .. })
        ));
    }

    #[test]
    fn a_context_without_a_clock_accepts_its_own_time() {
        // Context::new takes the act's time as the clock's, so kind tests need not set `now`.
        let ctx = Context::new(stream(), Timestamp::from_micros(5));
        assert_eq!(check(&ctx), Ok(()));
    }
}
