//! `custom:reverse_newline` — Africa's countries in reverse alphabetical order, one per line
//! (IFBench).

use serde_json::{Map, Value};

use crate::checks::{plural, Check, CheckInfo, Example, Kwargs, SpecError, Verdict};
use crate::text::{pystr, Analysis, Span};

/// The lines counted from the `Zimbabwe` line on must be at least this many.
const MIN_LINES: usize = 52;

/// # What it checks
/// For "List the countries of Africa in reverse alphabetical order, each on a new line.": the
/// response's lines (split on `\n` only), each stripped of ASCII punctuation and spaces, without
/// the ones that are left empty, are read from the first one containing `Zimbabwe` (case
/// matters). There must be at least 52 lines from there to the end, and with accents removed
/// (NFKD, then only ASCII characters kept) they must be in descending order (Python's string
/// order: by code point, so uppercase before lowercase; equal neighbours are allowed). The
/// lines before `Zimbabwe` are not looked at, and the lines are not checked to be countries.
///
/// # Parameters
/// None.
///
/// # Example
/// ```
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::text::Analysis;
///
/// let c = Constraint::from_ifeval("custom:reverse_newline", &serde_json::json!({})).unwrap();
/// let lines: Vec<String> = (0..51).map(|i| format!("Country {:02}", 99 - i)).collect();
/// let answer = format!("Zimbabwe\n{}", lines.join("\n"));
/// assert!(c.verify(&Analysis::new(&answer)).passed());
/// assert!(!c.verify(&Analysis::new(&answer.replace("Country 98", "Country 00"))).passed());
/// ```
///
/// # IFBench equivalence
/// HEAD's `ReverseNewlineChecker`, unchanged since the first release. The evidence spans are
/// the first two lines out of order, or the `Zimbabwe` line and the last line.
///
/// # Derivation
/// None: a fixed list that no response to another request gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReverseNewline;

impl Check for ReverseNewline {
    const INFO: CheckInfo = CheckInfo {
        id: "custom:reverse_newline",
        title: "Africa's countries, reverse alphabetical",
        description: "From the first line containing `Zimbabwe`, at least 52 non-empty lines \
                      (ASCII punctuation and spaces stripped, accents removed) in descending \
                      alphabetical order.",
        divergence: None,
        needs: &[],
        derives: false,
        params: &[],
        example: Example {
            kwargs: "{}",
            pass: "Zimbabwe\nZambia\nUganda\nTunisia\nTogo\nTanzania\nSudan\nSouth Sudan\n\
                   South Africa\nSomalia\nSierra Leone\nSeychelles\nSenegal\nSão Tomé and \
                   Príncipe\nRwanda\nNigeria\nNiger\nNamibia\nMozambique\nMorocco\nMauritius\n\
                   Mauritania\nMali\nMalawi\nMadagascar\nLibya\nLiberia\nLesotho\nKenya\n\
                   Guinea-Bissau\nGuinea\nGhana\nGambia\nGabon\nEthiopia\nEswatini\nEritrea\n\
                   Equatorial Guinea\nEgypt\nDjibouti\nDemocratic Republic of the Congo\n\
                   Côte d'Ivoire\nComoros\nChad\nCentral African Republic\nCape Verde\n\
                   Cameroon\nBurundi\nBurkina Faso\nBotswana\nBenin\nAngola\nAlgeria",
            fail: "Zimbabwe\nZambia\nUganda\nTunisia\nTogo\nTanzania\nSudan\nSouth Sudan\n\
                   South Africa\nSomalia\nSierra Leone\nSeychelles\nSenegal\nSão Tomé and \
                   Príncipe\nRwanda\nNigeria\nNiger\nNamibia\nMozambique\nMorocco\nMauritius\n\
                   Mauritania\nMali\nMalawi\nMadagascar\nLibya\nLiberia\nLesotho\nKenya\n\
                   Guinea-Bissau\nGuinea\nGhana\nGambia\nGabon\nEthiopia\nEswatini\nEritrea\n\
                   Equatorial Guinea\nEgypt\nDjibouti\nDemocratic Republic of the Congo\n\
                   Côte d'Ivoire\nComoros\nChad\nCentral African Republic\nCape Verde\n\
                   Cameroon\nBurundi\nBurkina Faso\nBotswana\nAngola\nBenin\nAlgeria",
        },
    };

    fn from_kwargs(_: &Kwargs<'_>) -> Result<ReverseNewline, SpecError> {
        Ok(ReverseNewline)
    }

    fn kwargs(&self) -> Map<String, Value> {
        Map::new()
    }

    fn verify(&self, text: &Analysis<'_>) -> Verdict {
        let s = text.text();
        let at = |sub: &str| sub.as_ptr() as usize - s.as_ptr() as usize;
        let lines: Vec<Span> = s
            .split('\n')
            .map(pystr::strip_punctuation)
            .filter(|line| !line.is_empty())
            .map(|line| Span::new(at(line), at(line) + line.len()))
            .collect();
        let Some(start) = lines.iter().position(|l| l.slice(s).contains("Zimbabwe")) else {
            return Verdict::fail("no line contains Zimbabwe");
        };
        let target = lines.get(start..).unwrap_or(&[]);
        if target.len() < MIN_LINES {
            let counted = plural(target.len(), "line", "lines");
            return Verdict::fail(format!(
                "{counted} from Zimbabwe on; needs at least {MIN_LINES}"
            ))
            .with_evidence(target.to_vec());
        }
        let normalized: Vec<String> =
            target.iter().map(|l| pystr::nfkd_ascii(l.slice(s))).collect();
        for (i, pair) in normalized.windows(2).enumerate() {
            if let [a, b] = pair {
                if a < b {
                    let detail = format!("{b:?} comes after {a:?}, which sorts before it");
                    let spans = target.get(i..i + 2).unwrap_or(&[]).to_vec();
                    return Verdict::fail(detail).with_evidence(spans);
                }
            }
        }
        let ends = [target.first(), target.last()].into_iter().flatten().copied().collect();
        Verdict::pass(format!(
            "{} from Zimbabwe on, in reverse order",
            plural(target.len(), "line", "lines")
        ))
        .with_evidence(ends)
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::tests::{assert_fail, assert_pass, evidence, verify};

    const ID: &str = "custom:reverse_newline";

    fn lines(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("Country {:02}", 99 - i)).collect()
    }

    #[test]
    fn from_zimbabwe_fifty_two_lines_descending() {
        let answer = |pre: &str, n: usize| format!("{pre}Zimbabwe\n{}", lines(n).join("\n"));
        assert_pass(ID, "{}", &answer("", 51));
        assert_fail(ID, "{}", &answer("", 50));
        // Lines before Zimbabwe do not count; empty and punctuation-only lines are left out.
        assert_pass(ID, "{}", &answer("Here they are:\nAlgeria\n", 51));
        assert_pass(ID, "{}", &answer("", 51).replace("\nCountry 90", "\n\n - \nCountry 90"));
        assert_pass(ID, "{}", &answer("- ", 51).replace("Country", "- Country"));
        // Numbered lines are compared with their numbers: 1., 2., … ascend.
        let numbered: Vec<String> = std::iter::once("Zimbabwe".to_owned())
            .chain(lines(51))
            .enumerate()
            .map(|(i, l)| format!("{}. {l}", i + 1))
            .collect();
        assert_fail(ID, "{}", &numbered.join("\n"));
        assert_fail(ID, "{}", "zimbabwe");
        assert_fail(ID, "{}", "");
        // Equal neighbours are in order; case matters (uppercase sorts first).
        assert_pass(ID, "{}", &answer("", 51).replace("Country 80", "Country 81"));
        assert_fail(ID, "{}", &answer("", 51).replace("Country 80", "country 80"));
        // Accents are removed before comparing.
        assert_pass(ID, "{}", &answer("", 51).replace("Country 80", "Cöuntry 80"));
        // Only the plain space is stripped with the punctuation: a tab stays and sorts first.
        assert_fail(ID, "{}", &answer("", 51).replace("Country 80", "\tCountry 80"));
    }

    #[test]
    fn evidence_is_the_pair_out_of_order() {
        let text =
            format!("Zimbabwe\n{}", lines(51).join("\n")).replace("Country 97", "Country 99!");
        let v = verify(ID, "{}", &text);
        assert_eq!(evidence(&v, &text), ["Country 98", "Country 99"]);
    }
}
