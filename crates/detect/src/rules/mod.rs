//! The detections, one file each, and what they share: the [`Rule`] trait, the context a rule
//! sees ([`Cx`]), what it returns ([`Draft`]) and the cross-detection [`Marks`].
//!
//! A rule sees each event once, in time order, with the user's baseline as it stood *before*
//! the event. Rules that aggregate (spray, send bursts, downloads) keep their own windows and
//! report when a window closes ([`Rule::flush`]); the engine calls `flush` as time advances and
//! once more at the end, so batch and stream runs share this code.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use model::{EvidenceRef, Severity};

use crate::baseline::UserBaseline;
use crate::config::Config;
use crate::facts::Facts;
use crate::registry::DetectionMeta;

pub mod audit_logging_disabled;
pub mod brute_force;
pub mod failures_then_success;
pub mod hidden_send;
pub mod impossible_travel;
pub mod inbox_rule_suspicious;
pub mod inbox_rule_suspicious_name;
pub mod legacy_auth_success;
pub mod mailbox_access_new_source;
pub mod mailbox_forwarding;
pub mod mailbox_permission_grant;
pub mod mfa_change_after_risky_sign_in;
pub mod new_country_sign_in;
pub mod oauth_consent_mail_scopes;
pub mod outbound_send_burst;
pub mod password_spray;
pub mod sharepoint_mass_download;
pub mod sign_in_after_password_reset;
pub mod transport_rule_redirect;

/// One detection at run time.
pub trait Rule: Send {
    /// Its registry entry.
    fn meta(&self) -> &'static DetectionMeta;
    /// Looks at one event.
    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>);
    /// Reports windows that closed before `now` (all of them when `now` is `None`).
    fn flush(&mut self, _now: Option<DateTime<Utc>>, _cfg: &Config, _out: &mut Vec<Draft>) {}
}

/// Removes and returns, in key order, the windows of `open` that have been idle for more than
/// `gap` before `now` (every window when `now` is `None`, at the end of a run). Aggregating
/// detections keep one window per user, IP or session and report it when it closes.
pub fn take_idle<K: Clone + Eq + Hash + Ord, V>(
    open: &mut HashMap<K, V>,
    now: Option<DateTime<Utc>>,
    gap: Duration,
    last: impl Fn(&V) -> DateTime<Utc>,
) -> Vec<(K, V)> {
    let mut closed: Vec<K> = open
        .iter()
        .filter(|(_, v)| now.is_none_or(|n| n - last(v) > gap))
        .map(|(k, _)| k.clone())
        .collect();
    closed.sort();
    closed
        .into_iter()
        .filter_map(|k| open.remove(&k).map(|v| (k, v)))
        .collect()
}

/// What a rule sees for one event.
pub struct Cx<'a> {
    /// Derived facts.
    pub f: &'a Facts<'a>,
    /// The user's baseline before this event.
    pub base: Option<&'a UserBaseline>,
    /// Tenant configuration.
    pub cfg: &'a Config,
    /// Cross-detection marks.
    pub marks: &'a Marks,
}

/// How a sign-in's country relates to what is expected for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountryStatus {
    /// Declared in `expected_locations.csv` for that day (note attached).
    Declared(String),
    /// Seen before for this user.
    Familiar,
    /// The user has declarations and this country is not among them.
    OutsideDeclared,
    /// Established baseline, never seen, not declared.
    New,
    /// Not enough history and nothing declared: learning.
    Learning,
    /// No country, or corporate/VPN/private egress.
    NotApplicable,
}

impl Cx<'_> {
    /// Where this event's country stands for its user.
    pub fn country_status(&self) -> CountryStatus {
        let (Some(user), Some(country)) = (self.f.user.as_deref(), self.f.country.as_deref())
        else {
            return CountryStatus::NotApplicable;
        };
        if !self.f.is_public_foreign() {
            return CountryStatus::NotApplicable;
        }
        if let Some(l) = self
            .cfg
            .expected(user, country, self.f.ev.time.date_naive())
        {
            return CountryStatus::Declared(l.note.clone());
        }
        if self.base.is_some_and(|b| b.countries.contains_key(country)) {
            return CountryStatus::Familiar;
        }
        if self.cfg.has_declarations_for(user) {
            return CountryStatus::OutsideDeclared;
        }
        if self.base.is_some_and(|b| b.established(self.f.ev.time)) {
            CountryStatus::New
        } else {
            CountryStatus::Learning
        }
    }

    /// True when the IP is ours, or the user used it before and no finding marked it.
    pub fn familiar_ip(&self, ip: IpAddr) -> bool {
        let user = self.f.user.as_deref().unwrap_or("");
        if matches!(
            self.cfg.classify(ip),
            crate::config::NetworkClass::Corporate | crate::config::NetworkClass::Vpn
        ) {
            return true;
        }
        self.base.is_some_and(|b| b.ips.contains(&ip)) && !self.marks.is_suspect(user, ip)
    }

    /// True when the user's baseline is established at this event.
    pub fn established(&self) -> bool {
        self.base.is_some_and(|b| b.established(self.f.ev.time))
    }

    /// A draft for the current event with its user, time, IP, country and evidence filled in.
    pub fn draft(&self, meta: &'static DetectionMeta, severity: Severity) -> Draft {
        Draft {
            detection: meta.id,
            severity,
            user: self.f.user.clone(),
            time: self.f.ev.time,
            ips: self.f.ip.map(|i| vec![i.to_string()]).unwrap_or_default(),
            countries: self.f.country.clone().into_iter().collect(),
            reason_ja: String::new(),
            reason_en: String::new(),
            evidence: vec![self.f.evidence()],
            count: 1,
            suspect_ips: Vec::new(),
            risky_sign_in: false,
        }
    }
}

/// A finding before the engine gives it an id.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Detection id.
    pub detection: &'static str,
    /// Severity.
    pub severity: Severity,
    /// User.
    pub user: Option<String>,
    /// First evidence time.
    pub time: DateTime<Utc>,
    /// IPs involved.
    pub ips: Vec<String>,
    /// Countries involved.
    pub countries: Vec<String>,
    /// Reason (ja).
    pub reason_ja: String,
    /// Reason (en).
    pub reason_en: String,
    /// Evidence.
    pub evidence: Vec<EvidenceRef>,
    /// How many actions it stands for (messages sent, items accessed, accounts tried …).
    pub count: u64,
    /// IPs this finding makes suspect for the user (used by later detections).
    pub suspect_ips: Vec<IpAddr>,
    /// True when this is a risky sign-in (for "MFA change after risky sign-in").
    pub risky_sign_in: bool,
}

impl Draft {
    /// Sets both reasons.
    pub fn reason(mut self, ja: String, en: String) -> Self {
        self.reason_ja = ja;
        self.reason_en = en;
        self
    }

    /// Marks the current IPs as suspect for the user.
    pub fn suspect(mut self, ip: Option<IpAddr>) -> Self {
        self.suspect_ips.extend(ip);
        self
    }
}

/// Facts one detection leaves for others: suspect IPs per user and risky sign-in times.
#[derive(Debug, Default)]
pub struct Marks {
    suspect: HashMap<String, HashMap<IpAddr, DateTime<Utc>>>,
    risky: HashMap<String, Vec<DateTime<Utc>>>,
}

impl Marks {
    /// Records what a draft implies.
    pub fn record(&mut self, d: &Draft) {
        let Some(user) = d.user.as_deref() else {
            return;
        };
        for ip in &d.suspect_ips {
            self.suspect
                .entry(user.to_string())
                .or_default()
                .entry(*ip)
                .or_insert(d.time);
        }
        if d.risky_sign_in {
            self.risky.entry(user.to_string()).or_default().push(d.time);
        }
    }

    /// True when a finding marked `ip` as suspect for `user`.
    pub fn is_suspect(&self, user: &str, ip: IpAddr) -> bool {
        self.suspect.get(user).is_some_and(|m| m.contains_key(&ip))
    }

    /// The IPs marked suspect for `user`.
    pub fn suspect_ips(&self, user: &str) -> Vec<IpAddr> {
        let mut v: Vec<IpAddr> = self
            .suspect
            .get(user)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default();
        v.sort();
        v
    }

    /// The latest risky sign-in of `user` in `[t - before, t + after]`.
    pub fn risky_near(
        &self,
        user: &str,
        t: DateTime<Utc>,
        before: Duration,
        after: Duration,
    ) -> Option<DateTime<Utc>> {
        self.risky
            .get(user)?
            .iter()
            .copied()
            .filter(|r| *r >= t - before && *r <= t + after)
            .max()
    }
}

/// Reads a string field of an audit record's folded `data`, looking in `Parameters` first and
/// then at the top level (case-insensitive keys, since Panther lower-cases them).
pub fn audit_param(a: &model::AuditRecord, name: &str) -> Option<String> {
    fn get_ci<'v>(obj: &'v serde_json::Value, name: &str) -> Option<&'v serde_json::Value> {
        let map = obj.as_object()?;
        map.get(name).or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v)
        })
    }
    let v = get_ci(&a.data, "Parameters")
        .and_then(|p| get_ci(p, name))
        .or_else(|| get_ci(&a.data, name))?;
    Some(match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => return None,
        other => other.to_string(),
    })
}

/// True for "True"/"true"/"1"/`$true`.
pub fn truthy(s: &str) -> bool {
    matches!(
        s.trim()
            .trim_start_matches('$')
            .to_ascii_lowercase()
            .as_str(),
        "true" | "1" | "yes"
    )
}
