//! Unified audit log CSV exports:
//! - Purview portal "Audit → Export" (`RecordId,CreationDate,RecordType,Operation,UserId,
//!   AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames`); `CreationDate` quoted with a
//!   trailing space or in a locale form, `RecordType` numeric or named, `AuditData` the
//!   Management API record as JSON with doubled quotes. Exports stop at 50,000 rows: a file of
//!   exactly 50,000 rows is flagged "probably truncated" by the reader loop.
//! - `Search-UnifiedAuditLog | Export-Csv` (`RunspaceId?,RecordType,CreationDate,UserIds,
//!   Operations,AuditData,ResultIndex,ResultCount,Identity,IsValid,ObjectState`).
//!
//! The record is `AuditData` (folded like Management API JSON); the columns fill what it lacks.
//! Natural id `ual:<Id>`: `AuditData.Id` = `RecordId` = `Identity`.

use serde_json::{Map, Value};

use super::Ctx;
use super::ual::{events_from_record, fold_record};
use crate::csvrows::{Headers, Row};

/// The Purview export's row cap; a file with exactly this many rows was probably cut.
pub(crate) const PURVIEW_ROW_CAP: u64 = 50_000;

fn record_from_row(row: &Row<'_>, cols: &[(&str, &str)]) -> Result<Map<String, Value>, String> {
    let mut rec = match row.get(&["auditdata"]) {
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err("`AuditData` is JSON but not an object".into()),
            Err(e) => {
                // Keep the row readable from its columns; the bad text stays in `AuditData`.
                tracing::debug!(error = %e, "AuditData is not valid JSON");
                let mut m = Map::new();
                m.insert("AuditData".into(), Value::String(text.to_string()));
                m
            }
        },
        None => Map::new(),
    };
    for (col, key) in cols {
        if !rec.contains_key(*key)
            && let Some(v) = row.get(&[col])
        {
            rec.insert((*key).to_string(), Value::String(v.to_string()));
        }
    }
    fold_record(&mut rec);
    Ok(rec)
}

/// The Purview export header.
pub(crate) fn sniff_purview(h: &Headers) -> bool {
    h.has("recordid") && h.has("creationdate") && h.has("auditdata")
}

/// Reads one Purview row.
pub(crate) fn read_purview(row: &Row<'_>, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
    let rec = record_from_row(
        row,
        &[
            ("recordid", "Id"),
            ("creationdate", "CreationTime"),
            ("recordtype", "RecordType"),
            ("operation", "Operation"),
            ("userid", "UserId"),
        ],
    )?;
    events_from_record(rec, row.to_raw(), ctx)
}

/// The `Search-UnifiedAuditLog | Export-Csv` header.
pub(crate) fn sniff_search(h: &Headers) -> bool {
    h.has("auditdata") && h.has("creationdate") && (h.has("userids") || h.has("operations"))
}

/// Reads one `Search-UnifiedAuditLog` row.
pub(crate) fn read_search(row: &Row<'_>, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
    let rec = record_from_row(
        row,
        &[
            ("identity", "Id"),
            ("creationdate", "CreationTime"),
            ("recordtype", "RecordType"),
            ("operations", "Operation"),
            ("userids", "UserId"),
        ],
    )?;
    events_from_record(rec, row.to_raw(), ctx)
}
