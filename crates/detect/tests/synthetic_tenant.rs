//! End to end over a generated tenant: synth writes the exports, normalize reads them, the
//! engine runs over the time-sorted events, and the result is scored against
//! `ground_truth.json`: the 2025 takeover is exactly one critical incident with the right user,
//! attacker IPs, first malicious sign-in and hidden-send count; the spray is a spray; nothing
//! else is high or critical.
//!
//! Size: `MIMAMORI_E2E_USERS` / `MIMAMORI_E2E_DAYS` (default 40 users × 21 days so `cargo test`
//! stays quick; the acceptance size is 120 × 60).

use std::collections::HashSet;

use chrono::Duration;
use detect::{Config, Engine};
use model::{Event, Severity};

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn load(dir: &std::path::Path) -> Vec<Event> {
    let mut sink = normalize::VecSink::default();
    normalize::read_path(dir, &normalize::ReadOptions::default(), &mut sink).expect("read exports");
    // The store keeps each record once by natural id; do the same.
    let mut seen = HashSet::new();
    let mut events: Vec<Event> = sink
        .events
        .into_iter()
        .filter(|e| seen.insert((e.kind.name(), e.natural_id.clone())))
        .collect();
    events.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then_with(|| a.natural_id.cmp(&b.natural_id))
    });
    events
}

#[test]
fn replayed_incident_is_one_critical_incident_and_nothing_else_is_high() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut opts = synth::GenerateOptions::new(dir.path());
    opts.users = env_num("MIMAMORI_E2E_USERS", 40) as usize;
    opts.days = env_num("MIMAMORI_E2E_DAYS", 21) as u32;
    opts.mailbox = false;
    let truth = synth::generate(&opts).expect("generate");
    let cfg = Config::load(&dir.path().join("mimamori.toml")).expect("config");
    assert!(cfg.geoip.is_some(), "synth writes a geoip.mmdb");
    let events = load(dir.path());
    assert!(events.len() > 1000, "only {} events", events.len());

    let look_back = i64::from(cfg.lookback_days).min(i64::from(opts.days / 2));
    let since = truth.period_start + Duration::days(look_back);
    // As `investigate` runs it (look-back window before `since`), and as `detect` runs it today
    // (every stored event reported).
    for since in [Some(since), None] {
        let mut engine = Engine::new(cfg.clone());
        if let Some(s) = since {
            engine = engine.with_since(s);
        }
        for e in &events {
            engine.observe(e);
        }
        check(&engine.finish_report(), &truth);
    }
}

fn check(report: &detect::Report, truth: &synth::GroundTruth) {
    for i in &report.incidents {
        eprintln!(
            "{} {:?} {:?} {:?}\n  {}",
            i.severity.as_str(),
            i.user,
            i.detections,
            i.attacker_ips,
            i.summary_en
        );
    }
    let critical: Vec<_> = report
        .incidents
        .iter()
        .filter(|i| i.severity == Severity::Critical)
        .collect();
    assert_eq!(critical.len(), 1, "exactly one critical incident");
    let inc = critical[0];
    assert_eq!(inc.user.as_deref(), Some(truth.victim.upn.as_str()));
    for ip in &truth.attacker.ips {
        assert!(
            inc.attacker_ips.contains(ip),
            "attacker IP {ip} named in {:?}",
            inc.attacker_ips
        );
    }
    assert!(inc.countries.contains(&truth.attacker.country));
    let detail = report
        .details
        .iter()
        .find(|d| d.incident_id == inc.id)
        .expect("detail");
    assert!(detail.takeover_chain);
    // normalize prefixes natural ids with the record family (`signin:<id>`).
    let first = detail
        .first_malicious
        .as_ref()
        .expect("first malicious event");
    assert!(
        first.natural_id.ends_with(&truth.attacker.first_sign_in_id),
        "first malicious sign-in {} vs {}",
        first.natural_id,
        truth.attacker.first_sign_in_id
    );
    assert_eq!(
        detail.first_malicious_time,
        Some(truth.attacker.first_sign_in_time)
    );
    assert_eq!(
        detail.hidden_sends(),
        truth.hidden_sends.count as u64,
        "hidden-send count"
    );
    assert!(
        inc.summary_ja
            .contains(&truth.hidden_sends.count.to_string())
    );

    // The spray: reported as a spray (its own incident, not high), naming the source.
    let spray: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.detection == "password_spray")
        .collect();
    assert!(!spray.is_empty(), "spray reported");
    assert!(
        spray
            .iter()
            .all(|f| f.severity == Severity::Medium && f.ips.contains(&truth.spray.source_ip))
    );

    // Nothing else is high or critical.
    for i in &report.incidents {
        if i.id != inc.id {
            assert!(
                i.severity < Severity::High,
                "unexpected {} incident: {}",
                i.severity.as_str(),
                i.summary_en
            );
        }
    }
    for f in &report.findings {
        if f.incident_id.as_deref() != Some(inc.id.as_str()) {
            assert!(
                f.severity < Severity::High,
                "unexpected {} finding {}: {}",
                f.severity.as_str(),
                f.detection,
                f.reason_en
            );
        }
    }
}
