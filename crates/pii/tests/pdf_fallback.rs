//! The CJK PDF path: a PDF whose Japanese text is set in a Type0 font with Identity-H encoding
//! and a ToUnicode CMap (how Japanese office software writes PDFs), generated here by
//! `pii::evalgen::formats::cjk_pdf`. The in-process extractor (pdf-extract) does not recover
//! the Japanese from it; Debian's `pdftotext` (poppler-utils) does, and `pii` must use it as
//! the fallback. This test needs `pdftotext` on PATH (CI installs poppler-utils); without it
//! the test fails with a message saying so, it does not pass silently.

use chrono::NaiveDate;
use pii::category::Category;
use pii::evalgen::formats::{CidMapping, cjk_pdf};
use pii::extract::Block;
use std::collections::BTreeSet;

fn require_pdftotext() {
    let found = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("pdftotext").is_file()));
    assert!(
        found,
        "pdftotext is not on PATH: install poppler-utils (apt-get install -y poppler-utils); \
         the CJK PDF fallback cannot be tested without it"
    );
}

fn form() -> Vec<String> {
    [
        "健康診断結果のお知らせ（本人控）",
        "氏名：高橋 美咲",
        "フリガナ：タカハシ ミサキ",
        "生年月日：昭和58年4月21日",
        "住所：〒530-0001 大阪府大阪市北区梅田3丁目5-12",
        "携帯電話：090-3141-5926",
        "既往歴：高血圧",
    ]
    .map(String::from)
    .to_vec()
}

fn text_of(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| match b {
            Block::Text(t) => t.clone(),
            Block::Table(t) => t
                .rows
                .iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join("\t"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn pdf_extract_text(pdf: &[u8]) -> String {
    match std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem(pdf)) {
        Ok(Ok(t)) => t,
        Ok(Err(_)) | Err(_) => String::new(),
    }
}

#[test]
fn japanese_pdf_without_tounicode_is_read_through_pdftotext() {
    require_pdftotext();
    let pdf = cjk_pdf(&form(), 40, CidMapping::CidIsUnicode);

    // The in-process extractor alone does not give the Japanese back.
    let direct_text = pdf_extract_text(&pdf);
    assert!(
        !direct_text.contains("高橋"),
        "pdf-extract recovered the text itself; this file no longer exercises the fallback: {direct_text:?}"
    );

    // Through `pii::extract` the text comes back (pdftotext).
    let ex = pii::extract(
        "健診結果.pdf",
        Some("application/pdf"),
        &pdf,
        &Default::default(),
    );
    assert!(ex.not_inspected.is_empty(), "{:?}", ex.not_inspected);
    let text = text_of(&ex.docs[0].blocks);
    for want in [
        "高橋 美咲",
        "大阪府大阪市北区梅田",
        "090-3141-5926",
        "既往歴",
    ] {
        assert!(text.contains(want), "missing {want:?} in {text:?}");
    }

    // And the person with its categories is found.
    let r = pii::scan_document(
        "健診結果.pdf",
        None,
        &pdf,
        &pii::DocumentOptions {
            reference_date: NaiveDate::from_ymd_opt(2025, 6, 1).expect("date"),
            reveal: true,
            limits: Default::default(),
        },
    );
    assert_eq!(r.records, 1, "{r:#?}");
    let cats: BTreeSet<Category> = r.findings.iter().map(|f| f.category).collect();
    for c in [
        Category::Name,
        Category::NameKana,
        Category::BirthDate,
        Category::PostalCode,
        Category::Address,
        Category::Phone,
        Category::SpecialCare,
    ] {
        assert!(cats.contains(&c), "{c:?} missing: {:#?}", r.findings);
    }
    let birth = r
        .findings
        .iter()
        .find(|f| f.category == Category::BirthDate)
        .map(|f| f.value.as_str());
    assert_eq!(birth, Some("1983-04-21"));
}
