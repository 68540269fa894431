//! Outlook data files (`.pst`, MS-PST) through `outlook-pst`; a Purview eDiscovery export of a
//! mailbox is a PST.
//!
//! The folder tree is walked from the IPM subtree (`Top of Information Store`) so every
//! message keeps its folder path (`受信トレイ`, `送信済みアイテム/案件A`). Each message is built
//! from MAPI properties; its transport headers (`PR_TRANSPORT_MESSAGE_HEADERS`, 0x007D) give
//! the full header list when present. Messages are opened one at a time (memory stays flat).
//!
//! Limits of `outlook-pst` 1.2 (read-only crate): only Unicode PSTs (Outlook 2003+, and every
//! Purview export) are read here — the ANSI (97–2002) variant is reported as an error; an
//! embedded message attachment (attach method 5) is exposed with its properties but its own
//! attachments are not followed; RTF-only bodies (no `PR_BODY`) are not decompressed.

use std::path::Path;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use model::RecordError;
use outlook_pst::UnicodePstFile;
use outlook_pst::ltp::prop_context::PropertyValue;
use outlook_pst::ltp::table_context::TableContext;
use outlook_pst::messaging::attachment::{AttachmentData, UnicodeAttachment};
use outlook_pst::messaging::folder::Folder;
use outlook_pst::messaging::message::{Message, UnicodeMessage};
use outlook_pst::messaging::store::{EntryId, Store, UnicodeStore};
use outlook_pst::ndb::node_id::NodeId;

use crate::message::{Attachment, MailMessage, Mailbox, clean_message_id};
use crate::parse::parse_header_block;
use crate::readers::MailSink;

const PR_SUBJECT: u16 = 0x0037;
const PR_CLIENT_SUBMIT_TIME: u16 = 0x0039;
const PR_TRANSPORT_MESSAGE_HEADERS: u16 = 0x007D;
const PR_SENDER_NAME: u16 = 0x0C1A;
const PR_SENDER_EMAIL_ADDRESS: u16 = 0x0C1F;
const PR_SENDER_SMTP_ADDRESS: u16 = 0x5D01;
const PR_RECIPIENT_TYPE: u16 = 0x0C15;
const PR_MESSAGE_DELIVERY_TIME: u16 = 0x0E06;
const PR_MESSAGE_SIZE: u16 = 0x0E08;
const PR_BODY: u16 = 0x1000;
const PR_HTML: u16 = 0x1013;
const PR_INTERNET_MESSAGE_ID: u16 = 0x1035;
const PR_DISPLAY_NAME: u16 = 0x3001;
const PR_EMAIL_ADDRESS: u16 = 0x3003;
const PR_SMTP_ADDRESS: u16 = 0x39FE;
const PR_ATTACH_DATA: u16 = 0x3701;
const PR_ATTACH_FILENAME: u16 = 0x3704;
const PR_ATTACH_METHOD: u16 = 0x3705;
const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
const PR_ATTACH_MIME_TAG: u16 = 0x370E;

/// Reads every message of a PST, folder by folder.
pub(super) fn read_pst_file(path: &Path, name: &str, sink: &mut MailSink<'_>) {
    let store = match UnicodePstFile::open(path).and_then(|f| UnicodeStore::read(Rc::new(f))) {
        Ok(s) => s,
        Err(e) => {
            sink(Err(RecordError::new(
                name,
                0,
                format!("cannot open as a Unicode PST (ANSI PSTs are not supported): {e}"),
            )));
            return;
        }
    };
    let root = match store
        .properties()
        .ipm_sub_tree_entry_id()
        .and_then(|id| store.open_folder(&id))
    {
        Ok(f) => f,
        Err(e) => {
            sink(Err(RecordError::new(
                name,
                0,
                format!("PST has no readable IPM subtree: {e}"),
            )));
            return;
        }
    };
    let mut index = 0u64;
    walk_folder(&store, &root, "", name, &mut index, sink);
}

/// Lists the folder paths of a PST (for diagnostics and tests), depth-first in PST order.
pub fn pst_folder_paths(path: &Path) -> Result<Vec<String>, String> {
    let store = UnicodePstFile::open(path)
        .and_then(|f| UnicodeStore::read(Rc::new(f)))
        .map_err(|e| e.to_string())?;
    let root = store
        .properties()
        .ipm_sub_tree_entry_id()
        .and_then(|id| store.open_folder(&id))
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    collect_paths(&store, &root, "", &mut out);
    Ok(out)
}

fn sub_folders(store: &Rc<UnicodeStore>, folder: &Rc<dyn Folder>) -> Vec<(String, Rc<dyn Folder>)> {
    let Some(table) = folder.hierarchy_table() else {
        return Vec::new();
    };
    table
        .rows_matrix()
        .filter_map(|row| {
            let id = store
                .properties()
                .make_entry_id(NodeId::from(u32::from(row.id())))
                .ok()?;
            let sub = store.open_folder(&id).ok()?;
            let name = sub.properties().display_name().ok()?;
            Some((name, sub))
        })
        .collect()
}

fn collect_paths(
    store: &Rc<UnicodeStore>,
    folder: &Rc<dyn Folder>,
    prefix: &str,
    out: &mut Vec<String>,
) {
    for (name, sub) in sub_folders(store, folder) {
        let path = join(prefix, &name);
        out.push(path.clone());
        collect_paths(store, &sub, &path, out);
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

fn walk_folder(
    store: &Rc<UnicodeStore>,
    folder: &Rc<dyn Folder>,
    path: &str,
    source: &str,
    index: &mut u64,
    sink: &mut MailSink<'_>,
) {
    if let Some(contents) = folder.contents_table() {
        let ids: Vec<u32> = contents.rows_matrix().map(|r| u32::from(r.id())).collect();
        for node in ids {
            let i = *index;
            *index += 1;
            let result = store
                .properties()
                .make_entry_id(NodeId::from(node))
                .and_then(|id| read_message(store, &id))
                .map_err(|e| {
                    RecordError::new(
                        format!("{source}!{path}"),
                        i,
                        format!("unreadable PST message: {e}"),
                    )
                });
            sink(result.map(|mut m| {
                m.source = source.to_string();
                m.record = i;
                m.folder = (!path.is_empty()).then(|| path.to_string());
                m
            }));
        }
    }
    for (name, sub) in sub_folders(store, folder) {
        walk_folder(store, &sub, &join(path, &name), source, index, sink);
    }
}

fn text(v: Option<&PropertyValue>) -> Option<String> {
    match v? {
        PropertyValue::Unicode(s) => Some(s.to_string()),
        PropertyValue::String8(s) => Some(decode_8bit(s.buffer())),
        PropertyValue::Binary(b) => Some(decode_8bit(b.buffer())),
        _ => None,
    }
    .map(|s| s.trim_end_matches('\0').to_string())
    .filter(|s| !s.is_empty())
}

/// 8-bit strings in a PST use the store's code page; UTF-8 first, then CP932 for Japanese.
fn decode_8bit(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
    }
}

fn int(v: Option<&PropertyValue>) -> Option<i64> {
    match v? {
        PropertyValue::Integer32(i) => Some(i64::from(*i)),
        PropertyValue::Integer64(i) => Some(*i),
        _ => None,
    }
}

/// FILETIME (100 ns since 1601-01-01) → UTC.
fn filetime(v: Option<&PropertyValue>) -> Option<DateTime<Utc>> {
    match v? {
        PropertyValue::Time(t) => {
            let secs = t / 10_000_000 - 11_644_473_600;
            DateTime::<Utc>::from_timestamp(secs, 0)
        }
        _ => None,
    }
}

fn table_rows(table: &Rc<dyn TableContext>) -> Vec<Vec<(u16, Option<PropertyValue>)>> {
    let context = table.context();
    table
        .rows_matrix()
        .filter_map(|row| {
            let cols = row.columns(context).ok()?;
            Some(
                context
                    .columns()
                    .iter()
                    .zip(cols)
                    .map(|(c, v)| {
                        (
                            c.prop_id(),
                            v.and_then(|v| table.read_column(&v, c.prop_type()).ok()),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

fn read_message(store: &Rc<UnicodeStore>, id: &EntryId) -> std::io::Result<MailMessage> {
    let msg = UnicodeMessage::read(store.clone(), id, None)?;
    let props = msg.properties();
    let mut m = text(props.get(PR_TRANSPORT_MESSAGE_HEADERS))
        .and_then(|h| parse_header_block(&h))
        .unwrap_or_default();
    m.format = "pst".into();
    if let Some(id) = text(props.get(PR_INTERNET_MESSAGE_ID)).and_then(|s| clean_message_id(&s)) {
        m.message_id = Some(id);
    }
    let sender_addr = text(props.get(PR_SENDER_SMTP_ADDRESS))
        .or_else(|| text(props.get(PR_SENDER_EMAIL_ADDRESS)))
        .filter(|a| a.contains('@'));
    let sender_name = text(props.get(PR_SENDER_NAME));
    if sender_addr.is_some() || sender_name.is_some() {
        m.from = Some(Mailbox::new(sender_name.as_deref(), sender_addr.as_deref()));
    }
    if let Some(s) = text(props.get(PR_SUBJECT)) {
        // PR_SUBJECT may carry a 2-char prefix marker (0x01 + length) before the text
        let s = match s.strip_prefix('\u{1}') {
            Some(rest) => rest.chars().skip(1).collect(),
            None => s,
        };
        m.subject = Some(s);
    }
    if m.date.is_none() {
        m.date = filetime(props.get(PR_CLIENT_SUBMIT_TIME))
            .or_else(|| filetime(props.get(PR_MESSAGE_DELIVERY_TIME)));
    }
    m.text_body = text(props.get(PR_BODY)).unwrap_or_default();
    m.html_body = text(props.get(PR_HTML));
    m.size = int(props.get(PR_MESSAGE_SIZE))
        .and_then(|s| u64::try_from(s).ok())
        .unwrap_or(0);
    if let Some(table) = msg.recipient_table() {
        let (mut to, mut cc, mut bcc) = (Vec::new(), Vec::new(), Vec::new());
        for row in table_rows(table) {
            let get = |id: u16| {
                row.iter()
                    .find(|(p, _)| *p == id)
                    .and_then(|(_, v)| v.as_ref())
            };
            let addr = text(get(PR_SMTP_ADDRESS))
                .or_else(|| text(get(PR_EMAIL_ADDRESS)))
                .filter(|a| a.contains('@'));
            let mb = Mailbox::new(text(get(PR_DISPLAY_NAME)).as_deref(), addr.as_deref());
            match int(get(PR_RECIPIENT_TYPE)) {
                Some(2) => cc.push(mb),
                Some(3) => bcc.push(mb),
                _ => to.push(mb),
            }
        }
        if !to.is_empty() || !cc.is_empty() {
            m.to = to;
            m.cc = cc;
        }
        m.bcc = bcc;
    }
    if let Some(table) = msg.attachment_table() {
        let nodes: Vec<u32> = table.rows_matrix().map(|r| u32::from(r.id())).collect();
        for node in nodes {
            match UnicodeAttachment::read(msg.clone(), NodeId::from(node), None) {
                Ok(att) => m.attachments.push(convert_attachment(&att)),
                Err(e) => tracing::warn!(error = %e, "unreadable PST attachment"),
            }
        }
    }
    Ok(m)
}

fn convert_attachment(att: &Rc<UnicodeAttachment>) -> Attachment {
    use outlook_pst::messaging::attachment::Attachment as _;
    let props = att.properties();
    let filename = text(props.get(PR_ATTACH_LONG_FILENAME))
        .or_else(|| text(props.get(PR_ATTACH_FILENAME)))
        .or_else(|| text(props.get(PR_DISPLAY_NAME)));
    let embedded = int(props.get(PR_ATTACH_METHOD)) == Some(5);
    let mut data = Vec::new();
    let mut nested = None;
    match att.data() {
        Some(AttachmentData::Binary(b)) => data = b.buffer().to_vec(),
        Some(AttachmentData::Message(inner)) => {
            let p = inner.properties();
            let mut n = text(p.get(PR_TRANSPORT_MESSAGE_HEADERS))
                .and_then(|h| parse_header_block(&h))
                .unwrap_or_default();
            n.format = "nested".into();
            n.subject = text(p.get(PR_SUBJECT)).or(n.subject);
            n.text_body = text(p.get(PR_BODY)).unwrap_or_default();
            nested = Some(Box::new(n));
        }
        None => {
            if let Some(PropertyValue::Binary(b)) = props.get(PR_ATTACH_DATA) {
                data = b.buffer().to_vec();
            }
        }
    }
    let content_type = if embedded || nested.is_some() {
        "message/rfc822".to_string()
    } else {
        text(props.get(PR_ATTACH_MIME_TAG))
            .map(|s| s.to_lowercase())
            .unwrap_or_else(|| "application/octet-stream".into())
    };
    Attachment {
        filename,
        content_type,
        data,
        nested,
    }
}
