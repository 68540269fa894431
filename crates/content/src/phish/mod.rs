//! Phishing analysis of one message with an explainable score.
//!
//! Each signal (ids from `JAPAN.md` §1: H = sender/header identity, L = links, C = content)
//! yields [`Reason`]s naming the exact span that fired, in Japanese and English. The score is
//! the sum, over signal ids, of the highest weight that id produced (a message with ten
//! shortened links counts L4 once). Verdict thresholds: score ≥ [`PHISHING_AT`] → phishing,
//! ≥ [`SUSPICIOUS_AT`] → suspicious, else clean.

pub mod baseline;
pub mod header;
pub mod japanese;
pub mod links;
pub mod lists;
pub mod text;

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::message::MailMessage;

pub use baseline::StyleBaseline;

/// Score at or above which a message is `phishing`.
pub const PHISHING_AT: f64 = 6.0;
/// Score at or above which a message is `suspicious`.
pub const SUSPICIOUS_AT: f64 = 3.0;

/// What the analysis needs to know beyond the message itself. Everything is optional: a
/// signal whose input is absent stays silent (it never guesses).
#[derive(Debug, Clone, Default)]
pub struct AnalysisContext<'a> {
    /// The tenant's own mail domains (`example.co.jp`).
    pub tenant_domains: Vec<String>,
    /// Hosts whose links are the tenant's own file shares (`example.sharepoint.com`,
    /// `example-my.sharepoint.com`); links there are never "dressed as an attachment" (L3).
    pub tenant_link_hosts: Vec<String>,
    /// Partner domains to protect against lookalikes (H7) and trust for file links (L3).
    pub partner_domains: Vec<String>,
    /// H8: addresses the recipient has received mail from before (None = unknown).
    pub known_senders: Option<&'a HashSet<String>>,
    /// C6: the sender's own past writing (None = no baseline).
    pub baseline: Option<&'a StyleBaseline>,
    /// H9: fan-out of this message's sender/body as measured in the message trace.
    pub burst: Option<BurstStats>,
    /// H10: the IP that submitted the message (message trace `client_ip`/`FromIP`).
    pub client_ip: Option<IpAddr>,
    /// H10: IPs the sender has signed in from before (None = unknown).
    pub known_client_ips: Option<&'a HashSet<IpAddr>>,
    /// H11: reconciliation found no Sent Items copy of this message.
    pub not_in_sent_items: bool,
}

impl AnalysisContext<'_> {
    /// A context for a tenant with its mail domains and its SharePoint tenant name
    /// (`example` → `example.sharepoint.com`, `example-my.sharepoint.com`).
    pub fn for_tenant(domains: &[&str], sharepoint_tenant: Option<&str>) -> Self {
        let mut ctx = AnalysisContext {
            tenant_domains: domains.iter().map(|d| d.to_lowercase()).collect(),
            ..Default::default()
        };
        if let Some(t) = sharepoint_tenant {
            let t = t.to_lowercase();
            ctx.tenant_link_hosts.push(format!("{t}.sharepoint.com"));
            ctx.tenant_link_hosts.push(format!("{t}-my.sharepoint.com"));
        }
        ctx
    }
}

/// Fan-out of one sender's identical mail in a window (H9), computed by the caller from the
/// message trace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct BurstStats {
    /// Messages with this subject/body fingerprint from the sender in the window.
    pub same_content_messages: u32,
    /// Distinct recipients of those messages.
    pub distinct_recipients: u32,
    /// The sender's usual number of outbound messages per day.
    pub baseline_per_day: f64,
}

/// The verdict on one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// Score ≥ 6.
    Phishing,
    /// 3 ≤ score < 6.
    Suspicious,
    /// Score < 3.
    Clean,
}

impl VerdictKind {
    /// The verdict word in Japanese.
    pub fn ja(self) -> &'static str {
        match self {
            VerdictKind::Phishing => "フィッシング",
            VerdictKind::Suspicious => "要注意",
            VerdictKind::Clean => "問題なし",
        }
    }
}

/// Which part of the message a span points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanField {
    /// The From header (display name or address).
    From,
    /// A To/Cc recipient.
    Recipient,
    /// Reply-To.
    ReplyTo,
    /// Subject.
    Subject,
    /// The plain-text body (byte offsets into `text_body`).
    TextBody,
    /// The HTML body (byte offsets into `html_body`).
    HtmlBody,
    /// Evidence from the analysis context (trace, sign-ins, reconciliation), not the message.
    Context,
}

/// The exact text a reason is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Where.
    pub field: SpanField,
    /// Byte offset of the start in that field (0 when the field is a whole value).
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// The text itself (shortened to 200 characters).
    pub text: String,
}

impl Span {
    /// A span over `text` at `start..end` of `field`.
    pub fn new(field: SpanField, start: usize, end: usize, text: &str) -> Self {
        let text: String = text.chars().take(200).collect();
        Self {
            field,
            start,
            end,
            text,
        }
    }

    /// A span over a whole field value.
    pub fn whole(field: SpanField, text: &str) -> Self {
        Self::new(field, 0, text.len(), text)
    }
}

/// One signal that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    /// Signal id from JAPAN.md §1 (`H1`, `L3`, `C2`, …).
    pub id: String,
    /// Weight added to the score (the highest weight per id counts).
    pub weight: f64,
    /// Explanation in Japanese.
    pub ja: String,
    /// Explanation in English.
    pub en: String,
    /// The exact span that fired.
    pub span: Span,
}

impl Reason {
    pub(crate) fn new(id: &str, weight: f64, ja: String, en: String, span: Span) -> Self {
        Self {
            id: id.to_string(),
            weight,
            ja,
            en,
            span,
        }
    }
}

/// The outcome of [`analyze`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// phishing / suspicious / clean.
    pub verdict: VerdictKind,
    /// Sum over signal ids of the highest weight per id.
    pub score: f64,
    /// Every hit, in signal order.
    pub reasons: Vec<Reason>,
}

impl Verdict {
    /// True when a reason with this id fired.
    pub fn has(&self, id: &str) -> bool {
        self.reasons.iter().any(|r| r.id == id)
    }
}

/// One line of `mimamori mail check --format jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckRecord {
    /// Input file (and index inside it for containers).
    pub file: String,
    /// Message-ID, if any.
    pub message_id: Option<String>,
    /// The verdict.
    pub verdict: VerdictKind,
    /// The score, rounded to 0.1.
    pub score: f64,
    /// The reasons.
    pub reasons: Vec<Reason>,
}

impl CheckRecord {
    /// Builds the JSONL record of one analysed message.
    pub fn new(msg: &MailMessage, v: &Verdict) -> Self {
        let file = if msg.format == "eml" || msg.format == "msg" {
            msg.source.clone()
        } else {
            format!("{}#{}", msg.source, msg.record)
        };
        Self {
            file,
            message_id: msg.message_id.clone(),
            verdict: v.verdict,
            score: (v.score * 10.0).round() / 10.0,
            reasons: v.reasons.clone(),
        }
    }
}

/// Analyses one message. Pure and deterministic.
pub fn analyze(msg: &MailMessage, ctx: &AnalysisContext<'_>) -> Verdict {
    let mut reasons = Vec::new();
    let links = text::extract_links(msg.html_body.as_deref(), &msg.text_body);
    header::check(msg, ctx, &mut reasons);
    links::check(msg, ctx, &links, &mut reasons);
    japanese::check(msg, &mut reasons);
    japanese::check_lures(msg, ctx, &links, &mut reasons);
    if let Some(b) = ctx.baseline {
        baseline::check(msg, b, &mut reasons);
    }
    let mut best: BTreeMap<&str, f64> = BTreeMap::new();
    for r in &reasons {
        let e = best.entry(r.id.as_str()).or_insert(0.0);
        if r.weight > *e {
            *e = r.weight;
        }
    }
    let score: f64 = best.values().fold(0.0, |a, b| a + b);
    let verdict = if score >= PHISHING_AT {
        VerdictKind::Phishing
    } else if score >= SUSPICIOUS_AT {
        VerdictKind::Suspicious
    } else {
        VerdictKind::Clean
    };
    Verdict {
        verdict,
        score,
        reasons,
    }
}
