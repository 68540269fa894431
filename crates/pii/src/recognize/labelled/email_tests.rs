//! The byte check `is_email` against the regex test it replaced (`EMAIL` finds a match that
//! starts at 0 and ends at the end), exhaustively on short strings and on generated texts.

use super::*;

fn is_email_by_regex(s: &str) -> bool {
    EMAIL
        .find(s)
        .is_some_and(|m| m.start() == 0 && m.end() == s.len())
}

/// Every string of length `1..=max_len` over `alphabet`.
fn all_strings(alphabet: &[&str], max_len: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut level = vec![String::new()];
    for _ in 0..max_len {
        level = level
            .iter()
            .flat_map(|p| alphabet.iter().map(move |a| format!("{p}{a}")))
            .collect();
        out.extend(level.iter().cloned());
    }
    out
}

#[test]
fn is_email_agrees_with_the_regex_on_all_short_strings() {
    let mut checked = 0;
    let mut emails = 0;
    for (alphabet, max_len) in [
        (&["a", "1", "-", ".", "@", "_", "あ", "Z"][..], 5),
        (&["a", "1", "-", ".", "@"][..], 7),
        (&["ab", "c", ".", "@", "-", "9", " "][..], 6),
        (&["x", "cc", ".", "@", "-", "7", "%"][..], 6),
    ] {
        for s in all_strings(alphabet, max_len) {
            let expected = is_email_by_regex(&s);
            assert_eq!(is_email(&s), expected, "{s:?}");
            checked += 1;
            emails += usize::from(expected);
        }
    }
    assert!(checked > 100_000 && emails > 500, "{checked} {emails}");
}

#[test]
fn is_email_agrees_with_the_regex_on_generated_texts() {
    let mut emails = 0;
    for seed in 1..=2 {
        let set = crate::evalgen::generate(seed).expect("generate");
        for m in set.messages {
            let mut texts = vec![m.body, m.from];
            texts.extend(m.to);
            texts.extend(
                m.attachments
                    .iter()
                    .map(|a| String::from_utf8_lossy(&a.bytes).into_owned()),
            );
            for t in &texts {
                for w in t.split([' ', '\n', '\t', ',', '<', '>', '"', ';', '\r']) {
                    let expected = is_email_by_regex(w);
                    assert_eq!(is_email(w), expected, "{w:?}");
                    emails += usize::from(expected);
                }
            }
        }
    }
    assert!(emails > 50, "{emails}");
    for s in [
        "",
        "@",
        "a@b.c",
        "a@b.cc",
        "a@b.cc.",
        "a@b..cc",
        "a@.b.cc",
        "a@b.cc1",
        "a@b.cc.1",
        "a@b.1c.dd",
        "a@b@c.dd",
        "a.b%c+d-e_f@x-y.example.co.jp",
        "Taro.Yamada@Example.COM",
        "ｔａｒｏ@example.com",
        "taro@exämple.com",
        " taro@example.com",
        "taro@example.com ",
    ] {
        assert_eq!(is_email(s), is_email_by_regex(s), "{s:?}");
    }
}
