//! What langdetect's `Detector.append(text)` does to a text before scoring it, without the
//! `regex` crate.
//!
//! langdetect 1.0.9 first replaces URLs (`https?://[-_.?&~;+=/#0-9A-Za-z]{1,2076}`) and e-mail
//! addresses (`[-_.0-9A-Za-z]{1,64}@[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}`) by a space, then
//! joins Vietnamese letters with their combining marks, and keeps the first 10,000 characters
//! with runs of spaces collapsed. The `langdetect` crate does the two replacements with the
//! `regex` crate, which costs the web app about 270 KB of gzip download for two patterns this
//! simple. So they are hand-written scanners here, giving exactly the matches a leftmost-first
//! regex engine (Python's `re`, the `regex` crate) finds; the tests compare them with the
//! crate's own `prepare` on generated texts. The other steps are ours too (with langdetect's
//! Vietnamese tables written out), so that the web app links nothing of the crate.

use std::borrow::Cow;

/// The characters `Detector.append` keeps (langdetect's `max_text_length`).
const MAX_TEXT_LENGTH: usize = 10_000;

/// The longest URL body the pattern takes (`{1,2076}`).
const URL_BODY_MAX: usize = 2076;
/// The longest local part of an address (`{1,64}`).
const MAIL_LOCAL_MAX: usize = 64;
/// The longest run of each of the two domain classes (`{1,255}`).
const MAIL_DOMAIN_MAX: usize = 255;

/// `Detector.append(text)`'s text: URLs and e-mail addresses replaced by a space, Vietnamese
/// normalised, cut to 10,000 characters with runs of spaces collapsed.
pub(crate) fn prepare(text: &str) -> String {
    let mut t = Cow::Borrowed(text);
    if t.contains("http") {
        if let Some(replaced) = replace_all(&t, find_url) {
            t = Cow::Owned(replaced);
        }
    }
    if t.contains('@') {
        if let Some(replaced) = replace_all(&t, find_mail) {
            t = Cow::Owned(replaced);
        }
    }
    let t = match normalize_vi(&t) {
        Some(joined) => Cow::Owned(joined),
        None => t,
    };
    truncate(&t, MAX_TEXT_LENGTH)
}

/// The end of `Detector.append`: the first `limit` characters, each run of spaces collapsed
/// to one (the first character is kept even if it is a space: Python's `pre` starts as `0`).
fn truncate(text: &str, limit: usize) -> String {
    let mut out = String::with_capacity(text.len().min(limit.saturating_mul(4)));
    let mut previous_space = false;
    for c in text.chars().take(limit) {
        let space = c == ' ';
        if !(space && previous_space) {
            out.push(c);
        }
        previous_space = space;
    }
    out
}

/// A scanner: the first match at or after a byte position, as a byte range.
type Finder = fn(&[u8], usize) -> Option<(usize, usize)>;

/// Replaces every match `find` gives (searching on after each one, as `replace_all` does) by a
/// space; `None` when nothing matched.
fn replace_all(text: &str, find: Finder) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut pos = 0;
    while let Some((start, end)) = find(bytes, pos) {
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        // Matches consist of ASCII bytes only, so both ends are character boundaries.
        o.push_str(text.get(copied..start).unwrap_or(""));
        o.push(' ');
        copied = end;
        pos = end;
    }
    if let Some(o) = out.as_mut() {
        o.push_str(text.get(copied..).unwrap_or(""));
    }
    out
}

fn is_url_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.?&~;+=/#".contains(&b)
}

/// The local part's class, `[-_.0-9A-Za-z]`, which is also the domain's second class.
fn is_mail_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.".contains(&b)
}

/// The domain's first class, `[-_0-9A-Za-z]` (no dot).
fn is_domain_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// The length of the run of bytes from `from` that satisfy `class`, up to `max`.
fn run(bytes: &[u8], from: usize, max: usize, class: fn(u8) -> bool) -> usize {
    bytes.get(from..).unwrap_or(&[]).iter().take(max).take_while(|&&b| class(b)).count()
}

/// The leftmost URL at or after `pos`: `http`, an optional `s` (taken when there), `://`, then
/// as many body characters as there are, up to 2,076 (at least one).
fn find_url(bytes: &[u8], pos: usize) -> Option<(usize, usize)> {
    let mut start = pos;
    while let Some(found) = find_from(bytes, start, b"http") {
        let mut after = found + 4;
        // `s?` is greedy, but `s` and `:` exclude each other: at most one way can go on.
        if bytes.get(after) == Some(&b's') {
            after += 1;
        }
        if bytes.get(after..after + 3) == Some(b"://".as_slice()) {
            let body = run(bytes, after + 3, URL_BODY_MAX, is_url_char);
            if body > 0 {
                return Some((found, after + 3 + body));
            }
        }
        start = found + 1;
    }
    None
}

/// The leftmost e-mail address at or after `pos`.
///
/// The local part cannot contain `@`, so a match starting at `p` needs the whole run of local
/// characters from `p` to end at an `@`, within 64 characters: for each `@` the leftmost start
/// is 64 characters back, or where the run of local characters before it begins (not before
/// `pos`). Whether the domain matches does not depend on the start. The domain is a greedy run
/// of up to 255 dot-free characters, then a greedy run of up to 255 characters that may contain
/// dots; when the first run ends the address (nothing of the second class follows), the engine
/// backtracks one character so that the second run gets it.
fn find_mail(bytes: &[u8], pos: usize) -> Option<(usize, usize)> {
    let mut from = pos;
    while let Some(at) = find_from(bytes, from, b"@") {
        let mut local = 0;
        while local < MAIL_LOCAL_MAX
            && at > pos + local
            && bytes.get(at - local - 1).copied().is_some_and(is_mail_char)
        {
            local += 1;
        }
        if local > 0 {
            if let Some(end) = mail_domain_end(bytes, at + 1) {
                return Some((at - local, end));
            }
        }
        from = at + 1;
    }
    None
}

/// Where `[-_0-9A-Za-z]{1,255}[-_.0-9A-Za-z]{1,255}` matching from `d` ends, if it matches.
fn mail_domain_end(bytes: &[u8], d: usize) -> Option<usize> {
    let first = run(bytes, d, MAIL_DOMAIN_MAX, is_domain_char);
    if first == 0 {
        return None;
    }
    let second = run(bytes, d + first, MAIL_DOMAIN_MAX, is_mail_char);
    if second > 0 {
        Some(d + first + second)
    } else if first >= 2 {
        // The next byte is not in the second class: give the first run's last byte to it.
        Some(d + first)
    } else {
        None
    }
}

fn find_from(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| from + i)
}

/// `NGram.TO_NORMALIZE_VI_CHARS`: the base letters that take a tone mark.
const VI_BASES: &str = "AEIOUYaeiouyÂÊÔâêôĂăƠơƯư";
/// `NGram.DMARK_CLASS`: grave, acute, tilde, hook above, dot below (combining).
const VI_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
/// `NGram.NORMALIZED_VI_CHARS`: per mark, the precomposed letter of each base, in base order.
const VI_JOINED: [&str; 5] = [
    "ÀÈÌÒÙỲàèìòùỳẦỀỒầềồẰằỜờỪừ",
    "ÁÉÍÓÚÝáéíóúýẤẾỐấếốẮắỚớỨứ",
    "ÃẼĨÕŨỸãẽĩõũỹẪỄỖẫễỗẴẵỠỡỮữ",
    "ẢẺỈỎỦỶảẻỉỏủỷẨỂỔẩểổẲẳỞởỬử",
    "ẠẸỊỌỤỴạẹịọụỵẬỆỘậệộẶặỢợỰự",
];

/// `NGram.normalize_vi`: a Vietnamese base letter followed by one of the five combining tone
/// marks becomes the precomposed letter; `None` when the text has no such mark.
fn normalize_vi(text: &str) -> Option<String> {
    if !text.chars().any(|c| VI_MARKS.contains(&c)) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        if let Some(base) = VI_BASES.chars().position(|x| x == c) {
            if let Some(mark) = it.peek().and_then(|next| VI_MARKS.iter().position(|m| m == next)) {
                if let Some(joined) = VI_JOINED.get(mark).and_then(|row| row.chars().nth(base)) {
                    out.push(joined);
                    it.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Texts dense in the patterns' pieces: `http`, `s`, `://`, `@`, dots, class and non-class
    /// characters, Vietnamese marks, long runs that cross the 64/255/2076 limits.
    fn generated(rng: &mut Rng) -> String {
        const PIECES: &[&str] = &[
            "http", "https", "://", ":/", "@", "@@", ".", "..", "a", "Z", "9", "-", "_", "?", "&",
            "~", ";", "+", "=", "/", "#", " ", "\n", "é", "ß", "日本", "x.y", "mail", "com", "s",
            "a\u{300}", "e\u{301}", "\u{323}", "  ", "!", "%", ",", "'",
        ];
        let mut s = String::new();
        for _ in 0..rng.below(40) {
            match rng.below(12) {
                0 => {
                    let c = rng.pick(&["a", "b.", "-", "x_"]).copied().unwrap_or("a");
                    s.push_str(&c.repeat(rng.below(300) as usize));
                }
                1 => s.push_str(&"q".repeat(60 + rng.below(10) as usize)),
                2 => s.push_str(&"w".repeat(250 + rng.below(10) as usize)),
                3 => s.push_str(&"u".repeat(2070 + rng.below(10) as usize)),
                _ => s.push_str(rng.pick(PIECES).copied().unwrap_or("")),
            }
        }
        s
    }

    #[test]
    fn agrees_with_the_langdetect_crate() {
        let mut rng = Rng::new(0x5eed);
        let fixed = [
            "",
            "see https://example.com/a?b=c#d now",
            "httphttp://x",
            "https:/x http://",
            "a@b@c.d",
            "x@y",
            "x@yz",
            "x@y.",
            "name.surname@example.co.uk, other@host",
            "@lead trailing@",
            "Tiếng Việt có dấu: a\u{300} e\u{301}",
        ];
        let mut cases = 0;
        for text in
            fixed.iter().map(|s| (*s).to_owned()).chain((0..3000).map(|_| generated(&mut rng)))
        {
            assert_eq!(
                prepare(&text),
                langdetect::text::prepare(&text, MAX_TEXT_LENGTH as i64),
                "{text:?}"
            );
            cases += 1;
        }
        assert_eq!(cases, 3011);
    }

    #[test]
    fn vietnamese_tables_are_langdetect_s() {
        let (bases, marks, joined) = langdetect::text::vietnamese_tables();
        assert_eq!(VI_BASES, bases);
        assert_eq!(VI_MARKS.iter().collect::<String>(), marks);
        assert_eq!(VI_JOINED.map(str::to_owned).to_vec(), joined);
    }

    #[test]
    fn truncate_keeps_a_leading_space_and_collapses_runs() {
        assert_eq!(truncate("  a   b ", 100), " a b ");
        assert_eq!(truncate("abcdef", 3), "abc");
        assert_eq!(truncate("a  b", 0), "");
        for text in ["", " ", "  x  ", "日本  語   ", "a b  c   d    e"] {
            for limit in [0, 1, 2, 5, 100] {
                assert_eq!(truncate(text, limit), langdetect::text::truncate(text, limit as i64));
            }
        }
    }

    #[test]
    fn limits_of_the_patterns() {
        // A local part longer than 64 characters is cut to its last 64.
        let local = "a".repeat(70);
        assert_eq!(prepare(&format!("{local}@host.org")), format!("{} ", "a".repeat(6)));
        // A one-character domain without a dotted part does not match.
        assert_eq!(prepare("x@y"), "x@y");
        assert_eq!(prepare("x@yz"), " ");
        // The URL body stops at 2,076 characters.
        let body = "u".repeat(2080);
        assert_eq!(prepare(&format!("http://{body}")), " uuuu");
    }
}
