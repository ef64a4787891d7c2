//! `custom:date_format_list` — a comma-separated list of `YYYY-MM-DD` dates of Napoleon's
//! battles (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// # What it checks
/// For "List the start dates of all the battles Napoleon fought separated by commas, use the
/// following date format: YYYY-MM-DD. Do not provide an explanation.": the stripped response,
/// split on `,`, gives only items that, stripped, are `DDDD-DD-DD` (Python's `\d`: any Unicode
/// decimal digit, read as `int()` reads it) with a year from 1769 to 1821, a month of at most
/// 12 and a day of at most 31, 30 or 29 as the month allows. The bounds are all: month `00`,
/// day `00` and 29 February of any year pass, and any number of dates (one is enough) does;
/// an empty response, an empty item (`a,,b`, a trailing comma) or any other word fails.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:date_format_list", &serde_json::json!({})).unwrap();
/// assert!(c.verify(&Analysis::new("1796-04-12, 1805-12-02, 1815-06-18")).passed());
/// assert!(!c.verify(&Analysis::new("1796-04-12, 1805-12-02, 1815-06-18.")).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `DateFormatListChecker`, unchanged since the first release. The evidence spans are
/// the dates when all hold, else the first item that does not.
///
/// # Derivation
/// None: a fixed task (Napoleon's battles) whose answer no response to another request gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateFormatList;

impl Check for DateFormatList {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:date_format_list",
        title: "Napoleon's battles as YYYY-MM-DD dates",
        description: "The response is only a comma-separated list of `YYYY-MM-DD` dates with \
                      years from 1769 to 1821 and months and days within their calendar bounds.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "1796-04-12, 1805-12-02, 1815-06-18",
            fail: "Montenotte: 1796-04-12, Austerlitz: 1805-12-02",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<DateFormatList, SpecError> {
        Ok(DateFormatList)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let at = |sub: &str| sub.as_ptr() as usize - s.as_ptr() as usize;
        let mut dates = Vec::new();
        for item in pystr::strip(s).split(',') {
            let date = pystr::strip(item);
            let span = Span::new(at(date), at(date) + date.len());
            if let Err(why) = check_date(date) {
                let shown =
                    if date.is_empty() { "an empty item".to_owned() } else { format!("{date:?}") };
                return Verdict::fail(format!("{shown} {why}")).with_evidence(if date.is_empty() {
                    Vec::new()
                } else {
                    vec![span]
                });
            }
            dates.push(span);
        }
        Verdict::pass(plural(dates.len(), "date", "dates")).with_evidence(dates)
    }
}

/// Whether `date` (stripped) is a date IFBench accepts, or why not.
fn check_date(date: &str) -> Result<(), &'static str> {
    let parts: Vec<&str> = date.split('-').collect();
    let widths_ok = matches!(parts.as_slice(), [y, m, d]
    if [(y, 4), (m, 2), (d, 2)].iter().all(|(p, n)| {
        p.chars().count() == *n && p.chars().all(pystr::is_decimal)
    }));
    if !widths_ok {
        return Err("is not YYYY-MM-DD");
    }
    let value = |i: usize| parts.get(i).and_then(|p| pystr::decimal_int(p)).unwrap_or(0);
    let (year, month, day) = (value(0), value(1), value(2));
    if !(1769..=1821).contains(&year) {
        return Err("is not from 1769 to 1821");
    }
    let last_day = match month {
        0 => u64::MAX,
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => 29,
        _ => return Err("has a month above 12"),
    };
    if day > last_day {
        return Err("has a day past the month's end");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "custom:date_format_list";

    #[test]
    fn only_dates_in_range() {
        assert_pass(ID, "{}", "1805-12-02");
        assert_pass(ID, "{}", " 1769-01-31 ,1821-12-31\n");
        assert_pass(ID, "{}", "1800-02-29, 1800-00-00");
        assert_fail(ID, "{}", "1800-13-01");
        assert_fail(ID, "{}", "1800-04-31");
        assert_fail(ID, "{}", "1800-02-30");
        assert_fail(ID, "{}", "1768-12-31");
        assert_fail(ID, "{}", "1822-01-01");
        assert_fail(ID, "{}", "1805-12-2");
        assert_fail(ID, "{}", "1805-12-02,");
        assert_fail(ID, "{}", "1805-12-02,,1805-12-03");
        assert_fail(ID, "{}", "1805-12-02\n1805-12-03");
        assert_fail(ID, "{}", "");
        assert_fail(ID, "{}", "- 1805-12-02");
        // Any Unicode decimal digit, valued as Python's `int()` values it.
        assert_pass(ID, "{}", "\u{661}\u{668}\u{660}\u{665}-12-02");
        assert_fail(ID, "{}", "\u{661}\u{669}\u{660}\u{665}-12-02");
    }

    #[test]
    fn evidence_is_the_dates_or_the_first_bad_item() {
        let text = "1805-12-02, 1815-06-18";
        assert_eq!(evidence(&verify(ID, "{}", text), text), ["1805-12-02", "1815-06-18"]);
        let text = "1805-12-02, June 1815, 1900-01-01";
        let v = verify(ID, "{}", text);
        assert_eq!(evidence(&v, text), ["June 1815"]);
        assert_eq!(v.detail, "\"June 1815\" is not YYYY-MM-DD");
    }
}
