//! GeoIP: a tiny `.mmdb` built with synth's MaxMind DB writer (dev-dependency) fills the
//! country of records without a location (audit log, message trace), while a sign-in's own
//! location wins; the config loads the database relative to `mimamori.toml`.

mod support;

use std::collections::BTreeMap;

use detect::facts::Facts;
use detect::{Config, GeoIp};
use synth::mmdb::{MmdbValue, MmdbWriter};

use support::*;

fn db() -> Vec<u8> {
    let mut w = MmdbWriter::new("GeoLite2-City", "mimamori detect test");
    let place = |cc: &str, lat: f64, lon: f64| {
        MmdbValue::map(vec![
            (
                "country",
                MmdbValue::map(vec![("iso_code", MmdbValue::s(cc))]),
            ),
            (
                "location",
                MmdbValue::Map(BTreeMap::from([
                    ("latitude".to_string(), MmdbValue::Double(lat)),
                    ("longitude".to_string(), MmdbValue::Double(lon)),
                ])),
            ),
        ])
    };
    let us = w.add_data(&place("US", 40.7, -74.0));
    let jp = w.add_data(&place("JP", 35.7, 139.7));
    w.insert("192.0.2.128".parse().expect("ip"), 25, us)
        .expect("insert");
    w.insert("192.0.2.0".parse().expect("ip"), 25, jp)
        .expect("insert");
    w.to_bytes(1_700_000_000)
}

#[test]
fn audit_records_get_a_country_and_the_log_location_wins() {
    let geo = GeoIp::from_bytes(db(), "test.mmdb".into()).expect("open");
    let hit = geo.lookup("192.0.2.200".parse().expect("ip")).expect("hit");
    assert_eq!(hit.country.as_deref(), Some("US"));
    assert!(geo.lookup("198.51.100.1".parse().expect("ip")).is_none());

    let cfg = Config {
        geoip: Some(std::sync::Arc::new(geo)),
        ..Config::default()
    };
    let audit = Builder::new("geo")
        .audit(
            at(1, 0),
            USER,
            ATTACKER_IP,
            "MailItemsAccessed",
            serde_json::json!({}),
        )
        .done();
    let f = Facts::derive(&audit[0], &cfg);
    assert_eq!(f.country.as_deref(), Some("US"));
    assert!(f.point_precise);
    // The sign-in says Berlin for an IP the database puts in the US: the log wins.
    let si = Builder::new("geo2")
        .sign_in(at(1, 0), USER, ATTACKER_IP, BERLIN, 0, "Browser", true)
        .done();
    let f = Facts::derive(&si[0], &cfg);
    assert_eq!(f.country.as_deref(), Some("DE"));
}

#[test]
fn config_loads_the_mmdb_next_to_the_toml() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("geoip.mmdb"), db()).expect("w");
    std::fs::write(
        dir.path().join("mimamori.toml"),
        "[geoip]\nmmdb = \"geoip.mmdb\"\n",
    )
    .expect("w");
    let cfg = Config::load(&dir.path().join("mimamori.toml")).expect("load");
    assert!(cfg.geoip.is_some());
    std::fs::write(
        dir.path().join("bad.toml"),
        "[geoip]\nmmdb = \"missing.mmdb\"\n",
    )
    .expect("w");
    let err = Config::load(&dir.path().join("bad.toml")).expect_err("missing mmdb");
    assert!(err.to_string().contains("missing.mmdb"));
}
