//! Unified audit log records as Microsoft Sentinel's `OfficeActivity` table (Log Analytics
//! "Export to CSV", or JSON rows as in the OTRF datasets). Doc: Azure Monitor reference,
//! `OfficeActivity` table.
//!
//! The table renames Management API fields; they are renamed back in `data` so detections read
//! one schema (`OfficeId`→`Id`, `TimeGenerated`→`CreationTime`, `OfficeWorkload`→`Workload`,
//! `OfficeObjectId`→`ObjectId`, `Client_IPAddress`→`ClientIPAddress`, `Logon_Type`→`LogonType`);
//! `raw` keeps the row as exported. Helper twins (`UserId_`, `ClientIP_`, `OrganizationId_`) are
//! dropped from `data`. An export without `TimeGenerated` uses `Start_Time`.
//! Natural id `ual:<OfficeId>`: Sentinel copies the record's `Id` into `OfficeId` (the corpus shows
//! `OfficeId` = `SourceRecordId`, a Management API record id).

use serde_json::Value;

use super::ual::{events_from_record, fold_record};
use super::{Ctx, Obj};
use crate::csvrows::{Headers, Row};
use crate::fields::get;

const RENAMES: &[(&str, &str)] = &[
    ("OfficeId", "Id"),
    ("OfficeWorkload", "Workload"),
    ("OfficeObjectId", "ObjectId"),
    ("Client_IPAddress", "ClientIPAddress"),
    ("Logon_Type", "LogonType"),
];

/// Renames the table's columns to Management API names and parses JSON cells.
fn to_ual(mut row: Obj) -> Obj {
    row.retain(|k, _| !k.ends_with('_'));
    for (from, to) in RENAMES {
        if let Some(v) = row.remove(*from) {
            row.entry(to.to_string()).or_insert(v);
        }
    }
    if !row.contains_key("CreationTime") {
        let t = row
            .get("TimeGenerated")
            .or_else(|| row.get("Start_Time"))
            .cloned();
        if let Some(t) = t {
            row.insert("CreationTime".into(), t);
        }
    }
    if let Some(Value::String(rt)) = row.get("RecordType")
        && let Some(n) = super::record_types::record_type(rt)
    {
        row.insert("RecordType".into(), Value::from(n));
    }
    fold_record(&mut row);
    row
}

/// An `OfficeActivity` CSV header.
pub(crate) fn sniff_csv(h: &Headers) -> bool {
    h.has("officeworkload") || (h.has("officeid") && h.has("operation"))
}

/// Reads one `OfficeActivity` row.
pub(crate) fn read_csv(row: &Row<'_>, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
    events_from_record(to_ual(row.to_table_object()), row.to_raw(), ctx)
}

/// `OfficeActivity` rows as JSON.
pub(crate) mod json {
    use super::*;

    /// A row with `OfficeWorkload` or `Type` = `OfficeActivity`.
    pub fn sniff(o: &Obj) -> bool {
        get(o, &["OfficeWorkload"]).is_some()
            || get(o, &["Type"]).and_then(Value::as_str) == Some("OfficeActivity")
    }

    /// Reads one row.
    pub fn read(o: Obj, raw: String, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
        events_from_record(to_ual(o), raw, ctx)
    }
}
