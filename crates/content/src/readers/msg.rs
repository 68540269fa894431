//! Outlook `.msg` items (MS-OXMSG, a CFB container) through `msg_parser`.
//!
//! The item's MAPI properties give sender, recipients, subject and bodies; its transport
//! headers (`PR_TRANSPORT_MESSAGE_HEADERS`, present on received mail) give the full header
//! list and the Message-ID. Embedded messages (attach method 5) become nested messages.

use std::path::Path;

use chrono::{DateTime, Utc};
use model::RecordError;
use msg_parser::Outlook;

use crate::message::{Attachment, MailMessage, Mailbox, clean_message_id};
use crate::parse::parse_header_block;
use crate::readers::MailSink;

/// How deep embedded `.msg` items are followed.
const MAX_NESTING: usize = 8;

/// Reads one `.msg` file and hands its message to the sink.
pub(super) fn read_msg_file(
    path: &Path,
    name: &str,
    folder: Option<&str>,
    sink: &mut MailSink<'_>,
) {
    match std::fs::read(path) {
        Ok(bytes) => sink(read_msg_bytes(&bytes, name, folder)),
        Err(e) => sink(Err(RecordError::new(name, 0, format!("cannot read: {e}")))),
    }
}

/// Decodes one `.msg` item held in memory.
pub fn read_msg_bytes(
    bytes: &[u8],
    source: &str,
    folder: Option<&str>,
) -> Result<MailMessage, RecordError> {
    let outlook = Outlook::from_slice(bytes).map_err(|e| {
        RecordError::new(source, 0, format!("not a readable Outlook .msg item: {e}"))
    })?;
    let mut m = convert(&outlook, source, 0);
    m.folder = folder.map(str::to_string);
    m.size = bytes.len() as u64;
    Ok(m)
}

fn person(p: &msg_parser::Person) -> Option<Mailbox> {
    let addr = Some(p.email.as_str()).filter(|e| e.contains('@'));
    let mb = Mailbox::new(Some(p.name.as_str()), addr);
    (mb.name.is_some() || mb.address.is_some()).then_some(mb)
}

fn convert(o: &Outlook, source: &str, depth: usize) -> MailMessage {
    let header_msg = (!o.headers.raw.trim().is_empty())
        .then(|| parse_header_block(&o.headers.raw))
        .flatten();
    let mut m = header_msg.unwrap_or_default();
    m.source = source.to_string();
    m.format = if depth == 0 {
        "msg".into()
    } else {
        "nested".into()
    };
    if m.message_id.is_none() {
        m.message_id = clean_message_id(&o.headers.message_id);
    }
    // MAPI properties are authoritative for what Outlook shows
    if let Some(from) = person(&o.sender) {
        m.from = Some(from);
    }
    let to: Vec<Mailbox> = o.to.iter().filter_map(person).collect();
    if !to.is_empty() {
        m.to = to;
    }
    let cc: Vec<Mailbox> = o.cc.iter().filter_map(person).collect();
    if !cc.is_empty() {
        m.cc = cc;
    }
    m.bcc = o.bcc.iter().filter_map(person).collect();
    if !o.subject.is_empty() {
        m.subject = Some(o.subject.clone());
    }
    if m.date.is_none() {
        m.date = [&o.client_submit_time, &o.message_delivery_time]
            .iter()
            .find_map(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|d| d.with_timezone(&Utc));
    }
    m.text_body = o.body.clone();
    m.html_body = (!o.html.is_empty()).then(|| o.html.clone());
    m.attachments = o
        .attachments
        .iter()
        .map(|a| {
            let nested = if depth < MAX_NESTING {
                a.as_message()
                    .and_then(Result::ok)
                    .map(|inner| Box::new(convert(&inner, source, depth + 1)))
            } else {
                None
            };
            let filename = [&a.long_file_name, &a.file_name, &a.display_name]
                .into_iter()
                .find(|s| !s.is_empty())
                .cloned();
            let content_type = if a.is_embedded_message() {
                "message/rfc822".to_string()
            } else if a.mime_tag.is_empty() {
                "application/octet-stream".to_string()
            } else {
                a.mime_tag.to_lowercase()
            };
            Attachment {
                filename,
                content_type,
                data: a.payload_bytes.clone(),
                nested,
            }
        })
        .collect();
    m
}
