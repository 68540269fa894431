//! One file per page. Each handler loads what it needs through [`crate::state::AppState::query`]
//! (on the blocking pool), then renders with [`crate::html::Html`] inside the
//! [`crate::layout::page`] shell. Failures are logged and shown as a plain 500 page without
//! details.

pub mod incident;
pub mod incidents;
pub mod login;
pub mod map;
pub mod reports;
pub mod scope;
mod scope_mask;
pub mod timeline;

use axum::http::StatusCode;
use axum::response::{Html as HtmlResponse, IntoResponse, Response};

use crate::html::Html;
use crate::i18n::Lang;
use crate::layout::{Nav, page};
use crate::session::Viewer;

/// Logs `err` and answers 500 without its detail.
pub fn internal_error(err: &crate::error::Error) -> Response {
    tracing::error!(error = %err, "dashboard request failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        HtmlResponse("<!DOCTYPE html><title>500</title><p>Internal error / 内部エラー</p>"),
    )
        .into_response()
}

/// A 404 page in the shell.
pub fn not_found(lang: Lang, viewer: &Viewer) -> Response {
    let mut body = Html::new();
    body.raw("<h1>")
        .raw(lang.t("見つかりません", "Not found"))
        .raw("</h1>");
    let title = lang.t("見つかりません", "Not found");
    (
        StatusCode::NOT_FOUND,
        HtmlResponse(page(lang, title, Nav::None, Some(viewer), &body)),
    )
        .into_response()
}

/// A 200 page in the shell.
pub fn ok_page(lang: Lang, title: &str, nav: Nav, viewer: &Viewer, body: &Html) -> Response {
    HtmlResponse(page(lang, title, nav, Some(viewer), body)).into_response()
}
