//! The compact language-profile asset: langdetect's profiles as the integer counts Python's
//! `LangProfile`s hold, stored small (about 0.45 MB gzipped for the 55 built-in languages,
//! against 1.6 MB for the `langdetect` crate's serialised factory of `f64` probabilities).
//!
//! The web app fetches this asset on first need, so its size after HTTP compression is what
//! counts; loading it must also stay cheap on the browser's main thread. The format is
//! therefore shaped for gzip (n-grams shared across languages, sorted and delta-coded;
//! count magnitudes apart from their incompressible low bits) and decodes in one linear pass
//! into the n-gram table detection reads (`flat.rs`). The byte layout is described in `compact/codec.rs`.
//!
//! Every probability is recomputed as `count as f64 / n_words as f64`, the single division
//! Python (`1.0 * freq / n_words[len - 1]`) and the `langdetect` crate perform, so a detector
//! loaded from this format gives bit-identical results.

pub(crate) mod codec;

#[cfg(feature = "langdetect-factory")]
use langdetect::DetectorFactory;

use super::flat::Builder;
use super::normalize::{CjkMap, CJK_MAP};
use super::LangError;

/// One language's profile as Python's langdetect holds it (`LangProfile`): its code, the total
/// number of 1-, 2- and 3-grams counted, and the count of each kept n-gram.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// The language code (`name` in the JSON profile), e.g. `"en"` or `"zh-cn"`.
    pub name: String,
    /// `n_words`: how many 1-, 2- and 3-grams the profile's corpus had.
    pub n_words: [u64; 3],
    /// `freq`: n-gram and count. N-grams that are not 1 to 3 characters long are ignored, as
    /// detection never looks them up.
    pub freq: Vec<(String, u64)>,
}

fn invalid(why: String) -> LangError {
    LangError::InvalidProfiles(why)
}

/// Encodes profiles, given in slot order (the order of `DetectorFactory.langlist`), with
/// langdetect's CJK map.
///
/// Fails if the profiles could not be loaded by langdetect without error: no language, a
/// repeated or empty language code, a count above its total (which includes a total of 0), a
/// total of 2^53 or more, or an n-gram listed twice for one language.
pub fn encode(profiles: &[Profile]) -> Result<Vec<u8>, LangError> {
    let table = codec::Table::from_profiles(
        profiles.iter().map(|p| (p.name.as_str(), p.n_words, p.freq.as_slice())),
        CJK_MAP.to_vec(),
    )
    .map_err(invalid)?;
    codec::encode(&table).map_err(invalid)
}

/// Decodes compact bytes back into profiles (n-grams in ascending code-point order), checking
/// them as [`LanguageDetector::from_compact_bytes`](super::LanguageDetector::from_compact_bytes)
/// does.
pub fn decode(bytes: &[u8]) -> Result<Vec<Profile>, LangError> {
    let table = codec::decode(bytes).map_err(invalid)?;
    CjkMap::decode(&table.cjk).map_err(invalid)?;
    let mut profiles: Vec<Profile> = table
        .langs
        .iter()
        .zip(&table.n_words)
        .map(|(name, &n_words)| Profile { name: name.clone(), n_words, freq: Vec::new() })
        .collect();
    for (g, key) in table.keys.iter().enumerate() {
        let gram: String = key.chars().iter().collect();
        for &(lang, count) in table.entries_of(g) {
            if let Some(p) = profiles.get_mut(usize::from(lang)) {
                p.freq.push((gram.clone(), count));
            }
        }
    }
    Ok(profiles)
}

#[cfg(feature = "langdetect-factory")]
/// The compact bytes of a `langdetect` factory, such as one loaded with the crate's built-in
/// profiles (with the `langdetect-factory` feature).
///
/// The factory keeps only probabilities; the counts are recovered exactly (per language and
/// n-gram length, the smallest total for which every probability is a count divided by it,
/// each checked bit for bit). Fails for factories whose probabilities are not such ratios or
/// whose rows are not sized to the language list, which langdetect's profile loading never
/// produces, and when a language's smallest count of some n-gram length, in lowest terms,
/// exceeds 2^20 (the search's bound; langdetect's largest is 37,224).
pub fn from_factory(factory: &DetectorFactory) -> Result<Vec<u8>, LangError> {
    codec::encode(&codec::from_factory(factory, CJK_MAP.to_vec()).map_err(invalid)?)
        .map_err(invalid)
}

/// The n-gram table (see `flat.rs`) of compact `bytes`: every n-gram's `count / total` per
/// language that lists it (0.0 included, as langdetect stores the 0.0 it computes), and the
/// CJK map they carry.
pub(crate) fn decode_to_table(bytes: &[u8]) -> Result<(Vec<u8>, CjkMap), String> {
    let (table, cjk) = codec::decode_with(
        bytes,
        |h| (Builder::new(h.langs.clone(), h.grams, h.entries), h.cjk.clone()),
        |(table, _), h, key, entries| {
            let probability = |&(lang, count): &(u16, u64)| {
                (lang, codec::probability(&h.n_words, lang, key, count))
            };
            table.row(key.packed(), entries.iter().map(probability));
        },
    )?;
    Ok((table.finish()?, CjkMap::decode(&cjk)?))
}
