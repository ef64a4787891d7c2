//! The compact profile format: encoding, validated decoding, and the conversions to and from
//! the `langdetect` crate's serialised factory (`LDF1`).
//!
//! This file depends only on `std` and `langdetect` so that the build script can compile it
//! too (`#[path]`) and embed the same bytes the web app fetches. Errors are plain strings here;
//! the library wraps them in `LangError`.
//!
//! # Why counts
//!
//! langdetect stores, per n-gram and language, `count / n_words[len - 1]` in a `f64` (Python's
//! `DetectorFactory.add_profile`: `1.0 * freq / n_words[length - 1]`; the crate's
//! `add_profile_at`: `count / n`, both `f64`, correctly rounded). Those floats have random
//! mantissas and barely compress; the integers they come from are a third of the size. The
//! decoder recomputes each probability with the same single division, so the result is
//! bit-identical.
//!
//! # Layout (version 2)
//!
//! Integers are LEB128 varints unless stated otherwise.
//!
//! ```text
//! b"CRLP" 0x01                      magic and version
//! L, then L × (byte length, UTF-8)  language codes, in profile (slot) order
//! L × 3 × n_words                   per language, the 1-, 2- and 3-gram totals (< 2^53)
//! C, then C bytes                   langdetect's CJK map (`NGram.CJK_MAP`), as
//!                                   `text/lang/normalize.rs` describes it
//! G, E, |keys|, |membership|        n-grams, counts, and the byte lengths of two streams
//! keys        G ×  header byte (shared-prefix length × 4 + length), then for each character
//!                  after the shared prefix the zigzag difference from the previous key's
//!                  character at that position (0 if it had none)
//! membership  G ×  k, then k gaps between the ascending language indices (first from -1)
//! magnitudes  E = Σk bytes: bits(n_words) − bits(count) for each (n-gram, language)
//! mantissas   bit-packed, most significant bit first: each count's bits below its leading 1;
//!             zero padding to the byte; nothing after
//! ```
//!
//! The n-grams are distinct, 1 to 3 characters, in strictly ascending code-point order (which
//! makes the prefix/delta coding small and the format canonical: one table, one encoding).
//! Keeping the streams apart is what lets gzip model each; their extents in the header let
//! the decoder read all four side by side, in one pass with no intermediate tables.
//! Storing the magnitudes relative to the total, and apart from the random mantissa bits,
//! lets gzip model them (about 3.3 bits each) while the mantissas are stored as they are.
//! With langdetect 1.0.9's 55 profiles this is about 0.9 MB raw and 0.45 MB gzipped, against
//! 3.6 / 1.6 MB for `LDF1`.
//!
//! # Why the CJK map is here
//!
//! The map is not part of a profile set but of langdetect's normalisation, which detection
//! cannot do without. It travels with the profiles (version 2; version 1 did not have it)
//! because the web app needs it exactly when it needs the profiles: fetched with them, its
//! 13 KB leave the app's first load. The codec keeps the bytes as they are; the detector
//! decodes and checks them (`CjkMap::decode`).

#[cfg(feature = "langdetect-factory")]
use langdetect::{Compat, DetectorFactory};

/// The format's magic bytes and version.
const MAGIC: &[u8; 5] = b"CRLP\x02";
/// Counts and totals must convert to `f64` exactly (as Python's `1.0 * freq` does for them).
const MAX_TOTAL: u64 = (1 << 53) - 1;
/// More languages than any profile set has; keeps indices small and allocations bounded.
const MAX_LANGUAGES: usize = 1 << 12;
/// More bytes than any CJK map takes (two `u16` counts, at most 2^16 representatives and
/// 2^16 code points of the block).
const MAX_CJK_BYTES: usize = 1 << 19;

/// One n-gram: 1 to 3 characters (unused ones are `'\0'`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    chars: [char; 3],
    len: u8,
}

impl Key {
    /// The key of `s`, if it has 1 to 3 characters.
    pub(crate) fn new(s: &str) -> Option<Key> {
        let mut chars = ['\0'; 3];
        let mut len = 0usize;
        for c in s.chars() {
            *chars.get_mut(len)? = c;
            len += 1;
        }
        (len > 0).then_some(Key { chars, len: len as u8 })
    }

    /// 0, 1 or 2 for a 1-, 2- or 3-gram.
    fn index(&self) -> usize {
        usize::from(self.len).saturating_sub(1)
    }

    pub(crate) fn chars(&self) -> &[char] {
        self.chars.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// langdetect's hash key: character + 1 in 21-bit fields, first character lowest.
    pub(crate) fn packed(&self) -> u64 {
        self.chars().iter().enumerate().fold(0, |k, (i, &c)| k | (u64::from(c) + 1) << (21 * i))
    }

    #[cfg(any(test, feature = "langdetect-factory"))]
    fn unpack(mut key: u64) -> Option<Key> {
        let mut chars = ['\0'; 3];
        let mut len = 0;
        while key != 0 {
            let c = chars.get_mut(len)?;
            *c = char::from_u32(u32::try_from((key & 0x1f_ffff).checked_sub(1)?).ok()?)?;
            key >>= 21;
            len += 1;
        }
        (len > 0).then_some(Key { chars, len: len as u8 })
    }
}

/// The integer profiles: what Python's `LangProfile`s hold, for n-grams of 1 to 3 characters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Table {
    /// Language codes in slot order.
    pub(crate) langs: Vec<String>,
    /// Per language, the totals of 1-, 2- and 3-grams.
    pub(crate) n_words: Vec<[u64; 3]>,
    /// The n-grams, strictly ascending.
    pub(crate) keys: Vec<Key>,
    /// `entries[starts[g]..starts[g + 1]]` are n-gram `g`'s `(language, count)`, languages
    /// strictly ascending; `starts` has `keys.len() + 1` items.
    pub(crate) starts: Vec<usize>,
    pub(crate) entries: Vec<(u16, u64)>,
    /// langdetect's CJK map, carried as it is (see the module docs).
    pub(crate) cjk: Vec<u8>,
}

impl Table {
    /// The `(language, count)` pairs of n-gram `g`.
    pub(crate) fn entries_of(&self, g: usize) -> &[(u16, u64)] {
        match (self.starts.get(g), self.starts.get(g + 1)) {
            (Some(&a), Some(&b)) => self.entries.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Builds a table from per-language n-gram counts (the shape of Python's profiles).
    /// N-grams of other lengths are dropped, as langdetect never looks them up.
    pub(crate) fn from_profiles<'a>(
        profiles: impl IntoIterator<Item = (&'a str, [u64; 3], &'a [(String, u64)])>,
        cjk: Vec<u8>,
    ) -> Result<Table, String> {
        let mut langs = Vec::new();
        let mut n_words = Vec::new();
        let mut all: Vec<(Key, u16, u64)> = Vec::new();
        for (name, totals, freq) in profiles {
            let lang = u16::try_from(langs.len())
                .ok()
                .filter(|&l| usize::from(l) < MAX_LANGUAGES)
                .ok_or("too many languages")?;
            langs.push(name.to_owned());
            n_words.push(totals);
            all.extend(freq.iter().filter_map(|(w, c)| Some((Key::new(w)?, lang, *c))));
        }
        all.sort_unstable_by_key(|&(key, lang, _)| (key, lang));
        let mut table = Table { langs, n_words, starts: vec![0], cjk, ..Table::default() };
        for (i, &(key, lang, count)) in all.iter().enumerate() {
            if i > 0 && all.get(i - 1).map(|e| e.0) == Some(key) {
                if all.get(i - 1).map(|e| e.1) == Some(lang) {
                    return Err(format!("n-gram {:?} appears twice in one profile", key.chars()));
                }
            } else {
                if !table.keys.is_empty() {
                    table.starts.push(table.entries.len());
                }
                table.keys.push(key);
            }
            table.entries.push((lang, count));
        }
        if !table.keys.is_empty() {
            table.starts.push(table.entries.len());
        }
        table.validate()?;
        Ok(table)
    }

    /// The checks that make every probability a valid langdetect value: at least one
    /// language, distinct non-empty names, totals and counts below 2^53, every count at most
    /// its total (so the total is positive and the probability in 0..=1), keys ascending,
    /// languages in range and ascending.
    fn validate(&self) -> Result<(), String> {
        if self.langs.is_empty() {
            return Err("the profiles contain no language".to_owned());
        }
        if self.langs.len() > MAX_LANGUAGES || self.n_words.len() != self.langs.len() {
            return Err("bad language table".to_owned());
        }
        for (i, name) in self.langs.iter().enumerate() {
            if name.is_empty() || self.langs.get(..i).unwrap_or(&[]).contains(name) {
                return Err(format!("language code {name:?} is empty or repeated"));
            }
        }
        if self.n_words.iter().flatten().any(|&n| n > MAX_TOTAL) {
            return Err("an n-gram total exceeds 2^53".to_owned());
        }
        if self.starts.len() != self.keys.len() + 1
            || self.starts.first() != Some(&0)
            || self.starts.last() != Some(&self.entries.len())
            || self.starts.windows(2).any(|w| w.first() > w.get(1))
        {
            return Err("bad n-gram index".to_owned());
        }
        if self.keys.windows(2).any(|w| w.first() >= w.get(1)) {
            return Err("n-grams are not strictly ascending".to_owned());
        }
        for (g, key) in self.keys.iter().enumerate() {
            let entries = self.entries_of(g);
            if entries.windows(2).any(|w| w.first().map(|e| e.0) >= w.get(1).map(|e| e.0)) {
                return Err(format!("n-gram {:?}: languages not ascending", key.chars()));
            }
            for &(lang, count) in entries {
                let n = self
                    .n_words
                    .get(usize::from(lang))
                    .and_then(|t| t.get(usize::from(key.len) - 1))
                    .ok_or_else(|| {
                        format!("n-gram {:?}: language {lang} out of range", key.chars())
                    })?;
                if count > *n || *n == 0 {
                    return Err(format!(
                        "n-gram {:?}: count {count} for total {n} in language {lang}",
                        key.chars()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The number of significant bits of `v` (0 for 0).
fn bits(v: u64) -> u32 {
    u64::BITS - v.leading_zeros()
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Encodes a valid table (see [`Table::validate`]).
pub(crate) fn encode(table: &Table) -> Result<Vec<u8>, String> {
    table.validate()?;
    let mut keys = Vec::new();
    let mut prev: &[char] = &[];
    for key in &table.keys {
        let chars = key.chars();
        let shared = chars.iter().zip(prev).take_while(|(a, b)| a == b).count();
        keys.push((shared * 4 + chars.len()) as u8);
        for (i, &c) in chars.iter().enumerate().skip(shared) {
            let base = prev.get(i).map_or(0, |&p| i64::from(u32::from(p)));
            put_varint(&mut keys, zigzag(i64::from(u32::from(c)) - base));
        }
        prev = chars;
    }
    let mut membership = Vec::new();
    let mut magnitudes = Vec::with_capacity(table.entries.len());
    let mut mantissas = BitWriter::default();
    for (g, key) in table.keys.iter().enumerate() {
        let entries = table.entries_of(g);
        put_varint(&mut membership, entries.len() as u64);
        let mut last = -1i64;
        for &(lang, count) in entries {
            put_varint(&mut membership, (i64::from(lang) - last - 1) as u64);
            last = i64::from(lang);
            let n = total(&table.n_words, lang, key.len).unwrap_or(0);
            magnitudes.push((bits(n) - bits(count)) as u8);
            if count > 0 {
                mantissas.put(count, bits(count) - 1);
            }
        }
    }
    let mut out = MAGIC.to_vec();
    put_varint(&mut out, table.langs.len() as u64);
    for name in &table.langs {
        put_varint(&mut out, name.len() as u64);
        out.extend_from_slice(name.as_bytes());
    }
    for n in table.n_words.iter().flatten() {
        put_varint(&mut out, *n);
    }
    put_varint(&mut out, table.cjk.len() as u64);
    out.extend_from_slice(&table.cjk);
    for len in [table.keys.len(), table.entries.len(), keys.len(), membership.len()] {
        put_varint(&mut out, len as u64);
    }
    out.extend_from_slice(&keys);
    out.extend_from_slice(&membership);
    out.extend_from_slice(&magnitudes);
    out.extend_from_slice(&mantissas.finish());
    Ok(out)
}

fn total(n_words: &[[u64; 3]], lang: u16, len: u8) -> Option<u64> {
    n_words.get(usize::from(lang))?.get(usize::from(len).checked_sub(1)?).copied()
}

#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    /// Appends the low `width` (< 53) bits of `v`.
    fn put(&mut self, v: u64, width: u32) {
        self.acc = (self.acc << width) | (v & ((1 << width) - 1));
        self.n += width;
        while self.n >= 8 {
            self.n -= 8;
            self.out.push((self.acc >> self.n) as u8);
        }
        self.acc &= (1 << self.n) - 1;
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push((self.acc << (8 - self.n)) as u8);
        }
        self.out
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    #[inline]
    fn byte(&mut self) -> Result<u8, String> {
        let b = *self.buf.get(self.pos).ok_or_else(truncated)?;
        self.pos += 1;
        Ok(b)
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).ok_or_else(truncated)?;
        let s = self.buf.get(self.pos..end).ok_or_else(truncated)?;
        self.pos = end;
        Ok(s)
    }

    #[inline]
    fn varint(&mut self) -> Result<u64, String> {
        // Most numbers here are below 128: one byte.
        if let Some(&b) = self.buf.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(u64::from(b));
            }
        }
        self.long_varint()
    }

    fn long_varint(&mut self) -> Result<u64, String> {
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
        Err("malformed number".to_owned())
    }

    /// A count of items that each take at least one more byte: bounded by what is left, so
    /// that a corrupt count cannot ask for a huge allocation.
    fn count(&mut self) -> Result<usize, String> {
        let n = self.varint()?;
        let left = self.buf.len().saturating_sub(self.pos);
        usize::try_from(n).ok().filter(|&n| n <= left).ok_or_else(truncated)
    }
}

fn truncated() -> String {
    "truncated or corrupt profile data".to_owned()
}

/// Reads bits most significant first from a byte slice.
struct BitReader<'a> {
    buf: &'a [u8],
    pos: usize,
    acc: u64,
    n: u32,
}

impl BitReader<'_> {
    /// The next `width` (< 53) bits.
    #[inline]
    fn get(&mut self, width: u32) -> Result<u64, String> {
        while self.n < width {
            let b = *self.buf.get(self.pos).ok_or_else(truncated)?;
            self.pos += 1;
            self.acc = (self.acc << 8) | u64::from(b);
            self.n += 8;
        }
        self.n -= width;
        let v = self.acc >> self.n;
        self.acc &= (1 << self.n) - 1;
        Ok(v)
    }
}

/// The languages and sizes at the head of a compact file.
pub(crate) struct Header {
    pub(crate) langs: Vec<String>,
    pub(crate) n_words: Vec<[u64; 3]>,
    /// The number of n-grams.
    pub(crate) grams: usize,
    /// The number of (n-gram, language) counts.
    pub(crate) entries: usize,
    /// langdetect's CJK map, as stored.
    pub(crate) cjk: Vec<u8>,
}

/// Decodes compact bytes in one pass, checking everything [`Table::validate`] checks: `start`
/// sees the header, then `row` each n-gram (ascending) with its `(language, count)` pairs.
///
/// The four streams are read side by side (the header gives their extents), so nothing but one
/// n-gram's entries is buffered, and every extent is checked against the bytes present before
/// anything is allocated from it.
pub(crate) fn decode_with<S>(
    bytes: &[u8],
    start: impl FnOnce(&Header) -> S,
    mut row: impl FnMut(&mut S, &Header, Key, &[(u16, u64)]),
) -> Result<S, String> {
    let mut r = Reader { buf: bytes, pos: 0 };
    if r.bytes(MAGIC.len()).ok() != Some(&MAGIC[..]) {
        return Err("not a compact profile file (bad magic or version)".to_owned());
    }
    let nl = r.count()?;
    if nl == 0 || nl > MAX_LANGUAGES {
        return Err(format!("{nl} languages"));
    }
    let mut langs: Vec<String> = Vec::with_capacity(nl);
    for _ in 0..nl {
        let len = r.count()?;
        let name = std::str::from_utf8(r.bytes(len)?).map_err(|_| "language code is not UTF-8")?;
        if name.is_empty() || langs.iter().any(|l| l == name) {
            return Err(format!("language code {name:?} is empty or repeated"));
        }
        langs.push(name.to_owned());
    }
    let mut n_words = Vec::with_capacity(nl);
    for _ in 0..nl {
        let mut t = [0u64; 3];
        for n in &mut t {
            *n = r.varint()?;
            if *n > MAX_TOTAL {
                return Err("an n-gram total exceeds 2^53".to_owned());
            }
        }
        n_words.push(t);
    }
    let cjk_len = r.count()?;
    if cjk_len > MAX_CJK_BYTES {
        return Err(format!("a CJK map of {cjk_len} bytes"));
    }
    let cjk = r.bytes(cjk_len)?.to_vec();
    let (grams, entries) = (r.count()?, r.count()?);
    let (keys_len, membership_len) = (r.count()?, r.count()?);
    let mut keys = Reader { buf: r.bytes(keys_len)?, pos: 0 };
    let mut membership = Reader { buf: r.bytes(membership_len)?, pos: 0 };
    let magnitudes = r.bytes(entries)?;
    let mut mantissas = BitReader { buf: bytes.get(r.pos..).unwrap_or(&[]), pos: 0, acc: 0, n: 0 };
    // Every n-gram takes at least two bytes of keys.
    if grams > keys.buf.len() / 2 {
        return Err(truncated());
    }
    // Per n-gram length, each language's total and its bit length.
    let column =
        |i: usize| n_words.iter().filter_map(|t| t.get(i)).map(|&t| (t, bits(t))).collect();
    let totals_by_length: Vec<Vec<(u64, u32)>> = (0..3).map(column).collect();
    let header = Header { langs, n_words, grams, entries, cjk };
    let mut state = start(&header);
    let mut prev = Key { chars: ['\0'; 3], len: 0 };
    let mut buffer: Vec<(u16, u64)> = Vec::with_capacity(nl);
    let mut e = 0usize;
    for _ in 0..grams {
        let code = usize::from(keys.byte()?);
        let (shared, len) = (code / 4, code % 4);
        if len == 0 || shared >= len || shared > usize::from(prev.len) {
            return Err("malformed n-gram key".to_owned());
        }
        let mut key = Key { chars: ['\0'; 3], len: len as u8 };
        for (i, c) in key.chars.iter_mut().enumerate().take(len) {
            let old = prev.chars().get(i).map_or(0, |&p| i64::from(u32::from(p)));
            if i < shared {
                *c = prev.chars().get(i).copied().unwrap_or('\0');
                continue;
            }
            let cp = unzigzag(keys.varint()?).checked_add(old);
            let ch = cp.and_then(|cp| u32::try_from(cp).ok()).and_then(char::from_u32);
            *c = ch.ok_or("n-gram key is not a character")?;
        }
        if key <= prev {
            return Err("n-grams are not strictly ascending".to_owned());
        }
        buffer.clear();
        let k = membership.count()?;
        if k > nl {
            return Err("language index out of range".to_owned());
        }
        let totals = totals_by_length.get(key.index()).map_or(&[][..], Vec::as_slice);
        let mut lang = 0usize;
        for j in 0..k {
            let gap = usize::try_from(membership.varint()?).unwrap_or(usize::MAX);
            lang = lang.saturating_add(gap).saturating_add(usize::from(j > 0));
            let (Some(&(n, n_bits)), Some(&m)) = (totals.get(lang), magnitudes.get(e)) else {
                return Err("language index out of range".to_owned());
            };
            e += 1;
            let width = n_bits.checked_sub(u32::from(m)).ok_or("count larger than its total")?;
            let count = match width {
                0 => 0,
                w => (1 << (w - 1)) | mantissas.get(w - 1)?,
            };
            if count > n || n == 0 {
                return Err(format!("count {count} for total {n}"));
            }
            buffer.push((lang as u16, count));
        }
        row(&mut state, &header, key, &buffer);
        prev = key;
    }
    if keys.pos != keys.buf.len() || membership.pos != membership.buf.len() || e != entries {
        return Err("stream lengths do not match their contents".to_owned());
    }
    if mantissas.pos != mantissas.buf.len() || mantissas.acc != 0 {
        return Err("trailing data after the profiles".to_owned());
    }
    Ok(state)
}

/// Decodes and validates compact profile bytes into a table.
pub(crate) fn decode(bytes: &[u8]) -> Result<Table, String> {
    decode_with(
        bytes,
        |h| Table {
            langs: h.langs.clone(),
            n_words: h.n_words.clone(),
            keys: Vec::with_capacity(h.grams),
            starts: vec![0],
            entries: Vec::with_capacity(h.entries),
            cjk: h.cjk.clone(),
        },
        |t, _, key, entries| {
            t.keys.push(key);
            t.entries.extend_from_slice(entries);
            t.starts.push(t.entries.len());
        },
    )
}

/// The `LDF1` bytes (`DetectorFactory::to_bytes`) of the factory langdetect builds from
/// compact `bytes`, with the given `sum`/`unicode` compatibility bytes: every n-gram's row
/// has one slot per language (as `load_profile` sizes them) and holds `count / total` for
/// each language that lists it (0.0 included, as langdetect stores the 0.0 it computes).
///
/// Detection reads the n-gram table instead (`compact::decode_to_table`); the tests use these
/// bytes to check that recovery finds the counts again.
#[cfg(test)]
pub(crate) fn decode_to_factory_bytes(bytes: &[u8], compat: [u8; 2]) -> Result<Vec<u8>, String> {
    decode_with(
        bytes,
        |h| {
            let names: usize = h.langs.iter().map(|l| 4 + l.len()).sum();
            let size = 14 + names + h.grams * 16 + h.entries * 12;
            let mut out = Vec::with_capacity(size);
            out.extend_from_slice(b"LDF1");
            out.extend_from_slice(&compat);
            out.extend_from_slice(&(h.langs.len() as u32).to_le_bytes());
            for name in &h.langs {
                out.extend_from_slice(&(name.len() as u32).to_le_bytes());
                out.extend_from_slice(name.as_bytes());
            }
            out.extend_from_slice(&(h.grams as u32).to_le_bytes());
            out
        },
        |out, h, key, entries| write_row(out, &h.n_words, h.langs.len(), key, entries),
    )
}

/// Appends one `LDF1` row.
#[cfg(test)]
fn write_row(
    out: &mut Vec<u8>,
    n_words: &[[u64; 3]],
    langs: usize,
    key: Key,
    entries: &[(u16, u64)],
) {
    out.extend_from_slice(&key.packed().to_le_bytes());
    out.extend_from_slice(&(langs as u32).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for &(lang, count) in entries {
        let p = probability(n_words, lang, key, count);
        out.extend_from_slice(&u32::from(lang).to_le_bytes());
        out.extend_from_slice(&p.to_bits().to_le_bytes());
    }
}

/// `count / total` for a language's n-gram, as langdetect computes it (`1.0 * freq /
/// n_words[len - 1]`: one `f64` division of two exact integers).
pub(crate) fn probability(n_words: &[[u64; 3]], lang: u16, key: Key, count: u64) -> f64 {
    let n = total(n_words, lang, key.len).unwrap_or(0);
    count as f64 / n as f64
}

#[cfg(feature = "langdetect-factory")]
/// The compatibility bytes (`sum` mode, Unicode version) `to_bytes` writes for `compat`.
pub(crate) fn compat_bytes(compat: Compat) -> [u8; 2] {
    [compat.sum as u8, compat.unicode as u8]
}

#[cfg(feature = "langdetect-factory")]
/// Recovers the integer profiles behind a factory's probabilities.
///
/// The `langdetect` crate keeps only `count / total` per n-gram and language. For each
/// language and n-gram length this finds the smallest total `n` for which every probability
/// is exactly `round(p × n) / n` in `f64`, trying `n ≈ c / p_min` for `c = 1, 2, …` (the
/// smallest count of the group). A smaller `n` than Python's could only come from a common
/// factor of all counts and the total, which leaves every probability unchanged; either way
/// every probability is checked bit for bit, so the decoded table reproduces the factory.
pub(crate) fn from_factory(factory: &DetectorFactory, cjk: Vec<u8>) -> Result<Table, String> {
    let ldf = factory.to_bytes();
    let mut r = Reader { buf: &ldf, pos: 6 };
    let u32le = |r: &mut Reader<'_>| -> Result<u32, String> {
        Ok(u32::from_le_bytes(r.bytes(4)?.try_into().map_err(|_| truncated())?))
    };
    let nl = u32le(&mut r)? as usize;
    let mut langs = Vec::with_capacity(nl);
    for _ in 0..nl {
        let len = u32le(&mut r)? as usize;
        langs.push(String::from_utf8(r.bytes(len)?.to_vec()).map_err(|e| e.to_string())?);
    }
    if langs.as_slice() != factory.langlist() {
        return Err("unexpected factory serialisation".to_owned());
    }
    // (key, language, probability) of every slot, and the probabilities per (language, length).
    let mut slots: Vec<(Key, u16, f64)> = Vec::new();
    let mut groups: Vec<[Vec<f64>; 3]> = vec![Default::default(); nl];
    for _ in 0..u32le(&mut r)? {
        let b = r.bytes(8)?;
        let packed = u64::from_le_bytes(b.try_into().map_err(|_| truncated())?);
        let key = Key::unpack(packed).ok_or("bad n-gram key")?;
        if u32le(&mut r)? as usize != nl {
            return Err(format!("n-gram {:?}: row not sized to the language list", key.chars()));
        }
        for _ in 0..u32le(&mut r)? {
            let lang = u32le(&mut r)?;
            let b = r.bytes(8)?;
            let p = f64::from_bits(u64::from_le_bytes(b.try_into().map_err(|_| truncated())?));
            let lang16 = u16::try_from(lang).ok().filter(|&l| usize::from(l) < nl);
            let lang16 = lang16.ok_or("slot out of range")?;
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("probability {p} is not a count / total ratio"));
            }
            let group = groups.get_mut(usize::from(lang16)).and_then(|g| g.get_mut(key.index()));
            group.ok_or_else(truncated)?.push(p);
            slots.push((key, lang16, p));
        }
        // A row without slots would be a feature with all-zero probabilities, which counts
        // cannot express without a slot; langdetect's profiles never create one.
    }
    if r.pos != ldf.len() {
        return Err("unexpected factory serialisation".to_owned());
    }
    let mut n_words = vec![[0u64; 3]; nl];
    for ((name, group), totals) in langs.iter().zip(&groups).zip(&mut n_words) {
        for (len, (probs, n)) in group.iter().zip(totals).enumerate() {
            *n = smallest_total(probs).ok_or_else(|| {
                format!("{name} {}-grams: probabilities are not count / total ratios", len + 1)
            })?;
        }
    }
    slots.sort_unstable_by_key(|&(key, lang, _)| (key, lang));
    let mut table = Table { langs, n_words, starts: vec![0], cjk, ..Table::default() };
    for &(key, lang, p) in &slots {
        if table.keys.last() != Some(&key) {
            if !table.keys.is_empty() {
                table.starts.push(table.entries.len());
            }
            table.keys.push(key);
        }
        let n = total(&table.n_words, lang, key.len).ok_or_else(truncated)?;
        table.entries.push((lang, (p * n as f64).round() as u64));
    }
    if !table.keys.is_empty() {
        table.starts.push(table.entries.len());
    }
    table.validate()?;
    Ok(table)
}

#[cfg(feature = "langdetect-factory")]
/// The smallest `n` with every `p` exactly `round(p × n) / n`, or 1 if there is none to fit.
fn smallest_total(probs: &[f64]) -> Option<u64> {
    let Some(pmin) = probs.iter().copied().filter(|&p| p > 0.0).reduce(f64::min) else {
        return Some(1);
    };
    let fits = |n: u64| {
        n > 0
            && n <= MAX_TOTAL
            && probs.iter().all(|&p| {
                let c = (p * n as f64).round();
                c <= n as f64 && (c / n as f64).to_bits() == p.to_bits()
            })
    };
    (1..=1u64 << 20).find_map(|c| {
        let guess = c as f64 / pmin;
        [guess.floor() as u64, guess.ceil() as u64].into_iter().find(|&n| fits(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A language code, its totals and its `(n-gram, count)` pairs.
    type Spec<'a> = (&'a str, [u64; 3], &'a [(&'a str, u64)]);

    fn table(profiles: &[Spec<'_>]) -> Table {
        let freqs: Vec<Vec<(String, u64)>> = profiles
            .iter()
            .map(|(_, _, f)| f.iter().map(|(g, c)| ((*g).to_owned(), *c)).collect())
            .collect();
        Table::from_profiles(
            profiles.iter().zip(&freqs).map(|((n, t, _), f)| (*n, *t, f.as_slice())),
            b"any CJK bytes".to_vec(),
        )
        .expect("valid profiles")
    }

    /// Counts and totals share no factor per language and length, so recovery from the
    /// probabilities finds these very integers.
    fn sample() -> Table {
        table(&[
            (
                "aa",
                [100, 53, 999_999_937],
                &[
                    ("a", 3),
                    ("ab", 0),
                    ("abc", 1 << 29),
                    ("a\u{10ffff}", 50),
                    ("b", 100),
                    ("\u{1f600}", 7),
                    (" a ", 9),
                    ("\u{0}", 1),
                ],
            ),
            ("bb", [9, 7, 11], &[("a", 4), ("abd", 2), ("zz", 1)]),
            ("cc", [1, 1, 1], &[]),
        ])
    }

    #[test]
    fn keys_order_as_code_point_sequences() {
        let keys: Vec<Key> = ["a", "a\u{0}", "ab", "abc", "b", "\u{10ffff}"]
            .map(|s| Key::new(s).expect("key"))
            .to_vec();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
        assert_eq!(Key::new(""), None);
        assert_eq!(Key::new("abcd"), None);
        for key in &keys {
            assert_eq!(Key::unpack(key.packed()), Some(*key));
        }
        assert_eq!(Key::unpack(0), None);
        // Code point 0xD800 (a surrogate) + 1.
        assert_eq!(Key::unpack(0xD801), None);
    }

    #[test]
    fn tables_round_trip() {
        let t = sample();
        assert_eq!(t.keys.len(), 10);
        let bytes = encode(&t).expect("encodes");
        assert_eq!(decode(&bytes), Ok(t.clone()));
        // The factory bytes recompute count / total, and recovery finds the same integers.
        let ldf = decode_to_factory_bytes(&bytes, [0, 1]).expect("decodes");
        let factory = DetectorFactory::from_bytes(&ldf).expect("LDF1");
        assert_eq!(from_factory(&factory, t.cjk.clone()), Ok(t));
    }

    #[test]
    fn every_truncation_and_extension_is_rejected() {
        let bytes = encode(&sample()).expect("encodes");
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        assert!(decode(&[&bytes[..], &[0]].concat()).is_err());
    }

    #[test]
    fn malformed_fields_are_rejected() {
        // One language "xx" with totals 4, 4, 4, a one-byte CJK map, then G and E and the four
        // streams.
        let file = |g: u8, e: u8, keys: &[u8], membership: &[u8], rest: &[u8]| {
            let head = [
                1,
                2,
                b'x',
                b'x',
                4,
                4,
                4,
                1,
                0xC5,
                g,
                e,
                keys.len() as u8,
                membership.len() as u8,
            ];
            [&MAGIC[..], &head, keys, membership, rest].concat()
        };
        // The unigram "a" (zigzag 194) in language 0, magnitude 0: count 4 = 0b100, mantissa 00.
        let a = [0x01, 0xC2, 0x01];
        let good = file(1, 1, &a, &[1, 0], &[0, 0x00]);
        assert!(decode(&good).is_ok(), "{:?}", decode(&good));
        for (what, bad) in [
            ("no languages", [&MAGIC[..], &[0]].concat()),
            ("version 1 (no CJK map)", [&b"CRLP\x01"[..], &good[5..]].concat()),
            (
                "CJK map too long",
                [&MAGIC[..], &[1, 2, b'x', b'x', 4, 4, 4, 0x80, 0x80, 0x40]].concat(),
            ),
            ("CJK map truncated", [&MAGIC[..], &[1, 2, b'x', b'x', 4, 4, 4, 5, 0]].concat()),
            ("varint overflow", [&MAGIC[..], &[0xff; 9], &[0x02]].concat()),
            ("shared prefix on the first key", file(1, 1, &[0x05, 0xC2, 0x01], &[1, 0], &[0, 0])),
            ("zero-length key", file(1, 1, &[0x00, 0x00], &[1, 0], &[0, 0])),
            ("surrogate key", file(1, 1, &[0x01, 0x80, 0xE0, 0x06], &[1, 0], &[0, 0])),
            (
                "repeated key",
                file(2, 2, &[0x01, 0xC2, 0x01, 0x01, 0x00], &[1, 0, 1, 0], &[0, 0, 0]),
            ),
            ("language out of range", file(1, 1, &a, &[1, 1], &[0, 0])),
            ("more languages than exist", file(1, 2, &a, &[2, 0, 0], &[0, 0, 0])),
            ("count above its total", file(1, 1, &a, &[1, 0], &[0, 0xC0])),
            ("magnitude above the total's", file(1, 1, &a, &[1, 0], &[4])),
            ("padding bits set", file(1, 1, &a, &[1, 0], &[0, 0x01])),
            ("trailing byte", file(1, 1, &a, &[1, 0], &[0, 0, 0])),
            ("keys stream too long", file(1, 1, &[0x01, 0xC2, 0x01, 0x00], &[1, 0], &[0, 0])),
            ("E too large", file(1, 2, &a, &[1, 0], &[0, 0, 0])),
            ("E too small", file(1, 0, &a, &[1, 0], &[0, 0])),
            ("G too large", file(2, 1, &a, &[1, 0], &[0, 0])),
            (
                "huge n-gram count",
                [&MAGIC[..], &[1, 2, b'x', b'x', 4, 4, 4, 0, 0xff, 0xff, 0xff, 0x0f]].concat(),
            ),
        ] {
            assert!(decode(&bad).is_err(), "{what}: {bad:?}");
        }
    }

    #[test]
    fn inconsistent_tables_are_rejected() {
        let mut t = sample();
        t.keys.swap(0, 1);
        assert!(encode(&t).is_err(), "keys out of order");
        let mut t = sample();
        t.n_words[0][0] = 2;
        assert!(encode(&t).is_err(), "count above its total");
        let mut t = sample();
        t.entries[0].0 = 7;
        assert!(encode(&t).is_err(), "language out of range");
    }

    #[test]
    fn smallest_totals() {
        assert_eq!(smallest_total(&[]), Some(1));
        assert_eq!(smallest_total(&[0.0, 0.0]), Some(1));
        assert_eq!(smallest_total(&[0.5]), Some(2));
        assert_eq!(smallest_total(&[1.0 / 3.0, 2.0 / 3.0, 0.0]), Some(3));
        // Three counts of Afrikaans unigrams (the first two share a factor 3 with the total).
        let af = [9246.0 / 1541130.0, 2445.0 / 1541130.0];
        assert_eq!(smallest_total(&af), Some(1541130 / 3));
        assert_eq!(smallest_total(&[af[0], af[1], 2510.0 / 1541130.0]), Some(1541130));
        // Totals up to 2^53 - 1; near there, a neighbouring total may give the same floats.
        let big = (1u64 << 53) - 1;
        let probs = [3.0 / big as f64, 5.0 / big as f64];
        let n = smallest_total(&probs).expect("a total");
        assert!(n <= big && big - n < 4, "{n}");
        for (c, p) in [3.0, 5.0].iter().zip(probs) {
            assert_eq!((c / n as f64).to_bits(), p.to_bits());
        }
        // Not a ratio of integers below 2^53 that the search reaches.
        assert_eq!(smallest_total(&[f64::from_bits(0.1f64.to_bits() + 1)]), None);
    }

    #[test]
    fn factories_that_are_not_count_ratios_are_refused() {
        // A factory with one language "xx" and one unigram "a" with `len` slots, slot 0 = p.
        let ldf = |len: u32, p: f64| {
            let mut out = b"LDF1\x00\x01".to_vec();
            out.extend_from_slice(&1u32.to_le_bytes());
            out.extend_from_slice(&2u32.to_le_bytes());
            out.extend_from_slice(b"xx");
            out.extend_from_slice(&1u32.to_le_bytes());
            out.extend_from_slice(&(u64::from('a') + 1).to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&1u32.to_le_bytes());
            out.extend_from_slice(&0u32.to_le_bytes());
            out.extend_from_slice(&p.to_bits().to_le_bytes());
            DetectorFactory::from_bytes(&out).expect("structurally valid")
        };
        assert!(from_factory(&ldf(1, 0.25), Vec::new()).is_ok());
        for (len, p) in [(2, 0.25), (1, 1.5), (1, -0.25), (1, f64::NAN), (1, 0.1 + 1e-17)] {
            assert!(from_factory(&ldf(len, p), Vec::new()).is_err(), "len {len}, p {p}");
        }
    }
}
