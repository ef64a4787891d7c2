//! `keywords:existence` — every keyword appears somewhere in the response.

use serde_json::{Map, Value};

use crate::checks::keywords::{list_kwargs, sorted_list};
use crate::checks::kwargs::quoted_list;
use crate::checks::pattern::{FoldedText, PyPattern};
use crate::checks::{Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict};
use crate::text::{Analysis, Span};

/// # What it checks
/// Every keyword occurs in the response: `re.search(keyword, response, re.IGNORECASE)` finds it.
/// This is a case-insensitive **substring** search, not a whole-word one: `cat` is found in
/// `concatenate`. Keywords are Python regular expressions, as in IFEval (see
/// [`crate::checks::pattern`]).
///
/// # Parameters
/// `keywords`: a non-empty list of strings. IFEval keeps them sorted, and so does
/// [`Check::kwargs`].
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"keywords": ["mom", "mother"]});
/// let c = Constraint::from_ifeval("keywords:existence", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("My Mother is a mom.")).passed());
/// assert!(!c.verify(&Analysis::new("My mom.")).passed());
/// ```
///
/// # IFEval equivalence
/// Exact for every keyword made of plain characters (all of IFEval's). An empty list is refused
/// (Google's code would pick random keywords).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Existence {
    /// The keyword patterns, sorted.
    pub keywords: Vec<PyPattern>,
}

impl Check for Existence {
    const INFO: CheckInfo = CheckInfo {
        id: "keywords:existence",
        title: "Include keywords",
        description: "Every keyword occurs in the response, ignoring case. A keyword may occur \
                      inside a longer word: `cat` is found in `concatenate`. Keywords are Python \
                      regular expressions, as in IFEval.",
        divergence: None,
        params: &[Param {
            name: "keywords",
            doc: "the keywords that must all appear",
            kind: ParamKind::TextList { default: &["keyword"] },
        }],
        example: Example {
            kwargs: r#"{"keywords": ["mom", "mother"]}"#,
            pass: "A haiku for Mother: my mom knows best.",
            fail: "A haiku for my mom.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Existence, SpecError> {
        let keywords = sorted_list(kw, "keywords", "keyword")?;
        Ok(Existence { keywords: keywords.iter().map(|k| PyPattern::new(k)).collect() })
    }

    fn kwargs(&self) -> Map<String, Value> {
        list_kwargs("keywords", self.keywords.iter().map(PyPattern::source))
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let folded = FoldedText::new(text.text());
        let mut evidence: Vec<Span> = Vec::new();
        let mut missing: Vec<&str> = Vec::new();
        for keyword in &self.keywords {
            match keyword.search(&folded) {
                Err(e) => return Verdict::invalid(e),
                Ok(Some(span)) => evidence.push(span),
                Ok(None) => missing.push(keyword.source()),
            }
        }
        evidence.sort_unstable();
        let verdict = if missing.is_empty() {
            Verdict::pass(if self.keywords.len() == 1 {
                format!("found `{}`", self.keywords.first().map_or("", |k| k.source()))
            } else {
                format!("found all {} keywords", self.keywords.len())
            })
        } else {
            Verdict::fail(format!("missing {}", quoted_list(&missing)))
        };
        verdict.with_evidence(evidence)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, constraint, evidence, verify};
    use crate::checks::Status;

    const ID: &str = "keywords:existence";

    #[test]
    fn every_keyword_must_appear() {
        let kw = r#"{"keywords": ["mother", "mom"]}"#;
        assert_pass(ID, kw, "mom and MOTHER");
        assert_fail(ID, kw, "mom only");
        let v = verify(ID, kw, "mom only");
        assert_eq!(v.detail, "missing `mother`");
        let text = "Mother, then mom";
        assert_eq!(evidence(&verify(ID, kw, text), text), ["Mother", "mom"]);
    }

    #[test]
    fn cat_matches_concatenate() {
        assert_pass(ID, r#"{"keywords": ["cat"]}"#, "concatenate");
    }

    #[test]
    fn case_insensitive() {
        assert_pass(ID, r#"{"keywords": ["argentinian"]}"#, "ARGENTINIAN beef");
    }

    #[test]
    fn keywords_are_regexes() {
        // Unescaped, as in Google's code: `.` matches any character.
        assert_pass(ID, r#"{"keywords": ["a.c"]}"#, "abc");
        assert_pass(ID, r#"{"keywords": ["colou?r"]}"#, "Color");
        let v = verify(ID, r#"{"keywords": ["(?<=a)b"]}"#, "ab");
        assert_eq!(v.status, Status::Invalid);
    }

    #[test]
    fn keywords_are_stored_sorted_and_the_list_must_not_be_empty() {
        let c = constraint(ID, r#"{"keywords": ["b", "a"]}"#);
        assert_eq!(c.kwargs()["keywords"], serde_json::json!(["a", "b"]));
        let err = crate::checks::Constraint::from_ifeval(ID, &serde_json::json!({"keywords": []}));
        assert!(err.is_err());
    }
}
