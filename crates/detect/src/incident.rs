//! Findings about one user and period, told as one story.
//!
//! Grouping: findings of the same user whose times are less than [`INCIDENT_GAP`] apart form
//! one incident; findings without a user (a password spray) group by their first IP.
//!
//! Severity: a **takeover chain** — an access finding of medium or more (new country, legacy
//! success, travel, failures then success) plus mail/file access or persistence (inbox rule,
//! forwarding, consent, MFA change, audit off) plus sending as the user — is **critical**. Access
//! plus one later step is at least **high**. Otherwise the incident keeps the highest finding
//! severity, so declared trips and VPN noise (low findings) stay low, and a spray where nothing
//! succeeded stays the spray finding's medium.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use model::{EvidenceRef, Incident, Severity};
use sha2::{Digest, Sha256};

use crate::config::{Config, NetworkClass};
use crate::engine::Emitted;
use crate::registry::{self, Role};
use crate::rules::Marks;

/// Findings further apart than this start a new incident.
pub const INCIDENT_GAP: Duration = Duration::days(3);

/// Facts about an incident beyond the JSONL interface.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentDetail {
    /// The incident.
    pub incident_id: String,
    /// True for a takeover chain (access + collection/persistence + send).
    pub takeover_chain: bool,
    /// The first evidence of the earliest access finding (else the earliest finding).
    pub first_malicious: Option<EvidenceRef>,
    /// Its time.
    pub first_malicious_time: Option<DateTime<Utc>>,
    /// Per detection id: the summed action counts.
    pub counts: BTreeMap<String, u64>,
}

impl IncidentDetail {
    /// Messages sent without a Sent Items copy (the `hidden_send` count).
    pub fn hidden_sends(&self) -> u64 {
        self.counts.get("hidden_send").copied().unwrap_or(0)
    }
}

/// Groups `emitted` into incidents, writing each finding's `incident_id`.
pub fn group(
    cfg: &Config,
    emitted: &mut [Emitted],
    marks: &Marks,
) -> (Vec<Incident>, Vec<IncidentDetail>) {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in emitted.iter().enumerate() {
        let key = match &e.finding.user {
            Some(u) => format!("u:{u}"),
            None => format!("ip:{}", e.finding.ips.first().cloned().unwrap_or_default()),
        };
        by_key.entry(key).or_default().push(i);
    }
    let mut keys: Vec<String> = by_key.keys().cloned().collect();
    keys.sort();
    let mut incidents = Vec::new();
    let mut details = Vec::new();
    for key in keys {
        let mut idx = by_key.remove(&key).unwrap_or_default();
        idx.sort_by_key(|i| emitted[*i].finding.time);
        let mut cluster: Vec<usize> = Vec::new();
        let mut last: Option<DateTime<Utc>> = None;
        for i in idx {
            let t = emitted[i].finding.time;
            if last.is_some_and(|l| t - l > INCIDENT_GAP) && !cluster.is_empty() {
                let (inc, det) = build(cfg, emitted, &cluster, marks);
                incidents.push(inc);
                details.push(det);
                cluster.clear();
            }
            cluster.push(i);
            last = Some(t);
        }
        if !cluster.is_empty() {
            let (inc, det) = build(cfg, emitted, &cluster, marks);
            incidents.push(inc);
            details.push(det);
        }
    }
    let order: Vec<usize> = {
        let mut o: Vec<usize> = (0..incidents.len()).collect();
        o.sort_by(|a, b| {
            incidents[*b]
                .severity
                .cmp(&incidents[*a].severity)
                .then(incidents[*a].first_seen.cmp(&incidents[*b].first_seen))
        });
        o
    };
    let incidents2 = order.iter().map(|i| incidents[*i].clone()).collect();
    let details2 = order.iter().map(|i| details[*i].clone()).collect();
    (incidents2, details2)
}

fn build(
    cfg: &Config,
    emitted: &mut [Emitted],
    cluster: &[usize],
    marks: &Marks,
) -> (Incident, IncidentDetail) {
    let items: Vec<&Emitted> = cluster.iter().map(|i| &emitted[*i]).collect();
    let has = |role: Role, min: Severity| {
        items
            .iter()
            .any(|e| e.role == Some(role) && e.finding.severity >= min)
    };
    // A spray that then succeeded (high) is an access too.
    let access = has(Role::Access, Severity::Medium) || has(Role::Attempt, Severity::High);
    let collect_or_persist =
        has(Role::Collection, Severity::Low) || has(Role::Persistence, Severity::Low);
    let send = has(Role::Send, Severity::Medium);
    let chain = access && collect_or_persist && send;
    let max = items
        .iter()
        .map(|e| e.finding.severity)
        .max()
        .unwrap_or(Severity::Info);
    let severity = if chain {
        Severity::Critical
    } else if access && (collect_or_persist || send) {
        max.max(Severity::High)
    } else {
        max
    };
    let user = items[0].finding.user.clone();
    let first_seen = items
        .iter()
        .map(|e| e.finding.time)
        .min()
        .unwrap_or_else(Utc::now);
    let last_seen = items
        .iter()
        .map(|e| e.finding.time)
        .max()
        .unwrap_or(first_seen);
    let mut detections: Vec<String> = Vec::new();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for e in &items {
        if !detections.contains(&e.finding.detection) {
            detections.push(e.finding.detection.clone());
        }
        *counts.entry(e.finding.detection.clone()).or_insert(0) += e.count;
    }
    // Attacker IPs: IPs of findings that describe the attacker's own actions, minus our egress.
    let mut attacker_ips: Vec<String> = Vec::new();
    let mut countries: Vec<String> = Vec::new();
    for e in &items {
        let relevant = match e.role {
            Some(Role::Attempt) => !access,
            Some(_) => true,
            None => false,
        };
        if !relevant || e.finding.severity < Severity::Low {
            continue;
        }
        for ip in &e.finding.ips {
            let ours = ip.parse().is_ok_and(|ip| {
                matches!(
                    cfg.classify(ip),
                    NetworkClass::Corporate | NetworkClass::Vpn | NetworkClass::Private
                )
            });
            let suspect = user
                .as_deref()
                .is_none_or(|u| ip.parse().is_ok_and(|ip| marks.is_suspect(u, ip)));
            if !ours && suspect && !attacker_ips.contains(ip) {
                attacker_ips.push(ip.clone());
            }
        }
        for c in &e.finding.countries {
            if !countries.contains(c) && e.role != Some(Role::Persistence) {
                countries.push(c.clone());
            }
        }
    }
    let first = items
        .iter()
        .filter(|e| e.role == Some(Role::Access))
        .min_by_key(|e| e.finding.time)
        .or_else(|| items.iter().min_by_key(|e| e.finding.time));
    let first_malicious = first.and_then(|e| e.finding.evidence.first().cloned());
    let first_malicious_time = first.map(|e| e.finding.time);
    let mut ids: Vec<String> = items.iter().map(|e| e.finding.id.clone()).collect();
    ids.sort();
    let id = {
        let mut h = Sha256::new();
        h.update(cfg.tenant_id.as_bytes());
        h.update([0x1f]);
        h.update(user.as_deref().unwrap_or("").as_bytes());
        for f in &ids {
            h.update([0x1e]);
            h.update(f.as_bytes());
        }
        let mut s = hex::encode(h.finalize());
        s.truncate(32);
        format!("inc-{s}")
    };
    let (summary_ja, summary_en) = summaries(
        &user,
        chain,
        severity,
        &attacker_ips,
        &countries,
        first_malicious_time,
        &detections,
        &counts,
    );
    for i in cluster {
        emitted[*i].finding.incident_id = Some(id.clone());
    }
    let incident = Incident {
        id: id.clone(),
        tenant: cfg.tenant_id.clone(),
        user,
        severity,
        first_seen,
        last_seen,
        detections,
        attacker_ips,
        countries,
        summary_ja,
        summary_en,
        findings: ids,
    };
    let detail = IncidentDetail {
        incident_id: id,
        takeover_chain: chain,
        first_malicious,
        first_malicious_time,
        counts,
    };
    (incident, detail)
}

#[allow(clippy::too_many_arguments)]
fn summaries(
    user: &Option<String>,
    chain: bool,
    severity: Severity,
    ips: &[String],
    countries: &[String],
    first: Option<DateTime<Utc>>,
    detections: &[String],
    counts: &BTreeMap<String, u64>,
) -> (String, String) {
    let who = user.clone().unwrap_or_else(|| "(複数ユーザー)".into());
    let who_en = user.clone().unwrap_or_else(|| "(multiple users)".into());
    let when = first
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    let ip_list = if ips.is_empty() {
        "-".to_string()
    } else {
        ips.join(", ")
    };
    let cc = if countries.is_empty() {
        "-".to_string()
    } else {
        countries.join(", ")
    };
    let mut parts_ja = Vec::new();
    let mut parts_en = Vec::new();
    for d in detections {
        let n = counts.get(d).copied().unwrap_or(0);
        let (tja, ten) = match registry::meta(d) {
            Some(m) => (m.title_ja.to_string(), m.title_en.to_string()),
            None => (d.clone(), d.clone()),
        };
        parts_ja.push(format!("{tja}（{n}件）"));
        parts_en.push(format!("{ten} ({n})"));
    }
    let head_ja = if chain {
        "アカウント乗っ取りの一連の流れ（不審なサインイン → メールボックス操作 → 送信）を検出しました"
    } else if detections
        .iter()
        .all(|d| d == "password_spray" || d == "brute_force")
    {
        "パスワード攻撃（スプレー／総当たり）を検出しました。成功は確認されていません"
    } else {
        "不審な活動を検出しました"
    };
    let head_en = if chain {
        "Account takeover chain detected (suspicious sign-in → mailbox activity → sending)"
    } else if detections
        .iter()
        .all(|d| d == "password_spray" || d == "brute_force")
    {
        "Password attack (spray / brute force) detected; no success seen"
    } else {
        "Suspicious activity detected"
    };
    let hidden = counts.get("hidden_send").copied().unwrap_or(0);
    let hidden_ja = if hidden > 0 {
        format!("送信済みアイテムに残らない送信: {hidden}通。")
    } else {
        String::new()
    };
    let hidden_en = if hidden > 0 {
        format!(" Messages sent without a Sent Items copy: {hidden}.")
    } else {
        String::new()
    };
    (
        format!(
            "[{}] {head_ja}。対象: {who}。最初の不審な活動: {when}。攻撃元IP: {ip_list}（国: {cc}）。{hidden_ja}内訳: {}。",
            severity.as_str(),
            parts_ja.join("、")
        ),
        format!(
            "[{}] {head_en}. User: {who_en}. First malicious activity: {when}. Attacker IPs: {ip_list} (countries: {cc}).{hidden_en} Findings: {}.",
            severity.as_str(),
            parts_en.join(", ")
        ),
    )
}
