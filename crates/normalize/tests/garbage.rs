//! Garbage, truncated and hostile inputs never panic, and every record is accounted for.

mod common;

use common::*;

fn fixture_files() -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![fixtures()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "csv" || x == "json") {
                out.push(p);
            }
        }
    }
    let c = corpus();
    out.push(c.join("elastic-integrations/packages/azure/data_stream/signinlogs/_dev/test/pipeline/test-signinlogs-raw.log"));
    out.push(c.join("elastic-integrations/packages/azure/data_stream/auditlogs/_dev/test/pipeline/test-audit-logs-sample.log"));
    out.push(c.join("elastic-integrations/packages/o365/data_stream/audit/_dev/test/pipeline/test-exchange-item.log"));
    out.push(c.join("elastic-integrations/packages/microsoft_exchange_online_message_trace/data_stream/log/_dev/test/pipeline/test-log.log"));
    out.push(c.join(
        "otrf-security-datasets/datasets/compound/GoldenSAMLADFSMailAccess/AADAuditEvents.json",
    ));
    out.push(c.join("azure-sentinel/Solutions/Training/Azure-Sentinel-Training-Lab/Artifacts/Telemetry/office_activity_inbox_rule.csv"));
    out.sort();
    out
}

fn consistent(s: &normalize::FileSummary, sink: &normalize::VecSink) {
    assert_eq!(sink.rejects.len() as u64, s.rejected, "{s:?}");
    assert_eq!(sink.events.len() as u64, s.events, "{s:?}");
    assert!(sink.rejects.iter().all(|r| !r.reason.trim().is_empty()));
}

#[test]
fn truncated_copies_of_every_format() {
    let files = fixture_files();
    assert!(files.len() >= 16, "{}", files.len());
    for p in files {
        let bytes = std::fs::read(&p).expect("read");
        let step = (bytes.len() / 23).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let (s, sink) = read_bytes("cut", &bytes[..cut]);
            consistent(&s, &sink);
        }
        // Flip bytes in the middle: corrupt JSON/CSV/encoding.
        let mut bent = bytes.clone();
        for i in (bytes.len() / 3..bytes.len()).step_by(41) {
            bent[i] = b"\"{[,\n\xff\x00"[i % 7];
        }
        let (s, sink) = read_bytes("bent", &bent);
        consistent(&s, &sink);
    }
}

#[test]
fn hostile_snippets() {
    let cases: &[&[u8]] = &[
        b"",
        b"\xEF\xBB\xBF",
        b"\xFF\xFE",
        b"{",
        b"[",
        b"]",
        b"{\"value\":[",
        b"{\"value\":[{\"id\":1},",
        b"{\"records\":[1,2,\"x\",null,{}]}",
        b"[{\"createdDateTime\":\"2025-01-01T00:00:00Z\",\"userPrincipalName\":\"a@b\"}]",
        b"{\"CreationTime\":\"2025-01-01T00:00:00\",\"Operation\":\"x\",\"Id\":\"a\"}\n{\"CreationTime\":\"nope\",\"Id\":\"1\"}\n{oops}\n",
        b"\x00\x01\x02\x03garbage\xff\xfe\xfd",
        b"Date (UTC),Request ID\r\n",
        b"Date (UTC),Request ID\r\n\"unterminated,\r\n",
        b"RecordId,CreationDate,RecordType,Operation,UserId,AuditData\r\n1,2025-01-01,2,Send,u,{not json}\r\n",
        b"origin_timestamp_utc,sender_address,recipient_status\r\n2025-01-01T00:00:00Z,a@b,;;##;\r\n",
        b"Received,SenderAddress,RecipientAddress\r\n,,\r\n1/1/2025 1:00:00 PM,a@b,\r\n",
        b"null\nnull\n",
        b"[[[[[[[[[[]]]]]]]]]]",
    ];
    for c in cases {
        let (s, sink) = read_bytes("snippet", c);
        consistent(&s, &sink);
    }
    // The second and third NDJSON lines are rejected with their line numbers.
    let (s, sink) = read_bytes("x", cases[10]);
    assert_eq!((s.read, s.rejected), (1, 2), "{:?}", sink.rejects);
    assert_eq!(
        sink.rejects.iter().map(|r| r.record).collect::<Vec<_>>(),
        vec![2, 3]
    );
    // A truncated Graph page keeps the records before the cut and reports the cut.
    let (s, sink) = read_bytes("x", b"{\"value\":[{\"id\":\"a\",\"createdDateTime\":\"2025-01-01T00:00:00Z\",\"userPrincipalName\":\"A@B\"},{\"id\":");
    assert_eq!((s.read, s.rejected), (1, 1));
    assert!(
        sink.rejects[0].reason.contains("ends inside"),
        "{:?}",
        sink.rejects
    );
}

#[test]
fn big_first_record_decides_the_format() {
    // A record larger than the 64 KiB sniffing window: known shape is read, foreign JSON is not.
    let pad = "x".repeat(100_000);
    let known = format!(
        "[{{\"id\":\"a\",\"createdDateTime\":\"2025-01-01T00:00:00Z\",\"userPrincipalName\":\"u@x\",\"userAgent\":\"{pad}\"}}]"
    );
    let (s, sink) = read_bytes("big.json", known.as_bytes());
    assert_eq!(
        (s.format, s.read, s.rejected),
        (Some("graph_signin_json"), 1, 0)
    );
    assert_eq!(sink.events.len(), 1);
    let foreign = format!("{{\"scenario\":\"{pad}\",\"counts\":{{\"a\":1}}}}");
    let (s, sink) = read_bytes("other.json", foreign.as_bytes());
    assert_eq!((s.format, s.read, s.rejected), (None, 0, 0));
    assert!(s.note.is_some() && sink.rejects.is_empty());
}
