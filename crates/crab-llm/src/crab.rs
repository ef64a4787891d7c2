//! CRAB's LLM back-translation (`crab-method.md` §1.2–§1.4), as pure steps the front ends drive.
//!
//! For one (instruction, response) pair a model is asked three things: a refined instruction
//! (the "define circumstances" constraint), the global constraints the response satisfies (style,
//! semantics, morphology, language) and the local ones (hierarchy, output format, paragraphs, a
//! specific sentence, key formatting, item listing), each as a JSON object keyed by type with
//! `"NULL"` for types that do not apply. Then, optionally, each constraint is checked against the
//! response by the model, and repaired or dropped as CRAB does; then near-duplicates are removed
//! by ROUGE-L, as CRAB's filter does. [`Run`] holds one pair's progress: the front end asks it for
//! the requests to send ([`Run::first_requests`], [`Run::check_requests`]), sends them (the app
//! through `fetch`, the CLI through its HTTP client) and feeds the answers back as text; every
//! parse and decision is made here, so the browser and the CLI decide identically on the same
//! answers, and every decision is recorded with its reason ([`Decision`]).
//!
//! The prompts are ours (CRAB's are paraphrased in the method notes); the settings (a linguist's
//! system prompt, temperature 0.4, top_p 0.3), the filters and the thresholds follow CRAB.

use crab_constraints::backtranslate::{normalize_type, Extra, Source, TextConstraint};
use crab_constraints::text::rouge::{crab_duplicates, crab_score, DUPLICATE_THRESHOLD};
use serde_json::{json, Map, Value};

use crate::prompt::Message;
use crate::request::{ResponseFormat, Settings};

/// The system prompt of every back-translation call.
pub const SYSTEM_PROMPT: &str = "You are a careful linguist who reads instructions and the \
    answers written for them, and notices exactly how an answer is shaped: its tone, its themes, \
    its language, its structure and its formatting.";

/// CRAB's sampling temperature for these calls.
pub const TEMPERATURE: f64 = 0.4;
/// CRAB's nucleus sampling for these calls.
pub const TOP_P: f64 = 0.3;

/// Symbols a format constraint may name; one that the response does not contain drops it
/// (CRAB's symbol-consistency filter).
pub const SYMBOLS: [&str; 6] = ["******", "**", "*", "•", "1.", "-"];
/// The types the symbol filter applies to.
pub const SYMBOL_CHECKED: [&str; 3] =
    ["Key_Formatting", "Item_Listing_Details", "Paragraphs_Constraints"];

/// The settings of every back-translation call: the endpoint's (address, model, limits, timeouts,
/// retries) with this sampling, no `response_format` and no system prompt of the endpoint's (the
/// messages carry [`SYSTEM_PROMPT`]). The browser and `crab backtranslate --base-url` both send
/// their requests with these, so the same endpoint gets the same bodies from both.
pub fn call_settings(endpoint: &Settings, temperature: f64, top_p: f64) -> Settings {
    Settings {
        temperature: Some(temperature),
        top_p: Some(top_p),
        response_format: ResponseFormat::None,
        system_prompt: String::new(),
        ..endpoint.clone()
    }
}

/// The three first calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Call {
    /// The refined instruction.
    Refine,
    /// Style and semantic constraints.
    Global,
    /// Format and structure constraints.
    Local,
}

impl Call {
    /// All three, in the order they are shown.
    pub const ALL: [Call; 3] = [Call::Refine, Call::Global, Call::Local];

    /// `refine`, `global`, `local`.
    pub fn as_str(self) -> &'static str {
        match self {
            Call::Refine => "refine",
            Call::Global => "global",
            Call::Local => "local",
        }
    }
}

fn quoted(instruction: &str, response: &str) -> String {
    format!("### Instruction\n{instruction}\n\n### Output\n{response}")
}

const GLOBAL_TYPES: &str = "\
1. Desired_Writing_Style: the tone, sentiment, formality, empathy, ambiguity or humour the output \
uses.
2. Semantic_elements: the main theme and the key messages or arguments the output conveys.
3. Morphological_Constraints: words, phrases or formatting the output avoids.
4. Multi-lingual_Constraints: the language the output is written in.";

const LOCAL_TYPES: &str = "\
1. Hierarchical_Instructions: the order and priority of the output's parts.
2. Special_Output_Format: a special format the output uses (code, a table, JSON, HTML, LaTeX…).
3. Paragraphs_Constraints: the number of paragraphs or sections and how they are separated (blank \
lines, horizontal rules, \"******\"…).
4. Specific_Sentence: an exact phrase the output starts or ends with.
5. Key_Formatting: bold, italics or capitals used for titles or key words (NULL if there are \
none).
6. Item_Listing_Details: the marker its list items use (•, 1., -) and how items are laid out.";

/// The request of one of the three first calls.
pub fn first_messages(call: Call, instruction: &str, response: &str) -> Vec<Message> {
    let task = match call {
        Call::Refine => "Rewrite the instruction below so that it is more specific and fits the \
            output more closely: make the subject, the object or the circumstances clear. Keep \
            any input text and non-text content of the instruction as it is, and add only 10 to \
            20 words. Answer with the refined instruction alone, without a heading."
            .to_owned(),
        Call::Global | Call::Local => {
            let types = if call == Call::Global { GLOBAL_TYPES } else { LOCAL_TYPES };
            let exact = if call == Call::Local {
                " A format constraint must describe the output's format exactly as it is."
            } else {
                ""
            };
            format!(
                "Read the instruction and the output below, and write the constraints the output \
                 already satisfies, so that adding them to the instruction would make this output \
                 a closer match. Consider these types:\n{types}\n\nAnswer with one JSON object: \
                 each key is a constraint type, each value one complete sentence of 10 to 20 \
                 words, worded as an instruction to the writer, or the string \"NULL\" when the \
                 type does not apply.{exact} You may add other types that matter. No heading, \
                 no other text."
            )
        }
    };
    vec![
        Message::new("system", SYSTEM_PROMPT),
        Message::new("user", format!("{task}\n\n{}", quoted(instruction, response))),
    ]
}

/// The check of one constraint against the response.
pub fn check_messages(response: &str, constraint: &str) -> Vec<Message> {
    let task = "Decide whether the text below satisfies the constraint. Answer with one JSON \
        object with four fields: \"satisfaction\" (\"YES\" or \"NO\"), \"explanation\" (why not, \
        when NO), \"modified_constraint\" (when NO: the constraint rewritten so that the text \
        satisfies it), and \"constraint_validity\" (\"YES\" or \"NO\": whether the constraint, or \
        its rewrite, really restricts a text; \"one paragraph or several, no separator \
        required\" restricts nothing). For example, for the constraint \"Name three colours\" and \
        a text naming red and blue: {\"satisfaction\": \"NO\", \"explanation\": \"the text \
        names two colours\", \"modified_constraint\": \"Name two colours\", \
        \"constraint_validity\": \"YES\"}.";
    vec![
        Message::new("system", SYSTEM_PROMPT),
        Message::new(
            "user",
            format!("{task}\n\n### Constraint\n{constraint}\n\n### Text\n{response}"),
        ),
    ]
}

/// The first JSON object in `answer`: the whole answer, else a fenced block, else CRAB's fallback
/// (the second block of the answer split at blank lines), else the first balanced `{…}` that
/// parses.
pub fn find_json_object(answer: &str) -> Option<Map<String, Value>> {
    let object = |s: &str| match serde_json::from_str::<Value>(s.trim()) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    };
    if let Some(m) = object(answer) {
        return Some(m);
    }
    for (i, block) in answer.split("```").enumerate() {
        if i % 2 == 1 {
            let body =
                block.strip_prefix("json").or_else(|| block.strip_prefix("JSON")).unwrap_or(block);
            if let Some(m) = object(body) {
                return Some(m);
            }
        }
    }
    if let Some(m) = answer.split("\n\n").nth(1).and_then(object) {
        return Some(m);
    }
    let mut from = 0;
    while let Some(start) = answer.get(from..).and_then(|s| s.find('{')).map(|i| i + from) {
        if let Some(end) = balanced_end(answer, start) {
            if let Some(m) = answer.get(start..end).and_then(object) {
                return Some(m);
            }
        }
        from = start + 1;
    }
    None
}

/// The end (exclusive) of the balanced `{…}` that starts at `start`, strings respected.
fn balanced_end(s: &str, start: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in s.get(start..)?.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(start + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The refined instruction in an answer: trimmed, quotes around it removed, and a leading
/// "… refined instruction:" line cut as CRAB does.
pub fn clean_refined(answer: &str) -> String {
    let mut text = answer.trim();
    let lower = text.to_lowercase();
    if let Some(at) = lower.find("refined instruction:") {
        // Only a label at the start (within the first line or so) is cut.
        if at < 80 {
            text = text.get(at + "refined instruction:".len()..).unwrap_or("").trim();
        }
    }
    let unquoted = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(text);
    unquoted.trim().to_owned()
}

/// The first symbol of [`SYMBOLS`] that `text` names and `response` lacks.
pub fn missing_symbol<'a>(text: &str, response: &str) -> Option<&'a str> {
    SYMBOLS.into_iter().find(|s| text.contains(s) && !response.contains(s))
}

/// A model's check of one constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckAnswer {
    /// `satisfaction == "YES"`.
    pub satisfied: bool,
    /// Why not.
    pub explanation: String,
    /// The rewrite the text satisfies.
    pub modified: String,
    /// `constraint_validity == "YES"`.
    pub valid: bool,
}

/// Reads a check answer; `None` when it lacks CRAB's three required fields (then CRAB keeps the
/// constraint).
pub fn parse_check(answer: &str) -> Option<CheckAnswer> {
    let m = find_json_object(answer)?;
    let field = |k: &str| m.get(k).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned));
    let yes = |v: String| v.trim().eq_ignore_ascii_case("yes");
    Some(CheckAnswer {
        satisfied: yes(field("satisfaction")?),
        explanation: field("explanation").unwrap_or_default(),
        modified: field("modified_constraint")?,
        valid: yes(field("constraint_validity")?),
    })
}

/// What became of one constraint, with why.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Kept as the model wrote it.
    Kept,
    /// The check could not be read: kept, as CRAB does.
    KeptUnchecked {
        /// Why the check could not be used.
        reason: String,
    },
    /// Replaced by the check's rewrite.
    Repaired {
        /// The sentence before.
        from: String,
        /// The checker's explanation.
        reason: String,
    },
    /// Dropped by the check (not satisfied, and no valid rewrite).
    Dropped {
        /// The checker's explanation.
        reason: String,
    },
    /// Dropped because it names a symbol the response lacks.
    SymbolFiltered {
        /// The symbol.
        symbol: String,
    },
    /// Dropped as a near-duplicate (ROUGE-L above the threshold) of another constraint.
    Duplicate {
        /// The index of the constraint it duplicates.
        of: usize,
        /// The score.
        score: f64,
    },
}

impl Decision {
    /// Whether the constraint survives.
    pub fn kept(&self) -> bool {
        matches!(self, Decision::Kept | Decision::KeptUnchecked { .. } | Decision::Repaired { .. })
    }

    /// One line for the step list.
    pub fn describe(&self, all: &[Candidate]) -> String {
        match self {
            Decision::Kept => "kept".to_owned(),
            Decision::KeptUnchecked { reason } => format!("kept unchecked ({reason})"),
            Decision::Repaired { from, reason } => {
                if reason.is_empty() {
                    format!("repaired (was: “{from}”)")
                } else {
                    format!("repaired: {reason} (was: “{from}”)")
                }
            }
            Decision::Dropped { reason } => format!("dropped: {reason}"),
            Decision::SymbolFiltered { symbol } => {
                format!("dropped: it names “{symbol}”, which the response does not contain")
            }
            Decision::Duplicate { of, score } => {
                let other = all.get(*of).map(|c| c.kind.as_str()).unwrap_or("?");
                format!("merged as a duplicate of {other} (ROUGE-L {score:.2})")
            }
        }
    }
}

/// One constraint the model proposed, and what became of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// The type, as normalised.
    pub kind: String,
    /// The type as the model wrote it.
    pub raw_kind: String,
    /// The sentence (after any repair).
    pub text: String,
    /// The call it came from.
    pub call: Call,
    /// Its fate.
    pub decision: Decision,
}

/// One request and its answer, for inspection.
#[derive(Clone, Debug, PartialEq)]
pub struct Exchange {
    /// `refine`, `global`, `local`, or `check <n>`.
    pub step: String,
    /// What was sent.
    pub messages: Vec<Message>,
    /// What came back, or the error.
    pub answer: Result<String, String>,
}

/// One pair's LLM back-translation.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    instruction: String,
    response: String,
    /// The refined instruction, when the model gave one.
    pub refined: Option<String>,
    /// How many constraints repeat the refined instruction (ROUGE-L above the threshold).
    pub overlap: usize,
    /// Every constraint proposed, in the order proposed.
    pub candidates: Vec<Candidate>,
    /// Every request and answer.
    pub log: Vec<Exchange>,
    /// Answers that could not be used, with why (shown, never a crash).
    pub problems: Vec<String>,
}

impl Run {
    /// A run for one pair.
    pub fn new(instruction: &str, response: &str) -> Run {
        Run {
            instruction: instruction.to_owned(),
            response: response.to_owned(),
            refined: None,
            overlap: 0,
            candidates: Vec::new(),
            log: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// The three first requests.
    pub fn first_requests(&self) -> Vec<(Call, Vec<Message>)> {
        Call::ALL
            .iter()
            .map(|&c| (c, first_messages(c, &self.instruction, &self.response)))
            .collect()
    }

    /// Takes the answer of one of the first calls.
    pub fn accept(&mut self, call: Call, answer: Result<String, String>) {
        let messages = first_messages(call, &self.instruction, &self.response);
        self.log.push(Exchange {
            step: call.as_str().to_owned(),
            messages,
            answer: answer.clone(),
        });
        let text = match answer {
            Ok(t) => t,
            Err(e) => {
                self.problems.push(format!("{}: the request failed: {e}", call.as_str()));
                return;
            }
        };
        if call == Call::Refine {
            let refined = clean_refined(&text);
            if refined.is_empty() {
                self.problems.push("refine: the answer was empty".to_owned());
            } else {
                self.refined = Some(refined);
            }
            return;
        }
        let Some(map) = find_json_object(&text) else {
            let shown: String = text.trim().chars().take(200).collect();
            self.problems.push(format!(
                "{}: no JSON object in the answer, so no constraint was taken from it: {shown}",
                call.as_str()
            ));
            return;
        };
        for (raw_kind, value) in map {
            let Some(sentence) = value.as_str().map(str::trim) else { continue };
            if sentence.is_empty() || sentence == "NULL" {
                continue;
            }
            let kind = normalize_type(&raw_kind);
            let mut sentence = sentence.to_owned();
            // CRAB cuts a trailing "no use of CAPITAL LETTERS" clause from key formatting.
            if kind == "Key_Formatting" && sentence.contains("no use of CAPITAL LETTERS") {
                let parts: Vec<&str> = sentence.split(',').collect();
                sentence = format!(
                    "{}.",
                    parts.get(..parts.len().saturating_sub(1)).unwrap_or(&[]).join(",")
                );
            }
            let decision = match (
                SYMBOL_CHECKED.contains(&kind.as_str()),
                missing_symbol(&sentence, &self.response),
            ) {
                (true, Some(symbol)) => Decision::SymbolFiltered { symbol: symbol.to_owned() },
                _ => Decision::Kept,
            };
            self.candidates.push(Candidate { kind, raw_kind, text: sentence, call, decision });
        }
    }

    /// The check requests: one per constraint still kept, with its index.
    pub fn check_requests(&self) -> Vec<(usize, Vec<Message>)> {
        self.candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| c.decision.kept())
            .map(|(i, c)| (i, check_messages(&self.response, &c.text)))
            .collect()
    }

    /// Takes the check of constraint `index`, applied as CRAB does: not satisfied and not valid
    /// → dropped; not satisfied and valid → replaced by the rewrite (its first "text" made
    /// "response"); unreadable → kept.
    pub fn accept_check(&mut self, index: usize, answer: Result<String, String>) {
        let Some(c) = self.candidates.get(index) else { return };
        let messages = check_messages(&self.response, &c.text);
        self.log.push(Exchange {
            step: format!("check {index}"),
            messages,
            answer: answer.clone(),
        });
        let Some(c) = self.candidates.get_mut(index) else { return };
        let decision = match answer {
            Err(e) => Decision::KeptUnchecked { reason: format!("the check failed: {e}") },
            Ok(text) => match parse_check(&text) {
                None => Decision::KeptUnchecked {
                    reason: "the check's answer could not be read".to_owned(),
                },
                Some(check) if check.satisfied => Decision::Kept,
                Some(check) if !check.valid => Decision::Dropped { reason: check.explanation },
                Some(check) => {
                    let from = std::mem::replace(
                        &mut c.text,
                        check.modified.replacen("text", "response", 1),
                    );
                    Decision::Repaired { from, reason: check.explanation }
                }
            },
        };
        c.decision = decision;
    }

    /// The last step: near-duplicates among the kept constraints are merged (CRAB's greedy
    /// order), and the overlap with the refined instruction is counted.
    pub fn finish(&mut self) {
        let kept: Vec<usize> = (0..self.candidates.len())
            .filter(|&i| self.candidates.get(i).is_some_and(|c| c.decision.kept()))
            .collect();
        let texts: Vec<&str> =
            kept.iter().filter_map(|&i| self.candidates.get(i).map(|c| c.text.as_str())).collect();
        let duplicates = crab_duplicates(&texts);
        let mut marks = Vec::new();
        for (dup, of) in duplicates {
            if let (Some(&d), Some(&o)) = (kept.get(dup), kept.get(of)) {
                // CRAB scores a pair as (earlier, later): the score is not symmetric.
                let (first, second) = (dup.min(of), dup.max(of));
                let score = crab_score(
                    texts.get(first).copied().unwrap_or(""),
                    texts.get(second).copied().unwrap_or(""),
                );
                marks.push((d, Decision::Duplicate { of: o, score }));
            }
        }
        for (d, decision) in marks {
            if let Some(c) = self.candidates.get_mut(d) {
                c.decision = decision;
            }
        }
        self.overlap = match &self.refined {
            Some(refined) => self
                .candidates
                .iter()
                .filter(|c| c.decision.kept() && crab_score(refined, &c.text) > DUPLICATE_THRESHOLD)
                .count(),
            None => 0,
        };
    }

    /// The surviving constraints, as text constraints.
    pub fn constraints(&self) -> Vec<TextConstraint> {
        self.candidates
            .iter()
            .filter(|c| c.decision.kept())
            .map(|c| TextConstraint::new(&c.kind, &c.text, Source::Llm))
            .collect()
    }

    /// What the run adds to the composition ([`Extra`]): the surviving constraints and the
    /// refined instruction with its overlap. The browser's panel and `crab backtranslate
    /// --base-url` compose with exactly this.
    pub fn extra(&self) -> Extra {
        Extra {
            texts: self.constraints(),
            refined: self.refined.clone().map(|t| (t, self.overlap)),
        }
    }

    /// The whole run (prompts, raw answers, decisions) as JSON, for inspection.
    pub fn to_json(&self) -> Value {
        let candidates: Vec<Value> = self
            .candidates
            .iter()
            .map(|c| {
                json!({
                    "type": c.kind,
                    "type_as_written": c.raw_kind,
                    "text": c.text,
                    "call": c.call.as_str(),
                    "kept": c.decision.kept(),
                    "decision": c.decision.describe(&self.candidates),
                })
            })
            .collect();
        let log: Vec<Value> = self
            .log
            .iter()
            .map(|e| {
                let (answer, error) = match &e.answer {
                    Ok(a) => (Value::String(a.clone()), Value::Null),
                    Err(err) => (Value::Null, Value::String(err.clone())),
                };
                json!({"step": e.step, "messages": e.messages, "answer": answer, "error": error})
            })
            .collect();
        json!({
            "instruction": self.instruction,
            "response": self.response,
            "refined_instruction": self.refined,
            "overlap": self.overlap,
            "constraints": candidates,
            "problems": self.problems,
            "log": log,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESPONSE: &str = "**Crabs** walk sideways.\n\n- They have ten legs.\n- They molt.\n\nIn short, crabs are fascinating.";

    #[test]
    fn json_is_found_anywhere() {
        assert!(find_json_object(r#"{"a": "b"}"#).is_some());
        assert!(find_json_object("Here you go:\n```json\n{\"a\": \"b\"}\n```\nDone.").is_some());
        assert!(find_json_object("Sure!\n\n{\"a\": \"b\"}\n\nHope it helps.").is_some());
        let m =
            find_json_object("Note: {not json} then {\"x\": \"a } b\", \"y\": {\"z\": 1}} tail")
                .unwrap();
        assert_eq!(m["x"], "a } b");
        assert!(find_json_object("no object at all").is_none());
        assert!(find_json_object("{ unbalanced").is_none());
    }

    #[test]
    fn first_calls_filters_and_cleanups() {
        let mut run = Run::new("Tell me about crabs.", RESPONSE);
        assert_eq!(run.first_requests().len(), 3);
        run.accept(
            Call::Refine,
            Ok("Refined instruction:\n\n\"Describe crabs in a short list.\"".into()),
        );
        assert_eq!(run.refined.as_deref(), Some("Describe crabs in a short list."));
        run.accept(Call::Global, Ok(r#"{"Desired_Writing_Style": "Use a light and curious tone throughout the whole answer.", "Multi-lingual_Constraints": "NULL", " Target audience": "Write for curious children who like animals."}"#.into()));
        run.accept(
            Call::Local,
            Ok(r#"Here is the JSON:
```json
{"Item_Listing_Details": "List the facts with a dash (-) before each item.", "Key_Formatting": "Use ****** between sections, and bold the title.", "Paragraphs_Constraints": "NULL"}
```"#
                .into()),
        );
        let kinds: Vec<(&str, bool)> =
            run.candidates.iter().map(|c| (c.kind.as_str(), c.decision.kept())).collect();
        assert_eq!(
            kinds,
            [
                ("Desired_Writing_Style", true),
                ("Target_audience", true),
                ("Item_Listing_Details", true),
                ("Key_Formatting", false)
            ]
        );
        assert_eq!(
            run.candidates[3].decision,
            Decision::SymbolFiltered { symbol: "******".into() }
        );
        assert_eq!(run.candidates[1].raw_kind, " Target audience");
        // An unparseable answer is a problem, not a crash.
        run.accept(Call::Global, Ok("I think the style is formal.".into()));
        assert_eq!(run.problems.len(), 1);
        assert!(run.problems[0].starts_with("global: no JSON object"));
        run.accept(Call::Local, Err("500 Internal Server Error".into()));
        assert_eq!(run.problems.len(), 2);
    }

    #[test]
    fn checks_repair_drop_or_keep() {
        let mut run = Run::new("Tell me about crabs.", RESPONSE);
        run.accept(Call::Global, Ok(r#"{"A": "Name three animals in the text.", "B": "Use one paragraph or several.", "C": "Write about crabs.", "D": "Be brief."}"#.into()));
        let checks = run.check_requests();
        assert_eq!(checks.len(), 4);
        run.accept_check(0, Ok(r#"{"satisfaction": "NO", "explanation": "the text names one animal", "modified_constraint": "Name one animal in the text.", "constraint_validity": "YES"}"#.into()));
        run.accept_check(1, Ok(r#"{"satisfaction": "NO", "explanation": "vacuous", "modified_constraint": "", "constraint_validity": "NO"}"#.into()));
        run.accept_check(2, Ok(r#"{"satisfaction": "YES", "explanation": "", "modified_constraint": "", "constraint_validity": "YES"}"#.into()));
        run.accept_check(3, Ok("Yes, it is brief.".into()));
        assert_eq!(run.candidates[0].text, "Name one animal in the response.");
        assert!(matches!(run.candidates[0].decision, Decision::Repaired { .. }));
        assert_eq!(run.candidates[1].decision, Decision::Dropped { reason: "vacuous".into() });
        assert_eq!(run.candidates[2].decision, Decision::Kept);
        assert!(matches!(run.candidates[3].decision, Decision::KeptUnchecked { .. }));
        assert_eq!(run.constraints().len(), 3);
        // Dropped constraints are not checked again.
        assert_eq!(run.check_requests().len(), 3);
    }

    #[test]
    fn duplicates_and_overlap_and_export() {
        let mut run = Run::new("Tell me about crabs.", RESPONSE);
        run.accept(
            Call::Refine,
            Ok("Write a short list of facts about crabs for children.".into()),
        );
        run.accept(
            Call::Global,
            Ok(r#"{"A": "Write a short list of facts about crabs for children.", "B": "Write a short list of facts about crabs for kids.", "C": "Use a playful tone."}"#.into()),
        );
        run.finish();
        assert!(matches!(run.candidates[1].decision, Decision::Duplicate { of: 0, .. }));
        assert_eq!(run.overlap, 1);
        let json = run.to_json();
        assert_eq!(json["constraints"].as_array().map(Vec::len), Some(3));
        assert_eq!(json["log"].as_array().map(Vec::len), Some(2));
        let extra = run.extra();
        assert_eq!(extra.texts.len(), 2);
        assert_eq!(extra.refined.as_ref().map(|r| r.1), Some(1));
        let settings = call_settings(
            &Settings { system_prompt: "x".into(), retries: 5, ..Settings::default() },
            0.4,
            0.3,
        );
        assert_eq!((settings.temperature, settings.top_p), (Some(0.4), Some(0.3)));
        assert_eq!((settings.system_prompt.as_str(), settings.retries), ("", 5));
        assert!(json["constraints"][1]["decision"]
            .as_str()
            .unwrap()
            .starts_with("merged as a duplicate of A"));
    }

    #[test]
    fn check_parsing() {
        assert_eq!(parse_check("nothing"), None);
        assert_eq!(parse_check(r#"{"satisfaction": "YES"}"#), None);
        let c = parse_check("Here:\n{\"satisfaction\": \"no\", \"modified_constraint\": \"x\", \"constraint_validity\": \"yes\"}").unwrap();
        assert!(!c.satisfied && c.valid);
        assert_eq!(clean_refined("  plain  "), "plain");
    }
}
