//! Output files that appear whole or not at all, made of whole rows.
//!
//! Every command writes its output under a temporary name next to the destination (so that the
//! final rename stays on one file system) and renames it into place only when the run succeeds.
//! A fatal error therefore leaves no output file, and no temporary file either: a [`Staged`]
//! file that is dropped before [`Staged::commit`] removes itself, on every error path.
//!
//! Rows reach the file whole: [`RowWriter`] hands the file only complete rows (all the lines of
//! a row, each with its `\n`), never part of one, so even a temporary file left by a killed
//! process ends at a row boundary (unless the disk fills mid-write, which is an error that
//! removes it). Commands that resume from their own output rely on that.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// A file being written under a temporary name, renamed to its destination by `commit`.
pub(crate) struct Staged {
    dest: PathBuf,
    tmp: PathBuf,
    file: File,
    committed: bool,
}

impl Staged {
    /// Creates the temporary file for `dest` (in `dest`'s directory, which must exist).
    pub(crate) fn create(dest: &Path) -> Result<Staged> {
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = dest.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
        let file = File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?;
        Ok(Staged { dest: dest.to_owned(), tmp, file, committed: false })
    }

    /// The temporary file, to write to.
    pub(crate) fn file(&mut self) -> &mut File {
        &mut self.file
    }

    /// The temporary file's path, for messages.
    pub(crate) fn tmp_path(&self) -> &Path {
        &self.tmp
    }

    /// Renames the file into place.
    ///
    /// An earlier output (a plain file) is first renamed aside, to `.NAME.PID.old`, and removed
    /// once the new file is in place; it is put back if that fails. This is what renaming over
    /// it would do, minus a cost: ext4 treats a rename over an existing file as a program
    /// replacing a file without `fsync` (its `auto_da_alloc` heuristic) and starts writing the
    /// new file out on the spot, about 0.5–1 ms for each of IFEval's 0.9 MB result files. No
    /// output is synced to disk, here or in the reference, so that write-out bought nothing
    /// the rest of the run promises; the page cache writes the file out in its own time.
    pub(crate) fn commit(mut self) -> Result<()> {
        let aside = match std::fs::symlink_metadata(&self.dest) {
            Ok(meta) if meta.is_file() => {
                let aside = self.tmp.with_extension("old");
                std::fs::rename(&self.dest, &aside).is_ok().then_some(aside)
            }
            _ => None,
        };
        if let Err(e) = std::fs::rename(&self.tmp, &self.dest) {
            if let Some(aside) = &aside {
                let _ = std::fs::rename(aside, &self.dest);
            }
            return Err(e)
                .with_context(|| format!("cannot move {} into place", self.dest.display()));
        }
        self.committed = true;
        if let Some(aside) = aside {
            let _ = std::fs::remove_file(aside);
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Renames several staged files into place, all at once. If one fails, the ones renamed are
/// removed, so that a failed run leaves none of them (rather than a mix of old and new).
///
/// At once, on a thread each: replacing a file is not free (the file system frees the old one's
/// blocks, up to about 0.6 ms for each of IFEval's 0.9 MB result files once they are on disk),
/// and the files do not depend on each other.
pub(crate) fn commit_all(files: Vec<Staged>) -> Result<()> {
    let dests: Vec<PathBuf> = files.iter().map(|f| f.dest.clone()).collect();
    let results: Vec<Result<()>> = std::thread::scope(|s| {
        let mut files = files.into_iter();
        let first = files.next();
        let others: Vec<_> = files.map(|staged| s.spawn(move || staged.commit())).collect();
        let mut results = vec![first.map_or(Ok(()), Staged::commit)];
        for h in others {
            // A panic in a rename is a bug; re-raise it here.
            results.push(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        results
    });
    if results.iter().all(Result::is_ok) {
        return Ok(());
    }
    let mut first_error = None;
    for (result, dest) in results.into_iter().zip(&dests) {
        match result {
            Ok(()) => {
                let _ = std::fs::remove_file(dest);
            }
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Collects whole rows and writes them to `inner` in large pieces that end at row boundaries.
pub(crate) struct RowWriter<W: Write> {
    inner: W,
    buf: Vec<u8>,
}

/// The buffer's size: it is written out when the next row would not fit (or, holding one
/// longer row, once it holds at least this many bytes):
/// large enough that the system calls cost little, small enough that a file is written as it
/// grows (while the other rows are still being scored) rather than all at once at the end, and
/// that the buffer's memory stays in the cache.
const FLUSH_AT: usize = 128 << 10;

impl<W: Write> RowWriter<W> {
    pub(crate) fn new(inner: W) -> RowWriter<W> {
        RowWriter { inner, buf: Vec::with_capacity(FLUSH_AT) }
    }

    /// Adds one row: its lines, each followed by `\n`.
    pub(crate) fn write_row(&mut self, lines: &[String]) -> io::Result<()> {
        self.add(lines.iter().map(|l| l.len() + 1).sum(), |buf| {
            for line in lines {
                buf.extend_from_slice(line.as_bytes());
                buf.push(b'\n');
            }
        })
    }

    /// Adds one row given as its text, line endings included (the text must end with one).
    pub(crate) fn write_whole(&mut self, row: &[u8]) -> io::Result<()> {
        self.add(row.len(), |buf| buf.extend_from_slice(row))
    }

    /// Adds a row of `len` bytes that `fill` appends. The rows collected so far are written out
    /// first if it would not fit in the buffer (growing it would copy what it holds into fresh
    /// memory, which the system must first supply page by page), and after it once the buffer
    /// is full.
    fn add(&mut self, len: usize, fill: impl FnOnce(&mut Vec<u8>)) -> io::Result<()> {
        if self.buf.len() + len > self.buf.capacity() {
            self.write_out()?;
        }
        fill(&mut self.buf);
        if self.buf.len() >= FLUSH_AT {
            self.write_out()?;
        }
        Ok(())
    }

    /// Writes the rows collected so far to `inner`.
    fn write_out(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.inner.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes out every row collected so far.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.write_out()?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that keeps each `write` call's bytes apart.
    #[derive(Default)]
    struct Calls(Vec<Vec<u8>>);

    impl Write for Calls {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            // Take at most 1000 bytes per call, as a writer may.
            let n = buf.len().min(1000);
            self.0.push(buf[..n].to_vec());
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn rows_reach_the_writer_whole_and_in_order() {
        let mut writer = RowWriter::new(Calls::default());
        let capacity = writer.buf.capacity();
        let rows: Vec<Vec<String>> = (0..10_000)
            .map(|i| {
                let line = format!("{{\"row\": {i}, \"text\": \"{}\"}}", "x".repeat(i % 700));
                if i % 3 == 0 {
                    vec![line.clone(), line]
                } else {
                    vec![line]
                }
            })
            .collect();
        let mut flushes = Vec::new();
        for row in &rows {
            let before = writer.inner.0.len();
            writer.write_row(row).unwrap();
            if writer.inner.0.len() > before {
                flushes.push(writer.inner.0.concat().len());
            }
        }
        // Rows shorter than the buffer never make it grow (and copy what it holds).
        assert_eq!(writer.buf.capacity(), capacity);
        writer.flush().unwrap();
        let written = writer.inner.0.concat();
        let expected: String = rows.iter().flatten().map(|l| format!("{l}\n")).collect();
        assert!(written == expected.as_bytes());
        // Everything handed over at each flush ends at a row boundary, with a newline.
        assert!(flushes.len() > 1, "{flushes:?}");
        for end in flushes {
            assert_eq!(written[end - 1], b'\n');
            if let Some(next) = written.get(end) {
                assert_eq!(*next, b'{');
            }
        }
    }

    #[test]
    fn a_dropped_staged_file_leaves_nothing_and_a_committed_one_replaces_the_old() {
        let dir = std::env::temp_dir().join(format!("crab-staged-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let dest = dir.join("out.jsonl");
        std::fs::write(&dest, "old\n").unwrap();
        let mut staged = Staged::create(&dest).unwrap();
        staged.file().write_all(b"new\n").unwrap();
        let tmp = staged.tmp_path().to_owned();
        assert!(tmp.exists());
        drop(staged);
        assert!(!tmp.exists());
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "old\n");

        let mut staged = Staged::create(&dest).unwrap();
        staged.file().write_all(b"new\n").unwrap();
        staged.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new\n");

        // Of two files, the second cannot be renamed (a directory is in the way): neither stays.
        let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
        std::fs::create_dir_all(b.join("in-the-way")).unwrap();
        let staged = vec![Staged::create(&a).unwrap(), Staged::create(&b).unwrap()];
        assert!(commit_all(staged).is_err());
        assert!(!a.exists());
        // The first cannot be: the second, renamed meanwhile, goes too.
        let (c, d) = (dir.join("c.jsonl"), dir.join("d.jsonl"));
        std::fs::create_dir_all(c.join("in-the-way")).unwrap();
        let staged = vec![Staged::create(&c).unwrap(), Staged::create(&d).unwrap()];
        assert!(commit_all(staged).is_err());
        assert!(!d.exists());
        std::fs::remove_dir_all(&c).unwrap();
        let mut e = Staged::create(&dir.join("e.jsonl")).unwrap();
        e.file().write_all(b"e\n").unwrap();
        let mut f = Staged::create(&dir.join("f.jsonl")).unwrap();
        f.file().write_all(b"f\n").unwrap();
        commit_all(vec![e, f]).unwrap();
        assert_eq!(std::fs::read_to_string(dir.join("e.jsonl")).unwrap(), "e\n");
        assert_eq!(std::fs::read_to_string(dir.join("f.jsonl")).unwrap(), "f\n");
        std::fs::remove_file(dir.join("e.jsonl")).unwrap();
        std::fs::remove_file(dir.join("f.jsonl")).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["b.jsonl", "out.jsonl"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The earlier output goes aside and away; when the new file cannot take its place, it
    /// comes back; a symbolic link in the way is replaced, never followed.
    #[test]
    fn a_commit_replaces_the_old_file_and_puts_it_back_on_failure() {
        let dir = std::env::temp_dir().join(format!("crab-aside-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let names = || {
            let mut names: Vec<String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let dest = dir.join("out.jsonl");
        std::fs::write(&dest, "old\n").unwrap();
        let mut staged = Staged::create(&dest).unwrap();
        staged.file().write_all(b"new\n").unwrap();
        staged.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new\n");
        assert_eq!(names(), ["out.jsonl"]);

        // The temporary file vanished before the rename: the rename fails, the old file stays.
        let staged = Staged::create(&dest).unwrap();
        std::fs::remove_file(staged.tmp_path()).unwrap();
        let err = staged.commit().unwrap_err();
        assert!(format!("{err:#}").contains("cannot move"), "{err:#}");
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "new\n");
        assert_eq!(names(), ["out.jsonl"]);

        let target = dir.join("target.txt");
        std::fs::write(&target, "kept\n").unwrap();
        let link = dir.join("link.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let mut staged = Staged::create(&link).unwrap();
        staged.file().write_all(b"through\n").unwrap();
        staged.commit().unwrap();
        assert!(!std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&link).unwrap(), "through\n");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept\n");
        assert_eq!(names(), ["link.jsonl", "out.jsonl", "target.txt"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
