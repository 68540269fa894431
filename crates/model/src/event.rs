//! Normalized events: one struct per kind of Microsoft 365 record.
//!
//! Field names follow Microsoft's own (Graph `signIn`, Management Activity API common schema,
//! `Get-MessageTraceV2`) in snake_case, so a reader can trace each field to its documentation
//! (see `../shared/docs/FORMATS.md`). Everything a format may lack is an `Option`.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::TenantId;

/// Where a record came from: enough to find it again in the original export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// Input file path as given (inside an archive: `archive.zip!/inner/path`).
    pub file: String,
    /// 1-based line for line-oriented inputs (CSV, NDJSON), else 0-based record index.
    pub record: u64,
    /// The reader that produced it (a `normalize` format id such as `graph_signin_json`).
    pub format: String,
}

/// One normalized record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The tenant this record belongs to.
    pub tenant: TenantId,
    /// Microsoft's id for the record, stable across export formats: sign-in `id` (= portal
    /// "Request ID"), audit `Id`/`RecordId`, `MessageTraceId` + recipient, …. Used to store each
    /// record once however many exports carry it.
    pub natural_id: String,
    /// When it happened, UTC.
    pub time: DateTime<Utc>,
    /// File and line it came from.
    pub provenance: Provenance,
    /// The record as read (JSON text; CSV rows as a JSON object of header → cell), for evidence.
    pub raw: String,
    /// The typed content.
    pub kind: EventKind,
}

/// The typed content of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// An Entra ID sign-in (interactive, non-interactive, service principal, managed identity)
    /// or a unified-audit-log logon (`UserLoggedIn` / `UserLoginFailed`).
    SignIn(Box<SignIn>),
    /// An Entra ID directory audit record (Graph `directoryAudit`, `AuditLogs` table).
    DirectoryAudit(Box<DirectoryAudit>),
    /// A unified audit log record (Management Activity API schema; Purview export; OfficeActivity).
    Audit(Box<AuditRecord>),
    /// One message to one recipient in the Exchange Online message trace.
    MessageTrace(Box<MessageTrace>),
    /// One message found in a mailbox export (PST, MBOX, EML, MSG): its envelope only.
    Mail(Box<MailEnvelope>),
}

impl EventKind {
    /// A short stable name of the kind, used as the store's `kind` column.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::SignIn(_) => "sign_in",
            EventKind::DirectoryAudit(_) => "directory_audit",
            EventKind::Audit(_) => "audit",
            EventKind::MessageTrace(_) => "message_trace",
            EventKind::Mail(_) => "mail",
        }
    }

    /// The user (UPN or mail address, lower-case) the record is about, if any.
    pub fn user(&self) -> Option<&str> {
        match self {
            EventKind::SignIn(s) => s.user_principal_name.as_deref(),
            EventKind::DirectoryAudit(a) => a.initiated_by_user.as_deref(),
            EventKind::Audit(a) => a.user_id.as_deref(),
            EventKind::MessageTrace(m) => Some(m.sender_address.as_str()),
            EventKind::Mail(m) => m.mailbox.as_deref(),
        }
    }

    /// The client IP address the record names, if any.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            EventKind::SignIn(s) => s.ip_address,
            EventKind::DirectoryAudit(a) => a.ip_address,
            EventKind::Audit(a) => a.client_ip,
            EventKind::MessageTrace(m) => m.client_ip.or(m.from_ip),
            EventKind::Mail(_) => None,
        }
    }
}

/// Which sign-in log a sign-in came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInKind {
    /// `interactiveUser`, `SigninLogs`, `InteractiveSignIns_*.csv`.
    Interactive,
    /// `nonInteractiveUser`, `AADNonInteractiveUserSignInLogs`, `NonInteractiveSignIns_*.csv`.
    NonInteractive,
    /// `servicePrincipal`, `ApplicationSignIns_*.csv`.
    ServicePrincipal,
    /// `managedIdentity`, `MSISignIns_*.csv`.
    ManagedIdentity,
    /// A logon carried in the unified audit log (RecordType 15).
    UnifiedAuditLogon,
    /// ADFS sign-ins forwarded to Entra.
    Adfs,
}

/// Where a sign-in came from, as the log reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// City.
    pub city: Option<String>,
    /// State or prefecture.
    pub state: Option<String>,
    /// ISO 3166-1 alpha-2 country code, upper-case.
    pub country: Option<String>,
    /// Coordinates when the log has them.
    pub geo: Option<GeoPoint>,
}

/// Latitude and longitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    /// Degrees north.
    pub lat: f64,
    /// Degrees east.
    pub lon: f64,
}

/// One step of `authenticationDetails`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthStep {
    /// `authenticationMethod`, e.g. "Password", "Mobile app notification".
    pub method: Option<String>,
    /// `succeeded`.
    pub succeeded: Option<bool>,
    /// `authenticationStepResultDetail`, e.g. "Correct Password", "MFA denied; …".
    pub result_detail: Option<String>,
}

/// An Entra ID sign-in, in Graph `signIn` terms.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SignIn {
    /// Which log it came from.
    pub sign_in_kind: Option<SignInKind>,
    /// `userPrincipalName`, lower-cased.
    pub user_principal_name: Option<String>,
    /// `userDisplayName`.
    pub user_display_name: Option<String>,
    /// `userId` (object id).
    pub user_id: Option<String>,
    /// `appDisplayName`.
    pub app_display_name: Option<String>,
    /// `appId`.
    pub app_id: Option<String>,
    /// `resourceDisplayName`.
    pub resource_display_name: Option<String>,
    /// `ipAddress`, parsed.
    pub ip_address: Option<IpAddr>,
    /// Location reported by Microsoft.
    pub location: Location,
    /// `autonomousSystemNumber`.
    pub autonomous_system_number: Option<u32>,
    /// `clientAppUsed`: Browser, Mobile Apps and Desktop clients, Authenticated SMTP, IMAP4, …
    pub client_app_used: Option<String>,
    /// `userAgent`.
    pub user_agent: Option<String>,
    /// `status.errorCode` (0 = success).
    pub error_code: Option<i64>,
    /// `status.failureReason`.
    pub failure_reason: Option<String>,
    /// `authenticationRequirement`: singleFactorAuthentication | multiFactorAuthentication.
    pub authentication_requirement: Option<String>,
    /// `authenticationProtocol`: none, oAuth2, ropc, deviceCode, …
    pub authentication_protocol: Option<String>,
    /// `authenticationDetails`.
    pub authentication_details: Vec<AuthStep>,
    /// `conditionalAccessStatus`: success | failure | notApplied.
    pub conditional_access_status: Option<String>,
    /// `correlationId`.
    pub correlation_id: Option<String>,
    /// `sessionId`.
    pub session_id: Option<String>,
    /// `deviceDetail.deviceId`.
    pub device_id: Option<String>,
    /// `deviceDetail.operatingSystem`.
    pub operating_system: Option<String>,
    /// `deviceDetail.browser`.
    pub browser: Option<String>,
    /// `riskLevelDuringSignIn`.
    pub risk_level_during_sign_in: Option<String>,
    /// `riskState`.
    pub risk_state: Option<String>,
    /// The tenant GUID the record names (`homeTenantId`, `tenantId`, `resourceTenantId`).
    pub tenant_guid: Option<String>,
}

impl SignIn {
    /// True when the sign-in succeeded (error code 0).
    pub fn succeeded(&self) -> bool {
        self.error_code == Some(0)
    }
}

/// A resource an Entra audit record acted on (`targetResources`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetResource {
    /// `id`.
    pub id: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// `userPrincipalName`.
    pub user_principal_name: Option<String>,
    /// `type`: User, Application, ServicePrincipal, …
    pub resource_type: Option<String>,
    /// `modifiedProperties` as (displayName, oldValue, newValue).
    pub modified_properties: Vec<(String, Option<String>, Option<String>)>,
}

/// An Entra ID directory audit record (Graph `directoryAudit`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DirectoryAudit {
    /// `activityDisplayName`, e.g. "Consent to application", "User registered security info".
    pub activity_display_name: String,
    /// `category`.
    pub category: Option<String>,
    /// `result`: success | failure.
    pub result: Option<String>,
    /// `resultReason`.
    pub result_reason: Option<String>,
    /// `loggedByService`.
    pub logged_by_service: Option<String>,
    /// `operationType`.
    pub operation_type: Option<String>,
    /// `correlationId`.
    pub correlation_id: Option<String>,
    /// `initiatedBy.user.userPrincipalName`, lower-cased.
    pub initiated_by_user: Option<String>,
    /// `initiatedBy.app.displayName`.
    pub initiated_by_app: Option<String>,
    /// `initiatedBy.user.ipAddress`.
    pub ip_address: Option<IpAddr>,
    /// `targetResources`.
    pub target_resources: Vec<TargetResource>,
    /// `additionalDetails` as key → value.
    pub additional_details: BTreeMap<String, String>,
}

/// A unified audit log record (Office 365 Management Activity API common schema plus the
/// Exchange fields detections need). Everything else stays in `data`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// `RecordType` as a number (names such as `ExchangeItem` are mapped to their number).
    pub record_type: Option<u32>,
    /// `Operation`, e.g. `MailItemsAccessed`, `New-InboxRule`, `Send`, `UserLoggedIn`.
    pub operation: String,
    /// `Workload`: Exchange, AzureActiveDirectory, SharePoint, OneDrive, …
    pub workload: Option<String>,
    /// `UserId`, lower-cased.
    pub user_id: Option<String>,
    /// `ResultStatus`: Succeeded, Failed, PartiallySucceeded, True, False.
    pub result_status: Option<String>,
    /// `ClientIP` (or `ClientIPAddress` / `ActorIpAddress`), normalized from every form.
    pub client_ip: Option<IpAddr>,
    /// The port when `ClientIP` carried one.
    pub client_port: Option<u16>,
    /// `ObjectId`.
    pub object_id: Option<String>,
    /// `MailboxOwnerUPN`, lower-cased.
    pub mailbox_owner_upn: Option<String>,
    /// `LogonType` (0 Owner, 1 Admin, 2 Delegated, …).
    pub logon_type: Option<i64>,
    /// `ClientInfoString`.
    pub client_info_string: Option<String>,
    /// `SessionId`.
    pub session_id: Option<String>,
    /// `AppId` or `ClientAppId`.
    pub app_id: Option<String>,
    /// `OrganizationId`.
    pub organization_id: Option<String>,
    /// The whole AuditData object with the Name/Value arrays (`Parameters`,
    /// `ExtendedProperties`, `DeviceProperties`, `ModifiedProperties`, `OperationProperties`)
    /// folded into objects and JSON-in-string fields parsed.
    pub data: serde_json::Value,
}

/// Direction of a message relative to the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From outside to the tenant.
    Inbound,
    /// From the tenant to outside.
    Outbound,
    /// Inside the tenant.
    Intra,
}

/// One message to one recipient in the message trace (`Get-MessageTraceV2` terms).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageTrace {
    /// `MessageTraceId` (or `network_message_id` in historical reports).
    pub message_trace_id: Option<String>,
    /// `MessageId`: the Internet Message-ID, with angle brackets removed.
    pub message_id: Option<String>,
    /// `SenderAddress`, lower-cased.
    pub sender_address: String,
    /// `RecipientAddress`, lower-cased.
    pub recipient_address: String,
    /// `Subject`.
    pub subject: Option<String>,
    /// `Status`: Delivered, Failed, FilteredAsSpam, …
    pub status: Option<String>,
    /// `FromIP`: blank for mail submitted inside Exchange Online.
    pub from_ip: Option<IpAddr>,
    /// `ToIP`.
    pub to_ip: Option<IpAddr>,
    /// The submitting client (`original_client_ip` / `client_ip` of historical reports).
    pub client_ip: Option<IpAddr>,
    /// `Size` in bytes.
    pub size: Option<u64>,
    /// Direction when the source says it (`directionality`, `email.direction`).
    pub direction: Option<Direction>,
}

/// The envelope of one message in a mailbox export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MailEnvelope {
    /// The mailbox owner (lower-case address) when known.
    pub mailbox: Option<String>,
    /// Folder path inside the mailbox, e.g. `送信済みアイテム` or `Inbox/Projects`.
    pub folder: Option<String>,
    /// Message-ID without angle brackets.
    pub message_id: Option<String>,
    /// From address, lower-cased.
    pub from: Option<String>,
    /// From display name.
    pub from_name: Option<String>,
    /// To addresses, lower-cased.
    pub to: Vec<String>,
    /// Cc addresses, lower-cased.
    pub cc: Vec<String>,
    /// Subject.
    pub subject: Option<String>,
    /// Size in bytes.
    pub size: Option<u64>,
}
