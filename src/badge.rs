//! The one mapping from a verdict's status to its badge: the CSS class every panel uses, and the
//! words, in the two voices the panels speak in ("pass" in lists of verdicts, "holds" where a
//! person's or a record's claim is being checked).

use crab_constraints::checks::Status;

/// The badge's CSS classes for `status`.
pub fn class(status: Status) -> &'static str {
    match status {
        Status::Pass => "badge pass",
        Status::Fail => "badge fail",
        Status::Invalid => "badge invalid",
        Status::Pending => "badge pending",
    }
}

/// The verdict as one word: pass, fail, invalid, pending.
pub fn word(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Invalid => "invalid",
        Status::Pending => "pending",
    }
}

/// The verdict on a claim: holds, does not hold, invalid, pending.
pub fn holds(status: Status) -> &'static str {
    match status {
        Status::Pass => "holds",
        Status::Fail => "does not hold",
        Status::Invalid => "invalid",
        Status::Pending => "pending",
    }
}
