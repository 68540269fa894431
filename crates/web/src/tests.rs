//! Request tests: the whole router over a temporary SQLite store, driven with
//! `tower::ServiceExt::oneshot` (login flow, the login gate, CSRF, escaping, headers, downloads).

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

#[tokio::test]
async fn unauthenticated_requests_are_sent_to_login() {
    let t = test_app();
    for path in [
        "/",
        "/incidents",
        "/incidents/inc-1",
        "/users/victim%40example.co.jp",
        "/map",
        "/scope",
        "/reports",
        "/reports/report.md",
        "/no-such-page",
    ] {
        let res = get(&t.app, path, None).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(res.headers[header::LOCATION], "/login", "{path}");
        assert!(!res.body.contains("victim"), "{path} leaked content");
    }
    let forged = get(
        &t.app,
        "/incidents",
        Some(&format!("mimamori_session={}", "a".repeat(64))),
    )
    .await;
    assert_eq!(forged.status, StatusCode::SEE_OTHER);
    let logout = post(&t.app, "/logout", None, "csrf=x").await;
    assert_eq!(logout.status, StatusCode::SEE_OTHER);
    // The login form and the stylesheet are public.
    assert_eq!(get(&t.app, "/login", None).await.status, StatusCode::OK);
    let css = get(&t.app, "/static/style.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .expect("ct")
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn login_flow_rotates_session_and_logout_ends_it() {
    let t = test_app();
    let page = get(&t.app, "/login", None).await;
    assert!(page.body.contains("id=\"login-form\""));
    assert!(page.body.contains("name=\"username\"") && page.body.contains("name=\"password\""));
    let set = page.headers[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let anon = cookie(&page, "mimamori_session").expect("anon");
    assert_eq!(anon.len(), "mimamori_session=".len() + 64);
    let csrf = csrf_of(&page.body);

    let wrong = post(
        &t.app,
        "/login",
        Some(&anon),
        &login_form(&csrf, "wrong password!"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("id=\"login-error\""));
    assert!(cookie(&wrong, "mimamori_session").is_none());
    // The anonymous session is not logged in.
    assert_eq!(
        get(&t.app, "/incidents", Some(&anon)).await.status,
        StatusCode::SEE_OTHER
    );

    let ok = post(&t.app, "/login", Some(&anon), &login_form(&csrf, PASSWORD)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.headers[header::LOCATION], "/incidents");
    let session = cookie(&ok, "mimamori_session").expect("session");
    assert_ne!(session, anon, "session id must change at login");
    assert_eq!(
        get(&t.app, "/incidents", Some(&anon)).await.status,
        StatusCode::SEE_OTHER
    );

    let list = get(&t.app, "/incidents", Some(&session)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body
            .contains("class=\"incident-row\" href=\"/incidents/inc-1\""),
        "{}",
        list.body
    );
    assert!(
        list.body.contains("2025-06-12 09:00:00 +09:00"),
        "first seen in Tokyo time"
    );
    assert!(list.body.contains(ATTACKER_IP));

    let logout_csrf = csrf_of(&list.body);
    let out = post(
        &t.app,
        "/logout",
        Some(&session),
        &format!("csrf={logout_csrf}"),
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .expect("c")
            .contains("Max-Age=0")
    );
    assert_eq!(
        get(&t.app, "/incidents", Some(&session)).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn posts_without_the_right_csrf_token_are_rejected() {
    let t = test_app();
    let page = get(&t.app, "/login", None).await;
    let anon = cookie(&page, "mimamori_session").expect("anon");
    let csrf = csrf_of(&page.body);
    // Right password, wrong / missing token, or no session cookie at all.
    let bad = post(
        &t.app,
        "/login",
        Some(&anon),
        &login_form(&"0".repeat(64), PASSWORD),
    )
    .await;
    assert_eq!(bad.status, StatusCode::FORBIDDEN);
    assert!(cookie(&bad, "mimamori_session").is_none());
    let missing = post(
        &t.app,
        "/login",
        Some(&anon),
        &format!("username={USER}&password=correct+horse+battery"),
    )
    .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let no_cookie = post(&t.app, "/login", None, &login_form(&csrf, PASSWORD)).await;
    assert_eq!(no_cookie.status, StatusCode::FORBIDDEN);

    let session = login(&t.app).await;
    let forged = post(&t.app, "/logout", Some(&session), "csrf=abc").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // The session survives the forged logout.
    assert_eq!(
        get(&t.app, "/incidents", Some(&session)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn attacker_strings_are_escaped_everywhere() {
    let t = test_app();
    let session = login(&t.app).await;
    for path in ["/incidents/inc-1", "/users/victim%40example.co.jp", "/map"] {
        let page = get(&t.app, path, Some(&session)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let body = &page.body;
        assert!(!body.contains("<script"), "{path}: raw script tag");
        assert!(!body.contains("<img"), "{path}: raw img tag");
        assert!(!body.contains("\"><img"), "{path}");
        assert!(!body.contains("<i>田中"), "{path}");
        if path != "/map" {
            assert!(
                body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{path}: escaped UA missing"
            );
            assert!(
                body.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;請求書"),
                "{path}: escaped subject missing"
            );
        }
    }
    let timeline = get(&t.app, "/users/victim%40example.co.jp", Some(&session)).await;
    assert!(
        timeline.body.contains("&lt;i&gt;田中&lt;/i&gt;"),
        "display name escaped"
    );
    assert!(
        timeline
            .body
            .contains("exports/&lt;b&gt;signins&lt;/b&gt;.json:7"),
        "file name escaped"
    );
    // Recipients are masked.
    assert!(!timeline.body.contains("tanaka.ichiro@"));
    assert!(timeline.body.contains("t***@partner.example"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let t = test_app();
    let session = login(&t.app).await;
    for (path, cookie) in [
        ("/login", None),
        ("/static/style.css", None),
        ("/incidents", Some(session.as_str())),
        ("/incidents/inc-1", Some(session.as_str())),
        ("/reports/report.md", Some(session.as_str())),
        ("/incidents", None),
    ] {
        let res = get(&t.app, path, cookie).await;
        let h = &res.headers;
        let csp = h[header::CONTENT_SECURITY_POLICY].to_str().expect("csp");
        assert!(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "{path}");
    }
    let page = get(&t.app, "/incidents", Some(&session)).await;
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    assert!(!page.body.contains("<script"), "pages carry no script");
    assert!(!page.body.contains(" style=\""), "no inline styles (CSP)");
}

#[tokio::test]
async fn downloads_follow_the_allow_list() {
    let t = test_app();
    let session = login(&t.app).await;
    let s = Some(session.as_str());
    let ok = get(&t.app, "/reports/report.md", s).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert_eq!(ok.body, "# 報告書\n");
    assert_eq!(
        ok.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"report.md\""
    );
    assert_eq!(
        get(&t.app, "/reports/findings.jsonl", s).await.status,
        StatusCode::OK
    );
    for path in [
        "/reports/notes.txt",
        "/reports/..%2Fsecret.txt",
        "/reports/%2E%2E%2Fmimamori.db",
        "/reports/report.html", // a symlink pointing outside the case folder
        "/reports/scope.json",  // allowed but absent
        "/reports/mimamori-users.json",
    ] {
        let res = get(&t.app, path, s).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            !res.body.contains("outside") && !res.body.contains("private"),
            "{path}"
        );
    }
    for path in [
        "/reports/../secret.txt",
        "/reports/a/../../secret.txt",
        "/reports/../mimamori.db",
    ] {
        let res = get(&t.app, path, s).await;
        assert_ne!(res.status, StatusCode::OK, "{path}");
        assert!(!res.body.contains("outside"), "{path}");
    }
    let list = get(&t.app, "/reports", s).await;
    assert!(list.body.contains("href=\"/reports/report.md\""));
    assert!(list.body.contains("findings.jsonl"));
    assert!(!list.body.contains("notes.txt"));
    assert!(!list.body.contains("report.html"), "symlink not offered");
    assert!(t.dir.path().join("secret.txt").exists());
}

#[tokio::test]
async fn incident_page_shows_chain_map_and_burst() {
    let t = test_app();
    let session = login(&t.app).await;
    let page = get(&t.app, "/incidents/inc-1", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    let b = &page.body;
    assert!(b.contains("id=\"incident-title\""));
    assert!(b.contains("アカウント乗っ取り"), "Japanese by default");
    assert!(b.contains("<html lang=\"ja\""));
    assert!(b.contains("<ul id=\"attacker-ips\"><li class=\"ip\">192.0.2.66</li></ul>"));
    assert!(b.contains("米国からのサインイン &lt;script&gt;x&lt;/script&gt;"));
    assert!(b.contains("T1078.004"));
    assert!(
        b.contains("保存されていない証拠"),
        "missing evidence is said, not dropped"
    );
    assert!(b.contains("id=\"world-map\""));
    assert_eq!(b.matches("class=\"point attacker\"").count(), 1);
    assert_eq!(b.matches("class=\"point\"").count(), 1);
    assert!(b.contains("id=\"send-chart\""));
    assert!(b.contains("class=\"bar peak\""), "the burst is drawn");
    assert!(b.contains("2025-06-12 09:00:00 +09:00"));
    let en = get(&t.app, "/incidents/inc-1?lang=en", Some(&session)).await;
    assert!(en.body.contains("Account takeover") && en.body.contains("<html lang=\"en\""));
    assert!(
        en.headers[header::SET_COOKIE]
            .to_str()
            .expect("c")
            .starts_with("mimamori_lang=en")
    );
    let missing = get(&t.app, "/incidents/nope", Some(&session)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn foreign_host_header_is_refused() {
    let t = test_app();
    let req = Request::get("/login")
        .header(header::HOST, "attacker.example:8080")
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        send(&t.app, req).await.status,
        StatusCode::MISDIRECTED_REQUEST
    );
    let req = Request::get("/login")
        .header(header::HOST, "127.0.0.1:8080")
        .body(Body::empty())
        .expect("request");
    assert_eq!(send(&t.app, req).await.status, StatusCode::OK);
}

#[tokio::test]
async fn serve_refuses_non_loopback_without_allow_remote() {
    let mut opts = crate::ServeOptions::new("/nonexistent/mimamori.db".into());
    opts.listen = "0.0.0.0:8080".parse().expect("addr");
    assert!(matches!(
        crate::serve(opts.clone()).await,
        Err(crate::Error::NonLoopback(_))
    ));
    opts.listen = "127.0.0.1:0".parse().expect("addr");
    assert!(matches!(
        crate::serve(opts).await,
        Err(crate::Error::NoDatabase(_))
    ));
}

#[tokio::test]
async fn scope_page_masks_personal_data() {
    let t = test_app();
    let session = login(&t.app).await;
    let none = get(&t.app, "/scope", Some(&session)).await;
    assert!(none.body.contains("id=\"scope-missing\""));
    std::fs::write(
        t.dir.path().join("case/scope.json"),
        r#"{"persons": 64, "persons_detail": [{"name": "山田花子", "phone": "090-1234-5678"}], "files": [{"path": "<b>名簿</b>.xlsx", "persons": 64, "note": "<b>x</b>"}]}"#,
    )
    .expect("write");
    let page = get(&t.app, "/scope", Some(&session)).await;
    assert!(
        page.body.contains("<dt>persons</dt><dd>64</dd>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("山田花子") && !page.body.contains("1234-5678"));
    assert!(page.body.contains("(…).xlsx") && !page.body.contains("名簿"));
    assert!(page.body.contains("&lt;b&gt;x&lt;/b&gt;") && !page.body.contains("<b>x"));
}
