//! Unit tests of the matcher: each named edge case of Python's `re`.

use super::*;

fn flags() -> Flags {
    Flags::default()
}

fn spans(p: &str, t: &str) -> Vec<(usize, usize)> {
    spans_f(p, flags(), t)
}

fn spans_f(p: &str, f: Flags, t: &str) -> Vec<(usize, usize)> {
    Regex::new(p, f).unwrap().find_iter(t).unwrap().iter().map(|s| (s.start, s.end)).collect()
}

fn found(p: &str, t: &str) -> Option<(usize, usize)> {
    Regex::new(p, flags()).unwrap().search(t).unwrap().map(|s| (s.start, s.end))
}

fn ic() -> Flags {
    Flags { ignorecase: true, ..Flags::default() }
}

#[test]
fn literals_and_leftmost_first_alternation() {
    assert_eq!(found("cat", "concatenate"), Some((3, 6)));
    assert_eq!(found("a|ab", "ab"), Some((0, 1)));
    assert_eq!(found("ab|a", "ab"), Some((0, 2)));
    assert_eq!(found("x", "abc"), None);
}

#[test]
fn quantifiers_greedy_lazy_possessive() {
    assert_eq!(found("a+", "baaa"), Some((1, 4)));
    assert_eq!(found("a+?", "baaa"), Some((1, 2)));
    assert_eq!(found("a*+a", "aaa"), None);
    assert_eq!(found("(?:ab)*+c", "ababc"), Some((0, 5)));
    assert_eq!(found("a{2,3}", "aaaa"), Some((0, 3)));
    assert_eq!(found("a{2,3}?", "aaaa"), Some((0, 2)));
    assert_eq!(found("a{,2}b", "aaab"), Some((1, 4)));
    assert_eq!(found("(?>a+)b", "aab"), Some((0, 3)));
    assert_eq!(found("(?>a|ab)c", "abc"), None);
}

#[test]
fn empty_matches_follow_python_3_7_rules() {
    assert_eq!(spans("a*", "baaa"), [(0, 0), (1, 4), (4, 4)]);
    assert_eq!(spans("a*|b", "ab"), [(0, 1), (1, 1), (1, 2), (2, 2)]);
    assert_eq!(spans("", "ab"), [(0, 0), (1, 1), (2, 2)]);
    assert_eq!(spans(r"\b", "ab cd"), [(0, 0), (2, 2), (3, 3), (5, 5)]);
    assert_eq!(Regex::new(r"(x)|y", flags()).unwrap().split_len("axbya").unwrap(), 5);
    assert_eq!(spans("(a|)*", "aab"), [(0, 2), (2, 2), (3, 3)]);
}

#[test]
fn anchors() {
    assert_eq!(found("x$", "x\n"), Some((0, 1)));
    assert_eq!(found(r"x\Z", "x\n"), None);
    assert_eq!(spans("$", "a\n"), [(1, 1), (2, 2)]);
    let m = Flags { multiline: true, ..flags() };
    assert_eq!(spans_f("^a", m, "a\na\r\na"), [(0, 1), (2, 3), (5, 6)]);
    assert_eq!(spans_f("a.*$", m, "ab\r\nac"), [(0, 3), (4, 6)]);
    assert_eq!(found(r"\B", ""), None);
    assert_eq!(found(r"\b", ""), None);
    assert_eq!(found(r"\bह\b", "हिन्दी"), Some((0, 3)));
}

#[test]
fn python_classes() {
    assert_eq!(spans(r"\s", "\u{1c}\u{200b}"), [(0, 1)]);
    assert_eq!(spans(r"[^\s]", "\u{1c}x"), [(1, 2)]);
    assert_eq!(spans(r"\w+", "don't"), [(0, 3), (4, 5)]);
    assert_eq!(spans(r"\d", "٣x"), [(0, 2)]);
    assert_eq!(spans(r"[]a]", "]"), [(0, 1)]);
    assert_eq!(spans(r"[a-]", "-"), [(0, 1)]);
    assert_eq!(spans(r"(?a)\w+", "aé"), [(0, 1)]);
    assert_eq!(spans(r"a{", "a{"), [(0, 2)]);
    assert_eq!(spans(r"x{}", "x{}"), [(0, 3)]);
}

#[test]
fn ignorecase_as_sre() {
    let r = |p: &str, t: &str| Regex::new(p, ic()).unwrap().search(t).unwrap().is_some();
    assert!(r("i", "İ"));
    assert!(r("s", "ſ"));
    assert!(r("k", "\u{212a}"));
    assert!(r("σ", "ς"));
    assert!(r("ß", "ẞ"));
    assert!(!r("ß", "ss"));
    assert!(r("[a-z]", "K"));
    assert!(r("[a-z]", "\u{212a}"));
    assert!(r("[k-k]x", "\u{212a}X"));
    assert!(r(r"(a)\1", "aA"));
    assert!(!r("(?-i:a)", "A"));
    assert!(Regex::new("(?i)a", flags()).unwrap().search("A").unwrap().is_some());
}

#[test]
fn lookaround_and_backrefs() {
    assert_eq!(found("(?<=a)b", "ab"), Some((1, 2)));
    assert_eq!(found("(?<!a)b", "ab"), None);
    assert_eq!(found("(?<!a)b", "b"), Some((0, 1)));
    assert_eq!(found("a(?=b)", "ab"), Some((0, 1)));
    assert_eq!(found("a(?!b)", "abac"), Some((2, 3)));
    assert_eq!(found(r"(a+)b\1", "aaba"), Some((1, 4)));
    assert_eq!(found(r"(?P<x>a)(?P=x)", "aa"), Some((0, 2)));
    assert_eq!(found(r"(a)?(?(1)b|c)", "c"), Some((0, 1)));
    assert_eq!(found(r"(a)?(?(1)b|c)", "ab"), Some((0, 2)));
    assert_eq!(found(r"(?=(a))\1", "a"), Some((0, 1)));
}

#[test]
fn captures() {
    let re = Regex::new(r"(a)|(b)", flags()).unwrap();
    let c = re.captures("b").unwrap().unwrap();
    assert_eq!(c.groups, [Some(Span::new(0, 1)), None, Some(Span::new(0, 1))]);
}

#[test]
fn syntax_errors() {
    for bad in [
        "*",
        "a**",
        "(",
        ")",
        "[a",
        r"\q",
        "^*",
        "a{3,2}",
        "[z-a]",
        r"\1",
        "(a)\\2",
        "(?<=a+)b",
        "(?P<1>a)",
        "(?P=x)",
        "a(?i)",
        "(?z)",
        "(a)(?P<a>b)(?P<a>c)",
        r"(a\1)",
        "\\",
        "[\\d-z]",
        "(?(2)a)(b)",
        "(?(1)a|b|c)(x)",
        "(?L)a",
        "(?au)a",
        "x{4294967295}",
    ] {
        assert!(matches!(Regex::new(bad, flags()), Err(Error::Syntax(_))), "{bad}");
    }
    for ok in ["(?:)*", "(?=a)*", "(?i)(?m)a", "(?#c)(?i)a", "a{,}", "(?x) a # c", "(a)(?<=\\1)"] {
        assert!(Regex::new(ok, flags()).is_ok(), "{ok}");
    }
    assert!(matches!(Regex::new(r"\N{DASH}", flags()), Err(Error::Unsupported(_))));
}

#[test]
fn budget_stops_catastrophic_patterns() {
    let re = Regex::new("(a*)*b", flags()).unwrap();
    let text = "a".repeat(40);
    assert!(matches!(re.search(&text), Err(Error::TooExpensive(_))));
    let deep = "(".repeat(500) + &")".repeat(500);
    assert!(matches!(Regex::new(&deep, flags()), Err(Error::Unsupported(_))));
    assert!(Regex::new("(?:ab){99999}", flags()).is_err());
}

#[test]
fn a_large_class_costs_steps_by_its_size() {
    // The same search: a few hundred thousand steps with a two-member class, over the budget
    // when the class has 4,609 members (each test of a character reads them all).
    let text = "a".repeat(1_000);
    let small = Regex::new("[ba]*c", flags()).unwrap();
    assert_eq!(small.search(&text), Ok(None));
    let members: String = ('\u{4e00}'..'\u{6000}').collect();
    let large = Regex::new(&format!("[{members}a]*c"), flags()).unwrap();
    let err = large.search(&text).unwrap_err();
    assert!(matches!(err, Error::TooExpensive(_)));
    assert!(err.message().ends_with("is too expensive to run here (it backtracks too much)"));
}

#[test]
fn calls_sharing_a_budget_stop_together() {
    // `(a|aa)*c` on 25 `a`s takes most of a budget (it fails by backtracking): alone it
    // answers; a second call on what is left of the same budget does not, and says why.
    let re = Regex::new("(a|aa)*c", flags()).unwrap();
    let text = "a".repeat(25);
    let chars = super::case::plain_chars(&text);
    let mut budget = super::Budget::new();
    assert_eq!(re.search_chars(&text, &chars, &mut budget), Ok(None));
    assert!(budget.left() < super::STEP_BUDGET / 2, "{}", budget.left());
    let err = re.search_chars(&text, &chars, &mut budget).unwrap_err();
    assert!(err.message().contains("with the patterns before it"), "{err}");
    assert_eq!(budget.left(), 0);
}

#[test]
fn huge_counts_of_nothing_or_units_compile_quickly() {
    assert_eq!(found("(?:){1000}a", "a"), Some((0, 1)));
    // Python needs minutes for this one (it iterates the empty group); the answer is the same.
    assert_eq!(found("(?:){1000}a", "a"), Some((0, 1)));
    // Python needs minutes here (it iterates the empty group); the answer is the same.
    assert_eq!(found("(?:){4000000000}a", "a"), Some((0, 1)));
    assert_eq!(found("a{0,4000000000}", "aa"), Some((0, 2)));
    // Valid Python, but it would unroll past the instruction cap: refused (documented).
    assert!(matches!(Regex::new("(?:ab){,4000000000}", flags()), Err(Error::Unsupported(_))));
}

#[test]
fn verbose_mode_and_scoped_flags() {
    assert_eq!(found("(?x) a b # comment\n c", "abc"), Some((0, 3)));
    assert_eq!(found(r"(?x) a\ b [ ]", "a b "), Some((0, 4)));
    assert_eq!(found("(?x:a b)c d", "abc d"), Some((0, 5)));
    assert_eq!(found("(?s:.)", "\n"), Some((0, 1)));
    assert_eq!(found(".", "\n"), None);
    assert_eq!(found("(?m:^b)", "a\nb"), Some((2, 3)));
    assert_eq!(found("(?i:a)A", "aa"), None);
    assert_eq!(found("(?i:a)A", "AA"), Some((0, 2)));
}

#[test]
fn escapes() {
    assert_eq!(found(r"\x41\u00e9\U0001F600", "Aé😀"), Some((0, 7)));
    assert_eq!(found(r"\101\0", "A\0"), Some((0, 2)));
    assert_eq!(found(r"[\101-\103]+", "ABCD"), Some((0, 3)));
    assert_eq!(found(r"[\b]", "\u{8}"), Some((0, 1)));
    assert!(Regex::new(r"\x4", flags()).is_err());
    assert!(Regex::new(r"\U00110000", flags()).is_err());
    assert!(Regex::new(r"\400", flags()).is_err());
    assert!(Regex::new(r"[\8]", flags()).is_err());
}

#[test]
fn cpython_quirks_are_reproduced() {
    // An alternation of single characters is a set: under IGNORECASE a non-BMP uppercase
    // member of a set only matches a character whose lowercase is itself (never).
    let r = |p: &str, t: &str| Regex::new(p, ic()).unwrap().search(t).unwrap().is_some();
    assert!(r("𐐀", "𐐨"));
    assert!(!r("a|𐐀", "𐐨"));
    assert!(!r("[a𐐀]", "𐐀"));
    // The search prefilter compiles a leading `(?a:\W)` with Unicode `\W`: `ẞ` is skipped.
    assert_eq!(spans(r"(?a:\W)", "ẞ "), [(3, 4)]);
    assert_eq!(spans(r"x|(?a:\W)", "ẞ "), [(0, 3), (3, 4)]);
}

#[test]
fn deep_nesting_up_to_the_cap_works() {
    let depth = 100;
    let pattern = "(?:".repeat(depth) + "a" + &")*".repeat(depth);
    let re = Regex::new(&pattern, flags()).unwrap();
    assert_eq!(re.search("aa").unwrap(), Some(Span::new(0, 2)));
    let pattern = "(".repeat(depth) + "a" + &")".repeat(depth);
    assert_eq!(Regex::new(&pattern, flags()).unwrap().groups(), depth);
    let pattern = "(".repeat(depth + 1) + "a" + &")".repeat(depth + 1);
    assert!(matches!(Regex::new(&pattern, flags()), Err(Error::Unsupported(_))));
    let pattern = "(a)".to_owned() + &"(?(1)".repeat(5000) + &")".repeat(5000);
    assert!(matches!(Regex::new(&pattern, flags()), Err(Error::Unsupported(_))));
    let pattern = "(?=".repeat(5000) + &")".repeat(5000);
    assert!(matches!(Regex::new(&pattern, flags()), Err(Error::Unsupported(_))));
}

#[test]
fn random_patterns_never_panic() {
    // Random strings of pattern syntax: each either compiles or is refused, and every search
    // ends (with an answer or the budget error).
    const PIECES: &[&str] = &[
        "(", ")", "[", "]", "^", "-", "\\", "|", "*", "+", "?", "{", "}", ",", "1", "2", "a", "b",
        "İ", "ß", "𐐀", ".", "$", "(?", "<", ">", "=", "!", ":", "P", "#", "i", "x", "\\b", "\\1",
        "\\d", "\\W", "{2,}", "(?(1)", " ", "\n", "0", "u", "a-z",
    ];
    let mut rng = crate::rng::Rng::new(0x7E57_0001);
    for _ in 0..3000 {
        let len = rng.below(12);
        let pattern: String = (0..len).filter_map(|_| rng.pick(PIECES).copied()).collect();
        let f = Flags {
            ignorecase: rng.chance(0.5),
            multiline: rng.chance(0.5),
            dotall: rng.chance(0.5),
            verbose: rng.chance(0.25),
            ascii: rng.chance(0.25),
        };
        if let Ok(re) = Regex::new(&pattern, f) {
            for text in ["", "ab\nİß 12 𐐨", "aaaaaaaaaaaaaaaaaaaaaaaaab"] {
                let _ = re.find_iter(text);
                let _ = re.captures(text);
            }
        }
    }
}
