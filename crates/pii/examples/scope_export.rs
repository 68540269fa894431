//! Whole-scope throughput on a large generated export (issue 5: ≥1 GB with attachments, memory
//! flat in input size). Messages are generated from the evaluation set of several seeds (xlsx
//! rosters, docx forms, PDF, CP932 CSV, nested zips, PPAP/encrypted/corrupt files, mail bodies
//! padded with business prose) and streamed one at a time into one `ScopeBuilder`, with fresh
//! Message-IDs, until the input reaches the requested size. Nothing of the export is kept:
//! memory is what the scope itself holds.
//!
//! ```text
//! cargo run --release -p pii --example scope_export -- [MIB=1024] [SEEDS=4] [--no-breakdown] [--reuse]
//! ```
//!
//! Prints input bytes, wall time, CPU seconds (user+sys of all threads, plus waited-for
//! children such as `pdftotext`), MiB per CPU-second, peak RSS (VmHWM), and the CPU share per
//! attachment type measured on the distinct attachments of the pool.

/// The allocator the `mimamori` binary uses, so these numbers are the CLI's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use pii::evalgen::{EvalMessage, benchmark_pool};
use pii::{ScopeBuilder, ScopeOptions};
use std::collections::BTreeMap;
use std::time::Instant;

/// (user+sys of this process, user+sys of waited-for children) in seconds.
fn cpu_seconds() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<&str> = after.split_whitespace().collect();
    let t = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    ((t(11) + t(12)) / 100.0, (t(13) + t(14)) / 100.0)
}

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn msg_bytes(m: &EvalMessage) -> usize {
    m.body.len() + m.attachments.iter().map(|a| a.bytes.len()).sum::<usize>()
}

fn kind(name: &str) -> String {
    name.rsplit_once('.')
        .map_or("other", |x| x.1)
        .to_ascii_lowercase()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1024);
    let seeds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(4);
    let rest: Vec<String> = args.collect();
    let breakdown = !rest.iter().any(|a| a == "--no-breakdown");
    // Every attachment of this export repeats (the pool is cycled): with the scope's reuse of
    // identical attachments on, nearly all of them would be answered from its cache, which
    // says nothing about reading attachments. The headline run reads every copy; `--reuse`
    // shows the cache's effect on this (unrealistically repetitive) export.
    let reuse = rest.iter().any(|a| a == "--reuse");
    let target = mib << 20;

    let pool = benchmark_pool(seeds).expect("generate");
    let pool_bytes: usize = pool.iter().map(msg_bytes).sum();
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    by_kind.insert("body".into(), pool.iter().map(|m| m.body.len()).sum());
    for a in pool.iter().flat_map(|m| &m.attachments) {
        *by_kind.entry(kind(&a.name)).or_default() += a.bytes.len();
    }
    println!(
        "pool: {} messages, {pool_bytes} bytes; share of input bytes:",
        pool.len()
    );
    for (k, b) in &by_kind {
        println!("  {k:6} {:5.1}%", 100.0 * *b as f64 / pool_bytes as f64);
    }

    let rss0 = status_kib("VmRSS:");
    let ((c0, ch0), w0) = (cpu_seconds(), Instant::now());
    let mut b = ScopeBuilder::new(ScopeOptions {
        internal_domains: vec!["example.co.jp".into()],
        reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1),
        reuse_identical_attachments: reuse,
        ..Default::default()
    });
    let (mut fed, mut n) = (0usize, 0usize);
    let mut checkpoints: Vec<(usize, u64)> = Vec::new();
    while fed < target {
        let m = &pool[n % pool.len()];
        let id = format!("<r{n}-{}", m.message_id.trim_start_matches('<'));
        m.add_to(&mut b, Some(&id));
        fed += msg_bytes(m);
        n += 1;
        if fed >= target / 4 * (checkpoints.len() + 1) && checkpoints.len() < 3 {
            checkpoints.push((fed >> 20, status_kib("VmHWM:")));
        }
    }
    checkpoints.push((fed >> 20, status_kib("VmHWM:")));
    let reused = b.reused_attachments();
    let scope = b.finish();
    let after_finish = status_kib("VmHWM:");
    // Written as the CLI writes them: scope.json streamed to a file, scope.md as a string.
    let out = tempfile::tempdir().expect("temporary folder");
    let json_path = out.path().join("scope.json");
    scope.write_json(&json_path).expect("scope.json");
    let json_len = std::fs::metadata(&json_path).map_or(0, |m| m.len());
    let md_len = scope.render_markdown(pii::Lang::Ja).len();
    let wall = w0.elapsed().as_secs_f64();
    let (c1, ch1) = cpu_seconds();
    let (cpu, child) = (c1 - c0, ch1 - ch0);
    let mb = fed as f64 / 1048576.0;
    println!(
        "input {fed} bytes ({mb:.0} MiB), {n} messages; persons {}; files with findings {}, \
         not inspected {}; scope.json {json_len} bytes, scope.md {md_len} bytes; \
         attachments reused {reused}",
        scope.persons.count,
        scope.files.len(),
        scope.not_inspected.len()
    );
    println!(
        "wall {wall:.1} s ({:.1} MiB/s); CPU {cpu:.1} s + children {child:.1} s \
         => {:.1} MiB per CPU-second",
        mb / wall,
        mb / (cpu + child).max(0.01)
    );
    let cps: Vec<String> = checkpoints
        .iter()
        .map(|(mib, kib)| format!("{mib} MiB in: {} MiB", kib / 1024))
        .collect();
    println!(
        "peak RSS (VmHWM): before the scope {} MiB; while streaming {}; after finish {} MiB; \
         after scope.json and scope.md written {} MiB",
        rss0 / 1024,
        cps.join(", "),
        after_finish / 1024,
        status_kib("VmHWM:") / 1024
    );

    if !breakdown {
        return;
    }
    // CPU share per attachment type on the distinct attachments (one pass each, repeated).
    let opts = pii::DocumentOptions {
        reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
        reveal: false,
        limits: Default::default(),
    };
    let mut cpu_by_kind: BTreeMap<String, f64> = BTreeMap::new();
    let reps = 100;
    let body: String = pool.iter().map(|m| m.body.as_str()).collect();
    let t = cpu_seconds().0;
    for _ in 0..reps {
        std::hint::black_box(pii::scan_document(
            "b.txt",
            Some("text/plain"),
            body.as_bytes(),
            &opts,
        ));
    }
    cpu_by_kind.insert("body".into(), cpu_seconds().0 - t);
    for a in pool.iter().flat_map(|m| &m.attachments) {
        let t = cpu_seconds().0;
        for _ in 0..reps {
            std::hint::black_box(pii::scan_document(
                &a.name,
                Some(a.content_type),
                &a.bytes,
                &opts,
            ));
        }
        *cpu_by_kind.entry(kind(&a.name)).or_default() += cpu_seconds().0 - t;
    }
    let total: f64 = cpu_by_kind.values().sum();
    println!("CPU share by type (scan_document on the pool, x{reps}):");
    for (k, c) in &cpu_by_kind {
        let bytes = by_kind.get(k).copied().unwrap_or(0) as f64 * reps as f64;
        println!(
            "  {k:6} {:5.1}% of CPU, {:7.1} MiB/s per CPU-second",
            100.0 * c / total.max(1e-9),
            bytes / 1048576.0 / c.max(0.001)
        );
    }
}
