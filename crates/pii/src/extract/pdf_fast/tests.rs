//! The fast path prints exactly what pdf-extract prints, and declines what it does not replay.

use super::simple_pdf_text;
use crate::evalgen::generate;
use crate::evalgen::writers::assemble_pdf;

fn pdf_extract(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).expect("pdf-extract")
}

/// A one-font PDF with the given font dictionary and page contents (one content per page).
fn pdf(font: &str, pages: &[&str]) -> Vec<u8> {
    let mut objs = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} /MediaBox [0 0 595 842] >>",
            (0..pages.len())
                .map(|i| format!("{} 0 R", 4 + 2 * i))
                .collect::<Vec<_>>()
                .join(" "),
            pages.len()
        ),
        font.to_string(),
    ];
    for (i, content) in pages.iter().enumerate() {
        objs.push(format!(
            "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objs.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    assemble_pdf(b"%PDF-1.4\n", &objs)
}

const HELVETICA: &str =
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

#[test]
fn evaluation_pdfs_match_pdf_extract() {
    let mut n = 0;
    for seed in 1..=4 {
        for m in generate(seed).expect("generate").messages {
            for a in m.attachments.iter().filter(|a| a.name.ends_with(".pdf")) {
                if let Some(fast) = simple_pdf_text(&a.bytes) {
                    assert_eq!(fast, pdf_extract(&a.bytes), "{}", a.name);
                    n += 1;
                }
            }
        }
    }
    assert!(n >= 4, "only {n} PDFs took the fast path");
}

#[test]
fn layouts_match_pdf_extract() {
    let cases: Vec<(&str, Vec<&str>)> = vec![
        // Lines by T*, a label and a value on one line by Td, a TJ with kerning and a wide gap.
        (
            HELVETICA,
            vec![
                "BT /F1 10 Tf 14 TL 40 800 Td (Name:) Tj 60 0 Td (Yamada Taro) Tj T* (Birth) Tj \
                 ET BT /F1 12 Tf 40 700 Td [(Ya) -20 (ma) -900 (da)] TJ 0 -30 Td (x) Tj () Tj \
                 (y) Tj ET",
                "BT /F1 10 Tf 40 800 Td (page two) Tj 0 -14 Td (phone 090-1234-5678) Tj ET",
            ],
        ),
        // Courier (monospaced), character and word spacing, horizontal scaling, a CTM.
        (
            "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>",
            vec![
                "q 0.75 0 0 0.75 20 20 cm BT /F1 9 Tf 2 Tc 3 Tw 90 Tz 50 700 Td (a b c) Tj \
                 (d) Tj 100 0 Td ('quoted`) Tj ET Q",
            ],
        ),
        // A TrueType font with a Widths array.
        (
            "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Arial /FirstChar 32 \
             /LastChar 126 /Widths [278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 \
             278 556 556 556 556 556 556 556 556 556 556 278 278 584 584 584 556 1015 667 667 \
             722 722 667 611 778 722 278 500 667 556 833 722 778 667 778 722 667 611 722 667 \
             944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 222 222 \
             500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584] \
             /Encoding /WinAnsiEncoding >>",
            vec!["BT /F1 10 Tf 1 0 0 1 40 800 Tm (Tel) Tj (:) Tj 30 0 Td (03-1234-5678) Tj ET"],
        ),
    ];
    for (font, pages) in cases {
        let bytes = pdf(font, &pages);
        let fast = simple_pdf_text(&bytes).expect("fast path");
        assert_eq!(fast, pdf_extract(&bytes), "{pages:?}");
    }
}

#[test]
fn other_pdfs_are_declined() {
    // Non-ASCII bytes, a ToUnicode map, a CID font, an explicit StandardEncoding (pdf-extract
    // panics on it; the caller then tries pdftotext), form XObjects, and width-dependent spacing.
    let declined: Vec<(&str, &str)> = vec![
        (HELVETICA, "BT /F1 10 Tf 40 800 Td (caf\\351) Tj ET"),
        (
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 9 0 R >>",
            "BT /F1 10 Tf 40 800 Td (a) Tj ET",
        ),
        (
            "<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /Identity-H >>",
            "BT /F1 10 Tf 40 800 Td <0001> Tj ET",
        ),
        (
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /StandardEncoding >>",
            "BT /F1 10 Tf 40 800 Td (a) Tj ET",
        ),
        (HELVETICA, "q /X1 Do Q BT /F1 10 Tf 40 800 Td (a) Tj ET"),
        (
            HELVETICA,
            "BT /F1 10 Tf 40 800 Td (abc) Tj 20 0 Td (d) Tj ET",
        ),
        (HELVETICA, "BT /F1 10 Tf 40 800 Td (abc) ' ET"),
    ];
    for (font, content) in declined {
        assert_eq!(simple_pdf_text(&pdf(font, &[content])), None, "{content}");
    }
}
