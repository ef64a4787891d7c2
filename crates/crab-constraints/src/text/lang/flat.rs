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
//! "CRLT\x02"
//! u32 languages, then per language: u32 length, UTF-8 code
//! u8  b                      the table has 2^b slots
//! u32 entries
//! slot[2^b]: u64 key         langdetect's packed n-gram (21 bits per character + 1), 0 = empty
//!            u32 start       the slot's entries are entry[start..start + len]
//!            u32 len
//! entry[entries]: u64 prob   a probability, as f64 bits
//!                 u16 lang   its language index
//! ```
//!
//! A key lives in the first empty-or-equal slot from `hash(key)` on (linear probing); the
//! table is at most 80% full, so a lookup ends after a few probes.
//!
//! Detection is bound by memory, not arithmetic: a `crab eval` run reads the table cold, one
//! scattered n-gram at a time. So a slot keeps its key and where its entries are side by side
//! (finding an n-gram already brings in where its probabilities lie), and each slot's entries
//! are one contiguous run of probability and language together (an earlier layout kept keys,
//! starts, languages and probabilities in four arrays: four cache misses per n-gram drawn).

/// The format's magic bytes and version.
const MAGIC: &[u8; 5] = b"CRLT\x02";

/// Bytes per slot: key, start, length.
const SLOT: usize = 16;
/// Bytes per entry: probability, language.
const ENTRY: usize = 10;

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
        let size = MAGIC.len() + 4 + names + 1 + 4 + cap * SLOT + self.entries.len() * ENTRY;
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.langs.len() as u32).to_le_bytes());
        for name in &self.langs {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
        }
        out.push(bits);
        out.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        let row_entries = |row: u32| -> &[(u16, f64)] {
            let r = row as usize;
            match (self.starts.get(r), r.checked_add(1).and_then(|n| self.starts.get(n))) {
                (Some(&a), Some(&b)) => self.entries.get(a..b).unwrap_or(&[]),
                _ => &[],
            }
        };
        // Entries in slot order, so that a slot's start is the running total.
        let mut start = 0u32;
        for (&key, &row) in slot_key.iter().zip(&slot_row) {
            let len = row_entries(row).len() as u32;
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&start.to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
            start += len;
        }
        for &row in &slot_row {
            for &(lang, p) in row_entries(row) {
                if usize::from(lang) >= self.langs.len() {
                    return Err("language index out of range".to_owned());
                }
                out.extend_from_slice(&p.to_bits().to_le_bytes());
                out.extend_from_slice(&lang.to_le_bytes());
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
    slots_at: usize,
    entries_at: usize,
    /// The number of entries.
    entries: usize,
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
        let slots_at = at as u64 + 5;
        let entries_at = slots_at + cap * SLOT as u64;
        if bytes.len() as u64 != entries_at + e * ENTRY as u64 {
            return Err(bad());
        }
        let offset = |at: u64| usize::try_from(at).map_err(|_| bad());
        let (slots_at, entries_at, entries) = (offset(slots_at)?, offset(entries_at)?, offset(e)?);
        // Each slot's entries are checked where they are read ([`Table::entries`]): a slot
        // pointing outside the entries has none.
        Ok(Table { bytes, langs, bits, slots_at, entries_at, entries })
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
            match u64_at(&self.bytes, self.slots_at + s * SLOT)? {
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
            let key = u64_at(&self.bytes, self.slots_at + s as usize * SLOT)?;
            (key != 0).then_some((s, key))
        })
    }

    /// The `(language, probability)` entries of a slot.
    pub(crate) fn entries(&self, slot: u32) -> impl Iterator<Item = (usize, f64)> + '_ {
        let at = self.slots_at + slot as usize * SLOT;
        let start = u32_at(&self.bytes, at + 8).unwrap_or(0) as usize;
        let len = u32_at(&self.bytes, at + 12).unwrap_or(0) as usize;
        // Within the table's entries, so that the offsets below stay inside `bytes` (and in a
        // 32-bit usize) even for hand-made bytes with a start or length out of range.
        let start = start.min(self.entries);
        let end = start.saturating_add(len).min(self.entries);
        self.bytes
            .get(self.entries_at + start * ENTRY..self.entries_at + end * ENTRY)
            .into_iter()
            .flat_map(|row| {
                row.chunks_exact(ENTRY).filter_map(|entry| {
                    let (prob, lang) = entry.split_at(8);
                    let prob = f64::from_bits(u64::from_le_bytes(prob.try_into().ok()?));
                    Some((usize::from(u16::from_le_bytes(lang.try_into().ok()?)), prob))
                })
            })
    }
}
