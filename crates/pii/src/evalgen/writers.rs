//! Minimal writers for the evaluation documents, written for this project: xlsx (a zip of the
//! smallest SpreadsheetML parts with a shared string table, as Excel writes), docx (WordprocessingML paragraphs and
//! tables), PDF 1.4 (Helvetica text, so ASCII/romaji only — a hand-written PDF with CJK needs a
//! CID font and a ToUnicode CMap, judged impractical here), CP932 CSV, plain zips, a zip with
//! the encryption flag set (PPAP stand-in), an OLE file with an `EncryptedPackage` stream name
//! (password-protected Office stand-in).

use crate::PiiError;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A zip of `(name, bytes)` parts, deflated.
pub fn zip(
    file: &str,
    parts: &[(&str, Vec<u8>)],
    method: CompressionMethod,
) -> Result<Vec<u8>, PiiError> {
    let err = |e: zip::result::ZipError| PiiError::Synth {
        file: file.to_string(),
        reason: e.to_string(),
    };
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in parts {
        w.start_file(*name, opts).map_err(err)?;
        w.write_all(bytes).map_err(|e| PiiError::Synth {
            file: file.to_string(),
            reason: e.to_string(),
        })?;
    }
    Ok(w.finish().map_err(err)?.into_inner())
}

fn col_name(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, char::from(b'A' + (i % 26) as u8));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s
}

/// An xlsx workbook with one sheet per `(name, rows)`; every cell a string from the shared
/// string table (`xl/sharedStrings.xml`, `t="s"` cells), with a `<dimension>` — the layout
/// Excel itself writes.
pub fn xlsx(file: &str, sheets: &[(&str, Vec<Vec<String>>)]) -> Result<Vec<u8>, PiiError> {
    let mut ct = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#,
    );
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut strings: Vec<&str> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut count = 0usize;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, (name, rows)) in sheets.iter().enumerate() {
        let n = i + 1;
        ct += &format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
        wb += &format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            esc(name)
        );
        rels += &format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
        let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut x = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:{}{}"/><sheetData>"#,
            col_name(cols - 1),
            rows.len().max(1)
        );
        for (r, row) in rows.iter().enumerate() {
            x += &format!(r#"<row r="{}">"#, r + 1);
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    count += 1;
                    let k = *index.entry(cell.as_str()).or_insert_with(|| {
                        strings.push(cell.as_str());
                        strings.len() - 1
                    });
                    x += &format!(r#"<c r="{}{}" t="s"><v>{k}</v></c>"#, col_name(c), r + 1);
                }
            }
            x += "</row>";
        }
        x += "</sheetData></worksheet>";
        parts.push((format!("xl/worksheets/sheet{n}.xml"), x.into_bytes()));
    }
    let n_sheets = sheets.len();
    rels += &format!(
        r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
        n_sheets + 1
    );
    let mut sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" uniqueCount="{}">"#,
        strings.len()
    );
    for st in &strings {
        sst += &format!("<si><t>{}</t></si>", esc(st));
    }
    sst += "</sst>";
    ct += "</Types>";
    wb += "</sheets></workbook>";
    rels += "</Relationships>";
    let root = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let mut all: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", ct.into_bytes()),
        ("_rels/.rels", root.as_bytes().to_vec()),
        ("xl/workbook.xml", wb.into_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.into_bytes()),
        ("xl/sharedStrings.xml", sst.into_bytes()),
    ];
    all.extend(parts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    zip(file, &all, CompressionMethod::Deflated)
}

/// docx content: a paragraph or a table.
pub enum DocPart {
    /// One paragraph.
    Para(String),
    /// A table of rows.
    Table(Vec<Vec<String>>),
}

/// A docx with paragraphs and tables.
pub fn docx(file: &str, body: &[DocPart]) -> Result<Vec<u8>, PiiError> {
    let p = |t: &str| {
        format!(
            "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            esc(t)
        )
    };
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for part in body {
        match part {
            DocPart::Para(t) => x += &p(t),
            DocPart::Table(rows) => {
                x += "<w:tbl>";
                for row in rows {
                    x += "<w:tr>";
                    for c in row {
                        x += &format!("<w:tc>{}</w:tc>", p(c));
                    }
                    x += "</w:tr>";
                }
                x += "</w:tbl>";
            }
        }
    }
    x += "</w:body></w:document>";
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    zip(
        file,
        &[
            ("[Content_Types].xml", ct.as_bytes().to_vec()),
            ("_rels/.rels", rels.as_bytes().to_vec()),
            ("word/document.xml", x.into_bytes()),
        ],
        CompressionMethod::Deflated,
    )
}

/// A PDF 1.4 with Helvetica text, `lines_per_page` lines per page (ASCII only).
pub fn pdf(lines: &[String], lines_per_page: usize) -> Vec<u8> {
    let pages: Vec<&[String]> = lines.chunks(lines_per_page.max(1)).collect();
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, 3 font, then per page: page obj, content obj.
    let mut objs: Vec<String> = Vec::new();
    objs.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objs.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    objs.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    );
    for (i, page) in pages.iter().enumerate() {
        let mut content = String::from("BT /F1 10 Tf 14 TL 40 800 Td\n");
        for l in page.iter() {
            let safe: String = l
                .chars()
                .filter(char::is_ascii)
                .collect::<String>()
                .replace('\\', "\\\\")
                .replace('(', "\\(")
                .replace(')', "\\)");
            content += &format!("({safe}) Tj T*\n");
        }
        content += "ET";
        objs.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>", 5 + 2 * i));
        objs.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    assemble_pdf(b"%PDF-1.4\n", &objs)
}

/// A PDF file from its objects (object `i + 1` = `objs[i]`, object 1 the catalog): the header,
/// the numbered objects, the cross-reference table with each object's byte offset, the trailer.
pub(crate) fn assemble_pdf(header: &[u8], objs: &[String]) -> Vec<u8> {
    let mut out = header.to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// CSV text encoded as CP932 (Shift_JIS as Windows writes it).
pub fn csv_cp932(rows: &[Vec<String>]) -> Vec<u8> {
    let text: String = rows.iter().map(|r| r.join(",") + "\r\n").collect();
    encoding_rs::SHIFT_JIS.encode(&text).0.into_owned()
}

/// A stored zip whose members carry the "encrypted" flag (general purpose bit 0), as a
/// password zip does; the data itself is not encrypted (it is never read).
pub fn flagged_encrypted_zip(file: &str, parts: &[(&str, Vec<u8>)]) -> Result<Vec<u8>, PiiError> {
    let mut z = zip(file, parts, CompressionMethod::Stored)?;
    let mut i = 0;
    while i + 8 < z.len() {
        if z[i..].starts_with(b"PK\x03\x04") {
            z[i + 6] |= 1;
        } else if z[i..].starts_with(b"PK\x01\x02") {
            z[i + 8] |= 1;
        }
        i += 1;
    }
    Ok(z)
}

/// An OLE compound-file header followed by the UTF-16 stream name `EncryptedPackage`, the
/// marker of a password-protected OOXML file (not a complete compound file).
pub fn encrypted_office_stub() -> Vec<u8> {
    let mut v = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    v.resize(512, 0);
    for name in ["EncryptionInfo", "EncryptedPackage"] {
        v.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        v.resize(v.len() + 64, 0);
    }
    v
}
