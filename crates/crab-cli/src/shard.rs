//! `--shard K/N`: one of N pieces of a large run, for several machines (or processes) to share.
//!
//! The input's rows (its non-blank lines, counted from 0 in file order, bad lines included) are
//! cut into N contiguous blocks whose sizes differ by at most one; shard K (counted from 1)
//! processes block K and reads nothing after it. Contiguous blocks, rather than every N-th row,
//! because then the shards' outputs, put end to end in shard order, are the unsharded run's
//! output: `cat` reassembles `crab backtranslate`'s, and `crab eval --merge` only has to check
//! and add up. Each shard counts the input's rows first (one quick pass over the file), so every
//! shard computes the same blocks without talking to the others; a row's shard depends only on
//! its position and the number of rows, and the same file always gives the same blocks.
//!
//! The [`Tap`] reader counts and fingerprints the bytes it passes on: a merge uses the
//! fingerprints to refuse shards of different files.

use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::ops::Range;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::jsonl::Lines;

/// Shard `k` of `n` (`1 <= k <= n`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shard {
    k: usize,
    n: usize,
}

impl Shard {
    /// Reads `K/N` as written after `--shard`.
    pub(crate) fn parse(text: &str) -> Result<Shard> {
        let usage = || {
            anyhow::anyhow!(
                "--shard takes K/N, shard K of N with 1 <= K <= N (shards are numbered from 1), \
                 not '{text}'"
            )
        };
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let number = |s: &str| s.trim().parse::<usize>().map_err(|_| usage());
        let (k, n) = (number(k)?, number(n)?);
        if k == 0 || k > n {
            return Err(usage());
        }
        Ok(Shard { k, n })
    }

    /// K, counted from 1.
    pub(crate) fn k(self) -> usize {
        self.k
    }

    /// N.
    pub(crate) fn n(self) -> usize {
        self.n
    }

    /// The rows (0-based indices) of this shard when the input has `rows` rows.
    pub(crate) fn range(self, rows: usize) -> Range<usize> {
        let bound = |k: usize| {
            // rows * k / n without overflow: u128 holds any usize product.
            (rows as u128 * k as u128 / self.n.max(1) as u128) as usize
        };
        bound(self.k - 1)..bound(self.k)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// 64-bit FNV-1a over a stream of bytes: not cryptographic, but any edit of a file changes it
/// with near certainty, which is all a merge needs to tell files apart.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fnv {
    bytes: u64,
    hash: u64,
}

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv { bytes: 0, hash: 0xcbf2_9ce4_8422_2325 }
    }
}

impl Fnv {
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.hash = (self.hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.bytes += bytes.len() as u64;
    }

    /// What has been seen so far.
    pub(crate) fn fingerprint(self) -> Fingerprint {
        Fingerprint { bytes: self.bytes, hash: self.hash }
    }
}

/// A reader that counts the bytes read through it and, if asked, fingerprints them ([`Fnv`]).
pub(crate) struct Tap<R> {
    inner: R,
    bytes: u64,
    fnv: Option<Fnv>,
}

impl<R: Read> Tap<R> {
    pub(crate) fn new(inner: R, fingerprint: bool) -> Tap<R> {
        Tap { inner, bytes: 0, fnv: fingerprint.then(Fnv::default) }
    }

    /// The bytes read so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.bytes
    }

    /// What has been read so far, if fingerprinting.
    pub(crate) fn fingerprint(&self) -> Option<Fingerprint> {
        self.fnv.map(Fnv::fingerprint)
    }
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = buf.get(..n).unwrap_or_default();
        self.bytes += read.len() as u64;
        if let Some(fnv) = &mut self.fnv {
            fnv.update(read);
        }
        Ok(n)
    }
}

/// The size and FNV-1a hash of a file's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    pub(crate) bytes: u64,
    pub(crate) hash: u64,
}

impl Fingerprint {
    /// The hash as 16 hex digits (JSON numbers lose precision beyond 2^53).
    pub(crate) fn hex(self) -> String {
        format!("{:016x}", self.hash)
    }
}

/// Counts the rows (non-blank lines) of the file at `path` and fingerprints it.
pub(crate) fn count_rows(path: &Path) -> Result<(usize, Fingerprint)> {
    let shown = path.display();
    let file = File::open(path).with_context(|| format!("cannot read {shown}"))?;
    let mut lines = Lines::new(BufReader::new(Tap::new(file, true)));
    let mut rows = 0;
    while lines.next_line().with_context(|| format!("cannot read {shown}"))?.is_some() {
        rows += 1;
    }
    // Whatever the buffer holds was read through the tap too: the tap has seen the whole file.
    match lines.reader().get_ref().fingerprint() {
        Some(fingerprint) => Ok((rows, fingerprint)),
        None => bail!("cannot fingerprint {shown}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_of_n_is_checked() {
        assert_eq!(Shard::parse("2/3").unwrap(), Shard { k: 2, n: 3 });
        assert_eq!(Shard::parse("1/1").unwrap().to_string(), "1/1");
        for bad in ["0/3", "4/3", "x/y", "3", "1/0", "-1/3", "1/3/5", "", "/"] {
            let err = Shard::parse(bad).unwrap_err().to_string();
            assert!(err.starts_with("--shard takes K/N"), "{bad}: {err}");
            assert!(err.ends_with(&format!("not '{bad}'")), "{bad}: {err}");
        }
    }

    #[test]
    fn blocks_tile_the_rows_and_differ_by_at_most_one() {
        for rows in [0, 1, 2, 3, 7, 541, 1000] {
            for n in 1..=9 {
                let ranges: Vec<Range<usize>> =
                    (1..=n).map(|k| Shard { k, n }.range(rows)).collect();
                assert_eq!(ranges.first().map(|r| r.start), Some(0));
                assert_eq!(ranges.last().map(|r| r.end), Some(rows));
                for pair in ranges.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start);
                }
                let sizes: Vec<usize> = ranges.iter().map(ExactSizeIterator::len).collect();
                let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(max - min <= 1, "{rows} rows, {n} shards: {sizes:?}");
            }
        }
        assert_eq!(Shard { k: 2, n: 3 }.range(541), 180..360);
        assert_eq!(Shard { k: 1, n: 3 }.range(2), 0..0);
    }

    #[test]
    fn the_tap_counts_and_fingerprints_what_passes() {
        let mut tap = Tap::new(&b"hello"[..], true);
        let mut out = Vec::new();
        tap.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"hello");
        // FNV-1a 64 of "hello", from the published algorithm.
        assert_eq!(tap.fingerprint(), Some(Fingerprint { bytes: 5, hash: 0xa430_d846_80aa_bd0b }));
        assert_eq!(
            Tap::new(&b""[..], true).fingerprint().map(Fingerprint::hex).unwrap(),
            "cbf29ce484222325"
        );
        let mut fnv = Fnv::default();
        fnv.update(b"he");
        fnv.update(b"llo");
        assert_eq!(fnv.fingerprint(), tap.fingerprint().unwrap());
        let mut plain = Tap::new(&b"abc"[..], false);
        plain.read_to_end(&mut Vec::new()).unwrap();
        assert_eq!((plain.bytes_read(), plain.fingerprint()), (3, None));
    }
}
