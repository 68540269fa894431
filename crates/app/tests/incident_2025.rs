//! End to end, through the binary: generate the synthetic tenant (100 users × 60 days with trips,
//! mobile IP churn, a VPN egress abroad and a failed password spray), ingest it twice, run the
//! detections and check the result against the generator's ground truth.
//!
//! Issue 2: every export file is read with no reject, re-ingesting stores nothing, the portal CSV
//! and Graph JSON copies of a sign-in are stored once, `stats --json` has the totals.
//! Issue 3: the replayed 2025 incident is exactly one critical incident with the right user,
//! attacker IP, first malicious sign-in and hidden-send count; the spray is a spray; nothing
//! else is high or critical.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn mimamori(db: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mimamori"))
        .arg("--db")
        .arg(db)
        .arg("--lang")
        .arg("en")
        .args(args)
        .output()
        .expect("run mimamori");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 stdout");
    assert!(
        out.status.code().is_some(),
        "mimamori {args:?} was killed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), stdout)
}

fn jsonl(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("JSONL line"))
        .collect()
}

fn sum(report: &Value, field: &str) -> u64 {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f[field].as_u64().expect("count"))
        .sum()
}

#[test]
fn replayed_2025_incident_is_one_critical_incident() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tenant = dir.path().join("tenant");
    let db = dir.path().join("m.db");
    let t = tenant.to_str().expect("utf-8 path");
    let (code, _) = mimamori(
        &db,
        &["generate", "--out", t, "--users", "100", "--days", "60"],
    );
    assert_eq!(code, 0);
    let truth: Value = serde_json::from_str(
        &std::fs::read_to_string(tenant.join("ground_truth.json")).expect("truth"),
    )
    .expect("truth json");

    // --- ingest: everything read, nothing rejected, only the non-export files skipped.
    let (code, out) = mimamori(&db, &["ingest", t, "--json"]);
    assert_eq!(code, 0, "{out}");
    let first: Value = serde_json::from_str(&out).expect("ingest json");
    assert_eq!(sum(&first, "rejected"), 0, "{out}");
    for f in first["files"].as_array().expect("files") {
        let name = f["file"].as_str().expect("file");
        if name.contains("/mailbox/") {
            // Mailbox exports are read by the mail readers (kind `mail`), checked in mail tests.
            continue;
        }
        if f["format"].is_null() {
            assert!(
                [".toml", ".csv", ".mmdb", ".json"]
                    .iter()
                    .any(|e| name.ends_with(e))
                    && !name.contains("signins")
                    && !name.contains("messagetrace"),
                "an export file was not recognised: {name}"
            );
        }
    }
    let counts = &truth["counts"];
    let (_, stats) = mimamori(&db, &["stats", "--json"]);
    let stats: Value = serde_json::from_str(&stats).expect("stats json");
    assert_eq!(stats["message_trace"], counts["message_trace_rows"]);
    assert_eq!(stats["directory_audits"], counts["directory_audits"]);
    assert_eq!(stats["audit_records"], counts["ual_rows"]);
    // Graph JSON and the portal CSV hold the same sign-ins: each stored once. Unified-audit-log
    // logons add their own sign-in view (natural id `ual:`), counted by source below.
    let graph = stats["by_source"]["graph_signin_json"]
        .as_u64()
        .expect("graph sign-ins");
    assert_eq!(
        graph,
        counts["distinct_sign_ins"].as_u64().expect("distinct")
    );
    assert!(stats["by_source"].get("entra_portal_signin_csv").is_none());
    let portal_dups: u64 = first["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| f["format"] == "entra_portal_signin_csv")
        .map(|f| f["duplicate"].as_u64().expect("dup"))
        .sum();
    assert_eq!(
        portal_dups,
        counts["portal_sign_in_rows"].as_u64().expect("rows")
    );

    // --- re-ingest: nothing new.
    let (code, out) = mimamori(&db, &["ingest", t, "--json"]);
    assert_eq!(code, 0);
    let again: Value = serde_json::from_str(&out).expect("ingest json");
    assert_eq!(sum(&again, "stored"), 0);
    assert_eq!(
        sum(&again, "duplicate"),
        sum(&first, "stored") + sum(&first, "duplicate")
    );

    // --- detect.
    let config = tenant.join("mimamori.toml");
    let cfg = config.to_str().expect("utf-8");
    let (code, out) = mimamori(
        &db,
        &[
            "detect",
            "--config",
            cfg,
            "--min-level",
            "info",
            "--format",
            "jsonl",
        ],
    );
    assert_eq!(code, 0);
    let findings = jsonl(&out);
    let (_, out) = mimamori(&db, &["incidents", "--format", "jsonl"]);
    let incidents = jsonl(&out);

    let victim = truth["victim"]["upn"].as_str().expect("victim");
    let critical: Vec<&Value> = incidents
        .iter()
        .filter(|i| i["severity"] == "critical")
        .collect();
    assert_eq!(critical.len(), 1, "incidents: {incidents:#?}");
    let inc = critical[0];
    assert_eq!(inc["user"], victim);
    let ips: Vec<&str> = inc["attacker_ips"]
        .as_array()
        .expect("ips")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for ip in truth["attacker"]["ips"].as_array().expect("truth ips") {
        assert!(
            ips.contains(&ip.as_str().expect("ip")),
            "attacker IP {ip} missing from {ips:?}"
        );
    }
    assert!(
        inc["countries"]
            .as_array()
            .expect("countries")
            .contains(&truth["attacker"]["country"])
    );
    assert_eq!(inc["first_seen"], truth["attacker"]["first_sign_in_time"]);

    let of_incident: Vec<&Value> = findings
        .iter()
        .filter(|f| f["incident_id"] == inc["id"])
        .collect();
    // The first malicious sign-in is the evidence of the earliest sign-in finding.
    let first_sign_in = of_incident
        .iter()
        .filter(|f| f["evidence"][0]["kind"] == "sign_in")
        .min_by_key(|f| f["time"].as_str().map(str::to_string))
        .expect("a sign-in finding");
    let want = format!(
        "signin:{}",
        truth["attacker"]["first_sign_in_id"].as_str().expect("id")
    );
    assert_eq!(first_sign_in["evidence"][0]["natural_id"], want.as_str());
    // Hidden sends: every replayed message and nothing else.
    let hidden: usize = of_incident
        .iter()
        .filter(|f| f["detection"] == "hidden_send")
        .map(|f| f["evidence"].as_array().expect("evidence").len())
        .sum();
    assert_eq!(
        hidden as u64,
        truth["hidden_sends"]["count"].as_u64().expect("count")
    );

    // The spray is reported as a spray, not a compromise.
    let spray_ip = truth["spray"]["source_ip"].as_str().expect("spray ip");
    let spray: Vec<&Value> = findings
        .iter()
        .filter(|f| f["detection"] == "password_spray")
        .collect();
    assert!(spray.iter().any(|f| {
        f["ips"]
            .as_array()
            .expect("ips")
            .iter()
            .any(|i| i == spray_ip)
    }));
    assert!(
        spray
            .iter()
            .all(|f| f["severity"] != "high" && f["severity"] != "critical")
    );

    // Nothing else is high or critical.
    for f in &findings {
        let sev = f["severity"].as_str().expect("severity");
        if sev == "high" || sev == "critical" {
            assert_eq!(
                f["incident_id"], inc["id"],
                "high finding outside the incident: {f:#}"
            );
        }
    }
    for i in &incidents {
        if i["id"] != inc["id"] {
            assert!(
                i["severity"] != "high" && i["severity"] != "critical",
                "{i:#}"
            );
        }
    }
}
