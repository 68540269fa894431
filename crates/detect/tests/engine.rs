//! Engine behaviour: warm-up, stable ids, stream = batch, incident grouping and severity.

mod support;

use detect::{Config, Engine, ExpectedLocation};
use model::{Event, Severity};
use support::*;

fn cfg() -> Config {
    Config {
        domains: vec!["example.co.jp".into()],
        corporate: vec!["203.0.113.0/24".parse().expect("cidr")],
        vpn: vec!["198.51.100.0/25".parse().expect("cidr")],
        locations: vec![ExpectedLocation {
            user: "*".into(),
            country: "JP".into(),
            from: None,
            to: None,
            note: "本社".into(),
        }],
        ..Config::default()
    }
}

fn run(engine: Engine, events: &[Event]) -> (Vec<model::Finding>, Vec<model::Incident>) {
    let mut engine = engine;
    for e in events {
        engine.observe(e);
    }
    engine.finish()
}

fn takeover() -> Vec<Event> {
    let mut b = Builder::new("eng");
    b.history(USER, 0, 10)
        .sign_in(at(10, 0), USER, ATTACKER_IP, NEW_YORK, 0, "Authenticated SMTP", false)
        .audit(at(10, 5), USER, ATTACKER_IP, "MailItemsAccessed", serde_json::json!({"MailboxOwnerUPN": USER, "OperationProperties": {"MailAccessType": "Sync"}}))
        .cmdlet(at(10, 10), USER, ATTACKER_IP, "New-InboxRule", &[("Name", "."), ("MoveToFolder", "RSS フィード"), ("MarkAsRead", "True")]);
    for i in 0..40 {
        b.audit(
            at(10, 20 + i),
            USER,
            ATTACKER_IP,
            "Send",
            serde_json::json!({"SaveToSentItems": false, "Item": {"InternetMessageId": format!("<x{i}@example.co.jp>")}}),
        );
        b.trace(
            at(10, 20 + i),
            USER,
            &format!("v{i}@customer.example.jp"),
            "請求書",
            &format!("x{i}@example.co.jp"),
            Some(ATTACKER_IP),
        );
    }
    b.done()
}

#[test]
fn takeover_chain_is_one_critical_incident_with_counts() {
    let engine = Engine::new(cfg());
    let mut e = engine;
    for ev in &takeover() {
        e.observe(ev);
    }
    let r = e.finish_report();
    assert_eq!(r.incidents.len(), 1, "{:?}", r.incidents);
    let inc = &r.incidents[0];
    assert_eq!(inc.severity, Severity::Critical);
    assert_eq!(inc.attacker_ips, vec![ATTACKER_IP.to_string()]);
    assert_eq!(inc.countries, vec!["US".to_string()]);
    assert!(inc.summary_ja.contains("40通") && inc.summary_en.contains("Sent Items copy: 40"));
    assert_eq!(r.details[0].hidden_sends(), 40);
    assert!(
        r.findings
            .iter()
            .all(|f| f.incident_id.as_deref() == Some(inc.id.as_str()))
    );
}

#[test]
fn ids_are_stable_and_stream_equals_batch() {
    let events = takeover();
    let (a, ia) = run(Engine::new(cfg()), &events);
    // Stream: findings come out of observe/advance_to as they complete.
    let mut s = Engine::new(cfg());
    let mut streamed = Vec::new();
    for e in &events {
        streamed.extend(s.observe(e));
    }
    streamed.extend(s.advance_to(at(30, 0)));
    let (b, ib) = s.finish();
    let ids = |v: &[model::Finding]| {
        let mut x: Vec<String> = v.iter().map(|f| f.id.clone()).collect();
        x.sort();
        x
    };
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(
        ids(&a),
        ids(&streamed),
        "every finding was already streamed before finish"
    );
    assert_eq!(
        ia.iter().map(|i| &i.id).collect::<Vec<_>>(),
        ib.iter().map(|i| &i.id).collect::<Vec<_>>()
    );
}

#[test]
fn warm_up_builds_baselines_but_reports_nothing() {
    let events = takeover();
    let mut e = Engine::new(cfg()).with_since(at(11, 0));
    for ev in &events {
        assert!(e.observe(ev).is_empty());
    }
    let r = e.finish_report();
    assert!(r.findings.is_empty() && r.incidents.is_empty());
    assert!(r.stats.warm_up_findings > 0);
    assert_eq!(r.stats.warm_up_events, events.len() as u64);
}

#[test]
fn failed_spray_alone_is_a_medium_spray_incident() {
    let mut b = Builder::new("spr");
    for i in 0..8 {
        b.sign_in(
            at(5, i),
            &format!("u{i}@example.co.jp"),
            "192.0.2.88",
            BERLIN,
            50126,
            "Browser",
            false,
        );
    }
    let (f, inc) = run(Engine::new(cfg()), &b.done());
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].detection, "password_spray");
    assert_eq!(inc.len(), 1);
    assert_eq!(inc[0].severity, Severity::Medium);
    assert_eq!(inc[0].user, None);
    assert!(inc[0].summary_en.contains("no success seen"));
    assert!(f[0].reason_ja.contains("8アカウント") && f[0].reason_en.contains("not a compromise"));
}

#[test]
fn spray_then_success_is_high() {
    let mut b = Builder::new("sps");
    for i in 0..6 {
        b.sign_in(
            at(5, i),
            &format!("u{i}@example.co.jp"),
            "192.0.2.88",
            BERLIN,
            50126,
            "Browser",
            false,
        );
    }
    b.sign_in(
        at(5, 90),
        "u3@example.co.jp",
        "192.0.2.88",
        BERLIN,
        0,
        "Browser",
        false,
    );
    let (f, _) = run(Engine::new(cfg()), &b.done());
    assert!(f.iter().any(|x| x.detection == "password_spray"
        && x.severity == Severity::High
        && x.user.as_deref() == Some("u3@example.co.jp")));
}

#[test]
fn mild_anomalies_stay_low() {
    // Undeclared trip with MFA done (low), VPN egress abroad (nothing), a declared trip (nothing).
    let mut c = cfg();
    c.locations.push(ExpectedLocation {
        user: "sato@example.co.jp".into(),
        country: "US".into(),
        from: None,
        to: None,
        note: "出張".into(),
    });
    let events = Builder::new("mild")
        .history(USER, 0, 10)
        .history("sato@example.co.jp", 0, 10)
        .sign_in(
            at(10, 0),
            USER,
            "192.0.2.150",
            ("KR", 37.56, 126.97),
            0,
            "Browser",
            true,
        )
        .sign_in(at(12, 0), USER, VPN_IP, SINGAPORE, 0, "Browser", false)
        .sign_in(
            at(12, 0),
            "sato@example.co.jp",
            "192.0.2.151",
            NEW_YORK,
            0,
            "Browser",
            false,
        )
        .audit(
            at(12, 5),
            "sato@example.co.jp",
            "192.0.2.151",
            "MailItemsAccessed",
            serde_json::json!({}),
        )
        .done();
    let (f, inc) = run(Engine::new(c), &events);
    assert!(f.iter().all(|x| x.severity <= Severity::Low), "{f:?}");
    assert!(inc.iter().all(|i| i.severity <= Severity::Low));
    assert!(
        f.iter()
            .any(|x| x.detection == "new_country_sign_in" && x.countries == vec!["KR".to_string()])
    );
}

#[test]
fn other_tenants_are_skipped_and_counted() {
    let mut ev = takeover();
    for e in &mut ev {
        e.tenant = "other".into();
    }
    let mut e = Engine::new(cfg());
    for x in &ev {
        e.observe(x);
    }
    assert_eq!(e.stats().other_tenant, ev.len() as u64);
    assert!(e.finish().0.is_empty());
}
