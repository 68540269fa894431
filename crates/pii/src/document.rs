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
