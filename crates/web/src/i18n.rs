//! Japanese first, English on request: the page language and the language switch.
//!
//! The language comes from a `?lang=ja|en` query parameter (which also sets the `mimamori_lang`
//! cookie, see the `security` module), else that cookie, else Japanese. Switching is a plain GET
//! link: it changes only a display preference, so it needs no CSRF token.

use axum::http::request::Parts;
use axum::http::{HeaderMap, header};

/// The cookie remembering the chosen language.
pub const LANG_COOKIE: &str = "mimamori_lang";

/// A page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 日本語 (the default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Parses `ja` / `en`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The BCP 47 code for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// Picks the string for this language.
    pub fn t(self, ja: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// Picks between two owned strings (detection reasons, summaries).
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja if !ja.is_empty() => ja,
            Lang::En if !en.is_empty() => en,
            _ if ja.is_empty() => en,
            _ => ja,
        }
    }

    /// The language a request asks for: query parameter, then cookie, then Japanese.
    pub fn from_parts(parts: &Parts) -> Self {
        query_lang(parts.uri.query())
            .or_else(|| cookie_value(&parts.headers, LANG_COOKIE).and_then(Lang::parse))
            .unwrap_or_default()
    }
}

/// The `lang` query parameter, if valid.
pub fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "lang")
        .and_then(|(_, v)| Lang::parse(v))
}

/// The value of one cookie in the request's `Cookie` headers.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_parts(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, Request};

    #[test]
    fn query_beats_cookie_and_japanese_is_default() {
        let (parts, _) = Request::builder()
            .uri("/x?a=1&lang=en")
            .header(header::COOKIE, "mimamori_lang=ja")
            .body(())
            .expect("request")
            .into_parts();
        assert_eq!(Lang::from_parts(&parts), Lang::En);
        let (mut parts, _) = Request::builder()
            .uri("/x")
            .body(())
            .expect("request")
            .into_parts();
        assert_eq!(Lang::from_parts(&parts), Lang::Ja);
        parts.headers.insert(
            header::COOKIE,
            HeaderValue::from_static("other=1; mimamori_lang=en"),
        );
        assert_eq!(Lang::from_parts(&parts), Lang::En);
    }

    #[test]
    fn pick_falls_back_when_one_language_is_missing() {
        assert_eq!(Lang::En.pick("日本語", ""), "日本語");
        assert_eq!(Lang::Ja.pick("", "English"), "English");
        assert_eq!(Lang::Ja.pick("日本語", "English"), "日本語");
    }
}
