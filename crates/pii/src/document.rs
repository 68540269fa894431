//! Single-document scanning for callers that want to see what one file holds (the CLI's
//! per-file view, the evaluation harness): extraction + recognition + grouping, returning the
//! findings of person records, masked unless `reveal`.

use crate::category::Category;
use crate::extract::{ExtractLimits, NotInspected, extract};
use crate::mask::mask;
use crate::recognize::{Confidence, RecognizeOptions};
use crate::scan::scan_blocks;
use chrono::NaiveDate;
use serde::Serialize;

/// Options for [`scan_document`].
#[derive(Debug, Clone)]
pub struct DocumentOptions {
    /// Date ages are computed against.
    pub reference_date: NaiveDate,
    /// Return raw values instead of masked ones.
    pub reveal: bool,
    /// Extraction limits.
    pub limits: ExtractLimits,
}

/// One finding inside a person record.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Path of the (possibly nested) document.
    pub path: String,
    /// Kind.
    pub category: Category,
    /// Value, masked unless revealed.
    pub value: String,
    /// Found by table mode (column header) rather than in running text.
    pub from_table: bool,
    /// Index of the person record within the document.
    pub record: usize,
}

/// What one file holds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DocumentReport {
    /// Findings of person records (business contacts excluded).
    pub findings: Vec<Finding>,
    /// Person records (before any cross-file de-duplication).
    pub records: usize,
    /// Business-contact records.
    pub business_records: usize,
    /// Parts that could not be inspected.
    pub not_inspected: Vec<NotInspected>,
}

/// Extracts and scans one file.
pub fn scan_document(
    file_name: &str,
    content_type: Option<&str>,
    bytes: &[u8],
    opts: &DocumentOptions,
) -> DocumentReport {
    let ex = extract(file_name, content_type, bytes, &opts.limits);
    let ro = RecognizeOptions {
        reference_date: opts.reference_date,
    };
    let mut rep = DocumentReport {
        not_inspected: ex.not_inspected,
        ..Default::default()
    };
    for doc in ex.docs {
        let scan = scan_blocks(&doc.blocks, &ro);
        for (rec, from_table) in scan.records {
            if !rec.is_person(from_table) {
                continue;
            }
            if rec.business {
                rep.business_records += 1;
                continue;
            }
            let idx = rep.records;
            rep.records += 1;
            for h in rec
                .hits
                .iter()
                .filter(|h| h.category.is_personal() && h.confidence == Confidence::High)
            {
                rep.findings.push(Finding {
                    path: doc.path.clone(),
                    category: h.category,
                    value: if opts.reveal {
                        h.value.clone()
                    } else {
                        mask(h.category, &h.value)
                    },
                    from_table,
                    record: idx,
                });
            }
        }
    }
    rep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evalgen::writers::{self, DocPart};

    fn opts() -> DocumentOptions {
        DocumentOptions {
            reference_date: NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
            reveal: false,
            limits: ExtractLimits::default(),
        }
    }

    #[test]
    fn key_value_form_in_docx_is_one_person() {
        let rows: Vec<Vec<String>> = [
            ["氏名", "山田 太郎"],
            ["生年月日", "昭和55年5月12日"],
            ["住所", "東京都港区芝公園1-2-3"],
            ["個人番号", "123456789018"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let d = writers::docx("f.docx", &[DocPart::Table(rows)]).expect("docx");
        let r = scan_document("f.docx", None, &d, &opts());
        assert_eq!(r.records, 1);
        let cats: Vec<Category> = r.findings.iter().map(|f| f.category).collect();
        assert_eq!(
            cats,
            vec![
                Category::Name,
                Category::BirthDate,
                Category::Address,
                Category::MyNumber
            ]
        );
        // Masked by default.
        assert_eq!(r.findings[0].value, "山田 **");
        assert_eq!(r.findings[3].value, "****-****-****");
    }

    #[test]
    fn pptx_slides_are_read() {
        let slide = r#"<?xml version="1.0"?><p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>氏名：佐藤 花子</a:t></a:r></a:p><a:p><a:r><a:t>携帯：080-1111-2222</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#;
        let z = writers::zip(
            "s.pptx",
            &[
                ("ppt/presentation.xml", b"<p:presentation/>".to_vec()),
                ("ppt/slides/slide1.xml", slide.as_bytes().to_vec()),
            ],
            zip::CompressionMethod::Deflated,
        )
        .expect("zip");
        let r = scan_document("s.pptx", None, &z, &opts());
        assert_eq!(r.records, 1);
        assert_eq!(r.findings.len(), 2);
        assert_eq!(r.findings[1].value, "080-****-2222");
    }

    #[test]
    fn signature_contacts_are_not_persons() {
        let body = "お世話になっております。\n\n--\n株式会社サンプル 営業部\n氏名: 鈴木 一郎\nTEL: 03-1234-5678（代表）\nsuzuki@sample.example.jp\n";
        let r = scan_document("b.txt", None, body.as_bytes(), &opts());
        assert_eq!(r.records, 0, "{r:?}");
        assert_eq!(r.business_records, 1);
    }
}
