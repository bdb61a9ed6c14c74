//! Retrying idempotent operations that lost an optimistic-concurrency race:
//! take a fresh handle and try again, with jittered exponential backoff.

use std::future::Future;
use std::time::Duration;

use crate::plumbing::error::{ErrorKind, Result};

/// How many times an idempotent operation is tried before the conflict is
/// reported.
pub const ATTEMPTS: u32 = 12;

/// Run `op` (which must take a fresh handle each time) until it succeeds or
/// fails with something other than a conflict; conflicts are retried with
/// backoff (10 ms doubling, capped at 1 s, with jitter so racing writers
/// spread out), at most [`ATTEMPTS`] times.
pub async fn retry_conflicts<T, F, Fut>(mut op: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut delay = Duration::from_millis(10);
    let mut attempt = 1;
    loop {
        match op().await {
            Err(e) if e.kind() == ErrorKind::Conflict && attempt < ATTEMPTS => {
                let mut jitter = [0u8; 1];
                getrandom::fill(&mut jitter).expect("the OS random source is available");
                let pause = delay + delay * u32::from(jitter[0]) / 255;
                tracing::debug!("conflict on attempt {attempt}, retrying in {pause:?}: {e}");
                tokio::time::sleep(pause).await;
                delay = (delay * 2).min(Duration::from_secs(1));
                attempt += 1;
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::Error;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test]
    async fn retries_conflicts_then_succeeds() {
        let calls = AtomicU32::new(0);
        let v = retry_conflicts(|| async {
            if calls.fetch_add(1, Ordering::SeqCst) < 3 {
                Err(Error::conflict("stale"))
            } else {
                Ok(42)
            }
        })
        .await
        .unwrap();
        assert_eq!(v, 42);
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn other_errors_are_not_retried() {
        let calls = AtomicU32::new(0);
        let e = retry_conflicts(|| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(Error::invalid("bad"))
        })
        .await
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn gives_up_after_the_attempts() {
        let calls = AtomicU32::new(0);
        tokio::time::pause();
        let e = retry_conflicts(|| async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(Error::conflict("stale"))
        })
        .await
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Conflict);
        assert_eq!(calls.load(Ordering::SeqCst), ATTEMPTS);
    }
}
