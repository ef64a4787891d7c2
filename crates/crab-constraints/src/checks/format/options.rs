//! `format:options` — the answer is exactly one of the given options (IFBench).

use serde_json::{Map, Value};

use crate::checks::strip_span;
use crate::checks::{
    kwargs_map, Check, CheckInfo, Example, Kwargs, Param, ParamKind, SpecError, Verdict,
};
use crate::text::{pystr, Analysis};

/// # What it checks
/// "Answer with one of the following options: {options}. Do not give any explanation." The
/// options string is split the way IFBench splits it: on `/` if it has one, else on the
/// *substring* `or` (so `Doctor/Nurse` splits on `/`, but `red, orange` on the `or` of
/// `orange`), else on `,`; each option is stripped of whitespace.
///
/// - Multiple-choice letters (options starting `a`, `b`, `c` with only non-word characters
///   around them, such as `a), b), c), d)` or `(A) (B) (C)`): the response must be exactly one
///   option, character for character, without surrounding whitespace.
/// - Otherwise the response and the options are compared with ASCII punctuation and spaces
///   stripped from both ends, lowercased: `Yes.` answers `yes/no/maybe`.
///
/// # Parameters
/// `options` (text): the options, as the instruction shows them (`yes/no/maybe`,
/// `I know or I don't know`, `a), b), c), d)`).
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let kwargs = serde_json::json!({"options": "yes/no/maybe"});
/// let c = Constraint::from_ifeval("format:options", &kwargs).unwrap();
/// assert!(c.verify(&Analysis::new("Maybe.")).passed());
/// assert!(!c.verify(&Analysis::new("Maybe, it depends.")).passed());
/// ```
///
/// # IFBench equivalence
/// Identical to HEAD's `OptionsResponseChecker` (unchanged since the first release).
///
/// # Derivation
/// None: it needs a question with options, which a response alone does not give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The options as the instruction shows them.
    pub options: String,
}

impl Check for Options {
    const INFO: CheckInfo = CheckInfo {
        id: "format:options",
        title: "One of the given options",
        description: "The response is one of the options: `options` is split on `/`, else on the \
                      substring `or`, else on `,`. Multiple-choice letters (`a), b), c), d)`) \
                      must be matched exactly; other options are compared lowercased, with \
                      punctuation and spaces stripped from both ends.",
        divergence: Some(
            "IFBench picks random options when they are missing; here they must be given.",
        ),
        needs: &[],
        derives: false,
        params: &[Param {
            name: "options",
            doc: "the options, separated by `/`, `or` or `,`",
            kind: ParamKind::Text { default: "yes/no/maybe" },
        }],
        example: Example {
            kwargs: r#"{"options": "I know or I don't know"}"#,
            pass: "I don't know.",
            fail: "I don't know, sorry.",
        },
    };

    fn from_kwargs(kw: &Kwargs<'_>) -> Result<Options, SpecError> {
        Ok(Options { options: kw.string("options")?.to_owned() })
    }

    fn kwargs(&self) -> Map<String, Value> {
        kwargs_map([("options", self.options.clone().into())])
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let options = split_options(&self.options);
        let shown = options.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ");
        let evidence = vec![strip_span(s, crate::text::Span::new(0, s.len()))];
        if is_multiple_choice(&self.options) {
            let ok = options.contains(&s);
            let detail = if ok {
                "the response is one of the letters' options, exactly".to_owned()
            } else {
                format!("the response is not exactly one of {shown}")
            };
            return Verdict::from_bool(ok, detail).with_evidence(evidence);
        }
        let answer = pystr::lower(pystr::strip_punctuation(s));
        let ok = options.iter().any(|o| pystr::lower(pystr::strip_punctuation(o)) == answer);
        let detail = if ok {
            "the response is one of the options".to_owned()
        } else {
            format!("the response is none of {shown}")
        };
        Verdict::from_bool(ok, detail).with_evidence(evidence)
    }
}

/// `re.match(r"\W*[aA]\W*[bB]\W*[cC]\W*", options)`: the options are multiple-choice letters.
/// `\W*` backtracking cannot help (a letter is a word character), so skipping greedily decides.
fn is_multiple_choice(options: &str) -> bool {
    let mut rest = options;
    for letter in ['a', 'b', 'c'] {
        rest = rest.trim_start_matches(|c| !pystr::is_word_char(c));
        let mut chars = rest.chars();
        match chars.next() {
            Some(c) if c == letter || c == letter.to_ascii_uppercase() => rest = chars.as_str(),
            _ => return false,
        }
    }
    true
}

/// The options, split on `/`, else on `or`, else on `,`, each `str.strip()`ped.
fn split_options(options: &str) -> Vec<&str> {
    let sep = if options.contains('/') {
        "/"
    } else if options.contains("or") {
        "or"
    } else {
        ","
    };
    options.split(sep).map(pystr::strip).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::tests::{assert_fail, assert_pass, verify};

    const ID: &str = "format:options";

    #[test]
    fn options_split_as_ifbench_splits_them() {
        assert_eq!(split_options("yes/no/maybe"), ["yes", "no", "maybe"]);
        assert_eq!(split_options("I know or I don't know"), ["I know", "I don't know"]);
        assert_eq!(split_options("a), b), c), d)"), ["a)", "b)", "c)", "d)"]);
        // The substring `or`, inside words too.
        assert_eq!(split_options("red, orange"), ["red,", "ange"]);
        assert_eq!(split_options("Doctor or Nurse"), ["Doct", "", "Nurse"]);
    }

    #[test]
    fn multiple_choice_letters_are_detected_at_the_start() {
        assert!(is_multiple_choice("a), b), c), d)"));
        assert!(is_multiple_choice("(A) (B) (C)"));
        assert!(is_multiple_choice("A/B/C/D"));
        assert!(!is_multiple_choice("a) x, b), c)"));
        assert!(!is_multiple_choice("yes/no/maybe"));
        assert!(!is_multiple_choice("_a b c"));
    }

    #[test]
    fn text_options_are_loose_letters_are_exact() {
        let yn = r#"{"options": "yes/no/maybe"}"#;
        assert_pass(ID, yn, "YES!");
        assert_pass(ID, yn, "  **no**  ");
        assert_fail(ID, yn, "yes\n");
        assert_fail(ID, yn, "yes, definitely");
        let abc = r#"{"options": "a), b), c), d)"}"#;
        assert_pass(ID, abc, "b)");
        assert_fail(ID, abc, "b");
        assert_fail(ID, abc, "b) ");
        assert_fail(ID, abc, "B)");
        let v = verify(ID, abc, "e)");
        assert_eq!(v.detail, "the response is not exactly one of `a)`, `b)`, `c)`, `d)`");
        // An empty option (from `or or`) matches a response of punctuation alone.
        assert_pass(ID, r#"{"options": "Doctor or Nurse"}"#, "...");
    }
}
