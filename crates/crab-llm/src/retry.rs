//! When to try a request again, and after how long: a pure function of the attempt and of how
//! it failed, shared by the browser and the command line so that both back off the same way.
//!
//! Retried: failures that say "later" (429, 408, 425, 502, 503, 504, 500, and no answer at all);
//! a `Retry-After` the server sent is honoured up to [`RetryPolicy::max_delay_ms`]. Not retried:
//! every other 4xx (the request itself is wrong: a key, a model, a context too long), a stream
//! that already delivered part of an answer (the caller keeps what arrived instead), and an empty
//! stream (llama.cpp's answer to a prompt over its context window: the same every time).
//! Delays double from [`RetryPolicy::base_delay_ms`]; there is no jitter, so a run is
//! reproducible (the CLI bounds its requests in flight instead).

/// How a request failed, for [`RetryPolicy::delay`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Failure {
    /// An HTTP error status, with the server's `Retry-After` in seconds if it sent one.
    Status {
        /// The status.
        status: u16,
        /// `Retry-After`, in seconds.
        retry_after: Option<f64>,
    },
    /// No HTTP answer (connection refused, reset, DNS).
    Network,
    /// No first byte in time.
    Timeout,
    /// A 2xx stream that ended with nothing in it.
    EmptyStream,
}

/// The retry schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 means never retry).
    pub max_attempts: u32,
    /// The delay before the first retry, in milliseconds.
    pub base_delay_ms: u64,
    /// No delay is longer than this.
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    /// Three attempts, 1 s then 2 s apart, never more than 30 s.
    fn default() -> RetryPolicy {
        RetryPolicy { max_attempts: 3, base_delay_ms: 1000, max_delay_ms: 30_000 }
    }
}

impl RetryPolicy {
    /// The delay before trying again after attempt `attempt` (1-based) failed with `failure`,
    /// or `None` to give up.
    pub fn delay(&self, attempt: u32, failure: Failure) -> Option<u64> {
        if attempt >= self.max_attempts {
            return None;
        }
        let retry_after = match failure {
            Failure::Status { status, retry_after } => {
                if !matches!(status, 408 | 425 | 429 | 500 | 502 | 503 | 504) {
                    return None;
                }
                retry_after
            }
            Failure::EmptyStream => return None,
            Failure::Network | Failure::Timeout => None,
        };
        let doubling = self
            .base_delay_ms
            .saturating_mul(1u64.checked_shl(attempt.saturating_sub(1)).unwrap_or(u64::MAX));
        let wanted = match retry_after {
            Some(s) if s.is_finite() && s >= 0.0 => (s * 1000.0).min(u64::MAX as f64) as u64,
            _ => doubling,
        };
        Some(wanted.min(self.max_delay_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16) -> Failure {
        Failure::Status { status, retry_after: None }
    }

    #[test]
    fn the_schedule() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1, status(503)), Some(1000));
        assert_eq!(p.delay(2, status(503)), Some(2000));
        assert_eq!(p.delay(3, status(503)), None);
        assert_eq!(p.delay(1, Failure::Network), Some(1000));
        assert_eq!(p.delay(1, Failure::EmptyStream), None);
        assert_eq!(p.delay(1, Failure::Timeout), Some(1000));
        for s in [400, 401, 403, 404, 413, 422] {
            assert_eq!(p.delay(1, status(s)), None, "{s}");
        }
        let later = Failure::Status { status: 429, retry_after: Some(7.5) };
        assert_eq!(p.delay(1, later), Some(7500));
        let much_later = Failure::Status { status: 429, retry_after: Some(1e9) };
        assert_eq!(p.delay(1, much_later), Some(30_000));
        let odd = Failure::Status { status: 429, retry_after: Some(f64::NAN) };
        assert_eq!(p.delay(1, odd), Some(1000));
        let many = RetryPolicy { max_attempts: 100, base_delay_ms: 1000, max_delay_ms: 60_000 };
        assert_eq!(many.delay(80, Failure::Network), Some(60_000));
        assert_eq!(RetryPolicy { max_attempts: 1, ..p }.delay(1, Failure::Network), None);
    }
}
