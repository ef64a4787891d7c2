//! `custom:csv_quotes` — a tab-separated table of 3 student rows with every field in double
//! quotes (IFBench).

use serde_json::{Map, Value};

use crate::checks::custom::{first_line_stripped, header_matches, read_csv, Tripled};
use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// The header's column names.
const HEADER: [&str; 5] = ["StudentID", "Subject", "Grade", "Semester", "Score"];

/// # What it checks
/// For "Generate CSV data: The column names are ["StudentID", "Subject", "Grade", "Semester",
/// "Score"], the data should be tab delimited. Please generate 3 rows and enclose each single
/// field in double quotes.", in IFBench's order:
/// 1. the first line, stripped, is the five names separated by tabs, each optionally in double
///    quotes, with spaces allowed after each tab;
/// 2. with every `"` tripled (so that quotes stay in the values), Python's `csv.reader` with
///    `delimiter='\t'` reads the whole response as exactly 4 rows;
/// 3. every row, the header included, has 5 fields, and every field, stripped, starts and ends
///    with `"` (a lone `"` does both).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:csv_quotes", &serde_json::json!({})).unwrap();
/// let row = "\"1\"\t\"Math\"\t\"A\"\t\"Fall\"\t\"95\"";
/// let head = "\"StudentID\"\t\"Subject\"\t\"Grade\"\t\"Semester\"\t\"Score\"";
/// assert!(c.verify(&Analysis::new(&format!("{head}\n{row}\n{row}\n{row}"))).passed());
/// let bare = "StudentID\tSubject\tGrade\tSemester\tScore";
/// assert!(!c.verify(&Analysis::new(&format!("{bare}\n{row}\n{row}\n{row}"))).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `QuotesCSVChecker`, unchanged since the first release. IFBench's evaluation stops
/// where Python raises: `csv.Error` from the reader, and `IndexError` when it reaches a field
/// that is empty once stripped (before any unquoted field); here those verdicts are invalid
/// (scored as not followed). The evidence span is the header, the row or the field that fails.
///
/// # Derivation
/// None: a fixed table that no response to another request contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvQuotes;

impl Check for CsvQuotes {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:csv_quotes",
        title: "TSV: 3 student rows, every field quoted",
        description: "The first line is the header `StudentID Subject Grade Semester Score` \
                      separated by tabs; the response reads as 4 tab-separated rows of 5 \
                      fields, each field enclosed in double quotes.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "\"StudentID\"\t\"Subject\"\t\"Grade\"\t\"Semester\"\t\"Score\"\n\
                   \"1\"\t\"Math\"\t\"A\"\t\"Fall\"\t\"95\"\n\
                   \"2\"\t\"Art\"\t\"B\"\t\"Fall\"\t\"85\"\n\
                   \"3\"\t\"Music\"\t\"C\"\t\"Spring\"\t\"75\"",
            fail: "\"StudentID\"\t\"Subject\"\t\"Grade\"\t\"Semester\"\t\"Score\"\n\
                   \"1\"\t\"Math\"\t\"A\"\t\"Fall\"\t95\n\
                   \"2\"\t\"Art\"\t\"B\"\t\"Fall\"\t\"85\"\n\
                   \"3\"\t\"Music\"\t\"C\"\t\"Spring\"\t\"75\"",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<CsvQuotes, SpecError> {
        Ok(CsvQuotes)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let header = first_line_stripped(s);
        if !header_matches(header.slice(s), &HEADER, '\t', &[' ']) {
            return Verdict::fail(
                "the first line is not StudentID Subject Grade Semester Score, tab-separated",
            )
            .with_evidence(vec![header]);
        }
        let tripled = Tripled::new(s);
        let rows = match read_csv(&tripled.text, '\t') {
            Ok(rows) => rows,
            Err(verdict) => return verdict,
        };
        if rows.len() != 4 {
            let detail = plural(rows.len(), "row", "rows");
            return Verdict::fail(format!("{detail}; needs 4 (a header and 3)"));
        }
        for (i, row) in rows.iter().enumerate() {
            if row.fields.len() != 5 {
                let fields = plural(row.fields.len(), "field", "fields");
                return Verdict::fail(format!("row {} has {fields}; needs 5", i + 1))
                    .with_evidence(vec![tripled.span(row.span)]);
            }
            for field in &row.fields {
                let value = pystr::strip(&field.value);
                let evidence = vec![tripled.span(field.span)];
                if value.is_empty() {
                    return Verdict::invalid(format!(
                        "row {} has an empty field, where IFBench's check raises IndexError",
                        i + 1
                    ))
                    .with_evidence(evidence);
                }
                if !(value.starts_with('"') && value.ends_with('"')) {
                    return Verdict::fail(format!(
                        "row {} has a field not in double quotes",
                        i + 1
                    ))
                    .with_evidence(evidence);
                }
            }
        }
        let end = rows.last().map_or(0, |r| tripled.span(r.span).end);
        Verdict::pass("4 rows of 5 quoted fields").with_evidence(vec![Span::new(header.start, end)])
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};
    use crate::checks::Status;

    const ID: &str = "custom:csv_quotes";
    const HEAD: &str = "\"StudentID\"\t\"Subject\"\t\"Grade\"\t\"Semester\"\t\"Score\"";
    const ROW: &str = "\"1\"\t\"Math\"\t\"A\"\t\"Fall\"\t\"95\"";

    fn table(head: &str, row: &str, rows: usize) -> String {
        std::iter::once(head).chain(std::iter::repeat_n(row, rows)).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn four_rows_of_five_quoted_fields() {
        assert_pass(ID, "{}", &table(HEAD, ROW, 3));
        assert_pass(ID, "{}", &format!("{}\n", table(HEAD, ROW, 3)));
        assert_pass(ID, "{}", &table(HEAD, "\" 1 \"\t\"a\"\"b\"\t\"\"\t\"Fall\"\t\"95\"", 3));
        assert_fail(ID, "{}", &table(HEAD, ROW, 2));
        assert_fail(ID, "{}", &table(HEAD, ROW, 4));
        assert_fail(ID, "{}", &table("StudentID\tSubject\tGrade\tSemester\tScore", ROW, 3));
        assert_fail(ID, "{}", &table(HEAD, &ROW.replace("\"95\"", "95"), 3));
        assert_fail(ID, "{}", &table(HEAD, &ROW.replace('\t', ","), 3));
        assert_fail(ID, "{}", &table(&HEAD.replace('\t', "\t\t"), ROW, 3));
        assert_pass(ID, "{}", &table(&HEAD.replace('\t', "\t  "), &ROW.replace('\t', "\t "), 3));
        assert_fail(ID, "{}", "");
    }

    #[test]
    fn an_empty_field_is_where_ifbench_raises() {
        let text = table(HEAD, &ROW.replace("\"A\"", " "), 3);
        assert_eq!(verify(ID, "{}", &text).status, Status::Invalid);
        // An unquoted field before it fails first.
        let text = table(HEAD, &ROW.replace("\"Math\"", "Math").replace("\"A\"", ""), 3);
        assert_eq!(verify(ID, "{}", &text).status, Status::Fail);
    }

    #[test]
    fn evidence_is_the_field_as_written() {
        let text = table(HEAD, &ROW.replace("\"Fall\"", "Fall"), 3);
        assert_eq!(evidence(&verify(ID, "{}", &text), &text), ["Fall"]);
    }
}
