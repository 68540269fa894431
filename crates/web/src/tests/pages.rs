//! Page content: escaping of attacker strings, the incident chain, downloads, scope masking.

use axum::http::{StatusCode, header};

use super::*;

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
