//! Recognizer unit tests on short synthetic lines.

use super::*;
use crate::normalize::normalize_text;

fn run(s: &str) -> Vec<Hit> {
    let opts = RecognizeOptions {
        reference_date: NaiveDate::from_ymd_opt(2025, 6, 1).expect("date"),
    };
    recognize(&normalize_text(s), &opts)
}

fn cats(hits: &[Hit]) -> Vec<(Category, Confidence)> {
    hits.iter().map(|h| (h.category, h.confidence)).collect()
}

#[test]
fn my_number_needs_context_and_loses_to_negative_label() {
    let h = run("個人番号：１２３４ ５６７８ ９０１８");
    assert_eq!(cats(&h), vec![(Category::MyNumber, Confidence::High)]);
    assert_eq!(h[0].value, "123456789018");
    assert!(run("注文番号: 123456789018").is_empty());
    assert_eq!(
        cats(&run("ref 123456789018")),
        vec![(Category::MyNumber, Confidence::Low)]
    );
    assert!(run("個人番号: 123456789019").is_empty(), "bad check digit");
}

#[test]
fn phones_and_business_numbers() {
    let h = run("携帯：０９０－１２３４－５６７８");
    assert_eq!(cats(&h), vec![(Category::Phone, Confidence::High)]);
    assert!(!h[0].business);
    let h = run("FAX 03-1234-5678");
    assert!(h[0].business);
    let h = run("フリーダイヤル 0120-123-456");
    assert!(h[0].business);
    assert!(run("品番: 090-1234-5678").is_empty());
}

#[test]
fn card_bank_postal() {
    assert_eq!(
        cats(&run("カード番号 4111-1111-1111-1111")),
        vec![(Category::Card, Confidence::High)]
    );
    assert_eq!(
        cats(&run("口座番号: 1234567")),
        vec![(Category::BankAccount, Confidence::High)]
    );
    assert!(run("請求書番号 1234567").is_empty());
    assert_eq!(
        cats(&run("〒100-0001")),
        vec![(Category::PostalCode, Confidence::High)]
    );
    assert!(run("部品 100-0001").is_empty());
}

#[test]
fn labelled_values() {
    let h = run("氏名：山田 太郎　生年月日：昭和55年5月12日　住所：東京都千代田区千代田1-1");
    let c: Vec<Category> = h.iter().map(|h| h.category).collect();
    assert_eq!(
        c,
        vec![Category::Name, Category::BirthDate, Category::Address]
    );
    assert_eq!(h[0].value, "山田 太郎");
    assert_eq!(h[1].value, "1980-05-12");
    let h = run("世帯主の氏名 山田 一郎 続柄 長男");
    assert_eq!(h[0].category, Category::HeadOfHousehold);
    assert_eq!(h[1].category, Category::Relationship);
    // A date with no birth context is not a birth date.
    assert!(run("納期 2024年5月12日").is_empty());
    let h = run("Name: YAMADA Taro  Date of birth: 1980-05-12");
    assert_eq!(h[0].value, "YAMADA Taro");
    assert_eq!(h[1].category, Category::BirthDate);
    assert!(run("Company name: Example Trading").is_empty());
}

#[test]
fn special_care_needs_a_value() {
    let h = run("既往歴: 糖尿病");
    assert_eq!(h[0].special, Some(SpecialCareKind::Health));
    assert!(run("既往歴: なし").is_empty());
}

#[test]
fn plain_date_fast_path_agrees_with_the_regexes() {
    use super::labelled::parse_date_by_regex;
    let mut cases: Vec<String> = [
        "1980/05/12",
        "1980-5-1",
        "1980.12.31",
        "2000/02/30",
        "1980/5/12",
        "1980/05/1",
        "1980/005/12",
        "1980/05/123",
        "198/05/12",
        "19800/5/12",
        "1980/05-12",
        "1980年5月12日",
        "1980 / 5 / 12",
        "1980//12",
        "1980/1a/12",
        "昭和55年5月12日",
        "S55.5.12",
        "1980/13/01",
        "0000/01/01",
        "abcd/01/01",
        "1980/05/",
        "1980/05/12日",
        "",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for y in ["1999", "2024"] {
        for m in ["1", "01", "12", "13", "001"] {
            for d in ["1", "09", "31", "32", "100"] {
                for sep in ["/", "-", "."] {
                    cases.push(format!("{y}{sep}{m}{sep}{d}"));
                }
            }
        }
    }
    // Era forms: every era, 元 and one to three digits, missing or extra parts, spaces.
    for era in ["明治", "大正", "昭和", "平成", "令和", "天保"] {
        for y in ["元", "1", "05", "45", "64", "99", "100", ""] {
            for (m, d) in [
                ("1", "1"),
                ("02", "29"),
                ("2", "30"),
                ("12", "031"),
                ("", "1"),
            ] {
                for tail in ["", "日", "日生", " "] {
                    cases.push(format!("{era}{y}年{m}月{d}{tail}"));
                }
                cases.push(format!("{era} {y}年 {m}月 {d}日"));
                cases.push(format!("{era}{y}.{m}.{d}"));
                cases.push(format!("{era}{y}年{m}月"));
                cases.push(format!("x{era}{y}年{m}月{d}日"));
            }
        }
    }
    for c in &cases {
        assert_eq!(parse_any_date(c), parse_date_by_regex(c), "{c:?}");
    }
}

#[test]
fn short_cells_still_reach_every_labelled_recognizer() {
    // Short texts take the literal guards in `scan_labelled`; each case needs its regex.
    let has = |s: &str, c: Category| run(s).iter().any(|h| h.category == c);
    assert!(has("氏名: 山田 太郎", Category::Name));
    assert!(has("Full NAME: Taro Yamada", Category::Name));
    assert!(has("世帯主: 山田 太郎", Category::HeadOfHousehold));
    assert!(has(
        "Head of household: Taro Yamada",
        Category::HeadOfHousehold
    ));
    assert!(has("フリガナ: ヤマダ タロウ", Category::NameKana));
    assert!(has("性別: 女", Category::Gender));
    assert!(has("SEX: Female", Category::Gender));
    assert!(has("Gender: male", Category::Gender));
    assert!(has("住所: 東京都千代田区丸の内1-1-1", Category::Address));
    assert!(has("生年月日: 平成元年5月5日", Category::BirthDate));
    assert!(has("生年月日: H1.5.5", Category::BirthDate));
    assert!(has("生年月日: 1989-05-05", Category::BirthDate));
    assert!(!has("品名: ボルト M8", Category::Gender));
}
