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

/// The first code point of the CJK Unified Ideographs block.
const CJK_FIRST: u32 = 0x4E00;
/// The last code point of the CJK Unified Ideographs block.
const CJK_LAST: u32 = 0x9FFF;

/// langdetect's CJK map as the build script writes it: `u16` count of classes, each
/// representative as a `u16` offset from [`CJK_FIRST`], `u16` count of mapped code points,
/// their offsets as gaps (one byte each, the first from [`CJK_FIRST`], the others at least 1),
/// then each one's class (one byte each). All numbers little-endian.
///
/// The compact profile asset carries these bytes (see `compact/codec.rs`), so the web app,
/// which builds its detector from the fetched asset, links nothing of this constant; native
/// callers that write the asset or use the built-in profiles take it from here.
pub(crate) static CJK_MAP: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cjk_map.bin"));

/// A decoded CJK map: per code point of the CJK Unified Ideographs block, the offset of the
/// character it normalises to.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct CjkMap(Box<[u16]>);

impl std::fmt::Debug for CjkMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mapped = self.0.iter().enumerate().filter(|&(i, &to)| usize::from(to) != i).count();
        write!(f, "CjkMap({mapped} kanji mapped)")
    }
}

impl CjkMap {
    /// Decodes and checks the bytes [`CJK_MAP`] describes: every count, representative and
    /// class in range, gaps after the first positive (so each code point is listed once), no
    /// trailing bytes.
    pub(crate) fn decode(bytes: &[u8]) -> Result<CjkMap, String> {
        let block = (CJK_LAST - CJK_FIRST + 1) as usize;
        let mut table: Vec<u16> = (0..block as u16).collect();
        let u16_at = |pos: usize| {
            bytes
                .get(pos..pos + 2)
                .and_then(|b| b.try_into().ok())
                .map(u16::from_le_bytes)
                .ok_or_else(|| "the CJK map is truncated".to_owned())
        };
        let classes = usize::from(u16_at(0)?);
        let reps_at = 2;
        let count_at = reps_at + 2 * classes;
        let reps = (0..classes).map(|k| u16_at(reps_at + 2 * k)).collect::<Result<Vec<_>, _>>()?;
        if reps.iter().any(|&r| usize::from(r) >= block) {
            return Err("a CJK representative is outside the block".to_owned());
        }
        let count = usize::from(u16_at(count_at)?);
        let rest = bytes.get(count_at + 2..).unwrap_or(&[]);
        if rest.len() != 2 * count {
            return Err("the CJK map's length does not match its count".to_owned());
        }
        let (gaps, class_of) = rest.split_at(count);
        let mut offset = 0usize;
        for (i, (&gap, &class)) in gaps.iter().zip(class_of).enumerate() {
            if i > 0 && gap == 0 {
                return Err("a CJK code point is listed twice".to_owned());
            }
            offset += usize::from(gap);
            let rep = reps.get(usize::from(class)).ok_or("a CJK class is out of range")?;
            *table.get_mut(offset).ok_or("a CJK code point is outside the block")? = *rep;
        }
        Ok(CjkMap(table.into()))
    }
}

/// `NGram.normalize`: the character langdetect counts in place of `c`, kanji mapped by `cjk`.
///
/// ASCII letters stay, other ASCII and General Punctuation become a space, a few Latin, Arabic
/// and Romanian letters are folded, each kana, bopomofo and hangul block becomes one character,
/// and kanji become their class's representative.
pub(super) fn normalize(c: char, cjk: &CjkMap) -> char {
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
            let mapped = cjk.0.get((cp - CJK_FIRST) as usize).copied();
            mapped.and_then(|m| char::from_u32(CJK_FIRST + u32::from(m))).unwrap_or(c)
        }
        _ => c,
    }
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

    fn builtin() -> CjkMap {
        CjkMap::decode(CJK_MAP).expect("the build's CJK map decodes")
    }

    #[test]
    fn equals_the_crate_on_every_code_point() {
        let cjk = builtin();
        let mut mapped = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let expected = langdetect::text::normalize(c);
            assert_eq!(normalize(c, &cjk), expected, "U+{:04X}", u32::from(c));
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
        let cjk = builtin();
        assert_eq!(normalize('七', &cjk), '丁');
        assert_eq!(normalize('丁', &cjk), '丁');
    }

    #[test]
    fn malformed_maps_are_errors() {
        let identity = CjkMap::decode(&[0, 0, 0, 0]).expect("an empty map");
        assert_eq!(identity.0.get(5).copied(), Some(5));
        assert_eq!(normalize('七', &identity), '七');
        // One class (representative at offset 1), one mapped code point (offset 3, class 0).
        let one = CjkMap::decode(&[1, 0, 1, 0, 1, 0, 3, 0]).expect("a one-entry map");
        assert_eq!(one.0.get(3).copied(), Some(1));
        let malformed: [&[u8]; 8] = [
            &[],
            &[1],
            &[1, 0, 9],
            &[1, 0, 1, 0, 1, 0, 3],
            &[1, 0, 1, 0, 1, 0, 3, 0, 0],
            &[1, 0, 1, 0, 1, 0, 3, 1],
            &[1, 0, 0xff, 0xff, 1, 0, 3, 0],
            &[1, 0, 1, 0, 2, 0, 3, 0, 0, 0],
        ];
        for bytes in malformed {
            assert!(CjkMap::decode(bytes).is_err(), "{bytes:?}");
        }
        let mut full = CJK_MAP.to_vec();
        full.push(0);
        assert!(CjkMap::decode(&full).is_err(), "trailing byte");
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
