//! Bodies compressed against a per-(tenant, kind, format) dictionary (migration 5): smaller,
//! read back exactly, merged and re-read across handles, and a lost dictionary is an error.

mod common;

use common::{Rng, at, realistic_sign_in};
use rusqlite::Connection;
use store::{Error, EventFilter, SqliteStore, Store};

fn events(n: usize, tenant: &str) -> Vec<model::Event> {
    let mut rng = Rng::new(7);
    (0..n)
        .map(|i| realistic_sign_in(&mut rng, tenant, at(i as i64), 50))
        .collect()
}

#[test]
fn similar_bodies_share_one_dictionary_per_tenant_and_read_back_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("d.db");
    let a = events(300, "tenant-a");
    let b = events(50, "tenant-b");
    {
        let mut db = SqliteStore::open(&path).expect("open");
        db.insert_events(&a[..200]).expect("insert");
        db.insert_events(&b).expect("insert b");
    }
    // A second handle reuses the stored dictionary instead of making another.
    {
        let mut db = SqliteStore::open(&path).expect("reopen");
        let c = db.insert_events(&a).expect("insert rest");
        assert_eq!((c.stored, c.duplicate), (100, 200));
        let mut back = Vec::new();
        db.for_each_event(&EventFilter::tenant("tenant-a"), &mut |e| {
            back.push(e);
            Ok(())
        })
        .expect("read");
        let mut want = a.clone();
        want.sort_by(|x, y| (x.time, &x.natural_id).cmp(&(y.time, &y.natural_id)));
        assert_eq!(back, want);
    }
    let conn = Connection::open(&path).expect("sqlite");
    let dicts: i64 = conn
        .query_row("SELECT count(*) FROM dicts", [], |r| r.get(0))
        .expect("dicts");
    assert_eq!(dicts, 2, "one per tenant (same kind and format)");
    let (with_dict, avg_blob, avg_body): (i64, f64, f64) = conn
        .query_row(
            "SELECT count(*), avg(length(body)), avg(body_len) FROM events WHERE codec = 2",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("codec 2 rows");
    assert!(
        with_dict >= 340,
        "{with_dict} of 350 rows use the dictionary"
    );
    assert!(
        avg_blob * 3.0 < avg_body,
        "compressed {avg_blob:.0} B of {avg_body:.0} B"
    );
}

#[test]
fn an_event_whose_dictionary_is_gone_is_a_corrupt_error_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("d.db");
    let evs = events(20, "default");
    SqliteStore::open(&path)
        .expect("open")
        .insert_events(&evs)
        .expect("insert");
    let conn = Connection::open(&path).expect("sqlite");
    conn.execute_batch("PRAGMA foreign_keys = OFF; DELETE FROM dicts;")
        .expect("damage");
    drop(conn);
    let db = SqliteStore::open(&path).expect("reopen");
    let err = db
        .for_each_event(&EventFilter::default(), &mut |_| Ok(()))
        .expect_err("must fail");
    assert!(
        matches!(&err, Error::Corrupt { what, .. } if what.contains("dictionary")),
        "{err:?}"
    );
}
