//! The list of detections: one line per `src/rules/<id>.rs`.
//!
//! Each entry carries the stable id (= module name, also stored and reported), titles and
//! descriptions in Japanese and English, the typical severity (a rule may report lower or higher
//! for a given case and says why in its reason), MITRE ATT&CK technique ids and the role the
//! finding plays when findings are told as one incident story.

use crate::rules::{self, Rule};
use model::Severity;

/// The part a finding plays in a takeover story (see `incident.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Password guessing that may or may not have worked (spray, brute force).
    Attempt,
    /// The attacker got in (new country, travel, legacy success, failures then success).
    Access,
    /// Reading mail or files.
    Collection,
    /// Staying in or hiding: rules, forwarding, permissions, consent, MFA, audit off.
    Persistence,
    /// Sending mail as the user.
    Send,
}

/// One detection's registry entry.
#[derive(Debug)]
pub struct DetectionMeta {
    /// Stable id = module name.
    pub id: &'static str,
    /// Title (ja).
    pub title_ja: &'static str,
    /// Title (en).
    pub title_en: &'static str,
    /// What it looks for (ja).
    pub description_ja: &'static str,
    /// What it looks for (en).
    pub description_en: &'static str,
    /// Typical severity.
    pub severity: Severity,
    /// MITRE ATT&CK technique ids.
    pub attack: &'static [&'static str],
    /// Role in an incident.
    pub role: Role,
}

type Ctor = fn() -> Box<dyn Rule>;

const ENTRIES: &[(&DetectionMeta, Ctor)] = &[
    (
        &rules::new_country_sign_in::META,
        rules::new_country_sign_in::rule,
    ),
    (
        &rules::impossible_travel::META,
        rules::impossible_travel::rule,
    ),
    (
        &rules::legacy_auth_success::META,
        rules::legacy_auth_success::rule,
    ),
    (&rules::password_spray::META, rules::password_spray::rule),
    (&rules::brute_force::META, rules::brute_force::rule),
    (
        &rules::failures_then_success::META,
        rules::failures_then_success::rule,
    ),
    (
        &rules::sign_in_after_password_reset::META,
        rules::sign_in_after_password_reset::rule,
    ),
    (
        &rules::mailbox_access_new_source::META,
        rules::mailbox_access_new_source::rule,
    ),
    (
        &rules::inbox_rule_suspicious::META,
        rules::inbox_rule_suspicious::rule,
    ),
    (
        &rules::inbox_rule_suspicious_name::META,
        rules::inbox_rule_suspicious_name::rule,
    ),
    (
        &rules::mailbox_forwarding::META,
        rules::mailbox_forwarding::rule,
    ),
    (
        &rules::transport_rule_redirect::META,
        rules::transport_rule_redirect::rule,
    ),
    (
        &rules::mailbox_permission_grant::META,
        rules::mailbox_permission_grant::rule,
    ),
    (
        &rules::outbound_send_burst::META,
        rules::outbound_send_burst::rule,
    ),
    (&rules::hidden_send::META, rules::hidden_send::rule),
    (
        &rules::oauth_consent_mail_scopes::META,
        rules::oauth_consent_mail_scopes::rule,
    ),
    (
        &rules::mfa_change_after_risky_sign_in::META,
        rules::mfa_change_after_risky_sign_in::rule,
    ),
    (
        &rules::sharepoint_mass_download::META,
        rules::sharepoint_mass_download::rule,
    ),
    (
        &rules::audit_logging_disabled::META,
        rules::audit_logging_disabled::rule,
    ),
];

/// Every built-in detection's entry, in registry order.
pub fn detections() -> impl Iterator<Item = &'static DetectionMeta> {
    ENTRIES.iter().map(|(m, _)| *m)
}

/// The entry for `id`, if it is a built-in detection.
pub fn meta(id: &str) -> Option<&'static DetectionMeta> {
    detections().find(|m| m.id == id)
}

/// Fresh run-time state for every built-in detection (or only those in `only`, when given).
pub fn instantiate(only: Option<&[String]>) -> Vec<Box<dyn Rule>> {
    ENTRIES
        .iter()
        .filter(|(m, _)| only.is_none_or(|o| o.iter().any(|x| x == m.id)))
        .map(|(_, ctor)| ctor())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_match_the_rule() {
        let mut ids: Vec<&str> = detections().map(|m| m.id).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate detection id");
        for r in instantiate(None) {
            assert!(meta(r.meta().id).is_some());
        }
    }
}
