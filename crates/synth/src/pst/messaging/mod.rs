//! Messaging layer of the PST writer (MS-PST §2.4): the message store, the folder tree under
//! the IPM subtree (`Top of Information Store`), and messages with their recipient table,
//! attachment table and attachments.
//!
//! A message is written completely when it is added: attachments (each a property context in
//! a subnode, its data in its own subnode when large), the attachment and recipient tables,
//! the message's property context and its subnode tree. Folders — their property contexts
//! and hierarchy, contents and associated-contents tables — are written by `finish`, when
//! their children and messages are known.

use std::path::{Path, PathBuf};

use crate::error::Error;

mod folders;
use crate::pst::ltp::{
    PT_BOOL, PT_I32, PT_TIME, PT_UNICODE, Row, SubNodes, Value, write_pc, write_tc,
};
use crate::pst::ndb::{Ndb, SubNode};
use crate::pst::{FolderId, PstMessage, PstSummary, filetime};

const NID_MESSAGE_STORE: u32 = 0x21;
const NID_NAME_TO_ID_MAP: u32 = 0x61;
const NID_ROOT_FOLDER: u32 = 0x122;
const NID_ATTACHMENT_TABLE: u32 = 0x671;
const NID_RECIPIENT_TABLE: u32 = 0x692;
const NID_TYPE_NORMAL_FOLDER: u32 = 0x02;
const NID_TYPE_NORMAL_MESSAGE: u32 = 0x04;
const NID_TYPE_ATTACHMENT: u32 = 0x05;
const NID_TYPE_HIERARCHY_TABLE: u32 = 0x0D;
const NID_TYPE_CONTENTS_TABLE: u32 = 0x0E;
const NID_TYPE_ASSOC_CONTENTS_TABLE: u32 = 0x0F;

const PR_MESSAGE_CLASS: u16 = 0x001A;
const PR_SUBJECT: u16 = 0x0037;
const PR_CLIENT_SUBMIT_TIME: u16 = 0x0039;
const PR_SENT_REPRESENTING_NAME: u16 = 0x0042;
const PR_SENT_REPRESENTING_ADDRTYPE: u16 = 0x0064;
const PR_SENT_REPRESENTING_EMAIL_ADDRESS: u16 = 0x0065;
const PR_TRANSPORT_MESSAGE_HEADERS: u16 = 0x007D;
const PR_RECIPIENT_TYPE: u16 = 0x0C15;
const PR_SENDER_NAME: u16 = 0x0C1A;
const PR_SENDER_ADDRTYPE: u16 = 0x0C1E;
const PR_SENDER_EMAIL_ADDRESS: u16 = 0x0C1F;
const PR_DISPLAY_CC: u16 = 0x0E03;
const PR_DISPLAY_TO: u16 = 0x0E04;
const PR_MESSAGE_DELIVERY_TIME: u16 = 0x0E06;
const PR_MESSAGE_FLAGS: u16 = 0x0E07;
const PR_MESSAGE_SIZE: u16 = 0x0E08;
const PR_HASATTACH: u16 = 0x0E1B;
const PR_ATTACH_SIZE: u16 = 0x0E20;
const PR_RECORD_KEY: u16 = 0x0FF9;
const PR_OBJECT_TYPE: u16 = 0x0FFE;
const PR_BODY: u16 = 0x1000;
const PR_HTML: u16 = 0x1013;
const PR_INTERNET_MESSAGE_ID: u16 = 0x1035;
const PR_DISPLAY_NAME: u16 = 0x3001;
const PR_ADDRTYPE: u16 = 0x3002;
const PR_EMAIL_ADDRESS: u16 = 0x3003;
const PR_CREATION_TIME: u16 = 0x3007;
const PR_LAST_MODIFICATION_TIME: u16 = 0x3008;
const PR_IPM_SUBTREE_ENTRYID: u16 = 0x35E0;
const PR_IPM_WASTEBASKET_ENTRYID: u16 = 0x35E3;
const PR_FINDER_ENTRYID: u16 = 0x35E7;
const PR_VALID_FOLDER_MASK: u16 = 0x35DF;
const PR_CONTENT_COUNT: u16 = 0x3602;
const PR_CONTENT_UNREAD: u16 = 0x3603;
const PR_SUBFOLDERS: u16 = 0x360A;
const PR_CONTAINER_CLASS: u16 = 0x3613;
const PR_ATTACH_DATA_BIN: u16 = 0x3701;
const PR_ATTACH_EXTENSION: u16 = 0x3703;
const PR_ATTACH_FILENAME: u16 = 0x3704;
const PR_ATTACH_METHOD: u16 = 0x3705;
const PR_ATTACH_LONG_FILENAME: u16 = 0x3707;
const PR_RENDERING_POSITION: u16 = 0x370B;
const PR_ATTACH_MIME_TAG: u16 = 0x370E;
const PR_DISPLAY_TYPE: u16 = 0x3900;
const PR_SMTP_ADDRESS: u16 = 0x39FE;
const PR_SENDER_SMTP_ADDRESS: u16 = 0x5D01;
const PID_NAMEID_BUCKET_COUNT: u16 = 0x0001;
const PID_NAMEID_STREAM_GUID: u16 = 0x0002;
const PID_NAMEID_STREAM_ENTRY: u16 = 0x0003;
const PID_NAMEID_STREAM_STRING: u16 = 0x0004;

const MSGFLAG_READ: i32 = 0x01;
const MSGFLAG_HASATTACH: i32 = 0x10;
const MAPI_MAILUSER: i32 = 6;
/// `FOLDER_IPM_SUBTREE_VALID | FOLDER_IPM_WASTEBASKET_VALID | FOLDER_FINDER_VALID`.
const VALID_FOLDER_MASK: i32 = 0x89;

/// One message's row in its folder's contents table.
#[derive(Debug, Clone, Copy)]
struct ContentsRow {
    nid: u32,
    flags: i32,
    size: i32,
    delivery: i64,
    submit: i64,
}

#[derive(Debug)]
struct FolderState {
    nid: u32,
    parent: usize,
    name: String,
    mail: bool,
    children: Vec<usize>,
    messages: Vec<ContentsRow>,
}

/// A PST being written. Create it, add folders and messages, then [`PstWriter::finish`].
pub struct PstWriter {
    ndb: Ndb,
    path: PathBuf,
    display_name: String,
    record_key: [u8; 16],
    folders: Vec<FolderState>,
    deleted_items: Option<usize>,
    next_folder: u32,
    next_message: u32,
    messages: u64,
}

const ROOT: usize = 0;
const IPM: usize = 1;
const FINDER: usize = 2;

impl PstWriter {
    /// Creates (truncates) `path`; `display_name` names the store (`PR_DISPLAY_NAME`).
    pub fn create(path: &Path, display_name: &str) -> Result<Self, Error> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let ndb = Ndb::create(path)?;
        // a stable store GUID derived from the name, so the same input gives the same bytes
        let mut record_key = [0u8; 16];
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (i, slot) in record_key.iter_mut().enumerate() {
            for b in display_name.bytes().chain([i as u8]) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            *slot = (h >> 24) as u8;
        }
        let folder = |nid, parent, name: &str, mail| FolderState {
            nid,
            parent,
            name: name.into(),
            mail,
            children: Vec::new(),
            messages: Vec::new(),
        };
        let mut folders = vec![
            folder(NID_ROOT_FOLDER, ROOT, "", false),
            folder(
                (0x401 << 5) | NID_TYPE_NORMAL_FOLDER,
                ROOT,
                "Top of Information Store",
                false,
            ),
            folder(
                (0x402 << 5) | NID_TYPE_NORMAL_FOLDER,
                ROOT,
                "Search Root",
                false,
            ),
        ];
        folders[ROOT].children = vec![IPM, FINDER];
        Ok(Self {
            ndb,
            path: path.to_path_buf(),
            display_name: display_name.into(),
            record_key,
            folders,
            deleted_items: None,
            next_folder: 0x403,
            next_message: 0x10000,
            messages: 0,
        })
    }

    /// Bytes written to the file so far (grows as messages are added).
    pub fn bytes_written(&self) -> u64 {
        self.ndb.bytes_written()
    }

    /// The IPM subtree (`Top of Information Store`): parent of the top-level mail folders.
    pub fn ipm_root(&self) -> FolderId {
        FolderId(IPM)
    }

    /// Adds a mail folder (`IPF.Note`) named `name` under `parent`.
    pub fn add_folder(&mut self, parent: FolderId, name: &str) -> Result<FolderId, Error> {
        if parent.0 >= self.folders.len() || parent.0 == ROOT || parent.0 == FINDER {
            return Err(Error::Pst(format!(
                "{}: folder {name:?} needs a parent under the IPM subtree",
                self.path.display()
            )));
        }
        let nid = (self.next_folder << 5) | NID_TYPE_NORMAL_FOLDER;
        self.next_folder += 1;
        let id = self.folders.len();
        self.folders.push(FolderState {
            nid,
            parent: parent.0,
            name: name.into(),
            mail: true,
            children: Vec::new(),
            messages: Vec::new(),
        });
        self.folders[parent.0].children.push(id);
        Ok(FolderId(id))
    }

    /// Names the folder the store points to as its wastebasket (`削除済みアイテム`); without
    /// it, `finish` adds an empty `Deleted Items` folder.
    pub fn set_deleted_items(&mut self, folder: FolderId) {
        self.deleted_items = Some(folder.0);
    }

    fn entry_id(&self, folder: usize) -> Vec<u8> {
        let mut e = vec![0u8; 4];
        e.extend_from_slice(&self.record_key);
        e.extend_from_slice(&self.folders[folder].nid.to_le_bytes());
        e
    }

    /// Writes `msg` into `folder` now; only its contents-table row stays in memory.
    pub fn add_message(&mut self, folder: FolderId, msg: &PstMessage) -> Result<(), Error> {
        if folder.0 >= self.folders.len() || !self.folders[folder.0].mail {
            return Err(Error::Pst(format!(
                "{}: messages go into mail folders only",
                self.path.display()
            )));
        }
        let nid = (self.next_message << 5) | NID_TYPE_NORMAL_MESSAGE;
        self.next_message += 1;
        let ndb = &mut self.ndb;
        let mut subs = SubNodes::default();

        // attachments, then the attachment table
        let mut att_rows = Vec::new();
        for (i, a) in msg.attachments.iter().enumerate() {
            let att_nid = ((0x8000 + i as u32) << 5) | NID_TYPE_ATTACHMENT;
            let size = i32::try_from(a.data.len()).unwrap_or(i32::MAX);
            let ext = a
                .filename
                .rfind('.')
                .map(|p| &a.filename[p..])
                .unwrap_or("");
            let mut props = vec![
                (PR_ATTACH_METHOD, Value::I32(1)),
                (PR_ATTACH_SIZE, Value::I32(size)),
                (PR_ATTACH_FILENAME, Value::Unicode(&a.filename)),
                (PR_ATTACH_LONG_FILENAME, Value::Unicode(&a.filename)),
                (PR_DISPLAY_NAME, Value::Unicode(&a.filename)),
                (PR_ATTACH_EXTENSION, Value::Unicode(ext)),
                (PR_ATTACH_MIME_TAG, Value::Unicode(&a.mime_type)),
                (PR_RENDERING_POSITION, Value::I32(-1)),
                (PR_ATTACH_DATA_BIN, Value::Binary(&a.data)),
            ];
            let mut att_subs = SubNodes::default();
            let data = write_pc(ndb, &mut props, &mut att_subs)?;
            let sub = ndb.write_subnodes(att_subs.entries)?;
            subs.entries.push(SubNode {
                nid: att_nid,
                data,
                sub,
            });
            att_rows.push(Row {
                id: att_nid,
                values: vec![
                    Some(Value::I32(size)),
                    Some(Value::Unicode(&a.filename)),
                    Some(Value::I32(1)),
                    Some(Value::I32(-1)),
                ],
            });
        }
        if !att_rows.is_empty() {
            let columns = [
                (PR_ATTACH_SIZE, PT_I32),
                (PR_ATTACH_FILENAME, PT_UNICODE),
                (PR_ATTACH_METHOD, PT_I32),
                (PR_RENDERING_POSITION, PT_I32),
            ];
            subs.entries.push(write_table_node(
                ndb,
                NID_ATTACHMENT_TABLE,
                &columns,
                &att_rows,
            )?);
        }

        // the recipient table (always present, as the reader expects)
        let rec_rows: Vec<Row<'_>> = msg
            .recipients
            .iter()
            .enumerate()
            .map(|(i, r)| Row {
                id: i as u32,
                values: vec![
                    Some(Value::I32(r.kind.code())),
                    Some(Value::I32(MAPI_MAILUSER)),
                    Some(Value::I32(0)),
                    Some(Value::Unicode(&r.address.name)),
                    Some(Value::Unicode("SMTP")),
                    Some(Value::Unicode(&r.address.address)),
                    Some(Value::Unicode(&r.address.address)),
                ],
            })
            .collect();
        let columns = [
            (PR_RECIPIENT_TYPE, PT_I32),
            (PR_OBJECT_TYPE, PT_I32),
            (PR_DISPLAY_TYPE, PT_I32),
            (PR_DISPLAY_NAME, PT_UNICODE),
            (PR_ADDRTYPE, PT_UNICODE),
            (PR_EMAIL_ADDRESS, PT_UNICODE),
            (PR_SMTP_ADDRESS, PT_UNICODE),
        ];
        subs.entries.push(write_table_node(
            ndb,
            NID_RECIPIENT_TABLE,
            &columns,
            &rec_rows,
        )?);

        // the message's own properties
        let names = |kind| {
            msg.recipients
                .iter()
                .filter(|r| r.kind == kind)
                .map(|r| {
                    if r.address.name.is_empty() {
                        r.address.address.as_str()
                    } else {
                        r.address.name.as_str()
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let display_to = names(crate::pst::RecipientKind::To);
        let display_cc = names(crate::pst::RecipientKind::Cc);
        let size: usize = msg.body.len()
            + msg.subject.len()
            + msg.html.as_ref().map_or(0, String::len)
            + msg.transport_headers.as_ref().map_or(0, String::len)
            + msg.attachments.iter().map(|a| a.data.len()).sum::<usize>();
        let size = i32::try_from(size).unwrap_or(i32::MAX);
        let flags = MSGFLAG_READ
            | if msg.attachments.is_empty() {
                0
            } else {
                MSGFLAG_HASATTACH
            };
        let submit = msg.submit_time.map(filetime);
        let delivery = msg.delivery_time.map(filetime);
        let created = delivery.or(submit).unwrap_or(0);
        let mut props = vec![
            (PR_MESSAGE_CLASS, Value::Unicode("IPM.Note")),
            (PR_SUBJECT, Value::Unicode(&msg.subject)),
            (PR_SENDER_NAME, Value::Unicode(&msg.from.name)),
            (PR_SENDER_ADDRTYPE, Value::Unicode("SMTP")),
            (PR_SENDER_EMAIL_ADDRESS, Value::Unicode(&msg.from.address)),
            (PR_SENDER_SMTP_ADDRESS, Value::Unicode(&msg.from.address)),
            (PR_SENT_REPRESENTING_NAME, Value::Unicode(&msg.from.name)),
            (PR_SENT_REPRESENTING_ADDRTYPE, Value::Unicode("SMTP")),
            (
                PR_SENT_REPRESENTING_EMAIL_ADDRESS,
                Value::Unicode(&msg.from.address),
            ),
            (PR_DISPLAY_TO, Value::Unicode(&display_to)),
            (PR_DISPLAY_CC, Value::Unicode(&display_cc)),
            (PR_MESSAGE_FLAGS, Value::I32(flags)),
            (PR_MESSAGE_SIZE, Value::I32(size)),
            (PR_HASATTACH, Value::Bool(!msg.attachments.is_empty())),
            (PR_BODY, Value::Unicode(&msg.body)),
            (PR_CREATION_TIME, Value::Time(created)),
            (PR_LAST_MODIFICATION_TIME, Value::Time(created)),
        ];
        if let Some(t) = submit {
            props.push((PR_CLIENT_SUBMIT_TIME, Value::Time(t)));
        }
        if let Some(t) = delivery {
            props.push((PR_MESSAGE_DELIVERY_TIME, Value::Time(t)));
        }
        if let Some(id) = &msg.message_id {
            props.push((PR_INTERNET_MESSAGE_ID, Value::Unicode(id)));
        }
        if let Some(h) = &msg.transport_headers {
            props.push((PR_TRANSPORT_MESSAGE_HEADERS, Value::Unicode(h)));
        }
        if let Some(h) = &msg.html {
            props.push((PR_HTML, Value::Binary(h.as_bytes())));
        }
        let data = write_pc(ndb, &mut props, &mut subs)?;
        let sub = ndb.write_subnodes(subs.entries)?;
        let folder_state = &mut self.folders[folder.0];
        ndb.add_node(nid, data, sub, folder_state.nid);
        folder_state.messages.push(ContentsRow {
            nid,
            flags,
            size,
            delivery: delivery.or(submit).unwrap_or(0),
            submit: submit.or(delivery).unwrap_or(0),
        });
        self.messages += 1;
        Ok(())
    }
}

/// Writes a table context as node `nid` (with its own subnode tree when rows overflow the
/// heap) and returns the entry that references it.
fn write_table_node(
    ndb: &mut Ndb,
    nid: u32,
    columns: &[(u16, u16)],
    rows: &[Row<'_>],
) -> Result<SubNode, Error> {
    let mut subs = SubNodes::default();
    let data = write_tc(ndb, columns, rows, &mut subs)?;
    let sub = ndb.write_subnodes(subs.entries)?;
    Ok(SubNode { nid, data, sub })
}
