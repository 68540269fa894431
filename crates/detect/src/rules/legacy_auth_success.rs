//! Successful sign-in over a legacy (basic-auth) protocol: SMTP AUTH, IMAP4, POP3, ROPC,
//! "Other clients", EWS/MAPI basic, and Exchange ActiveSync when from a new country.
//!
//! - Attack: basic auth skips MFA, so a leaked password is enough (T1078.004, T1110). The 2025
//!   incident sent ~300 phishing mails over Authenticated SMTP.
//! - Data: Entra sign-ins (`clientAppUsed`, `authenticationProtocol`, BAV2ROPC user agent); UAL
//!   logons with a BAV2ROPC user agent.
//! - Severity: **high** from a new or undeclared country; medium from an IP the user never used;
//!   low for a first legacy use from a familiar IP. A user who already used legacy auth from the
//!   same IP is not reported again; corporate/VPN egress (printers, scanners relaying mail) is
//!   never reported. ActiveSync only counts from a new country (modern clients use it too).
//! - False positives: old mail clients and multifunction printers on home/branch networks.

use std::collections::HashSet;
use std::net::IpAddr;

use model::Severity;

use super::{CountryStatus, Cx, Draft, Rule};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "legacy_auth_success",
    title_ja: "レガシー認証（基本認証）でのサインイン成功",
    title_en: "Successful legacy (basic) authentication",
    description_ja: "SMTP AUTH・IMAP・POP・ROPC などMFAを通らないプロトコルでのサインイン成功。新しい国からなら重大。",
    description_en: "A successful sign-in over a protocol that bypasses MFA (SMTP AUTH, IMAP, POP, ROPC …); high when from a new country.",
    severity: Severity::Medium,
    attack: &["T1078.004", "T1110"],
    role: Role::Access,
};

/// Run-time state: (user, IP) pairs already reported.
#[derive(Default)]
pub struct LegacyAuthSuccess {
    reported: HashSet<(String, IpAddr)>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(LegacyAuthSuccess::default())
}

impl Rule for LegacyAuthSuccess {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        let Some(l) = &f.logon else { return };
        let Some(legacy) = &l.legacy else { return };
        if !l.success || l.non_user || f.is_ours() {
            return;
        }
        let (Some(user), Some(ip)) = (f.user.clone(), f.ip) else {
            return;
        };
        let status = cx.country_status();
        let new_place = matches!(status, CountryStatus::New | CountryStatus::OutsideDeclared);
        if !legacy.strong && !new_place {
            return;
        }
        let familiar = cx.familiar_ip(ip);
        let known_legacy = cx.base.is_some_and(|b| b.legacy_ips.contains(&ip));
        if known_legacy && familiar && !new_place {
            return;
        }
        if !self.reported.insert((user, ip)) {
            return;
        }
        let severity = if new_place {
            Severity::High
        } else if !familiar {
            Severity::Medium
        } else {
            Severity::Low
        };
        let country = f.country_text();
        let app = l.app.clone().unwrap_or_else(|| "-".into());
        let (where_ja, where_en) = if new_place {
            ("新しい国・届け出外の国", "a new or undeclared country")
        } else if !familiar {
            (
                "この利用者が使ったことのないIP",
                "an IP this user never used",
            )
        } else {
            ("既知のIP", "a known IP")
        };
        let mut d = cx.draft(&META, severity).reason(
            format!(
                "レガシー認証「{}」でサインイン成功（アプリ「{app}」、IP {ip}、国 {country}：{where_ja}）。MFAを経由しません。",
                legacy.name
            ),
            format!(
                "Successful sign-in over legacy protocol \"{}\" (app \"{app}\", IP {ip}, country {country}: {where_en}); it bypasses MFA.",
                legacy.name
            ),
        );
        if severity >= Severity::Medium {
            d = d.suspect(Some(ip));
            d.risky_sign_in = true;
        }
        out.push(d);
    }
}
