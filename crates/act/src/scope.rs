//! A lenient view of `scope.json`, the leak scope written by the pii crate.
//!
//! The pii crate owns the file's shape; the reports only need a few numbers and flags from it,
//! so this view reads what it knows and ignores the rest (the whole document stays in
//! [`ScopeView::raw`]). Where two shapes are plausible both are accepted: `messages` as a number
//! or an object with `total`; counts by category as an object or an array of
//! `{category, count}`; `not_inspected` as a number or an array of strings or
//! `{path, reason}` objects; `ppc_reasons` as strings or `{id, ja, en}` objects.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Address counts of the mail in scope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressCounts {
    /// Distinct addresses.
    pub unique: Option<u64>,
    /// Of which in the tenant's own domains.
    pub internal: Option<u64>,
    /// Of which outside.
    pub external: Option<u64>,
    /// Number of distinct external domains.
    pub external_domains: Option<u64>,
}

/// One inspected file that holds personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeFile {
    /// Path (inside an archive: `archive.zip!/inner/path`).
    pub path: String,
    /// Persons found in it.
    pub persons: u64,
    /// Category ids found in it (`name`, `my_number`, …).
    pub categories: Vec<String>,
}

/// One file that could not be inspected, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotInspected {
    /// Path, when given.
    pub path: String,
    /// Reason code, when given (`encrypted_zip`, `unsupported_format` …).
    pub reason: String,
    /// The reason in Japanese (pii's `message_ja`; else the code).
    pub message_ja: String,
    /// The reason in English (pii's `message_en`; else the code).
    pub message_en: String,
}

/// One reason the pii crate gives for reporting to the PPC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PpcReason {
    /// Stable id, when given.
    pub id: String,
    /// Japanese text (or the plain string).
    pub ja: String,
    /// English text (or the plain string).
    pub en: String,
}

/// What the reports need from `scope.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScopeView {
    /// Messages inspected.
    pub messages: Option<u64>,
    /// Address counts.
    pub addresses: AddressCounts,
    /// Distinct persons whose data was found (after grouping).
    pub persons: Option<u64>,
    /// Persons per category id.
    pub persons_by_category: BTreeMap<String, u64>,
    /// My Number found (`None`: the file does not say).
    pub my_number_found: Option<bool>,
    /// Bank account numbers found.
    pub bank_account_found: Option<bool>,
    /// Credit card numbers found.
    pub card_found: Option<bool>,
    /// 要配慮個人情報 found.
    pub special_care_found: Option<bool>,
    /// Files that could not be inspected.
    pub not_inspected: Vec<NotInspected>,
    /// How many could not be inspected (≥ `not_inspected.len()`; a bare number gives only this).
    pub not_inspected_count: u64,
    /// Files holding personal data (all, or the first ones of a summary).
    pub files: Vec<ScopeFile>,
    /// How many files hold personal data (≥ `files.len()`; `files_total` when the list was cut).
    #[serde(default)]
    pub files_count: u64,
    /// Category ids the recognizers searched for (`searched.categories`).
    pub searched_categories: Vec<String>,
    /// For key categories not found: how they were searched (`searched.not_found`).
    pub searched_not_found: Vec<PpcReason>,
    /// Documents inspected (`searched.documents_inspected`).
    pub documents_inspected: Option<u64>,
    /// 12-digit numbers with a valid My Number check digit but no context (not counted as found).
    pub my_number_low_confidence: u64,
    /// Persons per 要配慮 sub-kind (`persons.special_care_by_kind`).
    pub special_care_by_kind: BTreeMap<String, u64>,
    /// The scan was limited to what the attacker could have seen (`exposure.limited`).
    pub exposure_limited: Option<bool>,
    /// Messages known exposed (`exposure.exposed_message_ids`).
    pub exposed_messages: Option<u64>,
    /// Folders known exposed.
    pub exposed_folders: Vec<String>,
    /// The pii crate's own verdict on PPC reporting.
    pub ppc_report_required: Option<bool>,
    /// Its reasons.
    pub ppc_reasons: Vec<PpcReason>,
    /// Its further notes (`ppc_notes`).
    pub ppc_notes: Vec<PpcReason>,
    /// The whole document as read.
    pub raw: Value,
}

fn as_u64(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f.max(0.0) as u64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Object(o) => as_u64(o.get("total").or_else(|| o.get("count"))),
        Value::Array(a) => Some(a.len() as u64),
        _ => None,
    }
}

fn as_str(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn category_counts(v: Option<&Value>) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    match v {
        Some(Value::Object(o)) => {
            for (k, v) in o {
                out.insert(k.clone(), as_u64(Some(v)).unwrap_or(0));
            }
        }
        Some(Value::Array(a)) => {
            for item in a {
                match item {
                    Value::String(s) => {
                        out.insert(s.clone(), 0);
                    }
                    Value::Object(o) => {
                        let name = as_str(o.get("category").or_else(|| o.get("id")));
                        if !name.is_empty() {
                            let n =
                                as_u64(o.get("count").or_else(|| o.get("persons"))).unwrap_or(0);
                            out.insert(name, n);
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    out
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| match x {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => Some(as_str(o.get("category").or_else(|| o.get("id"))))
                    .filter(|s| !s.is_empty()),
                _ => None,
            })
            .collect(),
        Some(Value::Object(o)) => o.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

fn reasons(v: Option<&Value>) -> Vec<PpcReason> {
    let Some(Value::Array(a)) = v else {
        return Vec::new();
    };
    a.iter()
        .filter_map(|r| match r {
            Value::String(s) => Some(PpcReason {
                id: String::new(),
                ja: s.clone(),
                en: s.clone(),
            }),
            Value::Object(o) => {
                let ja = as_str(o.get("ja").or_else(|| o.get("reason_ja")));
                let en = as_str(o.get("en").or_else(|| o.get("reason_en")));
                Some(PpcReason {
                    ja: if ja.is_empty() {
                        en.clone()
                    } else {
                        ja.clone()
                    },
                    en: if en.is_empty() { ja } else { en },
                    id: as_str(o.get("id")),
                })
            }
            _ => None,
        })
        .collect()
}

fn domain_count(a: &Value) -> Option<u64> {
    as_u64(a.get("external_domain_count")).or_else(|| match a.get("external_domains") {
        Some(Value::Object(o)) => Some(o.len() as u64),
        other => as_u64(other),
    })
}

impl ScopeView {
    /// Reads the view from a parsed `scope.json`. Never fails: what is missing stays `None`.
    pub fn from_value(raw: Value) -> Self {
        let get = |k: &str| raw.get(k);
        let addresses = get("addresses")
            .map(|a| AddressCounts {
                unique: as_u64(a.get("unique")),
                internal: as_u64(a.get("internal")),
                external: as_u64(a.get("external")),
                external_domains: domain_count(a),
            })
            .unwrap_or_default();
        let persons_obj = get("persons");
        let persons = match persons_obj {
            Some(Value::Object(o)) => as_u64(o.get("count").or_else(|| o.get("total"))),
            other => as_u64(other),
        };
        let persons_by_category = category_counts(persons_obj.and_then(|p| p.get("by_category")));
        let (not_inspected, not_inspected_count) = match get("not_inspected") {
            Some(Value::Array(a)) => {
                let list: Vec<NotInspected> = a
                    .iter()
                    .map(|x| match x {
                        Value::Object(o) => {
                            let reason = as_str(o.get("reason"));
                            let ja = as_str(o.get("message_ja"));
                            let en = as_str(o.get("message_en"));
                            NotInspected {
                                path: as_str(o.get("path").or_else(|| o.get("file"))),
                                message_ja: if ja.is_empty() { reason.clone() } else { ja },
                                message_en: if en.is_empty() { reason.clone() } else { en },
                                reason,
                            }
                        }
                        other => NotInspected {
                            path: as_str(Some(other)),
                            ..Default::default()
                        },
                    })
                    .collect();
                let n = list.len() as u64;
                (list, n)
            }
            other => (Vec::new(), as_u64(other).unwrap_or(0)),
        };
        let files = match get("files") {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|f| {
                    let o = f.as_object()?;
                    Some(ScopeFile {
                        path: as_str(o.get("path").or_else(|| o.get("file"))),
                        persons: as_u64(o.get("persons")).unwrap_or(0),
                        categories: string_list(o.get("categories")),
                    })
                })
                .collect(),
            _ => Vec::new(),
        };
        let searched = get("searched");
        let documents_not_inspected = searched
            .and_then(|x| as_u64(x.get("documents_not_inspected")))
            .unwrap_or(0);
        let exposure = get("exposure");
        let flag = |k: &str| get(k).and_then(Value::as_bool);
        ScopeView {
            messages: as_u64(get("messages")),
            addresses,
            persons,
            persons_by_category,
            my_number_found: flag("my_number_found"),
            bank_account_found: flag("bank_account_found"),
            card_found: flag("card_found"),
            special_care_found: flag("special_care_found"),
            not_inspected,
            not_inspected_count: not_inspected_count
                .max(documents_not_inspected)
                .max(as_u64(get("not_inspected_total")).unwrap_or(0)),
            files_count: (files.len() as u64).max(as_u64(get("files_total")).unwrap_or(0)),
            files,
            searched_categories: string_list(searched.and_then(|x| x.get("categories"))),
            searched_not_found: reasons(searched.and_then(|x| x.get("not_found"))),
            documents_inspected: searched.and_then(|x| as_u64(x.get("documents_inspected"))),
            my_number_low_confidence: as_u64(get("my_number_low_confidence")).unwrap_or(0),
            special_care_by_kind: category_counts(
                persons_obj.and_then(|p| p.get("special_care_by_kind")),
            ),
            exposure_limited: exposure
                .and_then(|x| x.get("limited"))
                .and_then(Value::as_bool),
            exposed_messages: exposure.and_then(|x| as_u64(x.get("exposed_message_ids"))),
            exposed_folders: string_list(exposure.and_then(|x| x.get("exposed_folders"))),
            ppc_report_required: flag("ppc_report_required"),
            ppc_reasons: reasons(get("ppc_reasons")),
            ppc_notes: reasons(get("ppc_notes")),
            raw,
        }
    }

    /// Category ids found, from the per-category counts and the files, in report order.
    pub fn categories(&self) -> Vec<String> {
        let mut out: Vec<String> = self.persons_by_category.keys().cloned().collect();
        for f in &self.files {
            for c in &f.categories {
                if !out.contains(c) {
                    out.push(c.clone());
                }
            }
        }
        crate::labels::sort_categories(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_documented_shape() {
        let v = ScopeView::from_value(json!({
            "messages": {"total": 1200, "with_attachments": 80},
            "addresses": {"unique": 310, "internal": 40, "external": 270, "external_domains": 95},
            "persons": {"count": 64, "by_category": {"name": 64, "address": 60, "my_number": 0}},
            "my_number_found": false, "bank_account_found": true, "card_found": false,
            "special_care_found": false,
            "not_inspected": [{"path": "a.zip!/x.pdf", "reason": "encrypted"}, "b.7z"],
            "files": [{"path": "扶養.xlsx", "persons": 64, "categories": ["name", "address"]}],
            "ppc_report_required": true,
            "ppc_reasons": ["不正アクセス", {"id": "financial", "ja": "口座番号", "en": "bank account"}],
            "future_field": 1
        }));
        assert_eq!(v.messages, Some(1200));
        assert_eq!(v.addresses.external_domains, Some(95));
        assert_eq!(v.persons, Some(64));
        assert_eq!(v.persons_by_category.get("address"), Some(&60));
        assert_eq!(v.bank_account_found, Some(true));
        assert_eq!(v.not_inspected_count, 2);
        assert_eq!(v.not_inspected[1].path, "b.7z");
        assert_eq!(v.files[0].categories, vec!["name", "address"]);
        assert_eq!(v.ppc_reasons[1].en, "bank account");
        assert_eq!(v.ppc_reasons[0].en, "不正アクセス");
        assert_eq!(v.categories(), vec!["name", "address", "my_number"]);
    }

    #[test]
    fn reads_the_pii_crate_shape() {
        let v = ScopeView::from_value(json!({
            "schema_version": 1, "tenant_id": "t",
            "exposure": {"limited": true, "exposed_message_ids": 300, "exposed_folders": ["受信トレイ"], "skipped_messages": 10},
            "messages": {"total": 310, "by_year": {"2024": 310}, "with_attachments": 20, "attachments": 25},
            "addresses": {"unique": 50, "internal": 10, "external": 40, "external_domain_count": 7,
                          "external_domains": {"a.example": 3}, "found_only_in_bodies": 0},
            "persons": {"count": 64, "by_category": {"name": 64}, "special_care_by_kind": {"health": 2},
                        "records_before_dedup": 70},
            "my_number_found": false, "my_number_low_confidence": 2,
            "not_inspected": [{"path": "a.zip!/b.xlsx", "reason": "encrypted_zip", "detail": "",
                               "message_ja": "パスワード付きZIP", "message_en": "password zip"}],
            "files": [{"path": "<m1>/x.xlsx", "message_id": "m1", "persons": 64, "categories": ["name"]}],
            "searched": {"messages": 310, "documents_inspected": 25, "documents_not_inspected": 3,
                         "categories": ["name", "my_number"],
                         "not_found": [{"id": "my_number", "ja": "12桁を検査", "en": "checked 12 digits"}]},
            "ppc_report_required": true,
            "ppc_reasons": [{"id": "unauthorized_access", "ja": "不正アクセス", "en": "unauthorized access"}],
            "ppc_notes": [{"id": "n", "ja": "注", "en": "note"}],
            "person_list": [], "revealed": false
        }));
        assert_eq!(v.messages, Some(310));
        assert_eq!(v.addresses.external_domains, Some(7));
        assert_eq!(v.special_care_by_kind.get("health"), Some(&2));
        assert_eq!(v.not_inspected[0].message_en, "password zip");
        assert_eq!(
            v.not_inspected_count, 3,
            "searched.documents_not_inspected wins when larger"
        );
        assert_eq!(v.searched_categories, vec!["name", "my_number"]);
        assert_eq!(v.searched_not_found[0].en, "checked 12 digits");
        assert_eq!(v.my_number_low_confidence, 2);
        assert_eq!(v.exposure_limited, Some(true));
        assert_eq!(v.exposed_messages, Some(300));
        assert_eq!(v.ppc_notes[0].ja, "注");
        assert_eq!(v.files_count, 1, "without files_total: the list's length");
    }

    #[test]
    fn a_summary_with_cut_lists_keeps_the_totals() {
        let v = ScopeView::from_value(json!({
            "files": [{"path": "a.xlsx", "persons": 3, "categories": ["name"]}],
            "files_total": 91433,
            "not_inspected": [{"path": "b.zip", "reason": "encrypted_zip"}],
            "not_inspected_total": 52245
        }));
        assert_eq!((v.files.len(), v.files_count), (1, 91433));
        assert_eq!(v.not_inspected_count, 52245);
    }

    #[test]
    fn accepts_alternative_shapes_and_missing_fields() {
        let v = ScopeView::from_value(json!({
            "messages": 5,
            "persons": {"count": 2, "by_category": [{"category": "phone", "count": 2}]},
            "not_inspected": 3
        }));
        assert_eq!(v.messages, Some(5));
        assert_eq!(v.persons_by_category.get("phone"), Some(&2));
        assert_eq!(v.not_inspected_count, 3);
        assert_eq!(v.my_number_found, None);
        assert_eq!(v.addresses, AddressCounts::default());
    }
}
