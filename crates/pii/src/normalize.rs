//! Text normalisation before recognition: Unicode NFKC (full-width digits, letters and the
//! ideographic space become ASCII/space), then every dash-like character between digits is
//! folded to `-` (JAPAN.md §3 hyphen set `-‐－―ー` plus the minus sign and en/em dashes), so
//! `０９０ー１２３４ー５６７８` is matched as `090-1234-5678`. Recognizers work on the normalised
//! text only; offsets never point back into the original, which is fine because raw values are
//! never shown (see `mask`).

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// Characters treated as a hyphen when they stand between two digits.
const DASHES: &[char] = &[
    '‐', '‑', '‒', '–', '—', '―', '−', 'ー', 'ｰ', '－', '﹣', '⁃',
];

/// `DASHES.contains(&c)` without the scan: all of them are outside ASCII and most Japanese
/// characters are not dashes, so the common case is one range test.
fn is_dash(c: char) -> bool {
    !c.is_ascii() && DASHES.contains(&c)
}

/// NFKC-normalises `text` and folds dash-like characters between digits to `-`.
pub fn normalize_text(text: &str) -> String {
    normalize_cow(text).into_owned()
}

/// [`normalize_text`], borrowing `text` when normalisation leaves it unchanged (ASCII, plain
/// kana/kanji — most table cells), so callers that often drop the result allocate nothing.
pub fn normalize_cow(text: &str) -> Cow<'_, str> {
    // ASCII fast path: NFKC is the identity on ASCII and there are no dash variants.
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    // One pass: full-width ASCII and the ideographic space are mapped directly (the only
    // compatibility characters common in Japanese mail), dashes between digits are folded,
    // and any character outside the known NFKC-stable ranges sends the text through the full
    // NFKC algorithm afterwards (half-width katakana, circled digits, combining marks …).
    let map = |c: char| match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    // Characters that stay as they are are not pushed one by one: the pending span
    // `text[copied..pos]` is copied in bulk when a character has to change.
    // Allocated when the first character changes.
    let mut out = String::new();
    let mut needs_full = false;
    let mut prev_digit = false;
    let mut copied = 0;
    let bytes = text.as_bytes();
    let mut pos = 0;
    while pos < bytes.len() {
        let b = bytes[pos];
        if b < 0x80 {
            prev_digit = b.is_ascii_digit();
            pos += 1;
            continue;
        }
        // Three-byte characters U+3000..U+9FFF (kana, CJK punctuation, kanji) that stay as
        // they are — the bulk of Japanese text — are skipped without decoding to `char`.
        if (0xE3..=0xE9).contains(&b) && pos + 2 < bytes.len() {
            let cp = (u32::from(b & 0x0F) << 12)
                | (u32::from(bytes[pos + 1] & 0x3F) << 6)
                | u32::from(bytes[pos + 2] & 0x3F);
            // `cp` is at most U+FFFF: the mask changes nothing.
            let plain = PLAIN_WIDE[(cp as usize >> 6) & 1023] & (1 << (cp & 63)) != 0
                || (cp == 0x30FC && !prev_digit);
            if plain {
                prev_digit = false;
                pos += 3;
                continue;
            }
        }
        let Some(c) = text[pos..].chars().next() else {
            break;
        };
        let next = text[pos + c.len_utf8()..].chars().next();
        let m = map(c);
        let fold = is_dash(m) && prev_digit && next.is_some_and(|n| map(n).is_ascii_digit());
        if m == c && !fold {
            if !needs_full && !nfkc_stable(c) {
                needs_full = true;
            }
            prev_digit = false;
            pos += c.len_utf8();
            continue;
        }
        let r = if fold { '-' } else { m };
        if copied == 0 {
            out.reserve(text.len());
        }
        out.push_str(&text[copied..pos]);
        out.push(r);
        pos += c.len_utf8();
        copied = pos;
        prev_digit = r.is_ascii_digit();
    }
    let out: Cow<'_, str> = if copied == 0 {
        Cow::Borrowed(text)
    } else {
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    };
    if needs_full
        && unicode_normalization::is_nfkc_quick(out.chars())
            != unicode_normalization::IsNormalized::Yes
    {
        return Cow::Owned(fold_dashes(&out.nfkc().collect::<String>()));
    }
    out
}

/// Whether the three-byte character `cp` stays as it is whatever surrounds it (`ー`, U+30FC,
/// is folded after a digit, so it is decided by the caller): the ranges of the plain kana,
/// kanji and CJK punctuation, tested one by one before the bitmap [`PLAIN_WIDE`] held them.
const fn plain_wide_char(cp: u32) -> bool {
    matches!(cp,
        0x3001..=0x3003 | 0x3005..=0x301F | 0x3041..=0x3096 | 0x309D..=0x309E
        | 0x30A1..=0x30FB | 0x30FD..=0x30FE | 0x4E00..=0x9FFF)
}

/// [`plain_wide_char`] as a bit per code point of the Basic Multilingual Plane (8 KiB, built
/// at compile time): one look-up per character instead of seven range tests.
static PLAIN_WIDE: [u64; 1024] = {
    let mut bits = [0u64; 1024];
    // Every range lies in U+3000..U+A000 (tested).
    let mut cp = 0x3000u32;
    while cp < 0xA000 {
        if plain_wide_char(cp) {
            bits[(cp >> 6) as usize] |= 1 << (cp & 63);
        }
        cp += 1;
    }
    bits
};

/// Characters that NFKC leaves unchanged and that never combine with a following mark:
/// ASCII, hiragana, katakana (not U+30FF), CJK ideographs, common CJK punctuation, and the
/// symbols common in Japanese business text (※, box drawing, ■□▲△○●◎, ★☆, 〒).
fn nfkc_stable(c: char) -> bool {
    matches!(c as u32,
        0x00..=0x7F
        | 0x203B
        | 0x2500..=0x257F
        | 0x25A0..=0x25FF
        | 0x2605..=0x2606
        | 0x3001..=0x3003
        | 0x3005..=0x301F
        | 0x3041..=0x3096
        | 0x309D..=0x309E
        | 0x30A1..=0x30FE
        | 0x4E00..=0x9FFF)
}

fn fold_dashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev = '\0';
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        let fold =
            is_dash(c) && prev.is_ascii_digit() && it.peek().is_some_and(|n| n.is_ascii_digit());
        let c = if fold { '-' } else { c };
        out.push(c);
        prev = c;
    }
    out
}

/// The key a person's name is compared by: NFKC, no spaces (ASCII or U+3000), no honorifics,
/// lower-cased (romaji names match regardless of case).
pub fn name_key(name: &str) -> String {
    // `normalize_text` is NFKC (plus dash folding between digits) with a fast path for the
    // characters Japanese text is made of; CJK and kana have no case, so when nothing else
    // occurs ASCII lower-casing is the full lower-casing.
    let norm = normalize_text(name);
    let caseless = norm
        .chars()
        .all(|c| c.is_ascii() || ('\u{3000}'..='\u{9FFF}').contains(&c));
    let mut n = String::with_capacity(norm.len());
    for c in norm.chars().filter(|c| !c.is_whitespace() && *c != '・') {
        if caseless {
            n.push(c.to_ascii_lowercase());
        } else {
            n.extend(c.to_lowercase());
        }
    }
    let mut s = n.as_str();
    for suffix in ["様", "さん", "殿", "氏", "君"] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            s = stripped;
            break;
        }
    }
    s.to_string()
}

/// Digits of `s` only (separators dropped).
pub fn digits_only(s: &str) -> String {
    // ASCII digits are single bytes and no byte of another character is one: filtering the
    // bytes into a buffer sized once keeps the digits without a push-and-grow per character.
    let mut out = String::with_capacity(s.len());
    out.extend(s.bytes().filter(u8::is_ascii_digit).map(char::from));
    out
}

/// A header cell reduced for lookup: NFKC, lower-case, no spaces, no brackets or colons.
pub fn header_key(s: &str) -> String {
    let keep = |c: &char| {
        !c.is_whitespace() && !matches!(c, '(' | ')' | '[' | ']' | ':' | '※' | '*' | '_' | '.')
    };
    // Text made only of NFKC-stable characters that never compose is its own NFKC form
    // (most cells tried as headers: Japanese words, ASCII): no normaliser pass.
    // Of those characters only ASCII letters have a case, so lower-casing is ASCII
    // lower-casing, done in the same pass.
    if s.chars().all(nfkc_stable) {
        return s
            .chars()
            .filter(keep)
            .map(|c| c.to_ascii_lowercase())
            .collect();
    }
    s.nfkc().filter(keep).collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_katakana_and_circled_digits_take_the_full_path() {
        assert_eq!(normalize_text("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダ タロウ");
        assert_eq!(normalize_text("①番"), "1番");
        assert_eq!(
            normalize_text("ｶﾞ０９０ー１２３４ー５６７８"),
            "ガ090-1234-5678"
        );
    }

    #[test]
    fn full_width_digits_and_long_vowel_dash_fold() {
        assert_eq!(
            normalize_text("０９０ー１２３４ー５６７８"),
            "090-1234-5678"
        );
        assert_eq!(normalize_text("〒１００－０００１"), "〒100-0001");
        // A katakana long vowel not between digits is kept.
        assert_eq!(normalize_text("コーヒー"), "コーヒー");
        assert_eq!(normalize_text("氏名　山田"), "氏名 山田");
    }

    #[test]
    fn declared_stable_characters_really_are_nfkc_stable() {
        let ranges = [
            0x203Bu32..=0x203B,
            0x2500..=0x257F,
            0x25A0..=0x25FF,
            0x2605..=0x2606,
            0x3001..=0x3003,
            0x3005..=0x301F,
            0x3041..=0x3096,
            0x309D..=0x309E,
            0x30A1..=0x30FE,
            0x4E00..=0x9FFF,
        ];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            assert!(nfkc_stable(c));
            let s = c.to_string();
            assert_eq!(s.nfkc().collect::<String>(), s, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn plain_wide_bitmap_is_the_range_test() {
        for cp in 0..0x10000u32 {
            let bit = PLAIN_WIDE[(cp >> 6) as usize] & (1 << (cp & 63)) != 0;
            assert_eq!(bit, plain_wide_char(cp), "U+{cp:04X}");
        }
    }

    #[test]
    fn byte_fast_path_agrees_with_the_char_path() {
        // Long vowel mark between digits (folded), after a digit but before a letter (kept),
        // kana/kanji runs, full-width forms and the ideographic space next to them.
        for (input, expected) in [
            ("電話０３ー１２３４ー５６７８です", "電話03-1234-5678です"),
            ("3ーA", "3ーA"),
            ("3ー", "3ー"),
            ("ー3", "ー3"),
            ("カーナビ　１ー２", "カーナビ 1-2"),
            ("〒１５０ー０００１　東京都", "〒150-0001 東京都"),
        ] {
            assert_eq!(normalize_text(input), expected, "{input}");
        }
    }

    #[test]
    fn cow_borrows_exactly_when_nothing_changes() {
        for input in [
            "",
            "abc 123",
            "山田 太郎",
            "コーヒー",
            "3ーA",
            "０９０",
            "1ー2",
            "ﾔﾏﾀﾞ",
            "①",
            "氏名　山田",
            "e\u{301}",
            "東京都港区芝公園1-1",
        ] {
            let cow = normalize_cow(input);
            assert_eq!(cow, normalize_text(input), "{input}");
            assert_eq!(
                matches!(cow, Cow::Borrowed(_)),
                cow == input,
                "{input}: borrowed iff unchanged"
            );
        }
    }

    #[test]
    fn stable_characters_lower_case_like_ascii() {
        // `header_key`'s fast path lower-cases NFKC-stable text by ASCII rules.
        for c in (0..0x11000u32)
            .filter_map(char::from_u32)
            .filter(|c| nfkc_stable(*c))
        {
            let full: String = c.to_lowercase().collect();
            assert_eq!(
                full,
                c.to_ascii_lowercase().to_string(),
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn header_key_fast_path_agrees_with_nfkc() {
        let slow = |s: &str| {
            s.nfkc()
                .filter(|c| {
                    !c.is_whitespace()
                        && !matches!(c, '(' | ')' | '[' | ']' | ':' | '※' | '*' | '_' | '.')
                })
                .collect::<String>()
                .to_lowercase()
        };
        let heads = crate::headers::HEADER_SYNONYMS
            .iter()
            .map(|(w, _)| *w)
            .chain(crate::headers::HEADER_NEGATIVE.iter().copied());
        for h in heads.chain([
            "氏名（漢字）",
            "E-Mail Address",
            "生年月日 ※必須",
            "ﾌﾘｶﾞﾅ",
            "電話番号[携帯]",
            "Ｎａｍｅ",
            "カ\u{3099}",
            "Ünïcode",
            "■住所",
            "〒",
            "No.",
            "",
            " ",
            "ー",
            "①",
        ]) {
            assert_eq!(header_key(h), slow(h), "{h}");
        }
    }

    #[test]
    fn digits_only_keeps_the_ascii_digits() {
        for s in [
            "",
            "abc",
            "090-1234-5678",
            "〒１００ー0001",
            "1２3",
            "①2",
            "٣4",
        ] {
            let by_chars: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
            assert_eq!(digits_only(s), by_chars, "{s}");
        }
    }

    #[test]
    fn name_key_ignores_spaces_width_and_honorifics() {
        assert_eq!(name_key("山田　太郎 様"), "山田太郎");
        assert_eq!(name_key("YAMADA Taro"), name_key("yamada  taro"));
        assert_eq!(name_key("ＹＡＭＡＤＡ　Ｔａｒｏ"), "yamadataro");
        assert_eq!(name_key("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダタロウ");
        assert_eq!(name_key("Émile ZOLA"), "émilezola");
    }
}
