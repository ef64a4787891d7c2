//! `crab backtranslate --base-url` against the scripted OpenAI-compatible server
//! (`tests/llm/server.mjs`, started with node on a free port): the decisions on scripted answers
//! (a repaired constraint, a dropped invalid one, a symbol-filtered one, two near-duplicates, an
//! unparseable answer), the key kept secret, `--concurrency 8` writing the bytes of
//! `--concurrency 1`, and an interrupted run that a rerun resumes to the uninterrupted file.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::{json, Value};

const KEY: &str = "sk-test-3f9a7c1e5b";

/// The scripted server, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(api_key: Option<&str>) -> Server {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/llm/server.mjs");
        let mut cmd = Command::new("node");
        cmd.arg(script).args(["--port", "0", "--delay", "0"]);
        if let Some(key) = api_key {
            cmd.args(["--api-key", key]);
        }
        let mut child = cmd.stdout(Stdio::piped()).spawn().expect("node runs the test server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap();
        Server { child, base: url.trim_end_matches("/v1").to_owned() }
    }

    fn url(&self) -> String {
        format!("{}/v1", self.base)
    }

    fn script(&self, answers: &[Value]) {
        let agent = ureq::Agent::new_with_defaults();
        agent.post(format!("{}/__control/reset", self.base)).send_empty().unwrap();
        agent
            .post(format!("{}/__control/script", self.base))
            .header("Content-Type", "application/json")
            .send(json!({ "answers": answers }).to_string())
            .unwrap();
    }

    fn chats(&self) -> Vec<Value> {
        let log: Value = serde_json::from_str(
            &ureq::get(format!("{}/__control/log", self.base))
                .call()
                .unwrap()
                .into_body()
                .read_to_string()
                .unwrap(),
        )
        .unwrap();
        let all = log.get("requests").unwrap_or(&log).as_array().cloned().unwrap_or_default();
        all.into_iter()
            .filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/chat/completions")))
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("crab-llmbt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn crab(dir: &Path, server: &Server, extra: &[&str]) -> Output {
    let url = server.url();
    let mut args = vec![
        "backtranslate",
        "--input",
        "in.jsonl",
        "--output",
        "out.jsonl",
        "--base-url",
        &url,
        "--model",
        "crab-test-small",
        "--retries",
        "0",
    ];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_crab"))
        .current_dir(dir)
        .env("CRAB_TEST_KEY", KEY)
        .args(&args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn rows(dir: &Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("out.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The (type, kept, decision) of each constraint the model proposed for `row`.
fn decisions(row: &Value) -> Vec<(String, bool, String)> {
    row["llm"]["run"]["constraints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["type"].as_str().unwrap().to_owned(),
                c["kept"].as_bool().unwrap(),
                c["decision"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

const RESPONSE: &str =
    "Crab facts for curious minds:\n\n- Crabs walk sideways because of how their \
    legs bend.\n- They molt their shells as they grow.\n- Some crabs live on land, others in the \
    sea.\n\nCrabs are fascinating animals.";
const STYLE: &str = "Use a friendly and curious tone that suits young readers.";

/// Answers for row `token` (a word in its response), each matched to its request by content, so
/// that any order of arrival gets the same answers.
fn answers_for(token: &str) -> Vec<Value> {
    let yes = json!({"satisfaction": "YES", "explanation": "", "modified_constraint": "", "constraint_validity": "YES"}).to_string();
    vec![
        json!({"match": ["Rewrite the instruction", token], "content": format!("Refined instruction:\n\nTell me some facts about crabs ({token}), as a short dashed list for curious young readers.")}),
        json!({"match": ["1. Desired_Writing_Style", token], "content": json!({
            "Desired_Writing_Style": STYLE,
            "Semantic_elements": "Mention that crabs walk sideways, molt their shells and live on land.",
            "Target_Audience": "Write for marine biologists who need precise data.",
            "Morphological Constraints": "Use a friendly and curious tone that suits young readers well.",
            "Multi-lingual_Constraints": "NULL",
        }).to_string()}),
        json!({"match": ["1. Hierarchical_Instructions", token], "content": format!("Here are the local constraints:\n```json\n{}\n```", json!({
            "Item_Listing_Details": "List each fact on its own line after a dash (-).",
            "Key_Formatting": "Separate the sections with ****** lines.",
            "Paragraphs_Constraints": "NULL",
        }))}),
        json!({"match": ["Decide whether", token, STYLE], "content": yes}),
        json!({"match": ["Decide whether", token, "Mention that crabs walk"], "content": json!({"satisfaction": "NO", "explanation": "the text does not say where all crabs live", "modified_constraint": "Mention that crabs walk sideways and molt their shells as the text says.", "constraint_validity": "YES"}).to_string()}),
        json!({"match": ["Decide whether", token, "marine biologists"], "content": json!({"satisfaction": "NO", "explanation": "the text is for children, not experts", "modified_constraint": "", "constraint_validity": "NO"}).to_string()}),
        json!({"match": ["Decide whether", token, "young readers well"], "content": "I believe this one is fine."}),
        json!({"match": ["Decide whether", token, "after a dash"], "content": yes}),
    ]
}

fn input(n: usize) -> String {
    (1..=n)
        .map(|i| {
            json!({"key": format!("r{i}"), "instruction": "Tell me some facts about crabs.", "response": RESPONSE.replace("curious minds", &format!("curious minds (tok{i}q)"))}).to_string() + "\n"
        })
        .collect()
}

fn script_rows(server: &Server, rows: std::ops::RangeInclusive<usize>) {
    let answers: Vec<Value> = rows.flat_map(|i| answers_for(&format!("tok{i}q"))).collect();
    server.script(&answers);
}

#[test]
fn every_decision_and_the_key_kept_secret() {
    let server = Server::start(Some(KEY));
    let dir = scratch("decisions");
    std::fs::write(dir.join("in.jsonl"), input(1)).unwrap();
    script_rows(&server, 1..=1);
    let out =
        crab(&dir, &server, &["--check", "--api-key-env", "CRAB_TEST_KEY", "--concurrency", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let chats = server.chats();
    assert_eq!(chats.len(), 3 + 5, "three first calls, then one check per constraint left");
    assert_eq!(chats[0]["body"]["temperature"], 0.4);
    assert_eq!(chats[0]["body"]["top_p"], 0.3);
    assert_eq!(chats[0]["headers"]["authorization"], format!("Bearer {KEY}"));
    let row = &rows(&dir)[0];
    let d = decisions(row);
    let find = |kind: &str| d.iter().find(|c| c.0 == kind).unwrap().clone();
    assert_eq!(find("Desired_Writing_Style").2, "kept");
    assert!(find("Semantic_elements")
        .2
        .starts_with("repaired: the text does not say where all crabs live"));
    assert_eq!(find("Target_Audience").2, "dropped: the text is for children, not experts");
    assert!(find("Morphological_Constraints")
        .2
        .starts_with("merged as a duplicate of Desired_Writing_Style (ROUGE-L"));
    assert!(!find("Key_Formatting").1);
    assert!(find("Key_Formatting")
        .2
        .contains("names “******”, which the response does not contain"));
    assert_eq!(find("Item_Listing_Details").2, "kept");
    // The survivors are the row's text constraints, marked llm; the rule-derived ones are there too.
    let llm: Vec<&Value> =
        row["constraints"].as_array().unwrap().iter().filter(|c| c["source"] == "llm").collect();
    assert_eq!(llm.len(), 3);
    assert!(llm.iter().any(|c| c["kwargs"]["text"]
        == "Mention that crabs walk sideways and molt their shells as the response says."));
    assert!(row["constraints"].as_array().unwrap().iter().any(|c| c.get("source").is_none()));
    assert!(row["llm"]["run"]["refined_instruction"].as_str().unwrap().contains("dashed list"));
    assert_eq!(row["llm"]["run"]["log"].as_array().unwrap().len(), 8);
    assert_eq!(row["llm"]["model"], "crab-test-small");
    // The key is in no output, message or side file.
    for file in ["out.jsonl", "out.jsonl.resume.json"] {
        assert!(!std::fs::read_to_string(dir.join(file)).unwrap().contains(KEY), "{file}");
    }
    assert!(!text(&out.stdout).contains(KEY) && !text(&out.stderr).contains(KEY));

    // A wrong key: the row fails (401 is not retried), is reported with its line and key and
    // left out; the key is not printed.
    let dir = scratch("wrong-key");
    std::fs::write(dir.join("in.jsonl"), input(1)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_crab"))
        .current_dir(&dir)
        .env("CRAB_TEST_KEY", "sk-wrong-999")
        .args([
            "backtranslate",
            "--input",
            "in.jsonl",
            "--output",
            "out.jsonl",
            "--base-url",
            &server.url(),
            "--model",
            "crab-test-small",
            "--api-key-env",
            "CRAB_TEST_KEY",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("in.jsonl:1: key r1:") && err.contains("refused the API key"), "{err}");
    assert!(!err.contains("sk-wrong-999"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("out.jsonl")).unwrap(), "");
}

#[test]
fn an_unparseable_answer_is_a_problem_not_a_failure() {
    let server = Server::start(None);
    let dir = scratch("unparseable");
    std::fs::write(dir.join("in.jsonl"), input(1)).unwrap();
    server.script(&[
        json!("Better list of crab facts."),
        json!("I would say the style is friendly."),
        json!("{\"Item_Listing_Details\": \"Use dashes (-) for the list.\"}"),
    ]);
    let out = crab(&dir, &server, &["--concurrency", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let row = &rows(&dir)[0];
    let problems = row["llm"]["run"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].as_str().unwrap().starts_with("global: no JSON object in the answer"));
    assert_eq!(decisions(row).len(), 1);
    assert_eq!(server.chats().len(), 3, "no checks without --check");
}

#[test]
fn concurrency_changes_nothing_in_the_output() {
    let server = Server::start(None);
    let mut outputs = Vec::new();
    for concurrency in ["1", "8"] {
        let dir = scratch(&format!("concurrency-{concurrency}"));
        std::fs::write(dir.join("in.jsonl"), input(12)).unwrap();
        script_rows(&server, 1..=12);
        let out = crab(&dir, &server, &["--check", "--concurrency", concurrency]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        assert_eq!(server.chats().len(), 12 * 8);
        outputs.push(std::fs::read(dir.join("out.jsonl")).unwrap());
    }
    assert_eq!(rows_of(&outputs[0]), 12);
    assert!(outputs[0] == outputs[1], "--concurrency 8 wrote other bytes than --concurrency 1");
}

fn rows_of(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

#[test]
fn an_interrupted_run_resumes_to_the_same_file() {
    let server = Server::start(None);
    let whole = scratch("resume-whole");
    std::fs::write(whole.join("in.jsonl"), input(8)).unwrap();
    script_rows(&server, 1..=8);
    assert_eq!(crab(&whole, &server, &["--check", "--concurrency", "3"]).status.code(), Some(0));
    let expected = std::fs::read(whole.join("out.jsonl")).unwrap();

    // The server answers rows 1-5 and fails the rest (a 401 is not retried).
    let dir = scratch("resume");
    std::fs::write(dir.join("in.jsonl"), input(8)).unwrap();
    let mut answers: Vec<Value> = (1..=5).flat_map(|i| answers_for(&format!("tok{i}q"))).collect();
    answers.push(json!({"fault": "401", "repeat": true}));
    server.script(&answers);
    let out = crab(&dir, &server, &["--check", "--concurrency", "3"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    for (line, key) in [(6, "r6"), (7, "r7"), (8, "r8")] {
        assert!(err.contains(&format!("in.jsonl:{line}: key {key}:")), "{err}");
    }
    assert!(err.contains("a rerun retries it"), "{err}");
    let first = std::fs::read(dir.join("out.jsonl")).unwrap();
    assert_eq!(rows_of(&first), 5);
    assert!(expected.starts_with(&first));
    // As if killed in the middle of writing row 6: a cut line.
    let cut = expected.get(first.len()..first.len() + 40).unwrap();
    std::fs::write(dir.join("out.jsonl"), [first.as_slice(), cut].concat()).unwrap();

    // Other options are refused, naming them; nothing is written.
    let out = crab(&dir, &server, &["--check", "--seed", "7"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("seed: 0 in that run, 7 now"), "{}", text(&out.stderr));

    // The same command resumes: the cut line is dropped and said, rows 1-5 are not asked again.
    script_rows(&server, 6..=8);
    let out = crab(&dir, &server, &["--check", "--concurrency", "3"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("its last line (line 6) was cut"), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("5 row(s) already in the output were kept"));
    assert_eq!(server.chats().len(), 3 * 8);
    assert!(std::fs::read(dir.join("out.jsonl")).unwrap() == expected, "the resumed file differs");

    // A finished run rerun does nothing.
    server.script(&[]);
    let out = crab(&dir, &server, &["--check"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(server.chats().len(), 0);
}
