//! A request body that must arrive in full within a deadline: a client that stalls or trickles
//! its body is cut off instead of holding its connection (and whatever the handler holds) for
//! as long as it likes.

use axum::BoxError;
use axum::body::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// The error a [`DeadlineBody`] ends with when its time is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyTimedOut {
    /// The time the whole body had.
    pub limit: Duration,
}

impl std::fmt::Display for BodyTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the request body did not arrive within {} s",
            self.limit.as_secs_f64()
        )
    }
}

impl std::error::Error for BodyTimedOut {}

/// `inner`, failing with [`BodyTimedOut`] unless its last frame has come within `limit` of
/// the first time it is read (not of the request's arrival, so time a handler spends before
/// reading does not count against the client).
#[derive(Debug)]
pub struct DeadlineBody<B> {
    inner: B,
    limit: Duration,
    /// Started on the first read.
    deadline: Option<Pin<Box<Sleep>>>,
}

impl<B> DeadlineBody<B> {
    /// `inner`, to be read in full within `limit`.
    pub fn new(inner: B, limit: Duration) -> Self {
        DeadlineBody {
            inner,
            limit,
            deadline: None,
        }
    }
}

impl<B> Body for DeadlineBody<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let limit = self.limit;
        let this = &mut *self;
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        let deadline = this
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimedOut { limit })))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use http_body_util::{BodyExt, Full, StreamBody};
    use std::convert::Infallible;

    #[tokio::test]
    async fn a_stalled_body_times_out_and_a_prompt_one_does_not() {
        let prompt = DeadlineBody::new(Full::new(Bytes::from_static(b"hello")), Duration::ZERO);
        let bytes = prompt.collect().await.expect("complete").to_bytes();
        assert_eq!(&bytes[..], b"hello");

        // One chunk, then nothing for ever.
        let chunks = futures_util::stream::iter([Ok::<_, Infallible>(Frame::data(
            Bytes::from_static(b"he"),
        ))])
        .chain(futures_util::stream::pending());
        let stalled = DeadlineBody::new(StreamBody::new(chunks), Duration::from_millis(50));
        let error = stalled.collect().await.expect_err("times out");
        assert_eq!(
            error.downcast_ref::<BodyTimedOut>(),
            Some(&BodyTimedOut {
                limit: Duration::from_millis(50)
            })
        );
    }
}
