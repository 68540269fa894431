//! The hand-written Western date candidate scan (`western_dates`, `western_at`) against the
//! `DATE_WESTERN` regexes it replaces.

use super::*;

#[test]
fn candidate_scan_finds_what_the_regex_finds() {
    for text in [
        "生年月日: 1990年4月1日 入社 2015/04/01",
        "12025年1月1日と2024.12.31、20240101 1999 - 1 - 1",
        "1990/01/0212/03/04 1990/1/2/3",
        "注文 12345678 2000年 1月 1日生",
        "١٩٩٠/01/02 と 1985-06-07",
        "café 2001年2月3日",
        "※1990/01/02 ━━ 2001年2月3日 ‐ 1999-1-1",
        "■生年月日 １９９０/01/02 ● 1985-06-07",
        "",
        "2024",
    ] {
        let expected: Vec<(usize, usize)> = DATE_WESTERN
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        let got: Vec<(usize, usize)> = western_dates(text).iter().map(|m| (m.0, m.1)).collect();
        assert_eq!(got, expected, "{text}");
    }
    // No decimal digit where the candidate scan assumes none.
    let digit = Regex::new(r"^\d$").expect("regex");
    let digits: Vec<char> = ('\u{2000}'..='\u{9FFF}')
        .filter(|c| digit.is_match(&c.to_string()))
        .collect();
    assert!(digits.is_empty(), "{digits:?}");
    // The hand-written candidate match against the anchored regex.
    let parts = [
        "1", "12", "123", "1990", "19900", " ", "  ", "年", "月", "日", "/", ".", "-", "日日", "a",
        "生",
    ];
    let mut tried = 0;
    for a in parts {
        for b in parts {
            for c in parts {
                for d in ["", "1", "12", " 1", "年1", "月12", "日"] {
                    let t = format!("1990{a}{b}{c}{d}");
                    let want = DATE_WESTERN_AT.captures(&t).and_then(|c| {
                        let span = |k: usize| c.get(k).map(|m| (m.start(), m.end()));
                        Some((c.get(0)?.end(), (span(1)?, span(2)?, span(3)?)))
                    });
                    assert_eq!(western_at(t.as_bytes(), 0), want, "{t:?}");
                    tried += usize::from(want.is_some());
                }
            }
        }
    }
    assert!(tried > 100, "{tried}");
    let d = western_dates("生年月日 1990年4月1日");
    assert_eq!((d[0].2, d[0].3, d[0].4), ("1990", "4", "1"));
}
