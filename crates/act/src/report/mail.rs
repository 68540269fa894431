//! The report's mail sections: hidden sends and content verdicts.

use crate::case::CaseInputs;
use crate::doc::{Block, Doc, code, t};
use crate::facts::{fmt_local, hidden_send_stats, mask_address, verdict_stats};
use crate::files::Verdict;
use crate::labels::Lang;
use crate::report::ReportOptions;

/// Hidden sends: count, by recipient domain, sample rows.
pub(super) fn hidden_sends(doc: &mut Doc, inputs: &CaseInputs, opts: &ReportOptions) {
    let lang = opts.lang;
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(
        1,
        l(
            "送信済みアイテムに残らない送信",
            "Sends without a Sent Items copy",
        ),
    );
    let s = hidden_send_stats(&inputs.hidden_sends);
    if s.total == 0 {
        doc.p(l("該当する送信はありません。", "None."));
        return;
    }
    let span = match (s.first, s.last) {
        (Some(a), Some(b)) => format!(
            "{} {} {}",
            fmt_local(a, inputs.tz),
            lang.pick("〜", "to"),
            fmt_local(b, inputs.tz)
        ),
        _ => String::new(),
    };
    doc.p(match lang {
        Lang::Ja => format!(
            "{} 通（宛先 {} 件、{} ドメイン、送信アカウント {} 件）。期間: {span}",
            s.total,
            s.unique_recipients,
            s.by_domain.len(),
            s.users
        ),
        Lang::En => format!(
            "{} messages ({} recipients, {} domains, {} sending accounts). Period: {span}",
            s.total,
            s.unique_recipients,
            s.by_domain.len(),
            s.users
        ),
    });
    doc.h(2, l("宛先ドメイン別", "By recipient domain"));
    let rows = s
        .by_domain
        .iter()
        .take(opts.samples())
        .map(|(d, n)| vec![code(d), t(n.to_string())])
        .collect();
    doc.push(Block::Table {
        head: vec![l("ドメイン", "Domain"), l("通数", "Messages")],
        rows,
    });
    if s.by_domain.len() > opts.samples() {
        doc.p(format!(
            "… {} {}",
            s.by_domain.len() - opts.samples(),
            l("ドメイン省略", "more domains")
        ));
    }
    doc.h(2, l("送信の例", "Sample sends"));
    let mut list: Vec<_> = inputs.hidden_sends.iter().collect();
    list.sort_by_key(|h| h.time);
    let rows = list
        .iter()
        .take(opts.samples())
        .map(|h| {
            let rcpt = if opts.reveal {
                h.recipient.clone()
            } else {
                mask_address(&h.recipient)
            };
            vec![
                t(fmt_local(h.time, inputs.tz)),
                t(&h.user),
                t(rcpt),
                t(h.subject.clone().unwrap_or_default()),
                code(h.client_ip.clone().unwrap_or_default()),
            ]
        })
        .collect();
    doc.push(Block::Table {
        head: vec![
            l("日時", "Time"),
            l("送信者", "Sender"),
            l("宛先", "Recipient"),
            l("件名", "Subject"),
            l("送信元 IP", "Client IP"),
        ],
        rows,
    });
    if !opts.reveal {
        doc.p(l(
            "宛先アドレスはマスクしています（全件は hidden_sends.jsonl）。",
            "Recipient addresses are masked (all rows in hidden_sends.jsonl).",
        ));
    }
}

/// Verdict counts, top reasons, sample phishing messages.
pub(super) fn verdicts(doc: &mut Doc, inputs: &CaseInputs, opts: &ReportOptions) {
    let lang = opts.lang;
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(1, l("メール内容の判定", "Mail verdicts"));
    if inputs.mail_verdicts.is_empty() {
        doc.p(l("判定したメールはありません。", "No mail was classified."));
        return;
    }
    let s = verdict_stats(&inputs.mail_verdicts);
    doc.push(Block::Table {
        head: vec![l("判定", "Verdict"), l("通数", "Messages")],
        rows: vec![
            vec![t(l("フィッシング", "phishing")), t(s.phishing.to_string())],
            vec![t(l("不審", "suspicious")), t(s.suspicious.to_string())],
            vec![t(l("問題なし", "clean")), t(s.clean.to_string())],
        ],
    });
    if !s.top_reasons.is_empty() {
        doc.h(
            2,
            l(
                "主な理由（フィッシング・不審）",
                "Main reasons (phishing and suspicious)",
            ),
        );
        let rows = s
            .top_reasons
            .iter()
            .take(opts.samples())
            .map(|(id, ja, en, n)| vec![code(id), t(lang.pick(ja, en)), t(n.to_string())])
            .collect();
        doc.push(Block::Table {
            head: vec!["ID".into(), l("理由", "Reason"), l("通数", "Messages")],
            rows,
        });
    }
    let mut bad: Vec<_> = inputs
        .mail_verdicts
        .iter()
        .filter(|v| v.verdict != Verdict::Clean)
        .collect();
    bad.sort_by(|a, b| b.score.total_cmp(&a.score));
    if bad.is_empty() {
        return;
    }
    doc.h(
        2,
        l(
            "フィッシング・不審と判定したメールの例",
            "Sample phishing and suspicious messages",
        ),
    );
    let rows = bad
        .iter()
        .take(opts.samples())
        .enumerate()
        .map(|(i, v)| {
            let file = if opts.reveal {
                v.file.clone()
            } else {
                format!("#{}", i + 1)
            };
            let ids: Vec<&str> = v.reasons.iter().map(|r| r.id.as_str()).collect();
            vec![
                t(file),
                code(v.message_id.clone().unwrap_or_default()),
                t(v.verdict.as_str()),
                t(format!("{:.2}", v.score)),
                t(ids.join(", ")),
            ]
        })
        .collect();
    doc.push(Block::Table {
        head: vec![
            l("ファイル", "File"),
            "Message-ID".into(),
            l("判定", "Verdict"),
            l("スコア", "Score"),
            l("理由", "Reasons"),
        ],
        rows,
    });
}
