//! Ham templates: natural Japanese business mail and the trap categories (SharePoint sharing
//! notices, notes to self, newsletters). All names, companies and domains are synthetic.

use super::Rng;
use super::mime::Charset;
use super::templates::{
    ITEMS, Mail, PARTNERS, Person, SHAREPOINT, TENANT, TENANT_VN, TOPICS, other_person, person, sig,
};

fn pdf_bytes(rng: &mut Rng) -> Vec<u8> {
    let mut v = b"%PDF-1.4\n%synthetic\n".to_vec();
    v.extend((0..200 + rng.below(400)).map(|i| (i * 7 % 251) as u8));
    v
}

fn legacy_charset(rng: &mut Rng) -> Charset {
    match rng.below(3) {
        0 => Charset::Iso2022Jp,
        1 => Charset::ShiftJis,
        _ => Charset::Utf8,
    }
}

/// Natural business mail between the tenant and partners, or internal.
pub(super) fn ham_business(rng: &mut Rng) -> Mail {
    let (pc, pd) = *rng.pick(PARTNERS);
    let me = person(rng, TENANT);
    let them = other_person(rng, pd, &me);
    let item = *rng.pick(ITEMS);
    let mut m = match rng.below(7) {
        0 => {
            let doc = *rng.pick(&["見積書", "請求書", "納品書"]);
            let fname = format!("{doc}_{}.pdf", 2025_1000 + rng.below(900));
            let text = format!(
                "{}様\n\nいつもお世話になっております。{pc}の{}です。\n\nご依頼いただきました{item}の{doc}を添付にてお送りいたします。\nご確認のほど、よろしくお願いいたします。\n\nなお、納期につきましては11月中旬を予定しております。\nご不明な点がございましたら、お気軽にお問い合わせください。\n\n引き続きよろしくお願い申し上げます。\n\n{}",
                them_name(&me),
                them.spaced,
                sig(&them, pc)
            );
            let mut m = Mail::new(
                (&them.spaced, &them.addr),
                (&me.spaced, &me.addr),
                &format!("【{pc}】{item} {doc}送付の件"),
                text,
            );
            let data = pdf_bytes(rng);
            m.attachments.push((fname, "application/pdf".into(), data));
            m
        }
        1 => {
            let colleague = other_person(rng, TENANT, &me);
            let topic = *rng.pick(TOPICS);
            let text = format!(
                "{}さん\n\nお疲れさまです。{}です。\n来週の{topic}の打ち合わせですが、以下の候補日でご都合いかがでしょうか。\n・10月21日(火) 10:00〜11:00\n・10月23日(木) 14:00〜15:00\n\n会議室は本社3階の第2会議室を予定しています。\nご都合のよい日時をお知らせください。\nよろしくお願いします。\n",
                &colleague.name[..colleague
                    .name
                    .char_indices()
                    .nth(2)
                    .map_or(colleague.name.len(), |(i, _)| i)],
                me.spaced
            );
            Mail::new(
                (&me.spaced, &me.addr),
                (&colleague.spaced, &colleague.addr),
                &format!("{topic}打ち合わせ日程のご相談"),
                text,
            )
        }
        2 => {
            let text = format!(
                "{}様\n\nお世話になっております。{}です。\n\n先日ご注文いただいた{item}につきまして、本日出荷いたしました。\n出荷状況は下記の取引先ポータルからご確認いただけます。\nhttps://portal.{pd}/orders/{}\n\n到着まで今しばらくお待ちください。\nよろしくお願いいたします。\n\n{}",
                them_name(&me),
                them.spaced,
                10000 + rng.below(90000),
                sig(&them, pc)
            );
            Mail::new(
                (&them.spaced, &them.addr),
                (&me.spaced, &me.addr),
                &format!("{item} 出荷のご連絡"),
                text,
            )
        }
        3 => {
            let text = format!(
                "各位\n\n情報システム部です。\nパスワードの有効期限が近づいているアカウントがあります。\n本日中に社内ポータルからパスワードを変更してください。\nhttps://intra.{TENANT}/account/password\n\n不明な点はヘルプデスク(内線 1234)までお問い合わせください。\n"
            );
            Mail::new(
                ("情報システム部", &format!("it-helpdesk@{TENANT}")),
                (&me.spaced, &me.addr),
                "【情報システム部】パスワード有効期限のお知らせ",
                text,
            )
        }
        4 => {
            let quote = format!(
                "> {}様\n> 先日の件、ご確認いただけましたでしょうか。\n> よろしくお願いいたします。\n",
                me.spaced
            );
            let text = format!(
                "{}様\n\nお世話になっております。{}です。\nご連絡が遅くなり申し訳ございません。\n\n{item}の仕様変更の件、社内で確認いたしました。\n変更内容について問題ございませんので、その内容で進めていただけますと幸いです。\n\n何卒よろしくお願いいたします。\n\n{}\n{quote}",
                them.spaced,
                me.spaced,
                sig(&me, "株式会社サンプル製作所")
            );
            Mail::new(
                (&me.spaced, &me.addr),
                (&them.spaced, &them.addr),
                &format!("Re: {item}の仕様変更について"),
                text,
            )
        }
        5 => {
            let vn = other_person(rng, TENANT_VN, &me);
            let text = format!(
                "{}さん\n\nお疲れさまです。ベトナム工場の{}です。\n今月の生産実績をまとめましたので、添付ファイルをご確認ください。\n稼働率は先月より2%改善しました。\n来週のテレビ会議で詳しくご説明します。\nよろしくお願いします。\n",
                me.spaced, vn.spaced
            );
            let mut m = Mail::new(
                (&vn.spaced, &vn.addr),
                (&me.spaced, &me.addr),
                "10月度 生産実績報告",
                text,
            );
            m.attachments.push((
                "生産実績_10月.xlsx".into(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
                b"PK\x03\x04synthetic".to_vec(),
            ));
            m
        }
        _ => {
            let topic = *rng.pick(TOPICS);
            let text = format!(
                "{}様\n\nいつも大変お世話になっております。\n{}の{}でございます。\n\n{topic}に関する資料を共有いたします。\n資料は下記のリンクからご覧いただけます。\n\n{topic}資料.pdf\nhttps://www.{pd}/files/{topic}.pdf\n\nご査収のほど、よろしくお願い申し上げます。\n\n{}",
                me.spaced,
                pc,
                them.spaced,
                sig(&them, pc)
            );
            Mail::new(
                (&them.spaced, &them.addr),
                (&me.spaced, &me.addr),
                &format!("{topic}資料のご共有"),
                text,
            )
        }
    };
    // natives slip too: one in five business mails carries a common keigo slip
    if rng.below(5) == 0 {
        m.text.push_str("\n添付の資料をご確認してください。\n");
    }
    m.charset = legacy_charset(rng);
    m
}

fn them_name(p: &Person) -> String {
    p.spaced.clone()
}

/// Trap: a SharePoint/OneDrive sharing notice whose link text is a file name.
pub(super) fn ham_sharepoint(rng: &mut Rng) -> Mail {
    let sharer = person(rng, TENANT);
    let me = other_person(rng, TENANT, &sharer);
    let doc = format!(
        "{}_{}.{}",
        rng.pick(&[
            "2025年度予算計画",
            "議事録",
            "品質月報",
            "設計レビュー資料",
            "出張精算"
        ]),
        1 + rng.below(12),
        rng.pick(&["xlsx", "docx", "pptx", "pdf"])
    );
    let site = if rng.below(2) == 0 {
        format!(
            "https://{SHAREPOINT}.sharepoint.com/:x:/s/keiri/E{}?e=Ab{}",
            rng.below(1 << 30),
            rng.below(9999)
        )
    } else {
        format!(
            "https://{SHAREPOINT}-my.sharepoint.com/:w:/g/personal/{}/E{}",
            sharer.addr.replace(['@', '.'], "_"),
            rng.below(1 << 30)
        )
    };
    let html = format!(
        "<html><body><p>{} さんがファイルを共有しました</p><table><tr><td><img src=\"https://res.cdn.office.net/icon.png\" alt=\"\"></td><td><a href=\"{site}\">📎 {doc}</a></td></tr></table><p>このリンクは {} のみ有効です。</p><p><a href=\"{site}\">開く</a></p><p>Microsoft のプライバシーに関する声明</p></body></html>",
        sharer.spaced, me.spaced
    );
    let text = format!(
        "{} さんがファイルを共有しました\n\n📎 {doc}\n{site}\n",
        sharer.spaced
    );
    let mut m = Mail::new(
        (
            &format!("{} (SharePoint Online)", sharer.spaced),
            "no-reply@sharepointonline.com",
        ),
        (&me.spaced, &me.addr),
        &format!("{} さんが「{doc}」を共有しました", sharer.spaced),
        text,
    );
    m.html = Some(html);
    m
}

/// Trap: a note a person mails to themself (same name and address).
pub(super) fn ham_note_to_self(rng: &mut Rng) -> Mail {
    let me = person(rng, TENANT);
    let from_name = if rng.below(2) == 0 {
        me.spaced.clone()
    } else {
        me.name.clone()
    };
    let text = match rng.below(3) {
        0 => format!(
            "自分用メモ\n・明日10時 {}の件で課長に報告\n・見積書の金額を再確認\n・議事録.docx は下記に保存済み\nhttps://{SHAREPOINT}-my.sharepoint.com/personal/memo/議事録.docx\n",
            rng.pick(ITEMS)
        ),
        1 => "帰宅後に確認すること\n・出張精算の締切は金曜日\n・健康診断の予約\n".to_string(),
        _ => format!(
            "{}\n\n転送用：来週の工場見学の集合場所は正門前、集合時刻は9時です。\n",
            me.spaced
        ),
    };
    let mut m = Mail::new((&from_name, &me.addr), (&me.spaced, &me.addr), "メモ", text);
    m.charset = legacy_charset(rng);
    m
}

/// Trap: a newsletter with many links (tracking links, a shortener, a catalogue PDF).
pub(super) fn ham_newsletter(rng: &mut Rng) -> Mail {
    let (vendor, vdom) = *rng.pick(&[
        ("工業機器ニュース", "kogyo-news.jp"),
        ("ものづくりマガジン", "monozukuri-mag.com"),
        ("物流ジャーナル", "butsuryu-journal.co.jp"),
        ("Amazonビジネス", "amazon.co.jp"),
    ]);
    let me = person(rng, TENANT);
    let mut html = format!("<html><body><h1>{vendor} 2025年10月号</h1>");
    let mut text = format!("{vendor} 2025年10月号\n");
    for i in 0..(12 + rng.below(20)) {
        let href = format!("https://click.{vdom}/c/{}?u={i}", rng.below(1 << 30));
        let title = format!("特集記事{i}: {}の最新動向", rng.pick(TOPICS));
        html.push_str(&format!("<p><a href=\"{href}\">{title}</a></p>"));
        text.push_str(&format!("{title}\n{href}\n"));
    }
    html.push_str(&format!("<p>詳しくは <a href=\"https://click.{vdom}/c/top\">https://www.{vdom}/</a> をご覧ください。</p>"));
    html.push_str(&format!(
        "<p><a href=\"https://www.{vdom}/catalog/2025.pdf\">製品カタログ2025.pdf (3.2MB)</a></p>"
    ));
    if rng.below(2) == 0 {
        html.push_str(
            "<p>公式SNS: <a href=\"https://bit.ly/3abcXYZ\">https://bit.ly/3abcXYZ</a></p>",
        );
    }
    html.push_str("<p>キャンペーンは本日中まで!お見逃しなく。</p><p><a href=\"https://click.");
    html.push_str(vdom);
    html.push_str("/unsubscribe\">配信停止</a></p></body></html>");
    let mut m = Mail::new(
        (vendor, &format!("news@mail.{vdom}")),
        ("", &me.addr),
        &format!("【{vendor}】10月号 特集のご案内"),
        text,
    );
    m.html = Some(html);
    m.extra_headers.push(format!(
        "List-Unsubscribe: <https://click.{vdom}/unsubscribe>"
    ));
    m
}
