//! `ground_truth.json`: what the generator planted, so tests and benchmarks can score the
//! readers and detections against it. Every field is documented; times are UTC.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Everything a test needs to know about a generated tenant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundTruth {
    /// The seed used.
    pub seed: u64,
    /// First instant covered by the exports.
    pub period_start: DateTime<Utc>,
    /// End of the period (exclusive).
    pub period_end: DateTime<Utc>,
    /// The store tenant id written in `mimamori.toml` (`default`).
    pub tenant_id: String,
    /// The Entra tenant GUID in the records (`homeTenantId`, `OrganizationId`).
    pub tenant_guid: String,
    /// Internal mail domains.
    pub domains: Vec<String>,
    /// The taken-over user.
    pub victim: Victim,
    /// The attacker.
    pub attacker: Attacker,
    /// The hidden phishing sends.
    pub hidden_sends: HiddenSends,
    /// The password spray.
    pub spray: Spray,
    /// The undeclared business trip (should stay low severity).
    pub undeclared_trip: Trip,
    /// Declared trips (listed in `expected_locations.csv`).
    pub declared_trips: Vec<Trip>,
    /// Users with legitimate inbox rules (not attacks): (upn, rule name).
    pub legitimate_inbox_rules: Vec<(String, String)>,
    /// Record counts actually written, per format.
    pub counts: Counts,
    /// Every file written, relative to the output folder.
    pub files: Vec<String>,
    /// All users.
    pub users: Vec<UserInfo>,
    /// The victim's mailbox export (phase 2), when written.
    pub mailbox: Option<MailboxTruth>,
}

/// The taken-over user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Victim {
    /// UPN.
    pub upn: String,
    /// Display name.
    pub display_name: String,
    /// Where the user is expected to be (ISO alpha-2): `VN` (seconded).
    pub expected_country: String,
    /// Time of the administrator's "Reset user password".
    pub password_reset_time: DateTime<Utc>,
    /// The attacker's inbox rule name.
    pub inbox_rule_name: String,
    /// Folder the rule moved mail to.
    pub inbox_rule_folder: String,
    /// When the rule was created.
    pub inbox_rule_created: DateTime<Utc>,
    /// When the administrator removed it.
    pub inbox_rule_removed: DateTime<Utc>,
    /// Folders the attacker synchronised (`MailItemsAccessed` Sync).
    pub synced_folders: Vec<String>,
}

/// The attacker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attacker {
    /// Source addresses.
    pub ips: Vec<String>,
    /// Their country (ISO alpha-2).
    pub country: String,
    /// Their ASN.
    pub asn: u32,
    /// The first malicious sign-in's Graph `id` (= portal Request ID).
    pub first_sign_in_id: String,
    /// Its time.
    pub first_sign_in_time: DateTime<Utc>,
    /// All successful malicious sign-in ids, oldest first.
    pub successful_sign_in_ids: Vec<String>,
    /// Failed attempts (50126) after the password reset.
    pub failed_sign_in_ids_after_reset: Vec<String>,
}

/// The hidden sends (in the trace, not in Sent Items).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HiddenSends {
    /// How many messages.
    pub count: usize,
    /// Their Message-IDs (with angle brackets, as in the trace).
    pub message_ids: Vec<String>,
    /// Their `MessageTraceId`s.
    pub message_trace_ids: Vec<String>,
    /// Distinct external recipients.
    pub distinct_recipients: usize,
    /// First send.
    pub first: DateTime<Utc>,
    /// Last send.
    pub last: DateTime<Utc>,
}

/// The password spray.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spray {
    /// The single source address.
    pub source_ip: String,
    /// Its country.
    pub country: String,
    /// UPNs tried.
    pub targeted_users: Vec<String>,
    /// Sign-in attempts (all error 50126).
    pub attempts: usize,
    /// Successful attempts: always 0.
    pub successes: usize,
    /// First attempt.
    pub first: DateTime<Utc>,
    /// Last attempt.
    pub last: DateTime<Utc>,
}

/// A business trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trip {
    /// Traveller UPN.
    pub user: String,
    /// Country visited.
    pub country: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// The hotel address used.
    pub ip: String,
}

/// Records written per format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Sign-in objects in `signins/graph/page-*.json` (= distinct sign-ins).
    pub graph_sign_ins: u64,
    /// Of which interactive.
    pub graph_sign_ins_interactive: u64,
    /// Of which non-interactive.
    pub graph_sign_ins_non_interactive: u64,
    /// Graph sign-in pages.
    pub graph_sign_in_pages: usize,
    /// Data rows in the portal `InteractiveSignIns_*.csv` (last 7 days, interactive only).
    pub portal_sign_in_rows: u64,
    /// Data rows in the portal `NonInteractiveSignIns_*.csv` (last 7 days).
    #[serde(default)]
    pub portal_non_interactive_rows: u64,
    /// Data rows in `InteractiveSignIns_AuthDetails_*.csv`.
    pub portal_auth_detail_rows: u64,
    /// Directory audit objects.
    pub directory_audits: u64,
    /// Directory audit pages.
    pub directory_audit_pages: usize,
    /// Unified audit log rows across all Purview CSV parts.
    pub ual_rows: u64,
    /// Message trace rows across all files.
    pub message_trace_rows: u64,
    /// Historical extended report rows.
    pub historical_rows: u64,
    /// Distinct sign-ins (Graph ids); the portal rows are a subset of these.
    pub distinct_sign_ins: u64,
}

/// One user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    /// UPN.
    pub upn: String,
    /// Display name (kanji for Japanese staff).
    pub display_name: String,
    /// Latin-script name.
    pub latin_name: String,
    /// Home country (ISO alpha-2).
    pub country: String,
    /// Department.
    pub department: String,
    /// Entra object id.
    pub object_id: String,
}

/// The victim's mailbox export (phase 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailboxTruth {
    /// Folder to MBOX file, relative to the output folder.
    pub files: Vec<(String, String)>,
    /// Messages per folder.
    pub messages_per_folder: Vec<(String, usize)>,
    /// Persons in the personal-data attachments (64).
    pub persons: usize,
    /// Personal-data categories present.
    pub categories: Vec<String>,
    /// Whether any valid My Number (個人番号) appears: false by construction.
    pub my_number_found: bool,
    /// Distinct addresses in From/To/Cc across the mailbox.
    pub unique_addresses: usize,
    /// Attachments written: (file name, message id).
    pub attachments: Vec<(String, String)>,
}
