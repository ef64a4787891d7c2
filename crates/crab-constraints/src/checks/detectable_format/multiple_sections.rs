//! `detectable_format:multiple_sections` — at least N sections marked `SECTION 1`, `SECTION 2`, …

use serde_json::{Map, Value};

use crate::checks::keywords::existence::is_stopword;
use crate::checks::{
    kwargs_map, plural, strip_span, Check, CheckInfo, DeriveContext, Example, Kwargs, Param,
    ParamKind, SpecError, Verdict,
};
use crate::text::pyre::{Flags, Regex};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// The response splits into more than N parts at section markers. IFEval computes
/// `len(re.split(r"\s?" + spliter + r"\s?\d+\s?", value)) - 1`, i.e. the number of markers: the
/// splitter word (case-sensitive, anywhere, even inside a word) followed by an optional space and
/// a number. `SECTION X` or Roman numerals are not markers; `Section 1` in the middle of a
/// sentence is.
///
/// # Parameters
/// `section_spliter` (the marker word, e.g. `SECTION`; surrounding whitespace is stripped) and
/// `num_sections` (N ≥ 0).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"section_spliter": "SECTION", "num_sections": 2});
/// let c = Constraint::from_ifeval("detectable_format:multiple_sections", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("SECTION 1\nShell.\nSECTION 2\nClaws.")).passed());
/// assert!(!c.verify(&Analysis::new("SECTION 1\nShell.\nSection 2\nClaws.")).passed());
/// ```
///
/// # IFEval equivalence
/// The splitter is spliced into the pattern unescaped, as in IFEval, and read with Python's
/// regular-expression syntax (`.` is any character, `|` splits the whole pattern, capturing
/// groups add their own entries to `re.split`'s result and so count again), and run with
/// Python's `re` semantics ([`crate::text::pyre`]), empty matches included. Python syntax
/// errors, where IFEval itself raises, give an invalid verdict.
///
/// # Derivation
/// Looks for the section markers the response really uses: lines that start (after spaces and
/// markdown `#`, `*`, `_`, `>`) with a word of ASCII letters (not a stopword such as `The`), an
/// optional space and a number up to 100 not followed by a letter or digit — `SECTION 1`,
/// `Day 2:`, `**Part 3**`. Among the words numbered from 1 (used with both 1 and 2), the one with
/// the most distinct numbers becomes the splitter, case as written, and N is the number of lines
/// it starts.
#[derive(Clone, Debug)]
pub struct MultipleSections {
    /// The section marker word, stripped.
    pub section_spliter: String,
    /// The minimum number of sections N.
    pub num_sections: i64,
    /// IFEval's pattern for the splitter, compiled once, or why it cannot be.
    regex: Result<Regex, String>,
}

impl PartialEq for MultipleSections {
    fn eq(&self, other: &MultipleSections) -> bool {
        self.section_spliter == other.section_spliter && self.num_sections == other.num_sections
    }
}

impl MultipleSections {
    /// Builds the constraint; `section_spliter` is stripped as IFEval does.
    pub fn new(section_spliter: &str, num_sections: i64) -> MultipleSections {
        let section_spliter = pystr::strip(section_spliter).to_owned();
        let pattern = format!(r"\s?{section_spliter}\s?\d+\s?");
        let regex = Regex::new(&pattern, Flags::default()).map_err(|e| e.to_string());
        MultipleSections { section_spliter, num_sections, regex }
    }
}

impl Check for MultipleSections {
    const INFO: CheckInfo = CheckInfo {
        id: "detectable_format:multiple_sections",
        title: "Numbered sections",
        description: "The response has at least N sections, each starting with the marker word \
                      and a number, e.g. `SECTION 1`. IFEval counts every occurrence of the word \
                      (case-sensitive) followed by an optional space and digits, anywhere in the \
                      text.",
        divergence: Some(
            "The marker is a Python regular expression, spliced in unescaped as in IFEval. A \
             marker that makes the pattern backtrack for millions of steps is reported as \
             invalid (Python would take very long there).",
        ),
        needs: &[],
        derives: true,
        params: &[
            Param {
                name: "section_spliter",
                doc: "the marker word that starts each section, e.g. SECTION",
                kind: ParamKind::Text { default: "SECTION" },
            },
            Param {
                name: "num_sections",
                doc: "the minimum number of sections N",
                kind: ParamKind::Count { min: 0, max: 20, default: 3 },
            },
        ],
        example: Example {
            kwargs: r#"{"section_spliter": "Section", "num_sections": 2}"#,
            pass: "Section 1\nThe shell.\n\nSection 2\nThe claws.",
            fail: "Section one\nThe shell.\n\nSection two\nThe claws.",
        },
    };

    fn derive(text: &Analysis<'_>, _: &mut DeriveContext<'_>) -> Vec<MultipleSections> {
        // (word, numbers in order of use), by first use.
        let mut words: Vec<(&str, Vec<u32>)> = Vec::new();
        for (word, number) in line_markers(text.text()) {
            match words.iter_mut().find(|(w, _)| *w == word) {
                Some((_, numbers)) => numbers.push(number),
                None => words.push((word, vec![number])),
            }
        }
        let distinct = |numbers: &[u32]| {
            let mut sorted = numbers.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            sorted.len()
        };
        // Numbered from 1 (`exit 0`/`exit 1` in code is no section list); the most distinct
        // numbers wins, on a tie the word used first.
        let mut best: Option<(usize, &str, usize)> = None;
        for (word, numbers) in &words {
            let n = distinct(numbers);
            if numbers.contains(&1) && numbers.contains(&2) && best.is_none_or(|b| n > b.0) {
                best = Some((n, word, numbers.len()));
            }
        }
        let Some((_, word, lines)) = best else {
            return Vec::new();
        };
        let derived = MultipleSections::new(word, i64::try_from(lines).unwrap_or(i64::MAX));
        if derived.verify(text).passed() {
            vec![derived]
        } else {
            Vec::new()
        }
    }

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<MultipleSections, SpecError> {
        Ok(MultipleSections::new(kw.string("section_spliter")?, kw.int("num_sections", 0)?))
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([
            ("section_spliter", self.section_spliter.clone().into()),
            ("num_sections", self.num_sections.into()),
        ])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let regex = match &self.regex {
            Ok(regex) => regex,
            Err(e) => return Verdict::invalid(format!("section_spliter: {e}")),
        };
        let text = text.text();
        // Native builds only: the web app keeps its download small (it verifies one response at
        // a time, and the engine gives the same matches).
        let markers = if cfg!(not(target_arch = "wasm32")) && is_literal(&self.section_spliter) {
            literal_matches(text, &self.section_spliter)
        } else {
            match regex.find_iter(text) {
                Ok(markers) => markers,
                Err(e) => return Verdict::invalid(format!("section_spliter: {e}")),
            }
        };
        // `re.split` returns one part more than there are matches, plus every group per match.
        let groups = regex.groups();
        let sections = markers.len().saturating_mul(1 + groups);
        let ok = i64::try_from(sections).unwrap_or(i64::MAX) >= self.num_sections;
        let detail = format!(
            "{} `{} <number>`; needs at least {}",
            plural(sections, "section marker", "section markers"),
            self.section_spliter,
            self.num_sections
        );
        // Show each marker without the optional spaces around it.
        let evidence = markers.into_iter().map(|m| strip_span(text, m)).collect();
        Verdict::from_bool(ok, detail).with_evidence(evidence)
    }
}

/// Whether the (stripped) splitter is plain text in a Python pattern: not empty, and no
/// character in it has a meaning there.
fn is_literal(spliter: &str) -> bool {
    !spliter.is_empty() && !spliter.contains(|c| r".^$*+?{}[]\|()".contains(c))
}

/// The matches of IFEval's `\s?` + `spliter` + `\s?\d+\s?`, for a [literal](is_literal)
/// splitter: what `Regex::find_iter` gives, found by hand.
///
/// Why: markers are searched in every response with the constraint, and again in the seven
/// loose candidates of one that fails; the regex engine tries the pattern at each character,
/// this jumps from one occurrence of the splitter to the next. The pattern leaves no choice to
/// undo: the splitter starts with a character that is not whitespace (it is stripped), so a
/// match starts at the splitter or at the whitespace character just before it (not before the
/// previous match's end), and each `\s?` takes a whitespace character exactly when there is one.
/// A test compares this with the engine on many texts.
fn literal_matches(text: &str, spliter: &str) -> Vec<Span> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text.get(from..).and_then(|rest| rest.find(spliter)).map(|i| from + i) {
        let after = at + spliter.len();
        let Some(end) = number_end(text, after) else {
            from = at + text.get(at..).and_then(|t| t.chars().next()).map_or(1, char::len_utf8);
            continue;
        };
        let before = text.get(from..at).and_then(|b| b.chars().next_back());
        let start = match before {
            Some(c) if pystr::is_space(c) => at - c.len_utf8(),
            _ => at,
        };
        found.push(Span::new(start, end));
        from = end;
    }
    found
}

/// Where `\s?\d+\s?` matching at `at` ends, if it does.
fn number_end(text: &str, at: usize) -> Option<usize> {
    let i = at + pystr::space_len_at(text, at);
    let digits = text.get(i..)?.chars().take_while(|&c| pystr::is_decimal(c));
    let len: usize = digits.map(char::len_utf8).sum();
    if len == 0 {
        return None;
    }
    Some(i + len + pystr::space_len_at(text, i + len))
}

/// The section markers at line starts, `(word, number)`, in order (see the derivation docs).
fn line_markers(text: &str) -> impl Iterator<Item = (&str, u32)> + '_ {
    text.split('\n').filter_map(|line| {
        let rest = line.trim_start_matches(|c| pystr::is_space(c) || "#*_>".contains(c));
        let word_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let word = rest.get(..word_len).filter(|w| (2..=20).contains(&w.len()))?;
        if is_stopword(&word.to_ascii_lowercase()) {
            return None;
        }
        let after = rest.get(word_len..)?;
        let after = after.strip_prefix(' ').unwrap_or(after);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let number: u32 =
            after.get(..digits).filter(|d| (1..=3).contains(&d.len()))?.parse().ok()?;
        let next = after.get(digits..).and_then(|r| r.chars().next());
        (number <= 100 && !next.is_some_and(char::is_alphanumeric)).then_some((word, number))
    })
}

#[cfg(test)]
mod tests {
    use super::{is_literal, literal_matches, MultipleSections};
    use crate::checks::tests::{
        analysis, assert_fail, assert_pass, evidence, random_texts, verify,
    };
    use crate::checks::{Check, DeriveContext, Status};

    const ID: &str = "detectable_format:multiple_sections";

    fn kw(spliter: &str, n: i64) -> String {
        serde_json::json!({"section_spliter": spliter, "num_sections": n}).to_string()
    }

    /// The hand-made search gives exactly the regex engine's matches for plain splitters, on
    /// crafted texts and on 20,000 random ones made of the pieces that matter (Unicode and ASCII
    /// whitespace and digits, the splitter, parts of it).
    #[test]
    fn literal_splitters_match_as_the_regex_engine() {
        assert!(is_literal("SECTION") && is_literal("Part X") && is_literal("Día"));
        assert!(!is_literal("") && !is_literal("S.") && !is_literal("(a)") && !is_literal("a|b"));
        let crafted = [
            "",
            "SECTION 1",
            "SECTION1 SECTION 2\nSECTION  3 SECTION\u{a0}٣\u{a0}x",
            "SECTION SECTION 12 SECTIONSECTION 4",
            " SECTION 1 SECTION 2",
            "SECTION X 1",
        ];
        for spliter in ["SECTION", "Day", "Part X", "aa"] {
            let check = MultipleSections::new(spliter, 1);
            let regex = check.regex.as_ref().unwrap();
            let pieces = [
                " ", "\t", "\n", "\u{a0}", "\u{2028}", "1", "42", "٣", "x", "é", "a", "SECTION",
                "SECT", "Day", "Part", "X", spliter,
            ];
            let random = random_texts(&pieces, 5_000, 16);
            let mut matched = 0;
            for text in crafted.iter().copied().chain(random.iter().map(String::as_str)) {
                let want = regex.find_iter(text).unwrap();
                assert_eq!(literal_matches(text, spliter), want, "{spliter:?} in {text:?}");
                matched += usize::from(!want.is_empty());
            }
            assert!(matched > 200, "{matched} texts with a match for {spliter:?}");
        }
    }

    #[test]
    fn counts_markers_with_numbers() {
        let text = "SECTION 1\na\nSECTION 2\nb";
        let v = verify(ID, &kw("SECTION", 2), text);
        assert_eq!(v.detail, "2 section markers `SECTION <number>`; needs at least 2");
        assert_eq!(evidence(&v, text), ["SECTION 1", "SECTION 2"]);
        assert_fail(ID, &kw("SECTION", 3), text);
        assert_pass(ID, &kw(" SECTION\n", 2), text);
    }

    #[test]
    fn case_sensitive_and_needs_digits() {
        assert_fail(ID, &kw("Section", 1), "SECTION 1");
        assert_fail(ID, &kw("SECTION", 1), "SECTION X\nSECTION IV");
        assert_pass(ID, &kw("SECTION", 1), "SECTION12");
        // Python's \d is any decimal digit, \s any Python space.
        assert_pass(ID, &kw("SECTION", 1), "SECTION\u{1c}\u{0663}");
        assert_fail(ID, &kw("SECTION", 1), "SECTION\u{200b}1");
        assert_fail(ID, &kw("SECTION", 1), "SECTION  1");
    }

    #[test]
    fn matches_anywhere() {
        assert_pass(ID, &kw("Day", 2), "ToDay 1 and MonDay 2");
        assert_pass(ID, &kw("Section", 1), "as said in Section 3, crabs walk sideways");
    }

    #[test]
    fn spliter_is_an_unescaped_python_regex() {
        // `.` is a wildcard, `|` splits the whole pattern.
        assert_pass(ID, &kw("P.RT", 1), "PART 1");
        assert_fail(ID, &kw("A|B", 2), "A B");
        assert_pass(ID, &kw("A|B", 2), "A B1");
        // A capturing group adds one more entry per match to re.split's result.
        assert_pass(ID, &kw("(S)ECTION", 2), "SECTION 1");
        assert_fail(ID, &kw("(?:S)ECTION", 2), "SECTION 1");
    }

    #[test]
    fn bad_spliters_are_invalid() {
        assert_eq!(verify(ID, &kw("*", 1), "* 1").status, Status::Invalid);
        assert_eq!(verify(ID, &kw("(", 1), "( 1").status, Status::Invalid);
        assert_eq!(verify(ID, &kw("(?<=x+)S", 1), "S 1").status, Status::Invalid);
    }

    #[test]
    fn python_only_syntax_and_empty_matches_follow_python() {
        // Lookbehind, `\b`, scoped flags, backreferences and `$` run as in Python.
        assert_pass(ID, &kw("(?<=x)S", 1), "xS 1");
        assert_fail(ID, &kw("(?<=x)S", 1), "S 1");
        assert_pass(ID, &kw("\\bS", 1), "S 1");
        assert_fail(ID, &kw("\\bS", 1), "xS 1");
        assert_pass(ID, &kw("(?i:s)", 2), "S 1 s 2");
        assert_pass(ID, &kw("(S)\\1", 2), "SS 1");
        // With `|x` the pattern `\s?|x\s?\d+\s?` matches empty at each of the 4 positions of
        // "abc", and re.split counts those matches.
        assert_pass(ID, &kw("|x", 4), "abc");
        assert_fail(ID, &kw("|x", 5), "abc");
    }

    fn derive(text: &str) -> Vec<MultipleSections> {
        MultipleSections::derive(&analysis(text), &mut DeriveContext::new("", 2))
    }

    #[test]
    fn derives_the_marker_word_and_count_used() {
        let text = "Plan\n\nDay 1: arrive.\nDay 2: swim.\n**Day 3** rest.\nThe 2 of us.";
        let derived = derive(text);
        assert_eq!(derived, [MultipleSections::new("Day", 3)]);
        assert!(derived[0].verify(&analysis(text)).passed());
        let text = "SECTION 1\nShell.\nSECTION 2\nClaws.\nStep 1 only once.";
        assert_eq!(derive(text), [MultipleSections::new("SECTION", 2)]);
        // The word with the most distinct numbers wins.
        let text = "## Part 1\nA.\n## Part 2\nB.\n## Part 3\nStep 1\nStep 2";
        assert_eq!(derive(text), [MultipleSections::new("Part", 3)]);
    }

    #[test]
    fn nothing_derived_without_numbered_sections() {
        assert!(derive("Day one\nDay two").is_empty());
        assert!(derive("Day 1\nDay 1").is_empty());
        assert!(derive("exit 1\nexit 0").is_empty());
        assert!(derive("Day 2\nDay 3").is_empty());
        assert!(derive("The 1\nThe 2").is_empty());
        assert!(derive("In 2020\nIn 2021").is_empty());
        assert!(derive("Day 1a\nDay 2b").is_empty());
        assert!(derive("").is_empty());
    }
}
