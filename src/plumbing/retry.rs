//! Retrying idempotent operations that lost an optimistic-concurrency race
//! (a stale handle): take a fresh handle, apply the change again, commit;
//! back off with full jitter between attempts so racing writers spread out.
//! The domain layer and the platforms' read-modify-write loops use it; a
//! name or address taken, or an object in use, is never retried.

use std::future::Future;
use std::time::Duration;

use crate::plumbing::error::{ErrorKind, Result};

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// The delay after the first conflict; it doubles after each.
    pub base_delay: Duration,
    /// The longest delay between two attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 40,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(500),
        }
    }
}

/// A uniformly random duration in `[0, max]`.
fn jitter(max: Duration) -> Duration {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        return max / 2;
    }
    let unit = u64::from_le_bytes(b) as f64 / u64::MAX as f64;
    max.mul_f64(unit)
}

/// Run `attempt` (given the attempt number, from 1) until it succeeds, fails
/// with anything but a stale handle, or the attempts run out (then the last
/// stale handle is returned). `attempt` must start from a fresh handle each
/// time, so that another writer's change is never lost.
pub async fn retry_stale_with<T, F, Fut>(policy: RetryPolicy, mut attempt: F) -> Result<T>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut delay = policy.base_delay;
    let mut n = 1;
    loop {
        match attempt(n).await {
            Err(e) if e.kind() == ErrorKind::StaleHandle && n < policy.attempts => {
                tracing::debug!(target: "vicport::retry", attempt = n, error = %e, "stale handle, retrying");
                // "Full jitter": spread concurrent writers apart.
                tokio::time::sleep(jitter(delay)).await;
                delay = (delay * 2).min(policy.max_delay);
                n += 1;
            }
            other => return other,
        }
    }
}

/// [`retry_stale_with`] with the default policy, for operations that do
/// not care which attempt they are.
pub async fn retry_stale<T, F, Fut>(mut op: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    retry_stale_with(RetryPolicy::default(), |_| op()).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plumbing::error::Error;

    #[tokio::test]
    async fn retries_stale_handles_only_and_gives_up() {
        let policy = RetryPolicy {
            attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
        };
        let r: Result<u32> = retry_stale_with(policy, |n| async move {
            if n < 3 {
                Err(Error::stale("stale"))
            } else {
                Ok(n)
            }
        })
        .await;
        assert_eq!(r.unwrap(), 3);

        let mut calls = 0;
        let r: Result<()> = retry_stale_with(policy, |_| {
            calls += 1;
            async { Err(Error::stale("stale")) }
        })
        .await;
        assert_eq!(r.unwrap_err().kind(), ErrorKind::StaleHandle);
        assert_eq!(calls, 3);

        // A taken name or an object in use is not another writer's race.
        for e in [Error::taken("taken"), Error::conflict("in use")] {
            let mut calls = 0;
            let kind = e.kind();
            let r: Result<()> = retry_stale_with(policy, |_| {
                calls += 1;
                let e = e.clone();
                async move { Err(e) }
            })
            .await;
            assert_eq!(r.unwrap_err().kind(), kind);
            assert_eq!(calls, 1);
        }

        let mut calls = 0;
        let r: Result<()> = retry_stale_with(policy, |_| {
            calls += 1;
            async { Err(Error::invalid("bad")) }
        })
        .await;
        assert_eq!(r.unwrap_err().kind(), ErrorKind::InvalidArgument);
        assert_eq!(calls, 1);
    }
}
