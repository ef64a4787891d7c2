//! langdetect's character normalisation (`NGram.normalize`) and `Detector.cleaning_text`, with
//! the CJK map in a compact form.
//!
//! Why our own: the `langdetect` crate keeps the CJK map as 6,545 pairs of `u32` (52 KB, about
//! 21 KB of gzip in the web app's first load) and builds a 65,536-entry table on first use. The
//! map only sends each of 126 classes of kanji to its representative, so the build script
//! writes it as the sorted mapped code points, delta-coded in bytes, then each one's class
//! (`cjk_map.bin`, about 13 KB before compression). It is decoded into a dense table of the
//! CJK Unified Ideographs block on the first CJK character. The rest of `NGram.normalize` is a
//! handful of Unicode blocks, written out below; the tests compare every code point with the
//! crate, and `tests/lang_reference.rs` compares whole detections with Python.

use std::sync::LazyLock;

/// The first code point of the CJK Unified Ideographs block.
const CJK_FIRST: u32 = 0x4E00;
/// The last code point of the CJK Unified Ideographs block.
const CJK_LAST: u32 = 0x9FFF;

/// The CJK map as the build script writes it: `u16` count of classes, each representative as a
/// `u16` offset from [`CJK_FIRST`], `u16` count of mapped code points, their offsets as gaps
/// (one byte each, the first from [`CJK_FIRST`]), then each one's class (one byte each). All
/// numbers little-endian.
static CJK_MAP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cjk_map.bin"));

/// `NGram.normalize`: the character langdetect counts in place of `c`.
///
/// ASCII letters stay, other ASCII and General Punctuation become a space, a few Latin, Arabic
/// and Romanian letters are folded, each kana, bopomofo and hangul block becomes one character,
/// and kanji become their class's representative.
pub(super) fn normalize(c: char) -> char {
    match u32::from(c) {
        0x41..=0x5A | 0x61..=0x7A => c,
        0x00..=0x7F | 0x2000..=0x206F => ' ',
        // Latin-1 Supplement: no-break space, guillemets and the degree sign.
        0xA0 | 0xAB | 0xB0 | 0xBB => ' ',
        // Latin Extended-B (Romanian): s and t with comma below as with cedilla.
        0x219 => '\u{15F}',
        0x21B => '\u{163}',
        // Arabic: Farsi yeh as Arabic yeh.
        0x6CC => '\u{64A}',
        // Latin Extended Additional, from the Vietnamese letters on.
        0x1EA0..=0x1EFF => '\u{1EC3}',
        // Hiragana, Katakana, Bopomofo (and Bopomofo Extended), Hangul Syllables.
        0x3040..=0x309F => '\u{3042}',
        0x30A0..=0x30FF => '\u{30A2}',
        0x3100..=0x312F | 0x31A0..=0x31BF => '\u{3105}',
        0xAC00..=0xD7AF => '\u{AC00}',
        cp @ CJK_FIRST..=CJK_LAST => {
            let mapped = cjk_table().get((cp - CJK_FIRST) as usize).copied();
            mapped.and_then(|m| char::from_u32(CJK_FIRST + u32::from(m))).unwrap_or(c)
        }
        _ => c,
    }
}

/// Per code point of the CJK block, the offset of the character it normalises to.
fn cjk_table() -> &'static [u16] {
    static TABLE: LazyLock<Box<[u16]>> = LazyLock::new(|| decode_cjk(CJK_MAP));
    &TABLE
}

/// The dense table of [`CJK_MAP`]'s bytes. Malformed bytes (this build's own constant, so a
/// build bug) leave the rest of the block unmapped rather than panic.
fn decode_cjk(bytes: &[u8]) -> Box<[u16]> {
    let len = (CJK_LAST - CJK_FIRST + 1) as usize;
    let mut table: Vec<u16> = (0..len as u16).collect();
    let u16_at = |pos: usize| {
        bytes.get(pos..pos + 2).and_then(|b| b.try_into().ok()).map(u16::from_le_bytes)
    };
    let Some(classes) = u16_at(0).map(usize::from) else { return table.into() };
    let reps_at = 2;
    let count_at = reps_at + 2 * classes;
    let Some(count) = u16_at(count_at).map(usize::from) else { return table.into() };
    let gaps = bytes.get(count_at + 2..).unwrap_or(&[]);
    let class_of = gaps.get(count..).unwrap_or(&[]);
    let mut offset = 0usize;
    for (&gap, &class) in gaps.iter().take(count).zip(class_of) {
        offset += usize::from(gap);
        let rep = u16_at(reps_at + 2 * usize::from(class));
        if let (Some(slot), Some(rep)) = (table.get_mut(offset), rep) {
            *slot = rep;
        }
    }
    table.into()
}

/// `Detector.cleaning_text`: when fewer than a third of the counted characters are ASCII
/// letters (`'A'..='z'`, which includes `[\]^_` and the backquote), those are dropped.
/// Characters below U+0300 other than those are not counted. `None` when the text stays as it
/// is.
///
/// Python compares `unicode_block(ch)` with a block *name* there, so its exclusion of Latin
/// Extended Additional never applies; neither does it here.
pub(super) fn clean(text: &str) -> Option<String> {
    let is_latin = |c: char| ('A'..='z').contains(&c);
    let (mut latin, mut other) = (0usize, 0usize);
    for c in text.chars() {
        if is_latin(c) {
            latin += 1;
        } else if c >= '\u{300}' {
            other += 1;
        }
    }
    (latin * 2 < other).then(|| text.chars().filter(|&c| !is_latin(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_the_crate_on_every_code_point() {
        let mut mapped = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let expected = langdetect::text::normalize(c);
            assert_eq!(normalize(c), expected, "U+{:04X}", u32::from(c));
            if (CJK_FIRST..=CJK_LAST).contains(&u32::from(c)) && expected != c {
                mapped += 1;
            }
        }
        // The crate lists 6,545 pairs; 6,541 of them change the character.
        assert!(mapped > 6000, "{mapped} kanji mapped");
    }

    #[test]
    fn kanji_of_one_class_share_a_representative() {
        // From langdetect's KANJI_1 class: 丁 is its representative.
        assert_eq!(normalize('七'), '丁');
        assert_eq!(normalize('丁'), '丁');
    }

    #[test]
    fn malformed_maps_do_not_panic() {
        let identity = decode_cjk(&[]);
        assert_eq!(identity.get(5).copied(), Some(5));
        for bytes in [&[1u8][..], &[1, 0, 9], &[1, 0, 3, 0, 200, 0, 7, 9], &[0xff; 40]] {
            assert_eq!(decode_cjk(bytes).len(), identity.len());
        }
    }

    #[test]
    fn clean_equals_the_crate() {
        for text in [
            "",
            "abc",
            "日本語のテキスト with some English",
            "日本語 abc",
            "Привет мир hello",
            "Привет a",
            "[\\]^_` \u{300}\u{301}\u{302}\u{303}",
            "ÀÉÎ õü 日本",
            "ẠẸỊ abc",
        ] {
            assert_eq!(clean(text), langdetect::text::clean(text), "{text:?}");
        }
    }
}
