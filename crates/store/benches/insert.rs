//! Insert throughput: realistic ~1 KB Graph sign-ins, batches of 5,000, into a database file
//! that grows as the bench runs (as during a real ingest). Reports events per second.
//!
//! Run: `cargo bench -p store --bench insert`. The events are generated outside the timed part.

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use store::{SqliteStore, Store};

#[path = "../tests/common/mod.rs"]
mod common;

const BATCH: usize = 5_000;

fn insert_sign_ins(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut db = SqliteStore::open(dir.path().join("bench.db")).expect("open");
    let mut rng = common::Rng::new(42);
    let mut second = 0i64;

    let mut group = c.benchmark_group("insert");
    group.throughput(Throughput::Elements(BATCH as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("sign_in_batch_5000", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let batch: Vec<model::Event> = (0..BATCH)
                    .map(|_| {
                        second += 1;
                        common::realistic_sign_in(
                            &mut rng,
                            "default",
                            common::at(second / 20),
                            5_000,
                        )
                    })
                    .collect();
                let start = Instant::now();
                let counts = db
                    .insert_events(std::hint::black_box(&batch))
                    .expect("insert");
                total += start.elapsed();
                assert_eq!(counts.stored as usize, BATCH);
            }
            total
        });
    });

    // Re-ingesting what is already stored: the duplicate path.
    let batch: Vec<model::Event> = (0..BATCH)
        .map(|_| {
            second += 1;
            common::realistic_sign_in(&mut rng, "default", common::at(second / 20), 5_000)
        })
        .collect();
    db.insert_events(&batch).expect("seed");
    group.bench_function("sign_in_batch_5000_all_duplicates", |b| {
        b.iter(|| {
            let counts = db
                .insert_events(std::hint::black_box(&batch))
                .expect("insert");
            assert_eq!(counts.duplicate as usize, BATCH);
        });
    });
    group.finish();
}

criterion_group!(benches, insert_sign_ins);
criterion_main!(benches);
