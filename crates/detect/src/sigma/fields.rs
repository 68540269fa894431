//! The field mapping from Sigma names to our normalized events.
//!
//! Sigma's `azure` rules use the Log Analytics column names (`ResultType`, `AppDisplayName`,
//! `ClientAppUsed`, `ActivityDisplayName`, …) and `properties.<camelCase>` for the diagnostic
//! JSON; its `m365` rules use UAL names (`Operation`, `Workload`, `UserId`, …). Each event kind
//! is turned into one flat JSON object with those names; a name not in the object is looked up
//! case-insensitively in the folded audit `data` and then in the raw record by dotted path
//! (with or without the `properties.` prefix).
//!
//! | Sigma field | sign-in | directory audit | UAL |
//! |---|---|---|---|
//! | `ResultType` / `Status` | `error_code` (text) | `result` | `ResultStatus` |
//! | `ResultDescription` | `failure_reason` | `result_reason` | — |
//! | `AppDisplayName`, `AppId` | app | `initiated_by_app` | `AppId` |
//! | `ClientAppUsed`, `UserAgent` | as named | — | `data.*` |
//! | `UserPrincipalName`, `UserId` | UPN | initiated-by UPN | `UserId` |
//! | `IPAddress`, `ClientIP` | IP | IP | `ClientIP` |
//! | `Location` | country | — | GeoIP country |
//! | `AuthenticationRequirement`, `AuthenticationProtocol`, `ConditionalAccessStatus` | as named | — | — |
//! | `ActivityDisplayName`, `OperationName`, `Category`, `LoggedByService` | — | as named | `Operation` |
//! | `Operation`, `Workload`, `RecordType`, `ObjectId` | — | — | as named |
//! | `TargetResources` | — | target names and UPNs | — |

use model::{Event, EventKind};
use serde_json::{Map, Value, json};

use crate::facts::Facts;

/// The flat Sigma view of an event, and which logsource it belongs to.
pub struct SigmaDoc<'a> {
    /// `(product, service)` the event belongs to.
    pub product: &'static str,
    /// The service.
    pub service: &'static str,
    flat: Map<String, Value>,
    data: Option<&'a Value>,
    raw_text: &'a str,
    /// The raw record, parsed only when a field is not found elsewhere.
    raw: std::cell::OnceCell<Option<Value>>,
}

fn put(m: &mut Map<String, Value>, k: &str, v: Option<impl Into<Value>>) {
    if let Some(v) = v {
        m.insert(k.to_string(), v.into());
    }
}

impl<'a> SigmaDoc<'a> {
    /// Builds the view; `None` for kinds Sigma rules do not cover (message trace, mail).
    pub fn new(ev: &'a Event, f: &Facts<'_>) -> Option<Self> {
        let mut m = Map::new();
        let ip = f.ip.map(|i| i.to_string());
        let (product, service, data) = match &ev.kind {
            EventKind::SignIn(s) => {
                put(&mut m, "ResultType", s.error_code.map(|c| c.to_string()));
                put(
                    &mut m,
                    "Status",
                    s.error_code.map(|c| {
                        if c == 0 {
                            "Success".to_string()
                        } else {
                            "Failure".to_string()
                        }
                    }),
                );
                put(&mut m, "ResultDescription", s.failure_reason.clone());
                put(&mut m, "AppDisplayName", s.app_display_name.clone());
                put(&mut m, "AppId", s.app_id.clone());
                put(
                    &mut m,
                    "ResourceDisplayName",
                    s.resource_display_name.clone(),
                );
                put(&mut m, "ClientAppUsed", s.client_app_used.clone());
                put(&mut m, "UserAgent", s.user_agent.clone());
                put(&mut m, "UserPrincipalName", s.user_principal_name.clone());
                put(&mut m, "UserDisplayName", s.user_display_name.clone());
                put(&mut m, "IPAddress", ip.clone());
                put(&mut m, "Location", f.country.clone());
                put(
                    &mut m,
                    "AuthenticationRequirement",
                    s.authentication_requirement.clone(),
                );
                put(
                    &mut m,
                    "AuthenticationProtocol",
                    s.authentication_protocol.clone(),
                );
                put(
                    &mut m,
                    "ConditionalAccessStatus",
                    s.conditional_access_status.clone(),
                );
                put(
                    &mut m,
                    "RiskLevelDuringSignIn",
                    s.risk_level_during_sign_in.clone(),
                );
                put(&mut m, "RiskState", s.risk_state.clone());
                put(&mut m, "DeviceDetail.deviceId", s.device_id.clone());
                put(
                    &mut m,
                    "DeviceDetail.operatingSystem",
                    s.operating_system.clone(),
                );
                put(&mut m, "DeviceDetail.browser", s.browser.clone());
                ("azure", "signinlogs", None)
            }
            EventKind::DirectoryAudit(a) => {
                put(
                    &mut m,
                    "ActivityDisplayName",
                    Some(a.activity_display_name.clone()),
                );
                put(
                    &mut m,
                    "OperationName",
                    Some(a.activity_display_name.clone()),
                );
                put(&mut m, "Category", a.category.clone());
                put(&mut m, "Result", a.result.clone());
                put(&mut m, "Status", a.result.clone());
                put(&mut m, "ResultReason", a.result_reason.clone());
                put(&mut m, "ResultDescription", a.result_reason.clone());
                put(&mut m, "LoggedByService", a.logged_by_service.clone());
                put(&mut m, "OperationType", a.operation_type.clone());
                put(
                    &mut m,
                    "InitiatedBy",
                    a.initiated_by_user.clone().or(a.initiated_by_app.clone()),
                );
                put(&mut m, "AppDisplayName", a.initiated_by_app.clone());
                put(&mut m, "UserPrincipalName", a.initiated_by_user.clone());
                put(&mut m, "IPAddress", ip.clone());
                let targets: Vec<Value> = a
                    .target_resources
                    .iter()
                    .flat_map(|t| [t.display_name.clone(), t.user_principal_name.clone()])
                    .flatten()
                    .map(Value::String)
                    .collect();
                m.insert("TargetResources".into(), Value::Array(targets));
                let props: Vec<Value> = a
                    .target_resources
                    .iter()
                    .flat_map(|t| t.modified_properties.iter())
                    .map(|(n, o, v)| json!({"displayName": n, "oldValue": o, "newValue": v}))
                    .collect();
                m.insert("ModifiedProperties".into(), Value::Array(props));
                ("azure", "auditlogs", None)
            }
            EventKind::Audit(a) => {
                put(&mut m, "Operation", Some(a.operation.clone()));
                put(&mut m, "Workload", a.workload.clone());
                put(&mut m, "UserId", a.user_id.clone());
                put(&mut m, "ResultStatus", a.result_status.clone());
                put(&mut m, "Status", a.result_status.clone());
                put(&mut m, "RecordType", a.record_type.map(|r| r.to_string()));
                put(&mut m, "ObjectId", a.object_id.clone());
                put(&mut m, "ClientIP", ip.clone());
                put(&mut m, "MailboxOwnerUPN", a.mailbox_owner_upn.clone());
                put(&mut m, "ClientInfoString", a.client_info_string.clone());
                put(&mut m, "Location", f.country.clone());
                // The m365 passthrough rules use these normalized names.
                put(&mut m, "eventSource", a.workload.clone());
                put(&mut m, "eventName", Some(a.operation.clone()));
                put(&mut m, "status", a.result_status.clone());
                ("m365", "audit", Some(&a.data))
            }
            _ => return None,
        };
        Some(SigmaDoc {
            product,
            service,
            flat: m,
            data,
            raw_text: &ev.raw,
            raw: std::cell::OnceCell::new(),
        })
    }

    /// The value of a Sigma field, if the event has it.
    pub fn get(&self, field: &str) -> Option<Value> {
        if let Some(v) = ci_get(&self.flat, field) {
            return Some(v.clone());
        }
        let bare = field.strip_prefix("properties.").unwrap_or(field);
        if let Some(v) = ci_get(&self.flat, bare) {
            return Some(v.clone());
        }
        let raw = self
            .raw
            .get_or_init(|| serde_json::from_str(self.raw_text).ok());
        for root in [self.data, raw.as_ref()].into_iter().flatten() {
            for name in [field, bare] {
                if let Some(v) = path_get(root, name) {
                    return Some(v.clone());
                }
            }
            if let Some(v) = root.get("properties").and_then(|p| path_get(p, bare)) {
                return Some(v.clone());
            }
        }
        None
    }
}

fn ci_get<'v>(m: &'v Map<String, Value>, k: &str) -> Option<&'v Value> {
    m.get(k).or_else(|| {
        m.iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v)
    })
}

fn path_get<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    let mut cur = root;
    for part in path.split('.') {
        cur = ci_get(cur.as_object()?, part)?;
    }
    Some(cur)
}
