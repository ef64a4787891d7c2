//! `crab:key_phrases` — CRAB's `Keyword` constraint: the response includes each key phrase
//! verbatim.

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
#[cfg(feature = "keyphrases")]
use crate::text::keyphrases;
use crate::text::{Analysis, Span};

/// # What it checks
/// Each of 1–3 phrases occurs in the response verbatim: as a substring, case-sensitive, with no
/// normalisation of spaces or punctuation and no word-boundary requirement (`"cat"` is found in
/// `"concatenate"`).
///
/// Case-sensitive because CRAB's key phrases are YAKE n-grams copied verbatim from the
/// response ("NVIDIA GeForce RTX"), so the response contains them exactly as written; IFEval's
/// `keywords:existence` by contrast matches case-insensitively on word boundaries.
///
/// # Parameters
/// `phrases`: a list of 1 to 3 non-empty strings.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"phrases": ["GeForce RTX", "ray tracing"]});
/// let c = Constraint::from_ifeval("crab:key_phrases", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("The GeForce RTX line brought ray tracing to games.")).passed());
/// assert!(!c.verify(&Analysis::new("The geforce rtx line brought ray tracing.")).passed());
/// ```
///
/// # Derivation
/// As CRAB: YAKE's best phrases of the response (n-grams of up to 3 words, deduplicated, the
/// top `min(len/10, 3)` by CRAB's character-count bug), of which those scoring below 0.07, computed
/// by [`crate::text::keyphrases`] (the `yake-rust` crate, which agrees with PyPI `yake` on the
/// same phrases in the same order for about 97% of the GPT-4 responses). Of those, the ones that
/// occur in the response verbatim (YAKE joins a phrase's words with single spaces, so a phrase
/// split across a line break is dropped) make one constraint; none when no phrase qualifies, and
/// none for responses over 10,000 bytes (see [`crate::text::keyphrases::MAX_TEXT_BYTES`]).
/// Stopwords are English whatever the response's language (CRAB picks them by langdetect).
///
/// # Relation to CRAB
/// CRAB renders the phrases double-quoted and comma-joined into a template ("Include the
/// following keywords in your response: …") and ships no verifier; substring presence is the
/// evident intent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPhrases {
    /// The phrases, each required verbatim.
    pub phrases: Vec<String>,
}

/// The most phrases one constraint takes (CRAB's top 3).
const MAX_PHRASES: usize = 3;

impl Check for KeyPhrases {
    const INFO: CheckInfo = CheckInfo {
        id: "crab:key_phrases",
        title: "Key phrases (CRAB)",
        description: "Each of 1–3 phrases occurs verbatim: a case-sensitive substring match, \
                      with no word-boundary requirement. CRAB's key phrases are YAKE n-grams \
                      copied from the response, so they are matched exactly as written (unlike \
                      IFEval's case-insensitive `keywords:existence`). A derived constraint \
                      holds the response's key phrases as CRAB finds them (YAKE n-grams of up \
                      to 3 words scoring below 0.07, at most 3) that occur in it verbatim.",
        divergence: None,
        needs: &[],
        derives: true,
        params: &[Param {
            name: "phrases",
            doc: "1 to 3 phrases that must each appear exactly as written",
            kind: ParamKind::TextList { default: &["key phrase"] },
        }],
        example: Example {
            kwargs: r#"{"phrases": ["Great Barrier Reef", "coral"]}"#,
            pass: "The Great Barrier Reef is the largest coral system.",
            fail: "The great barrier reef is the largest coral system.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<KeyPhrases, SpecError> {
        let phrases = kw.string_list("phrases")?;
        if phrases.is_empty() || phrases.len() > MAX_PHRASES {
            return Err(kw.invalid(
                "phrases",
                format!("must hold 1 to {MAX_PHRASES} phrases, got {}", phrases.len()),
            ));
        }
        if phrases.iter().any(String::is_empty) {
            return Err(kw.invalid("phrases", "must not hold an empty phrase"));
        }
        Ok(KeyPhrases { phrases })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("phrases", self.phrases.clone().into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let text = text.text();
        let mut evidence = Vec::new();
        let mut missing = Vec::new();
        for phrase in &self.phrases {
            let before = evidence.len();
            evidence.extend(
                text.match_indices(phrase.as_str()).map(|(i, m)| Span::new(i, i + m.len())),
            );
            if evidence.len() == before {
                missing.push(format!("\"{phrase}\""));
            }
        }
        evidence.sort_unstable();
        if missing.is_empty() {
            let detail = format!(
                "all {} found ({})",
                plural(self.phrases.len(), "phrase", "phrases"),
                plural(evidence.len(), "occurrence", "occurrences")
            );
            Verdict::pass(detail).with_evidence(evidence)
        } else {
            Verdict::fail(format!("missing {}", missing.join(", "))).with_evidence(evidence)
        }
    }

    #[cfg(not(feature = "keyphrases"))]
    fn derive(_text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<KeyPhrases> {
        Vec::new()
    }

    #[cfg(feature = "keyphrases")]
    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<KeyPhrases> {
        let source = text.text();
        let found = match keyphrases::key_phrases(source) {
            Ok(found) => found,
            Err(refusal) => {
                cx.note(&Self::INFO, refusal);
                return Vec::new();
            }
        };
        let phrases: Vec<String> = found
            .into_iter()
            .map(|p| p.phrase)
            .filter(|p| !p.is_empty() && source.contains(p.as_str()))
            .take(MAX_PHRASES)
            .collect();
        if phrases.is_empty() {
            return Vec::new();
        }
        let derived = KeyPhrases { phrases };
        if derived.verify(text).passed() {
            vec![derived]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "keyphrases")]
    use super::*;
    #[cfg(feature = "keyphrases")]
    use crate::checks::tests::analysis;
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};
    use crate::checks::Constraint;

    const ID: &str = "crab:key_phrases";

    #[test]
    fn every_phrase_must_occur() {
        let kw = r#"{"phrases": ["alpha beta", "gamma"]}"#;
        assert_pass(ID, kw, "gamma then alpha beta");
        assert_fail(ID, kw, "alpha beta only");
        assert_fail(ID, kw, "");
        assert_eq!(verify(ID, kw, "alpha  beta").detail, "missing \"alpha beta\", \"gamma\"");
    }

    #[test]
    fn matching_is_case_sensitive_and_verbatim() {
        let kw = r#"{"phrases": ["Gregory is Andrews"]}"#;
        assert_pass(ID, kw, "So Gregory is Andrews, after all.");
        assert_fail(ID, kw, "So gregory is andrews, after all.");
        assert_fail(ID, kw, "So Gregory\nis Andrews.");
    }

    #[test]
    fn substrings_count_without_word_boundaries() {
        assert_pass(ID, r#"{"phrases": ["cat"]}"#, "concatenate");
        assert_pass(ID, r#"{"phrases": ["ß"]}"#, "Straße");
        assert_fail(ID, r#"{"phrases": ["ss"]}"#, "Straße");
    }

    #[test]
    fn evidence_is_every_occurrence_in_order() {
        let text = "b a b a";
        let v = verify(ID, r#"{"phrases": ["a", "b"]}"#, text);
        assert_eq!(evidence(&v, text), ["b", "a", "b", "a"]);
        assert_eq!(v.detail, "all 2 phrases found (4 occurrences)");
        // Found phrases are shown even when another is missing.
        let v = verify(ID, r#"{"phrases": ["a", "z"]}"#, text);
        assert_eq!(evidence(&v, text), ["a", "a"]);
    }

    #[test]
    fn one_to_three_non_empty_phrases() {
        let err = |kw: serde_json::Value| Constraint::from_ifeval(ID, &kw).unwrap_err().to_string();
        assert!(err(serde_json::json!({"phrases": []})).contains("must hold 1 to 3 phrases, got 0"));
        assert!(err(serde_json::json!({"phrases": ["a", "b", "c", "d"]}))
            .contains("must hold 1 to 3 phrases, got 4"));
        assert!(err(serde_json::json!({"phrases": ["a", ""]})).contains("empty phrase"));
        assert!(err(serde_json::json!({"phrases": "a"})).contains("must be a list of strings"));
    }

    #[cfg(feature = "keyphrases")]
    fn derive(text: &str) -> Vec<Vec<String>> {
        KeyPhrases::derive(&analysis(text), &mut DeriveContext::new("", 0))
            .into_iter()
            .map(|c| c.phrases)
            .collect()
    }

    #[cfg(feature = "keyphrases")]
    #[test]
    fn derives_crabs_top_phrases_that_occur_verbatim() {
        let text = "The NVIDIA GeForce RTX 4090 is a graphics card. NVIDIA GeForce RTX cards \
                    support ray tracing. Ray tracing is great.";
        let derived = derive(text);
        assert_eq!(derived.len(), 1);
        let phrases = &derived[0];
        assert_eq!(phrases.first().map(String::as_str), Some("NVIDIA GeForce RTX"));
        assert!(phrases.len() <= 3 && phrases.iter().all(|p| text.contains(p.as_str())));
        let c = KeyPhrases { phrases: phrases.clone() };
        assert!(c.verify(&analysis(text)).passed());
    }

    #[cfg(feature = "keyphrases")]
    #[test]
    fn phrases_split_across_lines_are_dropped() {
        // YAKE reads the line break as a space and ranks "Notice Dear Boss" first; the response
        // does not contain it verbatim.
        let text =
            "Resignation Notice\nDear Boss, I am writing to formally resign. The job was great.";
        let all: Vec<String> =
            keyphrases::key_phrases(text).unwrap().into_iter().map(|p| p.phrase).collect();
        assert!(all.iter().any(|p| p == "Notice Dear Boss"), "{all:?}");
        for phrases in derive(text) {
            assert!(phrases.iter().all(|p| text.contains(p.as_str())), "{phrases:?}");
            assert!(!phrases.iter().any(|p| p == "Notice Dear Boss"));
        }
    }

    #[cfg(feature = "keyphrases")]
    #[test]
    fn nothing_from_blank_tiny_or_oversized_texts() {
        assert!(derive("").is_empty());
        assert!(derive("   \n ").is_empty());
        assert!(derive("Reef Reef").is_empty()); // under 10 characters: CRAB asks for 0 phrases
        assert!(derive("the of and to with").is_empty());
        let long = "Coral reefs shelter fish. ".repeat(500);
        assert!(long.len() > keyphrases::MAX_TEXT_BYTES);
        assert!(derive(&long).is_empty());
        assert!(!derive(&long[..2_000]).is_empty());
    }

    #[cfg(feature = "keyphrases")]
    #[test]
    fn an_oversized_text_derives_nothing_and_says_why() {
        let long = "Coral reefs shelter fish. ".repeat(500);
        let mut cx = DeriveContext::new("", 0);
        assert!(KeyPhrases::derive(&analysis(&long), &mut cx).is_empty());
        assert_eq!(
            cx.notes(),
            ["crab:key_phrases: no key phrases: the text is too long (13000 bytes; the limit is \
              10000)"]
        );
        let mut cx = DeriveContext::new("", 0);
        assert!(!KeyPhrases::derive(&analysis(&long[..2_000]), &mut cx).is_empty());
        assert!(cx.notes().is_empty());
    }
}
