//! Entra ID directory audit records: Microsoft Graph `directoryAudit`
//! (`GET /auditLogs/directoryAudits`, doc: microsoft-graph-docs `resources/directoryaudit.md`)
//! and Log Analytics `AuditLogs` rows (PascalCase; `InitiatedBy`, `TargetResources`,
//! `AdditionalDetails` as JSON text). Shared by the Azure Monitor and CSV readers.
//!
//! Natural id: `aadaudit:<id>` — Graph `id` = `AuditLogs.Id` (`Directory_…`).

use chrono::{DateTime, Utc};
use model::{DirectoryAudit, EventKind, TargetResource};
use serde_json::Value;

use super::{Ctx, Obj, need_time};
use crate::fields::{array, get, lower, object, text};

/// An audit record read from an object.
pub(crate) struct ReadAudit {
    pub id: String,
    pub time: DateTime<Utc>,
    pub audit: DirectoryAudit,
}

fn value_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn targets(o: &Obj) -> Vec<TargetResource> {
    let Some(items) = array(o, &["targetResources"]) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(Value::as_object)
        .map(|t| TargetResource {
            id: text(t, &["id"]),
            display_name: text(t, &["displayName"]),
            user_principal_name: lower(t, &["userPrincipalName"]),
            resource_type: text(t, &["type"]),
            modified_properties: array(t, &["modifiedProperties"])
                .map(|mps| {
                    mps.iter()
                        .filter_map(Value::as_object)
                        .filter_map(|mp| {
                            Some((
                                text(mp, &["displayName"])?,
                                value_text(get(mp, &["oldValue"])),
                                value_text(get(mp, &["newValue"])),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// Reads an audit record; `envelope` is the Azure Monitor record around `properties`.
pub(crate) fn from_object(o: &Obj, envelope: Option<&Obj>) -> Result<ReadAudit, String> {
    let id = text(o, &["id"]).ok_or("no audit record id (`id` / `Id`)")?;
    let time_text = text(o, &["activityDateTime", "TimeGenerated"])
        .or_else(|| envelope.and_then(|e| text(e, &["time"])));
    let time = need_time(time_text, "activityDateTime")?;
    let activity = text(o, &["activityDisplayName", "OperationName"])
        .or_else(|| envelope.and_then(|e| text(e, &["operationName"])))
        .ok_or("no `activityDisplayName`")?;
    let initiated = object(o, &["initiatedBy"]);
    let user = initiated.as_deref().and_then(|i| object(i, &["user"]));
    let app = initiated.as_deref().and_then(|i| object(i, &["app"]));
    let ip = user
        .as_deref()
        .and_then(|u| text(u, &["ipAddress"]))
        .or_else(|| envelope.and_then(|e| text(e, &["callerIpAddress"])));
    let mut additional = std::collections::BTreeMap::new();
    for d in array(o, &["additionalDetails"])
        .iter()
        .flat_map(|a| a.iter())
    {
        if let Some(d) = d.as_object()
            && let Some(k) = text(d, &["key"])
        {
            additional.insert(k, text(d, &["value"]).unwrap_or_default());
        }
    }
    let audit = DirectoryAudit {
        activity_display_name: activity.trim().to_string(),
        category: text(o, &["category"]),
        result: text(o, &["result"]),
        result_reason: text(o, &["resultReason"]),
        logged_by_service: text(o, &["loggedByService"]),
        operation_type: text(o, &["operationType", "AADOperationType"]),
        correlation_id: text(o, &["correlationId"]),
        initiated_by_user: user
            .as_deref()
            .and_then(|u| lower(u, &["userPrincipalName"])),
        initiated_by_app: app.as_deref().and_then(|a| text(a, &["displayName"])),
        ip_address: ip.as_deref().and_then(model::parse_client_ip).map(|c| c.ip),
        target_resources: targets(o),
        additional_details: additional,
    };
    Ok(ReadAudit { id, time, audit })
}

/// The natural id of an Entra audit record.
pub(crate) fn natural_id(id: &str) -> String {
    format!("aadaudit:{}", id.trim())
}

/// Graph `directoryAudit` / `AuditLogs` JSON rows.
pub(crate) mod graph {
    use super::*;

    /// An object with `activityDisplayName` and `activityDateTime`, or an `AuditLogs` row.
    pub fn sniff(o: &Obj) -> bool {
        text(o, &["Type"]).is_some_and(|t| t == "AuditLogs")
            || (get(o, &["activityDisplayName"]).is_some() && get(o, &["properties"]).is_none())
    }

    /// Reads one audit record.
    pub fn read(o: Obj, raw: String, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
        let a = from_object(&o, None)?;
        Ok(vec![ctx.event(
            natural_id(&a.id),
            a.time,
            raw,
            EventKind::DirectoryAudit(Box::new(a.audit)),
        )])
    }
}
