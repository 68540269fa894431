//! A user's timeline (ユーザーのタイムライン): events of every kind merged in time order, the
//! user's findings inserted at their time, and rows that are a finding's evidence marked; with
//! the user's outbound mail chart on top and sign-in map below.

use std::collections::{BTreeSet, HashMap};

use axum::extract::{Path, State};
use axum::response::Response;
use model::{Event, Finding};
use store::{EventFilter, FindingFilter};

use crate::event_row::{event_row, header_row};
use crate::html::Html;
use crate::i18n::Lang;
use crate::layout::{Nav, severity_badge, time_elem};
use crate::pages::{internal_error, ok_page};
use crate::sendchart::SendTimes;
use crate::session::Viewer;
use crate::state::AppState;
use crate::worldmap::SignInPoints;

/// Rows shown at most; the page says how many more there are.
pub const MAX_ROWS: usize = 3000;

struct Loaded {
    events: Vec<Event>,
    total: u64,
    findings: Vec<Finding>,
    sends: SendTimes,
    map: SignInPoints,
}

/// `GET /users/{user}`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    viewer: Viewer,
    Path(user): Path<String>,
) -> Response {
    let user = user.trim().to_lowercase();
    let tenant = state.tenant().map(str::to_string);
    let for_user = user.clone();
    let loaded = state
        .query(move |store| {
            let findings = store.findings(&FindingFilter {
                tenant: tenant.clone(),
                user: Some(for_user.clone()),
                ..FindingFilter::default()
            })?;
            let attacker: BTreeSet<String> = store
                .incidents(tenant.as_deref())?
                .into_iter()
                .flat_map(|i| i.attacker_ips)
                .collect();
            let filter = EventFilter {
                tenant,
                user: Some(for_user.clone()),
                ..EventFilter::default()
            };
            let mut events = Vec::new();
            let mut sends = SendTimes::default();
            let mut map = SignInPoints::default();
            let total = store.for_each_event(&filter, &mut |e| {
                sends.add(&for_user, e.time, &e.kind);
                map.add(&e, &attacker);
                if events.len() < MAX_ROWS {
                    events.push(e);
                }
                Ok(())
            })?;
            Ok(Loaded {
                events,
                total,
                findings,
                sends,
                map,
            })
        })
        .await;
    let data = match loaded {
        Ok(v) => v,
        Err(e) => return internal_error(&e),
    };
    let tz = state.time_zone();
    // Which finding(s) each event is evidence for.
    let mut flagged: HashMap<(&str, &str), usize> = HashMap::new();
    for f in &data.findings {
        for r in &f.evidence {
            *flagged
                .entry((r.kind.as_str(), r.natural_id.as_str()))
                .or_default() += 1;
        }
    }
    let mut h = Html::new();
    h.raw("<h1 id=\"user-title\">")
        .raw(lang.t("タイムライン: ", "Timeline: "))
        .text(&user)
        .raw("</h1><p class=\"stats\">")
        .raw(lang.t("イベント ", "Events: "))
        .int(data.total)
        .raw(lang.t("件、検知 ", ", findings: "))
        .int(i128::try_from(data.findings.len()).unwrap_or(0))
        .raw(lang.t("件", ""))
        .raw("</p>");
    h.raw("<h2>")
        .raw(lang.t("送信メール数", "Outbound mail volume"))
        .raw("</h2>");
    data.sends.render(&mut h, lang, tz);

    h.raw("<h2>")
        .raw(lang.t("時系列", "Timeline"))
        .raw("</h2><table id=\"timeline\" class=\"list\">");
    header_row(&mut h, lang);
    let mut findings = data.findings.iter().peekable();
    for event in &data.events {
        while let Some(f) = findings.next_if(|f| f.time <= event.time) {
            finding_row(&mut h, lang, tz, f);
        }
        let is_evidence = flagged.contains_key(&(event.kind.name(), event.natural_id.as_str()));
        event_row(
            &mut h,
            lang,
            tz,
            event,
            if is_evidence { "flagged" } else { "plain" },
        );
    }
    let truncated = data.total > data.events.len() as u64;
    for f in findings {
        // Findings after the last shown event (or after the cut-off).
        if !truncated || data.events.last().is_none_or(|e| f.time <= e.time) {
            finding_row(&mut h, lang, tz, f);
        }
    }
    h.raw("</table>");
    if truncated {
        h.raw("<p class=\"note\">")
            .raw(lang.t("先頭の ", "Showing the first "))
            .int(i128::try_from(data.events.len()).unwrap_or(0))
            .raw(lang.t("件のみ表示しています(全 ", " events of "))
            .int(data.total)
            .raw(lang.t(
                "件)。全件は timeline.csv をダウンロードしてください。",
                "; download timeline.csv for all.",
            ))
            .raw("</p>");
    }
    h.raw("<h2>")
        .raw(lang.t("サインイン地点", "Sign-in locations"))
        .raw("</h2>");
    data.map.render(&mut h, lang);
    ok_page(
        lang,
        lang.t("タイムライン", "Timeline"),
        Nav::None,
        &viewer,
        &h,
    )
}

fn finding_row(h: &mut Html, lang: Lang, tz: chrono_tz::Tz, f: &Finding) {
    h.raw("<tr class=\"finding-row\"><td>");
    time_elem(h, f.time, tz);
    h.raw("</td><td>");
    severity_badge(h, lang, f.severity);
    h.raw("</td><td colspan=\"4\"><code class=\"detection\">")
        .text(&f.detection)
        .raw("</code> ")
        .text(lang.pick(&f.reason_ja, &f.reason_en));
    if let Some(incident) = &f.incident_id {
        h.raw(" <a href=\"/incidents/")
            .url(incident)
            .raw("\">")
            .raw(lang.t("インシデントへ", "incident"))
            .raw("</a>");
    }
    h.raw("</td></tr>");
}
