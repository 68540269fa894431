//! Phishing templates: the 2025 incident's style, brand lures and fluent LLM-style lures. All
//! names, companies and domains are synthetic.

use super::Rng;
use super::mime::Charset;
use super::templates::{DOCS, EVIL_TLDS, EXTS, Mail, PARTNERS, TENANT, other_person, person};

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
