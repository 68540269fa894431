//! Synthetic employees for the evaluation set: deterministic (a splitmix64 stream from a
//! seed), every value made up — names combine common surnames and given names, addresses use
//! real prefecture/municipality names with invented street numbers, My Numbers are random 11
//! digits plus the correct check digit, cards are Luhn-completed test-range numbers.

use crate::validate;

/// Deterministic pseudo-random numbers (splitmix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A stream from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len() as u64) as usize]
    }
    /// `n` random decimal digits.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
}

/// (kanji, katakana, romaji) surnames.
const SURNAMES: &[(&str, &str, &str)] = &[
    ("佐藤", "サトウ", "Sato"),
    ("鈴木", "スズキ", "Suzuki"),
    ("高橋", "タカハシ", "Takahashi"),
    ("田中", "タナカ", "Tanaka"),
    ("伊藤", "イトウ", "Ito"),
    ("渡辺", "ワタナベ", "Watanabe"),
    ("山本", "ヤマモト", "Yamamoto"),
    ("中村", "ナカムラ", "Nakamura"),
    ("小林", "コバヤシ", "Kobayashi"),
    ("加藤", "カトウ", "Kato"),
    ("吉田", "ヨシダ", "Yoshida"),
    ("山田", "ヤマダ", "Yamada"),
    ("佐々木", "ササキ", "Sasaki"),
    ("山口", "ヤマグチ", "Yamaguchi"),
    ("松本", "マツモト", "Matsumoto"),
    ("井上", "イノウエ", "Inoue"),
    ("木村", "キムラ", "Kimura"),
    ("斎藤", "サイトウ", "Saito"),
    ("清水", "シミズ", "Shimizu"),
    ("池田", "イケダ", "Ikeda"),
];

/// (kanji, katakana, romaji) given names.
const GIVEN: &[(&str, &str, &str)] = &[
    ("太郎", "タロウ", "Taro"),
    ("花子", "ハナコ", "Hanako"),
    ("一郎", "イチロウ", "Ichiro"),
    ("美咲", "ミサキ", "Misaki"),
    ("健太", "ケンタ", "Kenta"),
    ("陽子", "ヨウコ", "Yoko"),
    ("翔", "ショウ", "Sho"),
    ("結衣", "ユイ", "Yui"),
    ("大輔", "ダイスケ", "Daisuke"),
    ("由美", "ユミ", "Yumi"),
    ("直樹", "ナオキ", "Naoki"),
    ("恵", "メグミ", "Megumi"),
    ("拓也", "タクヤ", "Takuya"),
    ("愛", "アイ", "Ai"),
    ("誠", "マコト", "Makoto"),
    ("真由美", "マユミ", "Mayumi"),
];

/// (prefecture, municipality, postal prefix).
const PLACES: &[(&str, &str, &str)] = &[
    ("東京都", "千代田区", "100"),
    ("東京都", "港区", "105"),
    ("神奈川県", "横浜市", "220"),
    ("大阪府", "大阪市", "530"),
    ("愛知県", "名古屋市", "450"),
    ("福岡県", "福岡市", "810"),
    ("北海道", "札幌市", "060"),
    ("静岡県", "浜松市", "430"),
    ("埼玉県", "さいたま市", "330"),
    ("兵庫県", "神戸市", "650"),
];

const RELATIONS: &[&str] = &["本人", "長男", "長女", "妻", "夫"];
const ILLNESSES: &[(&str, &str)] = &[
    ("高血圧", "hypertension"),
    ("糖尿病", "diabetes"),
    ("喘息", "asthma"),
];

/// One synthetic employee.
#[derive(Debug, Clone)]
pub struct Person {
    /// 漢字 name "姓 名".
    pub name: String,
    /// カナ reading "セイ メイ".
    pub kana: String,
    /// Romaji "Given SURNAME".
    pub romaji: String,
    /// Birth date ISO.
    pub birth: chrono::NaiveDate,
    /// 男/女.
    pub gender: &'static str,
    /// Postal code 7 digits.
    pub postal: String,
    /// Address.
    pub address: String,
    /// Mobile phone digits (11).
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// My Number (valid check digit).
    pub my_number: String,
    /// Branch code (3 digits).
    pub branch: String,
    /// Account number (7 digits).
    pub account: String,
    /// Card number (Luhn-valid), for some persons.
    pub card: Option<String>,
    /// 世帯主 name.
    pub head: String,
    /// 続柄 to the head.
    pub relation: &'static str,
    /// Illness (ja, en), for some persons.
    pub illness: Option<(&'static str, &'static str)>,
}

/// A My Number with a correct check digit.
pub fn my_number(rng: &mut Rng) -> String {
    let base = rng.digits(11);
    let mut d = [0u8; 11];
    for (o, c) in d.iter_mut().zip(base.bytes()) {
        *o = c - b'0';
    }
    format!("{base}{}", validate::my_number_check_digit(&d))
}

/// Completes `prefix` + random digits to `len` digits with a Luhn check digit.
pub fn luhn_number(rng: &mut Rng, prefix: &str, len: usize) -> String {
    let body = format!("{prefix}{}", rng.digits(len - prefix.len() - 1));
    (0..10u8)
        .map(|c| format!("{body}{c}"))
        .find(|n| validate::luhn_valid(n))
        .unwrap_or_default()
}

/// `n` distinct persons from `seed`.
pub fn persons(seed: u64, n: usize) -> Vec<Person> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(n);
    let mut used = std::collections::HashSet::new();
    let mut phones = std::collections::HashSet::new();
    while out.len() < n {
        let s = SURNAMES[rng.below(SURNAMES.len() as u64) as usize];
        let g = GIVEN[rng.below(GIVEN.len() as u64) as usize];
        if !used.insert((s.0, g.0)) {
            continue;
        }
        let i = out.len();
        let birth = chrono::NaiveDate::from_ymd_opt(
            1960 + rng.below(43) as i32,
            1 + rng.below(12) as u32,
            1 + rng.below(28) as u32,
        )
        .unwrap_or_default();
        let place = PLACES[rng.below(PLACES.len() as u64) as usize];
        let phone = loop {
            let p = format!("0{}0{}", [7, 8, 9][rng.below(3) as usize], rng.digits(8));
            if phones.insert(p.clone()) {
                break p;
            }
        };
        let head = if i % 3 == 0 {
            format!("{} {}", s.0, GIVEN[(i + 3) % GIVEN.len()].0)
        } else {
            format!("{} {}", s.0, g.0)
        };
        let relation = if i % 3 == 0 {
            RELATIONS[1 + i % 4]
        } else {
            RELATIONS[0]
        };
        out.push(Person {
            name: format!("{} {}", s.0, g.0),
            kana: format!("{} {}", s.1, g.1),
            romaji: format!("{} {}", g.2, s.2.to_uppercase()),
            birth,
            gender: if rng.below(2) == 0 { "男" } else { "女" },
            postal: format!("{}{}", place.2, rng.digits(4)),
            address: format!(
                "{}{}{}丁目{}-{}",
                place.0,
                place.1,
                1 + rng.below(9),
                1 + rng.below(30),
                1 + rng.below(20)
            ),
            phone,
            email: format!(
                "{}.{}{}@example.co.jp",
                g.2.to_lowercase(),
                s.2.to_lowercase(),
                i
            ),
            my_number: my_number(&mut rng),
            branch: format!("{:03}", 100 + rng.below(800)),
            account: format!("{}{}", 1 + rng.below(9), rng.digits(6)),
            card: (i % 16 == 5).then(|| luhn_number(&mut rng, "3530", 16)),
            head,
            relation,
            illness: (i % 9 == 4).then(|| ILLNESSES[i % ILLNESSES.len()]),
        });
    }
    out
}
