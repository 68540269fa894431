//! Table mode: header classification (automaton against the list-order scan), one row per
//! person, column demotion, cell validation and the helpers it uses.

use super::*;
use chrono::NaiveDate;

fn opts() -> RecognizeOptions {
    RecognizeOptions {
        reference_date: NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
    }
}

fn t(rows: &[&[&str]]) -> Table {
    Table {
        label: "s".into(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect(),
    }
}

#[test]
fn headers_classify_in_both_languages() {
    assert_eq!(classify_header("氏名"), Some(Category::Name));
    assert_eq!(classify_header("Full Name"), Some(Category::Name));
    assert_eq!(classify_header("生年月日"), Some(Category::BirthDate));
    assert_eq!(
        classify_header("世帯主の氏名"),
        Some(Category::HeadOfHousehold)
    );
    assert_eq!(classify_header("個人番号"), Some(Category::MyNumber));
    assert_eq!(classify_header("会社名"), None);
    assert_eq!(classify_header("品番"), None);
}

/// The list-order `contains` scan the automaton replaces.
fn classify_by_scan(cell: &str) -> Option<Category> {
    let k = header_key(cell);
    if k.is_empty()
        || k.chars().count() > 24
        || crate::headers::HEADER_NEGATIVE
            .iter()
            .any(|n| k.contains(n))
    {
        return None;
    }
    crate::headers::HEADER_SYNONYMS
        .iter()
        .find(|(syn, _)| k.contains(syn))
        .map(|(_, c)| *c)
}

#[test]
fn header_automaton_agrees_with_the_list_order_scan() {
    let words: Vec<&str> = crate::headers::HEADER_NEGATIVE
        .iter()
        .copied()
        .chain(crate::headers::HEADER_SYNONYMS.iter().map(|(w, _)| *w))
        .chain(["本人", "の", "No", "（", "連絡先"])
        .collect();
    for a in &words {
        assert_eq!(classify_header(a), classify_by_scan(a), "{a}");
        for b in &words {
            let ab = format!("{a}{b}");
            assert_eq!(classify_header(&ab), classify_by_scan(&ab), "{ab}");
        }
    }
}

#[test]
fn first_character_filter_agrees_with_the_list_order_scan() {
    // Pieces: whole header words, their prefixes and suffixes (a suffix starts with a
    // character that may start no word), single characters of every word, upper-case and
    // full-/half-width forms that NFKC and lower-casing turn into word starts, data cells.
    let mut pieces: Vec<String> = Vec::new();
    let words = crate::headers::HEADER_NEGATIVE
        .iter()
        .copied()
        .chain(crate::headers::HEADER_SYNONYMS.iter().map(|(w, _)| *w));
    for w in words {
        let chars: Vec<char> = w.chars().collect();
        pieces.push(w.to_string());
        pieces.push(w.to_uppercase());
        for i in 1..chars.len() {
            pieces.push(chars[..i].iter().collect());
            pieces.push(chars[i..].iter().collect());
        }
        pieces.extend(chars.iter().map(|c| c.to_string()));
    }
    pieces.extend(
        [
            "山田 太郎",
            "ﾌﾘｶﾞﾅ",
            "Ｎａｍｅ",
            "ＴＥＬ",
            "1980/05/12",
            "東京都千代田区",
            "090",
            " ",
            "　",
            "(",
            "※",
            ":",
            "_",
            "ー",
            "の",
            "本人",
            "①",
            "ｶ",
            "\u{3099}",
            "😀",
        ]
        .map(String::from),
    );
    let mut rng = crate::evalgen::people::Rng::new(0x2545_F491_4F6C_DD1D);
    let mut next = |n: usize| rng.below(n as u64) as usize;
    let (mut filtered, mut found) = (0, 0);
    for _ in 0..30_000 {
        let cell: String = (0..1 + next(4))
            .map(|_| pieces[next(pieces.len())].as_str())
            .collect();
        let got = classify_header(&cell);
        assert_eq!(got, classify_by_scan(&cell), "{cell}");
        found += usize::from(got.is_some());
        filtered += usize::from(!header_key(&cell).chars().any(starts_header_word));
    }
    // Both outcomes occur often enough for the comparison to mean something.
    assert!(filtered > 1_000 && found > 1_000, "{filtered} {found}");
}

#[test]
fn one_row_one_person_and_bad_columns_demoted() {
    let tb = t(&[
        &["社員名簿"],
        &["氏名", "生年月日", "電話番号", "個人番号"],
        &["山田 太郎", "1980/05/12", "9012345678", "123456789018"],
        &["佐藤 花子", "昭和60年1月2日", "03-1234-5678", ""],
        &["", "", "", ""],
    ]);
    let s = scan_table(&tb, &opts());
    assert_eq!(s.rows.len(), 2);
    let cats: Vec<Category> = s.rows[0].iter().map(|h| h.category).collect();
    assert_eq!(
        cats,
        vec![
            Category::Name,
            Category::BirthDate,
            Category::Phone,
            Category::MyNumber
        ]
    );
    assert_eq!(s.rows[0][2].value, "09012345678");
    // An invalid My Number column is demoted: no row gets a MyNumber hit.
    let tb = t(&[
        &["氏名", "個人番号"],
        &["山田 太郎", "123456789019"],
        &["佐藤 花子", "111111111111"],
    ]);
    let s = scan_table(&tb, &opts());
    assert!(
        s.rows
            .iter()
            .flatten()
            .all(|h| h.category != Category::MyNumber)
    );
}

#[test]
fn case_insensitive_cell_checks_compare_against_lower_case_words() {
    // `validate_cell` compares Gender and SpecialCare cells ignoring ASCII case, which is
    // comparing the lower-cased cell only while these words are lower-case.
    for w in lx::NONE_VALUES {
        assert_eq!(*w, w.to_ascii_lowercase());
    }
    let o = opts();
    assert_eq!(
        validate_cell(Category::Gender, "Male", &o).as_deref(),
        Some("male")
    );
    assert_eq!(
        validate_cell(Category::Gender, "男性", &o).as_deref(),
        Some("男性")
    );
    assert_eq!(validate_cell(Category::SpecialCare, "N/A", &o), None);
    assert_eq!(
        validate_cell(Category::Email, "Taro@Example.CO.JP", &o).as_deref(),
        Some("taro@example.co.jp")
    );
    assert_eq!(
        validate_cell(Category::Name, "ＹＡＭＡＤＡ　Ｔａｒｏ", &o).as_deref(),
        Some("YAMADA Taro")
    );
}

#[test]
fn short_contains_is_contains() {
    let cells = [
        "",
        "山田 太郎",
        "株式会社サンプル",
        "サンプル株式",
        "会",
        "会社",
        "社会",
        "abc",
        "ab",
        "株式会社",
    ];
    for c in cells {
        for w in cells {
            assert_eq!(short_contains(c, w), c.contains(w), "{c:?} {w:?}");
        }
    }
}

#[test]
fn iso_dates_match_chrono() {
    let mut d = NaiveDate::from_ymd_opt(999, 12, 25).expect("d");
    while chrono::Datelike::year(&d) < 10_001 {
        assert_eq!(iso_date(d), d.to_string());
        d = d + chrono::Days::new(97);
    }
}

#[test]
fn key_value_tables_are_flattened() {
    let tb = t(&[&["氏名", "山田 太郎"], &["住所", "東京都港区芝公園1-1"]]);
    let s = scan_table(&tb, &opts());
    assert!(s.flattened.is_some());
}

#[test]
fn blank_cells_are_those_trim_empties() {
    let parts = [
        "", " ", "\t", "\n", "\u{3000}", "\u{a0}", "\u{2028}", "a", "山", "0", "\u{200b}",
    ];
    for a in parts {
        for b in parts {
            for c in parts {
                let s = format!("{a}{b}{c}");
                assert_eq!(is_blank(&s), s.trim().is_empty(), "{s:?}");
            }
        }
    }
}
