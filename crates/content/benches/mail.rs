//! Throughput: phishing analysis of typical ~20 KB Japanese mails (messages/s), MBOX
//! reading (MB/s) over an MBOX generated at bench time from the evaluation set, and PST
//! reading (MB/s) over a PST of typical mail written at bench time by `synth`'s PST writer.
//! `MIMAMORI_MBOX_MB` / `MIMAMORI_PST_MB` set the sizes (default 64 MB each; the README
//! numbers used 1024). Peak memory of a PST read: `examples/profile.rs pst-read`.

use std::hint::black_box;
use std::io::Write;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use content::eval::{eval_context, generate};
use content::parse::{Origin, parse_message};
use content::{MailMessage, analyze, read_mail_path};

/// Pads evaluation messages to about 20 KB of body text (quoted thread + signature), the size
/// of a typical business mail with history.
fn typical_messages() -> Vec<MailMessage> {
    let filler =
        "> 先日の打ち合わせの件、資料を確認いたしました。来週の会議で詳細をご説明します。\n"
            .repeat(160);
    generate(99)
        .iter()
        .step_by(9)
        .filter_map(|c| {
            parse_message(
                &c.raw,
                Origin {
                    source: "b",
                    record: 0,
                    format: "eml",
                    folder: None,
                },
            )
        })
        .map(|mut m| {
            m.text_body.push_str(&filler);
            m
        })
        .collect()
}

fn bench_analyze(c: &mut Criterion) {
    let msgs = typical_messages();
    let avg = msgs.iter().map(|m| m.text_body.len()).sum::<usize>() / msgs.len().max(1);
    eprintln!(
        "analysis bench: {} messages, average text body {} bytes",
        msgs.len(),
        avg
    );
    let ctx = eval_context();
    let mut g = c.benchmark_group("analyze");
    g.throughput(Throughput::Elements(msgs.len() as u64));
    g.bench_function("typical_20kb_mails", |b| {
        b.iter(|| {
            for m in &msgs {
                black_box(analyze(black_box(m), &ctx));
            }
        })
    });
    g.finish();
}

fn bench_mbox(c: &mut Criterion) {
    let mb: u64 = std::env::var("MIMAMORI_MBOX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("送信済みアイテム.mbox");
    let cases = generate(5);
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
        let mut written = 0u64;
        'outer: loop {
            for c in &cases {
                f.write_all(b"From bench@example.co.jp Mon Oct 13 09:00:00 2025\n")
                    .expect("write");
                f.write_all(&c.raw).expect("write");
                f.write_all(b"\n\n").expect("write");
                written += c.raw.len() as u64 + 52;
                if written >= mb << 20 {
                    break 'outer;
                }
            }
        }
        f.flush().expect("flush");
    }
    let size = std::fs::metadata(&path).expect("meta").len();
    eprintln!("mbox bench: {} MB", size >> 20);
    bench_read(c, "mbox", &path, size, None);
}

/// Criterion group `group`: MB/s of reading every message of `path` (`bytes` long); with
/// `expect`, each run must read exactly that many messages.
fn bench_read(c: &mut Criterion, group: &str, path: &Path, bytes: u64, expect: Option<u64>) {
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("read_mail_path", |b| {
        b.iter(|| {
            let mut n = 0u64;
            read_mail_path(path, &mut |r| {
                if r.is_ok() {
                    n += 1;
                }
            })
            .expect("read");
            if let Some(want) = expect {
                assert_eq!(n, want, "every message read");
            }
            black_box(n)
        })
    });
    g.finish();
}

fn bench_pst(c: &mut Criterion) {
    let mb: u64 = std::env::var("MIMAMORI_PST_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("export.pst");
    let summary = synth::pst::write_typical_mail(&path, mb << 20, 1).expect("write PST");
    eprintln!(
        "pst bench: {} MB, {} messages",
        summary.bytes >> 20,
        summary.messages
    );
    bench_read(c, "pst", &path, summary.bytes, Some(summary.messages));
}

criterion_group!(benches, bench_analyze, bench_mbox, bench_pst);
criterion_main!(benches);
