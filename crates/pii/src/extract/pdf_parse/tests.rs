//! The in-thread reader against lopdf: every document it accepts is the one
//! `Document::load_mem` builds (objects, stream dictionaries and data, trailer) and gives the
//! same fast-path text; the evaluation PDFs are all accepted; damaged files (every byte flipped
//! in turn) are either declined or still read as lopdf reads them.

use super::*;
use crate::evalgen::formats::{CidMapping, cjk_pdf};
use crate::evalgen::writers::{assemble_pdf, pdf};
use crate::extract::pdf_fast::{document_text, document_text_with, simple_pdf_text};

fn show(o: &Object) -> String {
    match o {
        Object::Stream(s) => format!("stream {:?} {:?}", s.dict, s.content),
        o => format!("{o:?}"),
    }
}

/// `true` when accepted (and then equal to lopdf's document and text).
fn check(bytes: &[u8]) -> bool {
    let Some(mine) = load(bytes) else {
        return false;
    };
    let theirs = Document::load_mem(bytes).expect("lopdf loads what the strict reader accepts");
    let ids: Vec<_> = mine.objects.keys().collect();
    assert_eq!(ids, theirs.objects.keys().collect::<Vec<_>>());
    for (id, o) in &mine.objects {
        assert_eq!(show(o), show(&theirs.objects[id]), "object {id:?}");
    }
    assert_eq!(
        format!("{:?}", mine.trailer),
        format!("{:?}", theirs.trailer)
    );
    let text = simple_pdf_text(bytes);
    assert_eq!(document_text(&mine), text);
    // With the page content split by `content`: the same text, or declined.
    if let Some(t) = document_text_with(&mine, content) {
        assert_eq!(Some(t), text);
    }
    for id in mine.get_pages().into_values() {
        if let Ok(data) = mine.get_page_content(id) {
            check_content(&data);
        }
    }
    true
}

/// `true` when `content` accepts `data` (and then splits it as lopdf does).
fn check_content(data: &[u8]) -> bool {
    let Some(mine) = content(data) else {
        return false;
    };
    let theirs = lopdf::content::Content::decode(data).expect("lopdf decodes");
    assert_eq!(
        format!("{:?}", mine.operations),
        format!("{:?}", theirs.operations),
        "{:?}",
        String::from_utf8_lossy(data)
    );
    true
}

#[test]
fn accepted_content_is_split_as_lopdf_splits_it() {
    let samples: [&[u8]; 6] = [
        b"BT /F1 10 Tf 14 TL 40 800 Td\n(Name: Taro \\(x\\) \\\\ y) Tj T*\nET\n",
        b"q 1 0 0 1 72.5 -.5 cm BT/F2 12.0 Tf[(Wor)-250(ld)5.]TJ T* (a)' 0 0 (b)\" ET Q",
        b"",
        b"  \r\n\t",
        b"BT /F1 1 Tf 0 Tc 0 Tw 100 Tz 1 Ts ET f* S n W n",
        b"10 20 m 30 40 l h f\r\n",
    ];
    for data in samples {
        assert!(check_content(data), "{:?}", String::from_utf8_lossy(data));
        for pos in 0..data.len() {
            for flip in [0x01u8, 0x20, 0x40, 0x80] {
                let mut d = data.to_vec();
                d[pos] ^= flip;
                check_content(&d);
            }
        }
    }
    // Declined: comments, inline images, dictionaries, other escapes, trailing operands.
    for data in [
        &b"% c\nBT ET"[..],
        b"BI /W 1 ID x EI",
        b"<< /A 1 >> BDC",
        b"(a\\nb) Tj",
        b"1 2",
        b"null Tj",
        b"(a(b)c) Tj",
    ] {
        assert!(
            content(data).is_none(),
            "{:?}",
            String::from_utf8_lossy(data)
        );
    }
}

fn sample_pdfs() -> Vec<Vec<u8>> {
    let lines: Vec<String> = vec![
        "Name: Taro YAMADA (x) \\ y".into(),
        "Date of birth: 1980-05-12".into(),
        "Tel 090-1234-5678".into(),
    ];
    let mut out = vec![
        pdf(&lines, 40),
        pdf(&lines, 1),
        pdf(&[], 40),
        cjk_pdf(&lines, 40, CidMapping::ToUnicodeCmap),
    ];
    // Hand-written objects: reals, strings, nested arrays, booleans, null, an info dictionary,
    // CR LF line ends, indirect font widths.
    let content = "BT /F1 12.5 Tf 72 720 Td (Hello) Tj [(Wor) -250 (ld)] TJ ET";
    let objs = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 595.28 841.89] >>".into(),
        "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Rotate 0 /X [true false null [1 [2]] (s t) -.5 +3 4.] >>".into(),
        format!("<< /Length {} >>\r\nstream\r\n{content}\r\nendstream", content.len()),
        "<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32 /LastChar 126 /Widths 6 0 R /Encoding /WinAnsiEncoding >>".into(),
        format!("[{}]", vec!["500"; 95].join(" ")),
        "(Info string)".into(),
    ];
    out.push(assemble_pdf(b"%PDF-1.7\r\n%\xE2\xE3\xCF\xD3\r\n", &objs));
    for m in crate::evalgen::generate(1).expect("generate").messages {
        for a in m.attachments {
            if a.bytes.starts_with(b"%PDF") {
                out.push(a.bytes);
            }
        }
    }
    out
}

#[test]
fn accepted_documents_are_lopdfs() {
    let samples = sample_pdfs();
    for (k, bytes) in samples.iter().enumerate() {
        assert!(check(bytes), "sample {k} declined");
        // Their content is within the subset too (the CJK sample shows hex strings).
        let doc = load(bytes).expect("accepted");
        let split = document_text_with(&doc, content);
        assert_eq!(split.is_some(), k != 3, "sample {k}");
    }
    // Declined: comments inside objects, escapes, filters, incremental updates, encryption.
    let base = pdf(&["Name: Taro".to_string()], 40);
    let text = String::from_utf8_lossy(&base).into_owned();
    for (from, to) in [
        ("/Type /Catalog", "/Type /Catalog % note\n"),
        ("/Root 1 0 R", "/Root 1 0 R /Prev 0"),
        ("/Root 1 0 R", "/Root 1 0 R /Encrypt 9 0 R"),
        ("<< /Length", "<< /Filter /FlateDecode /Length"),
        ("/Helvetica", "/Helv#65tica"),
    ] {
        let changed = text.replacen(from, to, 1);
        assert_ne!(changed, text);
        assert!(load(changed.as_bytes()).is_none(), "{to}");
    }
}

#[test]
fn damaged_pdfs_are_declined_or_read_like_lopdf() {
    let mut accepted = 0;
    for base in sample_pdfs().iter().take(2) {
        for pos in 0..base.len() {
            for flip in [0x01u8, 0x20, 0x80] {
                let mut bytes = base.clone();
                bytes[pos] ^= flip;
                if check(&bytes) {
                    accepted += 1;
                }
            }
        }
    }
    assert!(accepted > 100, "{accepted}");
}

#[test]
fn in_thread_reading_gives_the_workers_answer() {
    let limits = crate::extract::ExtractLimits::default();
    for bytes in sample_pdfs() {
        let direct = crate::extract::pdf::extract_pdf_with("a.pdf", &bytes, &limits, false);
        // A time limit below the in-thread minimum sends every PDF to the worker.
        let hurried = crate::extract::ExtractLimits {
            pdf_timeout: std::time::Duration::from_millis(999),
            ..limits.clone()
        };
        let worker = crate::extract::pdf::extract_pdf_with("a.pdf", &bytes, &hurried, false);
        assert_eq!(format!("{direct:?}"), format!("{worker:?}"));
    }
}

#[test]
fn hostile_structures_are_declined_without_deep_recursion() {
    // Deep nesting in an object and in content, an oversized file, a cyclic page tree.
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let objs = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 >>".into(),
        deep,
    ];
    let bytes = assemble_pdf(b"%PDF-1.4\n", &objs);
    assert!(load(&bytes).is_none());
    assert!(content(format!("{} TJ", "[".repeat(10_000)).as_bytes()).is_none());
    let big = pdf(&vec!["x".repeat(100); 1000], 40);
    assert!(big.len() > IN_THREAD_MAX_BYTES);
    assert!(load(&big).is_none());
    // A page tree whose Pages node lists itself: lopdf's walk is bounded; the text is empty.
    let cyclic = assemble_pdf(
        b"%PDF-1.4\n",
        &[
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [2 0 R] /Count 1 >>".into(),
        ],
    );
    let doc = load(&cyclic).expect("accepted");
    assert_eq!(document_text_with(&doc, content).as_deref(), Some(""));
    assert!(check(&cyclic));
}

#[test]
fn repeated_content_and_pages_are_declined_on_the_calling_thread() {
    // One content stream listed 5,000 times: lopdf would concatenate 5,000 copies.
    let stream = "BT /F1 12 Tf 72 720 Td (x) Tj ET";
    let page = |contents: &str| {
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {contents} >>")
    };
    let repeated = format!("[{}]", vec!["4 0 R"; 5_000].join(" "));
    let objs = |kids: &str, contents: &str| {
        vec![
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            format!("<< /Type /Pages /Kids [{kids}] /Count 1 >>"),
            page(contents),
            format!(
                "<< /Length {} >>\nstream\n{stream}\nendstream",
                stream.len()
            ),
        ]
    };
    let once = assemble_pdf(b"%PDF-1.4\n", &objs("3 0 R", "4 0 R"));
    assert!(load(&once).is_some(), "the plain file is accepted");
    let many = assemble_pdf(b"%PDF-1.4\n", &objs("3 0 R", &repeated));
    assert!(many.len() <= IN_THREAD_MAX_BYTES);
    assert!(load(&many).is_none(), "5,000 copies of one stream");
    let twice = assemble_pdf(b"%PDF-1.4\n", &objs("3 0 R 3 0 R", "4 0 R"));
    assert!(load(&twice).is_none(), "one page listed twice");
    // Declined here, such files go to the worker, under its time limit.
}
