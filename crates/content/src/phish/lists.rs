//! Host and word lists the signals use (public facts: well-known freemail providers, URL
//! shorteners, brands that Japanese phishing imitates per CAPJ 2025 reports, JAPAN.md §2).
//!
//! Kept short and explicit on purpose: every entry is something a reviewer can check.

/// Freemail domains (H5): a Reply-To here while From is a company domain is a classic lure.
pub const FREEMAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.co.jp",
    "yahoo.com",
    "ymail.com",
    "outlook.com",
    "outlook.jp",
    "hotmail.com",
    "hotmail.co.jp",
    "live.jp",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "gmx.com",
    "gmx.net",
    "mail.com",
    "proton.me",
    "protonmail.com",
    "yandex.ru",
    "yandex.com",
    "mail.ru",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "naver.com",
    "zoho.com",
];

/// URL shorteners and redirectors (L4): a subset of the Rspamd/SpamAssassin lists.
pub const SHORTENERS: &[&str] = &[
    "bit.ly",
    "t.co",
    "tinyurl.com",
    "goo.gl",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "lnkd.in",
    "rebrand.ly",
    "cutt.ly",
    "t.ly",
    "shorturl.at",
    "x.gd",
    "v.gd",
    "bit.do",
    "rb.gy",
    "tiny.cc",
    "s.id",
    "urx.nu",
    "00m.in",
    "qr.paps.jp",
    "onl.bz",
    "amzn.to",
    "amzn.asia",
    "bl.ink",
    "is.gd",
    "clck.ru",
];

/// ESP click-tracking hosts: a URL-text/href mismatch through these is normal in newsletters.
pub const ESP_TRACKERS: &[&str] = &[
    "list-manage.com",
    "mailchi.mp",
    "sendgrid.net",
    "mktomail.com",
    "hubspotlinks.com",
    "exacttarget.com",
    "rs6.net",
    "cmail19.com",
    "cmail20.com",
    "createsend1.com",
    "bme.jp",
    "benchmarkemail.com",
    "cuenote.jp",
    "blastmail.jp",
    "hs-sites.com",
];

/// TLDs over-represented in phishing reported in Japan (L9; CAPJ 2025-10/11 and Rspamd's list).
pub const SUSPICIOUS_TLDS: &[&str] = &[
    "cn", "top", "shop", "xyz", "tk", "ml", "ga", "cf", "gq", "icu", "cyou", "buzz", "sbs", "cfd",
    "monster", "rest", "bond", "cc", "vip", "lol", "click", "quest",
];

/// Storage hosts outside the tenant that are legitimate but also abused (L3 reduced weight).
pub const CLOUD_STORAGE_HOSTS: &[&str] = &[
    "sharepoint.com",
    "1drv.ms",
    "onedrive.live.com",
    "box.com",
    "dropbox.com",
    "drive.google.com",
    "docs.google.com",
];

/// A brand phishing imitates: names as shown to users, the domains it really sends from and
/// links to, and distinctive domain tokens used by lookalike domains.
pub struct Brand {
    /// Names in display names / subjects (ja and en).
    pub names: &'static [&'static str],
    /// Registrable domains the brand really uses.
    pub domains: &'static [&'static str],
    /// Tokens that, inside a non-official domain, imitate the brand (≥ 4 chars or whole labels).
    pub tokens: &'static [&'static str],
}

/// Brands most imitated in Japanese phishing (CAPJ monthly reports 2025: EC, cards, carriers,
/// securities, airlines, delivery) plus Microsoft 365 itself.
pub const BRANDS: &[Brand] = &[
    Brand {
        names: &["amazon", "アマゾン"],
        domains: &[
            "amazon.co.jp",
            "amazon.com",
            "amazon.jp",
            "amazonaws.com",
            "amzn.to",
            "amzn.asia",
        ],
        tokens: &["amazon", "amaz0n", "amazn"],
    },
    Brand {
        names: &["apple", "アップル", "icloud"],
        domains: &["apple.com", "icloud.com", "me.com"],
        tokens: &["apple", "appie", "icloud"],
    },
    Brand {
        names: &["sbi証券"],
        domains: &["sbisec.co.jp", "sbigroup.co.jp"],
        tokens: &["sbisec", "sbi-sec"],
    },
    Brand {
        names: &["ドコモ", "docomo", "nttドコモ"],
        domains: &["docomo.ne.jp", "nttdocomo.co.jp", "smt.docomo.ne.jp"],
        tokens: &["docomo", "d0como"],
    },
    Brand {
        names: &["全日空", "ana マイレージ", "anaマイレージ"],
        domains: &["ana.co.jp"],
        tokens: &["anamileage", "ana-mileage"],
    },
    Brand {
        names: &["日本航空", "jalマイレージ"],
        domains: &["jal.co.jp", "jal.com"],
        tokens: &["jalmileage", "jal-mileage"],
    },
    Brand {
        names: &["三井住友カード", "smbc", "三井住友銀行"],
        domains: &["smbc-card.com", "smbc.co.jp", "vpass.ne.jp"],
        tokens: &["smbc", "vpass"],
    },
    Brand {
        names: &["jcb"],
        domains: &["jcb.co.jp", "jcb.jp", "myjcb.jp"],
        tokens: &["myjcb", "jcb-card"],
    },
    Brand {
        names: &["楽天", "rakuten"],
        domains: &[
            "rakuten.co.jp",
            "rakuten.com",
            "rakuten-card.co.jp",
            "rakuten-bank.co.jp",
        ],
        tokens: &["rakuten", "rakuter"],
    },
    Brand {
        names: &["三菱ufj", "mufg"],
        domains: &["mufg.jp", "bk.mufg.jp"],
        tokens: &["mufg"],
    },
    Brand {
        names: &["イオン", "aeon"],
        domains: &["aeon.co.jp", "aeon.com", "aeonbank.co.jp"],
        tokens: &["aeon"],
    },
    Brand {
        names: &["メルカリ", "mercari"],
        domains: &["mercari.com", "mercari.jp"],
        tokens: &["mercari"],
    },
    Brand {
        names: &["paypay"],
        domains: &["paypay.ne.jp", "paypay-bank.co.jp", "paypay-card.co.jp"],
        tokens: &["paypay"],
    },
    Brand {
        names: &["日本郵便", "japan post", "ゆうパック"],
        domains: &["japanpost.jp", "post.japanpost.jp"],
        tokens: &["japanpost", "jppost"],
    },
    Brand {
        names: &["ヤマト運輸", "クロネコ"],
        domains: &["kuronekoyamato.co.jp", "yamato-hd.co.jp"],
        tokens: &["kuroneko", "yamato"],
    },
    Brand {
        names: &["佐川急便"],
        domains: &["sagawa-exp.co.jp"],
        tokens: &["sagawa"],
    },
    Brand {
        names: &["えきねっと", "jr東日本"],
        domains: &["eki-net.com", "jreast.co.jp"],
        tokens: &["ekinet", "eki-net"],
    },
    Brand {
        names: &["国税庁", "e-tax"],
        domains: &["nta.go.jp", "e-tax.nta.go.jp"],
        tokens: &["etax", "e-tax", "nta-go"],
    },
    Brand {
        names: &[
            "microsoft",
            "マイクロソフト",
            "office 365",
            "microsoft 365",
            "outlook",
        ],
        domains: &[
            "microsoft.com",
            "microsoftonline.com",
            "office.com",
            "office365.com",
            "outlook.com",
            "sharepointonline.com",
            "sharepoint.com",
            "onmicrosoft.com",
            "live.com",
            "microsoft365.com",
            "cloud.microsoft",
        ],
        tokens: &["microsoft", "micros0ft", "office365", "m365", "outlook"],
    },
];
