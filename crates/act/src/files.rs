//! The records of the case folder's JSONL files that are not model types: hidden sends and
//! mail verdicts, plus the file names of the case folder (the contract with the pipeline and
//! the dashboard).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `incidents.jsonl`: one [`model::Incident`] per line.
pub const INCIDENTS_FILE: &str = "incidents.jsonl";
/// `findings.jsonl`: one [`model::Finding`] per line.
pub const FINDINGS_FILE: &str = "findings.jsonl";
/// `hidden_sends.jsonl`: one [`HiddenSend`] per line.
pub const HIDDEN_SENDS_FILE: &str = "hidden_sends.jsonl";
/// `mail_verdicts.jsonl`: one [`MailVerdictLine`] per line.
pub const MAIL_VERDICTS_FILE: &str = "mail_verdicts.jsonl";
/// `scope.json`: the leak scope written by the pii crate (read through [`crate::ScopeView`]).
pub const SCOPE_FILE: &str = "scope.json";
/// `timeline.csv`: every source merged, findings marked ([`crate::TimelineRow`]).
pub const TIMELINE_FILE: &str = "timeline.csv";
/// `case.json`: the run's metadata ([`crate::CaseMeta`]).
pub const CASE_META_FILE: &str = "case.json";
/// `report.md`.
pub const REPORT_MD_FILE: &str = "report.md";
/// `report.html`.
pub const REPORT_HTML_FILE: &str = "report.html";
/// `ppc-report.md`: the Japanese draft of the PPC breach report.
pub const PPC_REPORT_FILE: &str = "ppc-report.md";
/// `ppc-report.en.md`: its English translation (written when the report language is English).
pub const PPC_REPORT_EN_FILE: &str = "ppc-report.en.md";

/// One message the user's account sent that has no copy in Sent Items (message trace row
/// without a matching Sent Items item): the 2025 incident's ~300 phishing mails.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HiddenSend {
    /// The tenant (empty when an older writer left it out).
    #[serde(default)]
    pub tenant: String,
    /// The sending mailbox (lower-case address).
    pub user: String,
    /// When the message trace saw it, UTC.
    pub time: DateTime<Utc>,
    /// The recipient address (lower-case).
    pub recipient: String,
    /// The subject as sent (attacker-controlled).
    #[serde(default)]
    pub subject: Option<String>,
    /// Internet Message-ID without angle brackets.
    #[serde(default)]
    pub message_id: Option<String>,
    /// The submitting client's IP, when the trace has it.
    #[serde(default)]
    pub client_ip: Option<String>,
}

impl HiddenSend {
    /// The recipient's domain (after the last `@`), lower-case; empty when there is none.
    pub fn recipient_domain(&self) -> String {
        self.recipient
            .rsplit_once('@')
            .map(|(_, d)| d.trim().to_ascii_lowercase())
            .unwrap_or_default()
    }
}

/// The content classifier's verdict on one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Phishing.
    Phishing,
    /// Some signals; a person should look.
    Suspicious,
    /// No signal.
    Clean,
}

impl Verdict {
    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Phishing => "phishing",
            Verdict::Suspicious => "suspicious",
            Verdict::Clean => "clean",
        }
    }
}

/// One signal that contributed to a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictReason {
    /// The signal's stable id (e.g. `display_name_mirrors_recipient`).
    pub id: String,
    /// The reason in Japanese.
    #[serde(default)]
    pub ja: String,
    /// The reason in English.
    #[serde(default)]
    pub en: String,
    /// Any other fields the classifier adds (weight, evidence …), kept verbatim.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// One line of `mail_verdicts.jsonl`: the verdict on one mail file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailVerdictLine {
    /// The tenant (empty when an older writer left it out).
    #[serde(default)]
    pub tenant: String,
    /// The mail file (inside an archive: `archive.zip!/inner/path`).
    pub file: String,
    /// Internet Message-ID without angle brackets.
    #[serde(default)]
    pub message_id: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// The score the verdict was derived from.
    pub score: f64,
    /// The signals that fired.
    #[serde(default)]
    pub reasons: Vec<VerdictReason>,
}
