//! The n-gram table detection reads: one open-addressing hash table over flat little-endian
//! bytes, usable in place.
//!
//! Why: building the `langdetect` crate's `DetectorFactory` (87,598 rows, each its own `Vec`,
//! in a growing hash map) took most of a `crab eval` run on the GPT-4 set: tens of milliseconds
//! of allocation and page faults before the first detection. These bytes need no building:
//! the CLI embeds them, written by the build script, and reads them where they lie; the web
//! app makes them from the compact asset in one pass with one allocation.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! "CRLT\x01"
//! u32 languages, then per language: u32 length, UTF-8 code
//! u8  b                      the table has 2^b slots
//! u32 entries
//! u64 key[2^b]               langdetect's packed n-gram (21 bits per character + 1), 0 = empty
//! u32 start[2^b + 1]         slot s holds entries start[s]..start[s + 1]
//! u16 lang[entries]          language index of each entry
//! u64 prob[entries]          its probability, as f64 bits
//! ```
//!
//! A key lives in the first empty-or-equal slot from `hash(key)` on (linear probing); the
//! table is at most 80% full, so a lookup ends after a few probes.

/// The format's magic bytes and version.
const MAGIC: &[u8; 5] = b"CRLT\x01";

/// The slot where the probe for `key` starts, in a table of `2^bits` slots.
fn home(key: u64, bits: u8) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - u32::from(bits))) as usize
}

/// langdetect's hash key of an n-gram of one to three characters: character + 1 in 21-bit
/// fields, first character lowest (never 0).
pub(crate) fn pack(chars: &[char]) -> u64 {
    chars.iter().enumerate().fold(0, |k, (i, &c)| k | (u64::from(c) + 1) << (21 * i))
}

/// Collects rows, then lays out the table bytes.
#[derive(Debug, Default)]
pub(crate) struct Builder {
    langs: Vec<String>,
    keys: Vec<u64>,
    /// `entries[starts[r]..starts[r + 1]]` are row `r`'s.
    starts: Vec<usize>,
    entries: Vec<(u16, f64)>,
}

impl Builder {
    /// An empty table over these languages (in slot order).
    pub(crate) fn new(langs: Vec<String>, rows: usize, entries: usize) -> Self {
        let mut starts = Vec::with_capacity(rows + 1);
        starts.push(0);
        Builder {
            langs,
            keys: Vec::with_capacity(rows),
            starts,
            entries: Vec::with_capacity(entries),
        }
    }

    /// Adds an n-gram's row: `(language, probability)` pairs. Keys must be distinct and
    /// non-zero (as [`pack`] makes them).
    pub(crate) fn row(&mut self, key: u64, entries: impl IntoIterator<Item = (u16, f64)>) {
        self.keys.push(key);
        self.entries.extend(entries);
        self.starts.push(self.entries.len());
    }

    /// The table bytes; `Err` if a key is 0 or repeated, a language index is out of range, or
    /// the table is too large for the format.
    pub(crate) fn finish(self) -> Result<Vec<u8>, String> {
        let n = self.keys.len();
        if n >= 1 << 27 || self.entries.len() >= 1 << 31 || self.langs.len() > usize::from(u16::MAX)
        {
            return Err("too many n-grams or languages".to_owned());
        }
        // At most 80% full.
        let bits = (n + n / 4 + 1).next_power_of_two().trailing_zeros().max(1) as u8;
        let cap = 1usize << bits;
        let mut slot_row = vec![u32::MAX; cap];
        let mut slot_key = vec![0u64; cap];
        for (r, &key) in self.keys.iter().enumerate() {
            if key == 0 {
                return Err("an empty n-gram key".to_owned());
            }
            let mut s = home(key, bits);
            loop {
                match slot_key.get(s).copied() {
                    Some(0) => break,
                    Some(k) if k == key => return Err("an n-gram listed twice".to_owned()),
                    _ => s = (s + 1) & (cap - 1),
                }
            }
            if let (Some(k), Some(row)) = (slot_key.get_mut(s), slot_row.get_mut(s)) {
                *k = key;
                *row = r as u32;
            }
        }
        let names: usize = self.langs.iter().map(|l| 4 + l.len()).sum();
        let size = MAGIC.len() + 4 + names + 1 + 4 + cap * 12 + 4 + self.entries.len() * 10;
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.langs.len() as u32).to_le_bytes());
        for name in &self.langs {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
        }
        out.push(bits);
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        for key in &slot_key {
            out.extend_from_slice(&key.to_le_bytes());
        }
        // Entries in slot order.
        let row_entries = |row: u32| -> &[(u16, f64)] {
            let r = row as usize;
            match (self.starts.get(r), r.checked_add(1).and_then(|n| self.starts.get(n))) {
                (Some(&a), Some(&b)) => self.entries.get(a..b).unwrap_or(&[]),
                _ => &[],
            }
        };
        let mut start = 0u32;
        out.extend_from_slice(&start.to_le_bytes());
        for &row in &slot_row {
            start += row_entries(row).len() as u32;
            out.extend_from_slice(&start.to_le_bytes());
        }
        for &row in &slot_row {
            for &(lang, _) in row_entries(row) {
                if usize::from(lang) >= self.langs.len() {
                    return Err("language index out of range".to_owned());
                }
                out.extend_from_slice(&lang.to_le_bytes());
            }
        }
        for &row in &slot_row {
            for &(_, p) in row_entries(row) {
                out.extend_from_slice(&p.to_bits().to_le_bytes());
            }
        }
        debug_assert_eq!(out.len(), size);
        Ok(out)
    }
}

/// Table bytes, checked for shape, with the offsets of their sections.
#[derive(Debug)]
pub(crate) struct Table {
    bytes: std::borrow::Cow<'static, [u8]>,
    langs: Vec<String>,
    bits: u8,
    keys_at: usize,
    starts_at: usize,
    langs_at: usize,
    probs_at: usize,
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at.checked_add(8)?)?.try_into().ok()?))
}

impl Table {
    /// Reads the header and checks that the sections fill `bytes` exactly.
    pub(crate) fn new(bytes: std::borrow::Cow<'static, [u8]>) -> Result<Self, String> {
        let bad = || "not a valid n-gram table".to_owned();
        if bytes.get(..MAGIC.len()) != Some(&MAGIC[..]) {
            return Err(bad());
        }
        let mut at = MAGIC.len();
        let nl = u32_at(&bytes, at).ok_or_else(bad)? as usize;
        at += 4;
        if nl == 0 || nl > usize::from(u16::MAX) {
            return Err(bad());
        }
        let mut langs = Vec::with_capacity(nl);
        for _ in 0..nl {
            let len = u32_at(&bytes, at).ok_or_else(bad)? as usize;
            at += 4;
            let name = bytes.get(at..at.checked_add(len).ok_or_else(bad)?).ok_or_else(bad)?;
            langs.push(std::str::from_utf8(name).map_err(|_| bad())?.to_owned());
            at += len;
        }
        let bits = *bytes.get(at).ok_or_else(bad)?;
        if !(1..=28).contains(&bits) {
            return Err(bad());
        }
        let entries = u32_at(&bytes, at + 1).ok_or_else(bad)?;
        // The extents in u64, so that no count in the header can overflow a 32-bit usize
        // (wasm32); once they sum to the length of `bytes`, each fits in a usize.
        let (cap, e) = (1u64 << bits, u64::from(entries));
        let keys_at = at as u64 + 5;
        let starts_at = keys_at + cap * 8;
        let langs_at = starts_at + (cap + 1) * 4;
        let probs_at = langs_at + e * 2;
        if bytes.len() as u64 != probs_at + e * 8 {
            return Err(bad());
        }
        let offset = |at: u64| usize::try_from(at).map_err(|_| bad());
        let (keys_at, starts_at) = (offset(keys_at)?, offset(starts_at)?);
        let (langs_at, probs_at) = (offset(langs_at)?, offset(probs_at)?);
        if u32_at(&bytes, starts_at + (1usize << bits) * 4) != Some(entries) {
            return Err(bad());
        }
        Ok(Table { bytes, langs, bits, keys_at, starts_at, langs_at, probs_at })
    }

    /// The language codes, in slot order.
    pub(crate) fn langs(&self) -> &[String] {
        &self.langs
    }

    /// The number of slots (slot indices are below it).
    pub(crate) fn capacity(&self) -> usize {
        1 << self.bits
    }

    /// The slot of `key`, if the table has it.
    #[inline]
    pub(crate) fn find(&self, key: u64) -> Option<u32> {
        let mask = (1usize << self.bits) - 1;
        let mut s = home(key, self.bits);
        // The table is never full, so an empty slot ends every probe; the bound is for
        // hand-made bytes that are.
        for _ in 0..=mask {
            match u64_at(&self.bytes, self.keys_at + s * 8)? {
                0 => return None,
                k if k == key => return Some(s as u32),
                _ => s = (s + 1) & mask,
            }
        }
        None
    }

    /// Every occupied slot's key, in slot order.
    #[cfg(feature = "langdetect-factory")]
    pub(crate) fn slots(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        (0..1u32 << self.bits).filter_map(|s| {
            let key = u64_at(&self.bytes, self.keys_at + s as usize * 8)?;
            (key != 0).then_some((s, key))
        })
    }

    /// The `(language, probability)` entries of a slot.
    pub(crate) fn entries(&self, slot: u32) -> impl Iterator<Item = (usize, f64)> + '_ {
        let s = slot as usize;
        let start = u32_at(&self.bytes, self.starts_at + s * 4).unwrap_or(0) as usize;
        let end = u32_at(&self.bytes, self.starts_at + s * 4 + 4).unwrap_or(0) as usize;
        // At most the table's entry count, so that the offsets below stay inside `bytes` (and
        // in a 32-bit usize) even for hand-made bytes with starts out of range.
        let end = end.min((self.probs_at - self.langs_at) / 2);
        (start..end).filter_map(move |e| {
            let lang = self.bytes.get(self.langs_at + e * 2..self.langs_at + e * 2 + 2)?;
            let prob = u64_at(&self.bytes, self.probs_at + e * 8)?;
            Some((usize::from(u16::from_le_bytes(lang.try_into().ok()?)), f64::from_bits(prob)))
        })
    }
}
