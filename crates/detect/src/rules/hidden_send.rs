//! Hidden sends: mail that left the mailbox without a Sent Items copy.
//!
//! - Attack: SMTP AUTH or Graph `sendMail` with `saveToSentItems=false` so the owner sees
//!   nothing (T1534, T1564.008). The 2025 incident: ~300 phishing mails that only the message
//!   trace showed. No public tool reconciles this.
//! - Data: message trace rows sent by the user, with the submitting client IP; UAL `Send` /
//!   `SendAs` / `SendOnBehalf` with `SaveToSentItems` false. (Comparing with the Sent Items
//!   folder itself comes with the mailbox reader.)
//! - Logic: rows of one user from one submitting IP, less than 6 h apart, form a session. A
//!   trace session counts when the IP was marked by a sign-in finding, or — with an established
//!   baseline — the user never used it; a Send-audit session counts always. Reported when the
//!   session closes, with the number of distinct messages and recipient rows. **High** for
//!   trace sessions and for Send audit from an unfamiliar IP; medium for `SaveToSentItems=false`
//!   from a familiar IP (some apps send this way).
//! - False positives: scanners/apps submitting with their own IP (put them in `[network]`);
//!   an IP that 3+ different senders submit from (hybrid connector, relay) is treated as
//!   infrastructure unless a finding marked it.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use model::{EventKind, EvidenceRef, Severity};

use super::{Cx, Draft, Rule, take_idle, truthy};
use crate::config::Config;
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "hidden_send",
    title_ja: "送信済みアイテムに残らない送信（隠れた送信）",
    title_en: "Hidden send (no Sent Items copy)",
    description_ja: "利用者が使わないIPから投入されたメッセージトレース上の送信、または SaveToSentItems=false の Send 監査。送信済みアイテムに残らない。",
    description_en: "Message-trace mail submitted from an IP the user does not use, or Send audit with SaveToSentItems=false: mail that leaves no Sent Items copy.",
    severity: Severity::High,
    attack: &["T1534", "T1564.008"],
    role: Role::Send,
};

const GAP: Duration = Duration::hours(6);

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Source {
    Trace,
    SendAudit,
}

/// One session: the trace rows and Send audits of one user from one IP. The same message
/// usually appears in both; it is counted once (by Internet Message-ID).
struct Session {
    start: DateTime<Utc>,
    last: DateTime<Utc>,
    severity: Severity,
    country: Option<String>,
    messages: BTreeSet<String>,
    trace_rows: u64,
    audits: u64,
    recipients: BTreeSet<String>,
    evidence: Vec<EvidenceRef>,
}

/// Run-time state: sessions by (user, IP).
#[derive(Default)]
pub struct HiddenSend {
    sessions: HashMap<(String, String), Session>,
    /// Senders seen per submitting IP: an IP many users submit from is a relay (hybrid
    /// connector, scanner, application server), not one person's hidden client.
    senders_by_ip: HashMap<std::net::IpAddr, std::collections::HashSet<String>>,
}

/// Distinct senders from which a submitting IP counts as shared infrastructure.
const RELAY_SENDERS: usize = 3;

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(HiddenSend::default())
}

/// The trace, the historical report and the Send audit write the same Message-ID with and
/// without angle brackets; compare them bare and lower-case.
fn norm_message_id(id: &str) -> String {
    id.trim()
        .trim_matches(|c| c == '<' || c == '>')
        .to_lowercase()
}

fn report(key: (String, String), s: Session, out: &mut Vec<Draft>) {
    let (user, ip) = key;
    let n = s.messages.len() as u64;
    let country = s.country.clone().unwrap_or_else(|| "??".into());
    let shown_ip = if ip.is_empty() {
        "?".to_string()
    } else {
        ip.clone()
    };
    let mut ja =
        format!("{user} から送信済みアイテムに残らない送信が{n}通（IP {shown_ip}、{country}）。");
    let mut en = format!(
        "{n} messages left as {user} without a Sent Items copy (IP {shown_ip}, {country})."
    );
    if s.trace_rows > 0 {
        ja.push_str(&format!(
            "メッセージトレースに宛先行{}件・宛先{}人、投入元IPはこの利用者が普段使わない／不審と判定されたIP。",
            s.trace_rows,
            s.recipients.len()
        ));
        en.push_str(&format!(
            " Message trace: {} recipient rows to {} recipients, submitted from an IP the user does not use or a finding marked.",
            s.trace_rows,
            s.recipients.len()
        ));
    }
    if s.audits > 0 {
        ja.push_str(&format!(
            "Send 監査 SaveToSentItems=false が{}件。",
            s.audits
        ));
        en.push_str(&format!(
            " Send audit with SaveToSentItems=false: {}.",
            s.audits
        ));
    }
    out.push(Draft {
        detection: META.id,
        severity: s.severity,
        user: Some(user),
        time: s.start,
        ips: if ip.is_empty() { Vec::new() } else { vec![ip] },
        countries: s.country.into_iter().collect(),
        reason_ja: ja,
        reason_en: en,
        evidence: s.evidence,
        count: n,
        suspect_ips: Vec::new(),
        risky_sign_in: false,
    });
}

impl Rule for HiddenSend {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        let t = f.ev.time;
        let (user, ip, source, message, recipient, severity) = match &f.ev.kind {
            EventKind::MessageTrace(m) => {
                if matches!(m.direction, Some(model::Direction::Inbound)) {
                    return;
                }
                let Some(ip) = m.client_ip.or(m.from_ip) else {
                    return;
                };
                let user = m.sender_address.clone();
                let senders = self.senders_by_ip.entry(ip).or_default();
                let relay = senders.len() >= RELAY_SENDERS;
                if !relay {
                    senders.insert(user.clone());
                }
                let suspect = cx.marks.is_suspect(&user, ip);
                let unused = cx.established() && !cx.familiar_ip(ip) && !relay;
                let open = self.sessions.contains_key(&(user.clone(), ip.to_string()));
                if !(suspect || unused || open) {
                    return;
                }
                let msg = m
                    .message_id
                    .as_deref()
                    .map(norm_message_id)
                    .unwrap_or_else(|| f.ev.natural_id.clone());
                (
                    user,
                    ip.to_string(),
                    Source::Trace,
                    msg,
                    Some(m.recipient_address.clone()),
                    Severity::High,
                )
            }
            EventKind::Audit(a)
                if matches!(a.operation.as_str(), "Send" | "SendAs" | "SendOnBehalf") =>
            {
                let save = a.data.get("SaveToSentItems").map(|v| match v {
                    serde_json::Value::Bool(b) => *b,
                    serde_json::Value::String(s) => truthy(s),
                    _ => true,
                });
                if save != Some(false) {
                    return;
                }
                let Some(user) = f.user.clone() else { return };
                let familiar = f.ip.is_some_and(|ip| cx.familiar_ip(ip));
                let msg = a
                    .data
                    .pointer("/Item/InternetMessageId")
                    .and_then(|v| v.as_str())
                    .map(norm_message_id)
                    .unwrap_or_else(|| f.ev.natural_id.clone());
                (
                    user,
                    f.ip_text(),
                    Source::SendAudit,
                    msg,
                    None,
                    if familiar {
                        Severity::Medium
                    } else {
                        Severity::High
                    },
                )
            }
            _ => return,
        };
        let key = (user, ip);
        if self.sessions.get(&key).is_some_and(|s| t - s.last > GAP)
            && let Some(s) = self.sessions.remove(&key)
        {
            report(key.clone(), s, out);
        }
        let s = self.sessions.entry(key).or_insert_with(|| Session {
            start: t,
            last: t,
            severity,
            country: f.country.clone(),
            messages: BTreeSet::new(),
            trace_rows: 0,
            audits: 0,
            recipients: BTreeSet::new(),
            evidence: Vec::new(),
        });
        s.last = t;
        s.severity = s.severity.max(severity);
        match source {
            Source::Trace => s.trace_rows += 1,
            Source::SendAudit => s.audits += 1,
        }
        s.messages.insert(message);
        s.recipients.extend(recipient);
        s.evidence.push(f.evidence());
    }

    fn flush(&mut self, now: Option<DateTime<Utc>>, _cfg: &Config, out: &mut Vec<Draft>) {
        for (k, s) in take_idle(&mut self.sessions, now, GAP, |w| w.last) {
            report(k, s, out);
        }
    }
}
