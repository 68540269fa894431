//! The page shell (head, navigation, language switch, logout form) and small view helpers
//! shared by the pages: times in the tenant zone, severity badges, masked addresses.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use model::Severity;

use crate::html::Html;
use crate::i18n::Lang;
use crate::session::Viewer;

/// Which navigation entry is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Incidents list and pages.
    Incidents,
    /// Sign-in map.
    Map,
    /// Scope page.
    Scope,
    /// Report downloads.
    Reports,
    /// Not in the navigation (login, user pages).
    None,
}

/// Wraps a page body in the shell. `viewer` is `None` on the login page.
pub fn page(lang: Lang, title: &str, nav: Nav, viewer: Option<&Viewer>, body: &Html) -> String {
    let mut h = Html::new();
    h.raw("<!DOCTYPE html>\n<html lang=\"")
        .raw(lang.code())
        .raw("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        .text(title)
        .raw(" — mimamori</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><header class=\"top\"><span class=\"brand\">mimamori <span lang=\"ja\">見守り</span></span>");
    if let Some(viewer) = viewer {
        h.raw("<nav>");
        let entries: [(Nav, &'static str, &'static str); 4] = [
            (
                Nav::Incidents,
                "/incidents",
                lang.t("インシデント", "Incidents"),
            ),
            (Nav::Map, "/map", lang.t("サインインマップ", "Sign-in map")),
            (Nav::Scope, "/scope", lang.t("影響範囲", "Scope")),
            (Nav::Reports, "/reports", lang.t("レポート", "Reports")),
        ];
        for (entry, href, label) in entries {
            h.raw("<a href=\"").raw(href).raw("\"");
            if entry == nav {
                h.raw(" class=\"current\" aria-current=\"page\"");
            }
            h.raw(">").raw(label).raw("</a>");
        }
        h.raw("</nav>");
        h.raw("<form id=\"logout-form\" method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"")
            .text(&viewer.csrf)
            .raw("\"><span class=\"who\">")
            .text(&viewer.user)
            .raw("</span> <button type=\"submit\">")
            .raw(lang.t("ログアウト", "Log out"))
            .raw("</button></form>");
    }
    h.raw("<span class=\"lang\"><a id=\"lang-ja\" href=\"?lang=ja\" lang=\"ja\">日本語</a> | <a id=\"lang-en\" href=\"?lang=en\" lang=\"en\">English</a></span></header><main>");
    h.push(body);
    h.raw("</main><footer>")
        .raw(lang.t(
            "個人情報は件数のみ表示しています。",
            "Personal data is shown as counts only.",
        ))
        .raw("</footer></body></html>\n");
    h.into_string()
}

/// `2025-06-12 09:03:04 +09:00` in the tenant's zone.
pub fn show_time(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

/// A `<time>` element with the UTC instant as `datetime` and the local time as text.
pub fn time_elem(h: &mut Html, t: DateTime<Utc>, tz: Tz) {
    h.raw("<time datetime=\"")
        .text(&t.to_rfc3339())
        .raw("\">")
        .text(&show_time(t, tz))
        .raw("</time>");
}

/// A severity badge.
pub fn severity_badge(h: &mut Html, lang: Lang, s: Severity) {
    let (class, label) = match s {
        Severity::Info => ("sev sev-info", lang.t("情報", "info")),
        Severity::Low => ("sev sev-low", lang.t("低", "low")),
        Severity::Medium => ("sev sev-medium", lang.t("中", "medium")),
        Severity::High => ("sev sev-high", lang.t("高", "high")),
        Severity::Critical => ("sev sev-critical", lang.t("重大", "critical")),
    };
    h.raw("<span class=\"")
        .raw(class)
        .raw("\">")
        .raw(label)
        .raw("</span>");
}

/// Masks a third party's mail address to its first character and domain (`t***@example.com`):
/// recipients of a user's mail are other people's personal data.
pub fn mask_address(addr: &str) -> String {
    match addr.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

/// A link to a user's timeline.
pub fn user_link(h: &mut Html, user: &str) {
    h.raw("<a class=\"user-link\" href=\"/users/")
        .url(user)
        .raw("\">")
        .text(user)
        .raw("</a>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_show_the_tokyo_offset() {
        let t = Utc
            .with_ymd_and_hms(2025, 6, 12, 0, 3, 4)
            .single()
            .expect("valid");
        assert_eq!(
            show_time(t, chrono_tz::Asia::Tokyo),
            "2025-06-12 09:03:04 +09:00"
        );
    }

    #[test]
    fn addresses_are_masked() {
        assert_eq!(mask_address("tanaka@example.co.jp"), "t***@example.co.jp");
        assert_eq!(mask_address("nobody"), "***");
    }
}
