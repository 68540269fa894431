//! Unified audit log records in the Office 365 Management Activity API schema
//! (doc: office-365-management-api `office-365-management-activity-api-schema.md`): content
//! blobs (arrays), NDJSON, PascalCase or lower-cased keys. The shared [`events_from_record`]
//! also reads `AuditData` of the Purview / `Search-UnifiedAuditLog` CSVs and Sentinel
//! OfficeActivity rows.
//!
//! `data` keeps the whole record with the Name/Value arrays (`Parameters`,
//! `ExtendedProperties`, `DeviceProperties`, `ModifiedProperties`, `OperationProperties`) folded
//! into objects and JSON carried in strings (`Folders`, `AuditData`, `OperationProperties`, …)
//! parsed where it is valid.
//!
//! Natural id: `ual:<Id>` (Management API `Id` = Purview `RecordId` = OfficeActivity
//! `OfficeId`). A logon (`UserLoggedIn` / `UserLoginFailed`, RecordType 15) also yields a sign-in
//! event `ual-logon:<Id>` of kind `UnifiedAuditLogon`, so sign-in detections see it while the
//! audit view keeps the record.

use model::{AuditRecord, EventKind, SignIn, SignInKind};
use serde_json::Value;

use super::record_types::record_type;
use super::{Ctx, Obj, need_time};
use crate::fields::{fold_name_value, get, int, lower, object, parse_json_strings, text};

const NAME_VALUE_ARRAYS: &[&str] = &[
    "Parameters",
    "ExtendedProperties",
    "DeviceProperties",
    "ModifiedProperties",
    "OperationProperties",
];

/// Parses JSON-in-strings and folds the Name/Value arrays in place.
pub(crate) fn fold_record(rec: &mut Obj) {
    parse_json_strings(rec);
    let keys: Vec<String> = rec
        .keys()
        .filter(|k| NAME_VALUE_ARRAYS.iter().any(|n| n.eq_ignore_ascii_case(k)))
        .cloned()
        .collect();
    for k in keys {
        if let Some(v) = rec.get_mut(&k)
            && let Value::Array(items) = v
            && let Some(folded) = fold_name_value(items)
        {
            *v = folded;
        }
    }
}

fn logon_type(o: &Obj) -> Option<i64> {
    int(o, &["LogonType", "Logon_Type"]).or_else(|| {
        let t = text(o, &["LogonType", "Logon_Type"])?;
        let n = match t.to_ascii_lowercase().as_str() {
            "owner" => 0,
            "admin" => 1,
            "delegated" | "delegate" => 2,
            "transport" => 3,
            "systemservice" => 4,
            "bestaccess" => 5,
            "delegatedadmin" => 6,
            _ => return None,
        };
        Some(n)
    })
}

/// Turns one (already folded) audit record into its events.
pub(crate) fn events_from_record(
    rec: Obj,
    raw: String,
    ctx: &Ctx<'_>,
) -> Result<Vec<model::Event>, String> {
    let id = text(&rec, &["Id", "OfficeId", "RecordId"]).ok_or("no audit record id (`Id`)")?;
    let time = need_time(
        text(&rec, &["CreationTime", "CreationDate", "TimeGenerated"]),
        "CreationTime",
    )?;
    let ip_text = text(
        &rec,
        &[
            "ClientIP",
            "ClientIPAddress",
            "Client_IPAddress",
            "ActorIpAddress",
        ],
    );
    let addr = ip_text.as_deref().and_then(model::parse_client_ip);
    let record_type_n = text(&rec, &["RecordType"]).as_deref().and_then(record_type);
    let operation = text(&rec, &["Operation", "Operations"]).unwrap_or_default();
    let user_id = lower(&rec, &["UserId", "UserIds"]);
    let audit = AuditRecord {
        record_type: record_type_n,
        operation: operation.clone(),
        workload: text(&rec, &["Workload", "OfficeWorkload"]),
        user_id: user_id.clone(),
        result_status: text(&rec, &["ResultStatus"]),
        client_ip: addr.map(|a| a.ip),
        client_port: addr.and_then(|a| a.port),
        object_id: text(&rec, &["ObjectId", "OfficeObjectId"]),
        mailbox_owner_upn: lower(&rec, &["MailboxOwnerUPN"]),
        logon_type: logon_type(&rec),
        client_info_string: text(&rec, &["ClientInfoString"]),
        session_id: text(&rec, &["SessionId"]),
        app_id: text(&rec, &["AppId", "ClientAppId"]),
        organization_id: text(&rec, &["OrganizationId"]),
        data: Value::Null,
    };
    let is_logon = record_type_n == Some(15)
        && (operation.eq_ignore_ascii_case("UserLoggedIn")
            || operation.eq_ignore_ascii_case("UserLoginFailed"));
    let logon = is_logon.then(|| logon_sign_in(&rec, &audit, &operation));
    let nid = id.trim().to_ascii_lowercase();
    let mut audit = audit;
    audit.data = Value::Object(rec);
    let mut out = Vec::with_capacity(2);
    if let Some(s) = logon {
        out.push(ctx.event(
            format!("ual-logon:{nid}"),
            time,
            raw.clone(),
            EventKind::SignIn(Box::new(s)),
        ));
    }
    out.insert(
        0,
        ctx.event(
            format!("ual:{nid}"),
            time,
            raw,
            EventKind::Audit(Box::new(audit)),
        ),
    );
    Ok(out)
}

/// The sign-in view of a UAL logon record.
fn logon_sign_in(rec: &Obj, audit: &AuditRecord, operation: &str) -> SignIn {
    let ext = object(rec, &["ExtendedProperties"]);
    let dev = object(rec, &["DeviceProperties"]);
    let failed = operation.eq_ignore_ascii_case("UserLoginFailed");
    let error_code = if failed {
        int(rec, &["ErrorNumber"])
    } else {
        Some(0)
    };
    let failure_reason =
        failed.then(|| text(rec, &["LogonError"]).unwrap_or_else(|| operation.to_string()));
    SignIn {
        sign_in_kind: Some(SignInKind::UnifiedAuditLogon),
        user_principal_name: audit.user_id.clone(),
        app_id: text(rec, &["ApplicationId"]),
        ip_address: audit.client_ip.or_else(|| {
            text(rec, &["ActorIpAddress"])
                .as_deref()
                .and_then(model::parse_client_ip)
                .map(|c| c.ip)
        }),
        user_agent: ext.as_deref().and_then(|e| text(e, &["UserAgent"])),
        error_code,
        failure_reason,
        device_id: dev.as_deref().and_then(|d| text(d, &["Id"])),
        operating_system: dev.as_deref().and_then(|d| text(d, &["OS"])),
        browser: dev.as_deref().and_then(|d| text(d, &["BrowserType"])),
        tenant_guid: audit.organization_id.clone(),
        ..SignIn::default()
    }
}

/// Management Activity API records.
pub(crate) mod json {
    use super::*;

    /// A record with `CreationTime` and `Operation` or `RecordType` (any key case).
    pub fn sniff(o: &Obj) -> bool {
        get(o, &["CreationTime"]).is_some()
            && (get(o, &["Operation"]).is_some()
                || get(o, &["RecordType"]).is_some()
                || get(o, &["Id"]).is_some())
    }

    /// Reads one record.
    pub fn read(o: Obj, raw: String, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
        let mut rec = o;
        fold_record(&mut rec);
        events_from_record(rec, raw, ctx)
    }
}
