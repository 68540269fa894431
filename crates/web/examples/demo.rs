//! Serves the dashboard over a small synthetic case, for looking at the pages and taking
//! screenshots: `cargo run -p web --example demo -- [127.0.0.1:8090]`, then log in as `demo` /
//! `demo-password-1` (or the `MIMAMORI_ADMIN_PASSWORD` admin).
//!
//! The data is made up here: a user in Tokyo then Ho Chi Minh City, one sign-in from a US IP
//! with a hostile user agent, and a burst of 300 SMTP AUTH sends on the incident day. Names and
//! addresses are synthetic (example.co.jp, documentation IP ranges).

use std::net::SocketAddr;

use chrono::{Duration, TimeZone as _, Utc};
use model::{
    Direction, Event, EventKind, EvidenceRef, Finding, GeoPoint, Incident, Location, MessageTrace,
    Provenance, Severity, SignIn,
};
use store::{SqliteStore, Store as _};

const VICTIM: &str = "sato.hanako@example.co.jp";

fn event(id: String, time: chrono::DateTime<Utc>, kind: EventKind) -> Event {
    Event {
        tenant: "default".into(),
        natural_id: id,
        time,
        provenance: Provenance {
            file: "demo/export.json".into(),
            record: 1,
            format: "demo".into(),
        },
        raw: "{}".into(),
        kind,
    }
}

fn sign_in(
    i: u32,
    time: chrono::DateTime<Utc>,
    ip: &str,
    city: &str,
    cc: &str,
    geo: (f64, f64),
    ua: &str,
) -> Event {
    event(
        format!("s-{i}"),
        time,
        EventKind::SignIn(Box::new(SignIn {
            user_principal_name: Some(VICTIM.into()),
            app_display_name: Some("Office 365 Exchange Online".into()),
            client_app_used: Some(
                if cc == "US" {
                    "Authenticated SMTP"
                } else {
                    "Browser"
                }
                .into(),
            ),
            ip_address: ip.parse().ok(),
            location: Location {
                city: Some(city.into()),
                state: None,
                country: Some(cc.into()),
                geo: Some(GeoPoint {
                    lat: geo.0,
                    lon: geo.1,
                }),
            },
            user_agent: Some(ua.into()),
            error_code: Some(0),
            ..SignIn::default()
        })),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listen: SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8090".into())
        .parse()?;
    let dir = std::env::temp_dir().join(format!("mimamori-web-demo-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("case"))?;
    let db = dir.join("mimamori.db");
    let day = Utc
        .with_ymd_and_hms(2025, 6, 12, 0, 0, 0)
        .single()
        .ok_or("date")?;
    let mut events = Vec::new();
    for d in 0..20u32 {
        let t = day - Duration::days(20 - i64::from(d)) + Duration::hours(1);
        let (ip, city, cc, geo) = if d < 10 {
            ("203.0.113.10", "Tokyo", "JP", (35.68, 139.69))
        } else {
            ("198.51.100.20", "Ho Chi Minh City", "VN", (10.82, 106.63))
        };
        events.push(sign_in(
            d,
            t,
            ip,
            city,
            cc,
            geo,
            "Mozilla/5.0 (Windows NT 10.0) Edge/120",
        ));
        for k in 0..3u32 {
            events.push(trace(
                d * 10 + k,
                t + Duration::hours(i64::from(k)),
                "partner@vendor.example",
            ));
        }
    }
    events.push(sign_in(
        99,
        day + Duration::hours(2),
        "192.0.2.66",
        "Ashburn",
        "US",
        (39.04, -77.49),
        "<script>alert(1)</script> python-requests/2.31",
    ));
    for k in 0..300u32 {
        events.push(trace(
            1000 + k,
            day + Duration::hours(3) + Duration::seconds(i64::from(k) * 20),
            "customer@buyer.example",
        ));
    }
    let mut store = SqliteStore::open(&db)?;
    store.insert_events(&events)?;
    let finding = |id: &str, det: &str, sev, t, ja: &str, en: &str, ev: Vec<EvidenceRef>| Finding {
        id: id.into(),
        tenant: "default".into(),
        incident_id: Some("inc-demo".into()),
        detection: det.into(),
        severity: sev,
        user: Some(VICTIM.into()),
        time: t,
        ips: vec!["192.0.2.66".into()],
        countries: vec!["US".into()],
        attack: vec!["T1078.004".into()],
        reason_ja: ja.into(),
        reason_en: en.into(),
        evidence: ev,
    };
    let findings = vec![
        finding(
            "f1",
            "impossible_travel",
            Severity::High,
            day + Duration::hours(2),
            "ベトナム滞在中の利用者が米国IP 192.0.2.66 からサインインしました。",
            "A user staying in Vietnam signed in from US IP 192.0.2.66.",
            vec![EvidenceRef {
                kind: "sign_in".into(),
                natural_id: "s-99".into(),
            }],
        ),
        finding(
            "f2",
            "smtp_auth_burst",
            Severity::Critical,
            day + Duration::hours(3),
            "SMTP AUTH で300通を送信しました(送信済みアイテムにはありません)。",
            "300 messages sent over SMTP AUTH (not in Sent Items).",
            vec![EvidenceRef {
                kind: "message_trace".into(),
                natural_id: "t-1000".into(),
            }],
        ),
    ];
    let incident = Incident {
        id: "inc-demo".into(),
        tenant: "default".into(),
        user: Some(VICTIM.into()),
        severity: Severity::Critical,
        first_seen: day + Duration::hours(2),
        last_seen: day + Duration::hours(5),
        detections: vec!["impossible_travel".into(), "smtp_auth_burst".into()],
        attacker_ips: vec!["192.0.2.66".into()],
        countries: vec!["US".into()],
        summary_ja: "アカウント乗っ取りとフィッシングメール大量送信".into(),
        summary_en: "Account takeover and a phishing mail burst".into(),
        findings: vec!["f1".into(), "f2".into()],
    };
    store.replace_findings("default", &findings, &[incident])?;
    drop(store);
    std::fs::write(dir.join("case/report.md"), "# 報告書(デモ)\n")?;
    let users = dir.join("users.json");
    web::add_user(&users, "demo", "demo-password-1")?;
    let mut opts = web::ServeOptions::new(db);
    opts.listen = listen;
    opts.users_file = users;
    opts.case_dir = Some(dir.join("case"));
    eprintln!(
        "demo data in {}; http://{listen}/ (demo / demo-password-1)",
        dir.display()
    );
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(web::serve(opts))?;
    Ok(())
}

fn trace(i: u32, time: chrono::DateTime<Utc>, to: &str) -> Event {
    event(
        format!("t-{i}"),
        time,
        EventKind::MessageTrace(Box::new(MessageTrace {
            sender_address: VICTIM.into(),
            recipient_address: to.into(),
            subject: Some("\"><img src=x onerror=alert(1)> ご請求書の送付".into()),
            status: Some("Delivered".into()),
            direction: Some(Direction::Outbound),
            ..MessageTrace::default()
        })),
    )
}
