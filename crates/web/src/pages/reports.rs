//! Report downloads (レポート): the case folder's reports, by a fixed allow-list of names.
//!
//! Only `report.html`, `report.md`, `ppc-report.md`, `ppc-report.en.md`, `timeline.csv`,
//! `scope.json` and `*.jsonl` names made of `A-Z a-z 0-9 _ -` are served, and only as regular
//! files directly in the case folder (no sub-folders, no symbolic links). The name is checked against the
//! allow-list before any file-system access, so `../` or encoded variants never reach the disk.
//! Files are sent as attachments: a report that quotes attacker text is never rendered in the
//! dashboard's origin.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::html::Html;
use crate::i18n::Lang;
use crate::layout::Nav;
use crate::pages::{not_found, ok_page};
use crate::session::Viewer;
use crate::state::AppState;

/// The fixed names offered for download.
pub const FIXED_NAMES: [&str; 6] = [
    "report.html",
    "report.md",
    "ppc-report.md",
    "ppc-report.en.md",
    "timeline.csv",
    "scope.json",
];

/// Largest file served (bytes).
const MAX_DOWNLOAD: u64 = 512 * 1024 * 1024;

/// True for a name the allow-list permits.
pub fn allowed(name: &str) -> bool {
    if FIXED_NAMES.contains(&name) {
        return true;
    }
    name.strip_suffix(".jsonl").is_some_and(|stem| {
        !stem.is_empty()
            && stem.len() <= 64
            && stem
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    })
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("md") => "text/markdown; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("jsonl") => "application/jsonl",
        _ => "application/octet-stream",
    }
}

/// The allowed files present in the case folder, with their sizes.
fn available(dir: &std::path::Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if !allowed(&name) {
            continue;
        }
        if let Ok(meta) = std::fs::symlink_metadata(entry.path())
            && meta.is_file()
        {
            out.push((name, meta.len()));
        }
    }
    out.sort();
    out
}

/// `GET /reports`.
pub async fn list(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Response {
    let mut h = Html::new();
    h.raw("<h1>")
        .raw(lang.t("レポート", "Reports"))
        .raw("</h1>");
    let Some(dir) = state.case_dir().map(std::path::Path::to_path_buf) else {
        h.raw("<p id=\"no-case\">")
            .raw(lang.t(
                "ケースフォルダが指定されていません(--case DIR)。",
                "No case folder was given (--case DIR).",
            ))
            .raw("</p>");
        return ok_page(
            lang,
            lang.t("レポート", "Reports"),
            Nav::Reports,
            &viewer,
            &h,
        );
    };
    let files = tokio::task::spawn_blocking(move || available(&dir))
        .await
        .unwrap_or_default();
    if files.is_empty() {
        h.raw("<p>")
            .raw(lang.t(
                "ダウンロードできるファイルはありません。",
                "No files to download.",
            ))
            .raw("</p>");
    } else {
        h.raw("<ul id=\"downloads\">");
        for (name, size) in &files {
            h.raw("<li><a class=\"download\" href=\"/reports/")
                .url(name)
                .raw("\">")
                .text(name)
                .raw("</a> (")
                .int(*size)
                .raw(" bytes)</li>");
        }
        h.raw("</ul>");
    }
    ok_page(
        lang,
        lang.t("レポート", "Reports"),
        Nav::Reports,
        &viewer,
        &h,
    )
}

/// `GET /reports/{name}`.
pub async fn download(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(name): Path<String>,
) -> Response {
    if !allowed(&name) {
        tracing::warn!(name = %name, user = %viewer.user, "download outside the allow-list refused");
        return not_found(lang, &viewer);
    }
    let Some(dir) = state.case_dir().map(std::path::Path::to_path_buf) else {
        return not_found(lang, &viewer);
    };
    let file = name.clone();
    let read = tokio::task::spawn_blocking(move || -> std::io::Result<Option<Vec<u8>>> {
        let path = dir.join(&file);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() && meta.len() <= MAX_DOWNLOAD => {
                std::fs::read(&path).map(Some)
            }
            Ok(_) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    })
    .await;
    match read {
        Ok(Ok(Some(bytes))) => {
            tracing::info!(name = %name, user = %viewer.user, "report downloaded");
            let mut res = (StatusCode::OK, bytes).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(content_type(&name)),
            );
            // `name` passed the allow-list, so it is plain ASCII without quotes.
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Ok(Ok(None)) => not_found(lang, &viewer),
        Ok(Err(e)) => crate::pages::internal_error(&crate::error::Error::Task(e.to_string())),
        Err(e) => crate::pages::internal_error(&crate::error::Error::Task(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_list() {
        for ok in [
            "report.html",
            "ppc-report.md",
            "ppc-report.en.md",
            "findings.jsonl",
            "timeline_v2-a.jsonl",
        ] {
            assert!(allowed(ok), "{ok}");
        }
        for bad in [
            "../report.html",
            "report.html/",
            "..%2Freport.md",
            ".jsonl",
            "a/b.jsonl",
            "a.b.jsonl",
            "mimamori.db",
            "mimamori-users.json",
            "REPORT.HTML",
            "..",
            "",
        ] {
            assert!(!allowed(bad), "{bad}");
        }
    }
}
