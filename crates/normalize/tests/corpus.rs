//! Every public corpus file of a supported format ingests without panic, and every record in it
//! is accounted for: read (an event) or rejected with a reason.

mod common;

use common::*;
use normalize::{FileSummary, VecSink};

/// Records in an NDJSON file: one per line, lines holding an envelope count their elements.
fn ndjson_records(text: &str) -> u64 {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match serde_json::from_str::<serde_json::Value>(l) {
            Ok(v) => match v.get("value").or_else(|| v.get("records")) {
                Some(serde_json::Value::Array(a)) => a.len() as u64,
                _ => 1,
            },
            Err(_) => 1,
        })
        .sum()
}

/// Data rows of a CSV file, counted by the csv crate directly.
fn csv_records(path: &std::path::Path) -> u64 {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .expect("csv");
    r.records().filter(|x| x.is_ok()).count() as u64
}

fn check(label: &str, s: &FileSummary, sink: &VecSink, expected: u64) {
    assert!(s.error.is_none(), "{label}: {:?}", s.error);
    assert!(s.format.is_some(), "{label}: not recognised ({:?})", s.note);
    assert_eq!(s.read + s.rejected, expected, "{label}: {s:?}");
    assert_eq!(sink.rejects.len() as u64, s.rejected, "{label}");
    assert_eq!(sink.events.len() as u64, s.events, "{label}");
    assert!(s.events >= s.read, "{label}");
    for r in &sink.rejects {
        assert!(
            !r.reason.is_empty() && r.file.contains(label.rsplit('/').next().unwrap_or(label)),
            "{r:?}"
        );
    }
    for e in &sink.events {
        assert!(
            !e.natural_id.is_empty() && !e.raw.is_empty(),
            "{label}: {e:?}"
        );
        if let Some(u) = e.kind.user() {
            assert_eq!(u, u.to_lowercase(), "{label}: user not lower-cased");
        }
        // The store keeps only the raw text of these; reading it back must give the same event.
        if let Some(derived) = normalize::derive_kind(&e.provenance.format, &e.raw) {
            assert_eq!(derived.as_ref(), Ok(&e.kind), "{label}: re-derived differs");
        }
    }
}

#[test]
fn elastic_ndjson_files() {
    let base = corpus().join("elastic-integrations/packages");
    let files = [
        ("azure/data_stream/signinlogs/_dev/test/pipeline", "log"),
        ("azure/data_stream/auditlogs/_dev/test/pipeline", "log"),
        ("o365/data_stream/audit/_dev/test/pipeline", "log"),
        (
            "microsoft_exchange_online_message_trace/data_stream/log/_dev/test/pipeline",
            "log",
        ),
    ];
    let mut seen = 0;
    for (dir, ext) in files {
        let mut paths: Vec<_> = std::fs::read_dir(base.join(dir))
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect();
        paths.sort();
        for p in paths {
            let (s, sink) = read(&p);
            assert_eq!(s.len(), 1);
            let want = ndjson_records(&std::fs::read_to_string(&p).expect("read"));
            check(&p.display().to_string(), &s[0], &sink, want);
            seen += 1;
        }
    }
    let excerpt =
        corpus().join("elastic-integrations/excerpts/o365-azuread-sts-logon-first3.ndjson");
    let (s, sink) = read(&excerpt);
    check("excerpt", &s[0], &sink, 3);
    assert!(seen >= 13, "{seen}");
}

#[test]
fn elastic_o365_wrapped_events() {
    let dir =
        corpus().join("elastic-integrations/packages/o365/data_stream/audit/_dev/test/pipeline");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("dir") {
        let p = entry.expect("entry").path();
        let name = p
            .file_name()
            .and_then(|x| x.to_str())
            .unwrap_or("")
            .to_string();
        if !name.ends_with(".json") || name.ends_with("-expected.json") {
            continue;
        }
        let text = unwrap_elastic_events(&p);
        let (s, sink) = read_bytes(&name, text.as_bytes());
        check(&name, &s, &sink, ndjson_records(&text));
        n += 1;
    }
    assert_eq!(n, 6);
}

#[test]
fn sentinel_csv_files() {
    let dir = corpus()
        .join("azure-sentinel/Solutions/Training/Azure-Sentinel-Training-Lab/Artifacts/Telemetry");
    for (file, format) in [
        ("AuditLogs_Hunting.csv", "sentinel_audit_csv"),
        ("disable_accounts.csv", "sentinel_signin_csv"),
        ("office_activity.csv", "sentinel_office_activity_csv"),
        (
            "office_activity_inbox_rule.csv",
            "sentinel_office_activity_csv",
        ),
        ("sign-in_adelete.csv", "sentinel_signin_csv"),
    ] {
        let p = dir.join(file);
        let (s, sink) = read(&p);
        check(file, &s[0], &sink, csv_records(&p));
        assert_eq!(s[0].format, Some(format), "{file}");
    }
    // A summarised hunting-query result is not a table export: reported, not guessed at.
    let (s, sink) = read(&dir.join("signinLogs.csv"));
    assert_eq!(s[0].format, None);
    assert!(
        s[0].note
            .as_deref()
            .is_some_and(|n| n.contains("supported formats"))
    );
    assert!(
        s[0].note_ja
            .as_deref()
            .is_some_and(|n| n.contains("対応形式"))
    );
    assert!(sink.events.is_empty());
}

#[test]
fn sentinel_rows_read_as_expected() {
    let dir = corpus()
        .join("azure-sentinel/Solutions/Training/Azure-Sentinel-Training-Lab/Artifacts/Telemetry");
    let (s, sink) = read(&dir.join("sign-in_adelete.csv"));
    assert_eq!((s[0].read, s[0].rejected), (56, 0));
    let first = &sink.events[0];
    assert_eq!(
        first.natural_id,
        "signin:cfb68155-70f5-4e28-b046-0a3a7086c401"
    );
    assert_eq!(first.time.to_rfc3339(), "2021-04-28T14:08:45.221+00:00");
    let model::EventKind::SignIn(si) = &first.kind else {
        panic!("kind")
    };
    assert_eq!(
        si.user_principal_name.as_deref(),
        Some("adelev@m365x816222.onmicrosoft.com")
    );
    assert_eq!(si.error_code, Some(0));
    assert_eq!(si.location.country.as_deref(), Some("IL"));
    // No time column at all: the hunting export's rows are rejected with that reason.
    let (s, sink) = read(&dir.join("AuditLogs_Hunting.csv"));
    assert_eq!(s[0].rejected, 5);
    assert!(
        sink.rejects[0].reason.contains("no time"),
        "{:?}",
        sink.rejects[0]
    );
    // OfficeActivity: MailItemsAccessed with Folders parsed from text, IPv6 with port.
    let (_, sink) = read(&dir.join("office_activity_inbox_rule.csv"));
    let model::EventKind::Audit(a) = &sink.events[0].kind else {
        panic!("kind")
    };
    assert_eq!(a.operation, "New-InboxRule");
    assert_eq!(a.record_type, Some(1));
    assert_eq!(
        a.client_ip.map(|i| i.to_string()).as_deref(),
        Some("2a01:110:8068:7:9bf8:aa87:e00a:5f1f")
    );
    assert_eq!(a.client_port, Some(36185));
    assert!(a.data["Parameters"].is_object(), "{}", a.data["Parameters"]);
    assert_eq!(
        sink.events[0].natural_id,
        "ual:d28096ba-03b1-4c2a-1503-08d908826606"
    );
}

#[test]
fn otrf_json_rows() {
    let dir = corpus().join("otrf-security-datasets/datasets/compound/GoldenSAMLADFSMailAccess");
    let (s, sink) = read(&dir.join("AADAuditEvents.json"));
    check("AADAuditEvents.json", &s[0], &sink, 4);
    assert_eq!(s[0].format, Some("graph_directory_audit_json"));
    let (s, sink) = read(&dir.join("OfficeActivityEvents.json"));
    check("OfficeActivityEvents.json", &s[0], &sink, 1);
    let model::EventKind::Audit(a) = &sink.events[0].kind else {
        panic!("kind")
    };
    assert_eq!(a.operation, "MailItemsAccessed");
    assert_eq!(a.record_type, Some(50));
    assert_eq!(a.data["Folders"][0]["Path"], "\\Inbox");
    assert_eq!(a.data["OperationProperties"]["MailAccessType"], "Bind");
}

#[test]
fn panther_logs_unwrapped() {
    let dir = corpus().join("panther-analysis");
    for file in [
        "Azure_Audit.tests.ndjson",
        "Microsoft365_Audit_AzureActiveDirectory.tests.ndjson",
        "Microsoft365_Audit_Exchange.tests.ndjson",
        "Microsoft365_Audit_SharePoint.tests.ndjson",
    ] {
        let text = unwrap_panther(&dir.join(file));
        let (s, sink) = read_bytes(file, text.as_bytes());
        check(file, &s, &sink, ndjson_records(&text));
    }
    let text = unwrap_panther(&dir.join("Microsoft365_Audit_Exchange.tests.ndjson"));
    let (_, sink) = read_bytes("x", text.as_bytes());
    let model::EventKind::Audit(a) = &sink.events[0].kind else {
        panic!("kind")
    };
    assert_eq!(
        a.data["parameters"]["ForwardingSmtpAddress"],
        "smtp:peter.griffin@familyguy.com"
    );
    assert_eq!(
        a.user_id.as_deref(),
        Some("homer.simpson@simpsons.onmicrosoft.com")
    );
}
