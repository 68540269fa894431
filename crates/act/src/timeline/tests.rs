//! Timeline tests: CSV injection, marking, local time column, stats round trip.

use super::*;
use chrono::TimeZone;
use model::{AuditRecord, EvidenceRef, Provenance, SignIn};

fn event(natural_id: &str, kind: EventKind, secs: i64) -> Event {
    Event {
        tenant: "t1".into(),
        natural_id: natural_id.into(),
        time: Utc
            .timestamp_opt(1_750_000_000 + secs, 0)
            .single()
            .expect("time"),
        provenance: Provenance {
            file: "in.json".into(),
            record: 7,
            format: "x".into(),
        },
        raw: String::new(),
        kind,
    }
}

fn finding(id: &str, det: &str, sev: Severity, kind: &str, nid: &str) -> Finding {
    Finding {
        id: id.into(),
        tenant: "t1".into(),
        incident_id: None,
        detection: det.into(),
        severity: sev,
        user: Some("u@example.co.jp".into()),
        time: Utc.timestamp_opt(1_750_000_000, 0).single().expect("time"),
        ips: vec![],
        countries: vec![],
        attack: vec![],
        reason_ja: String::new(),
        reason_en: String::new(),
        evidence: vec![EvidenceRef {
            kind: kind.into(),
            natural_id: nid.into(),
        }],
    }
}

#[test]
fn timeline_csv_injection_is_neutralised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("timeline.csv");
    let audit = AuditRecord {
        operation: "New-InboxRule".into(),
        user_id: Some("u@example.co.jp".into()),
        client_info_string: Some("=HYPERLINK(\"http://evil\",\"x\")".into()),
        ..Default::default()
    };
    let mut row = TimelineRow::from_event(&event("a1", EventKind::Audit(Box::new(audit)), 0));
    row.operation = "=cmd|' /C calc'!A0".into();
    row.user = Some("@SUM(1+1)".into());
    row.detail = "-2+3".into();
    write_timeline(&path, &[row], chrono_tz::Asia::Tokyo).expect("write");
    let text = std::fs::read_to_string(&path).expect("read");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rec = rdr.records().next().expect("row").expect("csv");
    assert_eq!(&rec[8], "'=cmd|' /C calc'!A0");
    assert_eq!(&rec[5], "'@SUM(1+1)");
    assert_eq!(&rec[9], "'-2+3");
    for cell in rec.iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "unsafe cell {cell:?}"
        );
    }
}

#[test]
fn marks_rows_and_writes_local_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("timeline.csv");
    let si = SignIn {
        user_principal_name: Some("u@example.co.jp".into()),
        error_code: Some(0),
        user_agent: Some("<script>x</script>".into()),
        ..Default::default()
    };
    let mut rows = vec![
        TimelineRow::from_event(&event("s2", EventKind::SignIn(Box::new(si.clone())), 60)),
        TimelineRow::from_event(&event("s1", EventKind::SignIn(Box::new(si)), 0)),
    ];
    let findings = vec![
        finding("f1", "new_country_sign_in", Severity::High, "sign_in", "s1"),
        finding("f2", "impossible_travel", Severity::Medium, "sign_in", "s1"),
        finding("f3", "hidden_send", Severity::High, "message_trace", "nope"),
    ];
    assert_eq!(mark_findings(&mut rows, &findings), 1);
    assert_eq!(
        rows[1].detections,
        vec!["new_country_sign_in", "impossible_travel"]
    );
    assert_eq!(rows[1].severity, Some(Severity::High));
    let stats = write_timeline(&path, &rows, chrono_tz::Asia::Tokyo).expect("write");
    assert_eq!(stats.rows, 2);
    assert_eq!(stats.marked, 1);
    let text = std::fs::read_to_string(&path).expect("read");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(TIMELINE_COLUMNS.join(",").as_str()));
    // Sorted: s1 (t+0) first; 1_750_000_000 = 2025-06-15T15:06:40Z.
    let first = lines.next().expect("row");
    assert!(
        first.starts_with("2025-06-15T15:06:40Z,2025-06-16T00:06:40+09:00,t1,sign_in,high,"),
        "{first}"
    );
    let (read, errs) = read_timeline_stats(&path).expect("stats");
    assert!(errs.is_empty());
    assert_eq!(read, stats);
}

#[test]
fn audit_rows_carry_rule_parameters_and_send_fields() {
    let rule = AuditRecord {
        operation: "New-InboxRule".into(),
        data: serde_json::json!({"Parameters": {"Name": "..", "MoveToFolder": "RSS フィード", "MarkAsRead": "True", "Force": "True"}}),
        ..Default::default()
    };
    let row = TimelineRow::from_event(&event("r1", EventKind::Audit(Box::new(rule)), 0));
    assert_eq!(row.operation, "New-InboxRule");
    assert_eq!(
        row.detail,
        "Name=..; MoveToFolder=RSS フィード; MarkAsRead=True"
    );
    let send = AuditRecord {
        operation: "Send".into(),
        data: serde_json::json!({"Item": {"Subject": "請求書"}, "SaveToSentItems": false}),
        ..Default::default()
    };
    let row = TimelineRow::from_event(&event("s1", EventKind::Audit(Box::new(send)), 0));
    assert_eq!(row.detail, "subject=請求書; SaveToSentItems=false");
}
