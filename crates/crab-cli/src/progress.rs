//! Progress of a long run, on one updating line of standard error, and only on a terminal.
//!
//! Standard error is also where a command names its bad rows (`FILE:LINE: …`), which scripts and
//! tests read line by line; progress there would be noise in a log and break those readers. So a
//! command shows progress only when standard error is a terminal, and then on one line that it
//! rewrites in place (`\r`, then erase to the end of the line) at most every half second, the
//! first time half a second after the start: a short run shows nothing at all. Before any other
//! message the line is erased ([`Progress::clear`]), so messages never mix with it.

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

/// How often the line is rewritten (and how long a run goes before it first appears).
const EVERY: Duration = Duration::from_millis(500);

/// Moves to the start of the line and erases it (a carriage return, then ANSI "erase to end of
/// line", which every terminal emulator in use understands).
const ERASE: &str = "\r\x1b[K";

/// A progress line for one command.
pub(crate) struct Progress {
    /// `crab eval`, shown at the start of the line.
    label: &'static str,
    /// What the rows are (`scored`, `written`).
    verb: &'static str,
    enabled: bool,
    started: Instant,
    next: Instant,
    shown: bool,
}

impl Progress {
    /// A progress line that shows only if standard error is a terminal.
    pub(crate) fn new(label: &'static str, verb: &'static str) -> Progress {
        Progress::with(label, verb, io::stderr().is_terminal(), Instant::now())
    }

    fn with(label: &'static str, verb: &'static str, enabled: bool, now: Instant) -> Progress {
        Progress { label, verb, enabled, started: now, next: now + EVERY, shown: false }
    }

    /// Shows the counts so far, and the share of the work done if known (0 to 1), if it is time
    /// to.
    pub(crate) fn tick(&mut self, rows: usize, skipped: usize, done: Option<f64>) {
        if self.enabled {
            let _ = self.tick_at(Instant::now(), rows, skipped, done, &mut io::stderr().lock());
        }
    }

    fn tick_at(
        &mut self,
        now: Instant,
        rows: usize,
        skipped: usize,
        done: Option<f64>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        if !self.enabled || now < self.next {
            return Ok(());
        }
        self.next = now + EVERY;
        let seconds = now.duration_since(self.started).as_secs_f64();
        let mut line = format!("{}: {} rows {}", self.label, thousands(rows), self.verb);
        if skipped > 0 {
            line.push_str(&format!(", {} skipped", thousands(skipped)));
        }
        if let Some(done) = done.filter(|d| d.is_finite()) {
            line.push_str(&format!(" ({:.0}%)", (done.clamp(0.0, 1.0) * 100.0).floor()));
        }
        if seconds > 0.0 {
            line.push_str(&format!(", {} rows/s", thousands((rows as f64 / seconds) as usize)));
        }
        self.shown = true;
        write!(out, "{ERASE}{line}")?;
        out.flush()
    }

    /// Erases the line, if it is shown, before something else is written to standard error (or
    /// at the end).
    pub(crate) fn clear(&mut self) {
        if self.shown {
            let _ = self.clear_to(&mut io::stderr().lock());
        }
    }

    fn clear_to(&mut self, out: &mut impl Write) -> io::Result<()> {
        if self.shown {
            self.shown = false;
            out.write_all(ERASE.as_bytes())?;
            out.flush()?;
        }
        Ok(())
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

/// `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_appears_after_half_a_second_and_then_every_half_second() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let mut p = Progress::with("crab eval", "scored", true, t0);
        let mut out = Vec::new();
        p.tick_at(at(100), 10, 0, Some(0.1), &mut out).unwrap();
        assert!(out.is_empty(), "nothing before half a second");
        p.tick_at(at(500), 1234, 0, Some(0.259), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out.clone()).unwrap(),
            "\r\x1b[Kcrab eval: 1,234 rows scored (25%), 2,468 rows/s"
        );
        out.clear();
        p.tick_at(at(900), 2000, 3, Some(0.4), &mut out).unwrap();
        assert!(out.is_empty(), "not again within half a second");
        p.tick_at(at(1000), 2000, 3, None, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out.clone()).unwrap(),
            "\r\x1b[Kcrab eval: 2,000 rows scored, 3 skipped, 2,000 rows/s"
        );
        out.clear();
        p.clear_to(&mut out).unwrap();
        assert_eq!(out, b"\r\x1b[K");
        out.clear();
        p.clear_to(&mut out).unwrap();
        assert!(out.is_empty(), "erased once");
    }

    #[test]
    fn nothing_when_standard_error_is_not_a_terminal() {
        let t0 = Instant::now();
        let mut p = Progress::with("crab eval", "scored", false, t0);
        let mut out = Vec::new();
        p.tick_at(t0 + Duration::from_secs(5), 10, 0, Some(0.5), &mut out).unwrap();
        p.clear_to(&mut out).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(54_100_000), "54,100,000");
    }
}
