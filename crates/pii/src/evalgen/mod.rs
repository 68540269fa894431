//! The evaluation set, generated deterministically at test (and bench) time: 64 synthetic
//! employees spread over an xlsx roster, an xlsx payroll-account sheet, a CP932 CSV, a docx
//! 扶養控除等申告書 table, a romaji PDF of health-check results, a text memo nested two zips
//! deep, and a mail body — with persons repeated across files — plus decoys (order and invoice
//! numbers, some passing the My Number check digit; part numbers; phone-like product codes;
//! dates with no person) and files that cannot be inspected (password zip, encrypted Office,
//! corrupt xlsx, an image). Ground truth is returned with it for precision/recall.

pub mod formats;
pub mod mime;
pub mod people;
mod set;
pub mod writers;

pub use set::{EvalFile, EvalMessage, EvalSet, Truth, truth_key};

use crate::PiiError;
use crate::category::Category;
use crate::extract::NotInspectedReason;
use chrono::{TimeZone, Utc};
use people::{Person, Rng, luhn_number, my_number, persons};
use writers::DocPart;

struct Builder {
    truth: Vec<Truth>,
}

impl Builder {
    fn t(&mut self, file: &str, person: &str, c: Category, v: &str) {
        let person = truth_key(Category::Name, person);
        self.truth.push(Truth {
            file: file.into(),
            person,
            category: c,
            value: truth_key(c, v),
        });
    }
}

fn dash_phone(p: &str) -> String {
    format!("{}-{}-{}", &p[..3], &p[3..7], &p[7..])
}

fn era(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let (name, first) = if d >= chrono::NaiveDate::from_ymd_opt(1989, 1, 8).unwrap_or_default() {
        ("平成", 1989)
    } else {
        ("昭和", 1926)
    };
    let y = d.year() - first + 1;
    let ys = if y == 1 {
        "元".to_string()
    } else {
        y.to_string()
    };
    format!("{name}{ys}年{}月{}日", d.month(), d.day())
}

/// The messages the large-export benchmarks cycle through: the sets of seeds `1..=seeds`,
/// each body padded with ordinary business prose so bodies weigh like real mail.
pub fn benchmark_pool(seeds: u64) -> Result<Vec<EvalMessage>, PiiError> {
    let mut pool = Vec::new();
    for seed in 1..=seeds {
        for mut m in generate(seed)?.messages {
            m.body.push_str(&"お世話になっております。先日の打ち合わせの件につきまして、資料を添付いたしますのでご確認ください。\n".repeat(20));
            pool.push(m);
        }
    }
    Ok(pool)
}

/// Generates the set from `seed`.
pub fn generate(seed: u64) -> Result<EvalSet, PiiError> {
    let ps = persons(seed, 64);
    let mut rng = Rng::new(seed ^ 0xDEC0);
    let mut b = Builder { truth: Vec::new() };
    let s = |x: &str| x.to_string();

    // A. Roster xlsx (persons 0..40) + a decoy order sheet.
    let fa = "社員名簿.xlsx";
    let mut roster = vec![
        vec![s("社員名簿 2024年度")],
        vec![
            s("社員番号"),
            s("氏名"),
            s("フリガナ"),
            s("生年月日"),
            s("性別"),
            s("郵便番号"),
            s("住所"),
            s("携帯電話"),
            s("メールアドレス"),
            s("既往歴"),
        ],
    ];
    for (i, p) in ps.iter().enumerate().take(40) {
        let ill = p.illness.map_or("なし", |x| x.0);
        roster.push(vec![
            format!("E{:04}", i + 1),
            p.name.clone(),
            p.kana.clone(),
            p.birth.format("%Y/%m/%d").to_string(),
            s(p.gender),
            format!("{}-{}", &p.postal[..3], &p.postal[3..]),
            p.address.clone(),
            dash_phone(&p.phone),
            p.email.clone(),
            s(ill),
        ]);
        for (c, v) in [
            (Category::Name, p.name.clone()),
            (Category::NameKana, p.kana.clone()),
            (Category::BirthDate, p.birth.to_string()),
            (Category::Gender, s(p.gender)),
            (Category::PostalCode, p.postal.clone()),
            (Category::Address, p.address.clone()),
            (Category::Phone, p.phone.clone()),
            (Category::Email, p.email.clone()),
        ] {
            b.t(fa, &p.name, c, &v);
        }
        if let Some((ja, _)) = p.illness {
            b.t(fa, &p.name, Category::SpecialCare, ja);
        }
    }
    let mut orders = vec![vec![
        s("注文番号"),
        s("品番"),
        s("型番"),
        s("納期"),
        s("数量"),
    ]];
    for k in 0..30 {
        let order = if k % 3 == 0 {
            my_number(&mut rng)
        } else {
            rng.digits(12)
        };
        orders.push(vec![
            order,
            format!("AB-{}", rng.digits(7)),
            format!("080-{}-{}", rng.digits(4), rng.digits(4)),
            format!("2024/{:02}/{:02}", 1 + k % 12, 1 + k % 28),
            (k + 1).to_string(),
        ]);
    }
    let a = writers::xlsx(fa, &[("名簿", roster), ("受注一覧", orders)])?;

    // B. Payroll accounts xlsx (persons 24..48).
    let fb = "給与振込口座.xlsx";
    let mut pay = vec![vec![
        s("氏名"),
        s("生年月日"),
        s("個人番号"),
        s("銀行名"),
        s("支店番号"),
        s("口座種別"),
        s("口座番号"),
    ]];
    for p in &ps[24..48] {
        pay.push(vec![
            p.name.clone(),
            p.birth.to_string(),
            p.my_number.clone(),
            s("みずほ銀行"),
            p.branch.clone(),
            s("普通"),
            p.account.clone(),
        ]);
        for (c, v) in [
            (Category::Name, &p.name),
            (Category::MyNumber, &p.my_number),
            (Category::BankAccount, &p.account),
        ] {
            b.t(fb, &p.name, c, v);
        }
        b.t(fb, &p.name, Category::BirthDate, &p.birth.to_string());
    }
    let bx = writers::xlsx(fb, &[("振込先", pay)])?;

    // C. Emergency contacts CSV in CP932 (persons 30..64), 和暦 birth dates.
    let fc = "緊急連絡先.csv";
    let mut rows = vec![vec![
        s("氏名"),
        s("フリガナ"),
        s("生年月日"),
        s("携帯電話"),
        s("郵便番号"),
        s("住所"),
    ]];
    for p in &ps[30..64] {
        rows.push(vec![
            p.name.clone(),
            p.kana.clone(),
            era(p.birth),
            dash_phone(&p.phone),
            format!("〒{}-{}", &p.postal[..3], &p.postal[3..]),
            p.address.clone(),
        ]);
        for (c, v) in [
            (Category::Name, p.name.clone()),
            (Category::NameKana, p.kana.clone()),
            (Category::BirthDate, p.birth.to_string()),
            (Category::Phone, p.phone.clone()),
            (Category::PostalCode, p.postal.clone()),
            (Category::Address, p.address.clone()),
        ] {
            b.t(fc, &p.name, c, &v);
        }
    }
    let c = writers::csv_cp932(&rows);

    // D. docx 扶養控除等申告書 (persons 44..64) with decoy paragraphs.
    let fd = "扶養控除等申告書.docx";
    let mut table = vec![vec![
        s("氏名"),
        s("フリガナ"),
        s("生年月日"),
        s("世帯主の氏名"),
        s("続柄"),
        s("個人番号"),
        s("住所"),
    ]];
    for p in &ps[44..64] {
        table.push(vec![
            p.name.clone(),
            p.kana.clone(),
            era(p.birth),
            p.head.clone(),
            s(p.relation),
            p.my_number.clone(),
            p.address.clone(),
        ]);
        for (c, v) in [
            (Category::Name, p.name.clone()),
            (Category::NameKana, p.kana.clone()),
            (Category::BirthDate, p.birth.to_string()),
            (Category::HeadOfHousehold, p.head.clone()),
            (Category::Relationship, s(p.relation)),
            (Category::MyNumber, p.my_number.clone()),
            (Category::Address, p.address.clone()),
        ] {
            b.t(fd, &p.name, c, &v);
        }
    }
    let d = writers::docx(
        fd,
        &[
            DocPart::Para(s(
                "令和6年分 給与所得者の扶養控除等（異動）申告書 取りまとめ",
            )),
            DocPart::Para(format!(
                "請求書番号：{}　提出期限：2024年12月10日",
                my_number(&mut rng)
            )),
            DocPart::Para(format!(
                "品番: 03-{}-{} の封筒を使用してください。",
                rng.digits(4),
                rng.digits(4)
            )),
            DocPart::Table(table),
        ],
    )?;

    // E. Romaji PDF health-check results (persons 56..64), with decoys.
    let fe = "health_check_2024.pdf";
    let mut lines = vec![
        s("Health check results 2024 (confidential)"),
        format!("Invoice No: {}", my_number(&mut rng)),
        format!("Part No: 03{}", rng.digits(8)),
    ];
    for p in &ps[56..64] {
        let ill = p.illness.unwrap_or(("高血圧", "hypertension")).1;
        lines.extend([
            format!("Name: {}", p.romaji),
            format!("Date of birth: {}", p.birth),
            format!("Mobile: {}", dash_phone(&p.phone)),
            format!("Medical history: {ill}"),
            String::new(),
        ]);
        b.t(fe, &p.romaji, Category::Name, &p.romaji);
        b.t(fe, &p.romaji, Category::BirthDate, &p.birth.to_string());
        b.t(fe, &p.romaji, Category::Phone, &p.phone);
        b.t(fe, &p.romaji, Category::SpecialCare, ill);
    }
    let e = writers::pdf(&lines, 40);

    // F. Expense memo with card numbers, nested two zips deep.
    let ff = "経費.zip";
    let mut memo = String::from("経費精算メモ\n");
    for p in ps.iter().filter(|p| p.card.is_some()) {
        let card = p.card.clone().unwrap_or_default();
        memo += &format!(
            "氏名：{}\n生年月日：{}\nカード番号：{}-{}-{}-{}\n\n",
            p.name,
            p.birth.format("%Y年%-m月%-d日"),
            &card[..4],
            &card[4..8],
            &card[8..12],
            &card[12..]
        );
        b.t(ff, &p.name, Category::Name, &p.name);
        b.t(ff, &p.name, Category::BirthDate, &p.birth.to_string());
        b.t(ff, &p.name, Category::Card, &card);
    }
    memo += &format!("注文番号：{}\n", luhn_number(&mut rng, "4111", 16));
    let inner = writers::zip(
        "inner.zip",
        &[("経費精算メモ.txt", memo.into_bytes())],
        zip::CompressionMethod::Deflated,
    )?;
    let f = writers::zip(
        ff,
        &[("inner.zip", inner)],
        zip::CompressionMethod::Deflated,
    )?;

    // Not inspectable: PPAP zip, encrypted Office, corrupt xlsx, image.
    let ppap = writers::flagged_encrypted_zip("機密.zip", &[("名簿.xlsx", a.clone())])?;
    let mut corrupt = a.clone();
    corrupt.truncate(300);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();

    let file = |name: &str, ct: &'static str, bytes: Vec<u8>| EvalFile {
        name: name.into(),
        content_type: ct,
        bytes,
    };
    let xl = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let hr = s("hr@example.co.jp");
    let staff = vec![s("soumu@example.co.jp"), s("keiri@example.co.jp")];
    let day = |y: i32, m: u32, dd: u32| {
        Utc.with_ymd_and_hms(y, m, dd, 1, 0, 0)
            .single()
            .unwrap_or_default()
    };
    let msg = |i: usize,
               folder: &str,
               date,
               from: String,
               to: Vec<String>,
               body: String,
               att: Vec<EvalFile>| EvalMessage {
        message_id: format!("<eval{i:03}@example.co.jp>"),
        folder: folder.into(),
        date,
        from,
        to,
        cc: vec![],
        body,
        attachments: att,
    };
    let sig = "\n--\n株式会社サンプル製作所 総務部\n総務課 担当\nTEL: 03-5555-0100（代表）\n";
    let p2 = &ps[2];
    let body_mid = "<eval010@example.co.jp>";
    let body_file = format!("body:{body_mid}");
    let body10 = format!(
        "総務部各位\n\n住所変更の届出がありました。\n氏名：{}\n生年月日：{}\n携帯：{}\nよろしくお願いします。{sig}",
        p2.name,
        era(p2.birth),
        dash_phone(&p2.phone)
    );
    b.t(&body_file, &p2.name, Category::Name, &p2.name);
    b.t(
        &body_file,
        &p2.name,
        Category::BirthDate,
        &p2.birth.to_string(),
    );
    b.t(&body_file, &p2.name, Category::Phone, &p2.phone);
    let mut messages = vec![
        msg(
            1,
            "送信済みアイテム",
            day(2021, 4, 1),
            hr.clone(),
            staff.clone(),
            format!("各位\n\n社員名簿を送付します。{sig}"),
            vec![file(fa, xl, a)],
        ),
        msg(
            2,
            "送信済みアイテム",
            day(2022, 1, 20),
            hr.clone(),
            vec![s("keiri@example.co.jp")],
            format!("給与振込口座の一覧です。{sig}"),
            vec![file(fb, xl, bx)],
        ),
        msg(
            3,
            "受信トレイ",
            day(2022, 6, 3),
            s("soumu@example.co.jp"),
            vec![hr.clone()],
            format!("緊急連絡先を更新しました。{sig}"),
            vec![file(fc, "text/csv", c)],
        ),
        msg(
            4,
            "受信トレイ",
            day(2023, 11, 30),
            s("soumu@example.co.jp"),
            vec![hr.clone()],
            format!("扶養控除等申告書の取りまとめです。{sig}"),
            vec![file(
                fd,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                d,
            )],
        ),
        msg(
            5,
            "受信トレイ/健康管理",
            day(2024, 3, 5),
            s("clinic@kenshin-center.example.jp"),
            vec![hr.clone()],
            s(
                "健康診断結果を送付いたします。\n--\n株式会社けんしんセンター 営業部\n佐藤 次郎\nTEL 06-1234-0000\nsato@kenshin-center.example.jp\n",
            ),
            vec![file(fe, "application/pdf", e)],
        ),
        msg(
            6,
            "送信済みアイテム",
            day(2024, 5, 10),
            hr.clone(),
            vec![s("keiri@example.co.jp")],
            s("経費精算の資料です。"),
            vec![file(ff, "application/zip", f)],
        ),
        msg(
            7,
            "送信済みアイテム",
            day(2024, 7, 1),
            hr.clone(),
            vec![s("partner@vendor-a.example.com")],
            s("資料を送付します。パスワードは別メールでお送りします。"),
            vec![file("機密.zip", "application/zip", ppap)],
        ),
        msg(
            8,
            "送信済みアイテム",
            day(2024, 7, 1),
            hr.clone(),
            vec![s("partner@vendor-a.example.com")],
            s("先ほどのZIPのパスワード: Abc12345"),
            vec![],
        ),
        msg(
            9,
            "受信トレイ",
            day(2025, 1, 15),
            s("keiri@example.co.jp"),
            vec![hr.clone()],
            s("給与明細と資料です。"),
            vec![
                file("給与明細.xlsx", xl, writers::encrypted_office_stub()),
                file("壊れた.xlsx", xl, corrupt),
                file("scan.png", "image/png", png),
            ],
        ),
        msg(
            10,
            "受信トレイ",
            day(2025, 2, 3),
            s("soumu@example.co.jp"),
            vec![hr.clone()],
            body10,
            vec![],
        ),
    ];
    // Decoy mails from vendors: order numbers (some passing the check digit), part numbers,
    // toll-free numbers, delivery dates, signatures of business contacts.
    for k in 0..6usize {
        let vendor = [
            "vendor-a.example.com",
            "vendor-b.example.net",
            "shoji-c.example.jp",
        ][k % 3];
        let order = if k % 2 == 0 {
            my_number(&mut rng)
        } else {
            rng.digits(12)
        };
        let body = format!(
            "いつもお世話になっております。\nご注文ありがとうございます。\n注文番号：{order}\n品番：AB-{}\n型番：090-{}-{}\n納期：2024年{}月{}日\nお問い合わせ：0120-{}-{}\n\n--\n株式会社取引先{k} 営業部\n鈴木 一郎\nTEL: 03-{}-{}  FAX: 03-{}-{}\nsales{k}@{vendor}\n",
            rng.digits(7),
            rng.digits(4),
            rng.digits(4),
            1 + k,
            10 + k,
            rng.digits(3),
            rng.digits(3),
            rng.digits(4),
            rng.digits(4),
            rng.digits(4),
            rng.digits(4)
        );
        messages.push(msg(
            20 + k,
            "受信トレイ",
            day(2023, 1 + k as u32, 10),
            format!("sales{k}@{vendor}"),
            vec![hr.clone()],
            body,
            vec![],
        ));
    }
    messages.push(msg(
        30,
        "受信トレイ",
        day(2023, 9, 9),
        s("yamada.taro@vendor-b.example.net"),
        vec![hr.clone()],
        s("山田様\n\nお世話になっております。来週の打ち合わせの件、承知しました。\n"),
        vec![],
    ));
    let _: &[Person] = &ps;
    Ok(EvalSet {
        messages,
        expected_persons: 64,
        truth: b.truth,
        expected_not_inspected: vec![
            ("機密.zip".into(), NotInspectedReason::EncryptedZip),
            ("給与明細.xlsx".into(), NotInspectedReason::EncryptedOffice),
            ("壊れた.xlsx".into(), NotInspectedReason::Corrupt),
            ("scan.png".into(), NotInspectedReason::UnsupportedFormat),
        ],
    })
}
