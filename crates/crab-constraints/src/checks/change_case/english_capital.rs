//! `change_case:english_capital` — the whole response is in capital letters, and in English.

use serde_json::{Map, Value};

use crate::checks::{Check, CheckInfo, DeriveContext, Example, Kwargs, SpecError, Verdict};
use crate::text::lang::Detection;
use crate::text::{pystr, Analysis, Resource};

/// # What it checks
/// The response is all capitals — Python's `str.isupper()`: at least one cased letter and no
/// lowercase or titlecase one (digits and punctuation do not matter) — and langdetect (seed 0)
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
/// let c = Constraint::from_ifeval("change_case:english_capital", &serde_json::Value::Null).unwrap();
/// assert!(!c.verify(&Analysis::new("Mixed Case.")).passed());
/// ```
///
/// # IFEval equivalence
/// Identical verdicts. Language detection runs only when the case test passed, and a text with
/// no letters to detect (langdetect's `LangDetectException`) passes, as in Google's code. Without
/// language data (the app before the profiles load) an all-caps response is *pending*.
///
/// # Derivation
/// From a response that is all capitals (`str.isupper()`) and that langdetect detects as English. A text
/// with nothing to detect passes the check too, but is not taken as clearly having the property,
/// so nothing is derived from it (nor without language data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnglishCapital;

impl Check for EnglishCapital {
    const INFO: CheckInfo = CheckInfo {
        id: "change_case:english_capital",
        title: "All capitals, in English",
        description: "The whole response is in capital letters (Python's `str.isupper()`: no \
                      lowercase letter, at least one capital; digits and punctuation are fine) \
                      and is detected as English by langdetect.",
        divergence: None,
        needs: &[Resource::Language],
        derives: true,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "THIS IS WRITTEN ENTIRELY IN CAPITAL LETTERS, AS REQUESTED.",
            fail: "This is written in Sentence case.",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<EnglishCapital, SpecError> {
        Ok(EnglishCapital)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        super::case_and_english(
            text,
            pystr::isupper,
            |c| pystr::is_lower_char(c) || pystr::is_title_char(c),
            "capital",
        )
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<EnglishCapital> {
        let english = matches!(text.language(), Some(Detection::Language(lang)) if lang == "en");
        if pystr::isupper(text.text()) && english {
            vec![EnglishCapital]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EnglishCapital;
    use crate::checks::tests::{analysis, constraint, evidence};
    use crate::checks::{Check, DeriveContext, Status};
    use crate::text::lang::tests::detector;
    use crate::text::Analysis;

    const ID: &str = "change_case:english_capital";

    fn status(text: &str) -> Status {
        constraint(ID, "{}").verify(&Analysis::with_detector(text, Some(detector()))).status
    }

    #[test]
    fn all_caps_english_passes_and_other_languages_fail() {
        assert_eq!(status("THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG."), Status::Pass);
        assert_eq!(status("DER SCHNELLE BRAUNE FUCHS SPRINGT ÜBER DEN FAULEN HUND."), Status::Fail);
    }

    #[test]
    fn lowercase_letters_fail_with_evidence_without_detection() {
        let text = "MOSTLY CAPS but not ALL";
        let v = constraint(ID, "{}").verify(&Analysis::new(text));
        assert_eq!(v.status, Status::Fail);
        assert_eq!(evidence(&v, text), ["but", "not"]);
    }

    #[test]
    fn digits_only_is_not_upper() {
        // `"123".isupper()` is False in Python: no cased character.
        assert_eq!(status("123 456"), Status::Fail);
    }

    #[test]
    fn no_language_features_is_a_pass() {
        // Capital Roman numerals are upper case for Python but give langdetect no features
        // (Python raises LangDetectException, which IFEval counts as followed).
        assert_eq!(status("Ⅻ Ⅳ"), Status::Pass);
    }

    #[test]
    fn without_language_data_an_all_caps_text_is_pending() {
        let v = constraint(ID, "{}").verify(&Analysis::new("ALL CAPS HERE"));
        assert_eq!(v.status, Status::Pending);
    }

    fn derive(text: &str) -> Vec<EnglishCapital> {
        EnglishCapital::derive(&analysis(text), &mut DeriveContext::new("", 1))
    }

    #[test]
    fn derive_from_english_in_the_case() {
        let text = "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG.";
        assert_eq!(derive(text), [EnglishCapital]);
        assert!(EnglishCapital.verify(&analysis(text)).passed());
    }

    #[test]
    fn derive_nothing_from_other_languages_mixed_case_or_no_letters() {
        assert!(derive("DER SCHNELLE BRAUNE FUCHS SPRINGT ÜBER DEN FAULEN HUND.").is_empty());
        assert!(derive("The Quick Brown Fox.").is_empty());
        assert!(derive("12345 !!!").is_empty());
        assert!(derive("").is_empty());
        // Without language data nothing is derived either.
        let text = Analysis::new("THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG.");
        assert!(EnglishCapital::derive(&text, &mut DeriveContext::new("", 1)).is_empty());
    }
}
