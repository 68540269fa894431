//! Engine throughput over generated events built in memory: a tenant of 500 users, each day a
//! few browser sign-ins with MFA, non-interactive token refreshes, mailbox reads, message-trace
//! rows and SharePoint downloads, plus one takeover. Reports events/s (criterion throughput).

use std::hint::black_box;

use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use detect::{Config, Engine};
use model::{
    AuditRecord, Event, EventKind, GeoPoint, Location, MessageTrace, Provenance, SignIn, SignInKind,
};
use serde_json::json;

fn events(users: usize, days: i64) -> Vec<Event> {
    let t0 = Utc
        .with_ymd_and_hms(2025, 5, 1, 0, 0, 0)
        .single()
        .expect("time");
    let mut v = Vec::new();
    let mut n = 0u64;
    let mut push = |t, kind| {
        n += 1;
        v.push(Event {
            tenant: "default".into(),
            natural_id: format!("b{n}"),
            time: t,
            provenance: Provenance {
                file: "bench".into(),
                record: n,
                format: "bench".into(),
            },
            raw: "{}".into(),
            kind,
        });
    };
    for d in 0..days {
        for u in 0..users {
            let user = format!("user{u}@example.co.jp");
            let ip = format!("10.{}.{}.{}", 1 + u / 250, u % 250, 1 + (d % 3))
                .parse()
                .ok();
            let home = format!("192.0.{}.{}", 2 + u % 200, 1 + (d % 7))
                .parse()
                .ok();
            for k in 0..6 {
                let t = t0 + Duration::days(d) + Duration::minutes(30 + (u as i64 % 300) + k * 60);
                let s = SignIn {
                    sign_in_kind: Some(if k == 0 {
                        SignInKind::Interactive
                    } else {
                        SignInKind::NonInteractive
                    }),
                    user_principal_name: Some(user.clone()),
                    app_display_name: Some("OfficeHome".into()),
                    ip_address: if k % 2 == 0 { ip } else { home },
                    location: Location {
                        country: Some("JP".into()),
                        geo: Some(GeoPoint {
                            lat: 35.7,
                            lon: 139.7,
                        }),
                        ..Location::default()
                    },
                    client_app_used: Some("Browser".into()),
                    error_code: Some(if k == 5 && u % 17 == 0 { 50126 } else { 0 }),
                    authentication_requirement: Some("multiFactorAuthentication".into()),
                    ..SignIn::default()
                };
                push(t, EventKind::SignIn(Box::new(s)));
                let a = AuditRecord {
                    operation: if k % 3 == 0 {
                        "FileDownloaded".into()
                    } else {
                        "MailItemsAccessed".into()
                    },
                    user_id: Some(user.clone()),
                    client_ip: home,
                    data: json!({"OperationProperties": {"MailAccessType": "Bind"}, "OperationCount": 3}),
                    ..AuditRecord::default()
                };
                push(t + Duration::minutes(2), EventKind::Audit(Box::new(a)));
                let m = MessageTrace {
                    message_id: Some(format!("m{d}-{u}-{k}@example.co.jp")),
                    sender_address: user.clone(),
                    recipient_address: format!("partner{}@partner.example.jp", k),
                    subject: Some("打合せ".into()),
                    ..MessageTrace::default()
                };
                push(
                    t + Duration::minutes(3),
                    EventKind::MessageTrace(Box::new(m)),
                );
            }
        }
    }
    v.sort_by_key(|e| e.time);
    v
}

fn bench(c: &mut Criterion) {
    let evs = events(500, 7);
    let cfg = Config {
        domains: vec!["example.co.jp".into()],
        ..Config::default()
    };
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(evs.len() as u64));
    g.sample_size(10);
    g.bench_function(format!("observe_{}_events", evs.len()), |b| {
        b.iter(|| {
            let mut e = Engine::new(cfg.clone());
            for ev in &evs {
                black_box(e.observe(ev));
            }
            black_box(e.finish())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
