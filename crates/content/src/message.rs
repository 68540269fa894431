//! The owned, decoded mail message every reader produces, and its conversion to the
//! `model` nouns (`MailEnvelope`, `Event` of kind `Mail`).
//!
//! Readers differ (MBOX, EML, MSG, PST) but all end in a [`MailMessage`]: headers kept in order,
//! bodies decoded to UTF-8, attachments as (file name, content type, bytes) with nested
//! `message/rfc822` parts parsed recursively, plus the folder path the message was found in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use model::{Event, EventKind, MailEnvelope, Provenance, TenantId};

/// A display name and address pair from an address header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    /// The display name, decoded (RFC 2047), if any.
    pub name: Option<String>,
    /// The address, lower-cased, if any (groups and broken headers may lack one).
    pub address: Option<String>,
}

impl Mailbox {
    /// Builds a mailbox, lower-casing the address and dropping empty parts.
    pub fn new(name: Option<&str>, address: Option<&str>) -> Self {
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        let address = address
            .map(|a| {
                a.trim()
                    .trim_matches(|c| c == '<' || c == '>')
                    .to_lowercase()
            })
            .filter(|a| !a.is_empty());
        Self { name, address }
    }

    /// The domain part of the address, lower-case.
    pub fn domain(&self) -> Option<&str> {
        self.address
            .as_deref()
            .and_then(|a| a.rsplit_once('@'))
            .map(|(_, d)| d)
    }
}

/// One attachment: what the PII crate needs to extract text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    /// File name as given by the sender (Content-Disposition filename or Content-Type name).
    pub filename: Option<String>,
    /// Content type, `type/subtype`, lower-case.
    pub content_type: String,
    /// The decoded bytes (for `message/rfc822`: the raw nested message).
    #[serde(skip)]
    pub data: Vec<u8>,
    /// The nested message when this attachment is a `message/rfc822` part (or an embedded MSG).
    pub nested: Option<Box<MailMessage>>,
}

/// One decoded message as found in a mailbox export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MailMessage {
    /// The input file (for containers: `file!folder/index`).
    pub source: String,
    /// 0-based index of the message inside its input file (0 for single-message files).
    pub record: u64,
    /// Which reader produced it: `mbox`, `eml`, `msg`, `pst`, or `nested`.
    pub format: String,
    /// Folder path inside the mailbox (`受信トレイ`, `送信済みアイテム`, `Inbox/Projects`), when the
    /// export carries one.
    pub folder: Option<String>,
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// Every header in order, as (name, value) with folding removed.
    pub headers: Vec<(String, String)>,
    /// From.
    pub from: Option<Mailbox>,
    /// Sender (when different from From).
    pub sender: Option<Mailbox>,
    /// Reply-To.
    pub reply_to: Vec<Mailbox>,
    /// To.
    pub to: Vec<Mailbox>,
    /// Cc.
    pub cc: Vec<Mailbox>,
    /// Bcc (only present in sent copies).
    pub bcc: Vec<Mailbox>,
    /// Subject, decoded.
    pub subject: Option<String>,
    /// Date header, UTC.
    pub date: Option<DateTime<Utc>>,
    /// Plain-text body (all text parts joined; converted from HTML when there is no text part).
    pub text_body: String,
    /// HTML body when the message has one.
    pub html_body: Option<String>,
    /// Attachments, including nested messages.
    pub attachments: Vec<Attachment>,
    /// Size of the raw message in bytes.
    pub size: u64,
}

impl MailMessage {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All recipients (To, Cc, Bcc).
    pub fn recipients(&self) -> impl Iterator<Item = &Mailbox> {
        self.to.iter().chain(self.cc.iter()).chain(self.bcc.iter())
    }

    /// Every attachment, walking into nested messages depth-first, with a path such as
    /// `転送.eml/請求書.xlsx` naming where it sits.
    pub fn all_attachments(&self) -> Vec<(String, &Attachment)> {
        let mut out = Vec::new();
        collect_attachments(self, "", &mut out);
        out
    }

    /// The natural id of the message: `mail:<message-id>`, or `mail:sha256:<hash>` of the
    /// headers and body when the message has no Message-ID.
    pub fn natural_id(&self) -> String {
        match &self.message_id {
            Some(id) => format!("mail:{id}"),
            None => {
                let mut h = Sha256::new();
                for (n, v) in &self.headers {
                    h.update(n.as_bytes());
                    h.update(b":");
                    h.update(v.as_bytes());
                    h.update(b"\n");
                }
                h.update(self.text_body.as_bytes());
                format!("mail:sha256:{}", hex::encode(&h.finalize()[..16]))
            }
        }
    }

    /// The `model` envelope of this message. `mailbox` is the export's owner when known.
    pub fn to_envelope(&self, mailbox: Option<&str>) -> MailEnvelope {
        let addrs = |list: &[Mailbox]| list.iter().filter_map(|m| m.address.clone()).collect();
        MailEnvelope {
            mailbox: mailbox.map(str::to_lowercase),
            folder: self.folder.clone(),
            message_id: self.message_id.clone(),
            from: self.from.as_ref().and_then(|m| m.address.clone()),
            from_name: self.from.as_ref().and_then(|m| m.name.clone()),
            to: addrs(&self.to),
            cc: addrs(&self.cc),
            subject: self.subject.clone(),
            size: Some(self.size),
        }
    }

    /// The `model::Event` of kind `Mail` for this message. The time is the Date header, or the
    /// Unix epoch when the message has none (the raw JSON keeps the headers for evidence).
    pub fn to_event(&self, tenant: &TenantId, mailbox: Option<&str>) -> Event {
        let envelope = self.to_envelope(mailbox);
        let raw = serde_json::json!({
            "folder": self.folder,
            "headers": self.headers,
            "attachments": self.attachments.iter().map(|a| serde_json::json!({
                "filename": a.filename, "content_type": a.content_type, "size": a.data.len()
            })).collect::<Vec<_>>(),
        })
        .to_string();
        Event {
            tenant: tenant.clone(),
            natural_id: self.natural_id(),
            time: self.date.unwrap_or(DateTime::<Utc>::UNIX_EPOCH),
            provenance: Provenance {
                file: self.source.clone(),
                record: self.record,
                format: format!("mail_{}", self.format),
            },
            raw,
            kind: EventKind::Mail(Box::new(envelope)),
        }
    }
}

fn collect_attachments<'a>(
    msg: &'a MailMessage,
    prefix: &str,
    out: &mut Vec<(String, &'a Attachment)>,
) {
    for (i, a) in msg.attachments.iter().enumerate() {
        let name = a.filename.clone().unwrap_or_else(|| format!("part{i}"));
        let path = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        out.push((path.clone(), a));
        if let Some(n) = &a.nested {
            collect_attachments(n, &path, out);
        }
    }
}

/// Strips angle brackets and whitespace from a Message-ID.
pub fn clean_message_id(id: &str) -> Option<String> {
    let id = id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!id.is_empty()).then(|| id.to_string())
}
