//! Per-record tallies of an import: how many of a record's verdicts hold, how many do not, and
//! how many of its entries no code can check.
//!
//! The playground shows these next to each imported record and the tests compare them with
//! [`check_record`](super::check_record)'s verdicts, so the counting lives here, once, rather
//! than in every front end.

use super::{Checked, CrabRecord, Imported};
use crate::checks::{Status, Verdict};

/// What one record's import and check came to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordSummary {
    /// Verdicts that pass.
    pub holds: usize,
    /// Verdicts that fail, or whose constraint cannot be used ([`Status::Invalid`]).
    pub fails: usize,
    /// Verdicts waiting for data (language profiles); none of CRAB's rules needs any.
    pub pending: usize,
    /// Entries written by the LLM ([`Imported::Text`]): kept as text, not checkable.
    pub text: usize,
    /// Rule entries whose sentence could not be read ([`Imported::Unparsed`]).
    pub unparsed: usize,
}

impl RecordSummary {
    /// The tallies of `rec` and its verdicts `checks` (as [`check_record`](super::check_record)
    /// returns them). An inverted `Word` rule gives two verdicts (as written, corrected), and
    /// each is counted.
    ///
    /// ```
    /// use crab_constraints::crab_import::{check_record, parse_records, RecordSummary};
    ///
    /// let doc = r#"[{"id": 1, "messages": [{"role": "user", "content": "Say hi."},
    ///     {"role": "assistant", "content": "Hi there, friend."}],
    ///     "Aug_instruction": {"Additional_Instruction": {
    ///         "Punctuation": "Do not use any question marks in your response.",
    ///         "Tone": "Keep a warm tone."}}}]"#;
    /// let records = parse_records(doc).unwrap();
    /// let checks = check_record(&records[0], None);
    /// let summary = RecordSummary::of(&records[0], &checks);
    /// assert_eq!((summary.holds, summary.fails, summary.text), (1, 0, 1));
    /// ```
    pub fn of(rec: &CrabRecord, checks: &[(Checked<'_>, Verdict)]) -> RecordSummary {
        let mut s = RecordSummary::default();
        for (_, verdict) in checks {
            match verdict.status {
                Status::Pass => s.holds += 1,
                Status::Fail | Status::Invalid => s.fails += 1,
                Status::Pending => s.pending += 1,
            }
        }
        for item in &rec.items {
            match item.kind {
                Imported::Text => s.text += 1,
                Imported::Unparsed { .. } => s.unparsed += 1,
                Imported::Typed(_) | Imported::Inverted { .. } => {}
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crab_import::{check_record, parse_records};

    #[test]
    fn counts_both_readings_of_an_inverted_word_rule() {
        let doc = r#"{"id": "a", "messages": [{"role": "user", "content": "Describe it."},
            {"role": "assistant", "content": "A big red ball is on the mat."}],
            "Aug_instruction": {"Additional_Instruction": {
                "Word": "Each word in your response must have at least 5 characters.",
                "Digit": "Answer in roughly quantum words.",
                "Style": "Be vivid."}}}"#;
        let records = parse_records(doc).unwrap();
        let checks = check_record(&records[0], None);
        let s = RecordSummary::of(&records[0], &checks);
        assert_eq!(s.holds + s.fails + s.pending, checks.len());
        assert_eq!((s.text, s.unparsed), (1, 1));
        // As written it fails ("A" is shorter than 5 characters).
        assert!(s.fails >= 1);
    }
}
