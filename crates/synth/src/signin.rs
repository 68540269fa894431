//! One sign-in, rendered two ways: as a Graph `auditLogs/signIns` (beta) object and as a row
//! of the Entra portal download `InteractiveSignIns_<from>_<to>.csv` (+ its AuthDetails file).
//!
//! Both renderings come from the same [`SignInRec`], so the portal CSV's `Request ID` equals the
//! Graph `id` and a reader can de-duplicate the two. Property names follow Microsoft's `signIn`
//! resource (FORMATS.md); the portal header is the 56-column export header with its quirks.

use std::net::IpAddr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::tenant::{TENANT_NAME, Tenant};
use crate::world::network_of;

/// An application users sign in to.
#[derive(Debug)]
pub(crate) struct App {
    /// `appDisplayName`.
    pub name: &'static str,
    /// `appId` (Microsoft's well-known first-party ids).
    pub id: &'static str,
    /// `resourceDisplayName`.
    pub resource: &'static str,
    /// `resourceId`.
    pub resource_id: &'static str,
}

const EXO_ID: &str = "00000002-0000-0ff1-ce00-000000000000";
const GRAPH_ID: &str = "00000003-0000-0000-c000-000000000000";
const SPO_ID: &str = "00000003-0000-0ff1-ce00-000000000000";

/// Outlook desktop and other Office desktop apps.
pub(crate) const MICROSOFT_OFFICE: App = App {
    name: "Microsoft Office",
    id: "d3590ed6-52b3-4102-aeff-aad2292ab01c",
    resource: "Office 365 Exchange Online",
    resource_id: EXO_ID,
};
/// The Microsoft 365 portal in a browser.
pub(crate) const OFFICE_HOME: App = App {
    name: "OfficeHome",
    id: "4765445b-32c6-49b0-83e6-1d93765276ca",
    resource: "OfficeHome",
    resource_id: "4765445b-32c6-49b0-83e6-1d93765276ca",
};
/// Outlook on the web.
pub(crate) const OUTLOOK_WEB: App = App {
    name: "One Outlook Web",
    id: "9199bf20-a13f-4107-85dc-02114787ef48",
    resource: "Office 365 Exchange Online",
    resource_id: EXO_ID,
};
/// Teams desktop.
pub(crate) const TEAMS: App = App {
    name: "Microsoft Teams",
    id: "1fec8e78-bce4-4aaf-ab1b-5451cc387264",
    resource: "Microsoft Graph",
    resource_id: GRAPH_ID,
};
/// Outlook for iOS and Android.
pub(crate) const OUTLOOK_MOBILE: App = App {
    name: "Outlook Mobile",
    id: "27922004-5251-4030-b22d-91ecd9a37ea4",
    resource: "Office 365 Exchange Online",
    resource_id: EXO_ID,
};
/// SharePoint in a browser.
pub(crate) const SHAREPOINT: App = App {
    name: "Office 365 SharePoint Online",
    id: SPO_ID,
    resource: "Office 365 SharePoint Online",
    resource_id: SPO_ID,
};
/// Legacy protocols (SMTP AUTH, IMAP) land on Exchange Online itself.
pub(crate) const EXCHANGE_ONLINE: App = App {
    name: "Office 365 Exchange Online",
    id: EXO_ID,
    resource: "Office 365 Exchange Online",
    resource_id: EXO_ID,
};

/// How the user authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    /// Password then an Authenticator push: `multiFactorAuthentication`.
    MfaPush,
    /// MFA satisfied by a claim in the token (already done today).
    MfaClaim,
    /// Refresh-token sign-in (non-interactive) inheriting earlier MFA.
    TokenRefresh,
    /// Password only, accepted: `singleFactorAuthentication`, "Correct Password".
    PasswordOnly,
    /// Wrong password: error 50126.
    BadPassword,
}

/// One sign-in event.
#[derive(Debug, Clone)]
pub(crate) struct SignInRec {
    /// `id` = portal `Request ID`.
    pub id: String,
    /// `createdDateTime`.
    pub time: DateTime<Utc>,
    /// Index of the user in the tenant.
    pub user: usize,
    /// The application.
    pub app: &'static App,
    /// `ipAddress`.
    pub ip: IpAddr,
    /// `clientAppUsed`.
    pub client_app: &'static str,
    /// `userAgent`.
    pub user_agent: &'static str,
    /// `deviceDetail.operatingSystem`.
    pub os: &'static str,
    /// `deviceDetail.browser`.
    pub browser: &'static str,
    /// `deviceDetail.deviceId` when the device is registered.
    pub device_id: Option<String>,
    /// `isInteractive`.
    pub interactive: bool,
    /// How the user authenticated.
    pub auth: Auth,
    /// `correlationId`.
    pub correlation_id: String,
    /// `sessionId`.
    pub session_id: String,
    /// `uniqueTokenIdentifier`.
    pub unique_token: String,
    /// `authenticationProtocol`.
    pub protocol: &'static str,
    /// `processingTimeInMilliseconds`.
    pub latency_ms: u32,
}

impl SignInRec {
    /// `status.errorCode`.
    pub(crate) fn error_code(&self) -> i64 {
        if self.auth == Auth::BadPassword {
            50126
        } else {
            0
        }
    }

    fn failure_reason(&self) -> &'static str {
        if self.auth == Auth::BadPassword {
            "Error validating credentials due to invalid username or password."
        } else {
            "Other."
        }
    }

    fn requirement(&self) -> &'static str {
        match self.auth {
            Auth::MfaPush | Auth::MfaClaim | Auth::TokenRefresh => "multiFactorAuthentication",
            Auth::PasswordOnly | Auth::BadPassword => "singleFactorAuthentication",
        }
    }

    /// The `authenticationDetails` steps: (method, method detail, succeeded, result detail).
    fn auth_steps(&self) -> Vec<(&'static str, &'static str, bool, &'static str)> {
        match self.auth {
            Auth::MfaPush => vec![
                (
                    "Password",
                    "Password in the cloud",
                    true,
                    "Correct Password",
                ),
                (
                    "Mobile app notification",
                    "",
                    true,
                    "MFA successfully completed",
                ),
            ],
            Auth::MfaClaim => vec![
                (
                    "Previously satisfied",
                    "",
                    true,
                    "First factor requirement satisfied by claim in the token",
                ),
                (
                    "Previously satisfied",
                    "",
                    true,
                    "MFA requirement satisfied by claim in the token",
                ),
            ],
            Auth::TokenRefresh => vec![(
                "Previously satisfied",
                "",
                true,
                "First factor requirement satisfied by claim in the token",
            )],
            Auth::PasswordOnly => {
                vec![(
                    "Password",
                    "Password in the cloud",
                    true,
                    "Correct Password",
                )]
            }
            Auth::BadPassword => {
                vec![(
                    "Password",
                    "Password in the cloud",
                    false,
                    "Invalid username or password or Invalid on-premise username or password.",
                )]
            }
        }
    }

    fn location(&self) -> (&'static str, &'static str, &'static str, f64, f64) {
        match network_of(self.ip) {
            Some(n) => (
                n.place.city,
                n.place.state,
                n.place.country,
                n.place.lat,
                n.place.lon,
            ),
            None => ("", "", "", 0.0, 0.0),
        }
    }

    fn asn(&self) -> u32 {
        network_of(self.ip).map(|n| n.asn).unwrap_or(0)
    }

    /// The Graph beta `signIn` object.
    pub(crate) fn graph_json(&self, tenant: &Tenant) -> Value {
        let u = &tenant.users[self.user];
        let (city, state, country, lat, lon) = self.location();
        let steps: Vec<Value> = self
            .auth_steps()
            .into_iter()
            .enumerate()
            .map(|(i, (m, d, ok, r))| {
                json!({
                    "authenticationStepDateTime": ts(self.time + chrono::Duration::milliseconds(i as i64 * 900)),
                    "authenticationMethod": m,
                    "authenticationMethodDetail": d,
                    "succeeded": ok,
                    "authenticationStepResultDetail": r,
                    "authenticationStepRequirement": if i == 0 { "Primary authentication" } else { "" },
                })
            })
            .collect();
        let methods: Vec<&str> = match self.auth {
            Auth::MfaPush => vec!["Password", "Mobile app notification"],
            Auth::PasswordOnly | Auth::BadPassword => vec!["Password"],
            _ => vec![],
        };
        let mfa_detail = if self.auth == Auth::MfaPush {
            json!({"authMethod": "Mobile app notification", "authDetail": null})
        } else {
            json!({"authMethod": null, "authDetail": null})
        };
        json!({
            "id": self.id,
            "createdDateTime": ts(self.time),
            "userDisplayName": u.display_name,
            "userPrincipalName": u.upn,
            "userId": u.object_id,
            "appId": self.app.id,
            "appDisplayName": self.app.name,
            "ipAddress": self.ip.to_string(),
            "ipAddressFromResourceProvider": null,
            "clientAppUsed": self.client_app,
            "userAgent": self.user_agent,
            "correlationId": self.correlation_id,
            "conditionalAccessStatus": "notApplied",
            "originalRequestId": self.id,
            "isInteractive": self.interactive,
            "tokenIssuerName": "",
            "tokenIssuerType": "AzureAD",
            "clientCredentialType": "none",
            "processingTimeInMilliseconds": self.latency_ms,
            "riskDetail": "none",
            "riskLevelAggregated": "none",
            "riskLevelDuringSignIn": "none",
            "riskState": "none",
            "riskEventTypes_v2": [],
            "resourceDisplayName": self.app.resource,
            "resourceId": self.app.resource_id,
            "resourceTenantId": tenant.guid,
            "homeTenantId": tenant.guid,
            "homeTenantName": TENANT_NAME,
            "authenticationMethodsUsed": methods,
            "authenticationRequirement": self.requirement(),
            "signInIdentifier": u.upn,
            "signInIdentifierType": null,
            "signInEventTypes": [if self.interactive { "interactiveUser" } else { "nonInteractiveUser" }],
            "servicePrincipalId": "",
            "federatedCredentialId": "",
            "userType": "member",
            "flaggedForReview": false,
            "isTenantRestricted": false,
            "autonomousSystemNumber": self.asn(),
            "crossTenantAccessType": "none",
            "servicePrincipalCredentialKeyId": "",
            "servicePrincipalCredentialThumbprint": "",
            "uniqueTokenIdentifier": self.unique_token,
            "incomingTokenType": if self.auth == Auth::TokenRefresh { "refreshToken" } else { "none" },
            "authenticationProtocol": self.protocol,
            "resourceServicePrincipalId": "",
            "sessionId": self.session_id,
            "mfaDetail": mfa_detail,
            "status": {
                "errorCode": self.error_code(),
                "failureReason": self.failure_reason(),
                "additionalDetails": if self.auth == Auth::BadPassword {
                    Value::String("The user didn't enter the right credentials. It's expected to see some number of these errors in your logs due to users making mistakes.".into())
                } else { Value::Null },
            },
            "deviceDetail": {
                "deviceId": self.device_id.clone().unwrap_or_default(),
                "displayName": if self.device_id.is_some() { format!("PC-{}", &u.object_id[..6].to_uppercase()) } else { String::new() },
                "operatingSystem": self.os,
                "browser": self.browser,
                "isCompliant": self.device_id.is_some(),
                "isManaged": self.device_id.is_some(),
                "trustType": if self.device_id.is_some() { "Azure AD joined" } else { "" },
            },
            "location": {
                "city": city,
                "state": state,
                "countryOrRegion": country,
                "geoCoordinates": {"altitude": null, "latitude": lat, "longitude": lon},
            },
            "appliedConditionalAccessPolicies": [],
            "authenticationContextClassReferences": [],
            "authenticationProcessingDetails": [
                {"key": "Legacy TLS (TLS 1.0, 1.1, 3DES)", "value": "False"},
                {"key": "Is CAE Token", "value": "False"},
            ],
            "networkLocationDetails": [],
            "authenticationDetails": steps,
            "authenticationRequirementPolicies": [],
            "sessionLifetimePolicies": [],
        })
    }

    /// One row of the portal CSV, aligned with [`PORTAL_HEADER`].
    pub(crate) fn portal_row(&self, tenant: &Tenant) -> Vec<String> {
        let u = &tenant.users[self.user];
        let (city, state, country, _, _) = self.location();
        let status = match self.auth {
            Auth::BadPassword => "Failure",
            _ => "Success",
        };
        let mfa_result = match self.auth {
            Auth::MfaPush => "MFA successfully completed",
            Auth::MfaClaim => "MFA requirement satisfied by claim in the token",
            _ => "",
        };
        let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_string();
        let managed = self.device_id.is_some();
        let cells: Vec<String> = vec![
            ts_seconds(self.time),
            self.id.clone(),
            self.user_agent.into(),
            self.correlation_id.clone(),
            u.object_id.clone(),
            u.display_name.clone(),
            u.upn.clone(),
            "Member".into(),
            "None".into(),
            if self.auth == Auth::TokenRefresh {
                "Refresh token"
            } else {
                "None"
            }
            .into(),
            match self.protocol {
                "ropc" => "ROPC",
                _ => "None",
            }
            .into(),
            self.unique_token.clone(),
            "None".into(),
            "None".into(),
            String::new(),
            String::new(),
            self.app.name.into(),
            self.app.id.into(),
            "f8cdef31-a31e-4b4a-93e4-5f571e91255a".into(),
            self.app.resource.into(),
            self.app.resource_id.into(),
            tenant.guid.clone(),
            "f8cdef31-a31e-4b4a-93e4-5f571e91255a".into(),
            tenant.guid.clone(),
            TENANT_NAME.into(),
            self.ip.to_string(),
            format!("{city}, {state}, {country}"),
            status.into(),
            self.error_code().to_string(),
            self.failure_reason().into(),
            self.client_app.into(),
            self.device_id.clone().unwrap_or_default(),
            self.browser.into(),
            self.os.into(),
            yes_no(managed),
            yes_no(managed),
            if managed { "Azure AD joined" } else { "" }.into(),
            mfa_result.into(),
            if self.auth == Auth::MfaPush {
                "Mobile app notification"
            } else {
                ""
            }
            .into(),
            String::new(),
            match self.requirement() {
                "multiFactorAuthentication" => "Multifactor authentication",
                _ => "Single-factor authentication",
            }
            .into(),
            u.upn.clone(),
            self.session_id.clone(),
            String::new(),
            "No".into(),
            String::new(),
            self.asn().to_string(),
            "No".into(),
            "AzureAD".into(),
            if self.auth == Auth::TokenRefresh {
                "Refresh token"
            } else {
                "None"
            }
            .into(),
            String::new(),
            self.latency_ms.to_string(),
            "Not Applied".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        cells
    }

    /// AuthDetails rows aligned with [`AUTH_DETAILS_HEADER`].
    pub(crate) fn auth_detail_rows(&self) -> Vec<Vec<String>> {
        self.auth_steps()
            .into_iter()
            .enumerate()
            .map(|(i, (m, d, ok, r))| {
                vec![
                    self.id.clone(),
                    ts_seconds(self.time + chrono::Duration::milliseconds(i as i64 * 900)),
                    m.into(),
                    d.into(),
                    if ok { "true" } else { "false" }.into(),
                    r.into(),
                    if i == 0 { "Primary authentication" } else { "" }.into(),
                ]
            })
            .collect()
    }
}

/// The interactive sign-in download header, copied column by column from a real export as
/// recorded in FORMATS.md: note `Application ID ` and `Resource ID ` (trailing space),
/// `Autonomous system  number` (two spaces) and the repeated `Incoming token type`.
pub const PORTAL_HEADER: &[&str] = &[
    "Date (UTC)",
    "Request ID",
    "User agent",
    "Correlation ID",
    "User ID",
    "User",
    "Username",
    "User type",
    "Cross tenant access type",
    "Incoming token type",
    "Authentication Protocol",
    "Unique token identifier",
    "Original transfer method",
    "Client credential type",
    "Token Protection - Sign In Session",
    "Token Protection - Sign In Session StatusCode",
    "Application",
    "Application ID ",
    "App owner tenant ID",
    "Resource",
    "Resource ID ",
    "Resource tenant ID",
    "Resource owner tenant ID",
    "Home tenant ID",
    "Home tenant name",
    "IP address",
    "Location",
    "Status",
    "Sign-in error code",
    "Failure reason",
    "Client app",
    "Device ID",
    "Browser",
    "Operating System",
    "Compliant",
    "Managed",
    "Join Type",
    "Multifactor authentication result",
    "Multifactor authentication auth method",
    "Multifactor authentication auth detail",
    "Authentication requirement",
    "Sign-in identifier",
    "Session ID",
    "IP address (seen by resource)",
    "Through Global Secure Access",
    "Global Secure Access IP address",
    "Autonomous system  number",
    "Flagged for review",
    "Token issuer type",
    "Incoming token type",
    "Token issuer name",
    "Latency",
    "Conditional Access",
    "Managed Identity type",
    "Associated Resource Id",
    "Federated Token Id",
    "Federated Token Issuer",
];

/// The AuthDetails companion file header. No public sample lists these columns (FORMATS.md);
/// they mirror Graph `authenticationDetail` in the portal's wording and join on `Request ID`.
pub const AUTH_DETAILS_HEADER: &[&str] = &[
    "Request ID",
    "Authentication Date (UTC)",
    "Authentication method",
    "Authentication method detail",
    "Succeeded",
    "Result detail",
    "Requirement",
];

/// Graph timestamp: `2025-06-01T06:54:24.123Z`... Graph writes seven fraction digits or none;
/// we write `Z` with the milliseconds it has.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Portal timestamp: `2025-06-01T06:54:24Z`.
pub(crate) fn ts_seconds(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_has_the_quirks() {
        assert!(PORTAL_HEADER.contains(&"Application ID "));
        assert!(PORTAL_HEADER.contains(&"Autonomous system  number"));
        assert_eq!(
            PORTAL_HEADER
                .iter()
                .filter(|h| **h == "Incoming token type")
                .count(),
            2
        );
    }
}
