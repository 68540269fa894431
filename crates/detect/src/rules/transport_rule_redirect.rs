//! Transport (mail flow) rules that copy or redirect mail: `BlindCopyTo`, `RedirectMessageTo`.
//!
//! - Attack: an admin-level takeover silently copies the organisation's mail (T1114.003).
//! - Data: UAL Exchange admin `New-TransportRule` / `Set-TransportRule` parameters.
//! - Severity: **high** to an external address; medium inside the tenant (journalling-like
//!   setups are rare and deserve a look).
//! - False positives: compliance archiving to a third-party service (allow-list its domain in
//!   `[tenant] domains`).

use model::{EventKind, Severity};

use super::{Cx, Draft, Rule, audit_param};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "transport_rule_redirect",
    title_ja: "メールを複写・リダイレクトするトランスポートルール",
    title_en: "Transport rule copying or redirecting mail",
    description_ja: "New-/Set-TransportRule で BlindCopyTo または RedirectMessageTo が設定された。",
    description_en: "New-/Set-TransportRule with BlindCopyTo or RedirectMessageTo.",
    severity: Severity::High,
    attack: &["T1114.003"],
    role: Role::Persistence,
};

/// Stateless.
#[derive(Default)]
pub struct TransportRuleRedirect;

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(TransportRuleRedirect)
}

impl Rule for TransportRuleRedirect {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let EventKind::Audit(a) = &cx.f.ev.kind else {
            return;
        };
        let op = a.operation.as_str();
        if !(op.eq_ignore_ascii_case("New-TransportRule")
            || op.eq_ignore_ascii_case("Set-TransportRule"))
        {
            return;
        }
        let mut parts = Vec::new();
        let mut external = false;
        for k in ["BlindCopyTo", "RedirectMessageTo"] {
            if let Some(v) = audit_param(a, k).filter(|v| !v.trim().is_empty()) {
                external |= v
                    .split([';', ','])
                    .any(|d| d.contains('@') && !cx.cfg.is_internal_address(d.trim()));
                parts.push(format!("{k}={v}"));
            }
        }
        if parts.is_empty() {
            return;
        }
        let severity = if external {
            Severity::High
        } else {
            Severity::Medium
        };
        let name = audit_param(a, "Name")
            .or_else(|| audit_param(a, "Identity"))
            .unwrap_or_default();
        let who = cx.f.user.clone().unwrap_or_else(|| "?".into());
        let ip = cx.f.ip_text();
        let mut d = cx.draft(&META, severity).reason(
            format!(
                "{who} が {op} でトランスポートルール「{name}」を設定：{}（{}、IP {ip}）。",
                parts.join(", "),
                if external {
                    "外部宛"
                } else {
                    "組織内宛"
                }
            ),
            format!(
                "{who} ran {op} for transport rule \"{name}\": {} ({}, IP {ip}).",
                parts.join(", "),
                if external { "external" } else { "internal" }
            ),
        );
        d.countries.clear();
        out.push(d);
    }
}
