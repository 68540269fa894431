//! docx and pptx text (docx through the fast tokenizer of [`super::xlsx`], quick-xml for
//! what it does not read; pptx with quick-xml). docx paragraphs become text; `w:tbl` tables become grids
//! (one paragraph-joined string per `w:tc`) so forms like 扶養控除等申告書 are read in table
//! mode. pptx slides are read in slide order; their table cells are tab-separated lines.

use super::archive::{read_named, read_named_into, with_part_buffer};
use super::{Block, ExtractLimits, NotInspected, NotInspectedReason as R, Table};
use quick_xml::Reader;
use quick_xml::events::Event;

type Zip<'a> = super::member::Archive<'a>;

/// Resolves an XML entity/char reference name (`amp`, `#12354`, `#x3042`).
pub(super) fn resolve_ref(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[derive(Default)]
struct TableBuild {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
}

/// The docx body being built from parser events (shared by the fast tokenizer and
/// quick-xml, so both read a document the same way).
#[derive(Default)]
struct DocxBuild {
    blocks: Vec<Block>,
    text: String,
    para: String,
    tables: Vec<TableBuild>,
    in_t: bool,
    n_tables: usize,
}

impl DocxBuild {
    fn start(&mut self, local: &str) {
        match local {
            "t" => self.in_t = true,
            "tbl" => self.tables.push(TableBuild::default()),
            "tab" => self.para.push('\t'),
            "br" | "cr" => self.para.push('\n'),
            _ => {}
        }
    }

    /// A self-closing element (`<w:tab/>`; an empty `<w:p/>` ends nothing).
    fn empty(&mut self, local: &str) {
        match local {
            "tab" => self.para.push('\t'),
            "br" | "cr" => self.para.push('\n'),
            _ => {}
        }
    }

    fn end(&mut self, local: &str) {
        match local {
            "t" => self.in_t = false,
            "p" => {
                // The paragraph buffer is cleared, not taken: its capacity serves the next one.
                let p = self.para.as_str();
                if let Some(tb) = self.tables.last_mut() {
                    if !tb.cell.is_empty() && !p.is_empty() {
                        tb.cell.push(' ');
                    }
                    tb.cell.push_str(p);
                } else {
                    self.text.push_str(p);
                    self.text.push('\n');
                }
                self.para.clear();
            }
            "tc" => {
                if let Some(tb) = self.tables.last_mut() {
                    tb.row.push(tb.cell.trim().to_string());
                    tb.cell.clear();
                }
            }
            "tr" => {
                if let Some(tb) = self.tables.last_mut() {
                    let r = std::mem::take(&mut tb.row);
                    tb.rows.push(r);
                }
            }
            "tbl" => {
                if let Some(tb) = self.tables.pop() {
                    self.n_tables += 1;
                    self.blocks.push(Block::Table(Table {
                        label: format!("table {}", self.n_tables),
                        rows: tb.rows,
                    }));
                }
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Vec<Block> {
        if !self.text.trim().is_empty() {
            self.blocks.insert(0, Block::Text(self.text));
        }
        self.blocks
    }
}

/// `word/document.xml` through the fast tokenizer; `None` for what it does not read (CDATA,
/// a bare `&`, non-UTF-8), which quick-xml then reads or rejects.
fn docx_fast(xml: &[u8]) -> Option<Vec<Block>> {
    use super::xlsx::lex::{Lexer, Tok, push_text_lenient};
    let xml = super::text::utf8(xml)?;
    let mut lx = Lexer::new_unexpanded(xml);
    let mut b = DocxBuild::default();
    while let Some(tok) = lx.next_tok().ok()? {
        match tok {
            Tok::Start(name, _) => b.start(name),
            Tok::Empty(name, _) => b.empty(name),
            Tok::End(name) => b.end(name),
            Tok::Text(raw) if b.in_t => push_text_lenient(&mut b.para, raw).ok()?,
            Tok::Text(_) => {}
        }
    }
    Some(b.finish())
}

pub(super) fn extract_docx(
    path: &str,
    zip: &mut Zip<'_>,
    limits: &ExtractLimits,
) -> Result<Vec<Block>, NotInspected> {
    with_part_buffer(|xml| {
        read_named_into(zip, path, "word/document.xml", limits.max_member_bytes, xml)?;
        match docx_fast(xml) {
            Some(blocks) => Ok(blocks),
            None => docx_quick_xml(path, xml),
        }
    })
}

fn docx_quick_xml(path: &str, xml: &[u8]) -> Result<Vec<Block>, NotInspected> {
    let mut reader = Reader::from_reader(xml);
    let mut b = DocxBuild::default();
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| NotInspected::new(path, R::Corrupt, format!("word/document.xml: {e}")))?;
        match ev {
            Event::Start(e) => b.start(e.local_name().as_ref()),
            Event::Empty(e) => b.empty(e.local_name().as_ref()),
            Event::Text(t) if b.in_t => b.para.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if b.in_t => {
                if let Some(c) = resolve_ref(&r.xml10_content()) {
                    b.para.push(c);
                }
            }
            Event::End(e) => b.end(e.local_name().as_ref()),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(b.finish())
}

pub(super) fn extract_pptx(
    path: &str,
    zip: &mut Zip<'_>,
    names: &[String],
    limits: &ExtractLimits,
) -> Result<Vec<Block>, NotInspected> {
    let mut slides: Vec<(u32, &String)> = names
        .iter()
        .filter_map(|n| {
            let num = n.strip_prefix("ppt/slides/slide")?.strip_suffix(".xml")?;
            Some((num.parse().ok()?, n))
        })
        .collect();
    slides.sort();
    let mut blocks = Vec::new();
    for (_, name) in slides {
        let xml = read_named(zip, path, name, limits.max_member_bytes)?;
        let mut reader = Reader::from_reader(xml.as_slice());
        let mut text = String::new();
        let mut in_t = false;
        loop {
            let ev = reader
                .read_event()
                .map_err(|e| NotInspected::new(path, R::Corrupt, format!("{name}: {e}")))?;
            match ev {
                Event::Start(e) if e.local_name().as_ref() == "t" => in_t = true,
                Event::Text(t) if in_t => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) if in_t => {
                    if let Some(c) = resolve_ref(&r.xml10_content()) {
                        text.push(c);
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "t" => in_t = false,
                    "p" => text.push('\n'),
                    "tc" => text.push('\t'),
                    "tr" => text.push('\n'),
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        blocks.push(Block::Text(text));
    }
    Ok(blocks)
}

#[cfg(test)]
mod docx_tests {
    use super::*;

    fn both(xml: &str) -> (Option<String>, String) {
        let fast = docx_fast(xml.as_bytes()).map(|b| format!("{b:?}"));
        let slow = format!(
            "{:?}",
            docx_quick_xml("t.docx", xml.as_bytes()).expect("quick-xml")
        );
        (fast, slow)
    }

    #[test]
    fn fast_docx_reader_reads_like_quick_xml() {
        let body = concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="urn:w"><w:body>"#,
            r#"<w:p><w:r><w:t>氏名：山田&amp;太郎</w:t><w:tab/><w:t xml:space="preserve"> 様 </w:t></w:r></w:p>"#,
            "<w:p/><w:p><w:r><w:br/><w:t>a&#x3042;&nbsp;b&unknown;c
d</w:t></w:r></w:p>",
            "<!-- note --><w:tbl><w:tr><w:tc><w:p><w:r><w:t>生年月日</w:t></w:r></w:p></w:tc>",
            "<w:tc><w:p><w:r><w:t>1990/01/02</w:t></w:r></w:p><w:p><w:r><w:t>x</w:t></w:r></w:p>",
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
            "</w:tc></w:tr></w:tbl><w:p><w:r><w:t/></w:r></w:p></w:body></w:document>",
        );
        let (fast, slow) = both(body);
        assert_eq!(fast.as_deref(), Some(slow.as_str()));
        assert!(slow.contains("山田&太郎"));
        for seed in 1..=4 {
            for m in crate::evalgen::generate(seed).expect("generate").messages {
                for a in m.attachments.iter().filter(|a| a.name.ends_with(".docx")) {
                    let mut zip = Zip::open(a.bytes.as_slice()).expect("zip");
                    let xml = read_named(&mut zip, &a.name, "word/document.xml", 1 << 30)
                        .expect("document.xml");
                    let xml = String::from_utf8(xml).expect("utf-8");
                    let (fast, slow) = both(&xml);
                    assert_eq!(fast.as_deref(), Some(slow.as_str()), "{}", a.name);
                }
            }
        }
        // What the tokenizer does not read goes to quick-xml.
        assert_eq!(both("<w:p><w:t><![CDATA[x]]></w:t></w:p>").0, None);
        assert!(docx_fast(b"<w:p><w:t>a & b</w:t></w:p>").is_none());
    }
}
