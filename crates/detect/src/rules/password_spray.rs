//! Password spray: one source IP failing against many accounts.
//!
//! - Attack: a few common passwords tried against many users (T1110.003).
//! - Data: failed sign-ins with 50126 (invalid username or password), 50053 (locked), 50055
//!   (expired), from Entra or UAL `UserLoginFailed` (`ErrorNumber`).
//! - Logic (Sentinel SigninPasswordSpray defaults): ≥5 distinct accounts from one IP within
//!   20 minutes. The window stays open while the IP keeps trying (gap < 20 min) and is reported
//!   once when it closes, with every account tried. It is reported as a **spray (medium)** when
//!   nothing succeeded, and **high** naming the accounts when any of them then signed in
//!   successfully from the same IP within 24 h of the spray's start.
//! - False positives: a shared NAT where many users mistype after a password policy change;
//!   corporate egress is excluded.

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use model::{EvidenceRef, Severity};

use super::{Cx, Draft, Rule, take_idle};
use crate::config::Config;
use crate::facts::PASSWORD_FAILURE_CODES;
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "password_spray",
    title_ja: "パスワードスプレー攻撃",
    title_en: "Password spray",
    description_ja: "1つのIPから20分以内に5アカウント以上へのパスワード失敗（50126/50053/50055）。成功がなければスプレーとして報告し、成功があれば重大。",
    description_en: "One IP failing the password (50126/50053/50055) for 5+ accounts within 20 minutes; reported as a spray, high when an account then succeeded from it.",
    severity: Severity::Medium,
    attack: &["T1110.003"],
    role: Role::Attempt,
};

const WINDOW: Duration = Duration::minutes(20);
const MIN_ACCOUNTS: usize = 5;
const SUCCESS_WITHIN: Duration = Duration::hours(24);

struct Burst {
    start: DateTime<Utc>,
    last: DateTime<Utc>,
    users: BTreeSet<String>,
    attempts: u64,
    evidence: Vec<EvidenceRef>,
    country: Option<String>,
}

/// A reported spray, watched for a success from the same IP.
struct Sprayed {
    start: DateTime<Utc>,
    users: BTreeSet<String>,
    succeeded: BTreeSet<String>,
    spray_evidence: EvidenceRef,
}

/// Run-time state: one open burst per IP, and reported sprays under watch.
#[derive(Default)]
pub struct PasswordSpray {
    bursts: HashMap<IpAddr, Burst>,
    sprayed: HashMap<IpAddr, Sprayed>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(PasswordSpray::default())
}

impl PasswordSpray {
    fn report(&mut self, ip: IpAddr, b: Burst, out: &mut Vec<Draft>) {
        if b.users.len() < MIN_ACCOUNTS {
            return;
        }
        let n = b.users.len();
        let sample: Vec<&str> = b.users.iter().take(10).map(String::as_str).collect();
        let more = if n > 10 {
            format!(" …(+{})", n - 10)
        } else {
            String::new()
        };
        let country = b.country.clone().unwrap_or_else(|| "??".into());
        if let Some(first) = b.evidence.first().cloned() {
            self.sprayed.insert(
                ip,
                Sprayed {
                    start: b.start,
                    users: b.users.clone(),
                    succeeded: BTreeSet::new(),
                    spray_evidence: first,
                },
            );
        }
        out.push(Draft {
            detection: META.id,
            severity: Severity::Medium,
            user: None,
            time: b.start,
            ips: vec![ip.to_string()],
            countries: b.country.into_iter().collect(),
            reason_ja: format!(
                "IP {ip}（{country}）から{n}アカウントに計{}回のパスワード失敗（{}{more}）。この時点で成功したアカウントはありません（スプレー攻撃、侵害は未確認）。",
                b.attempts,
                sample.join(", ")
            ),
            reason_en: format!(
                "IP {ip} ({country}) failed the password {} times against {n} accounts ({}{more}). No account had succeeded: a spray, not a compromise.",
                b.attempts,
                sample.join(", ")
            ),
            evidence: b.evidence,
            count: n as u64,
            suspect_ips: Vec::new(),
            risky_sign_in: false,
        });
    }
}

impl Rule for PasswordSpray {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        let (Some(l), Some(ip), Some(user)) = (&f.logon, f.ip, f.user.as_ref()) else {
            return;
        };
        if f.is_ours() {
            return;
        }
        let t = f.ev.time;
        if l.success {
            let in_burst = self
                .bursts
                .get(&ip)
                .is_some_and(|b| b.users.len() >= MIN_ACCOUNTS && b.users.contains(user));
            if in_burst && let Some(b) = self.bursts.remove(&ip) {
                self.report(ip, b, out);
            }
            if let Some(s) = self.sprayed.get_mut(&ip)
                && s.users.contains(user)
                && t - s.start <= SUCCESS_WITHIN
                && s.succeeded.insert(user.clone())
            {
                let n = s.users.len();
                let mut d = cx.draft(&META, Severity::High).reason(
                    format!("IP {ip}（{}）から{n}アカウントへのパスワードスプレーの後、{user} がこのIPからサインインに成功しました（侵害の可能性大）。", f.country_text()),
                    format!("After a password spray from IP {ip} ({}) against {n} accounts, {user} signed in successfully from this IP (likely compromised).", f.country_text()),
                );
                d.evidence.push(s.spray_evidence.clone());
                d.risky_sign_in = true;
                out.push(d.suspect(Some(ip)));
            }
            return;
        }
        if !l
            .error_code
            .is_some_and(|c| PASSWORD_FAILURE_CODES.contains(&c))
        {
            return;
        }
        let b = self.bursts.entry(ip).or_insert_with(|| Burst {
            start: t,
            last: t,
            users: BTreeSet::new(),
            attempts: 0,
            evidence: Vec::new(),
            country: f.country.clone(),
        });
        b.users.insert(user.clone());
        b.attempts += 1;
        b.last = t;
        b.evidence.push(f.evidence());
    }

    fn flush(&mut self, now: Option<DateTime<Utc>>, _cfg: &Config, out: &mut Vec<Draft>) {
        for (ip, b) in take_idle(&mut self.bursts, now, WINDOW, |w| w.last) {
            self.report(ip, b, out);
        }
        if let Some(n) = now {
            self.sprayed.retain(|_, s| n - s.start <= SUCCESS_WITHIN);
        }
    }
}
