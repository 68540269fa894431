//! Person de-duplication as records stream in: two records that share no key are two persons
//! until a third record shares a key with each, which proves they are one person — the merge
//! must carry categories and files over and recount the files' persons.

use chrono::NaiveDate;
use pii::category::Category;
use pii::{ScopeBuilder, ScopeOptions};

fn builder() -> ScopeBuilder {
    ScopeBuilder::new(ScopeOptions {
        reference_date: NaiveDate::from_ymd_opt(2025, 6, 1),
        ..Default::default()
    })
}

const BIRTH: &str = "氏名：山田 太郎\n生年月日：1980年5月12日\n";
const PHONE: &str = "氏名：山田　太郎 様\n携帯電話：090-1234-5678\n";
const BOTH: &str = "氏名：山田 太郎\n生年月日：昭和55年5月12日\n携帯電話：09012345678\n";
const OTHER: &str = "氏名：佐藤 花子\n生年月日：1985年1月2日\n";

#[test]
fn records_without_a_shared_key_stay_apart() {
    let mut b = builder();
    b.add_file("a.txt", Some("text/plain"), BIRTH.as_bytes());
    b.add_file("b.txt", Some("text/plain"), PHONE.as_bytes());
    let s = b.finish();
    assert_eq!(s.persons.count, 2);
    assert_eq!(s.persons.records_before_dedup, 2);
}

#[test]
fn a_bridging_record_merges_two_persons_into_one() {
    let mut b = builder();
    for (name, text) in [
        ("a.txt", BIRTH),
        ("b.txt", PHONE),
        ("o.txt", OTHER),
        ("c.txt", BOTH),
    ] {
        b.add_file(name, Some("text/plain"), text.as_bytes());
    }
    let s = b.finish();
    assert_eq!(s.persons.count, 2, "{:#?}", s.person_list);
    assert_eq!(s.persons.records_before_dedup, 4);
    assert_eq!(s.persons.by_category.get(&Category::Phone), Some(&1));
    assert_eq!(s.persons.by_category.get(&Category::BirthDate), Some(&2));
    let yamada = s
        .person_list
        .iter()
        .find(|p| p.categories.contains(&Category::Phone))
        .expect("merged person");
    assert_eq!(yamada.files, vec!["a.txt", "b.txt", "c.txt"]);
    let files = s.files.to_vec().expect("files");
    assert!(files.iter().all(|f| f.persons == 1), "{files:#?}");
}
