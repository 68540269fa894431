//! The tenant configuration the generator writes next to the exports: `mimamori.toml` (format
//! fixed by the integrator, parsed by crates/detect) and `expected_locations.csv`
//! (`user,country,from,to,note`).

use crate::plan::Plan;
use crate::tenant::{DOMAIN_JP, DOMAIN_VN, Site, TENANT_NAME, Tenant, VICTIM};
use crate::writers::csv_line;

/// The `mimamori.toml` text.
pub(crate) fn mimamori_toml() -> String {
    format!(
        r#"# Synthetic tenant written by `mimamori generate` (crates/synth).
[tenant]
id = "default"
name = "{TENANT_NAME}"
time_zone = "Asia/Tokyo"
domains = ["{DOMAIN_JP}", "{DOMAIN_VN}"]

[network]
corporate = ["203.0.113.0/24"]
vpn = ["198.51.100.0/25"]

[geoip]
mmdb = "geoip.mmdb"

[apps]
allowed = ["Microsoft Authenticator App"]

[locations]
file = "expected_locations.csv"

[detect]
lookback_days = 30
"#
    )
}

/// The `expected_locations.csv` text: everyone in Japan, the subsidiary staff and the seconded
/// employee in Vietnam, and the declared business trips. The undeclared trip is left out on
/// purpose.
pub(crate) fn expected_locations(tenant: &Tenant, plan: &Plan) -> String {
    let mut s = csv_line(&["user", "country", "from", "to", "note"], false);
    s.push_str(&csv_line(&["*", "JP", "", "", "本社・国内拠点"], false));
    let victim = &tenant.users[VICTIM];
    s.push_str(&csv_line(
        &[
            victim.upn.as_str(),
            "VN",
            &plan.secondment_from.format("%Y-%m-%d").to_string(),
            "",
            "出向（ハノイ現地法人）",
        ],
        false,
    ));
    for u in &tenant.users {
        if u.site == Site::HanoiSubsidiary {
            s.push_str(&csv_line(
                &[u.upn.as_str(), "VN", "", "", "ベトナム現地法人"],
                false,
            ));
        }
    }
    for t in plan.trips.iter().filter(|t| t.declared) {
        s.push_str(&csv_line(
            &[
                tenant.users[t.user].upn.as_str(),
                t.country,
                &t.from.format("%Y-%m-%d").to_string(),
                &t.to.format("%Y-%m-%d").to_string(),
                "出張",
            ],
            false,
        ));
    }
    s
}
