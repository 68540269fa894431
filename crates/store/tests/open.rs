//! Opening databases: migrations from an old schema, and clear errors for wrong files.

mod common;

use common::{at, sign_in};
use rusqlite::Connection;
use store::{Error, EventFilter, SqliteStore, Store};

/// Writes the file an early mimamori (schema version 1: events only) would have left.
fn write_version_1_database(path: &std::path::Path) {
    let conn = Connection::open(path).expect("create");
    conn.execute_batch(include_str!("../src/sqlite/migrations/0001_events.sql"))
        .expect("schema 1");
    conn.execute_batch(
        "PRAGMA application_id = 1835625825; PRAGMA user_version = 1;
         INSERT INTO tenants (id, name) VALUES (1, 'default');
         INSERT INTO sources (id, tenant_id, file, format, events)
             VALUES (1, 1, 'old.json', 'graph_signin_json', 1);
         INSERT INTO events (tenant_id, kind, natural_id, time_us, user, ip, source_id, record,
                             codec, typed_len, body_len, body)
             VALUES (1, 'sign_in', 'OLD-1', 1741737600000000, 'sato@example.co.jp', NULL, 1, 1,
                     0, 672, 686, CAST('{\"type\":\"sign_in\",\"sign_in_kind\":null,\"user_principal_name\":\"sato@example.co.jp\",\"user_display_name\":null,\"user_id\":null,\"app_display_name\":null,\"app_id\":null,\"resource_display_name\":null,\"ip_address\":null,\"location\":{\"city\":null,\"state\":null,\"country\":null,\"geo\":null},\"autonomous_system_number\":null,\"client_app_used\":null,\"user_agent\":null,\"error_code\":0,\"failure_reason\":null,\"authentication_requirement\":null,\"authentication_protocol\":null,\"authentication_details\":[],\"conditional_access_status\":null,\"correlation_id\":null,\"session_id\":null,\"device_id\":null,\"operating_system\":null,\"browser\":null,\"risk_level_during_sign_in\":null,\"risk_state\":null,\"tenant_guid\":null}{\"id\":\"OLD-1\"}' AS BLOB));",
    )
    .expect("data");
}

#[test]
fn opening_an_old_version_database_migrates_it_and_keeps_its_events() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    write_version_1_database(&path);

    let mut db = SqliteStore::open(&path).expect("open old");
    assert_eq!(db.schema_version().expect("version"), 6);
    // The old event is readable through the current code.
    let mut seen = Vec::new();
    db.for_each_event(&EventFilter::default(), &mut |e| {
        seen.push((e.natural_id, e.raw, e.kind.user().map(str::to_string)));
        Ok(())
    })
    .expect("read");
    assert_eq!(
        seen,
        vec![(
            "OLD-1".to_string(),
            "{\"id\":\"OLD-1\"}".to_string(),
            Some("sato@example.co.jp".to_string())
        )]
    );
    // Migration 4 computed the old row's key: the same record again is a duplicate, found by
    // reference, and a new one is stored beside it.
    let again = sign_in("default", "OLD-1", at(0), "sato@example.co.jp");
    let counts = db.insert_events(&[again]).expect("re-insert");
    assert_eq!((counts.stored, counts.duplicate), (0, 1));
    let counts = db
        .insert_events(&[sign_in("default", "NEW-1", at(1), "sato@example.co.jp")])
        .expect("insert new");
    assert_eq!((counts.stored, counts.duplicate), (1, 0));
    let found = db
        .events_by_ref(
            "default",
            &[model::EvidenceRef {
                kind: "sign_in".into(),
                natural_id: "OLD-1".into(),
            }],
        )
        .expect("by ref");
    assert_eq!(
        found[0].as_ref().map(|e| e.raw.as_str()),
        Some("{\"id\":\"OLD-1\"}")
    );
    // Tables of later migrations work.
    let run = db
        .begin_run("default", "mimamori ingest x", &["x".into()])
        .expect("run");
    db.finish_run(run, &serde_json::json!({"files": []}))
        .expect("finish");
    db.replace_findings("default", &[], &[])
        .expect("findings table");
    drop(db);

    // The version is recorded: opening again applies nothing and keeps the run.
    let db = SqliteStore::open(&path).expect("reopen");
    assert_eq!(db.schema_version().expect("version"), 6);
    assert_eq!(db.runs(None).expect("runs").len(), 1);
}

#[test]
fn a_new_file_is_created_in_wal_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("new.db");
    let mut db = SqliteStore::open(&path).expect("create");
    db.insert_events(&[sign_in("default", "1", at(0), "u@example.co.jp")])
        .expect("insert");
    drop(db);
    let conn = Connection::open(&path).expect("plain open");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("mode");
    assert_eq!(mode, "wal");
}

#[test]
fn a_file_that_is_not_sqlite_gives_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("signins.csv");
    std::fs::write(
        &path,
        "Date (UTC),Request ID,User\n2025-03-12T00:00:00Z,abc,yamada@example.co.jp\n".repeat(100),
    )
    .expect("write");
    let err = SqliteStore::open(&path).expect_err("must refuse");
    assert!(matches!(err, Error::NotADatabase { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("signins.csv"), "{message}");
    assert!(message.contains("not a SQLite database"), "{message}");
    // The file was left alone.
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .starts_with("Date (UTC)")
    );
}

#[test]
fn a_damaged_database_gives_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.db");
    let mut db = SqliteStore::open(&path).expect("create");
    db.insert_events(&[sign_in("default", "1", at(0), "u@example.co.jp")])
        .expect("insert");
    drop(db);
    // Overwrite the header's magic string.
    let mut bytes = std::fs::read(&path).expect("read");
    bytes[..16].copy_from_slice(b"garbage garbage!");
    std::fs::write(&path, bytes).expect("write");
    let err = SqliteStore::open(&path).expect_err("must refuse");
    assert!(matches!(err, Error::NotADatabase { .. }), "{err:?}");
}

#[test]
fn another_programs_sqlite_database_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("other.db");
    let conn = Connection::open(&path).expect("create");
    conn.execute_batch("CREATE TABLE contacts (name TEXT)")
        .expect("table");
    drop(conn);
    let err = SqliteStore::open(&path).expect_err("must refuse");
    assert!(matches!(err, Error::ForeignDatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("not a mimamori one"), "{err}");
    // And nothing of ours was added.
    let conn = Connection::open(&path).expect("open");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 1);
}

#[test]
fn a_database_from_a_newer_mimamori_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("future.db");
    drop(SqliteStore::open(&path).expect("create"));
    let conn = Connection::open(&path).expect("open");
    conn.execute_batch("PRAGMA user_version = 99")
        .expect("bump");
    drop(conn);
    let err = SqliteStore::open(&path).expect_err("must refuse");
    assert!(
        matches!(
            err,
            Error::SchemaTooNew {
                found: 99,
                supported: 6,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_missing_folder_gives_an_open_error_naming_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("no/such/folder/m.db");
    let err = SqliteStore::open(&path).expect_err("must fail");
    assert!(matches!(err, Error::Open { .. }), "{err:?}");
    assert!(err.to_string().contains("no/such/folder"), "{err}");
}

fn has_user_index(path: &std::path::Path) -> bool {
    let conn = Connection::open(path).expect("raw open");
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = 'events_tenant_user_time'",
        [],
        |r| r.get::<_, i64>(0),
    )
    .expect("query")
        == 1
}

#[test]
fn a_large_ingest_drops_the_user_index_and_the_run_end_rebuilds_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bulk.db");
    let options = store::SqliteOptions {
        bulk_min_events: 100,
        ..store::SqliteOptions::default()
    };
    let mut db = SqliteStore::open_with(&path, &options).expect("open");
    let run = db
        .begin_run("default", "mimamori ingest", &[])
        .expect("run");
    let users = ["sato@example.co.jp", "suzuki@example.co.jp"];
    let batch = |from: i64| -> Vec<model::Event> {
        (from..from + 60)
            .map(|i| sign_in("default", &format!("S{i}"), at(i), users[(i % 2) as usize]))
            .collect()
    };
    db.insert_events(&batch(0)).expect("first");
    assert!(has_user_index(&path), "60 events are not a bulk load");
    db.insert_events(&batch(60)).expect("second");
    assert!(!has_user_index(&path), "120 events of 120 are");
    // Reads stay correct without it.
    let sato = EventFilter {
        user: Some("SATO@example.co.jp".into()),
        ..EventFilter::default()
    };
    assert_eq!(db.count_events(&sato).expect("count"), 60);
    db.finish_run(run, &serde_json::json!({})).expect("finish");
    assert!(has_user_index(&path));
    assert_eq!(db.count_events(&sato).expect("count"), 60);

    // A small later run keeps the index; closing a handle that dropped it rebuilds it.
    db.insert_events(&batch(120)).expect("third");
    assert!(has_user_index(&path), "60 new events are a small run");
    drop(db);
    let mut db = SqliteStore::open_with(&path, &options).expect("reopen");
    for from in [180, 240, 300, 360] {
        db.insert_events(&batch(from)).expect("more");
    }
    assert!(!has_user_index(&path), "240 of 420 events is a bulk load");
    drop(db);
    assert!(has_user_index(&path));
    let db = SqliteStore::open(&path).expect("reopen");
    assert_eq!(db.count_events(&sato).expect("count"), 210);
}
