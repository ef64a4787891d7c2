//! `count:keywords_multiple` — five keywords, appearing 1, 2, 3, 5 and 7 times (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::pystr::{self, Lowered};
use crate::text::{Analysis, Span};

/// How often each keyword must occur, in order.
const TIMES: [usize; 5] = [1, 2, 3, 5, 7];

/// The kwargs names of the keywords, in order.
const NAMES: [&str; 5] = ["keyword1", "keyword2", "keyword3", "keyword4", "keyword5"];

/// # What it checks
/// `keyword1` occurs exactly once, `keyword2` twice, `keyword3` three times, `keyword4` five
/// times and `keyword5` seven times, counted as IFBench counts them:
/// `value.lower().count(keyword.lower())`, non-overlapping *substrings* (so `cat` is counted
/// in `concatenate`), after stripping each keyword of surrounding whitespace.
///
/// # Parameters
/// `keyword1` … `keyword5` (text).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kw = serde_json::json!({"keyword1": "a", "keyword2": "b", "keyword3": "c",
///                              "keyword4": "d", "keyword5": "e"});
/// let c = Constraint::from_ifeval("count:keywords_multiple", &kw).unwrap();
/// assert!(c.verify(&Analysis::new("A bb ccc ddddd eeeeeee")).passed());
/// assert!(!c.verify(&Analysis::new("A bb ccc dddd eeeeeee")).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `KeywordsMultipleChecker`, substring counting included (evalscope PR #1755 complains
/// of it; HEAD keeps it).
///
/// # Derivation
/// None: natural text almost never holds five words at exactly 1, 2, 3, 5 and 7 occurrences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeywordsMultiple {
    /// The five keywords, stripped, in order.
    pub keywords: [String; 5],
}

impl Check for KeywordsMultiple {
    const INFO: CheckInfo = CheckInfo {
        id: "count:keywords_multiple",
        title: "Five keywords, 1/2/3/5/7 times",
        description: "`keyword1` appears exactly once, `keyword2` twice, `keyword3` three \
                      times, `keyword4` five times and `keyword5` seven times. Counting ignores \
                      case and counts substrings (`cat` in `concatenate`), non-overlapping.",
        divergence: Some(
            "IFBench picks random keywords when they are missing; here all five must be given.",
        ),
        needs: &[],
        derives: false,
        params: &[
            Param {
                name: "keyword1",
                doc: "appears once",
                kind: ParamKind::Text { default: "river" },
            },
            Param {
                name: "keyword2",
                doc: "appears twice",
                kind: ParamKind::Text { default: "stone" },
            },
            Param {
                name: "keyword3",
                doc: "appears three times",
                kind: ParamKind::Text { default: "light" },
            },
            Param {
                name: "keyword4",
                doc: "appears five times",
                kind: ParamKind::Text { default: "wind" },
            },
            Param {
                name: "keyword5",
                doc: "appears seven times",
                kind: ParamKind::Text { default: "sky" },
            },
        ],
        example: Example {
            kwargs: r#"{"keyword1": "a", "keyword2": "b", "keyword3": "c", "keyword4": "d", "keyword5": "e"}"#,
            pass: "A bb ccc ddddd eeeeeee",
            fail: "A bb ccc dddd eeeeeee",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<KeywordsMultiple, SpecError> {
        let mut keywords: [String; 5] = Default::default();
        for (slot, name) in keywords.iter_mut().zip(NAMES) {
            *slot = pystr::strip(kw.string(name)?).to_owned();
        }
        Ok(KeywordsMultiple { keywords })
    }

    fn kwargs(&self) -> Map<String, Value> {
        let [a, b, c, d, e] = self.keywords.clone();
        kwargs_map([
            ("keyword1", a.into()),
            ("keyword2", b.into()),
            ("keyword3", c.into()),
            ("keyword4", d.into()),
            ("keyword5", e.into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let lowered = Lowered::new(text.text());
        let mut evidence = Vec::new();
        let mut wrong = Vec::new();
        let mut counts = Vec::new();
        for (keyword, times) in self.keywords.iter().zip(TIMES) {
            let needle = pystr::lower(keyword);
            let found: Vec<Span> = if needle.is_empty() {
                Vec::new()
            } else {
                lowered
                    .text
                    .match_indices(needle.as_str())
                    .map(|(at, m)| lowered.original_span(Span::new(at, at + m.len())))
                    .collect()
            };
            // Python's `s.count("")` is the number of code points plus one.
            let count =
                if needle.is_empty() { lowered.text.chars().count() + 1 } else { found.len() };
            counts.push(format!("`{keyword}` {count}/{times}"));
            if count != times {
                wrong.push(keyword.as_str());
            }
            evidence.extend(found);
        }
        evidence.sort_by_key(|s| (s.start, s.end));
        Verdict::from_bool(wrong.is_empty(), counts.join(", ")).with_evidence(evidence)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "count:keywords_multiple";
    const KW: &str = r#"{"keyword1": " Cat ", "keyword2": "dog", "keyword3": "ox", "keyword4": "hen", "keyword5": "eel"}"#;

    fn text(cat: usize) -> String {
        format!(
            "{}{}{}{}{}",
            "cat ".repeat(cat),
            "dog ".repeat(2),
            "ox ".repeat(3),
            "hen ".repeat(5),
            "eel ".repeat(7)
        )
    }

    #[test]
    fn counts_lowercased_substrings_exactly() {
        assert_pass(ID, KW, &text(1));
        assert_fail(ID, KW, &text(2));
        assert_fail(ID, KW, &text(0));
        // A substring counts: `concatenate` holds `cat`.
        assert_pass(ID, KW, &text(0).replace("dog dog", "CONCATENATE dog dog"));
        let t = text(1).to_uppercase();
        let v = verify(ID, KW, &t);
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(evidence(&v, &t).first(), Some(&"CAT"));
    }

    #[test]
    fn non_overlapping_counts() {
        // `aaaa` holds `aa` twice (non-overlapping), as Python's str.count.
        let kw = r#"{"keyword1": "x", "keyword2": "aa", "keyword3": "y", "keyword4": "z", "keyword5": "w"}"#;
        let t = format!("x aaaa {} {} {}", "y ".repeat(3), "z ".repeat(5), "w ".repeat(7));
        assert_pass(ID, kw, &t);
    }
}
