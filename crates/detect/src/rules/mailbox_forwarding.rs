//! Mailbox-level forwarding set with `Set-Mailbox`.
//!
//! - Attack: every incoming message copied to the attacker (T1114.003).
//! - Data: UAL Exchange admin `Set-Mailbox` with `ForwardingSmtpAddress`, `ForwardingAddress`,
//!   `DeliverToMailboxAndForward`.
//! - Severity: **high** when `ForwardingSmtpAddress` points outside the tenant's domains;
//!   medium for `ForwardingAddress` (a recipient object, possibly an external contact); **low**
//!   for forwarding inside the tenant (Sigma moved generic forwarding to low for this reason).
//!   Clearing forwarding (empty value) is not reported.
//! - False positives: approved forwarding to a personal or partner address.

use model::{EventKind, Severity};

use super::{Cx, Draft, Rule, audit_param, truthy};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "mailbox_forwarding",
    title_ja: "メールボックスの転送設定",
    title_en: "Mailbox forwarding set",
    description_ja: "Set-Mailbox で ForwardingSmtpAddress / ForwardingAddress が設定された。外部宛は重大、組織内宛は低。",
    description_en: "Set-Mailbox set ForwardingSmtpAddress / ForwardingAddress; external destinations are high, internal ones low.",
    severity: Severity::High,
    attack: &["T1114.003"],
    role: Role::Persistence,
};

/// Stateless.
#[derive(Default)]
pub struct MailboxForwarding;

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(MailboxForwarding)
}

impl Rule for MailboxForwarding {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let EventKind::Audit(a) = &cx.f.ev.kind else {
            return;
        };
        if !a.operation.eq_ignore_ascii_case("Set-Mailbox") {
            return;
        }
        let smtp = audit_param(a, "ForwardingSmtpAddress").filter(|v| !v.trim().is_empty());
        let addr = audit_param(a, "ForwardingAddress").filter(|v| !v.trim().is_empty());
        let (dest, severity, where_ja, where_en) = match (smtp, addr) {
            (Some(s), _) if cx.cfg.is_internal_address(&s) => {
                (s, Severity::Low, "組織内", "inside the tenant")
            }
            (Some(s), _) => (s, Severity::High, "外部", "outside the tenant"),
            (None, Some(a)) if cx.cfg.is_internal_address(&a) => {
                (a, Severity::Low, "組織内", "inside the tenant")
            }
            (None, Some(a)) => (
                a,
                Severity::Medium,
                "宛先オブジェクト",
                "to a recipient object",
            ),
            (None, None) => return,
        };
        let keep = audit_param(a, "DeliverToMailboxAndForward").map(|v| truthy(&v));
        let (keep_ja, keep_en) = match keep {
            Some(false) => (
                "（元のメールボックスに残さない）",
                " (no copy kept in the mailbox)",
            ),
            _ => ("", ""),
        };
        let mailbox =
            audit_param(a, "Identity").unwrap_or_else(|| a.object_id.clone().unwrap_or_default());
        let who = cx.f.user.clone().unwrap_or_else(|| "?".into());
        let ip = cx.f.ip_text();
        let mut d = cx.draft(&META, severity).reason(
            format!(
                "{who} が {mailbox} の転送先を{where_ja}の {dest} に設定{keep_ja}（IP {ip}）。"
            ),
            format!("{who} set forwarding of {mailbox} to {dest}, {where_en}{keep_en} (IP {ip})."),
        );
        d.countries.clear();
        out.push(d);
    }
}
