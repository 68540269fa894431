//! Writing and reading events: idempotence, tenant isolation, ordering, filters, round trip.

mod common;

use common::{Rng, at, audit, mail, read_events as all, realistic_sign_in, sign_in, trace};
use model::{Event, EvidenceRef};
use store::{Error, EventFilter, InsertCounts, SqliteOptions, SqliteStore, Store};

#[test]
fn re_ingesting_the_same_events_adds_no_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.db");
    let mut rng = Rng::new(7);
    let batch: Vec<Event> = (0..500)
        .map(|i| realistic_sign_in(&mut rng, "default", at(i), 50))
        .collect();
    let mut db = SqliteStore::open(&path).expect("open");
    let first = db.insert_events(&batch).expect("insert");
    assert_eq!(
        first,
        InsertCounts {
            stored: 500,
            duplicate: 0,
            enriched: 0
        }
    );
    let again = db.insert_events(&batch).expect("insert again");
    assert_eq!(
        again,
        InsertCounts {
            stored: 0,
            duplicate: 500,
            enriched: 0
        }
    );
    drop(db);

    // Also across a reopen, and with a repeat inside one batch.
    let mut db = SqliteStore::open(&path).expect("reopen");
    let mut mixed = vec![batch[3].clone(), batch[3].clone()];
    let fresh = realistic_sign_in(&mut rng, "default", at(9999), 50);
    mixed.push(fresh.clone());
    mixed.push(fresh);
    let counts = db.insert_events(&mixed).expect("insert mixed");
    assert_eq!(
        counts,
        InsertCounts {
            stored: 1,
            duplicate: 3,
            enriched: 0
        }
    );
    assert_eq!(
        db.count_events(&EventFilter::default()).expect("count"),
        501
    );
    assert_eq!(db.stats(None).expect("stats").sign_ins, 501);
}

#[test]
fn same_id_of_another_kind_is_another_event() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    let counts = db
        .insert_events(&[
            sign_in("default", "X1", at(0), "a@example.co.jp"),
            trace("default", "X1", at(0), "a@example.co.jp"),
        ])
        .expect("insert");
    assert_eq!(counts.stored, 2);
}

#[test]
fn two_tenants_in_one_database_are_kept_apart() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    // The same natural id in two tenants is two events.
    db.insert_events(&[
        sign_in("tenant-a", "S1", at(10), "yamada@a.example.co.jp"),
        sign_in("tenant-a", "S2", at(20), "yamada@a.example.co.jp"),
        sign_in("tenant-b", "S1", at(15), "nguyen@b.example.com.vn"),
    ])
    .expect("insert");
    assert_eq!(db.tenants().expect("tenants"), vec!["tenant-a", "tenant-b"]);

    let a = all(&db, &EventFilter::tenant("tenant-a"));
    assert_eq!(a.len(), 2);
    assert!(a.iter().all(|e| e.tenant == "tenant-a"));
    let b = all(&db, &EventFilter::tenant("tenant-b"));
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].tenant, "tenant-b");
    assert_eq!(b[0].natural_id, "S1");

    assert_eq!(
        db.count_events(&EventFilter::tenant("tenant-a"))
            .expect("count"),
        2
    );
    assert_eq!(
        db.count_events(&EventFilter::tenant("nobody"))
            .expect("count"),
        0
    );
    assert_eq!(db.stats(Some("tenant-b")).expect("stats").events, 1);
    assert_eq!(db.stats(Some("tenant-a")).expect("stats").by_user.len(), 1);
    assert_eq!(db.stats(None).expect("stats").events, 3);

    // A user filter does not leak across tenants either.
    let filter = EventFilter {
        tenant: Some("tenant-b".into()),
        user: Some("yamada@a.example.co.jp".into()),
        ..EventFilter::default()
    };
    assert_eq!(db.count_events(&filter).expect("count"), 0);
}

#[test]
fn events_come_back_in_time_then_natural_id_order() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    // Inserted out of order, over several batches, with ties on time.
    db.insert_events(&[
        sign_in("default", "c", at(30), "u@example.co.jp"),
        sign_in("default", "b", at(10), "u@example.co.jp"),
    ])
    .expect("insert");
    db.insert_events(&[
        trace("default", "a", at(10), "u@example.co.jp"),
        audit("default", "z", at(5), "u@example.co.jp", "Send"),
        mail("default", "m", at(20)),
    ])
    .expect("insert");
    let seen: Vec<(i64, String)> = all(&db, &EventFilter::default())
        .iter()
        .map(|e| (e.time.timestamp() - at(0).timestamp(), e.natural_id.clone()))
        .collect();
    let expected: Vec<(i64, String)> = [(5, "z"), (10, "a"), (10, "b"), (20, "m"), (30, "c")]
        .iter()
        .map(|(t, id)| (*t, id.to_string()))
        .collect();
    assert_eq!(seen, expected);

    // With a second tenant, "all tenants" interleaves both by time.
    db.insert_events(&[
        sign_in("other", "o1", at(7), "x@example.com"),
        sign_in("other", "o2", at(25), "x@example.com"),
    ])
    .expect("insert other");
    let seen: Vec<String> = all(&db, &EventFilter::default())
        .into_iter()
        .map(|e| format!("{}/{}", e.tenant, e.natural_id))
        .collect();
    assert_eq!(
        seen,
        [
            "default/z",
            "other/o1",
            "default/a",
            "default/b",
            "default/m",
            "other/o2",
            "default/c"
        ]
    );
}

#[test]
fn filters_select_by_time_kind_and_user() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    db.insert_events(&[
        sign_in("default", "s1", at(0), "yamada@example.co.jp"),
        sign_in("default", "s2", at(100), "suzuki@example.co.jp"),
        audit(
            "default",
            "a1",
            at(50),
            "yamada@example.co.jp",
            "New-InboxRule",
        ),
        trace("default", "t1", at(150), "yamada@example.co.jp"),
        mail("default", "m1", at(200)),
    ])
    .expect("insert");
    let ids = |f: EventFilter| -> Vec<String> {
        all(&db, &f).into_iter().map(|e| e.natural_id).collect()
    };
    // since inclusive, until exclusive.
    assert_eq!(
        ids(EventFilter {
            since: Some(at(50)),
            until: Some(at(150)),
            ..Default::default()
        }),
        vec!["a1", "s2"]
    );
    assert_eq!(
        ids(EventFilter {
            kinds: vec!["sign_in".into(), "mail".into()],
            ..Default::default()
        }),
        vec!["s1", "s2", "m1"]
    );
    // User filter compares lower-cased.
    assert_eq!(
        ids(EventFilter {
            user: Some("YAMADA@example.co.jp".into()),
            ..Default::default()
        }),
        vec!["s1", "a1", "t1"]
    );
    let err = db
        .count_events(&EventFilter {
            kinds: vec!["signin".into()],
            ..Default::default()
        })
        .expect_err("unknown kind");
    assert!(
        matches!(err, Error::UnknownKind(ref k) if k == "signin"),
        "{err}"
    );
}

#[test]
fn every_kind_round_trips_with_raw_text_and_provenance() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    let mut rng = Rng::new(3);
    let events = vec![
        realistic_sign_in(&mut rng, "default", at(1), 10), // long raw: stored compressed
        sign_in("default", "s", at(2), "u@example.co.jp"), // short raw: stored verbatim
        audit(
            "default",
            "a",
            at(3),
            "u@example.co.jp",
            "MailItemsAccessed",
        ),
        trace("default", "t", at(4), "u@example.co.jp"),
        mail("default", "m", at(5)),
    ];
    db.insert_events(&events).expect("insert");
    let back = all(&db, &EventFilter::default());
    assert_eq!(back, events);

    let refs = vec![
        EvidenceRef {
            kind: "audit".into(),
            natural_id: "a".into(),
        },
        EvidenceRef {
            kind: "sign_in".into(),
            natural_id: "missing".into(),
        },
        EvidenceRef {
            kind: "mail".into(),
            natural_id: "m".into(),
        },
    ];
    let found = db.events_by_ref("default", &refs).expect("by ref");
    assert_eq!(
        found,
        vec![Some(events[2].clone()), None, Some(events[4].clone())]
    );
    assert_eq!(
        db.events_by_ref("other", &refs).expect("by ref"),
        vec![None, None, None]
    );
}

#[test]
fn a_failing_callback_stops_the_iteration_with_its_error() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    db.insert_events(&[
        sign_in("default", "1", at(1), "u@example.co.jp"),
        sign_in("default", "2", at(2), "u@example.co.jp"),
        sign_in("default", "3", at(3), "u@example.co.jp"),
    ])
    .expect("insert");
    let mut calls = 0;
    let err = db
        .for_each_event(&EventFilter::default(), &mut |_| {
            calls += 1;
            if calls == 2 {
                return Err(Error::visitor("detector gave up"));
            }
            Ok(())
        })
        .expect_err("must stop");
    assert_eq!(calls, 2);
    assert_eq!(err.to_string(), "detector gave up");
}

#[test]
fn an_empty_batch_is_fine() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    assert_eq!(
        db.insert_events(&[]).expect("insert"),
        InsertCounts::default()
    );
    assert!(db.tenants().expect("tenants").is_empty());
}

#[test]
fn rows_written_with_and_without_compression_read_back_alike() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mixed.db");
    let mut rng = Rng::new(11);
    let plain_batch: Vec<Event> = (0..300)
        .map(|i| realistic_sign_in(&mut rng, "default", at(i), 10))
        .collect();
    let packed_batch: Vec<Event> = (300..600)
        .map(|i| realistic_sign_in(&mut rng, "default", at(i), 10))
        .collect();
    let plain = SqliteOptions {
        compress: false,
        ..SqliteOptions::default()
    };
    let size = || std::fs::metadata(&path).expect("size").len();
    drop(SqliteStore::open_with(&path, &plain).expect("create"));
    let empty = size();
    let mut db = SqliteStore::open_with(&path, &plain).expect("open plain");
    db.insert_events(&plain_batch).expect("insert plain");
    drop(db);
    let after_plain = size();

    let mut db = SqliteStore::open(&path).expect("open compressed");
    db.insert_events(&packed_batch).expect("insert compressed");
    let back = all(&db, &EventFilter::default());
    let expected: Vec<Event> = plain_batch.into_iter().chain(packed_batch).collect();
    assert_eq!(back, expected);
    drop(db);
    // The compressed half grew the file clearly less than the plain half did.
    let plain_growth = after_plain - empty;
    let packed_growth = size() - after_plain;
    assert!(
        packed_growth * 4 < plain_growth * 3,
        "plain half {plain_growth} B, compressed half {packed_growth} B"
    );
}
