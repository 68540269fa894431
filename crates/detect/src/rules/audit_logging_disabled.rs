//! Audit logging switched off or shortened.
//!
//! - Attack: blind the defenders before acting (T1562.008).
//! - Data: UAL Exchange admin `Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled False`,
//!   `Set-MailboxAuditBypassAssociation -AuditBypassEnabled True`, `Set-Mailbox -AuditEnabled
//!   False` or `-AuditLogAgeLimit 0`, `Set-OrganizationConfig -AuditDisabled True`.
//! - Severity high. Turning auditing back on is not reported.
//! - False positives: service accounts excluded from auditing on purpose (bypass), rare.

use model::{EventKind, Severity};

use super::{Cx, Draft, Rule, audit_param, truthy};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "audit_logging_disabled",
    title_ja: "監査ログの無効化",
    title_en: "Audit logging disabled",
    description_ja: "統合監査ログの取り込み停止、メールボックス監査のバイパス・無効化、AuditLogAgeLimit 0 など。",
    description_en: "Unified audit log ingestion off, mailbox audit bypass or disable, AuditLogAgeLimit 0, org-wide AuditDisabled.",
    severity: Severity::High,
    attack: &["T1562.008"],
    role: Role::Persistence,
};

/// Stateless.
#[derive(Default)]
pub struct AuditLoggingDisabled;

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(AuditLoggingDisabled)
}

fn zero_age(v: &str) -> bool {
    let t = v.trim();
    !t.is_empty() && t.chars().all(|c| matches!(c, '0' | '.' | ':'))
}

impl Rule for AuditLoggingDisabled {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let EventKind::Audit(a) = &cx.f.ev.kind else {
            return;
        };
        let op = a.operation.to_ascii_lowercase();
        let p = |k: &str| audit_param(a, k);
        let what = match op.as_str() {
            "set-adminauditlogconfig" => match p("UnifiedAuditLogIngestionEnabled") {
                Some(v) if !truthy(&v) => "UnifiedAuditLogIngestionEnabled=False".to_string(),
                _ => match p("AdminAuditLogEnabled") {
                    Some(v) if !truthy(&v) => "AdminAuditLogEnabled=False".to_string(),
                    _ => return,
                },
            },
            "set-mailboxauditbypassassociation" => match p("AuditBypassEnabled") {
                Some(v) if truthy(&v) => "AuditBypassEnabled=True".to_string(),
                _ => return,
            },
            "set-mailbox" => {
                if let Some(v) = p("AuditEnabled").filter(|v| !truthy(v)) {
                    format!("AuditEnabled={v}")
                } else if let Some(v) = p("AuditLogAgeLimit").filter(|v| zero_age(v)) {
                    format!("AuditLogAgeLimit={v}")
                } else {
                    return;
                }
            }
            "set-organizationconfig" => match p("AuditDisabled") {
                Some(v) if truthy(&v) => "AuditDisabled=True".to_string(),
                _ => return,
            },
            _ => return,
        };
        let target = p("Identity").unwrap_or_else(|| "organization".into());
        let who = cx.f.user.clone().unwrap_or_else(|| "?".into());
        let ip = cx.f.ip_text();
        let mut d = cx.draft(&META, Severity::High).reason(
            format!(
                "{who} が {} で監査を弱めました：{what}（対象 {target}、IP {ip}）。",
                a.operation
            ),
            format!(
                "{who} weakened auditing with {}: {what} (target {target}, IP {ip}).",
                a.operation
            ),
        );
        d.countries.clear();
        out.push(d);
    }
}
