//! Security-info / MFA method change shortly after a risky sign-in of the same user.
//!
//! - Attack: the attacker registers their own authenticator to keep access (T1098.005).
//! - Data: Entra audit "User registered security info", "User changed default security info",
//!   "User deleted security info", "User registered all required security info", "Admin
//!   registered security info", "Update user" touching `StrongAuthentication*` properties,
//!   "Disable Strong Authentication"; UAL `Update user.` whose `ModifiedProperties` touch
//!   `StrongAuthentication*`; the marks left by sign-in findings.
//! - Logic (Sentinel SuspiciousSignInFollowedByMFAModification: −30 min / +1 h): a change within
//!   6 hours after a sign-in finding marked risky (new country, legacy success, travel, spray
//!   success), or made from an IP a finding marked. High. A change with no risky context is not
//!   reported (people do change phones), nor is one made after a password reset that followed
//!   the risky sign-in, from an unmarked IP: that is the user re-registering during remediation.
//! - False positives: a user on an undeclared trip who also gets a new phone.

use chrono::Duration;
use model::{EventKind, Severity};

use super::{Cx, Draft, Rule};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "mfa_change_after_risky_sign_in",
    title_ja: "不審なサインイン直後のMFA・セキュリティ情報の変更",
    title_en: "MFA / security info changed after a risky sign-in",
    description_ja: "不審なサインインから6時間以内、または不審なIPから、認証方法（セキュリティ情報）が登録・変更・削除された。",
    description_en: "Authentication methods (security info) registered, changed or deleted within 6 hours of a risky sign-in, or from a suspicious IP.",
    severity: Severity::High,
    attack: &["T1098.005"],
    role: Role::Persistence,
};

const ACTIVITIES: [&str; 7] = [
    "user registered security info",
    "user changed default security info",
    "user deleted security info",
    "user registered all required security info",
    "admin registered security info",
    "disable strong authentication",
    "update user",
];

const AFTER: Duration = Duration::hours(6);

/// Run-time state: the last password reset per user (remediation marker).
#[derive(Default)]
pub struct MfaChangeAfterRiskySignIn {
    resets: std::collections::HashMap<String, chrono::DateTime<chrono::Utc>>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(MfaChangeAfterRiskySignIn::default())
}

impl Rule for MfaChangeAfterRiskySignIn {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        if let Some(u) = super::sign_in_after_password_reset::reset_target(&cx.f.ev.kind) {
            self.resets.insert(u, cx.f.ev.time);
            return;
        }
        let (activity, target) = match &cx.f.ev.kind {
            EventKind::DirectoryAudit(a) => {
                let act = a.activity_display_name.to_lowercase();
                if !ACTIVITIES.contains(&act.as_str()) {
                    return;
                }
                if act == "update user" {
                    let touches = a.target_resources.iter().any(|t| {
                        t.modified_properties
                            .iter()
                            .any(|(n, _, _)| n.starts_with("StrongAuthentication"))
                    });
                    if !touches {
                        return;
                    }
                }
                let target = a
                    .target_resources
                    .iter()
                    .find_map(|t| t.user_principal_name.clone())
                    .or_else(|| a.initiated_by_user.clone())
                    .map(|u| u.to_lowercase());
                (a.activity_display_name.clone(), target)
            }
            // The same change seen through the unified audit log (RecordType 8).
            EventKind::Audit(a) if a.operation.eq_ignore_ascii_case("Update user.") => {
                let props = a
                    .data
                    .get("ModifiedProperties")
                    .map(|v| v.to_string())
                    .unwrap_or_default();
                if !props.contains("StrongAuthentication") {
                    return;
                }
                let target = a
                    .object_id
                    .clone()
                    .filter(|o| o.contains('@'))
                    .or_else(|| a.user_id.clone().filter(|u| u.contains('@')))
                    .map(|u| u.to_lowercase());
                (a.operation.clone(), target)
            }
            _ => return,
        };
        let Some(user) = target else { return };
        let t = cx.f.ev.time;
        let risky = cx.marks.risky_near(&user, t, AFTER, Duration::zero());
        let ip_suspect = cx.f.ip.is_some_and(|ip| cx.marks.is_suspect(&user, ip));
        if risky.is_none() && !ip_suspect {
            return;
        }
        let remediation = risky.is_some_and(|r| {
            self.resets
                .get(&user)
                .is_some_and(|reset| *reset >= r && *reset <= t)
        });
        if remediation && !ip_suspect {
            return;
        }
        let ip = cx.f.ip_text();
        let when = risky
            .map(|r| r.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_else(|| "-".into());
        let mut d = cx.draft(&META, Severity::High).reason(
            format!("{user} の認証方法が「{activity}」で変更されました（IP {ip}）。直前の不審なサインイン: {when}。攻撃者が自分のMFAを登録した可能性。"),
            format!("{user}'s authentication methods changed (\"{activity}\", IP {ip}) after a risky sign-in at {when}: the attacker may have registered their own MFA."),
        );
        d.user = Some(user);
        out.push(d);
    }
}
