//! Outbound send burst compared with the user's own history (message trace).
//!
//! - Attack: phishing or spam sent from a taken-over mailbox (T1534, T1566.002 internal/partner
//!   spearphishing). The 2025 incident: ~300 mails to partners in hours.
//! - Data: message trace rows sent by the user to outside the tenant.
//! - Logic: rows of one user less than 1 h apart form a burst; when it closes it is reported if
//!   it holds ≥ max(30, 3 × the user's busiest day so far) messages **and** either ≥10
//!   recipients the user never wrote to, or one subject sent to ≥20 recipients (fan-out).
//!   Medium; **high** when some rows were submitted from an IP a finding had marked.
//! - False positives: newsletters and announcements by people who normally send little.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use model::{EventKind, EvidenceRef, Severity};

use super::{Cx, Draft, Rule, take_idle};
use crate::config::Config;
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "outbound_send_burst",
    title_ja: "普段と比べて大量の外部送信",
    title_en: "Outbound send burst above the user's baseline",
    description_ja: "メッセージトレースで、利用者の普段の送信量を大きく超える外部宛送信（初めての宛先多数、同一件名の大量送信）。",
    description_en: "Message trace shows outbound mail far above the user's own baseline (many new recipients, one subject fanned out).",
    severity: Severity::Medium,
    attack: &["T1534", "T1566.002"],
    role: Role::Send,
};

const GAP: Duration = Duration::hours(1);
const MIN_MESSAGES: u64 = 30;
const MIN_NEW_RECIPIENTS: usize = 10;
const MIN_FANOUT: usize = 20;

struct Burst {
    start: DateTime<Utc>,
    last: DateTime<Utc>,
    baseline_max: u32,
    rows: u64,
    seen: std::collections::HashSet<(String, String)>,
    new_recipients: BTreeSet<String>,
    subjects: HashMap<String, BTreeSet<String>>,
    ips: BTreeSet<String>,
    suspect_ip: bool,
    evidence: Vec<EvidenceRef>,
}

/// Run-time state: one open burst per user.
#[derive(Default)]
pub struct OutboundSendBurst {
    bursts: HashMap<String, Burst>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(OutboundSendBurst::default())
}

fn report(user: String, b: Burst, out: &mut Vec<Draft>) {
    let threshold = MIN_MESSAGES.max(3 * u64::from(b.baseline_max));
    let (top_subject, fanout) = b
        .subjects
        .iter()
        .map(|(s, r)| (s.clone(), r.len()))
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .unwrap_or_default();
    if b.rows < threshold || (b.new_recipients.len() < MIN_NEW_RECIPIENTS && fanout < MIN_FANOUT) {
        return;
    }
    let severity = if b.suspect_ip {
        Severity::High
    } else {
        Severity::Medium
    };
    let mins = (b.last - b.start).num_minutes();
    let ips: Vec<String> = b.ips.into_iter().collect();
    out.push(Draft {
        detection: META.id,
        severity,
        user: Some(user.clone()),
        time: b.start,
        reason_ja: format!(
            "{user} が{mins}分間に外部へ{}通送信（これまでの1日最大 {}通）。初めての宛先 {}件、同一件名「{top_subject}」を{fanout}人へ。送信元IP: {}。",
            b.rows,
            b.baseline_max,
            b.new_recipients.len(),
            if ips.is_empty() { "-".to_string() } else { ips.join(", ") }
        ),
        reason_en: format!(
            "{user} sent {} external messages in {mins} min (busiest day before: {}). {} new recipients; subject \"{top_subject}\" to {fanout} recipients. Submitting IPs: {}.",
            b.rows,
            b.baseline_max,
            b.new_recipients.len(),
            if ips.is_empty() { "-".to_string() } else { ips.join(", ") }
        ),
        ips,
        countries: Vec::new(),
        evidence: b.evidence,
        count: b.rows,
        suspect_ips: Vec::new(),
        risky_sign_in: false,
    });
}

impl Rule for OutboundSendBurst {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        let EventKind::MessageTrace(m) = &f.ev.kind else {
            return;
        };
        let Some(rcpt) = f.outbound_recipient(cx.cfg) else {
            return;
        };
        let user = m.sender_address.clone();
        let t = f.ev.time;
        if self.bursts.get(&user).is_some_and(|b| t - b.last > GAP)
            && let Some(b) = self.bursts.remove(&user)
        {
            report(user.clone(), b, out);
        }
        let b = self.bursts.entry(user.clone()).or_insert_with(|| Burst {
            start: t,
            last: t,
            baseline_max: cx.base.map(|b| b.max_sent_per_day()).unwrap_or(0),
            rows: 0,
            seen: std::collections::HashSet::new(),
            new_recipients: BTreeSet::new(),
            subjects: HashMap::new(),
            ips: BTreeSet::new(),
            suspect_ip: false,
            evidence: Vec::new(),
        });
        b.last = t;
        // The trace and the historical report carry the same message; count it once.
        let msg = m
            .message_id
            .as_deref()
            .unwrap_or(&f.ev.natural_id)
            .trim_matches(|c| c == '<' || c == '>')
            .to_lowercase();
        if b.seen.insert((msg, rcpt.to_string())) {
            b.rows += 1;
        }
        if !cx.base.is_some_and(|bl| bl.recipients.contains(rcpt)) {
            b.new_recipients.insert(rcpt.to_string());
        }
        b.subjects
            .entry(m.subject.clone().unwrap_or_default())
            .or_default()
            .insert(rcpt.to_string());
        if let Some(ip) = f.ip {
            b.ips.insert(ip.to_string());
            b.suspect_ip |= cx.marks.is_suspect(&user, ip);
        }
        b.evidence.push(f.evidence());
    }

    fn flush(&mut self, now: Option<DateTime<Utc>>, _cfg: &Config, out: &mut Vec<Draft>) {
        for (u, b) in take_idle(&mut self.bursts, now, GAP, |w| w.last) {
            report(u, b, out);
        }
    }
}
