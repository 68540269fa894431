//! The leak scope: what the exposed mail held, written as scope.json (schema in
//! `schema/scope.schema.json`) and rendered as a ja/en summary. Built with [`ScopeBuilder`]
//! from per-message envelope data, bodies and attachments.

mod builder;
mod keys;
mod listing;
mod persons;
mod ppc;
mod render;
mod reuse;

pub use builder::{Attachment, Exposure, MessageInput, ScopeBuilder, ScopeOptions};
pub use listing::{DEFAULT_SPILL_AFTER, Listing, ListingIter};
pub use persons::PERSON_FILES_LISTED;
pub use render::Lang;

use crate::category::{Category, SpecialCareKind};
use crate::extract::NotInspected;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the scope.json shape.
pub const SCOPE_SCHEMA_VERSION: u32 = 1;

/// scope.json.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scope {
    /// Shape version ([`SCOPE_SCHEMA_VERSION`]).
    pub schema_version: u32,
    /// Tenant the mail belongs to.
    pub tenant_id: String,
    /// When the scope was computed.
    pub generated_at: DateTime<Utc>,
    /// Whether the scope was limited to exposed items, and how.
    pub exposure: ExposureSummary,
    /// Message counts.
    pub messages: MessageCounts,
    /// Mail addresses seen.
    pub addresses: AddressCounts,
    /// Persons whose data was found (after de-duplication).
    pub persons: PersonCounts,
    /// Business contacts (signatures, FAX/代表 numbers) — not personal records.
    pub business_contacts: BusinessContacts,
    /// A My Number (with context or in a 個人番号 column) was found.
    pub my_number_found: bool,
    /// 12-digit values passing the My Number check digit without any context (not counted).
    pub my_number_low_confidence: u64,
    /// A bank account number (with bank context) was found.
    pub bank_account_found: bool,
    /// A credit card number (Luhn + IIN + context or grouping) was found.
    pub card_found: bool,
    /// 要配慮個人情報 tied to a person was found.
    pub special_care_found: bool,
    /// Corporate numbers seen (public data; not personal).
    pub corporate_numbers_seen: u64,
    /// Files that could not be inspected, with reasons (on disk while large; see [`Listing`]).
    pub not_inspected: Listing<NotInspected>,
    /// Inspected files holding personal data (on disk while large; see [`Listing`]).
    pub files: Listing<FileFinding>,
    /// Number of entries of `files` (so a reader need not load the list to count it).
    #[serde(default)]
    pub files_total: u64,
    /// Number of entries of `not_inspected`.
    #[serde(default)]
    pub not_inspected_total: u64,
    /// What was searched (so "not found" can be stated with its basis).
    pub searched: Searched,
    /// Whether a PPC report is mandatory (JAPAN.md §5).
    pub ppc_report_required: bool,
    /// The triggers that make it mandatory.
    pub ppc_reasons: Vec<PpcReason>,
    /// Caveats for the report (lower bounds, files not inspected …).
    pub ppc_notes: Vec<PpcReason>,
    /// Masked (or, with `reveal`, raw) per-person summaries.
    pub person_list: Vec<PersonSummary>,
    /// True when `person_list` holds raw values (`reveal`).
    pub revealed: bool,
}

/// Exposure filter in effect.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExposureSummary {
    /// True when only exposed items were inspected.
    pub limited: bool,
    /// Exposed Message-IDs given.
    pub exposed_message_ids: u64,
    /// Exposed folders given.
    pub exposed_folders: Vec<String>,
    /// Messages skipped because they were outside the exposure.
    pub skipped_messages: u64,
}

/// Message counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MessageCounts {
    /// Messages inspected.
    pub total: u64,
    /// Per year (UTC) of the message date; `unknown` when undated.
    pub by_year: BTreeMap<String, u64>,
    /// Per folder; `(none)` when no folder is known.
    pub by_folder: BTreeMap<String, u64>,
    /// Messages with at least one attachment.
    pub with_attachments: u64,
    /// Attachments seen.
    pub attachments: u64,
}

/// Address counts (From/To/Cc compared case-insensitively).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AddressCounts {
    /// Distinct envelope addresses.
    pub unique: u64,
    /// Of which in the tenant's domains (or their subdomains).
    pub internal: u64,
    /// Of which outside.
    pub external: u64,
    /// Number of distinct external domains.
    pub external_domain_count: u64,
    /// Distinct external addresses per domain.
    pub external_domains: BTreeMap<String, u64>,
    /// Distinct addresses found only in bodies/attachments, never in an envelope.
    pub found_only_in_bodies: u64,
    /// Those addresses per domain.
    pub found_only_in_bodies_domains: BTreeMap<String, u64>,
}

/// Person counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PersonCounts {
    /// Distinct persons.
    pub count: u64,
    /// Persons per category (a person counts once per category).
    pub by_category: BTreeMap<Category, u64>,
    /// Persons per 要配慮 sub-category.
    pub special_care_by_kind: BTreeMap<SpecialCareKind, u64>,
    /// Person records before de-duplication across files.
    pub records_before_dedup: u64,
}

/// Business contacts counted apart.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct BusinessContacts {
    /// Distinct contacts in mail signatures (by address).
    pub signature_contacts: u64,
    /// Records judged business (organisation nearby, only contact data).
    pub business_records: u64,
}

/// One inspected file with personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFinding {
    /// Path (archive members as `outer.zip!/inner`); attachments as `<message-id>/<name>`.
    pub path: String,
    /// Message-ID of the carrying message, when any.
    pub message_id: Option<String>,
    /// Distinct persons in this file.
    pub persons: u64,
    /// Categories found in this file.
    pub categories: Vec<Category>,
}

/// What was searched.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Searched {
    /// Messages whose bodies were searched.
    pub messages: u64,
    /// Attachments (top-level) searched.
    pub attachments: u64,
    /// Documents inspected (archive members count separately).
    pub documents_inspected: u64,
    /// Documents not inspected.
    pub documents_not_inspected: u64,
    /// Bytes of input handed to the scanner.
    pub bytes: u64,
    /// Categories the recognizers look for.
    pub categories: Vec<Category>,
    /// For each key category not found: how it was searched (ja/en).
    pub not_found: Vec<PpcReason>,
}

/// A reason or note with a stable id and ja/en text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PpcReason {
    /// Stable id (`special_care`, `financial_damage`, `unauthorized_access`, `over_1000_persons` …).
    pub id: String,
    /// Japanese text.
    pub ja: String,
    /// English text.
    pub en: String,
}

/// One person as shown in reports.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonSummary {
    /// Pseudonymous id (keyed hash prefix; stable within a run or a given key).
    pub id: String,
    /// Display name (masked unless revealed).
    pub name: Option<String>,
    /// Categories held.
    pub categories: Vec<Category>,
    /// Values per category (masked unless revealed), at most one per category.
    pub values: BTreeMap<Category, String>,
    /// Files this person appears in: the first [`PERSON_FILES_LISTED`], in input order.
    pub files: Vec<String>,
    /// Number of files this person appears in.
    #[serde(default)]
    pub file_count: u64,
}

impl Scope {
    /// The same scope with `files` and `not_inspected` cut to their first `limit` entries
    /// (the totals keep the full counts): what a report that shows samples needs, in memory.
    pub fn summary(&self, limit: usize) -> Result<Scope, crate::PiiError> {
        Ok(Scope {
            files: self.files.first(limit)?.into(),
            not_inspected: self.not_inspected.first(limit)?.into(),
            ..self.clone()
        })
    }

    /// scope.json text (pretty).
    pub fn to_json(&self) -> Result<String, crate::PiiError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Writes scope.json (pretty) to `path`, streamed: the text is never held whole in memory
    /// (it reached 152 MB for a 1 GiB export, whose per-file list is long).
    pub fn write_json(&self, path: &std::path::Path) -> Result<(), crate::PiiError> {
        use std::io::Write;
        let io = |e: std::io::Error| crate::PiiError::Write {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
        serde_json::to_writer_pretty(&mut out, self)?;
        out.flush().map_err(io)
    }
}
