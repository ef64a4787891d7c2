//! The compact form of Punkt's orthographic-context table, which the build script writes and
//! [`super::params`] reads.
//!
//! The English table has 20,365 `type<TAB>flags` lines (236 KB of text, about 77 KB gzip),
//! the largest piece of data in the web app's download. Sorted, front-coded (each key as the
//! length it shares with the previous key plus the rest) and stored column by column, it is
//! 126 KB and compresses to about 56 KB, which gzip of the whole module keeps. This file is
//! compiled into the build script as well (`#[path]`), so the bytes are always written and read
//! by the same code.
//!
//! Format: the entry count (4 bytes, little-endian); then per entry, in key order, the length
//! of the prefix shared with the previous key (one byte); then per entry the rest of its key
//! followed by `\n` (keys are lines, so never contain one); then per entry its flags (one
//! byte). Keys are at most 255 bytes, flags below 256.

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
