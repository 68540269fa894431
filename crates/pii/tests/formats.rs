//! Spreadsheet formats read through calamine that the evaluation set does not cover: legacy
//! Excel (.xls, BIFF8 in a compound file) and OpenDocument (.ods). Both files are generated
//! here (see `support/xls.rs` and `pii::evalgen::formats::ods`) with synthetic employees, and
//! must yield one person per row with the right categories — including typed cells: numeric
//! phone numbers that lost their leading 0, numeric My Numbers, ODS date cells.

mod support;

use chrono::NaiveDate;
use pii::category::Category;
use pii::evalgen::formats::{SheetCell, ods};
use pii::evalgen::people::{Person, persons};
use pii::{Attachment, DocumentOptions, MessageInput, ScopeBuilder, ScopeOptions, scan_document};
use std::collections::{BTreeMap, BTreeSet};

fn opts() -> DocumentOptions {
    DocumentOptions {
        reference_date: NaiveDate::from_ymd_opt(2025, 6, 1).expect("date"),
        reveal: true,
        limits: Default::default(),
    }
}

const HEADER: [&str; 9] = [
    "氏名",
    "フリガナ",
    "生年月日",
    "性別",
    "郵便番号",
    "住所",
    "携帯電話",
    "メールアドレス",
    "個人番号",
];

/// The expected categories of every row.
const CATEGORIES: [Category; 9] = [
    Category::Name,
    Category::NameKana,
    Category::BirthDate,
    Category::Gender,
    Category::PostalCode,
    Category::Address,
    Category::Phone,
    Category::Email,
    Category::MyNumber,
];

/// A roster sheet with a title row, the header, one row per person, and a decoy order sheet.
/// `typed`: phone and My Number as numeric cells, birth date as a date cell.
fn roster(ps: &[Person], typed: bool) -> Vec<(&'static str, Vec<Vec<SheetCell>>)> {
    let mut rows: Vec<Vec<SheetCell>> = vec![
        vec!["従業員名簿（人事部）".into()],
        HEADER.iter().map(|h| SheetCell::from(*h)).collect(),
    ];
    for p in ps {
        let phone = if typed {
            SheetCell::Number(p.phone.parse::<f64>().expect("phone digits"))
        } else {
            format!("{}-{}-{}", &p.phone[..3], &p.phone[3..7], &p.phone[7..]).into()
        };
        let my_number = if typed {
            SheetCell::Number(p.my_number.parse::<f64>().expect("my number digits"))
        } else {
            p.my_number.clone().into()
        };
        let birth = if typed {
            SheetCell::Date(p.birth)
        } else {
            p.birth.format("%Y/%m/%d").to_string().into()
        };
        rows.push(vec![
            p.name.clone().into(),
            p.kana.clone().into(),
            birth,
            p.gender.into(),
            format!("{}-{}", &p.postal[..3], &p.postal[3..]).into(),
            p.address.clone().into(),
            phone,
            p.email.clone().into(),
            my_number,
        ]);
    }
    // Decoys: order numbers passing the My Number check digit, phone-like part numbers.
    let orders = vec![
        vec!["注文番号".into(), "型番".into(), "数量".into()],
        vec![
            "123456789018".into(),
            "090-1234-5678".into(),
            SheetCell::Number(3.0),
        ],
        vec![
            "987654321097".into(),
            "080-2222-3333".into(),
            SheetCell::Number(12.0),
        ],
    ];
    vec![("名簿", rows), ("受注", orders)]
}

/// Findings of one scanned file grouped by record: record → {category → value}.
fn by_record(r: &pii::DocumentReport) -> BTreeMap<usize, BTreeMap<Category, String>> {
    let mut m: BTreeMap<usize, BTreeMap<Category, String>> = BTreeMap::new();
    for f in &r.findings {
        m.entry(f.record)
            .or_default()
            .insert(f.category, f.value.clone());
    }
    m
}

fn check_roster(name: &str, bytes: &[u8], ps: &[Person]) {
    let r = scan_document(name, None, bytes, &opts());
    assert!(r.not_inspected.is_empty(), "{name}: {:?}", r.not_inspected);
    assert_eq!(r.records, ps.len(), "{name}: one person per row: {r:#?}");
    let recs = by_record(&r);
    let expected: BTreeSet<Category> = CATEGORIES.into_iter().collect();
    for (i, (rec, p)) in recs.values().zip(ps).enumerate() {
        let got: BTreeSet<Category> = rec.keys().copied().collect();
        assert_eq!(got, expected, "{name} row {i}: categories");
        assert_eq!(rec[&Category::Name], p.name, "{name} row {i}");
        assert_eq!(rec[&Category::Phone], p.phone, "{name} row {i}: phone");
        assert_eq!(rec[&Category::MyNumber], p.my_number, "{name} row {i}");
        assert_eq!(
            rec[&Category::BirthDate],
            p.birth.to_string(),
            "{name} row {i}"
        );
        assert_eq!(rec[&Category::PostalCode], p.postal, "{name} row {i}");
    }
    // The decoy order sheet yields no My Number and no phone of its own.
    let my_numbers = r
        .findings
        .iter()
        .filter(|f| f.category == Category::MyNumber)
        .count();
    assert_eq!(
        my_numbers,
        ps.len(),
        "{name}: only the employees' My Numbers"
    );
}

#[test]
fn xls_biff8_roster_yields_one_person_per_row() {
    let ps = persons(501, 12);
    for typed in [false, true] {
        let x = support::xls::xls(&roster(&ps, typed));
        assert!(x.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]), "a compound file");
        check_roster("社員名簿.xls", &x, &ps);
        // Renamed: the magic bytes decide, not the name.
        check_roster("roster.dat", &x, &ps);
    }
}

#[test]
fn xls_with_many_strings_uses_continue_records() {
    // > 8,224 bytes of shared strings forces SST Continue records.
    let ps = persons(502, 120);
    let sheets = roster(&ps, false);
    let types = support::xls::record_types(&support::xls::workbook_stream(&sheets));
    assert!(
        types.contains(&0x003C),
        "the SST must spill into Continue records"
    );
    let x = support::xls::xls(&sheets);
    check_roster("大量.xls", &x, &ps);
}

#[test]
fn ods_roster_yields_one_person_per_row() {
    let ps = persons(503, 15);
    // Covers a numeric My Number cell that lost its leading 0 (repaired by the check digit).
    assert!(ps.iter().any(|p| p.my_number.starts_with('0')));
    for typed in [false, true] {
        let o = ods("社員名簿.ods", &roster(&ps, typed)).expect("ods");
        assert!(
            o[30..].starts_with(b"mimetype"),
            "mimetype is the first member"
        );
        check_roster("社員名簿.ods", &o, &ps);
    }
}

#[test]
fn xls_and_ods_of_the_same_people_are_one_set_of_persons() {
    let ps = persons(504, 10);
    let x = support::xls::xls(&roster(&ps, true));
    let o = ods("b.ods", &roster(&ps, false)).expect("ods");
    let mut b = ScopeBuilder::new(ScopeOptions {
        reference_date: NaiveDate::from_ymd_opt(2025, 6, 1),
        ..Default::default()
    });
    b.add_message(&MessageInput {
        message_id: Some("<formats@example.co.jp>"),
        folder: Some("Inbox"),
        date: None,
        from: Some("jinji@example.co.jp"),
        to: &["soumu@example.co.jp".to_string()],
        cc: &[],
        body_text: Some("名簿を添付します。"),
        body_html: None,
        attachments: vec![
            Attachment {
                file_name: "a.xls",
                content_type: Some("application/vnd.ms-excel"),
                bytes: &x,
            },
            Attachment {
                file_name: "b.ods",
                content_type: Some("application/vnd.oasis.opendocument.spreadsheet"),
                bytes: &o,
            },
        ],
    });
    let s = b.finish();
    assert_eq!(s.persons.count, ps.len() as u64, "{:#?}", s.persons);
    assert!(s.my_number_found);
    assert!(!s.bank_account_found && !s.card_found);
    for c in CATEGORIES {
        assert_eq!(
            s.persons.by_category.get(&c).copied(),
            Some(ps.len() as u64),
            "{c:?}"
        );
    }
}
