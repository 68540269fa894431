//! Login and logout (ログイン/ログアウト).
//!
//! `GET /login` starts an anonymous session whose CSRF token goes into the form; `POST /login`
//! checks that token, the per-name lockout and the Argon2 hash, then replaces the session by a
//! logged-in one (303 to the incidents). `POST /logout` needs the session's CSRF token too.
//! Wrong credentials get the same message whether the name exists or not.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html as HtmlResponse, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::html::Html;
use crate::i18n::Lang;
use crate::layout::{Nav, page};
use crate::pages::internal_error;
use crate::session::{Viewer, clear_session_cookie, session_cookie, session_id, tokens_equal};
use crate::state::AppState;

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

/// The logout form's field.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `GET /login`.
pub async fn form(State(state): State<AppState>, lang: Lang, headers: HeaderMap) -> Response {
    // Reuse a live session: a logged-in user goes to the incidents, an anonymous one keeps its
    // token (two open tabs both work).
    if let Some(id) = session_id(&headers) {
        match state.sessions().get(id) {
            Ok(Some((Some(_), _))) => return Redirect::to("/incidents").into_response(),
            Ok(Some((None, csrf))) => return render(lang, &csrf, None, StatusCode::OK, None),
            Ok(None) => {}
            Err(e) => return internal_error(&e),
        }
    }
    match state.sessions().start_anonymous() {
        Ok((id, csrf)) => render(
            lang,
            &csrf,
            None,
            StatusCode::OK,
            Some(session_cookie(&id, state.allow_remote())),
        ),
        Err(e) => internal_error(&e),
    }
}

/// `POST /login`.
pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let Some(id) = session_id(&headers) else {
        return csrf_rejected(lang);
    };
    let csrf = match state.sessions().get(id) {
        Ok(Some((_, csrf))) => csrf,
        Ok(None) => return csrf_rejected(lang),
        Err(e) => return internal_error(&e),
    };
    if !tokens_equal(&form.csrf, &csrf) {
        return csrf_rejected(lang);
    }
    let user = form.username.trim().to_string();
    let failed = lang.t(
        "ユーザー名またはパスワードが違います。",
        "Wrong user name or password.",
    );
    match state.sessions().locked_out(&user) {
        Ok(true) => {
            tracing::warn!(user = %user, "login refused: too many failures");
            let msg = lang.t(
                "失敗が続いたため、しばらくログインできません。",
                "Too many failed attempts; try again later.",
            );
            return render(lang, &csrf, Some(msg), StatusCode::TOO_MANY_REQUESTS, None);
        }
        Ok(false) => {}
        Err(e) => return internal_error(&e),
    }
    let ok = match state.verify_login(user.clone(), form.password).await {
        Ok(ok) => ok,
        Err(e) => return internal_error(&e),
    };
    if let Err(e) = state.sessions().record_attempt(&user, ok) {
        return internal_error(&e);
    }
    if !ok {
        tracing::warn!(user = %user, "dashboard login failed");
        return render(lang, &csrf, Some(failed), StatusCode::UNAUTHORIZED, None);
    }
    match state.sessions().login(id, &user) {
        Ok(new_id) => {
            tracing::info!(user = %user, "dashboard login");
            let mut res = Redirect::to("/incidents").into_response();
            set_cookie(&mut res, &session_cookie(&new_id, state.allow_remote()));
            res
        }
        Err(e) => internal_error(&e),
    }
}

/// `POST /logout` (behind the login gate).
pub async fn logout(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !tokens_equal(&form.csrf, &viewer.csrf) {
        return csrf_rejected(lang);
    }
    if let Some(id) = session_id(&headers)
        && let Err(e) = state.sessions().remove(id)
    {
        return internal_error(&e);
    }
    let mut res = Redirect::to("/login").into_response();
    set_cookie(&mut res, &clear_session_cookie(state.allow_remote()));
    res
}

/// 403 for a missing or wrong CSRF token.
pub fn csrf_rejected(lang: Lang) -> Response {
    tracing::warn!("request with a missing or wrong CSRF token rejected");
    let mut body = Html::new();
    body.raw("<h1 id=\"csrf-error\">")
        .raw(lang.t("フォームの有効期限が切れました", "The form has expired"))
        .raw("</h1><p><a href=\"/login\">")
        .raw(lang.t("もう一度ログインしてください", "Please log in again"))
        .raw("</a></p>");
    let title = lang.t("エラー", "Error");
    (
        StatusCode::FORBIDDEN,
        HtmlResponse(page(lang, title, Nav::None, None, &body)),
    )
        .into_response()
}

fn render(
    lang: Lang,
    csrf: &str,
    error: Option<&str>,
    status: StatusCode,
    cookie: Option<String>,
) -> Response {
    let mut body = Html::new();
    body.raw("<section class=\"login\"><h1>")
        .raw(lang.t("ログイン", "Log in"))
        .raw("</h1>");
    if let Some(error) = error {
        body.raw("<p class=\"error\" id=\"login-error\">")
            .text(error)
            .raw("</p>");
    }
    body.raw("<form id=\"login-form\" method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"csrf\" value=\"")
        .text(csrf)
        .raw("\"><label>")
        .raw(lang.t("ユーザー名", "User name"))
        .raw(" <input type=\"text\" name=\"username\" autocomplete=\"username\" required autofocus></label><label>")
        .raw(lang.t("パスワード", "Password"))
        .raw(" <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label><button type=\"submit\" id=\"login-submit\">")
        .raw(lang.t("ログイン", "Log in"))
        .raw("</button></form></section>");
    let mut res = (
        status,
        HtmlResponse(page(
            lang,
            lang.t("ログイン", "Log in"),
            Nav::None,
            None,
            &body,
        )),
    )
        .into_response();
    if let Some(cookie) = cookie {
        set_cookie(&mut res, &cookie);
    }
    res
}

fn set_cookie(res: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}
