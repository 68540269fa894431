//! `timeline.csv`: every source merged into one time-ordered table, findings marked.
//!
//! Modelled on Hayabusa's CSV timeline (one row per event, a level column, the rule titles that
//! matched), but over *all* events, so a responder can read what happened around a finding.
//! Columns, in order (the header row is exactly these names):
//!
//! | column | content |
//! |---|---|
//! | `time` | UTC, RFC 3339 with `Z` (`2025-06-10T01:02:03Z`) |
//! | `time_local` | the same instant in the tenant's zone with its offset (`2025-06-10T10:02:03+09:00`) |
//! | `tenant` | tenant id |
//! | `source` | event kind (`sign_in`, `directory_audit`, `audit`, `message_trace`, `mail`) or `finding` |
//! | `severity` | highest severity of the findings that cite the row; empty when none |
//! | `user` | UPN / mailbox |
//! | `ip` | client IP |
//! | `country` | ISO alpha-2 when known |
//! | `operation` | what happened, short (`SignIn:Success`, `New-InboxRule`, `MessageTrace:Delivered`) |
//! | `detail` | `key=value` pairs separated by `; ` (app, user agent, subject, recipient …) |
//! | `detections` | detection ids that cite the row, `;`-separated — the "marked" column |
//! | `finding_ids` | their finding ids, `;`-separated |
//! | `natural_id` | Microsoft's record id (joins to `findings.jsonl` `evidence[].natural_id`) |
//! | `provenance` | `file:line` of the original export record |
//!
//! Every cell goes through [`crate::escape::csv_cell`]: attacker text starting with `=`, `+`,
//! `-` or `@` is prefixed with `'` so a spreadsheet never runs it as a formula.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use model::{Event, EventKind, Finding, RecordError, Severity};
use serde::{Deserialize, Serialize};

use crate::error::{ActError, Result};
use crate::escape::csv_cell;

/// The header row of `timeline.csv`.
pub const TIMELINE_COLUMNS: [&str; 14] = [
    "time",
    "time_local",
    "tenant",
    "source",
    "severity",
    "user",
    "ip",
    "country",
    "operation",
    "detail",
    "detections",
    "finding_ids",
    "natural_id",
    "provenance",
];

/// One row of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineRow {
    /// When, UTC.
    pub time: DateTime<Utc>,
    /// Tenant id.
    pub tenant: String,
    /// Event kind name or `finding`.
    pub source: String,
    /// Highest severity of the findings citing this row.
    pub severity: Option<Severity>,
    /// User.
    pub user: Option<String>,
    /// Client IP.
    pub ip: Option<String>,
    /// Country (ISO alpha-2).
    pub country: Option<String>,
    /// What happened, short.
    pub operation: String,
    /// `key=value; …` details.
    pub detail: String,
    /// Detection ids citing this row.
    pub detections: Vec<String>,
    /// Finding ids citing this row.
    pub finding_ids: Vec<String>,
    /// Microsoft's record id.
    pub natural_id: String,
    /// `file:line` of the source record.
    pub provenance: String,
}

fn kv(parts: &mut Vec<String>, key: &str, value: Option<&str>) {
    if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
        parts.push(format!("{key}={v}"));
    }
}

/// Inbox-rule `Parameters` worth a column (names from FORMATS.md, Exchange admin schema).
const RULE_PARAMETERS: [&str; 10] = [
    "Name",
    "From",
    "SubjectContainsWords",
    "SubjectOrBodyContainsWords",
    "MoveToFolder",
    "MarkAsRead",
    "DeleteMessage",
    "ForwardTo",
    "ForwardAsAttachmentTo",
    "RedirectTo",
];

fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Adds the AuditData fields a responder reads first: inbox-rule parameters, the item subject
/// and `SaveToSentItems` of a send, the `OperationCount` of MailItemsAccessed.
fn audit_data_details(data: &serde_json::Value, d: &mut Vec<String>) {
    if let Some(params) = data.get("Parameters").and_then(|p| p.as_object()) {
        for key in RULE_PARAMETERS {
            if let Some(v) = params.get(key).and_then(scalar) {
                kv(d, key, Some(&v));
            }
        }
    }
    let item_subject = data
        .get("Item")
        .and_then(|i| i.get("Subject"))
        .and_then(scalar);
    kv(d, "subject", item_subject.as_deref());
    for key in ["SaveToSentItems", "OperationCount"] {
        if let Some(v) = data.get(key).and_then(scalar) {
            kv(d, key, Some(&v));
        }
    }
}

impl TimelineRow {
    /// Builds an unmarked row from a normalized event.
    pub fn from_event(event: &Event) -> Self {
        let mut d: Vec<String> = Vec::new();
        let mut country = None;
        let operation = match &event.kind {
            EventKind::SignIn(s) => {
                country = s.location.country.clone();
                kv(&mut d, "app", s.app_display_name.as_deref());
                kv(&mut d, "client", s.client_app_used.as_deref());
                kv(&mut d, "protocol", s.authentication_protocol.as_deref());
                kv(
                    &mut d,
                    "requirement",
                    s.authentication_requirement.as_deref(),
                );
                kv(&mut d, "failure", s.failure_reason.as_deref());
                kv(&mut d, "city", s.location.city.as_deref());
                kv(&mut d, "user_agent", s.user_agent.as_deref());
                match s.error_code {
                    Some(0) => "SignIn:Success".to_string(),
                    Some(code) => format!("SignIn:Failure {code}"),
                    None => "SignIn".to_string(),
                }
            }
            EventKind::DirectoryAudit(a) => {
                kv(&mut d, "result", a.result.as_deref());
                kv(&mut d, "category", a.category.as_deref());
                kv(&mut d, "app", a.initiated_by_app.as_deref());
                let targets: Vec<&str> = a
                    .target_resources
                    .iter()
                    .filter_map(|t| {
                        t.user_principal_name
                            .as_deref()
                            .or(t.display_name.as_deref())
                    })
                    .collect();
                kv(&mut d, "target", Some(&targets.join(",")));
                a.activity_display_name.clone()
            }
            EventKind::Audit(a) => {
                kv(&mut d, "workload", a.workload.as_deref());
                kv(&mut d, "result", a.result_status.as_deref());
                kv(&mut d, "mailbox", a.mailbox_owner_upn.as_deref());
                kv(&mut d, "object", a.object_id.as_deref());
                kv(&mut d, "client", a.client_info_string.as_deref());
                audit_data_details(&a.data, &mut d);
                a.operation.clone()
            }
            EventKind::MessageTrace(m) => {
                kv(&mut d, "to", Some(&m.recipient_address));
                kv(&mut d, "subject", m.subject.as_deref());
                kv(&mut d, "message_id", m.message_id.as_deref());
                match &m.status {
                    Some(s) => format!("MessageTrace:{s}"),
                    None => "MessageTrace".to_string(),
                }
            }
            EventKind::Mail(m) => {
                kv(&mut d, "folder", m.folder.as_deref());
                kv(&mut d, "from", m.from.as_deref());
                kv(&mut d, "from_name", m.from_name.as_deref());
                kv(&mut d, "to", Some(&m.to.join(",")));
                kv(&mut d, "subject", m.subject.as_deref());
                "Mail".to_string()
            }
        };
        TimelineRow {
            time: event.time,
            tenant: event.tenant.clone(),
            source: event.kind.name().to_string(),
            severity: None,
            user: event.kind.user().map(str::to_string),
            ip: event.kind.ip().map(|ip| ip.to_string()),
            country,
            operation,
            detail: d.join("; "),
            detections: Vec::new(),
            finding_ids: Vec::new(),
            natural_id: event.natural_id.clone(),
            provenance: format!("{}:{}", event.provenance.file, event.provenance.record),
        }
    }

    /// A row for the finding itself (source `finding`), so it shows in the timeline even when
    /// its evidence rows are outside the exported window.
    pub fn from_finding(f: &Finding) -> Self {
        TimelineRow {
            time: f.time,
            tenant: f.tenant.clone(),
            source: "finding".to_string(),
            severity: Some(f.severity),
            user: f.user.clone(),
            ip: f.ips.first().cloned(),
            country: f.countries.first().cloned(),
            operation: f.detection.clone(),
            detail: f.reason_en.clone(),
            detections: vec![f.detection.clone()],
            finding_ids: vec![f.id.clone()],
            natural_id: f.id.clone(),
            provenance: String::new(),
        }
    }
}

/// Marks the rows each finding cites (by evidence kind + natural id): adds the detection and
/// finding ids and raises the row's severity. Returns how many evidence references matched no
/// row (their events were not in the timeline).
pub fn mark_findings(rows: &mut [TimelineRow], findings: &[Finding]) -> usize {
    let mut index: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        index
            .entry((r.source.as_str(), r.natural_id.as_str()))
            .or_default()
            .push(i);
    }
    let mut marks: Vec<(usize, &Finding)> = Vec::new();
    let mut unmatched = 0;
    for f in findings {
        for ev in &f.evidence {
            match index.get(&(ev.kind.as_str(), ev.natural_id.as_str())) {
                Some(ix) => marks.extend(ix.iter().map(|i| (*i, f))),
                None => unmatched += 1,
            }
        }
    }
    for (i, f) in marks {
        let row = &mut rows[i];
        if !row.finding_ids.contains(&f.id) {
            row.finding_ids.push(f.id.clone());
        }
        if !row.detections.contains(&f.detection) {
            row.detections.push(f.detection.clone());
        }
        row.severity = row.severity.max(Some(f.severity));
    }
    unmatched
}

/// Counts over a written or read timeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimelineStats {
    /// Rows.
    pub rows: u64,
    /// Rows with at least one detection.
    pub marked: u64,
    /// Earliest row time.
    pub first: Option<DateTime<Utc>>,
    /// Latest row time.
    pub last: Option<DateTime<Utc>>,
    /// Rows per source.
    pub by_source: BTreeMap<String, u64>,
}

impl TimelineStats {
    fn add(&mut self, time: DateTime<Utc>, source: &str, marked: bool) {
        self.rows += 1;
        if marked {
            self.marked += 1;
        }
        self.first = Some(self.first.map_or(time, |f| f.min(time)));
        self.last = Some(self.last.map_or(time, |l| l.max(time)));
        *self.by_source.entry(source.to_string()).or_insert(0) += 1;
    }
}

/// Streams rows into `timeline.csv`.
pub struct TimelineWriter {
    path: PathBuf,
    tz: Tz,
    inner: csv::Writer<BufWriter<File>>,
    stats: TimelineStats,
}

impl TimelineWriter {
    /// Creates `path` and writes the header row; `tz` is the tenant's zone for `time_local`.
    pub fn create(path: &Path, tz: Tz) -> Result<Self> {
        let file = File::create(path).map_err(|e| ActError::io(path, e))?;
        let mut inner = csv::Writer::from_writer(BufWriter::new(file));
        inner
            .write_record(TIMELINE_COLUMNS)
            .map_err(|e| ActError::Csv {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            path: path.to_path_buf(),
            tz,
            inner,
            stats: TimelineStats::default(),
        })
    }

    /// Writes one row.
    pub fn write(&mut self, row: &TimelineRow) -> Result<()> {
        let time = row.time.to_rfc3339_opts(SecondsFormat::Secs, true);
        let local = row
            .time
            .with_timezone(&self.tz)
            .to_rfc3339_opts(SecondsFormat::Secs, false);
        let detections = row.detections.join(";");
        let finding_ids = row.finding_ids.join(";");
        let cells: [&str; 14] = [
            &time,
            &local,
            &row.tenant,
            &row.source,
            row.severity.map_or("", Severity::as_str),
            row.user.as_deref().unwrap_or(""),
            row.ip.as_deref().unwrap_or(""),
            row.country.as_deref().unwrap_or(""),
            &row.operation,
            &row.detail,
            &detections,
            &finding_ids,
            &row.natural_id,
            &row.provenance,
        ];
        let err = |e: csv::Error| ActError::Csv {
            path: self.path.clone(),
            reason: e.to_string(),
        };
        for c in cells {
            self.inner
                .write_field(csv_cell(c).as_bytes())
                .map_err(err)?;
        }
        // An empty record terminates the row started by write_field.
        self.inner
            .write_record(std::iter::empty::<&[u8]>())
            .map_err(err)?;
        self.stats
            .add(row.time, &row.source, !row.detections.is_empty());
        Ok(())
    }

    /// Flushes the file and returns what was written.
    pub fn finish(mut self) -> Result<TimelineStats> {
        self.inner
            .flush()
            .map_err(|e| ActError::io(&self.path, e))?;
        Ok(self.stats)
    }
}

/// Writes all `rows` (sorted by time, stable) to `path`.
pub fn write_timeline(path: &Path, rows: &[TimelineRow], tz: Tz) -> Result<TimelineStats> {
    let mut order: Vec<&TimelineRow> = rows.iter().collect();
    order.sort_by_key(|r| r.time);
    let mut w = TimelineWriter::create(path, tz)?;
    for r in order {
        w.write(r)?;
    }
    w.finish()
}

/// Reads the counts of an existing `timeline.csv` (rows whose `time` cannot be parsed are
/// returned as errors, not counted).
pub fn read_timeline_stats(path: &Path) -> Result<(TimelineStats, Vec<RecordError>)> {
    let mut rdr = csv::Reader::from_path(path).map_err(|e| ActError::Csv {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let name = path.display().to_string();
    let headers = rdr
        .headers()
        .map_err(|e| ActError::Csv {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?
        .clone();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (t, s, d) = (col("time"), col("source"), col("detections"));
    let mut stats = TimelineStats::default();
    let mut errors = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(RecordError::new(&name, line, e.to_string()));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("");
        match DateTime::parse_from_rfc3339(get(t)) {
            Ok(time) => stats.add(time.with_timezone(&Utc), get(s), !get(d).is_empty()),
            Err(e) => errors.push(RecordError::new(&name, line, format!("time: {e}"))),
        }
    }
    Ok((stats, errors))
}

#[cfg(test)]
mod tests;
