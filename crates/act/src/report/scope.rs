//! The report's leak-scope and PPC sections.

use crate::case::CaseInputs;
use crate::doc::{Block, Doc, Inline, Spans, t};
use crate::facts::mask_path;
use crate::labels::{Lang, category_label, special_care_label};
use crate::ppc::deadline::{fmt_date_en, fmt_date_ja};
use crate::ppc::{Requirement, assess, deadlines};
use crate::report::ReportOptions;

/// Category ids the pii crate recognises (its `Category` enum), shown as "what was searched".
const SEARCHED: &[&str] = &[
    "name",
    "name_kana",
    "birth_date",
    "address",
    "postal_code",
    "phone",
    "email",
    "my_number",
    "bank_account",
    "card",
    "head_of_household",
    "relationship",
    "gender",
    "pension_number",
    "driver_licence",
    "passport",
    "residence_card",
    "special_care",
];

fn found(v: Option<bool>, lang: Lang) -> Spans {
    match v {
        Some(true) => vec![Inline::Strong(lang.pick("検出あり", "FOUND").to_string())],
        Some(false) => t(lang.pick("検出されず", "not found")),
        None => t(lang.pick("不明（未検査）", "unknown (not checked)")),
    }
}

/// Leak scope: persons (counts only), categories, special data, what was and was not inspected.
pub(super) fn scope(doc: &mut Doc, inputs: &CaseInputs, opts: &ReportOptions) {
    let lang = opts.lang;
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(1, l("漏えい範囲", "Leak scope"));
    let Some(s) = &inputs.scope else {
        doc.p(l(
            "漏えい範囲（scope.json）は算出されていません。",
            "The leak scope (scope.json) was not computed.",
        ));
        return;
    };
    let num = |v: Option<u64>| v.map_or("-".to_string(), |n| n.to_string());
    let a = &s.addresses;
    doc.push(Block::Facts(vec![
        (
            l("検査したメール", "Messages inspected"),
            t(num(s.messages)),
        ),
        (
            l("メールアドレス", "Addresses"),
            t(format!(
                "{} {} / {} {} / {} {} / {} {}",
                l("一意", "unique"),
                num(a.unique),
                l("社内", "internal"),
                num(a.internal),
                l("社外", "external"),
                num(a.external),
                l("社外ドメイン", "external domains"),
                num(a.external_domains)
            )),
        ),
        (
            l("本人の数", "Persons"),
            vec![Inline::Strong(num(s.persons))],
        ),
        (
            l("個人番号（マイナンバー）", "My Number"),
            found(s.my_number_found, lang),
        ),
        (
            l("銀行口座番号", "Bank account numbers"),
            found(s.bank_account_found, lang),
        ),
        (
            l("クレジットカード番号", "Card numbers"),
            found(s.card_found, lang),
        ),
        (
            l("要配慮個人情報", "Special-care information"),
            found(s.special_care_found, lang),
        ),
        (
            l("検査できなかったファイル", "Files not inspected"),
            t(s.not_inspected_count.to_string()),
        ),
    ]));
    let cats = s.categories();
    if !cats.is_empty() {
        doc.h(2, l("項目別の人数", "Persons by category"));
        let rows = cats
            .iter()
            .map(|c| {
                vec![
                    t(category_label(c, lang)),
                    t(s.persons_by_category
                        .get(c)
                        .map_or("-".into(), |n| n.to_string())),
                ]
            })
            .collect();
        doc.push(Block::Table {
            head: vec![l("項目", "Category"), l("人数", "Persons")],
            rows,
        });
    }
    doc.h(2, l("探した項目", "What was searched for"));
    let ids: Vec<&str> = if s.searched_categories.is_empty() {
        SEARCHED.to_vec()
    } else {
        s.searched_categories.iter().map(String::as_str).collect()
    };
    let searched: Vec<String> = ids.iter().map(|c| category_label(c, lang)).collect();
    doc.p(searched.join(lang.pick("、", ", ")));
    if !s.searched_not_found.is_empty() {
        doc.push(Block::List(
            s.searched_not_found
                .iter()
                .map(|r| {
                    let mut sp = vec![Inline::Strong(category_label(&r.id, lang))];
                    sp.push(Inline::Text(lang.pick(&r.ja, &r.en).to_string()));
                    sp
                })
                .collect(),
        ));
    }
    if s.exposure_limited == Some(true) {
        doc.p(match lang {
            Lang::Ja => format!(
                "検査範囲は攻撃者が閲覧し得たメールに限定: {} 通（フォルダ: {}）",
                s.exposed_messages.map_or("-".into(), |n| n.to_string()),
                s.exposed_folders.join("、")
            ),
            Lang::En => format!(
                "Scan limited to mail the attacker could have seen: {} messages (folders: {})",
                s.exposed_messages.map_or("-".into(), |n| n.to_string()),
                s.exposed_folders.join(", ")
            ),
        });
    }
    if !s.special_care_by_kind.is_empty() {
        let kinds: Vec<String> = s
            .special_care_by_kind
            .iter()
            .map(|(k, n)| format!("{} {n}", special_care_label(k, lang)))
            .collect();
        doc.p(format!(
            "{}: {}",
            l("要配慮個人情報の内訳", "Special-care information by kind"),
            kinds.join(", ")
        ));
    }
    if !s.files.is_empty() {
        doc.h(
            2,
            l("個人データを含むファイル", "Files holding personal data"),
        );
        let rows = s
            .files
            .iter()
            .take(opts.samples())
            .enumerate()
            .map(|(i, f)| {
                let name = if opts.reveal {
                    f.path.clone()
                } else {
                    mask_path(i + 1, &f.path)
                };
                let cats: Vec<String> = f
                    .categories
                    .iter()
                    .map(|c| category_label(c, lang))
                    .collect();
                vec![
                    t(name),
                    t(f.persons.to_string()),
                    t(cats.join(lang.pick("、", ", "))),
                ]
            })
            .collect();
        doc.push(Block::Table {
            head: vec![
                l("ファイル", "File"),
                l("人数", "Persons"),
                l("項目", "Categories"),
            ],
            rows,
        });
        let total = (s.files.len() as u64).max(s.files_count);
        if total > opts.samples() as u64 {
            doc.p(format!(
                "… {} {}",
                total - opts.samples().min(s.files.len()) as u64,
                l("件省略（scope.json 参照）", "more (see scope.json)")
            ));
        }
    }
    if !s.not_inspected.is_empty() {
        doc.h(2, l("検査できなかったファイル", "Files not inspected"));
        let rows = s
            .not_inspected
            .iter()
            .take(opts.samples())
            .enumerate()
            .map(|(i, f)| {
                let name = if opts.reveal {
                    f.path.clone()
                } else {
                    mask_path(i + 1, &f.path)
                };
                vec![t(name), t(lang.pick(&f.message_ja, &f.message_en))]
            })
            .collect();
        doc.push(Block::Table {
            head: vec![l("ファイル", "File"), l("理由", "Reason")],
            rows,
        });
    }
    if !opts.reveal {
        doc.p(l(
            "個人は人数のみ、ファイル名は番号と拡張子のみを表示しています（詳細は scope.json）。",
            "Persons are shown as counts and file names as number and extension only (details in scope.json).",
        ));
    }
}

/// PPC assessment: verdict, triggers, due dates, pointer to the draft.
pub(super) fn ppc(doc: &mut Doc, inputs: &CaseInputs, lang: Lang) {
    let l = |ja: &str, en: &str| lang.pick(ja, en).to_string();
    doc.h(1, l("個人情報保護委員会への報告", "PPC breach report"));
    let a = assess(inputs);
    let verdict = match a.requirement {
        Requirement::Required => l("報告義務あり", "Report required"),
        Requirement::Undetermined => l("要確認", "Undetermined"),
        Requirement::NotRequired => l(
            "報告対象事態に該当せず（現時点の証拠）",
            "Not required on the current evidence",
        ),
    };
    doc.push(Block::Callout(vec![Inline::Strong(verdict)]));
    let mut items: Vec<Spans> = a
        .triggers
        .iter()
        .map(|h| {
            vec![
                Inline::Code(h.trigger.article().into()),
                Inline::Text(lang.pick(&h.ja, &h.en).into()),
            ]
        })
        .collect();
    items.extend(a.notes.iter().map(|(ja, en)| t(lang.pick(ja, en))));
    if !items.is_empty() {
        doc.push(Block::List(items));
    }
    match inputs.discovered_at {
        Some(at) => {
            let d = deadlines(at, a.unlawful_purpose());
            let f = |x| match lang {
                Lang::Ja => fmt_date_ja(x),
                Lang::En => fmt_date_en(x),
            };
            doc.push(Block::Facts(vec![
                (l("事態を知った日", "Became aware on"), t(f(d.aware))),
                (
                    l("速報（概ね3〜5日以内）", "Preliminary (about 3–5 days)"),
                    t(format!(
                        "{} {} {}",
                        f(d.preliminary_from),
                        lang.pick("〜", "to"),
                        f(d.preliminary_to)
                    )),
                ),
                (
                    format!(
                        "{} ({}{})",
                        l("確報", "Final"),
                        d.final_days,
                        l("日以内", " days")
                    ),
                    vec![Inline::Strong(f(d.final_due))],
                ),
            ]));
        }
        None => doc.p(l(
            "事態を知った日（--discovered-at）が指定されていないため、期限は計算していません。",
            "No discovery date (--discovered-at) was given, so no due dates were computed.",
        )),
    }
    doc.push(Block::Para(vec![
        Inline::Text(l("報告書の下書き:", "Draft report:")),
        Inline::Code("ppc-report.md".into()),
    ]));
}
