//! Extraction tests on documents written by `evalgen::writers` and on hostile archives.

use super::*;
use crate::evalgen::writers::{self, DocPart};
use zip::CompressionMethod;

fn reasons(ex: &Extraction) -> Vec<NotInspectedReason> {
    ex.not_inspected.iter().map(|n| n.reason).collect()
}

#[test]
fn zip_bomb_and_nesting_are_refused() {
    let zeros = vec![0u8; 4 << 20];
    let bomb = writers::zip(
        "b.zip",
        &[("zeros.txt", zeros)],
        CompressionMethod::Deflated,
    )
    .expect("zip");
    let ex = extract("b.zip", None, &bomb, &ExtractLimits::default());
    assert_eq!(reasons(&ex), vec![NotInspectedReason::CompressionBomb]);
    assert!(ex.not_inspected[0].path.ends_with("b.zip!/zeros.txt"));

    let mut z = writers::zip(
        "0.zip",
        &[("a.txt", b"hello".to_vec())],
        CompressionMethod::Deflated,
    )
    .expect("zip");
    for i in 1..=4 {
        z = writers::zip(
            "n.zip",
            &[(&format!("{i}.zip"), z)],
            CompressionMethod::Deflated,
        )
        .expect("zip");
    }
    let ex = extract("n.zip", None, &z, &ExtractLimits::default());
    assert_eq!(reasons(&ex), vec![NotInspectedReason::NestingTooDeep]);
    assert!(ex.docs.is_empty());
}

#[test]
fn encrypted_containers_are_reported_not_clean() {
    let z = writers::flagged_encrypted_zip("p.zip", &[("名簿.csv", b"a,b".to_vec())]).expect("zip");
    let ex = extract("p.zip", None, &z, &ExtractLimits::default());
    assert_eq!(reasons(&ex), vec![NotInspectedReason::EncryptedZip]);
    let ex = extract(
        "x.xlsx",
        None,
        &writers::encrypted_office_stub(),
        &ExtractLimits::default(),
    );
    assert_eq!(reasons(&ex), vec![NotInspectedReason::EncryptedOffice]);
    assert!(ex.not_inspected[0].message_ja.contains("パスワード"));
}

#[test]
fn corrupt_and_unsupported_files_have_reasons() {
    let ex = extract(
        "x.xlsx",
        None,
        b"PK\x03\x04garbage",
        &ExtractLimits::default(),
    );
    assert_eq!(reasons(&ex), vec![NotInspectedReason::Corrupt]);
    let ex = extract(
        "a.pdf",
        None,
        b"%PDF-1.4\n1 0 obj broken",
        &ExtractLimits::default(),
    );
    assert_eq!(reasons(&ex), vec![NotInspectedReason::Corrupt]);
    let ex = extract(
        "a.bin",
        None,
        &[0u8, 1, 2, 3, 0, 0xff],
        &ExtractLimits::default(),
    );
    assert_eq!(reasons(&ex), vec![NotInspectedReason::UnsupportedFormat]);
}

#[test]
fn office_pdf_and_csv_round_trip() {
    let rows = vec![
        vec!["氏名".to_string(), "生年月日".into()],
        vec!["山田 太郎".into(), "1980/05/12".into()],
    ];
    let x = writers::xlsx("a.xlsx", &[("s", rows.clone())]).expect("xlsx");
    let ex = extract("renamed.bin", None, &x, &ExtractLimits::default());
    match &ex.docs[0].blocks[0] {
        Block::Table(t) => assert_eq!(t.rows, rows),
        b => panic!("expected table, got {b:?}"),
    }
    let d = writers::docx(
        "a.docx",
        &[
            DocPart::Para("前文 &<>".into()),
            DocPart::Table(rows.clone()),
        ],
    )
    .expect("docx");
    let ex = extract("a.docx", None, &d, &ExtractLimits::default());
    let blocks = &ex.docs[0].blocks;
    assert!(matches!(&blocks[0], Block::Text(t) if t.contains("前文 &<>")));
    assert!(matches!(&blocks[1], Block::Table(t) if t.rows == rows));
    let p = writers::pdf(
        &[
            "Name: Taro YAMADA".to_string(),
            "Date of birth: 1980-05-12".into(),
        ],
        40,
    );
    let ex = extract("a.pdf", None, &p, &ExtractLimits::default());
    assert!(
        matches!(&ex.docs[0].blocks[0], Block::Text(t) if t.contains("Taro YAMADA") && t.contains("1980-05-12")),
        "{:?}",
        ex
    );
    let c = writers::csv_cp932(&rows);
    let ex = extract("a.csv", Some("text/csv"), &c, &ExtractLimits::default());
    assert!(matches!(&ex.docs[0].blocks[0], Block::Table(t) if t.rows == rows));
}

#[test]
fn cjk_pdf_paths_with_and_without_pdftotext() {
    use crate::evalgen::formats::{CidMapping, cjk_pdf};
    let lines = vec!["氏名：山本 陽子".to_string(), "携帯：080-2718-2818".into()];
    let limits = ExtractLimits::default();
    // With a ToUnicode CMap, pdf-extract alone recovers the Japanese.
    let with_cmap = cjk_pdf(&lines, 40, CidMapping::ToUnicodeCmap);
    let r = pdf::extract_pdf_with("a.pdf", &with_cmap, &limits, false).expect("text");
    assert!(
        matches!(&r[0], Block::Text(t) if t.contains("山本 陽子") && t.contains("080-2718-2818"))
    );
    // Without one (CIDs are Unicode values), pdf-extract yields nothing: without pdftotext the
    // file is reported as not inspected, never as a clean file.
    let bare = cjk_pdf(&lines, 40, CidMapping::CidIsUnicode);
    let ni = pdf::extract_pdf_with("b.pdf", &bare, &limits, false).expect_err("no text");
    assert_eq!(ni.reason, NotInspectedReason::UnsupportedFormat);
    assert!(ni.detail.contains("pdftotext"), "{}", ni.detail);
}

#[test]
fn a_pdf_over_the_time_limit_is_reported_and_the_next_pdf_is_still_read() {
    let p = writers::pdf(&["Name: Taro YAMADA".to_string()], 40);
    // No time at all: the worker cannot answer in time, so the file is listed as timed out
    // (never clean) and that worker is abandoned.
    let hurried = ExtractLimits {
        pdf_timeout: std::time::Duration::ZERO,
        ..ExtractLimits::default()
    };
    // (Tried a few times: a caller descheduled right after handing the job over could find
    // the answer already there.)
    let timed_out = (0..5).any(|_| {
        pdf::extract_pdf_with("slow.pdf", &p, &hurried, false)
            .is_err_and(|ni| ni.reason == NotInspectedReason::Timeout)
    });
    assert!(timed_out, "a zero time limit never timed out");
    // The next PDF gets a new worker; many in a row reuse one.
    for i in 0..20 {
        let r = pdf::extract_pdf_with("a.pdf", &p, &ExtractLimits::default(), false)
            .unwrap_or_else(|e| panic!("PDF {i}: {e:?}"));
        assert!(matches!(&r[0], Block::Text(t) if t.contains("Taro YAMADA")));
    }
}

#[test]
fn reused_csv_readers_read_like_fresh_ones() {
    // Quoted fields with delimiters and line breaks, CRLF, ragged rows, empty files, a file
    // ending inside a quote, a single line without a newline, BOM and CP932 — in an order
    // where each kind follows each other kind, through the per-thread readers, against a
    // reader built for each file.
    let mut files: Vec<Vec<u8>> = [
        "氏名,住所\n山田 太郎,\"東京都港区, 芝公園\"\n",
        "a,b,c\r\n1,2\r\n\"x\"\"y\",\"multi\nline\",3\r\n",
        "",
        "\n\n,\n",
        "only one line",
        "\"unterminated,quote\nnext,row",
        "\u{feff}氏名,電話\n佐藤 花子,090-1234-5678",
        "tab\tseparated,still one cell\n",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    files.push(writers::csv_cp932(&[vec![
        "氏名".into(),
        "フリガナ".into(),
    ]]));
    let fresh = |bytes: &[u8], tab: bool| -> Vec<Vec<String>> {
        let text = super::text::decode_text(bytes);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(if tab { b'\t' } else { b',' })
            .from_reader(text.as_bytes());
        rdr.records()
            .map(|r| {
                r.map_or(vec![String::new()], |r| {
                    r.iter().map(str::to_string).collect()
                })
            })
            .collect()
    };
    for tab in [false, true] {
        for a in &files {
            for b in &files {
                for bytes in [a, b, a] {
                    let got = super::text::parse_csv("x.csv", bytes, tab).rows;
                    assert_eq!(
                        got,
                        fresh(bytes, tab),
                        "{:?}",
                        String::from_utf8_lossy(bytes)
                    );
                }
            }
        }
    }
}

#[test]
fn reused_part_buffer_gives_the_same_extraction_in_any_order() {
    // xlsx and docx parts share one per-thread buffer: each file must read alike whether it
    // follows a larger or a smaller file, or comes first (fresh buffer, on a new thread).
    let set = crate::evalgen::generate(3).expect("generate");
    let files: Vec<_> = set
        .messages
        .iter()
        .flat_map(|m| &m.attachments)
        .filter(|a| a.bytes.starts_with(b"PK"))
        .collect();
    assert!(files.len() >= 5, "{}", files.len());
    let show = |a: &crate::evalgen::EvalFile| {
        format!(
            "{:?}",
            extract(
                &a.name,
                Some(a.content_type),
                &a.bytes,
                &ExtractLimits::default()
            )
        )
    };
    let alone: Vec<String> = files
        .iter()
        .map(|a| std::thread::scope(|s| s.spawn(|| show(a)).join().expect("thread")))
        .collect();
    let n = files.len();
    for i in (0..n).chain((0..n).rev()) {
        assert_eq!(show(files[i]), alone[i], "{}", files[i].name);
    }
}

#[test]
fn utf8_check_agrees_with_the_standard_one() {
    // Valid pieces of every length class and invalid ones (lone continuation bytes,
    // truncated sequences, overlong forms, surrogates, code points past U+10FFFF, 0xFF),
    // joined into texts on both sides of the 64 bytes where the vectorised check starts.
    let pieces: [&[u8]; 16] = [
        b"a",
        b"<c r=\"A1\"><v>1</v></c>",
        "é".as_bytes(),
        "山田".as_bytes(),
        "😀".as_bytes(),
        b"\x80",
        b"\xC3",
        b"\xE5\xB1",
        b"\xF0\x9F\x98",
        b"\xC0\xAF",
        b"\xE0\x80\xAF",
        b"\xED\xA0\x80",
        b"\xF4\x90\x80\x80",
        b"\xFF",
        b"\xEF\xBB\xBF",
        &[b' '; 70],
    ];
    let mut rng = crate::evalgen::people::Rng::new(0x0123_4567_89AB_CDEF);
    let mut next = |n: usize| rng.below(n as u64) as usize;
    let (mut valid, mut invalid) = (0, 0);
    for _ in 0..50_000 {
        let mut b: Vec<u8> = Vec::new();
        for _ in 0..next(12) {
            // Mostly valid pieces, so that valid texts of every length occur.
            let p = if next(4) == 0 {
                next(16)
            } else {
                [0, 1, 2, 3, 4, 15][next(6)]
            };
            b.extend_from_slice(pieces[p]);
        }
        let want = std::str::from_utf8(&b).ok();
        assert_eq!(super::text::utf8(&b), want, "{b:?}");
        if want.is_some() {
            valid += 1
        } else {
            invalid += 1
        }
    }
    assert!(valid > 5_000 && invalid > 5_000, "{valid} {invalid}");
}
