//! Request tests: the whole router over a temporary SQLite store, driven with
//! `tower::ServiceExt::oneshot`. This file holds the fixture and the request helpers; `auth`
//! tests the gate (login flow, redirects, CSRF, headers, Host, listen address), `pages` the
//! content (escaping, incident chain, downloads, scope masking).

mod auth;
mod pages;

use std::net::IpAddr;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Duration, TimeZone as _, Utc};
use model::{
    Direction, Event, EventKind, EvidenceRef, Finding, GeoPoint, Incident, Location, MailEnvelope,
    MessageTrace, Provenance, Severity, SignIn,
};
use store::{SqliteStore, Store as _};
use tower::ServiceExt as _;

use crate::{AppState, UserDb, router};

const USER: &str = "analyst";
const PASSWORD: &str = "correct horse battery";
const VICTIM: &str = "victim@example.co.jp";
const ATTACKER_IP: &str = "192.0.2.66";
pub(crate) const XSS_UA: &str = "<script>alert(1)</script>";
pub(crate) const XSS_SUBJECT: &str = "\"><img src=x onerror=alert(1)>請求書";

fn at(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 12, 0, 0, 0)
        .single()
        .expect("valid")
        + Duration::minutes(h)
}

fn event(natural_id: &str, time: DateTime<Utc>, kind: EventKind) -> Event {
    Event {
        tenant: "default".into(),
        natural_id: natural_id.into(),
        time,
        provenance: Provenance {
            file: "exports/<b>signins</b>.json".into(),
            record: 7,
            format: "test".into(),
        },
        raw: "{}".into(),
        kind,
    }
}

fn sign_in(
    id: &str,
    time: DateTime<Utc>,
    ip: &str,
    geo: (f64, f64),
    country: &str,
    ua: &str,
) -> Event {
    event(
        id,
        time,
        EventKind::SignIn(Box::new(SignIn {
            user_principal_name: Some(VICTIM.into()),
            app_display_name: Some("Office 365 Exchange Online".into()),
            client_app_used: Some("Authenticated SMTP".into()),
            ip_address: ip.parse::<IpAddr>().ok(),
            location: Location {
                city: Some("Somewhere".into()),
                state: None,
                country: Some(country.into()),
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

fn trace(id: &str, time: DateTime<Utc>) -> Event {
    event(
        id,
        time,
        EventKind::MessageTrace(Box::new(MessageTrace {
            sender_address: VICTIM.into(),
            recipient_address: "tanaka.ichiro@partner.example".into(),
            subject: Some(XSS_SUBJECT.into()),
            status: Some("Delivered".into()),
            from_ip: ATTACKER_IP.parse().ok(),
            direction: Some(Direction::Outbound),
            ..MessageTrace::default()
        })),
    )
}

/// Fills a store: a normal and an attacker sign-in, a burst of 30 outbound messages, a mailbox
/// item with a spoofed display name, and one finding grouped into one incident.
fn fill(store: &mut SqliteStore) {
    let mut events = vec![
        sign_in(
            "s-normal",
            at(-600),
            "203.0.113.10",
            (35.68, 139.69),
            "JP",
            "Mozilla/5.0 Outlook",
        ),
        sign_in(
            "s-attacker",
            at(0),
            ATTACKER_IP,
            (40.71, -74.0),
            "US",
            XSS_UA,
        ),
        event(
            "m-1",
            at(20),
            EventKind::Mail(Box::new(MailEnvelope {
                mailbox: Some(VICTIM.into()),
                folder: Some("受信トレイ".into()),
                from_name: Some("<i>田中</i>".into()),
                subject: Some(XSS_SUBJECT.into()),
                ..MailEnvelope::default()
            })),
        ),
    ];
    for i in 0..30 {
        events.push(trace(&format!("t-{i}"), at(30 + i)));
    }
    store.insert_events(&events).expect("insert");
    let finding = Finding {
        id: "f-1".into(),
        tenant: "default".into(),
        incident_id: Some("inc-1".into()),
        detection: "foreign_sign_in".into(),
        severity: Severity::High,
        user: Some(VICTIM.into()),
        time: at(0),
        ips: vec![ATTACKER_IP.into()],
        countries: vec!["US".into()],
        attack: vec!["T1078.004".into()],
        reason_ja: "米国からのサインイン <script>x</script>".into(),
        reason_en: "Sign-in from the US".into(),
        evidence: vec![
            EvidenceRef {
                kind: "sign_in".into(),
                natural_id: "s-attacker".into(),
            },
            EvidenceRef {
                kind: "message_trace".into(),
                natural_id: "t-0".into(),
            },
            EvidenceRef {
                kind: "sign_in".into(),
                natural_id: "gone".into(),
            },
        ],
    };
    let burst = Finding {
        id: "f-2".into(),
        detection: "outbound_send_burst".into(),
        time: at(30),
        reason_ja: "30通を送信".into(),
        reason_en: "30 messages sent".into(),
        evidence: (0..30)
            .map(|i| EvidenceRef {
                kind: "message_trace".into(),
                natural_id: format!("t-{i}"),
            })
            .collect(),
        ..finding.clone()
    };
    let incident = Incident {
        id: "inc-1".into(),
        tenant: "default".into(),
        user: Some(VICTIM.into()),
        severity: Severity::Critical,
        first_seen: at(0),
        last_seen: at(59),
        detections: vec!["foreign_sign_in".into()],
        attacker_ips: vec![ATTACKER_IP.into()],
        countries: vec!["US".into()],
        summary_ja: "アカウント乗っ取り".into(),
        summary_en: "Account takeover".into(),
        findings: vec!["f-1".into(), "f-2".into()],
    };
    store
        .replace_findings("default", &[finding, burst], &[incident])
        .expect("findings");
}

/// A router over a filled store, with `case/` holding a few report files.
pub(crate) struct TestApp {
    pub app: Router,
    pub dir: tempfile::TempDir,
}

pub(crate) fn test_app() -> TestApp {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = SqliteStore::open(dir.path().join("mimamori.db")).expect("open");
    fill(&mut store);
    let case = dir.path().join("case");
    std::fs::create_dir(&case).expect("case");
    std::fs::write(case.join("report.md"), "# 報告書\n").expect("write");
    std::fs::write(case.join("findings.jsonl"), "{}\n").expect("write");
    std::fs::write(case.join("notes.txt"), "private").expect("write");
    std::fs::write(dir.path().join("secret.txt"), "outside").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("secret.txt"), case.join("report.html"))
        .expect("symlink");
    let mut users = UserDb::new();
    users.insert_password(USER, PASSWORD).expect("user");
    let state = AppState::new(Box::new(store), users, Some(case), None);
    TestApp {
        app: router(state),
        dir,
    }
}

pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

pub(crate) async fn send(app: &Router, req: Request<Body>) -> Answer {
    let res = app.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024 * 1024)
        .await
        .expect("body");
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub(crate) async fn get(app: &Router, path: &str, cookie: Option<&str>) -> Answer {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::empty()).expect("request")).await
}

pub(crate) async fn post(app: &Router, path: &str, cookie: Option<&str>, form: &str) -> Answer {
    let mut req =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(
        app,
        req.body(Body::from(form.to_string())).expect("request"),
    )
    .await
}

/// `name=value` of the first `Set-Cookie` for `name`.
pub(crate) fn cookie(a: &Answer, name: &str) -> Option<String> {
    a.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
}

/// The CSRF token of the first form on a page.
pub(crate) fn csrf_of(body: &str) -> String {
    let start = body.find("name=\"csrf\" value=\"").expect("csrf field") + 19;
    body[start..start + 64].to_string()
}

fn login_form(csrf: &str, password: &str) -> String {
    format!(
        "username={USER}&password={}&csrf={csrf}",
        password.replace(' ', "+")
    )
}

/// Logs in; returns the session cookie (`mimamori_session=…`).
pub(crate) async fn login(app: &Router) -> String {
    let page = get(app, "/login", None).await;
    let anon = cookie(&page, "mimamori_session").expect("anonymous session");
    let res = post(
        app,
        "/login",
        Some(&anon),
        &login_form(&csrf_of(&page.body), PASSWORD),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    cookie(&res, "mimamori_session").expect("session cookie")
}
