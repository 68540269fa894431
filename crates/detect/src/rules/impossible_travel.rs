//! Two successful sign-ins of one user from places too far apart for the time between them.
//!
//! - Attack: a stolen credential used elsewhere while the user works normally (T1078.004).
//! - Data: successful sign-ins with a location (log coordinates, GeoIP, or a country centroid).
//! - Logic: geodesic (haversine) distance minus a tolerance for IP-geolocation error (100 km
//!   per side with coordinates, 500 km per side for a country centroid); fires when the
//!   remaining distance needs more than 900 km/h. Only across countries (Elastic's experience:
//!   city-level jumps from mobile IP rotation are noise). Corporate/VPN/private egress is
//!   ignored on both ends. Medium; low when the new country is declared for the user.
//! - False positives: IP geolocation errors for mobile carriers, split tunnelling VPNs not in
//!   `[network] vpn`.

use model::Severity;

use super::{CountryStatus, Cx, Draft, Rule};
use crate::geo::distance_km;
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "impossible_travel",
    title_ja: "移動不可能な距離のサインイン",
    title_en: "Impossible travel",
    description_ja: "同じ利用者の連続するサインイン成功が、時間内に移動できない距離（時速900km超）の別の国から行われた。",
    description_en: "Consecutive successful sign-ins of one user from different countries too far apart for the time between them (over 900 km/h).",
    severity: Severity::Medium,
    attack: &["T1078.004"],
    role: Role::Access,
};

const MAX_SPEED_KMH: f64 = 900.0;

/// Stateless: the last located sign-in lives in the user's baseline.
#[derive(Default)]
pub struct ImpossibleTravel;

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(ImpossibleTravel)
}

impl Rule for ImpossibleTravel {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let f = cx.f;
        let Some(l) = &f.logon else { return };
        if !l.success || l.non_user || !f.is_public_foreign() {
            return;
        }
        let (Some(prev), Some(here)) = (cx.base.and_then(|b| b.last_ok.as_ref()), f.point) else {
            return;
        };
        if prev.country.is_none() || f.country.is_none() || prev.country == f.country {
            return;
        }
        let tol = |precise: bool| if precise { 100.0 } else { 500.0 };
        let d = distance_km(prev.point, here);
        let effective = d - tol(prev.precise) - tol(f.point_precise);
        if effective <= 0.0 {
            return;
        }
        let hours = ((f.ev.time - prev.time).num_seconds().max(60) as f64) / 3600.0;
        let speed = effective / hours;
        if speed <= MAX_SPEED_KMH {
            return;
        }
        // Back from a place a finding already flagged: the earlier sign-in was the anomaly, and
        // it is reported; this one is the user's own.
        let user = f.user.as_deref().unwrap_or("");
        if let Some(prev_ip) = prev.ip
            && cx.marks.is_suspect(user, prev_ip)
            && f.ip.is_some_and(|ip| cx.familiar_ip(ip))
        {
            return;
        }
        let declared = matches!(cx.country_status(), CountryStatus::Declared(_));
        let severity = if declared {
            Severity::Low
        } else {
            Severity::Medium
        };
        let from_c = prev.country.clone().unwrap_or_default();
        let to_c = f.country_text();
        let from_ip = prev.ip.map(|i| i.to_string()).unwrap_or_default();
        let ip = f.ip_text();
        let mins = (f.ev.time - prev.time).num_minutes();
        let mut d_out = cx
            .draft(&META, severity)
            .reason(
                format!(
                    "{from_c}（IP {from_ip}）から{mins}分後に{to_c}（IP {ip}）でサインイン。距離約{:.0}km、必要な速度 時速{:.0}km。{}",
                    d,
                    speed,
                    if declared { "移動先は届け出済み。" } else { "" }
                ),
                format!(
                    "Sign-in from {to_c} (IP {ip}) {mins} min after one from {from_c} (IP {from_ip}): about {:.0} km, needing {:.0} km/h.{}",
                    d,
                    speed,
                    if declared { " The destination is declared." } else { "" }
                ),
            );
        // The suspicious sign-in is the finding's time and first evidence; the earlier one follows.
        d_out.evidence.push(model::EvidenceRef {
            kind: "sign_in".into(),
            natural_id: prev.natural_id.clone(),
        });
        if !from_ip.is_empty() {
            d_out.ips.push(from_ip);
        }
        // `countries` names where the suspicious sign-in came from; the earlier country is in
        // the reason only, so the incident does not list the user's own country as the attacker's.
        if !declared {
            d_out = d_out.suspect(f.ip);
            d_out.risky_sign_in = true;
        }
        out.push(d_out);
    }
}
