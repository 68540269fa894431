//! One incident (インシデント詳細): its summary, attacker IPs, and the chain — its findings in
//! time order, each with its reason in the page language and the evidence rows fetched from the
//! store — then the user's sign-in map and outbound mail chart around the incident.

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Duration;
use model::{Event, Finding, Incident};
use store::{EventFilter, FindingFilter};

use crate::event_row::{event_row, header_row};
use crate::html::Html;
use crate::i18n::Lang;
use crate::layout::{Nav, severity_badge, time_elem, user_link};
use crate::pages::{internal_error, not_found, ok_page};
use crate::sendchart::SendTimes;
use crate::session::Viewer;
use crate::state::AppState;
use crate::worldmap::SignInPoints;

/// How far around the incident the mail chart looks.
const CHART_MARGIN_DAYS: i64 = 3;
/// Evidence rows shown per finding (a send burst cites hundreds; the timeline has them all).
const MAX_EVIDENCE_ROWS: usize = 25;

struct Loaded {
    incident: Incident,
    chain: Vec<(Finding, Vec<Option<Event>>)>,
    map: SignInPoints,
    sends: SendTimes,
}

/// `GET /incidents/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let tenant = state.tenant().map(str::to_string);
    let loaded = state
        .query(move |store| {
            let Some(incident) = store
                .incidents(tenant.as_deref())?
                .into_iter()
                .find(|i| i.id == id)
            else {
                return Ok(None);
            };
            let mut findings: Vec<Finding> = store
                .findings(&FindingFilter {
                    tenant: Some(incident.tenant.clone()),
                    user: incident.user.clone(),
                    ..FindingFilter::default()
                })?
                .into_iter()
                .filter(|f| {
                    f.incident_id.as_deref() == Some(incident.id.as_str())
                        || incident.findings.contains(&f.id)
                })
                .collect();
            findings.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id)));
            let mut chain = Vec::with_capacity(findings.len());
            for f in findings {
                let shown = &f.evidence[..f.evidence.len().min(MAX_EVIDENCE_ROWS)];
                let events = store.events_by_ref(&f.tenant, shown)?;
                chain.push((f, events));
            }
            let attacker: BTreeSet<String> = incident.attacker_ips.iter().cloned().collect();
            let mut map = SignInPoints::default();
            let mut sends = SendTimes::default();
            if let Some(user) = &incident.user {
                let mut filter = EventFilter::tenant(incident.tenant.clone());
                filter.user = Some(user.clone());
                filter.kinds = vec!["sign_in".into()];
                store.for_each_event(&filter, &mut |e| {
                    map.add(&e, &attacker);
                    Ok(())
                })?;
                filter.kinds = vec!["message_trace".into()];
                filter.since = Some(incident.first_seen - Duration::days(CHART_MARGIN_DAYS));
                filter.until = Some(incident.last_seen + Duration::days(CHART_MARGIN_DAYS));
                store.for_each_event(&filter, &mut |e| {
                    sends.add(user, e.time, &e.kind);
                    Ok(())
                })?;
            }
            Ok(Some(Loaded {
                incident,
                chain,
                map,
                sends,
            }))
        })
        .await;
    let data = match loaded {
        Ok(Some(data)) => data,
        Ok(None) => return not_found(lang, &viewer),
        Err(e) => return internal_error(&e),
    };
    let tz = state.time_zone();
    let incident = &data.incident;
    let mut h = Html::new();
    h.raw("<h1 id=\"incident-title\">");
    severity_badge(&mut h, lang, incident.severity);
    h.raw(" ")
        .text(crate::pages::incidents::summary_line(lang, incident))
        .raw("</h1>");
    h.raw("<dl class=\"facts\"><dt>")
        .raw(lang.t("ユーザー", "User"))
        .raw("</dt><dd>");
    match &incident.user {
        Some(user) => user_link(&mut h, user),
        None => {
            h.raw("—");
        }
    }
    h.raw("</dd><dt>")
        .raw(lang.t("期間", "Period"))
        .raw("</dt><dd>");
    time_elem(&mut h, incident.first_seen, tz);
    h.raw(" – ");
    time_elem(&mut h, incident.last_seen, tz);
    h.raw("</dd><dt>")
        .raw(lang.t("攻撃者IP", "Attacker IPs"))
        .raw("</dt><dd><ul id=\"attacker-ips\">");
    for ip in &incident.attacker_ips {
        h.raw("<li class=\"ip\">").text(ip).raw("</li>");
    }
    h.raw("</ul></dd><dt>")
        .raw(lang.t("国", "Countries"))
        .raw("</dt><dd>")
        .text(&incident.countries.join(", "))
        .raw("</dd><dt>")
        .raw(lang.t("検知", "Detections"))
        .raw("</dt><dd>")
        .text(&incident.detections.join(", "))
        .raw("</dd></dl><p class=\"summary\">")
        .text(lang.pick(&incident.summary_ja, &incident.summary_en))
        .raw("</p>");

    h.raw("<h2>")
        .raw(lang.t("攻撃の流れ", "Chain of events"))
        .raw("</h2><ol id=\"chain\">");
    for (finding, events) in &data.chain {
        finding_item(&mut h, lang, tz, finding, events);
    }
    h.raw("</ol>");

    h.raw("<h2>")
        .raw(lang.t("サインイン地点", "Sign-in locations"))
        .raw("</h2>");
    data.map.render(&mut h, lang);
    h.raw("<h2>")
        .raw(lang.t("送信メール数", "Outbound mail volume"))
        .raw("</h2>");
    data.sends.render(&mut h, lang, tz);
    ok_page(
        lang,
        lang.t("インシデント", "Incident"),
        Nav::Incidents,
        &viewer,
        &h,
    )
}

fn finding_item(
    h: &mut Html,
    lang: Lang,
    tz: chrono_tz::Tz,
    finding: &Finding,
    events: &[Option<Event>],
) {
    h.raw("<li class=\"finding\"><div class=\"finding-head\">");
    severity_badge(h, lang, finding.severity);
    h.raw(" ");
    time_elem(h, finding.time, tz);
    h.raw(" <code class=\"detection\">")
        .text(&finding.detection)
        .raw("</code>");
    if !finding.attack.is_empty() {
        h.raw(" <span class=\"attack\">ATT&amp;CK ")
            .text(&finding.attack.join(", "))
            .raw("</span>");
    }
    h.raw("</div><p class=\"reason\">")
        .text(lang.pick(&finding.reason_ja, &finding.reason_en))
        .raw("</p>");
    if !finding.evidence.is_empty() {
        h.raw("<table class=\"evidence\">");
        header_row(h, lang);
        for (reference, event) in finding.evidence.iter().zip(events) {
            match event {
                Some(event) => event_row(h, lang, tz, event, "evidence"),
                None => {
                    h.raw("<tr class=\"missing\"><td colspan=\"6\">")
                        .raw(lang.t("保存されていない証拠: ", "Evidence not in the store: "))
                        .text(&reference.kind)
                        .raw(" ")
                        .text(&reference.natural_id)
                        .raw("</td></tr>");
                }
            }
        }
        h.raw("</table>");
        if finding.evidence.len() > events.len() {
            h.raw("<p class=\"note\">")
                .raw(lang.t("ほかに証拠 ", "and "))
                .int(i128::try_from(finding.evidence.len() - events.len()).unwrap_or(0))
                .raw(lang.t(
                    "件(ユーザーのタイムラインに表示)",
                    " more evidence rows (see the user's timeline)",
                ))
                .raw("</p>");
        }
    }
    h.raw("</li>");
}
