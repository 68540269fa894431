//! Mail content building blocks: partner companies and their contacts, Japanese business
//! subjects, newsletter and phishing subjects, and Exchange-Online-shaped Message-IDs.

use crate::names::{JA_GIVEN, JA_SURNAMES};
use crate::rng::Gen;

/// External business partners: (domain, company name). Subdomains of reserved example domains.
pub(crate) const PARTNERS: &[(&str, &str)] = &[
    ("buhin.example.jp", "株式会社サンプル部品"),
    ("shoji.example.jp", "サンプル商事株式会社"),
    ("logi.example.ne.jp", "サンプル物流株式会社"),
    ("motors.example.com", "Example Motors Inc."),
    ("seimitsu.example.jp", "サンプル精密工業株式会社"),
    ("kanagata.example.jp", "有限会社サンプル金型"),
    ("bank.example.jp", "サンプル銀行 法人営業部"),
    ("zeirishi.example.jp", "サンプル税理士法人"),
];

/// Everyday business subjects.
pub(crate) const SUBJECTS: &[&str] = &[
    "お見積りのご依頼",
    "【ご確認】発注書の送付について",
    "納期回答のお願い",
    "打合せ日程のご相談",
    "議事録送付",
    "品質不具合報告書（第一報）",
    "図面改訂のお知らせ",
    "請求書送付のご案内",
    "月次報告",
    "出荷案内",
    "部品在庫状況のご連絡",
    "来週の工場見学について",
    "Re: 試作品の件",
    "RE: 価格改定のご相談",
    "FW: 展示会のご案内",
    "今週の生産計画",
    "年末年始の営業日について",
    "稟議書の回覧",
    "設計変更依頼（ECN-2025-031）",
    "ご挨拶",
    "Weekly report",
    "Purchase order PO-8812",
];

/// Subjects of the phishing burst (2025 incident: invoice lure, machine-translated tone).
pub(crate) const PHISHING_SUBJECTS: &[&str] = &[
    "【重要】請求書のご確認お願いします",
    "【重要】請求書のご確認お願い致します",
    "請求書の確認をしてください",
];

/// Newsletter subjects.
pub(crate) const NEWSLETTER_SUBJECTS: &[&str] = &[
    "【製造業ニュース】今週の注目トピック",
    "【セミナー案内】スマート工場の最新事例",
    "【メールマガジン】材料価格動向レポート",
];

/// Sender of the newsletter.
pub(crate) const NEWSLETTER_SENDER: &str = "news@mailing.example.net";
/// Shared mailbox that sends the weekly all-staff notice.
pub(crate) const SOUMU_SENDER: &str = "soumu@example.co.jp";
/// The all-staff distribution group.
pub(crate) const ALL_STAFF: &str = "all-staff@example.co.jp";

/// An external contact: (address, display name).
pub(crate) fn contact(g: &mut Gen) -> (String, String) {
    let (domain, _company) = *g.pick(PARTNERS);
    let (sur, sur_r) = *g.pick(JA_SURNAMES);
    let (giv, giv_r) = *g.pick(JA_GIVEN);
    let addr = if g.chance(0.5) {
        format!("{giv_r}.{sur_r}@{domain}")
    } else {
        format!("{}-{sur_r}@{domain}", &giv_r[..1])
    };
    (addr, format!("{sur} {giv}"))
}

/// The n-th distinct contact of the victim's address book (deterministic per seed and n).
pub(crate) fn address_book_entry(seed: u64, n: u64) -> (String, String) {
    let mut g = Gen::new(seed, "addressbook", n);
    let (addr, name) = contact(&mut g);
    // Make every entry distinct by construction.
    let (local, domain) = addr
        .split_once('@')
        .unwrap_or((addr.as_str(), "example.jp"));
    (format!("{local}{n}@{domain}"), name)
}

/// An Exchange Online style Message-ID: `<TYWPR01MB1234…@TYWPR01MB1234.jpnprd01.prod.outlook.com>`.
pub(crate) fn exo_message_id(g: &mut Gen) -> String {
    let server = g.range(1000, 9999);
    format!(
        "<TYWPR01MB{server}{}@TYWPR01MB{server}.jpnprd01.prod.outlook.com>",
        g.hex(32).to_uppercase()
    )
}

/// A partner's Message-ID.
pub(crate) fn external_message_id(g: &mut Gen, domain: &str) -> String {
    format!("<{}.{}@{}>", g.hex(16), g.range(100_000, 999_999), domain)
}
