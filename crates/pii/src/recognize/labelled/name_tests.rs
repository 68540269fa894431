//! `clean_name`'s first-character check against the search per stop word it guards.

use super::*;

/// `clean_name` as it was before the check (`str::find` per stop word).
fn clean_name_by_search(raw: &str) -> Option<String> {
    let mut v = raw.trim();
    if STOP_WORDS.iter().any(|w| v.starts_with(w)) {
        return None;
    }
    for w in STOP_WORDS {
        if let Some(i) = v.find(w) {
            v = v[..i].trim_end();
        }
    }
    let bad = ["会社", "株式", "御中", "部長", "課長", "欄", "記入"];
    if v.chars().count() < 2 || bad.iter().any(|w| v.contains(w)) {
        return None;
    }
    Some(v.to_string())
}

#[test]
fn first_character_check_cleans_names_like_the_search() {
    // Names, stop words and their pieces (a piece may start with a character no stop word
    // starts with, or overlap the next word), organisation words, spaces, romaji.
    let mut pieces: Vec<String> = ["山田", "太郎", "花子", "さとう", "サトウ", "Yamada", "Taro"]
        .iter()
        .chain(&[
            "会社", "課長", " ", "\u{3000}", "\t", "様", "さん", "年", "月日", "生年",
        ])
        .map(|s| s.to_string())
        .collect();
    for w in STOP_WORDS {
        let chars: Vec<char> = w.chars().collect();
        pieces.push(w.to_string());
        for i in 1..chars.len() {
            pieces.push(chars[..i].iter().collect());
            pieces.push(chars[i..].iter().collect());
        }
    }
    let mut rng = crate::evalgen::people::Rng::new(0x9E37_79B9_7F4A_7C15);
    let mut next = |n: usize| rng.below(n as u64) as usize;
    let (mut kept, mut cut) = (0, 0);
    for _ in 0..40_000 {
        let raw: String = (0..1 + next(5))
            .map(|_| pieces[next(pieces.len())].as_str())
            .collect();
        let want = clean_name_by_search(&raw);
        assert_eq!(clean_name(&raw), want, "{raw:?}");
        match want {
            Some(v) if v.len() < raw.trim().len() => cut += 1,
            Some(_) => kept += 1,
            None => {}
        }
    }
    // Names kept whole and names cut at a stop word both occur often.
    assert!(kept > 1_000 && cut > 1_000, "{kept} {cut}");
}
