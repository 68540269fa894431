//! The personal-data attachments of the victim's old mail (the 2025 incident exposed 64
//! employees' data): an xlsx written by hand as a zip of minimal SpreadsheetML parts, a docx
//! table, a CP932 CSV, and a purchase order full of decoy numbers (order and part numbers, none
//! a valid My Number). All persons are synthetic: random name combinations, random addresses.

use std::io::{Cursor, Write};

use chrono::NaiveDate;

use crate::error::Error;
use crate::names::{JA_GIVEN, JA_SURNAMES};
use crate::rng::Gen;

/// Number of employees in the personal-data attachments.
pub(crate) const PERSONS: usize = 64;

/// Personal-data categories present (PPC report wording in the README).
pub(crate) const CATEGORIES: &[&str] = &[
    "name",
    "birth_date",
    "address",
    "postal_code",
    "phone",
    "head_of_household",
];

/// One synthetic employee record.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    /// 社員番号.
    pub employee_no: String,
    /// 氏名.
    pub name: String,
    /// 生年月日.
    pub birth: NaiveDate,
    /// 郵便番号.
    pub postal: String,
    /// 住所.
    pub address: String,
    /// 電話番号 (mobile).
    pub phone: String,
    /// 世帯主の氏名.
    pub head_of_household: String,
    /// 続柄 (relation of the employee to the head of household).
    pub relation: &'static str,
}

const CITIES: &[(&str, &str)] = &[
    ("愛知県", "豊田市"),
    ("愛知県", "名古屋市中区"),
    ("愛知県", "岡崎市"),
    ("東京都", "世田谷区"),
    ("東京都", "江東区"),
    ("神奈川県", "横浜市港北区"),
    ("埼玉県", "さいたま市浦和区"),
    ("千葉県", "船橋市"),
];
const TOWNS: &[&str] = &[
    "本町",
    "栄町",
    "緑町",
    "旭町",
    "若葉台",
    "桜ケ丘",
    "中央",
    "東新町",
];

/// The 64 employees (deterministic per seed).
pub(crate) fn persons(seed: u64) -> Vec<Person> {
    let mut g = Gen::new(seed, "persons", 0);
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(PERSONS);
    while out.len() < PERSONS {
        let (sur, _) = *g.pick(JA_SURNAMES);
        let (giv, _) = *g.pick(JA_GIVEN);
        let name = format!("{sur} {giv}");
        if !seen.insert(name.clone()) {
            continue;
        }
        let birth = NaiveDate::from_ymd_opt(
            1962 + g.range(0, 40) as i32,
            1 + g.range(0, 12) as u32,
            1 + g.range(0, 28) as u32,
        )
        .unwrap_or_default();
        let (pref, city) = *g.pick(CITIES);
        let address = format!(
            "{pref}{city}{}{}-{}-{}",
            g.pick(TOWNS),
            g.range(1, 6),
            g.range(1, 30),
            g.range(1, 20)
        );
        let postal = format!("{:03}-{:04}", g.range(100, 999), g.range(0, 9999));
        let phone = format!(
            "0{}0-{:04}-{:04}",
            g.pick(&[7, 8, 9]),
            g.range(0, 9999),
            g.range(0, 9999)
        );
        let (head, relation) = if g.chance(0.65) {
            (name.clone(), "本人")
        } else {
            let (father, _) = *g.pick(&JA_GIVEN[..20]);
            (format!("{sur} {father}"), *g.pick(&["子", "妻", "夫"]))
        };
        out.push(Person {
            employee_no: format!("E{:05}", 10_000 + out.len() * 37),
            name,
            birth,
            postal,
            address,
            phone,
            head_of_household: head,
            relation,
        });
    }
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn zip_parts(parts: &[(&str, String)]) -> Result<Vec<u8>, Error> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let time = zip::DateTime::from_date_and_time(2023, 1, 10, 9, 0, 0).unwrap_or_default();
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time);
    let err = Error::Attachment;
    for (name, body) in parts {
        z.start_file(*name, opts).map_err(|e| err(e.to_string()))?;
        z.write_all(body.as_bytes())
            .map_err(|e| err(e.to_string()))?;
    }
    let cur = z.finish().map_err(|e| err(e.to_string()))?;
    Ok(cur.into_inner())
}

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="TARGET"/></Relationships>"#;

fn col(i: usize) -> char {
    (b'A' + i as u8) as char
}

/// 扶養控除等申告書 取りまとめ (xlsx): one row per employee.
pub(crate) fn xlsx(people: &[Person]) -> Result<Vec<u8>, Error> {
    let header = [
        "社員番号",
        "氏名",
        "生年月日",
        "郵便番号",
        "住所",
        "電話番号",
        "世帯主の氏名",
        "続柄",
    ];
    let mut rows = String::new();
    let mut push_row = |r: usize, cells: Vec<String>| {
        rows.push_str(&format!("<row r=\"{r}\">"));
        for (i, c) in cells.iter().enumerate() {
            rows.push_str(&format!(
                "<c r=\"{}{r}\" t=\"inlineStr\"><is><t>{}</t></is></c>",
                col(i),
                xml_escape(c)
            ));
        }
        rows.push_str("</row>");
    };
    push_row(1, header.iter().map(|s| s.to_string()).collect());
    for (i, p) in people.iter().enumerate() {
        push_row(
            i + 2,
            vec![
                p.employee_no.clone(),
                p.name.clone(),
                p.birth.format("%Y/%m/%d").to_string(),
                p.postal.clone(),
                p.address.clone(),
                p.phone.clone(),
                p.head_of_household.clone(),
                p.relation.to_string(),
            ],
        );
    }
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    );
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", RELS.replace("TARGET", "xl/workbook.xml")),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="扶養控除申告" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    zip_parts(&parts)
}

/// 住所変更届 一覧 (docx): a table of names, postal codes and addresses.
pub(crate) fn docx(people: &[Person]) -> Result<Vec<u8>, Error> {
    let cell = |s: &str| {
        format!(
            "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
            xml_escape(s)
        )
    };
    let mut table = String::from("<w:tbl>");
    table.push_str(&format!(
        "<w:tr>{}{}{}{}</w:tr>",
        cell("氏名"),
        cell("郵便番号"),
        cell("新住所"),
        cell("世帯主")
    ));
    for p in people {
        table.push_str(&format!(
            "<w:tr>{}{}{}{}</w:tr>",
            cell(&p.name),
            cell(&format!("〒{}", p.postal)),
            cell(&p.address),
            cell(&p.head_of_household)
        ));
    }
    table.push_str("</w:tbl>");
    let doc = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>住所変更届 一覧（人事部）</w:t></w:r></w:p>{table}</w:body></w:document>"#
    );
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string()),
        ("_rels/.rels", RELS.replace("TARGET", "word/document.xml")),
        ("word/document.xml", doc),
    ];
    zip_parts(&parts)
}

/// 緊急連絡網 (CSV in CP932 / Shift_JIS, CRLF): names, phones, addresses.
pub(crate) fn cp932_csv(people: &[Person]) -> Vec<u8> {
    let mut s = String::from("氏名,電話番号,住所\r\n");
    for p in people {
        s.push_str(&format!("{},{},{}\r\n", p.name, p.phone, p.address));
    }
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&s);
    bytes.into_owned()
}

/// True when the 12 digits pass the My Number (個人番号) check digit (JAPAN.md §4).
pub(crate) fn is_valid_my_number(digits: &str) -> bool {
    let d: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if d.len() != 12 {
        return false;
    }
    let sum: u32 = (1..=11)
        .map(|n| d[11 - n] * if n <= 6 { n as u32 + 1 } else { n as u32 - 5 })
        .sum();
    let r = sum % 11;
    let check = if r <= 1 { 0 } else { 11 - r };
    d[11] == check
}

/// A purchase order body full of decoy numbers: 12-digit order numbers that fail the My Number
/// check, part numbers, a corporate phone. Returns the text and the 12-digit decoys.
pub(crate) fn decoy_order(seed: u64) -> (String, Vec<String>) {
    let mut g = Gen::new(seed, "decoy", 0);
    let mut lines = vec!["注文書（発注番号・型番一覧）".to_string(), String::new()];
    let mut decoys = Vec::new();
    for i in 0..8 {
        let base: String = (0..11)
            .map(|_| char::from(b'0' + g.range(0, 10) as u8))
            .collect();
        let mut n = format!("{base}0");
        for last in 0..10u8 {
            n = format!("{base}{}", char::from(b'0' + last));
            if !is_valid_my_number(&n) {
                break;
            }
        }
        lines.push(format!(
            "注文番号: {n}  型番: EX-{:04}-{:02}  数量: {}",
            g.range(1000, 9999),
            i,
            g.range(1, 500)
        ));
        decoys.push(n);
    }
    lines.push("ご不明点は代表 052-000-0000 までお問い合わせください。".into());
    (lines.join("\n") + "\n", decoys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn my_number_check_and_decoys() {
        assert!(is_valid_my_number("123456789018"));
        assert!(!is_valid_my_number("123456789019"));
        let (_, decoys) = decoy_order(9);
        assert!(
            decoys
                .iter()
                .all(|d| d.len() == 12 && !is_valid_my_number(d))
        );
    }

    #[test]
    fn sixty_four_distinct_persons_and_valid_zips() {
        let p = persons(1);
        assert_eq!(p.len(), PERSONS);
        let x = xlsx(&p).expect("xlsx");
        let mut zip = zip::ZipArchive::new(Cursor::new(x)).expect("zip");
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet"),
            &mut sheet,
        )
        .expect("read");
        assert_eq!(sheet.matches("<row ").count(), PERSONS + 1);
        assert!(sheet.contains("世帯主の氏名"));
        let d = docx(&p).expect("docx");
        assert_eq!(&d[..2], b"PK");
        let c = cp932_csv(&p);
        let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&c);
        assert!(!bad && text.contains(&p[0].name));
    }
}
