//! Shared pieces of the evaluation templates: the synthetic tenant, partners and people, and
//! the message assembler. All names, companies and domains are synthetic.

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
pub(super) const ITEMS: &[&str] = &[
    "精密ギア部品",
    "樹脂成形品",
    "制御基板",
    "アルミフレーム",
    "梱包資材",
    "検査治具",
    "センサーユニット",
];
pub(super) const TOPICS: &[&str] = &[
    "品質改善",
    "新製品立ち上げ",
    "月次生産計画",
    "原価低減",
    "設備更新",
    "安全衛生",
];
pub(super) const DOCS: &[&str] = &[
    "請求書",
    "見積書",
    "注文書",
    "支払通知書",
    "納品書",
    "契約書",
];
pub(super) const EXTS: &[&str] = &["pdf", "xlsx", "docx", "zip", "html"];
pub(super) const EVIL_TLDS: &[&str] = &["top", "xyz", "shop", "cn", "com", "net", "icu", "online"];

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

pub(super) fn date(rng: &mut Rng) -> String {
    let day = 1 + rng.below(28);
    let h = 8 + rng.below(10);
    format!("Mon, {day} Oct 2025 {h:02}:{:02}:00 +0900", rng.below(60))
}

pub(super) fn sig(p: &Person, company: &str) -> String {
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

/// Renders one case of `cat`.
pub(super) fn make(cat: Category, rng: &mut Rng, id: usize) -> Vec<u8> {
    let m = match cat {
        Category::HamBusiness => super::ham::ham_business(rng),
        Category::HamSharePoint => super::ham::ham_sharepoint(rng),
        Category::HamNoteToSelf => super::ham::ham_note_to_self(rng),
        Category::HamNewsletter => super::ham::ham_newsletter(rng),
        Category::PhishIncident => super::phish::phish_incident(rng),
        Category::PhishBrandLure => super::phish::phish_brand(rng),
        Category::PhishFluent => super::phish::phish_fluent(rng),
    };
    m.render(rng, id)
}
