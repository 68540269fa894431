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

/// Bytes of whole lines kept before and after every hot line (≥ the widest window, 120).
pub(super) const MARGIN: usize = 256;
const _: () = assert!(MARGIN >= 120 + 32 && MARGIN >= 40 + 32);

/// Texts shorter than this are recognised in one pass (splitting would not pay).
pub(super) const MIN_SPLIT: usize = 2 * 1024;

/// The byte ranges of `text` (whole lines, disjoint, ascending) outside which no recognizer
/// can find anything, each with [`MARGIN`] bytes of context around its hot lines.
pub(super) fn hot_regions(text: &str) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i + 1);
        if line_may_hit(&text.as_bytes()[line_start..line_end]) {
            let from = line_floor(text, line_start.saturating_sub(MARGIN));
            let to = line_ceil(text, (line_end + MARGIN).min(text.len()));
            match out.last_mut() {
                Some(last) if last.1 >= from => last.1 = last.1.max(to),
                _ => out.push((from, to)),
            }
        }
        line_start = line_end;
    }
    out
}

/// Trigger words by their first character (ASCII letters lower-cased): a bitmap over the
/// BMP and the words themselves, sorted by that character.
struct FirstChars {
    bits: Vec<u64>,
    words: Vec<(u32, &'static [u8])>,
}

static FIRST_CHARS: LazyLock<FirstChars> = LazyLock::new(|| {
    let mut bits = vec![0u64; 1024];
    let mut words = Vec::new();
    for w in trigger_words() {
        if let Some(c) = w.chars().next() {
            let c = c.to_ascii_lowercase() as u32;
            if let Some(slot) = bits.get_mut(c as usize / 64) {
                *slot |= 1 << (c % 64);
            }
            words.push((c, w.as_bytes()));
        }
    }
    words.sort_unstable();
    FirstChars { bits, words }
});

/// `Traits::of(line).may_hit()` in one pass over the line's bytes: the trigger words are
/// compared only where a character that starts one of them stands, instead of an
/// Aho–Corasick automaton stepping through every byte of every line (that search, per
/// line, had cost more than the recognizers it saved). Tested equal to `Traits`.
pub(super) fn line_may_hit(b: &[u8]) -> bool {
    let fc = &*FIRST_CHARS;
    let starts_word = |c: u32, i: usize| {
        fc.bits
            .get(c as usize / 64)
            .is_some_and(|x| x & (1 << (c % 64)) != 0)
            && fc.words[fc.words.partition_point(|&(f, _)| f < c)..]
                .iter()
                .take_while(|&&(f, _)| f == c)
                .any(|&(_, w)| {
                    b.get(i..i + w.len())
                        .is_some_and(|t| t.eq_ignore_ascii_case(w))
                })
    };
    let (mut digits, mut era_mark) = (0usize, false);
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            match x {
                b'0'..=b'9' => digits += 1,
                b'.' => era_mark = true,
                b'@' => return true,
                b'A'..=b'Z' | b'a'..=b'z' if starts_word(u32::from(x.to_ascii_lowercase()), i) => {
                    return true;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        let cp = match b.get(i..i + 3) {
            Some(&[x0, x1, x2]) if (0xE3..=0xE9).contains(&x0) => {
                (u32::from(x0 & 0x0F) << 12) | (u32::from(x1 & 0x3F) << 6) | u32::from(x2 & 0x3F)
            }
            _ => 0,
        };
        if !plain_wide(cp) {
            return true;
        }
        match cp {
            0x5E74 => era_mark = true,                                 // 年
            0x5E02 | 0x533A | 0x753A | 0x6751 | 0x90E1 => return true, // 市区町村郡
            _ if starts_word(cp, i) => return true,
            _ => {}
        }
        i += 3;
    }
    digits >= 6 || (digits >= 2 && era_mark)
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
