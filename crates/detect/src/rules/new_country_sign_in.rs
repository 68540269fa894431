//! Sign-in from a country new for the user, or outside the user's declared expected locations.
//!
//! - Attack: use of a stolen password from the attacker's own infrastructure (T1078.004). The
//!   2025 incident: the user worked in Vietnam (declared secondment), the attacker signed in
//!   from the US.
//! - Data: Entra sign-ins (location from the log) or UAL `UserLoggedIn` (location from GeoIP);
//!   `expected_locations.csv`; the user's baseline of countries.
//! - Fires on a successful sign-in, or a failed one whose password was proven correct
//!   ("Correct Password", MFA required/denied), from a public non-corporate IP whose country is
//!   not declared for that day and not in the user's history. **Low** when MFA was done (an
//!   undeclared trip looks like this), **medium** when only one factor was used, **high** when
//!   a legacy protocol was used or the password was proven but MFA/CA stopped the sign-in (the
//!   credential is known). Declared trips and corporate/VPN egress never fire.
//! - False positives: undeclared business trips, roaming mobile data, cloud proxies; without an
//!   established baseline (see `baseline.rs`) only declared locations are checked.

use std::collections::HashSet;

use model::Severity;

use super::{CountryStatus, Cx, Draft, Rule};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "new_country_sign_in",
    title_ja: "新しい国・想定外の場所からのサインイン",
    title_en: "Sign-in from a new country or outside declared locations",
    description_ja: "利用者の過去の国にも、届け出た所在地（出向・出張）にもない国からのサインイン成功、またはパスワードが正しいと確認されたサインイン。",
    description_en: "A successful sign-in, or one that proved the password correct, from a country the user has never used and that is not among their declared locations (secondment, trips).",
    severity: Severity::Medium,
    attack: &["T1078.004"],
    role: Role::Access,
};

/// Run-time state: (user, country) pairs already reported, so one trip is one finding.
#[derive(Default)]
pub struct NewCountrySignIn {
    reported: HashSet<(String, String)>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(NewCountrySignIn::default())
}

impl Rule for NewCountrySignIn {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        let Some(l) = &f.logon else { return };
        if l.non_user || !(l.success || l.correct_password) {
            return;
        }
        let status = cx.country_status();
        let outside_declared = match status {
            CountryStatus::OutsideDeclared => true,
            CountryStatus::New => false,
            _ => return,
        };
        let (Some(user), Some(country)) = (f.user.clone(), f.country.clone()) else {
            return;
        };
        let key = (user, country.clone());
        if self.reported.contains(&key) {
            return;
        }
        self.reported.insert(key);
        let proven_only = !l.success && l.correct_password;
        let legacy = l.legacy.as_ref().filter(|g| g.strong);
        let severity = if legacy.is_some() || proven_only {
            Severity::High
        } else if l.single_factor {
            Severity::Medium
        } else {
            Severity::Low
        };
        let app = l.app.clone().unwrap_or_else(|| "-".into());
        let mut extra_ja = Vec::new();
        let mut extra_en = Vec::new();
        if let Some(g) = legacy {
            extra_ja.push(format!("レガシー認証（{}）", g.name));
            extra_en.push(format!("legacy protocol ({})", g.name));
        }
        if proven_only {
            extra_ja.push("パスワードは正しいがMFA等で停止（資格情報が漏れている）".to_string());
            extra_en.push(
                "password correct but stopped by MFA/CA (the credential is known)".to_string(),
            );
        }
        if l.single_factor {
            extra_ja.push("単一要素認証".to_string());
            extra_en.push("single-factor".to_string());
        }
        let (why_ja, why_en) = if outside_declared {
            (
                "届け出た所在地の外",
                "outside the user's declared locations",
            )
        } else {
            (
                "この利用者には初めての国",
                "a country this user has never signed in from",
            )
        };
        let ip = f.ip_text();
        let extras_ja = if extra_ja.is_empty() {
            String::new()
        } else {
            format!("（{}）", extra_ja.join("、"))
        };
        let extras_en = if extra_en.is_empty() {
            String::new()
        } else {
            format!(" ({})", extra_en.join(", "))
        };
        let mut d = cx.draft(&META, severity).reason(
            format!(
                "{country}（{why_ja}）のIP {ip} からアプリ「{app}」へのサインイン{extras_ja}。"
            ),
            format!("Sign-in to \"{app}\" from IP {ip} in {country}, {why_en}{extras_en}."),
        );
        // Only medium and above make the IP suspect for later detections: a low finding is an
        // undeclared trip with MFA done, and must not turn the traveller's mail reads high.
        if severity >= Severity::Medium {
            d = d.suspect(f.ip);
            d.risky_sign_in = true;
        }
        out.push(d);
    }
}
