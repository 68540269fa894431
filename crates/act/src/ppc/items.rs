//! Items (2)–(9) of the PPC draft (施行規則 第8条第1項第2号〜第9号): data items, persons,
//! cause, secondary damage, response, announcement, measures, other.

use std::collections::BTreeSet;

use crate::case::CaseInputs;
use crate::doc::{Block, Doc, Inline, Spans, t};
use crate::facts::{IncidentFacts, fmt_local, hidden_send_stats, verdict_stats};
use crate::labels::{
    Lang, Stage, category_label, detection_stage, detection_title, special_care_label,
};
use crate::ppc::assess::PpcAssessment;
use crate::ppc::deadline::PPC_TZ;
use crate::ppc::draft::todo;

pub(super) fn data_items(doc: &mut Doc, inputs: &CaseInputs, lang: Lang) {
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(
        2,
        l(
            "(2) 漏えい等が発生し、又は発生したおそれがある個人データの項目",
            "(2) Items of personal data leaked or possibly leaked",
        ),
    );
    let Some(scope) = &inputs.scope else {
        doc.push(Block::Para(todo(lang.pick(
            "個人データの項目（漏えい範囲が未算出です）。",
            "data items (the leak scope was not computed).",
        ))));
        return;
    };
    let mut items: Vec<Spans> = scope
        .categories()
        .iter()
        .filter(|c| c.as_str() != "corporate_number")
        .map(|c| {
            let label = category_label(c, lang);
            match scope.persons_by_category.get(c) {
                Some(n) if *n > 0 => t(match lang {
                    Lang::Ja => format!("{label}（{n}人）"),
                    Lang::En => format!("{label} ({n} persons)"),
                }),
                _ => t(label),
            }
        })
        .collect();
    if let Some(m) = scope.messages {
        items.push(t(match lang {
            Lang::Ja => format!("メール本文及び添付ファイル（検査したメール {m} 通）"),
            Lang::En => format!("mail bodies and attachments ({m} messages inspected)"),
        }));
    }
    for (kind, n) in &scope.special_care_by_kind {
        let label = special_care_label(kind, lang);
        items.push(t(match lang {
            Lang::Ja => format!("要配慮個人情報: {label}（{n}人）"),
            Lang::En => format!("Special-care information: {label} ({n} persons)"),
        }));
    }
    let flag = |v: Option<bool>| match v {
        Some(true) => l("あり", "found"),
        Some(false) => l("検出されず", "not found"),
        None => l("不明", "unknown"),
    };
    items.push(t(format!(
        "{}: {}",
        l("個人番号（マイナンバー）", "My Number"),
        flag(scope.my_number_found)
    )));
    items.push(t(format!(
        "{}: {}",
        l("銀行口座番号", "Bank account numbers"),
        flag(scope.bank_account_found)
    )));
    items.push(t(format!(
        "{}: {}",
        l("クレジットカード番号", "Credit card numbers"),
        flag(scope.card_found)
    )));
    items.push(t(format!(
        "{}: {}",
        l("要配慮個人情報", "Special-care information"),
        flag(scope.special_care_found)
    )));
    doc.push(Block::List(items));
}

pub(super) fn persons_item(doc: &mut Doc, inputs: &CaseInputs, lang: Lang) {
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(
        2,
        l(
            "(3) 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数",
            "(3) Number of persons concerned",
        ),
    );
    let Some(scope) = &inputs.scope else {
        doc.push(Block::Para(todo(
            lang.pick("本人の数。", "number of persons."),
        )));
        return;
    };
    let mut s = match scope.persons {
        Some(n) => vec![Inline::Strong(match lang {
            Lang::Ja => format!("{n}人"),
            Lang::En => format!("{n} persons"),
        })],
        None => todo(""),
    };
    s.push(Inline::Text(l(
        "（メールの添付ファイル等から検出され、同一人物をまとめた人数）",
        "(found in mail attachments and bodies, the same person counted once)",
    )));
    doc.push(Block::Para(s));
    if let (Some(u), ext) = (scope.addresses.unique, scope.addresses.external) {
        doc.p(match lang {
            Lang::Ja => format!(
                "このほか、メールの送受信先として {u} 件のメールアドレス（うち社外 {} 件）がメールボックスに含まれます。個人のメールアドレスを本人の数に含めるかは担当者が判断してください。",
                ext.map_or("-".into(), |e| e.to_string())
            ),
            Lang::En => format!(
                "The mailbox also holds {u} distinct e-mail addresses of correspondents ({} external). Whether personal addresses count as persons is for the person in charge to decide.",
                ext.map_or("-".into(), |e| e.to_string())
            ),
        });
    }
}

pub(super) fn cause_item(doc: &mut Doc, serious: &[&IncidentFacts], lang: Lang) {
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(2, l("(4) 原因", "(4) Cause"));
    if serious.is_empty() {
        doc.push(Block::Para(todo(lang.pick("原因。", "cause."))));
        return;
    }
    doc.p(l(
        "第三者による不正アクセス（正規の認証情報を用いたサインイン）。根拠となった検知は次のとおりです。",
        "Unauthorized access by a third party (sign-in with the account's valid credentials). The evidence:",
    ));
    let mut rows = Vec::new();
    for f in serious {
        for x in &f.findings {
            rows.push(vec![
                t(fmt_local(x.time, PPC_TZ)),
                t(detection_title(&x.detection, lang)),
                t(x.ips.join(", ")),
                t(lang.pick(&x.reason_ja, &x.reason_en)),
            ]);
        }
    }
    doc.push(Block::Table {
        head: vec![
            l("日時 (JST)", "Time (JST)"),
            l("検知", "Detection"),
            "IP".into(),
            l("理由", "Reason"),
        ],
        rows,
    });
    doc.push(Block::Para(todo(lang.pick(
        "認証情報が第三者に渡った経緯（フィッシング、使い回し等）。",
        "how the credentials reached the third party (phishing, reuse …).",
    ))));
}

pub(super) fn secondary_item(doc: &mut Doc, inputs: &CaseInputs, lang: Lang) {
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(
        2,
        l(
            "(5) 二次被害又はそのおそれの有無及びその内容",
            "(5) Secondary damage or its risk",
        ),
    );
    let hs = hidden_send_stats(&inputs.hidden_sends);
    let vs = verdict_stats(&inputs.mail_verdicts);
    if hs.total > 0 {
        doc.p(match lang {
            Lang::Ja => format!(
                "あり（おそれ）。不正アクセスされたアカウントから、送信済みアイテムに残らない形でメール {} 通が {} 件の宛先（{} ドメイン）に送信されました。受信者がメール内のリンクを開き認証情報等を入力した場合、受信者側に被害が及ぶおそれがあります。",
                hs.total, hs.unique_recipients, hs.by_domain.len()
            ),
            Lang::En => format!(
                "Yes (risk). The compromised account sent {} messages to {} recipients ({} domains) that left no copy in Sent Items. Recipients who open the links and enter credentials may be harmed.",
                hs.total, hs.unique_recipients, hs.by_domain.len()
            ),
        });
    } else {
        doc.p(l(
            "不正な送信は検出されていません。",
            "No unauthorized sending was detected.",
        ));
    }
    if vs.phishing + vs.suspicious > 0 {
        doc.p(match lang {
            Lang::Ja => format!(
                "メール内容の判定: フィッシング {} 通、不審 {} 通。",
                vs.phishing, vs.suspicious
            ),
            Lang::En => format!(
                "Content verdicts: {} phishing, {} suspicious.",
                vs.phishing, vs.suspicious
            ),
        });
    }
    doc.push(Block::Para(todo(lang.pick(
        "実際に確認された二次被害（受信者からの連絡、不正送金等）の有無と内容。",
        "secondary damage actually confirmed (reports from recipients, fraudulent transfers …).",
    ))));
}

pub(super) fn measures_item(doc: &mut Doc, inputs: &CaseInputs, lang: Lang) {
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(
        2,
        l(
            "(8) 再発防止のための措置",
            "(8) Measures against recurrence",
        ),
    );
    let seen: BTreeSet<&str> = inputs
        .incidents
        .iter()
        .flat_map(|i| i.detections.iter().map(String::as_str))
        .collect();
    let has = |ids: &[&str]| ids.iter().any(|d| seen.contains(d));
    let mut items = vec![t(l(
        "対象アカウントのパスワード変更と全セッションの無効化",
        "Reset the account's password and revoke all its sessions",
    ))];
    items.push(t(l(
        "全ユーザーへの多要素認証（MFA）の適用",
        "Enforce multi-factor authentication for every user",
    )));
    if has(&["legacy_auth_success", "hidden_send", "outbound_send_burst"]) {
        items.push(t(l(
            "SMTP AUTH 等のレガシー認証の無効化",
            "Disable SMTP AUTH and other legacy authentication",
        )));
    }
    if has(&[
        "inbox_rule_suspicious",
        "inbox_rule_suspicious_name",
        "mailbox_forwarding",
        "transport_rule_redirect",
    ]) {
        items.push(t(l(
            "不正な受信トレイルール・転送設定の削除と、外部への自動転送の禁止",
            "Remove the malicious inbox rules / forwarding and block automatic external forwarding",
        )));
    }
    if has(&["oauth_consent_mail_scopes"]) {
        items.push(t(l(
            "不正なアプリへの同意の取り消しと、ユーザーによるアプリ同意の制限",
            "Revoke the consent to the malicious app and restrict user consent",
        )));
    }
    if inputs.incidents.iter().any(|i| {
        i.detections
            .iter()
            .any(|d| detection_stage(d) == Stage::Access)
    }) {
        items.push(t(l(
            "条件付きアクセスによるサインイン元の国・場所の制限",
            "Restrict sign-in countries and locations with Conditional Access",
        )));
    }
    if has(&["audit_logging_disabled"]) {
        items.push(t(l(
            "監査ログの再有効化と保持期間の見直し",
            "Re-enable audit logging and review its retention",
        )));
    }
    items.push(t(l(
        "サインイン・監査ログの継続的な監視",
        "Continuous monitoring of sign-in and audit logs",
    )));
    doc.p(l(
        "証拠から提案する措置（案）:",
        "Measures suggested by the evidence (proposal):",
    ));
    doc.push(Block::List(items));
    doc.push(Block::Para(todo(lang.pick(
        "実施済み・実施予定の措置と実施日。",
        "measures taken or planned, with dates.",
    ))));
}

pub(super) fn other_item(doc: &mut Doc, inputs: &CaseInputs, a: &PpcAssessment, lang: Lang) {
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(2, l("(9) その他参考となる事項", "(9) Other information"));
    let mut items: Vec<Spans> = Vec::new();
    if let Some(scope) = &inputs.scope
        && scope.not_inspected_count > 0
    {
        items.push(t(match lang {
            Lang::Ja => format!(
                "検査できなかったファイルが {} 件あります（暗号化・未対応形式等）。詳細は scope.json を参照。",
                scope.not_inspected_count
            ),
            Lang::En => format!(
                "{} files could not be inspected (encrypted, unsupported …); see scope.json.",
                scope.not_inspected_count
            ),
        }));
    }
    for (ja, en) in &a.notes {
        items.push(t(lang.pick(ja, en)));
    }
    items.push(t(match lang {
        Lang::Ja => format!(
            "調査データ: incidents.jsonl, findings.jsonl, hidden_sends.jsonl, mail_verdicts.jsonl, scope.json, timeline.csv（作成 {}）",
            fmt_local(inputs.generated_at, PPC_TZ)
        ),
        Lang::En => format!(
            "Evidence files: incidents.jsonl, findings.jsonl, hidden_sends.jsonl, mail_verdicts.jsonl, scope.json, timeline.csv (generated {})",
            fmt_local(inputs.generated_at, PPC_TZ)
        ),
    }));
    items.push(todo(lang.pick(
        "委託先の有無、他の行政機関への報告状況など。",
        "processors involved, reports to other authorities, etc.",
    )));
    doc.push(Block::List(items));
}
