//! The scope page (影響範囲): what `scope.json` in the case folder says, with personal data
//! masked.
//!
//! `scope.json` is written by the `pii` crate's scoping step: how many persons' data the exposed
//! mail holds, per category, whether a PPC report is mandatory and why, which files hold it.
//! The page shows that shape field by field — counts, flags, reasons, files as number and
//! extension only, the person list as a count only (even when `revealed`) — and falls back to
//! the masked generic view of [`super::scope_mask`] for a document of another shape. No
//! personal-data value reaches the page; the detail stays in the case folder.

use axum::extract::State;
use axum::response::Response;
use serde_json::Value;

use crate::html::Html;
use crate::i18n::Lang;
use crate::layout::Nav;
use crate::pages::ok_page;
use crate::session::Viewer;
use crate::state::AppState;

use super::scope_mask::{count_note, extension_only, render_value};

/// Entries of each long list of scope.json read for the page (the rest is only counted).
const LISTED: usize = 500;

/// `GET /scope`.
pub async fn show(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Response {
    let mut h = Html::new();
    h.raw("<h1>").raw(lang.t("影響範囲", "Scope")).raw("</h1>");
    match read_scope(state.case_dir()).await {
        ScopeFile::NoCaseDir => {
            h.raw("<p id=\"scope-missing\">")
                .raw(lang.t(
                    "ケースフォルダが指定されていません(--case DIR)。",
                    "No case folder was given (--case DIR).",
                ))
                .raw("</p>");
        }
        ScopeFile::Missing => {
            h.raw("<p id=\"scope-missing\">")
                .raw(lang.t(
                    "ケースフォルダに scope.json がありません。",
                    "The case folder has no scope.json.",
                ))
                .raw("</p>");
        }
        ScopeFile::Unreadable(reason) => {
            tracing::warn!(reason = %reason, "scope.json unreadable");
            h.raw("<p class=\"error\">")
                .raw(lang.t("scope.json を読めません: ", "Cannot read scope.json: "))
                .text(&reason)
                .raw("</p>");
        }
        ScopeFile::Json(value) => {
            h.raw("<p class=\"note\">")
                .raw(lang.t(
                    "個人情報の値は表示せず、件数のみ示します。詳細はレポートを参照してください。",
                    "Personal data values are not shown, only counts; see the reports for detail.",
                ))
                .raw("</p><div id=\"scope\">");
            if value.get("persons").is_some_and(Value::is_object) {
                known_shape(&mut h, lang, state.time_zone(), &value);
            } else {
                render_value(&mut h, lang, "", &value, 0);
            }
            h.raw("</div>");
        }
    }
    ok_page(lang, lang.t("影響範囲", "Scope"), Nav::Scope, &viewer, &h)
}

enum ScopeFile {
    NoCaseDir,
    Missing,
    Unreadable(String),
    Json(Value),
}

async fn read_scope(case_dir: Option<&std::path::Path>) -> ScopeFile {
    let Some(dir) = case_dir else {
        return ScopeFile::NoCaseDir;
    };
    let path = dir.join("scope.json");
    let read = tokio::task::spawn_blocking(move || -> Result<Option<Value>, String> {
        // Streamed, the long lists cut to what the page shows: any size of scope.json reads
        // in bounded memory.
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        model::capped_json::read_capped(
            std::io::BufReader::with_capacity(1 << 16, file),
            &model::capped_json::SCOPE_LONG_LISTS,
            LISTED,
        )
        .map(Some)
    })
    .await;
    match read {
        Ok(Ok(Some(v))) => ScopeFile::Json(v),
        Ok(Ok(None)) => ScopeFile::Missing,
        Ok(Err(reason)) => ScopeFile::Unreadable(reason),
        Err(e) => ScopeFile::Unreadable(e.to_string()),
    }
}

/// The `pii` crate's scope.json (schema 1): the figures the PPC report needs, field by field.
fn known_shape(h: &mut Html, lang: Lang, tz: chrono_tz::Tz, v: &Value) {
    let num = |path: &[&str]| -> Option<u64> {
        path.iter()
            .try_fold(v, |at, k| at.get(k))
            .and_then(Value::as_u64)
    };
    let flag = |key: &str| v.get(key).and_then(Value::as_bool);
    h.raw("<dl class=\"facts\" id=\"scope-summary\">");
    if let Some(required) = flag("ppc_report_required") {
        h.raw("<dt>")
            .raw(lang.t("個人情報保護委員会への報告", "Report to the PPC"))
            .raw("</dt><dd id=\"scope-ppc\" class=\"")
            .raw(if required { "fail" } else { "ok" })
            .raw("\">")
            .raw(match (required, lang) {
                (true, Lang::Ja) => "必要(速報は概ね3〜5日以内)",
                (true, Lang::En) => "required (preliminary report within about 3–5 days)",
                (false, Lang::Ja) => "報告義務の要件には該当しません",
                (false, Lang::En) => "not mandatory by the criteria checked",
            })
            .raw("</dd>");
    }
    let rows: [(&[&str], &'static str, &'static str); 8] = [
        (&["persons", "count"], "本人の数", "Persons"),
        (
            &["persons", "records_before_dedup"],
            "重複除去前の記録数",
            "Records before de-duplication",
        ),
        (
            &["messages", "total"],
            "調査したメッセージ",
            "Messages inspected",
        ),
        (
            &["messages", "with_attachments"],
            "添付ファイル付き",
            "With attachments",
        ),
        (
            &["messages", "attachments"],
            "添付ファイル数",
            "Attachments",
        ),
        (
            &["addresses", "unique"],
            "メールアドレス(異なり数)",
            "Distinct mail addresses",
        ),
        (&["addresses", "external"], "うち社外", "of which external"),
        (
            &["addresses", "external_domain_count"],
            "社外ドメイン数",
            "External domains",
        ),
    ];
    for (path, ja, en) in rows {
        if let Some(n) = num(path) {
            h.raw("<dt>").raw(lang.t(ja, en)).raw("</dt><dd");
            if path == ["persons", "count"] {
                h.raw(" id=\"scope-persons\"");
            }
            h.raw(">").int(n).raw("</dd>");
        }
    }
    let flags: [(&str, &'static str, &'static str); 4] = [
        ("my_number_found", "マイナンバー", "My Number"),
        ("bank_account_found", "口座番号", "Bank account numbers"),
        ("card_found", "クレジットカード番号", "Card numbers"),
        (
            "special_care_found",
            "要配慮個人情報",
            "Special-care personal information",
        ),
    ];
    for (key, ja, en) in flags {
        if let Some(found) = flag(key) {
            h.raw("<dt>")
                .raw(lang.t(ja, en))
                .raw("</dt><dd>")
                .raw(match (found, lang) {
                    (true, Lang::Ja) => "あり",
                    (true, Lang::En) => "found",
                    (false, Lang::Ja) => "なし",
                    (false, Lang::En) => "not found",
                })
                .raw("</dd>");
        }
    }
    if let Some(t) = v
        .get("generated_at")
        .and_then(Value::as_str)
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
    {
        h.raw("<dt>")
            .raw(lang.t("算出日時", "Computed at"))
            .raw("</dt><dd>");
        crate::layout::time_elem(h, t.with_timezone(&chrono::Utc), tz);
        h.raw("</dd>");
    }
    h.raw("</dl>");

    reasons(
        h,
        lang,
        v.get("ppc_reasons"),
        lang.t("報告が必要な理由", "Why a report is required"),
    );
    reasons(h, lang, v.get("ppc_notes"), lang.t("注記", "Notes"));

    if let Some(by_category) = v.pointer("/persons/by_category").and_then(Value::as_object) {
        h.raw("<h2>")
            .raw(lang.t("種類別の本人数", "Persons per category"))
            .raw("</h2><table id=\"scope-categories\" class=\"list\">");
        for (category, n) in by_category {
            h.raw("<tr><th>").text(category).raw("</th><td>");
            render_value(h, lang, "count", n, 1);
            h.raw("</td></tr>");
        }
        h.raw("</table>");
    }
    if let Some(files) = v.get("files").and_then(Value::as_array) {
        h.raw("<h2>")
            .raw(lang.t("個人情報を含むファイル", "Files holding personal data"))
            .raw("</h2><p>")
            .int(total(v, "files", files.len()))
            .raw(lang.t(
                "件(ファイル名は番号と拡張子のみ表示)",
                " file(s) (names shown as number and extension only)",
            ))
            .raw("</p><table id=\"scope-files\" class=\"list\"><tr><th>#</th><th>")
            .raw(lang.t("種類", "Type"))
            .raw("</th><th>")
            .raw(lang.t("本人数", "Persons"))
            .raw("</th><th>")
            .raw(lang.t("項目", "Categories"))
            .raw("</th></tr>");
        for (i, f) in files.iter().take(LISTED).enumerate() {
            h.raw("<tr><td>")
                .int(i128::try_from(i + 1).unwrap_or(0))
                .raw("</td><td>")
                .text(&extension_only(
                    f.get("path").and_then(Value::as_str).unwrap_or(""),
                ))
                .raw("</td><td>")
                .int(f.get("persons").and_then(Value::as_u64).unwrap_or(0))
                .raw("</td><td>");
            if let Some(categories) = f.get("categories") {
                render_value(h, lang, "categories", categories, 1);
            }
            h.raw("</td></tr>");
        }
        h.raw("</table>");
    }
    if let Some(list) = v.get("not_inspected").and_then(Value::as_array) {
        h.raw("<h2>")
            .raw(lang.t("調査できなかったファイル", "Files not inspected"))
            .raw("</h2><div id=\"scope-not-inspected\">");
        render_value(h, lang, "not_inspected", &Value::Array(list.clone()), 1);
        let n = total(v, "not_inspected", list.len());
        if n > list.len() as i128 {
            h.raw("<p class=\"note\">")
                .int(n)
                .raw(lang.t(
                    "件のうち先頭のみ表示(全件は scope.json)",
                    " in all; the first ones are shown (scope.json lists every one)",
                ))
                .raw("</p>");
        }
        h.raw("</div>");
    }
    if let Some(persons) = v.get("person_list").and_then(Value::as_array) {
        h.raw("<p class=\"note\">")
            .raw(lang.t("本人一覧: ", "Person list: "));
        count_note(
            h,
            lang,
            usize::try_from(total(v, "person_list", persons.len())).unwrap_or(usize::MAX),
        );
        h.raw("</p>");
    }
    if let Some(searched) = v.get("searched") {
        h.raw("<h2>")
            .raw(lang.t("調査した範囲", "What was searched"))
            .raw("</h2>");
        if let Some(obj) = searched.as_object() {
            let mut counts = serde_json::Map::new();
            for (k, val) in obj {
                if val.is_number() {
                    counts.insert(k.clone(), val.clone());
                }
            }
            render_value(h, lang, "searched", &Value::Object(counts), 1);
        }
        reasons(
            h,
            lang,
            searched.get("not_found"),
            lang.t(
                "見つからなかった項目の調べ方",
                "How absent categories were searched",
            ),
        );
    }
}

/// A list of `{id, ja, en}` reasons in the page language.
fn reasons(h: &mut Html, lang: Lang, list: Option<&Value>, title: &'static str) {
    let Some(items) = list.and_then(Value::as_array).filter(|l| !l.is_empty()) else {
        return;
    };
    h.raw("<h3>").raw(title).raw("</h3><ul class=\"reasons\">");
    for item in items {
        let ja = item.get("ja").and_then(Value::as_str).unwrap_or("");
        let en = item.get("en").and_then(Value::as_str).unwrap_or("");
        let id = item.get("id").and_then(Value::as_str).unwrap_or("");
        let text = lang.pick(ja, en);
        h.raw("<li>")
            .text(if text.is_empty() { id } else { text })
            .raw("</li>");
    }
    h.raw("</ul>");
}

/// The length of list `key` of scope.json: its `{key}_total` (the file's own, or counted when
/// the list was cut on reading), else the entries read.
fn total(v: &Value, key: &str, read: usize) -> i128 {
    v.get(format!("{key}_total"))
        .and_then(Value::as_u64)
        .map_or(i128::try_from(read).unwrap_or(0), i128::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pii_scope_shape_shows_counts_and_reasons_only() {
        let scope = serde_json::json!({
            "schema_version": 1,
            "tenant_id": "default",
            "generated_at": "2025-06-20T01:00:00Z",
            "persons": {"count": 64, "by_category": {"name": 64, "my_number": 12}, "records_before_dedup": 80},
            "messages": {"total": 5000, "with_attachments": 900, "attachments": 1200},
            "addresses": {"unique": 300, "external": 120, "external_domain_count": 40},
            "my_number_found": true,
            "ppc_report_required": true,
            "ppc_reasons": [{"id": "my_number", "ja": "マイナンバーを含む <b>", "en": "Contains My Number"}],
            "files": [{"path": "abc@x/社員名簿_山田.xlsx", "persons": 64, "categories": ["name", "my_number"]}],
            "person_list": [{"id": "p1", "name": "山田太郎", "values": {"my_number": "123456789018"}, "files": ["社員名簿_山田.xlsx"]}],
            "revealed": true,
            "searched": {"messages": 5000, "attachments": 1200, "categories": ["name"], "not_found": []}
        });
        let mut h = Html::new();
        known_shape(&mut h, Lang::Ja, chrono_tz::Asia::Tokyo, &scope);
        let out = h.into_string();
        assert!(out.contains("<dd id=\"scope-persons\">64</dd>"), "{out}");
        assert!(
            out.contains("id=\"scope-ppc\" class=\"fail\">必要"),
            "{out}"
        );
        assert!(out.contains("マイナンバーを含む &lt;b&gt;"), "{out}");
        assert!(out.contains("2025-06-20 10:00:00 +09:00"));
        assert!(out.contains("(…).xlsx"));
        for secret in ["山田", "123456789018", "社員名簿"] {
            assert!(!out.contains(secret), "{secret} leaked: {out}");
        }
        assert!(out.contains("1件(非表示)"), "person list counted: {out}");
    }

    #[test]
    fn a_large_scope_shows_its_totals_and_the_first_entries() {
        let files: Vec<Value> = (0..1500)
            .map(|i| serde_json::json!({"path": format!("m{i}/f.xlsx"), "persons": 1, "categories": ["name"]}))
            .collect();
        let ni: Vec<Value> = (0..800)
            .map(|i| serde_json::json!({"path": format!("m{i}/x.zip"), "reason": "encrypted_zip"}))
            .collect();
        let text = serde_json::json!({
            "schema_version": 1, "persons": {"count": 5}, "files": files, "not_inspected": ni
        })
        .to_string();
        let v = model::capped_json::read_capped(
            text.as_bytes(),
            &model::capped_json::SCOPE_LONG_LISTS,
            LISTED,
        )
        .expect("reads");
        let mut h = Html::new();
        known_shape(&mut h, Lang::En, chrono_tz::Asia::Tokyo, &v);
        let out = h.into_string();
        assert!(out.contains("<p>1500 file(s)"), "{out}");
        let table = out
            .split("id=\"scope-files\"")
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .expect("files table");
        assert_eq!(table.matches("<tr><td>").count(), super::LISTED);
        assert!(
            out.contains("800 in all; the first ones are shown"),
            "{out}"
        );
    }
}
