//! The login gate: login flow, redirects, CSRF, headers, Host check, listen address.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use super::*;

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
