//! Importing CRAB's stage-6 records (`crab_import`): the 20-record sample
//! (`shared/data/crab/constraint_back_translation_sample.json`) imports with every rule key
//! mapped, the typed constraints' verdicts on their own responses agree with CRAB's own
//! measures computed in Python (`scripts/oracle/crab_rules.py`), every sentence template of
//! CRAB's `utils.py` reads correctly, and malformed documents are refused with the record and
//! field named.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/oracle.rs"]
mod oracle;

use std::collections::BTreeMap;

use crab_constraints::checks::{Constraint, Status};
use crab_constraints::crab_import::{
    check_record, import_sentence, parse_records, Checked, CrabRecord, Imported, RuleKey,
};
use serde_json::{json, Value};

fn sample_text() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/crab/constraint_back_translation_sample.json"
    );
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn sample() -> Vec<CrabRecord> {
    parse_records(&sample_text()).expect("the sample imports")
}

/// A typed constraint's id and kwargs, as one JSON object.
fn typed(imported: &Imported) -> Value {
    match imported {
        Imported::Typed(c) => described(c),
        other => panic!("not typed: {other:?}"),
    }
}

fn described(c: &Constraint) -> Value {
    let mut m = c.kwargs();
    m.insert("id".to_owned(), c.id().into());
    Value::Object(m)
}

/// The whole numbers written in a sentence (the test's own simple reading).
fn digits(s: &str) -> Vec<i64> {
    s.split(|c: char| !c.is_ascii_digit()).filter_map(|d| d.parse().ok()).collect()
}

// ---------------------------------------------------------------------------------------------
// The sample
// ---------------------------------------------------------------------------------------------

#[test]
fn sample_imports_with_every_rule_key_mapped() {
    let text = sample_text();
    let raw: Vec<Value> = serde_json::from_str(&text).unwrap();
    let records = sample();
    assert_eq!(records.len(), 20);

    // key → [typed, inverted, text, unparsed]
    let mut table: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for (rec, raw) in records.iter().zip(&raw) {
        assert_eq!(rec.id, raw["id"].to_string());
        assert_eq!(rec.instruction, raw["messages"][0]["content"].as_str().unwrap());
        assert_eq!(rec.response, raw["messages"][1]["content"].as_str().unwrap());
        assert_eq!(rec.source.as_deref(), raw["source"].as_str());
        assert_eq!(
            rec.refined_instruction.as_deref(),
            raw["Aug_instruction"]["Refined_Instruction"].as_str()
        );
        let additional = raw["Aug_instruction"]["Additional_Instruction"].as_object().unwrap();
        assert_eq!(rec.items.len(), additional.len(), "record {}", rec.id);
        for item in &rec.items {
            assert_eq!(additional[&item.key].as_str(), Some(item.text.as_str()));
            let slot = match item.kind {
                Imported::Typed(_) => 0,
                Imported::Inverted { .. } => 1,
                Imported::Text => 2,
                Imported::Unparsed { .. } => 3,
            };
            table.entry(item.key.clone()).or_default()[slot] += 1;
            let Some(rule) = RuleKey::from_key(&item.key) else {
                assert_eq!(item.kind, Imported::Text, "LLM key {}", item.key);
                continue;
            };
            let numbers = digits(&item.text);
            match rule {
                RuleKey::Word => {
                    let Imported::Inverted { min_chars, reason, corrected } = &item.kind else {
                        panic!("Word not flagged inverted: {item:?}")
                    };
                    assert_eq!(numbers, [*min_chars], "{}", item.text);
                    assert!(reason.contains("inverted"), "{reason}");
                    let corrected = corrected.as_ref().expect("a corrected constraint");
                    assert_eq!(
                        described(corrected),
                        json!({"id": "crab:chars_per_word", "max_chars": min_chars,
                               "counting": "nltk"})
                    );
                }
                RuleKey::Sentence => assert_eq!(
                    typed(&item.kind),
                    json!({"id": "crab:words_per_sentence", "max_words": numbers[0],
                           "counting": "nltk"}),
                    "{}",
                    item.text
                ),
                RuleKey::Paragraph => assert_eq!(
                    typed(&item.kind),
                    json!({"id": "crab:sentences_per_paragraph", "max_sentences": numbers[0],
                           "paragraph": "line"}),
                    "{}",
                    item.text
                ),
                RuleKey::Keyword => {
                    // The phrases are the double-quoted pieces: every other piece of a split.
                    let quoted: Vec<&str> = item.text.split('"').skip(1).step_by(2).collect();
                    assert_eq!(
                        typed(&item.kind),
                        json!({"id": "crab:key_phrases", "phrases": quoted}),
                        "{}",
                        item.text
                    );
                }
                RuleKey::Digit | RuleKey::Punctuation => {
                    assert!(matches!(item.kind, Imported::Typed(_)), "{item:?}");
                }
            }
        }
    }

    // The Digit and Punctuation sentences, read by hand.
    #[rustfmt::skip]
    let digit: [(&str, Value); 20] = [
        ("36558", json!({"relation": "around", "num_words": 470})),
        ("127985", json!({"relation": "around", "num_words": 280})),
        ("35298", json!({"relation": "at most", "num_words": 310})),
        ("78338", json!({"relation": "at least", "num_words": 190})),
        ("39457", json!({"relation": "around", "num_words": 150})),
        ("603", json!({"relation": "around", "num_words": 60})),
        ("50834", json!({"relation": "between", "min_words": 90, "max_words": 130})),
        ("45467", json!({"relation": "at most", "num_words": 30})),
        ("16151", json!({"relation": "at least", "num_words": 310})),
        ("38070", json!({"relation": "at most", "num_words": 110})),
        ("28689", json!({"relation": "at most", "num_words": 320})),
        ("53409", json!({"relation": "around", "num_words": 280})),
        ("128789", json!({"relation": "around", "num_words": 250})),
        ("127131", json!({"relation": "at most", "num_words": 410})),
        ("5949", json!({"relation": "at most", "num_words": 280})),
        ("65176", json!({"relation": "around", "num_words": 330})),
        ("193530", json!({"relation": "at most", "num_words": 40})),
        ("130372", json!({"relation": "around", "num_words": 290})),
        ("179070", json!({"relation": "between", "min_words": 350, "max_words": 390})),
        ("125401", json!({"relation": "around", "num_words": 580})),
    ];
    let punctuation = [
        ("39457", "?"),
        ("603", "?"),
        ("50834", "!"),
        ("45467", ","),
        ("127131", "?"),
        ("193530", ","),
        ("125401", ":"),
    ];
    let item = |id: &str, key: &str| {
        let rec = records.iter().find(|r| r.id == id).unwrap();
        rec.items.iter().find(|i| i.key == key).unwrap_or_else(|| panic!("{id} {key}"))
    };
    for (id, mut expected) in digit {
        expected["id"] = "crab:word_count".into();
        expected["counting"] = "nltk".into();
        assert_eq!(typed(&item(id, "Digit").kind), expected, "{id}");
    }
    for (id, mark) in punctuation {
        assert_eq!(
            typed(&item(id, "Punctuation").kind),
            json!({"id": "crab:no_punctuation", "mark": mark}),
            "{id}"
        );
    }

    println!("{:<36} {:>5} {:>8} {:>5} {:>8}", "key", "typed", "inverted", "text", "unparsed");
    let mut rule_first: Vec<_> = table.iter().collect();
    rule_first.sort_by_key(|(k, _)| (RuleKey::from_key(k).is_none(), (*k).clone()));
    let mut totals = [0; 4];
    for (key, counts) in rule_first {
        println!(
            "{:<36} {:>5} {:>8} {:>5} {:>8}",
            format!("{key:?}"),
            counts[0],
            counts[1],
            counts[2],
            counts[3]
        );
        for (t, c) in totals.iter_mut().zip(counts) {
            *t += c;
        }
        if RuleKey::from_key(key).is_some() {
            assert_eq!(counts[2] + counts[3], 0, "rule key {key} not fully mapped");
        }
    }
    println!("{:<36} {:>5} {:>8} {:>5} {:>8}", "total", totals[0], totals[1], totals[2], totals[3]);
    assert_eq!(totals[3], 0, "nothing unparsed in the sample");
    assert_eq!(totals[0], 65, "20 Digit + 20 Sentence + 5 Paragraph + 13 Keyword + 7 Punctuation");
    assert_eq!(totals[1], 20, "20 Word");
}

fn int(v: &Value, key: &str) -> i64 {
    v[key].as_i64().unwrap_or_else(|| panic!("{key} in {v}"))
}

/// Whether a typed constraint holds, computed from CRAB's own measures of the response (the
/// oracle's NLTK numbers) and the constraint's definition, not from the check's code.
fn expected(c: &Constraint, response: &str, m: &Value) -> bool {
    let kw = Value::Object(c.kwargs());
    let tokens = int(m, "tokens");
    match c.id() {
        "crab:word_count" => match kw["relation"].as_str().unwrap() {
            "at least" => tokens >= int(&kw, "num_words"),
            "at most" => tokens <= int(&kw, "num_words"),
            "between" => int(&kw, "min_words") <= tokens && tokens <= int(&kw, "max_words"),
            // ±10%, inclusive
            "around" => 10 * (tokens - int(&kw, "num_words")).abs() <= int(&kw, "num_words"),
            other => panic!("{other}"),
        },
        "crab:words_per_sentence" => int(m, "crab_max_w") <= int(&kw, "max_words"),
        "crab:sentences_per_paragraph" => int(m, "crab_max_s") <= int(&kw, "max_sentences"),
        "crab:chars_per_word" => int(m, "max_c_tokens") <= int(&kw, "max_chars"),
        "crab:key_phrases" => {
            kw["phrases"].as_array().unwrap().iter().all(|p| response.contains(p.as_str().unwrap()))
        }
        "crab:no_punctuation" => !response.contains(kw["mark"].as_str().unwrap()),
        other => panic!("unexpected id {other}"),
    }
}

#[test]
fn verdicts_on_their_own_responses() {
    let records = sample();
    let requests: Vec<Value> = records.iter().map(|r| json!({ "text": r.response })).collect();
    let measures = oracle::run_jsonl("crab_rules.py", &[], &requests);

    // label → [holds, fails]
    let mut summary: BTreeMap<String, [usize; 2]> = BTreeMap::new();
    let mut agreed = 0;
    let mut checked = 0;
    for (rec, m) in records.iter().zip(&measures) {
        println!(
            "record {} ({}, {} NLTK tokens)",
            rec.id,
            rec.source.as_deref().unwrap_or("?"),
            m["tokens"]
        );
        for (what, verdict) in check_record(rec, None) {
            assert_ne!(verdict.status, Status::Invalid, "{}: {}", what.label(), verdict.detail);
            for span in &verdict.evidence {
                assert!(rec.response.get(span.start..span.end).is_some(), "evidence on a boundary");
            }
            let holds = verdict.passed();
            let (label, want) = match what {
                Checked::Typed { constraint, .. } | Checked::Corrected { constraint, .. } => {
                    (constraint.id().to_owned(), expected(constraint, &rec.response, m))
                }
                // CRAB's inverted rule: false for its own response.
                Checked::AsWritten { .. } => ("Word as written".to_owned(), false),
            };
            let label = match what {
                Checked::Corrected { .. } => format!("{label} (corrected)"),
                _ => label,
            };
            checked += 1;
            if holds == want {
                agreed += 1;
            }
            assert_eq!(holds, want, "record {} {}: {}", rec.id, what.label(), verdict.detail);
            summary.entry(label.clone()).or_default()[usize::from(!holds)] += 1;
            println!(
                "  {} {:<38} {:<60} {}",
                if holds { "holds" } else { "FAILS" },
                label,
                what.item().text.chars().take(60).collect::<String>(),
                verdict.detail
            );
        }
    }
    println!("\n{:<40} {:>5} {:>5}", "constraint", "holds", "fails");
    for (label, [holds, fails]) in &summary {
        println!("{label:<40} {holds:>5} {fails:>5}");
    }
    println!("{agreed}/{checked} verdicts agree with CRAB's measures computed in Python");
    assert_eq!(agreed, checked);

    // CRAB's NLTK-counted rules hold by construction (its "around 10t" for T tokens is within
    // ±10% whenever t ≥ 9, and all 20 sample bounds happen to hold); its key phrases are verbatim
    // n-grams of the response; the Word rule as written never holds, its correction always does.
    // Its Paragraph rule takes the minimum over lines, so longer lines may break it (reported).
    assert_eq!(summary["crab:word_count"], [20, 0]);
    assert_eq!(summary["crab:words_per_sentence"], [20, 0]);
    assert_eq!(summary["crab:no_punctuation"], [7, 0]);
    assert_eq!(summary["crab:key_phrases"], [13, 0]);
    assert_eq!(summary["Word as written"], [0, 20]);
    assert_eq!(summary["crab:chars_per_word (corrected)"], [20, 0]);
    for (rec, m) in records.iter().zip(&measures) {
        for (what, verdict) in check_record(rec, None) {
            if what.label() == "crab:sentences_per_paragraph" && !verdict.passed() {
                let bound = int(
                    &Value::Object(what.item().kind.constraint().unwrap().kwargs()),
                    "max_sentences",
                );
                println!(
                    "record {}: Paragraph bound {bound} from CRAB's minimum ({} sentences in its \
                     shortest line), but its longest line has {}",
                    rec.id, m["crab_min_s"], m["crab_max_s"]
                );
                assert!(int(m, "crab_min_s") <= bound && bound < int(m, "crab_max_s"));
            }
        }
    }
}

#[test]
fn inverted_word_rule_and_its_correction() {
    let rec = parse_records(
        r#"{"id": 1, "messages": [{"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "A tiny reply, with short words."}],
            "Aug_instruction": {"Additional_Instruction":
              {"Word": "Each word in the answer must have at least 5 characters."}}}"#,
    )
    .unwrap();
    let results = check_record(&rec[0], None);
    assert_eq!(results.len(), 2);
    let (as_written, verdict) = &results[0];
    assert!(matches!(as_written, Checked::AsWritten { min_chars: 5, .. }));
    assert!(!verdict.passed());
    assert_eq!(
        verdict.detail,
        "3 of 6 words shorter than 5 characters (shortest: 1); CRAB's rule is inverted"
    );
    let shown: Vec<&str> =
        verdict.evidence.iter().map(|s| &rec[0].response[s.start..s.end]).collect();
    assert_eq!(shown, ["A", "tiny", "with"]);
    let (corrected, verdict) = &results[1];
    assert_eq!(corrected.label(), "crab:chars_per_word (corrected)");
    assert!(verdict.passed(), "{}", verdict.detail);
}

#[test]
fn blank_response_fails_strictly() {
    let rec = parse_records(
        r#"[{"id": "x", "messages": [{"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "  "}],
            "Aug_instruction": {"Additional_Instruction": {"Punctuation": "Do not use commas.",
              "Word": "Words should hold at least 10 characters in any answer."}}}]"#,
    )
    .unwrap();
    let results = check_record(&rec[0], None);
    assert_eq!(results.len(), 3);
    assert!(results.iter().all(|(_, v)| !v.passed()));
}

// ---------------------------------------------------------------------------------------------
// Every sentence template of CRAB's utils.py, and paraphrases
// ---------------------------------------------------------------------------------------------

fn assert_typed(key: &str, sentence: &str, expected: Value) {
    assert_eq!(typed(&import_sentence(key, sentence)), expected, "{key}: {sentence}");
}

fn assert_unparsed(key: &str, sentence: &str, why: &str) {
    match import_sentence(key, sentence) {
        Imported::Unparsed { reason } => {
            assert!(reason.contains(why), "{sentence}: reason {reason:?} lacks {why:?}")
        }
        other => panic!("{sentence}: expected unparsed, got {other:?}"),
    }
}

fn words(relation: &str, n: i64) -> Value {
    json!({"id": "crab:word_count", "relation": relation, "num_words": n, "counting": "nltk"})
}

#[test]
fn digit_range_templates() {
    #[rustfmt::skip]
    let templates = [
        "Limit the response to a concise paragraph of no fewer than {min} and no more than {max} words to maintain focus and readability.",
        "Limit the text length to no fewer than {min} and no more than {max} words to maintain conciseness.",
        "Limit your response to at least {min} and a maximum of {max} words to encourage precision and conciseness.",
        "Ensure your response contains a minimum of {min} words and does not exceed {max} words to maintain clarity and brevity.",
        "Your answer should include at least {min} words but should be no more than {max} words to keep it concise and precise.",
        "Please limit your reply to between {min} and {max} words to promote succinctness and accuracy.",
        "Craft your response to fall within the range of {min} to {max} words to ensure it is both detailed and concise.",
        "Keep your response within the {min} to {max} word limit to balance thoroughness with readability.",
        "Your response should be at least {min} words long and capped at {max} words to encourage thoroughness and brevity.",
        "Aim for a response that is no less than {min} words and does not surpass {max} words for optimal clarity and focus.",
        "Respond with a text length ranging from {min} to {max} words to ensure it is comprehensive yet succinct.",
        "Keep your response between {min} and {max} words to achieve a balance of detail and conciseness.",
        "Please ensure your response is no shorter than {min} words and no longer than {max} words to maintain precision and conciseness.",
        "Write your response with a word count that falls between {min} and {max} to ensure it is both informative and to the point.",
        "Formulate your answer to include no fewer than {min} words and no more than {max} words to maintain a clear and concise message.",
    ];
    let expected = json!({"id": "crab:word_count", "relation": "between", "min_words": 120,
                          "max_words": 1500, "counting": "nltk"});
    for t in templates {
        let s = t.replace("{min}", "120").replace("{max}", "1,500");
        assert_typed("Digit", &s, expected.clone());
    }
    assert_typed(
        "Digit",
        "Answer in between 20 and 50 words.",
        json!({"id": "crab:word_count",
        "relation": "between", "min_words": 20, "max_words": 50, "counting": "nltk"}),
    );
    // the bounds named the other way round
    assert_typed(
        "Digit",
        "Use no more than 50 and no fewer than 20 words.",
        json!({
        "id": "crab:word_count", "relation": "between", "min_words": 20, "max_words": 50,
        "counting": "nltk"}),
    );
    // strict comparatives
    assert_typed(
        "Digit",
        "Write more than 20 and fewer than 50 words.",
        json!({
        "id": "crab:word_count", "relation": "between", "min_words": 21, "max_words": 49,
        "counting": "nltk"}),
    );
    assert_unparsed("Digit", "Write at least 50 and at most 20 words.", "lower bound 50 is above");
}

#[test]
fn digit_single_bound_templates() {
    #[rustfmt::skip]
    let cases = [
        ("Answer with at least {num} words.", "at least"),
        ("Provide an response containing at least {num} words.", "at least"),
        ("Submit an response that contains at least {num} words.", "at least"),
        ("The reply must be at least {num} words long.", "at least"),
        ("Compose a response with no fewer than {num} words.", "at least"),
        ("Ensure that your answer consists of at least {num} words.", "at least"),
        ("Answer with at most {num} words.", "at most"),
        ("Ensure your answer does not exceed {num} words.", "at most"),
        ("Your response should be no more than {num} words long.", "at most"),
        ("Limit your reply to a maximum of {num} words.", "at most"),
        ("Provide a response that contains no more than {num} words.", "at most"),
        ("The answer must be {num} words or fewer.", "at most"),
        ("Answer with around {num} words.", "around"),
        ("Aim for approximately {num} words in your answer.", "around"),
        ("Your response should be about {num} words long.", "around"),
        ("Provide an answer that is roughly {num} words.", "around"),
        ("Target a word count of around {num} words for your reply.", "around"),
        ("Keep your response close to {num} words in length.", "around"),
    ];
    for (t, relation) in cases {
        assert_typed("Digit", &t.replace("{num}", "310"), words(relation, 310));
    }
    // paraphrases and symbols
    assert_typed("Digit", "Around 10 words, please.", words("around", 10));
    assert_typed("Digit", "Write ~300 words.", words("around", 300));
    assert_typed("Digit", "Reply in ≤ 80 words.", words("at most", 80));
    assert_typed("Digit", "Reply in <= 80 words.", words("at most", 80));
    assert_typed("Digit", "Reply in >= 80 words.", words("at least", 80));
    assert_typed("Digit", "Use fewer than 100 words.", words("at most", 99));
    assert_typed("Digit", "Use more than 100 words.", words("at least", 101));
    assert_typed("Digit", "Your answer shouldn’t exceed 100 words.", words("at most", 100));
    assert_typed("Digit", "Write about dogs in at least 100 words.", words("at least", 100));
    assert_typed("Digit", "Keep it to a 150-word limit.", words("at most", 150));
    // not a word count, or no clear bound
    assert_unparsed("Digit", "Answer in 100 words.", "no bound is stated");
    assert_unparsed("Digit", "Write at least 3 sentences.", "does not mention words");
    assert_unparsed("Digit", "Write at least 100 but at most 100 words, around 90.", "numbers");
    assert_unparsed("Digit", "Use at least, at most 100 words.", "conflicting bounds");
    assert_unparsed("Digit", "Answer with at least some words.", "no number");
    assert_unparsed("Digit", "Answer with about 2.5 words.", "not a whole number");
    assert_unparsed("Digit", "Answer with at least 99999999999999999999 words.", "too large");
}

#[test]
fn sentence_templates() {
    #[rustfmt::skip]
    let templates = [
        "Each sentence should have a maximum of {word_number} words.",
        "Limit each sentence to no more than {word_number} words.",
        "Ensure every sentence does not exceed {word_number} words.",
        "Each sentence must be confined to {word_number} words or fewer.",
        "Cap the word count at {word_number} per sentence.",
        "Keep each sentence under {word_number} words.",
        "Allow no more than {word_number} words in each sentence.",
        "Restrict each sentence to {word_number} words maximum.",
        "Each sentence is to contain no more than {word_number} words.",
        "Maintain a word limit of {word_number} per sentence.",
        "Each sentence should not surpass {word_number} words.",
        "Set a limit of {word_number} words for each sentence.",
        "No sentence should exceed {word_number} words in length.",
        "Confine word counts to {word_number} per sentence.",
    ];
    let expected = json!({"id": "crab:words_per_sentence", "max_words": 35, "counting": "nltk"});
    for t in templates {
        assert_typed("Sentence", &t.replace("{word_number}", "35"), expected.clone());
    }
    assert_typed("Sentence", "each sentence ≤ 35 words", expected.clone());
    assert_typed("sentence ", "Sentences: fewer than 36 words each.", expected);
    assert_unparsed(
        "Sentence",
        "Each sentence should have at least 5 words.",
        "only bounds from above",
    );
    assert_unparsed("Sentence", "Keep each sentence short (under 30).", "does not mention words");
    assert_unparsed("Sentence", "Keep each sentence under 0 words.", "max_words");
}

#[test]
fn paragraph_templates() {
    #[rustfmt::skip]
    let templates = [
        "Each paragraph should not exceed {sentence_number} sentences.",
        "Limit answer to no more than {sentence_number} sentences per paragraph.",
        "Ensure that each paragraph contains no more than {sentence_number} sentences.",
        "Each paragraph should be capped at {sentence_number} sentences.",
        "Restrict the length of each paragraph to a maximum of {sentence_number} sentences.",
        "Do not exceed {sentence_number} sentences in any paragraph.",
        "Keep paragraphs to a maximum of {sentence_number} sentences.",
        "Hold each paragraph to a strict maximum of {sentence_number} sentences.",
        "Ensure paragraphs do not exceed {sentence_number} sentences.",
        "Each paragraph must be limited to {sentence_number} sentences.",
        "Allow no more than {sentence_number} sentences in each paragraph.",
        "Set a cap of {sentence_number} sentences for each paragraph.",
        "Confine each paragraph to {sentence_number} sentences.",
        "Each paragraph should comprise no more than {sentence_number} sentences.",
        "Maintain a limit of {sentence_number} sentences for each paragraph.",
    ];
    let expected =
        json!({"id": "crab:sentences_per_paragraph", "max_sentences": 4, "paragraph": "line"});
    for t in templates {
        assert_typed("Paragraph", &t.replace("{sentence_number}", "4"), expected.clone());
    }
    assert_typed("Paragraph", "Each paragraph should not exceed 4 sentences.", expected);
    assert_unparsed("Paragraph", "Write at most 4 paragraphs.", "does not mention sentences");
    assert_unparsed(
        "Paragraph",
        "Each paragraph needs at least 2 sentences.",
        "only bounds from above",
    );
}

#[test]
fn word_templates_are_inverted() {
    #[rustfmt::skip]
    let templates = [
        "Each word in the answer must have at least {character_number} characters.",
        "Ensure that every word in the answer contains no fewer than {character_number} characters.",
        "Each word of the answer should be at least {character_number} characters long.",
        "Set the minimum character count per word in the answer to {character_number}.",
        "Words in the answer should not be shorter than {character_number} characters.",
        "Maintain a minimum of {character_number} characters in each word of the answer.",
        "Each word in the response must consist of at least {character_number} characters.",
        "No word in the answer should fall below {character_number} characters in length.",
        "Each word within the answer requires a minimum of {character_number} characters.",
        "The words of each answer must meet a minimum length of {character_number} characters.",
        "Impose a minimum length of {character_number} characters for each word in the answer.",
        "Words should hold at least {character_number} characters in any answer.",
        "Ensure a lower limit of {character_number} characters for each word in the answer.",
        "All words in the answer are to be no less than {character_number} characters long.",
    ];
    for t in templates {
        let s = t.replace("{character_number}", "15");
        let Imported::Inverted { min_chars, reason, corrected } = import_sentence("Word", &s)
        else {
            panic!("{s}: not inverted")
        };
        assert_eq!(min_chars, 15, "{s}");
        assert!(reason.contains("AT LEAST 15") && reason.contains("at most 15"), "{reason}");
        assert_eq!(
            described(&corrected.unwrap()),
            json!({"id": "crab:chars_per_word", "max_chars": 15, "counting": "nltk"})
        );
    }
    // the intended direction, written out: typed directly
    assert_typed(
        "Word",
        "No word should be longer than 15 characters.",
        json!({"id": "crab:chars_per_word", "max_chars": 15, "counting": "nltk"}),
    );
    assert_typed(
        "Word",
        "Each word must have at most 12 letters.",
        json!({"id": "crab:chars_per_word", "max_chars": 12, "counting": "nltk"}),
    );
    assert_unparsed("Word", "Each word should have at least 15.", "does not mention characters");
    assert_unparsed("Word", "Words of around 6 characters.", "around 6 characters");
}

#[test]
fn keyword_templates() {
    #[rustfmt::skip]
    let templates = [
        "Include keywords such as {keywords} in the response.",
        "Include key terms such as {keywords} in your response.",
        "Include the following keywords in your response: {keywords}.",
        "Ensure the inclusion of key terms such as {keywords}.",
        "Make sure to include the following keywords in your response: {keywords}, to enhance the relevance and clarity.",
        "Your answer should incorporate these essential keywords: {keywords}, to ensure it addresses all key aspects.",
        "Be certain to integrate the keywords {keywords} throughout your response to maintain focus and precision.",
        "In your reply, include the terms {keywords} to emphasize the critical components and provide clarity.",
        "Ensure that your response features the keywords {keywords} to highlight the main points and improve comprehensibility.",
        "To provide a comprehensive answer, make sure to weave in the following keywords: {keywords}.",
        "Your response should feature the terms {keywords} to cover all crucial points effectively.",
        "Incorporate the keywords {keywords} within your reply to ensure it is thorough and informative.",
        "Be sure to mention {keywords} in your response to highlight the key elements and add depth.",
        "Include the keywords {keywords} in your answer to make sure all important aspects are addressed.",
        "To enhance the quality of your response, don't forget to use the keywords {keywords} throughout.",
    ];
    let keywords = r#""NVIDIA GeForce RTX", "tarjeta gráfica", "memoria""#;
    let expected = json!({"id": "crab:key_phrases",
                          "phrases": ["NVIDIA GeForce RTX", "tarjeta gráfica", "memoria"]});
    for t in templates {
        assert_typed("Keyword", &t.replace("{keywords}", keywords), expected.clone());
    }
    assert_typed(
        "Keyword",
        "Mention “James B. Upham” and “Francis Bellamy”.",
        json!({"id": "crab:key_phrases", "phrases": ["James B. Upham", "Francis Bellamy"]}),
    );
    assert_typed(
        "Keyword",
        r#"Include the keywords "feedback" in your answer."#,
        json!({"id": "crab:key_phrases", "phrases": ["feedback"]}),
    );
    assert_unparsed("Keyword", "Include the keywords feedback and tone.", "no double-quoted");
    assert_unparsed("Keyword", r#"Include "feedback and tone."#, "not closed");
    assert_unparsed("Keyword", r#"Use "a", "b", "c", "d"."#, "1 to 3 phrases");
}

#[test]
fn punctuation_templates() {
    #[rustfmt::skip]
    let templates = [
        (",", "Please ensure that your entire response does not contain any commas."),
        (",", "Could you make sure that your response is free of any commas?"),
        (",", "Ensure that commas are excluded from your entire response."),
        (",", "Please verify that there are no commas in your entire response."),
        (",", "Confirm that your response contains no commas throughout."),
        (":", "Avoid the use of colons in your response."),
        (":", "Please refrain from including colons in your response."),
        (":", "Ensure that colons are excluded from your response."),
        (":", "Make sure your response does not contain any colons."),
        (":", "Do not use colons in your response."),
        ("?", "Do not include any question marks in your response."),
        ("?", "Please ensure your response is free of any question marks."),
        ("?", "Make sure to exclude question marks from your response."),
        ("?", "Your response should not contain question marks."),
        ("?", "Avoid using question marks in your response."),
        ("!", "Refrain from using exclamation marks in your response."),
        ("!", "Please avoid including exclamation marks in your response."),
        ("!", "Ensure that your response does not contain any exclamation marks."),
        ("!", "Do not use exclamation marks in your response."),
        ("!", "Keep exclamation marks out of your response."),
        // paraphrases
        (",", "Do not use any commas"),
        (":", "Avoid \":\" in the answer."),
        ("?", "No `?` anywhere."),
        ("!", "Write without exclamation points (!)."),
    ];
    for (mark, s) in templates {
        assert_typed("Punctuation", s, json!({"id": "crab:no_punctuation", "mark": mark}));
    }
    assert_unparsed("Punctuation", "Use commas to separate items.", "does not forbid");
    assert_unparsed("Punctuation", "Avoid semicolons.", "`;`");
    assert_unparsed("Punctuation", "Avoid commas and colons.", "several marks");
    assert_unparsed("Punctuation", "Keep it tidy.", "names no punctuation mark");
}

#[test]
fn other_keys_are_text() {
    for key in
        ["Desired_Writing_Style", " Hierarchical_Instructions", "Length_Constraints", "Digits"]
    {
        assert_eq!(import_sentence(key, "Answer with at least 310 words."), Imported::Text);
    }
    assert_eq!(RuleKey::from_key(" digit "), Some(RuleKey::Digit));
    assert_eq!(RuleKey::from_key("Symbol"), Some(RuleKey::Punctuation));
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

const GOOD: &str = r#"{"id": 7, "messages": [{"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Q"}, {"role": "assistant", "content": "A short answer."},
    {"role": "user", "content": "Q2"}, {"role": "assistant", "content": "Later."}],
    "Aug_instruction": {"Refined_Instruction": null, "Additional_Instruction": {
      "Digit": "Answer with at most 10 words.", "Style": "Be calm.", "Empty": "NULL",
      "Nothing": null, "Listy": ["a", "b"]}}, "source": "alpaca", "score": 4}"#;

#[test]
fn records_and_jsonl() {
    let one = parse_records(GOOD).unwrap();
    assert_eq!(one.len(), 1);
    let rec = &one[0];
    assert_eq!(
        (rec.id.as_str(), rec.instruction.as_str(), rec.response.as_str()),
        ("7", "Q", "A short answer.")
    );
    assert_eq!(rec.source.as_deref(), Some("alpaca"));
    assert_eq!(rec.refined_instruction, None);
    let keys: Vec<(&str, &str)> =
        rec.items.iter().map(|i| (i.key.as_str(), i.kind.label())).collect();
    // in document order
    assert_eq!(keys, [("Digit", "typed"), ("Style", "text"), ("Listy", "unparsed")]);
    assert_eq!(rec.items[2].text, r#"["a","b"]"#);

    // JSONL, an array, a BOM, blank lines
    let jsonl = format!("\u{feff}{}\n\n{}\n", GOOD.replace('\n', " "), GOOD.replace('\n', " "));
    assert_eq!(parse_records(&jsonl).unwrap().len(), 2);
    assert_eq!(parse_records(&format!("[{GOOD}, {GOOD}]")).unwrap().len(), 2);
    assert_eq!(parse_records("").unwrap(), []);
    assert_eq!(parse_records(" [] ").unwrap(), []);
}

fn error(doc: &str) -> String {
    parse_records(doc).unwrap_err().to_string()
}

#[test]
fn malformed_documents_name_record_and_field() {
    let good = GOOD.replace('\n', " ");
    let bad = |from: &str, to: &str| {
        assert!(good.contains(from), "{from}");
        format!("{good}\n{}", good.replace(from, to))
    };
    let cases = [
        (
            bad(r#""id": 7"#, r#""id": [7]"#),
            "record 1 (`$[1].id`): must be a number or a string, got a list",
        ),
        (bad(r#""id": 7,"#, ""), "record 1 (`$[1]`): missing field `id`"),
        (
            bad(r#""content": "A short answer.""#, r#""content": 3"#),
            "record 1 (`$[1].messages[2].content`): must be a string, got a number",
        ),
        (
            bad(r#"{"role": "system", "content": "Be brief."}"#, r#""x""#),
            "record 1 (`$[1].messages[0]`): a message must be an object, got a string",
        ),
        (
            bad(r#""role": "assistant""#, r#""role": "bot""#),
            "record 1 (`$[1].messages`): has no message with role `assistant`",
        ),
        (bad(r#""messages""#, r#""msgs""#), "record 1 (`$[1]`): missing field `messages`"),
        (
            bad(r#""Aug_instruction""#, r#""aug""#),
            "record 1 (`$[1]`): missing field `Aug_instruction`",
        ),
        (
            bad(r#""Additional_Instruction""#, r#""Additional""#),
            "record 1 (`$[1].Aug_instruction`): missing field `Additional_Instruction`",
        ),
        (
            bad(r#""Refined_Instruction": null"#, r#""Refined_Instruction": 1"#),
            "record 1 (`$[1].Aug_instruction.Refined_Instruction`): must be a string, got a number",
        ),
        (
            bad(r#""source": "alpaca""#, r#""source": {}"#),
            "record 1 (`$[1].source`): must be a string, got an object",
        ),
        (format!("{good}\n42"), "record 1 (`$[1]`): a record must be a JSON object, got a number"),
        (format!("[{good}, null]"), "record 1 (`$[1]`): a record must be a JSON object, got null"),
    ];
    for (doc, message) in &cases {
        assert_eq!(&error(doc), message);
    }
    let e = parse_records(&format!("{good}\n{{\"id\": ")).unwrap_err();
    assert_eq!((e.record, e.path.as_str()), (Some(1), "$[1]"));
    assert!(e.message.starts_with("invalid JSON: EOF while parsing"), "{}", e.message);
    let e = parse_records(&format!("[{good},\n]")).unwrap_err();
    assert_eq!(e.record, None);
    assert!(e.to_string().starts_with("`$`: invalid JSON: "), "{e}");
    assert!(e.to_string().contains("line 2"), "{e}");
    assert!(error(&format!("[{good}]\n[{good}]")).contains("one JSON array of records"));
    assert!(error(&format!("{good}\n[{good}]")).contains("one JSON array of records"));
}

#[test]
fn never_panics_on_odd_input() {
    let docs = [
        "{",
        "[",
        "]",
        "nul",
        "\"str\"",
        "1 2 3",
        "[[]]",
        "{\"id\": 1}",
        "\u{feff}",
        "[{}]",
        "{\"id\": 1e400}",
        "[1, {\"a\": [[[[[[[[[[[[[[]]]]]]]]]]]]]}]",
    ];
    for doc in docs {
        let _ = parse_records(doc);
    }
    let deep = "[".repeat(100_000);
    assert!(parse_records(&deep).is_err());
    let odd = [
        "",
        " ",
        "\"",
        "“",
        "”",
        "\"\"",
        "0",
        "-1",
        ",,,",
        "1,000,",
        "1,0000",
        "9.",
        ".5",
        "¿?",
        "at least",
        "no",
        "not not",
        "≤",
        "<",
        "<=",
        ">",
        "~~",
        "ß İ Σ 12",
        "e\u{301}",
        "\u{200b}7",
        "１２ words",
        "٣ words",
        "at least 5 words or fewer than 2",
        "'''",
        "`,`",
        "(,",
        "exclamation",
        "question",
        "full",
        "no more than 9223372036854775807 words",
        "more than 9223372036854775807 words",
        "fewer than -9223372036854775808 words",
    ];
    for key in ["Digit", "Sentence", "Paragraph", "Word", "Keyword", "Punctuation", "Other"] {
        for s in odd {
            let _ = import_sentence(key, s);
            let _ = import_sentence(key, &format!("{s} words sentences characters {s}"));
        }
    }
}
