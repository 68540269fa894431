//! Templates of the evaluation set: Japanese business mail (ham), the traps, and phishing in
//! the 2025 incident's style, brand lures and fluent LLM-style lures. All names, companies and
//! domains are synthetic.

use super::mime::{Charset, address, attachment_part, encoded_word, multipart, text_part};
use super::{Category, Rng};

pub(super) const TENANT: &str = "example.co.jp";
pub(super) const TENANT_VN: &str = "example.com.vn";
pub(super) const SHAREPOINT: &str = "example";
pub(super) const PARTNERS: &[(&str, &str)] = &[
    ("東海部品株式会社", "tokai-buhin.co.jp"),
    ("北陸ロジスティクス株式会社", "hokuriku-logi.co.jp"),
    ("港電機工業株式会社", "minato-denki.co.jp"),
    ("株式会社さくら商事", "sakura-shoji.jp"),
    ("中部精工株式会社", "chubu-seiko.co.jp"),
];
const SURNAMES: &[(&str, &str)] = &[
    ("佐藤", "sato"),
    ("鈴木", "suzuki"),
    ("高橋", "takahashi"),
    ("田中", "tanaka"),
    ("伊藤", "ito"),
    ("渡辺", "watanabe"),
    ("山本", "yamamoto"),
    ("中村", "nakamura"),
    ("小林", "kobayashi"),
    ("加藤", "kato"),
    ("吉田", "yoshida"),
    ("山田", "yamada"),
    ("佐々木", "sasaki"),
    ("松本", "matsumoto"),
    ("井上", "inoue"),
];
const GIVEN: &[(&str, &str)] = &[
    ("太郎", "taro"),
    ("花子", "hanako"),
    ("健一", "kenichi"),
    ("美咲", "misaki"),
    ("大輔", "daisuke"),
    ("直美", "naomi"),
    ("翔太", "shota"),
    ("由美", "yumi"),
    ("誠", "makoto"),
    ("愛", "ai"),
];
const ITEMS: &[&str] = &[
    "精密ギア部品",
    "樹脂成形品",
    "制御基板",
    "アルミフレーム",
    "梱包資材",
    "検査治具",
    "センサーユニット",
];
const TOPICS: &[&str] = &[
    "品質改善",
    "新製品立ち上げ",
    "月次生産計画",
    "原価低減",
    "設備更新",
    "安全衛生",
];
const DOCS: &[&str] = &[
    "請求書",
    "見積書",
    "注文書",
    "支払通知書",
    "納品書",
    "契約書",
];
const EXTS: &[&str] = &["pdf", "xlsx", "docx", "zip", "html"];
const EVIL_TLDS: &[&str] = &["top", "xyz", "shop", "cn", "com", "net", "icu", "online"];

/// A synthetic person.
#[derive(Clone)]
pub(super) struct Person {
    pub name: String,
    pub spaced: String,
    pub addr: String,
}

/// A person whose name differs from `other` (namesakes would be a genuine H1 hit).
pub(super) fn other_person(rng: &mut Rng, domain: &str, other: &Person) -> Person {
    loop {
        let p = person(rng, domain);
        if p.name != other.name {
            return p;
        }
    }
}

pub(super) fn person(rng: &mut Rng, domain: &str) -> Person {
    let (s, sr) = *rng.pick(SURNAMES);
    let (g, gr) = *rng.pick(GIVEN);
    let addr = match rng.below(3) {
        0 => format!("{}.{}@{domain}", &gr[..1], sr),
        1 => format!("{gr}.{sr}@{domain}"),
        _ => format!("{sr}-{gr}@{domain}"),
    };
    Person {
        name: format!("{s}{g}"),
        spaced: format!("{s} {g}"),
        addr,
    }
}

fn date(rng: &mut Rng) -> String {
    let day = 1 + rng.below(28);
    let h = 8 + rng.below(10);
    format!("Mon, {day} Oct 2025 {h:02}:{:02}:00 +0900", rng.below(60))
}

fn sig(p: &Person, company: &str) -> String {
    format!(
        "--\n{company}\n{}\nTEL 03-0000-{:04}\n",
        p.spaced,
        p.addr.len() * 37 % 10000
    )
}

/// Assembles a message.
pub(super) struct Mail {
    pub from: (String, String),
    pub to: Vec<(String, String)>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<(String, String, Vec<u8>)>,
    pub extra_headers: Vec<String>,
    pub reply_to: Option<String>,
    pub charset: Charset,
}

impl Mail {
    pub(super) fn new(from: (&str, &str), to: (&str, &str), subject: &str, text: String) -> Self {
        Mail {
            from: (from.0.into(), from.1.into()),
            to: vec![(to.0.into(), to.1.into())],
            subject: subject.into(),
            text,
            html: None,
            attachments: Vec::new(),
            extra_headers: Vec::new(),
            reply_to: None,
            charset: Charset::Utf8,
        }
    }

    pub(super) fn render(&self, rng: &mut Rng, id: usize) -> Vec<u8> {
        let cs = self.charset;
        let mut h = String::new();
        h.push_str(&format!(
            "From: {}\r\n",
            address(&self.from.0, &self.from.1, cs)
        ));
        let to: Vec<String> = self.to.iter().map(|(n, a)| address(n, a, cs)).collect();
        h.push_str(&format!("To: {}\r\n", to.join(",\r\n ")));
        if let Some(r) = &self.reply_to {
            h.push_str(&format!("Reply-To: <{r}>\r\n"));
        }
        h.push_str(&format!("Subject: {}\r\n", encoded_word(&self.subject, cs)));
        h.push_str(&format!("Date: {}\r\n", date(rng)));
        h.push_str(&format!(
            "Message-ID: <eval-{id:05}.{}@mail.{}>\r\n",
            rng.below(1_000_000),
            self.from.1.rsplit('@').next().unwrap_or("x")
        ));
        for x in &self.extra_headers {
            h.push_str(x);
            h.push_str("\r\n");
        }
        h.push_str("MIME-Version: 1.0\r\n");
        let body = match &self.html {
            Some(html) => multipart(
                "alternative",
                &format!("alt{id}"),
                &[
                    text_part("plain", &self.text, cs),
                    text_part("html", html, cs),
                ],
            ),
            None => text_part("plain", &self.text, cs),
        };
        let body = if self.attachments.is_empty() {
            body
        } else {
            let mut parts = vec![body];
            for (n, t, d) in &self.attachments {
                parts.push(attachment_part(n, t, d));
            }
            multipart("mixed", &format!("mix{id}"), &parts)
        };
        let mut out = h.into_bytes();
        out.extend_from_slice(body.as_bytes());
        out
    }
}

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

/// Machine-translated Japanese in the incident's style (comma splices, honorific errors,
/// sometimes simplified glyphs).
fn mt_body(rng: &mut Rng, name: &str, doc: &str) -> String {
    let opener = *rng.pick(&["您好", "こんにちは", "尊敬するお客様", "親愛なる"]);
    let mut lines = vec![format!("{opener}{name}様、")];
    lines.push(
        rng.pick(&[
            format!("私たちは{doc}を送りました、ご確認してください。"),
            format!("{doc}の支払いは期限が過ぎました、至急でご確認してください。"),
            format!("添付の{doc}をを確認して、返信をください。"),
        ])
        .clone(),
    );
    if rng.below(2) == 0 {
        lines.push(
            rng.pick(&[
                "请查看附件的账单。",
                "账户の情報を更新してください、ありがとうございます。",
                "下記の文件をダウンロードしてください。",
            ])
            .to_string(),
        );
    }
    lines.push(
        rng.pick(&[
            "何か問題があれば、連絡してください、ありがとうございます。",
            "よろしくお願いします、ありがとうございました。",
            "ご不明点があればおっしゃられてください。",
        ])
        .to_string(),
    );
    lines.join("\n")
}

fn evil_host(rng: &mut Rng) -> String {
    let word = rng.pick(&[
        "docs-share",
        "file-view",
        "secure-doc",
        "cloud-files",
        "invoice-portal",
        "dl-center",
        "onlinestorage",
    ]);
    format!("{word}{}.{}", rng.below(999), rng.pick(EVIL_TLDS))
}

/// Phishing in the 2025 incident's style: From display name = the recipient's name, sent from
/// the compromised internal account, machine-translated Japanese, a link dressed as an
/// attachment and no real attachment.
pub(super) fn phish_incident(rng: &mut Rng) -> Mail {
    let victim_dom = if rng.below(2) == 0 {
        rng.pick(PARTNERS).1
    } else {
        TENANT
    };
    let victim = person(rng, victim_dom);
    let compromised = other_person(rng, TENANT, &victim);
    let doc = *rng.pick(DOCS);
    let ext = *rng.pick(EXTS);
    let fname = format!("{doc}_{}.{ext}", 20251000 + rng.below(99));
    let href = format!(
        "https://{}/{}/view?id={}",
        evil_host(rng),
        rng.pick(&["d", "s", "share", "file"]),
        rng.below(1 << 30)
    );
    let body = mt_body(rng, &victim.spaced, doc);
    let size = 100 + rng.below(900);
    let html = format!(
        "<html><body><p>{}</p><table style=\"border:1px solid #ccc\"><tr><td><a href=\"{href}\">📎{fname}</a><br>({size}KB)</td></tr></table></body></html>",
        body.replace('\n', "<br>")
    );
    let text = format!("{body}\n\n📎{fname} ({size}KB)\n");
    let display = if rng.below(2) == 0 {
        victim.spaced.clone()
    } else {
        victim.name.clone()
    };
    let mut m = Mail::new(
        (&display, &compromised.addr),
        (&victim.spaced, &victim.addr),
        &format!("{doc}の送付",),
        text,
    );
    m.html = Some(html);
    m
}

/// Common Japanese brand lures (CAPJ 2025: EC, cards, carriers, delivery).
pub(super) fn phish_brand(rng: &mut Rng) -> Mail {
    let (brand, token) = *rng.pick(&[
        ("Amazon.co.jp", "amazon"),
        ("三井住友カード", "smbc"),
        ("NTTドコモ", "docomo"),
        ("楽天カード", "rakuten"),
        ("JCB", "myjcb"),
        ("日本郵便", "japanpost"),
        ("えきねっと", "eki-net"),
        ("PayPay", "paypay"),
    ]);
    let me = person(rng, TENANT);
    let tld = *rng.pick(EVIL_TLDS);
    let from_dom = match rng.below(3) {
        0 => format!("{token}-co-jp.{tld}"),
        1 => format!(
            "mail{}.{}",
            rng.below(99),
            rng.pick(&["info", "xyz", "cn", "com"])
        ),
        _ => format!("{token}-security.{tld}"),
    };
    let link_host = match rng.below(4) {
        0 => format!("{token}-login.{}", rng.pick(EVIL_TLDS)),
        1 => format!(
            "{}.{token}.account-verify.{}",
            rng.pick(&["www", "secure"]),
            rng.pick(EVIL_TLDS)
        ),
        2 => format!(
            "{}.{}.{}.{}",
            45 + rng.below(150),
            rng.below(255),
            rng.below(255),
            1 + rng.below(250)
        ),
        _ => "bit.ly".to_string(),
    };
    let href = format!("https://{link_host}/{}", rng.below(1 << 30));
    let (subject, lure) = *rng.pick(&[
        ("【重要】お客様のアカウントを一時停止しました", "お客様のアカウントに不正なアクセスが検出されたため、ご利用を一時制限しております。24時間以内に本人確認を行ってください。"),
        ("【緊急】お支払い方法の確認のお願い", "お支払い方法に問題が発生しました。本日中にカード情報を更新しない場合、アカウントが停止されます。"),
        ("ご利用確認のお願い", "第三者による不正利用の可能性があるため、至急ログインしてご利用内容をご確認ください。"),
        ("お荷物のお届けについて", "お届け予定のお荷物が住所不明のため保管されています。至急、下記よりお届け先の再設定とお支払い情報の確認をお願いします。"),
    ]);
    let mt = rng.below(2) == 0;
    let mut body = format!(
        "{}{}様\n\n{lure}\n",
        if mt { "尊敬するお客様 " } else { "" },
        me.spaced
    );
    if mt {
        let extra: &&str = rng.pick(&[
            "確認が完了しました後、サービスは正常に戻ります、ご了承ください。\n",
            "请尽快确认您的账户情報。\n",
            "ご確認してください、ありがとうございます。\n",
        ]);
        body.push_str(extra);
    } else {
        body.push_str("ご不便をおかけしますが、ご理解のほどよろしくお願いいたします。\n");
    }
    let text_link = if rng.below(3) == 0 {
        format!(
            "https://www.{}/",
            if token == "amazon" {
                "amazon.co.jp"
            } else {
                "jcb.co.jp"
            }
        )
    } else {
        "ログインはこちら".to_string()
    };
    let html = format!(
        "<html><body><p>{}</p><p><a href=\"{href}\">{text_link}</a></p><p>※このメールは送信専用です。</p></body></html>",
        body.replace('\n', "<br>")
    );
    let text = format!("{body}\n{text_link}\n");
    let mut m = Mail::new(
        (brand, &format!("info@{from_dom}")),
        (&me.spaced, &me.addr),
        subject,
        text,
    );
    m.html = Some(html);
    m.charset = if rng.below(2) == 0 {
        Charset::Utf8
    } else {
        Charset::ShiftJis
    };
    m
}

/// Fluent, LLM-style Japanese lures: no grammar tells, only structure (lookalike domains,
/// display-name brand claims, credential + urgency, link destinations).
pub(super) fn phish_fluent(rng: &mut Rng) -> Mail {
    let me = person(rng, TENANT);
    let variant = rng.below(20);
    let (from, href, subject, body) = match variant {
        0..=6 => (
            (
                "Microsoft 365 管理センター".to_string(),
                format!(
                    "no-reply@{}.com",
                    rng.pick(&[
                        "m365-security-notice",
                        "ms-account-center",
                        "office-alerts-jp"
                    ])
                ),
            ),
            format!(
                "https://{}.{}/auth/{}",
                rng.pick(&["m365-login", "microsoft-verify", "office365-portal"]),
                rng.pick(&["com", "net", "online", "top"]),
                rng.below(1 << 30)
            ),
            "【ご対応のお願い】メールボックス容量およびアカウント再認証について",
            format!(
                "{}様\n\nいつもMicrosoft 365をご利用いただき、誠にありがとうございます。\nセキュリティ強化の一環として、全ユーザーを対象にアカウントの再認証をお願いしております。\n11月30日までに再認証が完了しない場合、メールの送受信が制限される可能性がございます。\nお手数をおかけいたしますが、下記より手続きをお願いいたします。\n",
                me.spaced
            ),
        ),
        7..=12 => (
            (
                "情報システム部".to_string(),
                format!(
                    "it-support@{}",
                    rng.pick(&[
                        "examp1e.co.jp",
                        "example-co.jp",
                        "exarnple.co.jp",
                        "example.com",
                        "example-support.net"
                    ])
                ),
            ),
            format!(
                "https://{}/sso/{}",
                rng.pick(&["example-sso.net", "examp1e.co.jp", "sso-example.com"]),
                rng.below(1 << 30)
            ),
            "【重要】多要素認証の再設定のお願い",
            format!(
                "{}さん\n\nお疲れさまです。情報システム部です。\n社内システムの認証基盤移行に伴い、多要素認証の再設定をお願いしております。\n期限までに設定が完了していない場合、社外からのサインインができなくなります。\n下記のページからサインインし、画面の案内に従って設定してください。\n",
                me.spaced
            ),
        ),
        13..=18 => {
            let (pc, pd) = *rng.pick(PARTNERS);
            let look = format!(
                "{}.{}",
                pd.split('.').next().unwrap_or("x").replacen('o', "0", 1),
                rng.pick(&["com", "net", "co"])
            );
            (
                (format!("{pc} 経理部"), format!("keiri@{look}")),
                format!("https://{look}/invoice/{}", rng.below(1 << 30)),
                "お振込先口座変更のお知らせ",
                format!(
                    "{}様\n\n平素より格別のお引き立てを賜り、厚く御礼申し上げます。\nこのたび、弊社の取引銀行の変更に伴い、お振込先口座を変更させていただくこととなりました。\n新しい口座情報は下記のページにてご確認いただけます。閲覧にはメールアドレスとパスワードでのログインが必要です。\n至急ご確認くださいますようお願い申し上げます。\n",
                    me.spaced
                ),
            )
        }
        _ => {
            // a compromised partner account: real partner domain, fluent text, plain link
            let (pc, pd) = *rng.pick(PARTNERS);
            let p = person(rng, pd);
            (
                (p.spaced.clone(), p.addr.clone()),
                format!("https://{}/view/{}", evil_host(rng), rng.below(1 << 30)),
                "資料のご確認のお願い",
                format!(
                    "{}様\n\nいつもお世話になっております。{pc}の{}です。\n先日お話しした件の資料をお送りします。\nお手すきの際にご確認いただけますと幸いです。\n",
                    me.spaced, p.spaced
                ),
            )
        }
    };
    let anchor = rng
        .pick(&[
            "こちらから手続きする",
            "再認証を行う",
            "詳細を確認する",
            "資料を確認する",
        ])
        .to_string();
    let html = format!(
        "<html><body><p>{}</p><p><a href=\"{href}\">{anchor}</a></p></body></html>",
        body.replace('\n', "<br>")
    );
    let text = format!("{body}\n{anchor}\n");
    let mut m = Mail::new((&from.0, &from.1), (&me.spaced, &me.addr), subject, text);
    m.html = Some(html);
    m
}

/// Renders one case of `cat`.
pub(super) fn make(cat: Category, rng: &mut Rng, id: usize) -> Vec<u8> {
    let m = match cat {
        Category::HamBusiness => ham_business(rng),
        Category::HamSharePoint => ham_sharepoint(rng),
        Category::HamNoteToSelf => ham_note_to_self(rng),
        Category::HamNewsletter => ham_newsletter(rng),
        Category::PhishIncident => phish_incident(rng),
        Category::PhishBrandLure => phish_brand(rng),
        Category::PhishFluent => phish_fluent(rng),
    };
    m.render(rng, id)
}
