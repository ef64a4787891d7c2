//! `language:response_language` — the response is written in a given language (langdetect).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind, SpecError,
    Verdict,
};
use crate::text::lang::Detection;
use crate::text::{Analysis, Resource};

/// IFEval's `LANGUAGE_CODES` (`instructions_util.py`): the only codes Google's evaluation
/// accepts for this check (it raises `KeyError` for any other), so the only ones derived under
/// this id. The others langdetect knows are derived as `crab:response_language`.
pub const IFEVAL_LANGUAGES: &[&str] = &[
    "en", "es", "pt", "ar", "hi", "fr", "ru", "de", "ja", "it", "bn", "uk", "th", "ur", "ta", "te",
    "bg", "ko", "pl", "he", "fa", "vi", "ne", "sw", "kn", "mr", "gu", "pa", "ml", "fi",
];

/// A language is derived only from a text with at least this many words with a letter
/// ([`letter_words`]). Chosen on IFEval's 541 GPT-4 responses: of the 10 with fewer than 4
/// such words, 7 are detected as a language they are not written in (`YES` as Welsh, `A` as
/// Tagalog, `etchings` as German, `{"Nickname": "Staffy"}` as Swedish, `coastal elegance
/// properties` as Spanish, …); from 4 words on (a four-word Thai sentence, `My answer is
/// maybe.`), every detection with a clear top probability is the text's language.
pub const MIN_LETTER_WORDS: usize = 4;

/// A language is derived only when langdetect's top probability is at least this. langdetect
/// averages 7 random-walk trials, so its probabilities come in sevenths: 0.9 asks that all 7
/// agree. On the GPT-4 responses every detection below it is ambiguous (6/7 for a list of
/// English names detected as German and for `My answer is no.`, 4/7 for a text mixing English
/// and Spanish detected as Catalan, 5/7 for a one-key JSON object); every one above it is the
/// text's language (one Roman-Urdu chat, read by langdetect as Indonesian at 7/7, aside).
pub const MIN_PROBABILITY: f64 = 0.9;

/// The languages langdetect 1.0.9 knows (ISO 639-1, plus `zh-cn` and `zh-tw`).
pub const LANGDETECT_LANGUAGES: &[&str] = &[
    "af", "ar", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr",
    "gu", "he", "hi", "hr", "hu", "id", "it", "ja", "kn", "ko", "lt", "lv", "mk", "ml", "mr", "ne",
    "nl", "no", "pa", "pl", "pt", "ro", "ru", "sk", "sl", "so", "sq", "sv", "sw", "ta", "te", "th",
    "tl", "tr", "uk", "ur", "vi", "zh-cn", "zh-tw",
];

/// # What it checks
/// langdetect (seed 0, as in IFEval's deterministic runs) detects the response's language as
/// `language`. A response with nothing to detect (no letters: langdetect's
/// `LangDetectException`) passes, as in Google's code.
///
/// # Parameters
/// `language`: an ISO 639-1 code as langdetect reports it (`en`, `hi`, `zh-cn`, …).
///
/// # Example
/// ```
/// use crab_constraints::checks::{Constraint, Status};
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"language": "fr"});
/// let c = Constraint::from_ifeval("language:response_language", &kwargs).unwrap();
/// // Without language data (the app before the profiles load) the verdict waits.
/// assert_eq!(c.verify(&Analysis::new("Bonjour à tous")).status, Status::Pending);
/// ```
///
/// # IFEval equivalence
/// Identical verdicts with langdetect seeded with 0. Google's code does not seed langdetect, so
/// its verdicts on borderline texts can change from run to run; seeded runs agree with ours.
/// Any code is accepted (the app offers langdetect's 55); Google's code only knows its 30
/// `LANGUAGE_CODES` and raises `KeyError` for any other, such as `zh-cn` or `tr`.
///
/// # Derivation
/// The language langdetect detects in the response, when it is one of IFEval's 30 codes
/// ([`IFEVAL_LANGUAGES`]; others are derived as `crab:response_language`) and the text can carry
/// a language ([`derived_language`]: enough words with letters, a clear top probability).
/// Nothing for a text without letters (which would pass for any language), for `unknown`, or
/// without language data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResponseLanguage {
    /// The expected langdetect code.
    pub language: String,
}

impl Check for ResponseLanguage {
    const INFO: CheckInfo = CheckInfo {
        id: "language:response_language",
        title: "Response language",
        description: "The response is written in the given language, as langdetect (seeded) \
                      detects it. A response without any letters to detect passes, as in IFEval.",
        divergence: Some(
            "Google's code does not seed langdetect, so it can flip on borderline texts between \
             runs; we always use seed 0, which makes verdicts reproducible. Languages beyond \
             IFEval's 30 codes (e.g. `zh-cn`, `tr`) are accepted; Google's code raises for them.",
        ),
        needs: &[Resource::Language],
        derives: true,
        params: &[Param {
            name: "language",
            doc: "the expected language (ISO 639-1 code as langdetect reports it)",
            kind: ParamKind::Choice { options: LANGDETECT_LANGUAGES, default: "en" },
        }],
        example: Example {
            kwargs: r#"{"language": "de"}"#,
            pass: "Der schnelle braune Fuchs springt über den faulen Hund.",
            fail: "The quick brown fox jumps over the lazy dog.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<ResponseLanguage, SpecError> {
        Ok(ResponseLanguage { language: kw.string("language")?.to_owned() })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("language", self.language.clone().into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        verify_language(&self.language, text)
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<ResponseLanguage> {
        derived_language(text)
            .filter(|lang| IFEVAL_LANGUAGES.contains(&lang.as_str()))
            .map(|language| ResponseLanguage { language })
            .into_iter()
            .collect()
    }
}

/// Whether langdetect detects `language` in `text` (both `response_language` checks).
pub(crate) fn verify_language(language: &str, text: &Analysis<'_>) -> Verdict {
    match text.language() {
        None => Verdict::pending("language data not loaded yet"),
        Some(Detection::NoFeatures) => {
            Verdict::pass("no letters to detect (IFEval counts that as a pass)")
        }
        Some(Detection::Language(lang)) => {
            Verdict::from_bool(lang == language, format!("detected `{lang}`; needs `{language}`"))
        }
    }
}

/// How many of the text's IFEval words (`\w+` runs) contain a letter (an alphabetic
/// character): numbers, codes and symbols carry no language.
pub fn letter_words(text: &Analysis<'_>) -> usize {
    let s = text.text();
    text.words().iter().filter(|w| w.slice(s).chars().any(char::is_alphabetic)).count()
}

/// The language a response can be said to be written in, for derivation: langdetect's answer
/// when the text has at least [`MIN_LETTER_WORDS`] words with a letter and the top probability
/// is at least [`MIN_PROBABILITY`]; `None` otherwise, or without language data.
pub fn derived_language(text: &Analysis<'_>) -> Option<String> {
    let Some(Detection::Language(lang)) = text.language() else { return None };
    if !LANGDETECT_LANGUAGES.contains(&lang.as_str()) || letter_words(text) < MIN_LETTER_WORDS {
        return None;
    }
    let detector = text.detector()?;
    let langs = detector.detect_langs(text.text()).ok()?;
    let (top, p) = langs.first()?;
    (top == lang && *p >= MIN_PROBABILITY).then(|| lang.clone())
}

#[cfg(test)]
mod tests {
    use super::ResponseLanguage;
    use crate::checks::tests::{analysis, constraint};
    use crate::checks::{Check, DeriveContext, Status};
    use crate::text::lang::tests::detector;
    use crate::text::Analysis;

    const ID: &str = "language:response_language";

    fn status(language: &str, text: &str) -> Status {
        let c = constraint(ID, &format!(r#"{{"language": "{language}"}}"#));
        c.verify(&Analysis::with_detector(text, Some(detector()))).status
    }

    #[test]
    fn detects_the_language() {
        assert_eq!(status("hi", "यह एक छोटा सा वाक्य है जो हिंदी में लिखा गया है।"), Status::Pass);
        assert_eq!(status("en", "यह एक छोटा सा वाक्य है जो हिंदी में लिखा गया है।"), Status::Fail);
        let v = constraint(ID, r#"{"language": "en"}"#).verify(&Analysis::with_detector(
            "Ein kurzer deutscher Satz über Hunde.",
            Some(detector()),
        ));
        assert_eq!(v.detail, "detected `de`; needs `en`");
    }

    #[test]
    fn lang_detect_exception_passes() {
        assert_eq!(status("ja", "12345 !!!"), Status::Pass);
        assert_eq!(status("ja", "******"), Status::Pass);
    }

    #[test]
    fn pending_without_language_data() {
        assert_eq!(
            constraint(ID, r#"{"language": "en"}"#).verify(&Analysis::new("Hello")).status,
            Status::Pending
        );
    }

    fn derive(text: &str) -> Vec<ResponseLanguage> {
        ResponseLanguage::derive(&analysis(text), &mut DeriveContext::new("", 1))
    }

    #[test]
    fn derive_the_detected_language() {
        let text = "यह एक छोटा सा वाक्य है जो हिंदी में लिखा गया है।";
        let derived = derive(text);
        assert_eq!(derived, [ResponseLanguage { language: "hi".to_owned() }]);
        assert!(derived[0].verify(&analysis(text)).passed());
        let text = "The quick brown fox jumps over the lazy dog.";
        assert_eq!(derive(text), [ResponseLanguage { language: "en".to_owned() }]);
    }

    #[test]
    fn derive_nothing_without_features_or_language_data() {
        assert!(derive("12345 !!!").is_empty());
        assert!(derive("").is_empty());
        // Too few words to carry a language (each is detected as one, with probability 1).
        for text in ["YES", "A", "{\"Nickname\": \"Staffy\"}", "coastal elegance properties"] {
            assert!(derive(text).is_empty(), "{text}");
        }
        // Enough words, but langdetect's trials disagree (6 of 7 say English).
        assert!(derive("My answer is no.").is_empty());
        assert_eq!(derive("My answer is maybe."), [ResponseLanguage { language: "en".to_owned() }]);
        // A language outside IFEval's 30 is left to `crab:response_language`.
        assert!(derive("Hızlı kahverengi tilki tembel köpeğin üzerinden atlar ve ormana koşar.")
            .is_empty());
        let text = Analysis::new("The quick brown fox jumps over the lazy dog.");
        assert!(ResponseLanguage::derive(&text, &mut DeriveContext::new("", 1)).is_empty());
    }
}
