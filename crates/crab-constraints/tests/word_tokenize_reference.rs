//! `word_tokenize` against NLTK 3.10: the expected tokens of the 541 GPT-4 IFEval responses, and a
//! differential test against `scripts/oracle/word_tokenize.py` on generated sentences.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use crab_constraints::text::word_tokenize::{tokenize_sentence, word_tokenize, Token};
use data::strings;
use rng::Rng;
use serde_json::Value;

/// One GPT-4 response with its expected Punkt sentences and `word_tokenize` tokens.
struct Case {
    key: i64,
    response: String,
    sentences: Vec<String>,
    tokens: Vec<String>,
}

fn cases() -> Vec<Case> {
    let stats = data::text_stats();
    data::gpt4_responses()
        .into_iter()
        .map(|(key, response)| Case {
            key,
            response,
            sentences: strings(&stats[&key]["punkt_sentences"]),
            tokens: strings(&stats[&key]["word_tokenize"]),
        })
        .collect()
}

fn texts(tokens: &[Token]) -> Vec<String> {
    tokens.iter().map(|t| t.text.clone()).collect()
}

/// Spans are in order, disjoint, on char boundaries, and cover the token's text (a converted
/// quote covers the `"` or `''` it came from).
fn check_spans(source: &str, tokens: &[Token]) {
    let mut prev_end = 0;
    for t in tokens {
        let s = t.span;
        assert!(s.start >= prev_end && s.start < s.end, "span {s:?} of {t:?} in {source:?}");
        assert!(source.is_char_boundary(s.start) && source.is_char_boundary(s.end));
        let slice = s.slice(source);
        let converted_quote =
            matches!(t.text.as_str(), "``" | "''") && matches!(slice, "\"" | "''");
        assert!(slice == t.text || converted_quote, "token {t:?} covers {slice:?} in {source:?}");
        prev_end = s.end;
    }
}

#[test]
fn expected_sentences_tokenize_like_nltk() {
    let cases = cases();
    let mut agree = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let mut got = Vec::new();
        for sentence in &case.sentences {
            let tokens = tokenize_sentence(sentence, 0);
            check_spans(sentence, &tokens);
            got.extend(texts(&tokens));
        }
        if got == case.tokens {
            agree += 1;
        } else {
            failures.push(case.key);
        }
    }
    eprintln!("tokenize_sentence over expected Punkt sentences: {agree}/{} equal", cases.len());
    assert!(failures.is_empty(), "keys differing: {failures:?}");
}

/// The end-to-end contract: `word_tokenize(response)` (Punkt, then the cascade).
#[test]
fn responses_word_tokenize_like_nltk() {
    let cases = cases();
    let mut agree = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let tokens = word_tokenize(&case.response);
        check_spans(&case.response, &tokens);
        if texts(&tokens) == case.tokens {
            agree += 1;
        } else {
            failures.push(case.key);
        }
    }
    eprintln!("word_tokenize over whole responses: {agree}/{} equal", cases.len());
    assert!(
        failures.is_empty(),
        "{} keys differing, first: {:?}",
        failures.len(),
        &failures[..failures.len().min(20)]
    );
}

// ---------------------------------------------------------------------------------------------
// Differential test against the Python oracle.

/// Pieces that exercise every rule of the cascade.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    // plain words
    "hello", "World", "the", "A", "is", "BIG", "ok", "x", "_id", "snake_case",
    // quotes
    "\"", "\"quoted\"", "\"Hi", "said.\"", "''", "''tis", "'", "'quoted'", "`", "``", "```", "`x'",
    "‘", "’", "“", "”", "«", "»", "„", "“smart”", "‘single’", "«guillemets»", "„low“", "(\"",
    "[\"", "{\"", "<\"", "(''", "end.'", "end.’", "end.”", "end.»",
    // clitics and contractions
    "I'M", "I'm", "it's", "IT'S", "It'S", "we'll", "WE'LL", "We'Ll", "they're", "THEY'RE", "I've",
    "I'VE", "don't", "DON'T", "Don'T", "DoN't", "he'd", "HE'D", "'s", "'S", "'ll", "'LL", "'re",
    "'ve", "'m", "'d", "'n", "'t", "'T", "'em", "'90s", "o'clock", "rock'n'roll", "y'all", "can't",
    "cannot", "CANNOT", "Cannot", "gonna", "GONNA", "gimme", "lemme", "LEMME", "wanna", "WANNA",
    "gotta", "d'ye", "D'YE", "more'n", "MORE'N", "'tis", "'Tis", "'TIS", "'twas", "'Twas", "'TWAS",
    "cannotx", "xcannot", "wannabe", "gonna_", "ıs", "'tıs", "'tİs", "'tſ", "'ſ", "İs", "GİMME",
    "gımme", "MORE'N'", "'TWAS'", "'twasn't", "ſ's", "'ſa", "can't've", "ain't", "'Re", "'rex",
    "'mm", "'n'", "'d'",
    // periods
    "U.S.A.", "3.14", "etc.", "e.g.", "i.e.", "Mr.", "Dr.", "a.m.", "1.", "2.5.", ".5", "..",
    "...", "....", ". . .", ". .", "x.)", "(see above).", "end.]", "end.}", "end.>",
    // dashes and colons
    "--", "---", "----", "a--b", "well-known", "BIG-TIME", "A-OK", "-", "3:30", "a:b", "1,000",
    "1,5", "x,y", ",", ":", ",,", "::", ":)", ",\"", ",'", "٣,٣", ":१२", ",²", ",½", ",\u{10D40}",
    // other punctuation
    ";", "@", "#tag", "$5", "100%", "A&B", "?", "!", "?!", "!!!", "¿", "¡", "[", "]", "(", ")",
    "{", "}", "<", ">", "<b>", "[1]", "(a)", "{x}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}",
    "a\u{2014}b", "*", "**bold**", "*italic*", "# Heading", "- item", "2)", "1)",
    "http://example.com/a?b=c&d=e", "https://x.org/p.html", "user@example.com", "C++", "a/b",
    "50/50", "^_^", "~", "|", "\\", "=",
    // Unicode
    "नमस्ते", "हिन्दी", "क्या", "中文", "日本語。", "e\u{301}", "n\u{303}'s", "'\u{301}a", "\u{301}'s",
    "ß", "İstanbul", "Σίσυφος", "\u{00a0}", "\u{2028}", "\u{2029}", "\u{3000}", "\u{1c}", "\u{1d}",
    "\u{1e}", "\u{1f}", "\u{85}", "\u{200b}", "\u{200d}", "\u{feff}", "😀", "x\u{1c}'s",
    "wanna\u{1c}", "wanna\u{85}", "²", "½", "१२३", "\u{0b}", "\u{0c}", "\r",
];

#[rustfmt::skip]
const SEPARATORS: &[&str] = &[
    " ", " ", " ", " ", " ", " ", " ", "", "", "  ", "\t", "\n", "\n\n", "\u{a0}", "\u{2028}",
    "\u{3000}", "\u{1c}", " \n ",
];

#[rustfmt::skip]
const ENDINGS: &[&str] = &[
    "", "", ".", ".", "?", "!", ".\"", ".'", ".)", ".”", ".’", ".»", ". ", ".\n", ".\n\n", ":",
    ",", ",\n", "...", "..", ". .", ".\" ", ". ''", ".'' ", ".) ]", ". \u{1c}", ".\u{a0}", ".]\n",
    "--", "'", "'s", "n't", "''", "\"", "“", "`", ";", "!?", ". \"", ".\u{2028}",
];

fn generated(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.chance(15) {
        s.push_str(rng.pick(&["\"", "``", "''", "'", "“", "‘", "«", "(", "* ", "- ", " ", "\n"]));
    }
    let n = 1 + rng.below(12);
    for i in 0..n {
        if i > 0 {
            s.push_str(rng.pick(SEPARATORS));
        }
        s.push_str(rng.pick(PIECES));
    }
    s.push_str(rng.pick(ENDINGS));
    s
}

/// A random char-boundary position in `s`.
fn boundary(rng: &mut Rng, s: &str) -> usize {
    let mut positions: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
    positions.push(s.len());
    rng.pick(&positions)
}

fn mutated(rng: &mut Rng, corpus: &[String]) -> String {
    let mut s = corpus[rng.below(corpus.len())].clone();
    for _ in 0..1 + rng.below(4) {
        let at = boundary(rng, &s);
        match rng.below(6) {
            0 | 1 => s.insert_str(at, rng.pick(PIECES)),
            2 => {
                let piece = format!("{}{}", rng.pick(SEPARATORS), rng.pick(PIECES));
                s.insert_str(at, &piece);
            }
            3 => {
                // delete one character
                if let Some(c) = s[at..].chars().next() {
                    s.replace_range(at..at + c.len_utf8(), "");
                }
            }
            4 => s.push_str(rng.pick(ENDINGS)),
            _ => s = s.to_uppercase(),
        }
    }
    s
}

/// Sentences named in the task, checked verbatim.
#[rustfmt::skip]
const FIXED: &[&str] = &[
    "", " ", "\n", ".", "\"", "'", "I'M OK. U.S.A. is BIG-TIME, A-OK!", "He said, \"I can't go.\"",
    "\"Hello,\" she said.", "She said.\"", "It's 3:30, and it costs $1,000.00 (roughly).",
    "Wait... what? . . . ok -- fine!", "'Tis the season; 'twas fun, more'n I thought.",
    "Gimme that, lemme see, wanna go? gonna be gotta d'ye cannot.",
    "``Quoted'' text and ''odd'' ones.",
    "Email me at user@example.com or visit https://example.com/a?b=c.",
    "**Bold** and *italic* # heading", "नमस्ते दुनिया। 你好，世界。",
    "Tab\there\nnewline\u{a0}nbsp\u{2028}ls.",
    "Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\nThanks.",
];

/// `NLTKWordTokenizer().tokenize(s)` and `.span_tokenize(s)` (code point offsets; `None` when
/// NLTK's `align_tokens` raises) for each input, via the oracle script.
#[allow(clippy::type_complexity)]
fn nltk_oracle(inputs: &[String]) -> Vec<(Vec<String>, Option<Vec<(usize, usize)>>)> {
    let requests: Vec<Value> = inputs.iter().map(|s| Value::from(s.as_str())).collect();
    oracle::run_jsonl("word_tokenize.py", &["--spans"], &requests)
        .iter()
        .map(|v| {
            let spans = v["spans"].as_array().map(|a| {
                a.iter()
                    .map(|p| {
                        let n = |i: usize| p[i].as_u64().expect("offset") as usize;
                        (n(0), n(1))
                    })
                    .collect()
            });
            (strings(&v["tokens"]), spans)
        })
        .collect()
}

#[test]
fn differential_against_nltk() {
    let corpus: Vec<String> = cases().into_iter().flat_map(|c| c.sentences).collect();
    let mut rng = Rng(0x5EED_0FC0_FFEE);
    let mut inputs: Vec<String> = FIXED.iter().map(|s| (*s).to_owned()).collect();
    for piece in PIECES {
        inputs.push((*piece).to_owned());
        inputs.push(format!("{piece}."));
        inputs.push(format!("a {piece} b"));
    }
    for i in 0..3000 {
        let s = match i % 3 {
            0 | 1 => generated(&mut rng),
            _ => mutated(&mut rng, &corpus),
        };
        inputs.push(s);
    }
    let expected = nltk_oracle(&inputs);
    let mut agree = 0;
    let mut failures = Vec::new();
    let (mut span_cases, mut span_agree) = (0, 0);
    let mut span_failures = Vec::new();
    for (input, (want, want_spans)) in inputs.iter().zip(&expected) {
        let tokens = tokenize_sentence(input, 0);
        check_spans(input, &tokens);
        if &texts(&tokens) == want {
            agree += 1;
        } else {
            failures.push((input.clone(), texts(&tokens), want.clone()));
        }
        if let Some(want_spans) = want_spans {
            span_cases += 1;
            // Byte offsets to code point offsets.
            let cp = |b: usize| input[..b].chars().count();
            let got: Vec<_> = tokens.iter().map(|t| (cp(t.span.start), cp(t.span.end))).collect();
            if &got == want_spans {
                span_agree += 1;
            } else {
                span_failures.push((input.clone(), got, want_spans.clone()));
            }
        }
    }
    eprintln!("differential vs NLTKWordTokenizer.tokenize: {agree}/{} equal", inputs.len());
    eprintln!(
        "spans vs NLTKWordTokenizer.span_tokenize: {span_agree}/{span_cases} equal \
         ({} inputs where NLTK's align_tokens raises)",
        inputs.len() - span_cases
    );
    for (input, got, want) in failures.iter().take(10) {
        eprintln!("  input {input:?}\n    rust   {got:?}\n    python {want:?}");
    }
    for (input, got, want) in span_failures.iter().take(10) {
        eprintln!("  spans of {input:?}\n    rust   {got:?}\n    python {want:?}");
    }
    assert!(failures.is_empty(), "{} differing inputs", failures.len());
    assert!(span_failures.is_empty(), "{} differing spans", span_failures.len());
}
