//! Generation throughput on a mid-size tenant (200 users × 10 days, about 30 MB).
//! The 5,000-user scale run is measured with the `generate` example (see README).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn bench_generate(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tmp");
    let mut opts = synth::GenerateOptions::new(dir.path().join("out"));
    opts.users = 200;
    opts.days = 10;
    let gt = synth::generate(&opts).expect("generate");
    let bytes: u64 = gt
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(dir.path().join("out").join(f)).ok())
        .map(|m| m.len())
        .sum();
    let mut group = c.benchmark_group("synth");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("generate_200_users_10_days", |b| {
        b.iter(|| black_box(synth::generate(&opts).expect("generate")))
    });
    group.finish();
}

criterion_group!(benches, bench_generate);
criterion_main!(benches);
