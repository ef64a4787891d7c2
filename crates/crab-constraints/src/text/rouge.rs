//! Placeholder: replaced by the exact port (branch `rouge`).
#![allow(missing_docs, clippy::indexing_slicing)]

pub const DUPLICATE_THRESHOLD: f64 = 0.6;

pub fn rouge_l_f(reference: &str, hypothesis: &str) -> Option<f64> {
    let r: Vec<&str> = reference.split_whitespace().collect();
    let h: Vec<&str> = hypothesis.split_whitespace().collect();
    if r.is_empty() || h.is_empty() {
        return None;
    }
    let mut t = vec![vec![0usize; h.len() + 1]; r.len() + 1];
    for i in 1..=r.len() {
        for j in 1..=h.len() {
            t[i][j] = if r[i - 1] == h[j - 1] {
                t[i - 1][j - 1] + 1
            } else {
                t[i - 1][j].max(t[i][j - 1])
            };
        }
    }
    let l = t[r.len()][h.len()] as f64;
    let (p, rc) = (l / h.len() as f64, l / r.len() as f64);
    Some(2.0 * ((p * rc) / (p + rc + 1e-8)))
}

pub fn crab_score(reference: &str, hypothesis: &str) -> f64 {
    rouge_l_f(reference, hypothesis).unwrap_or(1.0)
}

pub fn crab_duplicates(texts: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for k in 0..texts.len() {
        if let Some(j) = (0..k).find(|&j| {
            !out.iter().any(|&(d, _)| d == j)
                && crab_score(texts[j], texts[k]) > DUPLICATE_THRESHOLD
        }) {
            out.push((k, j));
        }
    }
    out
}
