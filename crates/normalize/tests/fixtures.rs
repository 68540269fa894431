//! Synthetic fixtures (see `fixtures/README.md`) for the formats with no public sample, and the
//! cross-format agreement of natural ids.

mod common;

use common::*;
use model::{Direction, Event, EventKind, SignIn, SignInKind};

fn sign_in(e: &Event) -> &SignIn {
    match &e.kind {
        EventKind::SignIn(s) => s,
        other => panic!("not a sign-in: {other:?}"),
    }
}

fn by_id<'a>(events: &'a [Event], id: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.natural_id == id)
        .unwrap_or_else(|| panic!("no event {id}"))
}

#[test]
fn portal_csv_with_authdetails_join() {
    let (s, sink) = read(&fixtures().join("entra_portal_csv"));
    let files: Vec<_> = s
        .iter()
        .map(|x| {
            (
                x.file.rsplit('/').next().unwrap_or("").to_string(),
                x.format,
            )
        })
        .collect();
    assert_eq!(s.len(), 4, "{files:?}");
    assert!(s.iter().all(|x| x.error.is_none()));
    let first = by_id(&sink.events, "signin:0b8c2f4e-1a2b-4c3d-8e9f-000000000001");
    let si = sign_in(first);
    assert_eq!(first.time.to_rfc3339(), "2025-06-01T01:02:03+00:00");
    assert_eq!(
        si.user_principal_name.as_deref(),
        Some("taro.yamada@example.co.jp")
    );
    assert_eq!(si.user_display_name.as_deref(), Some("山田 太郎"));
    assert_eq!(
        si.app_id.as_deref(),
        Some("00000002-0000-0ff1-ce00-000000000000"),
        "trailing-space header"
    );
    assert_eq!(
        si.autonomous_system_number,
        Some(7552),
        "double-space header"
    );
    assert_eq!(si.location.city.as_deref(), Some("Hanoi"));
    assert_eq!(si.location.state.as_deref(), Some("Ha Noi"));
    assert_eq!(si.location.country.as_deref(), Some("VN"));
    assert_eq!(si.conditional_access_status.as_deref(), Some("notApplied"));
    assert_eq!(si.sign_in_kind, Some(SignInKind::Interactive));
    assert_eq!(si.error_code, Some(0));
    assert_eq!(si.authentication_details.len(), 1);
    assert_eq!(
        si.authentication_details[0].method.as_deref(),
        Some("Password")
    );
    assert_eq!(si.authentication_details[0].succeeded, Some(true));
    assert_eq!(
        si.authentication_details[0].result_detail.as_deref(),
        Some("Correct Password")
    );
    assert!(
        first.raw.contains("\"Incoming token type #2\""),
        "duplicate header kept in raw"
    );
    let failed = sign_in(by_id(
        &sink.events,
        "signin:0b8c2f4e-1a2b-4c3d-8e9f-000000000002",
    ));
    assert_eq!(failed.error_code, Some(50126));
    assert_eq!(
        failed.client_app_used.as_deref(),
        Some("Authenticated SMTP")
    );
    assert_eq!(failed.authentication_details[0].succeeded, Some(false));
    // One row without a date, one AuthDetails row without Request ID, each reported.
    assert_eq!(sink.rejects.len(), 4, "{:?}", sink.rejects);
    assert!(sink.rejects.iter().any(|r| r.reason.contains("Request ID")));
}

#[test]
fn bom_and_cp932_copies_read_the_same() {
    let dir = fixtures().join("entra_portal_csv");
    let (plain, a) = read(&dir.join("InteractiveSignIns_2025-06-01_2025-06-02.csv"));
    let (bom, b) = read(&dir.join("bom/InteractiveSignIns_2025-06-01_2025-06-02.csv"));
    let (sjis, c) = read(&dir.join("cp932/InteractiveSignIns_2025-06-01_2025-06-02.csv"));
    assert_eq!(plain[0].encoding, Some("UTF-8"));
    assert_eq!(bom[0].encoding, Some("UTF-8"));
    assert_eq!(sjis[0].encoding, Some("Shift_JIS"));
    assert_eq!(a.events.len(), 3);
    for other in [&b, &c] {
        assert_eq!(other.events.len(), a.events.len());
        for (x, y) in a.events.iter().zip(&other.events) {
            assert_eq!(x.natural_id, y.natural_id);
            assert_eq!(x.time, y.time);
            assert_eq!(sign_in(x).user_display_name, sign_in(y).user_display_name);
            assert_eq!(sign_in(x).location, sign_in(y).location);
        }
    }
}

#[test]
fn graph_json_and_portal_csv_agree() {
    let (s, graph) = read(&fixtures().join("graph_signin_json/signins_page1.json"));
    assert!(s[0].note.as_deref().is_some_and(|n| n.contains("nextLink")));
    let (_, csv) =
        read(&fixtures().join("entra_portal_csv/InteractiveSignIns_2025-06-01_2025-06-02.csv"));
    let g = &graph.events[0];
    let c = by_id(&csv.events, &g.natural_id);
    assert_eq!(g.time, c.time);
    assert_eq!(
        sign_in(g).user_principal_name,
        sign_in(c).user_principal_name
    );
    assert_eq!(sign_in(g).ip_address, sign_in(c).ip_address);
    assert_eq!(sign_in(g).location.country, sign_in(c).location.country);
    assert_eq!(sign_in(g).error_code, sign_in(c).error_code);
}

#[test]
fn legacy_portal_csv() {
    let (s, sink) = read(&fixtures().join("entra_portal_legacy_csv"));
    assert_eq!(s[0].format, Some("entra_portal_legacy_csv"));
    let e = &sink.events[1];
    assert_eq!(e.time.to_rfc3339(), "2025-03-12T19:25:13+00:00");
    assert_eq!(
        e.natural_id,
        "signin-legacy:2025-03-12T19:25:13Z:hanako.sato@example.co.jp:198.51.100.9:office 365 exchange online"
    );
    assert_eq!(sign_in(&sink.events[0]).error_code, Some(0));
    assert_eq!(sign_in(e).error_code, None);
}

#[test]
fn purview_and_search_ual_csv() {
    let (s, p) = read(&fixtures().join("purview_audit_csv"));
    assert_eq!((s[0].read, s[0].events, s[0].rejected), (4, 5, 1));
    assert!(s[0].note.is_none());
    let audit = |e: &Event| match &e.kind {
        EventKind::Audit(a) => a.clone(),
        other => panic!("{other:?}"),
    };
    let send = by_id(&p.events, "ual:a1b2c3d4-0000-4000-8000-000000000001");
    assert_eq!(send.time.to_rfc3339(), "2025-06-01T03:06:00+00:00");
    let a = audit(send);
    assert_eq!((a.record_type, a.operation.as_str()), (Some(2), "Send"));
    assert_eq!(a.user_id.as_deref(), Some("taro.yamada@example.co.jp"));
    assert_eq!(a.data["SaveToSentItems"], false);
    let rule = audit(by_id(&p.events, "ual:a1b2c3d4-0000-4000-8000-000000000002"));
    assert_eq!(rule.record_type, Some(1));
    assert_eq!(rule.data["Parameters"]["DeleteMessage"], "True");
    assert_eq!(
        rule.client_ip.map(|i| i.to_string()).as_deref(),
        Some("2001:db8::7")
    );
    assert_eq!(rule.client_port, Some(50123));
    let mia = audit(by_id(&p.events, "ual:a1b2c3d4-0000-4000-8000-000000000004"));
    assert_eq!(
        mia.client_ip.map(|i| i.to_string()).as_deref(),
        Some("198.51.100.7")
    );
    assert_eq!(mia.data["OperationProperties"]["MailAccessType"], "Sync");
    assert_eq!(mia.data["Folders"][0]["Path"], "\\Sent Items");
    // The UAL logon is both an audit record and a sign-in.
    let logon = by_id(&p.events, "ual-logon:a1b2c3d4-0000-4000-8000-000000000003");
    let si = sign_in(logon);
    assert_eq!(si.sign_in_kind, Some(SignInKind::UnifiedAuditLogon));
    assert_eq!(si.user_agent.as_deref(), Some("python-requests/2.31"));
    assert_eq!(si.operating_system.as_deref(), Some("Linux"));
    assert!(si.succeeded());
    by_id(&p.events, "ual:a1b2c3d4-0000-4000-8000-000000000003");

    let (s, q) = read(&fixtures().join("search_ual_csv"));
    assert_eq!((s[0].read, s[0].events, s[0].rejected), (3, 4, 0));
    for e in &q.events {
        let twin = by_id(&p.events, &e.natural_id);
        assert_eq!(twin.time, e.time, "{}", e.natural_id);
    }
}

#[test]
fn purview_export_of_exactly_50000_rows_is_flagged() {
    fn purview(rows: usize) -> Vec<u8> {
        let mut out = String::from(
            "RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n",
        );
        for i in 0..rows {
            out.push_str(&format!(
                "id-{i},2025-06-01T00:00:00.0000000Z ,2,Send,u@example.co.jp,\"{{\"\"Id\"\":\"\"id-{i}\"\",\"\"Operation\"\":\"\"Send\"\"}}\",,\r\n"
            ));
        }
        out.into_bytes()
    }
    let (s, sink) = read_bytes("AuditLog.csv", &purview(50_000));
    assert_eq!((s.read, s.rejected), (50_000, 0));
    assert!(
        s.note
            .as_deref()
            .is_some_and(|n| n.contains("probably truncated at 50,000")),
        "{:?}",
        s.note
    );
    assert!(s.note_ja.is_some());
    assert_eq!(sink.events.len(), 50_000);
    let (s, _) = read_bytes("AuditLog.csv", &purview(49_999));
    assert!(s.note.is_none());
}

#[test]
fn message_trace_v1_v2_and_historical_agree() {
    let (s, mt) = read(&fixtures().join("message_trace_csv"));
    assert_eq!(s.len(), 2);
    let (h, hist) = read(&fixtures().join("historical_trace_csv"));
    assert!(h.iter().all(|x| x.encoding == Some("UTF-16LE")), "{h:?}");
    let key = "mt:9e1d0000-0000-4000-8000-000000000001:yamada.taro@partner.example";
    let from: Vec<&Event> = mt.events.iter().filter(|e| e.natural_id == key).collect();
    assert_eq!(
        from.len(),
        2,
        "V1 and V2 rows of one message+recipient share the id"
    );
    let v1 = from
        .iter()
        .find(|e| e.provenance.file.contains("_v1"))
        .expect("v1");
    let EventKind::MessageTrace(m) = &v1.kind else {
        panic!("kind")
    };
    assert_eq!(v1.time.to_rfc3339(), "2025-06-01T03:06:01+00:00");
    assert_eq!(m.direction, Some(Direction::Outbound));
    assert_eq!(m.message_id.as_deref(), Some("SYN0001@example.co.jp"));
    assert_eq!(m.from_ip, None);
    // Historical summary: recipient_status expands to one event per recipient.
    let summary: Vec<&Event> = hist
        .events
        .iter()
        .filter(|e| e.provenance.file.contains("MTSummary"))
        .collect();
    assert_eq!(summary.len(), 3);
    let both = summary
        .iter()
        .filter(|e| {
            e.natural_id
                .starts_with("mt:9e1d0000-0000-4000-8000-000000000001:")
        })
        .count();
    assert_eq!(both, 2);
    let h1 = summary
        .iter()
        .find(|e| e.natural_id == key)
        .expect("summary row");
    let EventKind::MessageTrace(hm) = &h1.kind else {
        panic!("kind")
    };
    assert_eq!(
        hm.client_ip.map(|i| i.to_string()).as_deref(),
        Some("198.51.100.7")
    );
    assert_eq!(hm.direction, Some(Direction::Outbound));
    assert_eq!(hm.status.as_deref(), Some("Receive, Send"));
    assert_eq!(hm.subject.as_deref(), Some("請求書の送付"));
    let inbound = summary
        .iter()
        .find(|e| e.natural_id.contains("000000000002"))
        .expect("inbound");
    let EventKind::MessageTrace(im) = &inbound.kind else {
        panic!("kind")
    };
    assert_eq!(im.direction, Some(Direction::Inbound));
    // Extended report: `recipient_address` with two addresses → two events.
    let ext = hist
        .events
        .iter()
        .filter(|e| e.provenance.file.contains("MTDetail"))
        .count();
    assert_eq!(ext, 3);
    assert!(
        hist.rejects
            .iter()
            .any(|r| r.reason.contains("no recipient"))
    );
}

#[test]
fn graph_exchange_message_trace_json() {
    // Graph beta `exchangeMessageTrace` property names (microsoft-graph-docs
    // `resources/exchangemessagetrace.md`); values synthetic.
    let page = r#"{"@odata.context":"x","value":[{"id":"9E1D0000-0000-4000-8000-000000000001","messageId":"<SYN0001@example.co.jp>","receivedDateTime":"2025-06-01T03:06:01Z","senderAddress":"Taro.Yamada@example.co.jp","recipientAddress":"Yamada.Taro@partner.example","subject":"請求書の送付","size":20480,"status":"delivered","fromIP":null,"toIP":"203.0.113.200"}]}"#;
    let (s, sink) = read_bytes("graph_trace.json", page.as_bytes());
    assert_eq!(s.format, Some("message_trace_json"));
    assert_eq!(sink.events.len(), 1);
    let e = &sink.events[0];
    assert_eq!(
        e.natural_id,
        "mt:9e1d0000-0000-4000-8000-000000000001:yamada.taro@partner.example"
    );
    let EventKind::MessageTrace(m) = &e.kind else {
        panic!("kind")
    };
    assert_eq!(m.sender_address, "taro.yamada@example.co.jp");
    assert_eq!(
        m.to_ip.map(|i| i.to_string()).as_deref(),
        Some("203.0.113.200")
    );
    assert_eq!(m.size, Some(20480));
    assert_eq!(m.message_id.as_deref(), Some("SYN0001@example.co.jp"));
}

#[test]
fn portal_csv_given_alone_finds_its_authdetails_companion() {
    let (s, sink) =
        read(&fixtures().join("entra_portal_csv/InteractiveSignIns_2025-06-01_2025-06-02.csv"));
    assert_eq!(s.len(), 2, "{s:?}");
    assert_eq!(s[0].format, Some("entra_portal_authdetails_csv"));
    let first = by_id(&sink.events, "signin:0b8c2f4e-1a2b-4c3d-8e9f-000000000001");
    assert_eq!(sign_in(first).authentication_details.len(), 1);
    // A copy without a companion next to it reads alone.
    let (s, _) =
        read(&fixtures().join("entra_portal_csv/bom/InteractiveSignIns_2025-06-01_2025-06-02.csv"));
    assert_eq!(s.len(), 1);
}
