//! What ingesting one Graph sign-in costs at the least, part by part, on this machine — the
//! measured floor under issue #2's target (≥100k sign-ins/s per core, Graph JSON into SQLite,
//! every raw record kept).
//!
//! Each part is timed alone, in this thread's CPU time (user + system, from
//! `/proc/thread-self/schedstat`), on real generated Graph sign-in pages:
//! - **split**: finding each record's bytes in the pages (a bare memchr scanner, no parsing);
//! - **read**: mimamori's reader (`normalize::read_path`: split, parse, normalize);
//! - **lz4**: compressing each raw record against a dictionary (what the store does);
//! - **sqlite**: inserting one row per record with plain rusqlite, the store's pragmas and
//!   schema shape, growing step by step: a bare row; + the dedup key index; + the time and
//!   kind indexes; + the compressed body; + the lookup before each insert;
//! - **store**: `SqliteStore::insert_events` on the reader's events (the real thing).
//!
//! Run: `cargo bench -p store --bench floor`. `MIMAMORI_SIGNIN_PAGES=DIR` uses the Graph
//! pages of a tenant written by `mimamori generate` (its `signins/graph` folder); otherwise a
//! 300-user, 30-day tenant is generated into a temporary folder first. `MIMAMORI_PAGE_SIZE`
//! sets the SQLite page size of the plain-rusqlite steps (default 16384, the store's own
//! default), to compare page sizes.

use std::path::{Path, PathBuf};

use model::Event;
use normalize::{ReadOptions, VecSink};
use rusqlite::{Connection, params};
use store::{SqliteStore, Store};

#[path = "../tests/common/mod.rs"]
mod common;

use common::thread_cpu;

/// Runs `f`, returns its result and the CPU microseconds per record it took.
fn timed<T>(records: usize, f: impl FnOnce() -> T) -> (T, f64) {
    let t0 = thread_cpu();
    let out = f();
    let us = (thread_cpu() - t0).as_secs_f64() * 1e6 / records.max(1) as f64;
    (out, us)
}

/// The byte range of each element of the `value` array of a Graph page.
fn split_page(page: &[u8], out: &mut Vec<(usize, usize)>) {
    let Some(v) = memchr::memmem::find(page, b"\"value\"") else {
        return;
    };
    let Some(open) = memchr::memchr(b'[', &page[v..]) else {
        return;
    };
    let mut i = v + open + 1;
    let (mut depth, mut start) = (0u32, 0usize);
    while i < page.len() {
        match page[i] {
            b'"' => {
                i += 1;
                while let Some(k) = memchr::memchr2(b'"', b'\\', &page[i..]) {
                    if page[i + k] == b'\\' {
                        i += k + 2;
                    } else {
                        i += k;
                        break;
                    }
                }
            }
            b'{' | b'[' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            b'}' | b']' => {
                if depth == 0 {
                    return;
                }
                depth -= 1;
                if depth == 0 {
                    out.push((start, i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The store's pragmas after the page size (`SqliteOptions` defaults, `sqlite/mod.rs`).
const PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
    PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 8192;";
const TABLE: &str = "CREATE TABLE events (id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL, \
    key INTEGER NOT NULL, kind TEXT NOT NULL, natural_id TEXT NOT NULL, time_us INTEGER NOT NULL, \
    user TEXT, ip TEXT, source_id INTEGER NOT NULL, record INTEGER NOT NULL, codec INTEGER NOT NULL, \
    typed_len INTEGER NOT NULL, body_len INTEGER NOT NULL, body BLOB NOT NULL, dict_id INTEGER)";

#[derive(Clone, Copy)]
struct Step {
    name: &'static str,
    key_index: bool,
    other_indexes: bool,
    body: bool,
    lookup: bool,
}

/// Inserts every event as one row, batches of 1,400 (the pipeline's 4 MiB) per transaction,
/// with the parts `step` names. Returns CPU µs per row, including the final checkpoint.
fn sqlite_rows(dir: &Path, events: &[Event], bodies: &[Vec<u8>], step: Step) -> f64 {
    let path = dir.join(format!("{}.db", step.name.replace(' ', "_")));
    let (_, us) = timed(events.len(), || {
        let mut conn = Connection::open(&path).expect("open");
        let page_size = std::env::var("MIMAMORI_PAGE_SIZE")
            .ok()
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(store::SqliteOptions::default().page_size);
        conn.execute_batch(&format!("PRAGMA page_size = {page_size};"))
            .expect("page size");
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .expect("wal");
        conn.execute_batch(PRAGMAS).expect("pragmas");
        conn.execute_batch(TABLE).expect("table");
        if step.key_index {
            conn.execute_batch("CREATE INDEX k ON events (tenant_id, key)")
                .expect("index");
        }
        if step.other_indexes {
            conn.execute_batch(
                "CREATE INDEX t ON events (tenant_id, time_us); \
                 CREATE INDEX kt ON events (tenant_id, kind, time_us)",
            )
            .expect("indexes");
        }
        for (b, chunk) in events.chunks(1_400).enumerate() {
            let tx = conn.transaction().expect("begin");
            {
                let mut find = tx
                    .prepare_cached("SELECT id FROM events WHERE tenant_id = ?1 AND key = ?2")
                    .expect("prepare");
                let mut insert = tx
                    .prepare_cached(
                        "INSERT INTO events (tenant_id, key, kind, natural_id, time_us, user, \
                         ip, source_id, record, codec, typed_len, body_len, body, dict_id) \
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                    )
                    .expect("prepare");
                for (j, ev) in chunk.iter().enumerate() {
                    let n = b * 1_400 + j;
                    let key = store::event_key("sign_in", &ev.natural_id);
                    if step.lookup {
                        let mut rows = find.query(params![1, key]).expect("find");
                        while rows.next().expect("row").is_some() {}
                    }
                    let body: &[u8] = if step.body { &bodies[n] } else { b"" };
                    insert
                        .execute(params![
                            1,
                            key,
                            "sign_in",
                            ev.natural_id,
                            ev.time.timestamp_micros(),
                            ev.kind.user(),
                            ev.kind.ip().map(|ip| ip.to_string()),
                            1,
                            n as i64,
                            2,
                            0,
                            ev.raw.len() as i64,
                            body,
                            1
                        ])
                        .expect("insert");
                }
            }
            tx.commit().expect("commit");
        }
        drop(conn);
    });
    us
}

fn pages_dir(tmp: &Path) -> PathBuf {
    if let Ok(dir) = std::env::var("MIMAMORI_SIGNIN_PAGES") {
        return PathBuf::from(dir);
    }
    let out = tmp.join("tenant");
    let mut opts = synth::GenerateOptions::new(&out);
    opts.users = 300;
    opts.days = 30;
    synth::generate(&opts).expect("generate a tenant");
    out.join("signins/graph")
}

fn main() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = pages_dir(tmp.path());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("pages folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let pages: Vec<Vec<u8>> = files
        .iter()
        .map(|p| std::fs::read(p).expect("read page"))
        .collect();

    let mut ranges = Vec::new();
    let (spans, split_us) = timed(1, || {
        let mut all = Vec::new();
        for (p, page) in pages.iter().enumerate() {
            ranges.clear();
            split_page(page, &mut ranges);
            all.extend(ranges.iter().map(|&(a, b)| (p, a, b)));
        }
        all
    });
    let n = spans.len();
    let bytes: usize = spans.iter().map(|&(_, a, b)| b - a).sum();
    let split_us = split_us / n as f64;

    let (sink, read_us) = timed(n, || {
        let mut sink = VecSink::default();
        for f in &files {
            normalize::read_path(f, &ReadOptions::default(), &mut sink).expect("read");
        }
        sink
    });
    assert_eq!(sink.events.len(), n, "reader and splitter disagree");
    assert!(sink.rejects.is_empty());
    let events = sink.events;

    let dict = events[0].raw.as_bytes().to_vec();
    let (bodies, lz4_us) = timed(n, || {
        let mut out = vec![0u8; 1 << 20];
        events
            .iter()
            .map(|e| {
                let k = lz4_flex::block::compress_into_with_dict(e.raw.as_bytes(), &mut out, &dict)
                    .expect("compress");
                out[..k].to_vec()
            })
            .collect::<Vec<_>>()
    });
    let compressed: usize = bodies.iter().map(Vec::len).sum();

    println!(
        "{n} Graph sign-ins from {} pages, {:.2} KB raw each ({:.2} KB compressed)",
        pages.len(),
        bytes as f64 / n as f64 / 1e3,
        compressed as f64 / n as f64 / 1e3
    );
    println!("part                                         CPU µs per record");
    println!("split (memchr scan only)                     {split_us:>8.2}");
    println!("read (mimamori reader: split+parse+normalize){read_us:>8.2}");
    println!("lz4 against a dictionary                     {lz4_us:>8.2}");
    let db_dir = tempfile::tempdir().expect("tempdir");
    let steps = [
        Step {
            name: "sqlite row",
            key_index: false,
            other_indexes: false,
            body: false,
            lookup: false,
        },
        Step {
            name: "+ key index",
            key_index: true,
            other_indexes: false,
            body: false,
            lookup: false,
        },
        Step {
            name: "+ time and kind indexes",
            key_index: true,
            other_indexes: true,
            body: false,
            lookup: false,
        },
        Step {
            name: "+ compressed body",
            key_index: true,
            other_indexes: true,
            body: true,
            lookup: false,
        },
        Step {
            name: "+ lookup before insert",
            key_index: true,
            other_indexes: true,
            body: true,
            lookup: true,
        },
    ];
    let mut sql_us = 0.0;
    for step in steps {
        sql_us = sqlite_rows(db_dir.path(), &events, &bodies, step);
        println!("{:<45}{sql_us:>8.2}", step.name);
    }
    let store_path = db_dir.path().join("store.db");
    let (_, store_us) = timed(n, || {
        let mut db = SqliteStore::open(&store_path).expect("open");
        for chunk in events.chunks(1_400) {
            db.insert_events(chunk).expect("insert");
        }
        drop(db);
    });
    println!("store (SqliteStore::insert_events)           {store_us:>8.2}");
    let floor = split_us + lz4_us + sql_us;
    println!(
        "floor: split + lz4 + sqlite = {floor:.2} µs → at most {:.0} records per CPU-second \
         before any parsing; mimamori: read + store = {:.2} µs → {:.0}",
        1e6 / floor,
        read_us + store_us,
        1e6 / (read_us + store_us)
    );
}
