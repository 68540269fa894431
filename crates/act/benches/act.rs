//! Throughput of the case writers: timeline.csv rows per second, and building report.md/html
//! for a large case (2,000 findings, 300 hidden sends, 5,000 verdicts).

use std::hint::black_box;

use act::{
    CaseInputs, HiddenSend, Lang, MailVerdictLine, ReportOptions, TimelineRow, TimelineWriter,
    Verdict, render_ppc_draft, render_report_html, render_report_md,
};
use chrono::{Duration, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use model::{EvidenceRef, Finding, Incident, Severity};

fn row(i: i64) -> TimelineRow {
    TimelineRow {
        time: Utc.timestamp_opt(1_750_000_000 + i, 0).single().expect("time"),
        tenant: "bench".into(),
        source: "sign_in".into(),
        severity: (i % 50 == 0).then_some(Severity::High),
        user: Some(format!("user{}@example.co.jp", i % 500)),
        ip: Some(format!("192.0.2.{}", i % 250)),
        country: Some("JP".into()),
        operation: "SignIn:Success".into(),
        detail: "app=Office 365 Exchange Online; client=Browser; user_agent=Mozilla/5.0 (Windows NT 10.0)".into(),
        detections: if i % 50 == 0 { vec!["new_country_sign_in".into()] } else { vec![] },
        finding_ids: vec![],
        natural_id: format!("00000000-0000-0000-0000-{i:012}"),
        provenance: format!("InteractiveSignIns.csv:{i}"),
    }
}

fn big_case() -> CaseInputs {
    let t0 = Utc
        .with_ymd_and_hms(2025, 6, 1, 0, 0, 0)
        .single()
        .expect("time");
    let mut c = CaseInputs::new("bench", t0 + Duration::days(5), chrono_tz::Asia::Tokyo);
    c.discovered_at = Some(t0 + Duration::days(4));
    c.findings = (0..2000)
        .map(|i| Finding {
            id: format!("f{i}"),
            tenant: "bench".into(),
            incident_id: Some(format!("inc-{}", i % 20)),
            detection: [
                "new_country_sign_in",
                "mailbox_access_new_source",
                "hidden_send",
            ][i % 3]
                .into(),
            severity: Severity::High,
            user: Some(format!("user{}@example.co.jp", i % 20)),
            time: t0 + Duration::minutes(i as i64),
            ips: vec!["192.0.2.10".into()],
            countries: vec!["US".into()],
            attack: vec!["T1078.004".into()],
            reason_ja: "初めての国からのサインイン <script>".into(),
            reason_en: "First sign-in from a new country <script>".into(),
            evidence: vec![EvidenceRef {
                kind: "sign_in".into(),
                natural_id: format!("si-{i}"),
            }],
        })
        .collect();
    c.incidents = (0..20)
        .map(|i| Incident {
            id: format!("inc-{i}"),
            tenant: "bench".into(),
            user: Some(format!("user{i}@example.co.jp")),
            severity: Severity::Critical,
            first_seen: t0,
            last_seen: t0 + Duration::hours(40),
            detections: vec![
                "new_country_sign_in".into(),
                "mailbox_access_new_source".into(),
                "hidden_send".into(),
            ],
            attacker_ips: vec!["192.0.2.10".into()],
            countries: vec!["US".into()],
            summary_ja: "乗っ取り".into(),
            summary_en: "takeover".into(),
            findings: vec![],
        })
        .collect();
    c.hidden_sends = (0..300)
        .map(|i| HiddenSend {
            tenant: "bench".into(),
            user: "user0@example.co.jp".into(),
            time: t0 + Duration::minutes(i),
            recipient: format!("r{i}@partner{}.example", i % 40),
            subject: Some("請求書のご確認".into()),
            message_id: Some(format!("m{i}@example.co.jp")),
            client_ip: Some("192.0.2.10".into()),
        })
        .collect();
    c.mail_verdicts = (0..5000)
        .map(|i| MailVerdictLine {
            tenant: "bench".into(),
            file: format!("mail/{i}.eml"),
            message_id: Some(format!("m{i}@example.co.jp")),
            verdict: if i % 10 == 0 {
                Verdict::Phishing
            } else {
                Verdict::Clean
            },
            score: (i % 10) as f64,
            reasons: vec![],
        })
        .collect();
    c
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows: Vec<TimelineRow> = (0..100_000).map(row).collect();
    let mut g = c.benchmark_group("timeline");
    g.throughput(Throughput::Elements(rows.len() as u64));
    g.sample_size(10);
    g.bench_function("write_100k_rows", |b| {
        b.iter(|| {
            let mut w =
                TimelineWriter::create(&dir.path().join("timeline.csv"), chrono_tz::Asia::Tokyo)
                    .expect("create");
            for r in &rows {
                w.write(black_box(r)).expect("write");
            }
            w.finish().expect("finish")
        })
    });
    g.finish();
    let case = big_case();
    let opts = ReportOptions::new(Lang::Ja);
    let mut g = c.benchmark_group("report");
    g.sample_size(10);
    g.bench_function("report_md", |b| {
        b.iter(|| render_report_md(black_box(&case), &opts))
    });
    g.bench_function("report_html", |b| {
        b.iter(|| render_report_html(black_box(&case), &opts))
    });
    g.bench_function("ppc_draft", |b| {
        b.iter(|| render_ppc_draft(black_box(&case), Lang::Ja))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
