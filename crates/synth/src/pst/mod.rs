//! A streaming writer of Unicode Outlook data files (`.pst`, MS-PST), so the PST reader of
//! the `content` crate can be tested and benchmarked on real messages without a PST in the
//! repository (a Purview eDiscovery export is a PST; no PST writer exists offline).
//!
//! Written from the public MS-PST specification in three layers, one file each:
//! `ndb` (header, blocks, data and subnode trees, allocation maps, node and block B-trees),
//! `ltp` (heap-on-node, BTree-on-heap, property and table contexts) and `messaging`
//! (store, folders, messages, recipients, attachments); [`write_typical_mail`] fills a PST of
//! any size with typical mail for benchmarks.
//!
//! Streaming: each message's blocks are written to the file when it is added; what stays in
//! memory until [`PstWriter::finish`] is the B-tree index (24 bytes per block, 32 per node),
//! one 40-byte contents-table row per message, and the folder list.
//!
//! Left out (Outlook compatibility beyond what `outlook-pst` verifies): encryption
//! (`bCryptMethod` is always `NDB_CRYPT_NONE`), the density list is written empty, the named
//! property map holds one entry (libpff refuses an empty one), there are no template nodes, search-management
//! queues or receive-folder table, contents tables carry only fixed-size columns (flags, size,
//! times; no subject or sender columns), and ANSI (97–2002) files are not produced. Outlook
//! itself may therefore ask to repair a file written here; the structures it does contain
//! follow the specification (CRCs, signatures, AMap/PMap/FMap pages at their intervals).
//! Besides `outlook-pst`, libpff (Debian `pff-tools` 20180714: `pffinfo`, `pffexport`) opens
//! and exports these files — folders, messages, recipients, attachments — without errors; it
//! shows a subject that starts with a non-ASCII character without that character (its
//! subject-prefix heuristic), which `outlook-pst` and `content` read exactly.

mod ltp;
mod messaging;
mod ndb;
mod sample;

use chrono::{DateTime, Utc};

pub use messaging::PstWriter;
pub use sample::write_typical_mail;

/// A sender or recipient: display name and SMTP address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PstAddress {
    /// Display name (`山田 太郎`); may be empty.
    pub name: String,
    /// SMTP address (`taro.yamada@example.co.jp`).
    pub address: String,
}

impl PstAddress {
    /// An address with a display name.
    pub fn new(name: impl Into<String>, address: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            address: address.into(),
        }
    }
}

/// Which header line a recipient is on (`PR_RECIPIENT_TYPE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecipientKind {
    /// `MAPI_TO` (1).
    To,
    /// `MAPI_CC` (2).
    Cc,
    /// `MAPI_BCC` (3).
    Bcc,
}

impl RecipientKind {
    fn code(self) -> i32 {
        match self {
            RecipientKind::To => 1,
            RecipientKind::Cc => 2,
            RecipientKind::Bcc => 3,
        }
    }
}

/// One recipient of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PstRecipient {
    /// To, Cc or Bcc.
    pub kind: RecipientKind,
    /// Name and address.
    pub address: PstAddress,
}

/// A file attached by value (`PR_ATTACH_METHOD` = 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PstAttachment {
    /// File name (`PR_ATTACH_LONG_FILENAME`), Japanese allowed.
    pub filename: String,
    /// MIME type (`PR_ATTACH_MIME_TAG`).
    pub mime_type: String,
    /// The bytes (`PR_ATTACH_DATA_BIN`); any size up to 4 GiB.
    pub data: Vec<u8>,
}

/// One message to add to a folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PstMessage {
    /// `PR_SUBJECT`.
    pub subject: String,
    /// `PR_SENDER_NAME` / `PR_SENDER_EMAIL_ADDRESS` (and the sent-representing pair).
    pub from: PstAddress,
    /// The recipient table.
    pub recipients: Vec<PstRecipient>,
    /// `PR_CLIENT_SUBMIT_TIME`.
    pub submit_time: Option<DateTime<Utc>>,
    /// `PR_MESSAGE_DELIVERY_TIME`.
    pub delivery_time: Option<DateTime<Utc>>,
    /// `PR_INTERNET_MESSAGE_ID`, with angle brackets as in the header.
    pub message_id: Option<String>,
    /// `PR_TRANSPORT_MESSAGE_HEADERS`: the RFC 5322 header block as received.
    pub transport_headers: Option<String>,
    /// `PR_BODY` (Unicode).
    pub body: String,
    /// `PR_HTML` (UTF-8 bytes), when the message has an HTML body.
    pub html: Option<String>,
    /// Attachments by value.
    pub attachments: Vec<PstAttachment>,
}

/// A folder of the PST being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FolderId(usize);

/// What [`PstWriter::finish`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PstSummary {
    /// File size in bytes.
    pub bytes: u64,
    /// Folders under the IPM subtree (including an added `Deleted Items`).
    pub folders: usize,
    /// Messages written.
    pub messages: u64,
}

/// FILETIME (100 ns ticks since 1601-01-01) of a UTC time.
fn filetime(t: DateTime<Utc>) -> i64 {
    (t.timestamp() + 11_644_473_600) * 10_000_000 + i64::from(t.timestamp_subsec_nanos() / 100)
}
