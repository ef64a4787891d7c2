//! `custom:mcq_count_length` — 4 multiple-choice questions of 5 options each, getting longer
//! (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// For "Generate 4 multiple choice questions with 5 options each about '20th century art
/// history'. Each question should start with the label "Question". The questions should get
/// progressively longer. Do not provide an explanation.", in IFBench's order:
/// 1. the response starts with `Question` (no introduction, no markdown before it);
/// 2. it is split at each label — `re.split(r'\n*(?:Question \d+[\.|\):;]?\s*)')`: newlines,
///    `Question`, one space, a number, optionally one of `.|):;`, then any whitespace — and
///    the parts that are not blank once stripped must be exactly 4 questions;
/// 3. in each question, a line that, stripped, starts with a letter `A`–`E` or `a`–`e`, then
///    `.`, `|` or `)`, optional whitespace and a word character is an option; each question
///    has exactly 5 options;
/// 4. the question's text — its lines before the first option, stripped and joined with
///    spaces — is strictly longer (in characters) in each question than in the one before.
///
/// A label must be exactly `Question N` (`**Question 1**` or `Question one` is not one), and
/// an option letter must be followed by `.`, `|` or `)` directly (`A:` and `(A)` are not
/// options).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:mcq_count_length", &serde_json::json!({})).unwrap();
/// let opts = "A) Dali\nB) Miro\nC) Ernst\nD) Magritte\nE) Tanguy";
/// let qs: Vec<String> = (1..=4)
///     .map(|i| format!("Question {i}: Who painted{}?\n{opts}", " this".repeat(i)))
///     .collect();
/// assert!(c.verify(&Analysis::new(&qs.join("\n\n"))).passed());
/// assert!(!c.verify(&Analysis::new(&format!("Here you go:\n{}", qs.join("\n\n")))).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `MultipleChoiceQuestionsChecker`, unchanged since the first release. The evidence
/// spans are the questions (from the text after their label to their last line), or the one
/// that breaks a rule.
///
/// # Derivation
/// None: a fixed task whose answer no response to another request gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct McqCountLength;

impl Check for McqCountLength {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:mcq_count_length",
        title: "4 multiple-choice questions, getting longer",
        description: "The response starts with `Question` and holds exactly 4 questions \
                      labelled `Question N`, each with 5 options `A)`–`E)` (or `A.`), the \
                      question texts strictly longer each time.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Question 1: Who painted Guernica?\nA) Picasso\nB) Dali\nC) Miro\nD) Matisse\n\
                   E) Braque\n\nQuestion 2: Which movement did Marcel Duchamp belong to?\n\
                   A) Dada\nB) Cubism\nC) Fauvism\nD) Futurism\nE) Pop art\n\n\
                   Question 3: Which artist is best known for drip painting in the 1940s?\n\
                   A) Pollock\nB) Rothko\nC) Kline\nD) de Kooning\nE) Newman\n\n\
                   Question 4: Which German school of art, design and architecture was founded \
                   by Walter Gropius in 1919?\nA) Bauhaus\nB) De Stijl\nC) Ulm\nD) Vkhutemas\n\
                   E) Black Mountain",
            fail: "Question 1: Who painted Guernica?\nA) Picasso\nB) Dali\nC) Miro\nD) Matisse\n\
                   E) Braque\n\nQuestion 2: Which movement did Marcel Duchamp belong to?\n\
                   A) Dada\nB) Cubism\nC) Fauvism\nD) Futurism\nE) Pop art\n\n\
                   Question 3: Which artist is best known for drip painting in the 1940s?\n\
                   A) Pollock\nB) Rothko\nC) Kline\nD) de Kooning\nE) Newman\n\n\
                   Question 4: Who founded the Bauhaus?\nA) Gropius\nB) Klee\nC) Itten\n\
                   D) Albers\nE) Breuer",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<McqCountLength, SpecError> {
        Ok(McqCountLength)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        if !s.starts_with("Question") {
            return Verdict::fail("the response does not start with \"Question\"");
        }
        let mut parts = split_at_labels(s);
        if parts.first().is_some_and(|p| p.is_empty()) {
            parts.remove(0);
        }
        let questions: Vec<Span> = parts
            .into_iter()
            .map(|p| crate::checks::strip_span(s, p))
            .filter(|p| !p.is_empty())
            .collect();
        if questions.len() != 4 {
            let counted = plural(questions.len(), "question", "questions");
            return Verdict::fail(format!("{counted}; needs 4")).with_evidence(questions);
        }
        let mut previous: Option<usize> = None;
        for (i, q) in questions.iter().enumerate() {
            let (options, length) = read_question(q.slice(s));
            if options != 5 {
                let counted = plural(options, "option", "options");
                return Verdict::fail(format!("question {} has {counted}; needs 5", i + 1))
                    .with_evidence(vec![*q]);
            }
            if let Some(before) = previous.filter(|&before| length <= before) {
                let detail = format!(
                    "question {} is {length} characters long, not longer than the {before} of \
                     question {i}",
                    i + 1
                );
                return Verdict::fail(detail).with_evidence(vec![*q]);
            }
            previous = Some(length);
        }
        Verdict::pass("4 questions of 5 options, each longer").with_evidence(questions)
    }
}

/// `re.split(r'\n*(?:Question \d+[\.|\):;]?\s*)', s)` as spans. A match needs `Question `
/// and a digit, so it is never empty, and starts at the newlines right before the first label
/// at or after the search position.
fn split_at_labels(s: &str) -> Vec<Span> {
    let mut parts = Vec::new();
    let mut part_start = 0;
    let mut search = 0;
    while let Some((start, end)) = next_label(s, search) {
        parts.push(Span::new(part_start, start));
        part_start = end;
        search = end;
    }
    parts.push(Span::new(part_start, s.len()));
    parts
}

/// The first match of the label pattern at or after `from`: its start and end.
fn next_label(s: &str, from: usize) -> Option<(usize, usize)> {
    let rest = s.get(from..)?;
    for (i, _) in rest.match_indices("Question ") {
        let at = from + i;
        let after = s.get(at + "Question ".len()..)?;
        let digits: usize =
            after.chars().take_while(|&c| pystr::is_decimal(c)).map(char::len_utf8).sum();
        if digits == 0 {
            continue;
        }
        let mut end = at + "Question ".len() + digits;
        if let Some(c) = s.get(end..).and_then(|r| r.chars().next()) {
            if matches!(c, '.' | '|' | ')' | ':' | ';') {
                end += 1;
            }
        }
        let spaces: usize = s
            .get(end..)
            .unwrap_or("")
            .chars()
            .take_while(|&c| pystr::is_space(c))
            .map(char::len_utf8)
            .sum();
        end += spaces;
        let before = s.get(from..at).unwrap_or("");
        let start = at - (before.len() - before.trim_end_matches('\n').len());
        return Some((start, end));
    }
    None
}

/// A question's number of option lines and the length (in characters) of its text: the
/// stripped lines before the first option, joined with spaces.
fn read_question(q: &str) -> (usize, usize) {
    let mut text = String::new();
    let mut options = 0;
    for line in q.split('\n') {
        let line = pystr::strip(line);
        if is_option(line) {
            options += 1;
        } else if options == 0 {
            text.push(' ');
            text.push_str(line);
        }
    }
    (options, pystr::strip(&text).chars().count())
}

/// `re.match(r'^[A-Ea-e][\.|\)]\s*\w+', line)`.
fn is_option(line: &str) -> bool {
    let mut chars = line.chars();
    let letter = chars.next().is_some_and(|c| matches!(c, 'A'..='E' | 'a'..='e'));
    let mark = chars.next().is_some_and(|c| matches!(c, '.' | '|' | ')'));
    letter && mark && chars.find(|&c| !pystr::is_space(c)).is_some_and(pystr::is_word_char)
}

#[cfg(test)]
mod tests {
    use super::{is_option, split_at_labels};
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "custom:mcq_count_length";
    const OPTIONS: &str = "A) Dali\nB) Miro\nC) Ernst\nD) Magritte\nE) Tanguy";

    fn quiz(label: impl Fn(usize) -> String, options: &str) -> String {
        (1..=4)
            .map(|i| format!("{}Who painted{}?\n{options}", label(i), " this".repeat(i)))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    #[test]
    fn four_questions_five_options_longer_each_time() {
        assert_pass(ID, "{}", &quiz(|i| format!("Question {i}: "), OPTIONS));
        assert_pass(ID, "{}", &quiz(|i| format!("Question {i}.\n"), OPTIONS));
        assert_pass(ID, "{}", &quiz(|i| format!("Question {i}"), &OPTIONS.replace(')', ".")));
        assert_fail(ID, "{}", &quiz(|i| format!("**Question {i}:** "), OPTIONS));
        assert_fail(ID, "{}", &quiz(|i| format!("Question {i}: "), &OPTIONS.replace(')', ":")));
        assert_fail(
            ID,
            "{}",
            &quiz(|i| format!("Question {i}: "), &OPTIONS.replace("\nE) Tanguy", "")),
        );
        assert_fail(ID, "{}", &quiz(|_| "Question: ".to_owned(), OPTIONS));
        assert_fail(ID, "{}", &format!(" {}", quiz(|i| format!("Question {i}: "), OPTIONS)));
        let three: String = quiz(|i| format!("Question {i}: "), OPTIONS)
            .split("\n\nQuestion 4")
            .next()
            .unwrap()
            .to_owned();
        assert_fail(ID, "{}", &three);
        // Equal lengths are not longer.
        let same = (1..=4)
            .map(|i| format!("Question {i}: Who painted it?\n{OPTIONS}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_fail(ID, "{}", &same);
        assert_fail(ID, "{}", "");
        assert_fail(ID, "{}", "Q");
    }

    #[test]
    fn labels_split_as_re_split_does() {
        let s = "Question 1) a\n\n\nQuestion 22;  b\nQuestion x\nQuestion 3";
        let parts: Vec<&str> = split_at_labels(s).iter().map(|p| p.slice(s)).collect();
        assert_eq!(parts, ["", "a", "b\nQuestion x", ""]);
    }

    #[test]
    fn options_as_the_pattern_matches_them() {
        assert!(is_option("A) x"));
        assert!(is_option("e.x"));
        assert!(is_option("C|  _"));
        assert!(!is_option("F) x"));
        assert!(!is_option("A)"));
        assert!(!is_option("A) !"));
        assert!(!is_option("(A) x"));
    }

    #[test]
    fn evidence_is_the_question_that_breaks() {
        let text = quiz(|i| format!("Question {i}: "), OPTIONS).replacen("\nE) Tanguy", "", 1);
        let v = verify(ID, "{}", &text);
        assert!(evidence(&v, &text)[0].starts_with("Who painted this?\nA) Dali"));
        assert_eq!(v.detail, "question 1 has 4 options; needs 5");
    }
}
