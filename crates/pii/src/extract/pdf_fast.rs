//! A fast path for simple PDFs: pages whose text is shown in printable ASCII with simple fonts
//! (the standard 14 Latin fonts or TrueType/Type1 fonts with a `/Widths` array) under a
//! standard encoding, without ToUnicode maps, Differences, form XObjects or rotated text.
//!
//! Why: pdf-extract rebuilds glyph-name tables and core-font metrics for every font on every
//! page (~0.6 ms of CPU per small PDF before any text). This module parses the file with
//! lopdf (the parser pdf-extract itself uses) and replays pdf-extract's plain-text layout
//! rules — a newline when the baseline moves by more than 1.5× the font size, or back left
//! and down by more than half of it; a space when a text run starts more than 0.1× the font
//! size after the previous glyph — so the text is what pdf-extract would print.
//! The standard fonts' glyph widths are not embedded here: the layout is replayed twice, with
//! every glyph at the narrowest and at the widest width those fonts have, and the result is
//! used only when both runs print the same text (the decisions do not depend on widths).
//! Anything else returns `None` and the caller uses pdf-extract as before.

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// Row-vector affine matrix `[a b c d e f]` as in the PDF specification.
type M = [f64; 6];

const IDENTITY: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m1` then `m2` (the PDF's `m1 × m2`).
fn mul(m1: &M, m2: &M) -> M {
    [
        m1[0] * m2[0] + m1[1] * m2[2],
        m1[0] * m2[1] + m1[1] * m2[3],
        m1[2] * m2[0] + m1[3] * m2[2],
        m1[2] * m2[1] + m1[3] * m2[3],
        m1[4] * m2[0] + m1[5] * m2[2] + m2[4],
        m1[4] * m2[1] + m1[5] * m2[3] + m2[5],
    ]
}

fn translate(m: &M, tx: f64, ty: f64) -> M {
    mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], m)
}

/// Width assumption for the standard fonts, whose metrics are not embedded here.
#[derive(Clone, Copy, PartialEq)]
enum Bound {
    Narrow,
    Wide,
}

/// A font as far as the fast path needs it.
struct Font {
    /// Glyph widths (1/1000 em) for codes `first..first+len`, when the font has them.
    widths: Option<(i64, Vec<f64>)>,
    /// A standard font: Courier is monospaced (600), the others are bounded.
    courier: bool,
    /// StandardEncoding: 0x27 and 0x60 are the curly quotes.
    standard_encoding: bool,
}

impl Font {
    fn width(&self, code: u8, bound: Bound) -> Option<f64> {
        match &self.widths {
            Some((first, w)) => {
                let i = usize::try_from(i64::from(code) - first).ok()?;
                w.get(i).copied()
            }
            None if self.courier => Some(600.0),
            // Narrowest/widest printable ASCII glyphs of Helvetica and Times (quotesingle
            // 180, `@` 1015), with a margin.
            None => Some(if bound == Bound::Narrow {
                150.0
            } else {
                1100.0
            }),
        }
    }

    fn char(&self, code: u8) -> char {
        match code {
            0x27 if self.standard_encoding => '\u{2019}',
            0x60 if self.standard_encoding => '\u{2018}',
            c => char::from(c),
        }
    }
}

const STANDARD_LATIN: [&str; 12] = [
    "Courier",
    "Courier-Bold",
    "Courier-BoldOblique",
    "Courier-Oblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-BoldOblique",
    "Helvetica-Oblique",
    "Times-Roman",
    "Times-Bold",
    "Times-BoldItalic",
    "Times-Italic",
];

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    match o {
        Object::Reference(id) => doc.get_object(*id).ok(),
        o => Some(o),
    }
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    deref(doc, d.get(key).ok()?)
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// A page attribute from the page or its ancestors.
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut d = page;
    for _ in 0..64 {
        if let Some(o) = get(doc, d, key) {
            return Some(o);
        }
        d = get(doc, d, b"Parent")?.as_dict().ok()?;
    }
    None
}

fn make_font(doc: &Document, d: &Dictionary) -> Option<Font> {
    let subtype = get(doc, d, b"Subtype")?.as_name().ok()?;
    let base = get(doc, d, b"BaseFont")
        .and_then(|b| b.as_name().ok())
        .unwrap_or(b"");
    if d.has(b"ToUnicode") || !matches!(subtype, b"Type1" | b"TrueType" | b"MMType1") {
        return None;
    }
    let standard = STANDARD_LATIN.iter().any(|n| n.as_bytes() == base);
    let widths = match (
        get(doc, d, b"FirstChar").and_then(num),
        get(doc, d, b"Widths"),
    ) {
        (Some(first), Some(Object::Array(ws))) => {
            let ws: Option<Vec<f64>> = ws.iter().map(|w| deref(doc, w).and_then(num)).collect();
            Some((first as i64, ws?))
        }
        _ if standard => None,
        _ => return None,
    };
    let standard_encoding = match get(doc, d, b"Encoding") {
        Some(Object::Name(n)) if n == b"WinAnsiEncoding" || n == b"MacRomanEncoding" => false,
        // No encoding: a standard Type1 font's own (StandardEncoding); TrueType: WinAnsi.
        None if standard && subtype != b"TrueType" => true,
        None if subtype == b"TrueType" => false,
        _ => return None,
    };
    Some(Font {
        widths,
        courier: base.starts_with(b"Courier"),
        standard_encoding,
    })
}

/// pdf-extract's plain-text output state.
struct Out {
    text: String,
    last_end: f64,
    last_y: f64,
    first_char: bool,
}

/// Text state of the page being replayed (saved and restored by `q`/`Q` with the CTM, as
/// pdf-extract does).
#[derive(Clone)]
struct Ts {
    font: Option<usize>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    hscale: f64,
    leading: f64,
    rise: f64,
    tm: M,
}

/// A page ready to replay: its height, font resources and decoded content.
struct Page<'a> {
    height: f64,
    fonts: Option<&'a Dictionary>,
    content: Content,
}

/// How page content is split into operations.
pub(super) type Decode = fn(&[u8]) -> Option<Content>;

fn lopdf_decode(data: &[u8]) -> Option<Content> {
    Content::decode(data).ok()
}

fn prepare_page(doc: &Document, page_id: ObjectId, decode: Decode) -> Option<Page<'_>> {
    let page = doc.get_dictionary(page_id).ok()?;
    let media = inherited(doc, page, b"MediaBox")?.as_array().ok()?;
    let media: Vec<f64> = media
        .iter()
        .map(|o| deref(doc, o).and_then(num))
        .collect::<Option<_>>()?;
    let height = media.get(3)? - media.get(1)?;
    let resources = inherited(doc, page, b"Resources").and_then(|r| r.as_dict().ok());
    let fonts = resources
        .and_then(|r| get(doc, r, b"Font"))
        .and_then(|f| f.as_dict().ok());
    let content = decode(&doc.get_page_content(page_id).ok()?)?;
    Some(Page {
        height,
        fonts,
        content,
    })
}

/// Replays one page; `None` when it uses anything outside the fast path.
fn page_text(
    doc: &Document,
    page: &Page<'_>,
    bound: Bound,
    fonts: &mut Vec<(Vec<u8>, Font)>,
    out: &mut Out,
) -> Option<()> {
    let (height, font_dict, content) = (page.height, page.fonts, &page.content);
    fonts.clear();
    let mut ctm = IDENTITY;
    let mut stack: Vec<(M, Ts)> = Vec::new();
    let mut ts = Ts {
        font: None,
        size: f64::NAN,
        char_spacing: 0.0,
        word_spacing: 0.0,
        hscale: 1.0,
        leading: 0.0,
        rise: 0.0,
        tm: IDENTITY,
    };
    let mut tlm = IDENTITY;
    for op in &content.operations {
        let n = |i: usize| op.operands.get(i).and_then(num);
        match op.operator.as_str() {
            "BT" | "ET" => {
                tlm = IDENTITY;
                ts.tm = tlm;
            }
            "cm" => {
                let m = [n(0)?, n(1)?, n(2)?, n(3)?, n(4)?, n(5)?];
                ctm = mul(&m, &ctm);
            }
            "q" => stack.push((ctm, ts.clone())),
            "Q" => {
                if let Some((m, t)) = stack.pop() {
                    (ctm, ts) = (m, t);
                }
            }
            "Tc" => ts.char_spacing = n(0)?,
            "Tw" => ts.word_spacing = n(0)?,
            "Tz" => ts.hscale = n(0)? / 100.0,
            "TL" => ts.leading = n(0)?,
            "Ts" => ts.rise = n(0)?,
            "Tf" => {
                let name = op.operands.first()?.as_name().ok()?;
                let i = match fonts.iter().position(|(k, _)| k == name) {
                    Some(i) => i,
                    None => {
                        let d = get(doc, font_dict?, name)?.as_dict().ok()?;
                        fonts.push((name.to_vec(), make_font(doc, d)?));
                        fonts.len() - 1
                    }
                };
                ts.font = Some(i);
                ts.size = n(1)?;
            }
            "Tm" => {
                tlm = [n(0)?, n(1)?, n(2)?, n(3)?, n(4)?, n(5)?];
                ts.tm = tlm;
            }
            "Td" | "TD" => {
                let (tx, ty) = (n(0)?, n(1)?);
                if op.operator == "TD" {
                    ts.leading = -ty;
                }
                tlm = translate(&tlm, tx, ty);
                ts.tm = tlm;
            }
            "T*" => {
                tlm = translate(&tlm, 0.0, -ts.leading);
                ts.tm = tlm;
            }
            "Tj" => match op.operands.first()? {
                Object::String(s, _) => {
                    let font = &fonts.get(ts.font?)?.1;
                    show(&mut ts, font, &ctm, height, s, bound, out)?;
                }
                _ => return None,
            },
            "TJ" => {
                let font = &fonts.get(ts.font?)?.1;
                for e in op.operands.first()?.as_array().ok()? {
                    match e {
                        Object::String(s, _) => show(&mut ts, font, &ctm, height, s, bound, out)?,
                        o => {
                            let adj = num(o)?;
                            let tx = ts.hscale * (-adj / 1000.0 * ts.size);
                            ts.tm = translate(&ts.tm, tx, 0.0);
                        }
                    }
                }
            }
            // Text shown by other operators, forms/images, inline images, graphics state
            // dictionaries (which may set the font), Type3/marked content: not replayed.
            "'" | "\"" | "Do" | "BI" | "gs" | "d0" | "d1" => return None,
            _ => {}
        }
    }
    Some(())
}

/// One text run (pdf-extract's `show_text` + `PlainTextOutput::output_character`).
fn show(
    ts: &mut Ts,
    font: &Font,
    ctm: &M,
    height: f64,
    s: &[u8],
    bound: Bound,
    out: &mut Out,
) -> Option<()> {
    out.first_char = true;
    for &c in s {
        if !(0x20..=0x7E).contains(&c) {
            return None;
        }
        let tsm = [ts.hscale, 0.0, 0.0, 1.0, 0.0, ts.rise];
        let trm = mul(&tsm, &mul(&ts.tm, ctm));
        if trm[1] != 0.0 || trm[2] != 0.0 {
            return None; // rotated or skewed text
        }
        let w0 = font.width(c, bound)? / 1000.0;
        let mut spacing = ts.char_spacing;
        if c == b' ' {
            spacing += ts.word_spacing;
        }
        let (x, y) = (trm[4], height - trm[5]);
        let fsx = ts.size * trm[0] + ts.size * trm[2];
        let fsy = ts.size * trm[1] + ts.size * trm[3];
        let tfs = (fsx * fsy).sqrt();
        if out.first_char {
            if (y - out.last_y).abs() > tfs * 1.5 {
                out.text.push('\n');
            }
            if x < out.last_end && (y - out.last_y).abs() > tfs * 0.5 {
                out.text.push('\n');
            }
            if x > out.last_end + tfs * 0.1 {
                out.text.push(' ');
            }
        }
        out.text.push(font.char(c));
        out.first_char = false;
        out.last_y = y;
        out.last_end = x + w0 * tfs;
        let tx = ts.hscale * (w0 * ts.size + spacing);
        ts.tm = translate(&ts.tm, tx, 0.0);
    }
    Some(())
}

fn replay(doc: &Document, pages: &[Page<'_>], bound: Bound) -> Option<String> {
    let mut out = Out {
        text: String::new(),
        last_end: 100000.0,
        last_y: 0.0,
        first_char: false,
    };
    let mut fonts = Vec::new();
    for page in pages {
        page_text(doc, page, bound, &mut fonts, &mut out)?;
    }
    Some(out.text)
}

/// The text pdf-extract would print for a simple PDF; `None` when the file is not one.
pub(super) fn simple_pdf_text(bytes: &[u8]) -> Option<String> {
    document_text(&Document::load_mem(bytes).ok()?)
}

/// [`simple_pdf_text`] of a loaded document.
pub(super) fn document_text(doc: &Document) -> Option<String> {
    document_text_with(doc, lopdf_decode)
}

/// [`document_text`] with page content split by `decode`.
pub(super) fn document_text_with(doc: &Document, decode: Decode) -> Option<String> {
    if doc.is_encrypted() {
        return None;
    }
    let pages: Vec<Page<'_>> = doc
        .get_pages()
        .into_values()
        .map(|id| prepare_page(doc, id, decode))
        .collect::<Option<_>>()?;
    let narrow = replay(doc, &pages, Bound::Narrow)?;
    let wide = replay(doc, &pages, Bound::Wide)?;
    (narrow == wide).then_some(narrow)
}

#[cfg(test)]
mod tests;
