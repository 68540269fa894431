//! Substring search on short texts (table cells with their header, name candidates): a
//! plain comparison at each byte, where `str::contains` / `str::find` would first build a
//! searcher for the word — on a cell of a few characters that set-up costs more than the
//! search. Longer texts keep the standard library's vectorised search.
//!
//! A byte match of a word is a character match: the word is valid UTF-8, so its first byte
//! is never a continuation byte and the match starts at a character boundary.

/// Texts up to this many bytes are searched byte by byte.
const SHORT: usize = 256;

/// `text.find(word)`.
pub(super) fn find(text: &str, word: &str) -> Option<usize> {
    let (t, w) = (text.as_bytes(), word.as_bytes());
    let Some((&first, rest)) = w.split_first() else {
        return Some(0);
    };
    if t.len() > SHORT {
        return text.find(word);
    }
    // The rest of the word compared only where its first byte stands (a slice comparison
    // at every position would call `memcmp` at every position).
    (0..t.len()).find(|&i| t[i] == first && t.get(i + 1..i + w.len()) == Some(rest))
}

/// `text.contains(word)`.
pub(super) fn contains(text: &str, word: &str) -> bool {
    find(text, word).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_str_find_finds() {
        let parts = [
            "",
            "a",
            "A",
            "名",
            "氏名",
            "世帯主",
            "世帯",
            "主",
            "フリガナ",
            "ガナ",
            "ﾌﾘｶﾞﾅ",
            " ",
            ":",
            "続柄",
            "性別",
            "性",
            "\u{3099}",
            "😀",
            "1",
        ];
        let words = [
            "名",
            "世帯主",
            "フリガナ",
            "ふりがな",
            "続柄",
            "性別",
            "a",
            "住所",
            "😀",
        ];
        let mut long = String::new();
        for a in parts {
            for b in parts {
                for c in parts {
                    let t = format!("{a}{b}{c}");
                    for w in words.iter().chain(&parts) {
                        assert_eq!(find(&t, w), t.find(w), "{t:?} {w:?}");
                        assert_eq!(contains(&t, w), t.contains(w), "{t:?} {w:?}");
                    }
                }
                long.push_str(a);
            }
        }
        // Past the short limit, and around it.
        assert!(long.len() > SHORT);
        for end in [SHORT - 3, SHORT, SHORT + 1, long.len()] {
            let mut cut = end.min(long.len());
            while !long.is_char_boundary(cut) {
                cut -= 1;
            }
            let t = &long[..cut];
            for w in words.iter().chain(&parts) {
                assert_eq!(find(t, w), t.find(w), "{w:?}");
            }
        }
    }
}
