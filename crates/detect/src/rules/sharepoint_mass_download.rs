//! SharePoint / OneDrive mass download from a new IP.
//!
//! - Attack: bulk exfiltration of files after a takeover (T1530, T1213.002).
//! - Data: UAL `FileDownloaded` / `FileSyncDownloadedFull` (SharePoint, OneDrive workloads).
//! - Logic: downloads of one user from one IP less than 1 h apart form a session; reported when
//!   it closes with ≥50 files, if the IP was unfamiliar when the session opened (not ours, not
//!   used before, or marked). **High** when the IP was marked by a sign-in finding or ≥500 files,
//!   else medium.
//! - False positives: a new laptop syncing a library from home (the OneDrive client).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use model::{EventKind, EvidenceRef, Severity};

use super::{Cx, Draft, Rule, take_idle};
use crate::config::Config;
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "sharepoint_mass_download",
    title_ja: "未知のIPからのSharePoint/OneDrive大量ダウンロード",
    title_en: "SharePoint/OneDrive mass download from a new IP",
    description_ja: "利用者が使ったことのないIPから1時間以内の間隔で50ファイル以上のダウンロード。",
    description_en: "50+ files downloaded in one session (gaps under 1 h) from an IP the user never used.",
    severity: Severity::Medium,
    attack: &["T1530", "T1213.002"],
    role: Role::Collection,
};

const GAP: Duration = Duration::hours(1);
const MIN_FILES: u64 = 50;
const HIGH_FILES: u64 = 500;

struct Session {
    start: DateTime<Utc>,
    last: DateTime<Utc>,
    suspect: bool,
    country: Option<String>,
    files: u64,
    sites: BTreeSet<String>,
    evidence: Vec<EvidenceRef>,
}

/// Run-time state: sessions by (user, IP) that opened from an unfamiliar IP.
#[derive(Default)]
pub struct SharepointMassDownload {
    sessions: HashMap<(String, String), Session>,
    familiar_sessions: HashMap<(String, String), DateTime<Utc>>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(SharepointMassDownload::default())
}

fn report(key: (String, String), s: Session, out: &mut Vec<Draft>) {
    if s.files < MIN_FILES {
        return;
    }
    let (user, ip) = key;
    let severity = if s.suspect || s.files >= HIGH_FILES {
        Severity::High
    } else {
        Severity::Medium
    };
    let sites: Vec<String> = s.sites.into_iter().take(5).collect();
    let mins = (s.last - s.start).num_minutes();
    let cc = s.country.clone().unwrap_or_else(|| "??".into());
    out.push(Draft {
        detection: META.id,
        severity,
        user: Some(user.clone()),
        time: s.start,
        reason_ja: format!(
            "{user} が未知のIP {ip}（{cc}）から{mins}分間に{}ファイルをダウンロード。サイト: {}。",
            s.files,
            sites.join(", ")
        ),
        reason_en: format!(
            "{user} downloaded {} files in {mins} min from unfamiliar IP {ip} ({cc}). Sites: {}.",
            s.files,
            sites.join(", ")
        ),
        ips: vec![ip],
        countries: s.country.into_iter().collect(),
        evidence: s.evidence,
        count: s.files,
        suspect_ips: Vec::new(),
        risky_sign_in: false,
    });
}

impl Rule for SharepointMassDownload {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        let EventKind::Audit(a) = &f.ev.kind else {
            return;
        };
        if !(a.operation == "FileDownloaded" || a.operation == "FileSyncDownloadedFull") {
            return;
        }
        let (Some(user), Some(ip)) = (f.user.clone(), f.ip) else {
            return;
        };
        let key = (user.clone(), ip.to_string());
        let t = f.ev.time;
        if let Some(last) = self.familiar_sessions.get_mut(&key) {
            if t - *last <= GAP {
                *last = t;
                return;
            }
            self.familiar_sessions.remove(&key);
        }
        if self.sessions.get(&key).is_some_and(|s| t - s.last > GAP)
            && let Some(s) = self.sessions.remove(&key)
        {
            report(key.clone(), s, out);
        }
        if !self.sessions.contains_key(&key) {
            if cx.familiar_ip(ip) {
                self.familiar_sessions.insert(key, t);
                return;
            }
            self.sessions.insert(
                key.clone(),
                Session {
                    start: t,
                    last: t,
                    suspect: cx.marks.is_suspect(&user, ip),
                    country: f.country.clone(),
                    files: 0,
                    sites: BTreeSet::new(),
                    evidence: Vec::new(),
                },
            );
        }
        let Some(s) = self.sessions.get_mut(&key) else {
            return;
        };
        s.last = t;
        s.files += 1;
        if let Some(site) = a.data.get("SiteUrl").and_then(|v| v.as_str()) {
            s.sites.insert(site.to_string());
        }
        s.evidence.push(f.evidence());
    }

    fn flush(&mut self, now: Option<DateTime<Utc>>, _cfg: &Config, out: &mut Vec<Draft>) {
        for (k, s) in take_idle(&mut self.sessions, now, GAP, |w| w.last) {
            report(k, s, out);
        }
        if let Some(n) = now {
            self.familiar_sessions.retain(|_, last| n - *last <= GAP);
        }
    }
}
