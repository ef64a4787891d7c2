//! The check catalog as Markdown, generated from the registry.
//!
//! `docs/checks.md` in the repository is this output; a test fails when it is stale, so the docs
//! cannot drift from the code (`UPDATE_DOCS=1 cargo test -p crab-constraints docs` rewrites it).

use std::fmt::Write;

use super::{CheckInfo, ParamKind, CHECKS};
use crate::text::Resource;

/// The whole catalog: every registered check, grouped by family, in registry order.
pub fn catalog_markdown() -> String {
    let mut out = String::from(
        "# Check catalog\n\n\
         Generated from the registry in `crates/crab-constraints/src/checks.rs` — do not edit by hand\n\
         (`UPDATE_DOCS=1 cargo test -p crab-constraints docs` regenerates it).\n",
    );
    let mut family = "";
    for info in CHECKS {
        if info.family() != family {
            family = info.family();
            let _ = write!(out, "\n## `{family}`\n");
        }
        out.push_str(&check_markdown(info));
    }
    out
}

/// One check's section.
pub fn check_markdown(info: &CheckInfo) -> String {
    let mut out = String::new();
    let _ = write!(out, "\n### `{}` — {}\n\n{}\n", info.id, info.title, info.description);
    if info.params.is_empty() {
        out.push_str("\nParameters: none.\n");
    } else {
        out.push_str("\n| parameter | meaning | type | default |\n|---|---|---|---|\n");
        for p in info.params {
            let (kind, default) = match &p.kind {
                ParamKind::Count { min, max, default } => {
                    (format!("whole number, {min}–{max}"), default.to_string())
                }
                ParamKind::Relation => {
                    ("`less than` or `at least`".to_owned(), "`at least`".to_owned())
                }
                ParamKind::Text { default } => ("text".to_owned(), format!("`{default}`")),
                ParamKind::TextList { default } => {
                    ("list of text".to_owned(), format!("`{default:?}`"))
                }
                ParamKind::Choice { options, default } => {
                    (format!("one of {}", options.join(", ")), format!("`{default}`"))
                }
            };
            let _ = writeln!(out, "| `{}` | {} | {} | {} |", p.name, p.doc, kind, default);
        }
    }
    if let Some(divergence) = info.divergence {
        let _ = write!(out, "\n**Differs from IFEval:** {divergence}\n");
    }
    if info.needs_language() {
        out.push_str(
            "\n**Needs language detection** (langdetect's profiles; the web app loads them on \
             first use).\n",
        );
    }
    if info.needs.contains(&Resource::Tagger) {
        out.push_str(
            "\n**Needs part-of-speech tags** (NLTK's averaged perceptron model; the web app loads \
             it on first use).\n",
        );
    }
    let _ = write!(
        out,
        "\nExample with kwargs `{}`:\n\n- passes: {}\n- fails: {}\n",
        info.example.kwargs,
        quote(info.example.pass),
        quote(info.example.fail)
    );
    out
}

fn quote(text: &str) -> String {
    format!("`{}`", text.replace('\n', "⏎").replace('`', "'"))
}

#[cfg(test)]
mod tests {
    use super::catalog_markdown;

    #[test]
    fn docs_checks_md_is_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/checks.md");
        let fresh = catalog_markdown();
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(path, &fresh).expect("write docs/checks.md");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == fresh,
            "docs/checks.md is stale: run `UPDATE_DOCS=1 cargo test -p crab-constraints docs`"
        );
    }
}
