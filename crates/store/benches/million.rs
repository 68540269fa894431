//! One million realistic sign-ins (~1 KB raw each) in batches of 5,000 into a fresh file:
//! whole-run insert rate, file size per million events, and a full ordered read-back rate.
//!
//! Run: `cargo bench -p store --bench million` (prints its numbers; not a criterion bench,
//! because the point is one long run with a growing database). `MIMAMORI_BENCH_EVENTS`
//! changes the count; `MIMAMORI_BENCH_DIR` keeps the file there.

use std::time::{Duration, Instant};

use store::{EventFilter, SqliteOptions, SqliteStore, Store};

#[path = "../tests/common/mod.rs"]
mod common;

const DEFAULT_BATCH: usize = 5_000;

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").metadata().expect("metadata").len())
        .sum()
}

use common::thread_cpu;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // Ignore the arguments cargo bench passes (e.g. `--bench`).
    let total: usize = env_or("MIMAMORI_BENCH_EVENTS", 1_000_000);
    // Events per insert_events call (one transaction each).
    let batch_size: usize = env_or("MIMAMORI_BENCH_BATCH", DEFAULT_BATCH);
    let defaults = SqliteOptions::default();
    let options = SqliteOptions {
        compress: env_or("MIMAMORI_BENCH_COMPRESS", 1u8) == 1,
        page_size: env_or("MIMAMORI_BENCH_PAGE_SIZE", defaults.page_size),
        cache_mib: env_or("MIMAMORI_BENCH_CACHE_MIB", defaults.cache_mib),
        bulk_min_events: env_or("MIMAMORI_BENCH_BULK_MIN", defaults.bulk_min_events),
    };
    println!("options: {options:?}");
    // MIMAMORI_BENCH_DIR keeps the database for inspection; by default a temporary folder.
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir =
        std::env::var_os("MIMAMORI_BENCH_DIR").map_or_else(|| tmp.path().to_path_buf(), Into::into);
    let path = dir.join("million.db");
    let _ = std::fs::remove_file(&path);
    let mut db = SqliteStore::open_with(&path, &options).expect("open");
    // Experiment knob: MIMAMORI_BENCH_DROP="index1 index2" drops indexes to apportion cost.
    if let Ok(drop) = std::env::var("MIMAMORI_BENCH_DROP") {
        let conn = rusqlite::Connection::open(&path).expect("open for drop");
        for index in drop.split_whitespace() {
            conn.execute_batch(&format!("DROP INDEX {index}"))
                .expect("drop index");
        }
    }
    let mut rng = common::Rng::new(1);
    let mut insert_time = Duration::ZERO;
    let mut insert_cpu = Duration::ZERO;
    let mut raw_bytes = 0u64;
    let mut stored = 0u64;
    let mut second = 0i64;
    while (stored as usize) < total {
        let batch: Vec<model::Event> = (0..batch_size.min(total - stored as usize))
            .map(|_| {
                second += 1;
                common::realistic_sign_in(&mut rng, "default", common::at(second / 20), 5_000)
            })
            .collect();
        raw_bytes += batch.iter().map(|e| e.raw.len() as u64).sum::<u64>();
        let (start, cpu) = (Instant::now(), thread_cpu());
        stored += db.insert_events(&batch).expect("insert").stored;
        insert_time += start.elapsed();
        insert_cpu += thread_cpu() - cpu;
    }
    // Closing the handle rebuilds the user index if the bulk path dropped it: part of the cost.
    let (start, cpu) = (Instant::now(), thread_cpu());
    drop(db);
    let (close_time, close_cpu) = (start.elapsed(), thread_cpu() - cpu);
    insert_time += close_time;
    insert_cpu += close_cpu;
    println!(
        "closing (user index rebuild if dropped): wall {:.2}s, CPU {:.2}s (included below)",
        close_time.as_secs_f64(),
        close_cpu.as_secs_f64()
    );
    let mut db = SqliteStore::open_with(&path, &options).expect("reopen");
    // Re-ingest the same events: the duplicate path (a second run over the same exports).
    let dup_total = env_or("MIMAMORI_BENCH_REINGEST", total.min(200_000));
    let mut rng = common::Rng::new(1);
    let (mut second, mut seen, mut duplicate) = (0i64, 0usize, 0u64);
    let (mut dup_time, mut dup_cpu) = (Duration::ZERO, Duration::ZERO);
    while seen < dup_total {
        let batch: Vec<model::Event> = (0..batch_size.min(dup_total - seen))
            .map(|_| {
                second += 1;
                common::realistic_sign_in(&mut rng, "default", common::at(second / 20), 5_000)
            })
            .collect();
        seen += batch.len();
        let (start, cpu) = (Instant::now(), thread_cpu());
        duplicate += db.insert_events(&batch).expect("re-insert").duplicate;
        dup_time += start.elapsed();
        dup_cpu += thread_cpu() - cpu;
    }
    assert_eq!(duplicate as usize, dup_total);
    println!(
        "re-ingested {dup_total} duplicates: wall {:.2}s = {:.0} events/s; CPU {:.2}s = {:.0} events/s per core",
        dup_time.as_secs_f64(),
        dup_total as f64 / dup_time.as_secs_f64(),
        dup_cpu.as_secs_f64(),
        dup_total as f64 / dup_cpu.as_secs_f64(),
    );
    drop(db);
    let size = dir_size(&dir);
    println!(
        "inserted {stored} sign-ins: wall {:.2}s = {:.0} events/s; CPU {:.2}s = {:.0} events/s per core",
        insert_time.as_secs_f64(),
        stored as f64 / insert_time.as_secs_f64(),
        insert_cpu.as_secs_f64(),
        stored as f64 / insert_cpu.as_secs_f64(),
    );
    let conn = rusqlite::Connection::open(&path).expect("inspect");
    let page: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("page size");
    println!("page size {page}");
    println!(
        "raw text {:.0} MB ({:.0} B/event); database {:.0} MB ({:.0} B/event, {:.0} MB per 1M)",
        raw_bytes as f64 / 1e6,
        raw_bytes as f64 / stored as f64,
        size as f64 / 1e6,
        size as f64 / stored as f64,
        size as f64 / stored as f64 * 1e6 / 1e6,
    );

    let db = SqliteStore::open(&path).expect("reopen");
    let (start, cpu) = (Instant::now(), thread_cpu());
    let mut read = 0u64;
    db.for_each_event(&EventFilter::tenant("default"), &mut |e| {
        read += e.raw.len() as u64 / 1024 + 1;
        Ok(())
    })
    .expect("read");
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = (thread_cpu() - cpu).as_secs_f64();
    println!(
        "read back {stored} events in time order: wall {elapsed:.2}s = {:.0} events/s; CPU {cpu:.2}s = {:.0} events/s ({read} KiB)",
        stored as f64 / elapsed,
        stored as f64 / cpu,
    );
    let start = Instant::now();
    let stats = db.stats(Some("default")).expect("stats");
    println!(
        "stats over {} events in {:.3}s ({} users, {} days)",
        stats.events,
        start.elapsed().as_secs_f64(),
        stats.by_user.len(),
        stats.by_day.len()
    );
}
