//! `count:conjunctions` — at least N different coordinating conjunctions (IFBench).

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// The coordinating conjunctions IFBench counts (FANBOYS).
pub const CONJUNCTIONS: [&str; 7] = ["and", "but", "for", "nor", "or", "so", "yet"];

/// # What it checks
/// Among the whitespace-separated words (`str.split()`), those that are a coordinating
/// conjunction (`and`, `but`, `for`, `nor`, `or`, `so`, `yet`) once ASCII punctuation is
/// stripped from their ends and they are lowercased; IFBench then counts the distinct words *as
/// written*, so `And`, `and` and `and,` are three, while `and` twice is one. The count must be
/// at least `small_n`.
///
/// # Parameters
/// `small_n` (a whole number ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("count:conjunctions", &serde_json::json!({"small_n": 3.0}))
///     .unwrap();
/// assert!(c.verify(&Analysis::new("Tea or coffee, but not both, so choose.")).passed());
/// assert!(!c.verify(&Analysis::new("Bread and butter and jam.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `ConjunctionCountChecker` (unchanged since the first release), including
/// its counting of spellings rather than conjunctions. The evidence spans are each counted
/// spelling's first occurrence.
///
/// # Derivation
/// From a response using at least 2 different conjunctions: "at least N", N being the number of
/// different conjunctions it uses (compared lowercased and stripped, so never more than IFBench
/// counts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conjunctions {
    /// The fewest different conjunctions allowed.
    pub small_n: i64,
}

impl Check for Conjunctions {
    const INFO: CheckInfo = CheckInfo {
        id: "count:conjunctions",
        title: "Different coordinating conjunctions",
        description: "The response uses at least `small_n` different coordinating conjunctions \
                      (and, but, for, nor, or, so, yet). As in IFBench, words are split on \
                      whitespace and compared as written: `And`, `and` and `and,` count as \
                      three.",
        divergence: Some(
            "IFBench picks a random `small_n` when it is missing; here it must be given.",
        ),
        needs: &[],
        derives: true,
        params: &[Param {
            name: "small_n",
            doc: "the fewest different conjunctions allowed",
            kind: ParamKind::Count { min: 0, max: 7, default: 3 },
        }],
        example: Example {
            kwargs: r#"{"small_n": 3}"#,
            pass: "Tea or coffee, but not both, so choose.",
            fail: "Bread and butter and jam.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Conjunctions, SpecError> {
        Ok(Conjunctions { small_n: kw.int("small_n", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("small_n", self.small_n.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let mut seen = HashSet::new();
        let firsts: Vec<Span> = conjunctions(s).filter(|w| seen.insert(w.slice(s))).collect();
        let count = i64::try_from(firsts.len()).unwrap_or(i64::MAX);
        Verdict::from_bool(
            count >= self.small_n,
            format!(
                "{} as written; needs at least {}",
                plural(firsts.len(), "different conjunction", "different conjunctions"),
                self.small_n
            ),
        )
        .with_evidence(firsts)
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<Conjunctions> {
        let s = text.text();
        let distinct: HashSet<String> =
            conjunctions(s).map(|w| pystr::lower(pystr::strip_punctuation(w.slice(s)))).collect();
        if distinct.len() < 2 {
            return Vec::new();
        }
        vec![Conjunctions { small_n: distinct.len() as i64 }]
    }
}

/// The words of `s` that IFBench takes for conjunctions, in order (repeats included).
fn conjunctions(s: &str) -> impl Iterator<Item = Span> + '_ {
    pystr::split_whitespace(s).filter(move |w| {
        let stripped = pystr::strip_punctuation(w.slice(s));
        // Every conjunction is short ASCII; `lower` may only lengthen a word.
        stripped.len() <= 3 && CONJUNCTIONS.contains(&pystr::lower(stripped).as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "count:conjunctions";

    #[test]
    fn distinct_spellings_count() {
        let text = "And so, and SO... (yet) and";
        let v = verify(ID, r#"{"small_n": 5}"#, text);
        assert_eq!(v.detail, "5 different conjunctions as written; needs at least 5");
        assert_eq!(evidence(&v, text), ["And", "so,", "and", "SO...", "(yet)"]);
        assert_fail(ID, r#"{"small_n": 6}"#, text);
        // Inner punctuation or a suffix makes another word.
        assert_fail(ID, r#"{"small_n": 1}"#, "and/or nor'easter sofa");
        assert_pass(ID, r#"{"small_n": 0}"#, "");
    }

    #[test]
    fn derive_counts_conjunctions_not_spellings() {
        let d = |t: &str| Conjunctions::derive(&analysis(t), &mut DeriveContext::new("", 0));
        assert_eq!(d("And so, and SO, but yes."), [Conjunctions { small_n: 3 }]);
        assert!(d("Bread and butter, AND jam.").is_empty());
        let t = "Cats or dogs, but not both.";
        assert!(d(t)[0].verify(&analysis(t)).passed());
    }
}
