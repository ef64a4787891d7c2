//! `crab:response_language` — the response is written in a given language, for the languages
//! langdetect knows beyond IFEval's 30.

use serde_json::{Map, Value};

use crate::checks::language::response_language::{
    derived_language, verify_language, IFEVAL_LANGUAGES, LANGDETECT_LANGUAGES,
};
use crate::checks::{
    kwargs_map, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind, SpecError,
    Verdict,
};
use crate::text::{Analysis, Resource};

/// # What it checks
/// Exactly what `language:response_language` checks: langdetect (seed 0) detects the response's
/// language as `language`, and a response with nothing to detect passes.
///
/// # Why a second id
/// Google's evaluation knows only IFEval's 30 language codes and raises `KeyError` on a row that
/// asks for any other (`tr`, `sv`, `zh-cn`, …). Back-translation writes IFEval rows that must run
/// unchanged there, so a response in one of langdetect's other 25 languages gets this id instead.
///
/// # Parameters
/// `language`: one of langdetect's 55 codes.
///
/// # Example
/// ```
/// use crab_constraints::checks::{Constraint, Status};
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"language": "tr"});
/// let c = Constraint::from_ifeval("crab:response_language", &kwargs).unwrap();
/// // Without language data (the app before the profiles load) the verdict waits.
/// assert_eq!(c.verify(&Analysis::new("Merhaba dünya")).status, Status::Pending);
/// ```
///
/// # Derivation
/// As `language:response_language` (enough words with letters, a clear top probability), for the
/// languages outside IFEval's 30.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrabResponseLanguage {
    /// The expected langdetect code.
    pub language: String,
}

impl Check for CrabResponseLanguage {
    const INFO: CheckInfo = CheckInfo {
        id: "crab:response_language",
        title: "Response language, any of langdetect's (CRAB)",
        description: "The response is written in the given language, as langdetect (seeded) \
                      detects it; a response without any letters passes. The same check as \
                      `language:response_language`, for back-translated rows in languages \
                      outside IFEval's 30 codes, which Google's evaluation cannot score.",
        divergence: None,
        needs: &[Resource::Language],
        derives: true,
        params: &[Param {
            name: "language",
            doc: "the expected language (ISO 639-1 code as langdetect reports it)",
            kind: ParamKind::Choice { options: LANGDETECT_LANGUAGES, default: "tr" },
        }],
        example: Example {
            kwargs: r#"{"language": "tr"}"#,
            pass: "Hızlı kahverengi tilki tembel köpeğin üzerinden atlar ve ormana doğru koşar.",
            fail: "The quick brown fox jumps over the lazy dog.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<CrabResponseLanguage, SpecError> {
        let language = kw.string("language")?;
        if !LANGDETECT_LANGUAGES.contains(&language) {
            return Err(kw.invalid(
                "language",
                format!("must be one of langdetect's language codes, got {language:?}"),
            ));
        }
        Ok(CrabResponseLanguage { language: language.to_owned() })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("language", self.language.clone().into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        verify_language(&self.language, text)
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<CrabResponseLanguage> {
        derived_language(text)
            .filter(|lang| !IFEVAL_LANGUAGES.contains(&lang.as_str()))
            .map(|language| CrabResponseLanguage { language })
            .into_iter()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, constraint};
    use crate::checks::{Constraint, Status};

    const ID: &str = "crab:response_language";

    #[test]
    fn verifies_like_the_ifeval_check() {
        let turkish = "Hızlı kahverengi tilki tembel köpeğin üzerinden atlar ve ormana koşar.";
        assert_pass(ID, r#"{"language": "tr"}"#, turkish);
        assert_fail(ID, r#"{"language": "sv"}"#, turkish);
        assert_pass(ID, r#"{"language": "tr"}"#, "12345 !!!");
        let c = constraint(ID, r#"{"language": "tr"}"#);
        assert_eq!(c.verify(&Analysis::new(turkish)).status, Status::Pending);
        let err = Constraint::from_ifeval(ID, &serde_json::json!({"language": "xx"}));
        assert!(err.is_err());
    }

    fn derive(text: &str) -> Vec<CrabResponseLanguage> {
        CrabResponseLanguage::derive(&analysis(text), &mut DeriveContext::new("", 1))
    }

    #[test]
    fn derives_only_languages_outside_ifevals() {
        let turkish = "Hızlı kahverengi tilki tembel köpeğin üzerinden atlar ve ormana doğru \
                       koşar. Sonra eve döner ve uyur.";
        assert_eq!(derive(turkish), [CrabResponseLanguage { language: "tr".to_owned() }]);
        assert!(derive("The quick brown fox jumps over the lazy dog and runs home.").is_empty());
        assert!(derive("YES").is_empty());
    }
}
