//! The whole back-translation of one (instruction, response) pair, as both front ends run it:
//! derive, verify, render, find conflicts, compose, and the exported records.
//!
//! The browser and `crab backtranslate` used to assemble these steps each in their own way
//! (different random streams, their own bookkeeping of which constraints were combined), so a
//! seed written by the CLI did not reproduce its row in the browser. Now both call the two
//! functions here with the same inputs and get the same values, byte for byte:
//!
//! - [`derive`]: every constraint the response satisfies (minus excluded checks), each with its
//!   strict verdict and its [`constraint_key`]. This is the expensive step; the app memoises it
//!   apart from the cheap one below, so that ticking a constraint does not re-derive.
//! - [`Derivation::compose`]: the kept (ticked) constraints composed into one prompt, every
//!   derived constraint's rendered text, which ones are in the prompt, the conflicting kept
//!   pairs; its [`Backtranslation`] writes the IFEval row, the `--format rows` record and CRAB's
//!   forward/reverse items.
//!
//! One seed drives everything through independent streams ([`Stream`]), so changing, say, which
//! constraints are ticked never changes the derivation. [`row_seed`] gives each file row its seed
//! from a base seed and the row's key; seeds are kept below 2^53 ([`MAX_SEED`]) so that they
//! survive any JSON reader (JavaScript's `JSON.parse` rounds larger integers).

use serde_json::{json, Map, Value};

use super::{
    compose_requirements, ifeval_row, reverse_item, ComposeOptions, Composition, Requirement,
    TextConstraint,
};
use crate::checks::{CheckInfo, Constraint, DeriveContext, Verdict, CHECKS};
use crate::ifeval::verify_strict;
use crate::rng::Rng;
use crate::text::count_words;
use crate::text::Analysis;
use crate::text::Resources;

/// The largest seed written to a file: 2^53 − 1, the largest integer every JSON reader (double
/// precision) reads back exactly.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// The independent random streams of one seed. Derivation uses the seed itself; the others are
/// split off with [`Stream::rng`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Choosing, ordering and rendering the combined constraints, the connector and template.
    Compose = 1,
    /// Rendering the derived constraints left out of the prompt.
    Render = 2,
    /// The reverse item's wording.
    Reverse = 3,
    /// Whether a refined instruction replaces the original.
    Refine = 4,
}

impl Stream {
    /// This stream of `seed`.
    pub fn rng(self, seed: u64) -> Rng {
        Rng::new(Rng::new(seed ^ (self as u64).wrapping_mul(0xD1B5_4A32_D192_ED03)).next_u64())
    }
}

/// FNV-1a, 64 bits.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// A file row's seed: the base seed and the row's key (its JSON text, so `7` and `"7"` differ)
/// mixed by one splitmix64 step, kept at most [`MAX_SEED`]. A row's output then depends only on
/// the base seed, its key and its content, never on the rows around it.
///
/// ```
/// use crab_constraints::backtranslate::{row_seed, MAX_SEED};
/// use serde_json::json;
///
/// assert_eq!(row_seed(1, &json!(5)), row_seed(1, &json!(5)));
/// assert_ne!(row_seed(1, &json!(5)), row_seed(1, &json!("5")));
/// assert!(row_seed(u64::MAX, &json!("k")) <= MAX_SEED);
/// ```
pub fn row_seed(base: u64, key: &Value) -> u64 {
    Rng::new(base ^ fnv1a(key.to_string().as_bytes())).next_u64() & MAX_SEED
}

/// A stable identity of a constraint (its id and kwargs as JSON text), for remembering which
/// derived constraints a person unticked across re-derivations.
pub fn constraint_key(c: &Constraint) -> String {
    format!("{} {}", c.id(), Value::Object(c.kwargs()))
}

/// A key as an id stem: a string as written, anything else as its JSON text (`7`).
pub fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether `pattern` (a check id such as `crab:key_phrases`, or a family such as `crab`) names
/// the check `info`.
fn names(pattern: &str, info: &CheckInfo) -> bool {
    pattern == info.id || pattern == info.family()
}

/// Checks an exclusion list: every entry must be a registered check id or family. The error
/// names the first unknown entry.
///
/// ```
/// use crab_constraints::backtranslate::check_exclusions;
///
/// assert!(check_exclusions(&["crab:key_phrases".to_owned(), "keywords".to_owned()]).is_ok());
/// assert!(check_exclusions(&["crab:keyphrases".to_owned()]).is_err());
/// ```
pub fn check_exclusions(exclude: &[String]) -> Result<(), String> {
    match exclude.iter().find(|p| !CHECKS.iter().any(|info| names(p, info))) {
        Some(unknown) => Err(format!("`{unknown}` is neither a check id nor a family")),
        None => Ok(()),
    }
}

/// One derived constraint: it holds on the response by construction.
#[derive(Clone, Debug, PartialEq)]
pub struct DerivedConstraint {
    /// The constraint.
    pub constraint: Constraint,
    /// Its [`constraint_key`].
    pub key: String,
    /// Its strict verdict on the response (a pass), with the evidence.
    pub verdict: Verdict,
}

/// Everything a response satisfies, for one seed: the input of [`Derivation::compose`].
#[derive(Clone, Debug, PartialEq)]
pub struct Derivation {
    /// The seed it was derived with.
    pub seed: u64,
    /// The derived constraints, in registry order.
    pub items: Vec<DerivedConstraint>,
    /// Why some check derived nothing because a bound of the library was hit, one line each
    /// (`crab:key_phrases: no key phrases: the text is too long (…)`), for front ends to show.
    pub notes: Vec<String>,
}

/// Derives every constraint `response` satisfies, except those of the checks named in `exclude`
/// (ids or families; unknown names exclude nothing, see [`check_exclusions`]), with `seed`, and
/// verifies each on the response. Checks that need a resource (the language detector, the
/// tagger) derive nothing without it in `resources`.
pub fn derive<'r>(
    instruction: &str,
    response: &str,
    seed: u64,
    resources: impl Into<Resources<'r>>,
    exclude: &[String],
) -> Derivation {
    derive_where(instruction, response, seed, resources.into(), |info| {
        !exclude.iter().any(|pattern| names(pattern, info))
    })
}

/// [`derive`] over the checks for which `include` is true.
fn derive_where(
    instruction: &str,
    response: &str,
    seed: u64,
    resources: Resources<'_>,
    include: impl Fn(&CheckInfo) -> bool,
) -> Derivation {
    let analysis = Analysis::with_resources(response, resources);
    let mut cx = DeriveContext::new(instruction, seed);
    let derived = Constraint::derive_where(&analysis, &mut cx, include);
    let items = derived
        .into_iter()
        .map(|constraint| DerivedConstraint {
            key: constraint_key(&constraint),
            verdict: verify_strict(&constraint, &analysis),
            constraint,
        })
        .collect();
    Derivation { seed, items, notes: cx.notes().to_vec() }
}

/// Derives only the checks named in `only` (ids or families), as [`derive`] would derive them
/// among all the others: each check draws from its own stream of `seed`, so the part is exactly
/// that check's share of the whole. A front end that cannot run a check where it derives the
/// rest (the browser's main bundle has no YAKE for `crab:key_phrases`) runs this elsewhere (the
/// worker), carries it back with [`Derivation::to_json`] / [`Derivation::from_json`] and adds it
/// with [`Derivation::merge`] to a [`derive`] that excluded those checks: the result equals
/// [`derive`] of everything.
pub fn derive_only<'r>(
    instruction: &str,
    response: &str,
    seed: u64,
    resources: impl Into<Resources<'r>>,
    only: &[String],
) -> Derivation {
    derive_where(instruction, response, seed, resources.into(), |info| {
        only.iter().any(|pattern| names(pattern, info))
    })
}

/// A check's place in the registry (the order [`derive`] derives in).
fn registry_index(id: &str) -> usize {
    CHECKS.iter().position(|info| info.id == id).unwrap_or(usize::MAX)
}

/// The registry place of the check a note is about (a note starts with the check's id and `: `).
fn note_index(note: &str) -> usize {
    CHECKS
        .iter()
        .position(|info| note.strip_prefix(info.id).is_some_and(|rest| rest.starts_with(": ")))
        .unwrap_or(usize::MAX)
}

impl Derivation {
    /// The derivation as JSON, to carry it between threads: `{"seed", "constraints": [{"id",
    /// "kwargs"}…], "notes": […]}`. The seed is at most [`MAX_SEED`] when it came from a file or
    /// a front end, so it survives `JSON.parse`.
    pub fn to_json(&self) -> Value {
        let constraints: Vec<Value> = self
            .items
            .iter()
            .map(|d| json!({"id": d.constraint.id(), "kwargs": Value::Object(d.constraint.kwargs())}))
            .collect();
        json!({"seed": self.seed, "constraints": constraints, "notes": self.notes})
    }

    /// Reads [`Derivation::to_json`] back for the same `response`: each constraint is built from
    /// its id and kwargs and verified on the response again (with `resources`), so its key and
    /// verdict are the ones [`derive`] gives. An error names what is wrong.
    pub fn from_json<'r>(
        value: &Value,
        response: &str,
        resources: impl Into<Resources<'r>>,
    ) -> Result<Derivation, String> {
        let seed = value
            .get("seed")
            .and_then(Value::as_u64)
            .ok_or_else(|| "a derivation needs a whole-number `seed`".to_owned())?;
        let constraints = value
            .get("constraints")
            .and_then(Value::as_array)
            .ok_or_else(|| "a derivation needs a `constraints` list".to_owned())?;
        // Plain loops, not `collect` into a `Result`: this runs in the browser's bundle.
        let mut notes = Vec::new();
        let listed = match value.get("notes") {
            None => &[][..],
            Some(Value::Array(listed)) => listed.as_slice(),
            Some(_) => return Err("`notes` must be a list of strings".to_owned()),
        };
        for note in listed {
            match note.as_str() {
                Some(note) => notes.push(note.to_owned()),
                None => return Err("`notes` must be a list of strings".to_owned()),
            }
        }
        let analysis = Analysis::with_resources(response, resources.into());
        let mut items = Vec::new();
        for c in constraints {
            let id = c.get("id").and_then(Value::as_str).unwrap_or_default();
            let kwargs = c.get("kwargs").cloned().unwrap_or(Value::Null);
            let constraint = Constraint::from_ifeval(id, &kwargs).map_err(|e| e.to_string())?;
            items.push(DerivedConstraint {
                key: constraint_key(&constraint),
                verdict: verify_strict(&constraint, &analysis),
                constraint,
            });
        }
        Ok(Derivation { seed, items, notes })
    }

    /// Adds `other`'s constraints and notes, derived for the same pair and seed by checks this
    /// derivation excluded ([`derive_only`]), at the places [`derive`] would have put them
    /// (registry order; each check's own order kept). The seed stays this derivation's.
    pub fn merge(mut self, other: Derivation) -> Derivation {
        // Each one goes after everything of its check's place or earlier (an insertion, not a
        // sort: no sorting code in the browser's bundle for this).
        for item in other.items {
            let place = registry_index(item.constraint.id());
            let at = self
                .items
                .iter()
                .position(|d| registry_index(d.constraint.id()) > place)
                .unwrap_or(self.items.len());
            self.items.insert(at, item);
        }
        for note in other.notes {
            let place = note_index(&note);
            let at =
                self.notes.iter().position(|n| note_index(n) > place).unwrap_or(self.notes.len());
            self.notes.insert(at, note);
        }
        self
    }
}

/// One derived constraint, or text constraint, after composition.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The constraint.
    pub requirement: Requirement,
    /// Its key ([`constraint_key`], or [`text_key`]), which unticking remembers.
    pub key: String,
    /// Its strict verdict on the response, for a rule-derived constraint (a pass, with the
    /// evidence); text constraints have none (a judge decides them).
    pub verdict: Option<Verdict>,
    /// The constraint as an instruction sentence: the one in the prompt when it is combined,
    /// else a rendering of its own.
    pub text: String,
    /// Whether it may be combined (not unticked).
    pub kept: bool,
    /// Whether it is in the composed prompt.
    pub combined: bool,
}

/// Two kept constraints that must not be combined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictPair {
    /// Index of the first one in [`Backtranslation::items`].
    pub a: usize,
    /// Index of the second one.
    pub b: usize,
    /// Why ([`Requirement::conflict`]).
    pub reason: String,
}

/// A pair back-translated: derived constraints, the composition of the kept ones, conflicts.
#[derive(Clone, Debug, PartialEq)]
pub struct Backtranslation {
    /// The seed.
    pub seed: u64,
    /// Every derived constraint, in derivation order, then the text constraints in the order
    /// given.
    pub items: Vec<Item>,
    /// The instruction the composition starts from: the original, or the refined one.
    pub instruction: String,
    /// Whether that is the refined instruction.
    pub refined_used: bool,
    /// The composed instruction.
    pub composition: Composition,
    /// Pairs of kept constraints that conflict, in item order.
    pub conflicts: Vec<ConflictPair>,
}

/// The key of a text constraint, like [`constraint_key`]: its id and its sentence.
pub fn text_key(t: &TextConstraint) -> String {
    format!("{} {}", t.id(), Value::String(t.text.clone()))
}

/// What the LLM half of back-translation adds to a derivation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extra {
    /// Text constraints (from a model, a CRAB record, a person), composed with the rule-derived
    /// ones.
    pub texts: Vec<TextConstraint>,
    /// A refined instruction, with the number of constraints that repeat it (CRAB's `overlap`).
    pub refined: Option<(String, usize)>,
}

impl Derivation {
    /// Composes `instruction` with the derived constraints whose keys are not in `unticked`,
    /// with the [`Stream::Compose`] stream of the seed; the constraints left out of the prompt
    /// are rendered from the [`Stream::Render`] stream, in derivation order.
    pub fn compose(
        &self,
        instruction: &str,
        opts: &ComposeOptions,
        unticked: &[String],
    ) -> Backtranslation {
        self.compose_with(instruction, opts, unticked, &Extra::default())
    }

    /// [`Derivation::compose`] with text constraints and a refined instruction. The refined
    /// instruction replaces the original as CRAB decides (`crab-method.md` §1.6): when it is
    /// not shorter, with probability 1 − (0.3 + 0.1 × overlap), drawn from the
    /// [`Stream::Refine`] stream (so it moves no other draw).
    pub fn compose_with(
        &self,
        instruction: &str,
        opts: &ComposeOptions,
        unticked: &[String],
        extra: &Extra,
    ) -> Backtranslation {
        let mut all: Vec<(Requirement, String, Option<Verdict>)> = self
            .items
            .iter()
            .map(|d| {
                (Requirement::Check(d.constraint.clone()), d.key.clone(), Some(d.verdict.clone()))
            })
            .collect();
        all.extend(extra.texts.iter().map(|t| (Requirement::Text(t.clone()), text_key(t), None)));
        let kept: Vec<bool> = all.iter().map(|(_, key, _)| !unticked.contains(key)).collect();
        let candidates: Vec<Requirement> =
            all.iter().zip(&kept).filter(|(_, &k)| k).map(|((r, _, _), _)| r.clone()).collect();

        let (base, refined_used) = match &extra.refined {
            Some((refined, overlap)) => {
                let mut rng = Stream::Refine.rng(self.seed);
                let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                let longer = count_words(refined) >= count_words(instruction);
                let limit = 0.3 + 0.1 * *overlap as f64;
                if longer && u > limit {
                    (refined.clone(), true)
                } else {
                    (instruction.to_owned(), false)
                }
            }
            None => (instruction.to_owned(), false),
        };
        let composition =
            compose_requirements(&base, &candidates, opts, &mut Stream::Compose.rng(self.seed));

        // Each of the prompt's requirements is matched to one item (the first unmatched kept
        // one that is equal), so duplicates are reported faithfully.
        let mut used = vec![false; composition.requirements.len()];
        let mut render_rng = Stream::Render.rng(self.seed);
        let items = all
            .into_iter()
            .zip(&kept)
            .map(|((requirement, key, verdict), &kept)| {
                let at = kept
                    .then(|| {
                        composition.requirements.iter().enumerate().position(|(i, c)| {
                            !used.get(i).copied().unwrap_or(true) && *c == requirement
                        })
                    })
                    .flatten();
                let text = match at.and_then(|i| composition.texts.get(i)) {
                    Some(text) => text.clone(),
                    None => requirement.render(&mut render_rng),
                };
                if let Some(slot) = at.and_then(|i| used.get_mut(i)) {
                    *slot = true;
                }
                Item { requirement, key, verdict, text, kept, combined: at.is_some() }
            })
            .collect::<Vec<_>>();

        let mut conflicts = Vec::new();
        let kept_items: Vec<(usize, &Item)> =
            items.iter().enumerate().filter(|(_, it)| it.kept).collect();
        for (n, &(a, x)) in kept_items.iter().enumerate() {
            for &(b, y) in kept_items.get(n + 1..).unwrap_or(&[]) {
                if let Some(reason) = x.requirement.conflict(&y.requirement) {
                    conflicts.push(ConflictPair { a, b, reason });
                }
            }
        }
        Backtranslation {
            seed: self.seed,
            items,
            instruction: base,
            refined_used,
            composition,
            conflicts,
        }
    }
}

/// Derives and composes in one call, with every derived constraint kept: what `crab
/// backtranslate` does for each row, and what the browser shows with nothing unticked.
pub fn backtranslate<'r>(
    instruction: &str,
    response: &str,
    seed: u64,
    resources: impl Into<Resources<'r>>,
    opts: &ComposeOptions,
    exclude: &[String],
) -> Backtranslation {
    derive(instruction, response, seed, resources, exclude).compose(instruction, opts, &[])
}

impl Backtranslation {
    /// The composition as an IFEval input row (`key`, `prompt`, `instruction_id_list`,
    /// `kwargs`): only the combined constraints, readable by Google's evaluation.
    pub fn ifeval_row(&self, key: Value) -> Value {
        ifeval_row(key, &self.composition)
    }

    /// The `crab backtranslate --format rows` record: the IFEval row plus `response`,
    /// `constraints` (every derived constraint in derivation order: `id`, `kwargs`, `text`,
    /// `combined`) and `seed`. `crab eval` scores a file of them as it is.
    pub fn rows_item(&self, key: Value, response: &str) -> Value {
        let constraints: Vec<Value> = self
            .items
            .iter()
            .map(|item| {
                let mut entry = json!({
                    "id": item.requirement.id(),
                    "kwargs": Value::Object(item.requirement.kwargs()),
                    "text": item.text,
                    "combined": item.combined,
                });
                if let (Requirement::Text(t), Value::Object(map)) = (&item.requirement, &mut entry)
                {
                    map.insert("source".to_owned(), json!(t.source.as_str()));
                }
                entry
            })
            .collect();
        let mut row = match self.ifeval_row(key) {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        row.insert("response".to_owned(), Value::String(response.to_owned()));
        row.insert("constraints".to_owned(), Value::Array(constraints));
        row.insert("seed".to_owned(), json!(self.seed));
        Value::Object(row)
    }

    /// CRAB's training items (the `--format crab` lines): `<key>_forward` (the composed prompt
    /// and the response, with `Num_Cons` and `seed`) and, when anything is combined,
    /// `<key>_reverse` (the back-translate-the-constraints task from [`reverse_item`], worded
    /// from the [`Stream::Reverse`] stream, and its answer).
    pub fn crab_items(&self, key: &Value, instruction: &str, response: &str) -> Vec<Value> {
        let id = key_text(key);
        let chat = |user: &str, assistant: &str| {
            json!([
                {"role": "user", "content": user},
                {"role": "assistant", "content": assistant},
            ])
        };
        let comp = &self.composition;
        let mut items = vec![json!({
            "id": format!("{id}_forward"),
            "messages": chat(&comp.prompt, response),
            "Num_Cons": comp.requirements.len(),
            "seed": self.seed,
        })];
        if !comp.texts.is_empty() {
            let mut rng = Stream::Reverse.rng(self.seed);
            let (prompt, target) = reverse_item(instruction, response, &comp.texts, &mut rng);
            items.push(json!({
                "id": format!("{id}_reverse"),
                "messages": chat(&prompt, &target),
                "seed": self.seed,
            }));
        }
        items
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::lang::tests::detector;

    const INSTRUCTION: &str = "Write a short note about the sea.";
    const RESPONSE: &str = "THE SEA\n\nThe sea is wide and deep. It holds many fish and many \
                            secrets. Sailors love it and fear it.\n\nP.S. Bring a coat.";

    fn run(seed: u64, unticked: &[String]) -> Backtranslation {
        derive(INSTRUCTION, RESPONSE, seed, Some(detector()), &[]).compose(
            INSTRUCTION,
            &ComposeOptions::default(),
            unticked,
        )
    }

    #[test]
    fn same_seed_same_everything() {
        assert_eq!(run(5, &[]), run(5, &[]));
        assert_ne!(run(5, &[]).composition.prompt, run(6, &[]).composition.prompt);
        let bt = run(5, &[]);
        assert!(!bt.items.is_empty());
        assert!(bt.items.iter().all(|i| i.verdict.as_ref().is_some_and(|v| v.passed()) && i.kept));
        let combined: Vec<&str> =
            bt.items.iter().filter(|i| i.combined).map(|i| i.text.as_str()).collect();
        assert_eq!(combined.len(), bt.composition.requirements.len());
        for text in combined {
            assert!(bt.composition.prompt.contains(text));
        }
    }

    #[test]
    fn unticked_constraints_are_never_combined_and_do_not_move_the_derivation() {
        let all = run(9, &[]);
        let unticked: Vec<String> =
            all.items.iter().filter(|i| i.combined).map(|i| i.key.clone()).collect();
        let some = run(9, &unticked);
        assert_eq!(
            all.items.iter().map(|i| (&i.requirement, &i.key, &i.verdict)).collect::<Vec<_>>(),
            some.items.iter().map(|i| (&i.requirement, &i.key, &i.verdict)).collect::<Vec<_>>()
        );
        for item in &some.items {
            assert_eq!(item.kept, !unticked.contains(&item.key));
            assert!(item.kept || !item.combined, "an unticked constraint was combined");
        }
        assert!(some.conflicts.iter().all(|c| some.items[c.a].kept && some.items[c.b].kept));
    }

    #[test]
    fn exclusions_leave_checks_out_of_derivation() {
        let all = derive(INSTRUCTION, RESPONSE, 3, Some(detector()), &[]);
        assert!(all.items.iter().any(|d| d.constraint.id() == "detectable_content:postscript"));
        let some = derive(
            INSTRUCTION,
            RESPONSE,
            3,
            Some(detector()),
            &["detectable_content:postscript".to_owned(), "crab".to_owned()],
        );
        assert!(some.items.iter().all(|d| d.constraint.id() != "detectable_content:postscript"
            && d.constraint.info().family() != "crab"));
        assert!(!some.items.is_empty());
        assert!(check_exclusions(&["crab".to_owned()]).is_ok());
        assert_eq!(
            check_exclusions(&["nope".to_owned()]),
            Err("`nope` is neither a check id nor a family".to_owned())
        );
    }

    #[test]
    fn a_bound_that_empties_a_derivation_is_noted() {
        assert!(derive(INSTRUCTION, RESPONSE, 3, Some(detector()), &[]).notes.is_empty());
        let long = RESPONSE.repeat(100);
        let d = derive(INSTRUCTION, &long, 3, Some(detector()), &[]);
        assert!(d.items.iter().all(|i| i.constraint.id() != "crab:key_phrases"));
        assert_eq!(
            d.notes,
            [format!(
                "crab:key_phrases: no key phrases: the text is too long ({} bytes; the limit is \
                 10000)",
                long.len()
            )]
        );
    }

    #[test]
    fn a_part_derived_elsewhere_merges_back_in_place() {
        let only = ["detectable_content:postscript".to_owned(), "change_case".to_owned()];
        let whole = derive(INSTRUCTION, RESPONSE, 8, Some(detector()), &[]);
        let part = derive_only(INSTRUCTION, RESPONSE, 8, Some(detector()), &only);
        assert!(part.items.iter().any(|d| d.constraint.id() == "detectable_content:postscript"));
        let back = Derivation::from_json(&part.to_json(), RESPONSE, None).unwrap();
        assert_eq!(back, part);
        let rest = derive(INSTRUCTION, RESPONSE, 8, Some(detector()), &only);
        assert_eq!(rest.merge(back), whole);
    }

    #[test]
    fn a_bad_derivation_json_is_an_error() {
        let read = |v: Value| Derivation::from_json(&v, RESPONSE, None).unwrap_err();
        assert!(read(json!({"constraints": []})).contains("`seed`"));
        assert!(read(json!({"seed": 1})).contains("`constraints`"));
        assert!(read(json!({"seed": 1, "constraints": [], "notes": [1]})).contains("`notes`"));
        let unknown = json!({"seed": 1, "constraints": [{"id": "no:such", "kwargs": {}}]});
        assert!(read(unknown).contains("no:such"));
    }

    #[test]
    fn records_carry_the_same_texts_and_seed() {
        let bt = run(11, &[]);
        let row = bt.rows_item(json!("k"), RESPONSE);
        assert_eq!(row["seed"], json!(11));
        assert_eq!(row["prompt"], json!(bt.composition.prompt));
        let listed = row["constraints"].as_array().map_or(0, Vec::len);
        assert_eq!(listed, bt.items.len());
        let items = bt.crab_items(&json!("k"), INSTRUCTION, RESPONSE);
        assert_eq!(items[0]["id"], json!("k_forward"));
        assert_eq!(items.len(), 2);
        assert_eq!(bt.crab_items(&json!(7), INSTRUCTION, RESPONSE)[1]["id"], json!("7_reverse"));
    }

    #[test]
    fn streams_are_independent_and_seeds_fit_json() {
        let firsts: Vec<u64> = [Stream::Compose, Stream::Render, Stream::Reverse]
            .iter()
            .map(|s| s.rng(7).next_u64())
            .collect();
        assert!(firsts[0] != firsts[1] && firsts[1] != firsts[2] && firsts[0] != firsts[2]);
        for k in 0..1000 {
            assert!(row_seed(u64::MAX - k, &json!(k)) <= MAX_SEED);
        }
        assert_eq!(key_text(&json!("x")), "x");
        assert_eq!(key_text(&json!(12)), "12");
    }

    #[test]
    fn text_constraints_join_composition_and_exports() {
        use crate::backtranslate::Source;
        let d = derive(INSTRUCTION, RESPONSE, 4, Some(detector()), &[]);
        let texts = vec![
            TextConstraint::new(
                "Desired_Writing_Style",
                "Write in a calm and simple tone.",
                Source::Llm,
            ),
            TextConstraint::new("Style", "Write in a calm and simple tone, please.", Source::Llm),
            TextConstraint::new(
                "Semantic_elements",
                "Mention the fish and the sailors.",
                Source::Llm,
            ),
        ];
        let mut weights = std::collections::BTreeMap::new();
        weights.insert("llm".to_owned(), 1e6);
        let opts = ComposeOptions { weights, min: Some(2), ..ComposeOptions::default() };
        let extra = Extra { texts: texts.clone(), refined: None };
        let bt = d.compose_with(INSTRUCTION, &opts, &[], &extra);
        assert_eq!(bt.items.len(), d.items.len() + 3);
        let tail: Vec<&Item> = bt.items.iter().skip(d.items.len()).collect();
        assert!(tail.iter().all(|i| i.verdict.is_none() && i.key.starts_with("llm:")));
        // The two near-identical sentences conflict, so at most one is combined.
        assert!(bt.conflicts.iter().any(|c| c.reason.starts_with("near-duplicates")));
        let combined_texts = tail.iter().filter(|i| i.combined).count();
        assert_eq!(combined_texts, 2, "heavy llm weight: both distinct sentences are drawn");
        assert!(bt.composition.prompt.contains("Mention the fish and the sailors."));
        let row = bt.rows_item(json!("k"), RESPONSE);
        let ids: Vec<&str> = row["instruction_id_list"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(
            ids.iter().all(|id| !id.starts_with("llm:")),
            "IFEval rows keep checkable ids only"
        );
        let listed = row["constraints"].as_array().unwrap();
        assert_eq!(listed.last().unwrap()["source"], "llm");
        assert_eq!(
            listed.last().unwrap()["kwargs"],
            json!({"text": "Mention the fish and the sailors."})
        );
        let items = bt.crab_items(&json!("k"), INSTRUCTION, RESPONSE);
        assert_eq!(
            items[0]["Num_Cons"].as_u64().unwrap() as usize,
            bt.composition.requirements.len()
        );
        // Unticking a text constraint keeps it out; the derivation never moves.
        let unticked = vec![text_key(&texts[2])];
        let bt2 = d.compose_with(INSTRUCTION, &opts, &unticked, &extra);
        assert!(!bt2.composition.prompt.contains("Mention the fish"));
        assert_eq!(
            bt2.items
                .get(..d.items.len())
                .map(|s| s.iter().map(|i| i.key.clone()).collect::<Vec<_>>()),
            Some(d.items.iter().map(|i| i.key.clone()).collect())
        );
    }

    #[test]
    fn refined_instruction_is_used_as_crab_decides() {
        let refined = "Write a short note about the sea, its fish and the sailors who love it.";
        let uses = |overlap: usize, text: &str| {
            (0..400u64)
                .filter(|&seed| {
                    let d = derive(INSTRUCTION, RESPONSE, seed, None, &[]);
                    let extra = Extra { texts: vec![], refined: Some((text.to_owned(), overlap)) };
                    let bt = d.compose_with(INSTRUCTION, &ComposeOptions::default(), &[], &extra);
                    assert_eq!(bt.refined_used, bt.instruction == text);
                    bt.refined_used
                })
                .count()
        };
        let none = uses(0, refined);
        assert!((240..=320).contains(&none), "about 70% at overlap 0: {none}");
        let some = uses(3, refined);
        assert!((120..=200).contains(&some), "about 40% at overlap 3: {some}");
        assert_eq!(uses(0, "Short."), 0, "a shorter refined instruction is never used");
    }
}
