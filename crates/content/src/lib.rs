//! Mail content for mimamori: mailbox readers, phishing signals, hidden-send reconciliation.
//!
//! - [`read_mail_path`] streams messages out of MBOX, `.eml` folders, `.msg` and PST files as
//!   [`MailMessage`]s with their folder path; [`MailMessage::to_event`] turns one into a
//!   `model::Event` of kind `Mail`.
//! - [`analyze`] scores one message for phishing with explainable, bilingual reasons whose ids
//!   follow `JAPAN.md` §1 (H1…, L1…, C1…).
//! - [`sent_gap`] finds mail that left a mailbox (message trace) with no Sent Items copy.
//! - [`eval`] generates the project's deterministic evaluation set.
//!
//! Pure: no network, no database. Everything here is synchronous and single-threaded per call.

mod base64;
pub mod error;
pub mod eval;
pub mod folders;
pub mod message;
pub mod parse;
pub mod phish;
pub mod readers;
pub mod reconcile;
mod rfc2047;

pub use phish::{
    AnalysisContext, BurstStats, CheckRecord, Reason, Span, SpanField, StyleBaseline, Verdict,
    VerdictKind, analyze,
};
pub use reconcile::{
    DomainGroup, HiddenSend, SentGapBasis, SentGapReport, sent_gap, sent_gap_from_parts,
};

pub use error::ContentError;
pub use folders::{WellKnownFolder, is_sent_items_path, well_known_folder};
pub use message::{Attachment, MailMessage, Mailbox};

pub use readers::{MailFormat, ReadStats, read_mail_path, sniff_mail_file};
