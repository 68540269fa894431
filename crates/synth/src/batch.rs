//! A day's worth of generated records, before they are sorted and written, and the list of
//! the victim's messages that the mailbox export (phase 2) turns into MBOX files.

use chrono::{DateTime, NaiveDate, Utc};

use crate::directory::DirRec;
use crate::signin::SignInRec;
use crate::trace::{HistRow, TraceRow};
use crate::ual::UalRec;

/// Records generated for one UTC day (or held back for a later day).
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// Sign-ins.
    pub signins: Vec<SignInRec>,
    /// Unified audit log records.
    pub ual: Vec<UalRec>,
    /// Message trace rows.
    pub trace: Vec<TraceRow>,
    /// Directory audits.
    pub directory: Vec<DirRec>,
    /// Historical report rows.
    pub historical: Vec<HistRow>,
}

fn split_off<T>(v: &mut Vec<T>, date: NaiveDate, time: impl Fn(&T) -> DateTime<Utc>) -> Vec<T> {
    let (take, keep): (Vec<T>, Vec<T>) = std::mem::take(v)
        .into_iter()
        .partition(|x| time(x).date_naive() == date);
    *v = keep;
    take
}

impl Batch {
    /// Moves every record dated `date` out of `self` into `into`.
    pub(crate) fn move_day(&mut self, date: NaiveDate, into: &mut Batch) {
        into.signins
            .extend(split_off(&mut self.signins, date, |r| r.time));
        into.ual.extend(split_off(&mut self.ual, date, |r| r.time));
        into.trace
            .extend(split_off(&mut self.trace, date, |r| r.received));
        into.directory
            .extend(split_off(&mut self.directory, date, |r| r.time));
        into.historical
            .extend(split_off(&mut self.historical, date, |r| r.time));
    }

    /// Sorts everything newest first, the order Graph and the exports return.
    pub(crate) fn sort_newest_first(&mut self) {
        self.signins
            .sort_by(|a, b| b.time.cmp(&a.time).then(a.id.cmp(&b.id)));
        self.ual
            .sort_by(|a, b| b.time.cmp(&a.time).then(a.id.cmp(&b.id)));
        self.trace.sort_by(|a, b| {
            b.received
                .cmp(&a.received)
                .then(a.trace_id.cmp(&b.trace_id))
                .then(a.recipient.cmp(&b.recipient))
        });
        self.directory.sort_by_key(|r| std::cmp::Reverse(r.time));
        self.historical.sort_by_key(|r| r.time);
    }
}

/// Which mailbox folder a victim message lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Folder {
    /// 受信トレイ.
    Inbox,
    /// 送信済みアイテム.
    SentItems,
    /// 削除済みアイテム.
    DeletedItems,
}

/// One message in the victim's mailbox that also appears in the message trace.
#[derive(Debug, Clone)]
pub(crate) struct VictimMail {
    /// Received / sent time.
    pub time: DateTime<Utc>,
    /// Message-ID with angle brackets (same as the trace's `MessageId`).
    pub message_id: String,
    /// From address.
    pub from: String,
    /// From display name.
    pub from_name: String,
    /// To addresses with display names.
    pub to: Vec<(String, String)>,
    /// Subject.
    pub subject: String,
    /// Folder.
    pub folder: Folder,
}
