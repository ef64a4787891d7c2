//! Combination (CRAB's forward step): an instruction plus some of the constraints its response
//! satisfies, rendered and joined into one complex prompt, and that prompt as an IFEval row.
//!
//! As in CRAB (`crab-method.md` §1.6): the number of constraints is drawn as "with probability
//! 0.7 between 6 and 8, otherwise between 1 and all"; candidates are drawn by priority weight
//! (per family or per id); the chosen ones are shuffled, joined by a connector (plain sentences
//! or `- `, `# `, `* `, `1. ` items) and put into a template, with the constraints after the
//! instruction, or before it when the instruction is long. Unlike CRAB, a candidate that
//! conflicts with one already chosen is skipped ([`super::conflict`]), and the result keeps the
//! typed constraints, so the prompt is an IFEval row that any IFEval tool can score.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{conflict, is_ifeval_id, render, TextConstraint};
use crate::checks::Constraint;
use crate::rng::Rng;
use crate::text::count_words;
use crate::text::rouge::{crab_score, DUPLICATE_THRESHOLD};

/// Instructions with more words than this get the constraints-first templates.
pub const LONG_INSTRUCTION_WORDS: usize = 200;

/// How the rendered constraints are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Connector {
    /// Sentences one after the other on one line.
    Plain,
    /// One `- ` item per line.
    Dash,
    /// One `# ` item per line.
    Hash,
    /// One `* ` item per line.
    Star,
    /// One `1. `, `2. `, … item per line.
    Numbered,
}

impl Connector {
    /// Every connector.
    pub const ALL: [Connector; 5] =
        [Connector::Plain, Connector::Dash, Connector::Hash, Connector::Star, Connector::Numbered];

    /// A short name for options and files: `plain`, `dash`, `hash`, `star`, `numbered`.
    pub fn as_str(self) -> &'static str {
        match self {
            Connector::Plain => "plain",
            Connector::Dash => "dash",
            Connector::Hash => "hash",
            Connector::Star => "star",
            Connector::Numbered => "numbered",
        }
    }

    /// Parses [`Connector::as_str`]'s names.
    pub fn parse(s: &str) -> Option<Connector> {
        Connector::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// `texts` joined with this connector.
    pub fn join(self, texts: &[String]) -> String {
        let bullet = match self {
            Connector::Plain => return texts.join(" "),
            Connector::Dash => "- ",
            Connector::Hash => "# ",
            Connector::Star => "* ",
            Connector::Numbered => "",
        };
        let mut out = String::new();
        for (i, text) in texts.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if self == Connector::Numbered {
                out.push_str(&format!("{}. ", i + 1));
            } else {
                out.push_str(bullet);
            }
            out.push_str(text);
        }
        out
    }
}

/// Where the instruction and the joined constraints go in the prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Template {
    /// The instruction, a blank line, the constraints.
    Appended,
    /// The instruction, then "When answering, make sure the following constraints are also
    /// met:" and the constraints.
    AlsoEnsure,
    /// "Instruction: …" then "Constraints:" and the constraints.
    Labelled,
    /// The instruction, then "Your response must also satisfy these requirements:".
    Requirements,
    /// "Here's the task: …" then "A few rules to keep in mind:".
    Casual,
    /// The constraints, a blank line, the instruction.
    ConstraintsFirst,
    /// The constraints, then "Query:" and the instruction.
    ConstraintsThenQuery,
    /// "Follow these constraints in your response:", the constraints, then "Task:" and the
    /// instruction.
    RulesThenTask,
}

impl Template {
    /// Templates with the instruction first (the default for ordinary instructions).
    pub const INSTRUCTION_FIRST: [Template; 5] = [
        Template::Appended,
        Template::AlsoEnsure,
        Template::Labelled,
        Template::Requirements,
        Template::Casual,
    ];

    /// Templates with the constraints first (the default for long instructions, which often
    /// carry a long input text the constraints would otherwise be buried under).
    pub const CONSTRAINTS_FIRST: [Template; 3] =
        [Template::ConstraintsFirst, Template::ConstraintsThenQuery, Template::RulesThenTask];

    /// Every template.
    pub const ALL: [Template; 8] = [
        Template::Appended,
        Template::AlsoEnsure,
        Template::Labelled,
        Template::Requirements,
        Template::Casual,
        Template::ConstraintsFirst,
        Template::ConstraintsThenQuery,
        Template::RulesThenTask,
    ];

    /// A short name for options and files (`appended`, `also_ensure`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Template::Appended => "appended",
            Template::AlsoEnsure => "also_ensure",
            Template::Labelled => "labelled",
            Template::Requirements => "requirements",
            Template::Casual => "casual",
            Template::ConstraintsFirst => "constraints_first",
            Template::ConstraintsThenQuery => "constraints_then_query",
            Template::RulesThenTask => "rules_then_task",
        }
    }

    /// Parses [`Template::as_str`]'s names.
    pub fn parse(s: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether the constraints come before the instruction.
    pub fn constraints_first(self) -> bool {
        Template::CONSTRAINTS_FIRST.contains(&self)
    }

    /// The prompt made of `instruction` and the joined `constraints`.
    pub fn apply(self, instruction: &str, constraints: &str) -> String {
        match self {
            Template::Appended => format!("{instruction}\n\n{constraints}"),
            Template::AlsoEnsure => format!(
                "{instruction}\n\nWhen answering, make sure the following constraints are also \
                 met:\n{constraints}"
            ),
            Template::Labelled => format!("Instruction: {instruction}\n\nConstraints:\n{constraints}"),
            Template::Requirements => format!(
                "{instruction}\n\nYour response must also satisfy these requirements:\n{constraints}"
            ),
            Template::Casual => {
                format!("Here's the task: {instruction}\n\nA few rules to keep in mind:\n{constraints}")
            }
            Template::ConstraintsFirst => format!("{constraints}\n\n{instruction}"),
            Template::ConstraintsThenQuery => format!("{constraints}\n\nQuery:\n{instruction}"),
            Template::RulesThenTask => format!(
                "Follow these constraints in your response:\n{constraints}\n\nTask:\n{instruction}"
            ),
        }
    }
}

/// How [`compose`] chooses and lays out constraints. The default is CRAB's: no bounds on the
/// count beyond its distribution, every weight 1, all checks, random connector and template.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComposeOptions {
    /// At least this many constraints (when there are enough candidates).
    pub min: Option<usize>,
    /// At most this many constraints.
    pub max: Option<usize>,
    /// Priority weights, by check id (`keywords:existence`) or by family (`keywords`, `crab`);
    /// an id's weight wins over its family's; unlisted ones weigh 1. A weight of 0 (or a
    /// negative or non-finite one) leaves those checks out.
    pub weights: BTreeMap<String, f64>,
    /// Only IFEval's own checks (no `crab:*`), so that any IFEval tool can score the row.
    pub ifeval_only: bool,
    /// A fixed connector instead of a random one.
    pub connector: Option<Connector>,
    /// A fixed template instead of a random one of the layout the instruction's length calls
    /// for.
    pub template: Option<Template>,
}

impl ComposeOptions {
    /// The priority weight of `c`: its id's, else its family's, else 1.
    pub fn weight(&self, c: &Constraint) -> f64 {
        let info = c.info();
        self.weights
            .get(info.id)
            .or_else(|| self.weights.get(info.family()))
            .copied()
            .unwrap_or(1.0)
    }

    /// The priority weight of any requirement: a text constraint's id (`llm:<type>`), else the
    /// one weight of every text constraint (`llm`), else 1.
    pub fn requirement_weight(&self, r: &Requirement) -> f64 {
        match r {
            Requirement::Check(c) => self.weight(c),
            Requirement::Text(t) => self
                .weights
                .get(&t.id())
                .or_else(|| self.weights.get("llm"))
                .copied()
                .unwrap_or(1.0),
        }
    }
}

/// Anything that can be combined into an instruction: a checkable constraint, or a text one.
#[derive(Clone, Debug, PartialEq)]
pub enum Requirement {
    /// A constraint a rule checks.
    Check(Constraint),
    /// A sentence no rule checks (`llm:<type>`).
    Text(TextConstraint),
}

impl Requirement {
    /// The id: the check's (`punctuation:no_comma`), or `llm:<type>`.
    pub fn id(&self) -> String {
        match self {
            Requirement::Check(c) => c.id().to_owned(),
            Requirement::Text(t) => t.id(),
        }
    }

    /// The family: the check's, or `llm`.
    pub fn family(&self) -> &str {
        match self {
            Requirement::Check(c) => c.info().family(),
            Requirement::Text(_) => "llm",
        }
    }

    /// The checkable constraint, if it is one.
    pub fn as_check(&self) -> Option<&Constraint> {
        match self {
            Requirement::Check(c) => Some(c),
            Requirement::Text(_) => None,
        }
    }

    /// The kwargs written with it in files (a text constraint's are `{"text": …}`).
    pub fn kwargs(&self) -> serde_json::Map<String, Value> {
        match self {
            Requirement::Check(c) => c.kwargs(),
            Requirement::Text(t) => t.kwargs(),
        }
    }

    /// As an instruction sentence: a check's rendering drawn from `rng`, a text constraint's own
    /// sentence (which draws nothing, so adding text constraints never moves a rendering).
    pub fn render(&self, rng: &mut Rng) -> String {
        match self {
            Requirement::Check(c) => render(c, rng),
            Requirement::Text(t) => t.text.clone(),
        }
    }

    /// Why `self` and `other` must not be combined: [`super::conflict`] for two checks, and for
    /// two text constraints CRAB's duplicate rule (ROUGE-L F above 0.6).
    pub fn conflict(&self, other: &Requirement) -> Option<String> {
        match (self, other) {
            (Requirement::Check(a), Requirement::Check(b)) => conflict(a, b),
            (Requirement::Text(a), Requirement::Text(b)) => {
                let score = crab_score(&a.text, &b.text);
                (score > DUPLICATE_THRESHOLD).then(|| {
                    format!("near-duplicates (ROUGE-L {score:.2}, CRAB's limit is {DUPLICATE_THRESHOLD})")
                })
            }
            _ => None,
        }
    }
}

/// A composed instruction: the prompt, and the requirements in it with their rendered texts.
#[derive(Clone, Debug, PartialEq)]
pub struct Composition {
    /// The complete prompt: instruction and rendered constraints in a template.
    pub prompt: String,
    /// The combined requirements, in the order they appear in the prompt.
    pub requirements: Vec<Requirement>,
    /// Each requirement's rendered text, aligned with `requirements`.
    pub texts: Vec<String>,
    /// How many candidates were passed over because they conflict with one already chosen.
    pub avoided: usize,
}

impl Composition {
    /// The combined checkable constraints, in prompt order (what an IFEval row carries).
    pub fn constraints(&self) -> Vec<Constraint> {
        self.requirements.iter().filter_map(|r| r.as_check().cloned()).collect()
    }
}

/// How many constraints to combine out of `available`: with probability 0.7 between
/// min(6, L) and min(8, L), otherwise between 1 and L (CRAB's draw), then clamped to the
/// options' `min` and `max` and to L.
fn how_many(available: usize, opts: &ComposeOptions, rng: &mut Rng) -> usize {
    if available == 0 {
        return 0;
    }
    let l = i64::try_from(available).unwrap_or(i64::MAX);
    let n = if rng.chance(0.7) { rng.range(l.min(6), l.min(8)) } else { rng.range(1, l) };
    let n = usize::try_from(n).unwrap_or(0);
    n.max(opts.min.unwrap_or(0)).min(opts.max.unwrap_or(usize::MAX)).min(available)
}

/// A uniform number in (0, 1].
fn unit(rng: &mut Rng) -> f64 {
    ((rng.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64
}

/// Composes `instruction` with some of `candidates` (constraints its response satisfies, from
/// [`Constraint::derive_all`]).
///
/// Candidates are drawn by weighted sampling without replacement (each gets the key
/// ln(u)/weight with u uniform, and keys are taken from the largest: Efraimidis–Spirakis), and
/// one that conflicts with a constraint already chosen is skipped, until the drawn count is
/// reached or the candidates run out. The chosen ones are shuffled, rendered, joined and placed
/// in a template. Everything random comes from `rng`: the same seed gives the same prompt.
///
/// ```
/// use crab_constraints::backtranslate::{compose, ComposeOptions};
/// use crab_constraints::checks::Constraint;
/// use crab_constraints::rng::Rng;
/// use serde_json::json;
///
/// let candidates = vec![
///     Constraint::from_ifeval("punctuation:no_comma", &json!({})).unwrap(),
///     Constraint::from_ifeval("detectable_format:title", &json!({})).unwrap(),
/// ];
/// let comp = compose("Write a poem.", &candidates, &ComposeOptions::default(), &mut Rng::new(3));
/// assert!(comp.prompt.contains("Write a poem."));
/// assert_eq!(comp.requirements.len(), comp.texts.len());
/// ```
pub fn compose(
    instruction: &str,
    candidates: &[Constraint],
    opts: &ComposeOptions,
    rng: &mut Rng,
) -> Composition {
    let candidates: Vec<Requirement> = candidates.iter().cloned().map(Requirement::Check).collect();
    compose_requirements(instruction, &candidates, opts, rng)
}

/// [`compose`] over checkable and text constraints alike (text constraints weigh
/// [`ComposeOptions::requirement_weight`], are left out by `ifeval_only`, and render as their own
/// sentence). With only checkable candidates it draws exactly what [`compose`] draws.
pub fn compose_requirements(
    instruction: &str,
    candidates: &[Requirement],
    opts: &ComposeOptions,
    rng: &mut Rng,
) -> Composition {
    let pool: Vec<(usize, f64)> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| !opts.ifeval_only || c.as_check().is_some_and(|c| is_ifeval_id(c.id())))
        .map(|(i, c)| (i, opts.requirement_weight(c)))
        .filter(|(_, w)| w.is_finite() && *w > 0.0)
        .collect();
    let n = how_many(pool.len(), opts, rng);
    let mut keyed: Vec<(f64, usize)> = pool.iter().map(|&(i, w)| (unit(rng).ln() / w, i)).collect();
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

    let mut chosen: Vec<Requirement> = Vec::with_capacity(n);
    let mut avoided = 0;
    for (_, i) in keyed {
        if chosen.len() >= n {
            break;
        }
        let Some(c) = candidates.get(i) else { continue };
        if chosen.iter().any(|d| d.conflict(c).is_some()) {
            avoided += 1;
        } else {
            chosen.push(c.clone());
        }
    }
    rng.shuffle(&mut chosen);
    let texts: Vec<String> = chosen.iter().map(|c| c.render(rng)).collect();

    let prompt = if texts.is_empty() {
        instruction.to_owned()
    } else {
        let connector = opts
            .connector
            .unwrap_or_else(|| *rng.pick(&Connector::ALL).unwrap_or(&Connector::Plain));
        let template = opts.template.unwrap_or_else(|| {
            let layout: &[Template] = if count_words(instruction) > LONG_INSTRUCTION_WORDS {
                &Template::CONSTRAINTS_FIRST
            } else {
                &Template::INSTRUCTION_FIRST
            };
            *rng.pick(layout).unwrap_or(&Template::Appended)
        });
        template.apply(instruction.trim(), &connector.join(&texts))
    };
    Composition { prompt, requirements: chosen, texts, avoided }
}

/// The composition as an IFEval input row: `key`, `prompt`, `instruction_id_list` and `kwargs`
/// (Google's names and types), readable by [`crate::ifeval::InputRow::from_json`] and by
/// Google's own evaluation.
pub fn ifeval_row(key: Value, comp: &Composition) -> Value {
    let checks = comp.constraints();
    let ids: Vec<&str> = checks.iter().map(Constraint::id).collect();
    let kwargs: Vec<Value> = checks.iter().map(|c| Value::Object(c.kwargs())).collect();
    json!({
        "key": key,
        "prompt": comp.prompt,
        "instruction_id_list": ids,
        "kwargs": kwargs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backtranslate::conflict;
    use crate::checks::tests::constraint;
    use crate::ifeval::InputRow;

    fn candidates() -> Vec<Constraint> {
        vec![
            constraint("punctuation:no_comma", "{}"),
            constraint("detectable_format:title", "{}"),
            constraint(
                "length_constraints:number_words",
                r#"{"relation": "at least", "num_words": 100}"#,
            ),
            constraint(
                "length_constraints:number_sentences",
                r#"{"relation": "less than", "num_sentences": 12}"#,
            ),
            constraint("keywords:existence", r#"{"keywords": ["ocean"]}"#),
            constraint("keywords:existence", r#"{"keywords": ["wave", "tide"]}"#),
            constraint("crab:word_count", r#"{"relation": "at most", "num_words": 90}"#),
            constraint("crab:words_per_sentence", r#"{"max_words": 30}"#),
            constraint("crab:no_punctuation", r#"{"mark": "!"}"#),
            constraint("detectable_content:postscript", r#"{"postscript_marker": "P.S."}"#),
            constraint("change_case:english_lowercase", "{}"),
            constraint("change_case:english_capital", "{}"),
        ]
    }

    #[test]
    fn same_seed_same_composition_and_seeds_differ() {
        let opts = ComposeOptions::default();
        let a = compose("Write about the sea.", &candidates(), &opts, &mut Rng::new(42));
        let b = compose("Write about the sea.", &candidates(), &opts, &mut Rng::new(42));
        assert_eq!(a, b);
        let prompts: std::collections::BTreeSet<String> = (0..20)
            .map(|s| compose("Write about the sea.", &candidates(), &opts, &mut Rng::new(s)).prompt)
            .collect();
        assert!(prompts.len() >= 15, "only {} distinct prompts out of 20 seeds", prompts.len());
    }

    #[test]
    fn chosen_constraints_never_conflict_and_are_all_rendered() {
        let cands = candidates();
        let mut avoided = 0;
        for seed in 0..200 {
            let comp = compose(
                "Write about the sea.",
                &cands,
                &ComposeOptions::default(),
                &mut Rng::new(seed),
            );
            avoided += comp.avoided;
            assert_eq!(comp.constraints().len(), comp.texts.len());
            assert!(!comp.constraints().is_empty());
            for (i, a) in comp.constraints().iter().enumerate() {
                for b in &comp.constraints()[i + 1..] {
                    assert_eq!(conflict(a, b), None, "seed {seed}");
                }
            }
            for t in &comp.texts {
                assert!(comp.prompt.contains(t.as_str()));
            }
            assert!(comp.prompt.contains("Write about the sea."));
        }
        // The candidates hold conflicting pairs (two existence, lowercase vs capitals,
        // 100+ words vs at most 90): some draws must have skipped some.
        assert!(avoided > 0);
    }

    #[test]
    fn counts_follow_crab_and_the_bounds() {
        let cands = candidates();
        let many: Vec<Constraint> = (1..=30)
            .map(|n| constraint("crab:chars_per_word", &format!(r#"{{"max_chars": {n}}}"#)))
            .collect();
        let _ = cands;
        let mut six_to_eight = 0;
        for seed in 0..1000 {
            let n = how_many(many.len(), &ComposeOptions::default(), &mut Rng::new(seed));
            assert!((1..=30).contains(&n));
            if (6..=8).contains(&n) {
                six_to_eight += 1;
            }
        }
        // 0.7 + 0.3 · 3/30 = 0.73.
        assert!((680..=780).contains(&six_to_eight), "{six_to_eight}");
        let bounded = ComposeOptions { min: Some(3), max: Some(4), ..ComposeOptions::default() };
        for seed in 0..200 {
            let n = how_many(30, &bounded, &mut Rng::new(seed));
            assert!((3..=4).contains(&n));
            assert!(how_many(2, &bounded, &mut Rng::new(seed)) <= 2);
        }
        assert_eq!(how_many(0, &ComposeOptions::default(), &mut Rng::new(1)), 0);
        let empty = compose("Hi.", &[], &ComposeOptions::default(), &mut Rng::new(1));
        assert_eq!(empty.prompt, "Hi.");
        assert!(empty.constraints().is_empty());
    }

    #[test]
    fn weights_and_ifeval_only_filter() {
        let cands = candidates();
        for seed in 0..100 {
            let ifeval = ComposeOptions { ifeval_only: true, ..ComposeOptions::default() };
            let comp = compose("Go.", &cands, &ifeval, &mut Rng::new(seed));
            assert!(comp.constraints().iter().all(|c| !c.id().starts_with("crab:")));
            let mut weights = BTreeMap::new();
            weights.insert("keywords".to_owned(), 0.0);
            weights.insert("punctuation:no_comma".to_owned(), 0.0);
            let opts = ComposeOptions { weights, ..ComposeOptions::default() };
            let comp = compose("Go.", &cands, &opts, &mut Rng::new(seed));
            assert!(comp
                .constraints()
                .iter()
                .all(|c| c.info().family() != "keywords" && c.id() != "punctuation:no_comma"));
        }
        // A heavy weight puts its family first: with one slot, it almost always wins.
        let mut weights = BTreeMap::new();
        weights.insert("crab".to_owned(), 1000.0);
        let opts = ComposeOptions { weights, max: Some(1), ..ComposeOptions::default() };
        let crab = (0..200)
            .filter(|&s| {
                let comp = compose("Go.", &cands, &opts, &mut Rng::new(s));
                comp.constraints()[0].id().starts_with("crab:")
            })
            .count();
        assert!(crab >= 195, "{crab}");
        let with_id = ComposeOptions::default();
        assert_eq!(with_id.weight(&cands[0]), 1.0);
    }

    #[test]
    fn layouts_connectors_and_templates() {
        let cands = candidates();
        let long = "word ".repeat(LONG_INSTRUCTION_WORDS + 1);
        let short = "Write about the sea.";
        for seed in 0..50 {
            let comp = compose(&long, &cands, &ComposeOptions::default(), &mut Rng::new(seed));
            assert!(
                !comp.prompt.starts_with("word"),
                "long instructions come after the constraints"
            );
            let comp = compose(short, &cands, &ComposeOptions::default(), &mut Rng::new(seed));
            assert!(comp.prompt.contains(short));
            let first = comp.prompt.find(short).unwrap();
            let text = comp.prompt.find(comp.texts[0].as_str()).unwrap();
            assert!(first < text, "short instructions come first");
        }
        let texts = vec!["A.".to_owned(), "B.".to_owned()];
        assert_eq!(Connector::Plain.join(&texts), "A. B.");
        assert_eq!(Connector::Dash.join(&texts), "- A.\n- B.");
        assert_eq!(Connector::Hash.join(&texts), "# A.\n# B.");
        assert_eq!(Connector::Star.join(&texts), "* A.\n* B.");
        assert_eq!(Connector::Numbered.join(&texts), "1. A.\n2. B.");
        for c in Connector::ALL {
            assert_eq!(Connector::parse(c.as_str()), Some(c));
        }
        for t in Template::ALL {
            assert_eq!(Template::parse(t.as_str()), Some(t));
            let p = t.apply("INSTR", "CONS");
            let (i, c) = (p.find("INSTR").unwrap(), p.find("CONS").unwrap());
            assert_eq!(t.constraints_first(), c < i, "{t:?}");
        }
        let opts = ComposeOptions {
            connector: Some(Connector::Numbered),
            template: Some(Template::Labelled),
            ..ComposeOptions::default()
        };
        let comp = compose(short, &cands, &opts, &mut Rng::new(5));
        assert!(comp.prompt.starts_with("Instruction: Write about the sea.\n\nConstraints:\n1. "));
    }

    #[test]
    fn ifeval_rows_read_back() {
        let comp = compose(
            "Write about the sea.",
            &candidates(),
            &ComposeOptions::default(),
            &mut Rng::new(7),
        );
        let row = ifeval_row(json!(17), &comp);
        let parsed = InputRow::from_json(row).expect("an IFEval row");
        assert_eq!(parsed.key, json!(17));
        assert_eq!(parsed.prompt, comp.prompt);
        assert_eq!(parsed.constraints().expect("constraints"), comp.constraints());
    }
}
