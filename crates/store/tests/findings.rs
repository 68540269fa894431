//! Detect results: findings and incidents round-trip and are replaced per tenant.

mod common;

use common::at;
use model::{EvidenceRef, Finding, Incident, Severity};
use store::{Error, FindingFilter, ReplaceCounts, SqliteStore, Store};

fn finding(tenant: &str, id: &str, detection: &str, severity: Severity, secs: i64) -> Finding {
    Finding {
        id: id.to_string(),
        tenant: tenant.to_string(),
        incident_id: Some("inc-1".to_string()),
        detection: detection.to_string(),
        severity,
        user: Some("Yamada@example.co.jp".to_string()),
        time: at(secs),
        ips: vec!["198.51.100.23".to_string()],
        countries: vec!["US".to_string()],
        attack: vec!["T1078.004".to_string()],
        reason_ja: "普段と異なる国(US)からのサインイン".to_string(),
        reason_en: "Sign-in from a country never seen for this user (US)".to_string(),
        evidence: vec![EvidenceRef {
            kind: "sign_in".to_string(),
            natural_id: format!("sig-{id}"),
        }],
    }
}

fn incident(tenant: &str, id: &str, severity: Severity, first: i64) -> Incident {
    Incident {
        id: id.to_string(),
        tenant: tenant.to_string(),
        user: Some("yamada@example.co.jp".to_string()),
        severity,
        first_seen: at(first),
        last_seen: at(first + 3600),
        detections: vec![
            "impossible_travel".to_string(),
            "smtp_auth_burst".to_string(),
        ],
        attacker_ips: vec!["198.51.100.23".to_string()],
        countries: vec!["US".to_string()],
        summary_ja: "アカウント乗っ取りの疑い".to_string(),
        summary_en: "Suspected account takeover".to_string(),
        findings: vec!["f1".to_string(), "f2".to_string()],
    }
}

#[test]
fn findings_and_incidents_round_trip() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    let findings = vec![
        finding("default", "f2", "smtp_auth_burst", Severity::High, 200),
        finding("default", "f1", "impossible_travel", Severity::Medium, 100),
    ];
    let incidents = vec![incident("default", "inc-1", Severity::Critical, 100)];
    let counts = db
        .replace_findings("default", &findings, &incidents)
        .expect("store");
    assert_eq!(
        counts,
        ReplaceCounts {
            removed_findings: 0,
            removed_incidents: 0,
            stored_findings: 2,
            stored_incidents: 1
        }
    );
    // Ordered by time.
    let back = db.findings(&FindingFilter::default()).expect("read");
    assert_eq!(back, vec![findings[1].clone(), findings[0].clone()]);
    assert_eq!(db.incidents(Some("default")).expect("incidents"), incidents);
    let stats = db.stats(Some("default")).expect("stats");
    assert_eq!((stats.findings, stats.incidents), (2, 1));
}

#[test]
fn finding_filters_select_by_severity_time_user_and_detection() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    let findings = vec![
        finding("default", "f1", "impossible_travel", Severity::Medium, 100),
        finding("default", "f2", "smtp_auth_burst", Severity::High, 200),
        finding("default", "f3", "inbox_rule", Severity::Low, 300),
    ];
    db.replace_findings("default", &findings, &[])
        .expect("store");
    let ids = |f: FindingFilter| -> Vec<String> {
        db.findings(&f)
            .expect("read")
            .into_iter()
            .map(|f| f.id)
            .collect()
    };
    assert_eq!(
        ids(FindingFilter {
            min_severity: Some(Severity::Medium),
            ..Default::default()
        }),
        vec!["f1", "f2"]
    );
    assert_eq!(
        ids(FindingFilter {
            since: Some(at(200)),
            ..Default::default()
        }),
        vec!["f2", "f3"]
    );
    assert_eq!(
        ids(FindingFilter {
            until: Some(at(200)),
            ..Default::default()
        }),
        vec!["f1"]
    );
    // Users are compared lower-cased even when the detection wrote mixed case.
    assert_eq!(
        ids(FindingFilter {
            user: Some("yamada@EXAMPLE.co.jp".into()),
            ..Default::default()
        })
        .len(),
        3
    );
    assert_eq!(
        ids(FindingFilter {
            detection: Some("inbox_rule".into()),
            ..Default::default()
        }),
        vec!["f3"]
    );
    assert!(
        ids(FindingFilter {
            tenant: Some("other".into()),
            ..Default::default()
        })
        .is_empty()
    );
}

#[test]
fn a_detect_run_replaces_the_previous_results_of_its_tenant_only() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    db.replace_findings(
        "a",
        &[
            finding("a", "f1", "x", Severity::Low, 1),
            finding("a", "f2", "x", Severity::Low, 2),
        ],
        &[incident("a", "i1", Severity::Low, 1)],
    )
    .expect("a");
    db.replace_findings("b", &[finding("b", "f1", "x", Severity::Low, 1)], &[])
        .expect("b");
    let counts = db
        .replace_findings("a", &[finding("a", "f9", "y", Severity::High, 5)], &[])
        .expect("a again");
    assert_eq!(
        counts,
        ReplaceCounts {
            removed_findings: 2,
            removed_incidents: 1,
            stored_findings: 1,
            stored_incidents: 0
        }
    );
    let a: Vec<String> = db
        .findings(&FindingFilter {
            tenant: Some("a".into()),
            ..Default::default()
        })
        .expect("a")
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(a, vec!["f9"]);
    assert!(db.incidents(Some("a")).expect("incidents").is_empty());
    // Tenant b untouched.
    assert_eq!(
        db.findings(&FindingFilter {
            tenant: Some("b".into()),
            ..Default::default()
        })
        .expect("b")
        .len(),
        1
    );
}

#[test]
fn results_for_another_tenant_or_with_repeated_ids_are_refused() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    db.replace_findings("a", &[finding("a", "keep", "x", Severity::Low, 1)], &[])
        .expect("a");
    let err = db
        .replace_findings("a", &[finding("b", "f1", "x", Severity::Low, 1)], &[])
        .expect_err("wrong tenant");
    assert!(matches!(err, Error::TenantMismatch { .. }), "{err}");
    let err = db
        .replace_findings(
            "a",
            &[
                finding("a", "f1", "x", Severity::Low, 1),
                finding("a", "f1", "y", Severity::Low, 2),
            ],
            &[],
        )
        .expect_err("repeated id");
    assert!(matches!(err, Error::DuplicateId { .. }), "{err}");
    // The refused calls changed nothing.
    let kept: Vec<String> = db
        .findings(&FindingFilter::default())
        .expect("read")
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert_eq!(kept, vec!["keep"]);
}
