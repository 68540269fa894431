//! The registry of input formats: one line per real Microsoft export.
//!
//! Each entry has a stable id (stored in [`model::Provenance::format`]), a name in English and
//! Japanese for messages, a content sniffer and a reader. JSON formats sniff and read one
//! *record* (Azure Monitor streams mix sign-ins and audit records in one file, so every record is
//! dispatched on its own); CSV formats sniff the header row and read one row.
//! Order matters: the first sniffer that accepts wins, so specific formats come first.

pub(crate) mod authdetails;
pub(crate) mod azure_monitor;
pub(crate) mod directory_audit;
pub(crate) mod entra_portal_csv;
pub(crate) mod historical_trace_csv;
pub(crate) mod message_trace;
pub(crate) mod office_activity;
pub(crate) mod purview_csv;
pub(crate) mod record_types;
pub(crate) mod sentinel_csv;
pub(crate) mod signin;
pub(crate) mod signin_fast;
pub(crate) mod ual;

use chrono::{DateTime, Utc};
use model::{Event, EventKind, Provenance, SignInKind};
use serde_json::{Map, Value};

use crate::csvrows::{Headers, Row};

/// A JSON object record.
pub(crate) type Obj = Map<String, Value>;

/// How a format's records are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    /// JSON: arrays, `value`/`records` envelopes, NDJSON.
    Json,
    /// CSV with a header row.
    Csv,
}

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Json {
        sniff: fn(&Obj) -> bool,
        read: fn(Obj, String, &Ctx<'_>) -> Result<Vec<Event>, String>,
    },
    Csv {
        sniff: fn(&Headers) -> bool,
        read: fn(&Row<'_>, &Ctx<'_>) -> Result<Vec<Event>, String>,
    },
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Kind::Json { .. } => "Json",
            Kind::Csv { .. } => "Csv",
        })
    }
}

/// One supported input format.
#[derive(Debug)]
pub struct FormatInfo {
    /// Stable id, e.g. `graph_signin_json`.
    pub id: &'static str,
    /// English name for messages and `--help`.
    pub name_en: &'static str,
    /// Japanese name for messages and `--help`.
    pub name_ja: &'static str,
    /// JSON or CSV.
    pub container: Container,
    pub(crate) kind: Kind,
}

macro_rules! json_format {
    ($id:expr, $en:expr, $ja:expr, $m:ident) => {
        FormatInfo {
            id: $id,
            name_en: $en,
            name_ja: $ja,
            container: Container::Json,
            kind: Kind::Json {
                sniff: $m::sniff,
                read: $m::read,
            },
        }
    };
}

macro_rules! csv_format {
    ($id:expr, $en:expr, $ja:expr, $m:path, $r:path) => {
        FormatInfo {
            id: $id,
            name_en: $en,
            name_ja: $ja,
            container: Container::Csv,
            kind: Kind::Csv {
                sniff: $m,
                read: $r,
            },
        }
    };
}

use azure_monitor::{audit as am_audit, signin as am_signin};
use directory_audit::graph as graph_audit;
use message_trace::json as trace_json;
use office_activity::json as office_json;
use signin::graph as graph_signin;
use ual::json as ual_json;

/// Every format, in sniffing order.
pub(crate) static FORMATS: &[FormatInfo] = &[
    json_format!(
        "azure_monitor_signin",
        "Entra sign-in logs, Azure Monitor diagnostic / Event Hub records",
        "Entra サインインログ（Azure Monitor 診断設定 / Event Hub）",
        am_signin
    ),
    json_format!(
        "azure_monitor_audit",
        "Entra audit logs, Azure Monitor diagnostic / Event Hub records",
        "Entra 監査ログ（Azure Monitor 診断設定 / Event Hub）",
        am_audit
    ),
    json_format!(
        "graph_signin_json",
        "Entra sign-ins JSON (Graph signIns, portal Download JSON, SigninLogs table)",
        "Entra サインイン JSON（Graph signIns・ポータルの JSON ダウンロード・SigninLogs）",
        graph_signin
    ),
    json_format!(
        "graph_directory_audit_json",
        "Entra audit logs JSON (Graph directoryAudits, AuditLogs table)",
        "Entra 監査ログ JSON（Graph directoryAudits・AuditLogs テーブル）",
        graph_audit
    ),
    json_format!(
        "office_activity_json",
        "Unified audit log, Sentinel OfficeActivity table JSON",
        "統合監査ログ（Sentinel OfficeActivity テーブル JSON）",
        office_json
    ),
    json_format!(
        "management_activity_json",
        "Unified audit log, Office 365 Management Activity API JSON",
        "統合監査ログ（Office 365 管理アクティビティ API JSON）",
        ual_json
    ),
    json_format!(
        "message_trace_json",
        "Exchange Online message trace JSON (Reporting Web Service, Graph exchangeMessageTrace)",
        "Exchange Online メッセージ追跡 JSON（Reporting Web Service・Graph）",
        trace_json
    ),
    csv_format!(
        "entra_portal_authdetails_csv",
        "Entra portal sign-in download, authentication details CSV (*_AuthDetails_*.csv)",
        "Entra ポータルのサインイン ダウンロード 認証の詳細 CSV（*_AuthDetails_*.csv）",
        authdetails::sniff,
        authdetails::read
    ),
    csv_format!(
        "entra_portal_signin_csv",
        "Entra portal sign-in download CSV (InteractiveSignIns_*, NonInteractiveSignIns_*, ApplicationSignIns_*, MSISignIns_*)",
        "Entra ポータルのサインイン ダウンロード CSV（InteractiveSignIns_* ほか）",
        entra_portal_csv::sniff,
        entra_portal_csv::read
    ),
    csv_format!(
        "entra_portal_legacy_csv",
        "Entra (Azure AD) old portal sign-in CSV",
        "Entra（Azure AD）旧ポータルのサインイン CSV",
        entra_portal_csv::sniff_legacy,
        entra_portal_csv::read_legacy
    ),
    csv_format!(
        "sentinel_signin_csv",
        "Log Analytics CSV of SigninLogs / AADNonInteractiveUserSignInLogs",
        "Log Analytics の SigninLogs / AADNonInteractiveUserSignInLogs CSV",
        sentinel_csv::sniff_signin,
        sentinel_csv::read_signin
    ),
    csv_format!(
        "sentinel_audit_csv",
        "Log Analytics CSV of AuditLogs",
        "Log Analytics の AuditLogs CSV",
        sentinel_csv::sniff_audit,
        sentinel_csv::read_audit
    ),
    csv_format!(
        "sentinel_office_activity_csv",
        "Unified audit log, Log Analytics CSV of OfficeActivity",
        "統合監査ログ（Log Analytics の OfficeActivity CSV）",
        office_activity::sniff_csv,
        office_activity::read_csv
    ),
    csv_format!(
        "purview_audit_csv",
        "Unified audit log, Purview audit search export CSV",
        "統合監査ログ（Purview 監査ログ検索のエクスポート CSV）",
        purview_csv::sniff_purview,
        purview_csv::read_purview
    ),
    csv_format!(
        "search_ual_csv",
        "Unified audit log, Search-UnifiedAuditLog | Export-Csv",
        "統合監査ログ（Search-UnifiedAuditLog | Export-Csv）",
        purview_csv::sniff_search,
        purview_csv::read_search
    ),
    csv_format!(
        "message_trace_csv",
        "Exchange Online message trace, Get-MessageTrace(V2) | Export-Csv",
        "Exchange Online メッセージ追跡（Get-MessageTrace(V2) | Export-Csv）",
        message_trace::sniff_csv,
        message_trace::read_csv
    ),
    csv_format!(
        "historical_trace_csv",
        "Exchange Online historical message trace report CSV (summary / extended)",
        "Exchange Online 過去のメッセージ追跡レポート CSV（概要 / 拡張）",
        historical_trace_csv::sniff,
        historical_trace_csv::read
    ),
];

/// Every supported format, for `--help` and messages.
pub fn formats() -> &'static [FormatInfo] {
    FORMATS
}

/// The format with this id.
pub fn format_by_id(id: &str) -> Option<&'static FormatInfo> {
    FORMATS.iter().find(|f| f.id == id)
}

/// The first JSON format that accepts this record.
pub(crate) fn classify_json(rec: &Obj) -> Option<&'static FormatInfo> {
    FORMATS.iter().find(|f| match f.kind {
        Kind::Json { sniff, .. } => sniff(rec),
        Kind::Csv { .. } => false,
    })
}

/// The first CSV format that accepts this header.
pub(crate) fn classify_csv(h: &Headers) -> Option<&'static FormatInfo> {
    FORMATS.iter().find(|f| match f.kind {
        Kind::Csv { sniff, .. } => sniff(h),
        Kind::Json { .. } => false,
    })
}

/// What a reader knows about the record it is reading.
pub(crate) struct Ctx<'a> {
    /// Display name of the file.
    pub file: &'a str,
    /// Line (1-based, line-oriented inputs) or record index.
    pub record: u64,
    /// Tenant stamped on events.
    pub tenant: &'a str,
    /// Format id.
    pub format: &'static str,
    /// Sign-in kind suggested by the file name (portal CSVs name it; content does not).
    pub name_kind: Option<SignInKind>,
    /// Authentication details loaded from `*_AuthDetails_*` files, by Request ID.
    pub auth: &'a authdetails::AuthJoin,
}

impl Ctx<'_> {
    /// Builds an event with this context's provenance and tenant.
    pub fn event(
        &self,
        natural_id: String,
        time: DateTime<Utc>,
        raw: String,
        kind: EventKind,
    ) -> Event {
        Event {
            tenant: self.tenant.to_string(),
            natural_id,
            time,
            provenance: Provenance {
                file: self.file.to_string(),
                record: self.record,
                format: self.format.to_string(),
            },
            raw,
            kind,
        }
    }
}

/// The sign-in kind a portal file name implies.
pub(crate) fn kind_from_name(name: &str) -> Option<SignInKind> {
    let base = name
        .rsplit(['/', '\\', '!'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    if base.contains("noninteractivesignins") {
        Some(SignInKind::NonInteractive)
    } else if base.contains("interactivesignins") {
        Some(SignInKind::Interactive)
    } else if base.contains("applicationsignins") || base.contains("serviceprincipalsignins") {
        Some(SignInKind::ServicePrincipal)
    } else if base.contains("msisignins") || base.contains("managedidentitysignins") {
        Some(SignInKind::ManagedIdentity)
    } else {
        None
    }
}

/// Parses a required time or says which field was missing/bad.
pub(crate) fn need_time(value: Option<String>, field: &str) -> Result<DateTime<Utc>, String> {
    match value {
        None => Err(format!("no time: `{field}` is missing or blank")),
        Some(t) => crate::time::parse_time(&t)
            .ok_or_else(|| format!("unparseable time in `{field}`: {t:.60}")),
    }
}
