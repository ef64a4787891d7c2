//! The LLM judge: does a response satisfy constraints that no rule can check (a tone, a theme,
//! a constraint a person typed as a sentence)?
//!
//! One call judges one constraint, or several at once (numbered), and must answer in a strict
//! format: a JSON object `{"verdicts": [{"n": 1, "holds": true, "reason": "…"}, …]}`. Models
//! often write prose first, so the object is looked for anywhere in the answer
//! ([`crate::crab::find_json_object`]); an answer without a verdict for every constraint is
//! unparseable, and the front end asks again with [`retry_messages`] (the caller bounds how many
//! times). Temperature 0 by default, so that a verdict is as repeatable as the server allows.

use serde_json::Value;

use crate::crab::find_json_object;
use crate::prompt::Message;

/// The judge's default temperature.
pub const TEMPERATURE: f64 = 0.0;

/// How many times an unparseable answer is asked again.
pub const RETRIES: usize = 2;

const SYSTEM: &str = "You are a strict, fair judge of whether a text meets stated requirements. \
    You judge only what is asked, from the text alone.";

/// The request judging `constraints` (one or several) on `response`.
pub fn messages(response: &str, constraints: &[&str]) -> Vec<Message> {
    let list: String =
        constraints.iter().enumerate().map(|(i, c)| format!("{}. {}\n", i + 1, c.trim())).collect();
    let task = format!(
        "Does the response below satisfy each of these constraints?\n{list}\nAnswer with one \
         JSON object and nothing else: {{\"verdicts\": [{{\"n\": 1, \"holds\": true or false, \
         \"reason\": \"one short sentence\"}}, …]}}, one entry per constraint, in order.\n\n\
         ### Response\n{response}"
    );
    vec![Message::new("system", SYSTEM), Message::new("user", task)]
}

/// The follow-up when an answer could not be read: the conversation so far and a reminder.
pub fn retry_messages(previous: &[Message], answer: &str, n: usize) -> Vec<Message> {
    let mut m = previous.to_vec();
    m.push(Message::new("assistant", answer));
    m.push(Message::new(
        "user",
        format!(
            "That answer could not be read. Reply with only the JSON object {{\"verdicts\": \
             [...]}} with exactly {n} entries, each with \"n\", \"holds\" (true or false) and \
             \"reason\"."
        ),
    ));
    m
}

/// One constraint's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the constraint holds.
    pub holds: bool,
    /// The judge's reason.
    pub reason: String,
}

fn holds(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "pass" | "holds" => Some(true),
            "false" | "no" | "fail" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The verdicts for `n` constraints in `answer`, in order; an error says what is missing.
pub fn parse(answer: &str, n: usize) -> Result<Vec<Verdict>, String> {
    let map = find_json_object(answer).ok_or_else(|| "no JSON object in the answer".to_owned())?;
    let list: Vec<Value> = match map.get("verdicts") {
        Some(Value::Array(a)) => a.clone(),
        // One constraint judged with a bare {"holds", "reason"}.
        _ if n == 1 && map.contains_key("holds") => vec![Value::Object(map.clone())],
        _ => return Err("no \"verdicts\" list in the answer".to_owned()),
    };
    let mut out: Vec<Option<Verdict>> = vec![None; n];
    for (pos, item) in list.iter().enumerate() {
        let index = item
            .get("n")
            .and_then(Value::as_u64)
            .and_then(|k| usize::try_from(k).ok())
            .and_then(|k| k.checked_sub(1))
            .unwrap_or(pos);
        let Some(h) = item.get("holds").and_then(holds) else {
            return Err(format!("entry {} has no true/false \"holds\"", pos + 1));
        };
        let reason = item.get("reason").and_then(Value::as_str).unwrap_or("").trim().to_owned();
        if let Some(slot) = out.get_mut(index) {
            *slot = Some(Verdict { holds: h, reason });
        }
    }
    let missing: Vec<String> = out
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_none())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !missing.is_empty() {
        return Err(format!("no verdict for constraint(s) {}", missing.join(", ")));
    }
    Ok(out.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_answers_and_prose_first() {
        let v = parse(r#"{"verdicts": [{"n": 1, "holds": true, "reason": "formal"}, {"n": 2, "holds": false, "reason": "no list"}]}"#, 2).unwrap();
        assert_eq!(
            v,
            [
                Verdict { holds: true, reason: "formal".into() },
                Verdict { holds: false, reason: "no list".into() }
            ]
        );
        let prose = "Let me look at this carefully. The tone is formal.\n\n```json\n{\"verdicts\": [{\"n\": 1, \"holds\": \"yes\", \"reason\": \"ok\"}]}\n```";
        assert!(parse(prose, 1).unwrap()[0].holds);
        assert!(parse(r#"{"holds": false, "reason": "nope"}"#, 1).is_ok());
        // Order by `n`, whatever the order of the list.
        let v = parse(r#"{"verdicts": [{"n": 2, "holds": false}, {"n": 1, "holds": true}]}"#, 2)
            .unwrap();
        assert_eq!((v[0].holds, v[1].holds), (true, false));
    }

    #[test]
    fn unparseable_answers_say_why() {
        assert_eq!(parse("It holds.", 1), Err("no JSON object in the answer".into()));
        assert!(parse(r#"{"verdicts": [{"n": 1, "holds": "maybe"}]}"#, 1)
            .unwrap_err()
            .contains("holds"));
        assert_eq!(
            parse(r#"{"verdicts": [{"n": 1, "holds": true}]}"#, 3),
            Err("no verdict for constraint(s) 2, 3".into())
        );
        let m = messages("R", &["Be formal.", "Use a list."]);
        assert!(m[1].content.contains("1. Be formal.\n2. Use a list.\n"));
        let again = retry_messages(&m, "It holds.", 2);
        assert_eq!(again.len(), 4);
        assert!(again[3].content.contains("exactly 2 entries"));
    }
}
