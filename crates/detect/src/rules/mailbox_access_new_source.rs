//! Mailbox read (`MailItemsAccessed`) from an IP or app the user does not use.
//!
//! - Attack: reading mail after a takeover (T1114.002). `Sync` access means a client
//!   downloaded a whole folder: every message in it is exposed; `Bind` names single messages.
//! - Data: UAL `MailItemsAccessed` (RecordType 50): `ClientIPAddress`/`ClientIP`, `AppId`,
//!   `ClientInfoString`, `OperationProperties.MailAccessType`, `OperationCount`, `Folders[].Path`.
//! - Logic: records of one user from one IP are gathered into a session (gap < 1 h) and reported
//!   when it closes. **High** when the IP was marked by a sign-in finding (new country, legacy
//!   auth …); medium when the IP was never used by the user and is in a country that is new or
//!   undeclared for them; low when only the IP (or, with an established baseline, the app) is new.
//!   Corporate/VPN egress is familiar; apps in `[apps] allowed` are never "new".
//! - False positives: mobile IP churn (low at most), new mail apps.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use model::{EventKind, EvidenceRef, Severity};

use super::{CountryStatus, Cx, Draft, Rule, take_idle};
use crate::baseline::mailbox_client;
use crate::config::Config;
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "mailbox_access_new_source",
    title_ja: "未知のIP・アプリからのメールボックス読み取り",
    title_en: "Mailbox read from a new IP or app",
    description_ja: "MailItemsAccessed が利用者の使ったことのないIP・アプリから記録された。Sync はフォルダ全体の流出を意味する。",
    description_en: "MailItemsAccessed from an IP or app the user never used; Sync means a whole folder was downloaded.",
    severity: Severity::Medium,
    attack: &["T1114.002"],
    role: Role::Collection,
};

const GAP: Duration = Duration::hours(1);

struct Session {
    user: String,
    ip: String,
    country: Option<String>,
    severity: Severity,
    why_ja: &'static str,
    why_en: &'static str,
    start: DateTime<Utc>,
    last: DateTime<Utc>,
    items: u64,
    sync: u64,
    bind: u64,
    folders: BTreeSet<String>,
    apps: BTreeSet<String>,
    evidence: Vec<EvidenceRef>,
}

/// Run-time state: open sessions by (user, IP).
#[derive(Default)]
pub struct MailboxAccessNewSource {
    sessions: HashMap<(String, String), Session>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(MailboxAccessNewSource::default())
}

fn access_type(data: &serde_json::Value) -> Option<String> {
    let op = data.get("OperationProperties")?;
    let v = op.get("MailAccessType").or_else(|| {
        op.as_array()?
            .iter()
            .find(|p| p.get("Name").and_then(|n| n.as_str()) == Some("MailAccessType"))?
            .get("Value")
    })?;
    v.as_str().map(str::to_string)
}

fn report(s: Session, out: &mut Vec<Draft>) {
    let folders: Vec<String> = s.folders.iter().take(10).cloned().collect();
    let sync_ja = if s.sync > 0 {
        format!(
            "Sync（フォルダ全体のダウンロード＝全メール流出の可能性）{}件、",
            s.sync
        )
    } else {
        String::new()
    };
    let sync_en = if s.sync > 0 {
        format!(
            "{} Sync (whole folder downloaded: every message in it exposed), ",
            s.sync
        )
    } else {
        String::new()
    };
    let apps: Vec<String> = s.apps.iter().cloned().collect();
    out.push(Draft {
        detection: META.id,
        severity: s.severity,
        user: Some(s.user.clone()),
        time: s.start,
        reason_ja: format!(
            "{} のメールボックスが{}のIP {}（{}）から読み取られました：{sync_ja}Bind {}件、計{}アイテム。フォルダ: {}。アプリ: {}。",
            s.user,
            s.why_ja,
            s.ip,
            s.country.clone().unwrap_or_else(|| "??".into()),
            s.bind,
            s.items,
            folders.join(", "),
            apps.join(", ")
        ),
        reason_en: format!(
            "{}'s mailbox was read from IP {} ({}), {}: {sync_en}{} Bind, {} items in all. Folders: {}. Apps: {}.",
            s.user,
            s.ip,
            s.country.clone().unwrap_or_else(|| "??".into()),
            s.why_en,
            s.bind,
            s.items,
            folders.join(", "),
            apps.join(", ")
        ),
        ips: vec![s.ip],
        countries: s.country.into_iter().collect(),
        evidence: s.evidence,
        count: s.items,
        suspect_ips: Vec::new(),
        risky_sign_in: false,
    });
}

impl Rule for MailboxAccessNewSource {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        let EventKind::Audit(a) = &f.ev.kind else {
            return;
        };
        if a.operation != "MailItemsAccessed" {
            return;
        }
        let (Some(user), Some(ip)) = (a.mailbox_owner_upn.clone().or(f.user.clone()), f.ip) else {
            return;
        };
        let key = (user.clone(), ip.to_string());
        let t = f.ev.time;
        if self.sessions.get(&key).is_some_and(|s| t - s.last > GAP)
            && let Some(s) = self.sessions.remove(&key)
        {
            report(s, out);
        }
        if !self.sessions.contains_key(&key) {
            // Judge the source once, when the session opens.
            let suspect = cx.marks.is_suspect(&user, ip);
            let familiar = cx.familiar_ip(ip);
            let client = mailbox_client(a);
            let new_app = cx.established()
                && client.as_ref().is_some_and(|c| {
                    !cx.cfg.app_allowed(c)
                        && cx.base.is_some_and(|b| !b.mailbox_clients.contains(c))
                });
            let new_place = matches!(
                cx.country_status(),
                CountryStatus::New | CountryStatus::OutsideDeclared
            );
            let (severity, why_ja, why_en) = if suspect {
                (
                    Severity::High,
                    "不審なサインインと同じ",
                    "the same IP as a suspicious sign-in",
                )
            } else if !familiar && new_place {
                (
                    Severity::Medium,
                    "未知かつ初めての国",
                    "a never-used IP in a new country",
                )
            } else if !familiar && cx.established() {
                (Severity::Low, "未知", "a never-used IP")
            } else if new_app && !f.is_ours() {
                (
                    Severity::Low,
                    "新しいアプリによる既知",
                    "a known IP but a new app",
                )
            } else {
                return;
            };
            self.sessions.insert(
                key.clone(),
                Session {
                    user,
                    ip: ip.to_string(),
                    country: f.country.clone(),
                    severity,
                    why_ja,
                    why_en,
                    start: t,
                    last: t,
                    items: 0,
                    sync: 0,
                    bind: 0,
                    folders: BTreeSet::new(),
                    apps: BTreeSet::new(),
                    evidence: Vec::new(),
                },
            );
        }
        let Some(s) = self.sessions.get_mut(&key) else {
            return;
        };
        s.last = t;
        let n = a
            .data
            .get("OperationCount")
            .and_then(|v| v.as_u64())
            .unwrap_or(1);
        s.items += n;
        match access_type(&a.data).as_deref() {
            Some(x) if x.eq_ignore_ascii_case("Sync") => s.sync += 1,
            _ => s.bind += 1,
        }
        if let Some(folders) = a.data.get("Folders").and_then(|v| v.as_array()) {
            for fo in folders {
                if let Some(p) = fo.get("Path").and_then(|p| p.as_str()) {
                    s.folders.insert(p.to_string());
                }
            }
        }
        s.apps.extend(mailbox_client(a));
        s.evidence.push(f.evidence());
    }

    fn flush(&mut self, now: Option<DateTime<Utc>>, _cfg: &Config, out: &mut Vec<Draft>) {
        for (_, s) in take_idle(&mut self.sessions, now, GAP, |w| w.last) {
            report(s, out);
        }
    }
}
