//! Sign-in attempts after a password reset from a source that had succeeded before it.
//!
//! - Attack: the attacker keeps trying the old password after the reset (T1078.004). An attempt
//!   from an IP that a finding had marked (new country, legacy success, travel …) and that
//!   succeeded *before* the reset confirms the earlier success was the attacker's.
//! - Data: Entra audit "Reset password (by admin)", "Reset user password", "Change user
//!   password", "Reset password (self-service)", "Change password (self-service)" (or the UAL
//!   `Reset user password.` / `Change user password.`); sign-ins.
//! - Severity high. The user's own devices retrying the old password are not reported because
//!   their IPs are familiar and unmarked.
//! - False positives: a marked IP that was in fact the user's (an undeclared trip).

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use model::{EventKind, EvidenceRef, Severity};

use super::{Cx, Draft, Rule};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "sign_in_after_password_reset",
    title_ja: "パスワードリセット後の攻撃元からのサインイン試行",
    title_en: "Sign-in attempt after a password reset from the earlier suspicious source",
    description_ja: "パスワードリセットの後、リセット前に不審と判定されたIPから同じ利用者へのサインイン試行があった（侵害の裏付け）。",
    description_en: "After a password reset, a sign-in attempt for the same user from an IP that had been judged suspicious before the reset (confirms the compromise).",
    severity: Severity::High,
    attack: &["T1078.004"],
    role: Role::Access,
};

const RESET_ACTIVITIES: [&str; 7] = [
    "reset password (by admin)",
    "reset user password",
    "change user password",
    "reset password (self-service)",
    "change password (self-service)",
    "reset user password.",
    "change user password.",
];

const WATCH_FOR: Duration = Duration::days(30);

/// Run-time state: last reset per user, and what was already reported.
#[derive(Default)]
pub struct SignInAfterPasswordReset {
    resets: HashMap<String, (DateTime<Utc>, EvidenceRef)>,
    reported: HashSet<(String, IpAddr)>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(SignInAfterPasswordReset::default())
}

/// The user whose password a reset/change record is about, if `kind` is one.
pub fn reset_target(kind: &EventKind) -> Option<String> {
    match kind {
        EventKind::DirectoryAudit(a)
            if RESET_ACTIVITIES.contains(&a.activity_display_name.to_lowercase().as_str()) =>
        {
            a.target_resources
                .iter()
                .find_map(|t| t.user_principal_name.clone())
                .or_else(|| a.initiated_by_user.clone())
                .map(|u| u.to_lowercase())
        }
        EventKind::Audit(a) if RESET_ACTIVITIES.contains(&a.operation.to_lowercase().as_str()) => a
            .object_id
            .clone()
            .filter(|o| o.contains('@'))
            .or_else(|| a.user_id.clone())
            .map(|u| u.to_lowercase()),
        _ => None,
    }
}

impl Rule for SignInAfterPasswordReset {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        if let Some(target) = reset_target(&f.ev.kind) {
            self.resets.insert(target, (f.ev.time, f.evidence()));
            return;
        }
        let (Some(_), Some(user), Some(ip)) = (&f.logon, f.user.as_ref(), f.ip) else {
            return;
        };
        let Some((reset_t, reset_ev)) = self.resets.get(user) else {
            return;
        };
        if f.ev.time <= *reset_t
            || f.ev.time - *reset_t > WATCH_FOR
            || !cx.marks.is_suspect(user, ip)
        {
            return;
        }
        if !self.reported.insert((user.clone(), ip)) {
            return;
        }
        let when = reset_t.format("%Y-%m-%d %H:%M UTC");
        let mut d = cx.draft(&META, Severity::High).reason(
            format!("{user} のパスワードリセット（{when}）の後、リセット前に不審と判定されたIP {ip}（{}）からサインイン試行がありました。先の成功は攻撃者によるものです。", f.country_text()),
            format!("After {user}'s password reset ({when}), IP {ip} ({}), judged suspicious before the reset, tried to sign in again: the earlier success was the attacker's.", f.country_text()),
        );
        d.evidence.push(reset_ev.clone());
        out.push(d);
    }
}
