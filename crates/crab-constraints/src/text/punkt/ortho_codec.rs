//! The compact form of Punkt's orthographic-context table, which the build script writes and
//! [`super::params`] reads.
//!
//! The English table has 20,366 `type<TAB>flags` lines (236 KB of text, about 77 KB gzip),
//! the largest piece of data in the web app's download. Two steps make it small:
//!
//! - **Only what the tokenizer can tell apart is kept** ([`reduce`]). Sentence tokenization
//!   reads a type's flags through three questions only ([`upper_starts_sentence`],
//!   [`lower_continues_sentence`], [`never_lower`]; NLTK's `_ortho_heuristic` and the initials
//!   rule of `_second_pass_annotation`), so every entry is replaced by one fixed value with the
//!   same three answers, and entries whose answers are those of an unseen type (no
//!   lower-case context: 5,664 of them) are left out. That leaves 14,702 entries with three
//!   distinct flag values. Training would need the full table; this crate never trains.
//! - **Sorted, front-coded** (each key as the length it shares with the previous key plus the
//!   rest) and stored column by column: 93 KB that compresses to about 36 KB (126 KB and 56 KB
//!   for the full table), which gzip of the whole module keeps.
//!
//! This file is compiled into the build script as well (`#[path]`), so the bytes are always
//! written and read by the same code.
//!
//! Format: the entry count (4 bytes, little-endian); then per entry, in key order, the length
//! of the prefix shared with the previous key (one byte); then per entry the rest of its key
//! followed by `\n` (keys are lines, so never contain one); then per entry its flags (one
//! byte). Keys are at most 255 bytes, flags below 256.

/// Orthographic context: seen sentence-initially with an upper-case first letter.
pub(crate) const ORTHO_BEG_UC: u32 = 1 << 1;
/// Orthographic context: seen sentence-internally with an upper-case first letter.
pub(crate) const ORTHO_MID_UC: u32 = 1 << 2;
/// Orthographic context: seen at an unknown position with an upper-case first letter.
pub(crate) const ORTHO_UNK_UC: u32 = 1 << 3;
/// Orthographic context: seen sentence-initially with a lower-case first letter.
pub(crate) const ORTHO_BEG_LC: u32 = 1 << 4;
/// Orthographic context: seen sentence-internally with a lower-case first letter.
pub(crate) const ORTHO_MID_LC: u32 = 1 << 5;
/// Orthographic context: seen at an unknown position with a lower-case first letter.
pub(crate) const ORTHO_UNK_LC: u32 = 1 << 6;
/// Any upper-case context.
pub(crate) const ORTHO_UC: u32 = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC;
/// Any lower-case context.
pub(crate) const ORTHO_LC: u32 = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC;

/// `_ortho_heuristic`, for a token with an upper-case first letter: the type is a sentence
/// starter when it was seen in lower case and never sentence-internally in upper case.
pub(crate) fn upper_starts_sentence(flags: u32) -> bool {
    flags & ORTHO_LC != 0 && flags & ORTHO_MID_UC == 0
}

/// `_ortho_heuristic`, for a token with a lower-case first letter: it does not start a
/// sentence when the type was seen in upper case or never sentence-initially in lower case.
pub(crate) fn lower_continues_sentence(flags: u32) -> bool {
    flags & ORTHO_UC != 0 || flags & ORTHO_BEG_LC == 0
}

/// `_second_pass_annotation`'s initials rule: the type was never seen in lower case.
pub(crate) fn never_lower(flags: u32) -> bool {
    flags & ORTHO_LC == 0
}

/// One fixed value with the same answers to the three questions as `flags`, or `None` when
/// they are the answers of a type with no flags (an unseen type): see the module docs.
pub(crate) fn canonical(flags: u32) -> Option<u32> {
    if never_lower(flags) {
        // No lower-case bit: the first question is no, the second yes, the third yes, as for 0.
        return None;
    }
    Some(if flags & ORTHO_MID_UC != 0 {
        ORTHO_MID_UC | ORTHO_MID_LC
    } else if lower_continues_sentence(flags) {
        ORTHO_MID_LC
    } else {
        ORTHO_BEG_LC
    })
}

/// `table` with each entry's flags made [`canonical`], and the entries that are then the same
/// as a missing one left out.
#[cfg_attr(not(test), allow(dead_code, reason = "used by the build script and the tests"))]
pub(crate) fn reduce<'a>(
    table: &std::collections::BTreeMap<&'a str, u32>,
) -> std::collections::BTreeMap<&'a str, u32> {
    table.iter().filter_map(|(&typ, &flags)| Some((typ, canonical(flags)?))).collect()
}

/// The table as the library reads it: `(type, flags)`, last duplicate winning, in key order.
#[cfg_attr(not(test), allow(dead_code, reason = "used by the build script and the tests"))]
pub(crate) fn parse_tab(text: &str) -> std::collections::BTreeMap<&str, u32> {
    text.split_terminator('\n')
        .filter_map(|line| {
            let (typ, flags) = line.split_once('\t')?;
            Some((typ, flags.trim().parse::<u32>().ok()?))
        })
        .collect()
}

/// Encodes `table` (see the module docs); `Err` if an entry does not fit the format.
#[cfg_attr(not(test), allow(dead_code, reason = "used by the build script and the tests"))]
pub(crate) fn encode(table: &std::collections::BTreeMap<&str, u32>) -> Result<Vec<u8>, String> {
    let count = u32::try_from(table.len()).map_err(|_| "too many entries".to_owned())?;
    let mut shared_column = Vec::with_capacity(table.len());
    let mut suffixes = Vec::new();
    let mut flags_column = Vec::with_capacity(table.len());
    let mut prev: &[u8] = &[];
    for (&typ, &flags) in table {
        let key = typ.as_bytes();
        let too_big = || format!("ortho-context entry {typ:?} ({flags}) does not fit");
        if key.contains(&b'\n') {
            return Err(too_big());
        }
        let shared = prev.iter().zip(key).take_while(|(a, b)| a == b).count();
        shared_column.push(u8::try_from(shared).map_err(|_| too_big())?);
        suffixes.extend_from_slice(key.get(shared..).unwrap_or_default());
        suffixes.push(b'\n');
        flags_column.push(u8::try_from(flags).map_err(|_| too_big())?);
        prev = key;
    }
    let mut out = count.to_le_bytes().to_vec();
    out.extend(shared_column);
    out.extend(suffixes);
    out.extend(flags_column);
    Ok(out)
}

/// Decodes [`encode`]'s bytes into the keys laid end to end and `(key end, flags)` per entry.
/// `None` for bytes it did not write (truncated or too long, a prefix longer than the previous
/// key, a key that is not UTF-8).
#[cfg_attr(
    not(any(test, target_arch = "wasm32")),
    allow(
        dead_code,
        reason = "the web app decodes these bytes; native builds read the flat table"
    )
)]
pub(crate) fn decode(bytes: &[u8]) -> Option<(String, Vec<(usize, u32)>)> {
    let count = usize::try_from(u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?)).ok()?;
    let shared_column = bytes.get(4..4 + count)?;
    let rest = bytes.get(4 + count..)?;
    let flags_column = rest.get(rest.len().checked_sub(count)?..)?;
    let mut suffixes = rest.get(..rest.len() - count)?.split(|&b| b == b'\n');
    let mut keys = Vec::with_capacity(bytes.len() * 2);
    let mut entries = Vec::with_capacity(count);
    let mut prev_start = 0;
    for (&shared, &flags) in shared_column.iter().zip(flags_column) {
        let shared = usize::from(shared);
        let start = keys.len();
        if shared > start - prev_start {
            return None;
        }
        keys.extend_from_within(prev_start..prev_start + shared);
        keys.extend_from_slice(suffixes.next()?);
        entries.push((keys.len(), u32::from(flags)));
        prev_start = start;
    }
    // Every suffix ends with `\n`, so exactly one empty piece is left after the last.
    if suffixes.next() != Some(&[]) || suffixes.next().is_some() {
        return None;
    }
    Some((String::from_utf8(keys).ok()?, entries))
}

/// The flat form of the table, read in place ([`flat_get`]): what the native build embeds, so
/// that Punkt's first use builds nothing (decoding the front-coded keys and hashing 14,702 of
/// them into a map took about a millisecond, on the critical path of every `crab eval` run).
/// The web app keeps the front-coded bytes, a third of the size, and its map.
///
/// Layout (little-endian): `u8 b`, then `2^b` slots of 8 bytes (`u32` start of the key in the
/// key bytes, `u16` key length plus one, 0 for an empty slot, `u8` flags, `u8` 0), then the keys
/// end to end. A key sits in the first empty-or-equal slot from its [`flat_hash`] on (linear
/// probing; at most half the slots are used).
#[cfg_attr(not(test), allow(dead_code, reason = "used by the build script and the tests"))]
pub(crate) fn flat(table: &std::collections::BTreeMap<&str, u32>) -> Result<Vec<u8>, String> {
    let bits = (table.len() * 2).max(2).next_power_of_two().trailing_zeros();
    let slots = 1usize << bits;
    let mut index = vec![None::<(u32, u16, u8)>; slots];
    let mut keys: Vec<u8> = Vec::new();
    for (&typ, &flags) in table {
        let too_big = || format!("ortho-context entry {typ:?} ({flags}) does not fit");
        let start = u32::try_from(keys.len()).map_err(|_| too_big())?;
        let len = u16::try_from(typ.len() + 1).map_err(|_| too_big())?;
        let flags = u8::try_from(flags).map_err(|_| too_big())?;
        keys.extend_from_slice(typ.as_bytes());
        let mut s = flat_hash(typ.as_bytes()) as usize & (slots - 1);
        while index.get(s).is_some_and(Option::is_some) {
            s = (s + 1) & (slots - 1);
        }
        if let Some(slot) = index.get_mut(s) {
            *slot = Some((start, len, flags));
        }
    }
    let mut out = vec![u8::try_from(bits).map_err(|_| "too many entries".to_owned())?];
    for slot in index {
        let (start, len, flags) = slot.unwrap_or((0, 0, 0));
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&[flags, 0]);
    }
    out.extend(keys);
    Ok(out)
}

/// The hash of a key in [`flat`]'s table: FNV-1a, 64 bits.
pub(crate) fn flat_hash(key: &[u8]) -> u64 {
    key.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// The flags of `typ` in [`flat`]'s table, 0 when it is not there (or the bytes are not such a
/// table: never a panic).
#[cfg_attr(
    all(target_arch = "wasm32", not(test)),
    allow(dead_code, reason = "the web app reads the front-coded table")
)]
pub(crate) fn flat_get(table: &[u8], typ: &str) -> u32 {
    let Some(&bits) = table.first() else { return 0 };
    let slots = 1usize.checked_shl(u32::from(bits)).unwrap_or(0);
    let Some(keys_at) = slots.checked_mul(8).and_then(|n| n.checked_add(1)) else { return 0 };
    let mut s = flat_hash(typ.as_bytes()) as usize & slots.wrapping_sub(1);
    for _ in 0..slots {
        let Some(&[a, b, c, d, l0, l1, flags, _]) = table.get(1 + s * 8..1 + s * 8 + 8) else {
            return 0;
        };
        let len = usize::from(u16::from_le_bytes([l0, l1]));
        if len == 0 {
            return 0;
        }
        let start = keys_at + u32::from_le_bytes([a, b, c, d]) as usize;
        if table.get(start..start + len - 1) == Some(typ.as_bytes()) {
            return u32::from(flags);
        }
        s = (s + 1) & (slots - 1);
    }
    0
}
