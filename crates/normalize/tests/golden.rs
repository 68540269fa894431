//! Golden comparisons with Elastic's expected pipeline output (`*-expected.json`): a field
//! subset — time, user, IP, port, ids, outcome, direction. GeoIP values are ignored (Elastic's
//! are from test databases). The `expected` array aligns with the input records; `null` means
//! Elastic dropped the record.

mod common;

use chrono::{DateTime, SecondsFormat, Utc};
use common::*;
use model::{Direction, EventKind};
use serde_json::Value;

fn ms(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn expected(path: &std::path::Path) -> Vec<Value> {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
    v["expected"].as_array().expect("expected").clone()
}

#[test]
fn signin_created_datetime_matches_elastic() {
    let dir = corpus()
        .join("elastic-integrations/packages/azure/data_stream/signinlogs/_dev/test/pipeline");
    let (_, sink) = read(&dir.join("test-created-datetime-timestamp.log"));
    let want = expected(&dir.join("test-created-datetime-timestamp.log-expected.json"));
    assert_eq!(sink.events.len(), want.len());
    for (e, w) in sink.events.iter().zip(&want) {
        assert_eq!(ms(&e.time), w["@timestamp"].as_str().expect("ts"));
        assert_eq!(
            e.natural_id,
            format!("signin:{}", w["event"]["id"].as_str().expect("id"))
        );
        let EventKind::SignIn(s) = &e.kind else {
            panic!("kind")
        };
        assert_eq!(s.user_principal_name.as_deref(), w["user"]["name"].as_str());
        assert_eq!(
            s.ip_address.map(|i| i.to_string()).as_deref(),
            w["source"]["ip"].as_str()
        );
        assert_eq!(s.succeeded(), w["event"]["outcome"] == "success");
        assert_eq!(s.tenant_guid.as_deref(), w["azure"]["tenant_id"].as_str());
    }
}

#[test]
fn time_format_corner_cases_match_elastic() {
    let dir = corpus()
        .join("elastic-integrations/packages/azure/data_stream/signinlogs/_dev/test/pipeline");
    let input =
        std::fs::read_to_string(dir.join("test-time-formats-corner-cases.log")).expect("read");
    let want = expected(&dir.join("test-time-formats-corner-cases.log-expected.json"));
    let lines: Vec<&str> = input.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), want.len());
    for (line, w) in lines.iter().zip(&want) {
        let rec: Value = serde_json::from_str(line).expect("json");
        let t = normalize::time::parse_time(rec["time"].as_str().expect("time")).expect("parsed");
        assert_eq!(ms(&t), w["@timestamp"].as_str().expect("ts"), "{line}");
    }
    // The records carry no sign-in, so the reader rejects each with a reason (never drops).
    let (s, sink) = read(&dir.join("test-time-formats-corner-cases.log"));
    assert_eq!((s[0].read, s[0].rejected), (0, 11));
    assert_eq!(sink.rejects[0].record, 1);
}

#[test]
fn o365_ip_formats_match_elastic() {
    let dir =
        corpus().join("elastic-integrations/packages/o365/data_stream/audit/_dev/test/pipeline");
    let text = unwrap_elastic_events(&dir.join("test-ip-formats-events.json"));
    let (s, sink) = read_bytes("ip-formats", text.as_bytes());
    let want = expected(&dir.join("test-ip-formats-events.json-expected.json"));
    assert_eq!(s.read as usize, want.len());
    for (e, w) in sink.events.iter().zip(&want) {
        assert_eq!(ms(&e.time), w["@timestamp"].as_str().expect("ts"));
        assert_eq!(
            e.natural_id,
            format!("ual:{}", w["event"]["id"].as_str().expect("id"))
        );
        let EventKind::Audit(a) = &e.kind else {
            panic!("kind")
        };
        match w["client"]["ip"].as_str() {
            Some(ip) => {
                assert_eq!(
                    a.client_ip.map(|i| i.to_string()).as_deref(),
                    Some(ip),
                    "{}",
                    e.raw
                );
                assert_eq!(
                    a.client_port.map(u64::from),
                    w["client"]["port"].as_u64(),
                    "{}",
                    e.raw
                );
            }
            // Host names are not addresses; only `localhost` is mapped (to 127.0.0.1).
            None if w["client"]["domain"] == "localhost" => {
                assert_eq!(
                    a.client_ip.map(|i| i.to_string()).as_deref(),
                    Some("127.0.0.1")
                );
            }
            None => assert_eq!(a.client_ip, None, "{}", e.raw),
        }
    }
}

#[test]
fn message_trace_matches_elastic() {
    let dir = corpus().join("elastic-integrations/packages/microsoft_exchange_online_message_trace/data_stream/log/_dev/test/pipeline");
    let (s, sink) = read(&dir.join("test-log.log"));
    let want = expected(&dir.join("test-log.log-expected.json"));
    let kept: Vec<&Value> = want.iter().filter(|w| !w.is_null()).collect();
    assert_eq!(want.len(), 5);
    assert_eq!(kept.len(), 4, "the empty envelope is dropped");
    assert_eq!((s[0].events, s[0].rejected), (4, 0));
    for (e, w) in sink.events.iter().zip(kept) {
        assert_eq!(ms(&e.time), w["@timestamp"].as_str().expect("ts"));
        let EventKind::MessageTrace(m) = &e.kind else {
            panic!("kind")
        };
        let mid = w["email"]["message_id"].as_str().expect("mid");
        assert_eq!(
            m.message_id.as_deref(),
            Some(mid.trim_start_matches('<').trim_end_matches('>'))
        );
        assert_eq!(
            m.message_trace_id.as_deref(),
            w["email"]["local_id"].as_str()
        );
        assert_eq!(
            Some(m.sender_address.as_str()),
            w["email"]["from"]["address"][0].as_str()
        );
        assert_eq!(
            Some(m.recipient_address.as_str()),
            w["email"]["to"]["address"][0].as_str()
        );
        assert_eq!(m.size, w["email"]["attachments"]["file"]["size"].as_u64());
        let dir = match w["email"]["direction"].as_str() {
            Some("inbound") => Some(Direction::Inbound),
            Some("outbound") => Some(Direction::Outbound),
            Some("internal") => Some(Direction::Intra),
            _ => None,
        };
        assert_eq!(m.direction, dir);
        assert_eq!(
            m.from_ip.map(|i| i.to_string()).as_deref(),
            w["source"]["ip"].as_str()
        );
        assert_eq!(
            m.to_ip.map(|i| i.to_string()).as_deref(),
            w["destination"]["ip"].as_str()
        );
        assert_eq!(
            e.natural_id,
            format!(
                "mt:{}:{}",
                m.message_trace_id.as_deref().unwrap_or(""),
                m.recipient_address
            )
        );
    }
}
