//! Brute force against one account: many password failures, or failures from many IPs.
//!
//! - Attack: guessing one user's password, possibly distributed (T1110.001).
//! - Data: failed sign-ins with 50126/50053/50055 (Entra or UAL `UserLoginFailed`).
//! - Logic: per user, a window that stays open while failures keep coming less than 30 minutes
//!   apart; reported when it closes if it holds ≥10 failures or failures from ≥5 distinct IPs
//!   (Sentinel DistribPassCrackAttempt uses >30 failures from ≥3 locations per day; ours is
//!   per burst). Medium. Corporate egress failures count (a guessing insider is still guessing).
//! - False positives: a device retrying an old password after a change (one IP, steady rate).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use model::{EvidenceRef, Severity};

use super::{Cx, Draft, Rule, take_idle};
use crate::config::Config;
use crate::facts::PASSWORD_FAILURE_CODES;
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "brute_force",
    title_ja: "総当たり攻撃（1アカウントへの大量失敗）",
    title_en: "Brute force against one account",
    description_ja: "1人の利用者に対して30分以内の間隔で10回以上のパスワード失敗、または5つ以上のIPからの失敗。",
    description_en: "10+ password failures for one user in a burst (gaps under 30 min), or failures from 5+ IPs.",
    severity: Severity::Medium,
    attack: &["T1110.001"],
    role: Role::Attempt,
};

const GAP: Duration = Duration::minutes(30);
const MIN_FAILURES: usize = 10;
const MIN_IPS: usize = 5;

struct Burst {
    start: DateTime<Utc>,
    last: DateTime<Utc>,
    ips: BTreeSet<String>,
    countries: BTreeSet<String>,
    evidence: Vec<EvidenceRef>,
}

/// Run-time state: one open burst per user.
#[derive(Default)]
pub struct BruteForce {
    bursts: HashMap<String, Burst>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(BruteForce::default())
}

fn report(user: String, b: Burst, out: &mut Vec<Draft>) {
    let n = b.evidence.len();
    if n < MIN_FAILURES && b.ips.len() < MIN_IPS {
        return;
    }
    let ips: Vec<String> = b.ips.into_iter().collect();
    let mins = (b.last - b.start).num_minutes();
    out.push(Draft {
        detection: META.id,
        severity: Severity::Medium,
        user: Some(user.clone()),
        time: b.start,
        reason_ja: format!(
            "{user} に対して{mins}分間で{n}回のパスワード失敗（送信元IP {}個: {}）。",
            ips.len(),
            ips.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
        ),
        reason_en: format!(
            "{n} password failures for {user} within {mins} min from {} IPs ({}).",
            ips.len(),
            ips.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
        ),
        ips,
        countries: b.countries.into_iter().collect(),
        evidence: b.evidence,
        count: n as u64,
        suspect_ips: Vec::new(),
        risky_sign_in: false,
    });
}

impl Rule for BruteForce {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        let (Some(l), Some(user)) = (&f.logon, f.user.as_ref()) else {
            return;
        };
        if l.success
            || !l
                .error_code
                .is_some_and(|c| PASSWORD_FAILURE_CODES.contains(&c))
        {
            return;
        }
        let t = f.ev.time;
        if let Some(b) = self.bursts.get(user)
            && t - b.last > GAP
            && let Some(b) = self.bursts.remove(user)
        {
            report(user.clone(), b, out);
        }
        let b = self.bursts.entry(user.clone()).or_insert_with(|| Burst {
            start: t,
            last: t,
            ips: BTreeSet::new(),
            countries: BTreeSet::new(),
            evidence: Vec::new(),
        });
        b.last = t;
        b.ips.extend(f.ip.map(|i| i.to_string()));
        b.countries.extend(f.country.clone());
        b.evidence.push(f.evidence());
    }

    fn flush(&mut self, now: Option<DateTime<Utc>>, _cfg: &Config, out: &mut Vec<Draft>) {
        for (u, b) in take_idle(&mut self.bursts, now, GAP, |w| w.last) {
            report(u, b, out);
        }
    }
}
