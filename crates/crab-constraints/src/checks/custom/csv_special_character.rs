//! `custom:csv_special_character` — a CSV table of 14 products with one quoted field holding a
//! special character (IFBench).

use serde_json::{Map, Value};

use crate::checks::custom::{first_line_stripped, header_matches, read_csv, Tripled};
use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis};

/// The header's column names.
const HEADER: [&str; 5] = ["ProductID", "Category", "Brand", "Price", "Stock"];

/// # What it checks
/// For "Generate CSV data: The column names are ["ProductID", "Category", "Brand", "Price",
/// "Stock"], the data should be comma delimited. Please generate 14 rows. Add one field which
/// contains a special character and enclose it in double quotes.", in IFBench's order:
/// 1. the first line, stripped, is the five names separated by commas, each optionally in
///    double quotes, with spaces or tabs allowed after each comma;
/// 2. with every `"` tripled (so that quotes stay in the values), Python's `csv.reader` reads
///    the whole response as exactly 15 rows;
/// 3. going through the rows after the first, the response passes at the first row holding a
///    field that starts with `"` and has, before any line break, a character that is not a
///    letter, digit, `_` or whitespace followed later by another `"` (such as `"Dell, Inc."`,
///    and also `"A"B"`) — and fails at an earlier row that does not have 5 fields. Rows after
///    the passing one are not looked at.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:csv_special_character", &serde_json::json!({})).unwrap();
/// let rows: String = (1..=14).map(|i| format!("\n{i},Tools,\"A&B\",9.99,{i}")).collect();
/// assert!(c.verify(&Analysis::new(&format!("ProductID,Category,Brand,Price,Stock{rows}"))).passed());
/// assert!(!c.verify(&Analysis::new(&format!("ProductID,Category,Brand,Price{rows}"))).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `SpecialCharacterCSVChecker`, unchanged since the first release. Where Python's
/// reader raises `csv.Error`, IFBench's evaluation stops; here the verdict is invalid (scored as
/// not followed). The evidence span is the header, the row that fails, or the special field.
///
/// # Derivation
/// None: a fixed table that no response to another request contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvSpecialCharacter;

impl Check for CsvSpecialCharacter {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:csv_special_character",
        title: "CSV: 14 products, one quoted special field",
        description: "The first line is the header `ProductID,Category,Brand,Price,Stock` \
                      (names optionally quoted); the response reads as 15 CSV rows; and before \
                      any row that lacks 5 fields, a field is in double quotes and holds a \
                      character other than letters, digits and spaces.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "ProductID,Category,Brand,Price,Stock\n1,Tools,\"Black & Decker\",9.99,4\n\
                   2,Tools,Bosch,19.99,3\n3,Tools,Makita,29.99,2\n4,Toys,Lego,39.99,8\n\
                   5,Toys,Hasbro,9.50,6\n6,Food,Heinz,2.99,40\n7,Food,Nestle,3.49,30\n\
                   8,Books,Penguin,12.00,5\n9,Books,Vintage,14.00,7\n10,Home,Ikea,49.00,9\n\
                   11,Home,Muji,15.00,11\n12,Garden,Gardena,22.00,3\n13,Garden,Fiskars,18.00,6\n\
                   14,Sport,Nike,60.00,10",
            fail: "ProductID,Category,Brand,Price,Stock\n1,Tools,Black and Decker,9.99,4\n\
                   2,Tools,Bosch,19.99,3\n3,Tools,Makita,29.99,2\n4,Toys,Lego,39.99,8\n\
                   5,Toys,Hasbro,9.50,6\n6,Food,Heinz,2.99,40\n7,Food,Nestle,3.49,30\n\
                   8,Books,Penguin,12.00,5\n9,Books,Vintage,14.00,7\n10,Home,Ikea,49.00,9\n\
                   11,Home,Muji,15.00,11\n12,Garden,Gardena,22.00,3\n13,Garden,Fiskars,18.00,6\n\
                   14,Sport,Nike,60.00,10",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<CsvSpecialCharacter, SpecError> {
        Ok(CsvSpecialCharacter)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let header = first_line_stripped(s);
        if !header_matches(header.slice(s), &HEADER, ',', &[' ', '\t']) {
            return Verdict::fail("the first line is not ProductID,Category,Brand,Price,Stock")
                .with_evidence(vec![header]);
        }
        let tripled = Tripled::new(s);
        let rows = match read_csv(&tripled.text, ',') {
            Ok(rows) => rows,
            Err(verdict) => return verdict,
        };
        if rows.len() != 15 {
            let detail = plural(rows.len(), "row", "rows");
            return Verdict::fail(format!("{detail}; needs 15 (a header and 14)"));
        }
        for (i, row) in rows.iter().enumerate().skip(1) {
            if row.fields.len() != 5 {
                let fields = plural(row.fields.len(), "field", "fields");
                return Verdict::fail(format!("row {} has {fields}; needs 5", i + 1))
                    .with_evidence(vec![tripled.span(row.span)]);
            }
            if let Some(field) = row.fields.iter().find(|f| quoted_special(&f.value)) {
                return Verdict::pass(format!("row {} has a quoted special field", i + 1))
                    .with_evidence(vec![tripled.span(field.span)]);
            }
        }
        Verdict::fail("no quoted field with a special character")
    }
}

/// `re.match(r'".*[^\d\w\s].*"', field)`: a `"`, then on the same line a character that is not
/// `\d`, `\w` or `\s`, then later another `"`.
fn quoted_special(field: &str) -> bool {
    let Some(rest) = field.strip_prefix('"') else { return false };
    let line = rest.split('\n').next().unwrap_or("");
    let special = line
        .find(|c: char| !(pystr::is_decimal(c) || pystr::is_word_char(c) || pystr::is_space(c)));
    special.is_some_and(|at| line.get(at..).is_some_and(|r| r.chars().skip(1).any(|c| c == '"')))
}

#[cfg(test)]
mod tests {
    use super::quoted_special;
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "custom:csv_special_character";
    const HEADER: &str = "ProductID,Category,Brand,Price,Stock";

    fn table(header: &str, special: &str, rows: usize) -> String {
        let body: String = (1..=rows)
            .map(|i| {
                if i == 3 {
                    format!("\n{i},Tools,{special},9,{i}")
                } else {
                    format!("\n{i},Tools,Acme,9,{i}")
                }
            })
            .collect();
        format!("{header}{body}")
    }

    #[test]
    fn header_fifteen_rows_and_a_quoted_special_field() {
        assert_pass(ID, "{}", &table(HEADER, "\"A&B\"", 14));
        assert_pass(
            ID,
            "{}",
            &table("\"ProductID\", \"Category\",\tBrand,Price,Stock  ", "\"A-B\"", 14),
        );
        assert_fail(ID, "{}", &table(HEADER, "\"A B\"", 14));
        assert_fail(ID, "{}", &table(HEADER, "A&B", 14));
        assert_fail(ID, "{}", &table(HEADER, "\"A&B\"", 13));
        assert_fail(ID, "{}", &table(HEADER, "\"A&B\"", 15));
        assert_fail(ID, "{}", &table("ProductID ,Category,Brand,Price,Stock", "\"A&B\"", 14));
        assert_fail(ID, "{}", &format!("```\n{}", table(HEADER, "\"A&B\"", 14)));
        assert_fail(ID, "{}", "");
        // The rows after the special field are not looked at; a short row before it fails.
        let short_after = table(HEADER, "\"A&B\"", 14).replace("\n9,Tools,Acme,9,9", "\n9");
        assert_pass(ID, "{}", &short_after);
        let short_before = table(HEADER, "\"A&B\"", 14).replace("\n2,Tools,Acme,9,2", "\n2");
        assert_fail(ID, "{}", &short_before);
    }

    #[test]
    fn special_fields_as_the_pattern_matches_them() {
        assert!(quoted_special("\"a,b\""));
        assert!(quoted_special("\"\"\""));
        assert!(quoted_special("\"a\"b\""));
        assert!(!quoted_special("\"ab\""));
        assert!(!quoted_special("\"a b\u{e9}\""));
        assert!(!quoted_special("\"a&b\nc\""));
        assert!(!quoted_special("x\"&\""));
        assert!(!quoted_special("\"&"));
    }

    #[test]
    fn evidence_is_the_special_field_as_written() {
        let text = table(HEADER, "\"A&B\"", 14);
        assert_eq!(evidence(&verify(ID, "{}", &text), &text), ["\"A&B\""]);
    }
}
