//! Checks on a serialised profile asset beyond what `DetectorFactory::from_bytes` verifies.
//!
//! `from_bytes` checks the structure (magic, lengths, n-gram keys, no trailing bytes). A
//! structurally valid asset can still make detection fail in ways Python's langdetect would
//! report as `IndexError` or `ZeroDivisionError` (rows shorter than the language list, no
//! languages, probabilities that overflow or cancel). Rejecting those when the asset is loaded
//! leaves "no features in text" as the only possible detection failure, so
//! [`super::LanguageDetector::detect`] can be total.
//!
//! Layout (little-endian): `b"LDF1"`, sum mode `u8`, Unicode version `u8`, language count
//! `u32`, then per language its byte length `u32` and UTF-8 name; row count `u32`, then per
//! row its packed n-gram `u64`, length `u32`, slot count `u32` and per slot an index `u32` and
//! the probability's bits `u64`.

/// Validates `bytes`, which `DetectorFactory::from_bytes` has already accepted with
/// `languages` languages.
pub(super) fn validate(bytes: &[u8], languages: usize) -> Result<(), String> {
    if languages == 0 {
        return Err("the profiles contain no language".to_owned());
    }
    let truncated = || "truncated profile data".to_owned();
    let mut r = Reader { buf: bytes, pos: 6 };
    let declared = r.u32().ok_or_else(truncated)?;
    for _ in 0..declared {
        let len = r.u32().ok_or_else(truncated)?;
        r.skip(len as usize).ok_or_else(truncated)?;
    }
    let rows = r.u32().ok_or_else(truncated)?;
    for row in 0..rows {
        let _key = r.u64().ok_or_else(truncated)?;
        let len = r.u32().ok_or_else(truncated)?;
        if (len as usize) < languages {
            return Err(format!("n-gram row {row} has {len} slots for {languages} languages"));
        }
        let slots = r.u32().ok_or_else(truncated)?;
        for _ in 0..slots {
            let _slot = r.u32().ok_or_else(truncated)?;
            let p = f64::from_bits(r.u64().ok_or_else(truncated)?);
            // A profile probability is a count divided by the total count of its n-gram length.
            if !(0.0..=1.0).contains(&p) {
                return Err(format!("n-gram row {row} has probability {p}"));
            }
        }
    }
    Ok(())
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let end = self.pos.checked_add(N)?;
        let bytes = self.buf.get(self.pos..end)?.try_into().ok()?;
        self.pos = end;
        Some(bytes)
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        let end = self.pos.checked_add(n)?;
        self.buf.get(self.pos..end)?;
        self.pos = end;
        Some(())
    }

    fn u32(&mut self) -> Option<u32> {
        self.take().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Option<u64> {
        self.take().map(u64::from_le_bytes)
    }
}
