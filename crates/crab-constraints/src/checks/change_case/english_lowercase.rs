//! `change_case:english_lowercase` — the whole response is in lowercase letters, and in English.

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, DeriveContext, Example, Kwargs, SpecError, Verdict};
use crate::text::lang::Detection;
use crate::text::{pystr, Analysis, Resource};

/// # What it checks
/// The response is all lowercase — Python's `str.islower()`: at least one cased letter and no
/// uppercase or titlecase one (digits and punctuation do not matter) — and langdetect (seed 0)
/// detects it as English (`en`).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("change_case:english_lowercase", &serde_json::Value::Null).unwrap();
/// assert!(!c.verify(&Analysis::new("Mixed Case.")).passed());
/// ```
///
/// # IFEval equivalence
/// Identical verdicts. Language detection runs only when the case test passed, and a text with
/// no letters to detect (langdetect's `LangDetectException`) passes, as in Google's code. Without
/// language data (the app before the profiles load) an all-lowercase response is *pending*.
///
/// # Derivation
/// From a response that is all lowercase (`str.islower()`) and that langdetect detects as English. A text
/// with nothing to detect passes the check too, but is not taken as clearly having the property,
/// so nothing is derived from it (nor without language data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnglishLowercase;

impl Check for EnglishLowercase {
    const INFO: CheckInfo = CheckInfo {
        id: "change_case:english_lowercase",
        title: "All lowercase, in English",
        description: "The whole response is in lowercase letters (Python's `str.islower()`: no \
                      capital letter, at least one lowercase one; digits and punctuation are \
                      fine) and is detected as English by langdetect.",
        divergence: None,
        needs: &[Resource::Language],
        derives: true,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "this is written entirely in lowercase letters, as requested.",
            fail: "This is written in Sentence case.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<EnglishLowercase, SpecError> {
        Ok(EnglishLowercase)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        super::case_and_english(
            text,
            pystr::islower,
            |c| pystr::is_upper_char(c) || pystr::is_title_char(c),
            "lowercase",
        )
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<EnglishLowercase> {
        let english = matches!(text.language(), Some(Detection::Language(lang)) if lang == "en");
        if pystr::islower(text.text()) && english {
            vec![EnglishLowercase]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EnglishLowercase;
    use crate::checks::tests::{analysis, constraint, evidence};
    use crate::checks::{Check, DeriveContext, Status};
    use crate::text::lang::tests::detector;
    use crate::text::Analysis;

    const ID: &str = "change_case:english_lowercase";

    fn status(text: &str) -> Status {
        constraint(ID, "{}").verify(&Analysis::with_detector(text, Some(detector()))).status
    }

    #[test]
    fn lowercase_english_passes_and_other_languages_fail() {
        assert_eq!(status("the quick brown fox jumps over the lazy dog."), Status::Pass);
        assert_eq!(status("der schnelle braune fuchs springt über den faulen hund."), Status::Fail);
    }

    #[test]
    fn capital_letters_fail_with_evidence_without_detection() {
        let text = "mostly lowercase But not ALL";
        let v = constraint(ID, "{}").verify(&Analysis::new(text));
        assert_eq!(v.status, Status::Fail);
        assert_eq!(evidence(&v, text), ["B", "ALL"]);
    }

    #[test]
    fn titlecase_digraph_is_not_lowercase() {
        // U+01C5 (Dž) is titlecase: `"ǅ".islower()` is False.
        assert_eq!(status("this has a \u{1c5} in it"), Status::Fail);
    }

    #[test]
    fn no_language_features_is_a_pass() {
        // Circled small letters are lowercase for Python but give langdetect no features.
        assert_eq!(status("ⓐ ⓑ"), Status::Pass);
    }

    #[test]
    fn without_language_data_a_lowercase_text_is_pending() {
        let v = constraint(ID, "{}").verify(&Analysis::new("all lowercase here"));
        assert_eq!(v.status, Status::Pending);
    }

    fn derive(text: &str) -> Vec<EnglishLowercase> {
        EnglishLowercase::derive(&analysis(text), &mut DeriveContext::new("", 1))
    }

    #[test]
    fn derive_from_english_in_the_case() {
        let text = "the quick brown fox jumps over the lazy dog.";
        assert_eq!(derive(text), [EnglishLowercase]);
        assert!(EnglishLowercase.verify(&analysis(text)).passed());
    }

    #[test]
    fn derive_nothing_from_other_languages_mixed_case_or_no_letters() {
        assert!(derive("der schnelle braune fuchs springt über den faulen hund.").is_empty());
        assert!(derive("The Quick Brown Fox.").is_empty());
        assert!(derive("12345 !!!").is_empty());
        assert!(derive("").is_empty());
        // Without language data nothing is derived either.
        let text = Analysis::new("the quick brown fox jumps over the lazy dog.");
        assert!(EnglishLowercase::derive(&text, &mut DeriveContext::new("", 1)).is_empty());
    }
}
