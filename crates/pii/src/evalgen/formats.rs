//! Writers for the formats the evaluation set's main writers leave out, so that the extraction
//! paths behind them are tested on generated files rather than trusted:
//!
//! * [`ods`] — an OpenDocument spreadsheet: a zip whose first member `mimetype` is stored
//!   uncompressed, `META-INF/manifest.xml`, and `content.xml` with `table:table` /
//!   `table:table-row` / `table:table-cell` elements (OpenDocument 1.2, part 1 §9.1 and part 3
//!   §3). String, float and date cells are written with their `office:value-type`.
//! * [`cjk_pdf`] — a PDF 1.4 whose Japanese text is shown with a composite (Type0) font:
//!   `/Encoding /Identity-H` (2-byte codes = CIDs), a CIDFontType2 descendant with
//!   `Adobe-Identity-0`, no embedded font program, and a `/ToUnicode` CMap mapping each CID to
//!   its character (ISO 32000-1 §9.7 and §9.10.3). This is how Japanese office software writes
//!   PDFs; text extractors that ignore the CMap lose the text.
//!
//! Written for this project from the public specifications.

use crate::PiiError;
use chrono::NaiveDate;
use zip::CompressionMethod;

/// One typed spreadsheet cell.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetCell {
    /// No value.
    Empty,
    /// A text cell.
    Text(String),
    /// A numeric cell (phone and My Number columns are often typed as numbers).
    Number(f64),
    /// A date cell.
    Date(NaiveDate),
}

impl From<&str> for SheetCell {
    fn from(s: &str) -> Self {
        SheetCell::Text(s.to_string())
    }
}

impl From<String> for SheetCell {
    fn from(s: String) -> Self {
        SheetCell::Text(s)
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const ODS_MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";

/// An OpenDocument spreadsheet with one table per `(name, rows)`.
pub fn ods(file: &str, sheets: &[(&str, Vec<Vec<SheetCell>>)]) -> Result<Vec<u8>, PiiError> {
    let mut content = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0""#,
        r#" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0""#,
        r#" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">"#,
        r#"<office:body><office:spreadsheet>"#
    ));
    for (name, rows) in sheets {
        content += &format!(r#"<table:table table:name="{}">"#, esc(name));
        for row in rows {
            content += "<table:table-row>";
            for cell in row {
                content += &match cell {
                    SheetCell::Empty => "<table:table-cell/>".to_string(),
                    SheetCell::Text(t) => format!(
                        r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                        esc(t)
                    ),
                    SheetCell::Number(v) => format!(
                        r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
                    ),
                    SheetCell::Date(d) => format!(
                        r#"<table:table-cell office:value-type="date" office:date-value="{d}"><text:p>{}</text:p></table:table-cell>"#,
                        d.format("%Y/%m/%d")
                    ),
                };
            }
            content += "</table:table-row>";
        }
        content += "</table:table>";
    }
    content += "</office:spreadsheet></office:body></office:document-content>";
    let manifest = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">"#,
            r#"<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{}"/>"#,
            r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
            r#"</manifest:manifest>"#
        ),
        ODS_MIME
    );
    // `mimetype` must be the first member and stored (not compressed): readers sniff it at a
    // fixed offset. The rest may be deflated.
    zip_with_stored_first(
        file,
        ("mimetype", ODS_MIME.as_bytes()),
        &[
            ("META-INF/manifest.xml", manifest.into_bytes()),
            ("content.xml", content.into_bytes()),
        ],
    )
}

/// A zip whose first member is stored and the others deflated.
fn zip_with_stored_first(
    file: &str,
    first: (&str, &[u8]),
    rest: &[(&str, Vec<u8>)],
) -> Result<Vec<u8>, PiiError> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let err = |e: String| PiiError::Synth {
        file: file.to_string(),
        reason: e,
    };
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    w.start_file(first.0, stored)
        .map_err(|e| err(e.to_string()))?;
    w.write_all(first.1).map_err(|e| err(e.to_string()))?;
    for (name, bytes) in rest {
        w.start_file(*name, deflated)
            .map_err(|e| err(e.to_string()))?;
        w.write_all(bytes).map_err(|e| err(e.to_string()))?;
    }
    Ok(w.finish().map_err(|e| err(e.to_string()))?.into_inner())
}

/// How a [`cjk_pdf`] tells readers which characters its CIDs stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CidMapping {
    /// CIDs 1, 2, … in order of first appearance, with a `/ToUnicode` CMap.
    ToUnicodeCmap,
    /// No `/ToUnicode`: each CID *is* the character's Unicode value, in the `Adobe-Identity`
    /// character collection. Poppler maps such CIDs as Unicode (its identity mapping for
    /// Adobe-Identity); extractors that rely on ToUnicode get nothing.
    CidIsUnicode,
}

/// A PDF with `lines_per_page` lines per page whose text (BMP characters) is shown with a
/// Type0 font in Identity-H encoding; `mapping` decides how CIDs map back to characters.
pub fn cjk_pdf(lines: &[String], lines_per_page: usize, mapping: CidMapping) -> Vec<u8> {
    // CID assignment: distinct characters in order of first appearance.
    let mut chars: Vec<char> = Vec::new();
    for c in lines.iter().flat_map(|l| l.chars()) {
        if !chars.contains(&c) && (c as u32) <= 0xFFFF {
            chars.push(c);
        }
    }
    let cid = |c: char| match mapping {
        CidMapping::ToUnicodeCmap => chars.iter().position(|x| *x == c).map(|i| i + 1),
        CidMapping::CidIsUnicode => ((c as u32) <= 0xFFFF).then_some(c as usize),
    };
    let pages: Vec<&[String]> = lines.chunks(lines_per_page.max(1)).collect();
    let n = pages.len();
    // Objects: 1 catalog, 2 pages, 3 Type0 font, 4 CIDFont, 5 descriptor, 6 ToUnicode,
    // then per page: page, content.
    let mut objs: Vec<String> = Vec::new();
    objs.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 7 + 2 * i)).collect();
    objs.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    let to_unicode = match mapping {
        CidMapping::ToUnicodeCmap => " /ToUnicode 6 0 R",
        CidMapping::CidIsUnicode => "",
    };
    objs.push(format!(
        "<< /Type /Font /Subtype /Type0 /BaseFont /MSGothic /Encoding /Identity-H \
         /DescendantFonts [4 0 R]{to_unicode} >>"
    ));
    objs.push(
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /MSGothic \
         /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
         /FontDescriptor 5 0 R /DW 1000 /CIDToGIDMap /Identity >>"
            .into(),
    );
    objs.push(
        "<< /Type /FontDescriptor /FontName /MSGothic /Flags 4 /FontBBox [0 -141 1000 859] \
         /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 769 /StemV 80 >>"
            .into(),
    );
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // At most 100 entries per bfchar block (PDF limit).
    for chunk in chars.chunks(100).enumerate() {
        let (k, cs) = chunk;
        cmap += &format!("{} beginbfchar\n", cs.len());
        for (j, c) in cs.iter().enumerate() {
            cmap += &format!("<{:04X}> <{:04X}>\n", k * 100 + j + 1, *c as u32);
        }
        cmap += "endbfchar\n";
    }
    cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend";
    objs.push(format!(
        "<< /Length {} >>\nstream\n{cmap}\nendstream",
        cmap.len()
    ));
    for (i, page) in pages.iter().enumerate() {
        let mut content = String::from("BT /F1 10 Tf 14 TL 40 800 Td\n");
        for l in page.iter() {
            let hex: String = l
                .chars()
                .filter_map(cid)
                .map(|id| format!("{id:04X}"))
                .collect();
            content += &format!("<{hex}> Tj T*\n");
        }
        content += "ET";
        objs.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
             /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            8 + 2 * i
        ));
        objs.push(format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ));
    }
    super::writers::assemble_pdf(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n", &objs)
}
