//! The case folder as one value: [`CaseInputs`] holds everything the reports need, and
//! [`read_case_dir`] loads it back from a folder written by `mimamori investigate` (the
//! dashboard uses it to open a case).

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use model::{Finding, Incident, RecordError};
use serde::{Deserialize, Serialize};

use crate::error::{ActError, Result};
use crate::files::{
    CASE_META_FILE, FINDINGS_FILE, HIDDEN_SENDS_FILE, HiddenSend, INCIDENTS_FILE,
    MAIL_VERDICTS_FILE, MailVerdictLine, SCOPE_FILE, TIMELINE_FILE,
};
use crate::jsonl::{read_jsonl, write_jsonl};
use crate::scope::ScopeView;
use crate::timeline::{TimelineStats, read_timeline_stats};

/// `case.json`: the metadata of one investigate run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseMeta {
    /// Tenant id.
    pub tenant: String,
    /// Tenant display name (`[tenant] name` in mimamori.toml).
    #[serde(default)]
    pub tenant_name: Option<String>,
    /// The command line that produced the case.
    #[serde(default)]
    pub command_line: String,
    /// When the case was written, UTC.
    pub generated_at: DateTime<Utc>,
    /// When the company became aware of the breach (`--discovered-at`), UTC.
    #[serde(default)]
    pub discovered_at: Option<DateTime<Utc>>,
    /// The tenant's IANA time zone (`Asia/Tokyo`).
    pub time_zone: String,
    /// How long the run took, seconds.
    #[serde(default)]
    pub elapsed_seconds: Option<f64>,
    /// The mimamori version.
    #[serde(default)]
    pub version: Option<String>,
    /// Timeline counts.
    #[serde(default)]
    pub timeline: Option<TimelineStats>,
    /// Input records the pipeline could not read (counted; listed in its rejects file).
    #[serde(default)]
    pub rejected_records: u64,
}

/// Everything the reports are made from.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseInputs {
    /// Tenant id.
    pub tenant: String,
    /// Tenant display name.
    pub tenant_name: Option<String>,
    /// The command line that produced the case.
    pub command_line: String,
    /// When the case was written.
    pub generated_at: DateTime<Utc>,
    /// When the company became aware of the breach (知った日); drives the PPC due dates.
    pub discovered_at: Option<DateTime<Utc>>,
    /// The tenant's zone for local times in the reports (PPC dates are always Asia/Tokyo).
    pub tz: Tz,
    /// How long the run took.
    pub elapsed: Option<Duration>,
    /// mimamori version.
    pub version: Option<String>,
    /// Incidents, most severe first.
    pub incidents: Vec<Incident>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Sends without a Sent Items copy.
    pub hidden_sends: Vec<HiddenSend>,
    /// Content verdicts on mail files.
    pub mail_verdicts: Vec<MailVerdictLine>,
    /// The leak scope, when computed.
    pub scope: Option<ScopeView>,
    /// Timeline counts, when a timeline was written.
    pub timeline: Option<TimelineStats>,
    /// Input records the pipeline could not read.
    pub rejected_records: u64,
    /// Lines of the case files that could not be read back (by [`read_case_dir`]).
    pub read_errors: Vec<RecordError>,
}

impl CaseInputs {
    /// An empty case for `tenant`, generated at `generated_at`, in zone `tz`.
    pub fn new(tenant: impl Into<String>, generated_at: DateTime<Utc>, tz: Tz) -> Self {
        Self {
            tenant: tenant.into(),
            tenant_name: None,
            command_line: String::new(),
            generated_at,
            discovered_at: None,
            tz,
            elapsed: None,
            version: None,
            incidents: Vec::new(),
            findings: Vec::new(),
            hidden_sends: Vec::new(),
            mail_verdicts: Vec::new(),
            scope: None,
            timeline: None,
            rejected_records: 0,
            read_errors: Vec::new(),
        }
    }

    /// The `case.json` content.
    pub fn meta(&self) -> CaseMeta {
        CaseMeta {
            tenant: self.tenant.clone(),
            tenant_name: self.tenant_name.clone(),
            command_line: self.command_line.clone(),
            generated_at: self.generated_at,
            discovered_at: self.discovered_at,
            time_zone: self.tz.name().to_string(),
            elapsed_seconds: self.elapsed.map(|d| d.as_secs_f64()),
            version: self.version.clone(),
            timeline: self.timeline.clone(),
            rejected_records: self.rejected_records,
        }
    }
}

/// Writes `case.json`, `incidents.jsonl`, `findings.jsonl`, `hidden_sends.jsonl` and
/// `mail_verdicts.jsonl` from `inputs` into `dir` (scope.json and timeline.csv have their own
/// writers: the pii crate and [`crate::TimelineWriter`]).
pub fn write_case_files(dir: &Path, inputs: &CaseInputs) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| ActError::io(dir, e))?;
    write_case_meta(dir, &inputs.meta())?;
    write_jsonl(&dir.join(INCIDENTS_FILE), &inputs.incidents)?;
    write_jsonl(&dir.join(FINDINGS_FILE), &inputs.findings)?;
    write_jsonl(&dir.join(HIDDEN_SENDS_FILE), &inputs.hidden_sends)?;
    write_jsonl(&dir.join(MAIL_VERDICTS_FILE), &inputs.mail_verdicts)?;
    Ok(())
}

/// Writes `case.json`.
pub fn write_case_meta(dir: &Path, meta: &CaseMeta) -> Result<()> {
    let path = dir.join(CASE_META_FILE);
    let text = serde_json::to_string_pretty(meta).map_err(|e| ActError::Json {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    std::fs::write(&path, text + "\n").map_err(|e| ActError::io(&path, e))
}

fn read_optional<T: serde::de::DeserializeOwned>(
    dir: &Path,
    name: &str,
    errors: &mut Vec<RecordError>,
) -> Result<Vec<T>> {
    let path = dir.join(name);
    if !path.exists() {
        tracing::info!(file = %path.display(), "case file absent; treated as empty");
        return Ok(Vec::new());
    }
    let read = read_jsonl(&path)?;
    errors.extend(read.errors);
    Ok(read.records)
}

/// Entries of each long list of scope.json read for the reports (they show samples; the
/// totals come from the file).
const SCOPE_ENTRIES_READ: usize = 1000;

/// Loads a case folder. Absent files are empty; unreadable lines are collected in
/// `read_errors`; an unparsable `scope.json` or `case.json` is one `read_errors` entry and
/// leaves the scope unset / the metadata at its defaults (tenant from the incidents, zone
/// Asia/Tokyo, generated now).
pub fn read_case_dir(dir: &Path) -> Result<CaseInputs> {
    if !dir.is_dir() {
        return Err(ActError::NotACaseDir(dir.to_path_buf()));
    }
    let mut errors = Vec::new();
    let meta: Option<CaseMeta> = {
        let path = dir.join(CASE_META_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(m) => Some(m),
                Err(e) => {
                    errors.push(RecordError::new(
                        path.display().to_string(),
                        0,
                        e.to_string(),
                    ));
                    None
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(ActError::io(path, e)),
        }
    };
    let incidents: Vec<Incident> = read_optional(dir, INCIDENTS_FILE, &mut errors)?;
    let findings: Vec<Finding> = read_optional(dir, FINDINGS_FILE, &mut errors)?;
    let hidden_sends: Vec<HiddenSend> = read_optional(dir, HIDDEN_SENDS_FILE, &mut errors)?;
    let mail_verdicts: Vec<MailVerdictLine> = read_optional(dir, MAIL_VERDICTS_FILE, &mut errors)?;
    let scope = {
        let path = dir.join(SCOPE_FILE);
        // Streamed, with the long lists cut to what the reports show (their totals kept):
        // a large mailbox's scope.json lists files by the hundred thousand.
        match std::fs::File::open(&path) {
            Ok(file) => match model::capped_json::read_capped(
                std::io::BufReader::with_capacity(1 << 16, file),
                &model::capped_json::SCOPE_LONG_LISTS,
                SCOPE_ENTRIES_READ,
            ) {
                Ok(v) => Some(ScopeView::from_value(v)),
                Err(e) => {
                    errors.push(RecordError::new(path.display().to_string(), 0, e));
                    None
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(ActError::io(path, e)),
        }
    };
    let timeline_path = dir.join(TIMELINE_FILE);
    let timeline = if timeline_path.exists() {
        let (stats, errs) = read_timeline_stats(&timeline_path)?;
        errors.extend(errs);
        Some(stats)
    } else {
        meta.as_ref().and_then(|m| m.timeline.clone())
    };
    let tenant = meta
        .as_ref()
        .map(|m| m.tenant.clone())
        .or_else(|| incidents.first().map(|i| i.tenant.clone()))
        .unwrap_or_else(|| model::DEFAULT_TENANT.to_string());
    let tz: Tz = meta
        .as_ref()
        .and_then(|m| m.time_zone.parse().ok())
        .unwrap_or(chrono_tz::Asia::Tokyo);
    let mut inputs = CaseInputs::new(
        tenant,
        meta.as_ref().map_or_else(Utc::now, |m| m.generated_at),
        tz,
    );
    if let Some(m) = meta {
        inputs.tenant_name = m.tenant_name;
        inputs.command_line = m.command_line;
        inputs.discovered_at = m.discovered_at;
        inputs.elapsed = m
            .elapsed_seconds
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        inputs.version = m.version;
        inputs.rejected_records = m.rejected_records;
    }
    inputs.incidents = incidents;
    inputs.findings = findings;
    inputs.hidden_sends = hidden_sends;
    inputs.mail_verdicts = mail_verdicts;
    inputs.scope = scope;
    inputs.timeline = timeline;
    inputs.read_errors = errors;
    Ok(inputs)
}
