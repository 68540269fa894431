//! The report's overview, incident chains and findings table.

use std::collections::BTreeMap;

use crate::case::CaseInputs;
use crate::doc::{Block, Doc, Inline, Spans, code, t};
use crate::facts::{fmt_local, fmt_span, fmt_utc, incident_facts};
use crate::labels::{Lang, Stage, detection_stage, detection_title};

/// Rows of the findings table; the rest is in findings.jsonl (the report stays printable).
const MAX_FINDING_ROWS: usize = 1000;

fn when(inputs: &CaseInputs, at: chrono::DateTime<chrono::Utc>) -> Spans {
    t(format!("{} ({})", fmt_local(at, inputs.tz), fmt_utc(at)))
}

fn stage_name(s: Stage, lang: Lang) -> &'static str {
    match s {
        Stage::Attempt => lang.pick("試行", "attempt"),
        Stage::Access => lang.pick("侵入", "access"),
        Stage::Collection => lang.pick("閲覧・収集", "collection"),
        Stage::Persistence => lang.pick("永続化・隠蔽", "persistence"),
        Stage::Send => lang.pick("送信", "send"),
        Stage::Other => lang.pick("その他", "other"),
    }
}

/// Hayabusa-style run summary.
pub(super) fn overview(doc: &mut Doc, inputs: &CaseInputs, lang: Lang) {
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(1, l("概要", "Overview"));
    let tenant = match &inputs.tenant_name {
        Some(n) => format!("{n} ({})", inputs.tenant),
        None => inputs.tenant.clone(),
    };
    let mut rows = vec![
        (l("テナント", "Tenant"), t(tenant)),
        (l("タイムゾーン", "Time zone"), t(inputs.tz.name())),
        (
            l("コマンドライン", "Command line"),
            code(&inputs.command_line),
        ),
        (
            l("作成日時", "Generated at"),
            when(inputs, inputs.generated_at),
        ),
    ];
    if let Some(v) = &inputs.version {
        rows.push((l("バージョン", "Version"), t(v)));
    }
    if let Some(at) = inputs.discovered_at {
        rows.push((l("事態を知った日時", "Discovered at"), when(inputs, at)));
    }
    if let Some(tl) = &inputs.timeline {
        if let (Some(first), Some(last)) = (tl.first, tl.last) {
            rows.push((
                l("最初のタイムスタンプ", "First timestamp"),
                when(inputs, first),
            ));
            rows.push((
                l("最後のタイムスタンプ", "Last timestamp"),
                when(inputs, last),
            ));
            rows.push((l("期間", "Span"), t(fmt_span((last - first).num_seconds()))));
        }
        let by: Vec<String> = tl
            .by_source
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        rows.push((
            l("タイムライン行数", "Timeline rows"),
            t(format!(
                "{} ({}: {}) — {}",
                tl.rows,
                l("検知あり", "marked"),
                tl.marked,
                by.join(", ")
            )),
        ));
    }
    if let Some(e) = inputs.elapsed {
        rows.push((
            l("処理時間", "Elapsed time"),
            t(fmt_span(e.as_secs() as i64)),
        ));
    }
    let mut sev: BTreeMap<model::Severity, usize> = BTreeMap::new();
    for i in &inputs.incidents {
        *sev.entry(i.severity).or_insert(0) += 1;
    }
    let mut sev_spans: Spans = vec![Inline::Text(inputs.incidents.len().to_string())];
    for (s, n) in sev.iter().rev() {
        sev_spans.push(Inline::Sev(*s));
        sev_spans.push(Inline::Text(n.to_string()));
    }
    rows.push((l("インシデント", "Incidents"), sev_spans));
    rows.push((
        l("検知（finding）", "Findings"),
        t(inputs.findings.len().to_string()),
    ));
    if inputs.rejected_records > 0 || !inputs.read_errors.is_empty() {
        rows.push((
            l("読めなかったレコード", "Unreadable records"),
            t(format!(
                "{} {} / {} {}",
                l("入力", "input"),
                inputs.rejected_records,
                l("ケースファイル", "case files"),
                inputs.read_errors.len()
            )),
        ));
    }
    doc.push(Block::Facts(rows));
}

/// Each incident with its chain.
pub(super) fn incidents(doc: &mut Doc, inputs: &CaseInputs, lang: Lang) {
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(1, l("インシデント", "Incidents"));
    let facts = incident_facts(inputs);
    if facts.is_empty() {
        doc.p(l(
            "インシデントは検出されませんでした。",
            "No incident was detected.",
        ));
        return;
    }
    for (n, f) in facts.iter().enumerate() {
        let inc = f.incident;
        let user = inc.user.clone().unwrap_or_else(|| "-".into());
        doc.h(
            2,
            format!("{} {}: {user}", l("インシデント", "Incident"), n + 1),
        );
        doc.push(Block::Para(vec![
            Inline::Sev(inc.severity),
            Inline::Text(lang.pick(&inc.summary_ja, &inc.summary_en).to_string()),
        ]));
        let mut rows = vec![
            ("ID".to_string(), code(&inc.id)),
            (l("最初の証拠", "First seen"), when(inputs, inc.first_seen)),
            (l("最後の証拠", "Last seen"), when(inputs, inc.last_seen)),
        ];
        if let Some(fm) = f.first_malicious {
            let mut s = when(inputs, fm.time);
            s.push(Inline::Text(format!(
                "— {}",
                detection_title(&fm.detection, lang)
            )));
            if !fm.ips.is_empty() {
                s.push(Inline::Code(fm.ips.join(", ")));
            }
            if let Some(ev) = fm.evidence.first() {
                s.push(Inline::Text(format!("[{}: {}]", ev.kind, ev.natural_id)));
            }
            rows.push((l("最初の不正な事象", "First malicious event"), s));
        }
        rows.push((
            l("攻撃者の IP", "Attacker IPs"),
            code(if inc.attacker_ips.is_empty() {
                "-".into()
            } else {
                inc.attacker_ips.join(", ")
            }),
        ));
        rows.push((
            l("国", "Countries"),
            t(if inc.countries.is_empty() {
                "-".into()
            } else {
                inc.countries.join(", ")
            }),
        ));
        let chain: Vec<String> = inc
            .detections
            .iter()
            .map(|d| {
                format!(
                    "{} ({})",
                    detection_title(d, lang),
                    stage_name(detection_stage(d), lang)
                )
            })
            .collect();
        rows.push((l("検知の連鎖", "Chain"), t(chain.join(" → "))));
        let done = match lang {
            Lang::Ja => format!(
                "送信済みアイテムに残らない送信 {} 通（宛先 {} 件）／メール・ファイルへのアクセス検知 {} 件（イベント {}）／ルール・転送・権限等の検知 {} 件（イベント {}）／送信の検知 {} 件",
                f.hidden_sends.len(),
                f.hidden_recipients(),
                f.collection.0,
                f.collection.1,
                f.persistence.0,
                f.persistence.1,
                f.send.0
            ),
            Lang::En => format!(
                "{} hidden sends ({} recipients) / mailbox or file access: {} findings ({} events) / rules, forwarding, permissions: {} findings ({} events) / sending: {} findings",
                f.hidden_sends.len(),
                f.hidden_recipients(),
                f.collection.0,
                f.collection.1,
                f.persistence.0,
                f.persistence.1,
                f.send.0
            ),
        };
        rows.push((l("攻撃者が行ったこと", "What was done"), t(done)));
        doc.push(Block::Facts(rows));
        if f.findings.is_empty() {
            continue;
        }
        let chain_rows = f
            .findings
            .iter()
            .map(|x| {
                vec![
                    t(fmt_local(x.time, inputs.tz)),
                    t(stage_name(detection_stage(&x.detection), lang)),
                    t(detection_title(&x.detection, lang)),
                    vec![Inline::Sev(x.severity)],
                    code(x.ips.join(", ")),
                    t(lang.pick(&x.reason_ja, &x.reason_en)),
                ]
            })
            .collect();
        doc.push(Block::Table {
            head: vec![
                l("日時", "Time"),
                l("段階", "Stage"),
                l("検知", "Detection"),
                l("重大度", "Severity"),
                "IP".into(),
                l("理由", "Reason"),
            ],
            rows: chain_rows,
        });
    }
}

/// Every finding.
pub(super) fn findings(doc: &mut Doc, inputs: &CaseInputs, lang: Lang) {
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(1, l("検知一覧", "Findings"));
    if inputs.findings.is_empty() {
        doc.p(l("検知はありません。", "No findings."));
        return;
    }
    let mut list: Vec<&model::Finding> = inputs.findings.iter().collect();
    list.sort_by(|a, b| a.time.cmp(&b.time).then(b.severity.cmp(&a.severity)));
    let rows = list
        .iter()
        .take(MAX_FINDING_ROWS)
        .map(|f| {
            vec![
                t(fmt_local(f.time, inputs.tz)),
                vec![Inline::Sev(f.severity)],
                code(&f.detection),
                t(f.user.clone().unwrap_or_default()),
                code(f.ips.join(", ")),
                t(f.countries.join(", ")),
                t(f.attack.join(", ")),
                t(lang.pick(&f.reason_ja, &f.reason_en)),
            ]
        })
        .collect();
    doc.push(Block::Table {
        head: vec![
            l("日時", "Time"),
            l("重大度", "Severity"),
            l("検知", "Detection"),
            l("ユーザー", "User"),
            "IP".into(),
            l("国", "Country"),
            "ATT&CK".into(),
            l("理由", "Reason"),
        ],
        rows,
    });
    if list.len() > MAX_FINDING_ROWS {
        doc.p(format!(
            "… {} {}",
            list.len() - MAX_FINDING_ROWS,
            l(
                "件省略（全件は findings.jsonl）",
                "more (all in findings.jsonl)"
            )
        ));
    }
}
