//! `keywords:frequency` — a keyword appears fewer than / at least N times.

use serde_json::{Map, Value};

use crate::checks::pattern::{FoldedText, PyPattern};
use crate::checks::{
    plural, Check, CheckInfo, Example, Kwargs, Param, ParamKind, Relation, SpecError, Verdict,
};
use crate::text::{pystr, Analysis};

/// # What it checks
/// The number of occurrences of the keyword, `len(re.findall(keyword, response, re.IGNORECASE))`,
/// compared with N: `count < N` ("less than") or `count >= N` ("at least"). Occurrences are
/// non-overlapping, case-insensitive **substrings** (no word boundary): `war` is counted in
/// `software`. The keyword is a Python regular expression, as in IFEval (see
/// [`crate::checks::pattern`]).
///
/// # Parameters
/// `keyword` (stripped of surrounding whitespace, as IFEval stores it), `frequency` (N ≥ 0) and
/// `relation`.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"keyword": "story", "frequency": 2, "relation": "at least"});
/// let c = Constraint::from_ifeval("keywords:frequency", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("A Story of storytellers.")).passed());
/// assert!(!c.verify(&Analysis::new("One story.")).passed());
/// ```
///
/// # IFEval equivalence
/// Exact for keywords made of plain characters (all of IFEval's). A keyword that is empty after
/// stripping is refused: Google's code picks a random keyword for an empty one, so the stored
/// kwargs of such a constraint would not read back to the same constraint; for a whitespace-only
/// one it counts the empty matches of `""` (one more than the response's length).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frequency {
    /// The keyword pattern (stripped).
    pub keyword: PyPattern,
    /// The threshold N.
    pub frequency: i64,
    /// How the count compares with N.
    pub relation: Relation,
}

impl Check for Frequency {
    const INFO: CheckInfo = CheckInfo {
        id: "keywords:frequency",
        title: "Keyword frequency",
        description: "The keyword occurs less than, or at least, N times, ignoring case. \
                      Occurrences may be inside longer words (`war` counts in `software`). The \
                      keyword is a Python regular expression, as in IFEval.",
        divergence: Some(
            "A keyword that is empty after stripping is refused; Google's code would pick a \
             random keyword (or, for a whitespace-only one, count empty matches).",
        ),
        params: &[
            Param {
                name: "keyword",
                doc: "the keyword to count",
                kind: ParamKind::Text { default: "keyword" },
            },
            Param { name: "relation", doc: "less than, or at least", kind: ParamKind::Relation },
            Param {
                name: "frequency",
                doc: "the threshold N",
                kind: ParamKind::Count { min: 0, max: 100, default: 2 },
            },
        ],
        example: Example {
            kwargs: r#"{"keyword": "peace", "frequency": 2, "relation": "at least"}"#,
            pass: "Peace at home, peace in the world.",
            fail: "War and peace.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Frequency, SpecError> {
        let keyword = pystr::strip(kw.string("keyword")?);
        if keyword.is_empty() {
            return Err(kw.invalid("keyword", "must not be empty"));
        }
        Ok(Frequency {
            keyword: PyPattern::new(keyword),
            frequency: kw.int("frequency", 0)?,
            relation: kw.relation("relation")?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("keyword".to_owned(), self.keyword.source().into());
        m.insert("frequency".to_owned(), self.frequency.into());
        m.insert("relation".to_owned(), self.relation.as_str().into());
        m
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let matches = match self.keyword.find_all(&FoldedText::new(text.text())) {
            Ok(m) => m,
            Err(e) => return Verdict::invalid(e),
        };
        let counted =
            format!("`{}` appears {}", self.keyword, plural(matches.len(), "time", "times"));
        self.relation.verdict(matches.len(), self.frequency, &counted).with_evidence(matches)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, constraint, evidence, verify};
    use crate::checks::Constraint;

    const ID: &str = "keywords:frequency";

    fn kw(keyword: &str, n: i64, relation: &str) -> String {
        serde_json::json!({"keyword": keyword, "frequency": n, "relation": relation}).to_string()
    }

    #[test]
    fn counts_with_relation() {
        assert_pass(ID, &kw("war", 2, "at least"), "War, war.");
        assert_fail(ID, &kw("war", 3, "at least"), "War, war.");
        assert_pass(ID, &kw("war", 3, "less than"), "War, war.");
        assert_fail(ID, &kw("war", 2, "less than"), "War, war.");
        let text = "War, war.";
        let v = verify(ID, &kw("war", 3, "at least"), text);
        assert_eq!(v.detail, "`war` appears 2 times; needs at least 3");
        assert_eq!(evidence(&v, text), ["War", "war"]);
    }

    #[test]
    fn substrings_count_war_in_software() {
        assert_pass(ID, &kw("war", 2, "at least"), "software warfare");
    }

    #[test]
    fn occurrences_do_not_overlap() {
        assert_pass(ID, &kw("aa", 3, "less than"), "aaaaa");
        assert_fail(ID, &kw("aa", 3, "at least"), "aaaaa");
    }

    #[test]
    fn keyword_is_stripped_and_must_not_be_empty() {
        let c = constraint(ID, &kw("  peace \n", 1, "at least"));
        assert_eq!(c.kwargs()["keyword"], "peace");
        for bad in ["", "   "] {
            let kwargs: serde_json::Value = serde_json::from_str(&kw(bad, 1, "at least")).unwrap();
            assert!(Constraint::from_ifeval(ID, &kwargs).is_err());
        }
        let kwargs: serde_json::Value = serde_json::from_str(&kw("a", -1, "at least")).unwrap();
        assert!(Constraint::from_ifeval(ID, &kwargs).is_err());
    }

    #[test]
    fn zero_threshold() {
        assert_pass(ID, &kw("x", 0, "at least"), "");
        assert_fail(ID, &kw("x", 0, "less than"), "");
    }
}
