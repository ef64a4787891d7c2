//! Reading JSONL input the same way in every subcommand: the rules (what a line is, which lines
//! count, what a bad line does) are the library's ([`crab_constraints::jsonl`], which the
//! browser's batch view uses too); this module streams a reader's lines through them.

use std::io::{self, BufRead};

pub(crate) use crab_constraints::jsonl::parse;
use crab_constraints::jsonl::Splitter;

/// A file's lines, with their numbers, as Python's text mode splits them; blank lines skipped.
pub(crate) struct Lines<R> {
    reader: R,
    /// The bytes of the last `read_until`: one or more lines (more when they end at a lone `\r`).
    chunk: Vec<u8>,
    /// Where the next line starts in `chunk`.
    pos: usize,
    splitter: Splitter,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(reader: R) -> Lines<R> {
        Lines { reader, chunk: Vec::new(), pos: 0, splitter: Splitter::new() }
    }

    /// The reader the lines come from.
    pub(crate) fn reader(&self) -> &R {
        &self.reader
    }

    /// The next non-blank line (without its line ending) and its 1-based number, or `None` at
    /// the end of the file. A file that starts with a UTF-16 byte-order mark is an error.
    pub(crate) fn next_line(&mut self) -> io::Result<Option<(usize, &[u8])>> {
        loop {
            if self.pos >= self.chunk.len() {
                self.chunk.clear();
                self.pos = 0;
                if self.reader.read_until(b'\n', &mut self.chunk)? == 0 {
                    return Ok(None);
                }
                self.pos = self
                    .splitter
                    .start(&self.chunk)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            }
            if let Some((n, line)) = self.splitter.next_in(&self.chunk, &mut self.pos) {
                return Ok(Some((n, self.chunk.get(line).unwrap_or_default())));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> io::Result<Vec<(usize, String)>> {
        let mut lines = Lines::new(bytes);
        let mut out = Vec::new();
        while let Some((n, line)) = lines.next_line()? {
            out.push((n, String::from_utf8_lossy(line).into_owned()));
        }
        Ok(out)
    }

    fn texts(bytes: &[u8]) -> Vec<String> {
        lines(bytes).unwrap().into_iter().map(|(_, l)| l).collect()
    }

    /// The streamed lines are the library's, chunk boundaries or not.
    #[test]
    fn streamed_lines_equal_the_whole_files_lines() {
        for file in [
            &b"a\nb\r\nc\rd"[..],
            b"a\n\n \t\r\nb\r\rc",
            b"\xEF\xBB\xBF\na",
            b"a\n\xEF\xBB\xBFb",
            b"",
        ] {
            let whole: Vec<(usize, String)> = crab_constraints::jsonl::lines(file)
                .unwrap()
                .into_iter()
                .map(|(n, l)| (n, String::from_utf8_lossy(l).into_owned()))
                .collect();
            assert_eq!(lines(file).unwrap(), whole);
        }
        assert!(lines(b"\xFF\xFE{\0}\0\n\0").unwrap_err().to_string().contains("UTF-16"));
    }

    #[test]
    fn a_long_line_is_one_line() {
        let long = "x".repeat(1 << 20);
        let text = format!("{long}\n{long}\r\n");
        assert_eq!(texts(text.as_bytes()), [long.clone(), long]);
    }
}
