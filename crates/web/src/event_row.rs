//! One event as a table row: the same columns on the incident chain and the user timeline.
//!
//! Every field shown here comes from a log and may be attacker-chosen (user agents, subjects,
//! display names, file names), so each goes through [`Html::text`]. Third parties' addresses
//! (mail recipients) are masked; the account's own name is shown.

use chrono_tz::Tz;
use model::{Event, EventKind};

use crate::html::Html;
use crate::i18n::Lang;
use crate::layout::{mask_address, time_elem};

/// The header row matching [`event_row`].
pub fn header_row(h: &mut Html, lang: Lang) {
    h.raw("<tr><th>")
        .raw(lang.t("日時", "Time"))
        .raw("</th><th>")
        .raw(lang.t("種類", "Kind"))
        .raw("</th><th>")
        .raw(lang.t("内容", "What"))
        .raw("</th><th>IP</th><th>")
        .raw(lang.t("場所", "Location"))
        .raw("</th><th>")
        .raw(lang.t("出典", "Source"))
        .raw("</th></tr>");
}

/// The localized name of an event kind.
pub fn kind_label(lang: Lang, kind: &EventKind) -> &'static str {
    match kind {
        EventKind::SignIn(_) => lang.t("サインイン", "Sign-in"),
        EventKind::DirectoryAudit(_) => lang.t("ディレクトリ監査", "Directory audit"),
        EventKind::Audit(_) => lang.t("監査ログ", "Audit"),
        EventKind::MessageTrace(_) => lang.t("メッセージ追跡", "Message trace"),
        EventKind::Mail(_) => lang.t("メール", "Mail"),
    }
}

/// Appends one `<tr>` for `event`; `class` marks rows (e.g. `flagged` for finding evidence).
pub fn event_row(h: &mut Html, lang: Lang, tz: Tz, event: &Event, class: &'static str) {
    h.raw("<tr class=\"event ").raw(class).raw("\"><td>");
    time_elem(h, event.time, tz);
    h.raw("</td><td>")
        .raw(kind_label(lang, &event.kind))
        .raw("</td><td class=\"what\">");
    what(h, lang, &event.kind);
    h.raw("</td><td class=\"ip\">");
    if let Some(ip) = event.kind.ip() {
        h.text(&ip.to_string());
    }
    h.raw("</td><td>");
    if let EventKind::SignIn(s) = &event.kind {
        let place: Vec<&str> = [&s.location.city, &s.location.country]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        h.text(&place.join(", "));
    }
    h.raw("</td><td class=\"src\">")
        .text(&event.provenance.file)
        .raw(":")
        .int(event.provenance.record)
        .raw("</td></tr>");
}

/// The "what happened" cell.
fn what(h: &mut Html, lang: Lang, kind: &EventKind) {
    match kind {
        EventKind::SignIn(s) => {
            if s.succeeded() {
                h.raw("<span class=\"ok\">")
                    .raw(lang.t("成功", "success"))
                    .raw("</span> ");
            } else {
                h.raw("<span class=\"fail\">")
                    .raw(lang.t("失敗", "failure"));
                if let Some(code) = s.error_code {
                    h.raw(" ").int(code);
                }
                h.raw("</span> ");
            }
            field(h, s.app_display_name.as_deref());
            field(h, s.client_app_used.as_deref());
            field(h, s.failure_reason.as_deref());
            if let Some(ua) = &s.user_agent {
                h.raw("<br><span class=\"ua\">UA: ").text(ua).raw("</span>");
            }
        }
        EventKind::DirectoryAudit(a) => {
            h.text(&a.activity_display_name).raw(" ");
            field(h, a.result.as_deref());
            field(h, a.initiated_by_app.as_deref());
            for t in &a.target_resources {
                field(h, t.display_name.as_deref());
            }
        }
        EventKind::Audit(a) => {
            h.raw("<span class=\"op\">")
                .text(&a.operation)
                .raw("</span> ");
            field(h, a.workload.as_deref());
            field(h, a.result_status.as_deref());
            if let Some(client) = &a.client_info_string {
                h.raw("<br><span class=\"ua\">").text(client).raw("</span>");
            }
        }
        EventKind::MessageTrace(m) => {
            h.raw("→ ")
                .text(&mask_address(&m.recipient_address))
                .raw(" ");
            field(h, m.status.as_deref());
            if let Some(subject) = &m.subject {
                h.raw("<br><span class=\"subject\">")
                    .raw(lang.t("件名: ", "Subject: "))
                    .text(subject)
                    .raw("</span>");
            }
        }
        EventKind::Mail(m) => {
            field(h, m.folder.as_deref());
            if let Some(name) = &m.from_name {
                h.raw("<span class=\"display-name\">")
                    .text(name)
                    .raw("</span> ");
            }
            h.raw(lang.t("宛先 ", "to "))
                .int(i128::try_from(m.to.len() + m.cc.len()).unwrap_or(0))
                .raw(lang.t("件", " recipient(s)"));
            if let Some(subject) = &m.subject {
                h.raw("<br><span class=\"subject\">")
                    .raw(lang.t("件名: ", "Subject: "))
                    .text(subject)
                    .raw("</span>");
            }
        }
    }
}

fn field(h: &mut Html, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        h.raw("<span class=\"field\">").text(v).raw("</span> ");
    }
}
