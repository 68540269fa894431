//! Text normalisation before recognition: Unicode NFKC (full-width digits, letters and the
//! ideographic space become ASCII/space), then every dash-like character between digits is
//! folded to `-` (JAPAN.md §3 hyphen set `-‐－―ー` plus the minus sign and en/em dashes), so
//! `０９０ー１２３４ー５６７８` is matched as `090-1234-5678`. Recognizers work on the normalised
//! text only; offsets never point back into the original, which is fine because raw values are
//! never shown (see `mask`).

use unicode_normalization::UnicodeNormalization;

/// Characters treated as a hyphen when they stand between two digits.
const DASHES: &[char] = &[
    '‐', '‑', '‒', '–', '—', '―', '−', 'ー', 'ｰ', '－', '﹣', '⁃',
];

/// NFKC-normalises `text` and folds dash-like characters between digits to `-`.
pub fn normalize_text(text: &str) -> String {
    // ASCII fast path: NFKC is the identity on ASCII and there are no dash variants.
    if text.is_ascii() {
        return text.to_string();
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
    let mut out = String::with_capacity(text.len());
    let mut needs_full = false;
    let mut prev = '\0';
    let mut it = text.chars().peekable();
    while let Some(raw) = it.next() {
        let mut c = map(raw);
        if DASHES.contains(&c)
            && prev.is_ascii_digit()
            && it.peek().is_some_and(|n| map(*n).is_ascii_digit())
        {
            c = '-';
        } else if !needs_full && !nfkc_stable(c) {
            needs_full = true;
        }
        out.push(c);
        prev = c;
    }
    if needs_full
        && unicode_normalization::is_nfkc_quick(out.chars())
            != unicode_normalization::IsNormalized::Yes
    {
        return fold_dashes(&out.nfkc().collect::<String>());
    }
    out
}

/// Characters that NFKC leaves unchanged and that never combine with a following mark:
/// ASCII, hiragana, katakana (not U+30FF), CJK ideographs, common CJK punctuation.
fn nfkc_stable(c: char) -> bool {
    matches!(c as u32,
        0x00..=0x7F
        | 0x3001..=0x3003
        | 0x3005..=0x3011
        | 0x3013..=0x301F
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
        let fold = DASHES.contains(&c)
            && prev.is_ascii_digit()
            && it.peek().is_some_and(|n| n.is_ascii_digit());
        let c = if fold { '-' } else { c };
        out.push(c);
        prev = c;
    }
    out
}

/// The key a person's name is compared by: NFKC, no spaces (ASCII or U+3000), no honorifics,
/// lower-cased (romaji names match regardless of case).
pub fn name_key(name: &str) -> String {
    let n: String = name
        .nfkc()
        .filter(|c| !c.is_whitespace() && *c != '・')
        .collect::<String>()
        .to_lowercase();
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
    s.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// A header cell reduced for lookup: NFKC, lower-case, no spaces, no brackets or colons.
pub fn header_key(s: &str) -> String {
    s.nfkc()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '(' | ')' | '[' | ']' | ':' | '※' | '*' | '_' | '.')
        })
        .collect::<String>()
        .to_lowercase()
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
    fn name_key_ignores_spaces_width_and_honorifics() {
        assert_eq!(name_key("山田　太郎 様"), "山田太郎");
        assert_eq!(name_key("YAMADA Taro"), name_key("yamada  taro"));
    }
}
