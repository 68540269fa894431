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
    // Most Japanese mail text is NFKC except for full-width ASCII (ＡＢＣ１２３：) and the
    // ideographic space. Map those directly, then let the cheap quick check decide whether the
    // full (decompose + recompose) NFKC pass is still needed, e.g. for half-width katakana.
    let mapped: String = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    let owned;
    let nfkc: &str = if unicode_normalization::is_nfkc_quick(mapped.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        &mapped
    } else {
        owned = mapped.nfkc().collect::<String>();
        &owned
    };
    if !nfkc.contains(DASHES) {
        return nfkc.to_string();
    }
    let mut out = String::with_capacity(nfkc.len());
    let mut prev: Option<char> = None;
    let mut it = nfkc.chars().peekable();
    while let Some(c) = it.next() {
        let fold = DASHES.contains(&c)
            && prev.is_some_and(|p| p.is_ascii_digit())
            && it.peek().is_some_and(|n| n.is_ascii_digit());
        out.push(if fold { '-' } else { c });
        prev = Some(c);
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
