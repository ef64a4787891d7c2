//! The compact tagger asset: NLTK's `averaged_perceptron_tagger_eng` model (three JSON files,
//! 5.7 MB) in about 1 MB, 0.6 MB gzipped.
//!
//! The web app fetches this file on first need, so its size after HTTP compression is what
//! counts, and it must decode quickly on the browser's main thread. What makes it small:
//!
//! - **Weights as integers.** NLTK rounds every averaged weight to 3 decimals
//!   (`round(total / i, 3)`) and drops the zeros, so each is an integer number of thousandths;
//!   [`weight`](super::weight) rebuilds the same `f64` with one correctly rounded division. The
//!   conversion checks this for every weight, bit for bit.
//! - **One weight per feature is nearly free.** A perceptron update adds to the right class
//!   what it takes from the wrong one, so a feature's weights sum to almost zero (0 for 86% of
//!   the features, ±1 thousandth for most others, from the rounding): the last one is stored as
//!   that sum.
//! - **Words once.** 40,000 of the 75,447 feature keys are context words (`i word`, `i+1 word`,
//!   …, `i-1 tag+i word`); each distinct word is stored once and the features refer to it by
//!   its index, as ascending gaps.
//! - **Streams apart** (counts, classes, values, sums), so that gzip models each.
//!
//! # Layout (version 1)
//!
//! Integers are LEB128 varints unless stated otherwise; `zz` marks zigzag-coded signed ones. A
//! string is its byte length and its UTF-8 bytes; a front-coded string is the length of the
//! prefix it shares with the previous string of its list, the length of the rest, and the rest.
//!
//! ```text
//! b"CRPT" 0x01          magic and version
//! C, C × string         the classes (tags), strictly ascending (1 to 255)
//! T, T × (front-coded word, class byte)
//!                       the tag dictionary, words strictly ascending
//! V, V × front-coded    the context words of word features, strictly ascending
//! keys                  for each template of TEMPLATES, in order:
//!                         string keys: K, K × front-coded key, strictly ascending
//!                         words:       K, K × gap (word indices ascending, the first from -1)
//!                         tag + word:  G, G × (tag as a string, strictly ascending across
//!                                      groups; K, K × gap)
//! counts                F × m ≥ 1: the number of weights of each feature (F = all keys above,
//!                       in that order)
//! labels                Σm bytes: each feature's classes, strictly ascending
//! values                Σm − F × zz: each feature's weights in thousandths, but its last
//! sums                  F × zz: each feature's sum of weights in thousandths (the last weight
//!                       is the sum minus the others)
//! ```
//!
//! Nothing follows. Every list is strictly ascending, zero weights and features without weights
//! are left out, and labels must be classes, so the encoding of a model is unique
//! (canonical), and equal models give equal bytes.

use serde_json::Value;

use super::{KeyKind, PosError, PosTagger, StrList, Table, KINDS, TEMPLATES};

/// The format's magic bytes and version.
const MAGIC: &[u8; 5] = b"CRPT\x01";

/// A tagger model as NLTK's three JSON files hold it, in canonical form: classes ascending, the
/// tag dictionary ascending by word, features ascending by name, each feature's weights
/// ascending by class, without zero weights or features left without weights (neither changes
/// any score).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    /// `…classes.json`: the tags.
    pub classes: Vec<String>,
    /// `…tagdict.json`: word (as written) and its tag.
    pub tagdict: Vec<(String, String)>,
    /// `…weights.json`: feature name (`"i suffix ing"`) and its `(class, weight)` pairs.
    pub weights: Vec<(String, Vec<(String, f64)>)>,
}

/// The model of NLTK's `averaged_perceptron_tagger_eng`, from the texts of its
/// `…weights.json`, `…tagdict.json` and `…classes.json`.
///
/// Fails unless every weight is a whole number of thousandths (as `round(…, 3)` makes them),
/// every tag and label is one of the classes, and every feature name is one of the 14
/// templates followed by its key.
pub fn from_nltk_json(weights: &str, tagdict: &str, classes: &str) -> Result<Model, PosError> {
    let parse = |what: &str, text: &str| {
        serde_json::from_str::<Value>(text)
            .map_err(|e| PosError::new(format!("{what} is not JSON: {e}")))
    };
    let bad = |what: &str| PosError::new(format!("{what} does not have NLTK's shape"));
    let mut class_list: Vec<String> = parse("classes", classes)?
        .as_array()
        .ok_or_else(|| bad("classes"))?
        .iter()
        .map(|c| c.as_str().map(str::to_owned).ok_or_else(|| bad("classes")))
        .collect::<Result<_, _>>()?;
    class_list.sort_unstable();
    let mut dict: Vec<(String, String)> = parse("tagdict", tagdict)?
        .as_object()
        .ok_or_else(|| bad("tagdict"))?
        .iter()
        .map(|(w, t)| Ok((w.clone(), t.as_str().ok_or_else(|| bad("tagdict"))?.to_owned())))
        .collect::<Result<_, PosError>>()?;
    dict.sort_unstable();
    let mut features = Vec::new();
    for (name, ws) in parse("weights", weights)?.as_object().ok_or_else(|| bad("weights"))? {
        let mut pairs = Vec::new();
        for (label, w) in ws.as_object().ok_or_else(|| bad("weights"))? {
            let w = w.as_f64().ok_or_else(|| bad("weights"))?;
            if w != 0.0 {
                pairs.push((label.clone(), w));
            }
        }
        if !pairs.is_empty() {
            pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            features.push((name.clone(), pairs));
        }
    }
    features.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let model = Model { classes: class_list, tagdict: dict, weights: features };
    // Everything `encode` checks, so that a model from NLTK's files always encodes.
    Layout::of(&model)?;
    Ok(model)
}

/// The whole model laid out for encoding: classes, dictionary, words, and the features in
/// template and key order.
struct Layout<'m> {
    classes: Vec<&'m str>,
    dict: Vec<(&'m str, u8)>,
    vocab: Vec<&'m str>,
    /// Per template, its features: `(key or tag, word index, weights)`.
    templates: Vec<Vec<Feature<'m>>>,
}

/// A feature name split into its template, its key or tag, and its word.
struct Split<'m> {
    template: usize,
    key: &'m str,
    word: &'m str,
    weights: Vec<(u8, i32)>,
}

struct Feature<'m> {
    /// The key (string templates) or the tag (tag + word); empty for word templates.
    key: &'m str,
    /// The word's index in the vocabulary (word and tag + word templates).
    word: u32,
    /// `(class index, thousandths)`, classes ascending.
    weights: Vec<(u8, i32)>,
}

impl<'m> Layout<'m> {
    fn of(model: &'m Model) -> Result<Layout<'m>, PosError> {
        let classes: Vec<&str> = model.classes.iter().map(String::as_str).collect();
        if classes.is_empty() || classes.len() > 255 {
            return Err(PosError::new(format!("{} classes (need 1 to 255)", classes.len())));
        }
        if classes.windows(2).any(|w| w.first() >= w.get(1)) {
            return Err(PosError::new("classes are not strictly ascending"));
        }
        let class_of = |tag: &str| {
            classes
                .binary_search(&tag)
                .ok()
                .and_then(|c| u8::try_from(c).ok())
                .ok_or_else(|| PosError::new(format!("{tag:?} is not a class")))
        };
        let dict = model
            .tagdict
            .iter()
            .map(|(w, t)| Ok((w.as_str(), class_of(t)?)))
            .collect::<Result<Vec<_>, PosError>>()?;
        if dict.windows(2).any(|w| w.first().map(|e| e.0) >= w.get(1).map(|e| e.0)) {
            return Err(PosError::new("the tag dictionary is not strictly ascending"));
        }
        // Split each feature name into its template and key.
        let mut split: Vec<Split<'_>> = Vec::new();
        for (name, pairs) in &model.weights {
            let (t, key) = template_of(name)?;
            let (tag, word) = match KINDS.get(t) {
                Some(KeyKind::Str) => (key, ""),
                Some(KeyKind::Word) => ("", key),
                _ => key.split_once(' ').ok_or_else(|| {
                    PosError::new(format!("feature {name:?} has no tag and word"))
                })?,
            };
            let mut weights = Vec::with_capacity(pairs.len());
            for (label, w) in pairs {
                let k = thousandths(*w)
                    .ok_or_else(|| PosError::new(format!("{name:?} {label:?}: weight {w}")))?;
                weights.push((class_of(label)?, k));
            }
            if weights.is_empty()
                || weights.windows(2).any(|w| w.first().map(|e| e.0) >= w.get(1).map(|e| e.0))
            {
                return Err(PosError::new(format!("feature {name:?}: bad or repeated labels")));
            }
            split.push(Split { template: t, key: tag, word, weights });
        }
        let mut vocab: Vec<&str> = split
            .iter()
            .filter(|f| KINDS.get(f.template) != Some(&KeyKind::Str))
            .map(|f| f.word)
            .collect();
        vocab.sort_unstable();
        vocab.dedup();
        let mut templates: Vec<Vec<Feature<'_>>> = TEMPLATES.iter().map(|_| Vec::new()).collect();
        for Split { template: t, key, word, weights } in split {
            let word = match KINDS.get(t) {
                Some(KeyKind::Str) => 0,
                _ => vocab
                    .binary_search(&word)
                    .ok()
                    .and_then(|i| u32::try_from(i).ok())
                    .ok_or_else(|| PosError::new("vocabulary too large"))?,
            };
            if let Some(list) = templates.get_mut(t) {
                list.push(Feature { key, word, weights });
            }
        }
        for (t, list) in templates.iter_mut().enumerate() {
            list.sort_unstable_by(|a, b| (a.key, a.word).cmp(&(b.key, b.word)));
            if list
                .windows(2)
                .any(|w| w.first().map(|f| (f.key, f.word)) == w.get(1).map(|f| (f.key, f.word)))
            {
                return Err(PosError::new(format!(
                    "template {:?}: repeated feature",
                    TEMPLATES.get(t)
                )));
            }
        }
        Ok(Layout { classes, dict, vocab, templates })
    }
}

/// The template index and key of a feature name: `"bias"`, or a template, a space and the key.
fn template_of(name: &str) -> Result<(usize, &str), PosError> {
    if name == "bias" {
        return Ok((0, ""));
    }
    let mut found = TEMPLATES.iter().enumerate().skip(1).filter_map(|(t, template)| {
        name.strip_prefix(template).and_then(|rest| rest.strip_prefix(' ')).map(|key| (t, key))
    });
    match (found.next(), found.next()) {
        (Some(hit), None) => Ok(hit),
        _ => Err(PosError::new(format!("feature {name:?} does not name one template"))),
    }
}

/// `w` as a whole number of thousandths, if it is one exactly (its `f64` is the correctly
/// rounded `k / 1000`) and fits `i32`.
fn thousandths(w: f64) -> Option<i32> {
    let k = (w * 1000.0).round();
    if !k.is_finite() || k.abs() > f64::from(i32::MAX) {
        return None;
    }
    let k = k as i32;
    (k != 0 && super::weight(k).to_bits() == w.to_bits()).then_some(k)
}

/// Encodes `model` (see [`from_nltk_json`] for what it must satisfy).
pub fn encode(model: &Model) -> Result<Vec<u8>, PosError> {
    let layout = Layout::of(model)?;
    let mut out = MAGIC.to_vec();
    put_usize(&mut out, layout.classes.len());
    for c in &layout.classes {
        put_str(&mut out, c);
    }
    put_usize(&mut out, layout.dict.len());
    let mut prev = "";
    for &(word, class) in &layout.dict {
        put_front(&mut out, prev, word);
        out.push(class);
        prev = word;
    }
    put_usize(&mut out, layout.vocab.len());
    let mut prev = "";
    for word in &layout.vocab {
        put_front(&mut out, prev, word);
        prev = word;
    }
    for (list, kind) in layout.templates.iter().zip(KINDS) {
        match kind {
            KeyKind::Str => {
                put_usize(&mut out, list.len());
                let mut prev = "";
                for f in list {
                    put_front(&mut out, prev, f.key);
                    prev = f.key;
                }
            }
            KeyKind::Word => put_gaps(&mut out, list.iter().map(|f| f.word)),
            KeyKind::TagWord => {
                let groups: Vec<&[Feature<'_>]> = list.chunk_by(|a, b| a.key == b.key).collect();
                put_usize(&mut out, groups.len());
                for group in groups {
                    put_str(&mut out, group.first().map_or("", |f| f.key));
                    put_gaps(&mut out, group.iter().map(|f| f.word));
                }
            }
        }
    }
    let features = || layout.templates.iter().flatten();
    for f in features() {
        put_usize(&mut out, f.weights.len());
    }
    for f in features() {
        out.extend(f.weights.iter().map(|&(c, _)| c));
    }
    for f in features() {
        for &(_, k) in f.weights.iter().take(f.weights.len().saturating_sub(1)) {
            put_signed(&mut out, i64::from(k));
        }
    }
    for f in features() {
        put_signed(&mut out, f.weights.iter().map(|&(_, k)| i64::from(k)).sum());
    }
    Ok(out)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_usize(out: &mut Vec<u8>, v: usize) {
    put_varint(out, v as u64);
}

fn put_signed(out: &mut Vec<u8>, v: i64) {
    put_varint(out, ((v << 1) ^ (v >> 63)) as u64);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_usize(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

fn put_front(out: &mut Vec<u8>, prev: &str, s: &str) {
    let shared = prev.bytes().zip(s.bytes()).take_while(|(a, b)| a == b).count();
    let rest = s.as_bytes().get(shared..).unwrap_or(&[]);
    put_usize(out, shared);
    put_usize(out, rest.len());
    out.extend_from_slice(rest);
}

fn put_gaps(out: &mut Vec<u8>, ids: impl ExactSizeIterator<Item = u32>) {
    put_usize(out, ids.len());
    let mut prev = -1i64;
    for id in ids {
        put_usize(out, (i64::from(id) - prev - 1) as usize);
        prev = i64::from(id);
    }
}

/// Decodes compact bytes into a tagger, checking everything the encoder guarantees.
pub(crate) fn decode(bytes: &[u8]) -> Result<PosTagger, PosError> {
    let mut r = Reader { buf: bytes, pos: 0 };
    if r.bytes(MAGIC.len())? != MAGIC {
        return Err(PosError::new("not a tagger file (bad magic or version)"));
    }
    let n_classes = r.count()?;
    if n_classes == 0 || n_classes > 255 {
        return Err(PosError::new(format!("{n_classes} classes (need 1 to 255)")));
    }
    let mut classes = StrList::default();
    for _ in 0..n_classes {
        let n = r.count()?;
        classes.push(r.str(n)?)?;
    }
    let class = |c: u8| {
        if usize::from(c) < n_classes {
            Ok(c)
        } else {
            Err(PosError::new(format!("class {c} out of range")))
        }
    };
    let mut dict_words = StrList::default();
    let mut dict_tags = Vec::new();
    let mut prev = Vec::new();
    for _ in 0..r.count()? {
        dict_words.push(r.front(&mut prev)?)?;
        dict_tags.push(class(r.byte()?)?);
    }
    let mut vocab = StrList::default();
    let mut prev = Vec::new();
    for _ in 0..r.count()? {
        vocab.push(r.front(&mut prev)?)?;
    }
    let n_words = u32::try_from(vocab.len()).map_err(|_| PosError::new("too many words"))?;
    let mut tables = Vec::with_capacity(TEMPLATES.len());
    let mut n_features = 0u32;
    let grow = |n: &mut u32, by: usize| -> Result<u32, PosError> {
        let base = *n;
        *n = u32::try_from(by)
            .ok()
            .and_then(|by| n.checked_add(by))
            .ok_or_else(|| PosError::new("too many features"))?;
        Ok(base)
    };
    for kind in KINDS {
        let table = match kind {
            KeyKind::Str => {
                let mut keys = StrList::default();
                let mut prev = Vec::new();
                for _ in 0..r.count()? {
                    keys.push(r.front(&mut prev)?)?;
                }
                let base = grow(&mut n_features, keys.len())?;
                Table::Str { keys, base }
            }
            KeyKind::Word => {
                let ids = r.gaps(n_words)?;
                let base = grow(&mut n_features, ids.len())?;
                Table::Word { ids, base }
            }
            KeyKind::TagWord => {
                let mut tags = StrList::default();
                let mut starts = vec![0u32];
                let mut ids = Vec::new();
                for _ in 0..r.count()? {
                    let n = r.count()?;
                    tags.push(r.str(n)?)?;
                    let group = r.gaps(n_words)?;
                    if group.is_empty() {
                        return Err(PosError::new("a tag without words"));
                    }
                    ids.extend(group);
                    starts.push(
                        u32::try_from(ids.len()).map_err(|_| PosError::new("too many words"))?,
                    );
                }
                let base = grow(&mut n_features, ids.len())?;
                Table::TagWord { tags, starts, ids, base }
            }
        };
        tables.push(table);
    }
    let n_features = n_features as usize;
    let mut starts = Vec::with_capacity(n_features + 1);
    starts.push(0u32);
    let mut total = 0u32;
    for _ in 0..n_features {
        let m = r.count()?;
        if m == 0 || m > n_classes {
            return Err(PosError::new(format!("a feature with {m} weights")));
        }
        grow(&mut total, m)?;
        starts.push(total);
    }
    let labels = r.bytes(total as usize)?.to_vec();
    let mut weights = vec![0i32; labels.len()];
    let ranges = || {
        starts.windows(2).map(|w| (w.first().copied().unwrap_or(0), w.get(1).copied().unwrap_or(0)))
    };
    for (from, to) in ranges() {
        let feature = labels.get(from as usize..to as usize).unwrap_or(&[]);
        if feature.windows(2).any(|w| w.first() >= w.get(1)) {
            return Err(PosError::new("a feature's classes are not strictly ascending"));
        }
        if let Some(&last) = feature.last() {
            class(last)?;
        }
        let values =
            weights.get_mut(from as usize..(to as usize).saturating_sub(1)).unwrap_or(&mut []);
        for v in values {
            *v = r.weight()?;
        }
    }
    for (from, to) in ranges() {
        let sum = r.signed()?;
        let others: i64 = weights
            .get(from as usize..(to as usize).saturating_sub(1))
            .unwrap_or(&[])
            .iter()
            .map(|&k| i64::from(k))
            .sum();
        let last = sum
            .checked_sub(others)
            .and_then(|k| i32::try_from(k).ok())
            .filter(|&k| k != 0)
            .ok_or_else(|| PosError::new("a weight is zero or out of range"))?;
        if let Some(slot) = (to as usize).checked_sub(1).and_then(|i| weights.get_mut(i)) {
            *slot = last;
        }
    }
    if r.pos != bytes.len() {
        return Err(PosError::new("trailing bytes"));
    }
    Ok(PosTagger { classes, dict_words, dict_tags, vocab, tables, starts, labels, weights })
}

/// The model a tagger holds (canonical, as [`from_nltk_json`] gives it): what its bytes mean.
pub fn model(tagger: &PosTagger) -> Model {
    let class = |c: u8| tagger.classes.get(usize::from(c)).to_owned();
    let classes = tagger.classes().map(str::to_owned).collect();
    let tagdict = (0..tagger.dict_words.len())
        .map(|i| {
            (
                tagger.dict_words.get(i).to_owned(),
                class(tagger.dict_tags.get(i).copied().unwrap_or(u8::MAX)),
            )
        })
        .collect();
    let mut weights = Vec::new();
    for (template, table) in TEMPLATES.iter().zip(&tagger.tables) {
        let mut named = |key: String, f: usize| {
            let name = if key.is_empty() && *template == "bias" {
                (*template).to_owned()
            } else {
                format!("{template} {key}")
            };
            let from = tagger.starts.get(f).copied().unwrap_or(0) as usize;
            let to = tagger.starts.get(f + 1).copied().unwrap_or(0) as usize;
            let pairs = tagger
                .labels
                .get(from..to)
                .unwrap_or(&[])
                .iter()
                .zip(tagger.weights.get(from..to).unwrap_or(&[]))
                .map(|(&c, &k)| (class(c), super::weight(k)))
                .collect();
            weights.push((name, pairs));
        };
        match table {
            Table::Str { keys, base } => {
                for i in 0..keys.len() {
                    named(keys.get(i).to_owned(), *base as usize + i);
                }
            }
            Table::Word { ids, base } => {
                for (i, &id) in ids.iter().enumerate() {
                    named(tagger.vocab.get(id as usize).to_owned(), *base as usize + i);
                }
            }
            Table::TagWord { tags, starts, ids, base } => {
                for (t, w) in starts.windows(2).enumerate() {
                    let (from, to) =
                        (w.first().copied().unwrap_or(0), w.get(1).copied().unwrap_or(0));
                    for j in from as usize..to as usize {
                        let id = ids.get(j).copied().unwrap_or(u32::MAX);
                        let key = format!("{} {}", tags.get(t), tagger.vocab.get(id as usize));
                        named(key, *base as usize + j);
                    }
                }
            }
        }
    }
    weights.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Model { classes, tagdict, weights }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

fn truncated() -> PosError {
    PosError::new("truncated or corrupt")
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Result<u8, PosError> {
        let b = *self.buf.get(self.pos).ok_or_else(truncated)?;
        self.pos += 1;
        Ok(b)
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8], PosError> {
        let end = self.pos.checked_add(n).ok_or_else(truncated)?;
        let s = self.buf.get(self.pos..end).ok_or_else(truncated)?;
        self.pos = end;
        Ok(s)
    }

    fn str(&mut self, n: usize) -> Result<&'a str, PosError> {
        std::str::from_utf8(self.bytes(n)?).map_err(|_| PosError::new("a string is not UTF-8"))
    }

    fn varint(&mut self) -> Result<u64, PosError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                if shift == 63 && b > 1 {
                    break;
                }
                return Ok(v);
            }
        }
        Err(PosError::new("malformed number"))
    }

    /// A count of items that each take at least one more byte: bounded by what is left, so
    /// that a corrupt count cannot ask for a huge allocation.
    fn count(&mut self) -> Result<usize, PosError> {
        let n = self.varint()?;
        let left = self.buf.len().saturating_sub(self.pos);
        usize::try_from(n).ok().filter(|&n| n <= left).ok_or_else(truncated)
    }

    fn signed(&mut self) -> Result<i64, PosError> {
        let v = self.varint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    /// A stored weight: non-zero thousandths within `i32`.
    fn weight(&mut self) -> Result<i32, PosError> {
        i32::try_from(self.signed()?)
            .ok()
            .filter(|&k| k != 0)
            .ok_or_else(|| PosError::new("a weight is zero or out of range"))
    }

    /// A front-coded string following `prev` (which becomes it).
    fn front<'p>(&mut self, prev: &'p mut Vec<u8>) -> Result<&'p str, PosError> {
        let shared = self.count()?;
        let n = self.count()?;
        if shared > prev.len() {
            return Err(truncated());
        }
        prev.truncate(shared);
        prev.extend_from_slice(self.bytes(n)?);
        std::str::from_utf8(prev).map_err(|_| PosError::new("a string is not UTF-8"))
    }

    /// A list of ascending indices below `limit`, as gaps.
    fn gaps(&mut self, limit: u32) -> Result<Vec<u32>, PosError> {
        let n = self.count()?;
        let mut ids = Vec::with_capacity(n);
        let mut next = 0u64;
        for _ in 0..n {
            let id = next.checked_add(self.varint()?).ok_or_else(truncated)?;
            if id >= u64::from(limit) {
                return Err(PosError::new("a word index is out of range"));
            }
            ids.push(id as u32);
            next = id + 1;
        }
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Model {
        let s = |x: &str| x.to_owned();
        Model {
            classes: vec![s("DT"), s("NN"), s("VB")],
            tagdict: vec![(s("the"), s("DT"))],
            weights: vec![
                (s("bias"), vec![(s("NN"), 0.5), (s("VB"), -0.5)]),
                (s("i suffix ing"), vec![(s("VB"), 1.25)]),
                (s("i word dog"), vec![(s("NN"), 2.0), (s("VB"), -1.999)]),
                (s("i-1 tag+i word DT dog"), vec![(s("NN"), 0.001)]),
                (s("i-1 tag+i word -START- run"), vec![(s("VB"), 3.0)]),
                (s("i+1 word run"), vec![(s("DT"), -0.7), (s("NN"), 0.7)]),
            ]
            .into_iter()
            .map(|(n, mut w)| {
                w.sort_by(|a: &(String, f64), b| a.0.cmp(&b.0));
                (n, w)
            })
            .collect::<Vec<_>>(),
        }
    }

    fn sorted(mut m: Model) -> Model {
        m.weights.sort_by(|a, b| a.0.cmp(&b.0));
        m
    }

    #[test]
    fn models_round_trip() {
        let m = sorted(sample());
        let bytes = encode(&m).unwrap();
        let t = decode(&bytes).unwrap();
        assert_eq!(model(&t), m);
        assert_eq!(encode(&model(&t)).unwrap(), bytes);
    }

    #[test]
    fn nltk_json_converts_canonically() {
        let m = from_nltk_json(
            r#"{"i word dog": {"VB": -1.999, "NN": 2.0, "DT": 0.0}, "bias": {"VB": -0.5, "NN": 0.5}, "i-2 tag X": {}}"#,
            r#"{"the": "DT"}"#,
            r#"["VB", "DT", "NN"]"#,
        )
        .unwrap();
        assert_eq!(m.classes, ["DT", "NN", "VB"]);
        assert_eq!(m.weights.len(), 2, "zero weights and empty features are dropped");
        assert_eq!(m.weights[1].0, "i word dog");
        assert_eq!(m.weights[1].1, [("NN".to_owned(), 2.0), ("VB".to_owned(), -1.999)]);
    }

    #[test]
    fn bad_models_are_refused() {
        let refused = |w: &str, d: &str, c: &str| from_nltk_json(w, d, c).is_err();
        assert!(refused(r#"{"bias": {"NN": 0.0001}}"#, "{}", r#"["NN"]"#), "not thousandths");
        assert!(refused(r#"{"bias": {"XX": 1.0}}"#, "{}", r#"["NN"]"#), "unknown label");
        assert!(refused("{}", r#"{"a": "XX"}"#, r#"["NN"]"#), "unknown tag");
        assert!(refused(r#"{"i words x": {"NN": 1.0}}"#, "{}", r#"["NN"]"#), "no template");
        assert!(refused(r#"{"i-1 tag+i word X": {"NN": 1.0}}"#, "{}", r#"["NN"]"#), "no word");
        assert!(refused("{}", "{}", "[]"), "no class");
        assert!(refused("[", "{}", r#"["NN"]"#), "not JSON");
    }

    #[test]
    fn thousandths_are_exact() {
        assert_eq!(thousandths(-1.139), Some(-1139));
        assert_eq!(thousandths(34.39), Some(34390));
        assert_eq!(thousandths(0.001), Some(1));
        assert_eq!(thousandths(0.0), None);
        assert_eq!(thousandths(0.0015), None);
        assert_eq!(thousandths(f64::NAN), None);
        assert_eq!(thousandths(1e300), None);
    }

    #[test]
    fn every_truncation_and_extension_is_rejected() {
        let bytes = encode(&sorted(sample())).unwrap();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer).is_err());
    }

    #[test]
    fn corrupt_bytes_never_panic() {
        let bytes = encode(&sorted(sample())).unwrap();
        for i in 0..bytes.len() {
            for flip in [0x01u8, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] ^= flip;
                if let Ok(t) = decode(&bad) {
                    // Whatever decodes is a consistent model that tags without panicking.
                    let _ = t.tag(&["the", "dog", "runs", "running"]);
                }
            }
        }
    }
}
