//! Timeline rows in the style of Hayabusa's CSV timeline, one row per finding, for
//! spreadsheets and `act`'s reports.
//!
//! Columns (Hayabusa's names where the idea is the same): `Timestamp` (UTC, ISO 8601),
//! `RuleTitle`, `Level` (`crit`/`high`/`med`/`low`/`info` as Hayabusa abbreviates), `User`,
//! `Tenant`, `Channel` (kind of the first evidence: `sign_in`, `audit`, `message_trace` …),
//! `RuleID` (detection id), `RecordID` (natural id of the first evidence), `IPs`, `Countries`
//! (`;`-separated), `MitreTags`, `Details` (the reason in the chosen language), `EvidenceCount`,
//! `IncidentID`, `FindingID`.

use std::io::Write;

use model::{Finding, Severity};
use serde::Serialize;

use crate::error::DetectError;
use crate::registry;

/// Which language the title and details are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Japanese.
    Ja,
    /// English.
    En,
}

/// One timeline row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct TimelineRow {
    /// UTC time, ISO 8601.
    pub timestamp: String,
    /// Detection title.
    pub rule_title: String,
    /// `crit`, `high`, `med`, `low`, `info`.
    pub level: String,
    /// User.
    pub user: String,
    /// Tenant.
    pub tenant: String,
    /// Kind of the first evidence.
    pub channel: String,
    /// Detection id.
    #[serde(rename = "RuleID")]
    pub rule_id: String,
    /// First evidence natural id.
    #[serde(rename = "RecordID")]
    pub record_id: String,
    /// IPs.
    #[serde(rename = "IPs")]
    pub ips: String,
    /// Countries.
    pub countries: String,
    /// ATT&CK ids.
    pub mitre_tags: String,
    /// Reason.
    pub details: String,
    /// Number of evidence records.
    pub evidence_count: usize,
    /// Incident id.
    #[serde(rename = "IncidentID")]
    pub incident_id: String,
    /// Finding id.
    #[serde(rename = "FindingID")]
    pub finding_id: String,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "crit",
        Severity::High => "high",
        Severity::Medium => "med",
        Severity::Low => "low",
        Severity::Info => "info",
    }
}

/// Rows for `findings`, sorted by time.
pub fn rows(findings: &[Finding], lang: Lang) -> Vec<TimelineRow> {
    let mut v: Vec<TimelineRow> = findings
        .iter()
        .map(|f| {
            let title = match registry::meta(&f.detection) {
                Some(m) => if lang == Lang::Ja {
                    m.title_ja
                } else {
                    m.title_en
                }
                .to_string(),
                None => f.detection.clone(),
            };
            let first = f.evidence.first();
            TimelineRow {
                timestamp: f.time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                rule_title: title,
                level: level(f.severity).to_string(),
                user: f.user.clone().unwrap_or_default(),
                tenant: f.tenant.clone(),
                channel: first.map(|e| e.kind.clone()).unwrap_or_default(),
                rule_id: f.detection.clone(),
                record_id: first.map(|e| e.natural_id.clone()).unwrap_or_default(),
                ips: f.ips.join(";"),
                countries: f.countries.join(";"),
                mitre_tags: f.attack.join(";"),
                details: if lang == Lang::Ja {
                    f.reason_ja.clone()
                } else {
                    f.reason_en.clone()
                },
                evidence_count: f.evidence.len(),
                incident_id: f.incident_id.clone().unwrap_or_default(),
                finding_id: f.id.clone(),
            }
        })
        .collect();
    v.sort_by(|a, b| {
        a.timestamp
            .cmp(&b.timestamp)
            .then_with(|| a.finding_id.cmp(&b.finding_id))
    });
    v
}

/// Writes `rows` as CSV with a header (UTF-8; callers add a BOM for Excel if they want one).
pub fn write_csv<W: Write>(out: W, rows: &[TimelineRow]) -> Result<(), DetectError> {
    let mut w = csv::Writer::from_writer(out);
    for r in rows {
        w.serialize(r)
            .map_err(|e| DetectError::Timeline(e.to_string()))?;
    }
    w.flush().map_err(|e| DetectError::Timeline(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn csv_has_hayabusa_style_columns_and_the_chosen_language() {
        let f = Finding {
            id: "0123456789abcdef0123456789abcdef".into(),
            tenant: "default".into(),
            incident_id: Some("inc-x".into()),
            detection: "hidden_send".into(),
            severity: Severity::High,
            user: Some("a@example.co.jp".into()),
            time: chrono::Utc
                .with_ymd_and_hms(2025, 6, 27, 2, 0, 0)
                .single()
                .expect("t"),
            ips: vec!["192.0.2.18".into()],
            countries: vec!["US".into()],
            attack: vec!["T1534".into()],
            reason_ja: "隠れた送信".into(),
            reason_en: "hidden send".into(),
            evidence: vec![model::EvidenceRef {
                kind: "message_trace".into(),
                natural_id: "t1".into(),
            }],
        };
        let mut out = Vec::new();
        write_csv(&mut out, &rows(std::slice::from_ref(&f), Lang::Ja)).expect("csv");
        let text = String::from_utf8(out).expect("utf8");
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "Timestamp,RuleTitle,Level,User,Tenant,Channel,RuleID,RecordID,IPs,Countries,MitreTags,Details,EvidenceCount,IncidentID,FindingID"
            )
        );
        let row = lines.next().expect("row");
        assert!(
            row.starts_with("2025-06-27T02:00:00Z,送信済みアイテムに残らない送信"),
            "{row}"
        );
        assert!(row.contains(",high,a@example.co.jp,default,message_trace,hidden_send,t1,192.0.2.18,US,T1534,隠れた送信,1,inc-x,"));
        let en = rows(&[f], Lang::En);
        assert_eq!(en[0].details, "hidden send");
    }
}
