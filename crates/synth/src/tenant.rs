//! The synthetic company: Example Manufacturing (株式会社エグザンプル製作所), headquarters in
//! Tokyo with a plant in Aichi, and a Vietnam subsidiary in Hanoi with its own mail domain.
//!
//! Users get kanji display names with romaji UPNs (`taro.yamada@example.co.jp`); subsidiary staff
//! get Vietnamese names on `example.com.vn`. User 0 is the IT administrator (情報システム部) and
//! user 1 is the employee seconded (出向) to Vietnam whose account is taken over.

use std::collections::HashSet;

use crate::names::{JA_DEPARTMENTS, JA_GIVEN, JA_SURNAMES, VI_GIVEN, VI_MIDDLE, VI_SURNAMES};
use crate::rng::Gen;

/// The headquarters mail domain.
pub(crate) const DOMAIN_JP: &str = "example.co.jp";
/// The Vietnam subsidiary's mail domain.
pub(crate) const DOMAIN_VN: &str = "example.com.vn";
/// The tenant's initial domain.
pub(crate) const ONMICROSOFT: &str = "examplemfg.onmicrosoft.com";
/// The tenant display name (`homeTenantName`).
pub(crate) const TENANT_NAME: &str = "Example Manufacturing";

/// Where a user normally works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Site {
    /// Tokyo headquarters (本社).
    TokyoHq,
    /// Aichi plant (工場).
    AichiPlant,
    /// Hanoi office of the Vietnam subsidiary (local staff).
    HanoiSubsidiary,
    /// A headquarters employee seconded (出向) to the Hanoi office.
    SecondedToHanoi,
}

impl Site {
    /// ISO country of the site.
    pub fn country(self) -> &'static str {
        match self {
            Site::TokyoHq | Site::AichiPlant => "JP",
            Site::HanoiSubsidiary | Site::SecondedToHanoi => "VN",
        }
    }

    /// Offset of local time from UTC in hours.
    pub(crate) fn utc_offset_hours(self) -> i64 {
        match self {
            Site::TokyoHq | Site::AichiPlant => 9,
            Site::HanoiSubsidiary | Site::SecondedToHanoi => 7,
        }
    }

    /// Network key of the office egress.
    pub(crate) fn office_net(self) -> &'static str {
        match self {
            Site::TokyoHq => "corp-tokyo",
            Site::AichiPlant => "corp-nagoya",
            Site::HanoiSubsidiary | Site::SecondedToHanoi => "office-hanoi",
        }
    }
}

/// One synthetic employee.
#[derive(Debug, Clone)]
pub(crate) struct User {
    /// User principal name (lower-case) = primary SMTP address.
    pub upn: String,
    /// Display name as in Entra (`山田 太郎`, `Nguyễn Văn An`).
    pub display_name: String,
    /// Latin-script name (`Taro Yamada`).
    pub latin_name: String,
    /// Entra object id.
    pub object_id: String,
    /// Exchange mailbox GUID.
    pub mailbox_guid: String,
    /// Exchange mailbox owner SID.
    pub sid: String,
    /// Where they work.
    pub site: Site,
    /// Department (Japanese).
    pub department: &'static str,
    /// Home ISP network key.
    pub home_net: &'static str,
    /// Mobile carrier network key (IPv4) and its IPv6 sibling, if the user has a phone.
    pub mobile: Option<(&'static str, Option<&'static str>)>,
    /// Entra device id of the PC.
    pub device_id: String,
    /// PC operating system as Entra writes it.
    pub os: &'static str,
    /// Phone OS when the user has a phone.
    pub phone_os: &'static str,
    /// Uses the corporate VPN when working from home.
    pub uses_vpn: bool,
    /// Relative mail volume (heavy senders > 1).
    pub mail_weight: f64,
}

impl User {
    /// The mail domain of the user.
    pub(crate) fn domain(&self) -> &str {
        self.upn.split('@').nth(1).unwrap_or(DOMAIN_JP)
    }
}

/// The whole tenant: ids, domains and people.
#[derive(Debug, Clone)]
pub(crate) struct Tenant {
    /// The tenant GUID (`homeTenantId`, `OrganizationId`).
    pub guid: String,
    /// The users; index 0 is the administrator, index 1 the victim.
    pub users: Vec<User>,
}

/// Index of the IT administrator.
pub(crate) const ADMIN: usize = 0;
/// Index of the seconded employee whose account is taken over.
pub(crate) const VICTIM: usize = 1;

fn unique(upns: &mut HashSet<String>, local: &str, domain: &str) -> String {
    let mut candidate = format!("{local}@{domain}");
    let mut n = 2;
    while upns.contains(&candidate) {
        candidate = format!("{local}{n}@{domain}");
        n += 1;
    }
    upns.insert(candidate.clone());
    candidate
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Builds the tenant with `n_users` users (at least 10).
pub(crate) fn build(seed: u64, n_users: usize) -> Tenant {
    let mut g = Gen::new(seed, "tenant", 0);
    let guid = g.guid();
    let mut upns = HashSet::new();
    let n_vn = (n_users / 10).max(2);
    let mut users = Vec::with_capacity(n_users);
    for i in 0..n_users {
        let site = match i {
            ADMIN => Site::TokyoHq,
            VICTIM => Site::SecondedToHanoi,
            _ if i >= n_users - n_vn => Site::HanoiSubsidiary,
            _ if g.chance(0.6) => Site::TokyoHq,
            _ => Site::AichiPlant,
        };
        let (upn, display_name, latin_name, department) = if site == Site::HanoiSubsidiary {
            let (fam, fam_ascii) = *g.pick(VI_SURNAMES);
            let mid = *g.pick(VI_MIDDLE);
            let (given, given_ascii) = *g.pick(VI_GIVEN);
            let upn = unique(&mut upns, &format!("{given_ascii}.{fam_ascii}"), DOMAIN_VN);
            let latin = format!("{} {}", capitalize(given_ascii), capitalize(fam_ascii));
            (
                upn,
                format!("{fam} {mid} {given}"),
                latin,
                "ベトナム現地法人",
            )
        } else {
            let (sur, sur_r) = *g.pick(JA_SURNAMES);
            let (giv, giv_r) = *g.pick(JA_GIVEN);
            let upn = unique(&mut upns, &format!("{giv_r}.{sur_r}"), DOMAIN_JP);
            let latin = format!("{} {}", capitalize(giv_r), capitalize(sur_r));
            let dept = match i {
                ADMIN => "情報システム部",
                VICTIM => "海外事業部",
                _ => g.pick(JA_DEPARTMENTS).0,
            };
            (upn, format!("{sur} {giv}"), latin, dept)
        };
        let home_net = match site {
            Site::TokyoHq => {
                if g.chance(0.7) {
                    "isp-tokyo"
                } else {
                    "isp-kanagawa"
                }
            }
            Site::AichiPlant => "isp-aichi",
            Site::HanoiSubsidiary => {
                if g.chance(0.8) {
                    "isp-hanoi"
                } else {
                    "isp-hcmc"
                }
            }
            Site::SecondedToHanoi => "isp-hanoi",
        };
        let mobile = if site.country() == "VN" {
            g.chance(0.7).then_some(("mobile-vn", None))
        } else if g.chance(0.75) {
            Some(*g.pick(&[
                ("mobile-a", Some("mobile-a-v6")),
                ("mobile-b", Some("mobile-b-v6")),
                ("mobile-c", None),
            ]))
        } else {
            None
        };
        let sid = format!(
            "S-1-5-21-{}-{}-{}-{}",
            1_000_000_000 + g.range(0, 1_000_000_000),
            1_000_000_000 + g.range(0, 1_000_000_000),
            1_000_000_000 + g.range(0, 1_000_000_000),
            1000 + i
        );
        users.push(User {
            upn,
            display_name,
            latin_name,
            object_id: g.guid(),
            mailbox_guid: g.guid(),
            sid,
            site,
            department,
            home_net,
            mobile,
            device_id: g.guid(),
            os: if g.chance(0.9) { "Windows10" } else { "MacOs" },
            phone_os: if g.chance(0.6) { "Ios" } else { "Android" },
            uses_vpn: site.country() == "JP" && g.chance(0.12),
            mail_weight: 0.5 + g.range(0, 100) as f64 / 66.0,
        });
    }
    Tenant { guid, users }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_unique_upns() {
        let t = build(42, 50);
        assert_eq!(t.users[VICTIM].site, Site::SecondedToHanoi);
        assert!(t.users[VICTIM].upn.ends_with("@example.co.jp"));
        assert!(t.users.iter().any(|u| u.upn.ends_with("@example.com.vn")));
        let set: HashSet<_> = t.users.iter().map(|u| u.upn.clone()).collect();
        assert_eq!(set.len(), 50);
        assert!(t.users.iter().all(|u| u.upn == u.upn.to_lowercase()));
    }
}
