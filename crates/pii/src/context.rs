//! Context windows: a numeric or date match counts only when the nearest label before it says
//! what it is. Positive and negative word lists compete, and the *closest* label wins, so
//! `注文番号: 123456789018  個人番号: 123456789018` yields one My Number, not two. Windows are in
//! bytes of the normalised text (a kanji is 3 bytes) and snapped to char boundaries.

/// Byte start of a window of `len` bytes ending at `pos`, on a char boundary.
pub fn window_start(text: &str, pos: usize, len: usize) -> usize {
    let mut s = pos.saturating_sub(len);
    while s > 0 && !text.is_char_boundary(s) {
        s -= 1;
    }
    s
}

/// Byte end of a window of `len` bytes starting at `pos`, on a char boundary.
pub fn window_end(text: &str, pos: usize, len: usize) -> usize {
    let mut e = (pos + len).min(text.len());
    while e < text.len() && !text.is_char_boundary(e) {
        e += 1;
    }
    e
}

/// Distance (bytes) from the end of the nearest occurrence of any of `words` before `pos`
/// within `len` bytes; None when absent. `lower` is the ASCII-lower-cased text.
pub fn nearest_before(lower: &str, pos: usize, len: usize, words: &[&str]) -> Option<usize> {
    let start = window_start(lower, pos, len);
    let hay = &lower[start..pos];
    words
        .iter()
        .filter_map(|w| hay.rfind(w).map(|i| hay.len() - (i + w.len())))
        .min()
}

/// Whether any of `words` occurs within `len` bytes after `pos`.
pub fn any_after(lower: &str, pos: usize, len: usize, words: &[&str]) -> bool {
    let end = window_end(lower, pos, len);
    let hay = &lower[pos..end];
    words.iter().any(|w| hay.contains(w))
}

/// Outcome of a positive-versus-negative label contest before a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// The nearest label is a positive context word.
    Positive,
    /// The nearest label is a negative (business identifier) word.
    Negative,
    /// Neither is within the window.
    None,
}

/// The nearest label before `pos` among positive and negative words.
pub fn contest(lower: &str, pos: usize, len: usize, positive: &[&str], negative: &[&str]) -> Label {
    match (
        nearest_before(lower, pos, len, positive),
        nearest_before(lower, pos, len, negative),
    ) {
        (Some(p), Some(n)) if p <= n => Label::Positive,
        (Some(_), Some(_)) => Label::Negative,
        (Some(_), None) => Label::Positive,
        (None, Some(_)) => Label::Negative,
        (None, None) => Label::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_label_wins() {
        let t = "注文番号: 123456789018 個人番号: 123456789018";
        let first = t.find("123").expect("first");
        let second = t.rfind("123").expect("second");
        let pos = ["個人番号"];
        let neg = ["注文番号"];
        assert_eq!(contest(t, first, 300, &pos, &neg), Label::Negative);
        assert_eq!(contest(t, second, 300, &pos, &neg), Label::Positive);
        assert_eq!(contest("abc 123", 4, 300, &pos, &neg), Label::None);
    }
}
