//! Hidden-send reconciliation: trace rows vs Sent Items vs Send audit.

use chrono::{TimeZone, Utc};
use content::reconcile::{SentGapBasis, sent_gap, sent_gap_from_parts};
use model::{AuditRecord, Event, EventKind, MailEnvelope, MessageTrace, Provenance};

const USER: &str = "k.tanaka@example.co.jp";

fn trace(id: &str, to: &str, ip: Option<&str>) -> MessageTrace {
    MessageTrace {
        message_id: Some(format!("<{id}>")),
        sender_address: USER.into(),
        recipient_address: to.into(),
        subject: Some("請求書の送付".into()),
        client_ip: ip.map(|i| i.parse().expect("ip")),
        ..Default::default()
    }
}

fn env(id: &str, folder: Option<&str>) -> MailEnvelope {
    MailEnvelope {
        mailbox: Some(USER.into()),
        folder: folder.map(str::to_string),
        message_id: Some(id.into()),
        ..Default::default()
    }
}

#[test]
fn mail_without_a_sent_items_copy_is_listed_by_recipient_domain() {
    let t = Utc
        .with_ymd_and_hms(2025, 10, 14, 1, 0, 0)
        .single()
        .expect("time");
    let rows = [
        trace("ok@x", "a@partner.example", None),
        trace("hid1@x", "b@partner.example", Some("203.0.113.9")),
        trace("hid1@x", "c@other.example", Some("203.0.113.9")),
        trace("hid2@x", "d@partner.example", Some("203.0.113.9")),
        trace("inbox-only@x", "e@partner.example", None),
    ];
    let trace_in: Vec<_> = rows.iter().map(|r| (t, r)).collect();
    let mailbox = [
        env("ok@x", Some("送信済みアイテム")),
        env("inbox-only@x", Some("受信トレイ")),
        env("other@x", Some("Inbox")),
    ];
    let mailbox_in: Vec<_> = mailbox.iter().collect();
    let audit = AuditRecord {
        operation: "Send".into(),
        user_id: Some(USER.into()),
        data: serde_json::json!({"Item": {"InternetMessageId": "<hid2@x>"}, "SaveToSentItems": false}),
        ..Default::default()
    };
    let r = sent_gap_from_parts(USER, &trace_in, &mailbox_in, &[&audit]);
    assert_eq!(r.basis, SentGapBasis::ExportFolders);
    assert_eq!(r.outbound_messages, 4);
    assert_eq!(
        r.hidden_messages, 3,
        "hid1, hid2 and the copy that sits only in 受信トレイ"
    );
    assert_eq!(r.groups[0].domain, "partner.example");
    assert_eq!(r.groups[0].rows.len(), 3);
    assert_eq!(r.groups[0].messages, 3);
    let hid2 = r.groups[0]
        .rows
        .iter()
        .find(|h| h.message_id.as_deref() == Some("hid2@x"))
        .expect("hid2");
    assert_eq!(hid2.save_to_sent_items, Some(false));
    assert_eq!(
        hid2.client_ip.map(|i| i.to_string()).as_deref(),
        Some("203.0.113.9")
    );
    assert_eq!(r.groups[1].domain, "other.example");
}

#[test]
fn without_folder_information_a_copy_anywhere_counts_and_english_names_work() {
    let t = Utc
        .with_ymd_and_hms(2025, 10, 14, 1, 0, 0)
        .single()
        .expect("time");
    let rows = [
        trace("a@x", "b@partner.example", None),
        trace("b@x", "b@partner.example", None),
    ];
    let trace_in: Vec<_> = rows.iter().map(|r| (t, r)).collect();
    // one MBOX for the whole mailbox: the folder is the file name, no well-known folder
    let whole = [env("a@x", Some("tanaka-mailbox"))];
    let r = sent_gap_from_parts(USER, &trace_in, &whole.iter().collect::<Vec<_>>(), &[]);
    assert_eq!(r.basis, SentGapBasis::ExportAnywhere);
    assert_eq!(r.hidden_messages, 1);
    let english = [
        env("a@x", Some("Top of Information Store/Sent Items")),
        env("b@x", Some("Top of Information Store/Inbox")),
    ];
    let r = sent_gap_from_parts(USER, &trace_in, &english.iter().collect::<Vec<_>>(), &[]);
    assert_eq!(r.basis, SentGapBasis::ExportFolders);
    assert_eq!(r.hidden_messages, 1);
    assert_eq!(r.groups[0].rows[0].message_id.as_deref(), Some("b@x"));
}

#[test]
fn events_from_the_store_are_reconciled_and_no_evidence_flags_nothing() {
    let t = Utc
        .with_ymd_and_hms(2025, 10, 14, 1, 0, 0)
        .single()
        .expect("time");
    let ev = |kind| Event {
        tenant: "default".into(),
        natural_id: "x".into(),
        time: t,
        provenance: Provenance {
            file: "f".into(),
            record: 0,
            format: "t".into(),
        },
        raw: String::new(),
        kind,
    };
    let events = vec![
        ev(EventKind::MessageTrace(Box::new(trace(
            "z@x",
            "q@partner.example",
            None,
        )))),
        ev(EventKind::Mail(Box::new(env("y@x", Some("Sent Items"))))),
    ];
    let r = sent_gap(USER, &events);
    assert_eq!(r.hidden_messages, 1);
    assert_eq!(r.groups[0].rows[0].time, t);
    let r = sent_gap(USER, &events[..1]);
    assert_eq!(r.basis, SentGapBasis::NoEvidence);
    assert_eq!(r.hidden_messages, 0);
}

#[test]
fn burst_stats_and_hidden_ids_feed_the_analysis_context() {
    use content::reconcile::burst_stats;
    let t = Utc
        .with_ymd_and_hms(2025, 10, 14, 1, 0, 0)
        .single()
        .expect("time");
    let rows: Vec<MessageTrace> = (0..40)
        .map(|i| trace(&format!("p{i}@x"), &format!("r{i}@partner.example"), None))
        .collect();
    let mut trace_in: Vec<_> = rows.iter().map(|r| (t, r)).collect();
    let usual = MessageTrace {
        subject: Some("定例会議".into()),
        ..trace("u@x", "boss@example.co.jp", None)
    };
    let earlier = Utc
        .with_ymd_and_hms(2025, 10, 1, 1, 0, 0)
        .single()
        .expect("time");
    trace_in.push((earlier, &usual));
    let b = burst_stats(USER, " 請求書の送付 ", &trace_in);
    assert_eq!(b.same_content_messages, 40);
    assert_eq!(b.distinct_recipients, 40);
    assert!(
        (b.baseline_per_day - 1.0).abs() < 1e-9,
        "one other message on one active day"
    );
    let ctx = content::AnalysisContext {
        burst: Some(b),
        ..Default::default()
    };
    let m = content::parse::parse_message(
        b"From: k.tanaka@example.co.jp\nTo: r1@partner.example\nSubject: x\n\nx\n",
        content::parse::Origin {
            source: "t",
            record: 0,
            format: "eml",
            folder: None,
        },
    )
    .expect("parses");
    assert!(content::analyze(&m, &ctx).has("H9"));
    let r = sent_gap_from_parts(USER, &trace_in, &[&env("u@x", Some("Sent Items"))], &[]);
    let ids = r.hidden_message_ids();
    assert_eq!(ids.len(), 40);
    assert!(ids.contains("p7@x"));
}
