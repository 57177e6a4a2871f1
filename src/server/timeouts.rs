//! How long the server waits for a client, and how long it lets requests finish when it stops: no
//! client can hold it hostage. A request's head must arrive within [`ServerOptions::head_timeout`],
//! its whole body within [`ServerOptions::body_timeout`] (from the moment the head arrived, however
//! slowly it trickles), and a stopping server drains for at most [`ServerOptions::drain_timeout`]
//! before it drops whoever is left.

use axum::body::{Body, Bytes};
use axum::BoxError;
use http_body::{Frame, SizeHint};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// The server's time limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerOptions {
    /// Longest wait for a request's line and headers (then the connection is closed).
    pub head_timeout: Duration,
    /// Longest wait for a request's whole body (then the request fails with 400 and the
    /// connection is closed).
    pub body_timeout: Duration,
    /// Longest a stopping server waits for in-flight requests before dropping their connections.
    pub drain_timeout: Duration,
    /// After a failed write: how often the server checks whether the disk takes writes again, to
    /// reopen the ledger.
    pub recover_every: Duration,
    /// How often the background scrub re-verifies the whole ledger (none: never).
    pub scrub_every: Option<Duration>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            head_timeout: super::HEADER_TIMEOUT,
            body_timeout: Duration::from_secs(30),
            drain_timeout: Duration::from_secs(10),
            recover_every: Duration::from_secs(5),
            scrub_every: None,
        }
    }
}

/// Why a body failed: it did not arrive in time.
#[derive(Debug, thiserror::Error)]
#[error("the request body did not arrive within {} s", .0.as_secs_f64())]
pub struct BodyTimedOut(Duration);

/// A request body that fails once its deadline passes.
#[derive(Debug)]
pub struct DeadlineBody {
    inner: Body,
    deadline: Pin<Box<tokio::time::Sleep>>,
    limit: Duration,
}

impl DeadlineBody {
    /// `inner`, failing unless it has ended within `limit` from now.
    pub fn new(inner: Body, limit: Duration) -> Self {
        Self {
            inner,
            deadline: Box::pin(tokio::time::sleep(limit)),
            limit,
        }
    }
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => Poll::Ready(frame.map(|r| r.map_err(Into::into))),
            Poll::Pending => match this.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(BodyTimedOut(this.limit).into()))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Puts a deadline of `limit` on every request's body.
pub fn with_body_deadline(
    limit: Duration,
) -> impl Fn(axum::extract::Request) -> axum::extract::Request + Clone {
    move |request: axum::extract::Request| request.map(|b| Body::new(DeadlineBody::new(b, limit)))
}
