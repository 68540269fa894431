//! Several password failures for a user, then a success.
//!
//! - Attack: a guessing attack that worked (T1110), or a password proven by a spray.
//! - Data: sign-ins (Entra or UAL logons).
//! - Logic: ≥5 password failures (50126/50053/50055) for the user within the 30 minutes before a
//!   successful sign-in. Medium when the success comes from an IP the user never used (or one a
//!   finding marked), low when from a familiar IP (most often a person mistyping), not reported
//!   from corporate/VPN egress.
//! - False positives: users mistyping after a password change on a new network.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};
use model::{EvidenceRef, Severity};

use super::{Cx, Draft, Rule};
use crate::facts::PASSWORD_FAILURE_CODES;
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "failures_then_success",
    title_ja: "連続失敗後のサインイン成功",
    title_en: "Password failures followed by success",
    description_ja: "30分以内に5回以上のパスワード失敗の後、サインインに成功した。未知のIPからなら要注意。",
    description_en: "A successful sign-in after 5+ password failures within 30 minutes; suspicious when from an unfamiliar IP.",
    severity: Severity::Medium,
    attack: &["T1110"],
    role: Role::Access,
};

const WINDOW: Duration = Duration::minutes(30);
const MIN_FAILURES: usize = 5;

/// Run-time state: recent failures per user.
#[derive(Default)]
pub struct FailuresThenSuccess {
    failures: HashMap<String, VecDeque<(DateTime<Utc>, EvidenceRef)>>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(FailuresThenSuccess::default())
}

impl Rule for FailuresThenSuccess {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        let (Some(l), Some(user)) = (&f.logon, f.user.as_ref()) else {
            return;
        };
        let t = f.ev.time;
        if !l.success {
            if l.error_code
                .is_some_and(|c| PASSWORD_FAILURE_CODES.contains(&c))
            {
                let q = self.failures.entry(user.clone()).or_default();
                q.push_back((t, f.evidence()));
                while q.front().is_some_and(|(ft, _)| t - *ft > WINDOW) {
                    q.pop_front();
                }
            }
            return;
        }
        let Some(q) = self.failures.remove(user) else {
            return;
        };
        let recent: Vec<EvidenceRef> = q
            .into_iter()
            .filter(|(ft, _)| t - *ft <= WINDOW)
            .map(|(_, e)| e)
            .collect();
        if recent.len() < MIN_FAILURES || f.is_ours() || l.non_user {
            return;
        }
        let familiar = f.ip.is_some_and(|ip| cx.familiar_ip(ip));
        let severity = if familiar {
            Severity::Low
        } else {
            Severity::Medium
        };
        let n = recent.len();
        let ip = f.ip_text();
        let country = f.country_text();
        let mut d = cx.draft(&META, severity).reason(
            format!(
                "{user} は30分以内に{n}回パスワードを間違えた後、IP {ip}（{country}、{}）からサインインに成功。",
                if familiar { "既知のIP" } else { "未知のIP" }
            ),
            format!(
                "{user} signed in from IP {ip} ({country}, {}) after {n} password failures within 30 minutes.",
                if familiar { "a familiar IP" } else { "an unfamiliar IP" }
            ),
        );
        d.evidence.extend(recent);
        d.count = n as u64;
        if !familiar {
            d = d.suspect(f.ip);
            d.risky_sign_in = true;
        }
        out.push(d);
    }
}
