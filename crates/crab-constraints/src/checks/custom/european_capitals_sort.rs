//! `custom:european_capitals_sort` — Europe's capitals north of 45°, by latitude, separated by
//! commas (IFBench).

use serde_json::{Map, Value};

use crate::checks::custom::Ascii;
use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// IFBench's answer, in order.
pub const CAPITALS: [&str; 27] = [
    "Reykjavik",
    "Helsinki",
    "Oslo",
    "Tallinn",
    "Stockholm",
    "Riga",
    "Moscow",
    "Copenhagen",
    "Vilnius",
    "Minsk",
    "Dublin",
    "Berlin",
    "Amsterdam",
    "Warsaw",
    "London",
    "Brussels",
    "Prague",
    "Luxembourg",
    "Paris",
    "Vienna",
    "Bratislava",
    "Budapest",
    "Vaduz",
    "Chisinau",
    "Bern",
    "Ljubljana",
    "Zagreb",
];

/// # What it checks
/// For "Give me the names of all capital cities of european countries whose latitude is higher
/// than than 45 degrees? List the capital cities without country names, separated by commas,
/// sorted by latitude, from highest to lowest.": the response, with accents removed (NFKD, then
/// only its ASCII characters kept: `Reykjavík` → `Reykjavik`, and any other non-ASCII
/// character dropped), split on `,`, gives — leaving out the items that are only whitespace —
/// exactly IFBench's 27 capitals in its order, each item stripped: Reykjavik, Helsinki, Oslo,
/// Tallinn, Stockholm, Riga, Moscow, Copenhagen, Vilnius, Minsk, Dublin, Berlin, Amsterdam,
/// Warsaw, London, Brussels, Prague, Luxembourg, Paris, Vienna, Bratislava, Budapest, Vaduz,
/// Chisinau, Bern, Ljubljana, Zagreb. Nothing else may be in the response (a final period is
/// part of `Zagreb.` and fails it).
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::checks::custom::european_capitals_sort::CAPITALS;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:european_capitals_sort", &serde_json::json!({})).unwrap();
/// let answer = CAPITALS.join(", ").replace("Reykjavik", "Reykjavík");
/// assert!(c.verify(&Analysis::new(&answer)).passed());
/// assert!(!c.verify(&Analysis::new(&format!("{answer}."))).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `EuropeanCapitalsSortChecker`, unchanged since the first release. The evidence span
/// is the first item that differs, on the text as written, or the whole list.
///
/// # Derivation
/// None: a fixed list that no response to another request gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EuropeanCapitalsSort;

impl Check for EuropeanCapitalsSort {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:european_capitals_sort",
        title: "European capitals above 45° by latitude",
        description: "The response, accents removed, is exactly IFBench's 27 capitals (Reykjavik, \
                      Helsinki, Oslo, … Ljubljana, Zagreb) in its order, separated by commas.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Reykjavík, Helsinki, Oslo, Tallinn, Stockholm, Riga, Moscow, Copenhagen, \
                   Vilnius, Minsk, Dublin, Berlin, Amsterdam, Warsaw, London, Brussels, Prague, \
                   Luxembourg, Paris, Vienna, Bratislava, Budapest, Vaduz, Chișinău, Bern, \
                   Ljubljana, Zagreb",
            fail: "Reykjavik, Oslo, Helsinki, Tallinn, Stockholm, Riga, Moscow, Copenhagen, \
                   Vilnius, Minsk, Dublin, Berlin, Amsterdam, Warsaw, London, Brussels, Prague, \
                   Luxembourg, Paris, Vienna, Bratislava, Budapest, Vaduz, Chisinau, Bern, \
                   Ljubljana, Zagreb",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<EuropeanCapitalsSort, SpecError> {
        Ok(EuropeanCapitalsSort)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let ascii = Ascii::new(text.text());
        let mut items = Vec::new();
        let mut start = 0;
        for piece in ascii.text.split(',') {
            let stripped = pystr::strip(piece);
            if !stripped.is_empty() {
                let at = start + (piece.len() - pystr::lstrip(piece).len());
                items.push((stripped, Span::new(at, at + stripped.len())));
            }
            start += piece.len() + 1;
        }
        if items.len() != CAPITALS.len() {
            let detail = plural(items.len(), "comma-separated item", "comma-separated items");
            return Verdict::fail(format!("{detail}; needs the 27 capitals"));
        }
        for (i, ((item, span), capital)) in items.iter().zip(CAPITALS).enumerate() {
            if *item != capital {
                return Verdict::fail(format!("item {} is {item:?}, not {capital}", i + 1))
                    .with_evidence(vec![ascii.original_span(*span)]);
            }
        }
        let first = items.first().map_or(0, |(_, s)| s.start);
        let last = items.last().map_or(0, |(_, s)| s.end);
        Verdict::pass("the 27 capitals in order")
            .with_evidence(vec![ascii.original_span(Span::new(first, last))])
    }
}

#[cfg(test)]
mod tests {
    use super::CAPITALS;
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "custom:european_capitals_sort";

    #[test]
    fn the_capitals_in_order_accents_aside() {
        let answer = CAPITALS.join(", ");
        assert_pass(ID, "{}", &answer);
        assert_pass(ID, "{}", &CAPITALS.join(",\n"));
        assert_pass(ID, "{}", &format!(" ,{answer},, \n"));
        assert_pass(
            ID,
            "{}",
            &answer.replace("Chisinau", "Chișinău").replace("Oslo", "Os\u{1f600}lo"),
        );
        assert_fail(ID, "{}", &format!("{answer}."));
        assert_fail(ID, "{}", &answer.replace("Bern, ", ""));
        assert_fail(ID, "{}", &answer.replace("Oslo", "Oslo, Norway"));
        assert_fail(ID, "{}", &CAPITALS.join("; "));
        assert_fail(ID, "{}", "");
    }

    #[test]
    fn evidence_is_the_first_wrong_item_as_written() {
        let text = CAPITALS.join(", ").replace("Riga", "Rīgā!");
        let v = verify(ID, "{}", &text);
        assert_eq!(evidence(&v, &text), ["Rīgā!"]);
        assert_eq!(v.detail, "item 6 is \"Riga!\", not Riga");
    }
}
