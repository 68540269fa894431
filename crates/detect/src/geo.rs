//! Where an IP address is: the log's own location first, a MaxMind-format database second.
//!
//! Sign-in logs carry Microsoft's location; the unified audit log and the message trace do not,
//! so for those the engine looks the IP up in a `.mmdb` file (GeoLite2-City/Country, DB-IP lite,
//! or the one `synth` writes). Distances use the haversine great-circle formula, which is well
//! within the error of IP geolocation itself.

use std::net::IpAddr;
use std::path::Path;

use model::GeoPoint;
use serde::Deserialize;

use crate::error::DetectError;

/// A country code and coordinates for one IP.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoHit {
    /// ISO alpha-2 upper-case.
    pub country: Option<String>,
    /// Coordinates when the database has them (City databases do; Country ones do not).
    pub point: Option<GeoPoint>,
}

/// An opened MaxMind-format database.
pub struct GeoIp {
    reader: maxminddb::Reader<Vec<u8>>,
    path: String,
}

impl std::fmt::Debug for GeoIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeoIp").field("path", &self.path).finish()
    }
}

#[derive(Deserialize)]
struct MmdbRecord {
    country: Option<MmdbCountry>,
    registered_country: Option<MmdbCountry>,
    location: Option<MmdbLocation>,
}

#[derive(Deserialize)]
struct MmdbCountry {
    iso_code: Option<String>,
}

#[derive(Deserialize)]
struct MmdbLocation {
    latitude: Option<f64>,
    longitude: Option<f64>,
}

impl GeoIp {
    /// Opens a `.mmdb` file.
    pub fn open(path: &Path) -> Result<Self, DetectError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| DetectError::Io {
            path: shown.clone(),
            source,
        })?;
        Self::from_bytes(bytes, shown)
    }

    /// Opens a database already in memory (`name` is used in error messages).
    pub fn from_bytes(bytes: Vec<u8>, name: String) -> Result<Self, DetectError> {
        let reader = maxminddb::Reader::from_source(bytes).map_err(|e| DetectError::GeoIp {
            path: name.clone(),
            reason: e.to_string(),
        })?;
        Ok(GeoIp { reader, path: name })
    }

    /// Looks an IP up; `None` when the database has nothing for it or the record is unreadable.
    pub fn lookup(&self, ip: IpAddr) -> Option<GeoHit> {
        let result = self.reader.lookup(ip).ok()?;
        let rec: MmdbRecord = match result.decode() {
            Ok(Some(r)) => r,
            Ok(None) => return None,
            Err(e) => {
                tracing::debug!(%ip, error = %e, db = %self.path, "unreadable GeoIP record");
                return None;
            }
        };
        let country = rec
            .country
            .and_then(|c| c.iso_code)
            .or_else(|| rec.registered_country.and_then(|c| c.iso_code))
            .map(|c| c.to_ascii_uppercase());
        let point = rec.location.and_then(|l| match (l.latitude, l.longitude) {
            (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
            _ => None,
        });
        if country.is_none() && point.is_none() {
            return None;
        }
        Some(GeoHit { country, point })
    }
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: GeoPoint, b: GeoPoint) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

/// A rough centre for countries that matter to the tenants we serve, used when a log names a
/// country but no coordinates (portal CSV, UAL + Country-only database). Error is absorbed by
/// the travel tolerance.
pub fn country_centroid(cc: &str) -> Option<GeoPoint> {
    let (lat, lon) = match cc {
        "JP" => (36.2, 138.3),
        "VN" => (16.0, 107.8),
        "US" => (39.8, -98.6),
        "CN" => (35.9, 104.2),
        "KR" => (36.5, 127.9),
        "TW" => (23.7, 121.0),
        "TH" => (15.9, 100.9),
        "SG" => (1.35, 103.8),
        "PH" => (12.9, 121.8),
        "ID" => (-2.5, 118.0),
        "MY" => (4.2, 101.9),
        "IN" => (21.0, 78.0),
        "DE" => (51.2, 10.4),
        "GB" => (54.0, -2.0),
        "FR" => (46.6, 2.2),
        "NL" => (52.1, 5.3),
        "RU" => (61.5, 105.3),
        "BR" => (-14.2, -51.9),
        "AU" => (-25.3, 133.8),
        "CA" => (56.1, -106.3),
        "MX" => (23.6, -102.5),
        "NG" => (9.1, 8.7),
        _ => return None,
    };
    Some(GeoPoint { lat, lon })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokyo_to_hanoi_is_about_3700_km() {
        let tokyo = GeoPoint {
            lat: 35.68,
            lon: 139.69,
        };
        let hanoi = GeoPoint {
            lat: 21.03,
            lon: 105.85,
        };
        let d = distance_km(tokyo, hanoi);
        assert!((3600.0..3800.0).contains(&d), "{d}");
        assert!(distance_km(tokyo, tokyo) < 0.001);
    }

    #[test]
    fn garbage_is_not_a_database() {
        let err = GeoIp::from_bytes(b"not an mmdb".to_vec(), "x.mmdb".into()).expect_err("bad");
        assert!(err.to_string().contains("x.mmdb"));
    }
}
