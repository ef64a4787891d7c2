//! `keywords:letter_frequency` — a letter appears fewer than / at least N times.

use serde_json::{Map, Value};

use crate::checks::keywords::frequency::{at_least_threshold, less_than_threshold};
use crate::checks::{
    kwargs_map, lowered_width, plural, Check, CheckInfo, DeriveContext, Example, Kwargs, Param,
    ParamKind, Relation, SpecError, Verdict,
};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The number of times the letter occurs in the lowercased response —
/// `collections.Counter(response.lower())[letter]`, counting code points after Python's full
/// lowercase mapping — compared with N: `count < N` ("less than") or `count >= N` ("at least").
/// Uppercase occurrences count (`A` counts for `a`), and so does anything that lowercases to the
/// letter (the Kelvin sign `K` counts for `k`; `İ` counts for `i`, as it lowercases to `i` plus a
/// combining dot).
///
/// # Parameters
/// `letter`: one character, stored as IFEval stores it (`.strip().lower()`); any character is
/// accepted, not only a–z (`#`, `!`), as in Google's 2026 code. `let_frequency` (N ≥ 0) and
/// `let_relation`.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"letter": "a", "let_frequency": 3, "let_relation": "at least"});
/// let c = Constraint::from_ifeval("keywords:letter_frequency", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("A banana")).passed());
/// assert!(!c.verify(&Analysis::new("An apple")).passed());
/// ```
///
/// # IFEval equivalence
/// Follows Google's 2026 code, which keeps a non a–z letter such as `#` literally; the 2025 code
/// (lm-eval, if-verifiable) replaced it with a random letter. An empty or multi-character `letter`
/// is refused (Google's code picks a random letter). So is a letter that does not stay one
/// character under `.strip().lower()` — a whitespace character or `İ`: Google's code then counts
/// an empty or two-character string, which never occurs, and its stored kwargs would not read
/// back.
///
/// # Derivation
/// One constraint on a letter a–z, its relation drawn from the rng:
/// - "at least": any letter the response uses, with a threshold at or below its count: rounded
///   down to tens and lowered by 0 to 20 (not below ten) for ten or more, else between half the
///   count and the count;
/// - "less than": one of the common letters `e t a o i n s h r` used 1 to 150 times, with the
///   threshold the next ten above the count plus 0 to 20, or one or two above a count
///   under ten. Rare letters, or counts in the hundreds, would make "less than" hold on nearly
///   every response; then "at least" is derived instead.
///
/// Counts are IFEval's, on the lowercased response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetterFrequency {
    /// The letter, lowercased.
    pub letter: char,
    /// The threshold N.
    pub let_frequency: i64,
    /// How the count compares with N.
    pub let_relation: Relation,
}

impl Check for LetterFrequency {
    const INFO: CheckInfo = CheckInfo {
        id: "keywords:letter_frequency",
        title: "Letter frequency",
        description: "The letter occurs less than, or at least, N times in the response, \
                      ignoring case. Any single character can be counted, including `#` or `!`.",
        divergence: Some(
            "Follows Google's 2026 code (a non a–z letter such as `#` is kept; older code \
             picked a random letter). An empty or multi-character letter, a whitespace \
             character and `İ` are refused: Google's code would pick a random letter or count \
             a string that never occurs.",
        ),
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "letter",
                doc: "the character to count",
                kind: ParamKind::Text { default: "a" },
            },
            Param {
                name: "let_relation",
                doc: "less than, or at least",
                kind: ParamKind::Relation,
            },
            Param {
                name: "let_frequency",
                doc: "the threshold N",
                kind: ParamKind::Count { min: 0, max: 200, default: 5 },
            },
        ],
        example: Example {
            kwargs: r##"{"letter": "#", "let_frequency": 2, "let_relation": "at least"}"##,
            pass: "#rust #wasm",
            fail: "#rust only",
        },
    };

    fn derive(text: &Analysis<'_>, cx: &mut DeriveContext<'_>) -> Vec<LetterFrequency> {
        let counts = letter_counts(text.text());
        let letter = |i: usize| char::from(b'a' + u8::try_from(i).unwrap_or(0));
        let mut derived = None;
        if cx.rng.chance(0.5) {
            let common: Vec<(char, usize)> = (0..26)
                .map(|i| (letter(i), counts.get(i).copied().unwrap_or(0)))
                .filter(|&(l, n)| "etaoinshr".contains(l) && (1..=150).contains(&n))
                .collect();
            if let Some(&(letter, n)) = cx.rng.pick(&common) {
                derived = Some(LetterFrequency {
                    letter,
                    let_frequency: less_than_threshold(n, &mut cx.rng),
                    let_relation: Relation::LessThan,
                });
            }
        }
        if derived.is_none() {
            let used: Vec<(char, usize)> = (0..26)
                .map(|i| (letter(i), counts.get(i).copied().unwrap_or(0)))
                .filter(|&(_, n)| n > 0)
                .collect();
            if let Some(&(letter, n)) = cx.rng.pick(&used) {
                derived = at_least_threshold(n, &mut cx.rng).map(|let_frequency| LetterFrequency {
                    letter,
                    let_frequency,
                    let_relation: Relation::AtLeast,
                });
            }
        }
        derived.into_iter().filter(|l| l.verify(text).passed()).collect()
    }

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<LetterFrequency, SpecError> {
        let raw = kw.string("letter")?;
        let mut chars = raw.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return Err(kw.invalid("letter", format!("must be one character, got {raw:?}")));
        };
        let lowered = pystr::lower(pystr::strip(raw));
        let mut low = lowered.chars();
        let letter = match (low.next(), low.next()) {
            (Some(l), None) => l,
            _ => {
                return Err(kw.invalid(
                    "letter",
                    format!("must stay one character when stripped and lowercased, got {c:?}"),
                ))
            }
        };
        Ok(LetterFrequency {
            letter,
            let_frequency: kw.int("let_frequency", 0)?,
            let_relation: kw.relation("let_relation")?,
        })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("letter", self.letter.to_string().into()),
            ("let_frequency", self.let_frequency.into()),
            ("let_relation", self.let_relation.as_str().into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let evidence = occurrences(text.text(), self.letter);
        let count = evidence.iter().map(|&(_, n)| n).sum::<usize>();
        let counted = format!("`{}` appears {}", self.letter, plural(count, "time", "times"));
        self.let_relation
            .verdict(count, self.let_frequency, &counted)
            .with_evidence(evidence.into_iter().map(|(s, _)| s).collect())
    }
}

/// `Counter(text.lower())` for the letters `a`..=`z`, in that order.
fn letter_counts(text: &str) -> [usize; 26] {
    let mut counts = [0; 26];
    let mut add = |b: u8| {
        if let Some(n) = b.checked_sub(b'a').and_then(|i| counts.get_mut(usize::from(i))) {
            *n += 1;
        }
    };
    if text.is_ascii() {
        text.bytes().for_each(|b| add(b.to_ascii_lowercase()));
    } else {
        // In UTF-8 an ASCII byte is always that character.
        pystr::lower(text).bytes().for_each(add);
    }
    counts
}

/// The characters of `text` whose part of `text.lower()` contains `letter`, with how many times.
///
/// Python's `str.lower()` maps every character to one character except `İ` (two: `i` and
/// U+0307), with `Σ` depending on its neighbours; so the lowered text is walked in step with the
/// original, and the counts add up to `Counter(text.lower())[letter]` exactly.
fn occurrences(text: &str, letter: char) -> Vec<(Span, usize)> {
    if text.is_ascii() || !pystr::lowers_from_non_ascii(letter) {
        // Only ASCII characters lower to `letter`, and in UTF-8 an ASCII byte is always that
        // character: no lowered copy of the text is needed.
        return text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| char::from(b.to_ascii_lowercase()) == letter)
            .map(|(i, _)| (Span::new(i, i + 1), 1))
            .collect();
    }
    let lowered = pystr::lower(text);
    let mut low = lowered.chars();
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        let n = low.by_ref().take(lowered_width(c)).filter(|&l| l == letter).count();
        if n > 0 {
            out.push((Span::new(i, i + c.len_utf8()), n));
        }
    }
    // Should the mapping ever produce more characters than assumed, count the rest too (the
    // count must equal Python's even if the evidence cannot place them).
    let rest = low.filter(|&l| l == letter).count();
    if rest > 0 {
        out.push((Span::new(text.len(), text.len()), rest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{letter_counts, LetterFrequency};
    use crate::checks::tests::{analysis, assert_fail, assert_pass, constraint, evidence, verify};
    use crate::checks::{Check, Constraint, DeriveContext, Relation};

    const ID: &str = "keywords:letter_frequency";

    fn kw(letter: &str, n: i64, relation: &str) -> String {
        serde_json::json!({"letter": letter, "let_frequency": n, "let_relation": relation})
            .to_string()
    }

    fn refused(letter: &str) -> bool {
        let kwargs: serde_json::Value = serde_json::from_str(&kw(letter, 1, "at least")).unwrap();
        Constraint::from_ifeval(ID, &kwargs).is_err()
    }

    #[test]
    fn counts_case_insensitively() {
        assert_pass(ID, &kw("a", 4, "at least"), "A banana");
        assert_fail(ID, &kw("a", 5, "at least"), "A banana");
        assert_pass(ID, &kw("A", 5, "less than"), "A banana");
        let text = "Abba";
        let v = verify(ID, &kw("a", 3, "at least"), text);
        assert_eq!(v.detail, "`a` appears 2 times; needs at least 3");
        assert_eq!(evidence(&v, text), ["A", "a"]);
    }

    #[test]
    fn hash_and_bang_are_kept_literally() {
        // Google 2026 (keys 1122 and 1129): no random replacement.
        assert_pass(ID, &kw("#", 4, "at least"), "# a\n## b\n# c");
        assert_fail(ID, &kw("!", 6, "at least"), "Wow! Great!");
    }

    #[test]
    fn counts_after_full_lowercasing() {
        // The Kelvin sign lowercases to `k`; `İ` lowercases to `i` + U+0307.
        assert_pass(ID, &kw("k", 2, "at least"), "k\u{212a}");
        assert_pass(ID, &kw("i", 1, "at least"), "İ");
        assert_pass(ID, &kw("\u{307}", 1, "at least"), "İ");
        // Final sigma: `Σ` at a word end lowercases to `ς`, elsewhere to `σ`.
        assert_pass(ID, &kw("ς", 1, "at least"), "ΟΔΟΣ");
        assert_fail(ID, &kw("σ", 1, "at least"), "ΟΔΟΣ");
        assert_pass(ID, &kw("σ", 1, "at least"), "ΣΑ");
    }

    #[test]
    fn empty_multi_char_and_vanishing_letters_are_refused() {
        assert!(refused(""));
        assert!(refused("ab"));
        assert!(refused(" a"));
        assert!(refused(" "));
        assert!(refused("İ"));
        let kwargs =
            serde_json::json!({"letter": "a", "let_frequency": -1, "let_relation": "at least"});
        assert!(Constraint::from_ifeval(ID, &kwargs).is_err());
    }

    #[test]
    fn letter_is_stored_lowercased() {
        let c = constraint(ID, &kw("Q", 1, "at least"));
        assert_eq!(c.kwargs()["letter"], "q");
    }

    #[test]
    fn letter_counts_follow_python_lowercasing() {
        let counts = letter_counts("Abba \u{212a}İ{");
        assert_eq!((counts[0], counts[1], counts[10], counts[8], counts[25]), (2, 2, 1, 1, 0));
    }

    fn derive(text: &str, seed: u64) -> Vec<LetterFrequency> {
        LetterFrequency::derive(&analysis(text), &mut DeriveContext::new("", seed))
    }

    #[test]
    fn derived_constraints_hold_with_both_relations() {
        let text = "The tide goes out and the crabs come in, sideways, quietly, every evening.";
        let mut relations = Vec::new();
        for seed in 0..40 {
            let derived = derive(text, seed);
            assert_eq!(derived, derive(text, seed), "deterministic per seed");
            let [l] = derived.as_slice() else { panic!("one constraint") };
            assert!(l.verify(&analysis(text)).passed(), "{l:?}");
            assert!(l.letter.is_ascii_lowercase());
            if l.let_relation == Relation::LessThan {
                assert!("etaoinshr".contains(l.letter), "{l:?}");
            } else {
                assert!(l.let_frequency >= 1);
            }
            relations.push(l.let_relation);
        }
        assert!(relations.contains(&Relation::AtLeast) && relations.contains(&Relation::LessThan));
    }

    #[test]
    fn nothing_derived_without_latin_letters() {
        assert!(derive("", 1).is_empty());
        assert!(derive("123 !?", 1).is_empty());
        assert!(derive("हिन्दी में लिखा", 2).is_empty());
    }
}
