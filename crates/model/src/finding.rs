//! What detections produce: findings, grouped into incidents.
//!
//! Both serialize to the documented JSONL interface (`docs/schema/finding.schema.json`,
//! `docs/schema/incident.schema.json`); field names here are that interface.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::TenantId;

/// How bad a finding or incident is. Ordered: `Info < Low < … < Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth keeping in the timeline.
    Info,
    /// Unusual; look when convenient.
    Low,
    /// Suspicious; look today.
    Medium,
    /// Likely malicious; act now.
    High,
    /// A confirmed chain of compromise.
    Critical,
}

impl Severity {
    /// The lower-case name used in the CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a lower-case name (`info` … `critical`).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "info" | "informational" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
}

/// A reference to one stored event that a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EvidenceRef {
    /// The event kind (`sign_in`, `audit`, `message_trace`, …).
    pub kind: String,
    /// The event's natural id.
    pub natural_id: String,
}

/// One detection's verdict on some events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id: a hash of tenant, detection and evidence, so a re-run yields the same id.
    pub id: String,
    /// The tenant.
    pub tenant: TenantId,
    /// The incident this finding was grouped into, once grouped.
    pub incident_id: Option<String>,
    /// The detection's stable id (its module name).
    pub detection: String,
    /// How bad.
    pub severity: Severity,
    /// The user it is about.
    pub user: Option<String>,
    /// When the (first) evidence happened.
    pub time: DateTime<Utc>,
    /// IP addresses involved.
    pub ips: Vec<String>,
    /// Countries involved (ISO alpha-2).
    #[serde(default)]
    pub countries: Vec<String>,
    /// MITRE ATT&CK technique ids.
    pub attack: Vec<String>,
    /// The reason in Japanese, naming the evidence.
    pub reason_ja: String,
    /// The reason in English, naming the evidence.
    pub reason_en: String,
    /// The events it rests on.
    pub evidence: Vec<EvidenceRef>,
}

/// Findings about one user and period, told as one story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Stable id.
    pub id: String,
    /// The tenant.
    pub tenant: TenantId,
    /// The user.
    pub user: Option<String>,
    /// The highest severity, raised to critical for a full takeover chain.
    pub severity: Severity,
    /// First evidence.
    pub first_seen: DateTime<Utc>,
    /// Last evidence.
    pub last_seen: DateTime<Utc>,
    /// Detection ids that fired, in first-seen order.
    pub detections: Vec<String>,
    /// IPs judged to be the attacker's.
    pub attacker_ips: Vec<String>,
    /// Countries of those IPs.
    pub countries: Vec<String>,
    /// Summary in Japanese.
    pub summary_ja: String,
    /// Summary in English.
    pub summary_en: String,
    /// The findings' ids.
    #[serde(default)]
    pub findings: Vec<String>,
}
