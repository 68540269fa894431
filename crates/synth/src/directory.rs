//! Entra ID directory audit records as Graph `auditLogs/directoryAudits` objects: password
//! resets, security-info registration, user consent and user updates.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::rng::Gen;
use crate::signin::ts;
use crate::tenant::{Tenant, User};

/// The kinds of directory activity the scenario produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DirActivity {
    /// An administrator resets a user's password ("Reset user password").
    AdminPasswordReset,
    /// A user registers an authentication method ("User registered security info").
    SecurityInfoRegistered,
    /// A user consents to an application ("Consent to application").
    UserConsent,
    /// An administrator updates a user ("Update user").
    UpdateUser,
    /// A user resets their own password through SSPR ("Reset password (self-service)").
    SelfServiceReset,
}

/// One directory audit record before rendering.
#[derive(Debug, Clone)]
pub(crate) struct DirRec {
    /// `activityDateTime`.
    pub time: DateTime<Utc>,
    /// The rendered Graph object.
    pub json: Value,
}

fn initiated_by(u: &User, ip: IpAddr) -> Value {
    json!({
        "app": null,
        "user": {
            "id": u.object_id,
            "displayName": null,
            "userPrincipalName": u.upn,
            "ipAddress": ip.to_string(),
            "userType": null,
            "homeTenantId": null,
            "homeTenantName": null,
        }
    })
}

fn target_user(u: &User, props: Value) -> Value {
    json!({
        "id": u.object_id,
        "displayName": null,
        "type": "User",
        "userPrincipalName": u.upn,
        "groupType": null,
        "modifiedProperties": props,
    })
}

/// Builds one directory audit record of `activity` done by `actor` (from `ip`) on `target`.
pub(crate) fn record(
    tenant: &Tenant,
    g: &mut Gen,
    time: DateTime<Utc>,
    activity: DirActivity,
    actor: usize,
    target: usize,
    ip: IpAddr,
) -> DirRec {
    let a = &tenant.users[actor];
    let t = &tenant.users[target];
    let id_guid = g.guid();
    let corr = g.guid();
    let (name, category, service, op, reason, targets, details) = match activity {
        DirActivity::AdminPasswordReset => (
            "Reset user password",
            "UserManagement",
            "Core Directory",
            "Update",
            "",
            json!([target_user(t, json!([]))]),
            json!([]),
        ),
        DirActivity::SecurityInfoRegistered => (
            "User registered security info",
            "UserManagement",
            "Authentication Methods",
            "Add",
            "User registered Authenticator App with Notification and Code",
            json!([target_user(t, json!([]))]),
            json!([]),
        ),
        DirActivity::UserConsent => (
            "Consent to application",
            "ApplicationManagement",
            "Core Directory",
            "Assign",
            "",
            json!([{
                "id": "5a4d6f8e-2c1b-4e9a-8f3d-7b6c5a4e3d21",
                "displayName": "Example Meeting Scheduler",
                "type": "ServicePrincipal",
                "userPrincipalName": null,
                "groupType": null,
                "modifiedProperties": [
                    {"displayName": "ConsentContext.IsAdminConsent", "oldValue": null, "newValue": "\"False\""},
                    {"displayName": "ConsentContext.IsAppOnly", "oldValue": null, "newValue": "\"False\""},
                    {"displayName": "ConsentContext.OnBehalfOfAll", "oldValue": null, "newValue": "\"False\""},
                    {"displayName": "ConsentAction.Permissions", "oldValue": null, "newValue": "\"[] => [[Id: x, ClientId: y, PrincipalId: z, ResourceId: w, ConsentType: Principal, Scope:  User.Read Calendars.Read openid profile offline_access]]; \""},
                ],
            }]),
            json!([{"key": "User-Agent", "value": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36 Edg/137.0.0.0"}]),
        ),
        DirActivity::UpdateUser => (
            "Update user",
            "UserManagement",
            "Core Directory",
            "Update",
            "",
            json!([target_user(
                t,
                json!([
                    {"displayName": "TelephoneNumber", "oldValue": "[]", "newValue": "[\"+81 3-0000-0000\"]"},
                    {"displayName": "Included Updated Properties", "oldValue": null, "newValue": "\"TelephoneNumber\""},
                ])
            )]),
            json!([{"key": "UserType", "value": "Member"}]),
        ),
        DirActivity::SelfServiceReset => (
            "Reset password (self-service)",
            "UserManagement",
            "Self-service Password Management",
            "Update",
            "User successfully reset password",
            json!([target_user(t, json!([]))]),
            json!([]),
        ),
    };
    let json = json!({
        "id": format!("Directory_{id_guid}_{}_{}", g.token(5).to_uppercase(), g.range(10_000_000, 99_999_999)),
        "category": category,
        "correlationId": corr,
        "result": "success",
        "resultReason": reason,
        "activityDisplayName": name,
        "activityDateTime": ts(time),
        "loggedByService": service,
        "operationType": op,
        "userAgent": null,
        "initiatedBy": initiated_by(a, ip),
        "targetResources": targets,
        "additionalDetails": details,
    });
    DirRec { time, json }
}
