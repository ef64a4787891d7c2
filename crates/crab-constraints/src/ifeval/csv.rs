//! The CSV export (`crab eval --format csv`, the browser's batch view): one row per instruction,
//! for spreadsheets and data frames. Here so that both front ends write the same bytes.
//!
//! Google's result files hold one JSON object per prompt, with the response; a table of verdicts
//! is what people load into a spreadsheet or pandas. Each record is `key, instruction_id, kwargs,
//! strict, loose`: the input row's key (a string as it is, any other key as JSON), the id, its
//! kwargs as compact JSON (as the input has them: keys in its order, `null` entries kept), and
//! `true` or `false` for each mode. RFC 4180: a header line, records ending in CRLF, a field quoted (with
//! `"` doubled) when it holds a comma, a quote, CR or LF.

use super::InputRow;
use serde_json::Value;

/// The name of the file, next to Google's two.
pub const FILE: &str = "eval_results.csv";

/// The header line.
pub const HEADER: &str = "key,instruction_id,kwargs,strict,loose\r\n";

/// Appends one record per instruction of `row`.
pub fn push_records(out: &mut String, row: &InputRow, strict: &[bool], loose: &[bool]) {
    let key = match &row.key {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let verdicts = strict.iter().zip(loose);
    for ((id, kwargs), (strict, loose)) in
        row.instruction_id_list.iter().zip(&row.kwargs).zip(verdicts)
    {
        push_field(out, &key);
        out.push(',');
        push_field(out, id);
        out.push(',');
        push_field(out, &kwargs.to_string());
        out.push_str(if *strict { ",true" } else { ",false" });
        out.push_str(if *loose { ",true\r\n" } else { ",false\r\n" });
    }
}

/// Appends one field, quoted if it must be.
fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_record_per_instruction_quoted_as_rfc_4180_says() {
        let row = InputRow::from_json(json!({
            "key": 1001, "prompt": "p",
            "instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"],
            "kwargs": [{}, {"relation": "at least", "num_words": 300, "keywords": null}]
        }))
        .unwrap();
        let mut out = String::new();
        push_records(&mut out, &row, &[true, false], &[true, true]);
        assert_eq!(
            out,
            "1001,punctuation:no_comma,{},true,true\r\n\
             1001,length_constraints:number_words,\"{\"\"relation\"\":\"\"at least\"\",\"\"num_words\"\":300,\"\"keywords\"\":null}\",false,true\r\n"
        );
        let row = InputRow::from_json(json!({
            "key": "a,\"b\"\nc", "prompt": "p", "instruction_id_list": ["x:y"], "kwargs": [null]
        }))
        .unwrap();
        let mut out = String::new();
        push_records(&mut out, &row, &[false], &[false]);
        assert_eq!(out, "\"a,\"\"b\"\"\nc\",x:y,null,false,false\r\n");
    }
}
