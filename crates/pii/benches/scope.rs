//! Throughput of the whole scope pipeline (extraction + recognition + grouping + aggregation)
//! over a generated export: the evaluation set's messages repeated with fresh Message-IDs, plus
//! plain-text mail bodies, reported as input MB/s (criterion `Throughput::Bytes`).
//!
//! Two measurements: wall-clock time (criterion's default) and the benchmark thread's own CPU
//! time from `/proc/thread-self/schedstat` (`cpu/…` groups). On a shared machine the second is
//! the per-core figure; it leaves out the PDF worker thread (a few percent here).

use chrono::NaiveDate;
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pii::evalgen::{EvalMessage, generate};
use pii::{ScopeBuilder, ScopeOptions};
use std::hint::black_box;

fn export(copies: usize) -> Vec<EvalMessage> {
    let set = generate(7).expect("generate");
    let mut out = Vec::new();
    for c in 0..copies {
        for m in &set.messages {
            let mut m = m.clone();
            m.message_id = format!("<c{c}-{}", m.message_id.trim_start_matches('<'));
            // Pad bodies with ordinary business prose so bodies weigh like real mail.
            m.body.push_str(&"お世話になっております。先日の打ち合わせの件につきまして、資料を添付いたしますのでご確認ください。\n".repeat(20));
            out.push(m);
        }
    }
    out
}

fn run(msgs: &[EvalMessage]) -> u64 {
    let mut b = ScopeBuilder::new(ScopeOptions {
        internal_domains: vec!["example.co.jp".into()],
        reference_date: NaiveDate::from_ymd_opt(2025, 6, 1),
        // The copies repeat every attachment: measure reading them, not the reuse cache.
        reuse_identical_attachments: false,
        ..Default::default()
    });
    for m in msgs {
        m.add_to(&mut b, None);
    }
    b.finish().persons.count
}

fn bench_scope<M: Measurement>(c: &mut Criterion<M>, kind: &str) {
    let msgs = export(4);
    let bytes: usize = msgs
        .iter()
        .map(|m| m.body.len() + m.attachments.iter().map(|a| a.bytes.len()).sum::<usize>())
        .sum();
    let mut g = c.benchmark_group(format!("{kind}/scope"));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("generated_export", |b| {
        b.iter(|| black_box(run(black_box(&msgs))))
    });
    g.finish();

    // Text-only path (recognizers on mail bodies, no attachments).
    let text: String = msgs
        .iter()
        .map(|m| m.body.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let mut g = c.benchmark_group(format!("{kind}/recognize"));
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    let opts = pii::DocumentOptions {
        reference_date: NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
        reveal: false,
        limits: Default::default(),
    };
    g.bench_function("mail_bodies", |b| {
        b.iter(|| {
            black_box(
                pii::scan_document("b.txt", Some("text/plain"), text.as_bytes(), &opts).records,
            )
        })
    });
    g.finish();
}

/// CPU time of the calling thread, in nanoseconds.
struct ThreadCpu;

fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, i: u64) -> u64 {
        thread_cpu_ns().saturating_sub(i)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (div, unit) = if typical < 1e3 {
            (1.0, "ns cpu")
        } else if typical < 1e6 {
            (1e3, "µs cpu")
        } else if typical < 1e9 {
            (1e6, "ms cpu")
        } else {
            (1e9, "s cpu")
        };
        values.iter_mut().for_each(|v| *v /= div);
        unit
    }
    fn scale_throughputs(&self, _typical: f64, t: &Throughput, values: &mut [f64]) -> &'static str {
        let (n, unit) = match t {
            Throughput::Bytes(b) | Throughput::BytesDecimal(b) => {
                (*b as f64 / 1_048_576.0, "MiB/s per core")
            }
            Throughput::Bits(b) => (*b as f64 / 8.0 / 1_048_576.0, "MiB/s per core"),
            Throughput::Elements(e) | Throughput::ElementsAndBytes { elements: e, .. } => {
                (*e as f64, "elem/s per core")
            }
        };
        values
            .iter_mut()
            .for_each(|v| *v = n / (*v / 1e9).max(1e-12));
        unit
    }
    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn wall_benches(c: &mut Criterion) {
    bench_scope(c, "wall");
}

fn cpu_benches(c: &mut Criterion<ThreadCpu>) {
    bench_scope(c, "cpu");
}

criterion_group!(wall, wall_benches);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = cpu_benches
}
criterion_main!(wall, cpu);
