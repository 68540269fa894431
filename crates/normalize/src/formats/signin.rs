//! Entra ID sign-ins as JSON objects: Microsoft Graph `signIn`
//! (`GET /auditLogs/signIns`, doc: microsoft-graph-docs `resources/signin.md`), the Entra
//! portal's "Download JSON" (same properties, top-level array) and Log Analytics
//! `SigninLogs` / `AADNonInteractiveUserSignInLogs` rows (PascalCase, dynamic columns as JSON
//! text). The shared [`from_object`] is also used for Azure Monitor `properties` and the Log
//! Analytics CSV.
//!
//! Natural id: `signin:<id>` — Graph `id` = Log Analytics `Id` = portal `Request ID`.

use chrono::{DateTime, Utc};
use model::{AuthStep, EventKind, GeoPoint, Location, SignIn, SignInKind};
use serde_json::Value;

use super::{Ctx, Obj, need_time};
use crate::fields::{array, boolean, get, int, lower, object, text};

/// A sign-in read from an object, before it becomes an event.
pub(crate) struct ReadSignIn {
    pub id: String,
    pub time: DateTime<Utc>,
    pub sign_in: SignIn,
}

/// Maps a category / `Type` / `signInEventTypes` value to the sign-in kind.
pub(crate) fn kind_from_label(label: &str) -> Option<SignInKind> {
    let l = label.to_ascii_lowercase();
    Some(if l.contains("noninteractive") {
        SignInKind::NonInteractive
    } else if l.contains("serviceprincipal") {
        SignInKind::ServicePrincipal
    } else if l.contains("managedidentity") {
        SignInKind::ManagedIdentity
    } else if l.contains("adfs") {
        SignInKind::Adfs
    } else if l.contains("interactive") || l == "signinlogs" {
        SignInKind::Interactive
    } else {
        return None;
    })
}

/// Normalizes the Graph error code spelling: `conditionalAccessStatus` values.
pub(crate) fn ca_status(s: &str) -> String {
    let s = s.trim();
    // Graph's own spellings, the common case, without the normalising copies below.
    for canon in ["success", "failure", "notApplied", "unknownFutureValue"] {
        if s == canon {
            return canon.to_string();
        }
    }
    match s.to_ascii_lowercase().replace(' ', "").as_str() {
        "success" => "success".into(),
        "failure" => "failure".into(),
        "notapplied" => "notApplied".into(),
        "unknownfuturevalue" => "unknownFutureValue".into(),
        _ => s.trim().to_string(),
    }
}

fn location(o: &Obj) -> Location {
    let mut loc = Location::default();
    let detail = object(o, &["locationDetails", "location"]);
    if let Some(d) = detail.as_deref() {
        loc.city = text(d, &["city"]);
        loc.state = text(d, &["state"]);
        loc.country = text(d, &["countryOrRegion"]).map(|c| c.to_ascii_uppercase());
        if let Some(g) = object(d, &["geoCoordinates"]) {
            let lat = get(&g, &["latitude"]).and_then(Value::as_f64);
            let lon = get(&g, &["longitude"]).and_then(Value::as_f64);
            if let (Some(lat), Some(lon)) = (lat, lon) {
                loc.geo = Some(GeoPoint { lat, lon });
            }
        }
    }
    if loc.country.is_none()
        && let Some(Value::String(cc)) = get(o, &["location"])
        && cc.trim().len() == 2
    {
        loc.country = Some(cc.trim().to_ascii_uppercase());
    }
    loc
}

fn auth_steps(o: &Obj) -> Vec<AuthStep> {
    let Some(items) = array(o, &["authenticationDetails"]) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(Value::as_object)
        .map(|s| AuthStep {
            method: text(s, &["authenticationMethod"]),
            succeeded: boolean(s, &["succeeded"]),
            result_detail: text(s, &["authenticationStepResultDetail"]),
        })
        .collect()
}

/// Reads a sign-in from a Graph / portal / Log Analytics object. `envelope` is the Azure Monitor
/// record around `properties`, consulted for fields the properties lack.
pub(crate) fn from_object(o: &Obj, envelope: Option<&Obj>) -> Result<ReadSignIn, String> {
    let id = text(o, &["id"])
        .or_else(|| text(o, &["originalRequestId"]))
        .ok_or("no sign-in id (`id` / `Id`)")?;
    let env_time = envelope.and_then(|e| text(e, &["time"]));
    let (time_text, field) = match text(o, &["createdDateTime", "TimeGenerated"]) {
        Some(t) => (Some(t), "createdDateTime"),
        None => match env_time {
            Some(t) => (Some(t), "time"),
            None => {
                // Log Analytics exports without a time column: the first authentication step's
                // time is the sign-in's own (same request).
                let step = array(o, &["authenticationDetails"]).and_then(|a| {
                    a.first()
                        .and_then(Value::as_object)
                        .and_then(|s| text(s, &["authenticationStepDateTime"]))
                });
                (step, "createdDateTime")
            }
        },
    };
    let time = need_time(time_text, field)?;

    let status = object(o, &["status"]);
    let error_code = status
        .as_deref()
        .and_then(|s| int(s, &["errorCode"]))
        .or_else(|| int(o, &["resultType"]))
        .or_else(|| envelope.and_then(|e| int(e, &["resultType"])));
    let failure_reason = status
        .as_deref()
        .and_then(|s| text(s, &["failureReason"]))
        .or_else(|| text(o, &["resultDescription"]))
        .filter(|r| r != "Other.");
    let device = object(o, &["deviceDetail"]);
    let label =
        text(o, &["Type", "category"]).or_else(|| envelope.and_then(|e| text(e, &["category"])));
    let sign_in_kind = array(o, &["signInEventTypes"])
        .and_then(|a| a.first().and_then(Value::as_str).and_then(kind_from_label))
        .or_else(|| label.as_deref().and_then(kind_from_label))
        .or_else(|| {
            boolean(o, &["isInteractive"]).map(|i| {
                if i {
                    SignInKind::Interactive
                } else {
                    SignInKind::NonInteractive
                }
            })
        });
    let ip_text = text(o, &["ipAddress", "IPAddress"])
        .or_else(|| envelope.and_then(|e| text(e, &["callerIpAddress"])));
    let sign_in = SignIn {
        sign_in_kind,
        user_principal_name: lower(o, &["userPrincipalName"]),
        user_display_name: text(o, &["userDisplayName"]),
        user_id: text(o, &["userId"]),
        app_display_name: text(o, &["appDisplayName"]),
        app_id: text(o, &["appId"]),
        resource_display_name: text(o, &["resourceDisplayName"]),
        ip_address: ip_text
            .as_deref()
            .and_then(model::parse_client_ip)
            .map(|c| c.ip),
        location: location(o),
        autonomous_system_number: int(o, &["autonomousSystemNumber"])
            .and_then(|n| u32::try_from(n).ok()),
        client_app_used: text(o, &["clientAppUsed"]),
        user_agent: text(o, &["userAgent"]),
        error_code,
        failure_reason,
        authentication_requirement: text(o, &["authenticationRequirement"]),
        authentication_protocol: text(o, &["authenticationProtocol"]),
        authentication_details: auth_steps(o),
        conditional_access_status: text(o, &["conditionalAccessStatus"]).map(|s| ca_status(&s)),
        correlation_id: text(o, &["correlationId"]),
        session_id: text(o, &["sessionId"]),
        device_id: device.as_deref().and_then(|d| text(d, &["deviceId"])),
        operating_system: device
            .as_deref()
            .and_then(|d| text(d, &["operatingSystem"])),
        browser: device.as_deref().and_then(|d| text(d, &["browser"])),
        risk_level_during_sign_in: text(o, &["riskLevelDuringSignIn"]),
        risk_state: text(o, &["riskState"]),
        tenant_guid: text(
            o,
            &[
                "homeTenantId",
                "resourceTenantId",
                "AADTenantId",
                "tenantId",
            ],
        )
        .or_else(|| envelope.and_then(|e| text(e, &["tenantId"]))),
    };
    Ok(ReadSignIn { id, time, sign_in })
}

/// The natural id of a sign-in with Microsoft's request id `id`.
pub(crate) fn natural_id(id: &str) -> String {
    format!("signin:{}", id.trim().to_ascii_lowercase())
}

/// Graph `signIn` / portal JSON / `SigninLogs` JSON rows.
pub(crate) mod graph {
    use super::*;

    /// A sign-in object: `createdDateTime` with a user or app, or a `SigninLogs` row.
    pub fn sniff(o: &Obj) -> bool {
        if let Some(t) = text(o, &["Type"])
            && (t == "SigninLogs" || t == "AADNonInteractiveUserSignInLogs")
        {
            return true;
        }
        get(o, &["createdDateTime"]).is_some()
            && (get(o, &["userPrincipalName"]).is_some() || get(o, &["appId"]).is_some())
            && get(o, &["properties"]).is_none()
    }

    /// Reads one sign-in. The typed event comes from the object alone (no envelope, no file
    /// name): the store keeps only the raw text of these and `derive.rs` rebuilds the event
    /// the same way, so anything taken from `ctx` here must also change `derives_from_raw`.
    pub fn read(o: Obj, raw: String, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
        let s = from_object(&o, None)?;
        Ok(vec![ctx.event(
            natural_id(&s.id),
            s.time,
            raw,
            EventKind::SignIn(Box::new(s.sign_in)),
        )])
    }
}
