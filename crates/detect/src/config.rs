//! The tenant configuration: `mimamori.toml` and `expected_locations.csv`.
//!
//! Formats are the integrator's (see `notes/HELPERS.md`): `[tenant]` id/name/time_zone/domains,
//! `[network]` corporate/vpn CIDRs, `[geoip] mmdb`, `[apps] allowed`, `[locations] file`,
//! `[detect] lookback_days`. Paths are relative to the TOML file. A bad line in the locations CSV
//! is reported in [`Config::rejected`] and skipped; it does not abort loading.

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use model::RecordError;
use serde::Deserialize;

use crate::error::DetectError;
use crate::geo::GeoIp;
use crate::net::Cidr;

/// Everything the engine needs to know about one tenant.
#[derive(Debug, Clone)]
pub struct Config {
    /// Store tenant id (`[tenant] id`).
    pub tenant_id: String,
    /// Display name.
    pub tenant_name: String,
    /// IANA time zone name, for reports.
    pub time_zone: String,
    /// Internal mail domains, lower-case (forwarding to these is low severity).
    pub domains: Vec<String>,
    /// Corporate egress: trusted, never "new".
    pub corporate: Vec<Cidr>,
    /// Corporate VPN egress: may be abroad, never travel.
    pub vpn: Vec<Cidr>,
    /// Allow-listed app display names or ids, lower-case.
    pub allowed_apps: Vec<String>,
    /// Declared expected locations (secondments, trips).
    pub locations: Vec<ExpectedLocation>,
    /// How many days before `since` the pipeline loads to build baselines.
    pub lookback_days: u32,
    /// GeoIP database for records without a location.
    pub geoip: Option<Arc<GeoIp>>,
    /// Lines of the locations CSV that could not be read.
    pub rejected: Vec<RecordError>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            tenant_id: model::DEFAULT_TENANT.to_string(),
            tenant_name: String::new(),
            time_zone: "Asia/Tokyo".to_string(),
            domains: Vec::new(),
            corporate: Vec::new(),
            vpn: Vec::new(),
            allowed_apps: Vec::new(),
            locations: Vec::new(),
            lookback_days: 30,
            geoip: None,
            rejected: Vec::new(),
        }
    }
}

/// One row of `expected_locations.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedLocation {
    /// UPN (lower-case) or `*` for everyone.
    pub user: String,
    /// ISO alpha-2, upper-case.
    pub country: String,
    /// First day (inclusive), open when `None`.
    pub from: Option<NaiveDate>,
    /// Last day (inclusive), open when `None`.
    pub to: Option<NaiveDate>,
    /// Free text (出向, 出張 …).
    pub note: String,
}

/// Whether an IP is one of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkClass {
    /// Corporate egress.
    Corporate,
    /// Corporate VPN egress.
    Vpn,
    /// RFC 1918, loopback, link-local: says nothing about location.
    Private,
    /// Anything else.
    Public,
}

/// Sections other crates add to `mimamori.toml` (alerts, web …) are ignored here, not errors.
#[derive(Deserialize, Default)]
struct RawConfig {
    #[serde(default)]
    tenant: RawTenant,
    #[serde(default)]
    network: RawNetwork,
    #[serde(default)]
    geoip: RawGeoip,
    #[serde(default)]
    apps: RawApps,
    #[serde(default)]
    locations: RawLocations,
    #[serde(default)]
    detect: RawDetect,
}

#[derive(Deserialize, Default)]
struct RawTenant {
    id: Option<String>,
    name: Option<String>,
    time_zone: Option<String>,
    #[serde(default)]
    domains: Vec<String>,
}

#[derive(Deserialize, Default)]
struct RawNetwork {
    #[serde(default)]
    corporate: Vec<String>,
    #[serde(default)]
    vpn: Vec<String>,
}

#[derive(Deserialize, Default)]
struct RawGeoip {
    mmdb: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawApps {
    #[serde(default)]
    allowed: Vec<String>,
}

#[derive(Deserialize, Default)]
struct RawLocations {
    file: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawDetect {
    lookback_days: Option<u32>,
}

impl Config {
    /// Loads `mimamori.toml`, then the locations CSV and GeoIP database it names (relative to
    /// the TOML's folder).
    pub fn load(path: &Path) -> Result<Self, DetectError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| DetectError::Io {
            path: shown.clone(),
            source,
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::from_toml(&text, &base, &shown)
    }

    /// Parses TOML text; `base` resolves the relative file paths, `shown` names it in errors.
    pub fn from_toml(text: &str, base: &Path, shown: &str) -> Result<Self, DetectError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| DetectError::Config {
            path: shown.to_string(),
            reason: e.to_string(),
        })?;
        let cidrs = |list: &[String], key: &str| -> Result<Vec<Cidr>, DetectError> {
            list.iter()
                .map(|s| {
                    s.parse::<Cidr>().map_err(|reason| DetectError::Config {
                        path: shown.to_string(),
                        reason: format!("[network] {key}: {reason}"),
                    })
                })
                .collect()
        };
        let mut cfg = Config {
            tenant_id: raw
                .tenant
                .id
                .unwrap_or_else(|| model::DEFAULT_TENANT.to_string()),
            tenant_name: raw.tenant.name.unwrap_or_default(),
            time_zone: raw.tenant.time_zone.unwrap_or_else(|| "Asia/Tokyo".into()),
            domains: raw
                .tenant
                .domains
                .iter()
                .map(|d| d.trim().trim_start_matches('@').to_ascii_lowercase())
                .collect(),
            corporate: cidrs(&raw.network.corporate, "corporate")?,
            vpn: cidrs(&raw.network.vpn, "vpn")?,
            allowed_apps: raw
                .apps
                .allowed
                .iter()
                .map(|a| a.trim().to_lowercase())
                .collect(),
            lookback_days: raw.detect.lookback_days.unwrap_or(30),
            ..Config::default()
        };
        if let Some(file) = raw.locations.file {
            let p = resolve(base, &file);
            let text = std::fs::read_to_string(&p).map_err(|source| DetectError::Io {
                path: p.display().to_string(),
                source,
            })?;
            let (rows, rejected) = parse_locations(&text, &p.display().to_string())?;
            cfg.locations = rows;
            cfg.rejected = rejected;
        }
        if let Some(mmdb) = raw.geoip.mmdb {
            cfg.geoip = Some(Arc::new(GeoIp::open(&resolve(base, &mmdb))?));
        }
        Ok(cfg)
    }

    /// Classifies an IP against the corporate and VPN ranges.
    pub fn classify(&self, ip: IpAddr) -> NetworkClass {
        if self.corporate.iter().any(|c| c.contains(ip)) {
            NetworkClass::Corporate
        } else if self.vpn.iter().any(|c| c.contains(ip)) {
            NetworkClass::Vpn
        } else if is_private(ip) {
            NetworkClass::Private
        } else {
            NetworkClass::Public
        }
    }

    /// The declared location row that covers `user` in `country` on `day`, if any.
    pub fn expected(&self, user: &str, country: &str, day: NaiveDate) -> Option<&ExpectedLocation> {
        self.locations.iter().find(|l| {
            (l.user == "*" || l.user == user)
                && l.country == country
                && l.from.is_none_or(|f| f <= day)
                && l.to.is_none_or(|t| day <= t)
        })
    }

    /// True when some declaration applies to `user` (a personal row or a `*` row).
    pub fn has_declarations_for(&self, user: &str) -> bool {
        self.locations
            .iter()
            .any(|l| l.user == "*" || l.user == user)
    }

    /// True when `app` (display name or id) is allow-listed.
    pub fn app_allowed(&self, app: &str) -> bool {
        let a = app.trim().to_lowercase();
        self.allowed_apps.contains(&a)
    }

    /// True when `address` (or a bare domain) belongs to an internal domain.
    pub fn is_internal_address(&self, address: &str) -> bool {
        let a = address.trim().to_ascii_lowercase();
        let a = a.strip_prefix("smtp:").unwrap_or(&a);
        let domain = a.rsplit('@').next().unwrap_or(a);
        self.domains
            .iter()
            .any(|d| domain == d || domain.ends_with(&format!(".{d}")))
    }
}

fn resolve(base: &Path, file: &str) -> PathBuf {
    let p = Path::new(file);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_loopback() || v4.is_link_local(),
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
        }
    }
}

/// Parses `expected_locations.csv` (header exactly `user,country,from,to,note`). Returns the
/// good rows and one [`RecordError`] per bad line; a wrong header is an error for the file.
pub fn parse_locations(
    text: &str,
    shown: &str,
) -> Result<(Vec<ExpectedLocation>, Vec<RecordError>), DetectError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| DetectError::Config {
            path: shown.into(),
            reason: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header != ["user", "country", "from", "to", "note"] {
        return Err(DetectError::Config {
            path: shown.into(),
            reason: format!(
                "header must be `user,country,from,to,note`, found `{}`",
                header.join(",")
            ),
        });
    }
    let mut rows = Vec::new();
    let mut rejected = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let line = i as u64 + 2;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                rejected.push(RecordError::new(shown, line, e.to_string()));
                continue;
            }
        };
        match location_row(&rec) {
            Ok(row) => rows.push(row),
            Err(reason) => {
                tracing::warn!(file = shown, line, %reason, "expected location skipped");
                rejected.push(RecordError::new(shown, line, reason));
            }
        }
    }
    Ok((rows, rejected))
}

fn location_row(rec: &csv::StringRecord) -> Result<ExpectedLocation, String> {
    let get = |i: usize| rec.get(i).map(str::trim).unwrap_or("");
    let user = get(0).to_lowercase();
    if user.is_empty() {
        return Err("empty user (use `*` for everyone)".into());
    }
    let country = get(1).to_ascii_uppercase();
    if country.len() != 2 || !country.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!("country `{}` is not an ISO alpha-2 code", get(1)));
    }
    let date = |s: &str, col: &str| -> Result<Option<NaiveDate>, String> {
        if s.is_empty() {
            Ok(None)
        } else {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("{col} `{s}` is not YYYY-MM-DD"))
        }
    };
    let from = date(get(2), "from")?;
    let to = date(get(3), "to")?;
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(format!("to {t} is before from {f}"));
    }
    Ok(ExpectedLocation {
        user,
        country,
        from,
        to,
        note: get(4).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
[tenant]
id = "default"
name = "Example Manufacturing"
time_zone = "Asia/Tokyo"
domains = ["example.co.jp", "example.com.vn"]
[network]
corporate = ["203.0.113.0/24"]
vpn = ["198.51.100.0/25"]
[apps]
allowed = ["Microsoft Authenticator App"]
[locations]
file = "expected_locations.csv"
[detect]
lookback_days = 30
[alerts]
webhook = "https://example.invalid/hook"   # another crate's section: ignored here
"#;

    #[test]
    fn loads_the_shared_format() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("mimamori.toml"), TOML).expect("w");
        std::fs::write(
            dir.path().join("expected_locations.csv"),
            "user,country,from,to,note\n*,JP,,,本社\ntanaka@example.co.jp,VN,2025-01-01,,出向\nbad,USA,,,x\nsato@example.co.jp,US,2025-03-01,2025-03-05,出張\n",
        )
        .expect("w");
        let cfg = Config::load(&dir.path().join("mimamori.toml")).expect("load");
        assert_eq!(cfg.tenant_id, "default");
        assert_eq!(cfg.locations.len(), 3);
        assert_eq!(cfg.rejected.len(), 1);
        assert_eq!(cfg.rejected[0].record, 4);
        assert_eq!(
            cfg.classify("203.0.113.5".parse().expect("ip")),
            NetworkClass::Corporate
        );
        assert_eq!(
            cfg.classify("198.51.100.5".parse().expect("ip")),
            NetworkClass::Vpn
        );
        assert_eq!(
            cfg.classify("198.51.100.200".parse().expect("ip")),
            NetworkClass::Public
        );
        assert_eq!(
            cfg.classify("10.1.2.3".parse().expect("ip")),
            NetworkClass::Private
        );
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert!(
            cfg.expected("tanaka@example.co.jp", "VN", d("2025-06-01"))
                .is_some()
        );
        assert!(
            cfg.expected("sato@example.co.jp", "US", d("2025-03-06"))
                .is_none()
        );
        assert!(
            cfg.expected("anyone@example.co.jp", "JP", d("2025-03-06"))
                .is_some()
        );
        assert!(cfg.app_allowed("microsoft authenticator app"));
        assert!(cfg.is_internal_address("smtp:a@example.com.vn"));
        assert!(!cfg.is_internal_address("a@gmail.com"));
    }

    #[test]
    fn wrong_header_and_bad_cidr_are_errors_naming_the_file() {
        let err = parse_locations("name,country\n", "loc.csv").expect_err("header");
        assert!(err.to_string().contains("loc.csv"));
        let err = Config::from_toml("[network]\ncorporate=[\"x\"]\n", Path::new("."), "m.toml")
            .expect_err("cidr");
        assert!(err.to_string().contains("m.toml") && err.to_string().contains("corporate"));
    }
}
