//! Log Analytics "Export to CSV" of the Entra tables `SigninLogs`,
//! `AADNonInteractiveUserSignInLogs` and `AuditLogs` (Azure Monitor table reference). UTF-8 with
//! BOM, CRLF, `… [UTC]` time columns in US locale (`4/28/2021, 2:54:37.000 PM`), dynamic columns
//! as pretty-printed JSON in quoted cells, sometimes split into `_dynamic`/`_string` twins.
//!
//! Each row becomes a table-shaped object and goes through the JSON readers, so a row and the
//! same record from Graph give the same natural id (`signin:<Id>`, `aadaudit:<Id>`).

use model::EventKind;

use super::Ctx;
use crate::csvrows::{Headers, Row};

/// A `SigninLogs`-shaped header (not a summarised query result).
pub(crate) fn sniff_signin(h: &Headers) -> bool {
    h.has("resulttype") && h.has("id") && (h.has("userprincipalname") || h.has("appdisplayname"))
}

/// Reads one sign-in row.
pub(crate) fn read_signin(row: &Row<'_>, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
    let obj = row.to_table_object();
    let s = super::signin::from_object(&obj, None)?;
    Ok(vec![ctx.event(
        super::signin::natural_id(&s.id),
        s.time,
        row.to_raw(),
        EventKind::SignIn(Box::new(s.sign_in)),
    )])
}

/// An `AuditLogs`-shaped header.
pub(crate) fn sniff_audit(h: &Headers) -> bool {
    h.has("id")
        && (h.has("activitydisplayname") || (h.has("initiatedby") && h.has("targetresources")))
}

/// Reads one audit row.
pub(crate) fn read_audit(row: &Row<'_>, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
    let obj = row.to_table_object();
    let a = super::directory_audit::from_object(&obj, None)?;
    Ok(vec![ctx.event(
        super::directory_audit::natural_id(&a.id),
        a.time,
        row.to_raw(),
        EventKind::DirectoryAudit(Box::new(a.audit)),
    )])
}
