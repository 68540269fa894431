//! Numbers and facts derived from a case, shared by report.md/html and the PPC draft: each
//! incident's chain (first malicious event, what the attacker did), hidden-send and verdict
//! counts, and the masking of personal data (PII shown only as counts unless `reveal`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use model::{Finding, Incident};

use crate::case::CaseInputs;
use crate::files::{HiddenSend, MailVerdictLine, Verdict};
use crate::labels::{Stage, detection_stage};

/// `2025-06-10 10:02:03 +09:00` in `tz`.
pub fn fmt_local(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

/// `2025-06-10T01:02:03Z`.
pub fn fmt_utc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `3d 04:05:06` (days, then h:m:s).
pub fn fmt_span(secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m, x) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    if d > 0 {
        format!("{d}d {h:02}:{m:02}:{x:02}")
    } else {
        format!("{h:02}:{m:02}:{x:02}")
    }
}

/// Masks an e-mail address to its first character and domain: `t***@example.com`.
pub fn mask_address(addr: &str) -> String {
    match addr.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_string(),
    }
}

/// Masks a file path to its number and extension: `#3 (.xlsx)`.
pub fn mask_path(index: usize, path: &str) -> String {
    let name = path.rsplit(['/', '\\', '!']).next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, ext)) if !ext.is_empty() && ext.len() <= 8 => format!("#{index} (.{ext})"),
        _ => format!("#{index}"),
    }
}

/// What one incident's findings and hidden sends say the attacker did.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFacts<'a> {
    /// The incident.
    pub incident: &'a Incident,
    /// Its findings, in time order.
    pub findings: Vec<&'a Finding>,
    /// The earliest access finding (else the earliest finding): the first malicious event.
    pub first_malicious: Option<&'a Finding>,
    /// Hidden sends attributed to this incident.
    pub hidden_sends: Vec<&'a HiddenSend>,
    /// (findings, evidence events) of mailbox/file access.
    pub collection: (usize, usize),
    /// (findings, evidence events) of rules, forwarding, permissions, consent, MFA, audit off.
    pub persistence: (usize, usize),
    /// (findings, evidence events) of sending.
    pub send: (usize, usize),
}

impl IncidentFacts<'_> {
    /// Distinct recipients of the hidden sends.
    pub fn hidden_recipients(&self) -> usize {
        self.hidden_sends
            .iter()
            .map(|h| h.recipient.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// Builds the facts of every incident in `inputs`, in the incidents' order.
///
/// A finding belongs to an incident when its `incident_id` says so or the incident lists its
/// id. A hidden send belongs to the incident of the same user with the latest `first_seen` not
/// after the send (or that user's earliest incident when the send predates them all), so each
/// send is counted once.
pub fn incident_facts(inputs: &CaseInputs) -> Vec<IncidentFacts<'_>> {
    let mut out = Vec::new();
    for inc in &inputs.incidents {
        let mut findings: Vec<&Finding> = inputs
            .findings
            .iter()
            .filter(|f| {
                f.incident_id.as_deref() == Some(inc.id.as_str()) || inc.findings.contains(&f.id)
            })
            .collect();
        findings.sort_by_key(|f| f.time);
        let first_malicious = findings
            .iter()
            .find(|f| detection_stage(&f.detection) == Stage::Access)
            .or_else(|| findings.first())
            .copied();
        let sum = |stage: Stage| {
            findings
                .iter()
                .filter(|f| detection_stage(&f.detection) == stage)
                .fold((0, 0), |(n, e), f| (n + 1, e + f.evidence.len()))
        };
        let hidden_sends = inputs
            .hidden_sends
            .iter()
            .filter(|h| Some(h.user.as_str()) == inc.user.as_deref())
            .filter(|h| owner_of_send(&inputs.incidents, h).is_some_and(|o| o.id == inc.id))
            .collect();
        out.push(IncidentFacts {
            incident: inc,
            collection: sum(Stage::Collection),
            persistence: sum(Stage::Persistence),
            send: sum(Stage::Send),
            findings,
            first_malicious,
            hidden_sends,
        });
    }
    out
}

fn owner_of_send<'a>(incidents: &'a [Incident], h: &HiddenSend) -> Option<&'a Incident> {
    let mine: Vec<&Incident> = incidents
        .iter()
        .filter(|i| i.user.as_deref() == Some(h.user.as_str()))
        .collect();
    mine.iter()
        .filter(|i| i.first_seen <= h.time)
        .max_by_key(|i| i.first_seen)
        .or_else(|| mine.iter().min_by_key(|i| i.first_seen))
        .copied()
}

/// Counts over the hidden sends.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HiddenSendStats {
    /// Messages (message × recipient rows).
    pub total: usize,
    /// Distinct recipients.
    pub unique_recipients: usize,
    /// Distinct sending users.
    pub users: usize,
    /// Rows per recipient domain, most first.
    pub by_domain: Vec<(String, usize)>,
    /// First send.
    pub first: Option<DateTime<Utc>>,
    /// Last send.
    pub last: Option<DateTime<Utc>>,
}

/// Counts the hidden sends.
pub fn hidden_send_stats(sends: &[HiddenSend]) -> HiddenSendStats {
    let mut by_domain: BTreeMap<String, usize> = BTreeMap::new();
    for h in sends {
        *by_domain.entry(h.recipient_domain()).or_insert(0) += 1;
    }
    let mut by_domain: Vec<(String, usize)> = by_domain.into_iter().collect();
    by_domain.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    HiddenSendStats {
        total: sends.len(),
        unique_recipients: sends
            .iter()
            .map(|h| h.recipient.as_str())
            .collect::<BTreeSet<_>>()
            .len(),
        users: sends
            .iter()
            .map(|h| h.user.as_str())
            .collect::<BTreeSet<_>>()
            .len(),
        by_domain,
        first: sends.iter().map(|h| h.time).min(),
        last: sends.iter().map(|h| h.time).max(),
    }
}

/// Counts over the mail verdicts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VerdictStats {
    /// Phishing verdicts.
    pub phishing: usize,
    /// Suspicious verdicts.
    pub suspicious: usize,
    /// Clean verdicts.
    pub clean: usize,
    /// Reasons over phishing and suspicious verdicts: (id, ja, en, count), most first.
    pub top_reasons: Vec<(String, String, String, usize)>,
}

/// Counts the verdicts.
pub fn verdict_stats(lines: &[MailVerdictLine]) -> VerdictStats {
    let mut s = VerdictStats::default();
    let mut reasons: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
    for l in lines {
        match l.verdict {
            Verdict::Phishing => s.phishing += 1,
            Verdict::Suspicious => s.suspicious += 1,
            Verdict::Clean => s.clean += 1,
        }
        if l.verdict == Verdict::Clean {
            continue;
        }
        for r in &l.reasons {
            let e = reasons
                .entry(r.id.clone())
                .or_insert_with(|| (r.ja.clone(), r.en.clone(), 0));
            e.2 += 1;
        }
    }
    let mut top: Vec<(String, String, String, usize)> = reasons
        .into_iter()
        .map(|(id, (ja, en, n))| (id, ja, en, n))
        .collect();
    top.sort_by(|a, b| b.3.cmp(&a.3).then(a.0.cmp(&b.0)));
    s.top_reasons = top;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking() {
        assert_eq!(mask_address("taro.yamada@example.com"), "t***@example.com");
        assert_eq!(mask_address("nodomain"), "***");
        assert_eq!(
            mask_path(3, "mail.pst!/Inbox/山田_扶養控除.xlsx"),
            "#3 (.xlsx)"
        );
        assert_eq!(mask_path(1, "noext"), "#1");
        assert_eq!(fmt_span(90_061), "1d 01:01:01");
        assert_eq!(fmt_span(59), "00:00:59");
    }
}
