//! Events whose typed content derives from their raw text (Graph sign-ins) are stored as raw
//! text only (migration 6) and read back identical; duplicates and merges still work.

mod common;

use common::{Rng, at, derive_sign_in, read_events, realistic_sign_in};
use model::{Event, EventKind};
use rusqlite::Connection;
use store::{EventFilter, InsertCounts, SqliteStore, Store};

fn all(db: &SqliteStore) -> Vec<Event> {
    read_events(db, &EventFilter::default())
}

/// (typed_len, body_len) of every stored event, by natural id.
fn lengths(path: &std::path::Path) -> Vec<(String, i64, i64)> {
    let conn = Connection::open(path).expect("open");
    let mut stmt = conn
        .prepare("SELECT natural_id, typed_len, body_len FROM events ORDER BY natural_id")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

#[test]
fn graph_sign_ins_are_stored_raw_only_and_read_back_identical() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("d.db");
    let mut rng = Rng::new(7);
    let events: Vec<Event> = (0..50)
        .map(|i| realistic_sign_in(&mut rng, "default", at(i * 60), 10))
        .collect();
    {
        let mut db = SqliteStore::open(&path).expect("open");
        let c = db.insert_events(&events).expect("insert");
        assert_eq!(c.stored, 50);
        let mut back = all(&db);
        let mut want = events.clone();
        back.sort_by(|a, b| a.natural_id.cmp(&b.natural_id));
        want.sort_by(|a, b| a.natural_id.cmp(&b.natural_id));
        assert_eq!(back, want);
        // Re-ingest: plain duplicates, nothing written.
        assert_eq!(
            db.insert_events(&events).expect("again"),
            InsertCounts {
                stored: 0,
                duplicate: 50,
                enriched: 0
            }
        );
    }
    for (id, typed_len, body_len) in lengths(&path) {
        let ev = events.iter().find(|e| e.natural_id == id).expect("event");
        assert_eq!(typed_len, 0, "{id}: typed JSON was stored");
        assert_eq!(
            body_len as usize,
            ev.raw.len(),
            "{id}: body is not the raw text"
        );
    }
}

#[test]
fn another_text_of_the_same_sign_in_is_a_duplicate_and_a_richer_one_merges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.db");
    let mut db = SqliteStore::open(&path).expect("open");
    let first = realistic_sign_in(&mut Rng::new(3), "default", at(0), 5);
    db.insert_events(std::slice::from_ref(&first))
        .expect("first");

    // The portal's "Download JSON" of the same sign-in: same values, other layout.
    let mut spaced = first.clone();
    spaced.provenance.file = "portal-download.json".into();
    spaced.raw = first.raw.replace("\",\"", "\", \"");
    assert_ne!(spaced.raw, first.raw);
    assert_eq!(derive_sign_in(&spaced.raw), first.kind);
    assert_eq!(
        db.insert_events(std::slice::from_ref(&spaced))
            .expect("spaced"),
        InsertCounts {
            stored: 0,
            duplicate: 1,
            enriched: 0
        }
    );

    // A later export that also has the session id: filled in, and from then on the event keeps
    // explicit typed JSON (it no longer follows from its raw text alone).
    let mut richer = first.clone();
    richer.provenance.file = "later.json".into();
    richer.raw = first.raw.replacen('{', "{\"sessionId\":\"s-42\",", 1);
    richer.kind = derive_sign_in(&richer.raw);
    assert_eq!(
        db.insert_events(std::slice::from_ref(&richer))
            .expect("richer"),
        InsertCounts {
            stored: 0,
            duplicate: 1,
            enriched: 1
        }
    );
    let back = all(&db);
    assert_eq!(back.len(), 1);
    assert_eq!(
        back[0].raw, first.raw,
        "the first copy stays the primary raw text"
    );
    let EventKind::SignIn(s) = &back[0].kind else {
        panic!("not a sign-in");
    };
    assert_eq!(s.session_id.as_deref(), Some("s-42"));
    drop(db);
    let (_, typed_len, _) = lengths(&path).remove(0);
    assert!(typed_len > 0, "merged event must keep its typed JSON");
}

#[test]
fn a_raw_only_body_of_a_format_that_cannot_derive_is_reported_corrupt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("c.db");
    let first = realistic_sign_in(&mut Rng::new(5), "default", at(0), 5);
    {
        let mut db = SqliteStore::open(&path).expect("open");
        db.insert_events(std::slice::from_ref(&first))
            .expect("insert");
    }
    Connection::open(&path)
        .expect("open")
        .execute_batch("UPDATE sources SET format = 'purview_audit_csv'")
        .expect("tamper");
    let db = SqliteStore::open(&path).expect("open");
    let err = db
        .for_each_event(&EventFilter::default(), &mut |_| Ok(()))
        .expect_err("must fail");
    let text = err.to_string();
    assert!(
        text.contains(&first.natural_id) && text.contains("purview_audit_csv"),
        "{text}"
    );
}
