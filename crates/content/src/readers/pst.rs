//! Outlook data files (`.pst`, MS-PST) through `outlook-pst`; a Purview eDiscovery export of a
//! mailbox is a PST.
//!
//! The folder tree is walked from the IPM subtree (`Top of Information Store`) so every
//! message keeps its folder path (`受信トレイ`, `送信済みアイテム/案件A`). Each message is built
//! from MAPI properties; its transport headers (`PR_TRANSPORT_MESSAGE_HEADERS`, 0x007D) give
//! the full header list when present. Messages are opened one at a time, and the file is
//! reopened every 2,000 messages because `outlook-pst` caches every B-tree page it has visited
//! for as long as a file is open (memory stays flat in the size of the PST). The file is opened
//! read-only.
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

/// Messages read through one opened store before it is reopened: `outlook-pst` caches every
/// B-tree page it visits for the life of the file handle, so reopening bounds memory (a few MB)
/// whatever the size of the PST. Reopening costs one header and one store read.
const REOPEN_EVERY: u64 = 2_000;

/// Opens the PST read-only (evidence files are never opened for writing).
fn open_store(path: &Path) -> std::io::Result<Rc<UnicodeStore>> {
    let file = std::fs::File::open(path)?;
    UnicodePstFile::read_from(Box::new(file)).and_then(|f| UnicodeStore::read(Rc::new(f)))
}

/// Reads every message of a PST, folder by folder.
pub(super) fn read_pst_file(path: &Path, name: &str, sink: &mut MailSink<'_>) {
    let folders = match open_store(path) {
        Ok(store) => match ipm_root(&store) {
            Ok(root) => {
                let (mut out, mut errors) = (Vec::new(), Vec::new());
                collect_folders(&store, &root, "", &mut out, &mut errors);
                for e in errors {
                    sink(Err(RecordError::new(name, 0, e)));
                }
                out
            }
            Err(e) => {
                sink(Err(RecordError::new(
                    name,
                    0,
                    format!("PST has no readable IPM subtree: {e}"),
                )));
                return;
            }
        },
        Err(e) => {
            sink(Err(RecordError::new(
                name,
                0,
                format!("cannot open as a Unicode PST (ANSI PSTs are not supported): {e}"),
            )));
            return;
        }
    };
    let mut index = 0u64;
    let mut store: Option<Rc<UnicodeStore>> = None;
    let mut since_open = 0u64;
    for (path_in_pst, folder_nid) in folders {
        let source_folder = format!("{name}!{path_in_pst}");
        let mut current = match store_for(path, &mut store, &mut since_open) {
            Ok(s) => s,
            Err(e) => {
                sink(Err(RecordError::new(source_folder, 0, e)));
                continue;
            }
        };
        let ids: Vec<u32> = match current
            .properties()
            .make_entry_id(NodeId::from(folder_nid))
            .and_then(|id| current.open_folder(&id))
        {
            Ok(folder) => folder
                .contents_table()
                .map(|t| t.rows_matrix().map(|r| u32::from(r.id())).collect())
                .unwrap_or_default(),
            Err(e) => {
                sink(Err(RecordError::new(
                    source_folder,
                    0,
                    format!("unreadable PST folder: {e}"),
                )));
                continue;
            }
        };
        for node in ids {
            if since_open >= REOPEN_EVERY {
                match store_for(path, &mut store, &mut since_open) {
                    Ok(s) => current = s,
                    Err(e) => {
                        sink(Err(RecordError::new(source_folder.clone(), index, e)));
                        return;
                    }
                }
            }
            since_open += 1;
            let i = index;
            index += 1;
            let result = current
                .properties()
                .make_entry_id(NodeId::from(node))
                .and_then(|id| read_message(&current, &id))
                .map_err(|e| {
                    RecordError::new(
                        source_folder.clone(),
                        i,
                        format!("unreadable PST message: {e}"),
                    )
                });
            sink(result.map(|mut m| {
                m.source = name.to_string();
                m.record = i;
                m.folder = (!path_in_pst.is_empty()).then(|| path_in_pst.clone());
                m
            }));
        }
    }
}

/// The open store, or a freshly opened one when none is open or the open one has served
/// [`REOPEN_EVERY`] messages.
fn store_for(
    path: &Path,
    store: &mut Option<Rc<UnicodeStore>>,
    since_open: &mut u64,
) -> Result<Rc<UnicodeStore>, String> {
    if let Some(s) = store.as_ref().filter(|_| *since_open < REOPEN_EVERY) {
        return Ok(s.clone());
    }
    *store = None;
    let s = open_store(path).map_err(|e| format!("cannot reopen PST: {e}"))?;
    *since_open = 0;
    *store = Some(s.clone());
    Ok(s)
}

fn ipm_root(store: &Rc<UnicodeStore>) -> std::io::Result<Rc<dyn Folder>> {
    store
        .properties()
        .ipm_sub_tree_entry_id()
        .and_then(|id| store.open_folder(&id))
}

/// Lists the folder paths of a PST (for diagnostics and tests), depth-first in PST order.
pub fn pst_folder_paths(path: &Path) -> Result<Vec<String>, String> {
    let store = open_store(path).map_err(|e| e.to_string())?;
    let root = ipm_root(&store).map_err(|e| e.to_string())?;
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    collect_folders(&store, &root, "", &mut out, &mut errors);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(out.into_iter().map(|(p, _)| p).collect()),
    }
}

/// The sub-folders of `folder`, depth-first, as (path, folder NID); a folder that cannot be
/// opened (and so its sub-tree) is named in `errors`.
fn collect_folders(
    store: &Rc<UnicodeStore>,
    folder: &Rc<dyn Folder>,
    prefix: &str,
    out: &mut Vec<(String, u32)>,
    errors: &mut Vec<String>,
) {
    let Some(table) = folder.hierarchy_table() else {
        return;
    };
    let nids: Vec<u32> = table.rows_matrix().map(|r| u32::from(r.id())).collect();
    for nid in nids {
        let opened = store
            .properties()
            .make_entry_id(NodeId::from(nid))
            .and_then(|id| store.open_folder(&id))
            .and_then(|sub| Ok((sub.properties().display_name()?, sub)));
        let (name, sub) = match opened {
            Ok(x) => x,
            Err(e) => {
                errors.push(format!(
                    "unreadable PST folder {nid:#x} under {prefix:?}, skipped with its sub-folders: {e}"
                ));
                continue;
            }
        };
        let path = join(prefix, &name);
        out.push((path.clone(), nid));
        collect_folders(store, &sub, &path, out, errors);
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
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
