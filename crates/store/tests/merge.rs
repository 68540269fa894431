//! Duplicates from other exports fill what the stored copy lacks ("nothing lost", 欠落なし).

mod common;

use std::net::{IpAddr, Ipv4Addr};

use common::{at, read_events, sign_in, trace};
use model::{AuthStep, Event, EventKind, EvidenceRef};
use store::{EventFilter, InsertCounts, SqliteStore, Store};

const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 44));

fn counts(stored: u64, duplicate: u64, enriched: u64) -> InsertCounts {
    InsertCounts {
        stored,
        duplicate,
        enriched,
    }
}

/// The `Get-MessageTraceV2` row: no submitting client IP.
fn trace_v2() -> Event {
    trace(
        "default",
        "MT-1|a@example.net",
        at(10),
        "sato@example.co.jp",
    )
}

/// The historical-search extended report row of the same message and recipient: has
/// `client_ip`, lacks the subject, and names another file and record.
fn trace_extended() -> Event {
    let mut e = trace_v2();
    e.provenance.file = "historical_search.csv".into();
    e.provenance.format = "message_trace_extended_csv".into();
    e.provenance.record = 17;
    e.raw = r#"{"message_id":"MT-1","client_ip":"192.0.2.44"}"#.into();
    if let EventKind::MessageTrace(m) = &mut e.kind {
        m.client_ip = Some(CLIENT);
        m.subject = None;
        m.status = Some(String::new());
    }
    e
}

fn only_event(db: &SqliteStore) -> Event {
    let mut all = read_events(db, &EventFilter::default());
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

fn trace_of(e: &Event) -> &model::MessageTrace {
    match &e.kind {
        EventKind::MessageTrace(m) => m,
        other => panic!("not a trace: {other:?}"),
    }
}

#[test]
fn a_later_copy_with_client_ip_fills_it_in_and_keeps_the_first_raw_text() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    assert_eq!(
        db.insert_events(&[trace_v2()]).expect("v2"),
        counts(1, 0, 0)
    );
    assert_eq!(
        db.insert_events(&[trace_extended()]).expect("extended"),
        counts(0, 1, 1)
    );
    let e = only_event(&db);
    let m = trace_of(&e);
    assert_eq!(m.client_ip, Some(CLIENT));
    // Present values are never overwritten by the later copy's empty or absent ones.
    assert_eq!(m.subject.as_deref(), Some("請求書のご確認"));
    // The first copy stays the primary evidence.
    assert_eq!(e.raw, trace_v2().raw);
    assert_eq!(e.provenance, trace_v2().provenance);

    // Both exports are named, and the enriching copy's raw text is kept.
    let r = EvidenceRef {
        kind: "message_trace".into(),
        natural_id: "MT-1|a@example.net".into(),
    };
    let sources = db.event_sources("default", &r).expect("sources");
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources[0].primary && !sources[0].enriched);
    assert_eq!(sources[0].provenance.file, "trace.csv");
    assert!(!sources[1].primary && sources[1].enriched);
    assert_eq!(sources[1].provenance, trace_extended().provenance);
    assert_eq!(
        sources[1].raw.as_deref(),
        Some(trace_extended().raw.as_str())
    );

    // Re-ingesting both exports changes nothing.
    let again = db
        .insert_events(&[trace_v2(), trace_extended()])
        .expect("again");
    assert_eq!(again, counts(0, 2, 0));
    assert_eq!(db.event_sources("default", &r).expect("sources").len(), 2);
    assert_eq!(only_event(&db), e);
}

#[test]
fn the_reverse_order_keeps_client_ip_and_fills_the_subject() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    assert_eq!(
        db.insert_events(&[trace_extended()]).expect("extended"),
        counts(1, 0, 0)
    );
    // The V2 row has no client IP (never erases one) but has the subject and a status.
    assert_eq!(
        db.insert_events(&[trace_v2()]).expect("v2"),
        counts(0, 1, 1)
    );
    let e = only_event(&db);
    let m = trace_of(&e);
    assert_eq!(m.client_ip, Some(CLIENT));
    assert_eq!(m.subject.as_deref(), Some("請求書のご確認"));
    assert_eq!(e.raw, trace_extended().raw);
}

#[test]
fn both_copies_in_one_batch_merge_too() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    let c = db
        .insert_events(&[trace_v2(), trace_extended(), trace_v2()])
        .expect("insert");
    assert_eq!(c, counts(1, 2, 1));
    assert_eq!(trace_of(&only_event(&db)).client_ip, Some(CLIENT));
}

#[test]
fn a_present_value_is_never_overwritten() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    let first = sign_in("default", "S-1", at(0), "sato@example.co.jp");
    db.insert_events(std::slice::from_ref(&first))
        .expect("first");
    // Same sign-in from a portal CSV: another IP and user (conflicting present values), but
    // authentication details and a user agent the first copy lacks.
    let mut portal = sign_in("default", "S-1", at(0), "other@example.co.jp");
    portal.provenance.file = "InteractiveSignIns.csv".into();
    portal.provenance.format = "portal_signin_csv".into();
    if let EventKind::SignIn(s) = &mut portal.kind {
        s.ip_address = Some(CLIENT);
        s.error_code = Some(50126);
        s.user_agent = Some("Mozilla/5.0".into());
        s.authentication_details = vec![AuthStep {
            method: Some("Password".into()),
            succeeded: Some(true),
            ..AuthStep::default()
        }];
    }
    assert_eq!(
        db.insert_events(std::slice::from_ref(&portal))
            .expect("portal"),
        counts(0, 1, 1)
    );
    let e = only_event(&db);
    let EventKind::SignIn(s) = &e.kind else {
        panic!("not a sign-in");
    };
    let EventKind::SignIn(orig) = &first.kind else {
        panic!("not a sign-in");
    };
    assert_eq!(s.user_principal_name, orig.user_principal_name);
    assert_eq!(s.ip_address, orig.ip_address);
    assert_eq!(s.error_code, Some(0));
    assert_eq!(s.user_agent.as_deref(), Some("Mozilla/5.0"));
    assert_eq!(s.authentication_details.len(), 1);
    // The user and IP columns (filters) still follow the primary values.
    let by_user = EventFilter {
        user: Some("sato@example.co.jp".into()),
        ..EventFilter::default()
    };
    assert_eq!(db.count_events(&by_user).expect("count"), 1);

    // A copy that adds nothing is a plain duplicate, though its content differs.
    let mut poorer = portal.clone();
    poorer.provenance.record = 99;
    if let EventKind::SignIn(s) = &mut poorer.kind {
        s.user_agent = None;
    }
    assert_eq!(
        db.insert_events(&[poorer]).expect("poorer"),
        counts(0, 1, 0)
    );
    assert_eq!(only_event(&db).kind, e.kind);
}

#[test]
fn a_key_collision_stores_both_events_and_finds_each() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("c.db");
    let mut db = SqliteStore::open(&path).expect("open");
    db.insert_events(&[sign_in("default", "A", at(0), "sato@example.co.jp")])
        .expect("A");
    drop(db);
    // Forge a collision: A's row gets the key B will have (as if the hashes were equal).
    let conn = rusqlite::Connection::open(&path).expect("raw open");
    let b_key: i64 = {
        // The key of B, read back from a scratch database.
        let scratch = dir.path().join("probe.db");
        let mut p = SqliteStore::open(&scratch).expect("probe file");
        p.insert_events(&[sign_in("default", "B", at(1), "sato@example.co.jp")])
            .expect("B");
        drop(p);
        rusqlite::Connection::open(&scratch)
            .expect("probe raw")
            .query_row("SELECT key FROM events", [], |r| r.get(0))
            .expect("key")
    };
    conn.execute("UPDATE events SET key = ?1", [b_key])
        .expect("forge");
    drop(conn);

    let mut db = SqliteStore::open(&path).expect("reopen");
    let c = db
        .insert_events(&[sign_in("default", "B", at(1), "sato@example.co.jp")])
        .expect("B");
    assert_eq!(c, counts(1, 0, 0));
    // Two rows share B's key now: B again is found among them (a duplicate, not A).
    let c = db
        .insert_events(&[sign_in("default", "B", at(1), "sato@example.co.jp")])
        .expect("B again");
    assert_eq!(c, counts(0, 1, 0));
    assert_eq!(db.count_events(&EventFilter::default()).expect("count"), 2);
    let found = db
        .events_by_ref(
            "default",
            &[EvidenceRef {
                kind: "sign_in".into(),
                natural_id: "B".into(),
            }],
        )
        .expect("by ref");
    assert_eq!(found[0].as_ref().map(|e| e.natural_id.as_str()), Some("B"));
}

#[test]
fn re_ingesting_identical_exports_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("w.db");
    let mut db = SqliteStore::open(&path).expect("open");
    let batch = vec![
        trace_v2(),
        trace_extended(),
        sign_in("default", "S-9", at(5), "x@example.co.jp"),
    ];
    assert_eq!(db.insert_events(&batch).expect("first"), counts(2, 1, 1));
    // Empty the WAL (everything goes into the main file), then re-ingest: no frame may appear.
    let raw = rusqlite::Connection::open(&path).expect("raw open");
    raw.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
    let wal = dir.path().join("w.db-wal");
    assert_eq!(std::fs::metadata(&wal).expect("wal").len(), 0);
    assert_eq!(db.insert_events(&batch).expect("again"), counts(0, 3, 0));
    assert_eq!(
        std::fs::metadata(&wal).expect("wal").len(),
        0,
        "an identical re-ingest wrote to the database"
    );
    // A genuinely new event does write (the check above can fail).
    db.insert_events(&[sign_in("default", "S-10", at(6), "x@example.co.jp")])
        .expect("new");
    assert!(std::fs::metadata(&wal).expect("wal").len() > 0);
}
