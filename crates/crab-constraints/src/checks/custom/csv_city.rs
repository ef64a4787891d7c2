//! `custom:csv_city` — a CSV table with IFBench's five city columns and 7 rows (IFBench).

use serde_json::{Map, Value};

use crate::checks::custom::read_csv;
use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::Analysis;

/// The header the table must have.
const HEADER: [&str; 5] = ["ID", "Country", "City", "Year", "Count"];

/// # What it checks
/// For "Generate CSV data: The column names are ["ID", "Country", "City", "Year", "Count"], the
/// data should be comma delimited. Please generate 7 rows.": Python's `csv.reader` (Excel
/// dialect, [`crate::text::csv`]) reads the whole response as exactly 8 rows, the first being
/// exactly `ID`, `Country`, `City`, `Year`, `Count` and every one having 5 fields. Anything
/// around the table counts as rows: a code fence, an introduction, an empty line (an empty row)
/// fails it; a trailing line end does not. A space after a comma belongs to the next field, so
/// `ID, Country` is not the header.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:csv_city", &serde_json::json!({})).unwrap();
/// let rows: String = (1..=7).map(|i| format!("\n{i},France,Paris,2020,{i}")).collect();
/// assert!(c.verify(&Analysis::new(&format!("ID,Country,City,Year,Count{rows}"))).passed());
/// assert!(!c.verify(&Analysis::new(&format!("ID, Country, City, Year, Count{rows}"))).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `CityCSVChecker`, unchanged since the first release. Where Python's reader raises
/// `csv.Error` (a `\r` followed by more text on its line, a field over 131,072 characters),
/// IFBench's evaluation stops; here the verdict is invalid, which scores as not followed. The
/// evidence span is the first row that breaks the rule, or the whole table.
///
/// # Derivation
/// None: a fixed table that no response to another request contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvCity;

impl Check for CsvCity {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:csv_city",
        title: "CSV: 7 rows of cities",
        description: "The whole response is comma-separated CSV (Python's `csv.reader`) of \
                      exactly 8 rows: the header `ID,Country,City,Year,Count` and 7 rows, each \
                      of 5 fields.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "ID,Country,City,Year,Count\n1,France,Paris,2020,5\n2,Japan,Tokyo,2021,8\n\
                   3,Peru,Lima,2019,2\n4,Chile,Santiago,2018,4\n5,Kenya,Nairobi,2022,1\n\
                   6,Egypt,Cairo,2017,9\n7,India,Delhi,2023,3\n",
            fail: "Here is the data:\nID,Country,City,Year,Count\n1,France,Paris,2020,5\n\
                   2,Japan,Tokyo,2021,8\n3,Peru,Lima,2019,2\n4,Chile,Santiago,2018,4\n\
                   5,Kenya,Nairobi,2022,1\n6,Egypt,Cairo,2017,9\n7,India,Delhi,2023,3",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<CsvCity, SpecError> {
        Ok(CsvCity)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let rows = match read_csv(text.text(), ',') {
            Ok(rows) => rows,
            Err(verdict) => return verdict,
        };
        if rows.len() != 8 {
            return Verdict::fail(format!(
                "{}; needs 8 (a header and 7)",
                plural(rows.len(), "row", "rows")
            ));
        }
        let Some(header) = rows.first() else { return Verdict::fail("no rows") };
        if header.fields.iter().map(|f| f.value.as_str()).ne(HEADER) {
            return Verdict::fail("the first row is not ID,Country,City,Year,Count")
                .with_evidence(vec![header.span]);
        }
        if let Some((i, row)) = rows.iter().enumerate().skip(1).find(|(_, r)| r.fields.len() != 5) {
            let detail = format!(
                "row {} has {}; needs 5",
                i + 1,
                plural(row.fields.len(), "field", "fields")
            );
            return Verdict::fail(detail).with_evidence(vec![row.span]);
        }
        let span = crate::text::Span::new(header.span.start, rows.last().map_or(0, |r| r.span.end));
        Verdict::pass("the header and 7 rows of 5 fields").with_evidence(vec![span])
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, verify};
    use crate::checks::Status;

    const ID: &str = "custom:csv_city";

    fn table(header: &str, rows: usize) -> String {
        let body: String =
            (1..=rows).map(|i| format!("\n{i},Peru,\"Lima, old\",2020,{i}")).collect();
        format!("{header}{body}")
    }

    #[test]
    fn header_and_seven_rows_of_five() {
        assert_pass(ID, "{}", &table("ID,Country,City,Year,Count", 7));
        assert_pass(ID, "{}", &format!("{}\r\n", table("ID,Country,City,Year,Count", 7)));
        assert_pass(ID, "{}", &table("\"ID\",Country,City,Year,\"Count\"", 7));
        assert_fail(ID, "{}", &table("ID,Country,City,Year,Count", 6));
        assert_fail(ID, "{}", &table("ID,Country,City,Year,Count", 8));
        assert_fail(ID, "{}", &table("ID, Country,City,Year,Count", 7));
        assert_fail(
            ID,
            "{}",
            &format!("{}\n", table("ID,Country,City,Year,Count", 7)).replace("\n7", "\n\n7"),
        );
        assert_fail(ID, "{}", &format!("```\n{}\n```", table("ID,Country,City,Year,Count", 7)));
        assert_fail(ID, "{}", &table("ID,Country,City,Year,Count", 7).replace(",2020,7", ",2020"));
        assert_fail(ID, "{}", "");
    }

    #[test]
    fn csv_errors_are_invalid() {
        let text = table("ID,Country,City,Year,Count", 7).replace("Peru", "Pe\rru");
        assert_eq!(verify(ID, "{}", &text).status, Status::Invalid);
    }
}
