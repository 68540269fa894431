//! Profiling aid: per-attachment extraction and scan timings on the evaluation set, and the
//! split of text time between normalisation and recognition. `cargo run --release --example prof`;
//! `… --example prof -- types [seconds] [ext]` measures only the per-type attachment rates
//! ([`per_type_cpu`]).

use pii::evalgen::generate;
use std::time::Instant;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("types") {
        per_type_cpu(
            args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2.0),
            args.get(3).map(String::as_str),
        );
        return;
    }
    export_per_cpu();
    large_tables();
    text_per_cpu();
    let set = generate(7).expect("g");
    let opts = pii::DocumentOptions {
        reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
        reveal: false,
        limits: Default::default(),
    };
    for m in &set.messages {
        for a in &m.attachments {
            let t = Instant::now();
            for _ in 0..20 {
                let _ = pii::extract(&a.name, Some(a.content_type), &a.bytes, &opts.limits);
            }
            let ex = t.elapsed() / 20;
            let t = Instant::now();
            for _ in 0..20 {
                let _ = pii::scan_document(&a.name, Some(a.content_type), &a.bytes, &opts);
            }
            println!(
                "{:30} {:8} bytes extract {:?} total {:?}",
                a.name,
                a.bytes.len(),
                ex,
                t.elapsed() / 20
            );
        }
    }
    let text: String = set
        .messages
        .iter()
        .map(|m| m.body.clone())
        .collect::<Vec<_>>()
        .join("\n")
        .repeat(20);
    let t = Instant::now();
    let _ = pii::scan_document("b.txt", None, text.as_bytes(), &opts);
    println!("bodies {} bytes {:?}", text.len(), t.elapsed());
    let norm = pii::normalize::normalize_text(&text);
    let t = Instant::now();
    let _ = pii::normalize::normalize_text(&text);
    println!("normalize {:?}", t.elapsed());
    let ro = pii::recognize::RecognizeOptions {
        reference_date: opts.reference_date,
    };
    let t = Instant::now();
    let _ = pii::recognize::recognize(&norm, &ro);
    println!("recognize {:?}", t.elapsed());
}

/// Process CPU seconds (utime + stime from /proc/self/stat, 100 Hz ticks): the machine is
/// shared, so throughput per CPU-second is the honest per-core figure.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<&str> = after.split_whitespace().collect();
    let t = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}

/// Whole-export throughput per CPU-second (same export as `benches/scope.rs`).
pub fn export_per_cpu() {
    let set = generate(7).expect("g");
    let mut msgs = Vec::new();
    for c in 0..4 {
        for m in &set.messages {
            let mut m = m.clone();
            m.message_id = format!("<c{c}-{}", m.message_id.trim_start_matches('<'));
            m.body.push_str(&"お世話になっております。先日の打ち合わせの件につきまして、資料を添付いたしますのでご確認ください。\n".repeat(20));
            msgs.push(m);
        }
    }
    let bytes: usize = msgs
        .iter()
        .map(|m| m.body.len() + m.attachments.iter().map(|a| a.bytes.len()).sum::<usize>())
        .sum();
    let runs = 30;
    let (c0, w0) = (cpu_seconds(), Instant::now());
    for _ in 0..runs {
        let mut b = pii::ScopeBuilder::new(pii::ScopeOptions {
            reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1),
            // The copies repeat every attachment: measure reading them, not the reuse cache.
            reuse_identical_attachments: false,
            ..Default::default()
        });
        for m in &msgs {
            m.add_to(&mut b, None);
        }
        std::hint::black_box(b.finish());
    }
    let (cpu, wall) = (cpu_seconds() - c0, w0.elapsed().as_secs_f64());
    let mb = (bytes * runs) as f64 / (1024.0 * 1024.0);
    println!(
        "export {bytes} bytes x{runs}: wall {wall:.2}s ({:.1} MiB/s), cpu {cpu:.2}s ({:.1} MiB/s per CPU-second)",
        mb / wall,
        mb / cpu.max(0.01)
    );
}

/// Large-table throughput per CPU-second: a 1,920-row roster as xlsx and as CP932 CSV.
pub fn large_tables() {
    use pii::evalgen::{people::persons, writers};
    let ps = persons(7, 64);
    let mut rows = vec![
        [
            "氏名",
            "フリガナ",
            "生年月日",
            "郵便番号",
            "住所",
            "携帯電話",
            "メールアドレス",
            "個人番号",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for k in 0..30 {
        for p in &ps {
            rows.push(vec![
                p.name.clone(),
                p.kana.clone(),
                p.birth.to_string(),
                p.postal.clone(),
                format!("{}{k}", p.address),
                p.phone.clone(),
                p.email.clone(),
                p.my_number.clone(),
            ]);
        }
    }
    let x = writers::xlsx("big.xlsx", &[("s", rows.clone())]).expect("xlsx");
    let c = writers::csv_cp932(&rows);
    let opts = pii::DocumentOptions {
        reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
        reveal: false,
        limits: Default::default(),
    };
    for (name, bytes) in [("big.xlsx", &x), ("big.csv", &c)] {
        let runs = 10;
        let c0 = cpu_seconds();
        let mut recs = 0;
        for _ in 0..runs {
            recs = pii::scan_document(name, None, bytes, &opts).records;
        }
        let e0 = cpu_seconds();
        for _ in 0..runs {
            std::hint::black_box(pii::extract(name, None, bytes, &opts.limits));
        }
        let cpu = e0 - c0;
        let ex = cpu_seconds() - e0;
        let mb = (bytes.len() * runs) as f64 / (1024.0 * 1024.0);
        println!(
            "{name}: {} bytes, {recs} records, {:.1} MiB/s per CPU-s (extraction alone {:.1})",
            bytes.len(),
            mb / cpu.max(0.01),
            mb / ex.max(0.01)
        );
    }
}

/// Text-path throughput per CPU-second: mail bodies only.
pub fn text_per_cpu() {
    let set = generate(7).expect("g");
    let text: String = set.messages.iter().map(|m| m.body.clone() + &"お世話になっております。先日の打ち合わせの件につきまして、資料を添付いたしますのでご確認ください。\n".repeat(20)).collect::<Vec<_>>().join("\n").repeat(10);
    let opts = pii::DocumentOptions {
        reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
        reveal: false,
        limits: Default::default(),
    };
    let runs = 20;
    let c0 = cpu_seconds();
    for _ in 0..runs {
        std::hint::black_box(pii::scan_document(
            "b.txt",
            Some("text/plain"),
            text.as_bytes(),
            &opts,
        ));
    }
    let cpu = cpu_seconds() - c0;
    println!(
        "text: {} bytes, {:.1} MiB/s per CPU-s",
        text.len(),
        (text.len() * runs) as f64 / (1024.0 * 1024.0) / cpu.max(0.01)
    );
}

/// This thread's CPU time in seconds (`/proc/thread-self/schedstat`, nanoseconds).
fn thread_cpu() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e9)
}

/// Per attachment type (by extension): `scan_document` over the evaluation set's attachments
/// of that type (seed 7), repeated for at least `seconds` of this thread's CPU time; prints
/// MiB per CPU-second. (PDFs are read in a worker thread: their figure counts only the
/// waiting thread and is not comparable.)
pub fn per_type_cpu(seconds: f64, only: Option<&str>) {
    let set = generate(7).expect("g");
    let opts = pii::DocumentOptions {
        reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
        reveal: false,
        limits: Default::default(),
    };
    let mut by_ext: std::collections::BTreeMap<String, Vec<&pii::evalgen::EvalFile>> =
        Default::default();
    for m in &set.messages {
        for a in &m.attachments {
            let ext = a.name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            by_ext.entry(ext).or_default().push(a);
        }
    }
    for (ext, files) in by_ext {
        if only.is_some_and(|o| o != ext) {
            continue;
        }
        let bytes: usize = files.iter().map(|a| a.bytes.len()).sum();
        let (c0, mut rounds) = (thread_cpu(), 0usize);
        while thread_cpu() - c0 < seconds {
            for a in &files {
                std::hint::black_box(pii::scan_document(
                    &a.name,
                    Some(a.content_type),
                    &a.bytes,
                    &opts,
                ));
            }
            rounds += 1;
        }
        let cpu = thread_cpu() - c0;
        println!(
            "{ext:6} {:3} files {:8} bytes: {:7.2} MiB per CPU-second",
            files.len(),
            bytes,
            (bytes * rounds) as f64 / (1024.0 * 1024.0) / cpu
        );
    }
}
