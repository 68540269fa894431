//! The records of the case folder's JSONL files that are not model types: hidden sends and
//! mail verdicts, plus the file names of the case folder (the contract with the pipeline and
//! the dashboard).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use model::{Event, EventKind, Finding};
use serde::{Deserialize, Serialize};

/// `incidents.jsonl`: one [`model::Incident`] per line.
pub const INCIDENTS_FILE: &str = "incidents.jsonl";
/// `findings.jsonl`: one [`model::Finding`] per line.
pub const FINDINGS_FILE: &str = "findings.jsonl";
/// `hidden_sends.jsonl`: one [`HiddenSend`] per line.
pub const HIDDEN_SENDS_FILE: &str = "hidden_sends.jsonl";
/// `mail_verdicts.jsonl`: one [`MailVerdictLine`] per line.
pub const MAIL_VERDICTS_FILE: &str = "mail_verdicts.jsonl";
/// `scope.json`: the leak scope written by the pii crate (read through [`crate::ScopeView`]).
pub const SCOPE_FILE: &str = "scope.json";
/// `timeline.csv`: every source merged, findings marked ([`crate::TimelineRow`]).
pub const TIMELINE_FILE: &str = "timeline.csv";
/// `case.json`: the run's metadata ([`crate::CaseMeta`]).
pub const CASE_META_FILE: &str = "case.json";
/// `report.md`.
pub const REPORT_MD_FILE: &str = "report.md";
/// `report.html`.
pub const REPORT_HTML_FILE: &str = "report.html";
/// `ppc-report.md`: the Japanese draft of the PPC breach report.
pub const PPC_REPORT_FILE: &str = "ppc-report.md";
/// `ppc-report.en.md`: its English translation (written when the report language is English).
pub const PPC_REPORT_EN_FILE: &str = "ppc-report.en.md";

/// One message the user's account sent that has no copy in Sent Items (message trace row
/// without a matching Sent Items item): the 2025 incident's ~300 phishing mails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HiddenSend {
    /// The tenant (empty when an older writer left it out).
    #[serde(default)]
    pub tenant: String,
    /// The sending mailbox (lower-case address).
    pub user: String,
    /// When the message trace saw it, UTC.
    pub time: DateTime<Utc>,
    /// The recipient address (lower-case).
    pub recipient: String,
    /// The subject as sent (attacker-controlled).
    #[serde(default)]
    pub subject: Option<String>,
    /// Internet Message-ID without angle brackets.
    #[serde(default)]
    pub message_id: Option<String>,
    /// The submitting client's IP, when the trace has it.
    #[serde(default)]
    pub client_ip: Option<String>,
}

impl HiddenSend {
    /// The row for one message-trace event (`None` for other kinds).
    pub fn from_message_trace(event: &Event) -> Option<Self> {
        let EventKind::MessageTrace(m) = &event.kind else {
            return None;
        };
        Some(HiddenSend {
            tenant: event.tenant.clone(),
            user: m.sender_address.clone(),
            time: event.time,
            recipient: m.recipient_address.clone(),
            subject: m.subject.clone(),
            message_id: m.message_id.clone(),
            client_ip: m.client_ip.or(m.from_ip).map(|ip| ip.to_string()),
        })
    }

    /// The recipient's domain (after the last `@`), lower-case; empty when there is none.
    pub fn recipient_domain(&self) -> String {
        self.recipient
            .rsplit_once('@')
            .map(|(_, d)| d.trim().to_ascii_lowercase())
            .unwrap_or_default()
    }
}

/// The content classifier's verdict on one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Phishing.
    Phishing,
    /// Some signals; a person should look.
    Suspicious,
    /// No signal.
    Clean,
}

impl Verdict {
    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Phishing => "phishing",
            Verdict::Suspicious => "suspicious",
            Verdict::Clean => "clean",
        }
    }
}

/// One signal that contributed to a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictReason {
    /// The signal's stable id (e.g. `display_name_mirrors_recipient`).
    pub id: String,
    /// The reason in Japanese.
    #[serde(default)]
    pub ja: String,
    /// The reason in English.
    #[serde(default)]
    pub en: String,
    /// Any other fields the classifier adds (weight, evidence …), kept verbatim.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// One line of `mail_verdicts.jsonl`: the verdict on one mail file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailVerdictLine {
    /// The tenant (empty when an older writer left it out).
    #[serde(default)]
    pub tenant: String,
    /// The mail file (inside an archive: `archive.zip!/inner/path`).
    pub file: String,
    /// Internet Message-ID without angle brackets.
    #[serde(default)]
    pub message_id: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// The score the verdict was derived from.
    pub score: f64,
    /// The signals that fired.
    #[serde(default)]
    pub reasons: Vec<VerdictReason>,
}

/// The detection whose message-trace evidence becomes `hidden_sends.jsonl`.
pub const HIDDEN_SEND_DETECTION: &str = "hidden_send";

/// Builds the `hidden_sends.jsonl` rows: the message-trace events cited as evidence by
/// `hidden_send` findings, once each, in time order. Evidence whose event is not in `events`
/// is counted in the second value (the caller reports it).
pub fn hidden_sends_from_findings(
    findings: &[Finding],
    events: &[Event],
) -> (Vec<HiddenSend>, usize) {
    let by_id: HashMap<&str, &Event> = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::MessageTrace(_)))
        .map(|e| (e.natural_id.as_str(), e))
        .collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut missing = 0;
    for f in findings
        .iter()
        .filter(|f| f.detection == HIDDEN_SEND_DETECTION)
    {
        for ev in f.evidence.iter().filter(|e| e.kind == "message_trace") {
            if !seen.insert(ev.natural_id.as_str()) {
                continue;
            }
            match by_id
                .get(ev.natural_id.as_str())
                .and_then(|e| HiddenSend::from_message_trace(e))
            {
                Some(h) => out.push(h),
                None => missing += 1,
            }
        }
    }
    out.sort_by(|a, b| a.time.cmp(&b.time).then(a.recipient.cmp(&b.recipient)));
    (out, missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use model::{EvidenceRef, MessageTrace, Provenance, Severity};

    fn trace(id: &str, rcpt: &str, min: i64) -> Event {
        Event {
            tenant: "t".into(),
            natural_id: id.into(),
            time: Utc
                .with_ymd_and_hms(2025, 6, 1, 3, 0, 0)
                .single()
                .expect("t")
                + chrono::Duration::minutes(min),
            provenance: Provenance {
                file: "trace.csv".into(),
                record: 2,
                format: "message_trace_csv".into(),
            },
            raw: String::new(),
            kind: EventKind::MessageTrace(Box::new(MessageTrace {
                sender_address: "u@example.co.jp".into(),
                recipient_address: rcpt.into(),
                subject: Some("件名".into()),
                client_ip: "192.0.2.10".parse().ok(),
                ..Default::default()
            })),
        }
    }

    #[test]
    fn hidden_sends_come_from_hidden_send_evidence_once() {
        let events = vec![
            trace("m2", "b@y.example", 1),
            trace("m1", "a@x.example", 0),
            trace("m3", "c@z.example", 2),
        ];
        let ev = |id: &str| EvidenceRef {
            kind: "message_trace".into(),
            natural_id: id.into(),
        };
        let f = Finding {
            id: "f".into(),
            tenant: "t".into(),
            incident_id: None,
            detection: HIDDEN_SEND_DETECTION.into(),
            severity: Severity::High,
            user: None,
            time: events[1].time,
            ips: vec![],
            countries: vec![],
            attack: vec![],
            reason_ja: String::new(),
            reason_en: String::new(),
            evidence: vec![ev("m2"), ev("m1"), ev("m1"), ev("gone")],
        };
        let mut other = f.clone();
        other.detection = "outbound_send_burst".into();
        other.evidence = vec![ev("m3")];
        let (rows, missing) = hidden_sends_from_findings(&[f, other], &events);
        assert_eq!(missing, 1);
        let rcpts: Vec<&str> = rows.iter().map(|h| h.recipient.as_str()).collect();
        assert_eq!(rcpts, vec!["a@x.example", "b@y.example"]);
        assert_eq!(rows[0].client_ip.as_deref(), Some("192.0.2.10"));
        assert_eq!(rows[0].recipient_domain(), "x.example");
    }
}
