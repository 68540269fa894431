//! docx and pptx text with quick-xml. docx paragraphs become text; `w:tbl` tables become grids
//! (one paragraph-joined string per `w:tc`) so forms like 扶養控除等申告書 are read in table
//! mode. pptx slides are read in slide order; their table cells are tab-separated lines.

use super::archive::read_named;
use super::{Block, ExtractLimits, NotInspected, NotInspectedReason as R, Table};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::Cursor;
use zip::ZipArchive;

type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;

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

pub(super) fn extract_docx(
    path: &str,
    zip: &mut Zip<'_>,
    limits: &ExtractLimits,
) -> Result<Vec<Block>, NotInspected> {
    let xml = read_named(zip, path, "word/document.xml", limits.max_member_bytes)?;
    let mut reader = Reader::from_reader(xml.as_slice());
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut para = String::new();
    let mut tables: Vec<TableBuild> = Vec::new();
    let mut in_t = false;
    let mut n_tables = 0usize;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| NotInspected::new(path, R::Corrupt, format!("word/document.xml: {e}")))?;
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_t = true,
                "tbl" => tables.push(TableBuild::default()),
                "tab" => para.push('\t'),
                "br" | "cr" => para.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => para.push('\t'),
                "br" | "cr" => para.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_t => para.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t => {
                if let Some(c) = resolve_ref(&r.xml10_content()) {
                    para.push(c);
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_t = false,
                "p" => {
                    let p = std::mem::take(&mut para);
                    if let Some(tb) = tables.last_mut() {
                        if !tb.cell.is_empty() && !p.is_empty() {
                            tb.cell.push(' ');
                        }
                        tb.cell.push_str(&p);
                    } else {
                        text.push_str(&p);
                        text.push('\n');
                    }
                }
                "tc" => {
                    if let Some(tb) = tables.last_mut() {
                        let c = std::mem::take(&mut tb.cell);
                        tb.row.push(c.trim().to_string());
                    }
                }
                "tr" => {
                    if let Some(tb) = tables.last_mut() {
                        let r = std::mem::take(&mut tb.row);
                        tb.rows.push(r);
                    }
                }
                "tbl" => {
                    if let Some(tb) = tables.pop() {
                        n_tables += 1;
                        blocks.push(Block::Table(Table {
                            label: format!("table {n_tables}"),
                            rows: tb.rows,
                        }));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !text.trim().is_empty() {
        blocks.insert(0, Block::Text(text));
    }
    Ok(blocks)
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
