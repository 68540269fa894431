//! Long texts (mail bodies padded with prose) recognised region by region: only the lines
//! that can hold a hit, with a margin of whole lines around them, go through the context
//! index, the digit scanner and the regexes; the rest of the text is skipped.
//!
//! Why the hits are exactly those of one pass over the whole text:
//! * **Which lines can hold a hit.** A line is *hot* when [`Traits`] (the prefilter's
//!   necessary condition, applied to the already normalised line) says some recognizer could
//!   match in it. No recognizer's match contains a line break (digit runs are joined by
//!   `-`, space, `.`, `(`, `)`; every regex uses `[ \t]`, ` ?` or classes without `\n`), so
//!   every regex *match* — not only every hit — lies inside one line, and that line has the
//!   match's digits, `@`, label word, 市区町村郡 or 要配慮 word: it is hot.
//! * **What a hit looks at around it.** Context words lying wholly within 120 bytes before
//!   a value (`LABEL_WINDOW`; other windows are 60, 45, 30, 24, 12 and 6 bytes), text
//!   12 bytes before a name label and the character just before it, and up to 40 bytes
//!   (`any_after` 12 + 32 for the word) after a value. A region keeps at least [`MARGIN`]
//!   bytes of whole lines before and after each hot line (or reaches the text's edge), so
//!   every window lies inside the region; context words hold no line break, so the region's
//!   context index has exactly the whole text's words inside the region.
//! * **Leftmost, non-overlapping iteration.** Regions start after a `\n` (or at the text's
//!   start) and end after one (or at the end). A match never starts on a cold line, so the
//!   whole-text iteration arrives at a region with nothing matched since the previous
//!   region, and `(?-u:\b)` sees the same non-word `\n` (or edge) at the region's borders.
//! * **Order.** Regions are disjoint and ascending and each region's hits are sorted the
//!   same stable way, so their concatenation (offsets shifted) is the whole-text result.
//!
//! Tested against the whole-text pass on evaluation bodies, padded bodies and edge cases
//! (`recognize::regions::tests`).

use super::prefilter::{plain_wide, trigger_words};
use std::sync::LazyLock;

/// How far (bytes) a recognizer looks around a value on a hot line: the widest window
/// before a value (120) and after one (40), each plus the longest context word (32).
const REACH: usize = 152;
const _: () = assert!(REACH >= super::numbers::LABEL_WINDOW + 32 && REACH >= 40 + 32);

/// Bytes of whole lines kept before and after every hot line (≥ [`REACH`]).
pub(super) const MARGIN: usize = 256;
const _: () = assert!(MARGIN >= REACH);

/// Bytes of whole *raw* lines kept around every hot raw line by [`raw_hot_regions`]: a cold
/// line's normal form is at least half as long as the line (see `normalize_and_recognize`),
/// so twice [`REACH`] raw bytes of cold lines are at least [`REACH`] normalised bytes.
pub(super) const RAW_MARGIN: usize = 2 * REACH;

/// A byte range (start, end).
pub(super) type Span = (usize, usize);

/// Texts shorter than this are recognised in one pass (splitting would not pay).
pub(super) const MIN_SPLIT: usize = 2 * 1024;

/// The byte ranges of `text` (whole lines, disjoint, ascending) outside which no recognizer
/// can find anything, each with [`MARGIN`] bytes of context around its hot lines.
pub(super) fn hot_regions(text: &str) -> Vec<(usize, usize)> {
    regions_with_margin(text, MARGIN, None)
}

/// [`hot_regions`] of a text not yet normalised, with [`RAW_MARGIN`] around its hot lines,
/// and the cold lines with two digits or more (see [`scan_lines`]).
pub(super) fn raw_hot_regions(raw: &str) -> (Vec<Span>, Vec<Span>) {
    let mut digit_lines = Vec::new();
    let regions = regions_with_margin(raw, RAW_MARGIN, Some(&mut digit_lines));
    (regions, digit_lines)
}

fn regions_with_margin(
    text: &str,
    margin: usize,
    mut digit_lines: Option<&mut Vec<(usize, usize)>>,
) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    scan_lines(text.as_bytes(), |line_start, line_end, hot| {
        if !hot {
            if let Some(d) = digit_lines.as_deref_mut() {
                d.push((line_start, line_end));
            }
            return;
        }
        let from = line_floor(text, line_start.saturating_sub(margin));
        let to = line_ceil(text, (line_end + margin).min(text.len()));
        match out.last_mut() {
            Some(last) if last.1 >= from => last.1 = last.1.max(to),
            _ => out.push((from, to)),
        }
    });
    out
}

/// Classes of [`LineClasses`]: nothing to note, the line is hot, an ASCII digit, an era mark
/// (`.`, `年`), a line break; from [`WORD`] on, the first character of trigger word group
/// `class - WORD`.
const NONE: u8 = 0;
const HOT: u8 = 1;
const DIGIT: u8 = 2;
const ERA: u8 = 3;
const NEWLINE: u8 = 4;
const WORD: u8 = 5;

/// The first wide character the table covers (lead byte 0xE3); the last is U+9FFF (0xE9).
const WIDE_BASE: usize = 0x3000;

/// What the line test needs to know of every character, looked up instead of computed:
/// ASCII bytes and the three-byte characters U+3000..=U+9FFF (every other character is
/// outside `plain_wide`, so hot). Trigger words are grouped by first character (ASCII
/// letters lower-cased).
struct LineClasses {
    ascii: [u8; 128],
    wide: Vec<u8>,
    /// A bit per code point of the Basic Multilingual Plane, set for the characters of
    /// `wide` whose class is not [`NONE`] (small enough to stay in the first-level cache,
    /// which the byte table is not; a fixed size, so a three-byte character's look-up needs
    /// no bounds check).
    wide_noted: Box<[u64; 1024]>,
    groups: Vec<Vec<&'static [u8]>>,
}

static LINE_CLASSES: LazyLock<LineClasses> = LazyLock::new(|| {
    let mut ascii = [NONE; 128];
    for (x, slot) in ascii.iter_mut().enumerate() {
        *slot = match x as u8 {
            b'0'..=b'9' => DIGIT,
            b'.' => ERA,
            b'@' => HOT,
            b'\n' => NEWLINE,
            _ => NONE,
        };
    }
    let mut wide: Vec<u8> = (WIDE_BASE as u32..=0x9FFF)
        .map(|cp| match cp {
            0x5E74 => ERA,                                     // 年
            0x5E02 | 0x533A | 0x753A | 0x6751 | 0x90E1 => HOT, // 市区町村郡
            _ if plain_wide(cp) => NONE,
            _ => HOT,
        })
        .collect();
    let mut groups: Vec<(u32, Vec<&'static [u8]>)> = Vec::new();
    for w in trigger_words() {
        let Some(c) = w.chars().next() else { continue };
        let c = c.to_ascii_lowercase() as u32;
        match groups.iter_mut().find(|g| g.0 == c) {
            Some(g) => g.1.push(w.as_bytes()),
            None => groups.push((c, vec![w.as_bytes()])),
        }
    }
    for (k, (c, _)) in groups.iter().enumerate() {
        // A first character the table cannot name as a word start makes its lines hot
        // (never the case: tested).
        let class = u8::try_from(k + usize::from(WORD)).unwrap_or(HOT);
        let c = *c as usize;
        let slot = if c < 128 {
            ascii.get_mut(c)
        } else {
            c.checked_sub(WIDE_BASE).and_then(|i| wide.get_mut(i))
        };
        if let Some(slot) = slot {
            *slot = if *slot == NONE { class } else { HOT };
        }
    }
    // Upper-case ASCII letters start the same words as their lower-case forms.
    for x in b'A'..=b'Z' {
        ascii[usize::from(x)] = ascii[usize::from(x.to_ascii_lowercase())];
    }
    let mut wide_noted = Box::new([0u64; 1024]);
    for (i, class) in wide.iter().enumerate() {
        let cp = WIDE_BASE + i;
        if *class != NONE
            && let Some(bits) = wide_noted.get_mut(cp / 64)
        {
            *bits |= 1 << (cp % 64);
        }
    }
    LineClasses {
        ascii,
        wide,
        wide_noted,
        groups: groups.into_iter().map(|g| g.1).collect(),
    }
});

/// Calls `hot(start, end)` for every line of `b` (the text's bytes; a line ends after its
/// `\n` or at the end) of which `Traits::of(line).may_hit()` holds, in order.
#[cfg(test)]
pub(super) fn for_each_hot_line(b: &[u8], mut hot: impl FnMut(usize, usize)) {
    scan_lines(b, |start, end, is_hot| {
        if is_hot {
            hot(start, end);
        }
    });
}

/// Calls `line(start, end, true)` for every hot line of `b` (a line `Traits` calls hot) and
/// `line(start, end, false)` for every other line with two ASCII digits or more (the only
/// cold lines where normalisation folds a `ー`), in order.
///
/// One pass over the text with a table lookup per character: a character outside the plain
/// ones, `@` or 市区町村郡 makes the line hot at once (the rest of it is skipped to its line
/// break); the first character of a trigger word has its few words compared there; digits
/// and era marks are counted and decide at the line break. Tested equal to `Traits` line by
/// line (the per-line test this replaces walked every line twice: once for its break, once
/// for its characters).
fn scan_lines(b: &[u8], mut line: impl FnMut(usize, usize, bool)) {
    let lc = &*LINE_CLASSES;
    let noted: &[u64; 1024] = &lc.wide_noted;
    let n = b.len();
    let (mut line_start, mut digits, mut era) = (0usize, 0usize, false);
    let mut i = 0;
    while i < n {
        // Characters of no interest (most of any text) skipped in a tight loop.
        while i + 2 < n {
            let x = b[i];
            if (0xE3..=0xE9).contains(&x) {
                let cp = (usize::from(x & 0x0F) << 12)
                    | (usize::from(b[i + 1] & 0x3F) << 6)
                    | usize::from(b[i + 2] & 0x3F);
                // `cp` is U+3000..=U+9FFF (lead bytes 0xE3..=0xE9): the mask changes nothing.
                if noted[(cp >> 6) & 1023] & (1 << (cp & 63)) != 0 {
                    break;
                }
                i += 3;
            } else if x < 0x80 && lc.ascii[usize::from(x)] == NONE {
                i += 1;
            } else {
                break;
            }
        }
        if i >= n {
            break;
        }
        let x = b[i];
        let (class, len) = if x < 0x80 {
            (lc.ascii[usize::from(x)], 1)
        } else if (0xE3..=0xE9).contains(&x) && i + 2 < n {
            let cp = (usize::from(x & 0x0F) << 12)
                | (usize::from(b[i + 1] & 0x3F) << 6)
                | usize::from(b[i + 2] & 0x3F);
            (lc.wide.get(cp - WIDE_BASE).copied().unwrap_or(HOT), 3)
        } else {
            (HOT, 1)
        };
        let is_hot = match class {
            NONE => false,
            DIGIT => {
                digits += 1;
                false
            }
            ERA => {
                era = true;
                false
            }
            NEWLINE => {
                if digits >= 2 {
                    line(line_start, i + 1, digits >= 6 || era);
                }
                (line_start, digits, era) = (i + 1, 0, false);
                i += 1;
                continue;
            }
            HOT => true,
            k => lc.groups.get(usize::from(k - WORD)).is_none_or(|ws| {
                ws.iter().any(|w| {
                    b.get(i..i + w.len())
                        .is_some_and(|t| t.eq_ignore_ascii_case(w))
                })
            }),
        };
        if is_hot {
            let end = b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(n, |p| i + p + 1);
            line(line_start, end, true);
            (line_start, digits, era) = (end, 0, false);
            i = end;
            continue;
        }
        i += len;
    }
    if line_start < n && digits >= 2 {
        line(line_start, n, digits >= 6 || era);
    }
}

/// Appends the normal form of `cold` (whole raw lines none of which is hot): the lines
/// themselves with every `ー` that stands between two ASCII digits folded to `-`, as
/// `normalize_text` folds it (the character before is then a digit, never a folded `ー`).
pub(super) fn push_cold(out: &mut String, cold: &str) {
    let b = cold.as_bytes();
    let mut copied = 0;
    for (i, _) in cold.match_indices('ー') {
        let digit_before = i > 0 && b[i - 1].is_ascii_digit();
        if digit_before && b.get(i + 3).is_some_and(u8::is_ascii_digit) {
            out.push_str(&cold[copied..i]);
            out.push('-');
            copied = i + 3;
        }
    }
    out.push_str(&cold[copied..]);
}

/// The start of the line holding byte `pos`.
fn line_floor(text: &str, pos: usize) -> usize {
    text.as_bytes()[..pos]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// The end (after its `\n`) of the line holding byte `pos`, or `pos` when a line starts there.
fn line_ceil(text: &str, pos: usize) -> usize {
    if pos == 0 || pos >= text.len() || text.as_bytes()[pos - 1] == b'\n' {
        return pos;
    }
    text.as_bytes()[pos..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| pos + i + 1)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod raw_tests;
