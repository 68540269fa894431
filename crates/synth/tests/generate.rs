//! End-to-end checks of the generator on a small tenant: determinism, ground-truth
//! consistency with the files, the GeoIP round-trip and the portal header quirks.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;

use serde_json::Value;
use synth::{GenerateOptions, GroundTruth, PORTAL_HEADER, generate};

fn small(out: &Path, seed: u64) -> GroundTruth {
    let mut o = GenerateOptions::new(out);
    o.seed = seed;
    o.users = 24;
    o.days = 9;
    o.page_size = 200;
    o.ual_rows_per_file = 1_000;
    generate(&o).expect("generate")
}

/// One shared tenant for the read-only checks (generated once per test binary).
fn shared() -> &'static (tempfile::TempDir, GroundTruth) {
    static SHARED: std::sync::OnceLock<(tempfile::TempDir, GroundTruth)> =
        std::sync::OnceLock::new();
    SHARED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tmp");
        let gt = small(dir.path(), 3);
        (dir, gt)
    })
}

fn graph_values(out: &Path, dir: &str, pages: usize) -> Vec<Value> {
    let mut all = Vec::new();
    for p in 1..=pages {
        let text = fs::read_to_string(out.join(format!("{dir}/page-{p:04}.json"))).expect("page");
        let v: Value = serde_json::from_str(&text).expect("json");
        assert!(v["@odata.context"].as_str().is_some());
        assert_eq!(
            v.get("@odata.nextLink").is_some(),
            p < pages,
            "nextLink on all but the last page"
        );
        all.extend(v["value"].as_array().expect("value").iter().cloned());
    }
    all
}

fn csv_records(path: &Path) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .expect("csv");
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r.records().map(|x| x.expect("row")).collect();
    (header, rows)
}

#[test]
fn same_seed_gives_identical_files_and_another_seed_differs() {
    let a = tempfile::tempdir().expect("tmp");
    let b = tempfile::tempdir().expect("tmp");
    let c = tempfile::tempdir().expect("tmp");
    let ga = small(a.path(), 7);
    let gb = small(b.path(), 7);
    let gc = small(c.path(), 8);
    assert_eq!(ga, gb);
    assert_eq!(ga.files, gb.files);
    for f in &ga.files {
        let x = fs::read(a.path().join(f)).expect("a");
        let y = fs::read(b.path().join(f)).expect("b");
        assert!(x == y, "{f} differs between two runs with the same seed");
    }
    assert_ne!(
        ga.victim.upn.clone() + &ga.tenant_guid,
        gc.victim.upn.clone() + &gc.tenant_guid
    );
}

#[test]
fn ground_truth_matches_the_files() {
    let (dir, gt) = shared();
    let out = dir.path();
    for f in &gt.files {
        assert!(out.join(f).exists(), "{f} listed but missing");
    }

    // Graph sign-ins.
    let signins = graph_values(out, "signins/graph", gt.counts.graph_sign_in_pages);
    assert_eq!(signins.len() as u64, gt.counts.graph_sign_ins);
    let ids: HashSet<&str> = signins.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids.len() as u64, gt.counts.distinct_sign_ins);
    let by_id: BTreeMap<&str, &Value> = signins
        .iter()
        .map(|s| (s["id"].as_str().unwrap_or(""), s))
        .collect();
    let first = by_id[gt.attacker.first_sign_in_id.as_str()];
    assert_eq!(first["userPrincipalName"], gt.victim.upn.as_str());
    assert!(
        gt.attacker
            .ips
            .contains(&first["ipAddress"].as_str().unwrap_or("").to_string())
    );
    assert_eq!(
        first["authenticationRequirement"],
        "singleFactorAuthentication"
    );
    assert_eq!(
        first["authenticationDetails"][0]["authenticationStepResultDetail"],
        "Correct Password"
    );
    assert_eq!(
        first["location"]["countryOrRegion"],
        gt.attacker.country.as_str()
    );
    assert_eq!(gt.attacker.country, "US");
    // No spray attempt succeeds, and every one fails with 50126.
    let spray: Vec<&Value> = signins
        .iter()
        .filter(|s| s["ipAddress"] == gt.spray.source_ip.as_str())
        .collect();
    assert_eq!(spray.len(), gt.spray.attempts);
    assert!(spray.iter().all(|s| s["status"]["errorCode"] == 50126));
    let targeted: HashSet<&str> = spray
        .iter()
        .filter_map(|s| s["userPrincipalName"].as_str())
        .collect();
    assert_eq!(targeted.len(), gt.spray.targeted_users.len());
    // Failed retries after the reset.
    for id in &gt.attacker.failed_sign_in_ids_after_reset {
        let s = by_id[id.as_str()];
        assert_eq!(s["status"]["errorCode"], 50126);
        assert!(
            s["createdDateTime"].as_str().unwrap_or("")
                > gt.victim.password_reset_time.to_rfc3339().as_str()
        );
    }
    assert!(!gt.attacker.failed_sign_in_ids_after_reset.is_empty());

    // Portal CSV: same sign-ins (Request ID = Graph id), interactive only, last 7 days.
    let portal = gt
        .files
        .iter()
        .find(|f| f.contains("/InteractiveSignIns_2"))
        .expect("portal file");
    let (header, rows) = csv_records(&out.join(portal));
    assert_eq!(
        header,
        PORTAL_HEADER
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(rows.len() as u64, gt.counts.portal_sign_in_rows);
    for r in &rows {
        let s = by_id.get(&r[1]).expect("portal row has a Graph twin");
        assert_eq!(s["isInteractive"], true);
    }
    assert!(
        rows.iter()
            .any(|r| &r[1] == gt.attacker.first_sign_in_id.as_str())
            || gt.attacker.first_sign_in_time.date_naive()
                < gt.period_end.date_naive() - chrono::Duration::days(7)
    );
    let non = gt
        .files
        .iter()
        .find(|f| f.contains("NonInteractiveSignIns_"))
        .expect("non-interactive file");
    let (nheader, nrows) = csv_records(&out.join(non));
    assert_eq!(nheader.len(), PORTAL_HEADER.len());
    assert_eq!(nrows.len() as u64, gt.counts.portal_non_interactive_rows);
    assert!(!nrows.is_empty());
    for r in &nrows {
        assert_eq!(
            by_id.get(&r[1]).expect("Graph twin")["isInteractive"],
            false
        );
    }
    let details = gt
        .files
        .iter()
        .find(|f| f.contains("AuthDetails"))
        .expect("details");
    let (_, drows) = csv_records(&out.join(details));
    assert_eq!(drows.len() as u64, gt.counts.portal_auth_detail_rows);

    // Directory audits: the reset is there.
    let dir_audits = graph_values(out, "directory/graph", gt.counts.directory_audit_pages);
    assert_eq!(dir_audits.len() as u64, gt.counts.directory_audits);
    assert!(
        dir_audits
            .iter()
            .any(|a| a["activityDisplayName"] == "Reset user password"
                && a["targetResources"][0]["userPrincipalName"] == gt.victim.upn.as_str())
    );

    // Unified audit log: counts, hidden Send records, Sync, the rule.
    let mut ual_rows = 0u64;
    let mut hidden_send_audits = 0usize;
    let mut sync = 0usize;
    let mut rule = false;
    let mut ops: BTreeMap<String, usize> = BTreeMap::new();
    let hidden: HashSet<&str> = gt
        .hidden_sends
        .message_ids
        .iter()
        .map(String::as_str)
        .collect();
    for f in gt.files.iter().filter(|f| f.starts_with("ual/")) {
        let (header, rows) = csv_records(&out.join(f));
        assert_eq!(header[1], "CreationDate");
        assert!(rows.len() <= 1_000);
        for r in rows {
            ual_rows += 1;
            assert!(
                r[1].ends_with("Z "),
                "CreationDate keeps its trailing space"
            );
            let data: Value = serde_json::from_str(&r[5]).expect("AuditData JSON");
            assert_eq!(data["Id"], &r[0]);
            *ops.entry(r[3].to_string()).or_default() += 1;
            match &r[3] {
                "Send" if data["SaveToSentItems"] == false => {
                    assert!(
                        hidden.contains(data["Item"]["InternetMessageId"].as_str().unwrap_or(""))
                    );
                    assert!(
                        gt.attacker
                            .ips
                            .contains(&data["ClientIP"].as_str().unwrap_or("").to_string())
                    );
                    hidden_send_audits += 1;
                }
                "MailItemsAccessed" if data["OperationProperties"][0]["Value"] == "Sync" => {
                    assert_eq!(data["MailboxOwnerUPN"], gt.victim.upn.as_str());
                    sync += 1;
                }
                "New-InboxRule"
                    if data["Parameters"].as_array().is_some_and(|p| {
                        p.iter()
                            .any(|x| x["Value"] == gt.victim.inbox_rule_folder.as_str())
                    }) =>
                {
                    rule = true
                }
                _ => {}
            }
        }
    }
    assert_eq!(ual_rows, gt.counts.ual_rows);
    let newsletter_rules = gt
        .legitimate_inbox_rules
        .iter()
        .filter(|r| r.1 == "ニュースレター整理")
        .count();
    assert_eq!(
        ops.get("New-InboxRule").copied().unwrap_or(0),
        gt.legitimate_inbox_rules.len() + 1
    );
    assert_eq!(
        ops.get("Set-InboxRule").copied().unwrap_or(0),
        newsletter_rules
    );
    for op in [
        "UserLoggedIn",
        "UserLoginFailed",
        "MailItemsAccessed",
        "Send",
        "Remove-InboxRule",
        "Set-CASMailbox",
    ] {
        assert!(ops.contains_key(op), "{op} present");
    }
    assert_eq!(hidden_send_audits, gt.hidden_sends.count);
    assert_eq!(sync, gt.victim.synced_folders.len());
    assert!(rule);

    // Message trace: every hidden send is there, from the victim, submitted from the attacker.
    let mut trace_rows = 0u64;
    let mut seen_hidden = HashSet::new();
    for f in gt
        .files
        .iter()
        .filter(|f| f.starts_with("messagetrace/MessageTraceV2_"))
    {
        let (header, rows) = csv_records(&out.join(f));
        assert_eq!(header[4], "MessageId");
        for r in rows {
            trace_rows += 1;
            if hidden.contains(&r[4]) {
                assert_eq!(&r[6], gt.victim.upn.as_str());
                assert!(gt.attacker.ips.contains(&r[11].to_string()));
                assert!(
                    gt.hidden_sends
                        .message_trace_ids
                        .contains(&r[13].to_string())
                );
                seen_hidden.insert(r[4].to_string());
            }
        }
    }
    assert_eq!(trace_rows, gt.counts.message_trace_rows);
    assert_eq!(seen_hidden.len(), gt.hidden_sends.count);
    assert_eq!(gt.hidden_sends.count, 300);

    // Historical extended report: UTF-16LE with BOM, carrying the attacker as client_ip.
    let hist = gt
        .files
        .iter()
        .find(|f| f.contains("historical"))
        .expect("historical");
    let bytes = fs::read(out.join(hist)).expect("read");
    assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
    let units: Vec<u16> = bytes[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).expect("utf16");
    assert!(text.starts_with("\"date_time_utc\",\"client_ip\""));
    assert_eq!(text.lines().count() as u64 - 1, gt.counts.historical_rows);
    assert!(text.contains(&format!("\"{}\"", gt.attacker.ips[0])));

    // Config files.
    let toml = fs::read_to_string(out.join("mimamori.toml")).expect("toml");
    assert!(toml.contains("vpn = [\"198.51.100.0/25\"]"));
    let locs = fs::read_to_string(out.join("expected_locations.csv")).expect("locations");
    assert!(locs.starts_with("user,country,from,to,note\r\n"));
    assert!(locs.contains(&format!("{},VN,", gt.victim.upn)));
    assert!(!locs.contains(&format!(
        "{},{}",
        gt.undeclared_trip.user, gt.undeclared_trip.country
    )));
    for t in &gt.declared_trips {
        assert!(locs.contains(&format!("{},{},{}", t.user, t.country, t.from)));
    }
}

#[test]
fn geoip_mmdb_reads_back_with_maxminddb_for_every_address_used() {
    let (dir, gt) = shared();
    let out = dir.path();
    let bytes = fs::read(out.join("geoip.mmdb")).expect("mmdb");
    let reader = maxminddb::Reader::from_source(bytes).expect("valid mmdb");
    assert_eq!(reader.metadata().database_type, "GeoLite2-City");
    let look = |ip: &str| {
        let ip: std::net::IpAddr = ip.parse().expect("ip");
        let res = reader.lookup(ip).expect("lookup");
        let city: maxminddb::geoip2::City = res.decode().expect("decode").expect("found");
        let asn: maxminddb::geoip2::Asn = res.decode().expect("decode").expect("found");
        (
            city.country.iso_code.map(str::to_string),
            city.city.names.english.map(str::to_string),
            city.location.latitude,
            asn.autonomous_system_number,
        )
    };
    let (cc, city, lat, asn) = look(&gt.attacker.ips[0]);
    assert_eq!(cc.as_deref(), Some("US"));
    assert!(city.is_some() && lat.is_some());
    assert_eq!(asn, Some(gt.attacker.asn));
    assert_eq!(
        look(&gt.spray.source_ip).0.as_deref(),
        Some(gt.spray.country.as_str())
    );
    assert_eq!(look(&gt.undeclared_trip.ip).0.as_deref(), Some("KR"));
    // Every sign-in address resolves to the country the sign-in reports.
    let signins = graph_values(out, "signins/graph", gt.counts.graph_sign_in_pages);
    let mut v6 = 0;
    for s in &signins {
        let ip = s["ipAddress"].as_str().expect("ip");
        v6 += usize::from(ip.contains(':'));
        assert_eq!(
            look(ip).0.as_deref(),
            s["location"]["countryOrRegion"].as_str(),
            "{ip}"
        );
    }
    assert!(v6 > 0, "some mobile sign-ins use IPv6");
    // An address outside the synthetic world has no record.
    let none = reader
        .lookup("8.8.8.8".parse().expect("ip"))
        .expect("lookup");
    assert!(!none.has_data());
}

#[test]
fn too_small_options_are_rejected() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut o = GenerateOptions::new(dir.path());
    o.users = 3;
    assert!(generate(&o).is_err());
    o.users = 20;
    o.days = 2;
    assert!(generate(&o).is_err());
}

/// Message-IDs of one MBOX file.
fn mbox_message_ids(path: &Path) -> Vec<String> {
    let text = fs::read_to_string(path).expect("mbox is ASCII/UTF-8");
    assert!(
        text.starts_with("From "),
        "{} starts with a From line",
        path.display()
    );
    text.lines()
        .filter_map(|l| l.strip_prefix("Message-ID: "))
        .map(str::to_string)
        .collect()
}

#[test]
fn mailbox_matches_the_trace_and_hides_the_phishing() {
    let (dir, gt) = shared();
    let out = dir.path();
    let mb = gt.mailbox.as_ref().expect("mailbox written");
    assert_eq!(mb.persons, 64);
    assert!(!mb.my_number_found);
    assert!(mb.categories.iter().any(|c| c == "head_of_household"));
    let folder = |name: &str| {
        let rel = &mb.files.iter().find(|f| f.0 == name).expect(name).1;
        mbox_message_ids(&out.join(rel))
    };
    let sent: HashSet<String> = folder("送信済みアイテム").into_iter().collect();
    let mut all: HashSet<String> = HashSet::new();
    for (name, rel) in &mb.files {
        let ids = mbox_message_ids(&out.join(rel));
        let n = mb
            .messages_per_folder
            .iter()
            .find(|c| &c.0 == name)
            .expect("count")
            .1;
        assert_eq!(ids.len(), n, "{name}");
        all.extend(ids);
    }
    assert!(
        folder("RSS フィード").len() >= 3,
        "replies filed by the attacker's rule"
    );
    for id in &gt.hidden_sends.message_ids {
        assert!(
            !sent.contains(id),
            "hidden send {id} must not be in Sent Items"
        );
        assert!(!all.contains(id));
    }
    // Every message the victim sent normally and every delivered message to the victim in the
    // trace is in the mailbox with the same Message-ID.
    let hidden: HashSet<&str> = gt
        .hidden_sends
        .message_ids
        .iter()
        .map(String::as_str)
        .collect();
    let mut checked = 0;
    for f in gt
        .files
        .iter()
        .filter(|f| f.starts_with("messagetrace/MessageTraceV2_"))
    {
        let (_, rows) = csv_records(&out.join(f));
        for r in rows {
            let (id, sender, rcpt, status) = (&r[4], &r[6], &r[7], &r[9]);
            if sender == gt.victim.upn && !hidden.contains(id) {
                assert!(sent.contains(id), "victim's message {id} in Sent Items");
                checked += 1;
            }
            if rcpt == gt.victim.upn && status == "Delivered" {
                assert!(all.contains(id), "delivered message {id} in the mailbox");
                checked += 1;
            }
        }
    }
    assert!(checked > 20);
    let inbox = fs::read_to_string(
        out.join(
            &mb.files
                .iter()
                .find(|f| f.0 == "受信トレイ")
                .expect("inbox")
                .1,
        ),
    )
    .expect("inbox");
    assert!(inbox.contains("charset=\"ISO-2022-JP\""));
    assert!(inbox.contains("=?ISO-2022-JP?B?"));
    assert!(inbox.contains("filename*=UTF-8''"));
    assert_eq!(mb.attachments.len(), 4);
}
