//! The storage contract: the [`Store`] trait and the small types it speaks.
//!
//! The pipeline, the detections' loader and the CLI talk to this trait only, so a PostgreSQL
//! backend (the scale-out store of ARCHITECTURE.md "Outgrowing one machine") can stand behind the
//! same calls later. Nothing here names SQLite. The trait is object safe: `Box<dyn Store>` works.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use model::{Event, EvidenceRef, Finding, Incident, Provenance, RecordError, Severity};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The event kind names a filter may use (the values of `model::EventKind::name()`).
pub const EVENT_KINDS: [&str; 5] = [
    "sign_in",
    "directory_audit",
    "audit",
    "message_trace",
    "mail",
];

/// Checks that `name` is one of [`EVENT_KINDS`].
pub fn check_kind(name: &str) -> Result<&'static str> {
    EVENT_KINDS
        .iter()
        .find(|k| **k == name)
        .copied()
        .ok_or_else(|| Error::UnknownKind(name.to_string()))
}

/// What one [`Store::insert_events`] call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InsertCounts {
    /// Events that were new and are now stored.
    pub stored: u64,
    /// Events already stored (same tenant, kind and natural id), including repeats inside the
    /// batch. A duplicate never replaces a stored value; see `enriched`.
    pub duplicate: u64,
    /// Duplicates (counted in `duplicate` too) that carried fields the stored copy lacked
    /// (null, absent, empty text or list): those fields were filled in, nothing was overwritten.
    /// E.g. the historical-search report row of a message adds the `client_ip` its
    /// `Get-MessageTraceV2` row lacks. 0 when re-ingesting the same data.
    #[serde(default)]
    pub enriched: u64,
}

impl std::ops::AddAssign for InsertCounts {
    fn add_assign(&mut self, rhs: Self) {
        self.stored += rhs.stored;
        self.duplicate += rhs.duplicate;
        self.enriched += rhs.enriched;
    }
}

/// One export that carried a stored event (see [`Store::event_sources`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSource {
    /// File, record and reader format of this copy.
    pub provenance: Provenance,
    /// The first copy stored: its raw text is the event's `raw` and its values win.
    pub primary: bool,
    /// This later copy filled fields the stored event lacked.
    pub enriched: bool,
    /// The copy's raw text: always for the primary, and for a later copy whose content
    /// differed from the stored event (so the evidence for every merged value is kept); `None`
    /// for a later copy identical to the stored event.
    pub raw: Option<String>,
}

/// Which events to read. The default selects every event of every tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Only this tenant; `None` = all tenants.
    pub tenant: Option<String>,
    /// Only events at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only events strictly before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Only these kinds (names from [`EVENT_KINDS`]); empty = all kinds.
    pub kinds: Vec<String>,
    /// Only events about this user (UPN or address; compared lower-cased).
    pub user: Option<String>,
}

impl EventFilter {
    /// Every event of one tenant.
    pub fn tenant(tenant: impl Into<String>) -> Self {
        Self {
            tenant: Some(tenant.into()),
            ..Self::default()
        }
    }
}

/// Which findings to read. The default selects all findings of all tenants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingFilter {
    /// Only this tenant; `None` = all tenants.
    pub tenant: Option<String>,
    /// Only findings whose evidence starts at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only findings whose evidence starts strictly before this instant.
    pub until: Option<DateTime<Utc>>,
    /// Only findings at least this severe.
    pub min_severity: Option<Severity>,
    /// Only findings about this user (compared lower-cased).
    pub user: Option<String>,
    /// Only findings of this detection id.
    pub detection: Option<String>,
}

/// The id of one ingest run (one `mimamori ingest` invocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RunId(pub i64);

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One recorded ingest run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// Its id.
    pub id: RunId,
    /// The tenant ingested into.
    pub tenant: String,
    /// When it began.
    pub started: DateTime<Utc>,
    /// When it finished; `None` if it never did (crashed or still running).
    pub finished: Option<DateTime<Utc>>,
    /// The command line as typed.
    pub command_line: String,
    /// The input paths given.
    pub inputs: Vec<String>,
    /// The per-file summaries the pipeline handed to [`Store::finish_run`].
    pub summary: Option<serde_json::Value>,
    /// How many rejected records it recorded.
    pub rejects: u64,
}

/// What a [`Store::replace_findings`] call removed and stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplaceCounts {
    /// Findings of the previous detect run that were removed.
    pub removed_findings: u64,
    /// Incidents of the previous detect run that were removed.
    pub removed_incidents: u64,
    /// Findings now stored.
    pub stored_findings: u64,
    /// Incidents now stored.
    pub stored_incidents: u64,
}

/// What is in the store: the numbers `mimamori stats` prints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// The tenant counted; `None` = all tenants together.
    pub tenant: Option<String>,
    /// All stored events.
    pub events: u64,
    /// Entra ID sign-ins (kind `sign_in`; includes unified-audit-log logons the reader mapped).
    pub sign_ins: u64,
    /// Unified audit log records (kind `audit`).
    pub audit_records: u64,
    /// Entra ID directory audit records (kind `directory_audit`).
    pub directory_audits: u64,
    /// Message trace rows, one per message and recipient (kind `message_trace`).
    pub message_trace: u64,
    /// Messages found in mailbox exports (kind `mail`).
    pub mail: u64,
    /// Earliest event time.
    pub first_event: Option<DateTime<Utc>>,
    /// Latest event time.
    pub last_event: Option<DateTime<Utc>>,
    /// Events per kind name.
    pub by_kind: BTreeMap<String, u64>,
    /// Events per source format (the reader id in the provenance, e.g. `graph_signin_json`).
    pub by_source: BTreeMap<String, u64>,
    /// Events per user (lower-case UPN or address).
    pub by_user: BTreeMap<String, u64>,
    /// Events that name no user (not in `by_user`).
    pub without_user: u64,
    /// Events per UTC calendar day.
    pub by_day: BTreeMap<NaiveDate, u64>,
    /// Ingest runs recorded.
    pub runs: u64,
    /// Rejected records recorded over all runs.
    pub rejects: u64,
    /// Findings of the latest detect run.
    pub findings: u64,
    /// Incidents of the latest detect run.
    pub incidents: u64,
}

/// The storage contract every backend implements.
///
/// Writes take `&mut self` (one writer per store handle); reads take `&self`. Open a second
/// handle for a concurrent reader (the SQLite backend runs in WAL mode for that).
pub trait Store: Send {
    /// Stores a batch of events in one transaction. An event whose (tenant, kind, natural id) is
    /// already stored is counted as a duplicate: ingesting the same export twice changes
    /// nothing. A duplicate from another export that carries fields the stored copy lacks
    /// fills them in (never overwriting a present value; counted `enriched`), and the other
    /// export is remembered ([`Store::event_sources`]). Either the whole batch is stored or, on
    /// error, none of it.
    fn insert_events(&mut self, batch: &[Event]) -> Result<InsertCounts>;

    /// Records the start of an ingest run and returns its id.
    fn begin_run(&mut self, tenant: &str, command_line: &str, inputs: &[String]) -> Result<RunId>;

    /// Records records that could not be read, against a run.
    fn record_rejects(&mut self, run: RunId, rejects: &[RecordError]) -> Result<()>;

    /// Records the end of a run with the pipeline's per-file summaries (any JSON).
    fn finish_run(&mut self, run: RunId, summary: &serde_json::Value) -> Result<()>;

    /// Runs of one tenant (or all), newest first.
    fn runs(&self, tenant: Option<&str>) -> Result<Vec<RunInfo>>;

    /// The rejected records of one run, in the order recorded.
    fn rejects(&self, run: RunId) -> Result<Vec<RecordError>>;

    /// Every tenant the store knows, sorted.
    fn tenants(&self) -> Result<Vec<String>>;

    /// Counts for one tenant, or all tenants together.
    fn stats(&self, tenant: Option<&str>) -> Result<Stats>;

    /// How many events `filter` selects.
    fn count_events(&self, filter: &EventFilter) -> Result<u64>;

    /// Calls `f` with each event `filter` selects, ordered by time, then natural id (then kind,
    /// then tenant), one at a time so memory stays flat however many there are. Stops at the
    /// first error `f` returns (wrap your own with [`Error::visitor`]). Returns how many events
    /// were passed to `f`.
    fn for_each_event(
        &self,
        filter: &EventFilter,
        f: &mut dyn FnMut(Event) -> Result<()>,
    ) -> Result<u64>;

    /// Looks up events by the references findings carry. The result has one entry per
    /// reference, in the same order; `None` where no such event is stored.
    fn events_by_ref(&self, tenant: &str, refs: &[EvidenceRef]) -> Result<Vec<Option<Event>>>;

    /// Every export that carried one stored event: the primary copy first, then later copies
    /// from other files, formats or records, by file (in the order files were first ingested)
    /// then record. Empty when no
    /// such event is stored. The default implementation knows only the primary copy.
    fn event_sources(&self, tenant: &str, evidence: &EvidenceRef) -> Result<Vec<EventSource>> {
        let found = self.events_by_ref(tenant, std::slice::from_ref(evidence))?;
        Ok(found
            .into_iter()
            .flatten()
            .map(|e| EventSource {
                provenance: e.provenance,
                primary: true,
                enriched: false,
                raw: Some(e.raw),
            })
            .collect())
    }

    /// Replaces the stored detect results of one tenant: all its previous findings and
    /// incidents are removed and these stored, in one transaction, so readers see the old or
    /// the new verdict, never a mix. The replaced window is the tenant's whole history: the
    /// contract is that a detect run reads all stored events of the tenant (`mimamori detect`)
    /// and returns its complete current verdict. Finding ids are stable hashes, so an unchanged
    /// verdict stores the same ids again. Every finding and incident must name `tenant`
    /// ([`Error::TenantMismatch`] otherwise) and ids must be unique ([`Error::DuplicateId`]).
    fn replace_findings(
        &mut self,
        tenant: &str,
        findings: &[Finding],
        incidents: &[Incident],
    ) -> Result<ReplaceCounts>;

    /// Stored findings `filter` selects, ordered by time then id.
    fn findings(&self, filter: &FindingFilter) -> Result<Vec<Finding>>;

    /// Stored incidents of one tenant (or all), most severe first, then by first evidence.
    fn incidents(&self, tenant: Option<&str>) -> Result<Vec<Incident>>;
}
