//! Throughput of the whole scope pipeline (extraction + recognition + grouping + aggregation)
//! over a generated export: the evaluation set's messages repeated with fresh Message-IDs, plus
//! plain-text mail bodies, reported as input MB/s (criterion `Throughput::Bytes`).

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pii::evalgen::{EvalMessage, generate};
use pii::{Attachment, MessageInput, ScopeBuilder, ScopeOptions};
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
        ..Default::default()
    });
    for m in msgs {
        let atts: Vec<Attachment<'_>> = m
            .attachments
            .iter()
            .map(|a| Attachment {
                file_name: &a.name,
                content_type: Some(a.content_type),
                bytes: &a.bytes,
            })
            .collect();
        b.add_message(&MessageInput {
            message_id: Some(&m.message_id),
            folder: Some(&m.folder),
            date: Some(m.date),
            from: Some(&m.from),
            to: &m.to,
            cc: &m.cc,
            body_text: Some(&m.body),
            body_html: None,
            attachments: atts,
        });
    }
    b.finish().persons.count
}

fn bench_scope(c: &mut Criterion) {
    let msgs = export(4);
    let bytes: usize = msgs
        .iter()
        .map(|m| m.body.len() + m.attachments.iter().map(|a| a.bytes.len()).sum::<usize>())
        .sum();
    let mut g = c.benchmark_group("scope");
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
    let mut g = c.benchmark_group("recognize");
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

criterion_group!(benches, bench_scope);
criterion_main!(benches);
