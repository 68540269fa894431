//! Hidden-send reconciliation: mail that left a mailbox without a Sent Items copy.
//!
//! The 2025 incident's ~300 phishing mails were submitted over SMTP AUTH and never appeared in
//! Sent Items; only the message trace showed them. For one user this joins
//! - outbound message-trace rows (`model::MessageTrace`, one per message and recipient),
//! - the mailbox export (`model::MailEnvelope` with its folder), and
//! - `Send`/`SendAs`/`SendOnBehalf` audit records (`Item.InternetMessageId`, `SaveToSentItems`)
//!
//! on the Internet Message-ID and lists the messages with no Sent Items copy, grouped by
//! recipient domain. When the export has no folder information (one MBOX for the whole
//! mailbox: no well-known folder name anywhere), a copy in any folder counts as present.
//! Pure function: no I/O.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use model::{AuditRecord, Direction, Event, EventKind, MailEnvelope, MessageTrace};

use crate::folders::{has_well_known_component, is_sent_items_path};

/// One recipient of one message that left without a Sent Items copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HiddenSend {
    /// Internet Message-ID (without angle brackets); None when the trace row had none.
    pub message_id: Option<String>,
    /// When the trace saw it, UTC.
    pub time: DateTime<Utc>,
    /// The recipient address.
    pub recipient: String,
    /// Subject from the trace.
    pub subject: Option<String>,
    /// The submitting client (trace `client_ip`/`FromIP`, else the Send audit's `ClientIP`).
    pub client_ip: Option<IpAddr>,
    /// `SaveToSentItems` of the matching Send audit record, when one exists.
    pub save_to_sent_items: Option<bool>,
}

/// Hidden sends to one recipient domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainGroup {
    /// Recipient domain, lower-case.
    pub domain: String,
    /// Distinct messages to this domain.
    pub messages: usize,
    /// One row per message and recipient, in time order.
    pub rows: Vec<HiddenSend>,
}

/// What the presence of a Sent Items copy was judged from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SentGapBasis {
    /// The mailbox export, with folders (a copy must be in Sent Items).
    ExportFolders,
    /// The mailbox export without folder information (a copy anywhere counts).
    ExportAnywhere,
    /// No export for the user: only `SaveToSentItems = false` in Send audit records counts.
    AuditOnly,
    /// Neither export nor Send audit: nothing can be said.
    NoEvidence,
}

/// The reconciliation result for one user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentGapReport {
    /// The user (lower-case address).
    pub user: String,
    /// What presence was judged from.
    pub basis: SentGapBasis,
    /// Distinct outbound messages in the trace.
    pub outbound_messages: usize,
    /// Of those, messages without a Sent Items copy.
    pub hidden_messages: usize,
    /// Trace rows without a Message-ID (cannot be matched; listed as hidden under ExportFolders
    /// / ExportAnywhere since no copy can be shown).
    pub rows_without_message_id: usize,
    /// Mailbox items of the user seen in the export.
    pub mailbox_items: usize,
    /// Hidden sends grouped by recipient domain, largest group first.
    pub groups: Vec<DomainGroup>,
}

fn norm_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_lowercase()
}

/// Reconciles from a mixed slice of events (trace rows, mailbox items, audit records), as the
/// pipeline loads them from the store for one user.
pub fn sent_gap(user: &str, events: &[Event]) -> SentGapReport {
    let mut trace = Vec::new();
    let mut mailbox = Vec::new();
    let mut audit = Vec::new();
    for e in events {
        match &e.kind {
            EventKind::MessageTrace(t) => trace.push((e.time, t.as_ref())),
            EventKind::Mail(m) => mailbox.push(m.as_ref()),
            EventKind::Audit(a) => audit.push(a.as_ref()),
            _ => {}
        }
    }
    sent_gap_from_parts(user, &trace, &mailbox, &audit)
}

fn audit_fields(a: &AuditRecord) -> Option<(String, Option<bool>)> {
    let id = a.data.get("Item")?.get("InternetMessageId")?.as_str()?;
    let save = match a.data.get("SaveToSentItems") {
        Some(serde_json::Value::Bool(b)) => Some(*b),
        Some(serde_json::Value::String(s)) => {
            s.parse::<bool>()
                .ok()
                .or_else(|| match s.to_ascii_lowercase().as_str() {
                    "true" => Some(true),
                    "false" => Some(false),
                    _ => None,
                })
        }
        _ => None,
    };
    Some((norm_id(id), save))
}

/// Reconciles from the three inputs given separately. `trace` carries each row's time.
pub fn sent_gap_from_parts(
    user: &str,
    trace: &[(DateTime<Utc>, &MessageTrace)],
    mailbox: &[&MailEnvelope],
    audit: &[&AuditRecord],
) -> SentGapReport {
    let user = user.trim().to_lowercase();
    let mine: Vec<&&MailEnvelope> = mailbox
        .iter()
        .filter(|m| {
            m.mailbox
                .as_deref()
                .is_none_or(|b| b.eq_ignore_ascii_case(&user))
        })
        .collect();
    let folder_aware = mine
        .iter()
        .any(|m| m.folder.as_deref().is_some_and(has_well_known_component));
    let present: HashSet<String> = mine
        .iter()
        .filter(|m| !folder_aware || m.folder.as_deref().is_some_and(is_sent_items_path))
        .filter_map(|m| m.message_id.as_deref().map(norm_id))
        .collect();
    let mut sends: HashMap<String, (Option<bool>, Option<IpAddr>)> = HashMap::new();
    for a in audit {
        let op = a.operation.as_str();
        if !matches!(op, "Send" | "SendAs" | "SendOnBehalf") {
            continue;
        }
        let who = a
            .mailbox_owner_upn
            .as_deref()
            .or(a.user_id.as_deref())
            .unwrap_or("");
        if !who.eq_ignore_ascii_case(&user) {
            continue;
        }
        if let Some((id, save)) = audit_fields(a) {
            sends.insert(id, (save, a.client_ip));
        }
    }
    let basis = if !mine.is_empty() {
        if folder_aware {
            SentGapBasis::ExportFolders
        } else {
            SentGapBasis::ExportAnywhere
        }
    } else if !sends.is_empty() {
        SentGapBasis::AuditOnly
    } else {
        SentGapBasis::NoEvidence
    };

    let mut outbound: HashSet<String> = HashSet::new();
    let mut hidden_ids: HashSet<String> = HashSet::new();
    let mut without_id = 0usize;
    let mut by_domain: BTreeMap<String, Vec<HiddenSend>> = BTreeMap::new();
    for (time, t) in trace {
        if !t.sender_address.eq_ignore_ascii_case(&user) || t.direction == Some(Direction::Inbound)
        {
            continue;
        }
        let id = t
            .message_id
            .as_deref()
            .map(norm_id)
            .filter(|i| !i.is_empty());
        let key = id
            .clone()
            .unwrap_or_else(|| format!("trace:{}", t.message_trace_id.as_deref().unwrap_or("")));
        outbound.insert(key.clone());
        let audit_hit = id.as_ref().and_then(|i| sends.get(i));
        let hidden = match basis {
            SentGapBasis::ExportFolders | SentGapBasis::ExportAnywhere => {
                id.as_ref().is_none_or(|i| !present.contains(i))
            }
            SentGapBasis::AuditOnly => audit_hit.is_some_and(|(save, _)| *save == Some(false)),
            SentGapBasis::NoEvidence => false,
        };
        if id.is_none() {
            without_id += 1;
        }
        if !hidden {
            continue;
        }
        hidden_ids.insert(key);
        let recipient = t.recipient_address.to_lowercase();
        let domain = recipient
            .rsplit_once('@')
            .map(|(_, d)| d.to_string())
            .unwrap_or_default();
        by_domain.entry(domain).or_default().push(HiddenSend {
            message_id: t.message_id.as_deref().map(|m| {
                m.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            }),
            time: *time,
            recipient,
            subject: t.subject.clone(),
            client_ip: t
                .client_ip
                .or(t.from_ip)
                .or(audit_hit.and_then(|(_, ip)| *ip)),
            save_to_sent_items: audit_hit.and_then(|(save, _)| *save),
        });
    }
    let mut groups: Vec<DomainGroup> = by_domain
        .into_iter()
        .map(|(domain, mut rows)| {
            rows.sort_by(|a, b| {
                a.time
                    .cmp(&b.time)
                    .then_with(|| a.recipient.cmp(&b.recipient))
            });
            let messages = rows
                .iter()
                .map(|r| r.message_id.clone())
                .collect::<HashSet<_>>()
                .len();
            DomainGroup {
                domain,
                messages,
                rows,
            }
        })
        .collect();
    groups.sort_by(|a, b| {
        b.rows
            .len()
            .cmp(&a.rows.len())
            .then_with(|| a.domain.cmp(&b.domain))
    });
    SentGapReport {
        user,
        basis,
        outbound_messages: outbound.len(),
        hidden_messages: hidden_ids.len(),
        rows_without_message_id: without_id,
        mailbox_items: mine.len(),
        groups,
    }
}

impl SentGapReport {
    /// Message-IDs (lower-case, no `<>`) of the hidden sends, to set
    /// `AnalysisContext::not_in_sent_items` (H11) when analysing those messages.
    pub fn hidden_message_ids(&self) -> HashSet<String> {
        self.groups
            .iter()
            .flat_map(|g| g.rows.iter())
            .filter_map(|r| r.message_id.as_deref().map(norm_id))
            .collect()
    }
}

/// H9 input from the message trace: how many of `user`'s outbound messages share `subject`
/// (trimmed, case-folded, `RE:`/`FW:` prefixes kept) and to how many recipients, against the
/// user's average number of *other* outbound messages per active day in the same rows (the
/// burst itself is kept out of its own baseline).
pub fn burst_stats(
    user: &str,
    subject: &str,
    trace: &[(DateTime<Utc>, &MessageTrace)],
) -> crate::phish::BurstStats {
    let key = |s: &str| s.trim().to_lowercase();
    let want = key(subject);
    let mut all: HashSet<String> = HashSet::new();
    let mut days: HashSet<chrono::NaiveDate> = HashSet::new();
    let mut same: HashSet<String> = HashSet::new();
    let mut recipients: HashSet<String> = HashSet::new();
    for (time, t) in trace {
        if !t.sender_address.eq_ignore_ascii_case(user) || t.direction == Some(Direction::Inbound) {
            continue;
        }
        let id = t
            .message_id
            .as_deref()
            .map(norm_id)
            .unwrap_or_else(|| format!("{time}|{}", t.recipient_address));
        if t.subject.as_deref().map(key).as_deref() == Some(want.as_str()) {
            same.insert(id);
            recipients.insert(t.recipient_address.to_lowercase());
        } else {
            all.insert(id);
            days.insert(time.date_naive());
        }
    }
    crate::phish::BurstStats {
        same_content_messages: u32::try_from(same.len()).unwrap_or(u32::MAX),
        distinct_recipients: u32::try_from(recipients.len()).unwrap_or(u32::MAX),
        baseline_per_day: if days.is_empty() {
            0.0
        } else {
            all.len() as f64 / days.len() as f64
        },
    }
}
