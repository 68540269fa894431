//! The incidents list (インシデント一覧): severity, user, first and last evidence in the tenant's
//! zone with its offset, attacker IPs and countries; each row links to its incident page.

use axum::extract::State;
use axum::response::Response;
use model::Incident;

use crate::html::Html;
use crate::i18n::Lang;
use crate::layout::{Nav, severity_badge, time_elem, user_link};
use crate::pages::{internal_error, ok_page};
use crate::session::Viewer;
use crate::state::AppState;

/// `GET /incidents`.
pub async fn list(State(state): State<AppState>, lang: Lang, viewer: Viewer) -> Response {
    let tenant = state.tenant().map(str::to_string);
    let loaded = state
        .query(move |store| {
            let incidents = store.incidents(tenant.as_deref())?;
            let stats = store.stats(tenant.as_deref())?;
            Ok((incidents, stats))
        })
        .await;
    let (incidents, stats) = match loaded {
        Ok(v) => v,
        Err(e) => return internal_error(&e),
    };
    let tz = state.time_zone();
    let mut h = Html::new();
    h.raw("<h1>")
        .raw(lang.t("インシデント一覧", "Incidents"))
        .raw("</h1>");
    h.raw("<p class=\"stats\">")
        .raw(lang.t("保存イベント ", "Stored events: "))
        .int(stats.events)
        .raw(lang.t("件(サインイン ", " (sign-ins "))
        .int(stats.sign_ins)
        .raw(lang.t("、監査 ", ", audit "))
        .int(stats.audit_records + stats.directory_audits)
        .raw(lang.t("、メッセージ追跡 ", ", message trace "))
        .int(stats.message_trace)
        .raw(lang.t("、メール ", ", mail "))
        .int(stats.mail)
        .raw(lang.t("). 表示時刻: ", "). Times shown in "))
        .text(tz.name())
        .raw("</p>");
    if incidents.is_empty() {
        h.raw("<p id=\"no-incidents\">")
            .raw(lang.t("インシデントはありません。", "No incidents."))
            .raw("</p>");
    } else {
        h.raw("<table id=\"incidents\" class=\"list\"><thead><tr><th>")
            .raw(lang.t("重大度", "Severity"))
            .raw("</th><th>")
            .raw(lang.t("概要", "Summary"))
            .raw("</th><th>")
            .raw(lang.t("ユーザー", "User"))
            .raw("</th><th>")
            .raw(lang.t("最初の証拠", "First seen"))
            .raw("</th><th>")
            .raw(lang.t("最後の証拠", "Last seen"))
            .raw("</th><th>")
            .raw(lang.t("攻撃者IP", "Attacker IPs"))
            .raw("</th><th>")
            .raw(lang.t("国", "Countries"))
            .raw("</th></tr></thead><tbody>");
        // With several tenants in view, each row names its tenant.
        let many_tenants = incidents
            .first()
            .is_some_and(|first| incidents.iter().any(|i| i.tenant != first.tenant));
        for incident in &incidents {
            row(&mut h, lang, tz, incident, many_tenants);
        }
        h.raw("</tbody></table>");
    }
    ok_page(
        lang,
        lang.t("インシデント一覧", "Incidents"),
        Nav::Incidents,
        &viewer,
        &h,
    )
}

fn row(h: &mut Html, lang: Lang, tz: chrono_tz::Tz, incident: &Incident, show_tenant: bool) {
    h.raw("<tr class=\"incident\"><td>");
    severity_badge(h, lang, incident.severity);
    h.raw("</td><td><a class=\"incident-row\" href=\"/incidents/")
        .url(&incident.id)
        .raw("\">")
        .text(summary_line(lang, incident))
        .raw("</a>");
    if show_tenant {
        h.raw(" <span class=\"tenant\">[")
            .text(&incident.tenant)
            .raw("]</span>");
    }
    h.raw("</td><td>");
    if let Some(user) = &incident.user {
        user_link(h, user);
    }
    h.raw("</td><td>");
    time_elem(h, incident.first_seen, tz);
    h.raw("</td><td>");
    time_elem(h, incident.last_seen, tz);
    h.raw("</td><td class=\"ip\">")
        .text(&incident.attacker_ips.join(", "))
        .raw("</td><td>")
        .text(&incident.countries.join(", "))
        .raw("</td></tr>");
}

/// The first sentence of the summary in `lang` (the detect crate starts it with the verdict),
/// or the first detection when there is no summary.
pub fn summary_line(lang: Lang, incident: &Incident) -> &str {
    let s = lang.pick(&incident.summary_ja, &incident.summary_en);
    let line = first_sentence(s.lines().next().unwrap_or("").trim());
    if line.is_empty() {
        incident.detections.first().map_or("—", String::as_str)
    } else {
        line
    }
}

/// Up to and including the first `。` or `. `; at most 200 characters (cut at a char boundary).
fn first_sentence(s: &str) -> &str {
    let end = [
        s.find('。').map(|i| i + '。'.len_utf8()),
        s.find(". ").map(|i| i + 1),
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(s.len());
    let end = s.char_indices().nth(200).map_or(end, |(i, _)| i.min(end));
    s.get(..end).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_of_summaries() {
        assert_eq!(
            first_sentence("[critical] Account takeover chain detected (a → b). User: x."),
            "[critical] Account takeover chain detected (a → b)."
        );
        assert_eq!(
            first_sentence("乗っ取りを検知しました。利用者: x"),
            "乗っ取りを検知しました。"
        );
        assert_eq!(first_sentence("no full stop"), "no full stop");
        assert_eq!(first_sentence(&"あ".repeat(300)).chars().count(), 200);
    }
}
